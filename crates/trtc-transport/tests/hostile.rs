//! Hostile and broken input through the client, each row ending in one clear error and nothing sent that
//! should not be: bad secrets, CR/LF in every value that becomes a header, plain HTTP off loopback, and
//! servers that answer too much, too little or nothing at all.
//!
//! Transport-level versions of the server rows (the cap, silence, truncation; expired and wrong-name TLS
//! certificates) are in `hyper_transport.rs` and `tls.rs`; here the same failures go through a whole `Client`
//! call, retries included, with a self-signed certificate added. docs/reliability.md maps every row of the table to its test.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use trtc_model::Region;
use trtc_transport::{
    BoxFuture, Client, ClientBuilder, Credentials, DismissRoomRequest, Error, HyperTransport, RetryPolicy, Transport,
    TransportError, TransportErrorKind,
};

const ID: &str = "AKIDhostileTest000000000000000000000";
const KEY: &str = "hostileTestSecretKey000000000000";

/// Counts requests and answers none: anything reaching it was sent.
#[derive(Clone, Default)]
struct Counting(Arc<AtomicUsize>);

impl Transport for Counting {
    fn send(&self, _request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            Ok(http::Response::new(Bytes::from_static(
                br#"{"Response":{"RequestId":"counted"}}"#,
            )))
        })
    }
}

fn builder(transport: &Counting) -> ClientBuilder {
    Client::builder()
        .credential(Credentials::new(ID, KEY).unwrap())
        .region(Region::ApGuangzhou)
        .transport(transport.clone())
}

fn dismiss() -> DismissRoomRequest {
    DismissRoomRequest::new(1400000001, 1234)
}

#[test]
fn empty_padded_and_non_ascii_secrets_are_refused_naming_the_field_not_the_value() {
    let padded = [
        " Secret0Value1",
        "Secret0Value1 ",
        "Secret0Value1\n",
        "\tSecret0Value1",
        "Secret0Value1\r\n",
    ];
    let mut cases: Vec<(&str, &str, Option<&str>, &str, &str)> = vec![
        ("", KEY, None, "SecretId is empty", ""),
        (ID, "", None, "SecretKey is empty", ""),
        (ID, KEY, Some(""), "Token is empty", ""),
        ("AKIDé0Value1", KEY, None, "SecretId contains non-ASCII", "AKIDé0Value1"),
        (
            ID,
            "Sécret0Value1",
            None,
            "SecretKey contains non-ASCII",
            "Sécret0Value1",
        ),
        (
            ID,
            "Secret０Value1",
            None,
            "SecretKey contains non-ASCII",
            "Secret０Value1",
        ),
        (
            ID,
            KEY,
            Some("Tökén0Value1"),
            "Token contains non-ASCII",
            "Tökén0Value1",
        ),
        (
            ID,
            "Secret\u{0}Value1",
            None,
            "SecretKey contains a control character",
            "Value1",
        ),
        (
            ID,
            "Secret\u{7f}Value1",
            None,
            "SecretKey contains a control character",
            "Value1",
        ),
    ];
    for value in padded {
        cases.push((
            ID,
            value,
            None,
            "SecretKey has leading or trailing whitespace",
            "Secret0Value1",
        ));
        cases.push((
            ID,
            KEY,
            Some(value),
            "Token has leading or trailing whitespace",
            "Secret0Value1",
        ));
    }
    cases.push((
        " AKIDpadded",
        KEY,
        None,
        "SecretId has leading or trailing whitespace",
        "AKIDpadded",
    ));
    for (id, key, token, want, secret) in cases {
        let result = Credentials::new(id, key).and_then(|c| match token {
            Some(token) => c.with_token(token),
            None => Ok(c),
        });
        let err = result.expect_err(want);
        let shown = format!("{err} {err:?}");
        assert!(err.to_string().starts_with(want), "{id:?}/{key:?}/{token:?}: {err}");
        assert!(
            secret.is_empty() || !shown.contains(secret),
            "the value is repeated: {shown}"
        );
    }
}

