//! The userbuf of a PrivateMapKey: the room, the privileges and their expiry, in a fixed big-endian layout.
//!
//! ```text
//! u8  version        0 numeric room, 1 string room
//! u16 account length
//!     account        the user id, UTF-8
//! u32 sdkappid
//! u32 room id        0 for a string room
//! u32 expiry         absolute: time + expire, low 32 bits
//! u32 privilege map
//! u32 account type   0
//! version 1 only:
//! u16 room length
//!     room           the string room id
//! ```

use crate::{Privileges, Room};

/// The decoded fields of a userbuf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserBuf {
    pub(crate) account: String,
    pub(crate) sdk_app_id: u32,
    pub(crate) room: Room,
    pub(crate) expires_at: u32,
    pub(crate) privileges: Privileges,
    pub(crate) account_type: u32,
}

/// Writes a userbuf. The account and string room have been checked to fit their u16 lengths.
pub(crate) fn encode(
    account: &str,
    sdk_app_id: u32,
    room: &Room,
    expires_at: u32,
    privileges: Privileges,
    account_type: u32,
) -> Vec<u8> {
    let (version, room_id, room_str) = match room {
        Room::Numeric(id) => (0u8, *id, None),
        Room::Str(id) => (1u8, 0, Some(id.as_bytes())),
    };
    let mut out = Vec::with_capacity(3 + account.len() + 20 + room_str.map_or(0, |r| 2 + r.len()));
    out.push(version);
    out.extend_from_slice(&len16(account.len()).to_be_bytes());
    out.extend_from_slice(account.as_bytes());
    for word in [sdk_app_id, room_id, expires_at, privileges.bits(), account_type] {
        out.extend_from_slice(&word.to_be_bytes());
    }
    if let Some(room_str) = room_str {
        out.extend_from_slice(&len16(room_str.len()).to_be_bytes());
        out.extend_from_slice(room_str);
    }
    out
}

/// Callers check lengths first (user ids are at most 32 bytes, string rooms at most 64); saturating keeps
/// this total even so.
fn len16(len: usize) -> u16 {
    u16::try_from(len).unwrap_or(u16::MAX)
}

/// Reads a userbuf, or says what is wrong with its layout.
pub(crate) fn decode(bytes: &[u8]) -> Result<UserBuf, String> {
    let mut r = Reader { bytes, at: 0 };
    let version = r.u8()?;
    if version > 1 {
        return Err(format!("version {version} is unknown (0 numeric room, 1 string room)"));
    }
    let account_len = usize::from(r.u16()?);
    let account =
        String::from_utf8(r.take(account_len)?.to_vec()).map_err(|_| "the account is not UTF-8".to_owned())?;
    let sdk_app_id = r.u32()?;
    let room_id = r.u32()?;
    let expires_at = r.u32()?;
    let privileges = Privileges::from_bits_retain(r.u32()?);
    let account_type = r.u32()?;
    let room = if version == 1 {
        if room_id != 0 {
            return Err(format!(
                "a string-room userbuf has numeric room id {room_id} (must be 0)"
            ));
        }
        let room_len = usize::from(r.u16()?);
        let room = r.take(room_len)?;
        Room::Str(String::from_utf8(room.to_vec()).map_err(|_| "the string room id is not UTF-8".to_owned())?)
    } else {
        Room::Numeric(room_id)
    };
    if r.at != bytes.len() {
        return Err(format!("{} bytes follow the last field", bytes.len() - r.at));
    }
    Ok(UserBuf {
        account,
        sdk_app_id,
        room,
        expires_at,
        privileges,
        account_type,
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| {
                format!(
                    "ends after {} bytes, inside a field of {n} bytes at offset {}",
                    self.bytes.len(),
                    self.at
                )
            })?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_both_kinds() {
        for room in [Room::Numeric(1234), Room::Str("lobby".to_owned())] {
            let bytes = encode("alice", 1400000000, &room, 1_700_086_400, Privileges::ALL, 0);
            let back = decode(&bytes).unwrap();
            assert_eq!(back.account, "alice");
            assert_eq!(back.room, room);
            assert_eq!(back.expires_at, 1_700_086_400);
            assert_eq!(back.privileges, Privileges::ALL);
        }
    }

    #[test]
    fn numeric_layout_is_big_endian() {
        let bytes = encode(
            "ab",
            0x01020304,
            &Room::Numeric(0x05060708),
            0x090a0b0c,
            Privileges::ENTER,
            0,
        );
        assert_eq!(
            bytes,
            [0, 0, 2, b'a', b'b', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 2, 0, 0, 0, 0]
        );
    }

    #[test]
    fn truncated_and_padded_userbufs_are_refused() {
        let bytes = encode("alice", 1, &Room::Str("r".to_owned()), 2, Privileges::ALL, 0);
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n]).is_err(), "accepted {n} of {} bytes", bytes.len());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
    }
}
