//! The one error type of the crate: a setting that cannot work, or a Redis that did not answer when it had to.

use std::fmt;
use std::sync::Arc;

use trtc_transport::RateLimitError;

/// What kind of failure a [`RedisLimiterError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RedisLimiterErrorKind {
    /// A setting or the Redis URL is wrong (found when the limiter is made); [`RedisLimiterError::setting`]
    /// names it.
    Config,
    /// Redis did not answer, or answered with an error: at [`connect`](crate::RedisRateLimiter::connect), or
    /// for a permit under [`FallbackPolicy::Fail`](crate::FallbackPolicy::Fail).
    Unavailable,
}

/// Why a [`RedisRateLimiter`](crate::RedisRateLimiter) could not be made or could not grant a permit.
///
/// `Display` is the limiter's own message (which Redis, what it was doing, what to do); the error from the
/// `redis` crate, when there is one, is the [`source`](std::error::Error::source). Neither ever shows the
/// password of the Redis URL.
///
/// ```
/// use trtc_ratelimit_redis::{RedisLimiterErrorKind, RedisLimiterOptions, RedisRateLimiter};
///
/// let err = RedisRateLimiter::new("http://:s3cret@127.0.0.1:6379", RedisLimiterOptions::default()).unwrap_err();
/// assert_eq!(err.kind(), RedisLimiterErrorKind::Config);
/// assert_eq!(err.setting(), Some("url"));
/// assert!(!err.to_string().contains("s3cret"));
/// ```
#[derive(Debug, Clone)]
pub struct RedisLimiterError {
    kind: RedisLimiterErrorKind,
    setting: Option<&'static str>,
    message: String,
    source: Option<Arc<redis::RedisError>>,
}

impl RedisLimiterError {
    pub(crate) fn config(setting: &'static str, problem: String) -> Self {
        RedisLimiterError {
            kind: RedisLimiterErrorKind::Config,
            setting: Some(setting),
            message: format!("invalid Redis rate limiter setting {setting}: {problem}"),
            source: None,
        }
    }

    pub(crate) fn config_caused(setting: &'static str, problem: String, cause: redis::RedisError) -> Self {
        RedisLimiterError {
            source: Some(Arc::new(cause)),
            ..RedisLimiterError::config(setting, problem)
        }
    }

    pub(crate) fn unavailable(message: String, source: Option<Arc<redis::RedisError>>) -> Self {
        RedisLimiterError {
            kind: RedisLimiterErrorKind::Unavailable,
            setting: None,
            message,
            source,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> RedisLimiterErrorKind {
        self.kind
    }

    /// The setting at fault, for [`RedisLimiterErrorKind::Config`]: `url`, `rate`, `burst`, `guard`,
    /// `command_timeout`, `connect_timeout`, `retry_interval` or `fallback_rate`.
    pub fn setting(&self) -> Option<&'static str> {
        self.setting
    }

    /// The error of the `redis` crate behind this one, if any (refused connection, `WRONGPASS`, `NOAUTH`...).
    pub fn redis_error(&self) -> Option<&redis::RedisError> {
        self.source.as_deref()
    }
}

impl fmt::Display for RedisLimiterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RedisLimiterError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<RedisLimiterError> for RateLimitError {
    fn from(e: RedisLimiterError) -> Self {
        RateLimitError::new(e)
    }
}
