//! `Redacted`: what the generated `Debug` implementations print in place of a credential.

use std::fmt;

/// Prints `***` when the value is present and `None` when it is not, never the value.
pub(crate) struct Redacted(pub(crate) bool);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "***" } else { "None" })
    }
}
