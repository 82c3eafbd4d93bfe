//! What an emulator starts with: its credentials and the apps each owns, the rooms and users that exist,
//! the rate limit, the faults to inject, and whether the admin API is served. Also read from a JSON file.

use std::net::SocketAddr;
use std::path::Path;

use serde::Deserialize;

use crate::callback_target::{CallbackConfig, CallbackSchedule, CallbackTarget};
use crate::error::Error;
use crate::faults::FaultPlan;
use crate::journal::JOURNAL_CAPACITY;
use crate::rate_limit::RateLimit;
use crate::rooms::RoomId;
use crate::sdk_keys::SdkAppKey;

/// The SecretId of the built-in demo credential.
pub const DEMO_SECRET_ID: &str = "AKIDtrtcEmulatorDemoKey0000000000000";
/// The SecretKey of the built-in demo credential. It guards nothing but a local emulator.
pub const DEMO_SECRET_KEY: &str = "trtcEmulatorDemoSecretKey0000000";

/// A key pair the emulator accepts, and the SdkAppIds it may act on.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CredentialEntry {
    /// The SecretId.
    pub secret_id: String,
    /// The SecretKey.
    pub secret_key: String,
    /// For temporary credentials: the session token every request must carry as `X-TC-Token` (the `Token`
    /// parameter of a v1 request; `AuthFailure.TokenFailure` otherwise). `None` for a permanent key, which must carry no token.
    #[serde(default)]
    pub token: Option<String>,
    /// The applications this key owns; an action on any other gives `UnauthorizedOperation.SdkAppId`.
    #[serde(default)]
    pub sdk_app_ids: Vec<u64>,
}

impl CredentialEntry {
    /// A permanent key pair owning `sdk_app_ids`.
    pub fn new(
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        sdk_app_ids: impl IntoIterator<Item = u64>,
    ) -> CredentialEntry {
        CredentialEntry {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
            sdk_app_ids: sdk_app_ids.into_iter().collect(),
        }
    }

    /// Makes it a temporary credential whose requests must carry `token` as `X-TC-Token` (v1: `Token`).
    pub fn with_token(mut self, token: impl Into<String>) -> CredentialEntry {
        self.token = Some(token.into());
        self
    }

    /// Refuses what no request could ever be signed with, naming the field.
    pub(crate) fn check(&self, field: &str) -> Result<(), Error> {
        let signable = trtc_sign::Credentials::new(self.secret_id.as_str(), self.secret_key.as_str()).and_then(|c| {
            match &self.token {
                Some(token) => c.with_token(token.as_str()),
                None => Ok(c),
            }
        });
        signable.map(drop).map_err(|e| Error::config(field, e.to_string()))
    }
}

impl std::fmt::Debug for CredentialEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialEntry")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"***")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("sdk_app_ids", &self.sdk_app_ids)
            .finish()
    }
}

/// A room that exists when the emulator starts, and its users.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SeedRoom {
    /// The application.
    pub sdk_app_id: u64,
    /// The room (a JSON number for a numeric room, a string for a string room).
    pub room: RoomId,
    /// The users in it, none blocked.
    #[serde(default)]
    pub users: Vec<String>,
}

/// How to start an [`Emulator`](crate::Emulator).
///
/// ```
/// use trtc_emulator::{EmulatorConfig, RateLimit, RoomId};
///
/// let config = EmulatorConfig::new()
///     .credential("AKIDexample", "secretexample", [1400000001])
///     .temporary_credential("AKIDtemporary", "secrettemp", "session-token", [1400000001])
///     .room(1400000001, 1234)
///     .users(1400000001, "class-7", ["alice", "bob"])
///     .rate_limit(RateLimit::per_second(20));
/// assert_eq!(config.seed_rooms()[1].room, RoomId::from("class-7"));
/// ```
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub(crate) listen: SocketAddr,
    pub(crate) credentials: Vec<CredentialEntry>,
    pub(crate) rooms: Vec<SeedRoom>,
    pub(crate) max_clock_skew_secs: u64,
    pub(crate) rate_limit: RateLimit,
    pub(crate) faults: FaultPlan,
    pub(crate) admin_api: bool,
    pub(crate) journal_capacity: usize,
    pub(crate) sdk_app_keys: Vec<SdkAppKey>,
    pub(crate) callbacks: CallbackConfig,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig::new()
    }
}

