//! `trtc dismiss-room --room-ids-file ... --report ...`: many rooms, within the rate limit, resumable.
//!
//! The rooms are read and checked whole before anything is sent; the report is read to skip the rooms an
//! earlier run finished; a few workers share the client (whose limiter keeps the documented 20 requests per
//! second) and hand each answer to one writer, which appends it to the report before counting it.

mod ids;
mod progress;
mod report;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use trtc::{Client, DismissRoomRequest, ErrorClass};

use crate::args::Output;
use crate::exit::{chain, Failure, EXIT_API_ERROR, EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_NETWORK};
use crate::service::print_line;
use crate::signals;

pub(crate) use progress::duration;
use progress::{Mode, Progress};
use report::{ErrorBody, Line, Recorded, Report, ROOM_NOT_EXIST};

/// How often the bar is redrawn between answers, so the rate and time left stay current.
const TICK: Duration = Duration::from_millis(250);

/// A batch ready to run: the rooms still to dismiss and the open report.
#[derive(Debug)]
pub(crate) struct Plan {
    sdk_app_id: u64,
    /// Rooms in the list, each counted once.
    listed: usize,
    /// Rooms the report already shows dismissed or gone.
    skipped: usize,
    pub todo: Vec<u64>,
    report: Report,
}

/// Reads the room list and the report; refuses bad input before anything is sent.
pub(crate) fn plan(sdk_app_id: u64, ids_path: &Path, report_path: &Path) -> Result<Plan, Failure> {
    if ids_path != Path::new("-") && same_file(ids_path, report_path) {
        return Err(Failure::bad_input(
            "--report names the --room-ids-file itself: give the report its own path, e.g. report.jsonl",
        ));
    }
    let rooms = ids::read(ids_path, sdk_app_id)?;
    let (report, previous) = Report::open(report_path)?;
    for (line, why) in &previous.unreadable {
        eprintln!(
            "warning: report {} line {line}: {why}; left as it is (its room, if any, is tried again)",
            report.path().display()
        );
    }
    if let Some(&(line, room, first)) = rooms.repeats.first() {
        eprintln!(
            "note: {} line(s) repeat a room listed earlier (line {line}: room {room}, first on line {first}); \
             each room is dismissed once",
            rooms.repeats.len()
        );
    }
    let listed = rooms.ids.len();
    let todo: Vec<u64> = rooms
        .ids
        .into_iter()
        .filter(|id| previous.rooms.get(id) != Some(&Recorded::Done))
        .collect();
    Ok(Plan {
        sdk_app_id,
        listed,
        skipped: listed - todo.len(),
        todo,
        report,
    })
}

fn lock(queue: &Mutex<VecDeque<u64>>) -> MutexGuard<'_, VecDeque<u64>> {
    // A worker that panicked while holding the lock left the queue as it was: still usable.
    queue.lock().unwrap_or_else(|p| p.into_inner())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The counts printed at the end.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Summary {
    rooms: usize,
    dismissed: usize,
    already_gone: usize,
    skipped: usize,
    failed: usize,
    not_attempted: usize,
    report: String,
}

/// How the rooms that failed failed, which decides the exit code.
#[derive(Debug, Default)]
struct Failures {
    api: usize,
    network: usize,
    input: usize,
}

/// A reason to stop sending: every further room would fail the same way.
fn fatal(e: &trtc::Error) -> bool {
    match e {
        trtc::Error::Api(api) => {
            api.code.class() == ErrorClass::Authentication || api.code.as_str().starts_with("UnauthorizedOperation")
        }
        trtc::Error::Credentials(_) | trtc::Error::Config { .. } | trtc::Error::Sign(_) => true,
        _ => false,
    }
}

