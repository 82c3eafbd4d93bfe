//! Loopback servers and certificates shared by the transport tests: a private CA made with rcgen, TLS
//! servers that speak HTTP/1.1 or HTTP/2 (as ALPN decides), and a plain HTTP server.
#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// A private certificate authority, made fresh for each test.
pub(crate) struct TestCa {
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A server certificate with its key.
pub(crate) struct ServerCert {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

impl TestCa {
    pub(crate) fn new() -> Self {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        // Distinct names: a verifier picks the issuer by name, and two CAs of one name would be confused.
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        let name = format!("trtc-rs test CA {}", NEXT.fetch_add(1, Ordering::SeqCst));
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).unwrap();
        TestCa {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A certificate for `names` (DNS names or IP addresses), valid now.
    pub(crate) fn server_cert(&self, names: &[&str]) -> ServerCert {
        self.issue(names, false)
    }

    /// A certificate for `names` that expired in 2001.
    pub(crate) fn expired_server_cert(&self, names: &[&str]) -> ServerCert {
        self.issue(names, true)
    }

    fn issue(&self, names: &[&str], expired: bool) -> ServerCert {
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "trtc-rs test server");
        if expired {
            params.not_before = rcgen::date_time_ymd(2000, 1, 1);
            params.not_after = rcgen::date_time_ymd(2001, 1, 1);
        }
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        ServerCert {
            chain: vec![cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        }
    }
}

/// A running loopback server and what it has seen.
pub(crate) struct TestServer {
    pub addr: SocketAddr,
    /// Connections accepted (TCP), whether or not the handshake succeeded.
    pub connections: Arc<AtomicUsize>,
}

impl TestServer {
    pub(crate) fn https_url(&self) -> String {
        format!("https://{}/", self.addr)
    }

    pub(crate) fn http_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub(crate) fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Answers every request with 200 and a body naming the HTTP version it arrived in, e.g. `hello over HTTP/2.0`.
async fn hello(request: http::Request<hyper::body::Incoming>) -> Result<http::Response<Full<Bytes>>, Infallible> {
    let body = format!("hello over {:?}", request.version());
    Ok(http::Response::new(Full::new(Bytes::from(body))))
}

/// A TLS server on 127.0.0.1 presenting `cert`, offering `alpn` (e.g. `[b"h2", b"http/1.1"]`).
pub(crate) async fn tls_server(cert: ServerCert, alpn: &[&[u8]]) -> TestServer {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(cert.chain, cert.key)
        .unwrap();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else { return };
                let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
                let io = TokioIo::new(tls);
                if h2 {
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(io, service_fn(hello))
                        .await;
                } else {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service_fn(hello))
                        .await;
                }
            });
        }
    });
    TestServer { addr, connections }
}

/// A plain HTTP/1.1 server on 127.0.0.1.
pub(crate) async fn http_server() -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tcp), service_fn(hello))
                    .await;
            });
        }
    });
    TestServer { addr, connections }
}

/// A request the way the client builds one: absolute URI, explicit `Host`.
pub(crate) fn get(url: &str) -> http::Request<Bytes> {
    let uri: http::Uri = url.parse().unwrap();
    let host = uri.authority().unwrap().to_string();
    http::Request::builder()
        .method(http::Method::POST)
        .uri(uri)
        .header(http::header::HOST, host)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Bytes::from_static(b"{}"))
        .unwrap()
}
