//! The actions the emulator serves, applied to its room state.

use serde_json::{Map, Value};

use crate::config::CredentialEntry;
use crate::reply::Failure;
use crate::state::Rooms;

/// The API version the emulator serves.
pub(crate) const VERSION: &str = "2019-07-22";

/// Request parameters: the JSON body of a POST, or the query parameters of a GET (all strings).
pub(crate) struct Params {
    fields: Map<String, Value>,
    from_query: bool,
}

impl Params {
    pub(crate) fn from_json(body: &[u8]) -> Result<Params, Failure> {
        let body = if body.is_empty() { b"{}".as_slice() } else { body };
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(fields)) => Ok(Params {
                fields,
                from_query: false,
            }),
            _ => Err(Failure::new(
                "InvalidParameter",
                "The request body is not a JSON object.",
            )),
        }
    }

    pub(crate) fn from_query(query: &str) -> Params {
        let fields = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (k.to_owned(), Value::String(v.to_owned()))
            })
            .collect();
        Params {
            fields,
            from_query: true,
        }
    }

    fn u64(&self, name: &'static str, missing: &'static str, invalid: &'static str) -> Result<u64, Failure> {
        let value = self.fields.get(name).ok_or_else(|| {
            Failure::new(
                missing,
                format!("The request is missing the required parameter `{name}`."),
            )
        })?;
        let parsed = match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) if self.from_query => s.parse().ok(),
            _ => None,
        };
        parsed.ok_or_else(|| Failure::new(invalid, format!("The value of `{name}` must be an unsigned integer.")))
    }
}

/// Runs `action` for the caller `entry`, returning nothing on success.
pub(crate) fn run(action: &str, params: &Params, entry: &CredentialEntry, rooms: &Rooms) -> Result<(), Failure> {
    match action {
        "DismissRoom" => dismiss_room(params, entry, rooms),
        _ => Err(Failure::new(
            "InvalidAction",
            format!("The action `{action}` does not exist or is not served by this emulator."),
        )),
    }
}

fn dismiss_room(params: &Params, entry: &CredentialEntry, rooms: &Rooms) -> Result<(), Failure> {
    let sdk_app_id = params.u64("SdkAppId", "MissingParameter.SdkAppId", "InvalidParameter.SdkAppId")?;
    let room_id = params.u64("RoomId", "MissingParameter.RoomId", "InvalidParameter.RoomId")?;
    if !entry.sdk_app_ids.contains(&sdk_app_id) {
        return Err(Failure::new(
            "UnauthorizedOperation.SdkAppId",
            format!("No permission to manipulate SdkAppId {sdk_app_id}."),
        ));
    }
    if !rooms.dismiss(sdk_app_id, room_id) {
        return Err(Failure::new(
            "FailedOperation.RoomNotExist",
            format!("The room {room_id} does not exist."),
        ));
    }
    Ok(())
}
