//! The actions the emulator serves, as a table: the room-management actions, each with its name and regions
//! (from `trtc-model`), the parameters it takes, where its room id is, and what it does (`room_management`),
//! with the error codes the official SDKs list for each (`tencentcloud-sdk-go` `trtc/v20190722/client.go`);
//! then every other action of both editions, served from its generated request and response (`schema`,
//! `described`): the task actions, whose lifecycle is one table of families (`families`, `lifecycle`), the
//! resources an application keeps (`resources`: vocabularies, pictures, voice prints, cloned voices, speech
//! tasks), and the room, user and usage queries (`statistics`).
//!
//! Every room-management action checks its parameters in the same order: `SdkAppId` (present, an unsigned
//! integer, owned by the caller), then the room id (present, of the right type, in range), then what the
//! action itself needs (`fields`).

use std::sync::OnceLock;

use serde_json::{Map, Value};
use trtc_model::actions::ActionVisitor;
use trtc_model::{
    Action, DismissRoomByStrRoomIdRequest, DismissRoomRequest, ErrorCode, Region, RemoveUserByStrRoomIdRequest,
    RemoveUserRequest, SetUserBlockedByStrRoomIdRequest, SetUserBlockedRequest, TypedAction,
};

use crate::config::CredentialEntry;
use crate::params::Params;
use crate::reply::{Answer, Failure};
use crate::rooms::{RoomId, Rooms};

mod described;
mod families;
mod fields;
mod lifecycle;
mod resources;
mod room_management;
mod schema;
mod speech;
mod statistics;

use fields::{numeric_room, owned_app, string_room};
use room_management::{dismiss, remove_users, set_block};

/// What an action does in the caller's application and room, both already checked.
type Op = fn(u64, RoomId, &Params, &mut Rooms) -> Result<(), Failure>;

/// One action: its name, the regions it is offered in, and how it is served.
pub(crate) struct ActionSpec {
    /// The `X-TC-Action` value.
    pub(crate) name: &'static str,
    /// The regions the action is offered in.
    pub(crate) regions: &'static [Region],
    serves: Serves,
}

/// How an action is served.
enum Serves {
    /// A room-management action, with its model type.
    Room {
        /// Every parameter the action takes; any other is answered `UnknownParameter`.
        params: &'static [&'static str],
        /// Where the room id is and how it is checked.
        room: RoomParam,
        /// What the action does once the application and the room are checked.
        op: Op,
    },
    /// An action served from its generated request and response.
    Described(schema::Schema),
}

/// A request its action has read: a room-management action reads its parameters as it runs; any other's
/// are one JSON object, checked against the action's generated members.
#[derive(Debug)]
pub(crate) enum Checked {
    /// Read by the room-management action itself.
    Room,
    /// The request as one checked JSON object.
    Body(Map<String, Value>),
}

/// Where an action's room id is, whether it is a string, and the code that answers one out of range.
struct RoomParam {
    /// The parameter's name.
    field: &'static str,
    /// Whether the room id is a string (else a number).
    str_room: bool,
    /// The code answering a room id out of range.
    value_code: ErrorCode,
}

/// A numeric `RoomId` from 1 to [`fields::MAX_ROOM_ID`].
const NUMERIC_ROOM_ID: RoomParam = RoomParam {
    field: "RoomId",
    str_room: false,
    value_code: ErrorCode::InvalidParameterValueRoomId,
};

/// A string `RoomId` of 1 to [`MAX_STR_ROOM_ID_BYTES`](trtc_model::MAX_STR_ROOM_ID_BYTES) bytes.
const STRING_ROOM_ID: RoomParam = RoomParam {
    field: "RoomId",
    str_room: true,
    value_code: ErrorCode::InvalidParameterValueRoomId,
};

/// A string `StrRoomId` of 1 to [`MAX_STR_ROOM_ID_BYTES`](trtc_model::MAX_STR_ROOM_ID_BYTES) bytes. Its
/// action's documented codes have no `InvalidParameterValue.RoomId`.
const STR_ROOM_ID: RoomParam = RoomParam {
    field: "StrRoomId",
    str_room: true,
    value_code: ErrorCode::InvalidParameterRoomId,
};

