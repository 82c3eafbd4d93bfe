//! The CVM instance role: temporary credentials from the instance metadata service.

use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use http::{StatusCode, Uri};
use http_body_util::{BodyExt, Empty, Limited};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use trtc_sign::Credentials;

use super::cache::{Expiring, RefreshCache};
use super::error::sign_field;
use super::{CredentialsError, CredentialsErrorKind, ProvideCredentials};
use crate::BoxFuture;

/// Where the metadata service lists the instance's role and serves its credentials.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";

/// Answers from the metadata service are a role name or a small JSON object.
const MAX_BODY_BYTES: usize = 64 * 1024;

const PROVIDER: &str = "CVM instance role";

/// Temporary credentials of the CAM role bound to this CVM instance, from the metadata service.
///
/// It asks `GET <endpoint>` for the role name (unless given), then `GET <endpoint><role>` for
/// `TmpSecretId`, `TmpSecretKey`, `Token` and `ExpiredTime`, and renews them 300 s before they expire; callers
/// that arrive during a renewal wait for it rather than start their own. The metadata service is plain
/// HTTP on the instance's own network, so it is asked directly, never through a proxy.
///
/// Off a CVM instance the metadata host does not answer: that, or a role list answering 404 (no role
/// bound), is [`NotFound`](crate::CredentialsErrorKind::NotFound), reached within the connect timeout
/// (1 s by default) so that a chain moves on quickly.
///
/// ```no_run
/// use std::time::Duration;
/// use trtc_transport::{CvmRoleProvider, ProvideCredentials};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let provider = CvmRoleProvider::builder()
///     .role_name("trtc-room-admin") // optional: skips asking for the role name
///     .timeout(Duration::from_secs(2))
///     .build()?;
/// let creds = provider.provide_credentials().await?;
/// assert!(creds.token().is_some());
/// # Ok(()) }
/// ```
pub struct CvmRoleProvider {
    endpoint: String,
    role: Mutex<Option<String>>,
    timeout: Duration,
    connect_timeout: Duration,
    client: Client<HttpConnector, Empty<Bytes>>,
    cache: RefreshCache,
}

impl std::fmt::Debug for CvmRoleProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CvmRoleProvider")
            .field("endpoint", &self.endpoint)
            .field("role", &*self.role.lock().unwrap_or_else(|p| p.into_inner()))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

/// Configures a [`CvmRoleProvider`].
#[derive(Debug, Clone)]
pub struct CvmRoleProviderBuilder {
    endpoint: String,
    role: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
}

impl Default for CvmRoleProviderBuilder {
    fn default() -> Self {
        CvmRoleProviderBuilder {
            endpoint: DEFAULT_METADATA_ENDPOINT.to_owned(),
            role: None,
            timeout: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(1),
        }
    }
}

impl CvmRoleProviderBuilder {
    /// The metadata URL that lists the role (default [`DEFAULT_METADATA_ENDPOINT`]); plain `http://`, e.g.
    /// `http://127.0.0.1:PORT/latest/meta-data/cam/security-credentials/` for a local fake.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// The role whose credentials to fetch, instead of asking the metadata service for it.
    pub fn role_name(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// The most each metadata request may take, connection included (default 2 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most connecting to the metadata service may take (default 1 s); off a CVM instance, this is how
    /// long the provider takes to decline.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Checks the settings and builds the provider.
    pub fn build(self) -> Result<CvmRoleProvider, CredentialsError> {
        let mut endpoint = self.endpoint;
        let uri: Uri = endpoint.parse().map_err(|e| {
            CredentialsError::invalid(
                PROVIDER,
                format!("the metadata endpoint {endpoint:?} is not a URL: give e.g. {DEFAULT_METADATA_ENDPOINT}"),
            )
            .with_source(e)
        })?;
        if uri.scheme_str() != Some("http") || uri.host().is_none() || uri.query().is_some() {
            return Err(CredentialsError::invalid(
                PROVIDER,
                format!(
                    "the metadata endpoint {endpoint:?} must be an http:// URL with a host and no query, \
                     e.g. {DEFAULT_METADATA_ENDPOINT}"
                ),
            ));
        }
        if !endpoint.ends_with('/') {
            endpoint.push('/');
        }
        if let Some(role) = &self.role {
            check_role_name(role).map_err(|problem| CredentialsError::invalid(PROVIDER, problem))?;
        }
        for (name, value) in [("timeout", self.timeout), ("connect timeout", self.connect_timeout)] {
            if value.is_zero() {
                return Err(CredentialsError::invalid(
                    PROVIDER,
                    format!("the {name} must be greater than zero"),
                ));
            }
        }
        Ok(CvmRoleProvider::assemble(
            endpoint,
            self.role,
            self.timeout,
            self.connect_timeout,
        ))
    }
}

/// Why one metadata request failed.
enum GetError {
    /// No connection (not on a CVM instance, or the metadata service is down).
    Connect(hyper_util::client::legacy::Error),
    Timeout,
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl CvmRoleProvider {
    /// The metadata service at its usual address, with the default timeouts.
    pub fn new() -> Self {
        let defaults = CvmRoleProviderBuilder::default();
        Self::assemble(defaults.endpoint, None, defaults.timeout, defaults.connect_timeout)
    }

    fn assemble(endpoint: String, role: Option<String>, timeout: Duration, connect_timeout: Duration) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(connect_timeout));
        connector.set_nodelay(true);
        // A handful of requests an hour: no pooled connection to keep alive (and none to find stale).
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(0)
            .build(connector);
        CvmRoleProvider {
            endpoint,
            role: Mutex::new(role),
            timeout,
            connect_timeout,
            client,
            cache: RefreshCache::default(),
        }
    }

