//! Client-side rate limiting: callers wait for a permit, so a burst never turns into `RequestLimitExceeded`.
//!
//! The service documents 20 requests per second for each room action. [`LocalRateLimiter`] keeps that budget
//! within one process; the [`RateLimiter`] trait lets a shared limiter (across processes) take its place, and
//! [`RateLimitError`] carries that limiter's own error when it cannot decide.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::{BoxFuture, Error};

/// The documented limit of the TRTC room actions, in requests per second.
pub const DOCUMENTED_RATE_PER_SECOND: u32 = 20;

/// The margin a limiter adds to each second by default, so that network jitter never crowds more than the
/// rate into one second as the service counts it.
pub const DEFAULT_GUARD: Duration = Duration::from_millis(50);

/// What a permit is for: one request of `action` to `service`, signed by `secret_id` (the account's key), for
/// the application `sdk_app_id` when the request names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RateKey<'a> {
    /// The service, e.g. `trtc`.
    pub service: &'a str,
    /// The action, e.g. `DismissRoom`.
    pub action: &'a str,
    /// The SecretId signing the request (a stand-in for the account).
    pub secret_id: &'a str,
    /// The application the request acts on, when it names one: the service counts per action and SdkAppId.
    pub sdk_app_id: Option<u64>,
}

/// Grants permits to send. An implementation waits until the request may go, and returns an error only
/// when it cannot decide (a shared store that is down and configured to fail); the call then ends in
/// [`Error::RateLimit`] without sending anything.
///
/// ```
/// use trtc_transport::{BoxFuture, RateKey, RateLimitError, RateLimiter};
///
/// /// Refuses every permit: a limiter whose store is gone.
/// #[derive(Debug)]
/// struct Closed;
///
/// impl RateLimiter for Closed {
///     fn acquire<'a>(&'a self, _key: RateKey<'a>) -> BoxFuture<'a, Result<(), RateLimitError>> {
///         Box::pin(async { Err(RateLimitError::new("the budget store is closed")) })
///     }
/// }
/// ```
pub trait RateLimiter: Send + Sync + fmt::Debug + 'static {
    /// Waits for a permit to send one request for `key`.
    fn acquire<'a>(&'a self, key: RateKey<'a>) -> BoxFuture<'a, Result<(), RateLimitError>>;
}

/// A [`RateLimiter`] could not grant a permit, so the request was not sent. The limiter's own error is the
/// [`source`](StdError::source); [`downcast_ref`](Self::downcast_ref) gets it back as its own type.
///
/// ```
/// use std::error::Error as _;
/// use trtc_transport::RateLimitError;
///
/// let e = RateLimitError::new("the budget store is closed");
/// assert_eq!(e.to_string(), "the rate limiter could not grant a permit, so the request was not sent");
/// assert_eq!(e.source().unwrap().to_string(), "the budget store is closed");
/// ```
#[derive(Debug)]
pub struct RateLimitError {
    source: Box<dyn StdError + Send + Sync + 'static>,
}

impl RateLimitError {
    /// Wraps the limiter's own error.
    pub fn new(source: impl Into<Box<dyn StdError + Send + Sync + 'static>>) -> Self {
        RateLimitError { source: source.into() }
    }

    /// The limiter's own error.
    pub fn get_ref(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.source
    }

    /// The limiter's own error, if it is an `E`.
    pub fn downcast_ref<E: StdError + 'static>(&self) -> Option<&E> {
        self.source.downcast_ref::<E>()
    }

    /// The limiter's own error, taken out.
    pub fn into_inner(self) -> Box<dyn StdError + Send + Sync + 'static> {
        self.source
    }
}

impl fmt::Display for RateLimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the rate limiter could not grant a permit, so the request was not sent")
    }
}

impl StdError for RateLimitError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// An in-process limiter: per (service, action, SecretId, SdkAppId), at most `rate` requests per second with bursts
/// of `burst`, callers queued in arrival order (GCRA: each permit books the next free slot).
///
/// The default, 20 per second with a burst of 1 and a guard of [`DEFAULT_GUARD`], spaces requests 52.5 ms
/// apart (19.05 per second). Requests sent exactly 50 ms apart arrive up to a few milliseconds closer after
/// crossing the network, and a service counting a strict one-second window then throttles about one a second;
/// the guard keeps every window at 20 or fewer. [`with_guard(Duration::ZERO)`](LocalRateLimiter::with_guard)
/// sends at exactly the rate.
///
/// ```
/// use std::time::Duration;
/// use trtc_transport::LocalRateLimiter;
///
/// let limiter = LocalRateLimiter::new(20, 1).unwrap();
/// assert_eq!(limiter.rate(), 20);
/// assert_eq!(limiter.interval(), Duration::from_micros(52_500));
/// assert_eq!(limiter.with_guard(Duration::ZERO).unwrap().interval(), Duration::from_millis(50));
/// assert!(LocalRateLimiter::new(0, 1).is_err());
/// ```
pub struct LocalRateLimiter {
    rate: u32,
    burst: u32,
    guard: Duration,
    interval: Duration,
    // For each key, the theoretical arrival time of the next request (GCRA's TAT).
    next: Mutex<HashMap<String, Instant>>,
}

