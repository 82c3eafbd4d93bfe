//! The GCRA script against a real Redis: what it writes, how far apart it places permits, bursts, separate
//! budgets per action, `EVALSHA` with `EVAL` only when the server lacks the script, and a connection the
//! application shares with the limiter.

mod redis_support;

use std::time::Duration;

use redis_support::{emulator, port_of, raw_command, redis_url, unique_prefix, RedisServer, APP};
use trtc_emulator::{Emulator, RateLimit, DEMO_SECRET_ID, DEMO_SECRET_KEY};
use trtc_model::DismissRoomByStrRoomIdRequest;
use trtc_ratelimit_redis::{RedisLimiterOptions, RedisRateLimiter};
use trtc_transport::{Client, Credentials, DismissRoomRequest, RateKey, Region};

fn limiter(url: &str, prefix: &str, rate: u32, burst: u32) -> RedisRateLimiter {
    let options = RedisLimiterOptions::default()
        .with_key_prefix(prefix)
        .with_rate(rate)
        .with_burst(burst)
        .with_guard(Duration::ZERO);
    RedisRateLimiter::new(url, options).unwrap()
}

fn client(emulator: &Emulator, limiter: &RedisRateLimiter) -> Client {
    Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .rate_limiter(limiter.clone())
        .build()
        .unwrap()
}

/// Dismisses `rooms` at once through `clients` in turn; panics on any failure.
async fn dismiss_all(clients: &[&Client], rooms: std::ops::RangeInclusive<u64>) {
    let mut calls = tokio::task::JoinSet::new();
    for (i, room) in rooms.enumerate() {
        let client = clients[i % clients.len()].clone();
        calls.spawn(async move { client.dismiss_room(DismissRoomRequest::new(APP, room)).await });
    }
    while let Some(joined) = calls.join_next().await {
        joined.unwrap().unwrap();
    }
}

/// Arrival times at the emulator, in ms from the first.
fn arrivals(emulator: &Emulator) -> Vec<u64> {
    let mut times: Vec<u64> = emulator.journal().iter().map(|e| e.time_ms).collect();
    times.sort_unstable();
    times.iter().map(|t| t - times[0]).collect()
}

