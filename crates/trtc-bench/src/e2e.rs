//! `trtc-bench e2e`: DismissRoom on distinct rooms through the full client, one caller or many.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use trtc::{Client, Credentials, DismissRoomRequest, Region};

use crate::process::{cpu_time_us, peak_rss_mb};
use crate::Flags;

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let flags = Flags::new(args);
    let endpoint = flags.require("--endpoint")?.to_owned();
    let secret_id = flags.require("--secret-id")?;
    let secret_key = flags.require("--secret-key")?;
    let sdk_app_id = flags.number("--sdk-app-id", 1_400_000_001)?;
    let first_room = flags.number("--first-room", 1)?;
    let calls = flags.number("--calls", 10_000)?;
    let concurrency = flags.number("--concurrency", 1)?.max(1);
    let warmup = flags.number("--warmup", 0)?;
    let timeout = Duration::from_secs(flags.number("--timeout-secs", 60)?);

    let client = Client::builder()
        .credential(Credentials::new(secret_id, secret_key).map_err(|e| e.to_string())?)
        .region(Region::ApGuangzhou)
        .endpoint(endpoint)
        .no_rate_limit()
        .timeout(timeout)
        .attempt_timeout(timeout)
        .build()
        .map_err(|e| e.to_string())?;
    let runtime = crate::runtime(&flags)?;
    runtime.block_on(async move {
        let next_room = Arc::new(AtomicU64::new(first_room));
        if warmup > 0 {
            drive(&client, &next_room, sdk_app_id, warmup, concurrency.min(warmup)).await;
        }
        let cpu_before = cpu_time_us()?;
        let start = Instant::now();
        let outcome = drive(&client, &next_room, sdk_app_id, calls, concurrency).await;
        let elapsed = start.elapsed();
        let cpu_after = cpu_time_us()?;
        let mut latencies = outcome.latencies_us;
        latencies.sort_unstable();
        let percentile = |p: f64| {
            latencies
                .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0)
        };
        println!(
            "{}",
            serde_json::json!({
                "calls": calls,
                "errors": outcome.errors,
                "first_error": outcome.first_error,
                "seconds": elapsed.as_secs_f64(),
                "calls_per_s": (calls as f64 / elapsed.as_secs_f64()).round(),
                "p50_us": percentile(0.50),
                "p99_us": percentile(0.99),
                "cpu_us_per_call": (cpu_after - cpu_before) as f64 / calls as f64,
                "peak_rss_mb": peak_rss_mb()?,
            })
        );
        Ok(())
    })
}

struct Outcome {
    latencies_us: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
}

/// Runs `calls` dismissals spread over `concurrency` tasks, each on a room of its own.
async fn drive(client: &Client, next_room: &Arc<AtomicU64>, sdk_app_id: u64, calls: u64, concurrency: u64) -> Outcome {
    let remaining = Arc::new(AtomicU64::new(calls));
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let client = client.clone();
            let next_room = Arc::clone(next_room);
            let remaining = Arc::clone(&remaining);
            tokio::spawn(async move {
                let mut outcome = Outcome {
                    latencies_us: Vec::new(),
                    errors: 0,
                    first_error: None,
                };
                while remaining
                    .fetch_update(Ordering::AcqRel, Ordering::Acquire, |r| r.checked_sub(1))
                    .is_ok()
                {
                    let room = next_room.fetch_add(1, Ordering::Relaxed);
                    let start = Instant::now();
                    let result = client.dismiss_room(DismissRoomRequest::new(sdk_app_id, room)).await;
                    outcome.latencies_us.push(start.elapsed().as_micros() as u64);
                    if let Err(e) = result {
                        outcome.errors += 1;
                        outcome.first_error.get_or_insert_with(|| e.to_string());
                    }
                }
                outcome
            })
        })
        .collect();
    let mut total = Outcome {
        latencies_us: Vec::with_capacity(calls as usize),
        errors: 0,
        first_error: None,
    };
    for task in tasks {
        match task.await {
            Ok(part) => {
                total.latencies_us.extend(part.latencies_us);
                total.errors += part.errors;
                if total.first_error.is_none() {
                    total.first_error = part.first_error;
                }
            }
            Err(e) => {
                total.errors += 1;
                total.first_error.get_or_insert_with(|| format!("task failed: {e}"));
            }
        }
    }
    total
}