/// Every action served.
const ACTIONS: &[ActionSpec] = &[
    ActionSpec::of::<DismissRoomRequest>(NUMERIC_ROOM_ID, &["SdkAppId", "RoomId"], dismiss),
    ActionSpec::of::<DismissRoomByStrRoomIdRequest>(STRING_ROOM_ID, &["SdkAppId", "RoomId"], dismiss),
    ActionSpec::of::<RemoveUserRequest>(NUMERIC_ROOM_ID, &["SdkAppId", "RoomId", "UserIds"], remove_users),
    ActionSpec::of::<RemoveUserByStrRoomIdRequest>(STRING_ROOM_ID, &["SdkAppId", "RoomId", "UserIds"], remove_users),
    ActionSpec::of::<SetUserBlockedRequest>(NUMERIC_ROOM_ID, &["SdkAppId", "RoomId", "UserId", "IsMute"], set_block),
    ActionSpec::of::<SetUserBlockedByStrRoomIdRequest>(
        STR_ROOM_ID,
        &["SdkAppId", "StrRoomId", "UserId", "IsMute"],
        set_block,
    ),
];

/// Every other action of both editions, served from its generated types.
fn described_actions() -> &'static [ActionSpec] {
    static DESCRIBED: OnceLock<Vec<ActionSpec>> = OnceLock::new();
    DESCRIBED.get_or_init(|| {
        trtc_model::actions::ALL
            .iter()
            .filter(|info| !ACTIONS.iter().any(|room| room.name == info.name))
            .filter_map(|info| {
                let schema = schema::Schema::of(info.name)?;
                let regions = trtc_model::actions::visit(info.name, Regions).unwrap_or_default();
                Some(ActionSpec {
                    name: info.name,
                    regions: if regions.is_empty() { Region::KNOWN } else { regions },
                    serves: Serves::Described(schema),
                })
            })
            .collect()
    })
}

/// The regions the documentation lists for an action (none listed: any region the model knows).
struct Regions;

impl ActionVisitor for Regions {
    type Output = &'static [Region];
    fn visit<A: TypedAction>(self) -> &'static [Region] {
        A::REGIONS
    }
}

/// Every action served: the room-management ones first, as the most frequent.
fn all() -> impl Iterator<Item = &'static ActionSpec> {
    ACTIONS.iter().chain(described_actions())
}

/// The actions served, by name.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    all().map(|a| a.name)
}

/// The action called `name`, if it is served.
pub(crate) fn find(name: &str) -> Option<&'static ActionSpec> {
    all().find(|a| a.name == name)
}

