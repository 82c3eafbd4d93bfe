//! When a failed attempt is tried again, and how long to wait first.
//!
//! The policy (how many attempts, how long to back off) is separate from the classification (which
//! failures may be retried at all), as in aws-smithy. Backoff is exponential with full jitter, and a
//! retry budget shared by every call of a client stops a dead service from getting a retry storm.
//!
//! - `mod.rs`: [`RetryPolicy`], the strategy: how many attempts and how long to back off;
//! - `classify.rs`: which failures may be retried at all, and why;
//! - `budget.rs`: the token bucket shared by a client's calls;
//! - `jitter.rs`: the random source of the backoff.

mod budget;
mod classify;
mod jitter;

use std::time::Duration;

pub(crate) use budget::RetryBudget;
pub(crate) use classify::{classify, RetryReason};
pub(crate) use jitter::Jitter;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
