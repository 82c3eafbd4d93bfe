//! `trtc-bench soak`: DismissRoom on distinct rooms through the full client against an emulator that injects
//! faults, then a reckoning of every call against the emulator's journal and its remaining rooms.
//!
//! Each call runs in a tokio task of its own, so a panic anywhere in the client is caught at the task's
//! boundary (`JoinError::is_panic`) and counted rather than ending the run; a watchdog well beyond the
//! client's own timeout marks a call that never ends as lost. After the calls, the program reads
//! `GET /_emulator/journal` and `GET /_emulator/rooms` and checks that every success was a dismissal the
//! emulator performed once, and that every room is either dismissed or reported failed with a reason.
//!
//! Rooms are spread over several SdkAppIds owned by the one credential, in consecutive blocks: the emulator
//! limits each (action, SdkAppId) to 20 requests per second, so a block arriving at once is a burst above
//! the limit (answered `RequestLimitExceeded`), while the run as a whole keeps its pace.
//!
//! `--emulator-config PATH` writes the emulator's configuration for the same flags (the credential, its
//! applications, the rooms, a journal large enough for the run) and exits, so the two never disagree.
//!
//! Prints one JSON object: `calls`, `succeeded`, `failed` (code -> count), `lost`, `duplicated`, `panics`,
//! `max_rss_mb`, `fd_growth`. Exits 1 when a check fails (the reasons on stderr), 0 otherwise.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value};
use tokio::task::{Id, JoinError, JoinSet};
use trtc::transport::TransportErrorKind;
use trtc::{Client, Credentials, DismissRoomRequest, Error, Region};

use crate::process::peak_rss_mb;
use crate::Flags;

/// Which application and room call number `index` (from 0) dismisses.
#[derive(Clone, Copy)]
struct Layout {
    first_app: u64,
    apps: u64,
    block: u64,
    first_room: u64,
}

impl Layout {
    fn of(flags: &Flags<'_>) -> Result<Layout, String> {
        Ok(Layout {
            first_app: flags.number("--first-app", 1_400_000_001)?,
            apps: flags.number("--apps", 128)?.max(1),
            block: flags.number("--block", 22)?.max(1),
            first_room: flags.number("--first-room", 1)?.max(1),
        })
    }

    fn call(&self, index: u64) -> (u64, u64) {
        let app = self.first_app + (index / self.block) % self.apps;
        (app, self.first_room + index)
    }
}

/// What became of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Succeeded,
    /// Failed with this code: the API's code, or a client-side one for a failure without an API answer.
    Failed(String),
    /// The task panicked: caught at its boundary.
    Panicked,
    /// No outcome: the watchdog fired or the task was cancelled.
    Lost,
}

/// The code a failed call is counted under: the service's code, or a client-side code naming the failure.
fn code_of(error: &Error) -> String {
    match error {
        Error::Api(api) => api.code.as_str().to_owned(),
        Error::Timeout { .. } => "ClientError.Timeout".to_owned(),
        Error::UnexpectedResponse { status, .. } => format!("ClientError.HttpStatus.{status}"),
        Error::Transport(e) => match e.kind() {
            TransportErrorKind::Connect => "ClientError.Network.Connect",
            TransportErrorKind::Io => "ClientError.Network.Io",
            TransportErrorKind::BodyTooLarge => "ClientError.Network.BodyTooLarge",
            TransportErrorKind::Tls => "ClientError.Network.Tls",
            TransportErrorKind::Proxy => "ClientError.Network.Proxy",
            _ => "ClientError.Network",
        }
        .to_owned(),
        Error::Credentials(_) => "ClientError.Credentials".to_owned(),
        Error::Sign(_) => "ClientError.Sign".to_owned(),
        Error::InvalidRequest(_) => "ClientError.InvalidRequest".to_owned(),
        Error::Config { .. } => "ClientError.Config".to_owned(),
        _ => "ClientError.Other".to_owned(),
    }
}

