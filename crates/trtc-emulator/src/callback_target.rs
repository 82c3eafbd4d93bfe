//! Where an application's event callbacks go and when they are tried: the callback URL and key of the
//! console's callback configuration, and the service's delivery schedule (shortened for tests).

use serde::{Deserialize, Serialize};
use trtc_callback::CallbackKey;

use crate::error::Error;

/// Where an application's callbacks go: an `http://` URL and the callback key that signs them.
///
/// `Debug` hides the key.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CallbackTarget {
    /// The application.
    pub sdk_app_id: u64,
    /// The receiver, `http://HOST:PORT/PATH` (the emulator sends over plain HTTP, to a local listener).
    pub url: String,
    /// The callback key: 1 to 32 ASCII letters and digits, as the console sets it.
    pub key: String,
}

impl CallbackTarget {
    /// `sdk_app_id`'s callbacks, POSTed to `url` and signed with `key`.
    pub fn new(sdk_app_id: u64, url: impl Into<String>, key: impl Into<String>) -> CallbackTarget {
        CallbackTarget {
            sdk_app_id,
            url: url.into(),
            key: key.into(),
        }
    }

    pub(crate) fn resolve(&self, field: &str) -> Result<Target, Error> {
        let key =
            CallbackKey::new(self.key.as_str()).map_err(|e| Error::config(format!("{field}.key"), e.to_string()))?;
        let url = Url::parse(&self.url).map_err(|m| Error::config(format!("{field}.url"), m))?;
        Ok(Target {
            url,
            url_text: self.url.clone(),
            key,
        })
    }

    pub(crate) fn check(&self, field: &str) -> Result<(), Error> {
        self.resolve(field).map(drop)
    }
}

impl std::fmt::Debug for CallbackTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackTarget")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("url", &self.url)
            .field("key", &"***")
            .finish()
    }
}

/// When a delivery is tried: the service waits `timeout` for an answer, retries a failure at once, then
/// every `retry_every`, and gives up once `give_up_after` has passed since the first try.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackSchedule {
    /// How long an answer is waited for, in milliseconds (the service: 5000).
    pub timeout_ms: u64,
    /// The pause between retries after the immediate one, in milliseconds (the service: 10000).
    pub retry_every_ms: u64,
    /// No retry starts after this long since the first try, in milliseconds (the service: 60000).
    pub give_up_after_ms: u64,
}

impl CallbackSchedule {
    /// The service's schedule: 5 s timeout, an immediate retry, then every 10 s for a minute.
    pub const SERVICE: CallbackSchedule = CallbackSchedule {
        timeout_ms: 5_000,
        retry_every_ms: 10_000,
        give_up_after_ms: 60_000,
    };

    /// The same shape, shortened for tests: `timeout_ms` timeout, retries every `retry_every_ms`, giving up
    /// after `give_up_after_ms`.
    pub fn shortened(timeout_ms: u64, retry_every_ms: u64, give_up_after_ms: u64) -> CallbackSchedule {
        CallbackSchedule {
            timeout_ms,
            retry_every_ms,
            give_up_after_ms,
        }
    }
}

impl Default for CallbackSchedule {
    fn default() -> Self {
        CallbackSchedule::SERVICE
    }
}

/// The callbacks part of an [`EmulatorConfig`](crate::EmulatorConfig).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CallbackConfig {
    pub(crate) targets: Vec<CallbackTarget>,
    pub(crate) schedule: CallbackSchedule,
}

impl CallbackConfig {
    pub(crate) fn check(&self) -> Result<(), Error> {
        for (i, target) in self.targets.iter().enumerate() {
            target.check(&format!("callbacks[{i}]"))?;
        }
        Ok(())
    }
}

/// An `http://host:port/path` URL, split for the request line and the `Host` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url {
    pub(crate) authority: String,
    host: String,
    port: u16,
    pub(crate) path: String,
}

impl Url {
    fn parse(text: &str) -> Result<Url, String> {
        let uri: http::Uri = text
            .parse()
            .map_err(|e| format!("{text:?} is not a URL ({e}): give http://HOST:PORT/PATH"))?;
        if uri.scheme_str() != Some("http") {
            return Err(format!(
                "{text:?} is not an http:// URL: the emulator delivers over plain HTTP to a local listener"
            ));
        }
        let authority = uri
            .authority()
            .filter(|a| !a.host().is_empty() && !a.as_str().contains('@'))
            .ok_or_else(|| format!("{text:?} names no host: give http://HOST:PORT/PATH"))?;
        let path = uri.path_and_query().map_or("/".to_owned(), |p| p.as_str().to_owned());
        Ok(Url {
            authority: authority.as_str().to_owned(),
            host: authority.host().to_owned(),
            port: authority.port_u16().unwrap_or(80),
            path,
        })
    }

    /// `host:port`, with port 80 when the URL has none.
    pub(crate) fn connect_to(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// A target as deliveries use it: the URL split, the key checked.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) url: Url,
    pub(crate) url_text: String,
    pub(crate) key: CallbackKey,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_plain_http_with_a_host() {
        let url = Url::parse("http://127.0.0.1:8080/trtc/cb?x=1").unwrap();
        assert_eq!(
            (url.authority.as_str(), url.path.as_str()),
            ("127.0.0.1:8080", "/trtc/cb?x=1")
        );
        assert_eq!(url.connect_to(), "127.0.0.1:8080");
        assert_eq!(Url::parse("http://localhost").unwrap().connect_to(), "localhost:80");
        assert_eq!(Url::parse("http://localhost").unwrap().path, "/");
        for bad in [
            "https://example.com/",
            "ftp://x/",
            "127.0.0.1:80",
            "http:///x",
            "not a url",
        ] {
            assert!(Url::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn targets_are_checked_and_their_keys_hidden() {
        let err = CallbackTarget::new(1, "http://127.0.0.1:1/", "bad key!")
            .check("callbacks[0]")
            .unwrap_err();
        assert!(
            err.to_string().starts_with("callbacks[0].key: callback key must be"),
            "{err}"
        );
        assert!(!err.to_string().contains("bad key!"));
        let err = CallbackTarget::new(1, "https://x/", "k")
            .check("callbacks[0]")
            .unwrap_err();
        assert!(err.to_string().starts_with("callbacks[0].url: "), "{err}");
        let shown = format!("{:?}", CallbackTarget::new(1, "http://x/", "verySecretKey1"));
        assert!(!shown.contains("verySecretKey1"), "{shown}");
    }
}
