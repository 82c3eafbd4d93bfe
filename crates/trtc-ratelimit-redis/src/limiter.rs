//! The limiter itself: how it is made (a URL, a `redis::Client`, cluster nodes, or a connection the
//! application already has), its keys, and the [`RateLimiter`] implementation that falls back as told.

use std::fmt;
use std::sync::Arc;

use trtc_transport::{BoxFuture, LocalRateLimiter, RateKey, RateLimitError, RateLimiter};

use crate::link::{Link, SharedConnection};
use crate::permit::Shared;
use crate::{FallbackPolicy, RedisLimiterError, RedisLimiterOptions};

/// A [`RateLimiter`] whose budget lives in Redis, shared by every process and machine that uses the same
/// Redis and key prefix: together they send at most `rate` requests per second per (SecretId, service,
/// action, SdkAppId), each caller waiting its turn in the order it asked.
///
/// Cheap to clone; clones share the connection and the fallback limiter.
///
/// ```no_run
/// use trtc_ratelimit_redis::{RedisLimiterOptions, RedisRateLimiter};
/// use trtc_transport::{Client, Credentials, DismissRoomRequest, Region};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let limiter = RedisRateLimiter::connect("redis://10.0.0.5:6379/0", RedisLimiterOptions::default()).await?;
/// let client = Client::builder()
///     .credential(Credentials::new("AKID...", "...")?)
///     .region(Region::ApGuangzhou)
///     .rate_limiter(limiter)
///     .build()?;
/// client.dismiss_room(DismissRoomRequest::new(1400000001, 1234)).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisRateLimiter {
    shared: Arc<Shared>,
}

impl fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        f.debug_struct("RedisRateLimiter")
            .field("redis", &shared.link.name)
            .field("rate", &shared.options.rate)
            .field("burst", &shared.options.burst)
            .field("key_prefix", &shared.options.key_prefix)
            .field("fallback", &shared.options.fallback)
            .field("falling_back", &self.is_falling_back())
            .finish_non_exhaustive()
    }
}

impl RedisRateLimiter {
    /// A limiter for the Redis at `url`, connecting on first use through a `redis` `ConnectionManager` (which
    /// reconnects after a dropped connection). If Redis does not answer then, the fallback policy applies;
    /// use [`connect`](Self::connect) to find a wrong address at start instead.
    ///
    /// The URL is the `redis` crate's: `redis://[[user]:password@]host[:port][/db]`, `rediss://` for TLS
    /// (feature `tls`; `rediss://host/#insecure` skips verifying the certificate), `redis+unix:///path`.
    ///
    /// ```
    /// use trtc_ratelimit_redis::{RedisLimiterOptions, RedisRateLimiter};
    ///
    /// let limiter = RedisRateLimiter::new("redis://:secret@127.0.0.1:6379", RedisLimiterOptions::default()).unwrap();
    /// assert!(!format!("{limiter:?}").contains("secret"));
    /// let err = RedisRateLimiter::new("http://127.0.0.1:6379", RedisLimiterOptions::default()).unwrap_err();
    /// assert!(err.to_string().contains("redis://"));
    /// ```
    pub fn new(url: &str, options: RedisLimiterOptions) -> Result<Self, RedisLimiterError> {
        if url.starts_with("rediss://") && !cfg!(feature = "tls") {
            return Err(RedisLimiterError::config(
                "url",
                "TLS to Redis (rediss://) needs the `tls` feature of trtc-ratelimit-redis (`redis-tls` of trtc)"
                    .to_owned(),
            ));
        }
        let client = redis::Client::open(url).map_err(|e| {
            // The `redis` crate's message names the part at fault and never repeats the URL.
            RedisLimiterError::config_caused("url", format!("the Redis URL is not valid; expected {URL_FORMS}"), e)
        })?;
        RedisRateLimiter::from_client(client, options)
    }

