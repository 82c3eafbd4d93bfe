//! The one error type of this crate, and the names of the checks a verification can fail.

use std::fmt;

/// Why a UserSig or PrivateMapKey could not be minted, or why a received one is not valid.
///
/// No variant carries a secret: the SDK secret key is never printed, and neither is the string being verified
/// (it is a credential too).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An input to minting (or to [`Issuer::new`](crate::Issuer::new)) is not one the service accepts, so
    /// nothing was minted.
    InvalidInput {
        /// The input at fault, e.g. `user_id`.
        field: &'static str,
        /// What is wrong with it and what to do.
        problem: String,
    },
    /// A received string failed verification.
    Rejected {
        /// The check that failed.
        check: Check,
        /// What was found, without the string or the key.
        detail: String,
    },
}

impl Error {
    /// The check that failed, when this is a verification failure.
    ///
    /// ```
    /// use trtc_usersig::{Check, Issuer, Secret};
    ///
    /// let issuer = Issuer::new(1400000000, Secret::new("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"))?;
    /// let err = issuer.verify("alice", "not a UserSig", 1_700_000_000).unwrap_err();
    /// assert_eq!(err.check(), Some(Check::Malformed));
    /// # Ok::<(), trtc_usersig::Error>(())
    /// ```
    pub fn check(&self) -> Option<Check> {
        match self {
            Error::Rejected { check, .. } => Some(*check),
            Error::InvalidInput { .. } => None,
        }
    }

    pub(crate) fn input(field: &'static str, problem: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            problem: problem.into(),
        }
    }

    pub(crate) fn rejected(check: Check, detail: impl Into<String>) -> Self {
        Error::Rejected {
            check,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput { field, problem } => write!(f, "{field}: {problem}"),
            Error::Rejected { check, detail } => write!(f, "{check}: {detail}"),
        }
    }
}

impl std::error::Error for Error {}

/// The checks of a verification, in the order the official verifiers make them.
///
/// [`as_str`](Check::as_str) gives the stable name that `trtc usersig verify` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// The string does not decode to a UserSig document: bad base64, not a zlib stream, inflates to more
    /// than [`MAX_DOCUMENT_BYTES`](crate::MAX_DOCUMENT_BYTES), not JSON, a field missing or of the wrong type.
    Malformed,
    /// `TLS.sdkappid` is not the application's SdkAppId.
    SdkAppId,
    /// `TLS.identifier` is not the expected user id.
    Identifier,
    /// The lifetime is over: `now > TLS.time + TLS.expire`, or past the PrivateMapKey's own expiry.
    Expired,
    /// The userbuf is missing where a PrivateMapKey is expected, present where a plain UserSig is expected, or
    /// does not describe this user and application.
    UserBuf,
    /// `TLS.sig` is not the HMAC-SHA256 of the fields under the application's SDK secret key (a wrong key, or
    /// a field changed after signing).
    Signature,
}

impl Check {
    /// The stable name of the check: `malformed`, `sdk_app_id`, `identifier`, `expired`, `userbuf` or
    /// `signature`.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Malformed => "malformed",
            Check::SdkAppId => "sdk_app_id",
            Check::Identifier => "identifier",
            Check::Expired => "expired",
            Check::UserBuf => "userbuf",
            Check::Signature => "signature",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
