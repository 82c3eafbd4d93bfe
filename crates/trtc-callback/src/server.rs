//! A thin hyper 1 receiver (feature `server`): reads the body up to the verifier's limit, verifies it,
//! answers `200 {"code":0}` or the failed check's 401/400, and hands each verified callback to a
//! [`Handler`].

use std::convert::Infallible;
use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Body;
use hyper_util::rt::TokioIo;

use crate::{Callback, Error, Verifier};

/// What the receiver does with each request: `accepted` for a verified callback, `refused` for one that
/// failed a check.
///
/// A closure `Fn(Callback)` is a handler that ignores refusals. Both run on the connection's task before the
/// answer is sent, so they should be quick (send to a channel, not call a database): the service waits 5
/// seconds for the answer and then sends the callback again.
pub trait Handler: Send + Sync + 'static {
    /// A callback that passed every check.
    fn accepted(&self, callback: Callback);

    /// A request that failed a check (answered with [`Error::status`]).
    fn refused(&self, error: &Error) {
        let _ = error;
    }
}

impl<F> Handler for F
where
    F: Fn(Callback) + Send + Sync + 'static,
{
    fn accepted(&self, callback: Callback) {
        self(callback)
    }
}

/// The receiver as a `hyper::service::Service`: serve it on any hyper connection, or with [`serve`].
///
/// ```no_run
/// use trtc_callback::{server::{serve, CallbackService}, CallbackKey, Verifier};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = Verifier::new(CallbackKey::new("yourCallbackKey")?, 1400000001);
/// let service = CallbackService::new(verifier, |callback: trtc_callback::Callback| {
///     println!("{} in room {:?}", callback.event().name(), callback.event().room_id());
/// });
/// let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
/// serve(listener, service, std::future::pending()).await?;
/// # Ok(()) }
/// ```
pub struct CallbackService<H> {
    inner: Arc<Inner<H>>,
}

struct Inner<H> {
    verifier: Verifier,
    handler: H,
}

impl<H> std::fmt::Debug for CallbackService<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The handler is the application's (often a closure); the verifier shows no key.
        f.debug_struct("CallbackService")
            .field("verifier", &self.inner.verifier)
            .finish_non_exhaustive()
    }
}

impl<H> Clone for CallbackService<H> {
    fn clone(&self) -> Self {
        CallbackService {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<H: Handler> CallbackService<H> {
    /// A receiver checking with `verifier` and handing callbacks to `handler`.
    pub fn new(verifier: Verifier, handler: H) -> Self {
        CallbackService {
            inner: Arc::new(Inner { verifier, handler }),
        }
    }

    /// Answers one request (what `call` does, without the boxing).
    pub async fn handle<B>(&self, request: Request<B>) -> Response<Full<Bytes>>
    where
        B: Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        if request.method() != Method::POST {
            return answer(
                StatusCode::METHOD_NOT_ALLOWED,
                &serde_json::json!({"code": 405, "message": "TRTC callbacks are POST requests"}),
            );
        }
        match self.read_and_verify(request).await {
            Ok(callback) => {
                self.inner.handler.accepted(callback);
                answer(StatusCode::OK, &serde_json::json!({"code": 0}))
            }
            Err(error) => {
                self.inner.handler.refused(&error);
                let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
                answer(
                    status,
                    &serde_json::json!({"code": error.status(), "message": error.to_string()}),
                )
            }
        }
    }

    async fn read_and_verify<B>(&self, request: Request<B>) -> Result<Callback, Error>
    where
        B: Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let limit = self.inner.verifier.max_body_len();
        let announced = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if let Some(length) = announced {
            if length > u64::try_from(limit).unwrap_or(u64::MAX) {
                return Err(Error::BodyTooLarge {
                    limit,
                    length: Some(length),
                });
            }
        }
        let (parts, body) = request.into_parts();
        let body = match Limited::new(body, limit).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(source) if source.is::<LengthLimitError>() => return Err(Error::BodyTooLarge { limit, length: None }),
            Err(source) => return Err(Error::BodyUnreadable { source }),
        };
        let headers = parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()));
        self.inner.verifier.verify(headers, &body, SystemTime::now())
    }
}

impl<H, B> hyper::service::Service<Request<B>> for CallbackService<H>
where
    H: Handler,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, request: Request<B>) -> Self::Future {
        let this = self.clone();
        Box::pin(async move { Ok(this.handle(request).await) })
    }
}

fn answer(status: StatusCode, body: &serde_json::Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

/// Accepts HTTP/1 connections on `listener` and serves `service` on each until `shutdown` completes.
///
/// Connections already open when `shutdown` completes are left to finish on their own tasks. Accept errors
/// (a process out of file descriptors) pause the loop for a moment instead of ending it.
pub async fn serve<H: Handler>(
    listener: tokio::net::TcpListener,
    service: CallbackService<H>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut shutdown = pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => return Ok(()),
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let service = service.clone();
                tokio::spawn(async move {
                    // A client that goes away mid-request ends its own connection; nothing to report.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}
