//! The derived signing key: `HMAC(HMAC(HMAC("TC3"+SecretKey, date), service), "tc3_request")`.

use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::sha256::HmacKey;
use crate::{Credentials, Secret, UtcDate};

/// `HMAC-SHA256(key, data)` (RFC 2104), the MAC of TC3 signatures, also used by the other Tencent Cloud
/// protocols that sign with a shared key: TRTC UserSig and the signatures of event callbacks.
///
/// The result is a MAC: compare it with one received in constant time (for instance with `subtle`), never
/// with `==`.
///
/// ```
/// // RFC 4231, test case 2.
/// let mac = trtc_sign::hmac_sha256(b"Jefe", b"what do ya want for nothing?");
/// assert_eq!(mac[..4], [0x5b, 0xdc, 0xc1, 0x46]);
/// ```
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    HmacKey::new(key).mac(data)
}

/// HMAC-SHA256 keyed once, for a key that signs many messages (an application's SDK secret key minting
/// UserSigs, a callback key verifying events): the key's pads are absorbed when it is made, so each MAC costs
/// only the message's blocks and one more, two SHA-256 blocks fewer than [`hmac_sha256`]. The keyed state is
/// as good as the key, so it is wiped on drop and `Debug` shows `***`.
///
/// ```
/// use trtc_sign::{hmac_sha256, HmacSha256};
///
/// let key = HmacSha256::new(b"Jefe");
/// assert_eq!(key.mac(b"what do ya want for nothing?"), hmac_sha256(b"Jefe", b"what do ya want for nothing?"));
/// assert_eq!(format!("{key:?}"), "HmacSha256 { key: *** }");
/// ```
#[derive(Clone)]
pub struct HmacSha256(HmacKey);

impl HmacSha256 {
    /// Keys an HMAC with `key` (any length).
    pub fn new(key: &[u8]) -> Self {
        HmacSha256(HmacKey::new(key))
    }

    /// `HMAC-SHA256(key, data)`. Compare it with a received one in constant time.
    pub fn mac(&self, data: &[u8]) -> [u8; 32] {
        self.0.mac(data)
    }
}

impl fmt::Debug for HmacSha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacSha256").field("key", &format_args!("***")).finish()
    }
}

/// HMAC keyed with `"TC3" + SecretKey`, the first step of the derivation.
pub(crate) fn tc3_mac(secret_key: &Secret) -> HmacKey {
    let secret = secret_key.expose_secret().as_bytes();
    // "TC3" + SecretKey without a heap allocation for keys of ordinary length (40 characters).
    let mut stack = [0u8; 128];
    if secret.len() + 3 <= stack.len() {
        stack[..3].copy_from_slice(b"TC3");
        stack[3..3 + secret.len()].copy_from_slice(secret);
        let mac = HmacKey::new(&stack[..3 + secret.len()]);
        stack.zeroize();
        mac
    } else {
        let mut joined = [b"TC3".as_slice(), secret].concat();
        let mac = HmacKey::new(&joined);
        joined.zeroize();
        mac
    }
}

/// What tells one SecretKey from another without being it: `HMAC("TC3" + SecretKey, <a fixed label>)`. A cache of
/// derived keys compares these instead of keeping a copy of the secret; it reveals nothing that signs.
pub(crate) fn fingerprint(tc3: &HmacKey) -> [u8; 32] {
    tc3.mac(b"trtc-sign: which SecretKey derived this key")
}

/// The keyed HMAC that signs strings to sign, from the `"TC3" + SecretKey` HMAC, the date and the service.
pub(crate) fn derive_mac(tc3: &HmacKey, date: UtcDate, service: &str) -> HmacKey {
    let mut k_date = tc3.mac(&date.to_bytes());
    let mut k_service = hmac_sha256(&k_date, service.as_bytes());
    let mut k_signing = hmac_sha256(&k_service, b"tc3_request");
    let mac = HmacKey::new(&k_signing);
    k_date.zeroize();
    k_service.zeroize();
    k_signing.zeroize();
    mac
}

