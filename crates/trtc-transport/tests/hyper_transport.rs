//! The default transport against misbehaving loopback servers written byte by byte: bodies over the cap,
//! silence after the headers, truncated bodies, refused and stalled connections; and the pool settings.

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use support::{get, http_server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use trtc_transport::{HyperTransport, Transport, TransportErrorKind, DEFAULT_MAX_RESPONSE_BYTES};

/// A server that reads one request head and then runs `answer` on the socket; returns its URL.
async fn raw_server<F, Fut>(answer: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        loop {
            let Ok((mut tcp, _)) = listener.accept().await else {
                return;
            };
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if tcp.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                // The 2-byte body `{}` of `support::get`.
                let mut body = [0u8; 2];
                let _ = tcp.read_exact(&mut body).await;
                answer(tcp).await;
            });
        }
    });
    url
}

#[tokio::test]
async fn an_endless_body_stops_at_the_cap_with_bounded_reading() {
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
    let done_tx = Arc::new(std::sync::Mutex::new(Some(done_tx)));
    let url = raw_server(move |mut tcp| {
        let counter = counter.clone();
        let done_tx = done_tx.clone();
        async move {
            let _ = tcp
                .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                .await;
            let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
            // Writes until the client hangs up: without a cap this would never end.
            while tcp.write_all(chunk.as_bytes()).await.is_ok() {
                counter.fetch_add(0x10000, Ordering::SeqCst);
            }
            if let Some(tx) = done_tx.lock().unwrap().take() {
                let _ = tx.send(());
            }
        }
    })
    .await;
    let transport = HyperTransport::new().unwrap();
    let err = tokio::time::timeout(Duration::from_secs(20), transport.send(get(&url)))
        .await
        .expect("the cap ends the read")
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");
    assert!(
        err.to_string().contains(&DEFAULT_MAX_RESPONSE_BYTES.to_string()),
        "{err}"
    );
    drop(transport);
    tokio::time::timeout(Duration::from_secs(20), done_rx)
        .await
        .expect("the connection is closed after the refusal")
        .unwrap();
    // What the server got out is the cap plus what loopback socket buffers hold, not an unbounded stream.
    let written = written.load(Ordering::SeqCst);
    assert!(
        written < 32 * 1024 * 1024,
        "{written} bytes written before the client hung up"
    );
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let url = raw_server(|mut tcp| async move {
        let _ = tcp
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n")
            .await;
        // Nothing follows: a client that tried to read the 10 GiB would wait here.
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let transport = HyperTransport::builder().max_response_bytes(1000).build().unwrap();
    let err = tokio::time::timeout(Duration::from_secs(5), transport.send(get(&url)))
        .await
        .expect("refused at once")
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
    assert!(err.to_string().contains("larger than 1000 bytes"), "{err}");
}

#[tokio::test]
async fn a_body_at_the_cap_is_accepted() {
    let url = raw_server(|mut tcp| async move {
        let _ = tcp
            .write_all(format!("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{}", "y".repeat(1000)).as_bytes())
            .await;
    })
    .await;
    let transport = HyperTransport::builder().max_response_bytes(1000).build().unwrap();
    assert_eq!(transport.send(get(&url)).await.unwrap().body().len(), 1000);
}

#[tokio::test]
async fn silence_after_the_headers_is_ended_by_the_callers_timeout() {
    let url = raw_server(|mut tcp| async move {
        let _ = tcp.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n").await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    })
    .await;
    let transport = HyperTransport::new().unwrap();
    let outcome = tokio::time::timeout(Duration::from_millis(500), transport.send(get(&url))).await;
    assert!(
        outcome.is_err(),
        "no success and no answer: the caller's timeout fires ({outcome:?})"
    );
}

#[tokio::test]
async fn a_truncated_chunked_body_is_an_io_error() {
    let url = raw_server(|mut tcp| async move {
        let _ = tcp
            .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            .await;
        // Closed before the last chunk.
    })
    .await;
    let err = HyperTransport::new().unwrap().send(get(&url)).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    assert!(err.maybe_sent());
}

#[tokio::test]
async fn a_body_shorter_than_its_length_is_an_io_error() {
    let url = raw_server(|mut tcp| async move {
        let _ = tcp
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
            .await;
    })
    .await;
    let err = HyperTransport::new().unwrap().send(get(&url)).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_never_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = HyperTransport::new()
        .unwrap()
        .send(get(&format!("http://{addr}/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert!(!err.maybe_sent());
    assert!(
        err.to_string().starts_with(&format!("cannot connect to {addr}")),
        "{err}"
    );
}

#[tokio::test]
async fn the_connect_timeout_covers_a_stalled_tls_handshake() {
    // Accepts TCP, then never answers the ClientHello.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((tcp, _)) = listener.accept().await {
            held.push(tcp);
        }
    });
    let transport = HyperTransport::builder()
        .connect_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = tokio::time::timeout(
        Duration::from_secs(10),
        transport.send(get(&format!("https://{addr}/"))),
    )
    .await
    .expect("the connect timeout fires first")
    .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert!(!err.maybe_sent());
    assert!(
        err.to_string().contains("longer than the connect timeout of 300ms"),
        "{err}"
    );
}

#[tokio::test]
async fn idle_connections_are_reused_until_the_idle_timeout() {
    let server = http_server().await;
    let transport = HyperTransport::new().unwrap();
    for _ in 0..3 {
        transport.send(get(&server.http_url())).await.unwrap();
    }
    assert_eq!(server.connections(), 1, "keep-alive reuses one connection");

    let server = http_server().await;
    let short = HyperTransport::builder()
        .pool_idle_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    short.send(get(&server.http_url())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    short.send(get(&server.http_url())).await.unwrap();
    assert_eq!(server.connections(), 2, "an expired idle connection is not reused");

    let server = http_server().await;
    let unpooled = HyperTransport::builder().pool_max_idle_per_host(0).build().unwrap();
    unpooled.send(get(&server.http_url())).await.unwrap();
    unpooled.send(get(&server.http_url())).await.unwrap();
    assert_eq!(server.connections(), 2, "no idle connection kept");
}

#[test]
fn bad_settings_fail_the_build_naming_the_setting() {
    for (builder, setting) in [
        (
            HyperTransport::builder().connect_timeout(Duration::ZERO),
            "connect_timeout",
        ),
        (
            HyperTransport::builder().pool_idle_timeout(Duration::ZERO),
            "pool_idle_timeout",
        ),
        (HyperTransport::builder().max_response_bytes(0), "max_response_bytes"),
        (HyperTransport::builder().proxy("ftp://proxy:21"), "proxy="),
    ] {
        let err = builder.build().unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Config);
        assert!(!err.maybe_sent());
        assert!(err.to_string().starts_with(setting), "{err}");
    }
}

#[test]
fn debug_output_never_shows_proxy_credentials() {
    let builder = HyperTransport::builder()
        .proxy("http://alice:hunter2@proxy.example:3128")
        .no_proxy("internal.example");
    assert!(!format!("{builder:?}").contains("hunter2"));
    let transport = builder.build().unwrap();
    let debug = format!("{transport:?}");
    assert!(
        !debug.contains("hunter2") && !debug.contains("YWxpY2U6aHVudGVyMg"),
        "{debug}"
    );
    assert!(debug.contains("proxy.example") && debug.contains("***"), "{debug}");
}
