//! The receiver's checks, in order: body size, `Sign`, `SdkAppId`, the signature (in constant time), JSON,
//! the body's `SdkAppId`, `CallbackTs` against the window, the typed event.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::{Callback, CallbackKey, Error};

/// The default replay window: a callback whose `CallbackTs` is further than this from the receiver's clock is
/// refused.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(5 * 60);

/// The default body limit, 64 KiB: the largest documented events (an MP4 task's file list) are a few KiB.
pub const DEFAULT_MAX_BODY_LEN: usize = 64 * 1024;

/// The length of a `Sign` header: the standard base64, padded, of 32 bytes.
const SIGN_LEN: usize = 44;

/// Checks callbacks for one application: the key, the application, the replay window and the body limit.
///
/// Framework-agnostic: it takes the headers as name/value pairs, the raw body bytes and the time, and answers
/// the typed [`Callback`] or the [`Error`] of the first check that failed. It reads no clock (the time is an
/// input, as for the signer) and does no IO. With the `server` feature, the `server` module wraps it in a
/// hyper service.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use trtc_callback::{CallbackKey, Check, Verifier};
///
/// // The signature example of the "Verify Signature Example" page: key 123654, this exact body.
/// let body = "{\n\t\"EventGroupId\":\t2,\n\t\"EventType\":\t204,\n\t\"CallbackTs\":\t1664209748188,\n\
///             \t\"EventInfo\":\t{\n\t\t\"RoomId\":\t8489,\n\t\t\"EventTs\":\t1664209748,\n\
///             \t\t\"EventMsTs\":\t1664209748180,\n\
///             \t\t\"UserId\":\t\"user_85034614\",\n\t\t\"Reason\":\t0\n\t}\n}";
/// let headers = [("Sign", "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA="), ("SdkAppId", "1400000001")];
///
/// let verifier = Verifier::new(CallbackKey::new("123654")?, 1400000001);
/// let now = UNIX_EPOCH + Duration::from_millis(1664209749000);
/// let callback = verifier.verify(headers, body.as_bytes(), now)?;
/// assert_eq!(callback.event().name(), "StopAudio");
///
/// // A day later the same callback is a replay.
/// let err = verifier.verify(headers, body.as_bytes(), now + Duration::from_secs(86_400)).unwrap_err();
/// assert_eq!(err.check(), Check::CallbackTs);
/// assert_eq!(err.status(), 400);
/// # Ok::<(), trtc_callback::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    key: CallbackKey,
    sdk_app_id: u64,
    window: Duration,
    max_body_len: usize,
}

impl Verifier {
    /// A verifier for `sdk_app_id`'s callbacks, signed with `key`, with the default window (5 minutes) and
    /// body limit (64 KiB).
    pub fn new(key: CallbackKey, sdk_app_id: u64) -> Self {
        Verifier {
            key,
            sdk_app_id,
            window: DEFAULT_WINDOW,
            max_body_len: DEFAULT_MAX_BODY_LEN,
        }
    }

    /// How far `CallbackTs` may be from the receiver's clock, either way. Replays older than this are
    /// refused; so are callbacks from a clock this far ahead.
    pub fn with_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// The longest body accepted, in bytes. A longer one is refused before anything else is looked at.
    pub fn with_max_body_len(mut self, max_body_len: usize) -> Self {
        self.max_body_len = max_body_len;
        self
    }

    /// The application this verifier accepts.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// The replay window.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// The body limit in bytes.
    pub fn max_body_len(&self) -> usize {
        self.max_body_len
    }

    /// Checks one callback: `headers` as received (names compared without regard to case), the raw body
    /// bytes exactly as received, and the time now.
    pub fn verify<I, N, V>(&self, headers: I, body: &[u8], now: SystemTime) -> Result<Callback, Error>
    where
        I: IntoIterator<Item = (N, V)>,
        N: AsRef<str>,
        V: AsRef<[u8]>,
    {
        if body.len() > self.max_body_len {
            return Err(Error::BodyTooLarge {
                limit: self.max_body_len,
                length: u64::try_from(body.len()).ok(),
            });
        }
        let mut sign = None;
        let mut sdk_app_id = None;
        for (name, value) in headers {
            let name = name.as_ref();
            if name.eq_ignore_ascii_case("Sign") {
                if sign.is_some() {
                    return Err(Error::MalformedSign {
                        problem: "appears more than once",
                    });
                }
                sign = Some(value.as_ref().to_vec());
            } else if name.eq_ignore_ascii_case("SdkAppId") {
                if sdk_app_id.is_some() {
                    return Err(Error::MalformedSdkAppId {
                        got: "(more than one header)".to_owned(),
                    });
                }
                sdk_app_id = Some(parse_sdk_app_id(value.as_ref())?);
            }
        }
        let sign = sign.ok_or(Error::MissingSign)?;
        let expected = decode_sign(&sign)?;
        let header_app = sdk_app_id.ok_or(Error::MissingSdkAppId)?;
        if header_app != self.sdk_app_id {
            return Err(Error::UnexpectedSdkAppId {
                expected: self.sdk_app_id,
                got: header_app,
            });
        }
        self.check_signature_bytes(&expected, body)?;

        let raw: Value = serde_json::from_slice(body).map_err(|source| Error::NotJson { source })?;
        if let Some(body_app) = body_sdk_app_id(&raw)? {
            if body_app != header_app {
                return Err(Error::SdkAppIdMismatch {
                    header: header_app,
                    body: body_app,
                });
            }
        }
        let callback = Callback::from_value(raw)?;
        self.check_time(callback.callback_ts_ms(), now)?;
        Ok(callback)
    }

