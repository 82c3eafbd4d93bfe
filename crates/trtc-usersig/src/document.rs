//! The JSON document inside a UserSig, and the text its `TLS.sig` is the HMAC of.

use std::fmt::Write as _;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

use crate::{Check, Error};

/// The fields of a document, as read from one or about to be written.
pub(crate) struct Document {
    pub(crate) identifier: String,
    pub(crate) sdk_app_id: u64,
    pub(crate) time: u64,
    pub(crate) expire: u64,
    /// The userbuf's bytes and their standard base64, as signed.
    pub(crate) userbuf: Option<(Vec<u8>, String)>,
}

impl Document {
    /// `TLS.identifier:..\nTLS.sdkappid:..\nTLS.time:..\nTLS.expire:..\n[TLS.userbuf:..\n]`, in this order.
    pub(crate) fn content_to_sign(&self) -> String {
        let mut out =
            String::with_capacity(96 + self.identifier.len() + self.userbuf.as_ref().map_or(0, |u| u.1.len()));
        let _ = write!(
            out,
            "TLS.identifier:{}\nTLS.sdkappid:{}\nTLS.time:{}\nTLS.expire:{}\n",
            self.identifier, self.sdk_app_id, self.time, self.expire
        );
        if let Some((_, base64)) = &self.userbuf {
            out.push_str("TLS.userbuf:");
            out.push_str(base64);
            out.push('\n');
        }
        out
    }

    /// The JSON text with `sig` (the standard base64 of the HMAC) as `TLS.sig`.
    pub(crate) fn to_json(&self, sig: &str) -> String {
        let mut out = String::with_capacity(
            128 + self.identifier.len() + sig.len() + self.userbuf.as_ref().map_or(0, |u| u.1.len()),
        );
        out.push_str(r#"{"TLS.ver":"2.0","TLS.identifier":""#);
        // Control characters were refused; what JSON still needs escaped is the quote and the backslash.
        for c in self.identifier.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        let _ = write!(
            out,
            r#"","TLS.sdkappid":{},"TLS.expire":{},"TLS.time":{}"#,
            self.sdk_app_id, self.expire, self.time
        );
        if let Some((_, base64)) = &self.userbuf {
            out.push_str(r#","TLS.userbuf":""#);
            out.push_str(base64);
            out.push('"');
        }
        out.push_str(r#","TLS.sig":""#);
        out.push_str(sig);
        out.push_str("\"}");
        out
    }

    /// Reads a document and its `TLS.sig`, or says which field is missing or wrong.
    pub(crate) fn parse(json: &[u8]) -> Result<(Document, Vec<u8>), Error> {
        let malformed = |detail: String| Error::rejected(Check::Malformed, detail);
        let value: Value =
            serde_json::from_slice(json).map_err(|e| malformed(format!("the document is not JSON ({e})")))?;
        let Value::Object(map) = value else {
            return Err(malformed("the document is not a JSON object".to_owned()));
        };
        let field = |name: &str| {
            map.get(name)
                .ok_or_else(|| malformed(format!("the document has no {name}")))
        };
        let string = |name: &str| -> Result<&str, Error> {
            field(name)?
                .as_str()
                .ok_or_else(|| malformed(format!("{name} is not a string")))
        };
        let integer = |name: &str| -> Result<u64, Error> {
            field(name)?
                .as_u64()
                .ok_or_else(|| malformed(format!("{name} is not a whole number of at most 64 bits")))
        };
        let base64 = |name: &str, text: &str| -> Result<Vec<u8>, Error> {
            STANDARD
                .decode(text)
                .map_err(|e| malformed(format!("{name} is not standard base64 ({e})")))
        };
        let identifier = string("TLS.identifier")?.to_owned();
        let sdk_app_id = integer("TLS.sdkappid")?;
        let time = integer("TLS.time")?;
        let expire = integer("TLS.expire")?;
        let sig = base64("TLS.sig", string("TLS.sig")?)?;
        if sig.len() != 32 {
            return Err(malformed(format!(
                "TLS.sig is {} bytes, not the 32 of an HMAC-SHA256",
                sig.len()
            )));
        }
        let userbuf = match map.get("TLS.userbuf") {
            None | Some(Value::Null) => None,
            Some(_) => {
                let bytes = base64("TLS.userbuf", string("TLS.userbuf")?)?;
                // Signed as the canonical base64 of the bytes, as the official verifiers re-encode it.
                let text = STANDARD.encode(&bytes);
                Some((bytes, text))
            }
        };
        Ok((
            Document {
                identifier,
                sdk_app_id,
                time,
                expire,
                userbuf,
            },
            sig,
        ))
    }
}
