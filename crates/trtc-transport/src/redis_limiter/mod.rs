//! A rate limiter shared by every process of a fleet, kept in Redis (feature `redis`).
//!
//! The budget of an account lives in one Redis key per (SecretId, service, action). Each permit runs one Lua
//! script that applies GCRA atomically on the server, with the server's clock: it books the next free slot
//! and answers how long the caller waits for it. The caller sleeps that long and sends; its slot is already
//! its own, so callers are served in the order they asked, whichever process they are in.
//!
//! When Redis is slow or down the limiter does what [`FallbackPolicy`] says: pace with a local limiter until
//! Redis answers again (the default), or fail the call.

mod clock;
mod connection;
mod resp;
mod url;

use std::fmt;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha1::{Digest, Sha1};
use tokio::time::{timeout, Instant};

use self::clock::ServerClock;
use self::connection::Connection;
use self::resp::Reply;
use self::url::RedisUrl;
use crate::rate_limit::{LocalRateLimiter, RateKey, RateLimiter, DOCUMENTED_RATE_PER_SECOND};
use crate::{BoxFuture, Error, TransportError, TransportErrorKind};

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

/// The GCRA script; see the file for what each argument is.
const SCRIPT: &str = include_str!("gcra.lua");

/// What a permit does when Redis does not answer in time (down, unreachable, refusing the script).
///
/// Either way the limiter logs one `warn` event when the outage starts and one `info` event when Redis
/// answers again, tries Redis again at most once per retry interval meanwhile, and goes back to the shared
/// budget as soon as Redis answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FallbackPolicy {
    /// Pace this process alone with a [`LocalRateLimiter`]: calls keep going, but N processes may together
    /// send up to N times the budget (the service then throttles some; the client retries those).
    #[default]
    Local,
    /// Fail the call without sending it: `Error::Transport` of kind `Connect` (the request was not sent),
    /// whose message names Redis and the cause.
    Fail,
}

/// The settings of a [`RedisRateLimiter`]. Checked by [`RedisRateLimiter::new`], which names the one at fault.
///
/// ```
/// use std::time::Duration;
/// use trtc_transport::{FallbackPolicy, RedisLimiterOptions};
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
    rate: u32,
    burst: u32,
    guard: Duration,
    key_prefix: String,
    command_timeout: Duration,
    connect_timeout: Duration,
    retry_interval: Duration,
    fallback: FallbackPolicy,
    fallback_rate: Option<u32>,
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

    fn check(&self) -> Result<(), Error> {
        let fail = |problem: String| {
            Err(Error::Config {
                setting: "rate_limiter",
                problem,
            })
        };
        if self.rate == 0 || self.burst == 0 {
            return fail(format!(
                "the Redis limiter's rate and burst must be at least 1 (got {} per second, burst {}); to send without a limit, turn the limiter off",
                self.rate, self.burst
            ));
        }
        if self.guard >= Duration::from_secs(1) {
            return fail(format!(
                "the Redis limiter's guard must be under 1 s (got {:?})",
                self.guard
            ));
        }
        for (name, value) in [
            ("command timeout", self.command_timeout),
            ("connect timeout", self.connect_timeout),
            ("retry interval", self.retry_interval),
        ] {
            if value.is_zero() {
                return fail(format!("the Redis limiter's {name} must be more than zero"));
            }
        }
        if self.fallback_rate == Some(0) {
            return fail("the Redis limiter's fallback rate must be at least 1 per second".into());
        }
        Ok(())
    }
}

/// A [`RateLimiter`] whose budget lives in Redis, shared by every process and machine that uses the same
/// Redis and key prefix: together they send at most `rate` requests per second per (SecretId, service,
/// action), each caller waiting its turn in the order it asked.
///
/// Cheap to clone; clones share the connection and the fallback limiter.
///
/// ```no_run
/// use trtc_transport::{Client, Credentials, DismissRoomRequest, RedisLimiterOptions, RedisRateLimiter, Region};
///
/// # async fn run() -> Result<(), trtc_transport::Error> {
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

