//! Credentials from the environment, as the official SDKs and tccli read them.

use trtc::Credentials;

use crate::exit::Failure;

/// The SecretId variable.
pub const SECRET_ID_VAR: &str = "TENCENTCLOUD_SECRET_ID";
/// The SecretKey variable.
pub const SECRET_KEY_VAR: &str = "TENCENTCLOUD_SECRET_KEY";
/// The session token variable, for temporary credentials.
pub const TOKEN_VAR: &str = "TENCENTCLOUD_SESSION_TOKEN";

/// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and the optional `TENCENTCLOUD_SESSION_TOKEN`.
pub fn from_env() -> Result<Credentials, Failure> {
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