/// Open file descriptors of this process.
fn open_fds() -> Result<i64, String> {
    let entries = std::fs::read_dir("/proc/self/fd").map_err(|e| format!("/proc/self/fd: {e}"))?;
    // The directory handle read_dir holds is itself one of the entries, the same one each time.
    Ok(entries.count() as i64)
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let flags = Flags::new(args);
    let layout = Layout::of(&flags)?;
    let calls = flags.number("--calls", 10_000)?;
    let secret_id = flags.require("--secret-id")?.to_owned();
    let secret_key = flags.require("--secret-key")?.to_owned();
    if let Some(path) = flags.get("--emulator-config") {
        return write_emulator_config(path, &layout, calls, &secret_id, &secret_key);
    }
    let endpoint = flags.require("--endpoint")?.to_owned();
    let concurrency = flags.number("--concurrency", 64)?.max(1);
    let attempt_timeout = Duration::from_millis(flags.number("--attempt-timeout-ms", 1_000)?);
    let timeout = Duration::from_millis(flags.number("--timeout-ms", 10_000)?);
    // Far beyond anything the client may take: a call still running then has broken its own deadline.
    let watchdog = timeout * 2 + attempt_timeout + Duration::from_secs(5);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let fds_before = open_fds()?;
        let client = Client::builder()
            .credential(Credentials::new(secret_id.as_str(), secret_key.as_str()).map_err(|e| e.to_string())?)
            .region(Region::ApGuangzhou)
            .endpoint(endpoint.as_str())
            .no_rate_limit()
            .attempt_timeout(attempt_timeout)
            .timeout(timeout)
            .build()
            .map_err(|e| e.to_string())?;

        let started = Instant::now();
        let outcomes = drive(&client, layout, calls, concurrency, watchdog).await;
        let seconds = started.elapsed().as_secs_f64();
        let max_rss_mb = peak_rss_mb()?;
        // The pool's idle connections close when the client goes; give their tasks a moment to end.
        drop(client);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let fd_growth = open_fds()? - fds_before;

        let journal = get_json(&format!("{endpoint}/_emulator/journal")).await?;
        let rooms = get_json(&format!("{endpoint}/_emulator/rooms")).await?;
        let report = reckon(&outcomes, layout, &secret_id, &journal, &rooms)?;

        let mut failed: BTreeMap<&str, u64> = BTreeMap::new();
        let (mut succeeded, mut lost, mut panics) = (0u64, 0u64, 0u64);
        for outcome in &outcomes {
            match outcome {
                Outcome::Succeeded => succeeded += 1,
                Outcome::Failed(code) => *failed.entry(code.as_str()).or_default() += 1,
                Outcome::Panicked => panics += 1,
                Outcome::Lost => lost += 1,
            }
        }
        let summary = json!({
            "calls": calls,
            "succeeded": succeeded,
            "failed": failed,
            "lost": lost,
            "duplicated": report.duplicated,
            "panics": panics,
            "max_rss_mb": (max_rss_mb * 10.0).round() / 10.0,
            "fd_growth": fd_growth,
        });
        eprintln!(
            "soak: {calls} calls in {seconds:.1} s ({:.0} calls/s); the emulator journaled {} requests: {}; \
             {} failed calls had in fact been dismissed (the answer was lost or late; a retry found the room gone, or \
             no retry was left)",
            calls as f64 / seconds,
            report.journal_entries,
            Value::Object(report.attempts.into_iter().map(|(k, v)| (k, json!(v))).collect()),
            report.failed_but_dismissed,
        );
        println!("{summary}");

        let mut problems = report.problems;
        if lost > 0 {
            problems.push(format!("{lost} calls produced no outcome"));
        }
        if panics > 0 {
            problems.push(format!("{panics} calls panicked"));
        }
        if fd_growth > 8 {
            problems.push(format!(
                "{fd_growth} more file descriptors open after the run than before"
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    })
}

/// Runs every call in a task of its own, at most `concurrency` at a time, in index order. Tasks are joined
/// as they finish, so a finished call holds no memory until the end of the run.
async fn drive(client: &Client, layout: Layout, calls: u64, concurrency: u64, watchdog: Duration) -> Vec<Outcome> {
    let concurrency = usize::try_from(concurrency).unwrap_or(usize::MAX);
    // Every call starts out lost; only its task's own outcome (or its panic) changes that.
    let mut outcomes = vec![Outcome::Lost; usize::try_from(calls).unwrap_or(0)];
    let mut tasks = JoinSet::new();
    let mut index_of: HashMap<Id, usize> = HashMap::new();
    for index in 0..calls {
        while tasks.len() >= concurrency {
            if let Some(joined) = tasks.join_next_with_id().await {
                settle(joined, &mut outcomes, &mut index_of);
            }
        }
        let client = client.clone();
        let (app, room) = layout.call(index);
        let slot = index as usize;
        let handle = tasks.spawn(async move {
            let call = client.dismiss_room(DismissRoomRequest::new(app, room));
            let outcome = match tokio::time::timeout(watchdog, call).await {
                Ok(Ok(_)) => Outcome::Succeeded,
                Ok(Err(e)) => Outcome::Failed(code_of(&e)),
                Err(_) => Outcome::Lost,
            };
            (slot, outcome)
        });
        index_of.insert(handle.id(), slot);
    }
    while let Some(joined) = tasks.join_next_with_id().await {
        settle(joined, &mut outcomes, &mut index_of);
    }
    outcomes
}

/// Records what a finished task produced; a task that panicked is known by its id.
fn settle(
    joined: Result<(Id, (usize, Outcome)), JoinError>,
    outcomes: &mut [Outcome],
    index_of: &mut HashMap<Id, usize>,
) {
    match joined {
        Ok((id, (index, outcome))) => {
            index_of.remove(&id);
            outcomes[index] = outcome;
        }
        Err(e) => {
            if let Some(index) = index_of.remove(&e.id()) {
                outcomes[index] = if e.is_panic() { Outcome::Panicked } else { Outcome::Lost };
            }
        }
    }
}

struct Reckoning {
    duplicated: u64,
    journal_entries: usize,
    attempts: BTreeMap<String, u64>,
    failed_but_dismissed: u64,
    problems: Vec<String>,
}

/// Holds every call against what the emulator saw (its journal) and what is left (its rooms).
fn reckon(
    outcomes: &[Outcome],
    layout: Layout,
    secret_id: &str,
    journal: &Value,
    rooms: &Value,
) -> Result<Reckoning, String> {
    let entries = journal["entries"]
        .as_array()
        .ok_or("the journal answer has no \"entries\" list")?;
    let mut problems = Vec::new();
    // The journal numbers entries from 1 for the emulator's life: anything else means entries were dropped
    // (its capacity) or cleared, and the reckoning would be wrong.
    let last_seq = entries.last().and_then(|e| e["seq"].as_u64()).unwrap_or(0);
    let first_seq = entries.first().and_then(|e| e["seq"].as_u64()).unwrap_or(1);
    if first_seq != 1 || last_seq != entries.len() as u64 {
        problems.push(format!(
            "the journal is incomplete ({} entries, seq {first_seq}..={last_seq}): raise journal_capacity",
            entries.len()
        ));
    }
    let mut attempts: BTreeMap<String, u64> = BTreeMap::new();
    let mut dismissals: HashMap<(u64, u64), u64> = HashMap::new();
    for entry in entries {
        let outcome = entry["outcome"].as_str().unwrap_or("?");
        let label = match entry["code"].as_str() {
            Some(code) => code.to_owned(),
            None => outcome.to_owned(),
        };
        *attempts.entry(label).or_default() += 1;
        let ours = entry["secret_id"].as_str() == Some(secret_id) && entry["action"].as_str() == Some("DismissRoom");
        if ours && outcome == "success" {
            if let (Some(app), Some(room)) = (entry["sdk_app_id"].as_u64(), entry["room"].as_u64()) {
                *dismissals.entry((app, room)).or_default() += 1;
            }
        }
    }
    let remaining: HashSet<(u64, u64)> = rooms["rooms"]
        .as_array()
        .ok_or("the rooms answer has no \"rooms\" list")?
        .iter()
        .filter_map(|r| Some((r["sdk_app_id"].as_u64()?, r["room"].as_u64()?)))
        .collect();

    let mut duplicated = 0u64;
    let mut failed_but_dismissed = 0u64;
    let mut unaccounted = 0u64;
    for (index, outcome) in outcomes.iter().enumerate() {
        let key = layout.call(index as u64);
        let times = dismissals.get(&key).copied().unwrap_or(0);
        let dismissed = times >= 1 && !remaining.contains(&key);
        if times > 1 {
            duplicated += 1;
        }
        match outcome {
            Outcome::Succeeded if !dismissed => duplicated += 1,
            Outcome::Failed(_) if dismissed => failed_but_dismissed += 1,
            Outcome::Failed(code) if code.is_empty() => unaccounted += 1,
            Outcome::Panicked | Outcome::Lost if !dismissed => unaccounted += 1,
            _ => {}
        }
        // A room that is gone must be gone through one journaled dismissal, and a journaled dismissal must
        // leave no room behind.
        if remaining.contains(&key) == (times >= 1) {
            unaccounted += 1;
        }
    }
    if duplicated > 0 {
        problems.push(format!(
            "{duplicated} rooms were dismissed more than once, or reported dismissed without a dismissal"
        ));
    }
    if unaccounted > 0 {
        problems.push(format!(
            "{unaccounted} rooms are neither dismissed nor reported failed with a reason, or disagree with the journal"
        ));
    }
    Ok(Reckoning {
        duplicated,
        journal_entries: entries.len(),
        attempts,
        failed_but_dismissed,
        problems,
    })
}

/// `GET url` (plain HTTP, loopback) and its JSON body, read whole however large.
async fn get_json(url: &str) -> Result<Value, String> {
    let client: HttpClient<_, Empty<Bytes>> = HttpClient::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let uri: http::Uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
    let response = client.get(uri).await.map_err(|e| format!("GET {url}: {e}"))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?
        .to_bytes();
    if !status.is_success() {
        return Err(format!("GET {url}: HTTP {status}: {}", String::from_utf8_lossy(&body)));
    }
    serde_json::from_slice(&body).map_err(|e| format!("GET {url}: not JSON: {e}"))
}

/// The emulator's configuration for this layout: one credential owning every application, one room per call,
/// and a journal that keeps every attempt (each call makes at most three).
fn write_emulator_config(
    path: &str,
    layout: &Layout,
    calls: u64,
    secret_id: &str,
    secret_key: &str,
) -> Result<(), String> {
    let apps: Vec<u64> = (0..layout.apps).map(|i| layout.first_app + i).collect();
    let rooms: Vec<Value> = (0..calls)
        .map(|index| {
            let (app, room) = layout.call(index);
            json!({ "sdk_app_id": app, "room": room })
        })
        .collect();
    let config = json!({
        "credentials": [{ "secret_id": secret_id, "secret_key": secret_key, "sdk_app_ids": apps }],
        "rooms": rooms,
        "journal_capacity": calls * 3 + 1_000,
    });
    std::fs::write(path, config.to_string()).map_err(|e| format!("{path}: {e}"))
}
