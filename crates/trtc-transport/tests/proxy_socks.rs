//! The default transport through a loopback SOCKS5 proxy written here (RFC 1928, user/password by RFC 1929):
//! HTTPS with TLS end to end, names resolved by the proxy (`socks5h`) or here (`socks5`), credentials right,
//! wrong and missing, a refused destination, an unreachable proxy, and a signed call to the emulator.

mod support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use support::{get, tls_server, TestCa};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use trtc_emulator::{Emulator, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};
use trtc_transport::{
    Client, Credentials, DismissRoomRequest, HyperTransport, ProxyConfig, Region, Transport, TransportErrorKind,
};

const BOTH: &[&[u8]] = &[b"h2", b"http/1.1"];

/// Where a client asked the proxy to connect.
#[derive(Debug, Clone, PartialEq)]
enum Destination {
    Ip(SocketAddr),
    Domain(String, u16),
}

/// What the proxy saw of one handshake.
#[derive(Debug, Clone)]
struct Seen {
    methods: Vec<u8>,
    credentials: Option<(String, String)>,
    destination: Option<Destination>,
}

/// A tiny SOCKS5 server: `CONNECT` only, no authentication or user/password (when `credentials` is set).
/// With `refuse`, every destination is answered "host unreachable".
struct SocksProxy {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl SocksProxy {
    async fn start(credentials: Option<(&'static str, &'static str)>, refuse: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let seen2 = seen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let seen = seen2.clone();
                tokio::spawn(async move {
                    let _ = serve(client, credentials, refuse, seen).await;
                });
            }
        });
        SocksProxy { addr, seen }
    }

    fn url(&self, scheme: &str, userinfo: &str) -> String {
        format!("{scheme}://{userinfo}{}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn read_u8(stream: &mut TcpStream) -> std::io::Result<u8> {
    let mut byte = [0u8; 1];
    stream.read_exact(&mut byte).await?;
    Ok(byte[0])
}

async fn read_string(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut bytes = vec![0u8; usize::from(read_u8(stream).await?)];
    stream.read_exact(&mut bytes).await?;
    Ok(String::from_utf8(bytes).unwrap())
}

async fn serve(
    mut client: TcpStream,
    credentials: Option<(&'static str, &'static str)>,
    refuse: bool,
    seen: Arc<Mutex<Vec<Seen>>>,
) -> std::io::Result<()> {
    // RFC 1928 §3: VER NMETHODS METHODS; the answer picks one method or 0xFF.
    assert_eq!(read_u8(&mut client).await?, 5, "SOCKS version");
    let mut methods = vec![0u8; usize::from(read_u8(&mut client).await?)];
    client.read_exact(&mut methods).await?;
    let mut record = Seen {
        methods: methods.clone(),
        credentials: None,
        destination: None,
    };
    let wanted = if credentials.is_some() { 2 } else { 0 };
    if !methods.contains(&wanted) {
        seen.lock().unwrap().push(record);
        return client.write_all(&[5, 0xFF]).await;
    }
    client.write_all(&[5, wanted]).await?;
    if wanted == 2 {
        // RFC 1929: VER(1) ULEN UNAME PLEN PASSWD; the answer's status 0 is success.
        assert_eq!(read_u8(&mut client).await?, 1, "user/password version");
        let given = (read_string(&mut client).await?, read_string(&mut client).await?);
        let accepted = credentials.is_some_and(|(u, p)| given.0 == u && given.1 == p);
        record.credentials = Some(given);
        client.write_all(&[1, if accepted { 0 } else { 1 }]).await?;
        if !accepted {
            seen.lock().unwrap().push(record);
            return Ok(());
        }
    }
    // RFC 1928 §4: VER CMD RSV ATYP DST.ADDR DST.PORT.
    let mut request = [0u8; 4];
    client.read_exact(&mut request).await?;
    assert_eq!(request[..3], [5, 1, 0], "a CONNECT request");
    let destination = match request[3] {
        1 => {
            let mut ip = [0u8; 4];
            client.read_exact(&mut ip).await?;
            Destination::Ip(SocketAddr::new(Ipv4Addr::from(ip).into(), client.read_u16().await?))
        }
        3 => Destination::Domain(read_string(&mut client).await?, client.read_u16().await?),
        4 => {
            let mut ip = [0u8; 16];
            client.read_exact(&mut ip).await?;
            Destination::Ip(SocketAddr::new(Ipv6Addr::from(ip).into(), client.read_u16().await?))
        }
        other => panic!("unknown address type {other}"),
    };
    record.destination = Some(destination.clone());
    seen.lock().unwrap().push(record);
    let upstream = match (&destination, refuse) {
        (_, true) => None,
        (Destination::Ip(addr), false) => TcpStream::connect(addr).await.ok(),
        (Destination::Domain(name, port), false) => TcpStream::connect((name.as_str(), *port)).await.ok(),
    };
    // The answer: VER REP RSV ATYP BND.ADDR BND.PORT; REP 4 is "host unreachable".
    let Some(mut upstream) = upstream else {
        return client.write_all(&[5, 4, 0, 1, 0, 0, 0, 0, 0, 0]).await;
    };
    client.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0]).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

