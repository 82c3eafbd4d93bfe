//! TC3-HMAC-SHA256: the canonical request, the string to sign, the signature and the headers to send.

use std::ops::Range;

use crate::key::derive_mac;
use crate::output::{SignedHeader, SigningOutput, Slot, MAX_HEADERS};
use crate::sha256::{self, HmacKey};
use crate::{hex, Credentials, SignError, SignableRequest, Signature, SignedHeaders, SigningKey, SigningParams};

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
    if !plausible(params, request) {
        checked(params, request)?;
    }
    let date = params.timestamp().date();
    let mac = derive_mac(credentials.tc3_mac(), date, params.service());
    values_checked(
        build(&mac, &date.to_bytes(), credentials, params, request),
        params,
        request,
    )
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
    if !plausible(params, request) || !key_fits(key, params) {
        checked_key(key, params, request)?;
    }
    values_checked(
        build(key.mac(), &key.date().to_bytes(), credentials, params, request),
        params,
        request,
    )
}

/// Computes only the signature of a request, with a key derived earlier: what a receiver does to check a
/// request it was sent, without building the headers a sender adds. The same inputs give the signature
/// [`sign_with_key`] puts in `Authorization`.
///
/// Refused as [`sign_with_key`] refuses.
///
/// ```
/// use trtc_sign::{sign_with_key, signature_with_key, Credentials, SignableRequest, SigningKey, SigningParams, Timestamp};
///
/// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")?;
/// let body = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
/// let timestamp = Timestamp::from_secs(1551113065)?;
/// let params = SigningParams::new("cvm", "cvm.tencentcloudapi.com", "DescribeInstances", "2017-03-12", timestamp)
///     .with_region("ap-guangzhou");
/// let request = SignableRequest::post("application/json; charset=utf-8", body);
/// let key = SigningKey::derive(creds.secret_key(), timestamp.date(), "cvm");
///
/// // The published example of the API 3.0 signature documentation.
/// let expected = signature_with_key(&key, &params, &request)?;
/// assert!(expected.matches("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"));
/// assert!(!expected.matches("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525169"));
/// assert_eq!(expected.as_str(), sign_with_key(&key, &creds, &params, &request)?.signature());
/// assert_eq!(format!("{expected:?}"), "Signature(***)");
/// # Ok::<(), trtc_sign::SignError>(())
/// ```
pub fn signature_with_key(
    key: &SigningKey,
    params: &SigningParams<'_>,
    request: &SignableRequest<'_>,
) -> Result<Signature, SignError> {
    checked_key(key, params, request)?;
    let date = &key.date().to_bytes();
    let mut text = Vec::with_capacity(signed_text_len(params, request));
    let signed = canonical_and_signature(&mut text, key.mac(), date, params, request);
    Ok(Signature(hex::encode32(&signed.signature)))
}

/// The checks of [`checked`] that the signed text does not cover: whether the service is well formed,
/// no value is empty and the query is sendable. A signer's inputs are nearly always valid, so
/// [`sign`] and [`sign_with_key`] take this short path and check the values they copy into the text
/// there, each in one word-at-a-time pass ([`printable_values`]); when either says no, [`checked`]
/// runs in full and names the field.
fn plausible(params: &SigningParams<'_>, request: &SignableRequest<'_>) -> bool {
    params.is_plausible() && request.is_plausible()
}

/// The output of [`build`] once its header values are checked ([`printable_values`]); when they are not all
/// printable, the error of the full checks, which names the field.
fn values_checked(
    out: SigningOutput,
    params: &SigningParams<'_>,
    request: &SignableRequest<'_>,
) -> Result<SigningOutput, SignError> {
    if !printable_values(&out) {
        checked(params, request)?;
    }
    Ok(out)
}

/// Whether every header value copied into the output is printable ASCII: `Content-Type` and `Host` where
/// the canonical request has them, and the run of header values at the end of the text (action, version,
/// region, token, language, in that order, with nothing between them).
fn printable_values(out: &SigningOutput) -> bool {
    let text = &out.text;
    let values = out.headers[1].value.start..text.len();
    [out.content_type.clone(), out.host.clone(), values]
        .into_iter()
        .all(|range| text.get(range).is_some_and(crate::params::printable))
}

/// Whether the key was derived for the request's date and service.
fn key_fits(key: &SigningKey, params: &SigningParams<'_>) -> bool {
    key.date() == params.timestamp().date() && key.service() == params.service()
}

/// Checks the inputs.
fn checked(params: &SigningParams<'_>, request: &SignableRequest<'_>) -> Result<(), SignError> {
    params.check()?;
    request.check()
}

