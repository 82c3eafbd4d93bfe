//! Which requests go through an HTTP proxy, and which proxy: an explicit proxy URL or the conventional
//! `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` variables, with the `NO_PROXY` matching rules.
//!
//! Only the decision lives here; the connector in `hyper_transport` opens the tunnels.

use std::fmt;
use std::net::IpAddr;

use http::HeaderValue;

use crate::{TransportError, TransportErrorKind};

/// Where the transport sends requests through an HTTP proxy.
///
/// HTTPS requests go through a `CONNECT` tunnel: the proxy sees only the host and port, and TLS runs end
/// to end with the real service, certificates checked against its name. Plain HTTP requests (which the
/// client allows only for loopback endpoints) are forwarded in absolute form.
///
/// Two ways to make one:
/// - [`ProxyConfig::new`]: one explicit proxy for every request, loopback included.
/// - [`ProxyConfig::from_env`]: the conventional variables; loopback hosts (`localhost`, `127.0.0.0/8`,
///   `::1`) are never proxied this way.
///
/// [`no_proxy`](ProxyConfig::no_proxy) adds hosts that bypass the proxy in either case.
///
/// ```
/// use trtc_transport::ProxyConfig;
///
/// let proxy = ProxyConfig::new("http://alice:s3cret@proxy.corp.example:3128")?.no_proxy(".corp.example, 10.0.0.0/8");
/// let uri = "https://trtc.tencentcloudapi.com/".parse().unwrap();
/// let server = proxy.proxy_for(&uri).expect("proxied");
/// assert_eq!((server.host(), server.port()), ("proxy.corp.example", 3128));
/// assert!(proxy.proxy_for(&"https://api.corp.example/".parse().unwrap()).is_none());
/// assert!(!format!("{proxy:?}").contains("s3cret"));
/// # Ok::<(), trtc_transport::TransportError>(())
/// ```
#[derive(Clone)]
pub struct ProxyConfig {
    https: Option<ProxyServer>,
    http: Option<ProxyServer>,
    no_proxy: NoProxy,
    bypass_loopback: bool,
}

impl ProxyConfig {
    /// One proxy for every request: `http://[user:password@]host[:port]` (a bare `host:port` means
    /// `http://`; the port defaults to 80). User and password may be percent-encoded; they are sent as
    /// `Proxy-Authorization: Basic`.
    ///
    /// Refused: `https://` proxies (TLS to the proxy itself), SOCKS proxies, and URLs without a host.
    pub fn new(url: &str) -> Result<Self, TransportError> {
        let server = ProxyServer::parse(url).map_err(|problem| config_error("proxy", url, problem))?;
        Ok(ProxyConfig {
            https: Some(server.clone()),
            http: Some(server),
            no_proxy: NoProxy::default(),
            bypass_loopback: false,
        })
    }

    /// The proxy settings of the process environment; see [`from_env_with`](ProxyConfig::from_env_with).
    pub fn from_env() -> Result<Self, TransportError> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// The proxy settings found by `lookup` (a variable name to its value), read as curl and Go read them:
    ///
    /// - `HTTPS_PROXY`, else `https_proxy`: the proxy for HTTPS requests.
    /// - `HTTP_PROXY`, else `http_proxy`: the proxy for plain HTTP requests. When `REQUEST_METHOD` is set
    ///   (a CGI program, where a client can set `HTTP_PROXY` through a `Proxy:` header), only `http_proxy`
    ///   is read.
    /// - `NO_PROXY`, else `no_proxy`: hosts that bypass the proxy (see [`no_proxy`](ProxyConfig::no_proxy)).
    ///
    /// Empty values count as unset; `ALL_PROXY` is not read. Loopback hosts are never proxied this way.
    /// A malformed value is an error naming the variable (with any password hidden).
    ///
    /// ```
    /// use trtc_transport::ProxyConfig;
    ///
    /// let env = |name: &str| match name {
    ///     "https_proxy" => Some("proxy.corp.example:3128".to_string()),
    ///     "NO_PROXY" => Some("internal.example".to_string()),
    ///     _ => None,
    /// };
    /// let proxy = ProxyConfig::from_env_with(env)?;
    /// assert!(proxy.proxy_for(&"https://trtc.tencentcloudapi.com/".parse().unwrap()).is_some());
    /// assert!(proxy.proxy_for(&"https://a.internal.example/".parse().unwrap()).is_none());
    /// assert!(proxy.proxy_for(&"https://127.0.0.1:8443/".parse().unwrap()).is_none());
    /// # Ok::<(), trtc_transport::TransportError>(())
    /// ```
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, TransportError> {
        let first = |names: &[&'static str]| {
            names
                .iter()
                .find_map(|&name| lookup(name).filter(|v| !v.trim().is_empty()).map(|v| (name, v)))
        };
        let server = |found: Option<(&'static str, String)>| -> Result<Option<ProxyServer>, TransportError> {
            match found {
                None => Ok(None),
                Some((name, value)) => ProxyServer::parse(&value)
                    .map(Some)
                    .map_err(|problem| config_error(name, &value, problem)),
            }
        };
        let https = server(first(&["HTTPS_PROXY", "https_proxy"]))?;
        let http_names: &[&'static str] = if lookup("REQUEST_METHOD").is_some() {
            &["http_proxy"]
        } else {
            &["HTTP_PROXY", "http_proxy"]
        };
        let http = server(first(http_names))?;
        let no_proxy = first(&["NO_PROXY", "no_proxy"])
            .map(|(_, list)| NoProxy::parse(&list))
            .unwrap_or_default();
        Ok(ProxyConfig {
            https,
            http,
            no_proxy,
            bypass_loopback: true,
        })
    }

