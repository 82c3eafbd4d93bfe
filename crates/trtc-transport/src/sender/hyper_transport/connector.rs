//! The connector under the pooled client: the route of `route.rs` (TCP direct or through a proxy), then TLS
//! by hyper-rustls, all within the connect timeout. Each failure leaves here already classified (connect,
//! proxy, TLS) with a message a user can act on.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use tower_service::Service;

use super::route::{RouteConnector, RouteStream};
use crate::sender::tls;
use crate::{TransportError, TransportErrorKind};

type BoxError = Box<dyn StdError + Send + Sync>;
pub(super) type Connecting<T> = Pin<Box<dyn Future<Output = Result<T, ConnectError>> + Send>>;

/// A classified failure to connect. Cloneable so that the transport can turn the copy inside hyper's error
/// into a [`TransportError`].
#[derive(Clone)]
pub(crate) struct ConnectError {
    kind: TransportErrorKind,
    message: String,
    cause: Option<Arc<dyn StdError + Send + Sync>>,
}

impl ConnectError {
    pub(super) fn new(
        kind: TransportErrorKind,
        message: String,
        cause: Option<Arc<dyn StdError + Send + Sync>>,
    ) -> Self {
        ConnectError { kind, message, cause }
    }

    /// A failure of the proxy: unreachable, refusing, or not speaking its protocol.
    pub(super) fn proxy(message: String, cause: Option<Arc<dyn StdError + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Proxy, message, cause)
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
pub(super) fn target_of(uri: &Uri) -> String {
    let host = uri.host().unwrap_or("");
    let default_port = if uri.scheme() == Some(&http::uri::Scheme::HTTP) {
        80
    } else {
        443
    };
    format!("{host}:{}", uri.port_u16().unwrap_or(default_port))
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
