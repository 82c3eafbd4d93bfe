//! TLS of the default transport against loopback servers with certificates made by a private CA: refused
//! unless that CA is trusted, expired and wrong-name certificates refused with a reason, HTTP/2 by ALPN.

mod support;

use support::{get, http_server, tls_server, TestCa};
use trtc_transport::{HyperTransport, Transport, TransportError, TransportErrorKind};

const BOTH: &[&[u8]] = &[b"h2", b"http/1.1"];
const HTTP1: &[&[u8]] = &[b"http/1.1"];

fn trusting(ca: &TestCa) -> HyperTransport {
    HyperTransport::builder()
        .add_root_certificates_pem(&ca.pem)
        .build()
        .unwrap()
}

fn assert_tls_failure(err: &TransportError, target: std::net::SocketAddr, reason: &str) {
    assert_eq!(err.kind(), TransportErrorKind::Tls, "{err}");
    assert!(!err.maybe_sent(), "a failed handshake sends nothing");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("TLS handshake with {target} failed: ")),
        "{text}"
    );
    assert!(text.contains(reason), "{text:?} should say {reason:?}");
}

#[tokio::test]
async fn a_private_ca_is_refused_by_default() {
    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["127.0.0.1"]), BOTH).await;
    let err = HyperTransport::new()
        .unwrap()
        .send(get(&server.https_url()))
        .await
        .unwrap_err();
    assert_tls_failure(&err, server.addr, "not trusted (unknown issuer)");
    assert!(
        err.to_string().contains("add_root_certificates_pem"),
        "says how to fix it: {err}"
    );
}

#[tokio::test]
async fn a_private_ca_is_accepted_once_added() {
    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["127.0.0.1"]), HTTP1).await;
    let response = trusting(&ca).send(get(&server.https_url())).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(&response.body()[..], b"hello over HTTP/1.1");
}

#[tokio::test]
async fn only_the_added_ca_when_built_in_roots_are_off() {
    let ca = TestCa::new();
    let other = TestCa::new();
    let server = tls_server(ca.server_cert(&["127.0.0.1"]), HTTP1).await;
    let transport = HyperTransport::builder()
        .webpki_roots(false)
        .add_root_certificates_pem(format!("{}{}", other.pem, ca.pem))
        .build()
        .unwrap();
    assert_eq!(transport.send(get(&server.https_url())).await.unwrap().status(), 200);

    let only_other = HyperTransport::builder()
        .webpki_roots(false)
        .add_root_certificates_pem(&other.pem)
        .build()
        .unwrap();
    let err = only_other.send(get(&server.https_url())).await.unwrap_err();
    assert_tls_failure(&err, server.addr, "unknown issuer");
}

#[tokio::test]
async fn an_expired_certificate_is_refused() {
    let ca = TestCa::new();
    let server = tls_server(ca.expired_server_cert(&["127.0.0.1"]), BOTH).await;
    let err = trusting(&ca).send(get(&server.https_url())).await.unwrap_err();
    assert_tls_failure(&err, server.addr, "certificate has expired");
}

#[tokio::test]
async fn a_certificate_for_another_name_is_refused() {
    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["other.example"]), BOTH).await;
    let err = trusting(&ca).send(get(&server.https_url())).await.unwrap_err();
    assert_tls_failure(&err, server.addr, "for another name (name mismatch)");
}

#[tokio::test]
async fn a_plain_http_port_is_not_mistaken_for_tls() {
    let server = http_server().await;
    let err = HyperTransport::new()
        .unwrap()
        .send(get(&server.https_url()))
        .await
        .unwrap_err();
    assert_tls_failure(&err, server.addr, "did not answer with TLS");
}

#[tokio::test]
async fn http2_is_used_when_the_server_offers_it() {
    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["127.0.0.1"]), BOTH).await;
    let transport = trusting(&ca);
    let response = transport.send(get(&server.https_url())).await.unwrap();
    assert_eq!(response.version(), http::Version::HTTP_2);
    assert_eq!(&response.body()[..], b"hello over HTTP/2.0");

    // Concurrent requests share the one HTTP/2 connection.
    let (a, b) = tokio::join!(
        transport.send(get(&server.https_url())),
        transport.send(get(&server.https_url()))
    );
    assert_eq!(a.unwrap().version(), http::Version::HTTP_2);
    assert_eq!(b.unwrap().version(), http::Version::HTTP_2);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn http1_when_the_server_does_not_offer_h2_or_http2_is_off() {
    let ca = TestCa::new();
    let h1_only = tls_server(ca.server_cert(&["127.0.0.1"]), HTTP1).await;
    let response = trusting(&ca).send(get(&h1_only.https_url())).await.unwrap();
    assert_eq!(response.version(), http::Version::HTTP_11);

    let offers_h2 = tls_server(ca.server_cert(&["127.0.0.1"]), BOTH).await;
    let no_h2 = HyperTransport::builder()
        .add_root_certificates_pem(&ca.pem)
        .http2(false)
        .build()
        .unwrap();
    let response = no_h2.send(get(&offers_h2.https_url())).await.unwrap();
    assert_eq!(response.version(), http::Version::HTTP_11);
    assert_eq!(&response.body()[..], b"hello over HTTP/1.1");
}

#[test]
fn unusable_pem_fails_the_build_naming_the_setting() {
    let err = HyperTransport::builder()
        .add_root_certificates_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Config);
    assert!(err.to_string().contains("add_root_certificates_pem"), "{err}");

    let err = HyperTransport::builder().webpki_roots(false).build().unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Config);
    assert!(err.to_string().contains("no root certificates are trusted"), "{err}");
}
