//! The room-management actions of TRTC 2019-07-22, applied to the room state, with the error codes the
//! official SDKs list for each (`tencentcloud-sdk-go` `trtc/v20190722/client.go`).

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

/// One action: its name, the regions it is offered in and what it does.
pub(crate) struct ActionSpec {
    pub(crate) name: &'static str,
    pub(crate) regions: &'static [&'static str],
    /// Where the room id is (`RoomId`, or `StrRoomId`) and whether it is a string.
    room_field: &'static str,
    str_room: bool,
    run: fn(&Params, &CredentialEntry, &mut Rooms) -> Result<(), Failure>,
}

const ACTIONS: &[ActionSpec] = &[
    ActionSpec {
        name: "DismissRoom",
        regions: ROOM_REGIONS,
        room_field: "RoomId",
        str_room: false,
        run: dismiss_room,
    },
    ActionSpec {
        name: "DismissRoomByStrRoomId",
        regions: ROOM_REGIONS,
        room_field: "RoomId",
        str_room: true,
        run: dismiss_room_by_str_room_id,
    },
    ActionSpec {
        name: "RemoveUser",
        regions: ROOM_REGIONS,
        room_field: "RoomId",
        str_room: false,
        run: remove_user,
    },
    ActionSpec {
        name: "RemoveUserByStrRoomId",
        regions: ROOM_REGIONS,
        room_field: "RoomId",
        str_room: true,
        run: remove_user_by_str_room_id,
    },
    ActionSpec {
        name: "SetUserBlocked",
        regions: ROOM_REGIONS,
        room_field: "RoomId",
        str_room: false,
        run: set_user_blocked,
    },
    ActionSpec {
        name: "SetUserBlockedByStrRoomId",
        regions: ROOM_REGIONS,
        room_field: "StrRoomId",
        str_room: true,
        run: set_user_blocked_by_str_room_id,
    },
];

/// The actions served, by name.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    ACTIONS.iter().map(|a| a.name)
}

pub(crate) fn find(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|a| a.name == name)
}

impl ActionSpec {
    /// Runs the action for the caller `entry`, returning nothing on success.
    pub(crate) fn run(&self, params: &Params, entry: &CredentialEntry, rooms: &mut Rooms) -> Result<(), Failure> {
        (self.run)(params, entry, rooms)
    }

    /// The room the request names, for the journal; `None` when absent or malformed.
    pub(crate) fn peek_room(&self, params: &Params) -> Option<RoomId> {
        if self.str_room {
            params.peek_str(self.room_field).map(RoomId::from)
        } else {
            params.peek_u64(self.room_field).map(RoomId::Number)
        }
    }
}

const SDK_APP_ID: Codes = Codes {
    missing: "MissingParameter.SdkAppId",
    invalid: "InvalidParameter.SdkAppId",
};
const ROOM_ID: Codes = Codes {
    missing: "MissingParameter.RoomId",
    invalid: "InvalidParameter.RoomId",
};
const USER_IDS: Codes = Codes {
    missing: "MissingParameter.UserIds",
    invalid: "InvalidParameter.UserIds",
};
const USER_ID: Codes = Codes {
    missing: "MissingParameter.UserId",
    invalid: "InvalidParameter.UserId",
};
const IS_MUTE: Codes = Codes {
    missing: "MissingParameter",
    invalid: "InvalidParameter",
};

/// The application, owned by the caller.
fn owned_app(params: &Params, entry: &CredentialEntry) -> Result<u64, Failure> {
    let sdk_app_id = params.u64("SdkAppId", SDK_APP_ID)?;
    if !entry.sdk_app_ids.contains(&sdk_app_id) {
        return Err(Failure::new(
            "UnauthorizedOperation.SdkAppId",
            format!("No permission to manipulate SdkAppId {sdk_app_id} with this SecretId."),
        ));
    }
    Ok(sdk_app_id)
}

/// A numeric room id in TRTC's range; `value_code` answers an out-of-range one.
fn numeric_room(params: &Params, value_code: &'static str) -> Result<RoomId, Failure> {
    let room = params.u64("RoomId", ROOM_ID)?;
    if room == 0 || room > MAX_ROOM_ID {
        return Err(Failure::new(
            value_code,
            format!("The value of parameter `RoomId` must be from 1 to {MAX_ROOM_ID} (got {room})."),
        ));
    }
    Ok(RoomId::Number(room))
}

/// A string room id of 1 to 64 bytes; `value_code` answers an empty or too long one.
fn string_room(params: &Params, field: &str, value_code: &'static str) -> Result<RoomId, Failure> {
    let room = params.string(field, ROOM_ID)?;
    if room.is_empty() || room.len() > MAX_STR_ROOM_ID_BYTES {
        return Err(Failure::new(
            value_code,
            format!(
                "The value of parameter `{field}` must be 1 to {MAX_STR_ROOM_ID_BYTES} bytes (got {}).",
                room.len()
            ),
        ));
    }
    Ok(RoomId::Str(room))
}

