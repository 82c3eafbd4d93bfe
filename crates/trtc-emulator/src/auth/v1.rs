//! The legacy v1 signature (`HmacSHA1`, `HmacSHA256`): the sign string rebuilt from the Host and the
//! parameters as received.

use std::sync::Arc;

use trtc_sign::{sign_v1, Method, V1Request};

use super::{check_clock, check_token, constant_time_eq, find_account, signature_failure};
use crate::headers::{text, ApiHeaders};
use crate::keyring::{Account, Keyring};
use crate::params::first_value;
use crate::reply::Failure;

/// A v1 request as authentication reads it: the common parameters are already known to be present.
pub(crate) struct IncomingV1<'a> {
    pub(crate) method: Method,
    pub(crate) headers: &'a ApiHeaders<'a>,
    /// Every parameter of the query (GET) or form body (POST), decoded, in the order sent, lists flat.
    pub(crate) pairs: &'a [(String, String)],
    pub(crate) secret_id: &'a str,
    pub(crate) timestamp: u64,
}

/// Checks a v1 request's signature and token in the order [`authenticate`] does; on success returns the
/// credential that signed it.
///
/// The sign string is rebuilt from the `Host` header as received and every parameter but `Signature`, raw
/// (decoded) and flat as sent (`UserIds.0=a`), with the HMAC the `SignatureMethod` parameter names.
pub(crate) fn authenticate_v1(
    request: &IncomingV1<'_>,
    keyring: &Keyring,
    now_secs: u64,
    max_skew_secs: u64,
) -> Result<Arc<Account>, Failure> {
    let account = find_account(keyring, request.secret_id)?;
    check_clock(request.timestamp, now_secs, max_skew_secs)?;
    let mut sent_signatures = request.pairs.iter().filter(|(k, _)| k == "Signature").map(|(_, v)| v);
    let (Some(sent), None) = (sent_signatures.next(), sent_signatures.next()) else {
        return Err(signature_failure("send exactly one Signature parameter."));
    };
    let Some(creds) = account.credentials() else {
        return Err(signature_failure("the emulator's key for this SecretId is unusable."));
    };
    let host = text(request.headers.host).unwrap_or("");
    let signable = request
        .pairs
        .iter()
        .filter(|(k, _)| k != "Signature")
        .fold(V1Request::new(request.method, host), |r, (k, v)| {
            r.param(k.as_str(), v.as_str())
        });
    if signable.signature_method().is_err() {
        return Err(signature_failure(
            "SignatureMethod must be HmacSHA1 or HmacSHA256 (HmacSHA1 when absent).",
        ));
    }
    // The signer refuses an empty or malformed Host, a parameter name given twice (underscores count as
    // dots) and an empty name: none of them can be verified.
    let Ok(expected) = sign_v1(creds.secret_key(), &signable) else {
        return Err(signature_failure(
            "the Host header is missing or malformed, or a parameter is given twice or has no name.",
        ));
    };
    if !constant_time_eq(expected.signature().as_bytes(), sent.as_bytes()) {
        return Err(signature_failure("please check your signature is correct."));
    }
    check_token(&account.entry, first_value(request.pairs, "Token"), "Token")?;
    Ok(Arc::clone(account))
}
