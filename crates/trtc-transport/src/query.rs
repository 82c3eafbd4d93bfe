//! The GET form of a request: its JSON parameters flattened into a query string (`A.0=x&B.C=y`), percent-encoded.

use std::fmt::Write;

use serde_json::Value;

/// Flattens a JSON object into the API 3.0 GET form. Arrays become `Name.N`, objects `Name.Field`.
pub(crate) fn to_query(params: &Value) -> String {
    let mut out = String::new();
    if let Value::Object(fields) = params {
        for (name, value) in fields {
            push(&mut out, name, value);
        }
    }
    out
}

fn push(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                push(out, &format!("{name}.{i}"), item);
            }
        }
        Value::Object(fields) => {
            for (field, item) in fields {
                push(out, &format!("{name}.{field}"), item);
            }
        }
        Value::String(s) => pair(out, name, s),
        Value::Bool(b) => pair(out, name, if *b { "true" } else { "false" }),
        Value::Number(n) => pair(out, name, &n.to_string()),
    }
}

fn pair(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    encode(out, name);
    out.push('=');
    encode(out, value);
}

/// Percent-encodes all but the unreserved characters of RFC 3986.
fn encode(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn flattens_and_encodes() {
        let q = super::to_query(&json!({"SdkAppId": 1400000001, "RoomId": "a b&c", "UserIds": ["u1", "ü"], "X": null}));
        assert_eq!(q, "RoomId=a%20b%26c&SdkAppId=1400000001&UserIds.0=u1&UserIds.1=%C3%BC");
    }
}
