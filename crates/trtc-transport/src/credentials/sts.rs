//! STS AssumeRole: temporary credentials for a role, requested with credentials from another provider; and
//! the exchange with STS that the OIDC provider shares.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde::Deserialize;
use trtc_sign::{Credentials, Secret};

use super::cache::{Expiring, RefreshCache};
use super::error::sign_field;
use super::{CredentialsError, CredentialsErrorKind, ProvideCredentials};
use crate::call::{self, Auth, Deadline, Headers, KeyCache, Payload, Target};
use crate::{BoxFuture, Endpoint, Error, HyperTransport, Transport};

/// The STS endpoint (mainland edition).
pub const STS_ENDPOINT: &str = "sts.tencentcloudapi.com";
/// The STS API version of `AssumeRole` and `AssumeRoleWithWebIdentity`.
pub const STS_VERSION: &str = "2018-08-13";

const SERVICE: &str = "sts";
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
    // The signing key of AssumeRole's source credentials, kept for the day like a client's.
    keys: KeyCache,
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
            keys: KeyCache::default(),
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
        let (provider, action) = (request.provider, request.action);
        let endpoint = &self.endpoint;
        let transport = self.transport(provider)?;
        let target = Target {
            service: SERVICE,
            action,
            version: STS_VERSION,
            region: Some(request.region),
        };
        let auth = match request.signer {
            Some(credentials) => Auth::Tc3 {
                credentials,
                keys: &self.keys,
            },
            None => Auth::Unsigned,
        };
        let payload = Payload::Json(Bytes::from(request.params.to_string()));
        let answer = call::send::<StsAnswer>(
            &*transport,
            endpoint,
            &target,
            auth,
            &payload,
            &Headers::default(),
            Deadline::after(self.timeout),
        )
        .await;
        let bad = |message: String| CredentialsError::new(CredentialsErrorKind::BadResponse, provider, message);
        let answer = match answer {
            Ok(answer) => answer,
            Err(Error::Api(api)) => {
                return Err(bad(format!("STS refused {action}: {api}; {}", request.hint)).with_api(api));
            }
            Err(Error::UnexpectedResponse {
                status,
                detail,
                snippet,
            }) => {
                // A body that looks like JSON may be truncated credentials: describe it, never quote it.
                let quoted = match snippet.trim_start().as_bytes().first() {
                    None | Some(b'{' | b'[') => String::new(),
                    Some(_) => format!(": {:?}", snippet.chars().take(128).collect::<String>()),
                };
                return Err(bad(format!(
                    "STS at {endpoint} answered {action} with HTTP {status}: {detail}{quoted}"
                )));
            }
            Err(Error::Timeout { after }) => {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::Unreachable,
                    provider,
                    format!("STS at {endpoint} gave no answer within {after:?}"),
                ))
            }
            Err(Error::Transport(e)) => {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::Unreachable,
                    provider,
                    format!("cannot reach STS at {endpoint}: {e}"),
                )
                .with_source(e))
            }
            Err(e) => {
                return Err(
                    CredentialsError::invalid(provider, format!("cannot send the {action} request: {e}"))
                        .with_source(e),
                )
            }
        };
        answer.into_expiring(action).map_err(bad)
    }
}

/// The `Response` of `AssumeRole` and `AssumeRoleWithWebIdentity`. Every member is optional here so that a
/// missing one is reported by name.
#[derive(Deserialize)]
struct StsAnswer {
    #[serde(rename = "Credentials")]
    credentials: Option<StsCredentials>,
    #[serde(rename = "ExpiredTime")]
    expired_time: Option<u64>,
}

#[derive(Deserialize)]
struct StsCredentials {
    #[serde(rename = "TmpSecretId")]
    tmp_secret_id: Option<String>,
    #[serde(rename = "TmpSecretKey", default, deserialize_with = "secret")]
    tmp_secret_key: Option<Secret>,
    #[serde(rename = "Token", default, deserialize_with = "secret")]
    token: Option<Secret>,
}

/// Reads a secret member straight into a [`Secret`], so its text is wiped with it.
fn secret<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Secret>, D::Error> {
    Option::<String>::deserialize(deserializer).map(|value| value.map(Secret::new))
}

impl StsAnswer {
    fn into_expiring(self, action: &str) -> Result<Expiring, String> {
        let missing = |name: &str| format!("STS answered {action} without Credentials.{name}");
        let given = |value: Option<&str>| value.filter(|v| !v.is_empty()).is_some();
        let credentials = self.credentials;
        let id = credentials.as_ref().and_then(|c| c.tmp_secret_id.as_deref());
        let key = credentials
            .as_ref()
            .and_then(|c| c.tmp_secret_key.as_ref())
            .map(Secret::expose_secret);
        let token = credentials
            .as_ref()
            .and_then(|c| c.token.as_ref())
            .map(Secret::expose_secret);
        let (Some(id), Some(key), Some(token)) = (id, key, token) else {
            let name = match (given(id), given(key), given(token)) {
                (false, _, _) => "TmpSecretId",
                (_, false, _) => "TmpSecretKey",
                _ => "Token",
            };
            return Err(missing(name));
        };
        for (name, value) in [("TmpSecretId", id), ("TmpSecretKey", key), ("Token", token)] {
            if value.is_empty() {
                return Err(missing(name));
            }
        }
        let expires_at = self
            .expired_time
            .ok_or_else(|| format!("STS answered {action} without a numeric ExpiredTime"))?;
        let credentials = Credentials::new(id, key)
            .and_then(|c| c.with_token(token))
            .map_err(|e| {
                let origin = match sign_field(&e) {
                    Some("SecretId") => "TmpSecretId",
                    Some("SecretKey") => "TmpSecretKey",
                    _ => "Token",
                };
                format!("the {origin} STS answered is unusable: {e}")
            })?;
        Ok(Expiring {
            credentials,
            expires_at,
        })
    }
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
