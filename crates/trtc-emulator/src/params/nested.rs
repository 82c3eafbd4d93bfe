//! The request as one JSON object: a JSON body's members as sent, or a query's flattened names
//! (`RecordParams.RecordMode=1`, `Items.0.Name=a`, `UserIds.0=u`) put back into the objects and lists they
//! flatten, every value still text (the schema check reads text as the member's declared type).

use serde_json::{Map, Value};
use trtc_model::ErrorCode;

use crate::reply::Failure;

/// Puts `value` at the dotted `name` in `root`: a numeric part is an index into a list, any other a member
/// of an object. A name that is both a value and a container (`A=1&A.B=2`) is refused, naming it.
pub(super) fn insert(root: &mut Map<String, Value>, name: &str, value: Value) -> Result<(), Failure> {
    let mut parts = name.split('.');
    let first = parts.next().unwrap_or(name);
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        root.insert(first.to_owned(), value);
        return Ok(());
    }
    let slot = root.entry(first.to_owned()).or_insert(Value::Null);
    place(slot, &rest, value, name)
}

fn place(slot: &mut Value, parts: &[&str], value: Value, name: &str) -> Result<(), Failure> {
    let Some((part, rest)) = parts.split_first() else {
        return if slot.is_null() {
            *slot = value;
            Ok(())
        } else {
            Err(conflict(name))
        };
    };
    match part.parse::<usize>() {
        Ok(index) => {
            if slot.is_null() {
                *slot = Value::Array(Vec::new());
            }
            let Value::Array(items) = slot else {
                return Err(conflict(name));
            };
            // A query names each item: a list is as long as its largest index says (at most a few thousand
            // items fit in a request), the gaps left null for the schema check to report.
            if index >= 10_000 {
                return Err(Failure::new(
                    ErrorCode::InvalidParameter,
                    format!("The parameter `{name}` names list item {index}: a list has at most 10000 items."),
                ));
            }
            if items.len() <= index {
                items.resize(index + 1, Value::Null);
            }
            place(&mut items[index], rest, value, name)
        }
        Err(_) => {
            if slot.is_null() {
                *slot = Value::Object(Map::new());
            }
            let Value::Object(members) = slot else {
                return Err(conflict(name));
            };
            let inner = members.entry((*part).to_owned()).or_insert(Value::Null);
            place(inner, rest, value, name)
        }
    }
}

fn conflict(name: &str) -> Failure {
    Failure::new(
        ErrorCode::InvalidParameter,
        format!("The parameter `{name}` is sent both as a value and as the member of an object or list it is part of."),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn build(pairs: &[(&str, Value)]) -> Result<Value, Failure> {
        let mut root = Map::new();
        for (name, value) in pairs {
            insert(&mut root, name, value.clone())?;
        }
        Ok(Value::Object(root))
    }

    #[test]
    fn flattened_names_become_objects_and_lists() {
        let got = build(&[
            ("SdkAppId", json!("1")),
            ("RecordParams.RecordMode", json!("2")),
            (
                "RecordParams.SubscribeStreamUserIds.SubscribeAudioUserIds",
                json!(["a", "b"]),
            ),
            ("Items.1.Name", json!("y")),
            ("Items.0.Name", json!("x")),
            ("Items.0.Size", json!("3")),
        ])
        .unwrap();
        assert_eq!(
            got,
            json!({
                "SdkAppId": "1",
                "RecordParams": {"RecordMode": "2", "SubscribeStreamUserIds": {"SubscribeAudioUserIds": ["a", "b"]}},
                "Items": [{"Name": "x", "Size": "3"}, {"Name": "y"}],
            })
        );
        assert_eq!(
            build(&[("L.2.A", json!("x"))]).unwrap(),
            json!({"L": [null, null, {"A": "x"}]})
        );
    }

    #[test]
    fn a_name_that_is_both_a_value_and_an_object_is_refused() {
        for pairs in [
            vec![("A", json!("1")), ("A.B", json!("2"))],
            vec![("A.B", json!("2")), ("A.0", json!("1"))],
            vec![("A.B", json!("1")), ("A.B.C", json!("2"))],
        ] {
            let e = build(&pairs).unwrap_err();
            assert_eq!(e.code.as_str(), "InvalidParameter");
            assert!(e.message.contains("`A."), "{}", e.message);
        }
        let e = build(&[("A.99999", json!("1"))]).unwrap_err();
        assert!(e.message.contains("at most 10000"), "{}", e.message);
    }
}