    /// Adds hosts that bypass the proxy: a comma-separated list of domain names (each matches itself and
    /// its subdomains; a leading `.` or `*.` is ignored), IP addresses, CIDR ranges (`10.0.0.0/8`,
    /// `fd00::/8`), or `*` for every host. Case and surrounding spaces are ignored; ports are not matched.
    pub fn no_proxy(mut self, list: &str) -> Self {
        self.no_proxy.extend(NoProxy::parse(list));
        self
    }

    /// The proxy a request to `uri` goes through, or `None` when it goes direct.
    pub fn proxy_for(&self, uri: &http::Uri) -> Option<&ProxyServer> {
        let host = uri.host()?;
        let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        if self.no_proxy.matches(host) || (self.bypass_loopback && is_loopback(host)) {
            return None;
        }
        match uri.scheme_str() {
            Some("https") => self.https.as_ref(),
            Some("http") => self.http.as_ref(),
            _ => None,
        }
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("https", &self.https)
            .field("http", &self.http)
            .field("no_proxy", &self.no_proxy)
            .field("bypass_loopback", &self.bypass_loopback)
            .finish()
    }
}

/// One HTTP proxy: its address and, when given, the credentials it is sent.
///
/// `Debug` shows the address and whether credentials are set, never the credentials.
#[derive(Clone)]
pub struct ProxyServer {
    host: String,
    port: u16,
    uri: http::Uri,
    authorization: Option<HeaderValue>,
}

impl ProxyServer {
    /// The proxy's host name or IP address (an IPv6 address without brackets).
    pub fn host(&self) -> &str {
        self.host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(&self.host)
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether a user (and password) is sent to the proxy.
    pub fn has_credentials(&self) -> bool {
        self.authorization.is_some()
    }

    /// `http://host:port/`, what the connector dials.
    pub(crate) fn uri(&self) -> &http::Uri {
        &self.uri
    }

    /// The `Proxy-Authorization` value, marked sensitive.
    pub(crate) fn authorization(&self) -> Option<&HeaderValue> {
        self.authorization.as_ref()
    }

    fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        let rest = match url.split_once("://") {
            None => url,
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) if scheme.eq_ignore_ascii_case("https") => {
                return Err(
                    "https:// proxies (TLS to the proxy) are not supported: give the proxy as http://host:port; \
                     the tunnel to the service is still TLS end to end"
                        .into(),
                )
            }
            Some((scheme, _)) => {
                return Err(format!(
                    "the scheme {scheme:?} is not supported: only HTTP proxies (http://host:port) are"
                ))
            }
        };
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(userinfo), hostport),
            None => (None, rest),
        };
        let hostport = hostport.strip_suffix('/').unwrap_or(hostport);
        if hostport.contains(['/', '?', '#']) {
            return Err("give only http://[user:password@]host[:port], without a path or query".into());
        }
        let (host, port) = split_host_port(hostport)?;
        let authorization = match userinfo {
            None => None,
            Some(userinfo) => {
                let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                let user = percent_decode(user).ok_or("the user name has an invalid %-escape")?;
                let password = percent_decode(password).ok_or("the password has an invalid %-escape")?;
                if user.is_empty() {
                    return Err("the user name before '@' is empty".into());
                }
                let mut credentials = user;
                credentials.push(b':');
                credentials.extend_from_slice(&password);
                let mut value = HeaderValue::try_from(format!("Basic {}", base64(&credentials)))
                    .map_err(|_| "the credentials cannot be sent as a header".to_string())?;
                value.set_sensitive(true);
                Some(value)
            }
        };
        let uri = format!("http://{host}:{port}/")
            .parse()
            .map_err(|_| format!("{host:?} is not a valid host name"))?;
        Ok(ProxyServer {
            host,
            port,
            uri,
            authorization,
        })
    }
}

