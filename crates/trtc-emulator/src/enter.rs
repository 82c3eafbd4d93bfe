//! A client entering a room, as the service admits one: the application's SDK secret key, the UserSig check
//! (and, where the application turns on permission control, the PrivateMapKey's room and `enter` bit), then
//! the user in the room, which is created if needed. Served as `POST /_emulator/enter`, with the keys set by
//! the config file, [`EmulatorConfig::sdk_app_key`](crate::EmulatorConfig::sdk_app_key) or
//! `POST /_emulator/sdk-app-keys`.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use trtc_usersig::{Issuer, Privileges, Room, Secret};

use crate::server::{lock, Shared};
use crate::{Emulator, Error, RoomId};

/// An application's SDK secret key (the key UserSigs are minted with, not an API SecretKey) and whether it
/// has permission control on (every entry then needs a PrivateMapKey for its room with the `enter` bit).
///
/// `Debug` prints the key as `***`.
///
/// ```
/// use trtc_emulator::SdkAppKey;
///
/// let key = SdkAppKey::new(1400000001, "sdk-secret-key").with_permission_control(true);
/// assert!(!format!("{key:?}").contains("sdk-secret-key"));
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SdkAppKey {
    /// The application.
    pub sdk_app_id: u64,
    /// Its SDK secret key, as the console shows it.
    pub sdk_secret_key: String,
    /// Whether entering needs a PrivateMapKey too ("advanced permission control" in the console).
    #[serde(default)]
    pub permission_control: bool,
}

impl SdkAppKey {
    /// The key of `sdk_app_id`, permission control off.
    pub fn new(sdk_app_id: u64, sdk_secret_key: impl Into<String>) -> SdkAppKey {
        SdkAppKey {
            sdk_app_id,
            sdk_secret_key: sdk_secret_key.into(),
            permission_control: false,
        }
    }

    /// Turns permission control on or off.
    pub fn with_permission_control(mut self, on: bool) -> SdkAppKey {
        self.permission_control = on;
        self
    }

    /// The issuer that verifies this application's strings, or the reason there can be none.
    pub(crate) fn issuer(&self, field: &str) -> Result<Issuer, Error> {
        let app = u32::try_from(self.sdk_app_id).map_err(|_| {
            Error::config(
                field,
                format!("sdk_app_id {} is not a TRTC SdkAppId (32 bits)", self.sdk_app_id),
            )
        })?;
        Issuer::new(app, Secret::new(self.sdk_secret_key.as_str())).map_err(|e| Error::config(field, e.to_string()))
    }
}

impl std::fmt::Debug for SdkAppKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SdkAppKey")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("sdk_secret_key", &"***")
            .field("permission_control", &self.permission_control)
            .finish()
    }
}

/// The applications' keys in force, each with its issuer made once.
#[derive(Default)]
pub(crate) struct SdkAppKeys {
    by_app: BTreeMap<u64, (Issuer, bool)>,
}

impl SdkAppKeys {
    /// The keys of a configuration, checked by [`EmulatorConfig::check`](crate::EmulatorConfig::check).
    pub(crate) fn new(keys: &[SdkAppKey]) -> SdkAppKeys {
        let mut out = SdkAppKeys::default();
        for key in keys {
            // Checked with the configuration; a key that cannot verify is left out rather than half set.
            let _ = out.set(key);
        }
        out
    }

    /// Sets (or replaces) an application's key.
    pub(crate) fn set(&mut self, key: &SdkAppKey) -> Result<(), Error> {
        let issuer = key.issuer("sdk_app_key")?;
        self.by_app.insert(key.sdk_app_id, (issuer, key.permission_control));
        Ok(())
    }
}

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
pub(crate) fn enter(shared: &Shared, request: EnterRequest) -> Result<Entered, Refused> {
    let room = usersig_room(&request.room)?;
    let (issuer, permission_control) = lock(&shared.sdk_app_keys)
        .by_app
        .get(&request.sdk_app_id)
        .map(|(issuer, control)| (issuer.clone(), *control))
        .ok_or_else(|| {
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
    let mut rooms = lock(&shared.rooms);
    let created = !rooms.exists(request.sdk_app_id, &request.room);
    rooms.enter(request.sdk_app_id, request.room, [request.user_id]);
    Ok(Entered { created })
}

impl Emulator {
    /// Sets (or replaces) an application's SDK secret key, used by [`enter`](Emulator::enter).
    pub fn set_sdk_app_key(&self, key: SdkAppKey) -> Result<(), Error> {
        lock(&self.shared().sdk_app_keys).set(&key)
    }

    /// Plays a client entering a room: verifies the UserSig (and with permission control the PrivateMapKey's
    /// room and `enter` bit) with the application's SDK secret key at the system clock's time, then puts the
    /// user in the room, creating it as the service does. The room actions then see that user.
    pub fn enter(&self, request: EnterRequest) -> Result<Entered, Refused> {
        enter(self.shared(), request)
    }
}

/// An application with a key, as `GET /_emulator/sdk-app-keys` lists it (never the key).
#[derive(Debug, Serialize)]
pub(crate) struct SdkAppKeyView {
    sdk_app_id: u64,
    permission_control: bool,
}

impl Shared {
    pub(crate) fn sdk_app_key_views(&self) -> Vec<SdkAppKeyView> {
        lock(&self.sdk_app_keys)
            .by_app
            .iter()
            .map(|(&sdk_app_id, (_, permission_control))| SdkAppKeyView {
                sdk_app_id,
                permission_control: *permission_control,
            })
            .collect()
    }
}
