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

    /// Refuses inputs that cannot be sent as header values or cannot name a service.
    pub(crate) fn check(&self) -> Result<(), SignError> {
        if self.service.is_empty()
            || !self
                .service
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
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

/// A value that goes into an HTTP header: non-empty, ASCII, no control characters.
pub(crate) fn header_value(field: &'static str, value: &str) -> Result<(), SignError> {
    if value.is_empty() {
        return Err(SignError::Empty { field });
    }
    // One branch-free pass over printable ASCII on the path every signature takes (`fold` rather than
    // `all`, so it vectorizes); which error it is gets worked out after.
    if value.bytes().fold(true, |ok, b| ok & (b' '..=b'~').contains(&b)) {
        return Ok(());
    }
    if !value.is_ascii() {
        return Err(SignError::NonAscii { field });
    }
    Err(SignError::ControlCharacter { field })
}
