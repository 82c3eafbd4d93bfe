//! `trtc emulator` beyond the documented contract, run as a user runs it: a config file, temporary
//! credentials, faults, rate limit, the admin API, bad input, and stopping on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};

const APP: &str = "1400000001";
const ID: &str = "AKIDcliEmulatorKey00000000000000000";
const KEY: &str = "cliEmulatorSecretKey000000000000";

fn trtc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trtc"));
    for var in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::null());
    cmd
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A running `trtc emulator`, killed on drop.
struct Running {
    child: Child,
    endpoint: String,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = trtc()
            .arg("emulator")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn trtc emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let endpoint = line
            .strip_suffix('\n')
            .and_then(|l| l.strip_prefix("listening on "))
            .unwrap_or_else(|| panic!("first line {line:?}"))
            .to_owned();
        Running { child, endpoint }
    }

    fn dismiss(&self, room: &str, token: Option<&str>) -> Output {
        let mut cmd = trtc();
        cmd.args([
            "dismiss-room",
            "--sdk-app-id",
            APP,
            "--room-id",
            room,
            "--region",
            "ap-guangzhou",
        ])
        .args(["--endpoint", &self.endpoint])
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", KEY);
        if let Some(token) = token {
            cmd.env("TENCENTCLOUD_SESSION_TOKEN", token);
        }
        cmd.output().unwrap()
    }

    /// GET on the admin API; the JSON answer.
    fn admin_get(&self, path: &str) -> serde_json::Value {
        let addr = self.endpoint.strip_prefix("http://").unwrap();
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET /_emulator/{path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        serde_json::from_str(body).unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn config_file_with_string_rooms_users_and_rate_limit() {
    let dir = std::env::temp_dir().join(format!("trtc-emulator-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("emulator.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"credentials": [{{"secret_id": "{ID}", "secret_key": "{KEY}", "sdk_app_ids": [{APP}]}}],
                "rooms": [{{"sdk_app_id": {APP}, "room": 7}}, {{"sdk_app_id": {APP}, "room": "class-7", "users": ["alice"]}}],
                "rate_limit": {{"max_requests": 5, "window_ms": 1000}}}}"#
        ),
    )
    .unwrap();
    let emulator = Running::start(&["--config", path.to_str().unwrap()]);
    let rooms = emulator.admin_get("rooms");
    assert_eq!(rooms["rooms"].as_array().unwrap().len(), 2, "{rooms}");
    assert_eq!(rooms["rooms"][1]["users"][0]["user_id"], "alice");
    assert_eq!(emulator.admin_get("rate-limit")["max_requests"], 5);
    let out = emulator.dismiss("7", None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn flags_add_string_rooms_temporary_credentials_and_a_rate_limit() {
    let emulator = Running::start(&[
        "--secret-id",
        ID,
        "--secret-key",
        KEY,
        "--sdk-app-id",
        APP,
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
    assert_eq!(emulator.admin_get("rooms")["rooms"].as_array().unwrap().len(), 3);
    assert_eq!(emulator.admin_get("rate-limit")["max_requests"], 3);
    let out = emulator.dismiss("1", None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("AuthFailure.TokenFailure"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("sessionToken"));
    let out = emulator.dismiss("1", Some("sessionToken"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn faults_from_the_command_line() {
    let emulator = Running::start(&[
        "--secret-id",
        ID,
        "--secret-key",
        KEY,
        "--sdk-app-id",
        APP,
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
    let faults = emulator.admin_get("faults");
    assert_eq!(faults["seed"], 5);
    assert_eq!(faults["rules"].as_array().unwrap().len(), 2);
    let out = emulator.dismiss("1", None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("InternalError"), "{}", stderr(&out));
    let out = emulator.dismiss("1", None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let journal = emulator.admin_get("journal");
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
    let mut emulator = Running::start(&["--secret-id", ID, "--secret-key", KEY, "--sdk-app-id", APP]);
    let status = Command::new("kill")
        .args(["-TERM", &emulator.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(emulator.child.wait().unwrap().code(), Some(0));
}
