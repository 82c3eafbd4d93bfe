use super::*;

fn uri(s: &str) -> Uri {
    s.parse().unwrap()
}

fn server(url: &str) -> ProxyServer {
    let any = uri("https://trtc.tencentcloudapi.com/");
    ProxyConfig::new(url).unwrap().proxy_for(&any).unwrap()
}

#[test]
fn basic_credentials_match_rfc_7617() {
    // RFC 7617's example, and escapes decoded before encoding (expected values from Python's base64).
    let rfc = server("http://Aladdin:open%20sesame@proxy.example:3128");
    assert_eq!(rfc.authorization().unwrap(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    let escaped = server("http://al%40ice:p%3Ass@proxy.example:3128/");
    let value = escaped.authorization().unwrap();
    assert!(value.is_sensitive());
    assert_eq!(value, "Basic YWxAaWNlOnA6c3M=");
    assert_eq!((escaped.host(), escaped.port()), ("proxy.example", 3128));
    assert_eq!(escaped.dial(), &uri("http://proxy.example:3128/"));
    assert_eq!(escaped.socks_credentials(), None);
}

#[test]
fn bare_host_means_http_on_port_80() {
    let bare = server("Proxy.Example");
    assert_eq!((bare.host(), bare.port()), ("proxy.example", 80));
    assert_eq!(bare.protocol(), Protocol::Http);
    assert!(!bare.has_credentials());
    let v6 = server("http://[::1]:8080");
    assert_eq!(
        (v6.host(), v6.port(), v6.address()),
        ("::1", 8080, "[::1]:8080".to_string())
    );
    assert_eq!(v6.dial(), &uri("http://[::1]:8080/"));
}

#[test]
fn socks5_urls_name_their_resolver_and_default_to_port_1080() {
    let local = server("socks5://proxy.example");
    assert_eq!(local.protocol(), Protocol::Socks5 { remote_dns: false });
    assert_eq!((local.port(), local.dial()), (1080, &uri("http://proxy.example:1080/")));
    let remote = server("SOCKS5H://u%40x:p%3Aw@proxy.example:9050");
    assert_eq!(remote.protocol(), Protocol::Socks5 { remote_dns: true });
    assert_eq!(remote.port(), 9050);
    assert_eq!(remote.socks_credentials(), Some(("u@x", "p:w")));
    assert!(remote.has_credentials() && remote.authorization().is_none());
}

#[test]
fn refuses_what_it_cannot_use() {
    let long = "u".repeat(256);
    for (url, says) in [
        ("https://proxy:3128", "https:// proxies"),
        ("socks4://proxy:1080", "\"socks4\" is not supported"),
        ("http://proxy:0", "port"),
        ("http://proxy:http", "port"),
        ("http://:3128", "host is missing"),
        ("http://proxy:3128/path", "without a path"),
        ("http://pro xy:3128", "not a valid host"),
        ("http://u:%zz@proxy:3128", "password has an invalid"),
        ("http://u:p@ss@proxy:3128", "'@' in the password as %40"),
        ("http://:pw@proxy:3128", "user name before '@' is empty"),
        ("http://[::1", "closed with ']'"),
        ("http://u:a{b}@proxy:3128", "percent-encode it"),
        (&format!("socks5://{long}:p@proxy"), "at most 255 bytes"),
    ] {
        let err = ProxyConfig::new(url).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Config);
        assert!(err.to_string().contains(says), "{url}: {err}");
    }
}

#[test]
fn errors_and_debug_hide_passwords() {
    let err = ProxyConfig::new("http://alice:hunter2@proxy:99999").unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(err.to_string().contains("***@proxy:99999"), "{err}");
    for url in ["http://alice:hunter2@proxy:3128", "socks5h://alice:hunter2@proxy:1080"] {
        let config = ProxyConfig::new(url).unwrap();
        let debug = format!("{config:?} {:?}", server(url));
        assert!(
            !debug.contains("hunter2") && !debug.contains("YWxpY2U6aHVudGVyMg"),
            "{debug}"
        );
        assert!(debug.contains("\"***\""), "{debug}");
    }
}

#[test]
fn no_proxy_matches_on_label_boundaries() {
    let config = ProxyConfig::new("proxy:3128")
        .unwrap()
        .no_proxy(" example.com, .corp.example ,*.wild.example, 10.0.0.0/8")
        .no_proxy("192.168.1.7, fd00::/8, [::2] ,trailing.example.");
    let bypassed = |host: &str| config.proxy_for(&uri(&format!("https://{host}/"))).is_none();
    for host in [
        "example.com",
        "api.example.com",
        "EXAMPLE.COM.",
        "corp.example",
        "a.b.corp.example",
        "x.wild.example",
        "trailing.example",
        "10.1.2.3",
        "192.168.1.7",
        "[fd12::1]",
        "[::2]",
    ] {
        assert!(bypassed(host), "{host} should bypass");
    }
    for host in [
        "notexample.com",
        "example.com.evil",
        "11.0.0.1",
        "192.168.1.8",
        "[fe80::1]",
        "[::3]",
        "corp.examples",
    ] {
        assert!(!bypassed(host), "{host} should be proxied");
    }
    let all = ProxyConfig::new("proxy:3128").unwrap().no_proxy("*");
    for host in ["anything.example", "10.0.0.1", "[2001:db8::1]"] {
        assert!(
            all.proxy_for(&uri(&format!("https://{host}/"))).is_none(),
            "* covers {host}"
        );
    }
    let everything = ProxyConfig::new("proxy:3128").unwrap().no_proxy("0.0.0.0/0");
    assert!(everything.proxy_for(&uri("https://8.8.8.8/")).is_none());
    let none = ProxyConfig::new("proxy:3128").unwrap().no_proxy("");
    assert!(none.proxy_for(&uri("https://example.com/")).is_some());
}

#[test]
fn explicit_proxy_covers_loopback_env_proxy_does_not() {
    let explicit = ProxyConfig::new("proxy:3128").unwrap();
    assert!(explicit.proxy_for(&uri("https://127.0.0.1:8443/")).is_some());
    assert!(explicit.proxy_for(&uri("http://localhost:8080/")).is_some());
    let env = ProxyConfig::from_env_with(|name| {
        matches!(name, "HTTPS_PROXY" | "HTTP_PROXY").then(|| "proxy:3128".to_string())
    })
    .unwrap();
    for loopback in [
        "https://127.0.0.1:8443/",
        "http://localhost:8080/",
        "https://[::1]/",
        "http://127.9.9.9/",
    ] {
        assert!(env.proxy_for(&uri(loopback)).is_none(), "{loopback}");
    }
    assert!(env.proxy_for(&uri("https://trtc.tencentcloudapi.com/")).is_some());
    assert!(env.proxy_for(&uri("http://10.1.1.1/")).is_some());
}