    /// Starts configuring a provider.
    pub fn builder() -> CvmRoleProviderBuilder {
        CvmRoleProviderBuilder::default()
    }

    async fn get(&self, url: &str) -> Result<(StatusCode, Bytes), GetError> {
        let uri: Uri = url.parse().map_err(|e| GetError::Other(Box::new(e)))?;
        let request = http::Request::get(uri)
            .body(Empty::<Bytes>::new())
            .map_err(|e| GetError::Other(Box::new(e)))?;
        let exchange = async {
            let response = self.client.request(request).await.map_err(|e| {
                if e.is_connect() {
                    GetError::Connect(e)
                } else {
                    GetError::Other(Box::new(e))
                }
            })?;
            let status = response.status();
            let body = Limited::new(response.into_body(), MAX_BODY_BYTES)
                .collect()
                .await
                .map_err(GetError::Other)?
                .to_bytes();
            Ok((status, body))
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(result) => result,
            Err(_) => Err(GetError::Timeout),
        }
    }

    async fn role_name(&self) -> Result<String, CredentialsError> {
        if let Some(role) = self.role.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return Ok(role);
        }
        let url = &self.endpoint;
        let (status, body) = self.get(url).await.map_err(|e| match e {
            GetError::Connect(e) => CredentialsError::not_found(
                PROVIDER,
                format!("the metadata service at {url} does not answer; not a CVM instance, or its metadata service is unreachable"),
            )
            .with_source(e),
            GetError::Timeout => CredentialsError::not_found(
                PROVIDER,
                format!(
                    "the metadata service at {url} gave no answer within {:?}; not a CVM instance, or its metadata service is unreachable",
                    self.timeout
                ),
            ),
            GetError::Other(e) => CredentialsError::new(
                CredentialsErrorKind::Unreachable,
                PROVIDER,
                format!("asking the metadata service at {url} for the role name failed; try again later"),
            )
            .with_source(e),
        })?;
        if status == StatusCode::NOT_FOUND {
            return Err(CredentialsError::not_found(
                PROVIDER,
                "no CAM role is bound to this instance (the metadata service answered 404): bind one in the CVM \
                 console, or use another credentials source",
            ));
        }
        if !status.is_success() {
            return Err(bad_response(format!(
                "the metadata service at {url} answered HTTP {status} when asked for the role name{}",
                quote(&body)
            )));
        }
        let text = std::str::from_utf8(&body).unwrap_or("").trim();
        if text.is_empty() {
            return Err(CredentialsError::not_found(
                PROVIDER,
                "no CAM role is bound to this instance (the metadata service lists none): bind one in the CVM \
                 console, or use another credentials source",
            ));
        }
        let role = text.lines().next().unwrap_or("").trim().to_owned();
        check_role_name(&role).map_err(|problem| {
            bad_response(format!(
                "the metadata service at {url} answered something that is not a role name ({problem}){}",
                quote(&body)
            ))
        })?;
        *self.role.lock().unwrap_or_else(|p| p.into_inner()) = Some(role.clone());
        Ok(role)
    }

    async fn fetch(&self) -> Result<Expiring, CredentialsError> {
        let role = self.role_name().await?;
        let url = format!("{}{role}", self.endpoint);
        let (status, body) = self.get(&url).await.map_err(|e| {
            let (why, source): (String, Option<Box<dyn std::error::Error + Send + Sync>>) = match e {
                GetError::Connect(e) => (" (cannot connect)".to_owned(), Some(Box::new(e))),
                GetError::Timeout => (format!(" (no answer within {:?})", self.timeout), None),
                GetError::Other(e) => (String::new(), Some(e)),
            };
            let err = CredentialsError::new(
                CredentialsErrorKind::Unreachable,
                PROVIDER,
                format!("fetching the credentials of role {role} from {url} failed{why}; try again later"),
            );
            match source {
                Some(source) => err.with_source(source),
                None => err,
            }
        })?;
        if status == StatusCode::NOT_FOUND {
            // The role was unbound or replaced: forget its name so the next attempt asks again.
            *self.role.lock().unwrap_or_else(|p| p.into_inner()) = None;
            return Err(CredentialsError::not_found(
                PROVIDER,
                format!("the metadata service has no credentials for role {role} (HTTP 404): check the role bound to the instance"),
            ));
        }
        // The body holds secrets whenever it is close to valid: it is described, never quoted.
        if !status.is_success() {
            return Err(bad_response(format!(
                "the metadata service answered HTTP {status} for the credentials of role {role}; try again later"
            )));
        }
        parse_credentials(&role, &body)
    }
}

