//! The applications' SDK secret keys (the keys UserSigs are minted with), set by the config file,
//! [`EmulatorConfig::sdk_app_key`](crate::EmulatorConfig::sdk_app_key) or `POST /_emulator/sdk-app-keys`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use trtc_usersig::{Issuer, Secret};

use crate::error::Error;

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

impl std::fmt::Debug for SdkAppKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SdkAppKeys")
            .field("apps", &self.by_app.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
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

    /// The issuer of `sdk_app_id`'s strings and whether it has permission control on.
    pub(crate) fn get(&self, sdk_app_id: u64) -> Option<(Issuer, bool)> {
        self.by_app
            .get(&sdk_app_id)
            .map(|(issuer, control)| (issuer.clone(), *control))
    }
}

/// An application with a key, as `GET /_emulator/sdk-app-keys` lists it (never the key).
#[derive(Debug, Serialize)]
pub(crate) struct SdkAppKeyView {
    sdk_app_id: u64,
    permission_control: bool,
}

impl SdkAppKeys {
    /// The applications with a key, without their keys.
    pub(crate) fn views(&self) -> Vec<SdkAppKeyView> {
        self.by_app
            .iter()
            .map(|(&sdk_app_id, (_, permission_control))| SdkAppKeyView {
                sdk_app_id,
                permission_control: *permission_control,
            })
            .collect()
    }
}
