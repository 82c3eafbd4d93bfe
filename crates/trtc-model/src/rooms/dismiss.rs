//! `DismissRoom` and `DismissRoomByStrRoomId`: remove every user from a room and dismiss it.

use serde::{Deserialize, Serialize};

use super::{request_id_response, rules, ROOM_REGIONS, TRTC_SERVICE, TRTC_VERSION};
use crate::{Action, Error, Region};

/// Dismisses a room with a numeric id, removing every user in it (`DismissRoom`).
///
/// Documented at 20 requests per second, for ap-beijing, ap-guangzhou and ap-singapore. Android, iOS, Windows
/// and macOS clients must run TRTC SDK 6.6 or later.
///
/// ```
/// use trtc_model::{Action, DismissRoomRequest};
///
/// let request = DismissRoomRequest::new(1400000001, 1234);
/// assert_eq!(serde_json::to_string(&request)?, r#"{"SdkAppId":1400000001,"RoomId":1234}"#);
/// assert!(DismissRoomRequest::new(1400000001, 0).validate().is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DismissRoomRequest {
    /// The SDKAppId of the TRTC application (`SdkAppId`).
    pub sdk_app_id: u64,
    /// The numeric room id (`RoomId`).
    pub room_id: u64,
}

impl DismissRoomRequest {
    /// A request to dismiss `room_id` of the application `sdk_app_id`.
    pub fn new(sdk_app_id: u64, room_id: u64) -> Self {
        DismissRoomRequest { sdk_app_id, room_id }
    }
}

request_id_response! {
    /// The answer to [`DismissRoomRequest`].
    DismissRoomResponse
}

impl Action for DismissRoomRequest {
    const NAME: &'static str = "DismissRoom";
    const VERSION: &'static str = TRTC_VERSION;
    const SERVICE: &'static str = TRTC_SERVICE;
    const REGIONS: &'static [Region] = ROOM_REGIONS;
    // A second dismissal changes nothing (it answers FailedOperation.RoomNotExist). Users who entered again in
    // between are removed again, which is what a caller dismissing the room asked for.
    const IDEMPOTENT: bool = true;
    type Response = DismissRoomResponse;

    fn sdk_app_id(&self) -> Option<u64> {
        Some(self.sdk_app_id)
    }

    fn validate(&self) -> Result<(), Error> {
        rules::sdk_app_id(self.sdk_app_id)?;
        rules::room_id(self.room_id)
    }
}

/// Dismisses a room with a string id, removing every user in it (`DismissRoomByStrRoomId`).
///
/// Documented at 20 requests per second, for ap-beijing, ap-guangzhou and ap-singapore. The string room id goes
/// in the field `RoomId`, as the API names it.
///
/// ```
/// use trtc_model::{Action, DismissRoomByStrRoomIdRequest};
///
/// let request = DismissRoomByStrRoomIdRequest::new(1400000001, "abcd");
/// assert_eq!(serde_json::to_string(&request)?, r#"{"SdkAppId":1400000001,"RoomId":"abcd"}"#);
/// assert!(request.validate().is_ok());
/// assert!(DismissRoomByStrRoomIdRequest::new(1400000001, "").validate().is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DismissRoomByStrRoomIdRequest {
    /// The SDKAppId of the TRTC application (`SdkAppId`).
    pub sdk_app_id: u64,
    /// The string room id (`RoomId`): 1 to 64 bytes of letters, digits, space and
    /// [`STR_ROOM_ID_SYMBOLS`](crate::STR_ROOM_ID_SYMBOLS).
    pub room_id: String,
}

impl DismissRoomByStrRoomIdRequest {
    /// A request to dismiss the string-id room `room_id` of the application `sdk_app_id`.
    pub fn new(sdk_app_id: u64, room_id: impl Into<String>) -> Self {
        DismissRoomByStrRoomIdRequest {
            sdk_app_id,
            room_id: room_id.into(),
        }
    }
}

request_id_response! {
    /// The answer to [`DismissRoomByStrRoomIdRequest`].
    DismissRoomByStrRoomIdResponse
}

impl Action for DismissRoomByStrRoomIdRequest {
    const NAME: &'static str = "DismissRoomByStrRoomId";
    const VERSION: &'static str = TRTC_VERSION;
    const SERVICE: &'static str = TRTC_SERVICE;
    const REGIONS: &'static [Region] = ROOM_REGIONS;
    // As DismissRoom: dismissing a dismissed room changes nothing.
    const IDEMPOTENT: bool = true;
    type Response = DismissRoomByStrRoomIdResponse;

    fn sdk_app_id(&self) -> Option<u64> {
        Some(self.sdk_app_id)
    }

    fn validate(&self) -> Result<(), Error> {
        rules::sdk_app_id(self.sdk_app_id)?;
        rules::str_room_id("RoomId", &self.room_id)
    }
}