fn parse_credentials(role: &str, body: &[u8]) -> Result<Expiring, CredentialsError> {
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        bad_response(format!(
            "the metadata service answered the credentials of role {role} with {} bytes that are not JSON ({e})",
            body.len()
        ))
    })?;
    let code = json.get("Code").and_then(|c| c.as_str());
    if code != Some("Success") {
        let code = code.map_or_else(|| "no Code".to_owned(), |c| format!("Code {:?}", truncate(c, 64)));
        return Err(bad_response(format!(
            "the metadata service answered the credentials of role {role} with {code} instead of \"Success\"; \
             check the role's trust policy (it must trust the CVM service)"
        )));
    }
    let field = |name: &str| {
        json.get(name)
            .and_then(|v| v.as_str())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                bad_response(format!(
                    "the metadata service answered the credentials of role {role} without {name}"
                ))
            })
    };
    let (id, key, token) = (field("TmpSecretId")?, field("TmpSecretKey")?, field("Token")?);
    let expires_at = json.get("ExpiredTime").and_then(|v| v.as_u64()).ok_or_else(|| {
        bad_response(format!(
            "the metadata service answered the credentials of role {role} without a numeric ExpiredTime"
        ))
    })?;
    let origin = |e: &trtc_sign::SignError| match sign_field(e) {
        Some("SecretId") => "TmpSecretId",
        Some("SecretKey") => "TmpSecretKey",
        _ => "Token",
    };
    let credentials = Credentials::new(id, key)
        .and_then(|c| c.with_token(token))
        .map_err(|e| {
            bad_response(format!("the {} the metadata service answered is unusable", origin(&e))).with_source(e)
        })?;
    Ok(Expiring {
        credentials,
        expires_at,
    })
}

/// Role names are letters, digits and `+=,.@_-`; anything else would change the URL it is put in.
fn check_role_name(role: &str) -> Result<(), String> {
    if role.is_empty() || role.len() > 128 {
        return Err("a role name has 1 to 128 characters".to_owned());
    }
    if let Some(c) = role
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '=' | ',' | '.' | '@' | '_' | '-')))
    {
        return Err(format!("a role name has letters, digits and +=,.@_- only, not {c:?}"));
    }
    Ok(())
}

fn bad_response(message: String) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::BadResponse, PROVIDER, message)
}

/// The start of a body that holds no credentials, for an error message.
fn quote(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    let text = String::from_utf8_lossy(body);
    format!(": {:?}", truncate(&text, 128))
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}
