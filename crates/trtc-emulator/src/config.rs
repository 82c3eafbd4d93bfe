//! What an emulator starts with: its credentials, the apps each may use, and the rooms that exist.

use std::net::SocketAddr;

/// The SecretId of the built-in demo credential.
pub const DEMO_SECRET_ID: &str = "AKIDtrtcEmulatorDemoKey0000000000000";
/// The SecretKey of the built-in demo credential. It guards nothing but a local emulator.
pub const DEMO_SECRET_KEY: &str = "trtcEmulatorDemoSecretKey0000000";

/// A key pair the emulator accepts, and the SdkAppIds it may act on.
#[derive(Clone, PartialEq, Eq)]
pub struct CredentialEntry {
    /// The SecretId.
    pub secret_id: String,
    /// The SecretKey.
    pub secret_key: String,
    /// The applications this key owns; an action on any other gives `UnauthorizedOperation.SdkAppId`.
    pub sdk_app_ids: Vec<u64>,
}

impl std::fmt::Debug for CredentialEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialEntry")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"***")
            .field("sdk_app_ids", &self.sdk_app_ids)
            .finish()
    }
}

/// How to start an [`Emulator`](crate::Emulator).
///
/// ```
/// use trtc_emulator::EmulatorConfig;
///
/// let config = EmulatorConfig::new()
///     .credential("AKIDexample", "secretexample", [1400000001])
///     .room(1400000001, 1234);
/// assert_eq!(config.rooms(), &[(1400000001, 1234)]);
/// ```
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub(crate) listen: SocketAddr,
    pub(crate) credentials: Vec<CredentialEntry>,
    pub(crate) rooms: Vec<(u64, u64)>,
    pub(crate) max_clock_skew_secs: u64,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig::new()
    }
}

impl EmulatorConfig {
    /// Listens on a free loopback port, with no credentials and no rooms.
    pub fn new() -> Self {
        EmulatorConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: Vec::new(),
            rooms: Vec::new(),
            max_clock_skew_secs: 300,
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

    /// Accepts the key pair `secret_id`/`secret_key` for the applications `sdk_app_ids`.
    pub fn credential(
        mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        sdk_app_ids: impl IntoIterator<Item = u64>,
    ) -> Self {
        self.credentials.push(CredentialEntry {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            sdk_app_ids: sdk_app_ids.into_iter().collect(),
        });
        self
    }

    /// Creates the room `room_id` in the application `sdk_app_id` at start.
    pub fn room(mut self, sdk_app_id: u64, room_id: u64) -> Self {
        self.rooms.push((sdk_app_id, room_id));
        self
    }

    /// The rooms created at start, as `(sdk_app_id, room_id)`.
    pub fn rooms(&self) -> &[(u64, u64)] {
        &self.rooms
    }

    /// The credentials accepted.
    pub fn credentials(&self) -> &[CredentialEntry] {
        &self.credentials
    }
}
