//! Answers that arrive as an event stream, over a real loopback connection: events in order as they arrive,
//! an error event, a connection cut mid-stream, a stream that stops before its last event, and the JSON error
//! a service answers before streaming.

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use trtc_model::api::tts::{TextToSpeechSSEEvent, TextToSpeechSSERequest, Voice};
use trtc_model::{ErrorCode, Region};
use trtc_transport::{Client, Credentials, Error, EventStream, RetryPolicy};

type Events = EventStream<TextToSpeechSSEEvent>;

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

fn request() -> TextToSpeechSSERequest {
    TextToSpeechSSERequest::new("hello", Voice::new("v-female-R2s4N9qJ"), 1400000001)
}

async fn open(endpoint: &str) -> Result<Events, Error> {
    client(endpoint).call_stream(&request()).await
}

async fn next(events: &mut Events) -> Option<Result<TextToSpeechSSEEvent, Error>> {
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
        assert_eq!(event.seq, Some(seq));
        assert_eq!(event.is_end, Some(seq == 2));
        assert_eq!(event.chunk_id.as_deref(), Some(format!("chunk_{seq}").as_str()));
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
    assert_eq!(next(&mut events).await.unwrap().unwrap().seq, Some(0));
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
    assert_eq!(next(&mut events).await.unwrap().unwrap().seq, Some(0));
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

#[tokio::test]
async fn the_streaming_action_goes_to_its_own_host_unless_an_endpoint_is_given() {
    // With an endpoint given (the test servers above), that endpoint is used; without one, the action's host.
    use trtc_model::Action;
    assert_eq!(TextToSpeechSSERequest::HOST, Some("trtc.ai.tencentcloudapi.com"));
    #[derive(Default)]
    struct Seen(std::sync::Mutex<Vec<String>>);
    struct Recording(std::sync::Arc<Seen>);
    impl trtc_transport::Transport for Recording {
        fn send(
            &self,
            request: http::Request<bytes::Bytes>,
        ) -> trtc_transport::BoxFuture<'_, Result<http::Response<bytes::Bytes>, trtc_transport::TransportError>>
        {
            self.0 .0.lock().unwrap().push(request.uri().to_string());
            Box::pin(async {
                Ok(http::Response::new(bytes::Bytes::from_static(
                    br#"{"Response":{"RequestId":"r","Error":{"Code":"InvalidParameter.VoiceId","Message":"m"}}}"#,
                )))
            })
        }
    }
    let seen = std::sync::Arc::new(Seen::default());
    let client = Client::builder()
        .credential(Credentials::new("AKIDstreamTest00000000000000000000", "streamTestSecretKey0000000000000").unwrap())
        .region(Region::ApGuangzhou)
        .transport(Recording(std::sync::Arc::clone(&seen)))
        .retry(RetryPolicy::disabled())
        .no_rate_limit()
        .build()
        .unwrap();
    let Err(Error::Api(api)) = client.call_stream(&request()).await else {
        panic!("the canned envelope is an API error");
    };
    assert_eq!(api.code.as_str(), "InvalidParameter.VoiceId");
    assert_eq!(*seen.0.lock().unwrap(), ["https://trtc.ai.tencentcloudapi.com/"]);
}
