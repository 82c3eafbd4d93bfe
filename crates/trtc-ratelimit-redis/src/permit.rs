//! How one permit is had from Redis: the GCRA script run with its timeouts, and the limiter's view of
//! Redis's health (one warning per outage, one retry per interval while it lasts).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use redis::{ErrorKind, RedisError};
use tokio::time::{timeout, Instant};
use trtc_transport::LocalRateLimiter;

use crate::clock::ServerClock;
use crate::link::{Link, SharedConnection};
use crate::{FallbackPolicy, RedisLimiterError, RedisLimiterOptions};

/// The GCRA script; see the file for what each argument is.
pub(crate) const SCRIPT: &str = include_str!("gcra.lua");

/// What every clone of a limiter shares.
pub(crate) struct Shared {
    pub(crate) link: Link,
    pub(crate) options: RedisLimiterOptions,
    pub(crate) interval_us: u64,
    pub(crate) tolerance_us: u64,
    pub(crate) script: redis::Script,
    clock: Mutex<ServerClock>,
    health: Mutex<Health>,
    pub(crate) local: LocalRateLimiter,
}

/// Whether Redis is answering; while it is not, when to try it again and why it stopped.
#[derive(Default)]
struct Health {
    down_since: Option<Instant>,
    retry_at: Option<Instant>,
    last_error: Option<Unavailable>,
}

/// Why Redis could not give a permit: the limiter's words, and the `redis` crate's error when there is one.
#[derive(Debug, Clone)]
pub(crate) struct Unavailable {
    pub(crate) reason: String,
    pub(crate) cause: Option<Arc<RedisError>>,
    /// Whether this is the outage in progress, reported without asking Redis (so no news of its health).
    already_known: bool,
    /// Whether the connection failed in a way that makes a `ConnectionManager` open a new one.
    reconnecting: bool,
}

impl Shared {
    pub(crate) fn new(
        link: Link,
        options: RedisLimiterOptions,
        local: LocalRateLimiter,
        interval_us: u64,
        tolerance_us: u64,
    ) -> Self {
        Shared {
            link,
            options,
            interval_us,
            tolerance_us,
            script: redis::Script::new(SCRIPT),
            clock: Mutex::new(ServerClock::new()),
            health: Mutex::new(Health::default()),
            local,
        }
    }

