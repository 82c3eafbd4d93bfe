//! `Mute`: the `IsMute` member of `SetUserBlocked` and `SetUserBlockedByStrRoomId`, an integer on the wire.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

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
