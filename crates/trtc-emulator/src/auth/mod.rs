//! Authentication as the service does it: the TC3-HMAC-SHA256 signature recomputed from the request exactly
//! as received (Host, Content-Type, query and body bytes), or the legacy v1 signature (`HmacSHA1`,
//! `HmacSHA256`) from the Host and the parameters as received; the key looked up, the clock skew checked.
//! This module holds the checks both share; `tc3` and `v1` the signatures.

use std::sync::Arc;

use trtc_model::ErrorCode;

use crate::config::CredentialEntry;
use crate::keyring::{Account, Keyring};
use crate::reply::Failure;

mod tc3;
mod v1;

pub(crate) use tc3::{authenticate, AuthorizationHeader, Incoming};
pub(crate) use v1::{authenticate_v1, IncomingV1};

/// `AuthFailure.SignatureFailure`, saying why.
fn signature_failure(why: &str) -> Failure {
    Failure::new(
        ErrorCode::AuthFailureSignatureFailure,
        format!("The provided credentials could not be validated: {why}"),
    )
}

/// The credential with this SecretId, or `AuthFailure.SecretIdNotFound`.
fn find_account<'k>(keyring: &'k Keyring, secret_id: &str) -> Result<&'k Arc<Account>, Failure> {
    keyring.find(secret_id).ok_or_else(|| {
        Failure::new(
            ErrorCode::AuthFailureSecretIdNotFound,
            "The SecretId is not found, please ensure that your SecretId is correct.",
        )
    })
}

/// `AuthFailure.SignatureExpire` when `timestamp` is more than `max_skew_secs` from `now_secs`, either way.
fn check_clock(timestamp: u64, now_secs: u64, max_skew_secs: u64) -> Result<(), Failure> {
    if timestamp.abs_diff(now_secs) > max_skew_secs {
        return Err(Failure::new(
            ErrorCode::AuthFailureSignatureExpire,
            format!("Signature expired. Timestamp {timestamp} is more than {max_skew_secs} seconds from server time {now_secs}."),
        ));
    }
    Ok(())
}

/// The session token rules: a temporary credential needs its own token, a permanent key none. `sent` is the
/// token as received (empty counts as none), `field` where it is sent (`X-TC-Token`, or `Token` for v1).
fn check_token(entry: &CredentialEntry, sent: Option<&str>, field: &str) -> Result<(), Failure> {
    let sent = sent.filter(|t| !t.is_empty());
    let why = match (entry.token.as_deref(), sent) {
        (Some(expected), Some(sent)) if constant_time_eq(expected.as_bytes(), sent.as_bytes()) => return Ok(()),
        (None, None) => return Ok(()),
        (Some(_), Some(_)) => format!("The {field} does not belong to this temporary SecretId."),
        (Some(_), None) => format!("This SecretId is a temporary credential: send its session token as {field}."),
        (None, Some(_)) => format!("This SecretId is a permanent key: send no {field} with it."),
    };
    Err(Failure::new(ErrorCode::AuthFailureTokenFailure, why))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