struct Shared {
    url: RedisUrl,
    options: RedisLimiterOptions,
    interval_us: String,
    tolerance_us: String,
    script_sha: String,
    connection: tokio::sync::Mutex<Option<Arc<Connection>>>,
    clock: Mutex<ServerClock>,
    health: Mutex<Health>,
    local: LocalRateLimiter,
}

/// Whether Redis is answering; while it is not, when to try it again and why it stopped.
#[derive(Default)]
struct Health {
    down_since: Option<Instant>,
    retry_at: Option<Instant>,
    last_error: String,
}

impl fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        f.debug_struct("RedisRateLimiter")
            .field("url", &shared.url)
            .field("rate", &shared.options.rate)
            .field("burst", &shared.options.burst)
            .field("key_prefix", &shared.options.key_prefix)
            .field("fallback", &shared.options.fallback)
            .field("falling_back", &self.is_falling_back())
            .finish_non_exhaustive()
    }
}

impl RedisRateLimiter {
    /// A limiter for the Redis at `url` (`redis://[[user]:password@]host[:port][/db]`), connecting on first
    /// use. If Redis does not answer then, the fallback policy applies; use [`connect`](Self::connect) to
    /// find a wrong address at start instead.
    ///
    /// ```
    /// use trtc_transport::{RedisLimiterOptions, RedisRateLimiter};
    ///
    /// let limiter = RedisRateLimiter::new("redis://127.0.0.1:6379", RedisLimiterOptions::default()).unwrap();
    /// assert!(!format!("{limiter:?}").contains("secret"));
    /// let err = RedisRateLimiter::new("http://127.0.0.1:6379", RedisLimiterOptions::default()).unwrap_err();
    /// assert!(err.to_string().contains("redis://"));
    /// ```
    pub fn new(url: &str, options: RedisLimiterOptions) -> Result<Self, Error> {
        let url = RedisUrl::parse(url)?;
        options.check()?;
        let local = LocalRateLimiter::new(options.fallback_rate.unwrap_or(options.rate), options.burst)?;
        // Rounded up: a permit a microsecond late never matters, one early can exceed a strict window.
        let window_us = 1_000_000 + options.guard.as_micros() as u64;
        let interval_us = window_us.div_ceil(u64::from(options.rate));
        let tolerance_us = interval_us * u64::from(options.burst - 1);
        Ok(RedisRateLimiter {
            shared: Arc::new(Shared {
                url,
                interval_us: interval_us.to_string(),
                tolerance_us: tolerance_us.to_string(),
                script_sha: sha1_hex(SCRIPT),
                options,
                connection: tokio::sync::Mutex::new(None),
                clock: Mutex::new(ServerClock::new()),
                health: Mutex::new(Health::default()),
                local,
            }),
        })
    }

    /// Like [`new`](Self::new), then connects and loads the script, failing if Redis does not answer within
    /// the timeouts, whatever the fallback policy: a wrong address or password is found at start.
    pub async fn connect(url: &str, options: RedisLimiterOptions) -> Result<Self, Error> {
        let limiter = RedisRateLimiter::new(url, options)?;
        let shared = &limiter.shared;
        let loaded = async {
            let connection = timeout(shared.options.connect_timeout, shared.connection())
                .await
                .map_err(|_| Unavailable::timed_out("connecting", shared.options.connect_timeout))??;
            let reply = timeout(
                shared.options.command_timeout,
                connection.command(&[b"SCRIPT", b"LOAD", SCRIPT.as_bytes()]),
            )
            .await
            .map_err(|_| Unavailable::timed_out("loading the script", shared.options.command_timeout))?
            .map_err(Unavailable::io)?;
            match reply {
                Reply::Bulk(Some(sha)) if sha.eq_ignore_ascii_case(shared.script_sha.as_bytes()) => Ok(()),
                Reply::Error(message) => Err(Unavailable::refused(message)),
                other => Err(Unavailable::unexpected(&other)),
            }
        };
        loaded.await.map_err(|e| {
            shared.error(format!(
                "could not be set up ({}); check the address, the password and that Redis is reachable, or use \
                 RedisRateLimiter::new to start on the fallback and connect later",
                e.reason
            ))
        })?;
        Ok(limiter)
    }

