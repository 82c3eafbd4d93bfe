//! Legacy v1 signatures (`HmacSHA1`, `HmacSHA256`), which every official SDK still offers.
//!
//! The signature covers `METHOD + host + "/?" + k=v&...` over all parameters sorted by name, values raw
//! (not URL-encoded); it is the base64 of the HMAC of that string keyed with the SecretKey, sent as the
//! `Signature` parameter. Everything is a parameter (Action, Version, Timestamp, Nonce, SecretId, Region,
//! Token, SignatureMethod), sent in the query of a GET or the form body of a POST. Prefer TC3-HMAC-SHA256
//! ([`sign`](crate::sign)): v1 bodies are limited to 1 MB and take no JSON.

use std::fmt;

use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::key::hmac_sha256;
use crate::params::header_value;
use crate::{base64, Method, Secret, SignError};

/// The HMAC of a v1 signature, named by the `SignatureMethod` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureMethod {
    /// `HmacSHA1`: what the service assumes when there is no `SignatureMethod` parameter.
    HmacSha1,
    /// `HmacSHA256`.
    HmacSha256,
}

impl SignatureMethod {
    /// `"HmacSHA1"` or `"HmacSHA256"`, as sent in the `SignatureMethod` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HmacSHA1",
            SignatureMethod::HmacSha256 => "HmacSHA256",
        }
    }

    /// Parses the parameter form; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "HmacSHA1" => Some(SignatureMethod::HmacSha1),
            "HmacSHA256" => Some(SignatureMethod::HmacSha256),
            _ => None,
        }
    }
}

/// The parameters every v1 request must carry; the service refuses a request without them.
const REQUIRED: [&str; 4] = ["Action", "Nonce", "Timestamp", "SecretId"];

/// A v1 request: method, host and every parameter, in the order they are sent.
///
/// The signer adds nothing but `Signature`: what you put in is what is signed and sent. The HMAC is chosen
/// by the `SignatureMethod` parameter, as the service chooses it (`HmacSHA1` without one).
///
/// ```
/// use trtc_sign::{sign_v1, Credentials, Method, V1Request};
///
/// // The published v1 example of the API documentation.
/// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")?;
/// let request = V1Request::new(Method::Get, "cvm.tencentcloudapi.com")
///     .param("Action", "DescribeInstances")
///     .param("InstanceIds.0", "ins-09dx96dg")
///     .param("Limit", "20")
///     .param("Nonce", "11886")
///     .param("Offset", "0")
///     .param("Region", "ap-guangzhou")
///     .param("SecretId", creds.secret_id())
///     .param("Timestamp", "1465185768")
///     .param("Version", "2017-03-12");
/// let out = sign_v1(creds.secret_key(), &request)?;
/// assert_eq!(out.signature(), "EliP9YW3pW28FpsEdkXt/+WcGeI=");
/// assert!(out.encoded().ends_with("&Signature=EliP9YW3pW28FpsEdkXt%2F%2BWcGeI%3D"));
/// // GET https://cvm.tencentcloudapi.com/?{out.encoded()}
/// # Ok::<(), trtc_sign::SignError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct V1Request {
    method: Method,
    host: String,
    params: Vec<(String, String)>,
}

impl V1Request {
    /// A request to `host` (exactly as sent in the `Host` header) with no parameters yet.
    pub fn new(method: Method, host: impl Into<String>) -> Self {
        V1Request {
            method,
            host: host.into(),
            params: Vec::new(),
        }
    }

    /// Adds a parameter. Values are signed raw and URL-encoded when sent; nested API parameters are
    /// flattened by the caller (`Filters.0.Name`).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The parameters in the order they were added.
    pub fn params(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.params.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The HMAC the `SignatureMethod` parameter asks for (`HmacSHA1` when there is none).
    pub fn signature_method(&self) -> Result<SignatureMethod, SignError> {
        match self.params.iter().find(|(k, _)| k == "SignatureMethod") {
            None => Ok(SignatureMethod::HmacSha1),
            Some((_, v)) => SignatureMethod::parse(v).ok_or(SignError::InvalidParameter {
                name: "SignatureMethod".to_owned(),
                problem: "must be HmacSHA1 or HmacSHA256: set one of them, or leave it out for HmacSHA1",
            }),
        }
    }
}

impl fmt::Debug for V1Request {
    // Values may hold a token: show the names only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("V1Request")
            .field("method", &self.method)
            .field("host", &self.host)
            .field("params", &self.params.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .finish()
    }
}

/// A signed v1 request: the sign string, the signature and the encoded parameters to send.
#[derive(Clone, PartialEq, Eq)]
pub struct V1Output {
    sign_string: String,
    signature: String,
    encoded: String,
}

impl V1Output {
    /// `METHOD + host + "/?" + k=v&...`, the parameters sorted by name. It holds the `Token` parameter of
    /// temporary credentials when there is one: print it only to debug your own request.
    pub fn sign_string(&self) -> &str {
        &self.sign_string
    }

    /// The base64 signature, before URL encoding. A credential for the next five minutes: never log it.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// Every parameter in the order given and then `Signature`, as `application/x-www-form-urlencoded`
    /// (space as `+`, everything but letters, digits and `_.-~` percent-encoded): the query of a GET
    /// (after `/?`) or the body of a POST sent with that Content-Type.
    pub fn encoded(&self) -> &str {
        &self.encoded
    }
}

impl fmt::Debug for V1Output {
    // The sign string holds every value, a token among them: Debug shows none of the three.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("V1Output")
            .field("sign_string", &format_args!("<{} bytes>", self.sign_string.len()))
            .field("signature", &format_args!("***"))
            .field("encoded", &format_args!("***"))
            .finish()
    }
}

