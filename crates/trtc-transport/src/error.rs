//! The one error type of the client: every way a call can end other than success.

use std::fmt;
use std::time::Duration;

use trtc_model::{ApiError, ErrorCode, ResponseError};
use trtc_sign::SignError;

use crate::{CredentialsError, RateLimitError, TransportError};

/// Why a call did not succeed. Each call ends in exactly one success or one `Error`.
///
/// No variant carries a secret: credentials are described by name, never printed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client is configured wrongly (found when it is built).
    Config {
        /// The setting at fault, e.g. `endpoint`.
        setting: &'static str,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// The request was refused before sending: a field breaks a rule, or the region is not offered.
    InvalidRequest(trtc_model::Error),
    /// The request could not be signed (bad credentials or header values).
    Sign(SignError),
    /// No credentials could be had from the configured provider.
    Credentials(CredentialsError),
    /// The service answered with an error code.
    Api(ApiError),
    /// The answer is not an API 3.0 envelope (an HTML 502 page, a truncated body); status and start kept.
    UnexpectedResponse {
        /// The HTTP status.
        status: u16,
        /// What is wrong with the answer.
        detail: String,
        /// The first bytes of the body.
        snippet: String,
    },
    /// The request could not be exchanged with the service.
    Transport(TransportError),
    /// No answer came within the timeout. The service may still have acted on the request.
    Timeout {
        /// The timeout that expired.
        after: Duration,
    },
    /// The rate limiter could not grant a permit (a shared store down, with a policy to fail); the request
    /// was not sent. Display and `source()` are the [`RateLimitError`]'s own.
    RateLimit(RateLimitError),
}

impl Error {
    /// The API error, when the service answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The API error code, when the service answered with one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.api().map(|e| &e.code)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config { setting, problem } => write!(f, "invalid client setting {setting}: {problem}"),
            Error::InvalidRequest(e) => write!(f, "request refused before sending: {e}"),
            Error::Sign(e) => write!(f, "cannot sign the request: {e}"),
            Error::Credentials(e) => write!(f, "no credentials: {e}"),
            Error::Api(e) => write!(f, "the service answered {e}"),
            Error::UnexpectedResponse { status, detail, snippet } => {
                write!(f, "unexpected response (HTTP {status}): {detail}; body starts {snippet:?}")
            }
            Error::Transport(e) => write!(f, "network error: {e}"),
            Error::Timeout { after } => write!(
                f,
                "no answer within {after:?}: the service may still have acted on the request; raise the timeout or retry"
            ),
            Error::RateLimit(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for Error {
    /// The cause of the error below the one whose message `Display` already includes: a reporter that walks
    /// the chain (anyhow, eyre, the CLI) prints each message once.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidRequest(e) => e.source(),
            Error::Sign(e) => e.source(),
            Error::Credentials(e) => e.source(),
            Error::Transport(e) => e.source(),
            // Transparent: the limiter's error comes next, not the wrapper whose message was just printed.
            Error::RateLimit(e) => std::error::Error::source(e),
            _ => None,
        }
    }
}

impl From<ResponseError> for Error {
    fn from(e: ResponseError) -> Self {
        match e {
            ResponseError::Api(api) => Error::Api(api),
            ResponseError::UnexpectedResponse {
                status,
                detail,
                snippet,
            } => Error::UnexpectedResponse {
                status,
                detail,
                snippet,
            },
            // A kind of answer this version does not know yet: still the answer's error, status kept.
            other => Error::UnexpectedResponse {
                status: other.status(),
                detail: other.to_string(),
                snippet: String::new(),
            },
        }
    }
}

impl From<SignError> for Error {
    fn from(e: SignError) -> Self {
        Error::Sign(e)
    }
}

impl From<RateLimitError> for Error {
    fn from(e: RateLimitError) -> Self {
        Error::RateLimit(e)
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::Transport(e)
    }
}
