//! The default transport: a hyper 1 pooled client over rustls (webpki roots), HTTP/1.1 keep-alive.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::{BoxFuture, Transport, TransportError, TransportErrorKind};

/// The largest response body accepted by default; API 3.0 answers to room actions are a few hundred bytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// How long an idle pooled connection is kept: below the server side's idle close (about 60 s), so a
/// request is never written into a connection the server is closing.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// hyper + hyper-util + rustls: HTTPS with the webpki root certificates, plain HTTP for the endpoints the
/// client allows it for (loopback), connections pooled and kept alive.
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    max_response_bytes: usize,
}

impl HyperTransport {
    /// A transport with the default settings.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_limits(
            DEFAULT_MAX_RESPONSE_BYTES,
            DEFAULT_POOL_IDLE_TIMEOUT,
            Duration::from_secs(10),
        )
    }

    /// A transport that accepts response bodies up to `max_response_bytes`, keeps idle connections for
    /// `pool_idle_timeout`, and gives up connecting after `connect_timeout`.
    pub fn with_limits(
        max_response_bytes: usize,
        pool_idle_timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<Self, TransportError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(connect_timeout));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| TransportError::new(TransportErrorKind::Other, "TLS setup failed", Some(Box::new(e))))?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(pool_idle_timeout)
            .pool_timer(hyper_util::rt::TokioTimer::new())
            .build(https);
        Ok(HyperTransport {
            client,
            max_response_bytes,
        })
    }
}

impl std::fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HyperTransport")
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Transport for HyperTransport {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let request = request.map(Full::new);
            let response = self.client.request(request).await.map_err(|e| {
                let kind = if e.is_connect() {
                    TransportErrorKind::Connect
                } else {
                    TransportErrorKind::Io
                };
                TransportError::new(kind, "sending the request failed", Some(Box::new(e)))
            })?;
            let (parts, body) = response.into_parts();
            let limit = self.max_response_bytes;
            let body = Limited::new(body, limit).collect().await.map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    TransportError::new(
                        TransportErrorKind::BodyTooLarge,
                        format!("the response body is larger than {limit} bytes"),
                        None,
                    )
                } else {
                    TransportError::new(TransportErrorKind::Io, "reading the response body failed", Some(e))
                }
            })?;
            Ok(http::Response::from_parts(parts, body.to_bytes()))
        })
    }
}
