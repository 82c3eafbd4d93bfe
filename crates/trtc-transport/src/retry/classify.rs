//! Retry classification: which failed attempts may be tried again, whatever the policy.

use trtc_model::ErrorClass;

use crate::{Error, TransportErrorKind};

/// Why a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryReason {
    /// `RequestLimitExceeded` or a sub-code.
    Throttled,
    /// A transient server error: `InternalError*`, or HTTP 502/503/504 with any body.
    Transient,
    /// No connection was made: the request was certainly not sent.
    NotSent,
    /// The request may have been processed but no answer came (a reset, a timeout of the attempt).
    Ambiguous,
}

impl RetryReason {
    /// What `self` costs from the retry budget.
    pub(super) fn cost(self) -> u32 {
        match self {
            RetryReason::Ambiguous => 10,
            _ => 5,
        }
    }

    /// A short name for logs.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RetryReason::Throttled => "throttled",
            RetryReason::Transient => "transient",
            RetryReason::NotSent => "not_sent",
            RetryReason::Ambiguous => "ambiguous",
        }
    }
}

/// Whether the failure `error` of an attempt may be retried; `idempotent` says whether the action is safe to
/// repeat after an ambiguous failure. Authentication and caller errors are never retried.
pub(crate) fn classify(error: &Error, idempotent: bool) -> Option<RetryReason> {
    match error {
        Error::Api(api) => match api.code.class() {
            ErrorClass::Throttled => Some(RetryReason::Throttled),
            ErrorClass::Transient => Some(RetryReason::Transient),
            _ => None,
        },
        Error::UnexpectedResponse { status: 502..=504, .. } => Some(RetryReason::Transient),
        Error::Transport(e) if e.kind() == TransportErrorKind::Connect => Some(RetryReason::NotSent),
        Error::Transport(e) if e.maybe_sent() && idempotent && e.kind() == TransportErrorKind::Io => {
            Some(RetryReason::Ambiguous)
        }
        Error::Timeout { .. } if idempotent => Some(RetryReason::Ambiguous),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use trtc_model::{ApiError, ErrorCode};

    use crate::TransportError;

    fn api(code: &str) -> Error {
        Error::Api(ApiError {
            code: ErrorCode::parse(code),
            message: String::new(),
            request_id: String::new(),
            status: 200,
        })
    }

    #[test]
    fn classification() {
        assert_eq!(
            classify(&api("RequestLimitExceeded"), false),
            Some(RetryReason::Throttled)
        );
        assert_eq!(
            classify(&api("RequestLimitExceeded.UinLimitExceeded"), false),
            Some(RetryReason::Throttled)
        );
        assert_eq!(classify(&api("InternalError"), false), Some(RetryReason::Transient));
        assert_eq!(
            classify(&api("InternalError.GetRoomCacheIpError"), false),
            Some(RetryReason::Transient)
        );
        assert_eq!(classify(&api("AuthFailure.SignatureFailure"), true), None);
        assert_eq!(classify(&api("FailedOperation.RoomNotExist"), true), None);
        assert_eq!(classify(&api("InvalidParameter.RoomId"), true), None);
        let html = |status| Error::UnexpectedResponse {
            status,
            detail: String::new(),
            snippet: String::new(),
        };
        assert_eq!(classify(&html(502), false), Some(RetryReason::Transient));
        assert_eq!(classify(&html(504), false), Some(RetryReason::Transient));
        assert_eq!(classify(&html(500), true), None);
        assert_eq!(classify(&html(200), true), None);
        let transport = |kind| Error::Transport(TransportError::new(kind, "x", None));
        assert_eq!(
            classify(&transport(TransportErrorKind::Connect), false),
            Some(RetryReason::NotSent)
        );
        assert_eq!(classify(&transport(TransportErrorKind::Io), false), None);
        assert_eq!(
            classify(&transport(TransportErrorKind::Io), true),
            Some(RetryReason::Ambiguous)
        );
        assert_eq!(classify(&transport(TransportErrorKind::BodyTooLarge), true), None);
        let timeout = Error::Timeout {
            after: Duration::from_secs(1),
        };
        assert_eq!(classify(&timeout, true), Some(RetryReason::Ambiguous));
        assert_eq!(classify(&timeout, false), None);
    }
}
