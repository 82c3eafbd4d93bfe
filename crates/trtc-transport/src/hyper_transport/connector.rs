//! The connector under the pooled client: TCP direct or through a proxy (a `CONNECT` tunnel for HTTPS,
//! absolute-form forwarding for plain HTTP), then TLS by hyper-rustls, all within the connect timeout.
//! Each failure leaves here already classified (connect, proxy, TLS) with a message a user can act on.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower_service::Service;

use crate::{tls, ProxyConfig, ProxyServer, TransportError, TransportErrorKind};

type BoxError = Box<dyn StdError + Send + Sync>;
type Connecting<T> = Pin<Box<dyn Future<Output = Result<T, ConnectError>> + Send>>;

/// The longest answer to `CONNECT` read before giving up on the proxy.
const MAX_CONNECT_RESPONSE: usize = 8 * 1024;

/// A classified failure to connect. Cloneable so that the transport can turn the copy inside hyper's error
/// into a [`TransportError`].
#[derive(Clone)]
pub(crate) struct ConnectError {
    kind: TransportErrorKind,
    message: String,
    cause: Option<Arc<dyn StdError + Send + Sync>>,
}

impl ConnectError {
    fn new(kind: TransportErrorKind, message: String, cause: Option<Arc<dyn StdError + Send + Sync>>) -> Self {
        ConnectError { kind, message, cause }
    }

    fn proxy(message: String, cause: Option<io::Error>) -> Self {
        Self::new(
            TransportErrorKind::Proxy,
            message,
            cause.map(|e| Arc::new(e) as Arc<dyn StdError + Send + Sync>),
        )
    }

    pub(crate) fn to_transport_error(&self) -> TransportError {
        TransportError::new(
            self.kind,
            self.message.clone(),
            self.cause.clone().map(|cause| Box::new(cause) as BoxError),
        )
    }
}

impl fmt::Debug for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("cause", &self.cause)
            .finish()
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for ConnectError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.cause.as_deref().map(|e| e as &(dyn StdError + 'static))
    }
}

/// What the client dials: TLS (or not, for `http://`) over a [`RouteStream`], under the connect timeout.
///
/// The pooled client clones its connector for every request, even one served by a pooled connection, so
/// the parts (four reference counts) sit behind one `Arc` and are cloned only when a connection is made.
#[derive(Clone)]
pub(crate) struct Connector {
    inner: Arc<HttpsConnector<RouteConnector>>,
    timeout: Duration,
}

impl Connector {
    pub(crate) fn new(inner: HttpsConnector<RouteConnector>, timeout: Duration) -> Self {
        Connector {
            inner: Arc::new(inner),
            timeout,
        }
    }
}

impl Service<Uri> for Connector {
    type Response = MaybeHttpsStream<RouteStream>;
    type Error = ConnectError;
    type Future = Connecting<Self::Response>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // The connector that dials is a clone made in `call`, whose readiness is awaited there.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let target = target_of(&dst);
        let timeout = self.timeout;
        let mut inner = HttpsConnector::clone(&self.inner);
        Box::pin(async move {
            let connecting = async {
                std::future::poll_fn(|cx| inner.poll_ready(cx)).await?;
                inner.call(dst).await
            };
            match tokio::time::timeout(timeout, connecting).await {
                Ok(Ok(stream)) => Ok(stream),
                Ok(Err(e)) => Err(classify(e, &target)),
                Err(_) => Err(ConnectError::new(
                    TransportErrorKind::Connect,
                    format!(
                        "connecting to {target} (TCP, proxy tunnel and TLS handshake) took longer than the connect \
                         timeout of {timeout:?}"
                    ),
                    None,
                )),
            }
        })
    }
}

