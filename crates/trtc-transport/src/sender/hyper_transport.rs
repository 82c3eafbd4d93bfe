//! The default transport: a pooled hyper 1 client over rustls, HTTP/1.1 keep-alive or HTTP/2 as the server
//! offers, direct or through an HTTP or SOCKS5 proxy, with its builder.

mod connector;
mod proxy;
mod route;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body, Incoming};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use trtc_sign::Secret;

use self::connector::{connect_error_in, Connector};
pub use self::proxy::{ProxyConfig, ProxyServer};
use self::route::RouteConnector;
use super::tls::{self, TrustSettings};
use crate::{BoxFuture, ResponseBody, Transport, TransportError, TransportErrorKind};

/// The largest response body accepted by default; API 3.0 answers to room actions are a few hundred bytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// How long an idle pooled connection is kept: below the server side's idle close (about 60 s), so a
/// request is never written into a connection the server is closing.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// How long connecting may take, TCP, proxy tunnel and TLS handshake together.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How many idle connections are kept per host; more are opened under a burst and closed once idle.
pub const DEFAULT_POOL_MAX_IDLE_PER_HOST: usize = 32;

/// hyper + hyper-util + rustls: HTTPS with the webpki root certificates, plain HTTP for the endpoints the
/// client allows it for (loopback), connections pooled and kept alive, HTTP/2 when the server offers it
/// by ALPN.
///
/// [`HyperTransport::new`] gives the defaults; [`HyperTransport::builder`] changes them:
///
/// ```
/// use std::time::Duration;
/// use trtc_transport::{Client, HyperTransport};
///
/// let transport = HyperTransport::builder()
///     .connect_timeout(Duration::from_secs(3))
///     .proxy("http://proxy.corp.example:3128")
///     .no_proxy(".corp.example")
///     .build()?;
/// let client = Client::builder().transport(transport);
/// # Ok::<(), trtc_transport::TransportError>(())
/// ```
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<Connector, Full<Bytes>>,
    max_response_bytes: usize,
    proxy: Option<Arc<ProxyConfig>>,
    settings: Arc<HyperTransportBuilder>,
}

impl HyperTransport {
    /// A transport with the default settings (see [`HyperTransportBuilder`]).
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// Starts configuring a transport; every setting starts at its documented default.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }

    /// A transport that accepts response bodies up to `max_response_bytes`, keeps idle connections for
    /// `pool_idle_timeout`, and gives up connecting after `connect_timeout`; the rest is the default.
    pub fn with_limits(
        max_response_bytes: usize,
        pool_idle_timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<Self, TransportError> {
        Self::builder()
            .max_response_bytes(max_response_bytes)
            .pool_idle_timeout(pool_idle_timeout)
            .connect_timeout(connect_timeout)
            .build()
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("settings", &self.settings)
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// Sends `request` and returns the response once its head has arrived.
    async fn exchange(&self, request: http::Request<Bytes>) -> Result<http::Response<Incoming>, TransportError> {
        let mut request = request.map(Full::new);
        if request.uri().scheme() == Some(&http::uri::Scheme::HTTP) {
            // A forwarded plain-HTTP request carries the proxy's credentials itself; a tunnel carries them
            // only in CONNECT, never to the service.
            let authorization = self
                .proxy
                .as_deref()
                .and_then(|p| p.proxy_for(request.uri()))
                .and_then(|server| server.authorization().cloned());
            if let Some(value) = authorization {
                request.headers_mut().insert(http::header::PROXY_AUTHORIZATION, value);
            }
        }
        self.client.request(request).await.map_err(request_error)
    }
}

impl Transport for HyperTransport {
    fn open(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<ResponseBody>, TransportError>> {
        Box::pin(async move {
            let response = self.exchange(request).await?;
            Ok(response.map(|body| {
                ResponseBody::new(body.map_err(|e| {
                    TransportError::new(
                        TransportErrorKind::Io,
                        "reading the response body failed",
                        Some(Box::new(e)),
                    )
                }))
            }))
        })
    }

    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let response = self.exchange(request).await?;
            let (parts, body) = response.into_parts();
            let limit = self.max_response_bytes;
            let too_large = || {
                TransportError::new(
                    TransportErrorKind::BodyTooLarge,
                    format!("the response body is larger than {limit} bytes (max_response_bytes)"),
                    None,
                )
            };
            // A declared length over the limit is refused before reading; dropping the body closes the
            // connection instead of draining it.
            if body.size_hint().lower() > limit as u64 {
                return Err(too_large());
            }
            let body = Limited::new(body, limit).collect().await.map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    too_large()
                } else {
                    TransportError::new(TransportErrorKind::Io, "reading the response body failed", Some(e))
                }
            })?;
            Ok(http::Response::from_parts(parts, body.to_bytes()))
        })
    }
}