    /// Whether permits currently come from the fallback because Redis did not answer.
    pub fn is_falling_back(&self) -> bool {
        self.shared.lock_health().down_since.is_some()
    }

    /// The Redis key that holds the budget of the account `secret_id` for `action` of `service`: the prefix,
    /// then SecretId, service and action, separated by `:`.
    ///
    /// ```
    /// use trtc_transport::{RedisLimiterOptions, RedisRateLimiter};
    ///
    /// let limiter = RedisRateLimiter::new("redis://127.0.0.1", RedisLimiterOptions::default()).unwrap();
    /// assert_eq!(limiter.redis_key("AKIDexample", "trtc", "DismissRoom"), "trtc:rate:AKIDexample:trtc:DismissRoom");
    /// ```
    pub fn redis_key(&self, secret_id: &str, service: &str, action: &str) -> String {
        format!("{}{secret_id}:{service}:{action}", self.shared.options.key_prefix)
    }

    /// The Redis key of a permit's budget: [`redis_key`](Self::redis_key), then `:<SdkAppId>` when the
    /// request names an application (the service counts its limits per action and SdkAppId).
    ///
    /// ```
    /// use trtc_transport::{RateKey, RedisLimiterOptions, RedisRateLimiter};
    ///
    /// let limiter = RedisRateLimiter::new("redis://127.0.0.1", RedisLimiterOptions::default()).unwrap();
    /// let key = RateKey::new("trtc", "DismissRoom", "AKIDexample").with_sdk_app_id(1400000001);
    /// assert_eq!(limiter.redis_key_of(&key), "trtc:rate:AKIDexample:trtc:DismissRoom:1400000001");
    /// ```
    pub fn redis_key_of(&self, key: &RateKey<'_>) -> String {
        let account_wide = self.redis_key(key.secret_id, key.service, key.action);
        match key.sdk_app_id {
            Some(app) => format!("{account_wide}:{app}"),
            None => account_wide,
        }
    }
}

impl RateLimiter for RedisRateLimiter {
    fn acquire<'a>(&'a self, key: RateKey<'a>) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let shared = &self.shared;
            match shared.reserve(&self.redis_key_of(&key)).await {
                Ok(slot) => {
                    tokio::time::sleep_until(slot).await;
                    Ok(())
                }
                Err(e) => match shared.options.fallback {
                    FallbackPolicy::Local => shared.local.acquire(key).await,
                    FallbackPolicy::Fail => Err(shared.error(format!(
                        "is unavailable ({}); the request was not sent (the limiter fails calls while Redis is \
                         unavailable: FallbackPolicy::Fail)",
                        e.reason
                    ))),
                },
            }
        })
    }
}

impl Shared {
    /// Books a slot in Redis and returns when it starts here; an error when Redis did not answer, or did not
    /// answer well, in time (or was found so less than a retry interval ago).
    async fn reserve(&self, key: &str) -> Result<Instant, Unavailable> {
        if let Some(known) = self.known_down() {
            return Err(known);
        }
        let result = async {
            let connection = timeout(self.options.connect_timeout, self.connection())
                .await
                .map_err(|_| Unavailable::timed_out("connecting", self.options.connect_timeout))??;
            match timeout(self.options.command_timeout, self.run_script(&connection, key)).await {
                Ok(Ok(wait)) => Ok(wait),
                Ok(Err(e)) => {
                    if e.breaks_connection {
                        connection.mark_broken();
                    }
                    Err(e)
                }
                Err(_) => {
                    connection.mark_broken();
                    Err(Unavailable::timed_out(
                        "waiting for the answer",
                        self.options.command_timeout,
                    ))
                }
            }
        }
        .await;
        match &result {
            Ok(_) => self.answered(),
            Err(e) if !e.already_known => self.went_down(e),
            Err(_) => {}
        }
        result
    }

