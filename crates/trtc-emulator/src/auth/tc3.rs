//! TC3-HMAC-SHA256: the `Authorization` header parsed, and the signature recomputed with `trtc-sign` from
//! the request exactly as received.

use std::sync::Arc;

use trtc_model::{ErrorCode, TRTC_SERVICE};
use trtc_sign::{
    signature_with_key, SignableRequest, SignedHeaders, SigningParams, Timestamp, UtcDate, ALGORITHM, UNSIGNED_PAYLOAD,
};

use super::{check_clock, check_token, find_account, signature_failure};
use crate::headers::{text, ApiHeaders};
use crate::keyring::{Account, Keyring};
use crate::reply::Failure;

/// The request's parts that authentication reads; the common headers are already known to be present.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a http::Method,
    pub(crate) query: &'a str,
    pub(crate) headers: &'a ApiHeaders<'a>,
    pub(crate) authorization: &'a AuthorizationHeader<'a>,
    pub(crate) body: &'a [u8],
    pub(crate) action: &'a str,
    pub(crate) version: &'a str,
    pub(crate) timestamp: u64,
}

/// The `Authorization` header of a TC3 request, read once: the journal takes its SecretId before anything
/// is verified, authentication the rest.
pub(crate) enum AuthorizationHeader<'a> {
    /// Absent, or not visible ASCII.
    Missing,
    /// Not of the TC3-HMAC-SHA256 form.
    Malformed,
    /// Parsed.
    Tc3(Authorization<'a>),
}

impl<'a> AuthorizationHeader<'a> {
    pub(crate) fn read(headers: &ApiHeaders<'a>) -> AuthorizationHeader<'a> {
        match text(headers.authorization) {
            None => AuthorizationHeader::Missing,
            Some(value) => parse_authorization(value).map_or(AuthorizationHeader::Malformed, AuthorizationHeader::Tc3),
        }
    }

    /// The SecretId the request claims, for the journal; nothing is verified.
    pub(crate) fn claimed_secret_id(&self) -> Option<&'a str> {
        match self {
            AuthorizationHeader::Tc3(auth) => Some(auth.secret_id),
            _ => None,
        }
    }
}

/// The parsed `Authorization` header.
pub(crate) struct Authorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

/// `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=..., Signature=...`: the parts
/// in any order, each trimmed, the last of a repeated part winning; `None` for anything else.
fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in split_ascii(rest, b',') {
        // The value passed `HeaderValue::to_str`: its only whitespace is spaces and tabs, which `trim_ascii`
        // strips as `trim` does, without decoding characters.
        let part = part.trim_ascii();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed_headers = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let mut scope = split_ascii(credential?, b'/');
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

/// The pieces of `s` between occurrences of the ASCII byte `separator`, as `str::split` gives them, found
/// by [`find_byte`]: cheaper than the general pattern search for these short strings.
fn split_ascii(s: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let s = rest?;
        match find_byte(s.as_bytes(), separator) {
            Some(at) => {
                // An ASCII byte is a character of its own, so both sides are at character boundaries.
                rest = s.get(at + 1..);
                s.get(..at)
            }
            None => {
                rest = None;
                Some(s)
            }
        }
    })
}

/// Where `needle` first occurs in `haystack`, looked for eight bytes at a time.
fn find_byte(haystack: &[u8], needle: u8) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let pattern = ONES * u64::from(needle);
    let mut chunks = haystack.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        // A byte equal to the needle is a zero byte of `word`; this is non-zero exactly when there is one.
        let word = u64::from_ne_bytes(bytes) ^ pattern;
        if word.wrapping_sub(ONES) & !word & HIGHS != 0 {
            return chunk.iter().position(|&b| b == needle).map(|at| offset + at);
        }
        offset += 8;
    }
    let tail = &haystack[offset..];
    tail.iter().position(|&b| b == needle).map(|at| offset + at)
}

