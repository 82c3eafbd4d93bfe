//! The default transport through a loopback HTTP proxy written here: HTTPS through CONNECT with TLS end to
//! end, basic auth, NO_PROXY, the environment rules, plain HTTP forwarding, and a signed call to the
//! emulator through the proxy.

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use support::{get, http_server, tls_server, TestCa};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use trtc_emulator::{Emulator, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};
use trtc_transport::{
    Client, Credentials, DismissRoomRequest, HyperTransport, ProxyConfig, Region, Transport, TransportErrorKind,
};

const BOTH: &[&[u8]] = &[b"h2", b"http/1.1"];

/// What the proxy saw of one request to it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    authorization: Option<String>,
}

/// A tiny HTTP proxy: `CONNECT` opens a tunnel, any other method is forwarded to the host of its
/// absolute-form target. With `require` set, a request without that `Proxy-Authorization` gets 407.
struct TestProxy {
    addr: SocketAddr,
    tunnels: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestProxy {
    async fn start(require: Option<&str>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let tunnels = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let require = require.map(str::to_string);
        let (tunnels2, seen2) = (tunnels.clone(), seen.clone());
        tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                let (tunnels, seen, require) = (tunnels2.clone(), seen2.clone(), require.clone());
                tokio::spawn(async move {
                    let _ = serve(client, tunnels, seen, require).await;
                });
            }
        });
        TestProxy { addr, tunnels, seen }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn url_with(&self, userinfo: &str) -> String {
        format!("http://{userinfo}@{}", self.addr)
    }

    fn tunnels(&self) -> usize {
        self.tunnels.load(Ordering::SeqCst)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(
    mut client: TcpStream,
    tunnels: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Seen>>>,
    require: Option<String>,
) -> std::io::Result<()> {
    let mut buffered = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffered.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffered.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffered[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let target = request_line.next().unwrap_or_default().to_string();
    let authorization = lines.find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("proxy-authorization")
            .then(|| value.trim().to_string())
    });
    seen.lock().unwrap().push(Seen {
        method: method.clone(),
        target: target.clone(),
        authorization: authorization.clone(),
    });
    if require.is_some() && authorization != require {
        client
            .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
            .await?;
        return Ok(());
    }
    let mut upstream = if method == "CONNECT" {
        let upstream = TcpStream::connect(&target).await?;
        tunnels.fetch_add(1, Ordering::SeqCst);
        client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await?;
        client.write_all(&buffered[head_end..]).await?;
        upstream
    } else {
        let authority = target
            .strip_prefix("http://")
            .and_then(|t| t.split('/').next())
            .unwrap_or_default();
        let mut upstream = TcpStream::connect(authority).await?;
        upstream.write_all(&buffered).await?;
        upstream
    };
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

fn basic(credentials: &str) -> String {
    // The expected header is computed independently of the crate's encoder: RFC 7617's own example and a
    // table for the test credentials.
    match credentials {
        "Aladdin:open sesame" => "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".into(),
        "alice:p@ss:word" => "Basic YWxpY2U6cEBzczp3b3Jk".into(),
        other => panic!("no expected value for {other}"),
    }
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_basic_auth() {
    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["127.0.0.1"]), BOTH).await;
    let proxy = TestProxy::start(Some(&basic("alice:p@ss:word"))).await;
    let transport = HyperTransport::builder()
        .add_root_certificates_pem(&ca.pem)
        .proxy(proxy.url_with("alice:p%40ss%3Aword"))
        .build()
        .unwrap();

    let response = transport.send(get(&server.https_url())).await.unwrap();
    assert_eq!(response.status(), 200);
    // TLS ran end to end with the real server (its certificate checked against 127.0.0.1), and ALPN still
    // negotiated HTTP/2 inside the tunnel.
    assert_eq!(response.version(), http::Version::HTTP_2);
    assert_eq!(proxy.tunnels(), 1);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "CONNECT");
    assert_eq!(seen[0].target, server.addr.to_string());
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some(basic("alice:p@ss:word").as_str())
    );

    // The tunnelled connection is pooled like any other.
    transport.send(get(&server.https_url())).await.unwrap();
    assert_eq!(proxy.tunnels(), 1);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn wrong_or_missing_proxy_credentials_are_a_proxy_error_without_the_password() {
    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["127.0.0.1"]), BOTH).await;
    let proxy = TestProxy::start(Some(&basic("Aladdin:open sesame"))).await;

    let wrong = HyperTransport::builder()
        .add_root_certificates_pem(&ca.pem)
        .proxy(proxy.url_with("Aladdin:not-the-password"))
        .build()
        .unwrap();
    let err = wrong.send(get(&server.https_url())).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Proxy, "{err}");
    assert!(!err.maybe_sent());
    assert!(err.to_string().contains("refused the credentials"), "{err}");
    for output in [err.to_string(), format!("{err:?}"), format!("{wrong:?}")] {
        assert!(!output.contains("not-the-password"), "{output}");
        assert!(!output.contains("QWxhZGRpbjpub3QtdGhlLXBhc3N3b3Jk"), "{output}");
    }

    let missing = HyperTransport::builder()
        .add_root_certificates_pem(&ca.pem)
        .proxy(proxy.url())
        .build()
        .unwrap();
    let err = missing.send(get(&server.https_url())).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Proxy);
    assert!(err.to_string().contains("requires credentials"), "{err}");
    assert_eq!(proxy.tunnels(), 0);
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn an_unreachable_proxy_is_a_proxy_error() {
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let transport = HyperTransport::builder()
        .proxy(format!("http://{addr}"))
        .build()
        .unwrap();
    let err = transport.send(get("https://127.0.0.1:9/")).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Proxy, "{err}");
    assert!(!err.maybe_sent());
    assert!(
        err.to_string().starts_with(&format!("cannot reach the proxy {addr}")),
        "{err}"
    );
}

