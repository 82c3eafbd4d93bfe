//! Where Redis is: `redis://[[user]:password@]host[:port][/db]`, parsed once, the password kept out of sight.

use std::fmt;

use crate::Error;

/// The port Redis listens on unless told otherwise.
const DEFAULT_PORT: u16 = 6379;

/// A parsed Redis URL. `Debug` and `Display` never show the password.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RedisUrl {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) db: u32,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
}

impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("redis://")?;
        match (&self.username, &self.password) {
            (Some(user), Some(_)) => write!(f, "{user}:***@")?,
            (None, Some(_)) => f.write_str(":***@")?,
            (Some(user), None) => write!(f, "{user}@")?,
            (None, None) => {}
        }
        if self.host.contains(':') {
            write!(f, "[{}]:{}/{}", self.host, self.port, self.db)
        } else {
            write!(f, "{}:{}/{}", self.host, self.port, self.db)
        }
    }
}

impl RedisUrl {
    /// Parses `url`; the error names the part at fault and the expected form, never the password.
    pub(crate) fn parse(url: &str) -> Result<RedisUrl, Error> {
        let fail = |problem: String| Error::Config {
            setting: "rate_limiter",
            problem: format!(
                "{problem}; expected redis://[[user]:password@]host[:port][/db], e.g. redis://127.0.0.1:6379/0"
            ),
        };
        let rest = if let Some(rest) = url.strip_prefix("redis://") {
            rest
        } else if url.starts_with("rediss://") {
            return Err(fail(
                "TLS to Redis (rediss://) is not supported by this limiter: reach Redis over a private network or a local TLS tunnel and give its redis:// address".into(),
            ));
        } else {
            let scheme = url.split_once("://").map_or("none", |(s, _)| s);
            return Err(fail(format!(
                "the Redis URL must start with redis:// (scheme: {scheme})"
            )));
        };
        if rest.contains(['?', '#']) {
            return Err(fail("the Redis URL takes no query or fragment".into()));
        }
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(userinfo), hostport),
            None => (None, authority),
        };
        let (username, password) = match userinfo {
            None => (None, None),
            Some(info) => {
                let (user, pass) = info.split_once(':').unwrap_or((info, ""));
                let user = decode(user).ok_or_else(|| fail("the Redis user name is badly percent-encoded".into()))?;
                let pass = decode(pass).ok_or_else(|| fail("the Redis password is badly percent-encoded".into()))?;
                (
                    Some(user).filter(|u| !u.is_empty()),
                    Some(pass).filter(|p| !p.is_empty()),
                )
            }
        };
        if username.is_some() && password.is_none() {
            return Err(fail(
                "a Redis user name needs a password (redis://user:password@host)".into(),
            ));
        }
        let (host, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
            let (host, after) = bracketed
                .split_once(']')
                .ok_or_else(|| fail("an IPv6 host must be closed with ]".into()))?;
            let port = match after {
                "" => None,
                p => Some(
                    p.strip_prefix(':')
                        .ok_or_else(|| fail(format!("unexpected {after:?} after the IPv6 host")))?,
                ),
            };
            (host, port)
        } else {
            match hostport.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (hostport, None),
            }
        };
        if host.is_empty() {
            return Err(fail("the Redis URL has no host".into()));
        }
        let port = match port {
            None => DEFAULT_PORT,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| fail(format!("the Redis port must be a number from 1 to 65535 (got {p:?})")))?,
        };
        let db = match path {
            "" => 0,
            p => p
                .parse::<u32>()
                .map_err(|_| fail(format!("the Redis database must be a number, as in /0 (got /{p})")))?,
        };
        Ok(RedisUrl {
            host: host.to_owned(),
            port,
            db,
            username,
            password,
        })
    }
}

/// Percent-decoding, so that a password may hold `@`, `:` or `/`.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_common_forms() {
        let url = RedisUrl::parse("redis://127.0.0.1").unwrap();
        assert_eq!((url.host.as_str(), url.port, url.db), ("127.0.0.1", 6379, 0));
        let url = RedisUrl::parse("redis://cache.internal:6390/3").unwrap();
        assert_eq!((url.host.as_str(), url.port, url.db), ("cache.internal", 6390, 3));
        let url = RedisUrl::parse("redis://[::1]:7000/").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("::1", 7000));
        assert_eq!(url.to_string(), "redis://[::1]:7000/0");
        let url = RedisUrl::parse("redis://:p%40ss%3Aword@host").unwrap();
        assert_eq!((url.username, url.password.as_deref()), (None, Some("p@ss:word")));
        let url = RedisUrl::parse("redis://fleet:s3cret@host:1/2").unwrap();
        assert_eq!(url.username.as_deref(), Some("fleet"));
    }

    #[test]
    fn never_shows_the_password() {
        let url = RedisUrl::parse("redis://fleet:s3cret@host:1/2").unwrap();
        assert_eq!(url.to_string(), "redis://fleet:***@host:1/2");
        assert!(!format!("{url:?}").contains("s3cret"));
        let url = RedisUrl::parse("redis://:s3cret@host").unwrap();
        assert_eq!(url.to_string(), "redis://:***@host:6379/0");
    }

    #[test]
    fn refuses_bad_urls_with_the_reason() {
        for (url, says) in [
            ("http://host", "must start with redis://"),
            ("host:6379", "scheme: none"),
            ("rediss://host", "TLS"),
            ("redis://", "no host"),
            ("redis://host:0", "port"),
            ("redis://host:99999", "port"),
            ("redis://host/x", "database"),
            ("redis://host?db=1", "query"),
            ("redis://[::1", "IPv6"),
            ("redis://user@host", "needs a password"),
            ("redis://:%zz@host", "percent-encoded"),
        ] {
            let err = RedisUrl::parse(url).unwrap_err().to_string();
            assert!(err.contains(says), "{url}: {err}");
            assert!(err.contains("rate_limiter"), "{url}: {err}");
        }
        let err = RedisUrl::parse("redis://:s3cret@host:x").unwrap_err().to_string();
        assert!(!err.contains("s3cret"), "{err}");
    }
}
