//! The checks of the parameters the actions share: `SdkAppId` owned by the caller, the room id in range,
//! `UserIds`, `UserId` and `IsMute`, each answering the codes the official SDKs list for it.

use trtc_model::{ErrorCode, MAX_STR_ROOM_ID_BYTES, MAX_USER_IDS};

use crate::config::CredentialEntry;
use crate::params::{Codes, Params};
use crate::reply::Failure;
use crate::rooms::{Block, RoomId};

/// The largest numeric room id TRTC clients can enter. The model leaves numeric room ids unbounded for the
/// service to decide (its documentation disagrees by one on the bound); the emulator, as the service, decides.
pub(super) const MAX_ROOM_ID: u64 = 4_294_967_295;

/// The codes each field answers when it is absent or of the wrong type.
static SDK_APP_ID: Codes = Codes::new(ErrorCode::MissingParameterSdkAppId, ErrorCode::InvalidParameterSdkAppId);
static ROOM_ID: Codes = Codes::new(ErrorCode::MissingParameterRoomId, ErrorCode::InvalidParameterRoomId);
static USER_IDS: Codes = Codes::new(ErrorCode::MissingParameterUserIds, ErrorCode::InvalidParameterUserIds);
static USER_ID: Codes = Codes::new(ErrorCode::MissingParameterUserId, ErrorCode::InvalidParameterUserId);
static IS_MUTE: Codes = Codes::new(ErrorCode::MissingParameter, ErrorCode::InvalidParameter);

/// Nothing when `valid`; else the failure `code` with the message `message` writes.
fn ensure<M: Into<String>>(valid: bool, code: &ErrorCode, message: impl FnOnce() -> M) -> Result<(), Failure> {
    if valid {
        Ok(())
    } else {
        Err(Failure::new(code.clone(), message()))
    }
}

/// The application, owned by the caller.
pub(super) fn owned_app(params: &Params, entry: &CredentialEntry) -> Result<u64, Failure> {
    let sdk_app_id = params.u64("SdkAppId", &SDK_APP_ID)?;
    ensure(
        entry.sdk_app_ids.contains(&sdk_app_id),
        &ErrorCode::UnauthorizedOperationSdkAppId,
        || format!("No permission to manipulate SdkAppId {sdk_app_id} with this SecretId."),
    )?;
    Ok(sdk_app_id)
}

/// A numeric room id in TRTC's range; `value_code` answers an out-of-range one.
pub(super) fn numeric_room(params: &Params, field: &str, value_code: &ErrorCode) -> Result<RoomId, Failure> {
    let room = params.u64(field, &ROOM_ID)?;
    ensure((1..=MAX_ROOM_ID).contains(&room), value_code, || {
        format!("The value of parameter `{field}` must be from 1 to {MAX_ROOM_ID} (got {room}).")
    })?;
    Ok(RoomId::Number(room))
}

/// A string room id of 1 to 64 bytes; `value_code` answers an empty or too long one.
pub(super) fn string_room(params: &Params, field: &str, value_code: &ErrorCode) -> Result<RoomId, Failure> {
    let room = params.string(field, &ROOM_ID)?;
    ensure((1..=MAX_STR_ROOM_ID_BYTES).contains(&room.len()), value_code, || {
        format!(
            "The value of parameter `{field}` must be 1 to {MAX_STR_ROOM_ID_BYTES} bytes (got {}).",
            room.len()
        )
    })?;
    Ok(RoomId::Str(room))
}

/// `UserIds`: a list of 1 to `MAX_USER_IDS` user ids, none of them empty.
pub(super) fn user_ids(params: &Params) -> Result<Vec<String>, Failure> {
    let users = params.strings("UserIds", &USER_IDS)?;
    ensure((1..=MAX_USER_IDS).contains(&users.len()), &USER_IDS.invalid, || {
        format!(
            "The parameter `UserIds` must list 1 to {MAX_USER_IDS} users (got {}).",
            users.len()
        )
    })?;
    ensure(!users.iter().any(String::is_empty), &USER_IDS.invalid, || {
        "The parameter `UserIds` must not contain an empty user id."
    })?;
    Ok(users)
}

/// `UserId`: a user id, not empty.
pub(super) fn user_id(params: &Params) -> Result<String, Failure> {
    let user = params.string("UserId", &USER_ID)?;
    ensure(!user.is_empty(), &USER_ID.invalid, || {
        "The parameter `UserId` must not be empty."
    })?;
    Ok(user)
}

/// `IsMute`: what to block, 0 to 3.
pub(super) fn is_mute(params: &Params) -> Result<Block, Failure> {
    let is_mute = params.u64("IsMute", &IS_MUTE)?;
    Block::from_is_mute(is_mute).ok_or_else(|| {
        Failure::new(
            IS_MUTE.invalid.clone(),
            format!("The value of parameter `IsMute` must be 0, 1, 2 or 3 (got {is_mute})."),
        )
    })
}
