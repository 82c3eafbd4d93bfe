//! STS AssumeRole: temporary credentials for a role, requested with credentials from another provider; and
//! the exchange with STS that the OIDC provider shares.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use trtc_model::{ApiError, ErrorCode};
use trtc_sign::{sign, Credentials, SignableRequest, SigningParams, Timestamp};

use super::cache::{unix_now, Expiring, RefreshCache};
use super::error::sign_field;
use super::{CredentialsError, CredentialsErrorKind, ProvideCredentials};
use crate::{BoxFuture, Endpoint, HyperTransport, Transport, REQUEST_CLIENT};

/// The STS endpoint (mainland edition).
pub const STS_ENDPOINT: &str = "sts.tencentcloudapi.com";
/// The STS API version of `AssumeRole` and `AssumeRoleWithWebIdentity`.
pub const STS_VERSION: &str = "2018-08-13";

const SERVICE: &str = "sts";
const CONTENT_TYPE_JSON: &str = "application/json";
const DEFAULT_REGION: &str = "ap-guangzhou";
const DEFAULT_DURATION: Duration = Duration::from_secs(7200);
const MAX_DURATION: Duration = Duration::from_secs(43_200);
/// Credentials are renewed 300 s before expiry; shorter lifetimes would be renewed on almost every call.
const MIN_DURATION: Duration = Duration::from_secs(600);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

const PROVIDER: &str = "STS AssumeRole";

/// Where and how STS is called: shared by AssumeRole and AssumeRoleWithWebIdentity.
pub(super) struct StsClient {
    endpoint: Endpoint,
    timeout: Duration,
    given: Option<Arc<dyn Transport>>,
    // Built on first use, so that a provider that never fetches never sets up TLS.
    default: OnceLock<Arc<dyn Transport>>,
}

/// One STS call.
pub(super) struct StsRequest<'a> {
    pub(super) provider: &'static str,
    pub(super) action: &'static str,
    pub(super) region: &'a str,
    pub(super) params: serde_json::Value,
    /// `None`: the request is not signed (`Authorization: SKIP`), as AssumeRoleWithWebIdentity expects.
    pub(super) signer: Option<&'a Credentials>,
    /// What to check when STS answers with an error.
    pub(super) hint: &'static str,
}

impl std::fmt::Debug for StsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StsClient")
            .field("endpoint", &self.endpoint)
            .field("timeout", &self.timeout)
            .field("custom_transport", &self.given.is_some())
            .finish()
    }
}

impl StsClient {
    pub(super) fn new(
        provider: &'static str,
        endpoint: Option<&str>,
        timeout: Duration,
        transport: Option<Arc<dyn Transport>>,
    ) -> Result<Self, CredentialsError> {
        let endpoint = Endpoint::parse(endpoint.unwrap_or(STS_ENDPOINT))
            .map_err(|e| CredentialsError::invalid(provider, format!("the STS endpoint: {e}")).with_source(e))?;
        if timeout.is_zero() {
            return Err(CredentialsError::invalid(
                provider,
                "the STS timeout must be greater than zero",
            ));
        }
        Ok(StsClient {
            endpoint,
            timeout,
            given: transport,
            default: OnceLock::new(),
        })
    }

    fn transport(&self, provider: &'static str) -> Result<Arc<dyn Transport>, CredentialsError> {
        if let Some(transport) = &self.given {
            return Ok(Arc::clone(transport));
        }
        if let Some(transport) = self.default.get() {
            return Ok(Arc::clone(transport));
        }
        let built: Arc<dyn Transport> = Arc::new(HyperTransport::new().map_err(|e| {
            CredentialsError::invalid(provider, format!("cannot set up HTTPS to STS: {e}")).with_source(e)
        })?);
        Ok(Arc::clone(self.default.get_or_init(|| built)))
    }