#[tokio::test]
async fn cr_or_lf_in_any_header_bound_value_is_refused_before_sending() {
    const EVIL: &str = "\r\nX-Evil: 1";
    let transport = Counting::default();

    // Builder settings: refused by build(), naming the setting.
    for (result, setting) in [
        (builder(&transport).language(format!("en-US{EVIL}")).build(), "language"),
        (
            builder(&transport).request_client(format!("my-app/1.0{EVIL}")).build(),
            "request_client",
        ),
        (
            builder(&transport)
                .endpoint(format!("https://trtc.tencentcloudapi.com{EVIL}"))
                .build(),
            "endpoint",
        ),
        (
            builder(&transport).header("X-Trace", format!("abc{EVIL}")).build(),
            "header",
        ),
    ] {
        match result {
            Err(Error::Config { setting: got, problem }) => {
                assert_eq!(got, setting, "{problem}");
                assert!(!problem.contains('\r') && !problem.contains('\n'), "{problem:?}");
            }
            other => panic!("{setting} with CR/LF: {other:?}"),
        }
    }

    // The token: refused when the credentials are made.
    let err = Credentials::new(ID, KEY)
        .unwrap()
        .with_token(format!("token{EVIL}"))
        .unwrap_err();
    assert!(
        err.to_string().starts_with("Token contains a control character"),
        "{err}"
    );

    // The region: refused when parsed, and refused when signing if built by hand and the check skipped.
    let err = format!("ap-guangzhou{EVIL}").parse::<Region>().unwrap_err();
    assert!(err.to_string().contains("not a region name"), "{err}");
    let client = builder(&transport)
        .region(Region::Other(format!("ap-guangzhou{EVIL}")))
        .skip_region_check()
        .build()
        .unwrap();
    match client.dismiss_room(dismiss()).await {
        Err(Error::Sign(e)) => assert!(e.to_string().starts_with("Region contains a control character"), "{e}"),
        other => panic!("region with CR/LF: {other:?}"),
    }

    // Action, version and service of an untyped call: refused when signing or before.
    let client = builder(&transport).build().unwrap();
    let params = || serde_json::json!({"SdkAppId": 1400000001, "RoomId": 1234});
    for (service, action, version, want) in [
        (
            "trtc",
            "DismissRoom\r\nX-Evil: 1",
            "2019-07-22",
            "Action contains a control character",
        ),
        (
            "trtc",
            "DismissRoom",
            "2019-07-22\nX-Evil: 1",
            "Version contains a control character",
        ),
        ("trtc\r\n", "DismissRoom", "2019-07-22", "is not a product name"),
    ] {
        let err = client.call_json(service, action, version, params()).await.unwrap_err();
        assert!(err.to_string().contains(want), "{action:?}/{version:?}: {err}");
        assert!(
            matches!(err, Error::Sign(_) | Error::InvalidRequest(_)),
            "refused, not failed on the wire: {err:?}"
        );
    }
    assert_eq!(transport.0.load(Ordering::SeqCst), 0, "nothing was sent");
}

#[test]
fn plain_http_to_a_host_that_is_not_loopback_is_refused() {
    let transport = Counting::default();
    for endpoint in [
        "http://trtc.tencentcloudapi.com",
        "http://trtc.ap-guangzhou.tencentcloudapi.com:80",
        "http://10.0.0.1:9000",
        "http://192.168.1.20",
        "http://0.0.0.0:9000",
        "http://[2001:db8::1]:9000",
        "http://localhost.example.com",
    ] {
        for result in [
            builder(&transport).endpoint(endpoint).build(),
            builder(&transport)
                .backup_endpoint(endpoint, Default::default())
                .build(),
        ] {
            match result {
                Err(Error::Config { setting, problem }) => {
                    assert_eq!(setting, "endpoint");
                    assert!(
                        problem.contains("non-loopback") && problem.contains("https://"),
                        "{problem}"
                    );
                }
                other => panic!("{endpoint} accepted: {other:?}"),
            }
        }
    }
    for loopback in ["http://127.0.0.1:9000", "http://[::1]:9000", "http://localhost:9000"] {
        builder(&transport).endpoint(loopback).build().unwrap();
    }
}

