//! `trtc usersig` and `trtc usersig verify` as a user runs them: the exact output contract, the exit codes,
//! and the strings of the official packages' vectors (crates/trtc-usersig/tests/vectors).

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::{assert_exit, stderr, stdout};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

fn vector(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../trtc-usersig/tests/vectors")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `trtc usersig` with no key in reach.
fn usersig() -> Command {
    let mut cmd = support::trtc();
    cmd.env_remove("TRTC_SDK_SECRET_KEY").arg("usersig");
    cmd
}

fn with_key(args: &[&str]) -> Output {
    usersig().env("TRTC_SDK_SECRET_KEY", KEY).args(args).output().unwrap()
}

fn one_line(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(err.lines().count(), 1, "stderr is not one line: {err:?}");
    assert!(!err.contains(KEY), "the key is on stderr");
    err
}

#[test]
fn mints_the_usersig_the_official_packages_accept() {
    let v = vector("usersig-one-day");
    let out = with_key(&[
        "--sdk-app-id",
        "1400000000",
        "--user-id",
        "alice",
        "--expire",
        "86400",
        "--time",
        "1700000000",
    ]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), format!("{}\n", v["ours"].as_str().unwrap()));
    assert!(stderr(&out).is_empty());
}

#[test]
fn mints_private_map_keys_for_numeric_and_string_rooms() {
    let v = vector("privmap-room-audience");
    let out = with_key(&[
        "--sdk-app-id",
        "1400000000",
        "--user-id",
        "alice",
        "--expire",
        "300",
        "--time",
        "1700000000",
        "--room-id",
        "1234",
        "--privilege-map",
        "enter,recv-audio,recv-video",
    ]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out).trim_end(), v["ours"].as_str().unwrap());

    let v = vector("privmap-str-room-lobby");
    let out = with_key(&[
        "--sdk-app-id",
        "1400000000",
        "--user-id",
        "alice",
        "--expire",
        "300",
        "--time",
        "1700000000",
        "--str-room-id",
        "lobby",
        "--privilege-map",
        "255",
    ]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out).trim_end(), v["ours"].as_str().unwrap());
}

#[test]
fn verify_prints_the_fields_of_official_strings() {
    let v = vector("usersig-one-day");
    let sig = v["official"][0]["sig"].as_str().unwrap();
    let out = with_key(&[
        "verify",
        "--sdk-app-id",
        "1400000000",
        "--user-id",
        "alice",
        "--sig",
        sig,
        "--time",
        "1700086400",
    ]);
    assert_exit(&out, 0);
    let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(stdout(&out).lines().count(), 1);
    assert_eq!(printed["identifier"], "alice");
    assert_eq!(printed["sdk_app_id"], 1400000000);
    assert_eq!(printed["time"], 1700000000);
    assert_eq!(printed["expire"], 86400);
    assert_eq!(printed["expires_at"], 1700086400);
    assert!(printed.get("room_id").is_none() && printed.get("privilege_map").is_none());

    let v = vector("privmap-room-audience");
    let sig = v["official"][1]["sig"].as_str().unwrap();
    let out = with_key(&[
        "verify",
        "--sdk-app-id",
        "1400000000",
        "--user-id",
        "alice",
        "--sig",
        sig,
        "--time",
        "1700000000",
    ]);
    assert_exit(&out, 0);
    let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(printed["room_id"], 1234);
    assert_eq!(printed["privilege_map"], 42);
    assert_eq!(
        printed["privileges"],
        serde_json::json!(["enter", "recv-audio", "recv-video"])
    );
    assert!(printed.get("str_room_id").is_none());

    let v = vector("privmap-str-room-punctuation");
    let sig = v["official"][0]["sig"].as_str().unwrap();
    let out = with_key(&[
        "verify",
        "--sdk-app-id",
        "1400000000",
        "--user-id",
        "carol",
        "--sig",
        sig,
        "--time",
        "1700000000",
    ]);
    assert_exit(&out, 0);
    let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(printed["str_room_id"], v["str_room_id"]);
    assert_eq!(printed["privilege_map"], 10);
}

