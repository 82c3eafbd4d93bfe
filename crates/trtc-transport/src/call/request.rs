//! Building the HTTP request of one attempt: the body as sent, and the headers that authenticate it.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use trtc_sign::{sign_with_key, SignableRequest, SigningParams, Timestamp};

use super::{Auth, Headers, Payload, Target};
use crate::{Endpoint, Error};

const CONTENT_TYPE_JSON: &str = "application/json";
const CONTENT_TYPE_FORM: &str = "application/x-www-form-urlencoded";
const X_TC_REQUESTCLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");

/// The request of one attempt, timestamped now.
pub(super) fn build(
    endpoint: &Endpoint,
    target: &Target<'_>,
    auth: Auth<'_>,
    payload: &Payload,
    headers: &Headers,
) -> Result<http::Request<Bytes>, Error> {
    let timestamp = Timestamp::from_secs(now_secs())?;
    let (method, uri, body, signable) = match payload {
        Payload::Json(body) => (
            http::Method::POST,
            endpoint.uri().clone(),
            body.clone(),
            SignableRequest::post(CONTENT_TYPE_JSON, body),
        ),
        Payload::Query(query) => (
            http::Method::GET,
            http::Uri::try_from(format!("{}?{query}", endpoint.uri())).map_err(|e| Error::Config {
                setting: "request",
                problem: format!("the query string cannot be sent: {e}"),
            })?,
            Bytes::new(),
            SignableRequest::get(query),
        ),
    };
    let mut request = http::Request::builder()
        .method(method)
        .uri(uri)
        .body(body)
        .map_err(|e| Error::Config {
            setting: "endpoint",
            problem: format!("cannot build a request for {endpoint}: {e}"),
        })?;
    let map = request.headers_mut();
    // Room for everything at once rather than growing the map header by header.
    map.reserve(9 + headers.extra.len());
    match auth {
        Auth::Tc3 { credentials, keys } => {
            let mut params = SigningParams::new(
                target.service,
                endpoint.host(),
                target.action,
                target.version,
                timestamp,
            )
            .with_signed_headers(headers.signed_headers);
            if let Some(region) = target.region {
                params = params.with_region(region);
            }
            if let Some(language) = &headers.language {
                params = params.with_language(language);
            }
            let key = keys.key(credentials, target.service, timestamp);
            // Content-Type, Host and every X-TC-* header exactly as signed; Authorization and X-TC-Token
            // marked sensitive.
            sign_with_key(&key, credentials, &params, &signable)?.into_headers(map)?;
        }
        Auth::Unsigned => {
            let content_type = match payload {
                Payload::Json(_) => CONTENT_TYPE_JSON,
                Payload::Query(_) => CONTENT_TYPE_FORM,
            };
            map.insert(HOST, value("Host", endpoint.host())?);
            map.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            map.insert(AUTHORIZATION, HeaderValue::from_static("SKIP"));
            map.insert(X_TC_ACTION, value("X-TC-Action", target.action)?);
            map.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp.secs()));
            map.insert(X_TC_VERSION, value("X-TC-Version", target.version)?);
            if let Some(region) = target.region {
                map.insert(X_TC_REGION, value("X-TC-Region", region)?);
            }
            if let Some(language) = &headers.language {
                map.insert(X_TC_LANGUAGE, value("X-TC-Language", language)?);
            }
        }
    }
    map.insert(X_TC_REQUESTCLIENT, headers.request_client.clone());
    for (name, value) in &headers.extra {
        map.insert(name.clone(), value.clone());
    }
    Ok(request)
}

/// A header value from text, or an error naming the header.
pub(crate) fn value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| Error::Config {
        setting: "header",
        problem: format!("the {name} value is not a valid HTTP header value"),
    })
}

fn now_secs() -> u64 {
    // A clock before 1970 is a broken machine; signing then fails with AuthFailure.SignatureExpire, which says so.
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
