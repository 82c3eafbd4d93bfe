//! `trtc callbacks listen` and `trtc callbacks verify`, run as a user runs them: signed callbacks POSTed to
//! the listener come out on stdout as JSON lines, refused ones are logged on stderr and answered 401/400, and
//! `verify` checks the published signature example with its documented exit codes. End to end: `trtc
//! emulator` sends its callbacks to `trtc callbacks listen` while `trtc dismiss-room` dismisses a room.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStderr, ChildStdout, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use support::{assert_exit, stderr, stdout, trtc, trtc_with_key, Emulator, TempDir, APP, ID, KEY};
use trtc_callback::{
    sign_callback, Callback, CallbackKey, DismissRoomInfo, EnterRoomInfo, Event, ExitReason, ExitRoomInfo, Role,
    SignedCallback,
};

const CALLBACK_KEY: &str = "cliCallbackKey2024";

fn app() -> u64 {
    APP.parse().unwrap()
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

fn key() -> CallbackKey {
    CallbackKey::new(CALLBACK_KEY).unwrap()
}

/// A running `trtc callbacks listen` on a free port, killed on drop.
struct Listener {
    child: Child,
    addr: String,
    stdout: BufReader<ChildStdout>,
    stderr: BufReader<ChildStderr>,
}

impl Listener {
    fn start(configure: impl FnOnce(&mut Command)) -> Listener {
        let mut cmd = trtc();
        cmd.args(["callbacks", "listen", "--addr", "127.0.0.1:0", "--sdk-app-id", APP])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        configure(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        stderr.read_line(&mut first).unwrap();
        let addr = first
            .split_whitespace()
            .skip_while(|w| *w != "on")
            .nth(1)
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .to_owned();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Listener {
            child,
            addr,
            stdout,
            stderr,
        }
    }

    /// POSTs `body` with `headers` and answers the status and the body of the answer.
    fn post(&self, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let mut head = format!(
            "POST /trtc/callback HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status = answer[9..12].parse().unwrap();
        (status, answer.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned())
    }

    fn send(&self, signed: &SignedCallback) -> (u16, String) {
        self.post(&signed.headers(), signed.body())
    }

    fn stdout_line(&mut self) -> Value {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
    }

    fn stderr_line(&mut self) -> String {
        let mut line = String::new();
        self.stderr.read_line(&mut line).unwrap();
        line
    }

    /// Ctrl-C, then the exit code and what was left on stdout.
    fn interrupt(mut self) -> (Option<i32>, String) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let code = self.child.wait().unwrap().code();
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        let mut err = String::new();
        self.stderr.read_to_string(&mut err).unwrap();
        assert!(err.contains("stopped"), "{err}");
        (code, rest)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn enter(room: &str, user: &str) -> SignedCallback {
    let t = now_ms();
    let info = EnterRoomInfo::new(room, user, t).with_role(Role::Anchor);
    sign_callback(&key(), app(), &Callback::new(Event::EnterRoom(info), t + 3))
}

#[cfg(unix)]
#[test]
fn listen_prints_verified_callbacks_refuses_the_rest_and_stops_on_ctrl_c() {
    let mut listener = Listener::start(|cmd| {
        cmd.env("TRTC_CALLBACK_KEY", CALLBACK_KEY);
    });

    let sent = enter("class-7", "alice");
    assert_eq!(listener.send(&sent), (200, r#"{"code":0}"#.to_owned()));
    let line = listener.stdout_line();
    assert_eq!(line["verified"], true);
    assert_eq!(line["EventGroupId"], 1);
    assert_eq!(line["EventType"], 103);
    assert_eq!(line["EventInfo"]["RoomId"], "class-7");
    assert_eq!(line["EventInfo"]["UserId"], "alice");
    assert_eq!(line["EventInfo"]["Role"], 20);
    // The line is the body as received plus "verified".
    let mut received: Value = serde_json::from_slice(sent.body()).unwrap();
    received["verified"] = Value::Bool(true);
    assert_eq!(line, received);

    // The published signature example's body as the service sent it (tabs and newlines), numeric room: it is
    // signed here with this listener's key and the current time.
    let t = now_ms();
    let body = format!(
        "{{\n\t\"EventGroupId\":\t2,\n\t\"EventType\":\t204,\n\t\"CallbackTs\":\t{t},\n\t\"EventInfo\":\t{{\n\t\t\"RoomId\":\t8489,\n\t\t\"EventTs\":\t{},\n\t\t\"UserId\":\t\"user_85034614\",\n\t\t\"Reason\":\t0\n\t}}\n}}",
        t / 1000
    );
    let signed = SignedCallback::new(&key(), app(), body);
    assert_eq!(listener.send(&signed).0, 200);
    let line = listener.stdout_line();
    assert_eq!(
        (line["EventType"].as_u64(), line["EventInfo"]["RoomId"].as_u64()),
        (Some(204), Some(8489))
    );

    // Refused: a changed body, the wrong application, no signature, a replay. Each is one stderr line.
    let mut changed = sent.body().to_vec();
    let at = changed.len() / 2;
    changed[at] ^= 0x20;
    let (status, answer) = listener.post(&sent.headers(), &changed);
    assert_eq!(status, 401, "{answer}");
    assert!(listener
        .stderr_line()
        .starts_with("refused: signature: Sign header does not match the body"));

    let other_app = sign_callback(&key(), app() + 1, &Callback::parse_unverified(sent.body()).unwrap());
    assert_eq!(listener.send(&other_app).0, 401);
    let line = listener.stderr_line();
    assert!(
        line.starts_with("refused: SdkAppId: SdkAppId header is 1400000002"),
        "{line}"
    );

    assert_eq!(listener.post(&[("SdkAppId", APP)], sent.body()).0, 401);
    assert!(listener.stderr_line().starts_with("refused: Sign: no Sign header"));

    let old = now_ms() - 600_000;
    let replay = sign_callback(
        &key(),
        app(),
        &Callback::new(
            Event::ExitRoom(ExitRoomInfo::new(1234, "bob", old, ExitReason::Voluntary)),
            old,
        ),
    );
    assert_eq!(listener.send(&replay).0, 400);
    let line = listener.stderr_line();
    assert!(line.starts_with("refused: CallbackTs: CallbackTs "), "{line}");
    assert!(line.contains("outside its window of 300 s"), "{line}");

    // Still running after the refusals.
    let t = now_ms();
    let dismissed = sign_callback(
        &key(),
        app(),
        &Callback::new(Event::DismissRoom(DismissRoomInfo::new("class-7", t)), t),
    );
    assert_eq!(listener.send(&dismissed).0, 200);
    assert_eq!(listener.stdout_line()["EventType"], 102);

    let (code, rest) = listener.interrupt();
    assert_eq!(code, Some(0));
    assert!(rest.is_empty(), "nothing printed for refused callbacks: {rest}");
}

#[test]
fn listen_reads_the_key_from_a_file() {
    let dir = TempDir::new("callbacks-key-file");
    let path = dir.path("callback.key");
    std::fs::write(&path, format!("{CALLBACK_KEY}\n")).unwrap();
    let mut listener = Listener::start(|cmd| {
        cmd.args(["--key-file", path.to_str().unwrap()]);
    });
    assert_eq!(listener.send(&enter("1", "carol")).0, 200);
    assert_eq!(listener.stdout_line()["EventInfo"]["UserId"], "carol");

    // Signed with another key: refused.
    let t = now_ms();
    let wrong = sign_callback(
        &CallbackKey::new("someOtherKey").unwrap(),
        app(),
        &Callback::new(Event::EnterRoom(EnterRoomInfo::new(1, "dave", t)), t),
    );
    assert_eq!(listener.send(&wrong).0, 401);
    assert!(listener.stderr_line().starts_with("refused: signature"));
}

#[test]
fn listen_without_a_usable_key_or_address_is_bad_input() {
    let out = trtc()
        .args(["callbacks", "listen", "--addr", "127.0.0.1:0", "--sdk-app-id", APP])
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("no callback key: set TRTC_CALLBACK_KEY or pass --key-file FILE"));

    let out = trtc()
        .args(["callbacks", "listen", "--addr", "127.0.0.1:0", "--sdk-app-id", APP])
        .env("TRTC_CALLBACK_KEY", "not-a-key")
        .output()
        .unwrap();
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("TRTC_CALLBACK_KEY: callback key must be 1 to 32 ASCII letters and digits"),
        "{err}"
    );
    assert!(!err.contains("not-a-key"), "{err}");

    let out = trtc()
        .args(["callbacks", "listen", "--addr", "nowhere", "--sdk-app-id", APP])
        .env("TRTC_CALLBACK_KEY", CALLBACK_KEY)
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("--addr nowhere: cannot listen there"),
        "{}",
        stderr(&out)
    );
}

/// `trtc callbacks verify` with `args`, the key in the environment and `body` on stdin.
fn verify(args: &[&str], key: Option<&str>, body: &[u8]) -> std::process::Output {
    let mut cmd = trtc();
    cmd.args(["callbacks", "verify"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(key) = key {
        cmd.env("TRTC_CALLBACK_KEY", key);
    }
    let mut child = cmd.spawn().unwrap();
    // The command may stop reading early (a body over the limit): what it did not read is not an error here.
    let _ = child.stdin.take().unwrap().write_all(body);
    child.wait_with_output().unwrap()
}

/// The "Verify Signature Example" page's Java and Python example: key, body, Sign.
fn published_example() -> (String, Vec<u8>, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../trtc-callback/tests/vectors/signatures.json"
    );
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let v = &vectors["vectors"][0];
    assert_eq!(v["sign_from"], "published on the page");
    (
        v["key"].as_str().unwrap().to_owned(),
        v["body"].as_str().unwrap().as_bytes().to_vec(),
        v["sign"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn verify_the_published_example_prints_the_typed_event() {
    let (key, body, sign) = published_example();
    let out = verify(
        &["--sdk-app-id", APP, "--sign", &sign, "--at", "1664209749000"],
        Some(&key),
        &body,
    );
    assert_exit(&out, 0);
    let typed: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(typed["Event"], "StopAudio");
    assert_eq!(typed["verified"], true);
    assert_eq!(typed["EventType"], 204);
    assert_eq!(typed["CallbackTs"], 1664209748188u64);
    assert_eq!(typed["EventInfo"]["RoomId"], 8489);
    assert_eq!(typed["EventInfo"]["UserId"], "user_85034614");
    assert_eq!(stdout(&out).trim().lines().count(), 1);
}

#[test]
fn verify_refusals_exit_1_with_the_check_on_stderr() {
    let (key, body, sign) = published_example();
    let cases: [(Vec<&str>, &[u8], &str); 4] = [
        // Today the 2022 example is a replay.
        (
            vec!["--sdk-app-id", APP, "--sign", &sign],
            &body,
            "refused: CallbackTs: ",
        ),
        (
            vec![
                "--sdk-app-id",
                APP,
                "--sign",
                "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGB=",
                "--at",
                "1664209749000",
            ],
            &body,
            "refused: Sign: ",
        ),
        (
            vec![
                "--sdk-app-id",
                APP,
                "--sign",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "--at",
                "1664209749000",
            ],
            &body,
            "refused: signature: ",
        ),
        (
            vec!["--sdk-app-id", APP, "--sign", &sign, "--at", "1664209749000"],
            b"{}",
            "refused: signature: ",
        ),
    ];
    for (args, body, expected) in cases {
        let out = verify(&args, Some(&key), body);
        assert_exit(&out, 1);
        let err = stderr(&out);
        assert!(err.starts_with(&format!("error: {expected}")), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(stdout(&out).is_empty());
    }
    // Too large: refused before the rest is read.
    let big = vec![b' '; 70 * 1024];
    let out = verify(&["--sdk-app-id", APP, "--sign", &sign], Some(&key), &big);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("refused: body size: "), "{}", stderr(&out));
}

#[test]
fn verify_bad_arguments_exit_2() {
    let (key, body, sign) = published_example();
    for (args, key, expected) in [
        (
            vec!["--sdk-app-id", APP, "--sign", sign.as_str()],
            None,
            "no callback key",
        ),
        (
            vec!["--sdk-app-id", "abc", "--sign", sign.as_str()],
            Some(key.as_str()),
            "\"abc\" is not a whole number",
        ),
        (vec!["--sdk-app-id", APP], Some(key.as_str()), "--sign"),
        (
            vec![
                "--sdk-app-id",
                APP,
                "--sign",
                sign.as_str(),
                "--key-file",
                "/nonexistent/key",
            ],
            None,
            "--key-file /nonexistent/key",
        ),
    ] {
        let out = verify(&args, key, &body);
        assert_exit(&out, 2);
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
    }
}

#[cfg(unix)]
#[test]
fn the_emulator_s_callbacks_reach_the_listener_verified_in_order() {
    let mut listener = Listener::start(|cmd| {
        cmd.env("TRTC_CALLBACK_KEY", CALLBACK_KEY);
    });
    let dir = TempDir::new("callbacks-emulator");
    let config = dir.path("emulator.json");
    std::fs::write(
        &config,
        format!(
            r#"{{"credentials": [{{"secret_id": "{ID}", "secret_key": "{KEY}", "sdk_app_ids": [{APP}]}}],
                "callbacks": [{{"sdk_app_id": {APP}, "url": "http://{}/trtc/callback", "key": "{CALLBACK_KEY}"}}],
                "callback_schedule": {{"timeout_ms": 1000, "retry_every_ms": 200, "give_up_after_ms": 3000}}}}"#,
            listener.addr
        ),
    )
    .unwrap();
    let emulator = Emulator::spawn(&["--config", config.to_str().unwrap()]);

    // Two users enter room 1234 (the admin API, as a client SDK entering would): 101, then a 103 each.
    let (status, _) = emulator.admin(
        "POST",
        "users",
        &format!(r#"{{"sdk_app_id": {APP}, "room": 1234, "user_ids": ["alice", "bob"]}}"#),
    );
    assert_eq!(status, 200);
    let entered: Vec<Value> = (0..3).map(|_| listener.stdout_line()).collect();
    let types: Vec<_> = entered.iter().map(|l| l["EventType"].as_u64().unwrap()).collect();
    assert_eq!(types, [101, 103, 103]);

    // DismissRoom: the API answer first, then a 104 per user and the 102, each verified by the listener.
    let out = trtc_with_key()
        .arg("dismiss-room")
        .args(emulator.target())
        .args(["--room-id", "1234"])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("RequestId"));
    let dismissed: Vec<Value> = (0..3).map(|_| listener.stdout_line()).collect();
    let seen: Vec<(u64, Option<&str>)> = dismissed
        .iter()
        .map(|l| (l["EventType"].as_u64().unwrap(), l["EventInfo"]["UserId"].as_str()))
        .collect();
    assert_eq!(seen, [(104, Some("alice")), (104, Some("bob")), (102, None)]);
    for line in entered.iter().chain(&dismissed) {
        assert_eq!(line["verified"], true);
        assert_eq!(line["EventInfo"]["RoomId"], 1234);
    }
    assert_eq!(dismissed[0]["EventInfo"]["Reason"], 3, "removed from the room");

    // The emulator shows each delivery once, delivered at the first try. The listener prints an event before
    // its answer reaches the emulator, so the last outcome may be recorded a moment after the last line.
    let started = std::time::Instant::now();
    let deliveries = loop {
        let (_, deliveries) = emulator.admin("GET", "callbacks", "");
        let deliveries = deliveries["deliveries"].as_array().unwrap().clone();
        let settled = deliveries.len() == 6 && deliveries.iter().all(|d| d["outcome"] != "pending");
        if settled || started.elapsed() > std::time::Duration::from_secs(10) {
            break deliveries;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(deliveries.len(), 6);
    assert!(deliveries
        .iter()
        .all(|d| d["outcome"] == "delivered" && d["attempts"].as_array().unwrap().len() == 1));

    let (code, rest) = listener.interrupt();
    assert_eq!(code, Some(0));
    assert!(rest.is_empty(), "no callback twice: {rest}");
}