/// The key that signs every request of one SecretKey, UTC date and service.
///
/// Deriving it costs three HMACs, about as much as signing itself. A client that signs many requests a day
/// keeps it (for instance behind a mutex, keyed by date and service) and passes it to
/// [`sign_with_key`](crate::sign_with_key), deriving a new one when the UTC date changes; a program that
/// signs once in a while just calls [`sign`](crate::sign). The key is a secret: `Debug` hides it.
///
/// ```
/// use trtc_sign::{Credentials, SigningKey, Timestamp};
///
/// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")?;
/// let date = Timestamp::from_secs(1_551_113_065)?.date();
/// let key = SigningKey::derive(creds.secret_key(), date, "cvm");
/// assert_eq!(key.date(), date);
/// assert_eq!(key.service(), "cvm");
/// assert_eq!(format!("{key:?}"), "SigningKey { date: 2019-02-25, service: \"cvm\", key: ***, .. }");
/// # Ok::<(), trtc_sign::SignError>(())
/// ```
#[derive(Clone)]
pub struct SigningKey {
    // Kept as a keyed HMAC rather than the 32 key bytes: the pads are absorbed once here instead of at
    // every signature, two of the nine SHA-256 blocks a small request costs.
    mac: HmacKey,
    date: UtcDate,
    service: String,
    // Which SecretKey the key is for, so a cache can check a key against credentials without keeping the secret.
    fingerprint: [u8; 32],
}

impl SigningKey {
    /// Derives the key for `secret_key` on the UTC `date` for `service` (e.g. `trtc`).
    pub fn derive(secret_key: &Secret, date: UtcDate, service: &str) -> Self {
        let tc3 = tc3_mac(secret_key);
        SigningKey {
            mac: derive_mac(&tc3, date, service),
            date,
            service: service.to_owned(),
            fingerprint: fingerprint(&tc3),
        }
    }

    /// Derives the key for the SecretKey of `credentials`, as [`derive`](SigningKey::derive) does, reusing the
    /// part of the derivation the credentials already hold.
    pub fn derive_for(credentials: &Credentials, date: UtcDate, service: &str) -> Self {
        SigningKey {
            mac: derive_mac(credentials.tc3_mac(), date, service),
            date,
            service: service.to_owned(),
            fingerprint: *credentials.fingerprint(),
        }
    }

    /// Whether this key signs for `credentials` on `date` for `service`: what a cache of keys checks before
    /// reusing one. The SecretKeys are told apart by a fingerprint compared in constant time, so the cache
    /// keeps no copy of any secret.
    ///
    /// ```
    /// use trtc_sign::{Credentials, SigningKey, Timestamp};
    ///
    /// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")?;
    /// let other = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "another-secret-key")?;
    /// let date = Timestamp::from_secs(1_551_113_065)?.date();
    /// let key = SigningKey::derive_for(&creds, date, "trtc");
    /// assert!(key.is_for(&creds, date, "trtc"));
    /// assert!(!key.is_for(&other, date, "trtc"));
    /// assert!(!key.is_for(&creds, date, "cvm"));
    /// assert!(SigningKey::derive(creds.secret_key(), date, "trtc").is_for(&creds, date, "trtc"));
    /// # Ok::<(), trtc_sign::SignError>(())
    /// ```
    pub fn is_for(&self, credentials: &Credentials, date: UtcDate, service: &str) -> bool {
        self.date == date && self.service == service && bool::from(self.fingerprint.ct_eq(credentials.fingerprint()))
    }

    /// The UTC date the key is valid for.
    pub fn date(&self) -> UtcDate {
        self.date
    }

    /// The service the key is valid for.
    pub fn service(&self) -> &str {
        &self.service
    }

    pub(crate) fn mac(&self) -> &HmacKey {
        &self.mac
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("date", &format_args!("{}", self.date))
            .field("service", &self.service)
            .field("key", &format_args!("***"))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;

    #[test]
    fn long_secret_keys_take_the_heap_path_with_the_same_result() {
        let date = Timestamp::from_secs(1_551_113_065).unwrap().date();
        for len in [1, 40, 124, 125, 126, 300] {
            let secret = "k".repeat(len);
            let mut want = hmac_sha256(format!("TC3{secret}").as_bytes(), b"2019-02-25");
            want = hmac_sha256(&want, b"cvm");
            want = hmac_sha256(&want, b"tc3_request");
            let got = derive_mac(&tc3_mac(&Secret::new(secret)), date, "cvm");
            assert_eq!(got.mac(b"x"), hmac_sha256(&want, b"x"), "secret of {len} bytes");
        }
    }
}
