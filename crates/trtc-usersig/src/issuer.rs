//! [`Issuer`]: an application's SdkAppId and SDK secret key, which mint and verify both kinds of string.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use subtle::ConstantTimeEq;
use trtc_sign::{HmacSha256, Secret};

use crate::document::Document;
use crate::{envelope, userbuf, Check, Error, Privileges, Room};

/// The longest user id accepted, in bytes: the limit TRTC and Chat document for a UserID.
pub const MAX_USER_ID_BYTES: usize = 32;

/// The official default lifetime: 180 days, in seconds.
pub const DEFAULT_EXPIRE: u32 = 180 * 86_400;

/// An application's SdkAppId and SDK secret key (the "key" of the console's UserSig tools, not the API
/// SecretKey): mints UserSigs and PrivateMapKeys, and verifies them.
///
/// The key is used as its UTF-8 bytes, as the console shows it (not hex-decoded). `Debug` prints it as `***`.
///
/// ```
/// use trtc_usersig::{Issuer, Privileges, Room, Secret};
///
/// let issuer = Issuer::new(1400000000, Secret::new("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"))?;
/// let now = 1_700_000_000;
/// let user_sig = issuer.user_sig("alice", now, 86_400)?;
/// let claims = issuer.verify_user_sig("alice", &user_sig, now + 60)?;
/// assert_eq!(claims.expires_at(), now + 86_400);
///
/// let key = issuer.private_map_key("alice", &Room::numeric(1234)?, Privileges::parse("enter,recv-audio")?, now, 300)?;
/// let claims = issuer.verify_private_map_key("alice", &key, now + 60)?;
/// let map = claims.private_map.expect("a PrivateMapKey");
/// assert_eq!(map.room, Room::Numeric(1234));
/// assert!(map.privileges.contains(Privileges::ENTER));
/// # Ok::<(), trtc_usersig::Error>(())
/// ```
#[derive(Clone)]
pub struct Issuer {
    sdk_app_id: u32,
    key: Secret,
    // The key's HMAC state, made once: minting or verifying then costs two SHA-256 blocks fewer
    // (`usersig_ns` of `cargo xtask bench`, "mint UserSig" of `cargo bench -p trtc-usersig`).
    mac: HmacSha256,
}

impl PartialEq for Issuer {
    fn eq(&self, other: &Self) -> bool {
        // `mac` is a function of `key`.
        self.sdk_app_id == other.sdk_app_id && self.key == other.key
    }
}

impl Eq for Issuer {}

impl fmt::Debug for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Issuer")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// What a valid UserSig or PrivateMapKey says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Claims {
    /// The user id it was minted for (`TLS.identifier`).
    pub identifier: String,
    /// The application (`TLS.sdkappid`).
    pub sdk_app_id: u32,
    /// When it was minted, in seconds since the Unix epoch (`TLS.time`).
    pub time: u64,
    /// Its lifetime in seconds from `time` (`TLS.expire`).
    pub expire: u64,
    /// The room and privileges, for a PrivateMapKey; `None` for a UserSig.
    pub private_map: Option<PrivateMap>,
}

impl Claims {
    /// The last second at which it is valid: `time + expire`.
    pub fn expires_at(&self) -> u64 {
        // Verified not to overflow.
        self.time.saturating_add(self.expire)
    }
}

/// The userbuf of a PrivateMapKey: which room its user may enter and what they may do there.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PrivateMap {
    /// The room it admits to.
    pub room: Room,
    /// What its user may do there.
    pub privileges: Privileges,
    /// Its own absolute expiry, in seconds since the Unix epoch (low 32 bits of `time + expire` when minted).
    pub expires_at: u32,
    /// The account type (0 in everything the official packages mint).
    pub account_type: u32,
}

impl Issuer {
    /// An issuer for the application `sdk_app_id` with its SDK secret key.
    ///
    /// Refuses an SdkAppId of 0 and a key that is empty or has leading or trailing whitespace (a key copied
    /// with its newline would mint strings the service rejects).
    pub fn new(sdk_app_id: u32, key: Secret) -> Result<Issuer, Error> {
        if sdk_app_id == 0 {
            return Err(Error::input(
                "sdk_app_id",
                "is 0: use the SdkAppId the TRTC console shows (e.g. 1400000000)",
            ));
        }
        let text = key.expose_secret();
        if text.is_empty() {
            return Err(Error::input(
                "sdk_secret_key",
                "is empty: copy the SDK secret key from the TRTC console",
            ));
        }
        if text.trim() != text {
            return Err(Error::input(
                "sdk_secret_key",
                "has leading or trailing whitespace: remove it (a copied newline makes every UserSig fail)",
            ));
        }
        let mac = HmacSha256::new(key.expose_secret().as_bytes());
        Ok(Issuer { sdk_app_id, key, mac })
    }

