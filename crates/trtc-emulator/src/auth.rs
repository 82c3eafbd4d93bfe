//! Authentication as the service does it: the TC3-HMAC-SHA256 signature recomputed from the request exactly
//! as received (Host, Content-Type, query and body bytes), the key looked up, the clock skew checked.

use http::HeaderMap;
use trtc_sign::{sign, Credentials, SignableRequest, SignedHeaders, SigningParams, Timestamp, UNSIGNED_PAYLOAD};

use crate::config::CredentialEntry;
use crate::reply::Failure;

/// The request's parts that authentication reads.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a http::Method,
    pub(crate) query: &'a str,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

/// The parsed `Authorization` header.
struct Authorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix("TC3-HMAC-SHA256 ")?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed_headers = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let mut scope = credential?.split('/');
    let secret_id = scope.next()?;
    let date = scope.next()?;
    let service = scope.next()?;
    if scope.next()? != "tc3_request" || scope.next().is_some() {
        return None;
    }
    Some(Authorization {
        secret_id,
        date,
        service,
        signed_headers: signed_headers?,
        signature: signature?,
    })
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Checks the request's signature; on success returns the credential that signed it.
pub(crate) fn authenticate<'c>(
    request: &Incoming<'_>,
    credentials: &'c [CredentialEntry],
    now_secs: u64,
    max_skew_secs: u64,
) -> Result<&'c CredentialEntry, Failure> {
    let Some(authorization) = header(request.headers, "authorization") else {
        return Err(Failure::new(
            "AuthFailure.SignatureFailure",
            "The request has no Authorization header.",
        ));
    };
    let Some(auth) = parse_authorization(authorization) else {
        return Err(Failure::new(
            "AuthFailure.SignatureFailure",
            "The Authorization header is not a TC3-HMAC-SHA256 authorization.",
        ));
    };
    let Some(entry) = credentials.iter().find(|c| c.secret_id == auth.secret_id) else {
        return Err(Failure::new(
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found.",
        ));
    };
    let Some(timestamp) = header(request.headers, "x-tc-timestamp").and_then(|t| t.parse::<u64>().ok()) else {
        return Err(Failure::new(
            "MissingParameter",
            "The request is missing a valid X-TC-Timestamp header.",
        ));
    };
    if timestamp.abs_diff(now_secs) > max_skew_secs {
        return Err(Failure::new(
            "AuthFailure.SignatureExpire",
            format!("Signature expired. Timestamp {timestamp} is more than {max_skew_secs} seconds from server time {now_secs}."),
        ));
    }
    let Some(action) = header(request.headers, "x-tc-action") else {
        return Err(Failure::new(
            "MissingParameter",
            "The request is missing the X-TC-Action header.",
        ));
    };
    let version = header(request.headers, "x-tc-version").unwrap_or("");
    let host = header(request.headers, "host").unwrap_or("");
    let content_type = header(request.headers, "content-type").unwrap_or("");
    let failure = |why: &str| {
        Failure::new(
            "AuthFailure.SignatureFailure",
            format!("The provided credentials could not be validated: {why}"),
        )
    };

    let Some(signed_headers) = SignedHeaders::parse(auth.signed_headers) else {
        return Err(failure("unsupported SignedHeaders."));
    };
    let Ok(ts) = Timestamp::from_secs(timestamp) else {
        return Err(failure("the timestamp is out of range."));
    };
    if auth.date != ts.date().to_string() {
        return Err(failure("the credential date is not the date of X-TC-Timestamp."));
    }
    if auth.service != "trtc" {
        return Err(failure("the credential scope names another service."));
    }
    let Ok(creds) = Credentials::new(entry.secret_id.as_str(), entry.secret_key.as_str()) else {
        return Err(failure("the emulator's key for this SecretId is unusable."));
    };
    let params = SigningParams::new(auth.service, host, action, version, ts).with_signed_headers(signed_headers);
    let mut signable = if request.method == http::Method::GET {
        SignableRequest::get(request.query).with_content_type(content_type)
    } else {
        SignableRequest::post(content_type, request.body)
    };
    if header(request.headers, "x-tc-content-sha256") == Some(UNSIGNED_PAYLOAD) {
        signable = signable.with_unsigned_payload();
    }
    // Version and content type may be empty in a malformed request; the signer refuses them, and so do we.
    let Ok(expected) = sign(&creds, &params, &signable) else {
        return Err(failure("a signed header is missing or malformed."));
    };
    if !constant_time_eq(expected.signature().as_bytes(), auth.signature.as_bytes()) {
        return Err(failure("please check your signature is correct."));
    }
    Ok(entry)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_authorization() {
        let a = parse_authorization("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=abc").unwrap();
        assert_eq!((a.secret_id, a.date, a.service), ("AKID", "2019-02-25", "cvm"));
        assert_eq!((a.signed_headers, a.signature), ("content-type;host", "abc"));
        assert!(
            parse_authorization("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm, SignedHeaders=a, Signature=b")
                .is_none()
        );
        assert!(parse_authorization("Bearer x").is_none());
    }
}
