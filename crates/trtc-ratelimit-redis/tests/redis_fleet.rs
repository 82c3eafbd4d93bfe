//! Four processes share one Redis budget: together they send 400 DismissRoom calls to one emulator, which
//! keeps its documented limit of 20 requests per second and must never have to use it.
//!
//! The processes are this test binary run again with `fleet_worker` (ignored in a normal run): each is a
//! separate OS process with its own client, limiter and connection to Redis, as instances of a backend are.

mod redis_support;

use std::collections::BTreeMap;
use std::process::{Command, Output};
use std::time::Duration;

use redis_support::{client, emulator, now_ms, redis_url, unique_prefix, APP};
use trtc_emulator::{Outcome, RateLimit};
use trtc_ratelimit_redis::{RedisLimiterOptions, RedisRateLimiter};
use trtc_transport::DismissRoomRequest;

const PROCESSES: u64 = 4;
const CALLS_PER_PROCESS: u64 = 100;
const WORKER_VAR: &str = "TRTC_FLEET_WORKER";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_one_budget_of_20_per_second() {
    let Some(redis) = redis_url("four_processes_share_one_budget_of_20_per_second") else {
        return;
    };
    let total = PROCESSES * CALLS_PER_PROCESS;
    // The emulator keeps the documented limit: a request over it would be answered RequestLimitExceeded.
    let emulator = emulator(total, RateLimit::per_second(20)).await;
    let prefix = unique_prefix("fleet");
    let start_at = now_ms() + 1500;

    let exe = std::env::current_exe().unwrap();
    let workers: Vec<_> = (0..PROCESSES)
        .map(|i| {
            let first_room = 1 + i * CALLS_PER_PROCESS;
            let spec = format!(
                "{}|{}|{}|{}|{}|{}",
                emulator.endpoint(),
                redis,
                prefix,
                first_room,
                CALLS_PER_PROCESS,
                start_at
            );
            let exe = exe.clone();
            tokio::task::spawn_blocking(move || -> Output {
                Command::new(exe)
                    .args([
                        "fleet_worker",
                        "--exact",
                        "--ignored",
                        "--nocapture",
                        "--test-threads=1",
                    ])
                    .env(WORKER_VAR, spec)
                    .output()
                    .unwrap()
            })
        })
        .collect();
    let mut outputs = Vec::new();
    for worker in workers {
        outputs.push(worker.await.unwrap());
    }

    let journal = emulator.journal();
    let throttled = journal
        .iter()
        .filter(|e| e.code().is_some_and(|c| c.starts_with("RequestLimitExceeded")))
        .count();

    // No one-second window, wherever it starts, holds more than 20 requests.
    let mut times: Vec<u64> = journal.iter().map(|e| e.time_ms).collect();
    times.sort_unstable();
    let mut busiest = 0;
    for (i, &t) in times.iter().enumerate() {
        let in_window = times[i..].iter().take_while(|&&u| u < t + 1000).count();
        busiest = busiest.max(in_window);
    }
    let span = Duration::from_millis(times[times.len() - 1] - times[0]);
    let mut per_second: BTreeMap<u64, usize> = BTreeMap::new();
    for t in &times {
        *per_second.entry((t - times[0]) / 1000).or_default() += 1;
    }
    eprintln!(
        "fleet: {total} calls from {PROCESSES} processes: {} requests in {span:?}, {throttled} throttled; busiest 1 s window {busiest}; per second {:?}",
        journal.len(),
        per_second.values().collect::<Vec<_>>()
    );
    for (i, output) in outputs.iter().enumerate() {
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "worker {i} failed: {}\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let line = stdout
            .lines()
            .find_map(|l| l.find("fleet-worker:").map(|at| &l[at..]))
            .unwrap_or_default();
        assert!(
            line.contains(&format!("ok={CALLS_PER_PROCESS} ")),
            "worker {i}: {stdout}"
        );
        eprintln!("{line}");
    }

    assert_eq!(journal.len() as u64, total, "one request per call, no retries");
    let throttled_at: Vec<u64> = journal
        .iter()
        .filter(|e| e.code().is_some())
        .map(|e| e.time_ms - times[0])
        .collect();
    assert_eq!(
        throttled, 0,
        "the emulator's own limit fired {throttled} times, at ms {throttled_at:?}"
    );
    assert!(busiest <= 20, "a one-second window held {busiest} requests");
    assert!(journal
        .iter()
        .all(|e| e.outcome == Outcome::Success && e.action.as_deref() == Some("DismissRoom")));
    assert_eq!(emulator.room_count(), 0, "every room dismissed");

    // 400 permits (1 s + the 50 ms guard) / 20 = 52.5 ms apart: 20.95 s from the first to the last.
    assert!(
        span >= Duration::from_secs(19) && span <= Duration::from_secs(23),
        "400 calls took {span:?}, expected about 20 s"
    );
    emulator.shutdown().await;
}

/// One instance of the fleet: run by the test above in its own process, never on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a worker process of four_processes_share_one_budget_of_20_per_second, which runs it"]
async fn fleet_worker() {
    let spec = std::env::var(WORKER_VAR).unwrap_or_else(|_| {
        panic!("fleet_worker is one process of four_processes_share_one_budget_of_20_per_second; run that test instead")
    });
    let parts: Vec<&str> = spec.split('|').collect();
    let [endpoint, redis, prefix, first_room, calls, start_at] = parts[..] else {
        panic!("{WORKER_VAR} is malformed: {spec}");
    };
    let (first_room, calls, start_at): (u64, u64, u64) = (
        first_room.parse().unwrap(),
        calls.parse().unwrap(),
        start_at.parse().unwrap(),
    );

    let limiter = RedisRateLimiter::connect(redis, RedisLimiterOptions::default().with_key_prefix(prefix))
        .await
        .unwrap();
    let client = client(endpoint, limiter.clone());
    // All processes start together, each with all its calls at once: the budget alone decides who goes when.
    tokio::time::sleep(Duration::from_millis(start_at.saturating_sub(now_ms()))).await;
    let mut calls_in_flight = tokio::task::JoinSet::new();
    for room in first_room..first_room + calls {
        let client = client.clone();
        calls_in_flight.spawn(async move {
            let result = client.dismiss_room(DismissRoomRequest::new(APP, room)).await;
            (result, now_ms())
        });
    }
    let (mut ok, mut errors, mut last_ms) = (0, Vec::new(), 0);
    while let Some(joined) = calls_in_flight.join_next().await {
        let (result, at) = joined.unwrap();
        last_ms = last_ms.max(at);
        match result {
            Ok(_) => ok += 1,
            Err(e) => errors.push(e.to_string()),
        }
    }
    println!(
        "fleet-worker: first_room={first_room} ok={ok} errors={} finished_after_ms={} fell_back={} {errors:?}",
        errors.len(),
        last_ms.saturating_sub(start_at),
        limiter.is_falling_back()
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert!(!limiter.is_falling_back(), "Redis answered throughout");
}
