//! `trtc dismiss-room --room-ids-file ... --rate-limit-redis redis://...`: the batch shares its budget through a
//! real Redis, named by `TRTC_TEST_REDIS_URL` (`.ci/run` starts redis-server and sets it); without it the tests
//! say they were skipped.

mod support;

use std::io::Write;

use support::{assert_exit, report_lines, stderr, trtc_with_key, Emulator, TempDir};

/// The Redis to use, or `None` (and a line saying `test` was skipped) when the environment names none.
fn redis_url(test: &str) -> Option<String> {
    match std::env::var("TRTC_TEST_REDIS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            // Straight to stderr, past the test harness's capture, so that a skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "{test}: skipped: set TRTC_TEST_REDIS_URL to a running redis-server (e.g. redis://127.0.0.1:6391/0) \
                 to run it; .ci/run does"
            );
            None
        }
    }
}

#[test]
fn a_batch_takes_its_permits_from_redis() {
    let Some(redis) = redis_url("a_batch_takes_its_permits_from_redis") else {
        return;
    };
    let emulator = Emulator::start(&["--room-range", "1-20"]);
    let dir = TempDir::new("batch-redis");
    let ids = dir.path("ids.txt");
    let mut file = std::fs::File::create(&ids).unwrap();
    for room in 1..=20 {
        writeln!(file, "{room}").unwrap();
    }
    let report = dir.path("report.jsonl");
    let out = trtc_with_key()
        .arg("dismiss-room")
        .args(emulator.target())
        .arg("--room-ids-file")
        .arg(&ids)
        .arg("--report")
        .arg(&report)
        .args(["--rate-limit-redis", &redis])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains("sharing the rate limit through Redis key"),
        "{}",
        stderr(&out)
    );
    let lines = report_lines(&report);
    assert_eq!(lines.len(), 20);
    assert!(lines.iter().all(|l| l["RequestId"].is_string()), "{lines:?}");
    let throttled = emulator
        .journal()
        .iter()
        .filter(|e| {
            e["outcome"]["error"]["code"] == "RequestLimitExceeded" || e.to_string().contains("RequestLimitExceeded")
        })
        .count();
    assert_eq!(
        throttled, 0,
        "the shared budget keeps the emulator's 20/s limit from firing"
    );
}

#[test]
fn an_unreachable_redis_is_bad_input_before_anything_is_sent() {
    let emulator = Emulator::start(&["--room", "1"]);
    let dir = TempDir::new("batch-redis-down");
    let ids = dir.path("ids.txt");
    std::fs::write(&ids, "1\n").unwrap();
    let out = trtc_with_key()
        .arg("dismiss-room")
        .args(emulator.target())
        .arg("--room-ids-file")
        .arg(&ids)
        .arg("--report")
        .arg(dir.path("report.jsonl"))
        .args(["--rate-limit-redis", "redis://127.0.0.1:1/0"])
        .output()
        .unwrap();
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("--rate-limit-redis"), "{err}");
    // Which Redis, and Redis's own reason.
    assert!(
        err.contains("Redis at redis://127.0.0.1:1/0 could not be set up (the connection was refused)"),
        "{err}"
    );
    assert!(emulator.journal().is_empty(), "nothing was sent");
}
