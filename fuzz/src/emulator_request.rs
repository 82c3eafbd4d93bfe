//! The emulator's request handling, as the network reaches it: bytes on a TCP connection to an emulator
//! running in this process.
//!
//! Half of the inputs are raw bytes (hyper's parser, then whatever gets through to the emulator); the other
//! half are requests built from structured parts — method, path, headers, a JSON body of chosen fields with
//! values of any type — and, when asked, signed correctly with the emulator's key at the current time, so
//! the action handlers and their parameter parsing are reached, not only the signature check.
//!
//! A panic on any emulator thread aborts the process (libFuzzer's panic hook), which is the crash found.
//! The emulator is reset after each input, so an admin request that injects faults or changes credentials
//! affects that input only.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use arbitrary::{Arbitrary, Unstructured};
use serde_json::{Map, Number, Value};
use trtc_emulator::{Emulator, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};
use trtc_sign::{sign, Credentials, SignableRequest, SignedHeaders, SigningParams, Timestamp};

const APP: u64 = 1400000001;

struct Running {
    emulator: Emulator,
    // Kept alive for the emulator's tasks.
    _runtime: tokio::runtime::Runtime,
    // libFuzzer's `main` is not Rust's, which would have set SIGPIPE to be ignored: without a handler, a
    // write to a connection the other side closed kills the process. Listening for the signal installs one.
    _sigpipe: tokio::signal::unix::Signal,
}

fn emulator() -> &'static Running {
    static RUNNING: OnceLock<Running> = OnceLock::new();
    RUNNING.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let config = EmulatorConfig::demo(APP)
            .room(APP, 1234)
            .users(APP, 7, ["alice", "bob"])
            .users(APP, "class-7", ["alice"]);
        let emulator = runtime.block_on(Emulator::start(config)).expect("start the emulator");
        let sigpipe = runtime
            .block_on(async { tokio::signal::unix::signal(tokio::signal::unix::SignalKind::pipe()) })
            .expect("handle SIGPIPE");
        Running {
            emulator,
            _runtime: runtime,
            _sigpipe: sigpipe,
        }
    })
}

const METHODS: &[&str] = &["POST", "GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];
const ACTIONS: &[&str] = &[
    "DismissRoom",
    "DismissRoomByStrRoomId",
    "RemoveUser",
    "RemoveUserByStrRoomId",
    "SetUserBlocked",
    "SetUserBlockedByStrRoomId",
    "DescribeRoom",
    "",
];
const FIELDS: &[&str] = &[
    "SdkAppId",
    "RoomId",
    "StrRoomId",
    "UserIds",
    "UserId",
    "IsMute",
    "Limit",
    "",
];
const ADMIN_ROUTES: &[&str] = &[
    "rooms",
    "users",
    "apps",
    "credentials",
    "journal",
    "faults",
    "rate-limit",
    "reset",
    "",
];
const REGIONS: &[&str] = &[
    "ap-guangzhou",
    "ap-beijing",
    "ap-singapore",
    "ap-tokyo",
    "eu-moon",
    "AP-X",
    "",
];

/// A JSON value of any type, nested a little.
#[derive(Debug, Arbitrary)]
enum Json {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(u8, Json)>),
}

impl Json {
    fn to_value(&self, depth: u32) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::U64(n) => Value::Number((*n).into()),
            Json::I64(n) => Value::Number((*n).into()),
            Json::F64(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Json::Str(s) => Value::String(s.clone()),
            Json::Array(items) if depth < 4 => Value::Array(items.iter().map(|v| v.to_value(depth + 1)).collect()),
            Json::Object(fields) if depth < 4 => Value::Object(object(fields, depth + 1)),
            Json::Array(_) | Json::Object(_) => Value::Null,
        }
    }
}

fn object(fields: &[(u8, Json)], depth: u32) -> Map<String, Value> {
    fields
        .iter()
        .map(|(name, value)| (FIELDS[*name as usize % FIELDS.len()].to_owned(), value.to_value(depth)))
        .collect()
}

/// A request built from parts.
#[derive(Debug, Arbitrary)]
struct Parts {
    method: u8,
    admin: Option<u8>,
    query: String,
    action: u8,
    raw_action: Option<String>,
    version_ok: bool,
    region: u8,
    timestamp_offset: i32,
    json_body: bool,
    fields: Vec<(u8, Json)>,
    raw_body: Vec<u8>,
    /// Sign correctly with the emulator's key (otherwise an arbitrary Authorization, if any).
    signed: bool,
    authorization: Option<String>,
    with_action_signed: bool,
    token: Option<String>,
    content_type: Option<String>,
    extra_headers: Vec<(String, String)>,
}

