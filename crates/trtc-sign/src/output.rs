//! What signing produces: the headers to add, and the intermediate strings for debugging.

use std::fmt;

/// One header the caller must add to the request.
#[derive(Clone, PartialEq, Eq)]
pub struct Header {
    name: &'static str,
    value: String,
    sensitive: bool,
}

impl Header {
    pub(crate) fn new(name: &'static str, value: String, sensitive: bool) -> Self {
        Header { name, value, sensitive }
    }

    /// The header name in its canonical spelling, e.g. `X-TC-Timestamp`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The value to send. For a [`sensitive`](Header::is_sensitive) header this is a credential: send it,
    /// never log it.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether the value is a credential (`Authorization`, `X-TC-Token`), to be marked sensitive wherever
    /// headers are printed (as `http::HeaderValue::set_sensitive` does).
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: &dyn fmt::Debug = if self.sensitive { &Redacted } else { &self.value };
        f.debug_struct("Header")
            .field("name", &self.name)
            .field("value", value)
            .finish()
    }
}

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The result of signing, in the manner of aws-sigv4's signing instructions: headers to add rather than a
/// mutated request, plus the canonical request and string to sign for comparing with another signer.
///
/// `Debug` hides the signature and the sensitive header values.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    pub(crate) headers: Vec<Header>,
    pub(crate) canonical_request: String,
    pub(crate) string_to_sign: String,
    pub(crate) signature: String,
}

impl SigningOutput {
    /// The headers to add to the request, `Authorization` first. The caller also sends `Content-Type` and
    /// `Host` exactly as signed.
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The value of the header `name` (ASCII case-insensitive) among [`headers`](SigningOutput::headers).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// The `Authorization` header value. It is a credential for the next five minutes: never log it.
    pub fn authorization(&self) -> &str {
        &self.headers[0].value
    }

    /// The canonical request whose hash was signed (no secret in it).
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign (no secret in it).
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The lower-case hex signature.
    pub fn signature(&self) -> &str {
        &self.signature
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("headers", &self.headers)
            .field("canonical_request", &self.canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &Redacted)
            .finish()
    }
}
