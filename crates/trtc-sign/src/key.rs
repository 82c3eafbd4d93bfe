//! The derived signing key: `HMAC(HMAC(HMAC("TC3"+SecretKey, date), service), "tc3_request")`.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::{Secret, UtcDate};

pub(crate) type HmacSha256 = Hmac<Sha256>;

pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The key that signs every request of one SecretKey, UTC date and service.
///
/// Deriving it costs three HMACs; a client that signs many requests a day keeps it and passes it to
/// [`sign_with_key`](crate::sign_with_key), deriving a new one when the date changes. `Debug` hides it.
///
/// ```
/// use trtc_sign::{Credentials, SigningKey, Timestamp};
///
/// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")?;
/// let date = Timestamp::from_secs(1_551_113_065)?.date();
/// let key = SigningKey::derive(creds.secret_key(), date, "cvm");
/// assert_eq!(key.date(), date);
/// assert_eq!(key.service(), "cvm");
/// assert_eq!(format!("{key:?}"), "SigningKey { date: 2019-02-25, service: \"cvm\", key: *** }");
/// # Ok::<(), trtc_sign::SignError>(())
/// ```
#[derive(Clone)]
pub struct SigningKey {
    key: [u8; 32],
    date: UtcDate,
    service: String,
}

impl SigningKey {
    /// Derives the key for `secret_key` on the UTC `date` for `service` (e.g. `trtc`).
    pub fn derive(secret_key: &Secret, date: UtcDate, service: &str) -> Self {
        let secret = secret_key.expose_secret().as_bytes();
        let mut first = Vec::with_capacity(3 + secret.len());
        first.extend_from_slice(b"TC3");
        first.extend_from_slice(secret);
        let k_date = hmac_sha256(&first, &date.to_bytes());
        let k_service = hmac_sha256(&k_date, service.as_bytes());
        let key = hmac_sha256(&k_service, b"tc3_request");
        SigningKey {
            key,
            date,
            service: service.to_owned(),
        }
    }

    /// The UTC date the key is valid for.
    pub fn date(&self) -> UtcDate {
        self.date
    }

    /// The service the key is valid for.
    pub fn service(&self) -> &str {
        &self.service
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.key
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("date", &format_args!("{}", self.date))
            .field("service", &self.service)
            .field("key", &format_args!("***"))
            .finish()
    }
}
