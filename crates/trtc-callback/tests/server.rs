//! The hyper receiver (feature `server`) on a real socket: verified callbacks are handed over and answered
//! `200 {"code":0}`; each failed check is answered 401 or 400 and reported; an oversized body is refused from
//! its Content-Length without being read.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use trtc_callback::server::{serve, CallbackService, Handler};
use trtc_callback::{
    sign_callback, Callback, CallbackKey, Check, Error, Event, ExitReason, ExitRoomInfo, SignedCallback, Verifier,
};

const APP: u64 = 1400000001;

#[derive(Default)]
struct Seen {
    accepted: Mutex<Vec<Callback>>,
    refused: Mutex<Vec<Check>>,
}

struct Recorder(Arc<Seen>);

impl Handler for Recorder {
    fn accepted(&self, callback: Callback) {
        self.0.accepted.lock().unwrap().push(callback);
    }

    fn refused(&self, error: &Error) {
        self.0.refused.lock().unwrap().push(error.check());
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

fn key() -> CallbackKey {
    CallbackKey::new("serverTestKey42").unwrap()
}

async fn start(max_body_len: usize) -> (std::net::SocketAddr, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let verifier = Verifier::new(key(), APP).with_max_body_len(max_body_len);
    let service = CallbackService::new(verifier, Recorder(Arc::clone(&seen)));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, service, std::future::pending()));
    (addr, seen)
}

/// Sends one request and reads the whole answer (the connection is closed by `Connection: close`).
async fn exchange(addr: std::net::SocketAddr, head: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text[9..12].parse().unwrap();
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned();
    (status, body)
}

fn head(signed: &SignedCallback, length: usize) -> String {
    let mut head = format!("POST /trtc HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {length}\r\n");
    for (name, value) in signed.headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head + "\r\n"
}

fn exit_event() -> Callback {
    let t = now_ms();
    Callback::new(
        Event::ExitRoom(ExitRoomInfo::new("room-1", "alice", t, ExitReason::Removed)),
        t,
    )
}

#[tokio::test]
async fn a_signed_callback_is_answered_code_0_and_handed_over() {
    let (addr, seen) = start(64 * 1024).await;
    let signed = sign_callback(&key(), APP, &exit_event());
    let (status, body) = exchange(addr, &head(&signed, signed.body().len()), signed.body()).await;
    assert_eq!((status, body.as_str()), (200, r#"{"code":0}"#));
    let accepted = seen.accepted.lock().unwrap();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].event().name(), "ExitRoom");
    assert!(seen.refused.lock().unwrap().is_empty());
}

#[tokio::test]
async fn each_failed_check_is_answered_and_reported() {
    let (addr, seen) = start(64 * 1024).await;
    let good = sign_callback(&key(), APP, &exit_event());

    // A body changed after signing.
    let mut changed = good.body().to_vec();
    changed[10] ^= 1;
    let (status, body) = exchange(addr, &head(&good, changed.len()), &changed).await;
    assert_eq!(status, 401);
    assert!(body.contains("does not match the body"), "{body}");

    // Another application's callback.
    let other = sign_callback(&key(), APP + 1, &exit_event());
    let (status, _) = exchange(addr, &head(&other, other.body().len()), other.body()).await;
    assert_eq!(status, 401);

    // Signed, but not JSON.
    let junk = SignedCallback::new(&key(), APP, b"not json".to_vec());
    let (status, _) = exchange(addr, &head(&junk, junk.body().len()), junk.body()).await;
    assert_eq!(status, 400);

    // A replay from an hour ago.
    let old = now_ms() - 3_600_000;
    let replay = sign_callback(
        &key(),
        APP,
        &Callback::new(
            Event::ExitRoom(ExitRoomInfo::new(7, "bob", old, ExitReason::Voluntary)),
            old,
        ),
    );
    let (status, _) = exchange(addr, &head(&replay, replay.body().len()), replay.body()).await;
    assert_eq!(status, 400);

    // No Sign at all.
    let unsigned = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nSdkAppId: {APP}\r\nContent-Length: {}\r\n\r\n",
        good.body().len()
    );
    let (status, _) = exchange(addr, &unsigned, good.body()).await;
    assert_eq!(status, 401);

    assert!(seen.accepted.lock().unwrap().is_empty());
    assert_eq!(
        *seen.refused.lock().unwrap(),
        [
            Check::Signature,
            Check::SdkAppId,
            Check::Json,
            Check::CallbackTs,
            Check::Sign
        ]
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_from_its_length_without_being_sent() {
    let (addr, seen) = start(1024).await;
    let signed = SignedCallback::new(&key(), APP, vec![b' '; 4096]);
    // Only the head is sent: the answer comes without the receiver waiting for the 10 MB announced.
    let (status, body) = exchange(addr, &head(&signed, 10_000_000), b"").await;
    assert_eq!(status, 400);
    assert!(body.contains("over this receiver's limit of 1024 bytes"), "{body}");

    // Chunked, so no length is announced: refused once the limit is passed.
    let mut chunked = head(&signed, 0).replace("Content-Length: 0\r\n", "Transfer-Encoding: chunked\r\n");
    chunked.push_str(&format!("{:x}\r\n{}\r\n0\r\n\r\n", 4096, " ".repeat(4096)));
    let (status, _) = exchange(addr, &chunked, b"").await;
    assert_eq!(status, 400);
    assert_eq!(*seen.refused.lock().unwrap(), [Check::BodySize, Check::BodySize]);
}

#[tokio::test]
async fn only_post_is_served() {
    let (addr, seen) = start(1024).await;
    let (status, _) = exchange(addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b"").await;
    assert_eq!(status, 405);
    assert!(seen.refused.lock().unwrap().is_empty());
}