fn server_micros(port: u16) -> u64 {
    let time = raw_command(port, &["TIME"]).unwrap();
    let (secs, micros) = time.split_once(' ').unwrap();
    secs.parse::<u64>().unwrap() * 1_000_000 + micros.parse::<u64>().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_limiters_share_one_key_and_space_permits_by_the_interval() {
    let Some(url) = redis_url("two_limiters_share_one_key_and_space_permits_by_the_interval") else {
        return;
    };
    let port = port_of(&url);
    let prefix = unique_prefix("gcra-share");
    let emulator = emulator(12, RateLimit::unlimited()).await;
    // Two limiters, two clients: as two processes would be.
    let (a, b) = (limiter(&url, &prefix, 10, 1), limiter(&url, &prefix, 10, 1));
    let (client_a, client_b) = (client(&emulator, &a), client(&emulator, &b));

    let before = server_micros(port);
    let calls = tokio::spawn({
        let (client_a, client_b) = (client_a.clone(), client_b.clone());
        async move { dismiss_all(&[&client_a, &client_b], 1..=12).await }
    });
    // Once every slot is booked (the last caller is still waiting for its own), the key holds the next free
    // slot: exactly 12 intervals of 100 ms after the first permit, in the server's microseconds.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let key = a.redis_key_of(&RateKey::new("trtc", "DismissRoom", DEMO_SECRET_ID).with_sdk_app_id(APP));
    let tat: u64 = raw_command(port, &["GET", &key]).unwrap().parse().unwrap();
    let first = tat - 12 * 100_000;
    assert!(
        first >= before && first <= before + 300_000,
        "first permit at {first}, calls started at {before}"
    );
    let ttl: u64 = raw_command(port, &["PTTL", &key]).unwrap().parse().unwrap();
    assert!(
        ttl <= 12 * 100 + 1,
        "the key lives until its TAT, no longer: PTTL {ttl} ms"
    );
    calls.await.unwrap();

    let times = arrivals(&emulator);
    assert_eq!(times.len(), 12);
    // The first request can reach the emulator a little after its permit (connection set-up), so only the
    // gaps after it are held to the tight bound.
    assert!((50..=150).contains(&(times[1] - times[0])), "{times:?}");
    for pair in times[1..].windows(2) {
        let gap = pair[1] - pair[0];
        assert!((85..=150).contains(&gap), "permits 100 ms apart, arrivals {times:?}");
    }
    // Eleven intervals after the first arrival; the first request itself may reach the emulator a few
    // milliseconds after its permit, so the span is measured with that much slack.
    assert!((1040..=1250).contains(&times[11]), "{times:?}");

    // Past its TAT the key expires: nothing is left behind.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(raw_command(port, &["EXISTS", &key]).unwrap(), "0");
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_goes_at_once_then_the_rate_holds() {
    let Some(url) = redis_url("a_burst_goes_at_once_then_the_rate_holds") else {
        return;
    };
    let emulator = emulator(7, RateLimit::unlimited()).await;
    let limiter = limiter(&url, &unique_prefix("gcra-burst"), 10, 5);
    let client = client(&emulator, &limiter);
    dismiss_all(&[&client], 1..=7).await;
    let times = arrivals(&emulator);
    // Five at once, then one per 100 ms: the sixth 100 ms after the first, the seventh 200 ms.
    assert!(times[4] < 50, "{times:?}");
    assert!((70..=160).contains(&times[5]), "{times:?}");
    assert!((170..=260).contains(&times[6]), "{times:?}");
    assert!((85..=150).contains(&(times[6] - times[5])), "{times:?}");
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_action_has_its_own_budget() {
    let Some(url) = redis_url("each_action_has_its_own_budget") else {
        return;
    };
    let emulator = emulator(10, RateLimit::unlimited()).await;
    emulator.create_str_room(APP, "class-7");
    let limiter = limiter(&url, &unique_prefix("gcra-actions"), 10, 1);
    let client = client(&emulator, &limiter);
    let queue = tokio::spawn({
        let client = client.clone();
        async move { dismiss_all(&[&client], 1..=10).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = tokio::time::Instant::now();
    client
        .dismiss_room_by_str_room_id(DismissRoomByStrRoomIdRequest::new(APP, "class-7"))
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(80),
        "DismissRoomByStrRoomId waited behind DismissRoom's queue: {:?}",
        started.elapsed()
    );
    queue.await.unwrap();
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evalsha_first_and_eval_only_when_the_server_lacks_the_script() {
    if redis_url("evalsha_first_and_eval_only_when_the_server_lacks_the_script").is_none() {
        return;
    }
    let redis = RedisServer::start(&[]);
    let emulator = emulator(3, RateLimit::unlimited()).await;
    // `new` loads nothing: the first permit meets NOSCRIPT and sends the script itself.
    let limiter = limiter(&redis.url(), &unique_prefix("gcra-noscript"), 100, 1);
    let client = client(&emulator, &limiter);
    let calls = |command: &str| -> u64 {
        let stats = raw_command(redis.port, &["INFO", "commandstats"]).unwrap();
        stats
            .lines()
            .find_map(|l| l.strip_prefix(&format!("cmdstat_{command}:calls=")))
            .map_or(0, |rest| rest.split(',').next().unwrap().parse().unwrap())
    };
    dismiss_all(&[&client], 1..=1).await;
    assert_eq!((calls("evalsha"), calls("eval")), (1, 1));
    dismiss_all(&[&client], 2..=2).await;
    assert_eq!((calls("evalsha"), calls("eval")), (2, 1), "the script is cached now");
    // Flushed (a restart, a failover to a replica that never saw it): EVAL once more.
    assert_eq!(raw_command(redis.port, &["SCRIPT", "FLUSH"]).unwrap(), "OK");
    dismiss_all(&[&client], 3..=3).await;
    assert_eq!((calls("evalsha"), calls("eval")), (3, 2));
    assert!(!limiter.is_falling_back());
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_of_the_application_is_shared_not_duplicated() {
    if redis_url("a_connection_of_the_application_is_shared_not_duplicated").is_none() {
        return;
    }
    let redis = RedisServer::start(&[]);
    let connected = || -> u64 {
        // This query's own connection is one of them, every time.
        let info = raw_command(redis.port, &["INFO", "clients"]).unwrap();
        info.lines()
            .find_map(|l| l.strip_prefix("connected_clients:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    let redis_client = redis::Client::open(redis.url()).unwrap();
    let manager = redis::aio::ConnectionManager::new(redis_client.clone()).await.unwrap();
    let multiplexed = redis_client.get_multiplexed_async_connection().await.unwrap();
    let before = connected();

    let prefix = unique_prefix("gcra-shared");
    let options = RedisLimiterOptions::default()
        .with_key_prefix(&prefix)
        .with_rate(10)
        .with_guard(Duration::ZERO);
    let a = RedisRateLimiter::with_connection(manager.clone(), options.clone()).unwrap();
    let b = RedisRateLimiter::with_connection(multiplexed, options).unwrap();
    a.ready().await.unwrap();
    let emulator = emulator(6, RateLimit::unlimited()).await;
    let (client_a, client_b) = (client(&emulator, &a), client(&emulator, &b));
    dismiss_all(&[&client_a, &client_b], 1..=6).await;

    // One budget over both connections: six permits 100 ms apart.
    let times = arrivals(&emulator);
    assert!((450..=700).contains(&times[5]), "{times:?}");
    assert!(!a.is_falling_back() && !b.is_falling_back());
    // The application's connections carried it all, and still serve the application.
    assert_eq!(connected(), before, "the limiter opened no connection of its own");
    let key = a.redis_key_of(&RateKey::new("trtc", "DismissRoom", DEMO_SECRET_ID).with_sdk_app_id(APP));
    let mut manager = manager;
    let tat: Option<u64> = redis::cmd("GET").arg(&key).query_async(&mut manager).await.unwrap();
    assert!(tat.is_some(), "the budget's key {key} is in the application's Redis");
    emulator.shutdown().await;
}