    /// The application's SdkAppId.
    pub fn sdk_app_id(&self) -> u32 {
        self.sdk_app_id
    }

    /// Mints a UserSig for `user_id`, valid from `time` (seconds since the Unix epoch) for `expire` seconds.
    ///
    /// Refuses a user id that is empty, longer than [`MAX_USER_ID_BYTES`] or holds a control character, a
    /// lifetime of 0, and a `time + expire` past the 32 bits of an absolute expiry (February 2106).
    pub fn user_sig(&self, user_id: &str, time: u64, expire: u32) -> Result<String, Error> {
        check_user_id(user_id)?;
        check_lifetime(time, expire)?;
        Ok(self.mint(user_id, time, expire, None))
    }

    /// Mints a PrivateMapKey: `user_id` may use `privileges` in `room`, from `time` for `expire` seconds.
    ///
    /// Refuses what [`user_sig`](Issuer::user_sig) refuses, a room that [`Room::numeric`] or [`Room::string`]
    /// would refuse, and privilege bits outside the eight defined ones.
    pub fn private_map_key(
        &self,
        user_id: &str,
        room: &Room,
        privileges: Privileges,
        time: u64,
        expire: u32,
    ) -> Result<String, Error> {
        check_user_id(user_id)?;
        check_lifetime(time, expire)?;
        room.check()?;
        if Privileges::from_bits(privileges.bits()).is_none() {
            return Err(Error::input(
                "privilege_map",
                format!("{} sets bits above the eight defined ones (255)", privileges.bits()),
            ));
        }
        // `check_lifetime` proved the sum fits in 32 bits.
        let expires_at = u32::try_from(time + u64::from(expire)).unwrap_or(u32::MAX);
        let buf = userbuf::encode(user_id, self.sdk_app_id, room, expires_at, privileges, 0);
        Ok(self.mint(user_id, time, expire, Some(buf)))
    }

    fn mint(&self, user_id: &str, time: u64, expire: u32, userbuf: Option<Vec<u8>>) -> String {
        let document = Document {
            identifier: user_id.to_owned(),
            sdk_app_id: u64::from(self.sdk_app_id),
            time,
            expire: u64::from(expire),
            userbuf: userbuf.map(|bytes| {
                let text = STANDARD.encode(&bytes);
                (bytes, text)
            }),
        };
        let mac = self.mac.mac(document.content_to_sign().as_bytes());
        envelope::encode(document.to_json(&STANDARD.encode(mac)).as_bytes())
    }

    /// Verifies a UserSig or a PrivateMapKey for `user_id` at `now` (seconds since the Unix epoch).
    ///
    /// The checks, in the official verifiers' order: the string decodes ([`Check::Malformed`]), the SdkAppId
    /// ([`Check::SdkAppId`]) and user id ([`Check::Identifier`]) match, it has not expired (valid up to and
    /// including `time + expire`: [`Check::Expired`]), a userbuf describes this user and application
    /// ([`Check::UserBuf`]) and has not expired, and the HMAC matches, compared in constant time
    /// ([`Check::Signature`]).
    pub fn verify(&self, user_id: &str, sig: &str, now: u64) -> Result<Claims, Error> {
        self.verify_as(user_id, sig, now, None)
    }

    /// Verifies a UserSig as [`verify`](Issuer::verify) does, refusing a PrivateMapKey ([`Check::UserBuf`]).
    pub fn verify_user_sig(&self, user_id: &str, sig: &str, now: u64) -> Result<Claims, Error> {
        self.verify_as(user_id, sig, now, Some(false))
    }

    /// Verifies a PrivateMapKey as [`verify`](Issuer::verify) does, refusing a plain UserSig
    /// ([`Check::UserBuf`]). The caller checks the room and privileges in [`Claims::private_map`].
    pub fn verify_private_map_key(&self, user_id: &str, sig: &str, now: u64) -> Result<Claims, Error> {
        self.verify_as(user_id, sig, now, Some(true))
    }

