//! Providers asked in order, and the default order of the official SDKs.

use std::sync::Mutex;

use trtc_sign::Credentials;

use super::{
    CredentialsError, CvmRoleProvider, EnvVars, EnvironmentProvider, OidcRoleProvider, ProfileProvider,
    ProvideCredentials,
};
use crate::BoxFuture;

const PROVIDER: &str = "credentials chain";

/// Asks its providers in order and uses the first that has credentials.
///
/// A provider that has nothing to offer ([`NotFound`](crate::CredentialsErrorKind::NotFound)) passes to the
/// next; any other error stops the chain, since credentials that exist but are broken should be fixed, not
/// silently replaced by another identity. When every provider declines, the error is `NotFound` and lists
/// each provider with its reason ([`CredentialsError::tried`]); never empty credentials.
///
/// Once a provider has answered, the chain keeps asking that one alone (temporary-credential providers
/// renew themselves), so a CVM role step that has to wait for an absent metadata service is not repeated
/// on every request. If that provider later finds nothing, the chain starts again from the top.
///
/// ```
/// use trtc_transport::{ChainProvider, CvmRoleProvider, EnvVars, ProvideCredentials};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let env = EnvVars::from_pairs([("TENCENTCLOUD_SECRET_ID", "AKIDexample"), ("TENCENTCLOUD_SECRET_KEY", "example-key")]);
/// let chain = ChainProvider::default_builder().env(env).without_cvm_role().build();
/// assert_eq!(chain.provide_credentials().await?.secret_id(), "AKIDexample");
///
/// // Nothing anywhere: an error naming each provider and why it declined.
/// let empty = ChainProvider::default_builder()
///     .env(EnvVars::from_pairs([("HOME", "/nonexistent")]))
///     .profile(trtc_transport::ProfileProvider::with_env(EnvVars::from_pairs([("HOME", "/nonexistent")]))
///         .system_path("/nonexistent/credentials"))
///     .without_cvm_role()
///     .build();
/// let err = empty.provide_credentials().await.unwrap_err();
/// assert_eq!(err.tried().len(), 3);
/// assert!(err.to_string().contains("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set"));
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct ChainProvider {
    providers: Vec<Box<dyn ProvideCredentials>>,
    chosen: Mutex<Option<usize>>,
    hint: &'static str,
}

impl Default for ChainProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ChainProvider {
    /// An empty chain; add providers with [`push`](Self::push).
    pub fn new() -> Self {
        ChainProvider {
            providers: Vec::new(),
            chosen: Mutex::new(None),
            hint: "no provider in the chain has credentials",
        }
    }

    /// Adds `provider` at the end of the chain.
    pub fn push(mut self, provider: impl ProvideCredentials) -> Self {
        self.providers.push(Box::new(provider));
        self
    }

    /// The default chain on the process environment: environment variables, then the profile file, then
    /// the CVM instance role, then TKE OIDC.
    pub fn default_chain() -> Self {
        Self::default_builder().build()
    }

    /// Configures the default chain (for tests, or to leave a step out).
    pub fn default_builder() -> DefaultChainBuilder {
        DefaultChainBuilder {
            env: EnvVars::process(),
            profile: None,
            cvm_role: Some(None),
            oidc: Some(None),
        }
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let chosen = *self.chosen.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(index) = chosen {
            match self.providers[index].provide_credentials().await {
                Err(e) if e.is_not_found() => {}
                outcome => return outcome,
            }
        }
        let mut tried = Vec::with_capacity(self.providers.len());
        for (index, provider) in self.providers.iter().enumerate() {
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    *self.chosen.lock().unwrap_or_else(|p| p.into_inner()) = Some(index);
                    return Ok(credentials);
                }
                Err(e) if e.is_not_found() => tried.push(e),
                Err(e) => return Err(e),
            }
        }
        *self.chosen.lock().unwrap_or_else(|p| p.into_inner()) = None;
        let message = if self.providers.is_empty() {
            "the chain has no providers: add one with push(..)".to_owned()
        } else {
            format!("{}; each provider tried:", self.hint)
        };
        Err(CredentialsError::not_found(PROVIDER, message).with_tried(tried))
    }
}

impl ProvideCredentials for ChainProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide())
    }
}

/// Configures the default chain: environment, profile file, CVM instance role, TKE OIDC.
///
/// Every step reads its variables from [`env`](Self::env) (the process environment unless set); a step
/// can be replaced by a provider configured otherwise, or left out.
#[derive(Debug)]
pub struct DefaultChainBuilder {
    env: EnvVars,
    profile: Option<ProfileProvider>,
    // Outer `None`: left out; inner `None`: the default provider.
    cvm_role: Option<Option<CvmRoleProvider>>,
    oidc: Option<Option<OidcRoleProvider>>,
}

impl DefaultChainBuilder {
    /// Where the environment, profile and OIDC steps read variables (default: the process environment).
    pub fn env(mut self, env: EnvVars) -> Self {
        self.env = env;
        self
    }

    /// Uses `provider` as the profile step.
    pub fn profile(mut self, provider: ProfileProvider) -> Self {
        self.profile = Some(provider);
        self
    }

    /// Uses `provider` as the CVM role step (e.g. with another endpoint or timeouts).
    pub fn cvm_role(mut self, provider: CvmRoleProvider) -> Self {
        self.cvm_role = Some(Some(provider));
        self
    }

    /// Leaves out the CVM role step (off CVM, it costs up to its connect timeout, once).
    pub fn without_cvm_role(mut self) -> Self {
        self.cvm_role = None;
        self
    }

    /// Uses `provider` as the OIDC step (e.g. with another STS endpoint).
    pub fn oidc(mut self, provider: OidcRoleProvider) -> Self {
        self.oidc = Some(Some(provider));
        self
    }

    /// Leaves out the OIDC step.
    pub fn without_oidc(mut self) -> Self {
        self.oidc = None;
        self
    }

    /// Builds the chain.
    pub fn build(self) -> ChainProvider {
        let mut chain = ChainProvider::new()
            .push(EnvironmentProvider::with_env(self.env.clone()))
            .push(
                self.profile
                    .unwrap_or_else(|| ProfileProvider::with_env(self.env.clone())),
            );
        chain.hint = "no credentials found: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, write \
                      ~/.tencentcloud/credentials, or run on a CVM instance with a CAM role or in a TKE pod with OIDC";
        if let Some(cvm) = self.cvm_role {
            chain = chain.push(cvm.unwrap_or_default());
        }
        if let Some(oidc) = self.oidc {
            let oidc = match oidc {
                Some(oidc) => Some(oidc),
                // The default settings (TKE variables, default endpoint and timeout) are always valid.
                None => OidcRoleProvider::builder().tke_env(self.env.clone()).build().ok(),
            };
            if let Some(oidc) = oidc {
                chain = chain.push(oidc);
            }
        }
        chain
    }
}
