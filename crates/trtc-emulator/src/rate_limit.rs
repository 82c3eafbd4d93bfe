//! The documented request rate limit: at most N requests per second for one action and one application.
//!
//! A sliding window: a request is admitted when fewer than `max_requests` requests of the same
//! (action, SdkAppId) were admitted in the `window` before it; otherwise it is answered
//! `RequestLimitExceeded` and not counted. A sliding window never lets 2N through across a second boundary,
//! as a fixed window would, so a client that stays under the documented rate is never refused.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use trtc_model::ROOM_RATE_LIMIT_PER_SECOND;

/// The rate limit of an emulator: `max_requests` per `window` for each (action, SdkAppId).
///
/// ```
/// use std::time::Duration;
/// use trtc_emulator::RateLimit;
///
/// assert_eq!(RateLimit::default(), RateLimit::per_second(20));
/// assert_eq!(RateLimit::per_second(20).window(), Duration::from_secs(1));
/// assert!(RateLimit::unlimited().is_unlimited());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    max_requests: u32,
    window_ms: u64,
}

impl Default for RateLimit {
    /// 20 requests per second: what the documentation states for the room-management actions
    /// ([`trtc_model::ROOM_RATE_LIMIT_PER_SECOND`]).
    fn default() -> Self {
        RateLimit::per_second(ROOM_RATE_LIMIT_PER_SECOND)
    }
}

impl RateLimit {
    /// `max_requests` per second.
    pub fn per_second(max_requests: u32) -> RateLimit {
        RateLimit {
            max_requests,
            window_ms: 1000,
        }
    }

    /// `max_requests` per `window` (at least one millisecond); a long window makes a test that must hit the
    /// limit independent of how fast the machine sends.
    pub fn new(max_requests: u32, window: Duration) -> RateLimit {
        RateLimit {
            max_requests,
            window_ms: u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1),
        }
    }

    /// No limit at all.
    pub fn unlimited() -> RateLimit {
        RateLimit {
            max_requests: 0,
            window_ms: 1000,
        }
    }

    /// Whether this is no limit (`max_requests` 0 means unlimited).
    pub fn is_unlimited(&self) -> bool {
        self.max_requests == 0
    }

    /// Requests admitted per window; 0 for unlimited.
    pub fn max_requests(&self) -> u32 {
        self.max_requests
    }

    /// The window.
    pub fn window(&self) -> Duration {
        Duration::from_millis(self.window_ms.max(1))
    }
}

/// The admitted requests of the last window, per (action, SdkAppId).
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    admitted: HashMap<(String, Option<u64>), VecDeque<Instant>>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit,
            admitted: HashMap::new(),
        }
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Whether a request of `action` for `sdk_app_id` arriving `now` is admitted; counts it if so.
    pub(crate) fn admit(&mut self, action: &str, sdk_app_id: Option<u64>, now: Instant) -> bool {
        if self.limit.is_unlimited() {
            return true;
        }
        let window = self.limit.window();
        // Forget keys gone quiet, so a long run with many applications does not grow without end.
        if self.admitted.len() > 1024 {
            self.admitted
                .retain(|_, times| times.back().is_some_and(|&t| now.saturating_duration_since(t) < window));
        }
        let times = self.admitted.entry((action.to_owned(), sdk_app_id)).or_default();
        while times
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= window)
        {
            times.pop_front();
        }
        if times.len() >= self.limit.max_requests as usize {
            return false;
        }
        times.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_per_second_sliding() {
        let mut limiter = Limiter::new(RateLimit::default());
        let t0 = Instant::now();
        for i in 0..20 {
            assert!(limiter.admit("DismissRoom", Some(1), t0 + Duration::from_millis(i * 10)));
        }
        // The 21st within the same second is refused, and not counted.
        assert!(!limiter.admit("DismissRoom", Some(1), t0 + Duration::from_millis(500)));
        // Other actions and other applications have their own budget.
        assert!(limiter.admit("RemoveUser", Some(1), t0 + Duration::from_millis(500)));
        assert!(limiter.admit("DismissRoom", Some(2), t0 + Duration::from_millis(500)));
        // One second after the first admitted request, one slot is free again; not two.
        assert!(limiter.admit("DismissRoom", Some(1), t0 + Duration::from_millis(1000)));
        assert!(!limiter.admit("DismissRoom", Some(1), t0 + Duration::from_millis(1001)));
        assert!(limiter.admit("DismissRoom", Some(1), t0 + Duration::from_millis(1010)));
    }

    #[test]
    fn no_burst_of_twice_the_limit_across_a_second_boundary() {
        let mut limiter = Limiter::new(RateLimit::per_second(20));
        let t0 = Instant::now();
        let admitted = (0..40)
            .filter(|i| limiter.admit("DismissRoom", Some(1), t0 + Duration::from_millis(980 + i)))
            .count();
        assert_eq!(admitted, 20);
    }

    #[test]
    fn unlimited_admits_everything() {
        let mut limiter = Limiter::new(RateLimit::unlimited());
        let t0 = Instant::now();
        assert!((0..1000).all(|_| limiter.admit("DismissRoom", Some(1), t0)));
    }
}
