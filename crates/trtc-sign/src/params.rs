//! The request-independent inputs of a signature: service, host, action, version, region, language, time.

use crate::{SignError, Timestamp};

/// Which headers the signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignedHeaders {
    /// `content-type;host`: what every official SDK signs.
    #[default]
    ContentTypeHost,
    /// `content-type;host;x-tc-action`, the action lower-cased: what the current API doc and its demo sign.
    ContentTypeHostAction,
}

impl SignedHeaders {
    /// The `SignedHeaders` list as it appears in the canonical request and the `Authorization` header.
    pub fn as_str(self) -> &'static str {
        match self {
            SignedHeaders::ContentTypeHost => "content-type;host",
            SignedHeaders::ContentTypeHostAction => "content-type;host;x-tc-action",
        }
    }

    /// Parses the list form; `None` for any list other than the two the service accepts.
    pub fn parse(list: &str) -> Option<Self> {
        match list {
            "content-type;host" => Some(SignedHeaders::ContentTypeHost),
            "content-type;host;x-tc-action" => Some(SignedHeaders::ContentTypeHostAction),
            _ => None,
        }
    }
}

/// Everything a signature depends on apart from the HTTP request itself.
///
/// Nothing is hard-coded to TRTC: service, host, action and version are inputs, so the same signer serves
/// CVM, STS, SMS or any other API 3.0 product.
///
/// ```
/// use trtc_sign::{SignedHeaders, SigningParams, Timestamp};
///
/// let params = SigningParams::new("trtc", "trtc.tencentcloudapi.com", "DismissRoom", "2019-07-22", Timestamp::from_secs(1_700_000_000)?)
///     .with_region("ap-guangzhou")
///     .with_language("en-US")
///     .with_signed_headers(SignedHeaders::ContentTypeHostAction);
/// assert_eq!(params.region(), Some("ap-guangzhou"));
/// # Ok::<(), trtc_sign::SignError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningParams<'a> {
    service: &'a str,
    host: &'a str,
    action: &'a str,
    version: &'a str,
    region: Option<&'a str>,
    language: Option<&'a str>,
    timestamp: Timestamp,
    signed_headers: SignedHeaders,
}

impl<'a> SigningParams<'a> {
    /// The required inputs: `service` (the product, e.g. `trtc`, also for regional hosts), `host` exactly as
    /// sent in the `Host` header, `action`, `version` and the request time.
    pub fn new(service: &'a str, host: &'a str, action: &'a str, version: &'a str, timestamp: Timestamp) -> Self {
        SigningParams {
            service,
            host,
            action,
            version,
            region: None,
            language: None,
            timestamp,
            signed_headers: SignedHeaders::ContentTypeHost,
        }
    }

    /// Sets the region sent as `X-TC-Region` (e.g. `ap-guangzhou`).
    pub fn with_region(mut self, region: &'a str) -> Self {
        self.region = Some(region);
        self
    }

    /// Sets the language sent as `X-TC-Language` (`zh-CN` or `en-US`).
    pub fn with_language(mut self, language: &'a str) -> Self {
        self.language = Some(language);
        self
    }

    /// Chooses the signed header set (default `content-type;host`).
    pub fn with_signed_headers(mut self, signed_headers: SignedHeaders) -> Self {
        self.signed_headers = signed_headers;
        self
    }

