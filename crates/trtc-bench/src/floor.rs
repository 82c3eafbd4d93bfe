//! The physical floor: a bare hyper server with a fixed answer, and a bare hyper client with a fixed body.
//! No signing, no parsing, no model: what loopback HTTP/1.1 keep-alive costs on this machine.

use std::convert::Infallible;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};

use crate::process::cpu_time_us;
use crate::Flags;

const ANSWER: &[u8] = br#"{"Response":{"RequestId":"eac6b301-a322-493a-8e36-83b295459397"}}"#;
const BODY: &[u8] = br#"{"SdkAppId":1400000001,"RoomId":1234}"#;

pub(crate) fn serve(args: &[String]) -> Result<(), String> {
    let flags = Flags::new(args);
    let listen = flags.get("--listen").unwrap_or("127.0.0.1:0").to_owned();
    crate::runtime(&flags)?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "listening on http://{addr}")
                .and_then(|()| stdout.flush())
                .map_err(|e| e.to_string())?;
        }
        loop {
            let (stream, _) = listener.accept().await.map_err(|e| e.to_string())?;
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = service_fn(|request: http::Request<hyper::body::Incoming>| async move {
                    let _ = request.into_body().collect().await;
                    let mut response = http::Response::new(Full::new(Bytes::from_static(ANSWER)));
                    response.headers_mut().insert(
                        http::header::CONTENT_TYPE,
                        http::HeaderValue::from_static("application/json"),
                    );
                    Ok::<_, Infallible>(response)
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

pub(crate) fn client(args: &[String]) -> Result<(), String> {
    let flags = Flags::new(args);
    let endpoint = flags.require("--endpoint")?.to_owned();
    let calls = flags.number("--calls", 10_000)?;
    let concurrency = flags.number("--concurrency", 1)?.max(1);
    crate::runtime(&flags)?.block_on(async move {
        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_nodelay(true);
        let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build(connector);
        let uri: http::Uri = format!("{endpoint}/").parse().map_err(|e| format!("{endpoint}: {e}"))?;
        let remaining = Arc::new(AtomicU64::new(calls));
        let cpu_before = cpu_time_us()?;
        let start = Instant::now();
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let client = client.clone();
                let uri = uri.clone();
                let remaining = Arc::clone(&remaining);
                tokio::spawn(async move {
                    let mut errors = 0u64;
                    while remaining
                        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |r| r.checked_sub(1))
                        .is_ok()
                    {
                        let request = http::Request::post(uri.clone())
                            .header(http::header::CONTENT_TYPE, "application/json")
                            .body(Full::new(Bytes::from_static(BODY)));
                        let ok = match request {
                            Ok(request) => match client.request(request).await {
                                Ok(response) => response.into_body().collect().await.is_ok(),
                                Err(_) => false,
                            },
                            Err(_) => false,
                        };
                        errors += u64::from(!ok);
                    }
                    errors
                })
            })
            .collect();
        let mut errors = 0;
        for task in tasks {
            errors += task.await.unwrap_or(1);
        }
        let elapsed = start.elapsed();
        let cpu_after = cpu_time_us()?;
        println!(
            "{}",
            serde_json::json!({
                "calls": calls,
                "errors": errors,
                "calls_per_s": (calls as f64 / elapsed.as_secs_f64()).round(),
                "cpu_us_per_call": (cpu_after - cpu_before) as f64 / calls as f64,
            })
        );
        Ok(())
    })
}
