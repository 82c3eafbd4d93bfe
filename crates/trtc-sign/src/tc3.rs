//! TC3-HMAC-SHA256: the canonical request, the string to sign, the signature and the headers to send.

use sha2::{Digest, Sha256};

use crate::key::hmac_sha256;
use crate::output::{Header, SigningOutput};
use crate::params::header_value;
use crate::{Credentials, SignError, SignableRequest, SigningKey, SigningParams};

/// The algorithm name, first in the string to sign and the `Authorization` value.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The value of `X-TC-Content-SHA256` for an unsigned payload, and the payload that is hashed instead.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Signs one request, deriving the signing key on the way.
///
/// ```
/// use trtc_sign::{sign, Credentials, SignableRequest, SigningParams, Timestamp};
///
/// // The published example of the API 3.0 signature documentation.
/// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")?;
/// let body = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
/// let params = SigningParams::new("cvm", "cvm.tencentcloudapi.com", "DescribeInstances", "2017-03-12", Timestamp::from_secs(1551113065)?)
///     .with_region("ap-guangzhou");
/// let out = sign(&creds, &params, &SignableRequest::post("application/json; charset=utf-8", body))?;
/// assert_eq!(out.signature(), "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
/// assert_eq!(out.header("X-TC-Region"), Some("ap-guangzhou"));
/// # Ok::<(), trtc_sign::SignError>(())
/// ```
pub fn sign(
    credentials: &Credentials,
    params: &SigningParams<'_>,
    request: &SignableRequest<'_>,
) -> Result<SigningOutput, SignError> {
    params.check()?;
    let key = SigningKey::derive(credentials.secret_key(), params.timestamp().date(), params.service());
    sign_checked(&key, credentials, params, request)
}

/// Signs one request with a signing key derived earlier by [`SigningKey::derive`].
///
/// Refused with [`SignError::KeyMismatch`] when the key's date or service is not the request's.
pub fn sign_with_key(
    key: &SigningKey,
    credentials: &Credentials,
    params: &SigningParams<'_>,
    request: &SignableRequest<'_>,
) -> Result<SigningOutput, SignError> {
    params.check()?;
    let date = params.timestamp().date();
    if key.date() != date || key.service() != params.service() {
        return Err(SignError::KeyMismatch {
            key_scope: format!("{}/{}", key.date(), key.service()),
            request_scope: format!("{date}/{}", params.service()),
        });
    }
    sign_checked(key, credentials, params, request)
}

fn sign_checked(
    key: &SigningKey,
    credentials: &Credentials,
    params: &SigningParams<'_>,
    request: &SignableRequest<'_>,
) -> Result<SigningOutput, SignError> {
    header_value("Content-Type", request.content_type())?;
    let signed_headers = params.signed_headers();

    let canonical_request = canonical_request(params, request);
    let date = params.timestamp().date().to_bytes();
    // to_bytes is ASCII digits and dashes.
    let date = std::str::from_utf8(&date).unwrap_or("0000-00-00");
    let timestamp = params.timestamp().secs().to_string();

    let mut string_to_sign = String::with_capacity(128);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(&timestamp);
    string_to_sign.push('\n');
    push_scope(&mut string_to_sign, date, params.service());
    string_to_sign.push('\n');
    string_to_sign.push_str(&hex::encode(Sha256::digest(canonical_request.as_bytes())));

    let signature = hex::encode(hmac_sha256(key.bytes(), string_to_sign.as_bytes()));

    let mut authorization = String::with_capacity(200);
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Credential=");
    authorization.push_str(credentials.secret_id());
    authorization.push('/');
    push_scope(&mut authorization, date, params.service());
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(signed_headers.as_str());
    authorization.push_str(", Signature=");
    authorization.push_str(&signature);

    let mut headers = Vec::with_capacity(8);
    headers.push(Header::new("Authorization", authorization, true));
    headers.push(Header::new("X-TC-Action", params.action().to_owned(), false));
    headers.push(Header::new("X-TC-Timestamp", timestamp, false));
    headers.push(Header::new("X-TC-Version", params.version().to_owned(), false));
    if let Some(region) = params.region() {
        headers.push(Header::new("X-TC-Region", region.to_owned(), false));
    }
    if let Some(token) = credentials.token() {
        headers.push(Header::new("X-TC-Token", token.expose_secret().to_owned(), true));
    }
    if let Some(language) = params.language() {
        headers.push(Header::new("X-TC-Language", language.to_owned(), false));
    }
    if request.is_unsigned_payload() {
        headers.push(Header::new("X-TC-Content-SHA256", UNSIGNED_PAYLOAD.to_owned(), false));
    }

    Ok(SigningOutput {
        headers,
        canonical_request,
        string_to_sign,
        signature,
    })
}

fn push_scope(out: &mut String, date: &str, service: &str) {
    out.push_str(date);
    out.push('/');
    out.push_str(service);
    out.push_str("/tc3_request");
}

/// `Method\n/\nQuery\ncontent-type:..\nhost:..\n[x-tc-action:..\n]\nSignedHeaders\nhex(SHA256(payload))`.
fn canonical_request(params: &SigningParams<'_>, request: &SignableRequest<'_>) -> String {
    let payload_hash = if request.is_unsigned_payload() {
        Sha256::digest(UNSIGNED_PAYLOAD.as_bytes())
    } else {
        Sha256::digest(request.body())
    };
    let mut out = String::with_capacity(
        160 + request.query().len() + request.content_type().len() + params.host().len() + params.action().len(),
    );
    out.push_str(request.method().as_str());
    out.push_str("\n/\n");
    out.push_str(request.query());
    out.push_str("\ncontent-type:");
    out.push_str(request.content_type());
    out.push_str("\nhost:");
    out.push_str(params.host());
    out.push('\n');
    if params.signed_headers() == crate::SignedHeaders::ContentTypeHostAction {
        out.push_str("x-tc-action:");
        for c in params.action().chars() {
            out.push(c.to_ascii_lowercase());
        }
        out.push('\n');
    }
    out.push('\n');
    out.push_str(params.signed_headers().as_str());
    out.push('\n');
    out.push_str(&hex::encode(payload_hash));
    out
}