    pub(super) async fn call(&self, request: StsRequest<'_>) -> Result<Expiring, CredentialsError> {
        let provider = request.provider;
        let endpoint = &self.endpoint;
        let http_request = self.build(&request)?;
        let transport = self.transport(provider)?;
        let response = match tokio::time::timeout(self.timeout, transport.send(http_request)).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::Unreachable,
                    provider,
                    format!("cannot reach STS at {endpoint}: {e}"),
                )
                .with_source(e))
            }
            Err(_) => {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::Unreachable,
                    provider,
                    format!("STS at {endpoint} gave no answer within {:?}", self.timeout),
                ))
            }
        };
        parse_answer(&request, endpoint, response.status().as_u16(), response.body())
    }

    fn build(&self, request: &StsRequest<'_>) -> Result<http::Request<Bytes>, CredentialsError> {
        let provider = request.provider;
        let host = self.endpoint.host();
        let body = Bytes::from(request.params.to_string());
        let now = unix_now();
        let invalid = |what: &str, e: &dyn std::fmt::Display| {
            CredentialsError::invalid(
                provider,
                format!("cannot build the {} request: {what}: {e}", request.action),
            )
        };
        let mut http_request = http::Request::post(self.endpoint.uri())
            .body(body.clone())
            .map_err(|e| invalid("the endpoint", &e))?;
        let headers = http_request.headers_mut();
        let value = |v: &str| HeaderValue::from_str(v).map_err(|e| invalid("a header value", &e));
        headers.insert(HOST, value(host)?);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
        headers.insert("x-tc-requestclient", HeaderValue::from_static(REQUEST_CLIENT));
        match request.signer {
            Some(credentials) => {
                let timestamp = Timestamp::from_secs(now).map_err(|e| invalid("the clock", &e))?;
                let params = SigningParams::new(SERVICE, host, request.action, STS_VERSION, timestamp)
                    .with_region(request.region);
                let signed =
                    sign(credentials, &params, &SignableRequest::post(CONTENT_TYPE_JSON, &body)).map_err(|e| {
                        CredentialsError::invalid(provider, format!("cannot sign the {} request: {e}", request.action))
                            .with_source(e)
                    })?;
                for header in signed.headers() {
                    let name = HeaderName::from_bytes(header.name().to_ascii_lowercase().as_bytes())
                        .map_err(|e| invalid("a header name", &e))?;
                    let mut header_value = value(header.value())?;
                    header_value.set_sensitive(header.is_sensitive());
                    headers.insert(name, header_value);
                }
            }
            None => {
                headers.insert(AUTHORIZATION, HeaderValue::from_static("SKIP"));
                headers.insert("x-tc-action", value(request.action)?);
                headers.insert("x-tc-timestamp", value(&now.to_string())?);
                headers.insert("x-tc-version", HeaderValue::from_static(STS_VERSION));
                headers.insert("x-tc-region", value(request.region)?);
            }
        }
        Ok(http_request)
    }
}

fn parse_answer(
    request: &StsRequest<'_>,
    endpoint: &Endpoint,
    status: u16,
    body: &[u8],
) -> Result<Expiring, CredentialsError> {
    let (provider, action) = (request.provider, request.action);
    let bad = |message: String| CredentialsError::new(CredentialsErrorKind::BadResponse, provider, message);
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        // A body that looks like JSON may be truncated credentials: describe it, never quote it.
        let looks_like_json = body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{' || b == b'[');
        let quoted = if looks_like_json || body.is_empty() {
            String::new()
        } else {
            let text = String::from_utf8_lossy(body);
            let end = text.char_indices().nth(128).map_or(text.len(), |(at, _)| at);
            format!(": {:?}", &text[..end])
        };
        bad(format!(
            "STS at {endpoint} answered {action} with HTTP {status} and {} bytes that are not JSON ({e}){quoted}",
            body.len()
        ))
        .with_source(e)
    })?;
    let Some(response) = json.get("Response") else {
        return Err(bad(format!(
            "STS at {endpoint} answered {action} (HTTP {status}) without a Response object"
        )));
    };
    if let Some(error) = response.get("Error") {
        let code = error.get("Code").and_then(|v| v.as_str()).unwrap_or("(no Code)");
        let api = ApiError {
            code: ErrorCode::parse(code),
            message: error.get("Message").and_then(|v| v.as_str()).unwrap_or("").to_owned(),
            request_id: response
                .get("RequestId")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned(),
            status,
        };
        return Err(bad(format!("STS refused {action}: {api}; {}", request.hint)).with_api(api));
    }
    let field = |name: &str| {
        response
            .get("Credentials")
            .and_then(|c| c.get(name))
            .and_then(|v| v.as_str())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                bad(format!(
                    "STS answered {action} (HTTP {status}) without Credentials.{name}"
                ))
            })
    };
    let (id, key, token) = (field("TmpSecretId")?, field("TmpSecretKey")?, field("Token")?);
    let expires_at = response.get("ExpiredTime").and_then(|v| v.as_u64()).ok_or_else(|| {
        bad(format!(
            "STS answered {action} (HTTP {status}) without a numeric ExpiredTime"
        ))
    })?;
    let credentials = Credentials::new(id, key)
        .and_then(|c| c.with_token(token))
        .map_err(|e| {
            let origin = match sign_field(&e) {
                Some("SecretId") => "TmpSecretId",
                Some("SecretKey") => "TmpSecretKey",
                _ => "Token",
            };
            bad(format!("the {origin} STS answered is unusable: {e}")).with_source(e)
        })?;
    Ok(Expiring {
        credentials,
        expires_at,
    })
}

