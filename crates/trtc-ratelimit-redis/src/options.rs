//! What a [`RedisRateLimiter`](crate::RedisRateLimiter) is told: the budget, the key prefix, the timeouts and
//! what to do while Redis does not answer.

use std::time::Duration;

use trtc_transport::DOCUMENTED_RATE_PER_SECOND;

use crate::RedisLimiterError;

/// The prefix of the limiter's keys unless [`RedisLimiterOptions::with_key_prefix`] says otherwise.
pub const DEFAULT_REDIS_KEY_PREFIX: &str = "trtc:rate:";
/// How much longer than one second the fleet takes for `rate` permits, unless
/// [`RedisLimiterOptions::with_guard`] says otherwise: 20 permits take 1.05 s (52.5 ms apart, 19.05 per
/// second). Requests from different processes reach the service after different delays (a first request
/// opens its connection, a busy machine schedules late); a strict counter there would see two of them closer
/// than they were sent. 50 ms covers the spread measured with four processes on one busy machine (up to
/// 17 ms) with room to spare; raise it when the path to the service varies more.
pub const DEFAULT_REDIS_GUARD: Duration = Duration::from_millis(50);
/// How long one permit may wait for Redis's answer before the limiter counts Redis as unavailable.
pub const DEFAULT_REDIS_COMMAND_TIMEOUT: Duration = Duration::from_millis(250);
/// How long opening a connection to Redis (TCP, `AUTH`, `SELECT`) may take.
pub const DEFAULT_REDIS_CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
/// While Redis is unavailable, how often the limiter tries it again.
pub const DEFAULT_REDIS_RETRY_INTERVAL: Duration = Duration::from_secs(1);

/// What a permit does when Redis does not answer in time (down, unreachable, refusing the script).
///
/// Either way the limiter logs one `warn` event when the outage starts and one `info` event when Redis
/// answers again, tries Redis again at most once per retry interval meanwhile, and goes back to the shared
/// budget as soon as Redis answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FallbackPolicy {
    /// Pace this process alone with a [`LocalRateLimiter`](trtc_transport::LocalRateLimiter): calls keep going, but N processes may together
    /// send up to N times the budget (the service then throttles some; the client retries those).
    #[default]
    Local,
    /// Fail the call without sending it: the client's `Error::RateLimit`, whose source is a
    /// [`RedisLimiterError`](crate::RedisLimiterError) naming Redis, with Redis's own error below it.
    Fail,
}

/// The settings of a [`RedisRateLimiter`](crate::RedisRateLimiter). Checked when the limiter is made
/// ([`RedisRateLimiter::new`](crate::RedisRateLimiter::new) and the others), which names the one at fault.
///
/// ```
/// use std::time::Duration;
/// use trtc_ratelimit_redis::{FallbackPolicy, RedisLimiterOptions};
///
/// let options = RedisLimiterOptions::default()
///     .with_key_prefix("prod:trtc:rate:")
///     .with_command_timeout(Duration::from_millis(100))
///     .with_fallback(FallbackPolicy::Local)
///     .with_fallback_rate(5); // four instances: 4 x 5 = the 20/s budget even while Redis is down
/// assert_eq!(options.rate(), 20);
/// ```
#[derive(Debug, Clone)]
pub struct RedisLimiterOptions {
    pub(crate) rate: u32,
    pub(crate) burst: u32,
    pub(crate) guard: Duration,
    pub(crate) key_prefix: String,
    pub(crate) command_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retry_interval: Duration,
    pub(crate) fallback: FallbackPolicy,
    pub(crate) fallback_rate: Option<u32>,
}