/// Names the failure: our own errors pass through, a rustls error anywhere in the chain is a TLS failure,
/// anything else is a failure to connect.
fn classify(error: BoxError, target: &str) -> ConnectError {
    let error = match error.downcast::<ConnectError>() {
        Ok(ours) => return *ours,
        Err(other) => other,
    };
    if let Some(tls_error) = find_rustls_error(&*error) {
        return ConnectError::new(
            TransportErrorKind::Tls,
            format!("TLS handshake with {target} failed: {}", tls::explain(tls_error)),
            Some(Arc::new(tls_error.clone())),
        );
    }
    ConnectError::new(
        TransportErrorKind::Connect,
        format!("cannot connect to {target}"),
        Some(Arc::from(error)),
    )
}

/// Finds the rustls error under the `io::Error` wrappers that tokio-rustls and hyper-rustls add; an
/// `io::Error`'s `source()` skips the error it wraps, so `get_ref()` is followed as well.
fn find_rustls_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<rustls::Error>() {
            return Some(found);
        }
        next = match e.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        };
    }
    None
}

/// `host:port` of a request's destination, with the scheme's default port filled in.
fn target_of(uri: &Uri) -> String {
    let host = uri.host().unwrap_or("");
    let default_port = if uri.scheme() == Some(&http::uri::Scheme::HTTP) {
        80
    } else {
        443
    };
    format!("{host}:{}", uri.port_u16().unwrap_or(default_port))
}

fn proxy_name(server: &ProxyServer) -> String {
    if server.host().contains(':') {
        format!("[{}]:{}", server.host(), server.port())
    } else {
        format!("{}:{}", server.host(), server.port())
    }
}

/// TCP to the service, or to the proxy that will carry the request there.
#[derive(Clone)]
pub(crate) struct RouteConnector {
    tcp: HttpConnector,
    proxy: Option<Arc<ProxyConfig>>,
}

impl RouteConnector {
    pub(crate) fn new(tcp: HttpConnector, proxy: Option<Arc<ProxyConfig>>) -> Self {
        RouteConnector { tcp, proxy }
    }
}

impl Service<Uri> for RouteConnector {
    type Response = RouteStream;
    type Error = ConnectError;
    type Future = Connecting<RouteStream>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.tcp.poll_ready(cx).map_err(|e| {
            ConnectError::new(
                TransportErrorKind::Connect,
                "the TCP connector is not ready".into(),
                Some(Arc::new(e)),
            )
        })
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let target = target_of(&dst);
        let server = self.proxy.as_deref().and_then(|p| p.proxy_for(&dst)).cloned();
        let Some(server) = server else {
            let connecting = self.tcp.call(dst);
            return Box::pin(async move {
                let io = connecting.await.map_err(|e| {
                    ConnectError::new(
                        TransportErrorKind::Connect,
                        format!("cannot connect to {target}"),
                        Some(Arc::new(e)),
                    )
                })?;
                Ok(RouteStream { io, proxied: false })
            });
        };
        let tunnel = dst.scheme() == Some(&http::uri::Scheme::HTTPS);
        let connecting = self.tcp.call(server.uri().clone());
        Box::pin(async move {
            let io = connecting.await.map_err(|e| {
                ConnectError::new(
                    TransportErrorKind::Proxy,
                    format!(
                        "cannot reach the proxy {} (on the way to {target})",
                        proxy_name(&server)
                    ),
                    Some(Arc::new(e)),
                )
            })?;
            if !tunnel {
                // Plain HTTP: the request itself goes to the proxy, in absolute form.
                return Ok(RouteStream { io, proxied: true });
            }
            let mut tcp = io.into_inner();
            open_tunnel(&mut tcp, &target, &server).await?;
            Ok(RouteStream {
                io: TokioIo::new(tcp),
                proxied: false,
            })
        })
    }
}