fn request_error(error: hyper_util::client::legacy::Error) -> TransportError {
    if let Some(connect) = connect_error_in(&error) {
        return connect.to_transport_error();
    }
    let kind = if error.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, "sending the request failed", Some(Box::new(error)))
}

/// Settings of a [`HyperTransport`]; each method documents its default.
///
/// `build()` checks them and fails with a [`TransportErrorKind::Config`] error naming the setting. There is
/// deliberately no setting that turns certificate verification off: trust a private CA with
/// [`add_root_certificates_pem`](HyperTransportBuilder::add_root_certificates_pem) instead.
///
/// ```
/// use std::time::Duration;
/// use trtc_transport::HyperTransport;
///
/// let transport = HyperTransport::builder()
///     .connect_timeout(Duration::from_secs(2))
///     .pool_idle_timeout(Duration::from_secs(30))
///     .pool_max_idle_per_host(8)
///     .max_response_bytes(64 * 1024)
///     .http2(false)
///     .build()?;
/// assert!(HyperTransport::builder().connect_timeout(Duration::ZERO).build().is_err());
/// # Ok::<(), trtc_transport::TransportError>(())
/// ```
#[derive(Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    max_response_bytes: usize,
    http2: bool,
    proxy: ProxySource,
    no_proxy: Vec<String>,
    trust: TrustSettings,
}

/// Where the proxy settings come from; a URL is kept as given (it may hold a password) until `build()`.
#[derive(Clone)]
enum ProxySource {
    None,
    Url(Secret),
    Env,
    Config(Box<ProxyConfig>),
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        HyperTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            pool_max_idle_per_host: DEFAULT_POOL_MAX_IDLE_PER_HOST,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            http2: true,
            proxy: ProxySource::None,
            no_proxy: Vec::new(),
            trust: TrustSettings::default(),
        }
    }
}

impl HyperTransportBuilder {
    /// How long connecting may take: TCP (all resolved addresses), the proxy tunnel and the TLS handshake
    /// together. Default [`DEFAULT_CONNECT_TIMEOUT`] (5 s); must be more than zero. The time to an answer is
    /// bounded by the caller (the client's timeout), not here.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long an idle pooled connection is kept before it is closed. Default
    /// [`DEFAULT_POOL_IDLE_TIMEOUT`] (50 s): keep it below the server's idle close (about 60 s), or a request
    /// may be written into a connection the server is closing and fail with an EOF. Must be more than zero;
    /// to keep no idle connection, use `pool_max_idle_per_host(0)`.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// How many idle connections are kept per host. Default [`DEFAULT_POOL_MAX_IDLE_PER_HOST`] (32); `0`
    /// closes each connection after its request.
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// The largest response body read; a larger one fails with [`TransportErrorKind::BodyTooLarge`] after at
    /// most this many bytes are buffered. Default [`DEFAULT_MAX_RESPONSE_BYTES`] (1 MiB); must be more than
    /// zero.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// Whether to offer HTTP/2 in the TLS handshake (ALPN `h2`, then `http/1.1`). Default `true`: HTTP/2 is
    /// used when the server picks it, HTTP/1.1 otherwise. Plain HTTP is always HTTP/1.1.
    pub fn http2(mut self, enabled: bool) -> Self {
        self.http2 = enabled;
        self
    }