fn user_ids(params: &Params) -> Result<Vec<String>, Failure> {
    let users = params.strings("UserIds", USER_IDS)?;
    if users.is_empty() || users.len() > MAX_USER_IDS {
        return Err(Failure::new(
            USER_IDS.invalid,
            format!(
                "The parameter `UserIds` must list 1 to {MAX_USER_IDS} users (got {}).",
                users.len()
            ),
        ));
    }
    if users.iter().any(String::is_empty) {
        return Err(Failure::new(
            USER_IDS.invalid,
            "The parameter `UserIds` must not contain an empty user id.",
        ));
    }
    Ok(users)
}

fn room_not_exist(room: &RoomId) -> Failure {
    Failure::new(
        "FailedOperation.RoomNotExist",
        format!("The room {room} does not exist."),
    )
}

fn dismiss(sdk_app_id: u64, room: RoomId, rooms: &mut Rooms) -> Result<(), Failure> {
    if rooms.dismiss(sdk_app_id, &room) {
        Ok(())
    } else {
        Err(room_not_exist(&room))
    }
}

fn dismiss_room(params: &Params, entry: &CredentialEntry, rooms: &mut Rooms) -> Result<(), Failure> {
    let sdk_app_id = owned_app(params, entry)?;
    let room = numeric_room(params, "InvalidParameterValue.RoomId")?;
    dismiss(sdk_app_id, room, rooms)
}

fn dismiss_room_by_str_room_id(params: &Params, entry: &CredentialEntry, rooms: &mut Rooms) -> Result<(), Failure> {
    let sdk_app_id = owned_app(params, entry)?;
    let room = string_room(params, "RoomId", "InvalidParameterValue.RoomId")?;
    dismiss(sdk_app_id, room, rooms)
}

fn remove(sdk_app_id: u64, room: RoomId, users: &[String], rooms: &mut Rooms) -> Result<(), Failure> {
    rooms
        .remove_users(sdk_app_id, &room, users)
        .map_err(|_| room_not_exist(&room))
}

fn remove_user(params: &Params, entry: &CredentialEntry, rooms: &mut Rooms) -> Result<(), Failure> {
    let sdk_app_id = owned_app(params, entry)?;
    let room = numeric_room(params, "InvalidParameterValue.RoomId")?;
    let users = user_ids(params)?;
    remove(sdk_app_id, room, &users, rooms)
}

fn remove_user_by_str_room_id(params: &Params, entry: &CredentialEntry, rooms: &mut Rooms) -> Result<(), Failure> {
    let sdk_app_id = owned_app(params, entry)?;
    let room = string_room(params, "RoomId", "InvalidParameterValue.RoomId")?;
    let users = user_ids(params)?;
    remove(sdk_app_id, room, &users, rooms)
}

fn block(sdk_app_id: u64, room: RoomId, params: &Params, rooms: &mut Rooms) -> Result<(), Failure> {
    let user = params.string("UserId", USER_ID)?;
    if user.is_empty() {
        return Err(Failure::new(
            USER_ID.invalid,
            "The parameter `UserId` must not be empty.",
        ));
    }
    let is_mute = params.u64("IsMute", IS_MUTE)?;
    let Some(state) = Block::from_is_mute(is_mute) else {
        return Err(Failure::new(
            IS_MUTE.invalid,
            format!("The value of parameter `IsMute` must be 0, 1, 2 or 3 (got {is_mute})."),
        ));
    };
    match rooms.set_block(sdk_app_id, &room, &user, state) {
        Ok(()) => Ok(()),
        Err(Missing::Room) => Err(room_not_exist(&room)),
        Err(Missing::User) => Err(Failure::new(
            "FailedOperation.UserNotExist",
            format!("The user {user:?} is not in the room {room}."),
        )),
    }
}

fn set_user_blocked(params: &Params, entry: &CredentialEntry, rooms: &mut Rooms) -> Result<(), Failure> {
    let sdk_app_id = owned_app(params, entry)?;
    let room = numeric_room(params, "InvalidParameterValue.RoomId")?;
    block(sdk_app_id, room, params, rooms)
}

fn set_user_blocked_by_str_room_id(params: &Params, entry: &CredentialEntry, rooms: &mut Rooms) -> Result<(), Failure> {
    let sdk_app_id = owned_app(params, entry)?;
    // This action's documented codes have no InvalidParameterValue.RoomId.
    let room = string_room(params, "StrRoomId", "InvalidParameter.RoomId")?;
    block(sdk_app_id, room, params, rooms)
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
                if let Err(failure) = action.run(&Params::from_json(body.as_bytes()).unwrap(), &entry, &mut rooms) {
                    assert!(codes.contains(&failure.code), "{name} {body}: {}", failure.code);
                }
            }
        }
        assert_eq!(names().count(), 6);
    }
}