    /// A limiter for the Redis of `client`, connecting on first use as [`new`](Self::new) does. For what a
    /// URL cannot say: your own root certificates or a client certificate
    /// (`redis::Client::build_with_tls`, feature `tls`), RESP3, a `ConnectionInfo` built in code.
    pub fn from_client(client: redis::Client, options: RedisLimiterOptions) -> Result<Self, RedisLimiterError> {
        RedisRateLimiter::build(Link::client(client), options)
    }

    /// A limiter that sends its commands over `connection`, a connection of the application's own (a
    /// `ConnectionManager`, a `MultiplexedConnection`, or with feature `cluster` a `ClusterConnection`), so
    /// the application keeps one pool, one set of credentials and one TLS setup for everything it sends to
    /// Redis. The limiter never closes or replaces it.
    ///
    /// ```no_run
    /// use trtc_ratelimit_redis::{RedisLimiterOptions, RedisRateLimiter};
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = redis::Client::open("redis://10.0.0.5:6379/0")?;
    /// let manager = redis::aio::ConnectionManager::new(client).await?;
    /// // The application keeps using `manager` for its own commands.
    /// let limiter = RedisRateLimiter::with_connection(manager.clone(), RedisLimiterOptions::default())?;
    /// limiter.ready().await?;
    /// # Ok(()) }
    /// ```
    pub fn with_connection(
        connection: impl Into<SharedConnection>,
        options: RedisLimiterOptions,
    ) -> Result<Self, RedisLimiterError> {
        RedisRateLimiter::build(Link::given(connection.into()), options)
    }

    /// A limiter for the Redis Cluster reached through `nodes` (one URL each, as for [`new`](Self::new); a
    /// few are enough, the others are discovered), connecting on first use. Each budget is one key whose hash
    /// tag is the whole budget, so its script runs on the one node that owns its slot.
    #[cfg(feature = "cluster")]
    #[cfg_attr(docsrs, doc(cfg(feature = "cluster")))]
    pub fn new_cluster(nodes: &[&str], options: RedisLimiterOptions) -> Result<Self, RedisLimiterError> {
        use redis::IntoConnectionInfo;

        if nodes.is_empty() {
            return Err(RedisLimiterError::config(
                "url",
                "a Redis Cluster needs the URL of at least one node".to_owned(),
            ));
        }
        let mut infos = Vec::with_capacity(nodes.len());
        for node in nodes {
            let info = node.into_connection_info().map_err(|e| {
                RedisLimiterError::config_caused(
                    "url",
                    format!("a Redis Cluster node's URL is not valid; expected {URL_FORMS}"),
                    e,
                )
            })?;
            infos.push(info);
        }
        let client = redis::cluster::ClusterClientBuilder::new(infos.clone())
            .connection_timeout(options.connect_timeout)
            .tcp_settings(crate::link::tcp_settings())
            .build()
            .map_err(|e| {
                RedisLimiterError::config_caused("url", "the Redis Cluster nodes do not agree".to_owned(), e)
            })?;
        RedisRateLimiter::build(Link::cluster(client, &infos), options)
    }

    /// Like [`new`](Self::new), then [`ready`](Self::ready): a wrong address or password is found at start,
    /// whatever the fallback policy.
    pub async fn connect(url: &str, options: RedisLimiterOptions) -> Result<Self, RedisLimiterError> {
        let limiter = RedisRateLimiter::new(url, options)?;
        limiter.ready().await?;
        Ok(limiter)
    }

    /// Connects (if need be) and loads the script, failing if Redis does not answer within the timeouts.
    /// Not needed for permits, which connect on first use; it finds a wrong address or password at start.
    pub async fn ready(&self) -> Result<(), RedisLimiterError> {
        self.shared.load_script().await.map_err(|e| self.shared.not_ready(e))
    }