#[tokio::test]
async fn https_goes_through_socks5h_with_the_name_resolved_by_the_proxy() {
    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["localhost"]), BOTH).await;
    let proxy = SocksProxy::start(Some(("alice", "p@ss:word")), false).await;
    let transport = HyperTransport::builder()
        .add_root_certificates_pem(&ca.pem)
        .proxy(proxy.url("socks5h", "alice:p%40ss%3Aword@"))
        .build()
        .unwrap();
    let url = format!("https://localhost:{}/", server.addr.port());

    let response = transport.send(get(&url)).await.unwrap();
    assert_eq!(response.status(), 200);
    // TLS ran end to end with the server (its certificate checked against "localhost"), HTTP/2 inside.
    assert_eq!(response.version(), http::Version::HTTP_2);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].methods,
        [2],
        "only user/password is offered when credentials are given"
    );
    assert_eq!(
        seen[0].credentials,
        Some(("alice".to_string(), "p@ss:word".to_string()))
    );
    assert_eq!(
        seen[0].destination,
        Some(Destination::Domain("localhost".into(), server.addr.port()))
    );

    // The connection through the proxy is pooled like any other.
    transport.send(get(&url)).await.unwrap();
    assert_eq!(proxy.seen().len(), 1);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn socks5_resolves_names_here_and_a_refused_destination_is_a_proxy_error() {
    let proxy = SocksProxy::start(None, true).await;
    let transport = HyperTransport::builder()
        .proxy(proxy.url("socks5", ""))
        .build()
        .unwrap();
    let err = transport.send(get("https://localhost:4443/")).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Proxy, "{err}");
    assert!(!err.maybe_sent());
    let expected = format!(
        "the SOCKS5 proxy {} refused the connection to localhost:4443: host unreachable",
        proxy.addr
    );
    assert_eq!(err.to_string(), expected);
    let seen = proxy.seen();
    assert_eq!(seen[0].methods, [0], "no credentials, no user/password method");
    match &seen[0].destination {
        Some(Destination::Ip(addr)) => assert!(addr.ip().is_loopback() && addr.port() == 4443, "{addr}"),
        other => panic!("socks5:// should send an address, not {other:?}"),
    }
}

#[tokio::test]
async fn an_ip_destination_goes_as_an_ip_without_credentials() {
    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["127.0.0.1"]), BOTH).await;
    let proxy = SocksProxy::start(None, false).await;
    let transport = HyperTransport::builder()
        .add_root_certificates_pem(&ca.pem)
        .proxy(proxy.url("socks5", ""))
        .build()
        .unwrap();
    assert_eq!(transport.send(get(&server.https_url())).await.unwrap().status(), 200);
    let seen = proxy.seen();
    assert_eq!(seen[0].destination, Some(Destination::Ip(server.addr)));
    assert_eq!(seen[0].credentials, None);
}

#[tokio::test]
async fn wrong_or_missing_socks_credentials_are_a_proxy_error_without_the_password() {
    let proxy = SocksProxy::start(Some(("Aladdin", "open sesame")), false).await;
    let wrong = HyperTransport::builder()
        .proxy(proxy.url("socks5h", "Aladdin:not-the-password@"))
        .build()
        .unwrap();
    let err = wrong.send(get("https://127.0.0.1:9/")).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Proxy, "{err}");
    assert!(!err.maybe_sent());
    assert!(err.to_string().contains("refused the credentials"), "{err}");
    for output in [err.to_string(), format!("{err:?}"), format!("{wrong:?}")] {
        assert!(!output.contains("not-the-password"), "{output}");
    }

    let missing = HyperTransport::builder()
        .proxy(proxy.url("socks5h", ""))
        .build()
        .unwrap();
    let err = missing.send(get("https://127.0.0.1:9/")).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Proxy);
    assert!(err.to_string().contains("requires credentials"), "{err}");
    assert!(err.to_string().contains("socks5h://user:password@host:port"), "{err}");
    assert!(
        proxy.seen().iter().all(|s| s.destination.is_none()),
        "no CONNECT was sent"
    );
}

