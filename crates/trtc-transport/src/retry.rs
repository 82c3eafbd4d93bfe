//! When a failed attempt is tried again, and how long to wait first.
//!
//! The policy (how many attempts, how long to back off) is separate from the classification (which
//! failures may be retried at all), as in aws-smithy. Backoff is exponential with full jitter, and a
//! retry budget shared by every call of a client stops a dead service from getting a retry storm.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use trtc_model::ErrorClass;

use crate::{Error, TransportErrorKind};

/// How a client retries: attempts, backoff and the retry budget. `RetryPolicy::default()` is what a new
/// client uses.
///
/// ```
/// use std::time::Duration;
/// use trtc_transport::RetryPolicy;
///
/// let policy = RetryPolicy::default().with_max_attempts(5).with_max_backoff(Duration::from_secs(2));
/// assert_eq!(policy.max_attempts(), 5);
/// assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    throttled_backoff: Duration,
    max_backoff: Duration,
    budget: u32,
}

impl Default for RetryPolicy {
    /// 3 attempts; backoff from 100 ms (throttling: from 500 ms) doubling up to 5 s, full jitter; a budget of
    /// 500 tokens per client (a retry costs 5, a retry after a timeout 10, a success returns 1).
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            throttled_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(5),
            budget: 500,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The most attempts per call, the first included (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The backoff before the first retry of a transient failure; it doubles each retry.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The backoff before the first retry after throttling (`RequestLimitExceeded*`); it doubles each retry.
    pub fn with_throttled_backoff(mut self, backoff: Duration) -> Self {
        self.throttled_backoff = backoff;
        self
    }

    /// The longest backoff.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The retry budget in tokens, shared by all calls of a client.
    pub fn with_budget(mut self, tokens: u32) -> Self {
        self.budget = tokens;
        self
    }

    /// The most attempts per call.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The budget in tokens.
    pub fn budget(&self) -> u32 {
        self.budget
    }

    /// The full-jitter backoff before retry number `retry` (1 for the first retry): a uniformly random
    /// duration between zero and `min(max_backoff, base * 2^(retry-1))`.
    pub(crate) fn backoff(&self, reason: RetryReason, retry: u32, jitter: &Jitter) -> Duration {
        let base = match reason {
            RetryReason::Throttled => self.throttled_backoff,
            _ => self.initial_backoff,
        };
        let ceiling = base
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20))
            .min(self.max_backoff);
        ceiling.mul_f64(jitter.next_unit())
    }
}

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
    fn cost(self) -> u32 {
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

/// The token bucket that bounds retries across all calls of a client.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    tokens: AtomicU32,
    capacity: u32,
}

impl RetryBudget {
    pub(crate) fn new(capacity: u32) -> Self {
        RetryBudget {
            tokens: AtomicU32::new(capacity),
            capacity,
        }
    }

    /// Takes the cost of a retry for `reason`; `false` when the budget cannot pay it.
    pub(crate) fn withdraw(&self, reason: RetryReason) -> bool {
        let cost = reason.cost();
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// A success returns one token, up to the capacity.
    pub(crate) fn deposit(&self) {
        let capacity = self.capacity;
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| (t < capacity).then_some(t + 1));
    }

    #[cfg(test)]
    pub(crate) fn tokens(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

/// A small, lock-free pseudo-random source for jitter (xorshift64*, seeded from the process's random hasher
/// seed). Jitter needs spread, not cryptographic quality.
#[derive(Debug)]
pub(crate) struct Jitter {
    state: AtomicU64,
}

impl Jitter {
    pub(crate) fn new() -> Self {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(0x9e37_79b9_7f4a_7c15);
        Jitter {
            state: AtomicU64::new(hasher.finish() | 1),
        }
    }

    /// A number in `[0, 1)`.
    pub(crate) fn next_unit(&self) -> f64 {
        let step = |mut x: u64| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x
        };
        let previous = self
            .state
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(step(x)))
            .unwrap_or(1);
        let value = step(previous).wrapping_mul(0x2545_f491_4f6c_dd1d);
        (value >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn backoff_is_bounded_full_jitter() {
        let policy = RetryPolicy::default();
        let jitter = Jitter::new();
        for retry in 1..30 {
            let d = policy.backoff(RetryReason::Transient, retry, &jitter);
            let ceiling = Duration::from_millis(100)
                .saturating_mul(1 << (retry - 1).min(20))
                .min(Duration::from_secs(5));
            assert!(d <= ceiling, "retry {retry}: {d:?} > {ceiling:?}");
        }
        let spread: std::collections::HashSet<u128> = (0..100)
            .map(|_| policy.backoff(RetryReason::Transient, 3, &jitter).as_micros())
            .collect();
        assert!(spread.len() > 50, "jitter spreads the backoff");
    }

    #[test]
    fn budget_runs_dry_and_refills() {
        let budget = RetryBudget::new(12);
        assert!(budget.withdraw(RetryReason::Transient));
        assert!(budget.withdraw(RetryReason::Transient));
        assert!(
            !budget.withdraw(RetryReason::Transient),
            "2 tokens left, a retry costs 5"
        );
        for _ in 0..3 {
            budget.deposit();
        }
        assert_eq!(budget.tokens(), 5);
        assert!(budget.withdraw(RetryReason::Throttled));
        for _ in 0..100 {
            budget.deposit();
        }
        assert_eq!(budget.tokens(), 12, "never above capacity");
    }
}