/// `YYYY-MM-DD`, as `UtcDate`'s `Display` writes it, without going through `fmt`.
fn scope_date(date: UtcDate) -> [u8; 10] {
    let mut out = *b"0000-00-00";
    let digits = |n: u16| b'0' + (n % 10) as u8;
    // `Timestamp` caps dates at the year 9999, so four digits always suffice.
    let year = date.year();
    out[0] = digits(year / 1000);
    out[1] = digits(year / 100);
    out[2] = digits(year / 10);
    out[3] = digits(year);
    out[5] = digits(u16::from(date.month()) / 10);
    out[6] = digits(u16::from(date.month()));
    out[8] = digits(u16::from(date.day()) / 10);
    out[9] = digits(u16::from(date.day()));
    out
}

/// Checks the request's signature and token; on success returns the credential that signed it.
///
/// The order is the service's as far as it is observable: the key is looked up first (an unknown key
/// cannot be checked further), then the clock, then the signature, then the session token.
pub(crate) fn authenticate(
    request: &Incoming<'_>,
    keyring: &Keyring,
    now_secs: u64,
    max_skew_secs: u64,
) -> Result<Arc<Account>, Failure> {
    let auth = match request.authorization {
        AuthorizationHeader::Tc3(auth) => auth,
        AuthorizationHeader::Missing => {
            return Err(Failure::new(
                ErrorCode::AuthFailureInvalidAuthorization,
                "The request has no Authorization header; sign it with TC3-HMAC-SHA256.",
            ))
        }
        AuthorizationHeader::Malformed => {
            return Err(Failure::new(
                ErrorCode::AuthFailureInvalidAuthorization,
                "The Authorization header is not a TC3-HMAC-SHA256 authorization \
                 (`TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=..., Signature=...`).",
            ))
        }
    };
    let account = find_account(keyring, auth.secret_id)?;
    let timestamp = request.timestamp;
    check_clock(timestamp, now_secs, max_skew_secs)?;
    let host = text(request.headers.host).unwrap_or("");
    let content_type = text(request.headers.content_type).unwrap_or("");

    let Some(signed_headers) = SignedHeaders::parse(auth.signed_headers) else {
        return Err(signature_failure(
            "SignedHeaders must be content-type;host or content-type;host;x-tc-action.",
        ));
    };
    let Ok(ts) = Timestamp::from_secs(timestamp) else {
        return Err(signature_failure("the timestamp is out of range."));
    };
    let date = ts.date();
    if auth.date.as_bytes() != scope_date(date) {
        return Err(signature_failure(
            "the credential date is not the UTC date of X-TC-Timestamp.",
        ));
    }
    if auth.service != TRTC_SERVICE {
        return Err(signature_failure(&format!(
            "the credential scope names another service than {TRTC_SERVICE}."
        )));
    }
    let Some(creds) = account.credentials() else {
        return Err(signature_failure("the emulator's key for this SecretId is unusable."));
    };
    let key = account.signing_key(creds, date, auth.service);
    let params =
        SigningParams::new(auth.service, host, request.action, request.version, ts).with_signed_headers(signed_headers);
    let mut signable = if request.method == http::Method::GET {
        SignableRequest::get(request.query).with_content_type(content_type)
    } else {
        SignableRequest::post(content_type, request.body)
    };
    if text(request.headers.content_sha256) == Some(UNSIGNED_PAYLOAD) {
        signable = signable.with_unsigned_payload();
    }
    // An empty Host or Content-Type is refused by the signer, and so by us.
    // The key's date and service are the request's, so only the request itself can be refused.
    let Ok(expected) = signature_with_key(&key, &params, &signable) else {
        return Err(signature_failure(
            "a signed header (Host, Content-Type) is missing or malformed.",
        ));
    };
    if !expected.matches(auth.signature) {
        return Err(signature_failure("please check your signature is correct."));
    }
    check_token(&account.entry, text(request.headers.token), "X-TC-Token")?;
    Ok(Arc::clone(account))
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

    /// The parser as first written, with `str::split`: the faster one must agree with it.
    fn reference_parse(value: &str) -> Option<[&str; 5]> {
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
        Some([secret_id, date, service, signed_headers?, signature?])
    }

    #[test]
    fn parses_authorization_as_str_split_does() {
        let values = [
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/trtc/tc3_request, SignedHeaders=content-type;host, Signature=abc",
            "TC3-HMAC-SHA256 Signature=abc,SignedHeaders=content-type;host,Credential=AKID/2019-02-25/trtc/tc3_request",
            "TC3-HMAC-SHA256 \tCredential=A/d/s/tc3_request\t ,  SignedHeaders=x , Signature=y ,",
            "TC3-HMAC-SHA256 Credential=A/d/s/tc3_request, Credential=B/e/t/tc3_request, SignedHeaders=x, Signature=y",
            "TC3-HMAC-SHA256 Credential=//s/tc3_request, SignedHeaders=, Signature=",
            "TC3-HMAC-SHA256 Credential=A/d/s/tc3_request/, SignedHeaders=x, Signature=y",
            "TC3-HMAC-SHA256 Credential=A/d/tc3_request, SignedHeaders=x, Signature=y",
            "TC3-HMAC-SHA256 Credential=A/d/s/tc3_requesT, SignedHeaders=x, Signature=y",
            "TC3-HMAC-SHA256 Credential=A/d/s/tc3_request, SignedHeaders=x",
            "TC3-HMAC-SHA256 Credential=A/d/s/tc3_request,, SignedHeaders=x,,Signature=y,,",
            "TC3-HMAC-SHA256 credential=A/d/s/tc3_request, SignedHeaders=x, Signature=y",
            "TC3-HMAC-SHA256 ",
            "TC3-HMAC-SHA256",
            "TC3-HMAC-SHA256  Credential=A/d/s/tc3_request, SignedHeaders=x, Signature=y",
            "tc3-hmac-sha256 Credential=A/d/s/tc3_request, SignedHeaders=x, Signature=y",
            "",
            ",",
        ];
        for value in values {
            let parsed =
                parse_authorization(value).map(|a| [a.secret_id, a.date, a.service, a.signed_headers, a.signature]);
            assert_eq!(parsed, reference_parse(value), "{value:?}");
        }
        for (s, separator) in [
            ("", b','),
            (",", b','),
            ("a,,b,", b','),
            ("a/b", b'/'),
            ("a", b'/'),
            ("//", b'/'),
            ("0123456789abcdef,0123456,", b','),
        ] {
            let want: Vec<_> = s.split(char::from(separator)).collect();
            assert_eq!(split_ascii(s, separator).collect::<Vec<_>>(), want, "{s:?}");
        }
    }

    #[test]
    fn find_byte_finds_the_first_occurrence_wherever_it_is() {
        for len in 0..40 {
            for at in 0..=len {
                let mut haystack: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                // Bytes next to the needle's value, and high bytes, which a wrong bit trick would confuse.
                haystack.iter_mut().step_by(3).for_each(|b| *b = 0x2d);
                haystack.iter_mut().skip(1).step_by(5).for_each(|b| *b = 0xac);
                if at < len {
                    haystack[at] = b',';
                    haystack.push(b',');
                }
                let want = haystack.iter().position(|&b| b == b',');
                assert_eq!(find_byte(&haystack, b','), want, "{haystack:?}");
                assert_eq!(find_byte(&haystack, 0), None);
            }
        }
    }

    #[test]
    fn scope_dates_are_written_as_display_writes_them() {
        for secs in [0, 86_399, 951_782_400, 1_551_113_065, 1_709_164_800, 253_402_300_799] {
            let date = Timestamp::from_secs(secs).unwrap().date();
            assert_eq!(std::str::from_utf8(&scope_date(date)).unwrap(), date.to_string());
        }
    }
}
