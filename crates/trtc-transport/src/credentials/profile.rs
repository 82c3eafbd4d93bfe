//! The credentials file: `~/.tencentcloud/credentials` (INI), its path override and its system-wide fallback.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use trtc_sign::Credentials;

use super::error::unusable;
use super::ini::{self, Section};
use super::{CredentialsError, EnvVars, ProvideCredentials};
use crate::BoxFuture;

/// The variable that names the credentials file, replacing the default locations.
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// The file read when `~/.tencentcloud/credentials` does not exist.
pub const SYSTEM_CREDENTIALS_FILE: &str = "/etc/tencentcloud/credentials";
/// The profile read unless another is chosen.
pub const DEFAULT_PROFILE: &str = "default";

/// A credentials file larger than this is not a credentials file.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

const PROVIDER: &str = "profile file";

/// Reads a profile of the credentials file, at every call (so a rotated key is picked up).
///
/// The file is `$TENCENTCLOUD_CREDENTIALS_FILE` when that is set, else `~/.tencentcloud/credentials`
/// (`$HOME`), else `/etc/tencentcloud/credentials`. It is INI: a `[default]` section (or the chosen profile)
/// with `secret_id`, `secret_key` and optionally `token`; other keys are ignored. Comments start a line with
/// `#` or `;`; a value may be quoted.
///
/// ```ini
/// # ~/.tencentcloud/credentials
/// [default]
/// secret_id = AKIDexample
/// secret_key = example-key
///
/// [staging]
/// secret_id = AKIDother
/// secret_key = other-key
/// ```
///
/// No file at any of those places: [`NotFound`](crate::CredentialsErrorKind::NotFound). A file named by
/// the variable that does not exist, a file that cannot be read or parsed, or a profile without both keys:
/// [`Invalid`](crate::CredentialsErrorKind::Invalid), naming the file, the line and the fix.
///
/// ```
/// use trtc_transport::{CredentialsErrorKind, EnvVars, ProfileProvider, ProvideCredentials};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let dir = std::env::temp_dir().join(format!("trtc-profile-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let file = dir.join("credentials");
/// std::fs::write(&file, "[default]\nsecret_id = AKIDexample\nsecret_key = example-key\n").unwrap();
///
/// let provider = ProfileProvider::new().path(&file);
/// assert_eq!(provider.provide_credentials().await.unwrap().secret_id(), "AKIDexample");
///
/// let err = ProfileProvider::new().path(&file).profile("staging").provide_credentials().await.unwrap_err();
/// assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
/// assert!(err.to_string().contains("has no [staging] section"));
/// std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ProfileProvider {
    env: EnvVars,
    path: Option<PathBuf>,
    system_path: PathBuf,
    profile: String,
}

impl Default for ProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a candidate file came from, which decides whether its absence is an error.
enum Origin {
    Explicit,
    Variable,
    Home,
    System,
}

impl ProfileProvider {
    /// Reads the `[default]` profile, locating the file through the process environment.
    pub fn new() -> Self {
        Self::with_env(EnvVars::process())
    }

    /// Locates the file through `env` (`TENCENTCLOUD_CREDENTIALS_FILE`, `HOME`) instead of the process
    /// environment.
    pub fn with_env(env: EnvVars) -> Self {
        ProfileProvider {
            env,
            path: None,
            system_path: PathBuf::from(SYSTEM_CREDENTIALS_FILE),
            profile: DEFAULT_PROFILE.to_owned(),
        }
    }

