//! The command-line contract, exercised as a user would: by running the built `trtc` binary.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

const APP: &str = "1400000001";
const ID: &str = "AKIDcliTestKey000000000000000000000";
const KEY: &str = "cliTestSecretKey0000000000000000";

fn trtc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trtc"));
    for var in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
        "TENCENTCLOUD_TOKEN",
        "TENCENTCLOUD_CREDENTIALS_FILE",
        "TKE_REGION",
        "TKE_PROVIDER_ID",
        "TKE_WEB_IDENTITY_TOKEN_FILE",
        "TKE_ROLE_ARN",
    ] {
        cmd.env_remove(var);
    }
    // No profile file of the machine's user may stand in for the credentials a test leaves out.
    cmd.env("HOME", "/nonexistent/trtc-cli-test-home");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null()).output().expect("run trtc")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A `trtc emulator` process, killed on drop.
struct EmulatorProcess {
    child: Child,
    endpoint: String,
}

impl EmulatorProcess {
    fn start(rooms: &[&str]) -> Self {
        let mut cmd = trtc();
        cmd.args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--secret-id",
            ID,
            "--secret-key",
            KEY,
            "--sdk-app-id",
            APP,
        ]);
        for room in rooms {
            cmd.args(["--room", room]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let endpoint = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
        EmulatorProcess { child, endpoint }
    }

    fn dismiss(&self, room: &str, key: &str) -> Output {
        run(trtc()
            .args([
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
            .env("TENCENTCLOUD_SECRET_KEY", key))
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn request_id_of(out: &Output) -> String {
    let value: serde_json::Value = serde_json::from_str(stdout(out).trim()).expect("stdout is one JSON object");
    let object = value.as_object().expect("an object");
    assert_eq!(object.len(), 1, "only RequestId: {value}");
    object["RequestId"].as_str().expect("RequestId string").to_owned()
}

#[test]
fn dismiss_room_on_the_embedded_emulator() {
    let out = run(trtc().args(["dismiss-room", "--emulator", "--sdk-app-id", APP, "--room-id", "1234"]));
    assert!(out.status.success(), "stderr: {}", stderr(&out));
    assert_eq!(request_id_of(&out).len(), 36);
}

#[test]
fn dismiss_room_against_a_running_emulator() {
    let emulator = EmulatorProcess::start(&["42"]);

    let out = emulator.dismiss("42", KEY);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    request_id_of(&out);

    let again = emulator.dismiss("42", KEY);
    assert_eq!(again.status.code(), Some(1));
    let err = stderr(&again);
    assert!(err.contains("FailedOperation.RoomNotExist"), "{err}");
    assert!(err.contains("RequestId "), "{err}");
    assert!(stdout(&again).is_empty());

    let wrong = emulator.dismiss("42", "someOtherKey");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stderr(&wrong).contains("AuthFailure.SignatureFailure"),
        "{}",
        stderr(&wrong)
    );
    assert!(!stderr(&wrong).contains("someOtherKey"));
}

#[test]
fn bad_input_is_one_line_naming_the_fix() {
    // (arguments after `dismiss-room`, environment, what stderr must say)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["--sdk-app-id", "abc", "--room-id", "1", "--region", "ap-guangzhou"],
            vec![],
            "--sdk-app-id",
        ),
        (
            vec!["--sdk-app-id", APP, "--room-id", "-5", "--region", "ap-guangzhou"],
            vec![],
            "--room-id",
        ),
        (
            vec!["--sdk-app-id", APP, "--room-id", "1", "--region", "ap-guangzhou"],
            vec![],
            "no credentials found: export TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY",
        ),
        (
            vec![
                "--sdk-app-id",
                APP,
                "--room-id",
                "1",
                "--region",
                "ap-guangzhou",
                "--endpoint",
                "http://example.com",
            ],
            vec![("TENCENTCLOUD_SECRET_ID", ID), ("TENCENTCLOUD_SECRET_KEY", KEY)],
            "plain HTTP",
        ),
        (
            vec!["--sdk-app-id", APP, "--room-id", "1", "--region", "ap-guangzhou"],
            vec![("TENCENTCLOUD_SECRET_ID", ID), ("TENCENTCLOUD_SECRET_KEY", " padded")],
            "whitespace",
        ),
        (
            vec!["--sdk-app-id", APP, "--room-id", "1"],
            vec![("TENCENTCLOUD_SECRET_ID", ID), ("TENCENTCLOUD_SECRET_KEY", KEY)],
            "--region is required",
        ),
    ];
    for (args, env, want) in cases {
        let mut cmd = trtc();
        cmd.arg("dismiss-room").args(&args).envs(env);
        let out = run(&mut cmd);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line for {args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn sign_reproduces_the_published_example() {
    let body = r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    let out = run(trtc()
        .args([
            "sign",
            "--service",
            "cvm",
            "--host",
            "cvm.tencentcloudapi.com",
            "--action",
            "DescribeInstances",
        ])
        .args([
            "--version",
            "2017-03-12",
            "--timestamp",
            "1551113065",
            "--region",
            "ap-guangzhou",
        ])
        .args(["--content-type", "application/json; charset=utf-8", "--payload", body])
        .env("TENCENTCLOUD_SECRET_ID", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE")
        .env("TENCENTCLOUD_SECRET_KEY", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["signature"],
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
    assert_eq!(v["headers"]["X-TC-Timestamp"], "1551113065");
    assert_eq!(v["headers"]["Authorization"], v["authorization"]);
    for key in [
        "canonical_request",
        "string_to_sign",
        "signature",
        "authorization",
        "headers",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn emulator_refuses_non_loopback_without_the_flag() {
    let out = run(trtc().args([
        "emulator",
        "--listen",
        "0.0.0.0:0",
        "--secret-id",
        ID,
        "--secret-key",
        KEY,
        "--sdk-app-id",
        APP,
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--allow-non-loopback"));
}
