//! Applying a signature to an `http::Request` (feature `http`); the core knows no HTTP types.

use std::ops::Range;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use http::HeaderMap;

use crate::output::SignedHeader;
use crate::{SignError, SigningOutput};

#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
impl SigningOutput {
    /// Sets `Content-Type` and `Host` as signed and every signed header on `request`, replacing any of the
    /// same name. `Authorization` and `X-TC-Token` are marked sensitive, so `http` and the clients built
    /// on it redact them when the headers are printed.
    ///
    /// ```
    /// use trtc_sign::{sign, Credentials, SignableRequest, SigningParams, Timestamp};
    ///
    /// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")?
    ///     .with_token("session-token")?;
    /// let body = br#"{"SdkAppId":1400000001,"RoomId":1234}"#;
    /// let params = SigningParams::new("trtc", "trtc.tencentcloudapi.com", "DismissRoom", "2019-07-22", Timestamp::from_secs(1_700_000_000)?);
    /// let out = sign(&creds, &params, &SignableRequest::post("application/json", body))?;
    ///
    /// let mut request = http::Request::post("https://trtc.tencentcloudapi.com/").body(body.to_vec()).unwrap();
    /// out.apply_to_request(&mut request)?;
    /// assert_eq!(request.headers()["x-tc-action"], "DismissRoom");
    /// assert!(request.headers()["authorization"].is_sensitive());
    /// assert!(request.headers()["x-tc-token"].is_sensitive());
    /// assert_eq!(format!("{:?}", request.headers()["x-tc-token"]), "Sensitive");
    /// # Ok::<(), trtc_sign::SignError>(())
    /// ```
    pub fn apply_to_request<B>(&self, request: &mut http::Request<B>) -> Result<(), SignError> {
        self.apply_to_headers(request.headers_mut())
    }

    /// As [`apply_to_request`](SigningOutput::apply_to_request), on a header map.
    pub fn apply_to_headers(&self, headers: &mut HeaderMap) -> Result<(), SignError> {
        // One copy of the text, every value a slice of it: one allocation for all the headers instead of one
        // each.
        self.insert_headers(Bytes::copy_from_slice(&self.text), headers)
    }

    /// As [`apply_to_headers`](SigningOutput::apply_to_headers), consuming the output: the header values
    /// are slices of the output's own buffer, with no copy of it.
    ///
    /// ```
    /// use trtc_sign::{sign, Credentials, SignableRequest, SigningParams, Timestamp};
    ///
    /// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")?;
    /// let params = SigningParams::new("trtc", "trtc.tencentcloudapi.com", "DismissRoom", "2019-07-22", Timestamp::from_secs(1_700_000_000)?);
    /// let out = sign(&creds, &params, &SignableRequest::post("application/json", b"{}"))?;
    /// let authorization = out.authorization().to_owned();
    ///
    /// let mut headers = http::HeaderMap::new();
    /// out.into_headers(&mut headers)?;
    /// assert_eq!(headers["authorization"], authorization.as_str());
    /// assert_eq!(headers["host"], "trtc.tencentcloudapi.com");
    /// # Ok::<(), trtc_sign::SignError>(())
    /// ```
    pub fn into_headers(mut self, headers: &mut HeaderMap) -> Result<(), SignError> {
        let text = Bytes::from(std::mem::take(&mut self.text));
        self.insert_headers(text, headers)
    }

    /// Inserts every header, its value a slice of `text` (the output's text), with room reserved up front.
    fn insert_headers(&self, text: Bytes, headers: &mut HeaderMap) -> Result<(), SignError> {
        let value = |field: &'static str, range: &Range<usize>, sensitive: bool| {
            let mut value = HeaderValue::from_maybe_shared(text.slice(range.clone()))
                .map_err(|_| SignError::ControlCharacter { field })?;
            value.set_sensitive(sensitive);
            Ok::<_, SignError>(value)
        };
        headers.reserve(2 + self.header_count);
        headers.insert(CONTENT_TYPE, value("Content-Type", &self.content_type, false)?);
        headers.insert(HOST, value("Host", &self.host, false)?);
        for slot in &self.headers[..self.header_count] {
            let name = slot.header.name();
            headers.insert(header_name(slot.header), value(name, &slot.value, slot.sensitive)?);
        }
        Ok(())
    }
}

// Built at compile time: `HeaderName::from_static` at run time would check the name on every request.
const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
const X_TC_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-tc-content-sha256");

/// The `http` name of a header the signer emits.
fn header_name(header: SignedHeader) -> HeaderName {
    match header {
        SignedHeader::Authorization => AUTHORIZATION,
        SignedHeader::Action => X_TC_ACTION,
        SignedHeader::Timestamp => X_TC_TIMESTAMP,
        SignedHeader::Version => X_TC_VERSION,
        SignedHeader::Region => X_TC_REGION,
        SignedHeader::Token => X_TC_TOKEN,
        SignedHeader::Language => X_TC_LANGUAGE,
        SignedHeader::ContentSha256 => X_TC_CONTENT_SHA256,
    }
}

#[cfg(test)]
mod tests {
    use crate::{sign, Credentials, SignableRequest, SigningParams, Timestamp};

    #[test]
    fn every_signed_header_lands_on_the_request() {
        let creds = Credentials::new("AKIDexample", "key")
            .unwrap()
            .with_token("tok")
            .unwrap();
        let params = SigningParams::new(
            "trtc",
            "trtc.ap-beijing.tencentcloudapi.com",
            "DismissRoom",
            "2019-07-22",
            Timestamp::from_secs(1_700_000_000).unwrap(),
        )
        .with_region("ap-beijing")
        .with_language("en-US");
        let out = sign(
            &creds,
            &params,
            &SignableRequest::post("application/json", b"{}").with_unsigned_payload(),
        )
        .unwrap();
        let mut request = http::Request::new(());
        request
            .headers_mut()
            .insert("x-tc-action", http::HeaderValue::from_static("Stale"));
        out.apply_to_request(&mut request).unwrap();
        let headers = request.headers();
        assert_eq!(headers.len(), 2 + out.headers().len());
        for header in out.headers() {
            let got = &headers[header.name()];
            assert_eq!(got.to_str().unwrap(), header.value());
            assert_eq!(got.is_sensitive(), header.is_sensitive(), "{}", header.name());
            assert_eq!(headers.get_all(header.name()).iter().count(), 1);
        }
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(headers["host"], "trtc.ap-beijing.tencentcloudapi.com");
        let shown = format!("{headers:?}");
        assert!(!shown.contains("tok\""), "{shown}");
        assert!(!shown.contains(out.signature()), "{shown}");
    }
}