    /// Sends every request through the proxy at `url` (`http://[user:password@]host[:port]`, or
    /// `socks5://` / `socks5h://` for a SOCKS5 proxy), loopback endpoints included; see [`ProxyConfig::new`].
    /// Default: no proxy. Replaces any earlier proxy setting; a malformed URL fails `build()` (the password
    /// is never echoed).
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxySource::Url(Secret::new(url));
        self
    }

    /// Reads the proxy from `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (and their lower-case forms) when
    /// `build()` runs; see [`ProxyConfig::from_env_with`]. Off by default: the environment is not read unless
    /// asked. Loopback endpoints are never proxied this way. Replaces any earlier proxy setting.
    pub fn proxy_from_env(mut self) -> Self {
        self.proxy = ProxySource::Env;
        self
    }

    /// Uses proxy settings built beforehand, e.g. with [`ProxyConfig::from_env_with`] and a lookup of your
    /// own. Replaces any earlier proxy setting.
    pub fn proxy_config(mut self, config: ProxyConfig) -> Self {
        self.proxy = ProxySource::Config(Box::new(config));
        self
    }

    /// Adds hosts that bypass the proxy, in the `NO_PROXY` syntax (see [`ProxyConfig::no_proxy`]): added to
    /// whichever proxy setting is in force, including `NO_PROXY` itself. May be called more than once.
    pub fn no_proxy(mut self, list: impl Into<String>) -> Self {
        self.no_proxy.push(list.into());
        self
    }

    /// Also trusts the CA certificates in `pem` (one or more `-----BEGIN CERTIFICATE-----` blocks), e.g. a
    /// corporate or test CA. Checked by `build()`: a file without certificates, or with one that cannot be a
    /// trust anchor, is an error. May be called more than once.
    pub fn add_root_certificates_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.trust.extra_pem.push(pem.as_ref().to_vec());
        self
    }

    /// Whether to trust the Mozilla roots compiled in (the `webpki-roots` crate). Default `true`; turn it
    /// off to trust only the certificates you add.
    pub fn webpki_roots(mut self, enabled: bool) -> Self {
        self.trust.webpki_roots = enabled;
        self
    }

    /// Whether to also trust the operating system's root certificates, loaded once by `build()` (the
    /// `rustls-native-certs` crate; `SSL_CERT_FILE` and `SSL_CERT_DIR` are honoured). Default `false`.
    /// Needs the `native-roots` feature.
    #[cfg(feature = "native-roots")]
    #[cfg_attr(docsrs, doc(cfg(feature = "native-roots")))]
    pub fn native_roots(mut self, enabled: bool) -> Self {
        self.trust.native_roots = enabled;
        self
    }

    /// Checks the settings and builds the transport.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        let invalid = |setting: &str, problem: String| {
            TransportError::new(TransportErrorKind::Config, format!("{setting}: {problem}"), None)
        };
        if self.connect_timeout.is_zero() {
            return Err(invalid(
                "connect_timeout",
                "must be more than zero (the default is 5 s)".into(),
            ));
        }
        if self.pool_idle_timeout.is_zero() {
            return Err(invalid(
                "pool_idle_timeout",
                "must be more than zero (the default is 50 s); to keep no idle connection use pool_max_idle_per_host(0)"
                    .into(),
            ));
        }
        if self.max_response_bytes == 0 {
            return Err(invalid(
                "max_response_bytes",
                "must be more than zero (the default is 1 MiB)".into(),
            ));
        }
        let proxy = match &self.proxy {
            ProxySource::None => None,
            ProxySource::Url(url) => Some(ProxyConfig::new(url.expose_secret())?),
            ProxySource::Env => Some(ProxyConfig::from_env()?),
            ProxySource::Config(config) => Some((**config).clone()),
        };
        let proxy = proxy.map(|config| Arc::new(self.no_proxy.iter().fold(config, |c, list| c.no_proxy(list))));

        let tls_config = tls::client_config(&self.trust)?;
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        // Split across the resolved addresses; the connector bounds the whole connect as well.
        tcp.set_connect_timeout(Some(self.connect_timeout));
        let route = RouteConnector::new(tcp, proxy.clone());
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls_config)
            .https_or_http();
        let https = if self.http2 {
            https.enable_all_versions().wrap_connector(route)
        } else {
            https.enable_http1().wrap_connector(route)
        };
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(Connector::new(https, self.connect_timeout));
        Ok(HyperTransport {
            client,
            max_response_bytes: self.max_response_bytes,
            proxy,
            settings: Arc::new(self),
        })
    }
}

impl fmt::Debug for HyperTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proxy: &dyn fmt::Debug = match &self.proxy {
            ProxySource::None => &"none",
            // The URL may hold a password: it is not printed.
            ProxySource::Url(_) => &"explicit URL",
            ProxySource::Env => &"from the environment",
            ProxySource::Config(config) => config,
        };
        f.debug_struct("HyperTransportBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("http2", &self.http2)
            .field("proxy", proxy)
            .field("no_proxy", &self.no_proxy)
            .field("trust", &self.trust_summary())
            .finish()
    }
}

impl HyperTransportBuilder {
    fn trust_summary(&self) -> String {
        let mut parts = Vec::new();
        if self.trust.webpki_roots {
            parts.push("webpki roots".to_string());
        }
        #[cfg(feature = "native-roots")]
        if self.trust.native_roots {
            parts.push("native roots".to_string());
        }
        if !self.trust.extra_pem.is_empty() {
            parts.push(format!("{} added PEM file(s)", self.trust.extra_pem.len()));
        }
        parts.join(" + ")
    }
}
