//! Environment variables: where to read them (`EnvVars`, injectable for tests) and the provider that reads
//! the key pair from `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use trtc_sign::Credentials;

use super::error::{sign_field, unusable};
use super::{CredentialsError, ProvideCredentials};
use crate::BoxFuture;

/// The variable holding the SecretId.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// The variable holding the SecretKey.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// The variable holding the session token of temporary credentials (the Node.js SDK's name); preferred.
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// The variable holding the session token of temporary credentials (tccli's name); read when
/// [`ENV_SESSION_TOKEN`] is not set.
pub const ENV_TOKEN: &str = "TENCENTCLOUD_TOKEN";

/// Where providers read environment variables: the process environment, or a map or function given
/// instead, so that tests (which run in parallel) never have to change the process environment.
///
/// A variable set to the empty string counts as unset. `Debug` shows the variable names of a map, never
/// the values.
///
/// ```
/// use trtc_transport::EnvVars;
///
/// let env = EnvVars::from_pairs([("HOME", "/home/app"), ("TENCENTCLOUD_SECRET_ID", "")]);
/// assert_eq!(env.get("HOME").as_deref(), Some("/home/app"));
/// assert_eq!(env.get("TENCENTCLOUD_SECRET_ID"), None);
/// assert_eq!(env.get("PATH"), None);
/// ```
#[derive(Clone)]
pub struct EnvVars {
    source: Source,
}

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

#[derive(Clone)]
enum Source {
    Process,
    Map(Arc<HashMap<String, String>>),
    Fn(Arc<Lookup>),
}

impl EnvVars {
    /// The environment of this process.
    pub fn process() -> Self {
        EnvVars {
            source: Source::Process,
        }
    }

    /// Exactly these variables and no others.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map = pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        EnvVars {
            source: Source::Map(Arc::new(map)),
        }
    }

    /// Whatever `lookup` answers for a variable name.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        EnvVars {
            source: Source::Fn(Arc::new(lookup)),
        }
    }

    /// The value of `name`; `None` when it is unset or empty.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.source {
            // A value that is not UTF-8 is kept (lossily) rather than hidden, so that the credential check
            // reports it as non-ASCII instead of the variable looking unset.
            Source::Process => std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()),
            Source::Map(map) => map.get(name).cloned(),
            Source::Fn(lookup) => lookup(name),
        };
        value.filter(|v| !v.is_empty())
    }
}

impl Default for EnvVars {
    fn default() -> Self {
        Self::process()
    }
}

impl fmt::Debug for EnvVars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Process => f.write_str("EnvVars::process"),
            Source::Map(map) => {
                let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_struct("EnvVars").field("names", &names).finish()
            }
            Source::Fn(_) => f.write_str("EnvVars::from_fn"),
        }
    }
}

/// Reads the key pair from `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY`, and the session token
/// from `TENCENTCLOUD_SESSION_TOKEN` or else `TENCENTCLOUD_TOKEN`, at every call.
///
/// Neither variable set: [`NotFound`](crate::CredentialsErrorKind::NotFound), so a chain moves on. One
/// without the other, a token without a key pair, or a value with whitespace: an
/// [`Invalid`](crate::CredentialsErrorKind::Invalid) error naming the variable, because using some other
/// identity instead would hide the mistake.
///
/// ```
/// use trtc_transport::{EnvVars, EnvironmentProvider, ProvideCredentials};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let provider = EnvironmentProvider::with_env(EnvVars::from_pairs([
///     ("TENCENTCLOUD_SECRET_ID", "AKIDexample"),
///     ("TENCENTCLOUD_SECRET_KEY", "example-key"),
/// ]));
/// assert_eq!(provider.provide_credentials().await?.secret_id(), "AKIDexample");
///
/// // In production, the process environment:
/// let _from_process = EnvironmentProvider::new();
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    env: EnvVars,
}

const PROVIDER: &str = "environment";

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::with_env(EnvVars::process())
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: EnvVars) -> Self {
        EnvironmentProvider { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.get(ENV_SECRET_ID);
        let key = self.env.get(ENV_SECRET_KEY);
        let (token, token_var) = match self.env.get(ENV_SESSION_TOKEN) {
            Some(token) => (Some(token), ENV_SESSION_TOKEN),
            None => (self.env.get(ENV_TOKEN), ENV_TOKEN),
        };
        let (id, key) = match (id, key) {
            (Some(id), Some(key)) => (id, key),
            (None, None) if token.is_some() => {
                return Err(CredentialsError::invalid(
                    PROVIDER,
                    format!(
                        "{token_var} is set but {ENV_SECRET_ID} and {ENV_SECRET_KEY} are not: a token is only used \
                         with the temporary key pair it was issued with; set all three or unset {token_var}"
                    ),
                ))
            }
            (None, None) => {
                return Err(CredentialsError::not_found(
                    PROVIDER,
                    format!("{ENV_SECRET_ID} and {ENV_SECRET_KEY} are not set"),
                ))
            }
            (Some(_), None) => {
                return Err(CredentialsError::invalid(
                    PROVIDER,
                    format!("{ENV_SECRET_KEY} is not set but {ENV_SECRET_ID} is: set both, or neither"),
                ))
            }
            (None, Some(_)) => {
                return Err(CredentialsError::invalid(
                    PROVIDER,
                    format!("{ENV_SECRET_ID} is not set but {ENV_SECRET_KEY} is: set both, or neither"),
                ))
            }
        };
        let mut credentials = Credentials::new(id, key).map_err(|e| {
            let origin = if sign_field(&e) == Some("SecretId") {
                ENV_SECRET_ID
            } else {
                ENV_SECRET_KEY
            };
            unusable(PROVIDER, origin, e)
        })?;
        if let Some(token) = token {
            credentials = credentials
                .with_token(token)
                .map_err(|e| unusable(PROVIDER, token_var, e))?;
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.load() })
    }
}