/// Checks the inputs and refuses a key whose date or service is not the request's.
fn checked_key(key: &SigningKey, params: &SigningParams<'_>, request: &SignableRequest<'_>) -> Result<(), SignError> {
    checked(params, request)?;
    if !key_fits(key, params) {
        let date = params.timestamp().date();
        return Err(SignError::KeyMismatch {
            key_scope: format!("{}/{}", key.date(), key.service()),
            request_scope: format!("{date}/{}", params.service()),
        });
    }
    Ok(())
}

/// Builds the output from checked inputs; nothing here can fail.
///
/// The text is assembled as bytes from `&str` pieces and ASCII digits, so it is UTF-8 by construction; it is
/// kept as bytes, and only the pieces a caller reads as `&str` are checked, when read (the client sends the
/// headers as bytes and reads none).
fn build(
    mac: &HmacKey,
    date: &[u8; 10],
    credentials: &Credentials,
    params: &SigningParams<'_>,
    request: &SignableRequest<'_>,
) -> SigningOutput {
    let service = params.service().as_bytes();
    let signed_headers = params.signed_headers();
    let token = credentials.token().map(|t| t.expose_secret());

    let scope_len = date.len() + 1 + service.len() + "/tc3_request".len();
    let optional = |v: Option<&str>| v.map_or(0, str::len);
    let capacity = signed_text_len(params, request)
        + ALGORITHM.len()
        + " Credential=".len()
        + credentials.secret_id().len()
        + 1
        + scope_len
        + ", SignedHeaders=".len()
        + signed_headers.as_str().len()
        + ", Signature=".len()
        + 64
        + params.action().len()
        + params.version().len()
        + optional(params.region())
        + optional(token)
        + optional(params.language())
        + if request.is_unsigned_payload() {
            UNSIGNED_PAYLOAD.len()
        } else {
            0
        };
    let mut text: Vec<u8> = Vec::with_capacity(capacity);

    let signed = canonical_and_signature(&mut text, mac, date, params, request);
    let Signed {
        canonical_request,
        string_to_sign,
        content_type,
        host,
        timestamp: timestamp_value,
        signature,
    } = signed;

    let start = text.len();
    text.extend_from_slice(ALGORITHM.as_bytes());
    text.extend_from_slice(b" Credential=");
    text.extend_from_slice(credentials.secret_id().as_bytes());
    text.push(b'/');
    push_scope(&mut text, date, service);
    text.extend_from_slice(b", SignedHeaders=");
    text.extend_from_slice(signed_headers.as_str().as_bytes());
    text.extend_from_slice(b", Signature=");
    hex::push32(&mut text, &signature);
    let authorization = start..text.len();

    let mut headers: [Slot; MAX_HEADERS] = Default::default();
    let mut count = 0;
    let mut add = |header: SignedHeader, value: Range<usize>, sensitive: bool| {
        headers[count] = Slot {
            header,
            value,
            sensitive,
        };
        count += 1;
    };
    add(SignedHeader::Authorization, authorization, true);
    add(
        SignedHeader::Action,
        push_range(&mut text, params.action().as_bytes()),
        false,
    );
    add(SignedHeader::Timestamp, timestamp_value, false);
    add(
        SignedHeader::Version,
        push_range(&mut text, params.version().as_bytes()),
        false,
    );
    if let Some(region) = params.region() {
        add(SignedHeader::Region, push_range(&mut text, region.as_bytes()), false);
    }
    if let Some(token) = token {
        add(SignedHeader::Token, push_range(&mut text, token.as_bytes()), true);
    }
    if let Some(language) = params.language() {
        add(
            SignedHeader::Language,
            push_range(&mut text, language.as_bytes()),
            false,
        );
    }
    if request.is_unsigned_payload() {
        add(
            SignedHeader::ContentSha256,
            push_range(&mut text, UNSIGNED_PAYLOAD.as_bytes()),
            false,
        );
    }
    debug_assert!(text.len() <= capacity, "capacity {capacity} < {}", text.len());

    SigningOutput {
        text,
        canonical_request,
        string_to_sign,
        content_type,
        host,
        headers,
        header_count: count,
    }
}

/// Where the pieces of the signed text landed, and the signature.
struct Signed {
    canonical_request: Range<usize>,
    string_to_sign: Range<usize>,
    content_type: Range<usize>,
    host: Range<usize>,
    timestamp: Range<usize>,
    signature: [u8; 32],
}