impl fmt::Debug for ProxyServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyServer")
            .field("host", &self.host())
            .field("port", &self.port)
            .field("credentials", &self.authorization.as_ref().map(|_| "***"))
            .finish()
    }
}

fn split_host_port(hostport: &str) -> Result<(String, u16), String> {
    let (host, port) = if let Some(after_bracket) = hostport.strip_prefix('[') {
        let (ip, tail) = after_bracket
            .split_once(']')
            .ok_or("an IPv6 address must be closed with ']'")?;
        if ip.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!("[{ip}] is not an IPv6 address"));
        }
        let port = match tail {
            "" => None,
            _ => Some(tail.strip_prefix(':').ok_or("expected ':' and a port after ']'")?),
        };
        (format!("[{ip}]"), port)
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (hostport.to_string(), None),
        }
    };
    if host.is_empty() || host == "[]" {
        return Err("the proxy host is missing: give http://host:port".into());
    }
    if !host.starts_with('[')
        && !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(format!("{host:?} is not a valid host name"));
    }
    let port = match port {
        None => 80,
        Some(port) => match port.parse::<u16>() {
            Ok(p) if p != 0 => p,
            _ => return Err(format!("the port {port:?} is not a number from 1 to 65535")),
        },
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// `NO_PROXY` rules, matched as curl and Go match them (domain suffixes on label boundaries, IPs, CIDR).
#[derive(Clone, Debug, Default)]
struct NoProxy {
    all: bool,
    domains: Vec<String>,
    networks: Vec<(IpAddr, u8)>,
}

impl NoProxy {
    fn parse(list: &str) -> Self {
        let mut rules = NoProxy::default();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if entry == "*" {
                rules.all = true;
            } else if let Some(network) = parse_network(entry) {
                rules.networks.push(network);
            } else {
                let domain = entry
                    .strip_prefix("*.")
                    .or_else(|| entry.strip_prefix('.'))
                    .unwrap_or(entry);
                let domain = domain.strip_suffix('.').unwrap_or(domain);
                if !domain.is_empty() {
                    rules.domains.push(domain.to_ascii_lowercase());
                }
            }
        }
        rules
    }

    fn extend(&mut self, other: NoProxy) {
        self.all |= other.all;
        self.domains.extend(other.domains);
        self.networks.extend(other.networks);
    }

    fn matches(&self, host: &str) -> bool {
        if self.all {
            return true;
        }
        if let Ok(ip) = host.parse::<IpAddr>() {
            return self.networks.iter().any(|&(net, len)| in_network(ip, net, len));
        }
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        self.domains.iter().any(|d| {
            host == *d
                || (host.len() > d.len()
                    && host.ends_with(d.as_str())
                    && host.as_bytes()[host.len() - d.len() - 1] == b'.')
        })
    }
}

