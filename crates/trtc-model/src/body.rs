//! Reading a request from a JSON body (a body typed on a command line, a queued job), refusing it with the JSON
//! path of the member that is wrong: a wrong type, a missing required member, or an unknown member (with the
//! names the object has).
//!
//! The request types themselves ignore unknown members, as serde does by default and the service does too; the
//! unknown-member check here walks the body against the generated table of members ([`crate::actions`]), so
//! one strict reader serves every action without making the types strict.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::actions::{self, MemberType, ObjectInfo};
use crate::{Action, BodyError, BodyErrorKind, Error};

/// Reads `json` as the request of action `A`: the same value `serde_json::from_str` gives, or
/// [`Error::InvalidBody`] naming the member by its path.
///
/// Unknown members are refused for the actions of [`actions::ALL`]; another `A` (a hand-written action) is read
/// as its type reads.
///
/// ```
/// use trtc_model::{read_request, BodyErrorKind, DismissRoomRequest, Error};
///
/// let request: DismissRoomRequest = read_request(r#"{"SdkAppId":1400000001,"RoomId":1234}"#)?;
/// assert_eq!(request, DismissRoomRequest::new(1400000001, 1234));
///
/// let Err(Error::InvalidBody(e)) = read_request::<DismissRoomRequest>(r#"{"SdkAppId":1,"RoomId":"1234"}"#) else { panic!() };
/// assert_eq!((e.path.as_str(), e.kind.clone()), ("RoomId", BodyErrorKind::WrongType));
/// assert!(e.message.contains("expected u64"), "{e}");
///
/// let Err(Error::InvalidBody(e)) = read_request::<DismissRoomRequest>(r#"{"SdkAppId":1}"#) else { panic!() };
/// assert_eq!((e.path.as_str(), e.kind.clone()), ("RoomId", BodyErrorKind::Missing));
///
/// let Err(Error::InvalidBody(e)) = read_request::<DismissRoomRequest>(r#"{"SdkAppId":1,"RoomId":2,"Roomid":3}"#) else { panic!() };
/// assert_eq!(e.to_string(), "Roomid: DismissRoomRequest has no member Roomid: use one of SdkAppId, RoomId");
/// # Ok::<(), Error>(())
/// ```
pub fn read_request<A: Action + DeserializeOwned>(json: &str) -> Result<A, Error> {
    let value: Value = serde_json::from_str(json).map_err(|e| {
        Error::InvalidBody(BodyError {
            path: String::new(),
            kind: BodyErrorKind::Syntax,
            message: format!("is not JSON: {e}"),
        })
    })?;
    read_request_value(value)
}

/// [`read_request`] for a body already parsed.
pub fn read_request_value<A: Action + DeserializeOwned>(value: Value) -> Result<A, Error> {
    if let Some(object) = actions::find(A::NAME).and_then(|a| a.request_object()) {
        let mut path = String::new();
        unknown_member(&value, object, &mut path).map_err(Error::InvalidBody)?;
    }
    serde_path_to_error::deserialize::<_, A>(value).map_err(|e| {
        let at = e.path().to_string();
        let at = if at == "." { String::new() } else { at };
        let message = e.into_inner().to_string();
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(name, _)| name.to_owned());
        Error::InvalidBody(match missing {
            Some(name) => BodyError {
                path: join(&at, &name),
                kind: BodyErrorKind::Missing,
                message: "is required and missing".to_owned(),
            },
            None => BodyError {
                path: at,
                kind: BodyErrorKind::WrongType,
                message,
            },
        })
    })
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// The first member of `value` (depth first, in the body's order) that `object` does not have.
fn unknown_member(value: &Value, object: &'static ObjectInfo, path: &mut String) -> Result<(), BodyError> {
    let Value::Object(map) = value else {
        return Ok(()); // A wrong type: the typed reading reports it with its path.
    };
    for (name, member_value) in map {
        let at = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
        let Some(member) = object.member(name) else {
            return Err(BodyError {
                path: std::mem::take(path),
                kind: BodyErrorKind::Unknown {
                    object: object.name,
                    valid: object.members.iter().map(|m| m.name).collect(),
                },
                message: format!(
                    "{} has no member {name}: use one of {}",
                    object.name,
                    object.members.iter().map(|m| m.name).collect::<Vec<_>>().join(", ")
                ),
            });
        };
        check_value(member_value, &member.ty, path)?;
        path.truncate(at);
    }
    Ok(())
}

fn check_value(value: &Value, ty: &MemberType, path: &mut String) -> Result<(), BodyError> {
    match (ty, value) {
        (MemberType::Object(name), Value::Object(_)) => match actions::object(name) {
            Some(object) => unknown_member(value, object, path),
            None => Ok(()),
        },
        (MemberType::List(item), Value::Array(items)) => {
            for (i, item_value) in items.iter().enumerate() {
                let at = path.len();
                path.push_str(&format!("[{i}]"));
                check_value(item_value, item, path)?;
                path.truncate(at);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}
