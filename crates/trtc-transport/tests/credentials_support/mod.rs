//! Loopback fakes for the credentials tests: a tiny HTTP server that records what it is asked and answers
//! what the test says, and temporary directories for credentials files.
#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::HeaderMap;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// Secrets the tests hand out; no output may ever contain them.
pub(crate) const TMP_SECRET_KEY: &str = "tmpKeyMustNeverBePrinted0001";
pub(crate) const TMP_TOKEN: &str = "tmpTokenMustNeverBePrinted0002";
pub(crate) const SOURCE_SECRET_KEY: &str = "sourceKeyMustNeverBePrinted0003";
pub(crate) const SOURCE_TOKEN: &str = "sourceTokenMustNeverBePrinted0004";
pub(crate) const WEB_IDENTITY_TOKEN: &str = "webIdentityJwtMustNeverBePrinted0005";

/// One request as the fake received it.
#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub method: http::Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// What the fake answers.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    pub(crate) fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub(crate) fn ok(body: impl Into<Vec<u8>>) -> Self {
        Self::new(200, body)
    }

    pub(crate) fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A loopback HTTP server on 127.0.0.1; stops when dropped.
pub(crate) struct Fake {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Fake {
    pub(crate) async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let log = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (handler, log) = (Arc::clone(&handler), Arc::clone(&log));
                tokio::spawn(async move {
                    let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                        let (handler, log) = (Arc::clone(&handler), Arc::clone(&log));
                        async move {
                            let (parts, body) = request.into_parts();
                            let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                            let recorded = Recorded {
                                method: parts.method,
                                path: parts.uri.path().to_owned(),
                                headers: parts.headers,
                                body,
                            };
                            log.lock().unwrap().push(recorded.clone());
                            let reply = handler(&recorded);
                            if !reply.delay.is_zero() {
                                tokio::time::sleep(reply.delay).await;
                            }
                            let mut response = http::Response::new(Full::new(Bytes::from(reply.body)));
                            *response.status_mut() = http::StatusCode::from_u16(reply.status).unwrap();
                            Ok::<_, Infallible>(response)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Fake { addr, requests, task }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// How many requests asked for `path`.
    pub(crate) fn hits(&self, path: &str) -> usize {
        self.requests.lock().unwrap().iter().filter(|r| r.path == path).count()
    }
}

/// A port on 127.0.0.1 where nothing listens.
pub(crate) async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}

/// A server that accepts connections and never answers.
pub(crate) async fn silent_server() -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    (addr, task)
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// The metadata service's answer for a role's credentials, valid for `ttl` seconds.
pub(crate) fn metadata_credentials(secret_id: &str, ttl: u64) -> String {
    serde_json::json!({
        "TmpSecretId": secret_id,
        "TmpSecretKey": TMP_SECRET_KEY,
        "ExpiredTime": unix_now() + ttl,
        "Expiration": "2030-01-01T00:00:00Z",
        "Token": TMP_TOKEN,
        "Code": "Success",
    })
    .to_string()
}

/// STS's success answer, valid for `ttl` seconds.
pub(crate) fn sts_credentials(secret_id: &str, ttl: u64) -> String {
    serde_json::json!({
        "Response": {
            "Credentials": {"Token": TMP_TOKEN, "TmpSecretId": secret_id, "TmpSecretKey": TMP_SECRET_KEY},
            "ExpiredTime": unix_now() + ttl,
            "Expiration": "2030-01-01T00:00:00Z",
            "RequestId": "4daec797-9cd2-4f09-9e7a-7d4c43b2a74c",
        }
    })
    .to_string()
}

/// STS's error answer.
pub(crate) fn sts_error(code: &str, message: &str) -> String {
    serde_json::json!({
        "Response": {"Error": {"Code": code, "Message": message}, "RequestId": "b0a1fd0c-1f1e-4bbd-a7a4-3e2bb8f8a0b1"}
    })
    .to_string()
}

/// A directory under the system temporary directory, removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("trtc-creds-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `contents` to `relative` (creating directories) and returns its path.
    pub(crate) fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Asserts that none of the test secrets appear in `text`.
pub(crate) fn assert_no_secret(text: &str) {
    for secret in [
        TMP_SECRET_KEY,
        TMP_TOKEN,
        SOURCE_SECRET_KEY,
        SOURCE_TOKEN,
        WEB_IDENTITY_TOKEN,
    ] {
        assert!(!text.contains(secret), "a secret leaked into output: {text}");
    }
}

/// Every rendering of an error: Display, Debug, and each source's Display and Debug.
pub(crate) fn render_error(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = format!("{e}\n{e:?}\n");
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(&format!("{c}\n{c:?}\n"));
        cause = c.source();
    }
    out
}

/// The Display of `e` and of each of its sources, in order: what a reporter that walks the chain prints.
pub(crate) fn messages(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push(c.to_string());
        cause = c.source();
    }
    out
}

/// An error and its causes as anyhow's `{:#}` or the CLI prints them: each Display, joined by ": ".
pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    messages(e).join(": ")
}

/// Asserts that the rendered chain of `e` says each thing once: no error's Display quotes a cause below it,
/// and every message of the chain, and of each provider a chain tried (with that provider's causes),
/// appears in the rendering exactly once.
pub(crate) fn assert_each_message_once(e: &(dyn std::error::Error + 'static)) {
    let links = messages(e);
    let rendered = links.join(": ");
    for (i, upper) in links.iter().enumerate() {
        for lower in links[i + 1..].iter().filter(|l| !l.is_empty()) {
            assert!(
                !upper.contains(lower.as_str()),
                "{upper:?} repeats its cause {lower:?}; the chain reads:\n{rendered}"
            );
        }
    }
    let mut expected: Vec<String> = links.clone();
    let mut stack: Vec<&(dyn std::error::Error + 'static)> = Vec::new();
    let mut cause = Some(e);
    while let Some(c) = cause {
        stack.push(c);
        cause = c.source();
    }
    while let Some(c) = stack.pop() {
        if let Some(credentials) = c.downcast_ref::<trtc_transport::CredentialsError>() {
            for tried in credentials.tried() {
                expected.push(tried.message().to_owned());
                let mut cause = std::error::Error::source(tried);
                while let Some(below) = cause {
                    // A nested chain's Display spans lines: count its first line, the rest is counted below.
                    expected.push(below.to_string().lines().next().unwrap_or("").to_owned());
                    stack.push(below);
                    cause = below.source();
                }
                stack.push(tried);
            }
        }
    }
    for text in expected.iter().filter(|t| !t.is_empty()) {
        let count = rendered.matches(text.as_str()).count();
        assert_eq!(count, 1, "{text:?} appears {count} times in:\n{rendered}");
    }
}
