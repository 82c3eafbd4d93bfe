//! A signature on its own, for checking a request someone else signed.

use std::fmt;

/// A TC3 signature: the 64 lower-case hex digits an `Authorization` header ends with.
///
/// It is what a server, an emulator or a test computes to check a request it received; see
/// [`signature_with_key`](crate::signature_with_key). With the SecretId it makes the `Authorization` value,
/// a credential for the next five minutes, so `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature(pub(crate) [u8; 64]);

impl Signature {
    /// The signature as lower-case hex.
    pub fn as_str(&self) -> &str {
        // Hex digits only, so the check cannot fail.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Whether `claimed` (the `Signature=` part of a received `Authorization`) is this signature, compared
    /// in time that does not depend on where they differ.
    pub fn matches(&self, claimed: &str) -> bool {
        let claimed = claimed.as_bytes();
        claimed.len() == self.0.len() && self.0.iter().zip(claimed).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(***)")
    }
}