    /// The open connection, or a new one.
    async fn connection(&self) -> Result<Arc<Connection>, Unavailable> {
        let mut slot = self.connection.lock().await;
        // Another caller may have found Redis down while this one waited for the lock.
        if let Some(known) = self.known_down() {
            return Err(known);
        }
        if let Some(connection) = slot.as_ref().filter(|c| c.is_usable()) {
            return Ok(Arc::clone(connection));
        }
        *slot = None;
        let connection = Arc::new(Connection::open(&self.url).await.map_err(Unavailable::io)?);
        *slot = Some(Arc::clone(&connection));
        Ok(connection)
    }

    /// `EVALSHA`, and `EVAL` when the server does not have the script (restarted, flushed, failed over).
    async fn run_script(&self, connection: &Connection, key: &str) -> Result<Instant, Unavailable> {
        let args = [
            key.as_bytes(),
            self.interval_us.as_bytes(),
            self.tolerance_us.as_bytes(),
        ];
        let evalsha = [&[b"EVALSHA".as_slice(), self.script_sha.as_bytes(), b"1"][..], &args].concat();
        let mut sent = Instant::now();
        let mut reply = connection.command(&evalsha).await.map_err(Unavailable::io)?;
        if matches!(&reply, Reply::Error(message) if message.starts_with("NOSCRIPT")) {
            let eval = [&[b"EVAL".as_slice(), SCRIPT.as_bytes(), b"1"][..], &args].concat();
            sent = Instant::now();
            reply = connection.command(&eval).await.map_err(Unavailable::io)?;
        }
        let received = Instant::now();
        match reply {
            Reply::Array(Some(items)) => match items[..] {
                [Reply::Integer(start_us), Reply::Integer(now_us)] => Ok(self
                    .clock
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .slot(start_us, now_us, sent, received)),
                _ => Err(Unavailable::unexpected(&Reply::Array(Some(items)))),
            },
            Reply::Error(message) => Err(Unavailable::refused(message)),
            other => Err(Unavailable::unexpected(&other)),
        }
    }

    /// The outage in progress, if Redis is not to be tried again yet.
    fn known_down(&self) -> Option<Unavailable> {
        let health = self.lock_health();
        match health.retry_at {
            Some(retry_at) if Instant::now() < retry_at => Some(Unavailable {
                reason: health.last_error.clone(),
                breaks_connection: false,
                already_known: true,
            }),
            _ => None,
        }
    }

    fn went_down(&self, error: &Unavailable) {
        let mut health = self.lock_health();
        let now = Instant::now();
        health.retry_at = Some(now + self.options.retry_interval);
        health.last_error.clone_from(&error.reason);
        if health.down_since.is_none() {
            health.down_since = Some(now);
            let fallback = match self.options.fallback {
                FallbackPolicy::Local => "permits come from this process's local limiter until Redis answers again",
                FallbackPolicy::Fail => "calls fail until Redis answers again",
            };
            tracing::warn!(
                redis = %self.url,
                error = %error.reason,
                retry_every_ms = self.options.retry_interval.as_millis() as u64,
                "rate limiter: Redis unavailable; {fallback}"
            );
        }
    }

    fn answered(&self) {
        let mut health = self.lock_health();
        health.retry_at = None;
        if let Some(since) = health.down_since.take() {
            tracing::info!(
                redis = %self.url,
                outage_ms = since.elapsed().as_millis() as u64,
                "rate limiter: Redis answers again; the shared budget is back in use"
            );
        }
    }

    /// The error a caller sees: of kind `Connect`, as nothing was sent, naming Redis and what happened.
    fn error(&self, what: String) -> Error {
        Error::Transport(TransportError::new(
            TransportErrorKind::Connect,
            format!("rate limiter: Redis at {} {what}", self.url),
            None,
        ))
    }