    /// Reads the profile `name` (`[name]`) instead of `[default]`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = name.into();
        self
    }

    /// Reads this file, ignoring `TENCENTCLOUD_CREDENTIALS_FILE` and the default locations.
    pub fn path(mut self, path: impl AsRef<Path>) -> Self {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Replaces the system-wide fallback (default `/etc/tencentcloud/credentials`).
    pub fn system_path(mut self, path: impl AsRef<Path>) -> Self {
        self.system_path = path.as_ref().to_path_buf();
        self
    }

    fn candidates(&self) -> Vec<(PathBuf, Origin)> {
        if let Some(path) = &self.path {
            return vec![(path.clone(), Origin::Explicit)];
        }
        if let Some(path) = self.env.get(ENV_CREDENTIALS_FILE) {
            return vec![(PathBuf::from(path), Origin::Variable)];
        }
        let mut candidates = Vec::new();
        if let Some(home) = self.env.get("HOME") {
            candidates.push((Path::new(&home).join(".tencentcloud").join("credentials"), Origin::Home));
        }
        candidates.push((self.system_path.clone(), Origin::System));
        candidates
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let candidates = self.candidates();
        let mut missing = Vec::new();
        for (path, origin) in &candidates {
            match std::fs::metadata(path) {
                Ok(_) => return self.load_file(path),
                Err(e) if e.kind() == ErrorKind::NotFound => match origin {
                    Origin::Explicit => {
                        return Err(CredentialsError::invalid(
                            PROVIDER,
                            format!("the credentials file {} does not exist: fix the path", path.display()),
                        )
                        .with_source(e))
                    }
                    Origin::Variable => {
                        return Err(CredentialsError::invalid(
                            PROVIDER,
                            format!(
                                "the credentials file {} (from {ENV_CREDENTIALS_FILE}) does not exist: fix the path \
                                 or unset the variable",
                                path.display()
                            ),
                        )
                        .with_source(e))
                    }
                    Origin::Home | Origin::System => missing.push(path.display().to_string()),
                },
                Err(e) => return Err(unreadable(path, e)),
            }
        }
        let home_note = if self.env.get("HOME").is_none() {
            " (HOME is not set, so no file in a home directory was looked for)"
        } else {
            ""
        };
        Err(CredentialsError::not_found(
            PROVIDER,
            format!(
                "no credentials file at {}{home_note}; {ENV_CREDENTIALS_FILE} is not set",
                missing.join(" or ")
            ),
        ))
    }

    fn load_file(&self, path: &Path) -> Result<Credentials, CredentialsError> {
        let shown = path.display();
        let metadata = std::fs::metadata(path).map_err(|e| unreadable(path, e))?;
        if metadata.is_dir() {
            return Err(CredentialsError::invalid(
                PROVIDER,
                format!("{shown} is a directory, not a credentials file: point to the file inside it"),
            ));
        }
        if metadata.len() > MAX_FILE_BYTES {
            return Err(CredentialsError::invalid(
                PROVIDER,
                format!(
                    "{shown} is {} bytes, too large for a credentials file (at most {MAX_FILE_BYTES}): check the path",
                    metadata.len()
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            CredentialsError::invalid(
                PROVIDER,
                format!("{shown} is not UTF-8 text: save it as UTF-8 (or ASCII)"),
            )
            .with_source(e.utf8_error())
        })?;
        let ini = ini::parse(&text).map_err(|e| CredentialsError::invalid(PROVIDER, format!("{shown} {e}")))?;
        let profile = &self.profile;
        let Some(section) = ini.section(profile) else {
            let found: Vec<String> = ini.sections.iter().map(|s| format!("[{}]", s.name)).collect();
            let found = if found.is_empty() {
                "it has no sections".to_owned()
            } else {
                format!("it has {}", found.join(", "))
            };
            return Err(CredentialsError::invalid(
                PROVIDER,
                format!(
                    "{shown} has no [{profile}] section ({found}): add [{profile}] with secret_id and secret_key, \
                     or choose one of its profiles"
                ),
            ));
        };
        let id = required(path, profile, section, "secret_id")?;
        let key = required(path, profile, section, "secret_key")?;
        let mut credentials = Credentials::new(id.value.clone(), key.value.clone()).map_err(|e| {
            let entry = if super::error::sign_field(&e) == Some("SecretId") {
                id
            } else {
                key
            };
            unusable(PROVIDER, &format!("{shown} line {}: {}", entry.line, entry.key), e)
        })?;
        if let Some(token) = section.get("token").filter(|t| !t.value.is_empty()) {
            check_no_whitespace(path, token)?;
            credentials = credentials
                .with_token(token.value.clone())
                .map_err(|e| unusable(PROVIDER, &format!("{shown} line {}: token", token.line), e))?;
        }
        Ok(credentials)
    }
}

fn required<'s>(
    path: &Path,
    profile: &str,
    section: &'s Section,
    key: &str,
) -> Result<&'s ini::Entry, CredentialsError> {
    match section.get(key) {
        Some(entry) if !entry.value.is_empty() => {
            check_no_whitespace(path, entry)?;
            Ok(entry)
        }
        Some(entry) => Err(CredentialsError::invalid(
            PROVIDER,
            format!(
                "{} line {}: {key} is empty: give its value after '='",
                path.display(),
                entry.line
            ),
        )),
        None => Err(CredentialsError::invalid(
            PROVIDER,
            format!(
                "{} has no {key} in [{profile}] (line {}): add a line {key} = ...",
                path.display(),
                section.line
            ),
        )),
    }
}

/// Keys and tokens never contain whitespace; inside a value it is almost always an inline comment, which
/// this format does not have.
fn check_no_whitespace(path: &Path, entry: &ini::Entry) -> Result<(), CredentialsError> {
    if entry.value.chars().any(char::is_whitespace) {
        return Err(CredentialsError::invalid(
            PROVIDER,
            format!(
                "{} line {}: {} contains whitespace: keys and tokens never do; put comments on their own line",
                path.display(),
                entry.line,
                entry.key
            ),
        ));
    }
    Ok(())
}

fn unreadable(path: &Path, e: std::io::Error) -> CredentialsError {
    let fix = if e.kind() == ErrorKind::PermissionDenied {
        "make it readable by this user (and by no one else)"
    } else {
        "check the path and the file"
    };
    CredentialsError::invalid(
        PROVIDER,
        format!("cannot read the credentials file {}: {fix}", path.display()),
    )
    .with_source(e)
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.load() })
    }
}
