//! `trtc dismiss-room --room-ids-file ... --report ...` run as a user runs it: against a `trtc emulator`
//! process, from a file and from stdin, killed and resumed, with failures, and watched on a terminal.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{assert_exit, report_lines, stderr, stdout, trtc, trtc_with_key, Emulator, TempDir, APP};

/// `trtc dismiss-room` in batch mode against `emulator`, with the key in the environment.
fn batch(emulator: &Emulator, ids: &Path, report: &Path) -> Command {
    let mut cmd = trtc_with_key();
    cmd.arg("dismiss-room")
        .args(emulator.target())
        .arg("--room-ids-file")
        .arg(ids)
        .arg("--report")
        .arg(report);
    cmd
}

fn summary(out: &Output) -> Value {
    let text = stdout(out);
    assert_eq!(text.lines().count(), 1, "one JSON summary line: {text:?}");
    serde_json::from_str(&text).unwrap()
}

/// What the report says of each room, the last line winning, checking each line's exact shape.
fn outcomes(report: &Path) -> BTreeMap<u64, String> {
    let mut rooms = BTreeMap::new();
    for line in report_lines(report) {
        let object = line.as_object().unwrap();
        let room = object["RoomId"].as_u64().unwrap();
        let outcome = if let Some(id) = object.get("RequestId") {
            assert_eq!(object.len(), 2, "{line}");
            assert_eq!(id.as_str().unwrap().len(), 36, "{line}");
            "dismissed".to_owned()
        } else {
            assert_eq!(object.len(), 2, "{line}");
            let error = object["Error"].as_object().unwrap();
            assert_eq!(error.len(), 2, "{line}");
            assert!(error["Message"].is_string(), "{line}");
            error["Code"].as_str().unwrap().to_owned()
        };
        rooms.insert(room, outcome);
    }
    rooms
}

/// DismissRoom requests the emulator answered (throttled ones aside), per room: (successes, all answers).
fn journal_per_room(emulator: &Emulator) -> BTreeMap<u64, (usize, usize)> {
    let mut rooms = BTreeMap::new();
    for entry in emulator.journal() {
        assert_eq!(entry["action"], "DismissRoom");
        if entry["code"] == "RequestLimitExceeded" {
            continue;
        }
        let counts = rooms.entry(entry["room"].as_u64().unwrap()).or_insert((0, 0));
        counts.1 += 1;
        if entry["outcome"] == "success" {
            counts.0 += 1;
        }
    }
    rooms
}

#[test]
fn a_batch_writes_one_line_per_room_and_a_rerun_sends_nothing() {
    let emulator = Emulator::start(&["--room-range", "1-30"]);
    let dir = TempDir::new("batch");
    let (ids, report) = (dir.path("rooms.txt"), dir.path("report.jsonl"));
    let mut list = String::from("# rooms of the 10:00 class\n\n");
    for room in 1..=30 {
        list.push_str(&format!("{room}\n"));
    }
    list.push_str("  31   # already gone\n12\n");
    std::fs::write(&ids, list).unwrap();

    let out = batch(&emulator, &ids, &report).output().unwrap();
    assert_exit(&out, 0);
    let rooms = outcomes(&report);
    assert_eq!(rooms.len(), 31);
    assert!((1..=30).all(|room| rooms[&room] == "dismissed"), "{rooms:?}");
    assert_eq!(rooms[&31], "FailedOperation.RoomNotExist");
    assert_eq!(
        report_lines(&report).len(),
        31,
        "one line per room, the repeated 12 once"
    );
    let counts = summary(&out);
    assert_eq!(counts["Rooms"], 31);
    assert_eq!(counts["Dismissed"], 30);
    assert_eq!(counts["AlreadyGone"], 1);
    assert_eq!(counts["Failed"], 0);
    assert_eq!(counts["Skipped"], 0);

    // Not a terminal: plain progress lines, no escape sequences, the summary last.
    let err = stderr(&out);
    assert!(!err.contains('\r') && !err.contains('\x1b'), "{err:?}");
    assert!(err.contains("\nprogress: 31/31 rooms (100%)"), "{err}");
    assert!(
        err.contains("repeat a room listed earlier (line 34: room 12, first on line 14)"),
        "{err}"
    );
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with(
            "done: 30 dismissed, 1 already gone, 0 skipped (done in an earlier run), 0 failed, of 31 rooms in "
        ),
        "{last}"
    );
    assert!(emulator.rooms().is_empty());

    // The same command again: every room is skipped, nothing is sent, the report is unchanged.
    let before = std::fs::read(&report).unwrap();
    let sent = emulator.journal().len();
    let out = batch(&emulator, &ids, &report)
        .arg("--output")
        .arg("text")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert!(stdout(&out).is_empty(), "text output: the summary is on stderr only");
    assert!(
        stderr(&out).contains("0 dismissed, 0 already gone, 31 skipped"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&report).unwrap(), before);
    assert_eq!(emulator.journal().len(), sent);
}

