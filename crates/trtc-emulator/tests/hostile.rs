//! The emulator faces the network: generated requests of every shape reach it on real connections. Raw
//! bytes are answered or closed, never a panic; a correctly signed request with any action, any JSON body
//! and any query is always answered with a well-formed API envelope.
//!
//! These are the proptest versions of the `emulator_request` fuzz target (`fuzz/`), run with the tests.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;
use std::time::Duration;

use common::{Call, APP, ID, KEY};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use trtc_emulator::{Emulator, EmulatorConfig};

/// The worker threads of the emulators under test: a panic on one of them is counted.
const WORKER: &str = "emulator-under-test";
static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some(WORKER) {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

/// An emulator on a runtime of its own, so proptest's synchronous cases can talk to it over TCP.
struct Running {
    emulator: Emulator,
    // Kept alive for the emulator's tasks.
    _runtime: tokio::runtime::Runtime,
}

fn start() -> Running {
    count_panics();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(WORKER)
        .enable_all()
        .build()
        .unwrap();
    let config = EmulatorConfig::new()
        .credential(ID, KEY, [APP])
        .room(APP, 1234)
        .users(APP, 7, ["alice", "bob"])
        .users(APP, "class-7", ["alice"]);
    let emulator = runtime.block_on(Emulator::start(config)).unwrap();
    Running {
        emulator,
        _runtime: runtime,
    }
}

/// Sends `bytes` and reads the answer: until the emulator closes the connection, a whole answer (head and
/// `Content-Length` body) has arrived, or it stays silent for `idle` (it waits for the rest of a request
/// that will never come).
///
/// The sending side is not shut down: hyper does not answer a client that half-closes (its default), so a
/// half-close would turn every answer into a race with the close.
fn exchange(addr: SocketAddr, bytes: &[u8], idle: Duration) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(idle)).unwrap();
    // An early answer to a malformed head can close the connection before everything is written.
    let _ = stream.write_all(bytes);
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n @ 1..) = stream.read(&mut buf) {
        answer.extend_from_slice(&buf[..n]);
        if is_complete(&answer) {
            break;
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
    answer
}

fn is_complete(answer: &[u8]) -> bool {
    let text = String::from_utf8_lossy(answer);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .is_some_and(|length| body.len() >= length)
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("SdkAppId".to_owned()),
        Just("RoomId".to_owned()),
        Just("StrRoomId".to_owned()),
        Just("UserIds".to_owned()),
        Just("UserId".to_owned()),
        Just("IsMute".to_owned()),
        "[A-Za-z]{0,10}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(|n| json!(n)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        Just(json!(1234)),
        Just(json!(7)),
        Just(json!(4294967295u64)),
        Just(json!(4294967296u64)),
        Just(json!("class-7")),
        Just(json!("alice")),
        ".{0,70}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 11, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..12).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A JSON body of chosen fields with values of any type; usually for the application the key owns, so the
/// action's own checks are reached.
fn body() -> impl Strategy<Value = Value> {
    (
        prop::collection::btree_map(field_name(), json_value(), 0..6),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(fields, own_app)| {
            let mut object: Map<String, Value> = fields.into_iter().collect();
            if own_app {
                object.insert("SdkAppId".to_owned(), json!(APP));
            }
            Value::Object(object)
        })
}

fn action() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("DismissRoom".to_owned()),
        Just("DismissRoomByStrRoomId".to_owned()),
        Just("RemoveUser".to_owned()),
        Just("RemoveUserByStrRoomId".to_owned()),
        Just("SetUserBlocked".to_owned()),
        Just("SetUserBlockedByStrRoomId".to_owned()),
        "[A-Za-z]{1,20}",
    ]
}

/// Bytes that are mostly an HTTP request: a plausible head with any header lines, then any body.
fn near_http() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![
            Just("POST".to_owned()),
            Just("GET".to_owned()),
            Just("PUT".to_owned()),
            Just("DELETE".to_owned()),
            "[A-Z]{1,8}",
        ],
        prop_oneof![
            Just("/".to_owned()),
            Just("/_emulator/rooms".to_owned()),
            "/[ -~]{0,30}"
        ],
        prop::collection::vec(("[A-Za-z-]{1,20}", "[ -~]{0,60}"), 0..8),
        prop::collection::vec(any::<u8>(), 0..256),
    )
        .prop_map(|(method, path, headers, body)| {
            let mut out = format!("{method} {path} HTTP/1.1\r\n").into_bytes();
            for (name, value) in headers {
                out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&body);
            out
        })
}

