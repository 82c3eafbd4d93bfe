//! TKE OIDC: temporary credentials from STS `AssumeRoleWithWebIdentity`, in exchange for the web identity
//! token a TKE pod is given.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use trtc_sign::{Credentials, Secret};

use super::cache::{Expiring, RefreshCache};
use super::sts::{
    check_duration, check_region, check_role_arn, check_session_name, default_session_name, StsClient, StsRequest,
};
use super::{CredentialsError, EnvVars, ProvideCredentials};
use crate::{BoxFuture, Transport};

/// The variable holding the region sent to STS.
pub const ENV_TKE_REGION: &str = "TKE_REGION";
/// The variable holding the OIDC identity provider's id (`ProviderId`).
pub const ENV_TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// The variable holding the path of the file with the web identity token.
pub const ENV_TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// The variable holding the ARN of the role to assume.
pub const ENV_TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";

const PROVIDER: &str = "TKE OIDC";
const DEFAULT_DURATION: Duration = Duration::from_secs(7200);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// A web identity token (a JWT) is a few kilobytes.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

#[derive(Clone)]
enum TokenSource {
    File(PathBuf),
    Value(Secret),
}

/// The four settings of one exchange, resolved from the builder and, where unset there, the `TKE_*` variables.
struct Resolved {
    region: String,
    provider_id: String,
    role_arn: String,
    token: Secret,
}

/// Temporary credentials for a CAM role from STS `AssumeRoleWithWebIdentity`, in exchange for an OIDC web
/// identity token: in TKE, the token file, provider id, role and region a pod is given in `TKE_*` variables.
///
/// The request is not signed with a key (the token is the proof): like the official SDKs it is sent with
/// `Authorization: SKIP`, action `AssumeRoleWithWebIdentity`, version `2018-08-13`, with `ProviderId`,
/// `WebIdentityToken`, `RoleArn`, `RoleSessionName` and `DurationSeconds`. The token file is read again at
/// every renewal (TKE rotates it); credentials are renewed 300 s before they expire, by one caller while the
/// others wait.
///
/// With [`from_tke_env`](OidcRoleProvider::from_tke_env), none of the four variables set is
/// [`NotFound`](crate::CredentialsErrorKind::NotFound) (not a TKE pod with OIDC); some but not all is
/// [`Invalid`](crate::CredentialsErrorKind::Invalid), naming the missing ones.
///
/// ```
/// use trtc_transport::{CredentialsErrorKind, EnvVars, OidcRoleProvider, ProvideCredentials};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // In a pod: OidcRoleProvider::from_tke_env(). Here, an environment without the TKE variables:
/// let provider = OidcRoleProvider::builder().tke_env(EnvVars::from_pairs([("HOME", "/root")])).build()?;
/// let err = provider.provide_credentials().await.unwrap_err();
/// assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
///
/// // Or every setting given explicitly:
/// let _explicit = OidcRoleProvider::builder()
///     .region("ap-guangzhou")
///     .provider_id("tke-oidc-provider")
///     .role_arn("qcs::cam::uin/100000000001:roleName/trtc-room-admin")
///     .web_identity_token_file("/var/run/secrets/tke.cloud.tencent.com/serviceaccount/token")
///     .build()?;
/// # Ok(()) }
/// ```
pub struct OidcRoleProvider {
    region: Option<String>,
    provider_id: Option<String>,
    role_arn: Option<String>,
    token: Option<TokenSource>,
    env: Option<EnvVars>,
    session_name: Option<String>,
    duration_secs: u64,
    sts: StsClient,
    cache: RefreshCache,
}

impl std::fmt::Debug for OidcRoleProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let token = match &self.token {
            Some(TokenSource::File(path)) => format!("file {}", path.display()),
            Some(TokenSource::Value(_)) => "***".to_owned(),
            None => format!("from {ENV_TKE_WEB_IDENTITY_TOKEN_FILE}"),
        };
        f.debug_struct("OidcRoleProvider")
            .field("region", &self.region)
            .field("provider_id", &self.provider_id)
            .field("role_arn", &self.role_arn)
            .field("token", &token)
            .field("env", &self.env)
            .field("session_name", &self.session_name)
            .field("duration_secs", &self.duration_secs)
            .field("sts", &self.sts)
            .field("cache", &self.cache)
            .finish()
    }
}