    fn lock_health(&self) -> std::sync::MutexGuard<'_, Health> {
        // Health is a few plain fields, each written whole: a panic elsewhere cannot leave it half-updated.
        self.health.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Why Redis could not give a permit, in words for the log and the error.
#[derive(Debug)]
struct Unavailable {
    reason: String,
    /// Whether the connection can no longer be trusted to be in step with the server.
    breaks_connection: bool,
    /// Whether this is the outage in progress, reported without asking Redis (so no news of its health).
    already_known: bool,
}

impl Unavailable {
    fn io(e: io::Error) -> Self {
        Unavailable {
            reason: e.to_string(),
            breaks_connection: true,
            already_known: false,
        }
    }

    fn timed_out(doing: &str, after: Duration) -> Self {
        Unavailable {
            reason: format!("no answer within {after:?} while {doing}"),
            breaks_connection: true,
            already_known: false,
        }
    }

    fn refused(message: String) -> Self {
        Unavailable {
            reason: format!("Redis answered: {message}"),
            breaks_connection: false,
            already_known: false,
        }
    }

    fn unexpected(reply: &Reply) -> Self {
        Unavailable {
            reason: format!("unexpected answer to the script: {reply:?}"),
            breaks_connection: true,
            already_known: false,
        }
    }
}

/// The script's name for `EVALSHA`: its SHA-1, in lowercase hex.
fn sha1_hex(text: &str) -> String {
    Sha1::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_sha_is_its_sha1() {
        // The SHA-1 of "abc" from FIPS 180, then the script's own: 40 lowercase hex digits.
        assert_eq!(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        let sha = sha1_hex(SCRIPT);
        assert_eq!(sha.len(), 40);
        assert!(sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    }

    #[test]
    fn options_are_checked_with_the_setting_named() {
        let url = "redis://127.0.0.1";
        let cases = [
            (RedisLimiterOptions::default().with_rate(0), "at least 1"),
            (RedisLimiterOptions::default().with_burst(0), "at least 1"),
            (
                RedisLimiterOptions::default().with_guard(Duration::from_secs(1)),
                "guard",
            ),
            (
                RedisLimiterOptions::default().with_command_timeout(Duration::ZERO),
                "command timeout",
            ),
            (
                RedisLimiterOptions::default().with_connect_timeout(Duration::ZERO),
                "connect timeout",
            ),
            (
                RedisLimiterOptions::default().with_retry_interval(Duration::ZERO),
                "retry interval",
            ),
            (RedisLimiterOptions::default().with_fallback_rate(0), "fallback rate"),
        ];
        for (options, says) in cases {
            let err = RedisRateLimiter::new(url, options).unwrap_err().to_string();
            assert!(err.contains("rate_limiter") && err.contains(says), "{err}");
        }
    }

    #[test]
    fn interval_and_tolerance_are_whole_microseconds_rounded_up() {
        let limiter = RedisRateLimiter::new("redis://h", RedisLimiterOptions::default()).unwrap();
        assert_eq!(limiter.shared.interval_us, "52500");
        assert_eq!(limiter.shared.tolerance_us, "0");
        let exact = RedisLimiterOptions::default().with_guard(Duration::ZERO);
        let limiter = RedisRateLimiter::new("redis://h", exact).unwrap();
        assert_eq!(limiter.shared.interval_us, "50000");
        let options = RedisLimiterOptions::default()
            .with_rate(3)
            .with_burst(4)
            .with_guard(Duration::from_millis(50));
        let limiter = RedisRateLimiter::new("redis://h", options).unwrap();
        assert_eq!(limiter.shared.interval_us, "350000");
        assert_eq!(limiter.shared.tolerance_us, "1050000");
        let options = RedisLimiterOptions::default().with_rate(3).with_guard(Duration::ZERO);
        let limiter = RedisRateLimiter::new("redis://h", options).unwrap();
        assert_eq!(limiter.shared.interval_us, "333334");
    }

    #[test]
    fn keys_name_account_service_and_action() {
        let limiter =
            RedisRateLimiter::new("redis://:pw@h", RedisLimiterOptions::default().with_key_prefix("prod:")).unwrap();
        assert_eq!(
            limiter.redis_key("AKIDexample", "trtc", "DismissRoom"),
            "prod:AKIDexample:trtc:DismissRoom"
        );
        assert!(!format!("{limiter:?}").contains("pw"));
    }
}