impl Parts {
    fn to_bytes(&self, host: &str) -> Vec<u8> {
        let method = METHODS[self.method as usize % METHODS.len()];
        let get = method == "GET";
        let action = self
            .raw_action
            .clone()
            .unwrap_or_else(|| ACTIONS[self.action as usize % ACTIONS.len()].to_owned());
        let version = if self.version_ok { "2019-07-22" } else { "2020-01-01" };
        let region = REGIONS[self.region as usize % REGIONS.len()];
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            .saturating_add_signed(i64::from(self.timestamp_offset));
        let body: Vec<u8> = match (get, self.json_body) {
            (true, _) => Vec::new(),
            (false, true) => Value::Object(object(&self.fields, 0)).to_string().into_bytes(),
            (false, false) => self.raw_body.clone(),
        };
        let content_type = self.content_type.clone().unwrap_or_else(|| {
            match get {
                true => "application/x-www-form-urlencoded",
                false => "application/json",
            }
            .to_owned()
        });
        let path = match self.admin {
            Some(route) => format!("/_emulator/{}", ADMIN_ROUTES[route as usize % ADMIN_ROUTES.len()]),
            None => "/".to_owned(),
        };
        let target = match self.query.is_empty() {
            true => path,
            false => format!("{path}?{}", self.query),
        };

        let mut headers: Vec<(String, String)> = vec![
            ("Host".into(), host.into()),
            ("Content-Type".into(), content_type.clone()),
            ("X-TC-Action".into(), action.clone()),
            ("X-TC-Version".into(), version.into()),
            ("X-TC-Timestamp".into(), timestamp.to_string()),
            ("Connection".into(), "close".into()),
        ];
        if !region.is_empty() {
            headers.push(("X-TC-Region".into(), region.into()));
        }
        if let Some(token) = &self.token {
            headers.push(("X-TC-Token".into(), token.clone()));
        }
        let signature = self.signed.then(|| {
            let credentials = Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).ok()?;
            let signed_headers = match self.with_action_signed {
                true => SignedHeaders::ContentTypeHostAction,
                false => SignedHeaders::ContentTypeHost,
            };
            let params = SigningParams::new("trtc", host, &action, version, Timestamp::from_secs(timestamp).ok()?)
                .with_signed_headers(signed_headers);
            let request = match get {
                true => SignableRequest::get(&self.query).with_content_type(&content_type),
                false => SignableRequest::post(&content_type, &body),
            };
            sign(&credentials, &params, &request)
                .ok()
                .map(|out| out.authorization().to_owned())
        });
        match (signature.flatten(), &self.authorization) {
            (Some(authorization), _) => headers.push(("Authorization".into(), authorization)),
            (None, Some(authorization)) => headers.push(("Authorization".into(), authorization.clone())),
            (None, None) => {}
        }
        headers.extend(self.extra_headers.iter().cloned());

        let mut out = format!("{method} {target} HTTP/1.1\r\n").into_bytes();
        for (name, value) in &headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        out.extend_from_slice(&body);
        out
    }
}

pub fn run(data: &[u8]) {
    let running = emulator();
    let addr = running.emulator.addr();
    let bytes = match data.split_first() {
        Some((mode, rest)) if mode % 2 == 0 => rest.to_vec(),
        Some((_, rest)) => match Parts::arbitrary_take_rest(Unstructured::new(rest)) {
            Ok(parts) => parts.to_bytes(&addr.to_string()),
            Err(_) => return,
        },
        None => return,
    };
    exchange(addr, &bytes);
    running.emulator.reset();
}

/// Sends `bytes` and reads the answer: until the emulator closes the connection, a whole answer (head and
/// `Content-Length` body) has arrived, or it stays silent for a while (it waits for the rest of a request
/// that will never come, or for latency the input injected through the admin API).
///
/// The sending side is not shut down: hyper does not answer a client that half-closes (its default).
fn exchange(addr: SocketAddr, bytes: &[u8]) {
    let mut stream = TcpStream::connect(addr).expect("the emulator accepts connections");
    stream.set_read_timeout(Some(Duration::from_millis(50))).ok();
    stream.set_write_timeout(Some(Duration::from_secs(5))).ok();
    // The emulator may answer and close before reading everything (a malformed head): a failed write is an
    // answer too.
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
    if !answer.is_empty() {
        assert!(answer.starts_with(b"HTTP/1."), "an answer that is not HTTP/1.x");
    }
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