impl fmt::Debug for LocalRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalRateLimiter")
            .field("rate", &self.rate)
            .field("burst", &self.burst)
            .field("guard", &self.guard)
            .finish_non_exhaustive()
    }
}

impl Default for LocalRateLimiter {
    fn default() -> Self {
        LocalRateLimiter {
            rate: DOCUMENTED_RATE_PER_SECOND,
            burst: 1,
            guard: DEFAULT_GUARD,
            interval: (Duration::from_secs(1) + DEFAULT_GUARD) / DOCUMENTED_RATE_PER_SECOND,
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
            guard: DEFAULT_GUARD,
            interval: (Duration::from_secs(1) + DEFAULT_GUARD) / rate,
            next: Mutex::new(HashMap::new()),
        })
    }

    /// Spreads `rate` permits over one second plus `guard` instead of one second (default [`DEFAULT_GUARD`]);
    /// refused when the guard is a second or more.
    pub fn with_guard(mut self, guard: Duration) -> Result<Self, Error> {
        if guard >= Duration::from_secs(1) {
            return Err(Error::Config {
                setting: "rate_limit",
                problem: format!("the guard must be under 1 s (got {guard:?}); it is a margin, not a period"),
            });
        }
        self.guard = guard;
        self.interval = (Duration::from_secs(1) + guard) / self.rate;
        Ok(self)
    }

    /// The requests per second allowed per key.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// The time between two permits of one key.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Books the next slot for `key` and returns when it starts.
    fn reserve(&self, key: &RateKey<'_>) -> Instant {
        let now = Instant::now();
        let tolerance = self.interval * (self.burst - 1);
        let mut next = self.next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let slot_key = match key.sdk_app_id {
            Some(app) => format!("{}\u{0}{}\u{0}{}\u{0}{app}", key.service, key.action, key.secret_id),
            None => format!("{}\u{0}{}\u{0}{}", key.service, key.action, key.secret_id),
        };
        let tat = next.get(&slot_key).copied().map_or(now, |t| t.max(now));
        let start = tat.checked_sub(tolerance).map_or(now, |s| s.max(now));
        next.insert(slot_key, tat + self.interval);
        start
    }
}

impl RateLimiter for LocalRateLimiter {
    fn acquire<'a>(&'a self, key: RateKey<'a>) -> BoxFuture<'a, Result<(), RateLimitError>> {
        let start = self.reserve(&key);
        Box::pin(async move {
            if start > Instant::now() {
                tokio::time::sleep_until(start).await;
            }
            Ok(())
        })
    }
}

impl<'a> RateKey<'a> {
    /// The key of requests of `action` to `service` signed by `secret_id`.
    pub fn new(service: &'a str, action: &'a str, secret_id: &'a str) -> Self {
        RateKey {
            service,
            action,
            secret_id,
            sdk_app_id: None,
        }
    }

    /// The same key for the application `sdk_app_id`.
    pub fn with_sdk_app_id(mut self, sdk_app_id: u64) -> Self {
        self.sdk_app_id = Some(sdk_app_id);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: RateKey<'static> = RateKey {
        service: "trtc",
        action: "DismissRoom",
        secret_id: "AKID",
        sdk_app_id: Some(1400000001),
    };

    #[tokio::test(start_paused = true)]
    async fn spaces_permits_evenly() {
        let limiter = LocalRateLimiter::default().with_guard(Duration::ZERO).unwrap();
        let start = Instant::now();
        for _ in 0..41 {
            limiter.acquire(KEY).await.unwrap();
        }
        // 41 permits at 20/s: the first at once, then one every 50 ms.
        assert_eq!(Instant::now() - start, Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn the_default_guard_keeps_every_second_at_20_or_fewer() {
        // 52.5 ms apart: 20 permits span 997.5 ms, so even a request that arrives 2.5 ms early keeps any
        // one-second window at 20.
        let limiter = LocalRateLimiter::default();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..100 {
            limiter.acquire(KEY).await.unwrap();
            times.push(Instant::now() - start);
        }
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .take_while(|u| **u - *t < Duration::from_secs(1))
                .count();
            assert!(in_window <= 20, "{in_window} permits within 1 s of {t:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn keys_are_independent_and_bursts_allowed() {
        let limiter = LocalRateLimiter::new(10, 5)
            .unwrap()
            .with_guard(Duration::ZERO)
            .unwrap();
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
        limiter.acquire(KEY.with_sdk_app_id(1400000002)).await.unwrap();
        assert_eq!(Instant::now(), start, "another application has its own budget");
        limiter.acquire(KEY).await.unwrap();
        assert_eq!(Instant::now() - start, Duration::from_millis(100));
    }
}
