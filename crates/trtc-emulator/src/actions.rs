//! The room-management actions of TRTC 2019-07-22, applied to the room state, with the error codes the
//! official SDKs list for each (`tencentcloud-sdk-go` `trtc/v20190722/client.go`).
//!
//! Every action checks its parameters in the same order: `SdkAppId` (present, an unsigned integer, owned by
//! the caller), then the room id (present, of the right type, in range), then what the action itself needs.

use crate::config::CredentialEntry;
use crate::params::{Codes, Params};
use crate::reply::Failure;
use crate::state::{Block, Missing, Rooms};
use crate::RoomId;

/// The API version the emulator serves.
pub(crate) const VERSION: &str = "2019-07-22";

/// The regions every room-management action is documented for ("This API only supports: ap-beijing,
/// ap-guangzhou, ap-singapore").
const ROOM_REGIONS: &[&str] = &["ap-beijing", "ap-guangzhou", "ap-singapore"];

/// The most users one `RemoveUser` call may name ("List of up to 10 users").
const MAX_USER_IDS: usize = 10;

/// The longest string room id TRTC accepts, in bytes.
const MAX_STR_ROOM_ID_BYTES: usize = 64;

/// The largest numeric room id TRTC clients can enter.
const MAX_ROOM_ID: u64 = 4_294_967_295;

/// What an action does in the caller's application and room, both already checked.
type Op = fn(u64, RoomId, &Params, &mut Rooms) -> Result<(), Failure>;

/// One action: its name, the regions it is offered in, its parameters, where its room id is and what it does.
pub(crate) struct ActionSpec {
    /// The `X-TC-Action` value.
    pub(crate) name: &'static str,
    /// The regions the action is offered in.
    pub(crate) regions: &'static [&'static str],
    /// Every parameter the action takes; any other is answered `UnknownParameter`.
    params: &'static [&'static str],
    /// Where the room id is and how it is checked.
    room: RoomParam,
    /// What the action does once the application and the room are checked.
    op: Op,
}

/// Where an action's room id is, whether it is a string, and the code that answers one out of range.
#[derive(Clone, Copy)]
struct RoomParam {
    /// The parameter's name.
    field: &'static str,
    /// Whether the room id is a string (else a number).
    str_room: bool,
    /// The code answering a room id out of range.
    value_code: &'static str,
}

/// A numeric `RoomId` from 1 to `MAX_ROOM_ID`.
const NUMERIC_ROOM_ID: RoomParam = RoomParam {
    field: "RoomId",
    str_room: false,
    value_code: "InvalidParameterValue.RoomId",
};

/// A string `RoomId` of 1 to `MAX_STR_ROOM_ID_BYTES` bytes.
const STRING_ROOM_ID: RoomParam = RoomParam {
    field: "RoomId",
    str_room: true,
    value_code: "InvalidParameterValue.RoomId",
};

/// A string `StrRoomId` of 1 to `MAX_STR_ROOM_ID_BYTES` bytes. Its action's documented codes have no
/// `InvalidParameterValue.RoomId`.
const STR_ROOM_ID: RoomParam = RoomParam {
    field: "StrRoomId",
    str_room: true,
    value_code: "InvalidParameter.RoomId",
};

/// Every action served.
const ACTIONS: &[ActionSpec] = &[
    ActionSpec::room_action("DismissRoom", NUMERIC_ROOM_ID, &["SdkAppId", "RoomId"], dismiss),
    ActionSpec::room_action(
        "DismissRoomByStrRoomId",
        STRING_ROOM_ID,
        &["SdkAppId", "RoomId"],
        dismiss,
    ),
    ActionSpec::room_action(
        "RemoveUser",
        NUMERIC_ROOM_ID,
        &["SdkAppId", "RoomId", "UserIds"],
        remove_users,
    ),
    ActionSpec::room_action(
        "RemoveUserByStrRoomId",
        STRING_ROOM_ID,
        &["SdkAppId", "RoomId", "UserIds"],
        remove_users,
    ),
    ActionSpec::room_action(
        "SetUserBlocked",
        NUMERIC_ROOM_ID,
        &["SdkAppId", "RoomId", "UserId", "IsMute"],
        set_block,
    ),
    ActionSpec::room_action(
        "SetUserBlockedByStrRoomId",
        STR_ROOM_ID,
        &["SdkAppId", "StrRoomId", "UserId", "IsMute"],
        set_block,
    ),
];

/// The actions served, by name.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    ACTIONS.iter().map(|a| a.name)
}

/// The action called `name`, if it is served.
pub(crate) fn find(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|a| a.name == name)
}

