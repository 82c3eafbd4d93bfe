//! Every single-request subcommand run as a user runs it: against a `trtc emulator` process, with
//! credentials from the environment or a profile file, both output forms, bad input, help and completions.

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{assert_exit, stderr, stdout, trtc, trtc_with_key, Emulator, TempDir, APP, ID, KEY};

/// stdout is exactly `{"RequestId":"<uuid>"}` and a newline.
#[track_caller]
fn request_id_only(out: &std::process::Output) -> String {
    let text = stdout(out);
    assert!(text.ends_with("}\n") && text.lines().count() == 1, "{text:?}");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let object = value.as_object().unwrap();
    assert_eq!(object.len(), 1, "{value}");
    let id = object["RequestId"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "{id}");
    id
}

#[test]
fn every_room_action_changes_the_emulator_state() {
    let emulator = Emulator::start(&["--room", "5", "--str-room", "class-7"]);
    for room in ["5", "\"class-7\""] {
        let body = format!(r#"{{"sdk_app_id": {APP}, "room": {room}, "user_ids": ["alice", "bob", "carol", "dave"]}}"#);
        assert_eq!(emulator.admin("POST", "users", &body).0, 200);
    }
    let users_of = |room: serde_json::Value| -> Vec<(String, String)> {
        let rooms = emulator.rooms();
        let Some(found) = rooms.iter().find(|r| r["room"] == room) else {
            return Vec::new();
        };
        found["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                (
                    u["user_id"].as_str().unwrap().to_owned(),
                    u["block"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };

    // A comma list and a repeated flag are the same list.
    let out = trtc_with_key()
        .arg("remove-user")
        .args(emulator.target())
        .args(["--room-id", "5", "--user-ids", "alice,bob"])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    request_id_only(&out);
    let out = trtc_with_key()
        .arg("remove-user-by-str-room-id")
        .args(emulator.target())
        .args(["--str-room-id", "class-7", "--user-ids", "alice", "--user-ids", "bob"])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    request_id_only(&out);

    let out = trtc_with_key()
        .arg("set-user-blocked")
        .args(emulator.target())
        .args(["--room-id", "5", "--user-id", "carol", "--is-mute", "2"])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    request_id_only(&out);
    let out = trtc_with_key()
        .arg("set-user-blocked-by-str-room-id")
        .args(emulator.target())
        .args([
            "--str-room-id",
            "class-7",
            "--user-id",
            "carol",
            "--is-mute",
            "3",
            "--output",
            "text",
        ])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("carol in room \"class-7\": video disabled (RequestId ") && text.ends_with(")\n"),
        "{text:?}"
    );

    let state = |user: &str, block: &str| (user.to_owned(), block.to_owned());
    assert_eq!(users_of(5.into()), vec![state("carol", "audio"), state("dave", "none")]);
    assert_eq!(
        users_of("class-7".into()),
        vec![state("carol", "video"), state("dave", "none")]
    );

    let out = trtc_with_key()
        .arg("dismiss-room-by-str-room-id")
        .args(emulator.target())
        .args(["--str-room-id", "class-7"])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    request_id_only(&out);
    let out = trtc_with_key()
        .arg("dismiss-room")
        .args(emulator.target())
        .args(["--room-id", "5", "--output", "text"])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert!(
        stdout(&out).starts_with(&format!("dismissed room 5 of application {APP} (RequestId ")),
        "{}",
        stdout(&out)
    );
    assert!(emulator.rooms().is_empty());

    let actions: Vec<String> = emulator
        .journal()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        actions,
        [
            "RemoveUser",
            "RemoveUserByStrRoomId",
            "SetUserBlocked",
            "SetUserBlockedByStrRoomId",
            "DismissRoomByStrRoomId",
            "DismissRoom"
        ]
    );
}

#[test]
fn api_errors_exit_1_with_code_message_and_request_id() {
    let emulator = Emulator::start(&["--room", "5"]);
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "set-user-blocked",
            &["--room-id", "5", "--user-id", "nobody", "--is-mute", "1"],
            "FailedOperation.UserNotExist",
        ),
        (
            "remove-user-by-str-room-id",
            &["--str-room-id", "absent", "--user-ids", "a"],
            "FailedOperation.RoomNotExist",
        ),
        ("dismiss-room", &["--room-id", "6"], "FailedOperation.RoomNotExist"),
    ];
    for (command, args, code) in cases {
        let out = trtc_with_key()
            .arg(command)
            .args(emulator.target())
            .args(*args)
            .output()
            .unwrap();
        assert_exit(&out, 1);
        let err = stderr(&out);
        assert!(err.starts_with(&format!("error: {code}: ")), "{err}");
        assert!(err.contains("(RequestId "), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn bad_input_is_one_line_naming_the_flag_and_nothing_is_sent() {
    // Nothing listens here: a case that got as far as sending would fail with exit 3, not 2.
    let target = [
        "--sdk-app-id",
        APP,
        "--region",
        "ap-guangzhou",
        "--endpoint",
        "http://127.0.0.1:9",
    ];
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "remove-user",
            &["--room-id", "1", "--user-ids", "a,b,c,d,e,f,g,h,i,j,k"],
            "--user-ids (UserIds)",
        ),
        ("remove-user", &["--room-id", "1"], "--user-ids"),
        ("remove-user", &["--room-id", "0", "--user-ids", "a"], "--room-id"),
        (
            "set-user-blocked",
            &["--room-id", "1", "--user-id", "a", "--is-mute", "4"],
            "--is-mute",
        ),
        (
            "set-user-blocked",
            &["--room-id", "1", "--user-id", "", "--is-mute", "1"],
            "--user-id (UserId)",
        ),
        (
            "dismiss-room-by-str-room-id",
            &["--str-room-id", "a/b"],
            "--str-room-id (RoomId)",
        ),
        (
            "set-user-blocked-by-str-room-id",
            &["--str-room-id", "", "--user-id", "a", "--is-mute", "0"],
            "--str-room-id (StrRoomId)",
        ),
        ("dismiss-room", &["--room-id", "1", "--output", "yaml"], "--output"),
        ("dismiss-room", &["--room-ids-file", "ids.txt"], "--report"),
        ("dismiss-room", &[], "--room-id"),
    ];
    for (command, args, want) in cases {
        let out = trtc_with_key().arg(command).args(target).args(*args).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{command} {args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{command} {args:?}: {err}");
        assert!(err.contains(want), "{command} {args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(stdout(&out).is_empty());
    }

    let out = trtc_with_key()
        .args(["remove-user", "--sdk-app-id", APP, "--room-id", "1", "--user-ids", "a"])
        .args(["--region", "ap-shanghai"])
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(
        stderr(&out)
            .contains("--region ap-shanghai: RemoveUser is offered in ap-beijing, ap-guangzhou, ap-singapore only"),
        "{}",
        stderr(&out)
    );
    let out = trtc_with_key()
        .args(["dismiss-room-by-str-room-id", "--sdk-app-id", APP, "--str-room-id", "a"])
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("--region is required"), "{}", stderr(&out));
}

#[test]
fn call_sends_any_action_and_prints_the_response_object() {
    let emulator = Emulator::start(&["--room", "5", "--room", "6", "--room", "7"]);
    let call = |action: &str, extra: &[&str]| {
        let mut cmd = trtc_with_key();
        cmd.args(["call", action, "--service", "trtc", "--version", "2019-07-22"])
            .args(["--endpoint", &emulator.endpoint])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    };
    let body = format!(r#"{{"SdkAppId":{APP},"RoomId":5}}"#);
    let out = call("DismissRoom", &["--json", &body]).output().unwrap();
    assert_exit(&out, 0);
    request_id_only(&out);

    let out = call("DismissRoom", &["--json", &body]).output().unwrap();
    assert_exit(&out, 1);
    assert!(
        stderr(&out).starts_with("error: FailedOperation.RoomNotExist: "),
        "{}",
        stderr(&out)
    );

    // --json @FILE, and --json - from stdin, with the text form (indented JSON).
    let dir = TempDir::new("call");
    let file = dir.path("body.json");
    std::fs::write(&file, format!(r#"{{"SdkAppId":{APP},"RoomId":6}}"#)).unwrap();
    let out = call("DismissRoom", &["--json", &format!("@{}", file.display())])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    request_id_only(&out);
    let mut child = call("DismissRoom", &["--json", "-", "--output", "text"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!(r#"{{"SdkAppId":{APP},"RoomId":7}}"#).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_exit(&out, 0);
    assert!(stdout(&out).starts_with("{\n  \"RequestId\": \""), "{}", stdout(&out));
    assert!(emulator.rooms().is_empty());

    // An action the emulator does not have: the service's own answer, passed through.
    let out = call("DescribeNoSuchThing", &["--json", &format!(r#"{{"SdkAppId":{APP}}}"#)])
        .output()
        .unwrap();
    assert_exit(&out, 1);
    assert!(stderr(&out).starts_with("error: InvalidAction: "), "{}", stderr(&out));

    for (json, want) in [
        ("[1]", "must be a JSON object"),
        ("{", "not JSON"),
        ("@/nonexistent/body.json", "cannot read the file"),
    ] {
        let out = call("DismissRoom", &["--json", json]).output().unwrap();
        assert_exit(&out, 2);
        assert!(stderr(&out).contains(want), "{json}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1);
    }
    let out = call("Dismiss Room", &["--json", "{}"]).output().unwrap();
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("is not an action name"), "{}", stderr(&out));
}

#[test]
fn credentials_from_a_profile_file() {
    let emulator = Emulator::start(&["--room", "1", "--room", "2", "--room", "3"]);
    let dir = TempDir::new("profile");
    let file = dir.path("credentials");
    std::fs::write(
        &file,
        format!("[default]\nsecret_id = {ID}\nsecret_key = {KEY}\n\n[staging]\nsecret_id = {ID}\nsecret_key = {KEY}\n"),
    )
    .unwrap();
    let dismiss = |room: &str| {
        let mut cmd = trtc();
        cmd.args(["dismiss-room", "--room-id", room])
            .args(emulator.target())
            .env("TENCENTCLOUD_CREDENTIALS_FILE", &file);
        cmd
    };

    // The default chain reaches the [default] profile when the environment holds no key.
    let out = dismiss("1").output().unwrap();
    assert_exit(&out, 0);
    request_id_only(&out);

    // --profile reads that profile only: a wrong key in the environment does not replace it.
    let out = dismiss("2")
        .args(["--profile", "staging"])
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", "notTheKey")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    // Without --profile the environment comes first, and its wrong key is refused by the service.
    let out = dismiss("3")
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", "notTheKey")
        .output()
        .unwrap();
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("AuthFailure.SignatureFailure"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("notTheKey"));

    let out = dismiss("3").args(["--profile", "prod"]).output().unwrap();
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("--profile prod") && err.contains("no [prod] section"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        emulator.rooms().iter().any(|r| r["room"] == 3),
        "nothing was sent for room 3"
    );
}

#[test]
fn no_credentials_anywhere_is_one_line_without_a_long_wait() {
    let started = Instant::now();
    let out = trtc()
        .args(["remove-user", "--sdk-app-id", APP, "--room-id", "1", "--user-ids", "a"])
        .args(["--region", "ap-guangzhou"])
        .output()
        .unwrap();
    // A guard against hanging on an absent metadata service, far above the CVM step's 1 s limit.
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    for needle in [
        "no credentials found",
        "TENCENTCLOUD_SECRET_ID",
        "--profile NAME",
        "CVM instance role",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
}

#[test]
fn help_of_every_subcommand_shows_examples_and_exit_codes() {
    let subcommands = [
        "dismiss-room",
        "dismiss-room-by-str-room-id",
        "remove-user",
        "remove-user-by-str-room-id",
        "set-user-blocked",
        "set-user-blocked-by-str-room-id",
        "call",
        "emulator",
        "sign",
        "completions",
    ];
    let top = trtc().arg("--help").output().unwrap();
    assert_exit(&top, 0);
    for sub in subcommands {
        assert!(stdout(&top).contains(&format!("  {sub} ")), "{sub} listed");
        let out = trtc().args([sub, "--help"]).output().unwrap();
        assert_exit(&out, 0);
        let help = stdout(&out);
        assert!(
            help.contains(&format!("  trtc {sub} ")),
            "{sub}: an example of itself\n{help}"
        );
        for needle in ["Exit codes:", "  2    bad input", "  3    network failure"] {
            assert!(help.contains(needle), "{sub}: {needle}");
        }
    }
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = trtc().args(["completions", shell]).output().unwrap();
        assert_exit(&out, 0);
        let script = stdout(&out);
        for needle in [
            "dismiss-room-by-str-room-id",
            "set-user-blocked",
            "room-ids-file",
            "is-mute",
        ] {
            assert!(script.contains(needle), "{shell}: {needle}");
        }
    }
    // The bash script is at least valid bash.
    let dir = TempDir::new("completions");
    let path = dir.path("trtc.bash");
    std::fs::write(&path, trtc().args(["completions", "bash"]).output().unwrap().stdout).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));

    let out = trtc().args(["completions", "tcsh"]).output().unwrap();
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("tcsh"), "{}", stderr(&out));
}
