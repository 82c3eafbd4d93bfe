//! The request headers the gateway reads, by names built once: a lookup by `&str` parses and validates
//! the name on every call.

use http::{HeaderMap, HeaderName};

pub(crate) use http::header::{AUTHORIZATION, CONTENT_TYPE, HOST};

/// `X-TC-Action`.
pub(crate) static X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
/// `X-TC-Version`.
pub(crate) static X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
/// `X-TC-Timestamp`.
pub(crate) static X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
/// `X-TC-Region`.
pub(crate) static X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
/// `X-TC-Token`.
pub(crate) static X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
/// `X-TC-Content-SHA256`.
pub(crate) static X_TC_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-tc-content-sha256");

/// The first value of the header as text; `None` when absent or not visible ASCII.
pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_lowercase_wire_names() {
        let mut headers = HeaderMap::new();
        for name in [
            "X-TC-Action",
            "X-TC-Version",
            "X-TC-Timestamp",
            "X-TC-Region",
            "X-TC-Token",
            "X-TC-Content-SHA256",
        ] {
            headers.insert(HeaderName::from_bytes(name.as_bytes()).unwrap(), name.parse().unwrap());
        }
        headers.append(X_TC_ACTION.clone(), "second".parse().unwrap());
        headers.insert(HOST, http::HeaderValue::from_bytes(b"h\xe9").unwrap());
        let found = [
            &X_TC_ACTION,
            &X_TC_VERSION,
            &X_TC_TIMESTAMP,
            &X_TC_REGION,
            &X_TC_TOKEN,
            &X_TC_CONTENT_SHA256,
        ]
        .map(|name| header(&headers, name).unwrap());
        assert_eq!(
            found,
            [
                "X-TC-Action",
                "X-TC-Version",
                "X-TC-Timestamp",
                "X-TC-Region",
                "X-TC-Token",
                "X-TC-Content-SHA256"
            ]
        );
        assert_eq!(header(&headers, &HOST), None, "not visible ASCII");
        assert_eq!(header(&headers, &AUTHORIZATION), None);
    }
}
