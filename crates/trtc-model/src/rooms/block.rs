//! `SetUserBlocked` and `SetUserBlockedByStrRoomId`: disable or enable a user's audio and video. Both are
//! documented on the international site only.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{request_id_response, rules, ROOM_REGIONS, TRTC_SERVICE, TRTC_VERSION};
use crate::{Action, Error, Region};

/// What to disable of a user's media: the `IsMute` field, an integer on the wire.
///
/// ```
/// use trtc_model::Mute;
///
/// assert_eq!(serde_json::to_string(&Mute::AudioOnly)?, "2");
/// assert_eq!(serde_json::from_str::<Mute>("3")?, Mute::VideoOnly);
/// assert!(serde_json::from_str::<Mute>("4").is_err());
/// assert_eq!(Mute::try_from(0).unwrap(), Mute::Off);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mute {
    /// `0`: enable audio and video (unblock the user).
    Off,
    /// `1`: disable audio and video.
    AudioAndVideo,
    /// `2`: disable audio only.
    AudioOnly,
    /// `3`: disable video only.
    VideoOnly,
}

impl Mute {
    /// The documented values, in order.
    pub const ALL: [Mute; 4] = [Mute::Off, Mute::AudioAndVideo, Mute::AudioOnly, Mute::VideoOnly];

    /// The integer sent as `IsMute`.
    pub fn value(self) -> u64 {
        match self {
            Mute::Off => 0,
            Mute::AudioAndVideo => 1,
            Mute::AudioOnly => 2,
            Mute::VideoOnly => 3,
        }
    }
}

impl TryFrom<u64> for Mute {
    type Error = Error;

    fn try_from(value: u64) -> Result<Self, Error> {
        match value {
            0 => Ok(Mute::Off),
            1 => Ok(Mute::AudioAndVideo),
            2 => Ok(Mute::AudioOnly),
            3 => Ok(Mute::VideoOnly),
            other => Err(Error::invalid(
                "IsMute",
                format!(
                    "must be 0 (enable audio and video), 1 (disable both), 2 (disable audio only) or 3 (disable \
                     video only), got {other}"
                ),
            )),
        }
    }
}

impl fmt::Display for Mute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mute::Off => "audio and video enabled",
            Mute::AudioAndVideo => "audio and video disabled",
            Mute::AudioOnly => "audio disabled",
            Mute::VideoOnly => "video disabled",
        })
    }
}

impl Serialize for Mute {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.value())
    }
}

impl<'de> Deserialize<'de> for Mute {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = u64::deserialize(deserializer)?;
        Mute::try_from(value).map_err(serde::de::Error::custom)
    }
}

/// Disables or enables the audio and video of a user in a room with a numeric id (`SetUserBlocked`), as an
/// anchor, room owner or admin blocking or unblocking a user.
///
/// Documented at 20 requests per second, for ap-beijing, ap-guangzhou and ap-singapore (international site).
///
/// ```
/// use trtc_model::{Action, Mute, SetUserBlockedRequest};
///
/// let request = SetUserBlockedRequest::new(1400188366, 10006, "29376", Mute::AudioAndVideo);
/// assert_eq!(
///     serde_json::to_string(&request)?,
///     r#"{"SdkAppId":1400188366,"RoomId":10006,"UserId":"29376","IsMute":1}"#
/// );
/// assert!(request.validate().is_ok());
/// assert!(SetUserBlockedRequest::new(1400188366, 10006, "", Mute::Off).validate().is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SetUserBlockedRequest {
    /// The SDKAppId of the TRTC application (`SdkAppId`).
    pub sdk_app_id: u64,
    /// The numeric room id (`RoomId`).
    pub room_id: u64,
    /// The user to block or unblock (`UserId`), not empty.
    pub user_id: String,
    /// What to disable (`IsMute`).
    pub is_mute: Mute,
}

impl SetUserBlockedRequest {
    /// A request to set what of `user_id`'s media is disabled in `room_id` of the application `sdk_app_id`.
    pub fn new(sdk_app_id: u64, room_id: u64, user_id: impl Into<String>, is_mute: Mute) -> Self {
        SetUserBlockedRequest {
            sdk_app_id,
            room_id,
            user_id: user_id.into(),
            is_mute,
        }
    }
}

