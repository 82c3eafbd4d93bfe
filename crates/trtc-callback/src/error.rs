//! The crate's one error type: every check a callback can fail, and a refused key.

use std::fmt;
use std::time::Duration;

use crate::key::KeyProblem;

/// Why a callback was refused (or a key, or a body, could not be used).
///
/// Each error names its [`Check`]; [`Error::status`] is the HTTP status a receiver answers with. No message
/// repeats the key, and a header value is quoted only when it is not the signature.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The callback key is not 1 to 32 ASCII letters and digits.
    InvalidKey {
        /// What is wrong, without the value.
        problem: KeyProblem,
    },
    /// The body is longer than the receiver accepts; it was not read further.
    BodyTooLarge {
        /// The receiver's limit in bytes.
        limit: usize,
        /// The length announced or reached, when known.
        length: Option<u64>,
    },
    /// No `Sign` header.
    MissingSign,
    /// A `Sign` header that is not the standard base64 of 32 bytes, or more than one.
    MalformedSign {
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The `Sign` header is well-formed but is not the HMAC-SHA256 of this body with this key.
    SignatureMismatch,
    /// No `SdkAppId` header.
    MissingSdkAppId,
    /// An `SdkAppId` header that is not a whole number.
    MalformedSdkAppId {
        /// The header's value (at most 40 characters of it).
        got: String,
    },
    /// The `SdkAppId` header names another application than the receiver's.
    UnexpectedSdkAppId {
        /// The receiver's application.
        expected: u64,
        /// The header's.
        got: u64,
    },
    /// The body names another application than its `SdkAppId` header.
    SdkAppIdMismatch {
        /// The header's application.
        header: u64,
        /// The body's.
        body: u64,
    },
    /// `CallbackTs` is further from the receiver's clock than its window allows.
    OutsideWindow {
        /// `CallbackTs`, Unix milliseconds.
        callback_ts_ms: u64,
        /// The receiver's clock, Unix milliseconds.
        now_ms: u64,
        /// The receiver's window.
        window: Duration,
    },
    /// The body is not JSON.
    NotJson {
        /// The parser's error.
        source: serde_json::Error,
    },
    /// The body is JSON but not a callback: a field of the envelope is missing or of the wrong type.
    Body {
        /// The field (`EventGroupId`, `EventType`, `CallbackTs`).
        field: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The body could not be read to its end (the connection failed or closed early).
    BodyUnreadable {
        /// The body's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A known event whose `EventInfo` does not have the documented fields (the parser's error, through
    /// `source()`, names the field).
    EventInfo {
        /// `EventGroupId`.
        group: u32,
        /// `EventType`.
        event_type: u32,
        /// The parser's error.
        source: serde_json::Error,
    },
}

/// The check a callback failed, for logs and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// The callback key itself.
    Key,
    /// The body's length against the receiver's limit.
    BodySize,
    /// The `Sign` header's presence and form.
    Sign,
    /// The signature against the body and key.
    Signature,
    /// The `SdkAppId` header, and the body's when it has one.
    SdkAppId,
    /// `CallbackTs` against the receiver's clock and window.
    CallbackTs,
    /// The body as JSON.
    Json,
    /// The body's envelope and `EventInfo`.
    Body,
}

impl Check {
    /// A short name: `"Sign"`, `"signature"`, `"SdkAppId"`, `"CallbackTs"`, `"body size"`, `"JSON"`,
    /// `"body"`, `"key"`.
    pub fn name(self) -> &'static str {
        match self {
            Check::Key => "key",
            Check::BodySize => "body size",
            Check::Sign => "Sign",
            Check::Signature => "signature",
            Check::SdkAppId => "SdkAppId",
            Check::CallbackTs => "CallbackTs",
            Check::Json => "JSON",
            Check::Body => "body",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Error {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            Error::InvalidKey { .. } => Check::Key,
            Error::BodyTooLarge { .. } => Check::BodySize,
            Error::MissingSign | Error::MalformedSign { .. } => Check::Sign,
            Error::SignatureMismatch => Check::Signature,
            Error::MissingSdkAppId
            | Error::MalformedSdkAppId { .. }
            | Error::UnexpectedSdkAppId { .. }
            | Error::SdkAppIdMismatch { .. } => Check::SdkAppId,
            Error::OutsideWindow { .. } => Check::CallbackTs,
            Error::NotJson { .. } => Check::Json,
            Error::Body { .. } | Error::BodyUnreadable { .. } | Error::EventInfo { .. } => Check::Body,
        }
    }

    /// The HTTP status a receiver answers with: 401 when the request is not proven to come from the service
    /// for this application (`Sign`, signature, `SdkAppId`), 400 for the rest.
    pub fn status(&self) -> u16 {
        match self.check() {
            Check::Sign | Check::Signature | Check::SdkAppId => 401,
            _ => 400,
        }
    }
}

fn millis(d: u64) -> String {
    if d % 1000 == 0 {
        format!("{} s", d / 1000)
    } else {
        format!("{}.{:03} s", d / 1000, d % 1000)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidKey { problem } => write!(
                f,
                "callback key must be 1 to 32 ASCII letters and digits, as the TRTC console sets it, but {problem}"
            ),
            Error::BodyTooLarge {
                limit,
                length: Some(length),
            } => write!(
                f,
                "body of {length} bytes is over this receiver's limit of {limit} bytes; it was not read further \
                 (raise the limit if the service's events are this large)"
            ),
            Error::BodyTooLarge { limit, length: None } => write!(
                f,
                "body is over this receiver's limit of {limit} bytes; it was not read further (raise the limit \
                 if the service's events are this large)"
            ),
            Error::MissingSign => f.write_str(
                "no Sign header: TRTC signs every callback when the application has a callback key (set one in \
                 the console's callback configuration)",
            ),
            Error::MalformedSign { problem } => {
                write!(
                    f,
                    "Sign header {problem}: it must be the standard base64 of an HMAC-SHA256 (44 characters)"
                )
            }
            Error::SignatureMismatch => f.write_str(
                "Sign header does not match the body: not sent by TRTC with this callback key, or the body was \
                 changed on the way (check the key and that the raw body bytes are verified)",
            ),
            Error::MissingSdkAppId => f.write_str("no SdkAppId header"),
            Error::MalformedSdkAppId { got } => write!(f, "SdkAppId header {got:?} is not a whole number"),
            Error::UnexpectedSdkAppId { expected, got } => write!(
                f,
                "SdkAppId header is {got}, but this receiver is for application {expected}"
            ),
            Error::SdkAppIdMismatch { header, body } => {
                write!(f, "body's SdkAppId {body} is not its SdkAppId header's {header}")
            }
            Error::OutsideWindow {
                callback_ts_ms,
                now_ms,
                window,
            } => {
                let (distance, side) = if callback_ts_ms <= now_ms {
                    (now_ms - callback_ts_ms, "before")
                } else {
                    (callback_ts_ms - now_ms, "after")
                };
                write!(
                    f,
                    "CallbackTs {callback_ts_ms} is {} {side} this receiver's clock, outside its window of {}: a \
                     replayed callback, or a clock to correct",
                    millis(distance),
                    millis(u64::try_from(window.as_millis()).unwrap_or(u64::MAX)),
                )
            }
            Error::NotJson { .. } => f.write_str("body is not JSON"),
            Error::Body { field, problem } => write!(f, "body is not a TRTC callback: {field} {problem}"),
            Error::BodyUnreadable { .. } => f.write_str("body could not be read to its end"),
            Error::EventInfo { group, event_type, .. } => write!(
                f,
                "EventInfo of event {event_type} (group {group}) does not have the documented fields"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::NotJson { source } | Error::EventInfo { source, .. } => Some(source),
            Error::BodyUnreadable { source } => Some(source.as_ref()),
            _ => None,
        }
    }
}