    fn build(link: Link, options: RedisLimiterOptions) -> Result<Self, RedisLimiterError> {
        options.check()?;
        let local = LocalRateLimiter::new(options.fallback_rate.unwrap_or(options.rate), options.burst)
            .map_err(|e| RedisLimiterError::config("fallback_rate", e.to_string()))?;
        // Rounded up: a permit a microsecond late never matters, one early can exceed a strict window.
        let window_us = 1_000_000 + options.guard.as_micros() as u64;
        let interval_us = window_us.div_ceil(u64::from(options.rate));
        let tolerance_us = interval_us * u64::from(options.burst - 1);
        Ok(RedisRateLimiter {
            shared: Arc::new(Shared::new(link, options, local, interval_us, tolerance_us)),
        })
    }

    /// Whether permits currently come from the fallback because Redis did not answer.
    pub fn is_falling_back(&self) -> bool {
        self.shared.is_falling_back()
    }

    /// The Redis key that holds the budget of the account `secret_id` for `action` of `service`, for requests
    /// that name no application: the prefix, then `{SecretId:service:action}`. The braces are a Redis
    /// Cluster hash tag, so the budget's key has a slot of its own and a cluster spreads budgets over its
    /// nodes.
    ///
    /// ```
    /// use trtc_ratelimit_redis::{RedisLimiterOptions, RedisRateLimiter};
    ///
    /// let limiter = RedisRateLimiter::new("redis://127.0.0.1", RedisLimiterOptions::default()).unwrap();
    /// assert_eq!(limiter.redis_key("AKIDexample", "trtc", "DismissRoom"), "trtc:rate:{AKIDexample:trtc:DismissRoom}");
    /// ```
    pub fn redis_key(&self, secret_id: &str, service: &str, action: &str) -> String {
        format!("{}{{{secret_id}:{service}:{action}}}", self.shared.options.key_prefix)
    }

    /// The Redis key of a permit's budget: the prefix, then `{SecretId:service:action:SdkAppId}` when the
    /// request names an application (the service counts its limits per action and SdkAppId), else
    /// [`redis_key`](Self::redis_key).
    ///
    /// ```
    /// use trtc_ratelimit_redis::{RedisLimiterOptions, RedisRateLimiter};
    /// use trtc_transport::RateKey;
    ///
    /// let limiter = RedisRateLimiter::new("redis://127.0.0.1", RedisLimiterOptions::default()).unwrap();
    /// let key = RateKey::new("trtc", "DismissRoom", "AKIDexample").with_sdk_app_id(1400000001);
    /// assert_eq!(limiter.redis_key_of(&key), "trtc:rate:{AKIDexample:trtc:DismissRoom:1400000001}");
    /// ```
    pub fn redis_key_of(&self, key: &RateKey<'_>) -> String {
        match key.sdk_app_id {
            Some(app) => format!(
                "{}{{{}:{}:{}:{app}}}",
                self.shared.options.key_prefix, key.secret_id, key.service, key.action
            ),
            None => self.redis_key(key.secret_id, key.service, key.action),
        }
    }
}

/// The URL forms the limiter accepts, for its error messages.
const URL_FORMS: &str =
    "redis://[[user]:password@]host[:port][/db] (e.g. redis://127.0.0.1:6379/0), rediss://... or redis+unix:///path";

