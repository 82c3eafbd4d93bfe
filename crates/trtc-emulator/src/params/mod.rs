//! Request parameters as the service reads them: the JSON body of a POST, or the query of a GET (where
//! lists are flattened as `UserIds.0=a&UserIds.1=b` and every value is a string). The emulator is the
//! server, so it checks types itself and answers wrong ones with the documented codes.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use trtc_model::ErrorCode;

use crate::reply::Failure;

mod nested;
mod urlencoded;

pub(crate) use urlencoded::{decoded_pairs, first_value};

/// The parameters of one request.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    /// Sorted by name, each name once (the last value sent wins), as a JSON object's map keeps them: a
    /// request has a handful of parameters, for which a vector is cheaper to fill, search and drop.
    fields: Vec<(String, Value)>,
    /// Query values are all strings; numbers are then accepted in their decimal form.
    from_query: bool,
}

/// The codes a field answers with when it is absent or of the wrong type.
#[derive(Debug, Clone)]
pub(crate) struct Codes {
    pub(crate) missing: ErrorCode,
    pub(crate) invalid: ErrorCode,
}

impl Codes {
    /// The codes for an absent field (`missing`) and for one of the wrong type (`invalid`).
    pub(crate) const fn new(missing: ErrorCode, invalid: ErrorCode) -> Codes {
        Codes { missing, invalid }
    }
}

impl Params {
    pub(crate) fn from_json(body: &[u8]) -> Result<Params, Failure> {
        let body = if body.iter().all(u8::is_ascii_whitespace) {
            b"{}".as_slice()
        } else {
            body
        };
        match serde_json::from_slice::<Body>(body) {
            Ok(Body::Object(fields)) => Ok(Params {
                fields,
                from_query: false,
            }),
            Ok(Body::Other) => Err(Failure::new(
                ErrorCode::InvalidParameter,
                "The request body must be a JSON object of the action's parameters.",
            )),
            Err(e) => Err(Failure::new(
                ErrorCode::InvalidParameter,
                format!("The request body is not valid JSON ({e}); send the action's parameters as a JSON object."),
            )),
        }
    }

    /// Parses a query string: `&`-separated, percent-decoded (`+` is a space), `Name.N` entries gathered into
    /// lists. A malformed entry is kept as it decodes; its field's type check reports it.
    pub(crate) fn from_query(query: &str) -> Params {
        Params::from_pairs(decoded_pairs(query))
    }

    /// Parameters from decoded `(name, value)` pairs, as [`Params::from_query`] reads them: `Name.N` entries
    /// gathered into lists, every value a string.
    pub(crate) fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Params {
        let mut fields = Vec::new();
        let mut lists: Vec<(String, Vec<(usize, String)>)> = Vec::new();
        for (key, value) in pairs {
            match key
                .rsplit_once('.')
                .and_then(|(name, index)| Some((name, index.parse::<usize>().ok()?)))
            {
                Some((name, index)) => match lists.iter_mut().find(|(n, _)| n == name) {
                    Some((_, items)) => items.push((index, value)),
                    None => lists.push((name.to_owned(), vec![(index, value)])),
                },
                None => set(&mut fields, key, Value::String(value)),
            }
        }
        for (name, mut items) in lists {
            items.sort_by_key(|(index, _)| *index);
            let dense = items.iter().enumerate().all(|(i, (index, _))| i == *index);
            let value = if dense {
                Value::Array(items.into_iter().map(|(_, v)| Value::String(v)).collect())
            } else {
                // Gaps or repeats in the indexes: not a list the service would accept.
                Value::String(String::new())
            };
            set(&mut fields, name, value);
        }
        Params {
            fields,
            from_query: true,
        }
    }

