//! `Endpoint`: where requests go, and the rule that plain HTTP is for loopback only.

use std::fmt;
use std::net::IpAddr;

use crate::Error;

/// The default endpoint of TRTC (mainland edition); the region travels in `X-TC-Region`.
pub const DEFAULT_ENDPOINT: &str = "trtc.tencentcloudapi.com";

/// Where requests are sent: a scheme and an authority (`host[:port]`), which is also the `Host` that is sent
/// and signed.
///
/// `https://host`, a bare `host` (HTTPS) and `http://` on a loopback address are accepted. Any other `http://`
/// endpoint is refused, because every request carries credentials and, for temporary keys, the session token.
///
/// ```
/// use trtc_transport::Endpoint;
///
/// assert_eq!(Endpoint::parse("trtc.tencentcloudapi.com")?.to_string(), "https://trtc.tencentcloudapi.com");
/// assert_eq!(Endpoint::parse("http://127.0.0.1:8080")?.host(), "127.0.0.1:8080");
/// assert!(Endpoint::parse("http://trtc.tencentcloudapi.com").is_err());
/// # Ok::<(), trtc_transport::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    https: bool,
    authority: String,
    // Parsed once here rather than for every request.
    uri: http::Uri,
}

impl Endpoint {
    /// Parses an endpoint: `https://host[:port]`, `host[:port]`, or `http://<loopback>[:port]`.
    pub fn parse(endpoint: &str) -> Result<Self, Error> {
        let bad = |problem: String| Error::Config {
            setting: "endpoint",
            problem,
        };
        let (https, rest) = if let Some(rest) = endpoint.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = endpoint.strip_prefix("http://") {
            (false, rest)
        } else if endpoint.contains("://") {
            return Err(bad(format!(
                "{endpoint:?} has an unsupported scheme: use https://host, a bare host, or http://127.0.0.1:PORT"
            )));
        } else {
            (true, endpoint)
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() {
            return Err(bad(format!(
                "{endpoint:?} has no host: use e.g. trtc.tencentcloudapi.com"
            )));
        }
        if let Some(c) = authority
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_')))
        {
            return Err(bad(format!(
                "{endpoint:?} contains {c:?}: give only a scheme and host[:port], without path, query or credentials"
            )));
        }
        let host = host_of(authority);
        if host.is_empty() {
            return Err(bad(format!(
                "{endpoint:?} has no host: use e.g. trtc.tencentcloudapi.com"
            )));
        }
        if let Some(port) = port_of(authority) {
            if port.parse::<u16>().map_or(true, |p| p == 0) {
                return Err(bad(format!("{endpoint:?} has an invalid port: use 1-65535")));
            }
        }
        if !https && !is_loopback(host) {
            return Err(bad(format!(
                "{endpoint:?} is plain HTTP to a non-loopback host: requests carry credentials, use https://{authority}"
            )));
        }
        let scheme = if https { "https" } else { "http" };
        let uri = http::Uri::try_from(format!("{scheme}://{authority}/"))
            .map_err(|e| bad(format!("{endpoint:?} is not a valid URL authority: {e}")))?;
        http::HeaderValue::from_str(authority)
            .map_err(|_| bad(format!("{endpoint:?} cannot be sent as a Host header")))?;
        Ok(Endpoint {
            https,
            authority: authority.to_owned(),
            uri,
        })
    }

    /// The `Host` header value that is sent and signed, e.g. `trtc.tencentcloudapi.com` or `127.0.0.1:8080`.
    pub fn host(&self) -> &str {
        &self.authority
    }

    /// Whether requests use HTTPS.
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The request URI, `scheme://authority/`.
    pub fn uri(&self) -> &http::Uri {
        &self.uri
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.https { "https" } else { "http" };
        write!(f, "{scheme}://{}", self.authority)
    }
}

fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("");
    }
    authority.split(':').next().unwrap_or("")
}

fn port_of(authority: &str) -> Option<&str> {
    let after_host = match authority.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map(|(_, after)| after).unwrap_or(""),
        None => authority.find(':').map(|i| &authority[i..]).unwrap_or(""),
    };
    after_host.strip_prefix(':')
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_refuses() {
        for (input, want) in [
            ("trtc.tencentcloudapi.com", "https://trtc.tencentcloudapi.com"),
            (
                "https://trtc.ap-guangzhou.tencentcloudapi.com/",
                "https://trtc.ap-guangzhou.tencentcloudapi.com",
            ),
            ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
            ("http://127.8.9.10:9000", "http://127.8.9.10:9000"),
            ("http://localhost:9000", "http://localhost:9000"),
            ("http://[::1]:9000", "http://[::1]:9000"),
        ] {
            assert_eq!(Endpoint::parse(input).unwrap().to_string(), want, "{input}");
        }
        for bad in [
            "",
            "http://trtc.tencentcloudapi.com",
            "http://10.0.0.1:80",
            "ftp://x",
            "https://user:pw@host",
            "https://host/path",
            "https://host:99999",
            "https://host:0",
            "https://",
            "host\r\nX: y",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
