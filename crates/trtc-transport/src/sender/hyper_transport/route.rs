//! The route of a new connection: TCP straight to the service, or through the proxy the settings choose.
//! Through an HTTP proxy, HTTPS goes through a `CONNECT` tunnel (hyper-util's [`Tunnel`]) and plain HTTP is
//! forwarded in absolute form; through a SOCKS5 proxy, both go through a SOCKS5 `CONNECT` (hyper-util's
//! [`SocksV5`]). TLS comes after, end to end with the service, in the connector around this one. A proxy's
//! failure leaves here as a `Proxy` error naming the proxy and what to do.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::{SocksV5, Tunnel};
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

use super::connector::{target_of, ConnectError, Connecting};
use super::proxy::{Protocol, ProxyServer};
use crate::{ProxyConfig, TransportErrorKind};

// hyper-util does not export the error types of its proxy connectors: they are named through the
// connectors' `Service` implementations.
type TunnelError = <Tunnel<HttpConnector> as Service<Uri>>::Error;
type SocksError = <SocksV5<HttpConnector> as Service<Uri>>::Error;
type Io = TokioIo<TcpStream>;

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
        let Some(proxy) = self.proxy.as_deref().and_then(|p| p.proxy_for(&dst)) else {
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
        // The proxy connectors dial through a clone of the TCP connector, which is always ready.
        let tcp = self.tcp.clone();
        Box::pin(async move {
            let io = match proxy.protocol() {
                Protocol::Http if dst.scheme() == Some(&http::uri::Scheme::HTTPS) => {
                    let mut tunnel = Tunnel::new(proxy.dial().clone(), tcp);
                    if let Some(authorization) = proxy.authorization() {
                        tunnel = tunnel.with_auth(authorization.clone());
                    }
                    tunnel.call(dst).await.map_err(|e| tunnel_error(e, &proxy, &target))?
                }
                Protocol::Http => {
                    // Plain HTTP: the request itself goes to the proxy, in absolute form.
                    let mut tcp = tcp;
                    let io = tcp
                        .call(proxy.dial().clone())
                        .await
                        .map_err(|e| proxy_unreachable(&proxy, &target, Arc::new(e)))?;
                    return Ok(RouteStream { io, proxied: true });
                }
                Protocol::Socks5 { remote_dns } => socks5(tcp, &proxy, remote_dns, &dst, &target).await?,
            };
            Ok(RouteStream { io, proxied: false })
        })
    }
}

async fn socks5(
    tcp: HttpConnector,
    proxy: &ProxyServer,
    remote_dns: bool,
    dst: &Uri,
    target: &str,
) -> Result<Io, ConnectError> {
    let host = dst.host().unwrap_or_default();
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    // The port is always written: `SocksV5` takes 443 for a URI without one, plain HTTP included.
    let destination = if remote_dns || bare.parse::<std::net::IpAddr>().is_ok() {
        target.to_string()
    } else {
        // `socks5://` resolves the name here, with tokio's resolver: `SocksV5`'s own local resolution
        // blocks the runtime's thread.
        let port = target
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse::<u16>().ok())
            .unwrap_or(443);
        let cannot_resolve = |cause: Option<io::Error>| {
            ConnectError::new(
                TransportErrorKind::Connect,
                format!(
                    "cannot resolve {bare} (a socks5:// proxy leaves name resolution to this machine; with \
                     socks5h:// the proxy resolves)"
                ),
                cause.map(|e| Arc::new(e) as _),
            )
        };
        let mut addresses = tokio::net::lookup_host((bare, port))
            .await
            .map_err(|e| cannot_resolve(Some(e)))?;
        addresses.next().ok_or_else(|| cannot_resolve(None))?.to_string()
    };
    let destination: Uri = format!("http://{destination}/").parse().map_err(|e| {
        ConnectError::new(
            TransportErrorKind::Connect,
            format!("{destination} cannot be given to a SOCKS5 proxy"),
            Some(Arc::new(e)),
        )
    })?;
    let mut socks = SocksV5::new(proxy.dial().clone(), tcp);
    if let Some((user, password)) = proxy.socks_credentials() {
        socks = socks.with_auth(user.to_owned(), password.to_owned());
    }
    socks.call(destination).await.map_err(|e| socks_error(e, proxy, target))
}

fn proxy_unreachable(
    proxy: &ProxyServer,
    target: &str,
    cause: Arc<dyn std::error::Error + Send + Sync>,
) -> ConnectError {
    ConnectError::proxy(
        format!("cannot reach the proxy {} (on the way to {target})", proxy.address()),
        Some(cause),
    )
}

fn credentials_refused(proxy: &ProxyServer, detail: &str) -> ConnectError {
    let name = proxy.address();
    let message = if proxy.has_credentials() {
        format!("the proxy {name} refused the credentials in the proxy URL ({detail})")
    } else {
        format!(
            "the proxy {name} requires credentials ({detail}): give them in the proxy URL as \
             {}://user:password@host:port",
            proxy.protocol().scheme()
        )
    };
    ConnectError::proxy(message, None)
}

fn tunnel_error(error: TunnelError, proxy: &ProxyServer, target: &str) -> ConnectError {
    let name = proxy.address();
    let message = match error {
        TunnelError::ConnectFailed(cause) => return proxy_unreachable(proxy, target, Arc::from(cause)),
        TunnelError::Io(cause) => {
            return ConnectError::proxy(
                format!("the proxy {name} failed while asked for a tunnel to {target}"),
                Some(Arc::new(cause)),
            )
        }
        TunnelError::ProxyAuthRequired => return credentials_refused(proxy, "407 Proxy Authentication Required"),
        TunnelError::TunnelUnexpectedEof => {
            format!("the proxy {name} closed the connection instead of answering CONNECT {target}")
        }
        TunnelError::ProxyHeadersTooLong => {
            format!("the proxy {name} answered CONNECT {target} with more than 8 KiB of headers")
        }
        TunnelError::TunnelUnsuccessful => {
            format!("the proxy {name} refused the tunnel to {target} (it answered CONNECT with neither 200 nor 407)")
        }
        other => format!("the proxy {name} could not open a tunnel to {target}: {other}"),
    };
    ConnectError::proxy(message, None)
}

fn socks_error(error: SocksError, proxy: &ProxyServer, target: &str) -> ConnectError {
    let name = proxy.address();
    match error {
        SocksError::Inner(cause) => proxy_unreachable(proxy, target, Arc::new(cause)),
        SocksError::Io(cause) => ConnectError::proxy(
            format!("the SOCKS5 proxy {name} failed during the handshake for {target}"),
            Some(Arc::new(cause)),
        ),
        // The SOCKS5 reason has no exported type nor a connector to name it through: its variant is read
        // from its `Debug`, and its `Display` is quoted. tests/proxy_socks.rs holds both to hyper-util's.
        SocksError::V5(reason) => match format!("{reason:?}").as_str() {
            "Auth(Failed)" => credentials_refused(proxy, &reason.to_string()),
            "Auth(Unsupported)" if !proxy.has_credentials() => {
                credentials_refused(proxy, "it accepts no connection without a user and password")
            }
            _ => ConnectError::proxy(
                format!("the SOCKS5 proxy {name} refused the connection to {target}: {reason}"),
                None,
            ),
        },
        other => ConnectError::proxy(
            format!("the SOCKS5 proxy {name} failed the handshake for {target}: {other}"),
            None,
        ),
    }
}

/// A TCP stream to the service (perhaps through a tunnel) or to an HTTP proxy; `proxied` makes the client
/// send requests in absolute form.
pub(crate) struct RouteStream {
    io: Io,
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
