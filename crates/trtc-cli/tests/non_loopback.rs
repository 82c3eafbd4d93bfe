//! `trtc emulator` listens on loopback unless told otherwise: a non-loopback `--listen` is refused without
//! `--allow-non-loopback`, and with it the emulator warns before binding there.
//!
//! No test here listens beyond loopback: the non-loopback address is 192.0.2.1 (TEST-NET-1, RFC 5737), which
//! no machine has, so the bind itself fails after the warning and nothing is ever exposed.

use std::process::{Command, Output, Stdio};

const NOT_LOOPBACK: &str = "192.0.2.1:0";

fn emulator(extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trtc"))
        .args([
            "emulator",
            "--secret-id",
            "AKIDlisten000000000000000000000000",
            "--secret-key",
            "listenTestKey0000000000000000000",
            "--sdk-app-id",
            "1400000001",
        ])
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .expect("run trtc")
}

#[test]
fn a_non_loopback_address_needs_the_flag() {
    let out = emulator(&["--listen", NOT_LOOPBACK]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("not a loopback address"), "{stderr}");
    assert!(stderr.contains("--allow-non-loopback"), "names the flag: {stderr}");
    assert!(!stderr.contains("warning"), "refused before anything else: {stderr}");
    assert!(out.stdout.is_empty(), "never listened");
}

#[test]
fn with_the_flag_it_warns_and_binds_the_address_asked_for() {
    let out = emulator(&["--listen", NOT_LOOPBACK, "--allow-non-loopback"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "a warning, then the bind error: {stderr}");
    assert!(lines[0].starts_with("warning: "), "{stderr}");
    assert!(lines[0].contains("reachable from the network"), "{stderr}");
    assert!(
        lines[0].contains("--no-admin-api"),
        "the warning names the open admin API: {stderr}"
    );
    // It tried 192.0.2.1 itself, not loopback: the address no machine has cannot be bound.
    assert!(lines[1].contains("cannot listen on 192.0.2.1:0"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "never listened");
}

#[test]
fn loopback_needs_no_flag_and_prints_no_warning() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trtc"))
        .args([
            "emulator",
            "--secret-id",
            "AKIDlisten000000000000000000000000",
            "--secret-key",
            "listenTestKey0000000000000000000",
            "--sdk-app-id",
            "1400000001",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn trtc");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        line.starts_with("listening on http://127.0.0.1:"),
        "the default is loopback: {line}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
}
