//! The circuit breaker that moves calls to a backup endpoint while the primary is failing.
//!
//! Only failures that say the endpoint is unwell count (network errors, timeouts, HTTP 5xx, transient
//! server codes); every answer the service gives otherwise, errors like `FailedOperation.RoomNotExist`
//! included, is a success of the endpoint. (A known peer's breaker counted successes as failures.)

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// When the breaker opens and for how long.
///
/// ```
/// use std::time::Duration;
/// use trtc_transport::BreakerConfig;
///
/// let config = BreakerConfig::default();
/// assert_eq!(config.min_failures(), 5);
/// assert_eq!(config.open_for(), Duration::from_secs(60));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BreakerConfig {
    min_failures: u32,
    failure_ratio: f64,
    window: Duration,
    open_for: Duration,
}

impl Default for BreakerConfig {
    /// Opens after at least 5 failures making at least 75 % of the primary's calls within a 60 s window,
    /// and stays open for 60 s before one probe call tries the primary again (as the official SDKs' breaker).
    fn default() -> Self {
        BreakerConfig {
            min_failures: 5,
            failure_ratio: 0.75,
            window: Duration::from_secs(60),
            open_for: Duration::from_secs(60),
        }
    }
}

impl BreakerConfig {
    /// The fewest failures in a window that can open the breaker.
    pub fn with_min_failures(mut self, failures: u32) -> Self {
        self.min_failures = failures.max(1);
        self
    }

    /// The share of failed calls in a window (0 to 1) that opens the breaker.
    pub fn with_failure_ratio(mut self, ratio: f64) -> Self {
        self.failure_ratio = ratio.clamp(0.0, 1.0);
        self
    }

    /// The counting window.
    pub fn with_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// How long the breaker stays open before probing the primary.
    pub fn with_open_for(mut self, open_for: Duration) -> Self {
        self.open_for = open_for;
        self
    }

    /// The fewest failures that can open the breaker.
    pub fn min_failures(&self) -> u32 {
        self.min_failures
    }

    /// How long the breaker stays open.
    pub fn open_for(&self) -> Duration {
        self.open_for
    }
}

/// Where one attempt goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// The primary, breaker closed.
    Primary,
    /// The primary, as the one probe of a half-open breaker.
    Probe,
    /// The backup, breaker open.
    Backup,
}

#[derive(Debug)]
enum State {
    Closed { since: Instant, calls: u32, failures: u32 },
    Open { until: Instant },
    HalfOpen { probing: bool },
}

#[derive(Debug)]
pub(crate) struct Breaker {
    config: BreakerConfig,
    state: Mutex<State>,
}

impl Breaker {
    pub(crate) fn new(config: BreakerConfig) -> Self {
        Breaker {
            config,
            state: Mutex::new(State::Closed {
                since: Instant::now(),
                calls: 0,
                failures: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn route(&self) -> Route {
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => Route::Primary,
            State::Open { until } if Instant::now() < until => Route::Backup,
            State::Open { .. } | State::HalfOpen { probing: false } => {
                *state = State::HalfOpen { probing: true };
                Route::Probe
            }
            State::HalfOpen { probing: true } => Route::Backup,
        }
    }

    /// Records the outcome of an attempt sent by `route`; `None` when the outcome says nothing of the
    /// endpoint's health (throttling).
    pub(crate) fn record(&self, route: Route, healthy: Option<bool>) {
        let mut state = self.lock();
        let now = Instant::now();
        match (route, &mut *state) {
            (Route::Probe, _) => {
                *state = match healthy {
                    Some(false) => State::Open {
                        until: now + self.config.open_for,
                    },
                    Some(true) => State::Closed {
                        since: now,
                        calls: 0,
                        failures: 0,
                    },
                    None => State::HalfOpen { probing: false },
                };
            }
            (Route::Primary, State::Closed { since, calls, failures }) => {
                let Some(healthy) = healthy else { return };
                if now.duration_since(*since) > self.config.window {
                    (*since, *calls, *failures) = (now, 0, 0);
                }
                *calls += 1;
                if !healthy {
                    *failures += 1;
                }
                let ratio = f64::from(*failures) / f64::from(*calls);
                if *failures >= self.config.min_failures && ratio >= self.config.failure_ratio {
                    *state = State::Open {
                        until: now + self.config.open_for,
                    };
                }
            }
            // Backup outcomes, and late primary outcomes after the state moved on, do not change the state.
            _ => {}
        }
    }

    #[cfg(test)]
    fn is_open(&self) -> bool {
        matches!(*self.lock(), State::Open { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn opens_on_failures_not_on_successes() {
        let breaker = Breaker::new(BreakerConfig::default());
        for _ in 0..100 {
            assert_eq!(breaker.route(), Route::Primary);
            breaker.record(Route::Primary, Some(true));
        }
        assert!(!breaker.is_open(), "successes never open the breaker");
        for _ in 0..4 {
            breaker.record(Route::Primary, Some(false));
        }
        assert!(!breaker.is_open(), "4 failures in 104 calls");
    }

    #[tokio::test(start_paused = true)]
    async fn opens_then_probes_then_closes() {
        let breaker = Breaker::new(BreakerConfig::default());
        breaker.record(Route::Primary, Some(true));
        for _ in 0..5 {
            breaker.record(Route::Primary, Some(false));
        }
        assert!(breaker.is_open(), "5 failures of 6 calls: 83 %");
        assert_eq!(breaker.route(), Route::Backup);
        tokio::time::advance(Duration::from_secs(61)).await;
        assert_eq!(breaker.route(), Route::Probe);
        assert_eq!(breaker.route(), Route::Backup, "one probe at a time");
        breaker.record(Route::Probe, Some(false));
        assert!(breaker.is_open(), "a failed probe reopens");
        tokio::time::advance(Duration::from_secs(61)).await;
        assert_eq!(breaker.route(), Route::Probe);
        breaker.record(Route::Probe, Some(true));
        assert_eq!(breaker.route(), Route::Primary, "a good probe closes");
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_is_neutral() {
        let breaker = Breaker::new(BreakerConfig::default());
        for _ in 0..20 {
            breaker.record(Route::Primary, None);
        }
        assert!(!breaker.is_open());
    }
}
