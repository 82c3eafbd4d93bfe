//! Redis frozen or killed in the middle of a run: the configured fallback takes over (local pacing, or calls
//! that fail saying why), one warning per outage, and the shared budget is used again once Redis answers.
//!
//! Each test starts and stops its own `redis-server`, so the shared one of the other tests is never touched.

mod redis_support;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use redis_support::{client, emulator, raw_command, raw_commands, redis_url, unique_prefix, RedisServer, APP};
use trtc_emulator::{RateLimit, DEMO_SECRET_ID};
use trtc_ratelimit_redis::{
    FallbackPolicy, RedisLimiterError, RedisLimiterErrorKind, RedisLimiterOptions, RedisRateLimiter,
};
use trtc_transport::{Client, DismissRoomRequest, Error, RateKey};

/// Short timeouts so that an outage is noticed, and left, quickly.
fn options(prefix: &str, fallback: FallbackPolicy) -> RedisLimiterOptions {
    RedisLimiterOptions::default()
        .with_key_prefix(prefix)
        .with_command_timeout(Duration::from_millis(200))
        .with_connect_timeout(Duration::from_millis(200))
        .with_retry_interval(Duration::from_millis(300))
        .with_fallback(fallback)
}

/// Everything the library logs, at every level, for all tests of this binary.
fn logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buffer);
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Sink(Arc::clone(&sink)))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        buffer
    })
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The log lines that mention `port` and contain `text`.
fn log_lines(port: u16, text: &str) -> Vec<String> {
    let logs = logs().lock().unwrap();
    String::from_utf8_lossy(&logs)
        .lines()
        .filter(|l| l.contains(&format!("127.0.0.1:{port}/")) && l.contains(text))
        .map(str::to_owned)
        .collect()
}