    /// The service, e.g. `trtc`.
    pub fn service(&self) -> &'a str {
        self.service
    }

    /// The host as sent.
    pub fn host(&self) -> &'a str {
        self.host
    }

    /// The action, e.g. `DismissRoom`.
    pub fn action(&self) -> &'a str {
        self.action
    }

    /// The API version, e.g. `2019-07-22`.
    pub fn version(&self) -> &'a str {
        self.version
    }

    /// The region, if any.
    pub fn region(&self) -> Option<&'a str> {
        self.region
    }

    /// The language, if any.
    pub fn language(&self) -> Option<&'a str> {
        self.language
    }

    /// The request time.
    pub fn timestamp(&self) -> Timestamp {
        self.timestamp
    }

    /// The signed header set.
    pub fn signed_headers(&self) -> SignedHeaders {
        self.signed_headers
    }

    /// The checks of [`check`](SigningParams::check) that do not read the values other than the
    /// service: see `tc3::plausible`.
    pub(crate) fn is_plausible(&self) -> bool {
        service_ok(self.service)
            && !self.host.is_empty()
            && !self.action.is_empty()
            && !self.version.is_empty()
            && self.region.is_none_or(|r| !r.is_empty())
            && self.language.is_none_or(|l| !l.is_empty())
    }

    /// Refuses inputs that cannot be sent as header values or cannot name a service.
    pub(crate) fn check(&self) -> Result<(), SignError> {
        if !service_ok(self.service) {
            return Err(SignError::InvalidService {
                got: self.service.to_owned(),
            });
        }
        header_value("Host", self.host)?;
        header_value("Action", self.action)?;
        header_value("Version", self.version)?;
        if let Some(region) = self.region {
            header_value("Region", region)?;
        }
        if let Some(language) = self.language {
            header_value("Language", language)?;
        }
        Ok(())
    }
}

/// A service name as the scope and host spell it: lower-case letters, digits and '-', not empty.
fn service_ok(service: &str) -> bool {
    !service.is_empty()
        && service
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A value that goes into an HTTP header: non-empty, ASCII, no control characters.
pub(crate) fn header_value(field: &'static str, value: &str) -> Result<(), SignError> {
    if value.is_empty() {
        return Err(SignError::Empty { field });
    }
    if printable(value.as_bytes()) {
        return Ok(());
    }
    if !value.is_ascii() {
        return Err(SignError::NonAscii { field });
    }
    Err(SignError::ControlCharacter { field })
}

/// `0x01` in every byte of a word.
const ONES: u64 = u64::from_le_bytes([0x01; 8]);
/// `0x80` in every byte of a word.
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// Whether every byte is printable ASCII (`' '..='~'`), eight bytes at a time: the signer checks four or
/// five short values per signature, too short for a byte loop to vectorize. A value of eight bytes or more
/// ends with a word that overlaps the one before it rather than a partial word.
pub(crate) fn printable(bytes: &[u8]) -> bool {
    let Some((_, last)) = bytes.split_last_chunk::<8>() else {
        return bytes.iter().all(|b| (b' '..=b'~').contains(b));
    };
    let mut outside = outside_printable(u64::from_le_bytes(*last));
    for word in bytes.chunks_exact(8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        outside |= outside_printable(u64::from_le_bytes(eight));
    }
    outside == 0
}

/// Non-zero when some byte of `word` is below `' '` or above `'~'`.
///
/// `word - 0x20..20 & !word` sets a byte's high bit where the subtraction borrowed into it from a byte that
/// was below 0x20 (or where it was itself below); a borrow starts only at such a byte, so the word is
/// flagged exactly when one exists. `(word + 0x01..01) | word` sets a high bit where a byte is 0x7f or
/// above; a carry starts only at 0xff, itself flagged.
fn outside_printable(word: u64) -> u64 {
    let below = word.wrapping_sub(ONES * 0x20) & !word;
    let above = word.wrapping_add(ONES) | word;
    (below | above) & HIGHS
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn printable_bytewise(bytes: &[u8]) -> bool {
        bytes.iter().all(|b| (b' '..=b'~').contains(b))
    }

    #[test]
    fn every_byte_value_in_every_position() {
        for len in 1..=17 {
            for position in 0..len {
                for byte in 0..=255u8 {
                    let mut value = vec![b'a'; len];
                    value[position] = byte;
                    assert_eq!(
                        printable(&value),
                        printable_bytewise(&value),
                        "byte {byte:#04x} at {position} of {len}"
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_with_a_byte_loop(value in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(printable(&value), printable_bytewise(&value));
        }

        #[test]
        fn agrees_with_a_byte_loop_near_the_edges(
            value in proptest::collection::vec(prop::sample::select(vec![0x00u8, 0x1f, 0x20, 0x21, 0x7e, 0x7f, 0x80, 0xfe, 0xff]), 0..40),
        ) {
            prop_assert_eq!(printable(&value), printable_bytewise(&value));
        }
    }
}
