//! What signing produces: the headers to add, and the intermediate strings for debugging.
//!
//! Everything lives in one string, with the headers as ranges into it: a signature costs one allocation
//! for its output instead of one per header and per intermediate string.

use std::fmt;
use std::ops::Range;

/// The most headers one signature adds: Authorization, X-TC-Action, X-TC-Timestamp, X-TC-Version,
/// X-TC-Region, X-TC-Token, X-TC-Language, X-TC-Content-SHA256.
pub(crate) const MAX_HEADERS: usize = 8;

/// One header the caller must add to the request.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    name: &'static str,
    value: &'a str,
    sensitive: bool,
}

impl<'a> Header<'a> {
    /// The header name in its canonical spelling, e.g. `X-TC-Timestamp`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The value to send. For a [`sensitive`](Header::is_sensitive) header this is a credential: send it,
    /// never log it.
    pub fn value(&self) -> &'a str {
        self.value
    }

    /// Whether the value is a credential (`Authorization`, `X-TC-Token`), to be marked sensitive wherever
    /// headers are printed (as `http::HeaderValue::set_sensitive` does).
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }
}

impl fmt::Debug for Header<'_> {
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

/// The headers a signature adds.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(crate) enum SignedHeader {
    #[default]
    Authorization,
    Action,
    Timestamp,
    Version,
    Region,
    Token,
    Language,
    ContentSha256,
}

impl SignedHeader {
    /// The name in its canonical spelling.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            SignedHeader::Authorization => "Authorization",
            SignedHeader::Action => "X-TC-Action",
            SignedHeader::Timestamp => "X-TC-Timestamp",
            SignedHeader::Version => "X-TC-Version",
            SignedHeader::Region => "X-TC-Region",
            SignedHeader::Token => "X-TC-Token",
            SignedHeader::Language => "X-TC-Language",
            SignedHeader::ContentSha256 => "X-TC-Content-SHA256",
        }
    }
}

/// A header as a range of [`SigningOutput::text`].
#[derive(Clone, PartialEq, Eq, Default)]
pub(crate) struct Slot {
    pub(crate) header: SignedHeader,
    pub(crate) value: Range<usize>,
    pub(crate) sensitive: bool,
}

/// The result of signing, in the manner of aws-sigv4's signing instructions: headers to add rather than a
/// mutated request, plus the canonical request and string to sign for comparing with another signer.
///
/// `Debug` hides the signature and the sensitive header values.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    /// UTF-8 by construction (see `tc3::build`); read through [`SigningOutput::text`].
    pub(crate) text: Vec<u8>,
    pub(crate) canonical_request: Range<usize>,
    pub(crate) string_to_sign: Range<usize>,
    pub(crate) content_type: Range<usize>,
    pub(crate) host: Range<usize>,
    /// `headers[0]` is always `Authorization`, whose value ends with the signature.
    pub(crate) headers: [Slot; MAX_HEADERS],
    pub(crate) header_count: usize,
}

impl SigningOutput {
    /// A piece of the text as `&str`. The signer builds the text from `&str` pieces and ASCII digits only,
    /// so the check cannot fail; if it ever did, the piece would read as empty rather than panic.
    fn text(&self, range: &Range<usize>) -> &str {
        self.text
            .get(range.clone())
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// The headers to add to the request, `Authorization` first. The caller also sends `Content-Type` and
    /// `Host` exactly as signed ([`content_type`](SigningOutput::content_type), [`host`](SigningOutput::host)).
    pub fn headers(&self) -> Headers<'_> {
        Headers { output: self, next: 0 }
    }

    /// The value of the header `name` (ASCII case-insensitive) among [`headers`](SigningOutput::headers).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value)
    }

    /// The `Authorization` header value. It is a credential for the next five minutes: never log it.
    pub fn authorization(&self) -> &str {
        self.text(&self.headers[0].value)
    }

    /// The canonical request whose hash was signed (no secret in it).
    pub fn canonical_request(&self) -> &str {
        self.text(&self.canonical_request)
    }

    /// The string to sign (no secret in it).
    pub fn string_to_sign(&self) -> &str {
        self.text(&self.string_to_sign)
    }

    /// The lower-case hex signature.
    pub fn signature(&self) -> &str {
        let end = self.headers[0].value.end;
        self.text(&(end.saturating_sub(64)..end))
    }

    /// The `Content-Type` that was signed, to be sent as it is.
    pub fn content_type(&self) -> &str {
        self.text(&self.content_type)
    }

    /// The `Host` that was signed, to be sent as it is.
    pub fn host(&self) -> &str {
        self.text(&self.host)
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("headers", &self.headers())
            .field("canonical_request", &self.canonical_request())
            .field("string_to_sign", &self.string_to_sign())
            .field("signature", &Redacted)
            .finish()
    }
}

/// The headers of a [`SigningOutput`], in the order they should be added; see [`SigningOutput::headers`].
#[derive(Clone)]
pub struct Headers<'a> {
    output: &'a SigningOutput,
    next: usize,
}

impl<'a> Iterator for Headers<'a> {
    type Item = Header<'a>;

    fn next(&mut self) -> Option<Header<'a>> {
        if self.next >= self.output.header_count {
            return None;
        }
        let slot = &self.output.headers[self.next];
        self.next += 1;
        Some(Header {
            name: slot.header.name(),
            value: self.output.text(&slot.value),
            sensitive: slot.sensitive,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.output.header_count - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Headers<'_> {}

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}