/// Dismisses rooms `rooms` concurrently; the results in room order.
async fn dismiss(client: &Client, rooms: std::ops::RangeInclusive<u64>) -> Vec<Result<(), Error>> {
    let mut calls = tokio::task::JoinSet::new();
    for room in rooms {
        let client = client.clone();
        calls.spawn(async move {
            (
                room,
                client.dismiss_room(DismissRoomRequest::new(APP, room)).await.map(drop),
            )
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = calls.join_next().await {
        results.push(joined.unwrap());
    }
    results.sort_by_key(|(room, _)| *room);
    results.into_iter().map(|(_, r)| r).collect()
}

/// An error's message and every cause below it, as a report would print them.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

fn key(limiter: &RedisRateLimiter) -> String {
    limiter.redis_key_of(&RateKey::new("trtc", "DismissRoom", DEMO_SECRET_ID).with_sdk_app_id(APP))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_fallback_keeps_calls_going_and_returns_to_redis() {
    if redis_url("local_fallback_keeps_calls_going_and_returns_to_redis").is_none() {
        return;
    }
    logs();
    let redis = RedisServer::start(&[]);
    let port = redis.port;
    let emulator = emulator(200, RateLimit::unlimited()).await;
    let limiter = RedisRateLimiter::connect(&redis.url(), options(&unique_prefix("local"), FallbackPolicy::Local))
        .await
        .unwrap();
    let client = client(&emulator.endpoint(), limiter.clone());

    // Redis in use: the budget's key is there, with a TAT ahead of the server's clock.
    assert!(dismiss(&client, 1..=10).await.iter().all(Result::is_ok));
    let tat: u64 = raw_command(port, &["GET", &key(&limiter)]).unwrap().parse().unwrap();
    let now = raw_command(port, &["TIME"]).unwrap();
    let (secs, micros) = now.split_once(' ').unwrap();
    let now_us: u64 = secs.parse::<u64>().unwrap() * 1_000_000 + micros.parse::<u64>().unwrap();
    assert!(
        tat > now_us && tat <= now_us + 52_500,
        "TAT {tat}, server time {now_us}"
    );
    assert!(!limiter.is_falling_back());

    // Frozen: connections hang. Every call still goes, each permit delayed at most by the command timeout.
    redis.freeze();
    let started = Instant::now();
    let results = dismiss(&client, 11..=30).await;
    let frozen_for = started.elapsed();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert!(limiter.is_falling_back());
    // 20 calls paced locally at 20 per second take 0.95 s after the first permit; the timeout adds 0.2 s.
    assert!(
        frozen_for >= Duration::from_millis(900) && frozen_for < Duration::from_millis(2500),
        "{frozen_for:?}"
    );

    // Thawed: after the retry interval, permits come from Redis again.
    redis.thaw();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(dismiss(&client, 31..=40).await.iter().all(Result::is_ok));
    assert!(!limiter.is_falling_back(), "back on Redis");

    // Killed: refused connections, same fallback.
    let port = redis.stop();
    let results = dismiss(&client, 41..=60).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert!(limiter.is_falling_back());

    // A new Redis on the same address: the limiter finds it and writes the budget there.
    let redis = RedisServer::start_on(port, &[]);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(dismiss(&client, 61..=70).await.iter().all(Result::is_ok));
    assert!(!limiter.is_falling_back());
    assert_ne!(raw_command(redis.port, &["GET", &key(&limiter)]).unwrap(), "(nil)");

    assert_eq!(emulator.journal().len(), 70, "every call sent once");
    // One warning per outage (two outages), however many calls fell back, and one note per recovery.
    assert_eq!(
        log_lines(port, "Redis unavailable").len(),
        2,
        "{:?}",
        log_lines(port, "")
    );
    assert_eq!(
        log_lines(port, "the shared budget is back in use").len(),
        2,
        "{:?}",
        log_lines(port, "")
    );
    assert!(log_lines(port, "Redis unavailable").iter().all(|l| l.contains("WARN")));
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_policy_fails_calls_without_sending_them() {
    if redis_url("fail_policy_fails_calls_without_sending_them").is_none() {
        return;
    }
    logs();
    let redis = RedisServer::start(&[]);
    let emulator = emulator(100, RateLimit::unlimited()).await;
    let limiter = RedisRateLimiter::connect(&redis.url(), options(&unique_prefix("fail"), FallbackPolicy::Fail))
        .await
        .unwrap();
    let client = client(&emulator.endpoint(), limiter.clone());
    assert!(dismiss(&client, 1..=5).await.iter().all(Result::is_ok));

    let port = redis.stop();
    let started = Instant::now();
    let results = dismiss(&client, 6..=15).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "failing is quick: {:?}",
        started.elapsed()
    );
    for result in &results {
        let Err(err @ Error::RateLimit(e)) = result else {
            panic!("expected a rate-limit error, got {result:?}");
        };
        let redis = e
            .downcast_ref::<RedisLimiterError>()
            .expect("the Redis limiter's own error");
        assert_eq!(redis.kind(), RedisLimiterErrorKind::Unavailable);
        // The client says nothing was sent; the limiter says which Redis, why, and by which policy.
        assert!(err.to_string().contains("the request was not sent"), "{err}");
        let message = redis.to_string();
        assert!(
            message.contains(&format!(
                "rate limiter: Redis at redis://127.0.0.1:{port}/0 is unavailable"
            )) && message.contains("the request was not sent")
                && message.contains("FallbackPolicy::Fail"),
            "{message}"
        );
        assert!(chain(err).contains(&message), "{}", chain(err));
    }
    assert_eq!(emulator.journal().len(), 5, "nothing sent while Redis was down");

    let _redis = RedisServer::start_on(port, &[]);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(dismiss(&client, 16..=20).await.iter().all(Result::is_ok));
    assert_eq!(emulator.journal().len(), 10);
    assert_eq!(log_lines(port, "Redis unavailable; calls fail").len(), 1);
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_finds_a_wrong_address_or_password_at_start() {
    if redis_url("connect_finds_a_wrong_address_or_password_at_start").is_none() {
        return;
    }
    let redis = RedisServer::start(&["--requirepass", "fleet-secret"]);
    let prefix = unique_prefix("auth");

    let ok = format!("redis://:fleet-secret@127.0.0.1:{}/2", redis.port);
    let limiter = RedisRateLimiter::connect(&ok, options(&prefix, FallbackPolicy::Fail))
        .await
        .unwrap();
    assert!(!format!("{limiter:?}").contains("fleet-secret"));
    let emulator = emulator(2, RateLimit::unlimited()).await;
    let client = client(&emulator.endpoint(), limiter.clone());
    assert!(dismiss(&client, 1..=1).await.iter().all(Result::is_ok));
    // AUTH and SELECT 2 were honoured: the key is in database 2, not 0.
    let exists = |db: &str| {
        raw_commands(
            redis.port,
            &[&["AUTH", "fleet-secret"], &["SELECT", db], &["EXISTS", &key(&limiter)]],
        )
        .unwrap()
    };
    assert_eq!(exists("2"), ["OK", "OK", "1"]);
    assert_eq!(exists("0"), ["OK", "OK", "0"]);

    let wrong = format!("redis://:not-it@127.0.0.1:{}/0", redis.port);
    let err = RedisRateLimiter::connect(&wrong, options(&prefix, FallbackPolicy::Local))
        .await
        .unwrap_err();
    let message = chain(&err);
    assert!(
        message.contains("Redis at redis://:***@127.0.0.1") && message.contains("authentication failed"),
        "{message}"
    );
    // Redis's own words come through as the cause.
    assert!(err.redis_error().is_some(), "{message}");
    assert!(!message.contains("not-it"), "{message}");

    let port = redis.stop();
    let err = RedisRateLimiter::connect(
        &format!("redis://127.0.0.1:{port}"),
        options(&prefix, FallbackPolicy::Local),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("Redis at redis://127.0.0.1:{port}/0 could not be set up")),
        "{err}"
    );

    // `new` does not connect: with the Local policy, a limiter whose Redis is down still paces.
    let limiter = RedisRateLimiter::new(
        &format!("redis://127.0.0.1:{port}"),
        options(&prefix, FallbackPolicy::Local),
    )
    .unwrap();
    let client = redis_support::client(&emulator.endpoint(), limiter.clone());
    assert!(dismiss(&client, 2..=2).await.iter().all(Result::is_ok));
    assert!(limiter.is_falling_back());
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_is_opened_again_without_falling_back() {
    if redis_url("a_dropped_connection_is_opened_again_without_falling_back").is_none() {
        return;
    }
    let redis = RedisServer::start(&[]);
    let limiter = RedisRateLimiter::connect(&redis.url(), options(&unique_prefix("dropped"), FallbackPolicy::Fail))
        .await
        .unwrap();
    let key = RateKey::new("trtc", "DismissRoom", DEMO_SECRET_ID).with_sdk_app_id(APP);
    trtc_transport::RateLimiter::acquire(&limiter, key).await.unwrap();
    // The server closes every connection but the one asking (a restart of a proxy, an idle timeout).
    let killed: u64 = raw_command(redis.port, &["CLIENT", "KILL", "TYPE", "normal"])
        .unwrap()
        .parse()
        .unwrap();
    assert!(killed >= 1, "the limiter's connection was closed");
    // Under FallbackPolicy::Fail a permit that could not be had would be an error: this one reconnects.
    trtc_transport::RateLimiter::acquire(&limiter, key).await.unwrap();
    assert!(!limiter.is_falling_back());
}
