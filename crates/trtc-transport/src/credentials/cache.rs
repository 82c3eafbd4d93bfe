//! The refreshing cache behind every provider of temporary credentials (CVM role, STS, OIDC).
//!
//! Credentials are renewed [`REFRESH_BEFORE_EXPIRY`] before they expire. One refresh runs at a time:
//! callers that find the credentials due wait on the refresh lock, and the first of them fetches while the
//! others then find fresh credentials. Time is read from `tokio::time::Instant`, so tests drive expiry with
//! tokio's paused clock.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;
use trtc_sign::Credentials;

use super::CredentialsError;

/// How long before expiry temporary credentials are renewed: the server accepts a signature for five
/// minutes, so credentials renewed this early are never used for a request that arrives after they expire.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(300);

/// After a failed refresh, cached credentials that are still valid are used for this long before the next
/// attempt, so that an unavailable credentials service is not asked on every request.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// Cached credentials are used after a failed refresh only while they stay valid at least this long.
const MIN_REMAINING_FOR_STALE: Duration = Duration::from_secs(60);

/// Temporary credentials and when the service says they expire.
pub(crate) struct Expiring {
    pub(crate) credentials: Credentials,
    /// Seconds since the Unix epoch (the `ExpiredTime` of the metadata service and STS).
    pub(crate) expires_at: u64,
}

struct Cached {
    credentials: Credentials,
    expires: Instant,
    refresh_at: Instant,
    retry_at: Option<Instant>,
}

/// The cache; each provider of temporary credentials owns one.
#[derive(Default)]
pub(crate) struct RefreshCache {
    current: Mutex<Option<Cached>>,
    refresh: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for RefreshCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let now = Instant::now();
        let state = self.current.lock().unwrap_or_else(|p| p.into_inner());
        let expires_in = state.as_ref().map(|c| c.expires.saturating_duration_since(now));
        f.debug_struct("RefreshCache")
            .field("expires_in", &expires_in)
            .finish_non_exhaustive()
    }
}

impl RefreshCache {
    /// The cached credentials while they are fresh; otherwise one caller runs `fetch` and everyone gets its
    /// outcome.
    pub(crate) async fn get_or_refresh<F, Fut>(&self, fetch: F) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Expiring, CredentialsError>>,
    {
        if let Some(credentials) = self.fresh(Instant::now(), false) {
            return Ok(credentials);
        }
        let _refreshing = self.refresh.lock().await;
        // Whoever held the lock before may have refreshed already, or failed a moment ago.
        if let Some(credentials) = self.fresh(Instant::now(), true) {
            return Ok(credentials);
        }
        let outcome = fetch().await;
        let now = Instant::now();
        let mut state = self.current.lock().unwrap_or_else(|p| p.into_inner());
        match outcome {
            Ok(expiring) => {
                let expires = now + remaining(expiring.expires_at);
                // Already inside the refresh window (very short-lived credentials, or a skewed clock): use
                // them for this call and fetch again on the next.
                let refresh_at = expires.checked_sub(REFRESH_BEFORE_EXPIRY).unwrap_or(now).max(now);
                *state = Some(Cached {
                    credentials: expiring.credentials.clone(),
                    expires,
                    refresh_at,
                    retry_at: None,
                });
                Ok(expiring.credentials)
            }
            Err(e) => match state.as_mut() {
                Some(cached) if cached.expires > now + MIN_REMAINING_FOR_STALE => {
                    cached.retry_at = Some(now + RETRY_AFTER_FAILURE);
                    Ok(cached.credentials.clone())
                }
                _ => Err(e),
            },
        }
    }

    fn fresh(&self, now: Instant, after_failure: bool) -> Option<Credentials> {
        let state = self.current.lock().unwrap_or_else(|p| p.into_inner());
        let cached = state.as_ref()?;
        if now < cached.refresh_at {
            return Some(cached.credentials.clone());
        }
        let waiting = cached.retry_at.is_some_and(|retry_at| now < retry_at);
        if after_failure && waiting && cached.expires > now + MIN_REMAINING_FOR_STALE {
            return Some(cached.credentials.clone());
        }
        None
    }
}

