//! `RUST_LOG=trace trtc dismiss-room ...` prints everything the library traces, and still no secret: the
//! binary is run through success, API errors, refused signatures and tokens, injected faults and network
//! errors, everything it prints (stdout and stderr) is kept, and searched for the SecretKey, the token, and
//! every `Authorization` value and signature it sent, as seen by a recording proxy on the wire.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::thread;

use support::{stderr, stdout, trtc, Emulator, APP};

const ID: &str = "AKIDcliSecretsKey00000000000000000";
const KEY: &str = "cliSecretsKeyNeverPrinted0000000";
const TOKEN: &str = "cliSessionTokenNeverPrinted000000000";
const WRONG_KEY: &str = "cliWrongKeyAlsoNeverPrinted00000";
const WRONG_TOKEN: &str = "cliWrongTokenAlsoNeverPrinted0000000";

/// A `trtc emulator` process with a temporary credential, killed on drop.
fn start_emulator() -> Emulator {
    Emulator::start_as(ID, KEY, &["--token", TOKEN, "--room-range", "1-20"])
}

/// A TCP proxy in front of the emulator that keeps every byte the client sent.
struct RecordingProxy {
    addr: String,
    seen: Arc<Mutex<Vec<u8>>>,
}

impl RecordingProxy {
    fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(mut client) = client else { return };
                let Ok(mut server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let mut client_reader = client.try_clone().unwrap();
                let mut server_writer = server.try_clone().unwrap();
                let record = Arc::clone(&record);
                thread::spawn(move || {
                    let mut buf = [0u8; 8192];
                    while let Ok(n @ 1..) = client_reader.read(&mut buf) {
                        record.lock().unwrap().extend_from_slice(&buf[..n]);
                        if server_writer.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = server_writer.shutdown(Shutdown::Write);
                });
                thread::spawn(move || {
                    let _ = std::io::copy(&mut server, &mut client);
                    let _ = client.shutdown(Shutdown::Both);
                });
            }
        });
        RecordingProxy { addr, seen }
    }

    /// Every `Authorization` header value sent through the proxy.
    fn authorizations(&self) -> Vec<String> {
        let seen = String::from_utf8_lossy(&self.seen.lock().unwrap()).into_owned();
        seen.split("\r\n")
            .filter_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("authorization")
                    .then(|| value.trim().to_owned())
            })
            .collect()
    }
}

/// `trtc dismiss-room` at trace level with these credentials in the environment.
fn dismiss_command(endpoint: &str, room: u32, key: &str, token: &str) -> Command {
    let mut command = trtc();
    command
        .args([
            "dismiss-room",
            "--sdk-app-id",
            APP,
            "--room-id",
            &room.to_string(),
            "--region",
            "ap-guangzhou",
            "--endpoint",
            endpoint,
        ])
        .env("RUST_LOG", "trace")
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", key)
        .env("TENCENTCLOUD_SESSION_TOKEN", token);
    command
}

/// Runs `trtc dismiss-room` at trace level and returns its exit code and everything it printed.
fn dismiss(endpoint: &str, room: u32, key: &str, token: &str) -> (Option<i32>, String) {
    let out: Output = dismiss_command(endpoint, room, key, token).output().expect("run trtc");
    let printed = format!("{}{}", stdout(&out), stderr(&out));
    (out.status.code(), printed)
}

#[test]
fn trace_output_holds_no_key_token_authorization_or_signature() {
    let emulator = start_emulator();
    let proxy = RecordingProxy::start(emulator.addr().to_owned());
    let endpoint = format!("http://{}", proxy.addr);
    let mut printed = String::new();
    let mut run = |room: u32, key: &str, token: &str, want_exit: i32, want_text: &str| {
        let (code, text) = dismiss(&endpoint, room, key, token);
        assert_eq!(code, Some(want_exit), "room {room}: {text}");
        assert!(
            text.contains(want_text),
            "room {room}: expected {want_text:?} in:\n{text}"
        );
        printed.push_str(&text);
    };

    run(1, KEY, TOKEN, 0, "RequestId");
    run(1, KEY, TOKEN, 1, "FailedOperation.RoomNotExist");
    run(2, WRONG_KEY, TOKEN, 1, "AuthFailure.SignatureFailure");
    run(2, KEY, WRONG_TOKEN, 1, "AuthFailure.TokenFailure");
    emulator.set_faults(r#"{"rules": [{"fault": "internal-error", "next": 3}]}"#);
    run(3, KEY, TOKEN, 1, "InternalError");
    emulator.set_faults(r#"{"rules": [{"fault": "bad-gateway", "next": 3}]}"#);
    run(4, KEY, TOKEN, 3, "HTTP 502");
    emulator.set_faults(r#"{"rules": [{"fault": "drop", "next": 3}]}"#);
    run(5, KEY, TOKEN, 3, "network error");
    emulator.set_faults(r#"{"rules": [{"fault": "drop", "next": 1}]}"#);
    run(6, KEY, TOKEN, 0, "retrying");

    // Nothing listening at all.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_endpoint = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (code, text) = dismiss(&closed_endpoint, 7, KEY, TOKEN);
    assert_eq!(code, Some(3), "{text}");
    printed.push_str(&text);

    assert!(printed.contains("trtc.call"), "the trace level is on:\n{printed}");
    assert!(printed.contains("attempt failed"), "{printed}");
    let authorizations = proxy.authorizations();
    assert!(authorizations.len() >= 15, "{} requests seen", authorizations.len());
    let mut secrets: Vec<String> = [KEY, TOKEN, WRONG_KEY, WRONG_TOKEN].map(String::from).to_vec();
    for authorization in authorizations {
        let (_, signature) = authorization.rsplit_once("Signature=").expect("a TC3 authorization");
        assert_eq!(signature.len(), 64, "{authorization}");
        secrets.push(signature.to_owned());
        secrets.push(authorization);
    }
    for secret in &secrets {
        assert!(!printed.contains(secret.as_str()), "{secret:?} was printed:\n{printed}");
    }
}

/// A panic inside a call (the probe of debug builds makes the transport panic with the signed request, its
/// `Authorization` and its token in the message) ends in the panic hook's one line and exit code 4: nothing
/// of the payload, the key, the token or the signature is printed, even at the trace level.
#[cfg(debug_assertions)]
#[test]
fn a_panic_prints_one_line_and_nothing_of_the_request() {
    // Never reached: the probe panics before anything is sent.
    let out: Output = dismiss_command("http://127.0.0.1:9", 1, KEY, TOKEN)
        .env("TRTC_PANIC_PROBE", "1")
        .output()
        .expect("run trtc");
    let (stdout, stderr) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: internal failure at ")
            && last.ends_with("; please report it (no details are printed, they may hold secrets)"),
        "{stderr}"
    );
    for secret in [KEY, TOKEN, "Signature=", "TC3-HMAC-SHA256", "panic probe"] {
        assert!(!stderr.contains(secret), "{secret:?} was printed:\n{stderr}");
    }
}
