//! Which requests go through a proxy, and which proxy: an explicit proxy URL or the conventional
//! `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` variables.
//!
//! The decision is hyper-util's [`Matcher`] (curl's `NO_PROXY` rules); this module checks the URLs first, so
//! that a typo is an error naming the setting instead of a proxy silently not used, and keeps the rules the
//! matcher does not have (loopback never proxied from the environment, `*.` entries, names ending in `.`).
//! The connector in `route.rs` opens the tunnels.

mod url;

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use http::{HeaderValue, Uri};
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use trtc_sign::Secret;

use self::url::{canonical, redact};
use crate::{TransportError, TransportErrorKind};

/// Where the transport sends requests through a proxy: an HTTP proxy or a SOCKS5 proxy.
///
/// Through an HTTP proxy, HTTPS requests go through a `CONNECT` tunnel: the proxy sees only the host and
/// port, and TLS runs end to end with the real service, certificates checked against its name. Plain HTTP
/// requests (which the client allows only for loopback endpoints) are forwarded in absolute form. Through a
/// SOCKS5 proxy every request goes through a SOCKS5 `CONNECT`, TLS end to end likewise.
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
    https: Option<Configured>,
    http: Option<Configured>,
    /// The `NO_PROXY` entries so far, rewritten where the matcher reads them otherwise.
    no_proxy: Vec<String>,
    bypass_loopback: bool,
    /// Built from the fields above; rebuilt when `no_proxy` adds entries.
    matcher: Arc<Matcher>,
}

/// One proxy URL as checked (kept, redacted, to rebuild the matcher) and the server it names.
#[derive(Clone)]
struct Configured {
    url: Secret,
    server: ProxyServer,
}

impl ProxyConfig {
    /// One proxy for every request: `http://[user:password@]host[:port]` (a bare `host:port` means
    /// `http://`; the port defaults to 80), or `socks5://` / `socks5h://[user:password@]host[:port]` (the
    /// port defaults to 1080; with `socks5` this machine resolves the service's name, with `socks5h` the
    /// proxy does). User and password may be percent-encoded; an HTTP proxy is sent them as
    /// `Proxy-Authorization: Basic`, a SOCKS5 proxy by its user/password method (RFC 1929).
    ///
    /// Refused: `https://` proxies (TLS to the proxy itself), SOCKS4, and URLs without a host.
    pub fn new(url: &str) -> Result<Self, TransportError> {
        let proxy = Configured::parse("proxy", url)?;
        Ok(Self::build(Some(proxy.clone()), Some(proxy), Vec::new(), false))
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
        // The variables are looked up here rather than by `Matcher::from_env`: that one reads `ALL_PROXY`,
        // takes an empty value as set, drops a malformed one silently and turns every proxy off under CGI.
        let first = |names: &[&'static str]| {
            names.iter().find_map(|&name| {
                lookup(name)
                    .map(Secret::new)
                    .filter(|v| !v.expose_secret().trim().is_empty())
                    .map(|v| (name, v))
            })
        };
        let parse = |found: Option<(&'static str, Secret)>| {
            found
                .map(|(name, value)| Configured::parse(name, value.expose_secret()))
                .transpose()
        };
        let https = parse(first(&["HTTPS_PROXY", "https_proxy"]))?;
        let http_names: &[&'static str] = if lookup("REQUEST_METHOD").is_some() {
            &["http_proxy"]
        } else {
            &["HTTP_PROXY", "http_proxy"]
        };
        let http = parse(first(http_names))?;
        let no_proxy = first(&["NO_PROXY", "no_proxy"])
            .map(|(_, list)| no_proxy_entries(list.expose_secret()))
            .unwrap_or_default();
        Ok(Self::build(https, http, no_proxy, true))
    }

    /// Adds hosts that bypass the proxy: a comma-separated list of domain names (each matches itself and
    /// its subdomains; a leading `.` or `*.` is ignored), IP addresses, CIDR ranges (`10.0.0.0/8`,
    /// `fd00::/8`), or `*` for every host. Case and surrounding spaces are ignored; ports are not matched.
    pub fn no_proxy(self, list: &str) -> Self {
        let mut no_proxy = self.no_proxy;
        no_proxy.extend(no_proxy_entries(list));
        Self::build(self.https, self.http, no_proxy, self.bypass_loopback)
    }

    /// The proxy a request to `uri` goes through, or `None` when it goes direct.
    pub fn proxy_for(&self, uri: &Uri) -> Option<ProxyServer> {
        let host = uri.host()?;
        let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        if self.bypass_loopback && is_loopback(bare) {
            return None;
        }
        let intercept = match host.strip_suffix('.') {
            // `api.example.com.` is `api.example.com` for the NO_PROXY rules, as for curl.
            Some(name) if !name.is_empty() => {
                let port = uri.port().map(|p| format!(":{p}")).unwrap_or_default();
                let plain: Uri = format!("{}://{name}{port}/", uri.scheme_str()?).parse().ok()?;
                self.matcher.intercept(&plain)
            }
            _ => self.matcher.intercept(uri),
        }?;
        ProxyServer::from_intercept(intercept)
    }

