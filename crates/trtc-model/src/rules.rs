//! The member rules the generated `validate()` methods apply before a request is sent: only what the service
//! certainly refuses. `codegen/rules.json` says which member gets which rule; a required string member without
//! one gets [`not_empty`]. Each rule takes the member's name as the API spells it, for the error.
//!
//! Numeric room ids get no upper bound: the client SDK documentation says 1 to 4294967294 in one place and
//! 1 to 4294967295 in another, and the API itself types them as uint64, so the service decides.

use crate::Error;

/// The longest string room id, in bytes (UTF-8), as the TRTC client SDKs document `strRoomId`.
pub const MAX_STR_ROOM_ID_BYTES: usize = 64;

/// The request rate every room-management action is documented for: at most 20 requests per second, counted
/// per action and SdkAppId.
pub const ROOM_RATE_LIMIT_PER_SECOND: u32 = 20;

/// The most users one `RemoveUser` or `RemoveUserByStrRoomId` request may name.
pub const MAX_USER_IDS: usize = 10;

/// The characters a string room id may hold besides ASCII letters and digits: space and 26 punctuation marks,
/// which with the letters and digits make the 89-character set the TRTC client SDKs document for `strRoomId`.
/// No client can enter a room whose id has any other character, so a request naming one is certainly wrong.
pub const STR_ROOM_ID_SYMBOLS: &str = " !#$%&()+-:;<=.>?@[]^_{}|~,";

pub(crate) fn sdk_app_id(field: &'static str, value: &u64) -> Result<(), Error> {
    if *value == 0 {
        return Err(Error::invalid(
            field,
            "must not be 0: use the SDKAppId shown in the TRTC console (e.g. 1400000001)",
        ));
    }
    Ok(())
}

pub(crate) fn room_id(field: &'static str, value: &u64) -> Result<(), Error> {
    if *value == 0 {
        return Err(Error::invalid(
            field,
            "must not be 0: numeric room ids start at 1 (for a string room id use the ...ByStrRoomId action)",
        ));
    }
    Ok(())
}

/// `field` is the name the action gives its string room id: `RoomId` or `StrRoomId`.
pub(crate) fn str_room_id(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid(
            field,
            format!("must not be empty: string room ids are 1 to {MAX_STR_ROOM_ID_BYTES} bytes"),
        ));
    }
    if value.len() > MAX_STR_ROOM_ID_BYTES {
        return Err(Error::invalid(
            field,
            format!(
                "is {} bytes, over the limit of {MAX_STR_ROOM_ID_BYTES}: string room ids are 1 to \
                 {MAX_STR_ROOM_ID_BYTES} bytes",
                value.len()
            ),
        ));
    }
    if let Some((at, c)) = value
        .char_indices()
        .find(|&(_, c)| !c.is_ascii_alphanumeric() && !STR_ROOM_ID_SYMBOLS.contains(c))
    {
        return Err(Error::invalid(
            field,
            format!(
                "{value:?} has {c:?} at byte {at}, which string room ids may not hold: use ASCII letters, digits, \
                 space and {:?}",
                STR_ROOM_ID_SYMBOLS.trim_start()
            ),
        ));
    }
    Ok(())
}

pub(crate) fn user_ids(field: &'static str, values: &[String]) -> Result<(), Error> {
    if values.is_empty() {
        return Err(Error::invalid(field, "must name at least one user"));
    }
    if values.len() > MAX_USER_IDS {
        return Err(Error::invalid(
            field,
            format!(
                "names {} users, over the limit of {MAX_USER_IDS} per request: split them over several requests",
                values.len()
            ),
        ));
    }
    if let Some(at) = values.iter().position(String::is_empty) {
        return Err(Error::invalid(
            field,
            format!("entry {at} is empty: every entry must be a user id"),
        ));
    }
    Ok(())
}

pub(crate) fn user_id(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid(
            field,
            "must not be empty: give the id of the user to block or unblock",
        ));
    }
    Ok(())
}

/// A required string member: the service refuses an empty one as a missing parameter.
// Only the actions behind cargo features have required strings without a rule of their own.
#[cfg_attr(not(feature = "full"), allow(dead_code))]
pub(crate) fn not_empty(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid(
            field,
            "must not be empty: the API requires it (see the member's documentation for what it holds)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_symbol_set_makes_the_documented_89_characters() {
        let symbols: std::collections::BTreeSet<char> = STR_ROOM_ID_SYMBOLS.chars().collect();
        assert_eq!(symbols.len(), STR_ROOM_ID_SYMBOLS.len(), "no symbol twice");
        assert_eq!(26 + 26 + 10 + symbols.len(), 89);
    }

    #[test]
    fn every_allowed_character_passes_and_its_neighbours_fail() {
        let allowed: String = ('\0'..='\u{7f}')
            .filter(|c| c.is_ascii_alphanumeric() || STR_ROOM_ID_SYMBOLS.contains(*c))
            .collect();
        assert_eq!(allowed.len(), 89);
        for chunk in allowed.as_bytes().chunks(MAX_STR_ROOM_ID_BYTES) {
            str_room_id("RoomId", std::str::from_utf8(chunk).unwrap()).unwrap();
        }
        for refused in ['"', '\'', '*', '/', '\\', '`', '\t', '\n', '\u{7f}', 'é', '房'] {
            let err = str_room_id("RoomId", &format!("a{refused}")).unwrap_err();
            assert!(err.to_string().contains("may not hold"), "{err}");
        }
    }
}
