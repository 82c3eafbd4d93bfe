//! A room id, numeric or string: the two namespaces of TRTC rooms.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A room id: numeric (`DismissRoom`, `RemoveUser`, `SetUserBlocked`) or string (the `...ByStrRoomId`
/// actions). In JSON (config file, admin API, journal) a number is a numeric room and a string a string room.
///
/// ```
/// use trtc_emulator::RoomId;
///
/// assert_eq!(RoomId::from(1234), RoomId::Number(1234));
/// assert_eq!(RoomId::from("abcd"), RoomId::Str("abcd".into()));
/// assert_ne!(RoomId::from(1234), RoomId::from("1234"));
/// assert_eq!(RoomId::from("abcd").to_string(), "\"abcd\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RoomId {
    /// A numeric room id (TRTC `RoomId` of type integer).
    Number(u64),
    /// A string room id (TRTC `StrRoomId`, or `RoomId` of type string).
    Str(String),
}

impl From<u64> for RoomId {
    fn from(id: u64) -> Self {
        RoomId::Number(id)
    }
}

impl From<&str> for RoomId {
    fn from(id: &str) -> Self {
        RoomId::Str(id.to_owned())
    }
}

impl From<String> for RoomId {
    fn from(id: String) -> Self {
        RoomId::Str(id)
    }
}

impl fmt::Display for RoomId {
    /// A number as digits, a string in double quotes, so the two kinds never read alike.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoomId::Number(n) => write!(f, "{n}"),
            RoomId::Str(s) => write!(f, "{s:?}"),
        }
    }
}