impl RateLimiter for RedisRateLimiter {
    fn acquire<'a>(&'a self, key: RateKey<'a>) -> BoxFuture<'a, Result<(), RateLimitError>> {
        Box::pin(async move {
            let shared = &self.shared;
            match shared.reserve(&self.redis_key_of(&key)).await {
                Ok(slot) => {
                    tokio::time::sleep_until(slot).await;
                    Ok(())
                }
                Err(e) => match shared.options.fallback {
                    FallbackPolicy::Local => shared.local.acquire(key).await,
                    FallbackPolicy::Fail => Err(shared.refused(e).into()),
                },
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::RedisLimiterErrorKind;

    #[test]
    fn options_are_checked_with_the_setting_named() {
        let url = "redis://127.0.0.1";
        let cases = [
            (RedisLimiterOptions::default().with_rate(0), "rate", "at least 1"),
            (RedisLimiterOptions::default().with_burst(0), "burst", "at least 1"),
            (
                RedisLimiterOptions::default().with_guard(Duration::from_secs(1)),
                "guard",
                "under 1 s",
            ),
            (
                RedisLimiterOptions::default().with_command_timeout(Duration::ZERO),
                "command_timeout",
                "more than zero",
            ),
            (
                RedisLimiterOptions::default().with_connect_timeout(Duration::ZERO),
                "connect_timeout",
                "more than zero",
            ),
            (
                RedisLimiterOptions::default().with_retry_interval(Duration::ZERO),
                "retry_interval",
                "more than zero",
            ),
            (
                RedisLimiterOptions::default().with_fallback_rate(0),
                "fallback_rate",
                "at least 1",
            ),
        ];
        for (options, setting, says) in cases {
            let err = RedisRateLimiter::new(url, options).unwrap_err();
            assert_eq!(err.kind(), RedisLimiterErrorKind::Config);
            assert_eq!(err.setting(), Some(setting));
            let message = err.to_string();
            assert!(message.contains(setting) && message.contains(says), "{message}");
        }
    }

    #[test]
    fn bad_urls_are_refused_with_the_forms_and_never_the_password() {
        for url in [
            "http://:s3cret@host",
            "host:6379",
            "redis://:s3cret@",
            "redis://:s3cret@host/x",
        ] {
            let err = RedisRateLimiter::new(url, RedisLimiterOptions::default()).unwrap_err();
            assert_eq!(err.setting(), Some("url"), "{url}");
            let mut chain = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(e) = source {
                chain.push_str(&format!(": {e}"));
                source = e.source();
            }
            assert!(chain.contains("redis://[[user]:password@]host"), "{url}: {chain}");
            assert!(!chain.contains("s3cret"), "{url}: {chain}");
        }
        #[cfg(not(feature = "tls"))]
        {
            let err = RedisRateLimiter::new("rediss://host", RedisLimiterOptions::default()).unwrap_err();
            assert!(err.to_string().contains("`tls` feature"), "{err}");
        }
    }

    #[test]
    fn interval_and_tolerance_are_whole_microseconds_rounded_up() {
        let of = |options| {
            let limiter = RedisRateLimiter::new("redis://h", options).unwrap();
            (limiter.shared.interval_us, limiter.shared.tolerance_us)
        };
        assert_eq!(of(RedisLimiterOptions::default()), (52_500, 0));
        assert_eq!(of(RedisLimiterOptions::default().with_guard(Duration::ZERO)).0, 50_000);
        let options = RedisLimiterOptions::default()
            .with_rate(3)
            .with_burst(4)
            .with_guard(Duration::from_millis(50));
        assert_eq!(of(options), (350_000, 1_050_000));
        let options = RedisLimiterOptions::default().with_rate(3).with_guard(Duration::ZERO);
        assert_eq!(of(options).0, 333_334);
    }

    #[test]
    fn keys_name_account_service_and_action_in_one_hash_tag() {
        let limiter =
            RedisRateLimiter::new("redis://:pw@h", RedisLimiterOptions::default().with_key_prefix("prod:")).unwrap();
        assert_eq!(
            limiter.redis_key("AKIDexample", "trtc", "DismissRoom"),
            "prod:{AKIDexample:trtc:DismissRoom}"
        );
        let debug = format!("{limiter:?}");
        assert!(
            debug.contains("redis://:***@h:6379/0") && !debug.contains("pw"),
            "{debug}"
        );
    }

    #[test]
    fn the_script_is_named_by_its_sha1() {
        // The name EVALSHA expects is the SHA-1 in lowercase hex: FIPS 180's "abc", then the script's own.
        assert_eq!(
            redis::Script::new("abc").get_hash(),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        let limiter = RedisRateLimiter::new("redis://h", RedisLimiterOptions::default()).unwrap();
        let sha = limiter.shared.script.get_hash();
        assert_eq!(sha.len(), 40);
        assert!(sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    }
}