impl ActionSpec {
    /// A room-management action, offered in `ROOM_REGIONS`, taking exactly `params`.
    const fn room_action(name: &'static str, room: RoomParam, params: &'static [&'static str], op: Op) -> ActionSpec {
        ActionSpec {
            name,
            regions: ROOM_REGIONS,
            params,
            room,
            op,
        }
    }

    /// Runs the action for the caller `entry`, returning nothing on success.
    pub(crate) fn run(&self, params: &Params, entry: &CredentialEntry, rooms: &mut Rooms) -> Result<(), Failure> {
        self.known_params(params)?;
        let sdk_app_id = owned_app(params, entry)?;
        let room = self.room.read(params)?;
        (self.op)(sdk_app_id, room, params, rooms)
    }

    /// The room the request names, for the journal; `None` when absent or malformed.
    pub(crate) fn peek_room(&self, params: &Params) -> Option<RoomId> {
        self.room.peek(params)
    }

    /// Nothing when every parameter sent is one the action takes (the service answers `UnknownParameter`
    /// for any other, rather than ignoring a misspelt one).
    fn known_params(&self, params: &Params) -> Result<(), Failure> {
        match params.names().find(|name| !self.params.contains(name)) {
            None => Ok(()),
            Some(unknown) => Err(Failure::new(
                "UnknownParameter",
                format!(
                    "The parameter `{unknown}` is not defined for {}: it takes {}.",
                    self.name,
                    self.params.join(", ")
                ),
            )),
        }
    }
}

impl RoomParam {
    /// The room id, checked: present, of the right type and in range.
    fn read(self, params: &Params) -> Result<RoomId, Failure> {
        if self.str_room {
            string_room(params, self.field, self.value_code)
        } else {
            numeric_room(params, self.field, self.value_code)
        }
    }

