//! `CredentialsError`: why a provider gave no credentials, in words a user can act on.

use std::fmt;

use trtc_model::ApiError;

/// What kind of failure a [`CredentialsError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The provider has nothing to offer here (variables unset, no file, not a CVM instance with a role).
    /// A chain asks its next provider; every other kind stops the chain.
    NotFound,
    /// Credentials or settings were found but cannot be used: half of a key pair, a malformed file, a
    /// value with whitespace, a setting out of range.
    Invalid,
    /// A credentials service (metadata service, STS) could not be reached or did not answer in time.
    Unreachable,
    /// A credentials service answered with an error, or with an answer that holds no usable credentials.
    BadResponse,
}

/// Why no credentials could be provided: which provider, what it tried, why that failed and what to do.
///
/// `Display` is `provider: message`; the error underneath (I/O, transport, signer, a source provider's) is
/// [`source`](std::error::Error::source) and is never repeated in the message, so a reporter that walks the
/// chain (anyhow's `{:#}`, eyre) prints each message once.
///
/// No message ever holds a secret: SecretKeys, tokens and web identity tokens are named, never shown, and
/// the bodies of credentials responses are never quoted.
///
/// ```
/// use trtc_transport::{CredentialsErrorKind, EnvVars, EnvironmentProvider, ProvideCredentials};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let provider = EnvironmentProvider::with_env(EnvVars::from_pairs([("TENCENTCLOUD_SECRET_ID", "AKIDexample")]));
/// let err = provider.provide_credentials().await.unwrap_err();
/// assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
/// assert_eq!(err.provider(), "environment");
/// assert!(err.to_string().contains("TENCENTCLOUD_SECRET_KEY is not set"));
///
/// // What is wrong with a value, and the fix, is the signer's error, below the message:
/// let provider = EnvironmentProvider::with_env(EnvVars::from_pairs([
///     ("TENCENTCLOUD_SECRET_ID", "AKIDexample"),
///     ("TENCENTCLOUD_SECRET_KEY", "example-key\n"),
/// ]));
/// let err = provider.provide_credentials().await.unwrap_err();
/// assert_eq!(err.to_string(), "environment: TENCENTCLOUD_SECRET_KEY is unusable as a credential");
/// let cause = std::error::Error::source(&err).unwrap();
/// assert!(cause.to_string().starts_with("SecretKey has leading or trailing whitespace: remove it"));
/// # }
/// ```
pub struct CredentialsError {
    // Boxed: the error travels in every `Result` of the providers, which should stay small.
    inner: Box<Inner>,
}

struct Inner {
    kind: CredentialsErrorKind,
    provider: &'static str,
    message: String,
    api: Option<ApiError>,
    tried: Vec<CredentialsError>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl CredentialsError {
    /// A new error of `kind` from `provider`; `message` says what failed and how to fix it.
    pub fn new(kind: CredentialsErrorKind, provider: &'static str, message: impl Into<String>) -> Self {
        CredentialsError {
            inner: Box::new(Inner {
                kind,
                provider,
                message: message.into(),
                api: None,
                tried: Vec::new(),
                source: None,
            }),
        }
    }

    /// Shorthand for a [`CredentialsErrorKind::NotFound`] error.
    pub fn not_found(provider: &'static str, message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotFound, provider, message)
    }

    /// Shorthand for a [`CredentialsErrorKind::Invalid`] error.
    pub fn invalid(provider: &'static str, message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::Invalid, provider, message)
    }

    /// Attaches the underlying error, returned by [`source`](std::error::Error::source). The message should
    /// not repeat the source's text: a reporter that walks the chain prints both.
    pub fn with_source(mut self, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    pub(crate) fn with_api(mut self, api: ApiError) -> Self {
        self.inner.api = Some(api);
        self
    }

    pub(crate) fn with_tried(mut self, tried: Vec<CredentialsError>) -> Self {
        self.inner.tried = tried;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.inner.kind
    }

    /// Whether the provider simply had nothing to offer (a chain moves on to its next provider).
    pub fn is_not_found(&self) -> bool {
        self.inner.kind == CredentialsErrorKind::NotFound
    }

    /// The provider that failed, e.g. `environment`, `profile file`, `CVM instance role`, `STS AssumeRole`.
    pub fn provider(&self) -> &'static str {
        self.inner.provider
    }

    /// What failed and how to fix it, without the provider name and without the cause, which is
    /// [`source`](std::error::Error::source) (the I/O, transport or signer error below this one).
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The error the STS service answered with, when it answered with one.
    pub fn api_error(&self) -> Option<&ApiError> {
        self.inner.api.as_ref()
    }

    /// For a chain: each provider asked, in order, with the reason it gave no credentials.
    pub fn tried(&self) -> &[CredentialsError] {
        &self.inner.tried
    }
}

impl fmt::Debug for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("CredentialsError");
        s.field("kind", &self.inner.kind)
            .field("provider", &self.inner.provider)
            .field("message", &self.inner.message);
        if let Some(api) = &self.inner.api {
            s.field("api", api);
        }
        if !self.inner.tried.is_empty() {
            s.field("tried", &self.inner.tried);
        }
        if let Some(source) = &self.inner.source {
            s.field("source", source);
        }
        s.finish()
    }
}

impl fmt::Display for CredentialsError {
    /// `provider: message`, without the cause (that is [`source`](std::error::Error::source)), so a reporter
    /// that walks the chain prints each message once. A chain's error adds one numbered line per provider
    /// tried, each with its own causes, since those are reachable through no `source()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_indented(f, 1)
    }
}

impl CredentialsError {
    /// Writes `provider: message` and the providers tried, nested `depth` levels deep.
    fn write_indented(&self, f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
        write!(f, "{}: {}", self.inner.provider, self.inner.message)?;
        for (i, tried) in self.inner.tried.iter().enumerate() {
            write!(f, "\n{:indent$}{}. ", "", i + 1, indent = 2 * depth)?;
            tried.write_indented(f, depth + 1)?;
            let mut cause = std::error::Error::source(tried);
            while let Some(e) = cause {
                f.write_str(": ")?;
                // A cause that is itself a chain's error keeps its list nested under this line.
                match e.downcast_ref::<CredentialsError>() {
                    Some(nested) => nested.write_indented(f, depth + 1)?,
                    None => write!(f, "{e}")?,
                }
                cause = e.source();
            }
        }
        Ok(())
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A value the signer refuses (empty, whitespace, control characters), described by where it came from; what
/// is wrong with it, and the fix, is the signer's error, the source.
pub(crate) fn unusable(provider: &'static str, origin: &str, e: trtc_sign::SignError) -> CredentialsError {
    CredentialsError::invalid(provider, format!("{origin} is unusable as a credential")).with_source(e)
}

/// The credential field (`SecretId`, `SecretKey`, `Token`) a signer error is about, if it names one.
pub(crate) fn sign_field(e: &trtc_sign::SignError) -> Option<&'static str> {
    use trtc_sign::SignError;
    match e {
        SignError::Empty { field }
        | SignError::Whitespace { field }
        | SignError::NonAscii { field }
        | SignError::ControlCharacter { field } => Some(field),
        _ => None,
    }
}