/// The checks both STS providers apply to their settings.
pub(super) fn check_region(provider: &'static str, region: &str) -> Result<(), CredentialsError> {
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(CredentialsError::invalid(
            provider,
            format!("region {region:?} is not a region name: use e.g. ap-guangzhou"),
        ));
    }
    Ok(())
}

pub(super) fn check_role_arn(provider: &'static str, origin: &str, arn: &str) -> Result<(), CredentialsError> {
    if !arn.starts_with("qcs::cam::") || arn.bytes().any(|b| !b.is_ascii_graphic()) {
        return Err(CredentialsError::invalid(
            provider,
            format!(
                "{origin} {arn:?} is not a role ARN: copy it from the CAM console, e.g. \
                 qcs::cam::uin/100000000001:roleName/trtc-admin"
            ),
        ));
    }
    Ok(())
}

pub(super) fn check_session_name(provider: &'static str, name: &str) -> Result<(), CredentialsError> {
    let ok = (2..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'=' | b',' | b'.' | b'@' | b'-'));
    if !ok {
        return Err(CredentialsError::invalid(
            provider,
            format!("session name {name:?} must be 2 to 128 letters, digits or +=,.@_-"),
        ));
    }
    Ok(())
}

pub(super) fn check_duration(provider: &'static str, duration: Duration) -> Result<u64, CredentialsError> {
    if duration < MIN_DURATION || duration > MAX_DURATION || duration.subsec_nanos() != 0 {
        return Err(CredentialsError::invalid(
            provider,
            format!(
                "duration {duration:?} must be whole seconds from {}s to {}s (STS allows at most 12 hours; credentials \
                 are renewed 300 s before expiry, so shorter ones would be renewed on almost every call)",
                MIN_DURATION.as_secs(),
                MAX_DURATION.as_secs()
            ),
        ));
    }
    Ok(duration.as_secs())
}

/// `trtc-rs-<microseconds since the epoch>`, unique enough to tell sessions apart in the audit log.
pub(super) fn default_session_name() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    format!("trtc-rs-{micros}")
}

/// Temporary credentials for a CAM role, from STS `AssumeRole`, signed with the credentials of another
/// provider (the source), and renewed 300 s before they expire by one caller while the others wait.
///
/// The request is `POST` to `sts.tencentcloudapi.com` (configurable), action `AssumeRole`, version
/// `2018-08-13`, region `ap-guangzhou` unless set, with `RoleArn`, `RoleSessionName` (default
/// `trtc-rs-<microseconds>`) and `DurationSeconds` (default 7200). When the source credentials carry a
/// token, it is sent as `X-TC-Token`, so a CVM role can assume another role.
///
/// ```no_run
/// use trtc_transport::{AssumeRoleProvider, EnvironmentProvider, ProvideCredentials};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let provider = AssumeRoleProvider::builder(
///     EnvironmentProvider::new(),
///     "qcs::cam::uin/100000000001:roleName/trtc-room-admin",
/// )
/// .session_name("room-janitor")
/// .build()?;
/// let creds = provider.provide_credentials().await?;
/// assert!(creds.token().is_some());
/// # Ok(()) }
/// ```
pub struct AssumeRoleProvider {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: String,
    duration_secs: u64,
    region: String,
    sts: StsClient,
    cache: RefreshCache,
}