/// How long until `expires_at` (Unix seconds) by the system clock; zero when it has passed.
fn remaining(expires_at: u64) -> Duration {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    Duration::from_secs(expires_at).saturating_sub(now)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::CredentialsErrorKind;

    fn creds(n: usize) -> Credentials {
        Credentials::new(format!("AKIDtmp{n}"), "tmpkey")
            .unwrap()
            .with_token("tmptoken")
            .unwrap()
    }

    /// A fetch that counts calls, takes `delay` (on the paused clock), and gives credentials valid for `ttl`.
    async fn fetch(count: &AtomicUsize, delay: Duration, ttl: u64) -> Result<Expiring, CredentialsError> {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::time::sleep(delay).await;
        Ok(Expiring {
            credentials: creds(n),
            expires_at: SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) + ttl,
        })
    }

    fn failing() -> Result<Expiring, CredentialsError> {
        Err(CredentialsError::new(
            CredentialsErrorKind::Unreachable,
            "test",
            "the service is down",
        ))
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_refresh() {
        let cache = Arc::new(RefreshCache::default());
        let count = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..100 {
            let (cache, count) = (Arc::clone(&cache), Arc::clone(&count));
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_refresh(|| fetch(&count, Duration::from_secs(1), 3600))
                    .await
                    .unwrap()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().secret_id(), "AKIDtmp1");
        }
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn refreshes_300_seconds_before_expiry() {
        let cache = RefreshCache::default();
        let count = AtomicUsize::new(0);
        let get = || cache.get_or_refresh(|| fetch(&count, Duration::ZERO, 3600));
        assert_eq!(get().await.unwrap().secret_id(), "AKIDtmp1");
        // 3600 s of validity (less the part of a second already gone on the system clock): fresh until
        // about 3300 s from now, renewed after.
        tokio::time::advance(Duration::from_secs(3290)).await;
        assert_eq!(get().await.unwrap().secret_id(), "AKIDtmp1");
        assert_eq!(count.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(15)).await;
        assert_eq!(get().await.unwrap().secret_id(), "AKIDtmp2");
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn credentials_inside_the_window_are_used_once() {
        let cache = RefreshCache::default();
        let count = AtomicUsize::new(0);
        for n in 1..=3 {
            let got = cache
                .get_or_refresh(|| fetch(&count, Duration::ZERO, 200))
                .await
                .unwrap();
            assert_eq!(got.secret_id(), format!("AKIDtmp{n}"));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_keeps_valid_credentials_and_waits_before_retrying() {
        let cache = RefreshCache::default();
        let count = AtomicUsize::new(0);
        cache
            .get_or_refresh(|| fetch(&count, Duration::ZERO, 3600))
            .await
            .unwrap();
        tokio::time::advance(Duration::from_secs(3400)).await; // inside the window, about 200 s left
        let attempts = AtomicUsize::new(0);
        let fail = || async {
            attempts.fetch_add(1, Ordering::SeqCst);
            failing()
        };
        assert_eq!(cache.get_or_refresh(fail).await.unwrap().secret_id(), "AKIDtmp1");
        assert_eq!(cache.get_or_refresh(fail).await.unwrap().secret_id(), "AKIDtmp1");
        assert_eq!(
            attempts.load(Ordering::SeqCst),
            1,
            "no second attempt within the retry delay"
        );
        tokio::time::advance(RETRY_AFTER_FAILURE).await;
        assert_eq!(cache.get_or_refresh(fail).await.unwrap().secret_id(), "AKIDtmp1");
        assert_eq!(attempts.load(Ordering::SeqCst), 2);
        // Less than a minute of validity left: the failure is reported rather than nearly expired credentials.
        tokio::time::advance(Duration::from_secs(150)).await;
        let err = cache.get_or_refresh(fail).await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Unreachable);
    }

    #[tokio::test(start_paused = true)]
    async fn a_first_failure_is_reported_and_the_next_call_tries_again() {
        let cache = RefreshCache::default();
        assert!(cache.get_or_refresh(|| async { failing() }).await.is_err());
        let count = AtomicUsize::new(0);
        assert!(cache
            .get_or_refresh(|| fetch(&count, Duration::ZERO, 3600))
            .await
            .is_ok());
    }
}
