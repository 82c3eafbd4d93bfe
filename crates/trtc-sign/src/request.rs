//! What the signer needs to know of one HTTP request: method, query, Content-Type and body.

use crate::params::header_value;
use crate::SignError;

/// The HTTP method. API 3.0 accepts POST (the body is signed) and GET (the query string is signed).
///
/// The one method type of the workspace: the client's `method` setting takes it too. POST is the default, as
/// in the official SDKs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Method {
    /// `POST`: an empty query string, the body is the payload.
    #[default]
    Post,
    /// `GET`: the query string is signed, the payload is empty.
    Get,
}

impl Method {
    /// `"POST"` or `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Get => "GET",
        }
    }
}

/// The parts of an HTTP request that TC3-HMAC-SHA256 covers, apart from the `Host` (a [`SigningParams`](crate::SigningParams) input).
///
/// Sign what you send: the `content_type` and the body or query must be byte for byte what goes on the wire.
///
/// ```
/// use trtc_sign::SignableRequest;
///
/// let body = br#"{"SdkAppId":1400000001,"RoomId":1234}"#;
/// let post = SignableRequest::post("application/json", body);
/// let get = SignableRequest::get("Limit=10&Offset=0");
/// assert_eq!(get.content_type(), "application/x-www-form-urlencoded");
/// # let _ = post;
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SignableRequest<'a> {
    method: Method,
    query: &'a str,
    content_type: &'a str,
    body: &'a [u8],
    unsigned_payload: bool,
}

impl<'a> SignableRequest<'a> {
    /// A POST with this Content-Type (e.g. `application/json`, a multipart type with its boundary,
    /// `application/octet-stream`) and these exact body bytes.
    pub fn post(content_type: &'a str, body: &'a [u8]) -> Self {
        SignableRequest {
            method: Method::Post,
            query: "",
            content_type,
            body,
            unsigned_payload: false,
        }
    }

    /// A GET with this exact query string (without the `?`), sent with
    /// `Content-Type: application/x-www-form-urlencoded` as the official SDKs do.
    pub fn get(query: &'a str) -> Self {
        SignableRequest {
            method: Method::Get,
            query,
            content_type: "application/x-www-form-urlencoded",
            body: b"",
            unsigned_payload: false,
        }
    }

    /// Replaces the Content-Type that is sent and signed.
    pub fn with_content_type(mut self, content_type: &'a str) -> Self {
        self.content_type = content_type;
        self
    }

    /// Signs `UNSIGNED-PAYLOAD` instead of the body's hash and adds the header
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`; for large bodies that should not be hashed twice.
    pub fn with_unsigned_payload(mut self) -> Self {
        self.unsigned_payload = true;
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The query string (empty for POST).
    pub fn query(&self) -> &'a str {
        self.query
    }

    /// The Content-Type.
    pub fn content_type(&self) -> &'a str {
        self.content_type
    }

    /// The body bytes (empty for GET).
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// Whether the payload is left unsigned.
    pub fn is_unsigned_payload(&self) -> bool {
        self.unsigned_payload
    }

    /// The checks of [`check`](SignableRequest::check) that do not read the content type: see
    /// `tc3::plausible`.
    pub(crate) fn is_plausible(&self) -> bool {
        !self.content_type.is_empty() && query_ok(self.query)
    }

    /// Refuses a Content-Type that cannot be a header value and a query that cannot be sent as it is.
    pub(crate) fn check(&self) -> Result<(), SignError> {
        header_value("Content-Type", self.content_type)?;
        if !query_ok(self.query) {
            return Err(SignError::InvalidQuery);
        }
        Ok(())
    }
}

impl std::fmt::Debug for SignableRequest<'_> {
    // The body may hold user data: show its size, not its bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("query", &self.query)
            .field("content_type", &self.content_type)
            .field("body_len", &self.body.len())
            .field("unsigned_payload", &self.unsigned_payload)
            .finish()
    }
}

/// Whether a query can be sent as it was signed: a character that an HTTP client must encode or cut (a
/// space, '#', a control or non-ASCII character) would make it differ.
fn query_ok(query: &str) -> bool {
    query.bytes().all(|b| b.is_ascii_graphic() && b != b'#')
}
