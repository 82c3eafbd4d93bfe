//! The one error type of this crate.

use std::fmt;

/// Why a request could not be signed.
///
/// Every variant names the input at fault and says what to do. No variant carries a secret value:
/// a bad SecretKey or token is described, never printed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// A required input is empty.
    Empty {
        /// The input, e.g. `SecretId`.
        field: &'static str,
    },
    /// A credential has leading or trailing whitespace, the most common cause of `SignatureFailure`
    /// (a key copied with its newline).
    Whitespace {
        /// The input, e.g. `SecretKey`.
        field: &'static str,
    },
    /// An input that must be ASCII is not.
    NonAscii {
        /// The input, e.g. `SecretId`.
        field: &'static str,
    },
    /// An input that becomes an HTTP header value holds a control character (CR, LF, NUL, ...),
    /// which would split or corrupt the header.
    ControlCharacter {
        /// The input, e.g. `Action`.
        field: &'static str,
    },
    /// The service name is not a Tencent Cloud product name (lowercase letters and digits, e.g. `trtc`, `cvm`).
    InvalidService {
        /// The value given.
        got: String,
    },
    /// The timestamp is past 9999-12-31T23:59:59Z.
    TimestampOutOfRange {
        /// The value given, in seconds since the Unix epoch.
        got: u64,
    },
    /// The GET query holds a character that cannot be sent in a URL as it is (a space, `#`, a control or
    /// non-ASCII character), so the query the service receives would differ from the one signed.
    InvalidQuery,
    /// A parameter of a v1 request cannot be signed as given.
    InvalidParameter {
        /// The parameter name (never its value, which may be a token).
        name: String,
        /// What is wrong and what to do.
        problem: &'static str,
    },
    /// A cached [`SigningKey`](crate::SigningKey) was used for another date or service than the one it
    /// was derived for.
    KeyMismatch {
        /// What the key was derived for, as `date/service`.
        key_scope: String,
        /// What the request needs, as `date/service`.
        request_scope: String,
    },
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::Empty { field } => write!(f, "{field} is empty: set it to a non-empty value"),
            SignError::Whitespace { field } => write!(
                f,
                "{field} has leading or trailing whitespace: remove it (a copied newline or space makes every signature fail)"
            ),
            SignError::NonAscii { field } => write!(
                f,
                "{field} contains non-ASCII characters: use the value exactly as the console shows it"
            ),
            SignError::ControlCharacter { field } => write!(
                f,
                "{field} contains a control character (CR, LF, NUL, ...): it is sent in an HTTP header, remove it"
            ),
            SignError::InvalidService { got } => write!(
                f,
                "service {got:?} is not a product name: use lowercase letters and digits, e.g. \"trtc\" or \"cvm\""
            ),
            SignError::TimestampOutOfRange { got } => write!(
                f,
                "timestamp {got} is after 9999-12-31T23:59:59Z: pass seconds since the Unix epoch"
            ),
            SignError::InvalidQuery => write!(
                f,
                "query contains a space, '#', a control or non-ASCII character: percent-encode it exactly as it is sent in the URL (e.g. Name=a%20b)"
            ),
            SignError::InvalidParameter { name, problem } => write!(f, "parameter {name:?} {problem}"),
            SignError::KeyMismatch { key_scope, request_scope } => write!(
                f,
                "signing key was derived for {key_scope} but the request is for {request_scope}: derive a new key"
            ),
        }
    }
}

impl std::error::Error for SignError {}
