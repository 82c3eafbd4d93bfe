//! `ErrorCode`: every error code the service is known to answer, with its description and retry class.

use std::fmt;
use std::str::FromStr;

/// How a caller should react to an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// The request was throttled: retry after a backoff.
    Throttled,
    /// A transient server-side failure: retry.
    Transient,
    /// The credentials or signature were refused: fix them, retrying cannot help.
    Authentication,
    /// The request itself is wrong (parameters, permissions, state): never retry as is.
    Caller,
}

impl ErrorClass {
    /// Whether a retry of the same request can succeed.
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorClass::Throttled | ErrorClass::Transient)
    }
}

macro_rules! error_codes {
    ($( $(#[$meta:meta])* $variant:ident => ($code:literal, $class:ident, $desc:literal), )*) => {
        /// An API error code such as `FailedOperation.RoomNotExist`.
        ///
        /// Codes not known to this version parse as [`ErrorCode::Other`]; parsing and printing round-trip exactly.
        ///
        /// ```
        /// use trtc_model::{ErrorClass, ErrorCode};
        ///
        /// let code: ErrorCode = "FailedOperation.RoomNotExist".parse().unwrap();
        /// assert_eq!(code, ErrorCode::FailedOperationRoomNotExist);
        /// assert_eq!(code.class(), ErrorClass::Caller);
        /// assert_eq!(code.to_string(), "FailedOperation.RoomNotExist");
        /// let unknown: ErrorCode = "FailedOperation.Brand.New".parse().unwrap();
        /// assert_eq!(unknown.as_str(), "FailedOperation.Brand.New");
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$meta])* #[doc = $desc] $variant, )*
            /// A code this version does not know yet, kept as received.
            Other(String),
        }

        impl ErrorCode {
            /// The code as the service spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( ErrorCode::$variant => $code, )*
                    ErrorCode::Other(code) => code,
                }
            }

            /// The documented English description; `None` for unknown codes.
            pub fn description(&self) -> Option<&'static str> {
                match self {
                    $( ErrorCode::$variant => Some($desc), )*
                    ErrorCode::Other(_) => None,
                }
            }

            /// How to react to this code. Unknown codes are classed by their prefix
            /// (`RequestLimitExceeded.*` throttled, `InternalError.*` transient, `AuthFailure.*` authentication),
            /// else as caller errors.
            pub fn class(&self) -> ErrorClass {
                match self {
                    $( ErrorCode::$variant => ErrorClass::$class, )*
                    ErrorCode::Other(code) => class_by_prefix(code),
                }
            }

            /// Parses a code; never fails (unknown codes become [`ErrorCode::Other`]).
            pub fn parse(code: &str) -> ErrorCode {
                match code {
                    $( $code => ErrorCode::$variant, )*
                    other => ErrorCode::Other(other.to_owned()),
                }
            }

            /// Every known code, for tables and tests.
            pub const KNOWN: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];
        }
    };
}

fn class_by_prefix(code: &str) -> ErrorClass {
    let head = code.split('.').next().unwrap_or(code);
    match head {
        "RequestLimitExceeded" => ErrorClass::Throttled,
        "InternalError" | "ResourceUnavailable" => ErrorClass::Transient,
        "AuthFailure" => ErrorClass::Authentication,
        _ => ErrorClass::Caller,
    }
}

include!("error_codes.rs.in");

impl FromStr for ErrorCode {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(ErrorCode::parse(s))
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(ErrorCode::parse(&code))
    }
}
