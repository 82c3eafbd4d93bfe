//! Fixed credentials: a key pair (and token) known when the client is built.

use trtc_sign::Credentials;

use super::error::unusable;
use super::{CredentialsError, ProvideCredentials};
use crate::BoxFuture;

/// `Credentials` are their own provider: the same key pair for every request.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { Ok(self.clone()) })
    }
}

/// Fixed credentials: a SecretId, its SecretKey and, for temporary credentials, a session token.
///
/// The values are checked once, when the provider is made; `Debug` shows the SecretId only.
///
/// ```
/// use trtc_transport::{ProvideCredentials, StaticProvider};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let provider = StaticProvider::new("AKIDexample", "example-key")?.with_token("example-token")?;
/// let creds = provider.provide_credentials().await?;
/// assert_eq!(creds.secret_id(), "AKIDexample");
/// assert!(creds.token().is_some());
/// assert!(!format!("{provider:?}").contains("example-key"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct StaticProvider {
    credentials: Credentials,
}

const PROVIDER: &str = "static credentials";

impl StaticProvider {
    /// Long-term credentials; refused when a value is empty or has whitespace or control characters.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Result<Self, CredentialsError> {
        let credentials = Credentials::new(secret_id, secret_key).map_err(|e| unusable(PROVIDER, "the key pair", e))?;
        Ok(StaticProvider { credentials })
    }

    /// Adds the session token of temporary credentials, sent as `X-TC-Token`.
    pub fn with_token(self, token: impl Into<String>) -> Result<Self, CredentialsError> {
        let credentials = self
            .credentials
            .with_token(token)
            .map_err(|e| unusable(PROVIDER, "the token", e))?;
        Ok(StaticProvider { credentials })
    }

    /// The credentials it provides.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }
}

impl From<Credentials> for StaticProvider {
    fn from(credentials: Credentials) -> Self {
        StaticProvider { credentials }
    }
}

impl ProvideCredentials for StaticProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { Ok(self.credentials.clone()) })
    }
}