    /// Checks only a signature: `sign` (the `Sign` header's value) against `body` with this verifier's key.
    pub fn check_signature(&self, sign: &str, body: &[u8]) -> Result<(), Error> {
        let expected = decode_sign(sign.as_bytes())?;
        self.check_signature_bytes(&expected, body)
    }

    fn check_signature_bytes(&self, received: &[u8; 32], body: &[u8]) -> Result<(), Error> {
        let computed = trtc_sign::hmac_sha256(self.key.expose_secret().as_bytes(), body);
        if bool::from(digests_equal(&computed, received)) {
            Ok(())
        } else {
            Err(Error::SignatureMismatch)
        }
    }

    fn check_time(&self, callback_ts_ms: u64, now: SystemTime) -> Result<(), Error> {
        let now_ms = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let window_ms = u64::try_from(self.window.as_millis()).unwrap_or(u64::MAX);
        if callback_ts_ms.abs_diff(now_ms) > window_ms {
            return Err(Error::OutsideWindow {
                callback_ts_ms,
                now_ms,
                window: self.window,
            });
        }
        Ok(())
    }
}

/// The signatures compared in constant time, by the `subtle` crate: the time taken does not depend on how
/// many leading bytes agree.
pub(crate) fn digests_equal(a: &[u8; 32], b: &[u8; 32]) -> subtle::Choice {
    a[..].ct_eq(&b[..])
}

fn decode_sign(sign: &[u8]) -> Result<[u8; 32], Error> {
    if sign.is_empty() {
        return Err(Error::MalformedSign { problem: "is empty" });
    }
    if sign.len() != SIGN_LEN {
        return Err(Error::MalformedSign {
            problem: "is not 44 characters long",
        });
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(sign)
        .map_err(|_| Error::MalformedSign {
            problem: "is not standard base64",
        })?;
    <[u8; 32]>::try_from(decoded.as_slice()).map_err(|_| Error::MalformedSign {
        problem: "does not decode to 32 bytes",
    })
}

fn parse_sdk_app_id(value: &[u8]) -> Result<u64, Error> {
    let malformed = || Error::MalformedSdkAppId {
        got: String::from_utf8_lossy(&value[..value.len().min(40)]).into_owned(),
    };
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(malformed());
    }
    std::str::from_utf8(value)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(malformed)
}

/// The body's own `SdkAppId` (any case), when it has one at the top level.
fn body_sdk_app_id(raw: &Value) -> Result<Option<u64>, Error> {
    let Value::Object(map) = raw else {
        return Ok(None);
    };
    let Some((_, value)) = map.iter().find(|(k, _)| k.eq_ignore_ascii_case("SdkAppId")) else {
        return Ok(None);
    };
    let number = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    };
    number.map(Some).ok_or(Error::Body {
        field: "SdkAppId",
        problem: "is not a whole number",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comparison_is_subtle_s() {
        // The type says which crate decided; the values say it decides correctly.
        let a = [7u8; 32];
        let mut b = a;
        let same: subtle::Choice = digests_equal(&a, &b);
        assert!(bool::from(same));
        b[31] ^= 1;
        assert!(!bool::from(digests_equal(&a, &b)));
        b = a;
        b[0] ^= 0x80;
        assert!(!bool::from(digests_equal(&a, &b)));
    }

    #[test]
    fn the_verifier_compares_through_digests_equal_only() {
        // No `==` on the digests anywhere in this module: the one comparison is `digests_equal`.
        let source = include_str!("verify.rs");
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        assert!(code.contains("a[..].ct_eq(&b[..])"));
        assert!(code.contains("bool::from(digests_equal(&computed, received))"));
        assert!(!code.contains("computed =="));
        assert!(!code.contains("== computed"));
        assert!(!code.contains("received =="));
    }
}