/// Writes the canonical request and the string to sign into `text` (at its start) and signs the latter.
fn canonical_and_signature(
    text: &mut Vec<u8>,
    mac: &HmacKey,
    date: &[u8],
    params: &SigningParams<'_>,
    request: &SignableRequest<'_>,
) -> Signed {
    let service = params.service().as_bytes();
    let signed_headers = params.signed_headers();
    let with_action = signed_headers == SignedHeaders::ContentTypeHostAction;
    // Method\n/\nQuery\ncontent-type:..\nhost:..\n[x-tc-action:..\n]\nSignedHeaders\nhex(SHA256(payload))
    text.extend_from_slice(request.method().as_str().as_bytes());
    text.extend_from_slice(b"\n/\n");
    text.extend_from_slice(request.query().as_bytes());
    text.extend_from_slice(b"\ncontent-type:");
    let content_type = push_range(text, request.content_type().as_bytes());
    text.extend_from_slice(b"\nhost:");
    let host = push_range(text, params.host().as_bytes());
    text.push(b'\n');
    if with_action {
        text.extend_from_slice(b"x-tc-action:");
        text.extend(params.action().bytes().map(|b| b.to_ascii_lowercase()));
        text.push(b'\n');
    }
    text.push(b'\n');
    text.extend_from_slice(signed_headers.as_str().as_bytes());
    text.push(b'\n');
    let payload_hash = if request.is_unsigned_payload() {
        sha256::digest(UNSIGNED_PAYLOAD.as_bytes())
    } else {
        sha256::digest(request.body())
    };
    hex::push32(text, &payload_hash);
    let canonical_request = 0..text.len();
    let canonical_hash = sha256::digest(text);

    // TC3-HMAC-SHA256\nTimestamp\nDate/service/tc3_request\nhex(SHA256(CanonicalRequest))
    let start = text.len();
    text.extend_from_slice(ALGORITHM.as_bytes());
    text.push(b'\n');
    let timestamp = push_decimal(text, params.timestamp().secs());
    text.push(b'\n');
    push_scope(text, date, service);
    text.push(b'\n');
    hex::push32(text, &canonical_hash);
    let string_to_sign = start..text.len();
    let signature = mac.mac(&text[string_to_sign.clone()]);
    Signed {
        canonical_request,
        string_to_sign,
        content_type,
        host,
        timestamp,
        signature,
    }
}

/// The length of the canonical request and string to sign, for sizing the buffer they are written to.
fn signed_text_len(params: &SigningParams<'_>, request: &SignableRequest<'_>) -> usize {
    let scope_len = 10 + 1 + params.service().len() + "/tc3_request".len();
    4 + 3
        + request.query().len()
        + "\ncontent-type:".len()
        + request.content_type().len()
        + "\nhost:".len()
        + params.host().len()
        + 2
        + "x-tc-action:".len()
        + params.action().len()
        + 1
        + params.signed_headers().as_str().len()
        + 1
        + 64
        + ALGORITHM.len()
        + 1
        + decimal_len(params.timestamp().secs())
        + 1
        + scope_len
        + 1
        + 64
}

/// Appends `value` and returns where it landed.
fn push_range(text: &mut Vec<u8>, value: &[u8]) -> Range<usize> {
    let start = text.len();
    text.extend_from_slice(value);
    start..text.len()
}

fn push_scope(out: &mut Vec<u8>, date: &[u8], service: &[u8]) {
    out.extend_from_slice(date);
    out.push(b'/');
    out.extend_from_slice(service);
    out.extend_from_slice(b"/tc3_request");
}

/// `"00"` to `"99"`, for writing decimal numbers two digits at a time.
static DECIMAL_PAIRS: [[u8; 2]; 100] = decimal_pairs();