    /// The names of the fields sent, those set to JSON `null` left out (read as absent, as by [`Params::get`]).
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, _)| k.as_str())
    }

    /// The field, with JSON `null` read as absent (the official SDKs omit unset fields; some send null).
    fn get(&self, name: &str) -> Option<&Value> {
        let at = self.fields.binary_search_by(|(k, _)| k.as_str().cmp(name)).ok()?;
        Some(&self.fields[at].1).filter(|v| !v.is_null())
    }

    fn missing(name: &str, codes: &Codes) -> Failure {
        Failure::new(
            codes.missing.clone(),
            format!("The request is missing a required parameter `{name}`."),
        )
    }

    /// An unsigned integer field.
    pub(crate) fn u64(&self, name: &str, codes: &Codes) -> Result<u64, Failure> {
        let value = self.get(name).ok_or_else(|| Self::missing(name, codes))?;
        let parsed = match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) if self.from_query => s.parse().ok(),
            _ => None,
        };
        parsed.ok_or_else(|| {
            Failure::new(
                codes.invalid.clone(),
                format!(
                    "The value of parameter `{name}` is of the wrong type: expected an unsigned integer, got {}.",
                    describe(value)
                ),
            )
        })
    }

    /// A string field.
    pub(crate) fn string(&self, name: &str, codes: &Codes) -> Result<String, Failure> {
        match self.get(name).ok_or_else(|| Self::missing(name, codes))? {
            Value::String(s) => Ok(s.clone()),
            other => Err(Failure::new(
                codes.invalid.clone(),
                format!(
                    "The value of parameter `{name}` is of the wrong type: expected a string, got {}.",
                    describe(other)
                ),
            )),
        }
    }

    /// A list-of-strings field.
    pub(crate) fn strings(&self, name: &str, codes: &Codes) -> Result<Vec<String>, Failure> {
        let value = self.get(name).ok_or_else(|| Self::missing(name, codes))?;
        let wrong = || {
            Failure::new(
                codes.invalid.clone(),
                format!(
                    "The value of parameter `{name}` is of the wrong type: expected a list of strings, got {}.",
                    describe(value)
                ),
            )
        };
        let Value::Array(items) = value else {
            return Err(wrong());
        };
        items
            .iter()
            .map(|item| item.as_str().map(str::to_owned).ok_or_else(wrong))
            .collect()
    }

    /// A field read for the journal only: no error when absent or malformed.
    pub(crate) fn peek_u64(&self, name: &str) -> Option<u64> {
        match self.get(name)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) if self.from_query => s.parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn peek_str(&self, name: &str) -> Option<&str> {
        self.get(name)?.as_str()
    }

    /// Whether the parameters came from a query or form (every value text), not a JSON body.
    pub(crate) fn is_query(&self) -> bool {
        self.from_query
    }

    /// The request as one JSON object, JSON `null` members left out: a JSON body's members, or a query's
    /// flattened names put back into their objects and lists (values still text).
    pub(crate) fn to_body(&self) -> Result<Map<String, Value>, Failure> {
        let mut body = Map::new();
        for (name, value) in self.fields.iter().filter(|(_, v)| !v.is_null()) {
            if self.from_query {
                nested::insert(&mut body, name, value.clone())?;
            } else {
                body.insert(name.clone(), value.clone());
            }
        }
        Ok(body)
    }
}