fn parse_network(entry: &str) -> Option<(IpAddr, u8)> {
    let entry = entry
        .strip_prefix('[')
        .and_then(|e| e.strip_suffix(']'))
        .unwrap_or(entry);
    let (addr, len) = match entry.split_once('/') {
        Some((addr, len)) => (addr, Some(len)),
        None => (entry, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let len = match len {
        None => max,
        Some(len) => len.parse::<u8>().ok().filter(|&l| l <= max)?,
    };
    Some((ip, len))
}

fn in_network(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    let (ip, net, bits) = match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => (u128::from(u32::from(ip)), u128::from(u32::from(net)), 32u32),
        (IpAddr::V6(ip), IpAddr::V6(net)) => (u128::from(ip), u128::from(net), 128u32),
        _ => return false,
    };
    let shift = bits - u32::from(len);
    // A /0 range shifts every bit out; `checked_shr` keeps a shift by 128 defined.
    ip.checked_shr(shift).unwrap_or(0) == net.checked_shr(shift).unwrap_or(0)
}

fn is_loopback(host: &str) -> bool {
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
            host == "localhost" || host.ends_with(".localhost")
        }
    }
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Echoes a proxy URL in an error with the credentials replaced, so a typo never leaks a password.
fn redact(url: &str) -> String {
    match url.rsplit_once('@') {
        Some((before, after)) => match before.split_once("://") {
            Some((scheme, _)) => format!("{scheme}://***@{after}"),
            None => format!("***@{after}"),
        },
        None => url.to_string(),
    }
}

fn config_error(setting: &str, value: &str, problem: impl fmt::Display) -> TransportError {
    TransportError::new(
        TransportErrorKind::Config,
        format!(
            "{setting}={:?} is not a usable proxy URL: {problem}",
            redact(value.trim())
        ),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> http::Uri {
        s.parse().unwrap()
    }

    #[test]
    fn base64_matches_rfc_7617() {
        assert_eq!(base64(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
    }

    #[test]
    fn parses_credentials_with_escapes() {
        let server = ProxyServer::parse("http://al%40ice:p%3Ass@proxy.example:3128/").unwrap();
        assert_eq!((server.host(), server.port()), ("proxy.example", 3128));
        let value = server.authorization().unwrap();
        assert!(value.is_sensitive());
        assert_eq!(value.to_str().unwrap(), format!("Basic {}", base64(b"al@ice:p:ss")));
        assert_eq!(server.uri(), &uri("http://proxy.example:3128/"));
    }

    #[test]
    fn bare_host_means_http_on_port_80() {
        let server = ProxyServer::parse("Proxy.Example").unwrap();
        assert_eq!((server.host(), server.port()), ("proxy.example", 80));
        assert!(!server.has_credentials());
        let v6 = ProxyServer::parse("http://[::1]:8080").unwrap();
        assert_eq!((v6.host(), v6.port()), ("::1", 8080));
        assert_eq!(v6.uri(), &uri("http://[::1]:8080/"));
    }

    #[test]
    fn refuses_what_it_cannot_use() {
        for (url, says) in [
            ("https://proxy:3128", "https:// proxies"),
            ("socks5://proxy:1080", "\"socks5\" is not supported"),
            ("http://proxy:0", "port"),
            ("http://proxy:http", "port"),
            ("http://:3128", "host is missing"),
            ("http://proxy:3128/path", "without a path"),
            ("http://pro xy:3128", "not a valid host"),
            ("http://u:%zz@proxy:3128", "password has an invalid"),
            ("http://[::1", "closed with ']'"),
        ] {
            let err = ProxyConfig::new(url).unwrap_err();
            assert_eq!(err.kind(), TransportErrorKind::Config);
            assert!(err.to_string().contains(says), "{url}: {err}");
        }
    }

    #[test]
    fn errors_hide_passwords() {
        let err = ProxyConfig::new("http://alice:hunter2@proxy:99999").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(err.to_string().contains("***@proxy:99999"), "{err}");
    }

    #[test]
    fn no_proxy_matches_on_label_boundaries() {
        let rules =
            NoProxy::parse(" example.com, .corp.example ,*.wild.example, 10.0.0.0/8, 192.168.1.7, fd00::/8, [::2] ");
        for host in [
            "example.com",
            "api.example.com",
            "EXAMPLE.COM.",
            "corp.example",
            "a.b.corp.example",
            "x.wild.example",
            "10.1.2.3",
            "192.168.1.7",
            "fd12::1",
            "::2",
        ] {
            assert!(rules.matches(host), "{host} should bypass");
        }
        for host in [
            "notexample.com",
            "example.com.evil",
            "11.0.0.1",
            "192.168.1.8",
            "fe80::1",
            "::3",
            "corp.examples",
        ] {
            assert!(!rules.matches(host), "{host} should be proxied");
        }
        assert!(NoProxy::parse("*").matches("anything.example"));
        assert!(NoProxy::parse("0.0.0.0/0").matches("8.8.8.8"));
        assert!(!NoProxy::parse("").matches("example.com"));
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
}
