//! STS AssumeRole: temporary credentials for a role, requested with credentials from another provider.
//! `exchange.rs` holds the STS call that the OIDC provider shares.

mod exchange;

use std::sync::Arc;
use std::time::Duration;

use trtc_sign::Credentials;

use super::cache::{Expiring, RefreshCache};
use super::{CredentialsError, ProvideCredentials};
use crate::{BoxFuture, Transport};

pub(super) use exchange::{
    check_duration, check_region, check_role_arn, check_session_name, default_session_name, StsClient, StsRequest,
};

/// The STS endpoint (mainland edition).
pub const STS_ENDPOINT: &str = "sts.tencentcloudapi.com";
/// The STS API version of `AssumeRole` and `AssumeRoleWithWebIdentity`.
pub const STS_VERSION: &str = "2018-08-13";
const DEFAULT_REGION: &str = "ap-guangzhou";
const DEFAULT_DURATION: Duration = Duration::from_secs(7200);
const MAX_DURATION: Duration = Duration::from_secs(43_200);
/// Credentials are renewed 300 s before expiry; shorter lifetimes would be renewed on almost every call.
const MIN_DURATION: Duration = Duration::from_secs(600);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

const PROVIDER: &str = "STS AssumeRole";

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

    /// Sends through `transport` instead of a [`HyperTransport`](crate::HyperTransport) of its own.
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