request_id_response! {
    /// The answer to [`SetUserBlockedRequest`].
    SetUserBlockedResponse
}

impl Action for SetUserBlockedRequest {
    const NAME: &'static str = "SetUserBlocked";
    const VERSION: &'static str = TRTC_VERSION;
    const SERVICE: &'static str = TRTC_SERVICE;
    const REGIONS: &'static [Region] = ROOM_REGIONS;
    // IsMute sets a state rather than toggling it: sending the same request twice leaves the same state.
    const IDEMPOTENT: bool = true;
    type Response = SetUserBlockedResponse;

    fn sdk_app_id(&self) -> Option<u64> {
        Some(self.sdk_app_id)
    }

    fn validate(&self) -> Result<(), Error> {
        rules::sdk_app_id(self.sdk_app_id)?;
        rules::room_id(self.room_id)?;
        rules::user_id(&self.user_id)
    }
}

/// Disables or enables the audio and video of a user in a room with a string id (`SetUserBlockedByStrRoomId`).
///
/// Documented at 20 requests per second, for ap-beijing, ap-guangzhou and ap-singapore (international site).
/// Unlike the other `...ByStrRoomId` actions, this one names the string room id `StrRoomId`.
///
/// ```
/// use trtc_model::{Action, Mute, SetUserBlockedByStrRoomIdRequest};
///
/// let request = SetUserBlockedByStrRoomIdRequest::new(1400188366, "10006", "29376", Mute::VideoOnly);
/// assert_eq!(
///     serde_json::to_string(&request)?,
///     r#"{"SdkAppId":1400188366,"StrRoomId":"10006","UserId":"29376","IsMute":3}"#
/// );
/// assert!(request.validate().is_ok());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SetUserBlockedByStrRoomIdRequest {
    /// The SDKAppId of the TRTC application (`SdkAppId`).
    pub sdk_app_id: u64,
    /// The string room id (`StrRoomId`): 1 to 64 bytes of letters, digits, space and
    /// [`STR_ROOM_ID_SYMBOLS`](crate::STR_ROOM_ID_SYMBOLS).
    pub str_room_id: String,
    /// The user to block or unblock (`UserId`), not empty.
    pub user_id: String,
    /// What to disable (`IsMute`).
    pub is_mute: Mute,
}

impl SetUserBlockedByStrRoomIdRequest {
    /// A request to set what of `user_id`'s media is disabled in the string-id room `str_room_id` of the
    /// application `sdk_app_id`.
    pub fn new(sdk_app_id: u64, str_room_id: impl Into<String>, user_id: impl Into<String>, is_mute: Mute) -> Self {
        SetUserBlockedByStrRoomIdRequest {
            sdk_app_id,
            str_room_id: str_room_id.into(),
            user_id: user_id.into(),
            is_mute,
        }
    }
}

request_id_response! {
    /// The answer to [`SetUserBlockedByStrRoomIdRequest`].
    SetUserBlockedByStrRoomIdResponse
}

impl Action for SetUserBlockedByStrRoomIdRequest {
    const NAME: &'static str = "SetUserBlockedByStrRoomId";
    const VERSION: &'static str = TRTC_VERSION;
    const SERVICE: &'static str = TRTC_SERVICE;
    const REGIONS: &'static [Region] = ROOM_REGIONS;
    // As SetUserBlocked: IsMute sets a state, so a repeat leaves the same state.
    const IDEMPOTENT: bool = true;
    type Response = SetUserBlockedByStrRoomIdResponse;

    fn sdk_app_id(&self) -> Option<u64> {
        Some(self.sdk_app_id)
    }

    fn validate(&self) -> Result<(), Error> {
        rules::sdk_app_id(self.sdk_app_id)?;
        rules::str_room_id("StrRoomId", &self.str_room_id)?;
        rules::user_id(&self.user_id)
    }
}
