//! `trtc dismiss-room --room-ids-file ... --rate-limit-redis redis://...`: the batch shares its budget through a
//! real Redis. Built only with the `redis-tests` feature; `.ci/run` starts redis-server and sets
//! `TRTC_TEST_REDIS_URL`.

mod support;

use std::io::Write;

use support::{assert_exit, report_lines, stderr, trtc_with_key, Emulator, TempDir};

fn redis_url() -> String {
    std::env::var("TRTC_TEST_REDIS_URL").unwrap_or_else(|_| {
        panic!("set TRTC_TEST_REDIS_URL to a running redis-server (e.g. redis://127.0.0.1:6390/0); .ci/run does")
    })
}

#[test]
fn a_batch_takes_its_permits_from_redis() {
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
        .args(["--rate-limit-redis", &redis_url()])
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
    assert!(emulator.journal().is_empty(), "nothing was sent");
}
