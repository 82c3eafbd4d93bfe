//! The callback key: the secret the console holds for an application, with which the service signs.

use std::fmt;

use trtc_sign::Secret;

use crate::Error;

/// The longest key the console accepts.
pub const MAX_KEY_LEN: usize = 32;

/// The key an application's callbacks are signed with: 1 to 32 ASCII letters and digits, as the TRTC console
/// accepts.
///
/// The value lives in a [`trtc_sign::Secret`]: `Debug` prints `***`, there is no `Display`, it is wiped from
/// memory when dropped and `==` compares in constant time. Errors about a key never repeat it.
///
/// ```
/// use trtc_callback::CallbackKey;
///
/// let key = CallbackKey::new("123654")?;
/// assert_eq!(format!("{key:?}"), "CallbackKey(***)");
///
/// let err = CallbackKey::new("not a key!").unwrap_err();
/// assert!(err.to_string().starts_with("callback key"));
/// assert!(!err.to_string().contains("not a key"));
/// # Ok::<(), trtc_callback::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct CallbackKey(Secret);

impl CallbackKey {
    /// Checks and wraps a key: 1 to 32 ASCII letters and digits.
    pub fn new(value: impl Into<String>) -> Result<Self, Error> {
        let secret = Secret::new(value);
        let bytes = secret.expose_secret().as_bytes();
        if bytes.is_empty() || bytes.len() > MAX_KEY_LEN {
            return Err(Error::InvalidKey {
                problem: KeyProblem::Length(bytes.len()),
            });
        }
        if let Some(position) = bytes.iter().position(|b| !b.is_ascii_alphanumeric()) {
            return Err(Error::InvalidKey {
                problem: KeyProblem::Character(position),
            });
        }
        Ok(CallbackKey(secret))
    }

    /// Reads a key from the text of a file or an environment variable: surrounding whitespace (a final
    /// newline) is removed first, then [`CallbackKey::new`] checks the rest.
    pub fn from_text(text: &str) -> Result<Self, Error> {
        CallbackKey::new(text.trim())
    }

    /// The key itself. Call this only where the value is used, never to print it.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for CallbackKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CallbackKey(***)")
    }
}

/// What is wrong with a refused key, without its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyProblem {
    /// Empty or longer than 32 characters (the length it had).
    Length(usize),
    /// A character that is not an ASCII letter or digit, at this byte position.
    Character(usize),
}

impl fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyProblem::Length(0) => f.write_str("it is empty"),
            KeyProblem::Length(n) => write!(f, "it has {n} characters"),
            KeyProblem::Character(at) => write!(f, "the character at position {at} is not an ASCII letter or digit"),
        }
    }
}
