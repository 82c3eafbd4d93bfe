//! Credentials providers: where the key pair that signs each request comes from, behind one small async trait.
//!
//! Each provider is usable alone; [`ChainProvider::default_chain`] asks them in the order the official SDKs
//! do (environment, profile file, CVM instance role, TKE OIDC). The temporary-credential providers (CVM role,
//! STS AssumeRole, OIDC) share one refreshing cache: credentials are renewed 300 s before they expire, and
//! concurrent callers wait for a single refresh instead of each starting their own.

mod cache;
mod chain;
mod cvm_role;
mod env;
mod error;
mod ini;
mod oidc;
mod profile;
mod static_provider;
mod sts;

use std::sync::Arc;

use trtc_sign::Credentials;

use crate::BoxFuture;

pub use cache::REFRESH_BEFORE_EXPIRY;
pub use chain::{ChainProvider, DefaultChainBuilder};
pub use cvm_role::{CvmRoleProvider, CvmRoleProviderBuilder, DEFAULT_METADATA_ENDPOINT};
pub use env::{EnvVars, EnvironmentProvider, ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN, ENV_TOKEN};
pub use error::{CredentialsError, CredentialsErrorKind};
pub use oidc::{
    OidcRoleProvider, OidcRoleProviderBuilder, ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN,
    ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
};
pub use profile::{ProfileProvider, DEFAULT_PROFILE, ENV_CREDENTIALS_FILE, SYSTEM_CREDENTIALS_FILE};
pub use static_provider::StaticProvider;
pub use sts::{AssumeRoleProvider, AssumeRoleProviderBuilder, STS_ENDPOINT, STS_VERSION};

/// Supplies the credentials that sign requests.
///
/// A client asks before each request, so an implementation answers fast from memory when it can and
/// refreshes temporary credentials before they expire. Implementations never put a secret in their `Debug`
/// output or in their errors.
///
/// ```
/// use trtc_transport::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
///
/// /// Credentials kept by the application, e.g. fetched from its own secret store at start-up.
/// #[derive(Debug)]
/// struct FromVault(Credentials);
///
/// impl ProvideCredentials for FromVault {
///     fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
///         Box::pin(async move { Ok(self.0.clone()) })
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let provider = FromVault(Credentials::new("AKIDexample", "example-key")?);
/// assert_eq!(provider.provide_credentials().await?.secret_id(), "AKIDexample");
/// # Ok(()) }
/// ```
pub trait ProvideCredentials: Send + Sync + std::fmt::Debug + 'static {
    /// Returns credentials valid for at least the next few minutes.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}
