//! `RoomId` as the service sends it: a number for numeric rooms, a string for string rooms, even within one
//! application.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A room as a callback names it: `12345` (a numeric room) or `"12345"` (a string room).
///
/// The two are different rooms for TRTC even when their digits agree, so the type keeps which one it was and
/// serializes back to the same JSON type.
///
/// ```
/// use trtc_callback::RoomId;
///
/// let numeric: RoomId = serde_json::from_str("12345")?;
/// let string: RoomId = serde_json::from_str(r#""12345""#)?;
/// assert_eq!(numeric, RoomId::Number(12345));
/// assert!(numeric.is_number() && string.is_string());
/// assert_ne!(numeric, string);
/// assert_eq!(numeric.to_string(), string.to_string());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RoomId {
    /// A numeric room (`RoomId` of `DismissRoom`, `RemoveUser`, ...).
    Number(u64),
    /// A string room (`RoomId` of `DismissRoomByStrRoomId`, ...).
    String(String),
}

impl RoomId {
    /// Whether the service sent a number.
    pub fn is_number(&self) -> bool {
        matches!(self, RoomId::Number(_))
    }

    /// Whether the service sent a string.
    pub fn is_string(&self) -> bool {
        matches!(self, RoomId::String(_))
    }

    /// The number of a numeric room.
    pub fn as_number(&self) -> Option<u64> {
        match self {
            RoomId::Number(n) => Some(*n),
            RoomId::String(_) => None,
        }
    }

    /// The text of a string room.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            RoomId::Number(_) => None,
            RoomId::String(s) => Some(s),
        }
    }
}

impl fmt::Display for RoomId {
    /// The digits or the text, without quotes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoomId::Number(n) => write!(f, "{n}"),
            RoomId::String(s) => f.write_str(s),
        }
    }
}

impl From<u64> for RoomId {
    fn from(n: u64) -> Self {
        RoomId::Number(n)
    }
}

impl From<&str> for RoomId {
    fn from(s: &str) -> Self {
        RoomId::String(s.to_owned())
    }
}

impl From<String> for RoomId {
    fn from(s: String) -> Self {
        RoomId::String(s)
    }
}

impl Serialize for RoomId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RoomId::Number(n) => serializer.serialize_u64(*n),
            RoomId::String(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for RoomId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RoomIdVisitor;

        impl Visitor<'_> for RoomIdVisitor {
            type Value = RoomId;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a room number (a whole number, 0 or more) or a room string")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RoomId, E> {
                Ok(RoomId::Number(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RoomId, E> {
                u64::try_from(v)
                    .map(RoomId::Number)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RoomId, E> {
                Ok(RoomId::String(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<RoomId, E> {
                Ok(RoomId::String(v))
            }
        }

        deserializer.deserialize_any(RoomIdVisitor)
    }
}