/// A value's JSON type and its first 40 bytes, for a message about it.
pub(crate) fn describe(value: &Value) -> String {
    let text = match value {
        Value::Null => return "null".to_owned(),
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    let mut shown = value.to_string();
    if shown.len() > 40 {
        let mut cut = 40;
        while !shown.is_char_boundary(cut) {
            cut -= 1;
        }
        shown.truncate(cut);
        shown.push_str("...");
    }
    format!("{text} ({shown})")
}

/// Sets the field `name` in fields sorted by name, replacing its value if it is there.
fn set(fields: &mut Vec<(String, Value)>, name: String, value: Value) {
    match fields.binary_search_by(|(k, _)| k.as_str().cmp(&name)) {
        Ok(at) => fields[at].1 = value,
        Err(at) => fields.insert(at, (name, value)),
    }
}

/// A JSON body read as `serde_json::Value` reads it (same syntax, numbers and errors), an object's fields
/// going straight into a sorted vector rather than through a map.
enum Body {
    Object(Vec<(String, Value)>),
    /// Any other JSON value.
    Other,
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Body, D::Error> {
        deserializer.deserialize_any(BodyVisitor)
    }
}

struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = Body;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Body, E> {
        Ok(Body::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Body, E> {
        Ok(Body::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Body, E> {
        Ok(Body::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Body, E> {
        Ok(Body::Other)
    }

    fn visit_str<E>(self, _: &str) -> Result<Body, E> {
        Ok(Body::Other)
    }

    fn visit_unit<E>(self) -> Result<Body, E> {
        Ok(Body::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Body, A::Error> {
        // Read whole, as a value, so a malformed element is reported as `Value` reports it.
        while seq.next_element::<Value>()?.is_some() {}
        Ok(Body::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Body, A::Error> {
        let mut fields = Vec::new();
        while let Some((name, value)) = map.next_entry::<String, Value>()? {
            set(&mut fields, name, value);
        }
        Ok(Body::Object(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> Codes {
        Codes::new(
            ErrorCode::Other("MissingParameter.X".into()),
            ErrorCode::Other("InvalidParameter.X".into()),
        )
    }

    #[test]
    fn query_lists_and_escapes() {
        let p = Params::from_query("SdkAppId=1400000001&RoomId=a%20b+c&UserIds.1=u%2B2&UserIds.0=u1");
        assert_eq!(p.u64("SdkAppId", &codes()).unwrap(), 1400000001);
        assert_eq!(p.string("RoomId", &codes()).unwrap(), "a b c");
        assert_eq!(p.strings("UserIds", &codes()).unwrap(), ["u1", "u+2"]);
        assert_eq!(p.u64("Nope", &codes()).unwrap_err().code.as_str(), "MissingParameter.X");
    }

    #[test]
    fn gaps_in_list_indexes_are_not_a_list() {
        let p = Params::from_query("UserIds.0=a&UserIds.2=b");
        assert_eq!(
            p.strings("UserIds", &codes()).unwrap_err().code.as_str(),
            "InvalidParameter.X"
        );
    }

    /// `from_json` as first written, through `serde_json::Value`: the faster one must agree with it.
    fn reference_from_json(body: &[u8]) -> Result<Vec<(String, Value)>, Failure> {
        let body = if body.iter().all(u8::is_ascii_whitespace) {
            b"{}".as_slice()
        } else {
            body
        };
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(fields)) => Ok(fields.into_iter().collect()),
            Ok(_) => Err(Failure::new(
                ErrorCode::InvalidParameter,
                "The request body must be a JSON object of the action's parameters.",
            )),
            Err(e) => Err(Failure::new(
                ErrorCode::InvalidParameter,
                format!("The request body is not valid JSON ({e}); send the action's parameters as a JSON object."),
            )),
        }
    }

    #[test]
    fn json_bodies_read_as_serde_json_value_reads_them() {
        let deep_array = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let deep_object = format!("{}1{}", r#"{"a":"#.repeat(200), "}".repeat(200));
        let bodies: Vec<&[u8]> = vec![
            br#"{"SdkAppId":1400000001,"RoomId":1234}"#,
            br#" { "b" : 1 , "a" : [1, {"x": null}], "c": null, "b": "again" } "#,
            br#"{"A":"\u00e9\n","":0,"Z":-1.5e3,"big":18446744073709551616,"neg":-9223372036854775809}"#,
            b"{}",
            b"",
            b"  \n\t",
            b"[1, 2]",
            b"[1e400]",
            b"[1,",
            br#""text""#,
            b"12",
            b"-1",
            b"1.5",
            b"null",
            b"true",
            b"{",
            br#"{"a"}"#,
            br#"{"a":1,}"#,
            b"{1:2}",
            br#"{"a":1e400}"#,
            br#"{"a":1} x"#,
            br#"{"a":"\ud800"}"#,
            b"{\"a\":\"\xff\"}",
            b"\xef\xbb\xbf{}",
            deep_array.as_bytes(),
            deep_object.as_bytes(),
        ];
        for body in bodies {
            let got = Params::from_json(body).map(|p| p.fields);
            assert_eq!(got, reference_from_json(body), "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn json_types_are_strict() {
        let p = Params::from_json(br#"{"A":"12","B":-1,"C":1.5,"D":null,"E":["x",1],"F":12}"#).unwrap();
        for name in ["A", "B", "C"] {
            let e = p.u64(name, &codes()).unwrap_err();
            assert_eq!(e.code.as_str(), "InvalidParameter.X", "{name}");
            assert!(e.message.contains(name), "{}", e.message);
        }
        assert_eq!(p.u64("D", &codes()).unwrap_err().code.as_str(), "MissingParameter.X");
        assert_eq!(
            p.strings("E", &codes()).unwrap_err().code.as_str(),
            "InvalidParameter.X"
        );
        assert_eq!(p.string("F", &codes()).unwrap_err().code.as_str(), "InvalidParameter.X");
        assert_eq!(p.u64("F", &codes()).unwrap(), 12);
        assert!(Params::from_json(b"[1]").is_err());
        assert!(Params::from_json(b"{").is_err());
        assert!(Params::from_json(b"").is_ok());
    }
}