/// The report's `Error` for a failure: the service's code, or a client-side `ClientError.*` code, with the
/// error and its causes (a network error's reason is its `source()`).
fn error_body(e: &trtc::Error) -> (String, String, Option<&str>) {
    use trtc::Error;
    let one_line = |s: String| s.replace(['\r', '\n'], " ");
    match e {
        Error::Api(api) => (
            api.code.as_str().to_owned(),
            one_line(api.message.clone()),
            Some(api.request_id.as_str()),
        ),
        // A shared rate limiter that cannot be reached is a network failure too (the batch's limiter falls
        // back instead, so it does not reach here today).
        Error::Transport(_) | Error::RateLimit(_) => ("ClientError.Network".to_owned(), one_line(chain(e)), None),
        Error::Timeout { .. } => (
            "ClientError.Timeout".to_owned(),
            one_line(format!("{e}; the room may have been dismissed: a rerun finds out")),
            None,
        ),
        Error::UnexpectedResponse { .. } => ("ClientError.UnexpectedResponse".to_owned(), one_line(chain(e)), None),
        Error::Credentials(_) => ("ClientError.Credentials".to_owned(), one_line(chain(e)), None),
        Error::InvalidRequest(_) => ("ClientError.InvalidRequest".to_owned(), one_line(chain(e)), None),
        Error::Sign(_) | Error::Config { .. } => ("ClientError.Config".to_owned(), one_line(chain(e)), None),
        _ => ("ClientError.Internal".to_owned(), one_line(chain(e)), None),
    }
}

