//! Credentials and the redacting types that hold their secret parts.

use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::key::{fingerprint, tc3_mac};
use crate::sha256::HmacKey;
use crate::SignError;

/// A secret string: `Debug` prints `***`, there is no `Display`, and the value is only reachable
/// through [`expose_secret`](Secret::expose_secret), so it cannot reach a log by accident.
///
/// Its bytes are overwritten with zeros when it is dropped, and `==` compares in constant time (the time
/// taken does not depend on how many leading bytes match).
///
/// ```
/// use trtc_sign::Secret;
///
/// let a = Secret::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
/// assert_eq!(a, Secret::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"));
/// assert_ne!(a, Secret::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLF"));
/// assert_eq!(format!("{a:?}"), "***");
/// ```
#[derive(Clone)]
pub struct Secret(String);

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        // Lengths are not secret (they show in every request's timing anyway); the bytes are.
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        a.len() == b.len() && bool::from(a.ct_eq(b))
    }
}

impl Eq for Secret {}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself. Call this only where the value is used, never to print it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A Tencent Cloud API key pair, with the session token of temporary credentials when there is one.
///
/// The constructor refuses what would certainly fail at the server: empty values, leading or trailing
/// whitespace, non-ASCII or control characters. `Debug` shows the SecretId and hides the rest.
///
/// ```
/// use trtc_sign::Credentials;
///
/// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")?;
/// assert_eq!(creds.secret_id(), "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE");
/// assert!(!format!("{creds:?}").contains("Gu5t9x"));
///
/// let err = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE\n")
///     .unwrap_err();
/// assert!(err.to_string().starts_with("SecretKey has leading or trailing whitespace"));
/// # Ok::<(), trtc_sign::SignError>(())
/// ```
#[derive(Clone)]
pub struct Credentials {
    secret_id: String,
    secret_key: Secret,
    token: Option<Secret>,
    // HMAC keyed with "TC3" + SecretKey, the first step of every signing key: absorbing its pads once here
    // saves two of the fourteen SHA-256 blocks a key derivation costs.
    tc3: HmacKey,
    // Tells this SecretKey from others without being it (see `SigningKey::is_for`).
    fingerprint: [u8; 32],
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        // `tc3` is a function of `secret_key`.
        self.secret_id == other.secret_id && self.secret_key == other.secret_key && self.token == other.token
    }
}

impl Eq for Credentials {}

impl Credentials {
    /// Long-term credentials: a SecretId and its SecretKey.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Result<Self, SignError> {
        let secret_id = secret_id.into();
        let secret_key = secret_key.into();
        check_credential("SecretId", &secret_id)?;
        check_credential("SecretKey", &secret_key)?;
        let secret_key = Secret(secret_key);
        let tc3 = tc3_mac(&secret_key);
        Ok(Credentials {
            fingerprint: fingerprint(&tc3),
            tc3,
            secret_id,
            secret_key,
            token: None,
        })
    }

    /// Adds the session token of temporary credentials (STS, CVM role), sent as `X-TC-Token`.
    pub fn with_token(mut self, token: impl Into<String>) -> Result<Self, SignError> {
        let token = token.into();
        check_credential("Token", &token)?;
        self.token = Some(Secret(token));
        Ok(self)
    }

    /// The SecretId, which names the key pair; it is not secret and appears in `Authorization`.
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The SecretKey.
    pub fn secret_key(&self) -> &Secret {
        &self.secret_key
    }

    /// The session token, for temporary credentials.
    pub fn token(&self) -> Option<&Secret> {
        self.token.as_ref()
    }

    pub(crate) fn tc3_mac(&self) -> &HmacKey {
        &self.tc3
    }

    pub(crate) fn fingerprint(&self) -> &[u8; 32] {
        &self.fingerprint
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &self.secret_key)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

fn check_credential(field: &'static str, value: &str) -> Result<(), SignError> {
    if value.is_empty() {
        return Err(SignError::Empty { field });
    }
    if value.trim() != value {
        return Err(SignError::Whitespace { field });
    }
    if !value.is_ascii() {
        return Err(SignError::NonAscii { field });
    }
    if value.bytes().any(|b| b.is_ascii_control()) {
        return Err(SignError::ControlCharacter { field });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_credentials() {
        let cases: [(&str, &str, SignError); 6] = [
            ("", "k", SignError::Empty { field: "SecretId" }),
            ("id", "", SignError::Empty { field: "SecretKey" }),
            (" id", "k", SignError::Whitespace { field: "SecretId" }),
            ("id", "k\n", SignError::Whitespace { field: "SecretKey" }),
            ("idé", "k", SignError::NonAscii { field: "SecretId" }),
            ("id", "k\u{0}k", SignError::ControlCharacter { field: "SecretKey" }),
        ];
        for (id, key, want) in cases {
            assert_eq!(Credentials::new(id, key).unwrap_err(), want, "{id:?}");
        }
        let creds = Credentials::new("id", "key").unwrap();
        assert_eq!(
            creds.with_token("tok\r\nX-Evil: 1").unwrap_err(),
            SignError::ControlCharacter { field: "Token" }
        );
    }

    #[test]
    fn debug_hides_secrets() {
        let creds = Credentials::new("AKIDvisible", "topsecretkey")
            .unwrap()
            .with_token("sessiontoken")
            .unwrap();
        let shown = format!("{creds:?}");
        assert!(shown.contains("AKIDvisible"));
        assert!(!shown.contains("topsecretkey"));
        assert!(!shown.contains("sessiontoken"));
    }
}