#[tokio::test]
async fn a_refused_or_dropped_connect_is_a_proxy_error_saying_which() {
    for (answer, says) in [
        (
            &b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"[..],
            "refused the tunnel to 127.0.0.1:9",
        ),
        (b"", "closed the connection instead of answering CONNECT 127.0.0.1:9"),
    ] {
        // A proxy that reads the CONNECT request and answers it with `answer`, then hangs up.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut client, _) = listener.accept().await.unwrap();
            let mut head = [0u8; 1024];
            let _ = client.read(&mut head).await;
            let _ = client.write_all(answer).await;
        });
        let transport = HyperTransport::builder()
            .proxy(format!("http://{addr}"))
            .build()
            .unwrap();
        let err = transport.send(get("https://127.0.0.1:9/")).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Proxy, "{err}");
        assert!(!err.maybe_sent());
        let expected = format!("the proxy {addr} {says}");
        assert!(err.to_string().starts_with(&expected), "{err}");
    }
}

#[tokio::test]
async fn no_proxy_hosts_go_direct() {
    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["127.0.0.1"]), BOTH).await;
    let proxy = TestProxy::start(None).await;
    for rule in ["127.0.0.1", "127.0.0.0/8", "*", "example.com, 127.0.0.1"] {
        let transport = HyperTransport::builder()
            .add_root_certificates_pem(&ca.pem)
            .proxy(proxy.url())
            .no_proxy(rule)
            .build()
            .unwrap();
        assert_eq!(
            transport.send(get(&server.https_url())).await.unwrap().status(),
            200,
            "{rule}"
        );
    }
    assert_eq!(proxy.tunnels(), 0);
    assert!(proxy.seen().is_empty());
}

#[tokio::test]
async fn environment_proxies_never_take_loopback_traffic() {
    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["127.0.0.1"]), BOTH).await;
    let proxy = TestProxy::start(None).await;
    let url = proxy.url();
    let env =
        ProxyConfig::from_env_with(|name| matches!(name, "HTTPS_PROXY" | "HTTP_PROXY").then(|| url.clone())).unwrap();
    let transport = HyperTransport::builder()
        .add_root_certificates_pem(&ca.pem)
        .proxy_config(env)
        .build()
        .unwrap();
    assert_eq!(transport.send(get(&server.https_url())).await.unwrap().status(), 200);
    assert_eq!(proxy.tunnels(), 0);
    assert!(proxy.seen().is_empty());
}

