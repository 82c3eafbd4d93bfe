//! Answers that arrive as an event stream, over a real loopback connection: events in order as they arrive,
//! an error event, a connection cut mid-stream, a stream that stops before its last event, and the JSON error
//! a service answers before streaming.

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use trtc_model::{ErrorCode, Region};
use trtc_transport::{Client, Credentials, DismissRoomRequest, Error, EventStream, RetryPolicy};

type Events = EventStream<serde_json::Value>;

/// What the server writes after reading the request: pieces, each written after `pause`.
struct Script {
    head: &'static str,
    pieces: Vec<String>,
    pause: Duration,
    // Ends the connection without the closing chunk.
    cut: bool,
}

/// A chunk of an HTTP/1.1 chunked body.
fn chunk(data: &str) -> String {
    format!("{:x}\r\n{data}\r\n", data.len())
}

const SSE_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-TC-RequestId: 456e7890-e12b-34d5-a678-426614174000\r\nTransfer-Encoding: chunked\r\n\r\n";

async fn serve(script: Script) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_request(&mut socket).await;
        socket.write_all(script.head.as_bytes()).await.unwrap();
        for piece in &script.pieces {
            tokio::time::sleep(script.pause).await;
            if socket.write_all(piece.as_bytes()).await.is_err() {
                return;
            }
        }
        if !script.cut {
            let _ = socket.write_all(b"0\r\n\r\n").await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    format!("http://{addr}")
}

/// Reads the head and the body (by its Content-Length) of one request.
async fn read_request(socket: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.unwrap();
        seen.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&seen).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if seen.len() >= end + 4 + length {
                return;
            }
        }
        if n == 0 {
            return;
        }
    }
}

fn client(endpoint: &str) -> Client {
    Client::builder()
        .credential(Credentials::new("AKIDstreamTest00000000000000000000", "streamTestSecretKey0000000000000").unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(endpoint)
        .retry(RetryPolicy::disabled())
        .no_rate_limit()
        .build()
        .unwrap()
}

async fn open(endpoint: &str) -> Result<Events, Error> {
    client(endpoint)
        .call_stream(&DismissRoomRequest::new(1400000001, 1234))
        .await
}

async fn next(events: &mut Events) -> Option<Result<serde_json::Value, Error>> {
    tokio::time::timeout(
        Duration::from_secs(10),
        poll_fn(|cx| Pin::new(&mut *events).poll_next(cx)),
    )
    .await
    .expect("the stream moves on")
}

fn event(seq: u32, is_end: bool) -> String {
    format!(
        "data: {{\"Type\": \"chunk\", \"RequestId\": \"456e7890-e12b-34d5-a678-426614174000\", \"ChunkId\": \"chunk_{seq}\", \"Audio\": \"base64_audio...\", \"Seq\": {seq}, \"IsEnd\": {is_end}}}\n\n"
    )
}

#[tokio::test]
async fn events_arrive_one_by_one_in_order_and_the_last_ends_the_stream() {
    let endpoint = serve(Script {
        head: SSE_HEAD,
        // The second event is split across two chunks; the third has no blank line after it, as in the
        // documentation's example.
        pieces: vec![
            chunk(&event(0, false)),
            chunk(&event(1, false)[..30]),
            chunk(&event(1, false)[30..]),
            chunk(event(2, true).trim_end()),
        ],
        pause: Duration::from_millis(50),
        cut: false,
    })
    .await;
    let mut events = open(&endpoint).await.unwrap();
    assert_eq!(events.request_id(), "456e7890-e12b-34d5-a678-426614174000");
    for seq in 0..3 {
        let event = next(&mut events).await.unwrap().unwrap();
        assert_eq!(event["Seq"], seq);
        assert_eq!(event["IsEnd"], seq == 2);
    }
    assert!(next(&mut events).await.is_none());
    assert!(next(&mut events).await.is_none(), "an ended stream stays ended");
}

#[tokio::test]
async fn an_error_event_ends_the_stream_with_its_code() {
    let error = "data: {\"Type\": \"error\", \"RequestId\": \"456e7890-e12b-34d5-a678-426614174000\", \"Error\": {\"Code\": \"InternalError\", \"Message\": \"internal error message\"}}\n\n";
    let endpoint = serve(Script {
        head: SSE_HEAD,
        pieces: vec![chunk(&event(0, false)), chunk(error), chunk(&event(1, false))],
        pause: Duration::from_millis(20),
        cut: false,
    })
    .await;
    let mut events = open(&endpoint).await.unwrap();
    assert_eq!(next(&mut events).await.unwrap().unwrap()["Seq"], 0);
    let Some(Err(Error::Api(api))) = next(&mut events).await else {
        panic!("the error event is an API error");
    };
    assert_eq!(api.code, ErrorCode::InternalError);
    assert_eq!(api.message, "internal error message");
    assert_eq!(api.request_id, "456e7890-e12b-34d5-a678-426614174000");
    assert!(next(&mut events).await.is_none(), "nothing after the error is read");
}

#[tokio::test]
async fn a_connection_cut_mid_stream_is_an_error_not_an_end() {
    let endpoint = serve(Script {
        head: SSE_HEAD,
        pieces: vec![chunk(&event(0, false)), chunk(&event(1, false)[..20])],
        pause: Duration::from_millis(20),
        cut: true,
    })
    .await;
    let mut events = open(&endpoint).await.unwrap();
    assert_eq!(next(&mut events).await.unwrap().unwrap()["Seq"], 0);
    match next(&mut events).await {
        Some(Err(Error::Transport(e))) => assert!(e.maybe_sent(), "{e}"),
        other => panic!("a cut connection ends with a network error, got {other:?}"),
    }
    assert!(next(&mut events).await.is_none());
}

#[tokio::test]
async fn a_stream_that_stops_before_its_last_event_is_an_error() {
    let endpoint = serve(Script {
        head: SSE_HEAD,
        pieces: vec![chunk(&event(0, false)), chunk(&event(1, false))],
        pause: Duration::from_millis(10),
        cut: false,
    })
    .await;
    let mut events = open(&endpoint).await.unwrap();
    assert!(next(&mut events).await.unwrap().is_ok());
    assert!(next(&mut events).await.unwrap().is_ok());
    match next(&mut events).await {
        Some(Err(Error::UnexpectedResponse { detail, .. })) => assert!(detail.contains("IsEnd"), "{detail}"),
        other => panic!("an early end is an error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_json_error_before_the_stream_is_the_calls_error() {
    let body = r#"{"Response":{"RequestId":"78033210-b9c2-4c2a-b378-6a0c63646d81","Error":{"Code":"InvalidParameter.VoiceId","Message":"Voice ID 'fake' not found."}}}"#;
    let head = Box::leak(
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_boxed_str(),
    );
    let endpoint = serve(Script {
        head,
        pieces: Vec::new(),
        pause: Duration::ZERO,
        cut: true,
    })
    .await;
    let Err(Error::Api(api)) = open(&endpoint).await else {
        panic!("the envelope's error is the call's error");
    };
    assert_eq!(api.code.as_str(), "InvalidParameter.VoiceId");
    assert_eq!(api.request_id, "78033210-b9c2-4c2a-b378-6a0c63646d81");
}