    fn build(
        https: Option<Configured>,
        http: Option<Configured>,
        no_proxy: Vec<String>,
        bypass_loopback: bool,
    ) -> Self {
        let mut matcher = Matcher::builder().no(no_proxy.join(","));
        if let Some(https) = &https {
            matcher = matcher.https(https.url.expose_secret());
        }
        if let Some(http) = &http {
            matcher = matcher.http(http.url.expose_secret());
        }
        ProxyConfig {
            https,
            http,
            no_proxy,
            bypass_loopback,
            matcher: Arc::new(matcher.build()),
        }
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("https", &self.https.as_ref().map(|c| &c.server))
            .field("http", &self.http.as_ref().map(|c| &c.server))
            .field("no_proxy", &self.no_proxy)
            .field("bypass_loopback", &self.bypass_loopback)
            .finish_non_exhaustive()
    }
}

/// The protocol spoken to a proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// An HTTP proxy: `CONNECT` for HTTPS, absolute-form forwarding for plain HTTP.
    Http,
    /// A SOCKS5 proxy; `remote_dns` when the proxy resolves the service's name (`socks5h`).
    Socks5 { remote_dns: bool },
}

impl Protocol {
    /// The scheme of a proxy URL for this protocol.
    pub(crate) fn scheme(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Socks5 { remote_dns: false } => "socks5",
            Protocol::Socks5 { remote_dns: true } => "socks5h",
        }
    }
}

/// One proxy: its address and, when given, the credentials it is sent.
///
/// `Debug` shows the protocol, the address and whether credentials are set, never the credentials.
#[derive(Clone)]
pub struct ProxyServer {
    intercept: Intercept,
    protocol: Protocol,
    host: String,
    port: u16,
    dial: Uri,
}

impl ProxyServer {
    /// The proxy's host name or IP address (an IPv6 address without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether a user (and password) is sent to the proxy.
    pub fn has_credentials(&self) -> bool {
        self.intercept.basic_auth().is_some() || self.intercept.raw_auth().is_some()
    }

    pub(crate) fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// `http://host:port/` with the port always written: what the TCP connector dials (it would take 80
    /// for a SOCKS proxy without a port).
    pub(crate) fn dial(&self) -> &Uri {
        &self.dial
    }

    /// `host:port` for messages, IPv6 in brackets.
    pub(crate) fn address(&self) -> String {
        match self.host.contains(':') {
            true => format!("[{}]:{}", self.host, self.port),
            false => format!("{}:{}", self.host, self.port),
        }
    }

    /// The `Proxy-Authorization` value of an HTTP proxy, marked sensitive.
    pub(crate) fn authorization(&self) -> Option<&HeaderValue> {
        self.intercept.basic_auth()
    }

    /// The user and password of a SOCKS5 proxy.
    pub(crate) fn socks_credentials(&self) -> Option<(&str, &str)> {
        self.intercept.raw_auth()
    }

    fn from_intercept(intercept: Intercept) -> Option<Self> {
        let uri = intercept.uri();
        let protocol = match uri.scheme_str()? {
            "http" => Protocol::Http,
            "socks5" => Protocol::Socks5 { remote_dns: false },
            "socks5h" => Protocol::Socks5 { remote_dns: true },
            _ => return None,
        };
        let host = uri.host()?;
        let port = uri.port_u16()?;
        let dial = format!("http://{host}:{port}/").parse().ok()?;
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host)
            .to_string();
        Some(ProxyServer {
            intercept,
            protocol,
            host,
            port,
            dial,
        })
    }
}

impl fmt::Debug for ProxyServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyServer")
            .field("protocol", &self.protocol)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("credentials", &self.has_credentials().then_some("***"))
            .finish_non_exhaustive()
    }
}

impl Configured {
    /// Checks `url` (the value of `setting`) and writes it the one way the matcher reads it:
    /// `scheme://[userinfo@]host:port`, host in lower case, default port filled in.
    fn parse(setting: &str, url: &str) -> Result<Self, TransportError> {
        let error = |problem: String| {
            TransportError::new(
                TransportErrorKind::Config,
                format!(
                    "{setting}={:?} is not a usable proxy URL: {problem}",
                    redact(url.trim())
                ),
                None,
            )
        };
        let url = Secret::new(canonical(url).map_err(error)?);
        // The matcher drops a URL it cannot use: ask it once, so that a URL accepted here is one it uses.
        let probe = Matcher::builder().http(url.expose_secret()).build();
        let server = probe
            .intercept(&Uri::from_static("http://probe.invalid/"))
            .and_then(ProxyServer::from_intercept)
            .ok_or_else(|| {
                // Scheme, host and port are checked above: what is left is a character of the user name or
                // password that a URL cannot hold as it is.
                error("the user name or password holds a character a URL cannot: percent-encode it".into())
            })?;
        Ok(Configured { url, server })
    }
}

/// `NO_PROXY` entries as the matcher reads them: `*.example.com` as `.example.com`, `[::1]` as `::1`,
/// `example.com.` as `example.com` (the matcher takes the first literally, the others not at all), and `*`
/// with every IP range beside it (the matcher's `*` matches names only).
fn no_proxy_entries(list: &str) -> Vec<String> {
    let mut entries = Vec::new();
    for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        if entry == "*" {
            entries.extend(["*", "0.0.0.0/0", "::/0"].map(String::from));
            continue;
        }
        let entry = entry.strip_prefix('*').filter(|e| e.starts_with('.')).unwrap_or(entry);
        let entry = entry
            .strip_prefix('[')
            .and_then(|e| e.strip_suffix(']'))
            .unwrap_or(entry);
        let entry = entry.strip_suffix('.').filter(|e| !e.is_empty()).unwrap_or(entry);
        entries.push(entry.to_ascii_lowercase());
    }
    entries
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

#[cfg(test)]
mod tests;