/// Dismisses the planned rooms with `concurrency` requests in flight at most, then prints the summary.
/// `client` may be `None` only when the plan has nothing left to do.
pub(crate) async fn execute(
    client: Option<Client>,
    mut plan: Plan,
    concurrency: usize,
    output: Output,
) -> Result<(), Failure> {
    let mode = Mode::detect();
    let total = plan.todo.len();
    let mut progress = Progress::new(mode, total);
    let mut summary = Summary {
        rooms: plan.listed,
        skipped: plan.skipped,
        report: plan.report.path().display().to_string(),
        ..Summary::default()
    };
    let mut failures = Failures::default();
    let mut stop_reason: Option<String> = None;
    let mut interrupted = false;

    if total > 0 {
        let client = client.ok_or_else(|| Failure::internal("a batch with rooms to dismiss has no client"))?;
        let resumed = match plan.skipped {
            0 => String::new(),
            n => format!(" ({n} already done in the report)"),
        };
        progress.note(&format!(
            "dismissing {total} rooms of application {}{resumed}, at most {} per second",
            plan.sdk_app_id,
            trtc::DOCUMENTED_RATE_PER_SECOND
        ));
        // The queue is the only shared state: a worker stops when it finds it empty, and emptying it (on a
        // signal, or when an answer shows every room would fail) stops them all after their current room.
        let queue = Arc::new(Mutex::new(plan.todo.iter().copied().collect::<VecDeque<u64>>()));
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        for _ in 0..concurrency.min(total) {
            let (client, queue, tx) = (client.clone(), queue.clone(), tx.clone());
            let app = plan.sdk_app_id;
            tokio::spawn(async move {
                loop {
                    let Some(room) = lock(&queue).pop_front() else {
                        break;
                    };
                    let result = client.dismiss_room(DismissRoomRequest::new(app, room)).await;
                    if result.as_ref().is_err_and(fatal) {
                        lock(&queue).clear();
                    }
                    if tx.send((room, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut signal = Box::pin(signals::stopped().wait());
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                received = rx.recv() => {
                    let Some((room, result)) = received else { break };
                    let outcome = match &result {
                        Ok(out) => plan.report.append(&Line::Dismissed { room_id: room, request_id: &out.request_id }),
                        Err(e) => {
                            let (code, message, _) = error_body(e);
                            plan.report.append(&Line::Failed {
                                room_id: room,
                                error: ErrorBody { code: &code, message: &message },
                            })
                        }
                    };
                    if let Err(e) = outcome {
                        progress.finish();
                        let what = match &result {
                            Ok(out) => format!("room {room} was dismissed (RequestId {})", out.request_id),
                            Err(_) => format!("room {room} failed"),
                        };
                        return Err(Failure::internal(format!(
                            "cannot append to the report {}: {e}; {what}; stopped so that no result goes unrecorded",
                            summary.report
                        )));
                    }
                    match result {
                        Ok(_) => {
                            summary.dismissed += 1;
                            progress.advance(false);
                        }
                        Err(e) if e.code().is_some_and(|c| c.as_str() == ROOM_NOT_EXIST) => {
                            summary.already_gone += 1;
                            progress.advance(false);
                        }
                        Err(e) => {
                            summary.failed += 1;
                            match &e {
                                trtc::Error::Api(_) => failures.api += 1,
                                trtc::Error::Transport(_)
                                | trtc::Error::Timeout { .. }
                                | trtc::Error::UnexpectedResponse { .. } => failures.network += 1,
                                _ => failures.input += 1,
                            }
                            let (code, message, request_id) = error_body(&e);
                            let request_id = request_id.map(|id| format!(" (RequestId {id})")).unwrap_or_default();
                            progress.note(&format!("room {room}: {code}: {message}{request_id}"));
                            if fatal(&e) && stop_reason.is_none() {
                                stop_reason = Some(format!(
                                    "stopped after {code}: it would fail every room; fix it, then run the same \
                                     command again to resume"
                                ));
                            }
                            progress.advance(true);
                        }
                    }
                }
                _ = tick.tick() => progress.tick(),
                _ = &mut signal, if !interrupted => {
                    interrupted = true;
                    lock(&queue).clear();
                    progress.note("stopping: waiting for the requests in flight (Ctrl-C again to quit at once)");
                    // A second signal ends the process at once; every answer so far is already in the report.
                    tokio::spawn(async {
                        signals::stopped().wait().await;
                        std::process::exit(i32::from(EXIT_INTERRUPTED));
                    });
                }
            }
        }
        progress.finish();
    }

    summary.not_attempted = summary.rooms - summary.skipped - summary.dismissed - summary.already_gone - summary.failed;
    let mut line = format!(
        "{}: {} dismissed, {} already gone, {} skipped (done in an earlier run), {} failed",
        if summary.failed == 0 && summary.not_attempted == 0 {
            "done"
        } else {
            "incomplete"
        },
        summary.dismissed,
        summary.already_gone,
        summary.skipped,
        summary.failed
    );
    if summary.not_attempted > 0 {
        line.push_str(&format!(", {} not attempted", summary.not_attempted));
    }
    line.push_str(&format!(
        ", of {} rooms in {}; report: {}",
        summary.rooms,
        duration(progress.elapsed()),
        summary.report
    ));
    progress.note(&line);
    if output == Output::Json {
        let json = serde_json::to_string(&summary).map_err(|e| Failure::internal(e.to_string()))?;
        print_line(&json)?;
    }

    let again = "run the same command again to retry them; rooms already done are skipped";
    if interrupted && summary.not_attempted > 0 {
        return Err(Failure::with_code(
            format!(
                "interrupted with {} rooms not attempted: {again}",
                summary.not_attempted
            ),
            EXIT_INTERRUPTED,
        ));
    }
    if let Some(reason) = stop_reason {
        let code = if failures.api > 0 {
            EXIT_API_ERROR
        } else {
            EXIT_BAD_INPUT
        };
        return Err(Failure::with_code(reason, code));
    }
    if summary.failed > 0 || summary.not_attempted > 0 {
        let code = if failures.api > 0 {
            EXIT_API_ERROR
        } else if failures.network > 0 {
            EXIT_NETWORK
        } else {
            EXIT_BAD_INPUT
        };
        return Err(Failure::with_code(
            format!(
                "{} of {} rooms not dismissed (their errors are in the report): {again}",
                summary.failed + summary.not_attempted,
                summary.rooms
            ),
            code,
        ));
    }
    Ok(())
}