/// Configures an [`OidcRoleProvider`].
#[derive(Default)]
pub struct OidcRoleProviderBuilder {
    region: Option<String>,
    provider_id: Option<String>,
    role_arn: Option<String>,
    token: Option<TokenSource>,
    env: Option<EnvVars>,
    session_name: Option<String>,
    duration: Option<Duration>,
    endpoint: Option<String>,
    timeout: Option<Duration>,
    transport: Option<Arc<dyn Transport>>,
}

impl std::fmt::Debug for OidcRoleProviderBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcRoleProviderBuilder")
            .field("region", &self.region)
            .field("provider_id", &self.provider_id)
            .field("role_arn", &self.role_arn)
            .field("env", &self.env)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl OidcRoleProvider {
    /// Starts configuring a provider.
    pub fn builder() -> OidcRoleProviderBuilder {
        OidcRoleProviderBuilder::default()
    }

    /// Takes all four settings from `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and
    /// `TKE_ROLE_ARN` of the process environment, read at every renewal.
    pub fn from_tke_env() -> Result<Self, CredentialsError> {
        Self::builder().tke_env(EnvVars::process()).build()
    }

    fn resolve(&self) -> Result<Resolved, CredentialsError> {
        let from_env = |name: &str| self.env.as_ref().and_then(|env| env.get(name));
        let region = self.region.clone().or_else(|| from_env(ENV_TKE_REGION));
        let provider_id = self.provider_id.clone().or_else(|| from_env(ENV_TKE_PROVIDER_ID));
        let role_arn = self.role_arn.clone().or_else(|| from_env(ENV_TKE_ROLE_ARN));
        let token_source = self
            .token
            .clone()
            .or_else(|| from_env(ENV_TKE_WEB_IDENTITY_TOKEN_FILE).map(|p| TokenSource::File(PathBuf::from(p))));
        let (Some(region), Some(provider_id), Some(role_arn), Some(token_source)) = (
            region.as_ref(),
            provider_id.as_ref(),
            role_arn.as_ref(),
            token_source.as_ref(),
        ) else {
            let missing: Vec<&str> = [
                (ENV_TKE_REGION, region.is_none()),
                (ENV_TKE_PROVIDER_ID, provider_id.is_none()),
                (ENV_TKE_WEB_IDENTITY_TOKEN_FILE, token_source.is_none()),
                (ENV_TKE_ROLE_ARN, role_arn.is_none()),
            ]
            .into_iter()
            .filter_map(|(name, missing)| missing.then_some(name))
            .collect();
            return Err(if missing.len() == 4 {
                CredentialsError::not_found(
                    PROVIDER,
                    format!("{} are not set (not a TKE pod with OIDC)", missing.join(", ")),
                )
            } else {
                CredentialsError::invalid(
                    PROVIDER,
                    format!(
                        "{} not set while the other TKE variables are: set all four, or none",
                        missing.join(", ")
                    ),
                )
            });
        };
        if self.region.is_none() {
            check_region(PROVIDER, region)?;
        }
        if self.role_arn.is_none() {
            check_role_arn(PROVIDER, ENV_TKE_ROLE_ARN, role_arn)?;
        }
        if provider_id.trim() != provider_id || provider_id.bytes().any(|b| b.is_ascii_control()) {
            return Err(CredentialsError::invalid(
                PROVIDER,
                format!("the provider id {provider_id:?} has whitespace or control characters: remove them"),
            ));
        }
        let token = match token_source {
            TokenSource::Value(token) => token.clone(),
            TokenSource::File(path) => read_token(path, self.token.is_none())?,
        };
        Ok(Resolved {
            region: region.clone(),
            provider_id: provider_id.clone(),
            role_arn: role_arn.clone(),
            token,
        })
    }

    async fn fetch(&self) -> Result<Expiring, CredentialsError> {
        let resolved = self.resolve()?;
        let session_name = self.session_name.clone().unwrap_or_else(default_session_name);
        let params = serde_json::json!({
            "ProviderId": resolved.provider_id,
            "WebIdentityToken": resolved.token.expose_secret(),
            "RoleArn": resolved.role_arn,
            "RoleSessionName": session_name,
            "DurationSeconds": self.duration_secs,
        });
        self.sts
            .call(StsRequest {
                provider: PROVIDER,
                action: "AssumeRoleWithWebIdentity",
                region: &resolved.region,
                params,
                signer: None,
                hint: "check the provider id, that the role trusts this OIDC identity provider, and that the web \
                       identity token is current",
            })
            .await
    }
}