    /// Books a slot in Redis and returns when it starts here; an error when Redis did not answer, or did not
    /// answer well, in time (or was found so less than a retry interval ago).
    pub(crate) async fn reserve(&self, key: &str) -> Result<Instant, Unavailable> {
        if let Some(known) = self.known_down() {
            return Err(known);
        }
        let result = async {
            let mut connection = self.connection().await?;
            let booked = async {
                match self.run_script(&mut connection, key).await {
                    // A connection that dropped since the last permit: the manager has begun a new one, and
                    // the second try waits for it, so a restarted Redis costs no fallback at all.
                    Err(e) if e.reconnecting => self.run_script(&mut connection, key).await,
                    booked => booked,
                }
            };
            match timeout(self.options.command_timeout, booked).await {
                Ok(slot) => slot,
                Err(_) => {
                    self.link.put_aside();
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

    /// Connects (if need be) and loads the script, within the timeouts: the check of
    /// [`RedisRateLimiter::ready`](crate::RedisRateLimiter::ready).
    pub(crate) async fn load_script(&self) -> Result<(), Unavailable> {
        let mut connection = self.connection().await?;
        let mut load = redis::cmd("SCRIPT");
        load.arg("LOAD").arg(SCRIPT);
        let sha: String = timeout(self.options.command_timeout, connection.query(&load))
            .await
            .map_err(|_| Unavailable::timed_out("loading the script", self.options.command_timeout))?
            .map_err(Unavailable::redis)?;
        match sha.eq_ignore_ascii_case(self.script.get_hash()) {
            true => Ok(()),
            false => Err(Unavailable::new(format!(
                "Redis named the script {sha}, not its SHA-1 {}",
                self.script.get_hash()
            ))),
        }
    }

    /// The connection in use or a new one, within the connect timeout.
    async fn connection(&self) -> Result<SharedConnection, Unavailable> {
        let still_up = || self.known_down().map_or(Ok(()), Err);
        let opening = self
            .link
            .connection(self.options.connect_timeout, still_up, Unavailable::redis);
        timeout(self.options.connect_timeout, opening)
            .await
            .map_err(|_| Unavailable::timed_out("connecting", self.options.connect_timeout))?
    }

    /// `EVALSHA`, and `EVAL` when the server does not have the script (restarted, flushed, failed over).
    async fn run_script(&self, connection: &mut SharedConnection, key: &str) -> Result<Instant, Unavailable> {
        let with_args = |mut cmd: redis::Cmd| {
            cmd.arg(1).arg(key).arg(self.interval_us).arg(self.tolerance_us);
            cmd
        };
        let evalsha = with_args({
            let mut cmd = redis::cmd("EVALSHA");
            cmd.arg(self.script.get_hash());
            cmd
        });
        let mut sent = Instant::now();
        let mut reply = connection.query::<(i64, i64)>(&evalsha).await;
        if matches!(&reply, Err(e) if e.kind() == ErrorKind::NoScriptError) {
            let eval = with_args({
                let mut cmd = redis::cmd("EVAL");
                cmd.arg(SCRIPT);
                cmd
            });
            sent = Instant::now();
            reply = connection.query(&eval).await;
        }
        let received = Instant::now();
        let (start_us, now_us) = reply.map_err(Unavailable::redis)?;
        let mut clock = self.clock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(clock.slot(start_us, now_us, sent, received))
    }

    /// Whether permits currently come from the fallback because Redis did not answer.
    pub(crate) fn is_falling_back(&self) -> bool {
        self.lock_health().down_since.is_some()
    }

    /// The outage in progress, if Redis is not to be tried again yet.
    fn known_down(&self) -> Option<Unavailable> {
        let health = self.lock_health();
        match (health.retry_at, &health.last_error) {
            (Some(retry_at), Some(last)) if Instant::now() < retry_at => Some(Unavailable {
                already_known: true,
                ..last.clone()
            }),
            _ => None,
        }
    }

    fn went_down(&self, error: &Unavailable) {
        let mut health = self.lock_health();
        let now = Instant::now();
        health.retry_at = Some(now + self.options.retry_interval);
        health.last_error = Some(error.clone());
        if health.down_since.is_none() {
            health.down_since = Some(now);
            let fallback = match self.options.fallback {
                FallbackPolicy::Local => "permits come from this process's local limiter until Redis answers again",
                FallbackPolicy::Fail => "calls fail until Redis answers again",
            };
            let cause = error.cause.as_ref().map(|e| e.to_string()).unwrap_or_default();
            tracing::warn!(
                redis = %self.link.name,
                error = %error.reason,
                cause = %cause,
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
                redis = %self.link.name,
                outage_ms = since.elapsed().as_millis() as u64,
                "rate limiter: Redis answers again; the shared budget is back in use"
            );
        }
    }

    /// The error of a permit refused under [`FallbackPolicy::Fail`].
    pub(crate) fn refused(&self, e: Unavailable) -> RedisLimiterError {
        RedisLimiterError::unavailable(
            format!(
                "rate limiter: {} is unavailable ({}); the request was not sent (the limiter fails calls while \
                 Redis is unavailable: FallbackPolicy::Fail)",
                self.link.name, e.reason
            ),
            e.cause,
        )
    }

    /// The error of a limiter that could not be set up.
    pub(crate) fn not_ready(&self, e: Unavailable) -> RedisLimiterError {
        RedisLimiterError::unavailable(
            format!(
                "rate limiter: {} could not be set up ({}); check the address, the password and that Redis is \
                 reachable, or skip this check to start on the fallback and connect later",
                self.link.name, e.reason
            ),
            e.cause,
        )
    }

    fn lock_health(&self) -> MutexGuard<'_, Health> {
        // Health is a few plain fields, each written whole: a panic elsewhere cannot leave it half-updated.
        self.health.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Unavailable {
    fn new(reason: String) -> Self {
        Unavailable {
            reason,
            cause: None,
            already_known: false,
            reconnecting: false,
        }
    }

    fn timed_out(doing: &str, after: Duration) -> Self {
        Unavailable::new(format!("no answer within {after:?} while {doing}"))
    }

    /// The `redis` crate's error, summed up in the limiter's words; the error itself becomes the source.
    fn redis(e: RedisError) -> Self {
        let reason = if e.is_connection_refusal() {
            "the connection was refused"
        } else if e.is_timeout() {
            "the connection timed out"
        } else if e.kind() == ErrorKind::AuthenticationFailed {
            "authentication failed: check the user name and password"
        } else if e.is_io_error() {
            "the connection failed"
        } else if e.kind() == ErrorKind::TypeError {
            "unexpected answer to the script"
        } else {
            "Redis answered with an error"
        };
        Unavailable {
            reconnecting: e.is_io_error() || e.is_unrecoverable_error(),
            cause: Some(Arc::new(e)),
            ..Unavailable::new(reason.to_owned())
        }
    }
}
