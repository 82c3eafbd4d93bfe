//! `trtc emulator` beyond the documented contract, run as a user runs it: a config file, temporary
//! credentials, faults, rate limit, the admin API, bad input, and stopping on SIGTERM.

mod support;

use std::process::{Command, Output};

use support::{stderr, trtc, trtc_with_key, Emulator, TempDir, APP, ID, KEY};

/// `trtc dismiss-room` of `room` against `emulator`, with the session token `token` if any.
fn dismiss(emulator: &Emulator, room: &str, token: Option<&str>) -> Output {
    let mut cmd = trtc_with_key();
    cmd.arg("dismiss-room")
        .args(emulator.target())
        .args(["--room-id", room]);
    if let Some(token) = token {
        cmd.env("TENCENTCLOUD_SESSION_TOKEN", token);
    }
    cmd.output().unwrap()
}

#[test]
fn config_file_with_string_rooms_users_and_rate_limit() {
    let dir = TempDir::new("emulator-config");
    let path = dir.path("emulator.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"credentials": [{{"secret_id": "{ID}", "secret_key": "{KEY}", "sdk_app_ids": [{APP}]}}],
                "rooms": [{{"sdk_app_id": {APP}, "room": 7}}, {{"sdk_app_id": {APP}, "room": "class-7", "users": ["alice"]}}],
                "rate_limit": {{"max_requests": 5, "window_ms": 1000}}}}"#
        ),
    )
    .unwrap();
    let emulator = Emulator::spawn(&["--config", path.to_str().unwrap()]);
    let rooms = emulator.get("rooms");
    assert_eq!(rooms["rooms"].as_array().unwrap().len(), 2, "{rooms}");
    assert_eq!(rooms["rooms"][1]["users"][0]["user_id"], "alice");
    assert_eq!(emulator.get("rate-limit")["max_requests"], 5);
    let out = dismiss(&emulator, "7", None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn flags_add_string_rooms_temporary_credentials_and_a_rate_limit() {
    let emulator = Emulator::start(&[
        "--room",
        "1",
        "--room",
        "2",
        "--str-room",
        "abcd",
        "--token",
        "sessionToken",
        "--rate-limit",
        "3",
    ]);
    assert_eq!(emulator.get("rooms")["rooms"].as_array().unwrap().len(), 3);
    assert_eq!(emulator.get("rate-limit")["max_requests"], 3);
    let out = dismiss(&emulator, "1", None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("AuthFailure.TokenFailure"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("sessionToken"));
    let out = dismiss(&emulator, "1", Some("sessionToken"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn faults_from_the_command_line() {
    let emulator = Emulator::start(&[
        "--room",
        "1",
        "--fault",
        // Three answers: the client's default policy tries InternalError three times.
        "internal-error@next=3",
        "--fault",
        "latency=10ms@rate=1",
        "--fault-seed",
        "5",
    ]);
    let faults = emulator.get("faults");
    assert_eq!(faults["seed"], 5);
    assert_eq!(faults["rules"].as_array().unwrap().len(), 2);
    let out = dismiss(&emulator, "1", None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("InternalError"), "{}", stderr(&out));
    let out = dismiss(&emulator, "1", None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let journal = emulator.get("journal");
    assert_eq!(journal["entries"][3]["injected_latency_ms"], 10);
}

#[test]
fn bad_flags_are_one_line_naming_the_fix() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--secret-id",
                ID,
                "--secret-key",
                KEY,
                "--sdk-app-id",
                APP,
                "--fault",
                "explode@next=1",
            ],
            "--fault",
        ),
        (
            &[
                "--secret-id",
                ID,
                "--secret-key",
                KEY,
                "--sdk-app-id",
                APP,
                "--fault",
                "drop@rate=2",
            ],
            "between 0 and 1",
        ),
        (&["--config", "/nonexistent/emulator.json"], "cannot read"),
        (&["--secret-key", KEY, "--sdk-app-id", APP], "--secret-id"),
        (&["--secret-id", ID, "--sdk-app-id", APP], "--secret-key"),
        (&[], "--config"),
        (&["--config", "/dev/null", "--str-room", "x"], "--str-room"),
        (
            &[
                "--secret-id",
                ID,
                "--secret-key",
                KEY,
                "--sdk-app-id",
                APP,
                "--rate-limit",
                "many",
            ],
            "--rate-limit",
        ),
        (
            &["--secret-id", ID, "--secret-key", " padded", "--sdk-app-id", APP],
            "SecretKey",
        ),
        (
            &[
                "--secret-id",
                ID,
                "--secret-key",
                KEY,
                "--sdk-app-id",
                APP,
                "--listen",
                "0.0.0.0:0",
            ],
            "loopback",
        ),
    ];
    for (args, expected) in cases {
        let out = trtc().arg("emulator").args(*args).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains(" padded"), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_cleanly() {
    let mut emulator = Emulator::start(&[]);
    let status = Command::new("kill")
        .args(["-TERM", &emulator.child().id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(emulator.child().wait().unwrap().code(), Some(0));
}
