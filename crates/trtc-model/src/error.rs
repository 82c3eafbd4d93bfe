//! The one error type of this crate: a request refused before sending, or an answer that is an error.

use std::fmt;

use crate::ErrorCode;

/// How much of an unreadable body an error keeps.
pub const SNIPPET_LIMIT: usize = 256;

/// An error answered by the service: `{"Response":{"Error":{"Code":..,"Message":..},"RequestId":..}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The error code, e.g. `FailedOperation.RoomNotExist`.
    pub code: ErrorCode,
    /// The service's message.
    pub message: String,
    /// The request id, to quote to support.
    pub request_id: String,
    /// The HTTP status the error came with (200 for almost every API 3.0 error).
    pub status: u16,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (RequestId {})", self.code, self.message, self.request_id)
    }
}

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A request field breaks a rule the service certainly enforces; found before anything is sent.
    InvalidField {
        /// The field, as the API names it (`RoomId`).
        field: &'static str,
        /// The rule broken, the value and what to do.
        problem: String,
    },
    /// A request body read from JSON ([`read_request`](crate::read_request)) is not the action's request: a
    /// member of the wrong type, a required member missing, a member the action does not have, or not JSON.
    InvalidBody(BodyError),
    /// The action is documented for other regions only.
    UnsupportedRegion {
        /// The action.
        action: &'static str,
        /// The region asked for.
        region: String,
        /// The documented regions.
        supported: String,
    },
    /// The service answered with an error.
    Api(ApiError),
    /// The answer is not an API 3.0 envelope: an HTML error page, a truncated body, a proxy's answer.
    UnexpectedResponse {
        /// The HTTP status.
        status: u16,
        /// What is wrong with it.
        detail: String,
        /// The first bytes of the body (at most [`SNIPPET_LIMIT`]), lossily decoded.
        snippet: String,
    },
}

impl Error {
    pub(crate) fn invalid(field: &'static str, problem: impl Into<String>) -> Self {
        Error::InvalidField {
            field,
            problem: problem.into(),
        }
    }

    /// The API error, when the service answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidField { field, problem } => write!(f, "{field}: {problem}"),
            Error::UnsupportedRegion {
                action,
                region,
                supported,
            } => write!(
                f,
                "{action} is not offered in region {region}: use one of {supported} (or opt out of the region check if the service now supports it)"
            ),
            Error::InvalidBody(e) => e.fmt(f),
            Error::Api(e) => e.fmt(f),
            Error::UnexpectedResponse { status, detail, snippet } => {
                write!(f, "unexpected response (HTTP {status}): {detail}; body starts {snippet:?}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        None
    }
}

/// Why an answer is not the action's success: what [`parse_response`](crate::parse_response) returns. It can
/// only be one of the two things an answer can be, so a caller never has to ask whether it is a validation
/// error; [`Error`] converts from it for code that handles both with one `?`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseError {
    /// The service answered with an error envelope.
    Api(ApiError),
    /// The answer is not an API 3.0 envelope: an HTML error page, a truncated body, a proxy's answer.
    UnexpectedResponse {
        /// The HTTP status.
        status: u16,
        /// What is wrong with it.
        detail: String,
        /// The first bytes of the body (at most [`SNIPPET_LIMIT`]), lossily decoded.
        snippet: String,
    },
}

impl ResponseError {
    pub(crate) fn unexpected(status: u16, detail: impl Into<String>, body: &[u8]) -> Self {
        ResponseError::UnexpectedResponse {
            status,
            detail: detail.into(),
            snippet: snippet(body),
        }
    }

    /// The API error, when the service answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            ResponseError::Api(e) => Some(e),
            ResponseError::UnexpectedResponse { .. } => None,
        }
    }

    /// The HTTP status the answer came with.
    pub fn status(&self) -> u16 {
        match self {
            ResponseError::Api(e) => e.status,
            ResponseError::UnexpectedResponse { status, .. } => *status,
        }
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Api(e) => e.fmt(f),
            ResponseError::UnexpectedResponse {
                status,
                detail,
                snippet,
            } => {
                write!(
                    f,
                    "unexpected response (HTTP {status}): {detail}; body starts {snippet:?}"
                )
            }
        }
    }
}

impl std::error::Error for ResponseError {}

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
        }
    }
}

/// What is wrong with a request body read from JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BodyError {
    /// The member, as a JSON path in the API's spelling (`RecordParams.SubscribeStreamUserIds.SubscribeAudioUserIds[0]`);
    /// empty for the body itself.
    pub path: String,
    /// Which kind of mistake.
    pub kind: BodyErrorKind,
    /// What was expected, or what to do.
    pub message: String,
}

/// The kinds of [`BodyError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyErrorKind {
    /// The body is not JSON.
    Syntax,
    /// A member holds a value of another type than the spec's (or one its type refuses, such as `IsMute: 4`).
    WrongType,
    /// A required member is missing.
    Missing,
    /// The object has no member of this name.
    Unknown {
        /// The object's type, as the spec names it (`RecordParams`).
        object: &'static str,
        /// The member names the object has.
        valid: Vec<&'static str>,
    },
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "the body: {}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for BodyError {}

/// At most [`SNIPPET_LIMIT`] bytes of `body`, cut at a character boundary, invalid UTF-8 replaced.
pub fn snippet(body: &[u8]) -> String {
    let mut end = body.len().min(SNIPPET_LIMIT);
    let text = loop {
        match std::str::from_utf8(&body[..end]) {
            Ok(text) => break std::borrow::Cow::Borrowed(text),
            // Cut inside a multi-byte character: back off to its start.
            Err(e) if e.error_len().is_none() && end > e.valid_up_to() => end = e.valid_up_to(),
            Err(_) => break String::from_utf8_lossy(&body[..end]),
        }
    };
    text.into_owned()
}