    fn verify_as(&self, user_id: &str, sig: &str, now: u64, want_userbuf: Option<bool>) -> Result<Claims, Error> {
        let json = envelope::decode(sig)?;
        let (document, mac) = Document::parse(&json)?;
        if document.sdk_app_id != u64::from(self.sdk_app_id) {
            return Err(Error::rejected(
                Check::SdkAppId,
                format!("minted for SdkAppId {}, not {}", document.sdk_app_id, self.sdk_app_id),
            ));
        }
        if document.identifier != user_id {
            return Err(Error::rejected(
                Check::Identifier,
                format!("minted for user id {:?}, not {user_id:?}", document.identifier),
            ));
        }
        let expires_at = document
            .time
            .checked_add(document.expire)
            .ok_or_else(|| Error::rejected(Check::Malformed, "TLS.time + TLS.expire is past the range of 64 bits"))?;
        if now > expires_at {
            return Err(Error::rejected(
                Check::Expired,
                format!(
                    "valid until {expires_at} (TLS.time {} + TLS.expire {}), {} s before now ({now}): mint a new one",
                    document.time,
                    document.expire,
                    now - expires_at
                ),
            ));
        }
        match (want_userbuf, &document.userbuf) {
            (Some(true), None) => {
                return Err(Error::rejected(
                    Check::UserBuf,
                    "a UserSig, not a PrivateMapKey: it has no userbuf",
                ))
            }
            (Some(false), Some(_)) => {
                return Err(Error::rejected(
                    Check::UserBuf,
                    "a PrivateMapKey, not a UserSig: it has a userbuf",
                ))
            }
            _ => {}
        }
        let private_map = match &document.userbuf {
            None => None,
            Some((bytes, _)) => {
                let buf =
                    userbuf::decode(bytes).map_err(|e| Error::rejected(Check::UserBuf, format!("the userbuf {e}")))?;
                if buf.account != document.identifier {
                    return Err(Error::rejected(
                        Check::UserBuf,
                        format!(
                            "the userbuf is for user id {:?}, not {:?}",
                            buf.account, document.identifier
                        ),
                    ));
                }
                if u64::from(buf.sdk_app_id) != document.sdk_app_id {
                    return Err(Error::rejected(
                        Check::UserBuf,
                        format!(
                            "the userbuf is for SdkAppId {}, not {}",
                            buf.sdk_app_id, document.sdk_app_id
                        ),
                    ));
                }
                if now > u64::from(buf.expires_at) {
                    return Err(Error::rejected(
                        Check::Expired,
                        format!(
                            "the PrivateMapKey's userbuf is valid until {} (now {now}): mint a new one",
                            buf.expires_at
                        ),
                    ));
                }
                Some(PrivateMap {
                    room: buf.room,
                    privileges: buf.privileges,
                    expires_at: buf.expires_at,
                    account_type: buf.account_type,
                })
            }
        };
        let expected = self.mac.mac(document.content_to_sign().as_bytes());
        if !bool::from(expected.ct_eq(mac.as_slice())) {
            return Err(Error::rejected(
                Check::Signature,
                "TLS.sig does not match: minted with another SDK secret key, or changed after minting",
            ));
        }
        Ok(Claims {
            identifier: document.identifier,
            // Equal to ours, checked above.
            sdk_app_id: self.sdk_app_id,
            time: document.time,
            expire: document.expire,
            private_map,
        })
    }
}

/// A user id the service can accept: 1 to 32 bytes, no control characters.
///
/// TRTC documents letters, digits, `_` and `-` for a UserID; Chat, which shares UserSig, accepts more. What is
/// refused here is what no service accepts and what would break the document or the userbuf's layout.
fn check_user_id(user_id: &str) -> Result<(), Error> {
    if user_id.is_empty() {
        return Err(Error::input(
            "user_id",
            "is empty: give the user's id (letters, digits, _ and -)",
        ));
    }
    if user_id.len() > MAX_USER_ID_BYTES {
        return Err(Error::input(
            "user_id",
            format!("must be at most {MAX_USER_ID_BYTES} bytes (got {})", user_id.len()),
        ));
    }
    if let Some(c) = user_id.chars().find(|c| c.is_control()) {
        return Err(Error::input(
            "user_id",
            format!("holds the control character {c:?}: remove it (letters, digits, _ and - are safe)"),
        ));
    }
    Ok(())
}

/// A lifetime of at least one second whose end fits in the 32 bits of an absolute expiry.
fn check_lifetime(time: u64, expire: u32) -> Result<(), Error> {
    if expire == 0 {
        return Err(Error::input(
            "expire",
            format!("is 0: give the lifetime in seconds (the official default is {DEFAULT_EXPIRE}, 180 days)"),
        ));
    }
    let end = time.saturating_add(u64::from(expire));
    if end > u64::from(u32::MAX) {
        return Err(Error::input(
            "expire",
            format!(
                "time {time} + expire {expire} = {end} is past {} (February 2106), the last expiry the service can \
                 represent: shorten the lifetime or check the time",
                u32::MAX
            ),
        ));
    }
    Ok(())
}
