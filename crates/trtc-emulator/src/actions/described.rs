//! How an action without a hand-written table row is served: its request checked against its generated
//! members and type (`schema::check`), its `SdkAppId` owned by the caller, then its family's lifecycle
//! (`lifecycle`), its resource (`resources`), or its query (`statistics`).

use serde_json::{Map, Value};
use trtc_model::actions::MemberType;
use trtc_model::ErrorCode;

use super::schema::Schema;
use super::{families, lifecycle, resources, statistics};
use crate::config::CredentialEntry;
use crate::params::Params;
use crate::reply::{Answer, Failure};
use crate::rooms::{RoomId, Rooms};

/// One call of an action, its request checked.
pub(super) struct Call<'a> {
    pub(super) schema: Schema,
    pub(super) params: &'a Params,
    /// The request as one JSON object of the declared types (a query's text read as numbers and booleans).
    pub(super) body: Map<String, Value>,
    pub(super) entry: &'a CredentialEntry,
    /// The `SdkAppId` sent (owned by the caller), if the action takes one and it was sent.
    pub(super) sdk_app_id: Option<u64>,
}

impl Call<'_> {
    /// Whether the caller may see a task or room of `sdk_app_id`: it owns the application, and it is the
    /// one the request names, if it names one.
    pub(super) fn sees(&self, sdk_app_id: u64) -> bool {
        self.entry.sdk_app_ids.contains(&sdk_app_id) && self.sdk_app_id.is_none_or(|sent| sent == sdk_app_id)
    }

    /// A string member, if sent as one (non-empty).
    pub(super) fn text(&self, name: &str) -> Option<&str> {
        self.body.get(name).and_then(Value::as_str).filter(|s| !s.is_empty())
    }

    /// An unsigned integer member, if sent as one.
    pub(super) fn number(&self, name: &str) -> Option<u64> {
        self.body.get(name).and_then(Value::as_u64)
    }

    /// A member as sent.
    pub(super) fn value(&self, name: &str) -> Option<&Value> {
        self.body.get(name)
    }
}

/// Serves the action `schema` describes, its request `body` already checked by [`schema::check`].
pub(super) fn run(
    schema: Schema,
    params: &Params,
    body: Map<String, Value>,
    entry: &CredentialEntry,
    rooms: &mut Rooms,
) -> Result<Answer, Failure> {
    let sdk_app_id = owned_app(&schema, &body, entry)?;
    let call = Call {
        schema,
        params,
        body,
        entry,
        sdk_app_id,
    };
    if let Some((family, verb)) = families::find(schema.name()) {
        return lifecycle::run(family, verb, &call, rooms);
    }
    if let Some(answer) = resources::run(&call, rooms)? {
        return Ok(answer);
    }
    statistics::run(&call, rooms)
}

/// The application the request names (`SdkAppId`, or `SdkAppid`/`Sdkappid` as some actions spell it; a
/// number, or its digits where the spec declares a string), which the caller must own.
fn owned_app(schema: &Schema, body: &Map<String, Value>, entry: &CredentialEntry) -> Result<Option<u64>, Failure> {
    let Some(member) = ["SdkAppId", "SdkAppid", "Sdkappid"]
        .into_iter()
        .find_map(|name| schema.member(name))
    else {
        return Ok(None);
    };
    let Some(value) = body.get(member.name) else {
        return Ok(None);
    };
    let sdk_app_id = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if member.ty == MemberType::String => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| {
        Failure::new(
            ErrorCode::InvalidParameterSdkAppId,
            format!(
                "The value of parameter `{}` must be an application id (got {value}).",
                member.name
            ),
        )
    })?;
    if !entry.sdk_app_ids.contains(&sdk_app_id) {
        return Err(Failure::new(
            ErrorCode::UnauthorizedOperationSdkAppId,
            format!("No permission to manipulate SdkAppId {sdk_app_id} with this SecretId."),
        ));
    }
    Ok(Some(sdk_app_id))
}

/// The room a request names, for the journal: `RoomId` (a number, or text) or `StrRoomId`.
pub(super) fn peek_room(params: &Params) -> Option<RoomId> {
    if params.is_query() {
        return params
            .peek_str("RoomId")
            .or_else(|| params.peek_str("StrRoomId"))
            .map(RoomId::from);
    }
    params
        .peek_u64("RoomId")
        .map(RoomId::Number)
        .or_else(|| params.peek_str("RoomId").map(RoomId::from))
        .or_else(|| params.peek_str("StrRoomId").map(RoomId::from))
}