#[test]
fn verify_reads_the_string_from_stdin_and_defaults_to_now() {
    let minted = with_key(&["--sdk-app-id", "1400000000", "--user-id", "bob"]);
    assert_exit(&minted, 0);
    let mut child = usersig()
        .env("TRTC_SDK_SECRET_KEY", KEY)
        .args(["verify", "--sdk-app-id", "1400000000", "--user-id", "bob", "--sig", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&minted.stdout).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_exit(&out, 0);
    let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(printed["expire"], 15552000, "the default lifetime is 180 days");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let time = printed["time"].as_u64().unwrap();
    assert!(
        time <= now && now - time < 60,
        "--time defaults to now: {time} vs {now}"
    );
}

#[test]
fn each_failed_check_exits_1_with_one_line_naming_it() {
    let v = vector("usersig-one-day");
    let sig = v["official"][0]["sig"].as_str().unwrap();
    let verify = |app: &str, user: &str, sig: &str, time: &str| {
        with_key(&[
            "verify",
            "--sdk-app-id",
            app,
            "--user-id",
            user,
            "--sig",
            sig,
            "--time",
            time,
        ])
    };
    for (out, check) in [
        (verify("1400000000", "alice", sig, "1700086401"), "expired"),
        (verify("1400000000", "bob", sig, "1700000000"), "identifier"),
        (verify("1400000001", "alice", sig, "1700000000"), "sdk_app_id"),
        (
            verify("1400000000", "alice", "eJxLSS0uAQAEXQHB", "1700000000"),
            "malformed",
        ),
        (
            verify("1400000000", "alice", "not a usersig", "1700000000"),
            "malformed",
        ),
    ] {
        assert_exit(&out, 1);
        let line = one_line(&out);
        assert!(line.starts_with(&format!("error: {check}: ")), "{check}: {line}");
        assert!(stdout(&out).is_empty());
        assert!(!line.contains(sig), "the string is repeated on stderr");
    }
    let out = usersig()
        .env("TRTC_SDK_SECRET_KEY", "another-key")
        .args([
            "verify",
            "--sdk-app-id",
            "1400000000",
            "--user-id",
            "alice",
            "--sig",
            sig,
            "--time",
            "1700000000",
        ])
        .output()
        .unwrap();
    assert_exit(&out, 1);
    assert!(one_line(&out).starts_with("error: signature: "), "{}", stderr(&out));
}

#[test]
fn the_key_comes_from_a_file_or_the_environment_only() {
    let dir = std::env::temp_dir().join(format!("trtc-usersig-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("key.txt");
    std::fs::write(&file, format!("{KEY}\n")).unwrap();
    let v = vector("usersig-one-day");
    let out = usersig()
        .args([
            "--sdk-app-id",
            "1400000000",
            "--user-id",
            "alice",
            "--expire",
            "86400",
            "--time",
            "1700000000",
        ])
        .arg("--key-file")
        .arg(&file)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_eq!(stdout(&out).trim_end(), v["ours"].as_str().unwrap());

    // No key: exit 2 naming both ways to give one.
    let out = usersig()
        .args(["--sdk-app-id", "1400000000", "--user-id", "alice"])
        .output()
        .unwrap();
    assert_exit(&out, 2);
    let line = one_line(&out);
    assert!(
        line.contains("TRTC_SDK_SECRET_KEY") && line.contains("--key-file"),
        "{line}"
    );
    // There is no flag for the key's value.
    let out = usersig()
        .args(["--sdk-app-id", "1400000000", "--user-id", "alice", "--key", KEY])
        .output()
        .unwrap();
    assert_exit(&out, 2);
    let out = usersig()
        .args(["--sdk-app-id", "1400000000", "--user-id", "alice", "--key-file"])
        .arg(dir.join("missing"))
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(one_line(&out).contains("--key-file"));
    std::fs::write(&file, format!(" {KEY}\n")).unwrap();
    let out = usersig()
        .args(["--sdk-app-id", "1", "--user-id", "a", "--key-file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(one_line(&out).contains("whitespace"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_exit_2_with_one_line() {
    let app = ["--sdk-app-id", "1400000000"];
    for (args, names) in [
        (vec!["--user-id", ""], "--user-id"),
        (vec!["--user-id", &"x".repeat(33)], "--user-id"),
        (vec!["--user-id", "a", "--expire", "0"], "--expire"),
        (
            vec!["--user-id", "a", "--time", "4294967295", "--expire", "1"],
            "--expire",
        ),
        (
            vec!["--user-id", "a", "--room-id", "0", "--privilege-map", "all"],
            "--room-id",
        ),
        (
            vec!["--user-id", "a", "--str-room-id", "a/b", "--privilege-map", "all"],
            "--str-room-id",
        ),
        (
            vec!["--user-id", "a", "--room-id", "1", "--privilege-map", "enter,fly"],
            "--privilege-map",
        ),
        (
            vec!["--user-id", "a", "--room-id", "1", "--privilege-map", "256"],
            "--privilege-map",
        ),
        (vec!["--user-id", "a", "--room-id", "1"], "--privilege-map"),
        (vec!["--user-id", "a", "--privilege-map", "all"], "--room-id"),
        (
            vec![
                "--user-id",
                "a",
                "--room-id",
                "1",
                "--str-room-id",
                "b",
                "--privilege-map",
                "all",
            ],
            "--str-room-id",
        ),
        (vec!["--user-id", "a", "--expire", "-5"], "--expire"),
    ] {
        let out = with_key(&[&app[..], &args[..]].concat());
        assert_exit(&out, 2);
        let line = one_line(&out);
        assert!(line.contains(names), "{args:?}: {line}");
        assert!(stdout(&out).is_empty());
    }
    let out = with_key(&["--user-id", "a"]);
    assert_exit(&out, 2);
    assert!(one_line(&out).contains("--sdk-app-id"));
    let out = with_key(&["verify", "--sdk-app-id", "1400000000", "--user-id", "a"]);
    assert_exit(&out, 2);
    assert!(one_line(&out).contains("--sig"));
    let out = with_key(&["verify", "--sdk-app-id", "0", "--user-id", "a", "--sig", "x"]);
    assert_exit(&out, 2);
    assert!(one_line(&out).contains("--sdk-app-id"));
}

#[test]
fn help_and_completions_know_usersig() {
    let out = support::trtc().args(["usersig", "--help"]).output().unwrap();
    assert_exit(&out, 0);
    for needle in [
        "  trtc usersig ",
        "TRTC_SDK_SECRET_KEY",
        "--key-file",
        "Exit codes:",
        "verify",
    ] {
        assert!(stdout(&out).contains(needle), "{needle}");
    }
    let out = support::trtc().args(["usersig", "verify", "--help"]).output().unwrap();
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("  1    invalid"));
    let out = support::trtc().args(["completions", "bash"]).output().unwrap();
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("usersig") && stdout(&out).contains("--privilege-map"));
}

/// `trtc usersig` for alice of `APP`, valid ten minutes, signed with the key in `key_path`.
fn mint_for_alice(key_path: &str, extra: &[&str]) -> String {
    let out = usersig()
        .args([
            "--sdk-app-id",
            support::APP,
            "--user-id",
            "alice",
            "--expire",
            "600",
            "--key-file",
            key_path,
        ])
        .args(extra)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    stdout(&out).trim_end().to_owned()
}

#[test]
fn the_emulator_admits_what_trtc_usersig_mints() {
    let dir = std::env::temp_dir().join(format!("trtc-usersig-emulator-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("sdk-key.txt");
    std::fs::write(&key_file, "cli-emulator-sdk-key\n").unwrap();
    let key_path = key_file.to_str().unwrap();
    let emulator = support::Emulator::start(&["--sdk-secret-key-file", key_path, "--permission-control"]);
    let mint = |extra: &[&str]| mint_for_alice(key_path, extra);
    let user_sig = mint(&[]);
    let body = serde_json::json!({"sdk_app_id": support::APP.parse::<u64>().unwrap(), "room": 1234, "user_id": "alice", "user_sig": user_sig});
    let (status, answer) = emulator.admin("POST", "enter", &body.to_string());
    assert_eq!(
        (status, answer["check"].as_str()),
        (403, Some("private_map_key")),
        "{answer}"
    );

    let mut with_key = body.clone();
    with_key["private_map_key"] = mint(&["--room-id", "1234", "--privilege-map", "enter"]).into();
    let (status, answer) = emulator.admin("POST", "enter", &with_key.to_string());
    assert_eq!((status, answer), (200, serde_json::json!({"created": true})));
    let (_, listed) = emulator.admin("GET", "sdk-app-keys", "");
    assert_eq!(listed["sdk_app_keys"][0]["permission_control"], true);
    assert!(!listed.to_string().contains("cli-emulator-sdk-key"));

    // --permission-control without a key to check with is refused at start.
    let out = support::trtc()
        .env_remove("TRTC_SDK_SECRET_KEY")
        .args([
            "emulator",
            "--secret-id",
            support::ID,
            "--secret-key",
            support::KEY,
            "--sdk-app-id",
            support::APP,
        ])
        .arg("--permission-control")
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(one_line(&out).contains("--sdk-secret-key-file"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_emulator_takes_the_sdk_secret_key_as_a_flag() {
    let emulator = support::Emulator::start(&["--sdk-secret-key", "cli-flag-sdk-key"]);
    let (_, listed) = emulator.admin("GET", "sdk-app-keys", "");
    assert_eq!(
        listed["sdk_app_keys"][0]["sdk_app_id"].to_string(),
        support::APP,
        "{listed}"
    );
    assert!(!listed.to_string().contains("cli-flag-sdk-key"));
    // A UserSig minted with that key admits its user; one minted with another key does not.
    let dir = std::env::temp_dir().join(format!("trtc-usersig-flag-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mint = |key: &str| {
        let key_file = dir.join(format!("{key}.txt"));
        std::fs::write(&key_file, key).unwrap();
        mint_for_alice(key_file.to_str().unwrap(), &[])
    };
    for (key, status) in [("cli-flag-sdk-key", 200), ("another-key", 403)] {
        let body = serde_json::json!({"sdk_app_id": support::APP.parse::<u64>().unwrap(), "room": 1234, "user_id": "alice", "user_sig": mint(key)});
        let (got, answer) = emulator.admin("POST", "enter", &body.to_string());
        assert_eq!(got, status, "{key}: {answer}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
    // The flag and the file are one or the other.
    let out = support::trtc()
        .args([
            "emulator",
            "--secret-id",
            support::ID,
            "--secret-key",
            support::KEY,
            "--sdk-app-id",
            support::APP,
        ])
        .args(["--sdk-secret-key", "k", "--sdk-secret-key-file", "f"])
        .output()
        .unwrap();
    assert_exit(&out, 2);
}
