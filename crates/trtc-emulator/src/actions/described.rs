//! How an action of the catalog is served: its request checked against its declared members
//! ([`schema::check`], where the generated request types will take over), its `SdkAppId` owned by the
//! caller, then its family's lifecycle (`lifecycle`) or its query (`statistics`).

use serde_json::Value;
use trtc_model::ErrorCode;

use super::schema::{self, ActionSchema, Kind};
use super::{families, lifecycle, statistics};
use crate::config::CredentialEntry;
use crate::params::Params;
use crate::reply::{Answer, Failure};
use crate::rooms::{RoomId, Rooms};

/// One call of a catalog action, its request checked.
pub(super) struct Call<'a> {
    pub(super) schema: &'a ActionSchema,
    pub(super) params: &'a Params,
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
        self.params.peek_str(name).filter(|s| !s.is_empty())
    }

    /// An unsigned integer member, if sent as one.
    pub(super) fn number(&self, name: &str) -> Option<u64> {
        self.params.peek_u64(name)
    }
}

/// Serves the catalog action `schema` describes.
pub(super) fn run(
    schema: &ActionSchema,
    params: &Params,
    entry: &CredentialEntry,
    rooms: &mut Rooms,
) -> Result<Answer, Failure> {
    schema::check(schema, params)?;
    let call = Call {
        schema,
        params,
        entry,
        sdk_app_id: owned_app(schema, params, entry)?,
    };
    match families::find(schema.name) {
        Some((family, verb)) => lifecycle::run(family, verb, &call, rooms),
        None => statistics::run(&call, rooms),
    }
}

/// The application the request names (`SdkAppId`, or `SdkAppid` as `DescribeTrtcRoomUsage` spells it; a
/// number, or its digits where the spec declares a string), which the caller must own.
fn owned_app(schema: &ActionSchema, params: &Params, entry: &CredentialEntry) -> Result<Option<u64>, Failure> {
    let Some(member) = ["SdkAppId", "SdkAppid"]
        .into_iter()
        .find_map(|name| schema.member(name))
    else {
        return Ok(None);
    };
    let Some(value) = params.value(member.name) else {
        return Ok(None);
    };
    let sdk_app_id = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if member.kind == Kind::Str || params.is_query() => s.parse().ok(),
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

/// The room a catalog request names, for the journal: `RoomId` (a number, or text) or `StrRoomId`.
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
