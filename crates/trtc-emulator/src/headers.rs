//! The request headers the gateway reads, found in one pass over the request's headers: a lookup per
//! header hashes its name each time, and a request is checked against nine of them.

use http::{HeaderMap, HeaderValue};

/// The headers of an API request that the checks read: for each, its first value (as
/// [`HeaderMap::get`] gives it), or `None` when absent.
#[derive(Default)]
pub(crate) struct ApiHeaders<'a> {
    pub(crate) authorization: Option<&'a HeaderValue>,
    pub(crate) host: Option<&'a HeaderValue>,
    pub(crate) content_type: Option<&'a HeaderValue>,
    pub(crate) action: Option<&'a HeaderValue>,
    pub(crate) version: Option<&'a HeaderValue>,
    pub(crate) timestamp: Option<&'a HeaderValue>,
    pub(crate) region: Option<&'a HeaderValue>,
    pub(crate) token: Option<&'a HeaderValue>,
    pub(crate) content_sha256: Option<&'a HeaderValue>,
}

impl<'a> ApiHeaders<'a> {
    pub(crate) fn read(headers: &'a HeaderMap) -> ApiHeaders<'a> {
        let mut found = ApiHeaders::default();
        for (name, value) in headers {
            // Names are stored lower-cased.
            let slot = match name.as_str() {
                "authorization" => &mut found.authorization,
                "host" => &mut found.host,
                "content-type" => &mut found.content_type,
                "x-tc-action" => &mut found.action,
                "x-tc-version" => &mut found.version,
                "x-tc-timestamp" => &mut found.timestamp,
                "x-tc-region" => &mut found.region,
                "x-tc-token" => &mut found.token,
                "x-tc-content-sha256" => &mut found.content_sha256,
                _ => continue,
            };
            // The values of a repeated header come one after the other, its first value first.
            slot.get_or_insert(value);
        }
        found
    }
}

/// The header's value as text; `None` when absent or not visible ASCII.
pub(crate) fn text(value: Option<&HeaderValue>) -> Option<&str> {
    value.and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_header_is_its_first_value_as_get_gives_it() {
        let names = [
            "Authorization",
            "Host",
            "Content-Type",
            "X-TC-Action",
            "X-TC-Version",
            "X-TC-Timestamp",
            "X-TC-Region",
            "X-TC-Token",
            "X-TC-Content-SHA256",
        ];
        let mut headers = HeaderMap::new();
        headers.append("user-agent", HeaderValue::from_static("test"));
        // Repeated headers, their values interleaved with other headers'.
        for round in 0..3 {
            for name in names.iter().rev().skip(round) {
                let name = http::HeaderName::from_bytes(name.as_bytes()).unwrap();
                headers.append(name, format!("{round}").parse().unwrap());
            }
        }
        headers.append("x-tc-language", HeaderValue::from_static("en-US"));
        headers.insert("host", HeaderValue::from_bytes(b"h\xe9").unwrap());

        let found = ApiHeaders::read(&headers);
        let slots = [
            found.authorization,
            found.host,
            found.content_type,
            found.action,
            found.version,
            found.timestamp,
            found.region,
            found.token,
            found.content_sha256,
        ];
        for (name, slot) in names.iter().zip(slots) {
            assert_eq!(slot, headers.get(*name), "{name}");
            assert!(slot.is_some(), "{name}");
        }
        assert_eq!(text(found.host), None, "not visible ASCII");
        assert_eq!(text(found.action), Some("0"));
        assert_eq!(text(ApiHeaders::read(&HeaderMap::new()).authorization), None);
    }
}
