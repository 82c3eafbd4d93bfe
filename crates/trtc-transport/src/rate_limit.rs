//! Client-side rate limiting: callers wait for a permit, so a burst never turns into `RequestLimitExceeded`.
//!
//! The service documents 20 requests per second for each room action. [`LocalRateLimiter`] keeps that budget
//! within one process; the [`RateLimiter`] trait lets a shared limiter (across processes) take its place.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::{BoxFuture, Error};

/// The documented limit of the TRTC room actions, in requests per second.
pub const DOCUMENTED_RATE_PER_SECOND: u32 = 20;

/// What a permit is for: one request of `action` to `service`, signed by `secret_id` (the account's key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RateKey<'a> {
    /// The service, e.g. `trtc`.
    pub service: &'a str,
    /// The action, e.g. `DismissRoom`.
    pub action: &'a str,
    /// The SecretId signing the request (a stand-in for the account).
    pub secret_id: &'a str,
}

/// Grants permits to send. An implementation waits until the request may go, and returns an error only
/// when it cannot decide (a shared store that is down and configured to fail).
pub trait RateLimiter: Send + Sync + fmt::Debug + 'static {
    /// Waits for a permit to send one request for `key`.
    fn acquire<'a>(&'a self, key: RateKey<'a>) -> BoxFuture<'a, Result<(), Error>>;
}

/// An in-process limiter: per (service, action, SecretId), at most `rate` requests per second with bursts
/// of `burst`, callers queued in arrival order (GCRA: each permit books the next free slot).
///
/// The default, 20 per second with a burst of 1, spaces requests 50 ms apart, so no one-second window ever
/// holds more than 20 of them, whatever window the service counts in.
///
/// ```
/// use trtc_transport::LocalRateLimiter;
///
/// let limiter = LocalRateLimiter::new(20, 1).unwrap();
/// assert_eq!(limiter.rate(), 20);
/// assert!(LocalRateLimiter::new(0, 1).is_err());
/// ```
pub struct LocalRateLimiter {
    rate: u32,
    burst: u32,
    interval: Duration,
    // For each key, the theoretical arrival time of the next request (GCRA's TAT).
    next: Mutex<HashMap<String, Instant>>,
}

impl fmt::Debug for LocalRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalRateLimiter")
            .field("rate", &self.rate)
            .field("burst", &self.burst)
            .finish_non_exhaustive()
    }
}

impl Default for LocalRateLimiter {
    fn default() -> Self {
        LocalRateLimiter {
            rate: DOCUMENTED_RATE_PER_SECOND,
            burst: 1,
            interval: Duration::from_secs(1) / DOCUMENTED_RATE_PER_SECOND,
            next: Mutex::new(HashMap::new()),
        }
    }
}

impl LocalRateLimiter {
    /// At most `rate` requests per second per key, `burst` of them back to back.
    pub fn new(rate: u32, burst: u32) -> Result<Self, Error> {
        if rate == 0 || burst == 0 {
            return Err(Error::Config {
                setting: "rate_limit",
                problem: format!(
                    "rate and burst must be at least 1 (got {rate} per second, burst {burst}); to send without a limit, turn the limiter off"
                ),
            });
        }
        Ok(LocalRateLimiter {
            rate,
            burst,
            interval: Duration::from_secs(1) / rate,
            next: Mutex::new(HashMap::new()),
        })
    }

    /// The requests per second allowed per key.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// Books the next slot for `key` and returns when it starts.
    fn reserve(&self, key: &RateKey<'_>) -> Instant {
        let now = Instant::now();
        let tolerance = self.interval * (self.burst - 1);
        let mut next = self.next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let slot_key = format!("{}\u{0}{}\u{0}{}", key.service, key.action, key.secret_id);
        let tat = next.get(&slot_key).copied().map_or(now, |t| t.max(now));
        let start = tat.checked_sub(tolerance).map_or(now, |s| s.max(now));
        next.insert(slot_key, tat + self.interval);
        start
    }
}

impl RateLimiter for LocalRateLimiter {
    fn acquire<'a>(&'a self, key: RateKey<'a>) -> BoxFuture<'a, Result<(), Error>> {
        let start = self.reserve(&key);
        Box::pin(async move {
            if start > Instant::now() {
                tokio::time::sleep_until(start).await;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: RateKey<'static> = RateKey {
        service: "trtc",
        action: "DismissRoom",
        secret_id: "AKID",
    };

    #[tokio::test(start_paused = true)]
    async fn spaces_permits_evenly() {
        let limiter = LocalRateLimiter::default();
        let start = Instant::now();
        for _ in 0..41 {
            limiter.acquire(KEY).await.unwrap();
        }
        // 41 permits at 20/s: the first at once, then one every 50 ms.
        assert_eq!(Instant::now() - start, Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn keys_are_independent_and_bursts_allowed() {
        let limiter = LocalRateLimiter::new(10, 5).unwrap();
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire(KEY).await.unwrap();
        }
        assert_eq!(Instant::now(), start, "a burst of 5 goes at once");
        let other = RateKey {
            action: "RemoveUser",
            ..KEY
        };
        limiter.acquire(other).await.unwrap();
        assert_eq!(Instant::now(), start, "another action has its own budget");
        limiter.acquire(KEY).await.unwrap();
        assert_eq!(Instant::now() - start, Duration::from_millis(100));
    }
}