impl EmulatorConfig {
    /// Listens on a free loopback port, with no credentials and no rooms, 20 requests per second per
    /// action and application, no faults, a 300 s clock-skew allowance and the admin API served.
    pub fn new() -> Self {
        EmulatorConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: Vec::new(),
            rooms: Vec::new(),
            max_clock_skew_secs: 300,
            rate_limit: RateLimit::default(),
            faults: FaultPlan::default(),
            admin_api: true,
            journal_capacity: JOURNAL_CAPACITY,
            sdk_app_keys: Vec::new(),
            callbacks: CallbackConfig::default(),
        }
    }

    /// Listens on a free loopback port with the built-in demo credential ([`DEMO_SECRET_ID`],
    /// [`DEMO_SECRET_KEY`]) owning `sdk_app_id`.
    pub fn demo(sdk_app_id: u64) -> Self {
        EmulatorConfig::new().credential(DEMO_SECRET_ID, DEMO_SECRET_KEY, [sdk_app_id])
    }

    /// The address to listen on (default `127.0.0.1:0`, a free loopback port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Accepts the permanent key pair `secret_id`/`secret_key` for the applications `sdk_app_ids`.
    pub fn credential(
        mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        sdk_app_ids: impl IntoIterator<Item = u64>,
    ) -> Self {
        self.credentials
            .push(CredentialEntry::new(secret_id, secret_key, sdk_app_ids));
        self
    }

    /// Accepts a temporary key pair whose requests must carry `token` as `X-TC-Token` (v1: `Token`).
    pub fn temporary_credential(
        mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        token: impl Into<String>,
        sdk_app_ids: impl IntoIterator<Item = u64>,
    ) -> Self {
        self.credentials
            .push(CredentialEntry::new(secret_id, secret_key, sdk_app_ids).with_token(token));
        self
    }

    /// Creates the numeric room `room_id` in the application `sdk_app_id` at start.
    pub fn room(self, sdk_app_id: u64, room_id: u64) -> Self {
        self.users(sdk_app_id, room_id, Vec::<String>::new())
    }

    /// Creates the string room `room_id` in the application `sdk_app_id` at start.
    pub fn str_room(self, sdk_app_id: u64, room_id: impl Into<String>) -> Self {
        self.users(sdk_app_id, RoomId::Str(room_id.into()), Vec::<String>::new())
    }

    /// Creates the room (numeric for a `u64`, string for a `&str`/`String`) with these users at start.
    pub fn users(
        mut self,
        sdk_app_id: u64,
        room: impl Into<RoomId>,
        users: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.rooms.push(SeedRoom {
            sdk_app_id,
            room: room.into(),
            users: users.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// The rate limit per (action, SdkAppId); default 20 per second, as documented.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = limit;
        self
    }

    /// The faults to inject from the start.
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.faults = plan;
        self
    }

    /// How far `X-TC-Timestamp` may be from the emulator's clock (default 300 s, as the service allows).
    pub fn max_clock_skew_secs(mut self, secs: u64) -> Self {
        self.max_clock_skew_secs = secs;
        self
    }

    /// Whether to serve the admin API under `/_emulator/` (default `true`).
    pub fn admin_api(mut self, enabled: bool) -> Self {
        self.admin_api = enabled;
        self
    }

    /// How many journal entries are kept, the oldest going first (default
    /// [`JOURNAL_CAPACITY`](crate::JOURNAL_CAPACITY), 10,000; at least 1). Raise it for a long run whose
    /// every request is checked afterwards.
    pub fn journal_capacity(mut self, entries: usize) -> Self {
        self.journal_capacity = entries.max(1);
        self
    }

    /// An application's SDK secret key, for `POST /_emulator/enter` and [`Emulator::enter`](crate::Emulator::enter)
    /// (replacing an earlier one for the same application).
    pub fn sdk_app_key(mut self, key: SdkAppKey) -> Self {
        self.sdk_app_keys.retain(|k| k.sdk_app_id != key.sdk_app_id);
        self.sdk_app_keys.push(key);
        self
    }

    /// The applications' SDK secret keys.
    pub fn sdk_app_keys(&self) -> &[SdkAppKey] {
        &self.sdk_app_keys
    }

    /// Sends `target.sdk_app_id`'s event callbacks to `target.url`, signed with `target.key`.
    pub fn callback_target(mut self, target: CallbackTarget) -> Self {
        self.callbacks.targets.retain(|t| t.sdk_app_id != target.sdk_app_id);
        self.callbacks.targets.push(target);
        self
    }

    /// When callbacks are tried (default: the service's, [`CallbackSchedule::SERVICE`]); shorten it for tests.
    pub fn callback_schedule(mut self, schedule: CallbackSchedule) -> Self {
        self.callbacks.schedule = schedule;
        self
    }

    /// The rooms created at start.
    pub fn seed_rooms(&self) -> &[SeedRoom] {
        &self.rooms
    }

    /// The rooms created at start, as `(sdk_app_id, room)`.
    pub fn rooms(&self) -> Vec<(u64, RoomId)> {
        self.rooms.iter().map(|r| (r.sdk_app_id, r.room.clone())).collect()
    }

    /// The credentials accepted.
    pub fn credentials(&self) -> &[CredentialEntry] {
        &self.credentials
    }

    /// The faults injected from the start.
    pub fn fault_plan(&self) -> &FaultPlan {
        &self.faults
    }

    /// The address to listen on.
    pub fn listen_addr(&self) -> SocketAddr {
        self.listen
    }

    /// Checks everything a request will rely on: usable credentials, valid fault rates.
    pub fn check(&self) -> Result<(), Error> {
        for (i, credential) in self.credentials.iter().enumerate() {
            credential.check(&format!("credentials[{i}]"))?;
        }
        for (i, key) in self.sdk_app_keys.iter().enumerate() {
            key.issuer(&format!("sdk_app_keys[{i}]"))?;
        }
        self.callbacks.check()?;
        self.faults.check()
    }

    /// Reads a configuration from JSON; every field is optional and unknown fields are refused:
    ///
    /// ```
    /// use trtc_emulator::EmulatorConfig;
    ///
    /// let config = EmulatorConfig::from_json(r#"{
    ///     "listen": "127.0.0.1:0",
    ///     "credentials": [
    ///         {"secret_id": "AKIDexample", "secret_key": "secretexample", "sdk_app_ids": [1400000001]},
    ///         {"secret_id": "AKIDtemp", "secret_key": "secrettemp", "token": "tok", "sdk_app_ids": [1400000001]}
    ///     ],
    ///     "rooms": [
    ///         {"sdk_app_id": 1400000001, "room": 1234},
    ///         {"sdk_app_id": 1400000001, "room": "class-7", "users": ["alice", "bob"]}
    ///     ],
    ///     "rate_limit": {"max_requests": 20, "window_ms": 1000},
    ///     "max_clock_skew_secs": 300,
    ///     "faults": {"seed": 7, "rules": [{"fault": "latency", "latency_ms": 50, "rate": 0.1}]},
    ///     "admin_api": true,
    ///     "journal_capacity": 10000,
    ///     "sdk_app_keys": [{"sdk_app_id": 1400000001, "sdk_secret_key": "...", "permission_control": false}],
    ///     "callbacks": [{"sdk_app_id": 1400000001, "url": "http://127.0.0.1:8080/trtc", "key": "yourCallbackKey"}],
    ///     "callback_schedule": {"timeout_ms": 5000, "retry_every_ms": 10000, "give_up_after_ms": 60000}
    /// }"#)?;
    /// assert_eq!(config.credentials().len(), 2);
    /// assert!(EmulatorConfig::from_json(r#"{"credential": []}"#).is_err());
    /// # Ok::<(), trtc_emulator::Error>(())
    /// ```
    pub fn from_json(json: &str) -> Result<EmulatorConfig, Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            listen: Option<SocketAddr>,
            #[serde(default)]
            credentials: Vec<CredentialEntry>,
            #[serde(default)]
            rooms: Vec<SeedRoom>,
            rate_limit: Option<RateLimit>,
            max_clock_skew_secs: Option<u64>,
            faults: Option<FaultPlan>,
            admin_api: Option<bool>,
            journal_capacity: Option<usize>,
            #[serde(default)]
            sdk_app_keys: Vec<SdkAppKey>,
            #[serde(default)]
            callbacks: Vec<CallbackTarget>,
            callback_schedule: Option<CallbackSchedule>,
        }
        let file: File = serde_json::from_str(json)
            .map_err(|e| Error::config("config", format!("{e}; see docs/emulator.md for the format")))?;
        let defaults = EmulatorConfig::new();
        let config = EmulatorConfig {
            listen: file.listen.unwrap_or(defaults.listen),
            credentials: file.credentials,
            rooms: file.rooms,
            max_clock_skew_secs: file.max_clock_skew_secs.unwrap_or(defaults.max_clock_skew_secs),
            rate_limit: file.rate_limit.unwrap_or(defaults.rate_limit),
            faults: file.faults.unwrap_or_default(),
            admin_api: file.admin_api.unwrap_or(defaults.admin_api),
            journal_capacity: file.journal_capacity.unwrap_or(defaults.journal_capacity).max(1),
            sdk_app_keys: file.sdk_app_keys,
            callbacks: CallbackConfig {
                targets: file.callbacks,
                schedule: file.callback_schedule.unwrap_or_default(),
            },
        };
        config.check()?;
        Ok(config)
    }

    /// Reads a configuration file in the format of [`from_json`](EmulatorConfig::from_json).
    pub fn from_file(path: impl AsRef<Path>) -> Result<EmulatorConfig, Error> {
        let path = path.as_ref();
        let json = std::fs::read_to_string(path)
            .map_err(|e| Error::config("config", format!("cannot read {}: {e}", path.display())))?;
        EmulatorConfig::from_json(&json).map_err(|e| match e {
            Error::Config { field, message } => Error::Config {
                field: format!("{} ({field})", path.display()),
                message,
            },
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_key_and_token() {
        let entry = CredentialEntry::new("AKIDx", "verysecretkey", [1]).with_token("verysecrettoken");
        let shown = format!("{entry:?}");
        assert!(shown.contains("AKIDx"));
        assert!(!shown.contains("verysecret"), "{shown}");
    }

    #[test]
    fn unusable_credentials_are_refused_naming_the_entry() {
        let err = EmulatorConfig::from_json(r#"{"credentials":[{"secret_id":"AKID","secret_key":" padded "}]}"#)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("credentials[0]: "), "{err}");
        assert!(!err.contains("padded"), "{err}");
    }

    #[test]
    fn wrong_types_and_unknown_fields_are_refused() {
        for json in [
            r#"{"rooms":[{"sdk_app_id":"1","room":1}]}"#,
            r#"{"rate_limit":{"max_requests":-1,"window_ms":1000}}"#,
            r#"{"listen":"localhost"}"#,
            r#"{"faults":{"rules":[{"fault":"drop","rate":2}]}}"#,
            r#"{"admin":false}"#,
        ] {
            assert!(EmulatorConfig::from_json(json).is_err(), "{json}");
        }
    }
}
