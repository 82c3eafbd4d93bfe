//! [`ClientBuilder`]: every setting of a client, its default, and the checks made when the client is built.

use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use trtc_model::Region;
use trtc_sign::{Credentials, Method, SignedHeaders};

use super::{Client, CredentialSource, Inner};
use crate::call::{header_value, Headers, KeyCache};
use crate::failover::Endpoints;
use crate::rate_limit::{LocalRateLimiter, RateLimiter};
use crate::retry::{Jitter, RetryBudget};
use crate::{
    BreakerConfig, ChainProvider, Endpoint, Error, HyperTransport, ProvideCredentials, RetryPolicy, Transport,
};

/// The most a call may take by default, from the first attempt to the parsed answer, retries included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// The most one attempt may take by default.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

/// The `X-TC-RequestClient` value sent with every request unless replaced.
pub const REQUEST_CLIENT: &str = concat!("trtc-rs/", env!("CARGO_PKG_VERSION"));

/// The rate limiter a builder was given.
enum RateLimitSetting {
    Default,
    Off,
    Custom(Arc<dyn RateLimiter>),
}

/// Configures a [`Client`]. `credential` and `region` are required; every other setting has a default,
/// listed on its method.
pub struct ClientBuilder {
    credentials: Option<CredentialSource>,
    region: Option<Region>,
    endpoint: Option<String>,
    regional_endpoint: bool,
    backup_endpoint: Option<(String, BreakerConfig)>,
    language: Option<String>,
    signed_headers: SignedHeaders,
    skip_region_check: bool,
    method: Method,
    timeout: Duration,
    attempt_timeout: Duration,
    request_client: Option<String>,
    headers: Vec<(String, String)>,
    transport: Option<Arc<dyn Transport>>,
    retry: RetryPolicy,
    rate_limit: RateLimitSetting,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The credentials are described by their source only; secrets never appear.
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("method", &self.method)
            .field("timeout", &self.timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            credentials: None,
            region: None,
            endpoint: None,
            regional_endpoint: false,
            backup_endpoint: None,
            language: None,
            signed_headers: SignedHeaders::ContentTypeHost,
            skip_region_check: false,
            method: Method::Post,
            timeout: DEFAULT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            request_client: None,
            headers: Vec::new(),
            transport: None,
            retry: RetryPolicy::default(),
            rate_limit: RateLimitSetting::Default,
        }
    }
}

