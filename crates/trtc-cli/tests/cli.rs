//! The command-line contract, exercised as a user would: by running the built `trtc` binary.

mod support;

use std::process::{Command, Output};

use support::{stderr, stdout, trtc, Emulator, TempDir, APP, ID, KEY};

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run trtc")
}

/// `trtc dismiss-room` of `room` against `emulator`, signed with the emulator's SecretId and `key`.
fn dismiss(emulator: &Emulator, room: &str, key: &str) -> Output {
    run(trtc()
        .arg("dismiss-room")
        .args(emulator.target())
        .args(["--room-id", room])
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", key))
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
    let emulator = Emulator::start(&["--room", "42"]);
    assert!(
        emulator.endpoint.starts_with("http://127.0.0.1:"),
        "{}",
        emulator.endpoint
    );

    let out = dismiss(&emulator, "42", KEY);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    request_id_of(&out);

    let again = dismiss(&emulator, "42", KEY);
    assert_eq!(again.status.code(), Some(1));
    let err = stderr(&again);
    assert!(err.contains("FailedOperation.RoomNotExist"), "{err}");
    assert!(err.contains("RequestId "), "{err}");
    assert!(stdout(&again).is_empty());

    let wrong = dismiss(&emulator, "42", "someOtherKey");
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
    let cases: Vec<Case<'_>> = vec![
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
fn a_credentials_error_names_the_file_the_fix_and_the_cause_once() {
    // A path through a regular file cannot be read, even by root (ENOTDIR).
    let dir = TempDir::new("unreadable-credentials");
    let blocker = dir.path("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    let path = blocker.join("credentials");
    let cause = std::fs::metadata(&path).unwrap_err().to_string();
    let out = run(trtc()
        .args([
            "dismiss-room",
            "--sdk-app-id",
            APP,
            "--room-id",
            "1",
            "--region",
            "ap-guangzhou",
        ])
        .env("TENCENTCLOUD_CREDENTIALS_FILE", &path));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert_eq!(
        err.trim_end(),
        format!(
            "error: credentials: profile file: cannot read the credentials file {}: check the path and the file: {cause}",
            path.display()
        )
    );
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