impl Default for RedisLimiterOptions {
    /// 20 requests per second (the documented limit), burst 1, a guard of 50 ms, prefix `trtc:rate:`, command
    /// timeout 250 ms, connect timeout 500 ms, retry every second, fall back to a local limiter of the same
    /// rate.
    fn default() -> Self {
        RedisLimiterOptions {
            rate: DOCUMENTED_RATE_PER_SECOND,
            burst: 1,
            guard: DEFAULT_REDIS_GUARD,
            key_prefix: DEFAULT_REDIS_KEY_PREFIX.to_owned(),
            command_timeout: DEFAULT_REDIS_COMMAND_TIMEOUT,
            connect_timeout: DEFAULT_REDIS_CONNECT_TIMEOUT,
            retry_interval: DEFAULT_REDIS_RETRY_INTERVAL,
            fallback: FallbackPolicy::Local,
            fallback_rate: None,
        }
    }
}

impl RedisLimiterOptions {
    /// At most `per_second` permits per second per key, for the whole fleet (default 20).
    pub fn with_rate(mut self, per_second: u32) -> Self {
        self.rate = per_second;
        self
    }

    /// Up to `burst` permits back to back after a quiet spell (default 1: evenly spaced).
    pub fn with_burst(mut self, burst: u32) -> Self {
        self.burst = burst;
        self
    }

    /// Spreads `rate` permits over one second plus `guard` instead of one second (default 50 ms, see
    /// [`DEFAULT_REDIS_GUARD`]), so that requests whose trips to the service take different times still arrive
    /// within the budget, however strictly the service counts. Zero gives exactly `rate` per second. Under 1 s.
    pub fn with_guard(mut self, guard: Duration) -> Self {
        self.guard = guard;
        self
    }

    /// The start of every key the limiter writes (default `trtc:rate:`); give each environment sharing a
    /// Redis its own.
    pub fn with_key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }

    /// How long a permit waits for Redis to answer before Redis counts as unavailable (default 250 ms).
    pub fn with_command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    /// How long opening a connection may take (default 500 ms).
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// While Redis is unavailable, how often to try it again (default 1 s); between tries permits go
    /// straight to the fallback, so an outage costs one timeout per interval, not one per call.
    pub fn with_retry_interval(mut self, interval: Duration) -> Self {
        self.retry_interval = interval;
        self
    }

    /// What to do when Redis does not answer (default [`FallbackPolicy::Local`]).
    pub fn with_fallback(mut self, policy: FallbackPolicy) -> Self {
        self.fallback = policy;
        self
    }

    /// The per-process rate of the local fallback (default: the fleet's rate). Set it to the rate divided by
    /// the number of processes to stay within the budget during an outage, at the cost of a slower fleet.
    pub fn with_fallback_rate(mut self, per_second: u32) -> Self {
        self.fallback_rate = Some(per_second);
        self
    }

    /// The permits per second per key for the whole fleet.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// The fallback policy.
    pub fn fallback(&self) -> FallbackPolicy {
        self.fallback
    }

    /// The first setting that cannot work, named.
    pub(crate) fn check(&self) -> Result<(), RedisLimiterError> {
        let fail = |setting: &'static str, problem: String| Err(RedisLimiterError::config(setting, problem));
        if self.rate == 0 || self.burst == 0 {
            return fail(
                if self.rate == 0 { "rate" } else { "burst" },
                format!(
                    "rate and burst must be at least 1 (got {} per second, burst {}); to send without a limit, turn the limiter off",
                    self.rate, self.burst
                ),
            );
        }
        if self.guard >= Duration::from_secs(1) {
            return fail(
                "guard",
                format!(
                    "the guard must be under 1 s (got {:?}); it is a margin, not a period",
                    self.guard
                ),
            );
        }
        for (name, value) in [
            ("command_timeout", self.command_timeout),
            ("connect_timeout", self.connect_timeout),
            ("retry_interval", self.retry_interval),
        ] {
            if value.is_zero() {
                return fail(name, "must be more than zero".into());
            }
        }
        if self.fallback_rate == Some(0) {
            return fail(
                "fallback_rate",
                "the fallback rate must be at least 1 per second".into(),
            );
        }
        Ok(())
    }
}