/// Asks the proxy for a tunnel to `target` and reads its answer, leaving the stream at the first byte
/// of the tunnel.
async fn open_tunnel(tcp: &mut TcpStream, target: &str, server: &ProxyServer) -> Result<(), ConnectError> {
    let proxy = proxy_name(server);
    let mut head = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n").into_bytes();
    if let Some(authorization) = server.authorization() {
        head.extend_from_slice(b"Proxy-Authorization: ");
        head.extend_from_slice(authorization.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    tcp.write_all(&head).await.map_err(|e| {
        ConnectError::proxy(
            format!("the proxy {proxy} failed while asked for a tunnel to {target}"),
            Some(e),
        )
    })?;

    let mut answer = Vec::with_capacity(256);
    let mut chunk = [0u8; 1024];
    let head_len = loop {
        let n = tcp.read(&mut chunk).await.map_err(|e| {
            ConnectError::proxy(
                format!("the proxy {proxy} failed while asked for a tunnel to {target}"),
                Some(e),
            )
        })?;
        if n == 0 {
            return Err(ConnectError::proxy(
                format!("the proxy {proxy} closed the connection instead of answering CONNECT {target}"),
                None,
            ));
        }
        answer.extend_from_slice(&chunk[..n]);
        if let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if answer.len() > MAX_CONNECT_RESPONSE {
            return Err(ConnectError::proxy(
                format!("the proxy {proxy} answered CONNECT with more than {MAX_CONNECT_RESPONSE} bytes of headers"),
                None,
            ));
        }
    };

    let status_line = answer.split(|&b| b == b'\r').next().unwrap_or_default();
    let status_line: String = String::from_utf8_lossy(status_line)
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    let code = parts.next().and_then(|c| c.parse::<u16>().ok());
    let (true, Some(code)) = (version.starts_with("HTTP/1."), code) else {
        return Err(ConnectError::proxy(
            format!("the proxy {proxy} did not answer CONNECT with HTTP (got {status_line:?})"),
            None,
        ));
    };
    match code {
        200..=299 if head_len == answer.len() => Ok(()),
        200..=299 => Err(ConnectError::proxy(
            format!("the proxy {proxy} sent data into the tunnel to {target} before the TLS handshake"),
            None,
        )),
        407 if server.has_credentials() => Err(ConnectError::proxy(
            format!("the proxy {proxy} refused the credentials in the proxy URL (407 Proxy Authentication Required)"),
            None,
        )),
        407 => Err(ConnectError::proxy(
            format!(
                "the proxy {proxy} requires credentials (407 Proxy Authentication Required): give them in the proxy \
                 URL as http://user:password@host:port"
            ),
            None,
        )),
        _ => Err(ConnectError::proxy(
            format!("the proxy {proxy} refused the tunnel to {target}: {status_line}"),
            None,
        )),
    }
}

/// A TCP stream to the service or to a proxy; `proxied` makes the client send requests in absolute form.
pub(crate) struct RouteStream {
    io: TokioIo<TcpStream>,
    proxied: bool,
}

impl Connection for RouteStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl Read for RouteStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for RouteStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}

/// The classified connect failure inside a hyper client error, if there is one.
pub(crate) fn connect_error_in<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a ConnectError> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<ConnectError>() {
            return Some(found);
        }
        next = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rustls_errors_under_io_wrappers() {
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let wrapped: BoxError = Box::new(io::Error::other(io::Error::new(io::ErrorKind::InvalidData, tls)));
        let classified = classify(wrapped, "example.com:443");
        assert_eq!(classified.kind, TransportErrorKind::Tls);
        assert!(
            classified
                .message
                .starts_with("TLS handshake with example.com:443 failed"),
            "{classified}"
        );
        assert!(classified.message.contains("unknown issuer"), "{classified}");
    }

    #[test]
    fn other_failures_are_connect_failures() {
        let refused: BoxError = Box::new(io::Error::from(io::ErrorKind::ConnectionRefused));
        let classified = classify(refused, "example.com:443");
        assert_eq!(classified.kind, TransportErrorKind::Connect);
        assert_eq!(classified.message, "cannot connect to example.com:443");
    }

    #[test]
    fn targets_have_ports() {
        assert_eq!(target_of(&"https://example.com/".parse().unwrap()), "example.com:443");
        assert_eq!(target_of(&"http://127.0.0.1/".parse().unwrap()), "127.0.0.1:80");
        assert_eq!(target_of(&"https://[::1]:8443/".parse().unwrap()), "[::1]:8443");
    }
}