const fn decimal_pairs() -> [[u8; 2]; 100] {
    let mut table = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        table[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    table
}

/// How many decimal digits `n` has.
fn decimal_len(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// Appends the decimal digits of `n` without going through `fmt`: written in place from the right, two
/// at a time, and returns where they landed.
fn push_decimal(text: &mut Vec<u8>, mut n: u64) -> Range<usize> {
    let start = text.len();
    text.resize(start + decimal_len(n), b'0');
    // Pairs from the right; an odd length leaves the first digit, which is what is left of `n`.
    for pair in text[start..].rchunks_exact_mut(2) {
        pair.copy_from_slice(&DECIMAL_PAIRS[(n % 100) as usize]);
        n /= 100;
    }
    if (text.len() - start) % 2 == 1 {
        text[start] = b'0' + n as u8;
    }
    start..text.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;

    #[test]
    fn a_key_signs_only_its_own_date_and_service() {
        let creds = Credentials::new("AKIDexample", "secret").unwrap();
        // 2023-11-14T22:13:20Z; the key's day ends at 1_700_006_399.
        let day = Timestamp::from_secs(1_700_000_000).unwrap();
        let key = SigningKey::derive(creds.secret_key(), day.date(), "trtc");
        let body = br#"{"SdkAppId":1400000001,"RoomId":1}"#;
        let request = SignableRequest::post("application/json", body);
        let at = |secs: u64, service: &'static str| {
            SigningParams::new(
                service,
                "trtc.tencentcloudapi.com",
                "DismissRoom",
                "2019-07-22",
                Timestamp::from_secs(secs).unwrap(),
            )
        };
        for secs in [1_699_920_000, 1_700_000_000, 1_700_006_399] {
            let out = sign_with_key(&key, &creds, &at(secs, "trtc"), &request).unwrap();
            assert_eq!(out, sign(&creds, &at(secs, "trtc"), &request).unwrap(), "at {secs}");
            assert!(signature_with_key(&key, &at(secs, "trtc"), &request)
                .unwrap()
                .matches(out.signature()));
        }
        for (secs, service, request_scope) in [
            (1_700_006_400, "trtc", "2023-11-15/trtc"),
            (1_699_919_999, "trtc", "2023-11-13/trtc"),
            (1_700_000_000, "cvm", "2023-11-14/cvm"),
        ] {
            let want = SignError::KeyMismatch {
                key_scope: "2023-11-14/trtc".to_owned(),
                request_scope: request_scope.to_owned(),
            };
            assert_eq!(
                sign_with_key(&key, &creds, &at(secs, service), &request).unwrap_err(),
                want
            );
            assert_eq!(
                signature_with_key(&key, &at(secs, service), &request).unwrap_err(),
                want
            );
        }
    }

    /// Calls `f` with DismissRoom's inputs, one field replaced by `bad` (the field's index in `FIELDS`).
    fn with_bad<T>(field: usize, bad: &str, f: impl FnOnce(&SigningParams<'_>, &SignableRequest<'_>) -> T) -> T {
        let ts = Timestamp::from_secs(1_700_000_000).unwrap();
        let values: Vec<&str> = FIELDS
            .iter()
            .enumerate()
            .map(|(i, (_, good))| if i == field { bad } else { good })
            .collect();
        let params = SigningParams::new("trtc", values[0], values[1], values[2], ts)
            .with_region(values[3])
            .with_language(values[4]);
        f(&params, &SignableRequest::post(values[5], b"{}"))
    }

    /// The inputs of [`with_bad`] signed with a fresh key and with a kept one.
    fn sign_with_bad(field: usize, bad: &str) -> [Result<SigningOutput, SignError>; 2] {
        let creds = Credentials::new("AKIDexample", "secret").unwrap();
        with_bad(field, bad, |params, request| {
            let key = SigningKey::derive(creds.secret_key(), params.timestamp().date(), "trtc");
            [
                sign(&creds, params, request),
                sign_with_key(&key, &creds, params, request),
            ]
        })
    }

    const FIELDS: [(&str, &str); 6] = [
        ("Host", "trtc.tencentcloudapi.com"),
        ("Action", "DismissRoom"),
        ("Version", "2019-07-22"),
        ("Region", "ap-guangzhou"),
        ("Language", "en-US"),
        ("Content-Type", "application/json"),
    ];

    #[test]
    fn a_bad_value_is_named_whatever_its_position() {
        for (i, (field, good)) in FIELDS.iter().enumerate() {
            for (bad, want) in [
                (String::new(), SignError::Empty { field }),
                (format!("{good}\u{e9}"), SignError::NonAscii { field }),
                (format!("\u{e9}{good}"), SignError::NonAscii { field }),
                (format!("{good}\n"), SignError::ControlCharacter { field }),
                (
                    format!("{}\x7f{}", &good[..3], &good[3..]),
                    SignError::ControlCharacter { field },
                ),
                ("\t".to_owned(), SignError::ControlCharacter { field }),
            ] {
                for result in sign_with_bad(i, &bad) {
                    assert_eq!(result.unwrap_err(), want, "{field} = {bad:?}");
                }
            }
        }
    }

    proptest::proptest! {
        /// The short path (`plausible`, then `printable_values` on the output) refuses exactly what the
        /// full checks refuse, with their error.
        #[test]
        fn the_short_path_refuses_what_the_full_checks_refuse(
            field in 0..6usize,
            bad in "[ -~\t\x7f\u{e9}\u{4e2d}]{0,20}",
        ) {
            let want = with_bad(field, &bad, checked);
            for result in sign_with_bad(field, &bad) {
                proptest::prop_assert_eq!(result.map(|_| ()), want.clone());
            }
        }
    }

    #[test]
    fn decimal_matches_display() {
        let mut numbers = vec![
            0,
            7,
            9,
            10,
            11,
            99,
            100,
            101,
            999,
            1_551_113_065,
            253_402_300_799,
            u64::MAX,
        ];
        numbers.extend((0..20).flat_map(|k| [10u64.pow(k) - 1, 10u64.pow(k), 10u64.pow(k) + 1]));
        for n in numbers {
            let mut text = b"x".to_vec();
            let range = push_decimal(&mut text, n);
            assert_eq!(range, 1..text.len());
            assert_eq!(std::str::from_utf8(&text[1..]).unwrap(), n.to_string(), "{n}");
        }
    }
}