impl ActionSpec {
    /// The action the model's request type `A` describes, under its name and in its documented regions,
    /// taking exactly `params`.
    const fn of<A: Action>(room: RoomParam, params: &'static [&'static str], op: Op) -> ActionSpec {
        ActionSpec {
            name: A::NAME,
            regions: A::REGIONS,
            serves: Serves::Room { params, room, op },
        }
    }

    /// Reads the request: for an action served from its generated types, checked against them.
    pub(crate) fn check(&self, params: &Params) -> Result<Checked, Failure> {
        match &self.serves {
            Serves::Room { .. } => Ok(Checked::Room),
            Serves::Described(schema) => schema::check(schema, params).map(Checked::Body),
        }
    }

    /// Runs the action for the caller `entry`, its request read by [`ActionSpec::check`].
    pub(crate) fn run(
        &self,
        params: &Params,
        checked: Checked,
        entry: &CredentialEntry,
        rooms: &mut Rooms,
    ) -> Result<Answer, Failure> {
        match (&self.serves, checked) {
            (
                Serves::Room {
                    params: takes,
                    room,
                    op,
                },
                _,
            ) => {
                self.known_params(takes, params)?;
                let sdk_app_id = owned_app(params, entry)?;
                let room = room.read(params)?;
                op(sdk_app_id, room, params, rooms).map(|()| Answer::Empty)
            }
            (Serves::Described(schema), checked) => {
                let body = match checked {
                    Checked::Body(body) => body,
                    // Not read by `check` first: read now, so no request goes unchecked.
                    Checked::Room => schema::check(schema, params)?,
                };
                described::run(*schema, params, body, entry, rooms)
            }
        }
    }

    /// The room the request names, for the journal; `None` when absent or malformed.
    pub(crate) fn peek_room(&self, params: &Params) -> Option<RoomId> {
        match &self.serves {
            Serves::Room { room, .. } => room.peek(params),
            Serves::Described(_) => described::peek_room(params),
        }
    }

    /// Whether the action takes the parameter `name`.
    #[cfg(test)]
    fn takes(&self, name: &str) -> bool {
        match &self.serves {
            Serves::Room { params, .. } => params.contains(&name),
            Serves::Described(schema) => schema.member(name).is_some(),
        }
    }

    /// Nothing when every parameter sent is one the action takes (the service answers `UnknownParameter`
    /// for any other, rather than ignoring a misspelt one).
    fn known_params(&self, takes: &[&str], params: &Params) -> Result<(), Failure> {
        match params.names().find(|name| !takes.contains(name)) {
            None => Ok(()),
            Some(unknown) => Err(Failure::new(
                ErrorCode::UnknownParameter,
                format!(
                    "The parameter `{unknown}` is not defined for {}: it takes {}.",
                    self.name,
                    takes.join(", ")
                ),
            )),
        }
    }
}

impl RoomParam {
    /// The room id, checked: present, of the right type and in range.
    fn read(&self, params: &Params) -> Result<RoomId, Failure> {
        if self.str_room {
            string_room(params, self.field, &self.value_code)
        } else {
            numeric_room(params, self.field, &self.value_code)
        }
    }

    /// The room id without checks, for the journal; `None` when absent or malformed.
    fn peek(&self, params: &Params) -> Option<RoomId> {
        if self.str_room {
            params.peek_str(self.field).map(RoomId::from)
        } else {
            params.peek_u64(self.field).map(RoomId::Number)
        }
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
                fields.retain(|k, _| action.takes(k));
                let params = Params::from_json(&serde_json::to_vec(&fields).unwrap()).unwrap();
                if let Err(failure) = action.run(&params, Checked::Room, &entry, &mut rooms) {
                    assert!(
                        codes.contains(&failure.code.as_str()),
                        "{name} {body}: {}",
                        failure.code
                    );
                }
            }
        }
        assert_eq!(names().count(), 89, "every action of both editions");
    }

    #[test]
    fn a_parameter_the_action_does_not_take_is_unknown() {
        let entry = CredentialEntry::new("AKID", "key", [1]);
        let mut rooms = Rooms::default();
        rooms.enter(1, RoomId::Number(5), ["z".to_owned()]);
        let dismiss = find("DismissRoom").unwrap();
        let run = |body: &str, rooms: &mut Rooms| {
            dismiss.run(
                &Params::from_json(body.as_bytes()).unwrap(),
                Checked::Room,
                &entry,
                rooms,
            )
        };

        let failure = run(r#"{"SdkAppId":1,"RoomId":5,"RoomID":5}"#, &mut rooms).unwrap_err();
        assert_eq!(failure.code.as_str(), "UnknownParameter");
        assert_eq!(
            failure.message,
            "The parameter `RoomID` is not defined for DismissRoom: it takes SdkAppId, RoomId."
        );
        assert!(rooms.exists(1, &RoomId::Number(5)), "nothing done");
        // A field set to null is absent, as the SDKs that send unset fields as null expect.
        assert!(run(r#"{"SdkAppId":1,"RoomId":5,"Extra":null}"#, &mut rooms).is_ok());
        let query = Params::from_query("SdkAppId=1&RoomId=6&UserIds.0=a");
        let failure = dismiss.run(&query, Checked::Room, &entry, &mut rooms).unwrap_err();
        assert_eq!(failure.code.as_str(), "UnknownParameter");
        assert!(failure.message.contains("`UserIds`"), "{}", failure.message);
    }
}