fn read_token(path: &std::path::Path, from_env: bool) -> Result<Secret, CredentialsError> {
    let origin = if from_env {
        format!(" (from {ENV_TKE_WEB_IDENTITY_TOKEN_FILE})")
    } else {
        String::new()
    };
    let shown = path.display();
    let unreadable = |e: std::io::Error| {
        CredentialsError::invalid(
            PROVIDER,
            format!("cannot read the web identity token file {shown}{origin}: check the path and its permissions"),
        )
        .with_source(e)
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if metadata.len() > MAX_TOKEN_BYTES {
        return Err(CredentialsError::invalid(
            PROVIDER,
            format!(
                "the web identity token file {shown}{origin} is {} bytes, too large for a token",
                metadata.len()
            ),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(unreadable)?;
    let token = text.trim();
    if token.is_empty() {
        return Err(CredentialsError::invalid(
            PROVIDER,
            format!("the web identity token file {shown}{origin} is empty"),
        ));
    }
    Ok(Secret::new(token))
}

impl OidcRoleProviderBuilder {
    /// The region sent as `X-TC-Region` (in TKE, `TKE_REGION`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The OIDC identity provider's id in CAM, sent as `ProviderId` (in TKE, `TKE_PROVIDER_ID`).
    pub fn provider_id(mut self, provider_id: impl Into<String>) -> Self {
        self.provider_id = Some(provider_id.into());
        self
    }

    /// The role to assume (in TKE, `TKE_ROLE_ARN`).
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arn = Some(role_arn.into());
        self
    }

    /// The file holding the web identity token, read at every renewal (in TKE, `TKE_WEB_IDENTITY_TOKEN_FILE`).
    pub fn web_identity_token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.token = Some(TokenSource::File(path.into()));
        self
    }

    /// The web identity token itself, for tokens that do not come from a file.
    pub fn web_identity_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(TokenSource::Value(Secret::new(token)));
        self
    }

    /// Takes each of region, provider id, token file and role ARN not set on the builder from its `TKE_*`
    /// variable in `env`, read at every renewal.
    pub fn tke_env(mut self, env: EnvVars) -> Self {
        self.env = Some(env);
        self
    }

    /// The session name recorded in CloudAudit (default `trtc-rs-<microseconds>`, new at each renewal).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials are valid (default 2 hours; 10 minutes to 12 hours).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// Where STS is (default `sts.tencentcloudapi.com`; `http://127.0.0.1:PORT` for a local fake).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The most one STS call may take (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends through `transport` instead of a [`HyperTransport`](crate::HyperTransport) of its own.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Checks the settings and builds the provider. Without [`tke_env`](Self::tke_env), region, provider
    /// id, role ARN and token (or token file) are all required.
    pub fn build(self) -> Result<OidcRoleProvider, CredentialsError> {
        if self.env.is_none() {
            let missing: Vec<&str> = [
                ("region", self.region.is_none()),
                ("provider_id", self.provider_id.is_none()),
                ("role_arn", self.role_arn.is_none()),
                ("web_identity_token_file", self.token.is_none()),
            ]
            .into_iter()
            .filter_map(|(name, missing)| missing.then_some(name))
            .collect();
            if !missing.is_empty() {
                return Err(CredentialsError::invalid(
                    PROVIDER,
                    format!(
                        "{} not set: set them on the builder, or call tke_env(..)",
                        missing.join(", ")
                    ),
                ));
            }
        }
        if let Some(region) = &self.region {
            check_region(PROVIDER, region)?;
        }
        if let Some(role_arn) = &self.role_arn {
            check_role_arn(PROVIDER, "role_arn", role_arn)?;
        }
        if let Some(name) = &self.session_name {
            check_session_name(PROVIDER, name)?;
        }
        let duration_secs = check_duration(PROVIDER, self.duration.unwrap_or(DEFAULT_DURATION))?;
        let sts = StsClient::new(
            PROVIDER,
            self.endpoint.as_deref(),
            self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            self.transport,
        )?;
        Ok(OidcRoleProvider {
            region: self.region,
            provider_id: self.provider_id,
            role_arn: self.role_arn,
            token: self.token,
            env: self.env,
            session_name: self.session_name,
            duration_secs,
            sts,
            cache: RefreshCache::default(),
        })
    }
}

impl ProvideCredentials for OidcRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}