#[tokio::test]
async fn an_unreachable_socks_proxy_is_a_proxy_error() {
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let transport = HyperTransport::builder()
        .proxy(format!("socks5://{addr}"))
        .build()
        .unwrap();
    let err = transport.send(get("https://127.0.0.1:9/")).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Proxy, "{err}");
    assert!(
        err.to_string().starts_with(&format!("cannot reach the proxy {addr}")),
        "{err}"
    );
}

#[test]
fn socks_proxies_come_from_the_environment_too() {
    let env = ProxyConfig::from_env_with(|name| (name == "HTTPS_PROXY").then(|| "socks5h://u:secret@gw:1081".into()))
        .unwrap();
    let server = env
        .proxy_for(&"https://trtc.tencentcloudapi.com/".parse().unwrap())
        .unwrap();
    assert_eq!(
        (server.host(), server.port(), server.has_credentials()),
        ("gw", 1081, true)
    );
    assert!(!format!("{env:?}").contains("secret"));
}

#[tokio::test]
async fn a_signed_call_reaches_the_emulator_through_a_socks_proxy() {
    const APP: u64 = 1400000001;
    let emulator = Emulator::start(EmulatorConfig::demo(APP).room(APP, 1234))
        .await
        .unwrap();
    let proxy = SocksProxy::start(None, false).await;
    let client = Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .transport(
            HyperTransport::builder()
                .proxy(proxy.url("socks5", ""))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    client.dismiss_room(DismissRoomRequest::new(APP, 1234)).await.unwrap();
    assert!(!emulator.room_exists(APP, 1234));
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "the call went through the proxy");
    let Some(Destination::Ip(addr)) = &seen[0].destination else {
        panic!("{seen:?}")
    };
    assert!(matches!(addr.ip(), IpAddr::V4(ip) if ip.is_loopback()));
}

/// The same handshakes against a SOCKS5 server we did not write: Debian's `microsocks`
/// (`apt-get install microsocks`; another binary with `TRTC_TEST_MICROSOCKS=/path`).
#[tokio::test]
#[ignore = "needs microsocks: cargo test -p trtc-transport --test proxy_socks -- --ignored"]
async fn microsocks_carries_https_and_refuses_a_wrong_password() {
    let program = std::env::var("TRTC_TEST_MICROSOCKS").unwrap_or_else(|_| "microsocks".into());
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap();
    drop(free);
    /// Stops the server however the test ends.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _microsocks = Running(
        std::process::Command::new(&program)
            .args([
                "-i",
                "127.0.0.1",
                "-p",
                &addr.port().to_string(),
                "-u",
                "alice",
                "-P",
                "s3cret",
            ])
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}")),
    );
    for _ in 0..100 {
        if TcpStream::connect(addr).await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    let ca = TestCa::new();
    let server = tls_server(ca.server_cert(&["localhost", "127.0.0.1"]), BOTH).await;
    let url = format!("https://localhost:{}/", server.addr.port());
    for scheme in ["socks5h", "socks5"] {
        let transport = HyperTransport::builder()
            .add_root_certificates_pem(&ca.pem)
            .proxy(format!("{scheme}://alice:s3cret@{addr}"))
            .build()
            .unwrap();
        // With socks5 the name is resolved here and may come out as ::1, where the server does not listen.
        let target = if scheme == "socks5" {
            server.https_url()
        } else {
            url.clone()
        };
        let response = transport.send(get(&target)).await.unwrap();
        assert_eq!(
            (response.status(), response.version()),
            (http::StatusCode::OK, http::Version::HTTP_2),
            "{scheme}"
        );
    }

    let wrong = HyperTransport::builder()
        .add_root_certificates_pem(&ca.pem)
        .proxy(format!("socks5h://alice:wrong@{addr}"))
        .build()
        .unwrap();
    let err = wrong.send(get(&url)).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Proxy, "{err}");
    assert!(err.to_string().contains("refused the credentials"), "{err}");
    assert_eq!(server.connections(), 2);
}