/// A loopback server that reads each request (head and `Content-Length` body) and lets `answer` write
/// whatever it likes on the socket. Returns its endpoint and the number of requests it read.
async fn raw_server<F, Fut>(answer: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let answer = Arc::clone(&answer);
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if tcp.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0u8; length];
                let _ = tcp.read_exact(&mut body).await;
                counter.fetch_add(1, Ordering::SeqCst);
                answer(tcp).await;
            });
        }
    });
    (endpoint, requests)
}

fn client_for(endpoint: &str, transport: HyperTransport) -> Client {
    Client::builder()
        .credential(Credentials::new(ID, KEY).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(endpoint)
        .transport(transport)
        .attempt_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(2))
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_answer_over_the_size_cap_ends_the_call_with_body_too_large_and_is_not_retried() {
    let written = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&written);
    let (endpoint, requests) = raw_server(move |mut tcp| {
        let counter = Arc::clone(&counter);
        async move {
            let _ = tcp
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .await;
            let chunk = format!("4000\r\n{}\r\n", " ".repeat(0x4000));
            // Endless: only the client's cap ends it.
            while tcp.write_all(chunk.as_bytes()).await.is_ok() {
                counter.fetch_add(0x4000, Ordering::SeqCst);
            }
        }
    })
    .await;
    let cap = 64 * 1024;
    let transport = HyperTransport::builder().max_response_bytes(cap).build().unwrap();
    let client = client_for(&endpoint, transport);
    let err = client.dismiss_room(dismiss()).await.unwrap_err();
    match &err {
        Error::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::BodyTooLarge, "{e}"),
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    assert!(err.to_string().contains(&cap.to_string()), "{err}");
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "an answer too large is not asked for again"
    );
    drop(client);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let written = written.load(Ordering::SeqCst);
    assert!(
        written < 16 * 1024 * 1024,
        "{written} bytes were read or buffered before the client hung up: memory is bounded by the cap"
    );
}

#[tokio::test]
async fn headers_then_silence_ends_the_call_with_the_clients_timeout() {
    let (endpoint, requests) = raw_server(|mut tcp| async move {
        let _ = tcp
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
            .await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    })
    .await;
    let client = client_for(&endpoint, HyperTransport::new().unwrap());
    let started = Instant::now();
    let err = client.dismiss_room(dismiss()).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("may still have acted"), "{err}");
    assert!(took < Duration::from_secs(3), "the call's 2 s deadline held: {took:?}");
    // DismissRoom is safe to repeat, so timed-out attempts were retried within the deadline.
    assert!(
        requests.load(Ordering::SeqCst) >= 2,
        "{} attempts",
        requests.load(Ordering::SeqCst)
    );
}

#[tokio::test]
async fn a_truncated_chunked_body_ends_the_call_with_a_network_error_after_the_retries() {
    let (endpoint, requests) = raw_server(|mut tcp| async move {
        let _ = tcp
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"Response\":{\"Re\r\n")
            .await;
        // Closed before the rest of the envelope and the last chunk.
    })
    .await;
    let client = client_for(&endpoint, HyperTransport::new().unwrap());
    let err = client.dismiss_room(dismiss()).await.unwrap_err();
    match &err {
        Error::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Io, "{e}");
            assert!(e.maybe_sent());
        }
        other => panic!("expected a network error, got {other:?}"),
    }
    assert_eq!(requests.load(Ordering::SeqCst), 3, "retried up to the attempt limit");
}

#[tokio::test]
async fn a_self_signed_certificate_ends_the_call_with_a_tls_error_and_nothing_sent() {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let server = support::tls_server(
        support::ServerCert {
            chain: vec![cert.der().clone()],
            key: rustls::pki_types::PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        },
        &[b"http/1.1"],
    )
    .await;
    let client = Client::builder()
        .credential(Credentials::new(ID, KEY).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(format!("https://{}", server.addr))
        .build()
        .unwrap();
    let err = client.dismiss_room(dismiss()).await.unwrap_err();
    match &err {
        Error::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Tls, "{e}");
            assert!(!e.maybe_sent(), "the handshake failed, so the request was never sent");
        }
        other => panic!("expected a TLS error, got {other:?}"),
    }
    assert!(err.to_string().contains("not trusted"), "{err}");
    assert!(
        err.to_string().contains("add_root_certificates_pem"),
        "says how to fix it: {err}"
    );
    assert_eq!(server.connections(), 1, "a refused certificate is not tried again");
}
