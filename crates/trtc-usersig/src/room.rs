//! The room a PrivateMapKey admits to: numeric or string, the two kinds TRTC keeps apart.

use std::fmt;

use crate::Error;

/// The longest string room id the service accepts, in bytes.
pub const MAX_STR_ROOM_ID_BYTES: usize = 64;

/// The largest numeric room id the service accepts (`u32::MAX` is reserved).
pub const MAX_ROOM_ID: u32 = u32::MAX - 1;

/// The 25 punctuation characters a string room id may hold besides letters, digits and space, as TRTC's
/// `TRTCParams.strRoomId` documents them.
const STR_ROOM_ID_PUNCTUATION: &[u8] = b"!#$%&()+-:;<=.>?@[]^_{}|~,";

/// A TRTC room: numeric (`roomId`) or string (`strRoomId`). The number 123 and the string `"123"` are two
/// different rooms.
///
/// [`Room::numeric`] and [`Room::string`] check the value as the service does before anything is minted for
/// it; a room decoded from a received PrivateMapKey is kept as it was written.
///
/// ```
/// use trtc_usersig::Room;
///
/// assert_eq!(Room::numeric(1234)?, Room::Numeric(1234));
/// assert_eq!(Room::string("lobby-1")?.to_string(), "\"lobby-1\"");
/// assert!(Room::numeric(0).is_err());
/// assert!(Room::string("a/b").is_err());
/// # Ok::<(), trtc_usersig::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Room {
    /// A numeric room id, 1 to 4294967294.
    Numeric(u32),
    /// A string room id: 1 to 64 bytes of letters, digits, space and `!#$%&()+-:;<=.>?@[]^_{}|~,`.
    Str(String),
}

impl Room {
    /// A numeric room, checked: 1 to [`MAX_ROOM_ID`].
    pub fn numeric(id: u32) -> Result<Room, Error> {
        let room = Room::Numeric(id);
        room.check()?;
        Ok(room)
    }

    /// A string room, checked: 1 to [`MAX_STR_ROOM_ID_BYTES`] bytes of the 89 characters TRTC allows
    /// (letters, digits, space and `!#$%&()+-:;<=.>?@[]^_{}|~,`).
    pub fn string(id: impl Into<String>) -> Result<Room, Error> {
        let room = Room::Str(id.into());
        room.check()?;
        Ok(room)
    }

    /// Checks the room as the service would before minting for it.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match self {
            Room::Numeric(id) => {
                if *id == 0 || *id > MAX_ROOM_ID {
                    return Err(Error::input(
                        "room_id",
                        format!("must be between 1 and {MAX_ROOM_ID} (got {id})"),
                    ));
                }
            }
            Room::Str(id) => {
                if id.is_empty() {
                    return Err(Error::input("str_room_id", "is empty: give the string room id"));
                }
                if id.len() > MAX_STR_ROOM_ID_BYTES {
                    return Err(Error::input(
                        "str_room_id",
                        format!("must be at most {MAX_STR_ROOM_ID_BYTES} bytes (got {})", id.len()),
                    ));
                }
                let allowed = |c: char| {
                    c.is_ascii_alphanumeric()
                        || c == ' '
                        || (c.is_ascii() && STR_ROOM_ID_PUNCTUATION.contains(&(c as u8)))
                };
                if let Some(c) = id.chars().find(|&c| !allowed(c)) {
                    return Err(Error::input(
                        "str_room_id",
                        format!(
                            "holds {c:?}, which TRTC does not allow: use letters, digits, space and {}",
                            String::from_utf8_lossy(STR_ROOM_ID_PUNCTUATION)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A numeric room as its number, a string room in double quotes (`"lobby"`), so the two never look alike.
impl fmt::Display for Room {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Room::Numeric(id) => write!(f, "{id}"),
            Room::Str(id) => write!(f, "{id:?}"),
        }
    }
}
