//! `DismissRoom`: remove every user from a room with a numeric id and dismiss it.

use serde::{Deserialize, Serialize};

use crate::{Action, Error, Region};

/// The TRTC API version of the room-management actions.
pub const TRTC_VERSION: &str = "2019-07-22";

/// The TRTC service name used in the signature scope.
pub const TRTC_SERVICE: &str = "trtc";

/// Dismisses a room with a numeric id, removing every user in it (`DismissRoom`, at most 20 requests per
/// second, regions ap-beijing, ap-guangzhou, ap-singapore).
///
/// ```
/// use trtc_model::{Action, DismissRoomRequest};
///
/// let request = DismissRoomRequest::new(1400000001, 1234);
/// assert_eq!(serde_json::to_string(&request)?, r#"{"SdkAppId":1400000001,"RoomId":1234}"#);
/// assert!(DismissRoomRequest::new(1400000001, 0).validate().is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DismissRoomRequest {
    /// The SDKAppId of the TRTC application.
    pub sdk_app_id: u64,
    /// The numeric room id.
    pub room_id: u64,
}

impl DismissRoomRequest {
    /// A request to dismiss `room_id` of the application `sdk_app_id`.
    pub fn new(sdk_app_id: u64, room_id: u64) -> Self {
        DismissRoomRequest { sdk_app_id, room_id }
    }
}

/// The answer to [`DismissRoomRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DismissRoomResponse {
    /// The request id the service gave this call.
    pub request_id: String,
}

impl Action for DismissRoomRequest {
    const NAME: &'static str = "DismissRoom";
    const VERSION: &'static str = TRTC_VERSION;
    const SERVICE: &'static str = TRTC_SERVICE;
    const REGIONS: &'static [Region] = &[Region::ApBeijing, Region::ApGuangzhou, Region::ApSingapore];
    // A second dismissal answers FailedOperation.RoomNotExist and changes nothing.
    const IDEMPOTENT: bool = true;
    type Response = DismissRoomResponse;

    fn validate(&self) -> Result<(), Error> {
        if self.sdk_app_id == 0 {
            return Err(Error::invalid(
                "SdkAppId",
                "must not be 0: use the SDKAppId shown in the TRTC console (e.g. 1400000001)",
            ));
        }
        if self.room_id == 0 {
            return Err(Error::invalid("RoomId", "must not be 0: room ids start at 1"));
        }
        Ok(())
    }
}
