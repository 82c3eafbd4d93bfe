//! A client entering a room, as the service admits one: the application's SDK secret key
//! (`sdk_keys.rs`), the UserSig check (and, where the application turns on permission control, the
//! PrivateMapKey's room and `enter` bit), then the user in the room, which is created if needed. Served as
//! `POST /_emulator/enter` and [`Emulator::enter`](crate::Emulator::enter).

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use trtc_usersig::{Privileges, Room};

use crate::rooms::RoomId;
use crate::state::State;

/// What a test asks: that `user_id` enter `room` of `sdk_app_id` with these credentials.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EnterRequest {
    /// The application.
    pub sdk_app_id: u64,
    /// The room: a number, or a string for a string room.
    pub room: RoomId,
    /// The user entering.
    pub user_id: String,
    /// The user's UserSig.
    pub user_sig: String,
    /// The PrivateMapKey, needed when the application has permission control on.
    #[serde(default)]
    pub private_map_key: Option<String>,
}

impl EnterRequest {
    /// A request to enter without a PrivateMapKey.
    pub fn new(
        sdk_app_id: u64,
        room: impl Into<RoomId>,
        user_id: impl Into<String>,
        user_sig: impl Into<String>,
    ) -> EnterRequest {
        EnterRequest {
            sdk_app_id,
            room: room.into(),
            user_id: user_id.into(),
            user_sig: user_sig.into(),
            private_map_key: None,
        }
    }

    /// Adds the PrivateMapKey.
    pub fn with_private_map_key(mut self, key: impl Into<String>) -> EnterRequest {
        self.private_map_key = Some(key.into());
        self
    }
}

/// A user in the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Entered {
    /// Whether the room was created by this entry.
    pub created: bool,
}

/// Why an entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Refused {
    /// `403` for a credential that fails (the service's answer), `400` for a request that cannot be judged:
    /// no key for the application, a room the service does not allow.
    pub status: u16,
    /// The check that failed: a UserSig or PrivateMapKey check (`expired`, `signature`, `identifier`,
    /// `sdk_app_id`, `malformed`, `userbuf`), `room` or `privilege` for a PrivateMapKey that does not admit to
    /// this room, `private_map_key` when one is needed and missing, `no_key` or `bad_room` for a request that
    /// cannot be judged.
    pub check: String,
    /// What is wrong, without any key or string.
    pub error: String,
}

fn refuse(status: u16, check: &str, error: impl Into<String>) -> Refused {
    Refused {
        status,
        check: check.to_owned(),
        error: error.into(),
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The room as trtc-usersig names it; refused when TRTC would not allow it.
fn usersig_room(room: &RoomId) -> Result<Room, Refused> {
    match room {
        RoomId::Number(n) => u32::try_from(*n)
            .map_err(|_| {
                refuse(
                    400,
                    "bad_room",
                    format!("room {n} is past the numeric room ids of TRTC (4294967294)"),
                )
            })
            .and_then(|n| Room::numeric(n).map_err(|e| refuse(400, "bad_room", e.to_string()))),
        RoomId::Str(s) => Room::string(s.as_str()).map_err(|e| refuse(400, "bad_room", e.to_string())),
    }
}

/// Checks the credentials of an entry and puts the user in the room.
pub(crate) fn enter(state: &State, request: EnterRequest) -> Result<Entered, Refused> {
    let room = usersig_room(&request.room)?;
    let (issuer, permission_control) = state.sdk_app_keys().get(request.sdk_app_id).ok_or_else(|| {
        refuse(
            400,
            "no_key",
            format!(
                "application {} has no SDK secret key in this emulator: set one (config file sdk_app_keys, \
                     POST /_emulator/sdk-app-keys, or trtc emulator --sdk-secret-key-file)",
                request.sdk_app_id
            ),
        )
    })?;
    let now = now();
    let rejected = |what: &str, e: trtc_usersig::Error| {
        let check = e.check().map_or("malformed", |c| c.as_str());
        refuse(403, check, format!("{what}: {e}"))
    };
    issuer
        .verify_user_sig(&request.user_id, &request.user_sig, now)
        .map_err(|e| rejected("UserSig", e))?;
    if permission_control {
        let key = request.private_map_key.as_deref().ok_or_else(|| {
            refuse(
                403,
                "private_map_key",
                format!(
                    "application {} has permission control on: add the user's private_map_key for this room",
                    request.sdk_app_id
                ),
            )
        })?;
        let claims = issuer
            .verify_private_map_key(&request.user_id, key, now)
            .map_err(|e| rejected("PrivateMapKey", e))?;
        // verify_private_map_key returns claims with a private map.
        let Some(map) = claims.private_map else {
            return Err(refuse(403, "userbuf", "PrivateMapKey: it has no userbuf"));
        };
        if map.room != room {
            return Err(refuse(
                403,
                "room",
                format!("PrivateMapKey: it admits to room {}, not {room}", map.room),
            ));
        }
        if !map.privileges.contains(Privileges::ENTER) {
            return Err(refuse(
                403,
                "privilege",
                format!(
                    "PrivateMapKey: its privileges ({}) do not include enter",
                    map.privileges
                ),
            ));
        }
    }
    // Entering goes through the state so the application's callbacks (101 for a new room, 103) are sent.
    let created = !state.rooms().exists(request.sdk_app_id, &request.room);
    state.add_users(request.sdk_app_id, request.room, vec![request.user_id]);
    Ok(Entered { created })
}