/// The answer to an API request: HTTP 200, `application/json`, an envelope with a RequestId, and a code
/// when it is an error.
fn assert_envelope(answer: &[u8]) -> Result<(), TestCaseError> {
    let text = String::from_utf8_lossy(answer);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| TestCaseError::fail(format!("no complete answer: {text:?}")))?;
    prop_assert!(head.starts_with("HTTP/1.1 200 "), "{}", head);
    prop_assert!(
        head.to_ascii_lowercase().contains("content-type: application/json\r\n"),
        "{}",
        head
    );
    let json: Value = serde_json::from_str(body).map_err(|e| TestCaseError::fail(format!("{e}: {body}")))?;
    let response = &json["Response"];
    prop_assert_eq!(response["RequestId"].as_str().map(str::len), Some(36), "{}", body);
    if let Some(error) = response.get("Error") {
        let code = error["Code"].as_str().unwrap_or("");
        prop_assert!(!code.is_empty(), "{}", body);
        prop_assert!(error["Message"].as_str().is_some_and(|m| !m.is_empty()), "{}", body);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn raw_bytes_are_answered_or_closed_never_a_panic(
        bytes in prop_oneof![prop::collection::vec(any::<u8>(), 0..512), near_http()],
    ) {
        let running = runtime_for_raw();
        let answer = exchange(running.emulator.addr(), &bytes, Duration::from_millis(100));
        prop_assert!(answer.is_empty() || answer.starts_with(b"HTTP/1."), "{:?}", String::from_utf8_lossy(&answer));
        running.emulator.reset();
        prop_assert_eq!(PANICS.load(Ordering::SeqCst), 0, "a panic on an emulator thread");
    }

    #[test]
    fn a_signed_request_with_any_action_body_or_query_gets_an_envelope(
        action in action(),
        body in body(),
        get in prop::bool::weighted(0.2),
        query in "[A-Za-z0-9.=&%_-]{0,80}",
    ) {
        let running = runtime_for_signed();
        let addr = running.emulator.addr();
        let call = match get {
            true => Call::get(&action, &query),
            false => Call::post(&action, body),
        };
        let answer = exchange(addr, &call.to_bytes(addr), Duration::from_secs(5));
        assert_envelope(&answer)?;
        running.emulator.reset();
        prop_assert_eq!(PANICS.load(Ordering::SeqCst), 0, "a panic on an emulator thread");
    }
}

fn runtime_for_raw() -> &'static Running {
    static RUNNING: std::sync::OnceLock<Running> = std::sync::OnceLock::new();
    RUNNING.get_or_init(start)
}

fn runtime_for_signed() -> &'static Running {
    static RUNNING: std::sync::OnceLock<Running> = std::sync::OnceLock::new();
    RUNNING.get_or_init(start)
}

#[test]
fn still_serving_after_hostile_bytes() {
    let running = start();
    let addr = running.emulator.addr();
    for bytes in [
        &b"\x00\xff\r\n\r\n"[..],
        b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"GET /_emulator/../../etc/passwd HTTP/1.1\r\n\r\n",
        b"POST /_emulator/faults HTTP/1.1\r\nContent-Length: 5\r\n\r\n{\"rul",
    ] {
        let answer = exchange(addr, bytes, Duration::from_millis(100));
        assert!(answer.is_empty() || answer.starts_with(b"HTTP/1."));
    }
    let call = Call::post("DismissRoom", json!({"SdkAppId": APP, "RoomId": 1234}));
    let answer = exchange(addr, &call.to_bytes(addr), Duration::from_secs(5));
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 200 "), "{text}");
    assert!(!text.contains("\"Error\""), "dismissed: {text}");
    assert!(!running.emulator.room_exists(APP, 1234));
    assert_eq!(PANICS.load(Ordering::SeqCst), 0);
}
