//! `RemoveUser` and `RemoveUserByStrRoomId`: remove up to ten users from a room.

use serde::{Deserialize, Serialize};

use super::{request_id_response, rules, ROOM_REGIONS, TRTC_SERVICE, TRTC_VERSION};
use crate::{Action, Error, Region};

/// Removes up to ten users from a room with a numeric id (`RemoveUser`), as an anchor, room owner or admin
/// kicking users out.
///
/// Documented at 20 requests per second, for ap-beijing, ap-guangzhou and ap-singapore.
///
/// ```
/// use trtc_model::{Action, RemoveUserRequest};
///
/// let request = RemoveUserRequest::new(1400000001, 1234, ["test1", "test2"]);
/// assert_eq!(
///     serde_json::to_string(&request)?,
///     r#"{"SdkAppId":1400000001,"RoomId":1234,"UserIds":["test1","test2"]}"#
/// );
/// assert!(request.validate().is_ok());
/// assert!(RemoveUserRequest::new(1400000001, 1234, Vec::<String>::new()).validate().is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RemoveUserRequest {
    /// The SDKAppId of the TRTC application (`SdkAppId`).
    pub sdk_app_id: u64,
    /// The numeric room id (`RoomId`).
    pub room_id: u64,
    /// The users to remove (`UserIds`): 1 to [`MAX_USER_IDS`](crate::MAX_USER_IDS), none empty.
    pub user_ids: Vec<String>,
}

impl RemoveUserRequest {
    /// A request to remove `user_ids` from `room_id` of the application `sdk_app_id`.
    pub fn new<I>(sdk_app_id: u64, room_id: u64, user_ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        RemoveUserRequest {
            sdk_app_id,
            room_id,
            user_ids: user_ids.into_iter().map(Into::into).collect(),
        }
    }
}

request_id_response! {
    /// The answer to [`RemoveUserRequest`].
    RemoveUserResponse
}

impl Action for RemoveUserRequest {
    const NAME: &'static str = "RemoveUser";
    const VERSION: &'static str = TRTC_VERSION;
    const SERVICE: &'static str = TRTC_SERVICE;
    const REGIONS: &'static [Region] = ROOM_REGIONS;
    // Removing users who are already out leaves them out. A user who entered again in between is removed again,
    // which is what the caller asked for.
    const IDEMPOTENT: bool = true;
    type Response = RemoveUserResponse;

    fn sdk_app_id(&self) -> Option<u64> {
        Some(self.sdk_app_id)
    }

    fn validate(&self) -> Result<(), Error> {
        rules::sdk_app_id(self.sdk_app_id)?;
        rules::room_id(self.room_id)?;
        rules::user_ids(&self.user_ids)
    }
}

/// Removes up to ten users from a room with a string id (`RemoveUserByStrRoomId`).
///
/// Documented at 20 requests per second, for ap-beijing, ap-guangzhou and ap-singapore. The string room id goes
/// in the field `RoomId`, as the API names it.
///
/// ```
/// use trtc_model::{Action, RemoveUserByStrRoomIdRequest};
///
/// let request = RemoveUserByStrRoomIdRequest::new(1400000001, "abcd", ["test1"]);
/// assert_eq!(
///     serde_json::to_string(&request)?,
///     r#"{"SdkAppId":1400000001,"RoomId":"abcd","UserIds":["test1"]}"#
/// );
/// let eleven: Vec<String> = (0..11).map(|i| format!("user_{i}")).collect();
/// assert!(RemoveUserByStrRoomIdRequest::new(1400000001, "abcd", eleven).validate().is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RemoveUserByStrRoomIdRequest {
    /// The SDKAppId of the TRTC application (`SdkAppId`).
    pub sdk_app_id: u64,
    /// The string room id (`RoomId`): 1 to 64 bytes of letters, digits, space and
    /// [`STR_ROOM_ID_SYMBOLS`](crate::STR_ROOM_ID_SYMBOLS).
    pub room_id: String,
    /// The users to remove (`UserIds`): 1 to [`MAX_USER_IDS`](crate::MAX_USER_IDS), none empty.
    pub user_ids: Vec<String>,
}

impl RemoveUserByStrRoomIdRequest {
    /// A request to remove `user_ids` from the string-id room `room_id` of the application `sdk_app_id`.
    pub fn new<I>(sdk_app_id: u64, room_id: impl Into<String>, user_ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        RemoveUserByStrRoomIdRequest {
            sdk_app_id,
            room_id: room_id.into(),
            user_ids: user_ids.into_iter().map(Into::into).collect(),
        }
    }
}

request_id_response! {
    /// The answer to [`RemoveUserByStrRoomIdRequest`].
    RemoveUserByStrRoomIdResponse
}

impl Action for RemoveUserByStrRoomIdRequest {
    const NAME: &'static str = "RemoveUserByStrRoomId";
    const VERSION: &'static str = TRTC_VERSION;
    const SERVICE: &'static str = TRTC_SERVICE;
    const REGIONS: &'static [Region] = ROOM_REGIONS;
    // As RemoveUser: removing users who are already out leaves them out.
    const IDEMPOTENT: bool = true;
    type Response = RemoveUserByStrRoomIdResponse;

    fn sdk_app_id(&self) -> Option<u64> {
        Some(self.sdk_app_id)
    }

    fn validate(&self) -> Result<(), Error> {
        rules::sdk_app_id(self.sdk_app_id)?;
        rules::str_room_id("RoomId", &self.room_id)?;
        rules::user_ids(&self.user_ids)
    }
}