/// Signs a v1 request with `secret_key`, using the HMAC its `SignatureMethod` parameter names.
///
/// Underscores in parameter names are signed as dots and the names sent unchanged, as the official Python
/// SDK does; so `A_b` and `A.b` are the same parameter and may not both be given.
pub fn sign_v1(secret_key: &Secret, request: &V1Request) -> Result<V1Output, SignError> {
    header_value("Host", &request.host)?;
    let method = request.signature_method()?;
    let mut sorted: Vec<(String, &str)> = Vec::with_capacity(request.params.len());
    for (name, value) in &request.params {
        if name.is_empty() {
            return Err(SignError::InvalidParameter {
                name: String::new(),
                problem: "has an empty name: give every parameter a name",
            });
        }
        if name == "Signature" {
            return Err(SignError::InvalidParameter {
                name: name.clone(),
                problem: "is added by the signer: remove it",
            });
        }
        sorted.push((name.replace('_', "."), value));
    }
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    if let Some(pair) = sorted.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(SignError::InvalidParameter {
            name: pair[0].0.clone(),
            problem: "is given twice (underscores count as dots): give each parameter once",
        });
    }
    for required in REQUIRED {
        if sorted.binary_search_by(|(k, _)| k.as_str().cmp(required)).is_err() {
            return Err(SignError::InvalidParameter {
                name: required.to_owned(),
                problem: "is missing: every v1 request carries Action, Nonce, Timestamp and SecretId",
            });
        }
    }

    let mut sign_string = String::with_capacity(
        8 + request.host.len() + sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>(),
    );
    sign_string.push_str(request.method.as_str());
    sign_string.push_str(&request.host);
    sign_string.push_str("/?");
    for (i, (name, value)) in sorted.iter().enumerate() {
        if i > 0 {
            sign_string.push('&');
        }
        sign_string.push_str(name);
        sign_string.push('=');
        sign_string.push_str(value);
    }

    let key = secret_key.expose_secret().as_bytes();
    let signature = match method {
        SignatureMethod::HmacSha1 => {
            let mac = match Hmac::<Sha1>::new_from_slice(key) {
                Ok(mac) => mac,
                Err(_) => unreachable!("HMAC takes keys of any length"),
            };
            base64::encode(&mac.chain_update(sign_string.as_bytes()).finalize().into_bytes())
        }
        SignatureMethod::HmacSha256 => base64::encode(&hmac_sha256(key, sign_string.as_bytes())),
    };

    let mut encoded = String::new();
    for (name, value) in request.params() {
        form_encode(&mut encoded, name);
        encoded.push('=');
        form_encode(&mut encoded, value);
        encoded.push('&');
    }
    encoded.push_str("Signature=");
    form_encode(&mut encoded, &signature);

    Ok(V1Output {
        sign_string,
        signature,
        encoded,
    })
}

/// `application/x-www-form-urlencoded`, as Python's `urlencode` (the official SDK) writes it.
fn form_encode(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> V1Request {
        V1Request::new(Method::Post, "cvm.tencentcloudapi.com")
            .param("Action", "DescribeInstances")
            .param("Nonce", "1")
            .param("Timestamp", "1465185768")
            .param("SecretId", "AKIDexample")
    }

    #[test]
    fn form_encoding_matches_urlencode() {
        let mut out = String::new();
        form_encode(&mut out, "a b+c/=&~_.-é");
        assert_eq!(out, "a+b%2Bc%2F%3D%26~_.-%C3%A9");
    }

    #[test]
    fn underscores_are_signed_as_dots_and_sent_unchanged() {
        let out = sign_v1(&Secret::new("k"), &base().param("Filters_0_Name", "zone")).unwrap();
        assert!(out.sign_string().contains("&Filters.0.Name=zone&"));
        assert!(out.encoded().contains("Filters_0_Name=zone"));
    }

    #[test]
    fn refuses_what_cannot_be_signed() {
        let key = Secret::new("k");
        let err = |r: V1Request| sign_v1(&key, &r).unwrap_err().to_string();
        assert!(err(base().param("A_b", "1").param("A.b", "2")).starts_with("parameter \"A.b\" is given twice"));
        assert!(err(base().param("Signature", "x")).starts_with("parameter \"Signature\" is added by the signer"));
        assert!(err(base().param("", "x")).starts_with("parameter \"\" has an empty name"));
        assert!(err(base().param("SignatureMethod", "HmacMD5")).starts_with("parameter \"SignatureMethod\" must be"));
        assert!(
            err(V1Request::new(Method::Get, "h").param("Action", "A")).starts_with("parameter \"Nonce\" is missing")
        );
        assert!(err(V1Request::new(Method::Get, "h\r\n")).starts_with("Host contains a control character"));
    }

    #[test]
    fn signature_method_chooses_the_hmac() {
        let key = Secret::new("k");
        let sha1 = sign_v1(&key, &base()).unwrap();
        let sha256 = sign_v1(&key, &base().param("SignatureMethod", "HmacSHA256")).unwrap();
        assert_eq!(sha1.signature().len(), 28);
        assert_eq!(sha256.signature().len(), 44);
    }

    #[test]
    fn debug_hides_values_and_signature() {
        let request = base().param("Token", "session-token-value");
        let out = sign_v1(&Secret::new("k"), &request).unwrap();
        let shown = format!("{request:?} {out:?}");
        assert!(!shown.contains("session-token-value"), "{shown}");
        assert!(!shown.contains(out.signature()), "{shown}");
    }
}