impl ClientBuilder {
    /// Static credentials that sign every request. One of `credential`, `credentials_provider` or
    /// `default_credentials` is required.
    pub fn credential(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialSource::Static(Box::new(credentials)));
        self
    }

    /// Credentials from a provider, asked before each attempt (temporary credentials are refreshed by it).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(CredentialSource::Provider(Arc::new(provider)));
        self
    }

    /// Credentials from the default chain: environment, then profile file, then CVM role, then TKE OIDC
    /// ([`ChainProvider::default_chain`]).
    pub fn default_credentials(mut self) -> Self {
        self.credentials = Some(CredentialSource::Provider(Arc::new(ChainProvider::default_chain())));
        self
    }

    /// The region sent as `X-TC-Region` (DismissRoom: ap-beijing, ap-guangzhou or ap-singapore). Required.
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// Where to send requests (default `trtc.tencentcloudapi.com`): `https://host`, a bare host, or
    /// `http://127.0.0.1:PORT` for a local emulator.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sends to the region's own endpoint, `trtc.<region>.tencentcloudapi.com`, instead of the nearest one.
    pub fn regional_endpoint(mut self) -> Self {
        self.regional_endpoint = true;
        self
    }

    /// A backup endpoint (e.g. another region's host) that takes the calls while the circuit breaker of the
    /// primary is open (default: none; breaker defaults in [`BreakerConfig::default`]).
    pub fn backup_endpoint(mut self, endpoint: impl Into<String>, breaker: BreakerConfig) -> Self {
        self.backup_endpoint = Some((endpoint.into(), breaker));
        self
    }

    /// The language of error messages, sent as `X-TC-Language` (`zh-CN` or `en-US`; default: not sent).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Which headers the signature covers (default `content-type;host`, as the official SDKs).
    pub fn signed_headers(mut self, signed_headers: SignedHeaders) -> Self {
        self.signed_headers = signed_headers;
        self
    }

    /// Sends actions to regions their documentation does not list (the documentation can lag the service).
    pub fn skip_region_check(mut self) -> Self {
        self.skip_region_check = true;
        self
    }

    /// POST with a JSON body (default) or GET with a query string.
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// The most a call may take once its first rate-limit permit is granted, retries and backoff included
    /// (default 15 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most one attempt may take (default 5 s). A timed-out attempt of an idempotent action is retried.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// The `X-TC-RequestClient` value (default `trtc-rs/<version>`).
    pub fn request_client(mut self, tag: impl Into<String>) -> Self {
        self.request_client = Some(tag.into());
        self
    }

    /// An extra header sent with every request (not `Authorization`, `Host`, `Content-Type` or `X-TC-*`,
    /// which the client sets).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]: 3 attempts, jittered exponential backoff, a retry
    /// budget); [`RetryPolicy::disabled`] sends each call once.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Limits requests to `per_second` per action (default 20, the documented limit), callers waiting for
    /// their turn.
    pub fn rate_limit(mut self, per_second: u32) -> Result<Self, Error> {
        self.rate_limit = RateLimitSetting::Custom(Arc::new(LocalRateLimiter::new(per_second, 1)?));
        Ok(self)
    }

    /// Uses `limiter` for permits, e.g. one shared by several processes.
    pub fn rate_limiter(mut self, limiter: impl RateLimiter) -> Self {
        self.rate_limit = RateLimitSetting::Custom(Arc::new(limiter));
        self
    }

    /// Sends without a client-side rate limit.
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = RateLimitSetting::Off;
        self
    }

    /// Sends through `transport` instead of the default [`HyperTransport`].
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let config = |setting, problem: &str| Error::Config {
            setting,
            problem: problem.to_owned(),
        };
        let credentials = self.credentials.ok_or_else(|| {
            config(
                "credential",
                "not set: call .credential(Credentials::new(secret_id, secret_key)?) or .default_credentials()",
            )
        })?;
        let region = self.region.ok_or_else(|| {
            config(
                "region",
                "not set: call .region(Region::ApGuangzhou) or another region the action supports",
            )
        })?;
        let primary = match (&self.endpoint, self.regional_endpoint) {
            (Some(_), true) => {
                return Err(config(
                    "endpoint",
                    "set either an endpoint or regional_endpoint(), not both",
                ))
            }
            (Some(endpoint), false) => Some(Endpoint::parse(endpoint)?),
            (None, true) => Some(Endpoint::parse(&format!(
                "trtc.{}.tencentcloudapi.com",
                region.as_str()
            ))?),
            (None, false) => None,
        };
        let backup = match self.backup_endpoint {
            Some((backup, breaker)) => Some((Endpoint::parse(&backup)?, breaker)),
            None => None,
        };
        let endpoints = Endpoints::new(primary, backup)?;
        if self.timeout.is_zero() {
            return Err(config("timeout", "must be greater than zero"));
        }
        if self.attempt_timeout.is_zero() {
            return Err(config("attempt_timeout", "must be greater than zero"));
        }
        if let Some(language) = &self.language {
            if !matches!(language.as_str(), "zh-CN" | "en-US") {
                return Err(Error::Config {
                    setting: "language",
                    problem: format!("{language:?} is not offered: use \"zh-CN\" or \"en-US\""),
                });
            }
        }
        let request_client = match &self.request_client {
            Some(tag) if tag.is_empty() || tag.len() > 128 || tag.bytes().any(|b| b.is_ascii_control()) => {
                return Err(config(
                    "request_client",
                    "must be 1 to 128 printable characters without CR, LF or other control characters",
                ))
            }
            Some(tag) => header_value("X-TC-RequestClient", tag)?,
            None => HeaderValue::from_static(REQUEST_CLIENT),
        };
        let mut extra_headers = Vec::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            let parsed = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::Config {
                setting: "header",
                problem: format!("{name:?} is not a valid header name"),
            })?;
            let reserved = matches!(parsed.as_str(), "authorization" | "host" | "content-type")
                || parsed.as_str().starts_with("x-tc-");
            if reserved {
                return Err(Error::Config {
                    setting: "header",
                    problem: format!("{name} is set by the client itself: use the builder's setting for it"),
                });
            }
            extra_headers.push((parsed, header_value(name, value)?));
        }
        let transport: Arc<dyn Transport> = match self.transport {
            Some(transport) => transport,
            None => Arc::new(HyperTransport::new()?),
        };
        let rate_limiter: Option<Arc<dyn RateLimiter>> = match self.rate_limit {
            RateLimitSetting::Default => Some(Arc::new(LocalRateLimiter::default())),
            RateLimitSetting::Off => None,
            RateLimitSetting::Custom(limiter) => Some(limiter),
        };
        let budget = RetryBudget::new(self.retry.budget());
        Ok(Client {
            inner: Arc::new(Inner {
                credentials,
                region,
                endpoints,
                headers: Headers {
                    signed_headers: self.signed_headers,
                    language: self.language,
                    request_client,
                    extra: extra_headers,
                },
                check_region: !self.skip_region_check,
                method: self.method,
                timeout: self.timeout,
                attempt_timeout: self.attempt_timeout,
                transport,
                retry: self.retry,
                budget,
                jitter: Jitter::new(),
                rate_limiter,
                keys: KeyCache::default(),
            }),
        })
    }
}