#[test]
fn a_killed_batch_resumes_without_dismissing_any_room_twice() {
    // Answers come 150 ms late and two requests are in flight, so the run lasts seconds and can be cut.
    let emulator = Emulator::start(&["--room-range", "1-30", "--fault", "latency=150ms@rate=1"]);
    let dir = TempDir::new("resume");
    let (ids, report) = (dir.path("rooms.txt"), dir.path("report.jsonl"));
    std::fs::write(&ids, (1..=30).map(|r| format!("{r}\n")).collect::<String>()).unwrap();

    let mut first = batch(&emulator, &ids, &report)
        .args(["--concurrency", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(&report).map_or(0, |t| t.lines().count()) < 8 {
        assert!(Instant::now() < deadline, "the batch made no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    first.kill().unwrap(); // SIGKILL: no chance to tidy up
    first.wait().unwrap();
    let recorded = outcomes(&report);
    assert!(recorded.len() >= 8 && recorded.len() < 30, "{recorded:?}");
    assert!(recorded.values().all(|o| o == "dismissed"), "{recorded:?}");

    assert_eq!(emulator.admin("DELETE", "faults", "").0, 200);
    let out = batch(&emulator, &ids, &report).output().unwrap();
    assert_exit(&out, 0);
    let counts = summary(&out);
    assert_eq!(counts["Skipped"], recorded.len());
    assert_eq!(
        counts["Dismissed"].as_u64().unwrap() + counts["AlreadyGone"].as_u64().unwrap(),
        30 - recorded.len() as u64
    );
    assert!(stderr(&out).contains(&format!("({} already done in the report)", recorded.len())));

    let rooms = outcomes(&report);
    assert_eq!(rooms.keys().copied().collect::<Vec<_>>(), (1..=30).collect::<Vec<_>>());
    for (room, outcome) in &rooms {
        assert!(
            outcome == "dismissed" || outcome == "FailedOperation.RoomNotExist",
            "room {room}: {outcome}"
        );
    }
    // The service's view: each room dismissed exactly once; a room the first run recorded was never sent
    // again; a room cut in flight (dismissed, answer lost) was asked once more and answered RoomNotExist.
    let journal = journal_per_room(&emulator);
    for room in 1..=30u64 {
        let (successes, answers) = journal[&room];
        assert_eq!(successes, 1, "room {room} dismissed once");
        if recorded.contains_key(&room) {
            assert_eq!(answers, 1, "room {room} was in the first report: not sent again");
        } else {
            assert!(answers <= 2, "room {room}: {answers} requests");
        }
    }
    assert!(emulator.rooms().is_empty());
}

#[test]
fn sigterm_finishes_the_requests_in_flight_and_records_them() {
    let emulator = Emulator::start(&["--room-range", "1-30", "--fault", "latency=150ms@rate=1"]);
    let dir = TempDir::new("sigterm");
    let (ids, report) = (dir.path("rooms.txt"), dir.path("report.jsonl"));
    std::fs::write(&ids, (1..=30).map(|r| format!("{r}\n")).collect::<String>()).unwrap();
    let child = batch(&emulator, &ids, &report)
        .args(["--concurrency", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(&report).map_or(0, |t| t.lines().count()) < 4 {
        assert!(Instant::now() < deadline, "the batch made no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_exit(&out, 130);
    let err = stderr(&out);
    assert!(err.contains("stopping: waiting for the requests in flight"), "{err}");
    assert!(err.contains("not attempted: run the same command again"), "{err}");
    // Every room the service dismissed is in the report: nothing in flight was lost.
    let recorded = outcomes(&report);
    let dismissed: BTreeSet<u64> = journal_per_room(&emulator)
        .into_iter()
        .filter(|(_, (successes, _))| *successes > 0)
        .map(|(room, _)| room)
        .collect();
    assert_eq!(recorded.keys().copied().collect::<BTreeSet<_>>(), dismissed);
    assert!(dismissed.len() < 30);
    assert_eq!(summary(&out)["NotAttempted"], 30 - dismissed.len());
}

#[test]
fn room_ids_from_stdin() {
    let emulator = Emulator::start(&["--room-range", "100-104"]);
    let dir = TempDir::new("stdin");
    let report = dir.path("report.jsonl");
    let mut child = batch(&emulator, Path::new("-"), &report)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"100\n101\r\n102\n# done\n103\n104")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_exit(&out, 0);
    let rooms = outcomes(&report);
    assert_eq!(rooms.keys().copied().collect::<Vec<_>>(), vec![100, 101, 102, 103, 104]);
    assert!(rooms.values().all(|o| o == "dismissed"));
}

#[test]
fn bad_lines_refuse_the_whole_batch_before_anything_is_sent() {
    let emulator = Emulator::start(&["--room-range", "1-5"]);
    let dir = TempDir::new("badlines");
    let (ids, report) = (dir.path("rooms.txt"), dir.path("report.jsonl"));
    std::fs::write(&ids, "1\n2\nroom-3\n\n0\n4 5\n5\n").unwrap();
    let out = batch(&emulator, &ids, &report).output().unwrap();
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    for needle in [
        "--room-ids-file",
        "line 3: \"room-3\" is not a numeric room id",
        "line 5: \"0\"",
        "line 6: \"4 5\" holds more than one value",
        "nothing was sent",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
    assert!(!report.exists());
    assert!(emulator.journal().is_empty());

    std::fs::write(&ids, "# nothing here\n\n").unwrap();
    let out = batch(&emulator, &ids, &report).output().unwrap();
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("holds no room id"), "{}", stderr(&out));
    let out = batch(&emulator, Path::new("/nonexistent/rooms.txt"), &report)
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("cannot read it"), "{}", stderr(&out));
    std::fs::write(&ids, "1\n").unwrap();
    let out = batch(&emulator, &ids, Path::new("/nonexistent/dir/report.jsonl"))
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("--report /nonexistent/dir/report.jsonl: cannot open it"),
        "{}",
        stderr(&out)
    );
    let out = batch(&emulator, &ids, &ids).output().unwrap();
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("--report names the --room-ids-file itself"),
        "{}",
        stderr(&out)
    );
    assert!(emulator.journal().is_empty());
}

#[test]
fn a_failed_room_exits_1_and_is_retried_by_the_next_run() {
    // The client tries an InternalError three times; three injected errors make the first room fail.
    let emulator = Emulator::start(&["--room-range", "1-5", "--fault", "internal-error@next=3"]);
    let dir = TempDir::new("failed");
    let (ids, report) = (dir.path("rooms.txt"), dir.path("report.jsonl"));
    std::fs::write(&ids, "1\n2\n3\n4\n5\n").unwrap();
    let out = batch(&emulator, &ids, &report)
        .args(["--concurrency", "1"])
        .output()
        .unwrap();
    assert_exit(&out, 1);
    assert_eq!(outcomes(&report)[&1], "InternalError");
    let err = stderr(&out);
    assert!(err.contains("\nroom 1: InternalError: "), "{err}");
    assert!(
        err.contains("incomplete: 4 dismissed, 0 already gone, 0 skipped (done in an earlier run), 1 failed"),
        "{err}"
    );
    assert!(err.trim_end().ends_with("rooms already done are skipped"), "{err}");
    assert_eq!(summary(&out)["Failed"], 1);

    let out = batch(&emulator, &ids, &report).output().unwrap();
    assert_exit(&out, 0);
    assert_eq!(summary(&out)["Skipped"], 4);
    assert_eq!(outcomes(&report)[&1], "dismissed");
    assert_eq!(
        report_lines(&report).len(),
        6,
        "the failure line stays, the retry is appended"
    );
}

#[test]
fn network_failures_exit_3_with_a_client_side_code() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let dir = TempDir::new("network");
    let (ids, report) = (dir.path("rooms.txt"), dir.path("report.jsonl"));
    std::fs::write(&ids, "1\n2\n").unwrap();
    let out = trtc_with_key()
        .args([
            "dismiss-room",
            "--sdk-app-id",
            APP,
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &endpoint,
        ])
        .arg("--room-ids-file")
        .arg(&ids)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert_exit(&out, 3);
    let rooms = outcomes(&report);
    assert_eq!(rooms.len(), 2);
    assert!(rooms.values().all(|o| o == "ClientError.Network"), "{rooms:?}");
}

#[test]
fn refused_credentials_stop_the_batch_at_once() {
    let emulator = Emulator::start(&["--room-range", "1-30"]);
    let dir = TempDir::new("authfailure");
    let (ids, report) = (dir.path("rooms.txt"), dir.path("report.jsonl"));
    std::fs::write(&ids, (1..=30).map(|r| format!("{r}\n")).collect::<String>()).unwrap();
    let out = batch(&emulator, &ids, &report)
        .env("TENCENTCLOUD_SECRET_KEY", "notTheKey")
        .output()
        .unwrap();
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("stopped after AuthFailure.SignatureFailure: it would fail every room"),
        "{err}"
    );
    assert!(!err.contains("notTheKey"));
    // Only the requests already in flight (at most the default 8) were sent.
    let sent = emulator.journal().len();
    assert!(sent <= 8, "{sent} requests");
    assert_eq!(report_lines(&report).len(), sent);
    assert_eq!(summary(&out)["NotAttempted"], 30 - sent);
    assert_eq!(emulator.rooms().len(), 30);
}

#[test]
fn the_embedded_emulator_runs_a_batch_offline() {
    let dir = TempDir::new("embedded");
    let (ids, report) = (dir.path("rooms.txt"), dir.path("report.jsonl"));
    std::fs::write(&ids, "7\n8\n9\n").unwrap();
    let out = trtc()
        .args(["dismiss-room", "--emulator", "--sdk-app-id", APP])
        .arg("--room-ids-file")
        .arg(&ids)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_eq!(summary(&out)["Dismissed"], 3);
    assert_eq!(outcomes(&report).len(), 3);
}

/// `trtc ARGS` on a pseudo-terminal made by `script` (util-linux), which copies all it prints to our stdout.
fn on_a_terminal(args: &[String]) -> Output {
    let template = trtc_with_key();
    let quote = |word: &str| format!("'{}'", word.replace('\'', r"'\''"));
    let mut line = quote(&template.get_program().to_string_lossy());
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    let mut script = Command::new("script");
    script.args(["-qec", &line, "/dev/null"]).stdin(Stdio::null());
    for (key, value) in template.get_envs() {
        match value {
            Some(value) => script.env(key, value),
            None => script.env_remove(key),
        };
    }
    script
        .output()
        .expect("`script` from util-linux runs the batch on a pseudo-terminal")
}

#[test]
fn a_terminal_shows_a_redrawn_progress_bar() {
    let emulator = Emulator::start(&["--room-range", "1-30"]);
    let dir = TempDir::new("tty");
    let (ids, report) = (dir.path("rooms.txt"), dir.path("report.jsonl"));
    std::fs::write(&ids, (1..=30).map(|r| format!("{r}\n")).collect::<String>()).unwrap();
    let mut args: Vec<String> = vec!["dismiss-room".into()];
    args.extend(emulator.target().iter().map(|s| s.to_string()));
    args.extend([
        "--room-ids-file".into(),
        ids.display().to_string(),
        "--report".into(),
        report.display().to_string(),
    ]);
    let out = on_a_terminal(&args);
    assert!(out.status.success(), "{}", stdout(&out));
    let screen = stdout(&out);
    // The bar is redrawn in place: carriage return, erase line, the bar with rooms, rate and time left.
    let bars: Vec<&str> = screen.split("\r\x1b[2K").skip(1).collect();
    assert!(bars.len() >= 10, "one redraw per answer at least: {screen:?}");
    assert!(
        bars.iter()
            .any(|b| b.contains("/30 rooms") && b.contains(" rooms/s  ") && b.ends_with(" left")),
        "{screen:?}"
    );
    assert!(screen.contains("[========================] 30/30 rooms"), "{screen:?}");
    assert!(
        !screen.contains("progress: "),
        "no plain lines on a terminal: {screen:?}"
    );
    assert!(screen.contains("done: 30 dismissed"), "{screen:?}");
    assert_eq!(outcomes(&report).len(), 30);
}
