//! The HTTP sender: the `Transport` trait (send one HTTP request, get one HTTP response), which everything
//! pluggable hangs on, and its default implementation.
//!
//! - `mod.rs`: [`Transport`] and [`TransportError`];
//! - `hyper_transport.rs` and its folder: [`HyperTransport`](crate::HyperTransport), hyper 1 over a pooled
//!   connector (`connector.rs`), with proxies (`proxy.rs`, `route.rs`);
//! - `tls.rs`: the rustls configuration and trust stores.

pub(crate) mod hyper_transport;
pub(crate) mod tls;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use http_body::Body as _;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};

/// A boxed, sendable future, so that [`Transport`] stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one signed HTTP request and returns the whole response.
///
/// The client signs and builds the request, then hands it here; a transport only moves bytes. The default is
/// [`HyperTransport`](crate::HyperTransport); tests and users with their own HTTP stack plug in their own.
///
/// ```
/// use bytes::Bytes;
/// use trtc_transport::{BoxFuture, Transport, TransportError};
///
/// /// Answers every request with a fixed success envelope, without any network.
/// struct Canned;
///
/// impl Transport for Canned {
///     fn send(&self, _request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
///         Box::pin(async { Ok(http::Response::new(Bytes::from_static(br#"{"Response":{"RequestId":"canned"}}"#))) })
///     }
/// }
/// ```
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and returns the response with its body read in full.
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;

    /// Sends `request` and returns the response as soon as its head has arrived, the body still arriving: for
    /// actions that answer with an event stream (`text/event-stream`), read event by event.
    ///
    /// The default reads the whole body with [`send`](Transport::send) and hands it over as one chunk, so a
    /// transport that only implements `send` still serves streaming actions, just not incrementally.
    /// [`HyperTransport`](crate::HyperTransport) streams.
    fn open(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<ResponseBody>, TransportError>> {
        Box::pin(async move {
            let response = self.send(request).await?;
            Ok(response.map(|body| ResponseBody::new(Full::new(body).map_err(|never| match never {}))))
        })
    }
}

/// The body of a response that is still arriving: an [`http_body::Body`] of [`Bytes`] chunks whose errors are
/// [`TransportError`]s.
pub struct ResponseBody(UnsyncBoxBody<Bytes, TransportError>);

impl ResponseBody {
    /// Wraps any body of `Bytes` chunks.
    pub fn new<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes, Error = TransportError> + Send + 'static,
    {
        ResponseBody(UnsyncBoxBody::new(body))
    }

    /// The next chunk of data; `None` at the end of the body. Trailers are skipped.
    pub async fn chunk(&mut self) -> Option<Result<Bytes, TransportError>> {
        loop {
            match self.0.frame().await? {
                Ok(frame) => match frame.into_data() {
                    Ok(data) => return Some(Ok(data)),
                    Err(_trailers) => continue,
                },
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Polls for the next chunk, as [`chunk`](ResponseBody::chunk) does.
    pub fn poll_chunk(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Bytes, TransportError>>> {
        use std::task::Poll;
        loop {
            match Pin::new(&mut self.0).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => return Poll::Ready(Some(Ok(data))),
                    Err(_trailers) => continue,
                },
            }
        }
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseBody").finish_non_exhaustive()
    }
}

/// What kind of failure a [`TransportError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, connect timeout): the request was certainly not sent.
    Connect,
    /// The connection failed after the request may have been sent: the server may have acted on it.
    Io,
    /// The response body is larger than the transport accepts.
    BodyTooLarge,
    /// Anything else.
    Other,
    /// The TLS handshake failed (certificate not trusted, expired, for another name; not a TLS server):
    /// the request was not sent.
    Tls,
    /// The proxy could not be reached or refused the tunnel (for example `407`, wrong credentials): the
    /// request was not sent.
    Proxy,
    /// The transport's settings are invalid (found when it is built); nothing was sent.
    Config,
}

/// A failure to exchange a request and a response.
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A new error of `kind`, described by `message`, caused by `source`.
    pub fn new(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request may have reached the server (so a retry is safe only for idempotent actions).
    pub fn maybe_sent(&self) -> bool {
        !matches!(
            self.kind,
            TransportErrorKind::Connect
                | TransportErrorKind::Tls
                | TransportErrorKind::Proxy
                | TransportErrorKind::Config
        )
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for TransportError {
    /// The message alone; the cause (hyper's, the operating system's) is [`source`](std::error::Error::source),
    /// so a reporter that walks the chain prints each once.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
