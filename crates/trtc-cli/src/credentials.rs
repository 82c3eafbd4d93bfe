//! Where the credentials come from: the default chain or one profile for calls, the environment for `sign`.

use std::sync::Arc;
use std::time::Duration;

use trtc::{ChainProvider, Credentials, CredentialsError, ProvideCredentials};
use trtc::{CredentialsErrorKind, CvmRoleProvider, ProfileProvider};

use crate::exit::{chain, Failure, EXIT_BAD_INPUT, EXIT_NETWORK};

/// The SecretId variable.
pub(crate) const SECRET_ID_VAR: &str = "TENCENTCLOUD_SECRET_ID";
/// The SecretKey variable.
pub(crate) const SECRET_KEY_VAR: &str = "TENCENTCLOUD_SECRET_KEY";
/// The session token variable, for temporary credentials.
pub(crate) const TOKEN_VAR: &str = "TENCENTCLOUD_SESSION_TOKEN";

/// How long the CVM role step may wait for a metadata service. On a CVM instance the service is local and
/// answers in milliseconds; elsewhere the step must give up quickly, since a person is waiting at a prompt.
const CVM_CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
const CVM_TIMEOUT: Duration = Duration::from_secs(1);

/// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and the optional `TENCENTCLOUD_SESSION_TOKEN`.
pub(crate) fn from_env() -> Result<Credentials, Failure> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let missing = |name: &str| {
        Failure::bad_input(format!(
            "{name} is not set: export {SECRET_ID_VAR} and {SECRET_KEY_VAR} (and {TOKEN_VAR} for temporary keys), or try --emulator"
        ))
    };
    let id = var(SECRET_ID_VAR).ok_or_else(|| missing(SECRET_ID_VAR))?;
    let key = var(SECRET_KEY_VAR).ok_or_else(|| missing(SECRET_KEY_VAR))?;
    let bad = |e: trtc::sign::SignError| Failure::bad_input(format!("credentials from the environment: {e}"));
    let mut credentials = Credentials::new(id, key).map_err(bad)?;
    if let Some(token) = var(TOKEN_VAR) {
        credentials = credentials.with_token(token).map_err(bad)?;
    }
    Ok(credentials)
}

/// The provider a call signs with: the `[profile]` of the credentials file when `--profile` is given (and
/// nothing else, so an exported key never silently replaces the profile asked for), otherwise the default
/// chain with a short CVM step.
///
/// The provider is asked once here, so that a missing or broken credential is reported as one line before
/// anything is sent; the chain remembers which step answered, so the client's own calls do not repeat the
/// search.
pub(crate) async fn provider(profile: Option<&str>) -> Result<Arc<dyn ProvideCredentials>, Failure> {
    let provider: Arc<dyn ProvideCredentials> = match profile {
        Some(name) => Arc::new(ProfileProvider::new().profile(name)),
        None => {
            let cvm = CvmRoleProvider::builder()
                .connect_timeout(CVM_CONNECT_TIMEOUT)
                .timeout(CVM_TIMEOUT)
                .build()
                .map_err(|e| Failure::internal(format!("the CVM role step: {}", chain(&e))))?;
            Arc::new(ChainProvider::default_builder().cvm_role(cvm).build())
        }
    };
    match provider.provide_credentials().await {
        Ok(_) => Ok(provider),
        Err(e) => Err(explain(profile, &e)),
    }
}

/// One line: what was looked at, and what to do. A provider's message leaves its cause to `source()` (an
/// I/O error, the signer's reason), so each is printed with its causes.
fn explain(profile: Option<&str>, e: &CredentialsError) -> Failure {
    let code = match e.kind() {
        CredentialsErrorKind::Unreachable | CredentialsErrorKind::BadResponse => EXIT_NETWORK,
        _ => EXIT_BAD_INPUT,
    };
    let message = match (profile, e.is_not_found()) {
        (Some(name), true) => format!(
            "--profile {name}: {}; write the file with a [{name}] section holding secret_id and secret_key, \
             or set TENCENTCLOUD_CREDENTIALS_FILE",
            e.message()
        ),
        (Some(name), false) => format!("--profile {name}: {}", chain(e)),
        (None, true) => {
            let tried: Vec<String> = e.tried().iter().map(|t| chain(t)).collect();
            format!(
                "no credentials found: export {SECRET_ID_VAR} and {SECRET_KEY_VAR} (and {TOKEN_VAR} for temporary \
                 keys), write ~/.tencentcloud/credentials, or pass --profile NAME; tried {}",
                tried.join("; ")
            )
        }
        (None, false) => format!("credentials: {}", chain(e)),
    };
    Failure::with_code(message, code)
}