#[test]
fn environment_variables_are_read_as_curl_and_go_read_them() {
    let lookup = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    };
    let api: http::Uri = "https://trtc.tencentcloudapi.com/".parse().unwrap();

    // Upper case first, lower case as the fallback; empty counts as unset.
    let proxy = ProxyConfig::from_env_with(lookup(&[
        ("HTTPS_PROXY", ""),
        ("https_proxy", "http://u:secret@proxy.corp.example:3128"),
    ]))
    .unwrap();
    let server = proxy.proxy_for(&api).unwrap();
    assert_eq!((server.host(), server.port()), ("proxy.corp.example", 3128));
    assert!(server.has_credentials());
    assert!(!format!("{proxy:?}").contains("secret"));
    let proxy = ProxyConfig::from_env_with(lookup(&[("HTTPS_PROXY", "upper:1"), ("https_proxy", "lower:2")])).unwrap();
    assert_eq!(proxy.proxy_for(&api).unwrap().host(), "upper");

    // HTTPS requests do not use HTTP_PROXY.
    let proxy = ProxyConfig::from_env_with(lookup(&[("HTTP_PROXY", "http-only:3128")])).unwrap();
    assert!(proxy.proxy_for(&api).is_none());
    assert!(proxy.proxy_for(&"http://10.0.0.1/".parse().unwrap()).is_some());

    // NO_PROXY: suffixes, `*`, lower case fallback.
    for (name, value, bypassed) in [
        ("NO_PROXY", "tencentcloudapi.com", true),
        ("no_proxy", ".tencentcloudapi.com", true),
        ("NO_PROXY", "*", true),
        ("NO_PROXY", "cloudapi.com", false),
        ("NO_PROXY", "other.example", false),
    ] {
        let vars: &'static [(&'static str, &'static str)] =
            Box::leak(vec![("HTTPS_PROXY", "proxy:3128"), (name, value)].into_boxed_slice());
        let proxy = ProxyConfig::from_env_with(lookup(vars)).unwrap();
        assert_eq!(proxy.proxy_for(&api).is_none(), bypassed, "{name}={value}");
    }

    // In a CGI program HTTP_PROXY may come from a request header: only http_proxy is trusted there.
    let cgi = ProxyConfig::from_env_with(lookup(&[("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "attacker:80")])).unwrap();
    assert!(cgi.proxy_for(&"http://10.0.0.1/".parse().unwrap()).is_none());

    // A malformed value names the variable and hides the password.
    let err = ProxyConfig::from_env_with(lookup(&[("https_proxy", "ftp://u:hunter2@proxy:21")])).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Config);
    assert!(
        err.to_string().starts_with("https_proxy=\"ftp://***@proxy:21\""),
        "{err}"
    );
    assert!(!err.to_string().contains("hunter2"));
}

#[tokio::test]
async fn plain_http_to_a_loopback_endpoint_is_forwarded_by_an_explicit_proxy() {
    let server = http_server().await;
    let proxy = TestProxy::start(Some(&basic("Aladdin:open sesame"))).await;
    let transport = HyperTransport::builder()
        .proxy(proxy.url_with("Aladdin:open%20sesame"))
        .build()
        .unwrap();
    let response = transport.send(get(&server.http_url())).await.unwrap();
    assert_eq!(&response.body()[..], b"hello over HTTP/1.1");
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].target, server.http_url(), "absolute form");
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some(basic("Aladdin:open sesame").as_str())
    );
    assert_eq!(proxy.tunnels(), 0);
}

#[tokio::test]
async fn a_signed_call_reaches_the_emulator_through_the_proxy() {
    const APP: u64 = 1400000001;
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 1234))
        .await
        .unwrap();
    let proxy = TestProxy::start(None).await;
    let client = Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .transport(HyperTransport::builder().proxy(proxy.url()).build().unwrap())
        .build()
        .unwrap();
    client.dismiss_room(DismissRoomRequest::new(APP, 1234)).await.unwrap();
    assert!(!emulator.room_exists(APP, 1234));
    assert_eq!(proxy.seen().len(), 1, "the call went through the proxy");
}