impl std::fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("source", &self.source)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration_secs", &self.duration_secs)
            .field("region", &self.region)
            .field("sts", &self.sts)
            .field("cache", &self.cache)
            .finish()
    }
}

/// Configures an [`AssumeRoleProvider`].
pub struct AssumeRoleProviderBuilder {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: Option<String>,
    duration: Duration,
    region: String,
    endpoint: Option<String>,
    timeout: Duration,
    transport: Option<Arc<dyn Transport>>,
}

impl std::fmt::Debug for AssumeRoleProviderBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssumeRoleProviderBuilder")
            .field("source", &self.source)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl AssumeRoleProvider {
    /// Starts configuring a provider that assumes `role_arn` (e.g.
    /// `qcs::cam::uin/100000000001:roleName/trtc-room-admin`) with the credentials of `source`.
    pub fn builder(source: impl ProvideCredentials, role_arn: impl Into<String>) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            source: Arc::new(source),
            role_arn: role_arn.into(),
            session_name: None,
            duration: DEFAULT_DURATION,
            region: DEFAULT_REGION.to_owned(),
            endpoint: None,
            timeout: DEFAULT_TIMEOUT,
            transport: None,
        }
    }

    async fn fetch(&self) -> Result<Expiring, CredentialsError> {
        let source = self.source.provide_credentials().await.map_err(|e| {
            CredentialsError::new(
                e.kind(),
                PROVIDER,
                format!(
                    "the source credentials for assuming {} are unavailable: {e}",
                    self.role_arn
                ),
            )
            .with_source(e)
        })?;
        let params = serde_json::json!({
            "RoleArn": self.role_arn,
            "RoleSessionName": self.session_name,
            "DurationSeconds": self.duration_secs,
        });
        self.sts
            .call(StsRequest {
                provider: PROVIDER,
                action: "AssumeRole",
                region: &self.region,
                params,
                signer: Some(&source),
                hint: "check the RoleArn, that the role's trust policy trusts the source identity, and that the \
                       source credentials may call sts:AssumeRole",
            })
            .await
    }
}

impl AssumeRoleProviderBuilder {
    /// The session name recorded in CloudAudit (default `trtc-rs-<microseconds>`): 2 to 128 letters,
    /// digits or `+=,.@_-`.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials are valid (default 2 hours; 10 minutes to 12 hours).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = duration;
        self
    }

    /// The region sent as `X-TC-Region` (default `ap-guangzhou`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Where STS is (default `sts.tencentcloudapi.com`; `sts.intl.tencentcloudapi.com` for the international
    /// edition; `http://127.0.0.1:PORT` for a local fake).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The most one STS call may take (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends through `transport` instead of a [`HyperTransport`] of its own.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Checks the settings and builds the provider.
    pub fn build(self) -> Result<AssumeRoleProvider, CredentialsError> {
        check_role_arn(PROVIDER, "RoleArn", &self.role_arn)?;
        let session_name = self.session_name.unwrap_or_else(default_session_name);
        check_session_name(PROVIDER, &session_name)?;
        let duration_secs = check_duration(PROVIDER, self.duration)?;
        check_region(PROVIDER, &self.region)?;
        let sts = StsClient::new(PROVIDER, self.endpoint.as_deref(), self.timeout, self.transport)?;
        Ok(AssumeRoleProvider {
            source: self.source,
            role_arn: self.role_arn,
            session_name,
            duration_secs,
            region: self.region,
            sts,
            cache: RefreshCache::default(),
        })
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}