    /// The room id without checks, for the journal; `None` when absent or malformed.
    fn peek(self, params: &Params) -> Option<RoomId> {
        if self.str_room {
            params.peek_str(self.field).map(RoomId::from)
        } else {
            params.peek_u64(self.field).map(RoomId::Number)
        }
    }
}

const SDK_APP_ID: Codes = Codes::new("MissingParameter.SdkAppId", "InvalidParameter.SdkAppId");
const ROOM_ID: Codes = Codes::new("MissingParameter.RoomId", "InvalidParameter.RoomId");
const USER_IDS: Codes = Codes::new("MissingParameter.UserIds", "InvalidParameter.UserIds");
const USER_ID: Codes = Codes::new("MissingParameter.UserId", "InvalidParameter.UserId");
const IS_MUTE: Codes = Codes::new("MissingParameter", "InvalidParameter");

/// Nothing when `valid`; else the failure `code` with the message `message` writes.
fn ensure<M: Into<String>>(valid: bool, code: &'static str, message: impl FnOnce() -> M) -> Result<(), Failure> {
    if valid {
        Ok(())
    } else {
        Err(Failure::new(code, message()))
    }
}

/// The application, owned by the caller.
fn owned_app(params: &Params, entry: &CredentialEntry) -> Result<u64, Failure> {
    let sdk_app_id = params.u64("SdkAppId", SDK_APP_ID)?;
    ensure(
        entry.sdk_app_ids.contains(&sdk_app_id),
        "UnauthorizedOperation.SdkAppId",
        || format!("No permission to manipulate SdkAppId {sdk_app_id} with this SecretId."),
    )?;
    Ok(sdk_app_id)
}

/// A numeric room id in TRTC's range; `value_code` answers an out-of-range one.
fn numeric_room(params: &Params, field: &str, value_code: &'static str) -> Result<RoomId, Failure> {
    let room = params.u64(field, ROOM_ID)?;
    ensure((1..=MAX_ROOM_ID).contains(&room), value_code, || {
        format!("The value of parameter `{field}` must be from 1 to {MAX_ROOM_ID} (got {room}).")
    })?;
    Ok(RoomId::Number(room))
}

/// A string room id of 1 to 64 bytes; `value_code` answers an empty or too long one.
fn string_room(params: &Params, field: &str, value_code: &'static str) -> Result<RoomId, Failure> {
    let room = params.string(field, ROOM_ID)?;
    ensure((1..=MAX_STR_ROOM_ID_BYTES).contains(&room.len()), value_code, || {
        format!(
            "The value of parameter `{field}` must be 1 to {MAX_STR_ROOM_ID_BYTES} bytes (got {}).",
            room.len()
        )
    })?;
    Ok(RoomId::Str(room))
}

/// `UserIds`: a list of 1 to `MAX_USER_IDS` user ids, none of them empty.
fn user_ids(params: &Params) -> Result<Vec<String>, Failure> {
    let users = params.strings("UserIds", USER_IDS)?;
    ensure((1..=MAX_USER_IDS).contains(&users.len()), USER_IDS.invalid, || {
        format!(
            "The parameter `UserIds` must list 1 to {MAX_USER_IDS} users (got {}).",
            users.len()
        )
    })?;
    ensure(!users.iter().any(String::is_empty), USER_IDS.invalid, || {
        "The parameter `UserIds` must not contain an empty user id."
    })?;
    Ok(users)
}

/// `UserId`: a user id, not empty.
fn user_id(params: &Params) -> Result<String, Failure> {
    let user = params.string("UserId", USER_ID)?;
    ensure(!user.is_empty(), USER_ID.invalid, || {
        "The parameter `UserId` must not be empty."
    })?;
    Ok(user)
}

/// `IsMute`: what to block, 0 to 3.
fn is_mute(params: &Params) -> Result<Block, Failure> {
    let is_mute = params.u64("IsMute", IS_MUTE)?;
    Block::from_is_mute(is_mute).ok_or_else(|| {
        Failure::new(
            IS_MUTE.invalid,
            format!("The value of parameter `IsMute` must be 0, 1, 2 or 3 (got {is_mute})."),
        )
    })
}

/// The answer to a request naming a room that is not there.
fn room_not_exist(room: &RoomId) -> Failure {
    Failure::new(
        "FailedOperation.RoomNotExist",
        format!("The room {room} does not exist."),
    )
}

/// `DismissRoom` and `DismissRoomByStrRoomId`: the room is removed with its users.
fn dismiss(sdk_app_id: u64, room: RoomId, _params: &Params, rooms: &mut Rooms) -> Result<(), Failure> {
    if rooms.dismiss(sdk_app_id, &room) {
        Ok(())
    } else {
        Err(room_not_exist(&room))
    }
}

/// `RemoveUser` and `RemoveUserByStrRoomId`: the users named in `UserIds` leave the room.
fn remove_users(sdk_app_id: u64, room: RoomId, params: &Params, rooms: &mut Rooms) -> Result<(), Failure> {
    let users = user_ids(params)?;
    rooms
        .remove_users(sdk_app_id, &room, &users)
        .map_err(|_| room_not_exist(&room))
}

/// `SetUserBlocked` and `SetUserBlockedByStrRoomId`: the user's audio and video are blocked or unblocked as
/// `IsMute` says.
fn set_block(sdk_app_id: u64, room: RoomId, params: &Params, rooms: &mut Rooms) -> Result<(), Failure> {
    let user = user_id(params)?;
    let state = is_mute(params)?;
    match rooms.set_block(sdk_app_id, &room, &user, state) {
        Ok(()) => Ok(()),
        Err(Missing::Room) => Err(room_not_exist(&room)),
        Err(Missing::User) => Err(Failure::new(
            "FailedOperation.UserNotExist",
            format!("The user {user:?} is not in the room {room}."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code an action can answer is one the official SDK lists for it, or a common API 3.0 code.
    #[test]
    fn codes_are_documented_for_their_action() {
        let documented: &[(&str, &[&str])] = &[
            (
                "DismissRoom",
                &[
                    "FailedOperation.RoomNotExist",
                    "InvalidParameter.RoomId",
                    "InvalidParameter.SdkAppId",
                    "InvalidParameterValue.RoomId",
                    "MissingParameter.RoomId",
                    "MissingParameter.SdkAppId",
                    "UnauthorizedOperation.SdkAppId",
                ],
            ),
            (
                "DismissRoomByStrRoomId",
                &[
                    "FailedOperation.RoomNotExist",
                    "InvalidParameter.RoomId",
                    "InvalidParameter.SdkAppId",
                    "InvalidParameterValue.RoomId",
                    "MissingParameter.RoomId",
                    "MissingParameter.SdkAppId",
                    "UnauthorizedOperation.SdkAppId",
                ],
            ),
            (
                "RemoveUser",
                &[
                    "FailedOperation.RoomNotExist",
                    "InvalidParameter.RoomId",
                    "InvalidParameter.SdkAppId",
                    "InvalidParameter.UserIds",
                    "InvalidParameterValue.RoomId",
                    "MissingParameter.RoomId",
                    "MissingParameter.SdkAppId",
                    "MissingParameter.UserIds",
                    "UnauthorizedOperation.SdkAppId",
                ],
            ),
            (
                "RemoveUserByStrRoomId",
                &[
                    "FailedOperation.RoomNotExist",
                    "InvalidParameter.RoomId",
                    "InvalidParameter.SdkAppId",
                    "InvalidParameter.UserIds",
                    "InvalidParameterValue.RoomId",
                    "MissingParameter.RoomId",
                    "MissingParameter.SdkAppId",
                    "MissingParameter.UserIds",
                    "UnauthorizedOperation.SdkAppId",
                ],
            ),
            (
                "SetUserBlocked",
                &[
                    "FailedOperation.RoomNotExist",
                    "FailedOperation.UserNotExist",
                    "InvalidParameter",
                    "InvalidParameter.RoomId",
                    "InvalidParameter.SdkAppId",
                    "InvalidParameter.UserId",
                    "InvalidParameterValue.RoomId",
                    "MissingParameter.RoomId",
                    "MissingParameter.SdkAppId",
                    "UnauthorizedOperation.SdkAppId",
                    "MissingParameter",
                    "MissingParameter.UserId",
                ],
            ),
            (
                "SetUserBlockedByStrRoomId",
                &[
                    "FailedOperation.RoomNotExist",
                    "FailedOperation.UserNotExist",
                    "InvalidParameter",
                    "InvalidParameter.RoomId",
                    "InvalidParameter.SdkAppId",
                    "InvalidParameter.UserId",
                    "MissingParameter",
                    "MissingParameter.RoomId",
                    "MissingParameter.SdkAppId",
                    "MissingParameter.UserId",
                    "UnauthorizedOperation.SdkAppId",
                ],
            ),
        ];
        let entry = CredentialEntry::new("AKID", "key", [1]);
        let bodies = [
            "{}",
            r#"{"SdkAppId":"x"}"#,
            r#"{"SdkAppId":2}"#,
            r#"{"SdkAppId":1}"#,
            r#"{"SdkAppId":1,"RoomId":0,"StrRoomId":""}"#,
            r#"{"SdkAppId":1,"RoomId":true,"StrRoomId":true}"#,
            r#"{"SdkAppId":1,"RoomId":5,"StrRoomId":"r"}"#,
            r#"{"SdkAppId":1,"RoomId":"r","StrRoomId":"r"}"#,
            r#"{"SdkAppId":1,"RoomId":5,"StrRoomId":"r","UserIds":[]}"#,
            r#"{"SdkAppId":1,"RoomId":5,"StrRoomId":"r","UserIds":["a"],"UserId":"a"}"#,
            r#"{"SdkAppId":1,"RoomId":5,"StrRoomId":"r","UserId":"a","IsMute":9}"#,
            r#"{"SdkAppId":1,"RoomId":5,"StrRoomId":"r","UserId":"a","IsMute":1}"#,
            r#"{"SdkAppId":1,"RoomId":"r","StrRoomId":"r","UserId":"a","IsMute":1}"#,
        ];
        for (name, codes) in documented {
            let action = find(name).unwrap();
            for body in bodies {
                let mut rooms = Rooms::default();
                rooms.enter(1, RoomId::Number(5), ["z".to_owned()]);
                rooms.enter(1, RoomId::from("r"), ["z".to_owned()]);
                // The bodies serve every action; each gets only the fields it takes (any other would be
                // answered UnknownParameter, a common code rather than one of the action's own).
                let mut fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(body).unwrap();
                fields.retain(|k, _| action.params.contains(&k.as_str()));
                let params = Params::from_json(&serde_json::to_vec(&fields).unwrap()).unwrap();
                if let Err(failure) = action.run(&params, &entry, &mut rooms) {
                    assert!(codes.contains(&failure.code), "{name} {body}: {}", failure.code);
                }
            }
        }
        assert_eq!(names().count(), 6);
    }

    #[test]
    fn a_parameter_the_action_does_not_take_is_unknown() {
        let entry = CredentialEntry::new("AKID", "key", [1]);
        let mut rooms = Rooms::default();
        rooms.enter(1, RoomId::Number(5), ["z".to_owned()]);
        let dismiss = find("DismissRoom").unwrap();
        let run =
            |body: &str, rooms: &mut Rooms| dismiss.run(&Params::from_json(body.as_bytes()).unwrap(), &entry, rooms);

        let failure = run(r#"{"SdkAppId":1,"RoomId":5,"RoomID":5}"#, &mut rooms).unwrap_err();
        assert_eq!(failure.code, "UnknownParameter");
        assert_eq!(
            failure.message,
            "The parameter `RoomID` is not defined for DismissRoom: it takes SdkAppId, RoomId."
        );
        assert!(rooms.exists(1, &RoomId::Number(5)), "nothing done");
        // A field set to null is absent, as the SDKs that send unset fields as null expect.
        assert!(run(r#"{"SdkAppId":1,"RoomId":5,"Extra":null}"#, &mut rooms).is_ok());
        let query = Params::from_query("SdkAppId=1&RoomId=6&UserIds.0=a");
        let failure = dismiss.run(&query, &entry, &mut rooms).unwrap_err();
        assert_eq!(failure.code, "UnknownParameter");
        assert!(failure.message.contains("`UserIds`"), "{}", failure.message);
    }
}
