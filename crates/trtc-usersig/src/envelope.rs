//! The outer string: the JSON document in a zlib stream (RFC 1950), in base64 with `+/=` written `*-_`.
//!
//! Minting writes the stream as stored (uncompressed) deflate blocks, as the official Go package does by
//! default: every inflater reads them, and they cost no compressor state (a deflater's tables are hundreds of
//! KiB to set up, for a document of 200 bytes). Reading inflates any zlib stream, with the output capped.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::{Check, Error};

/// The largest document a received string may inflate to. A real one is under 500 bytes (a 32-byte user id
/// and a 64-byte string room); anything larger is refused as soon as inflating passes this size.
pub const MAX_DOCUMENT_BYTES: usize = 4096;

/// The longest received string read at all: the base64 of a stored zlib stream of the largest document, with
/// room to spare. Longer strings are refused before decoding.
pub const MAX_SIG_CHARS: usize = 8192;

/// Standard base64 that accepts the outer string with or without its padding.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The string for a document.
pub(crate) fn encode(document: &[u8]) -> String {
    let stream = zlib_stored(document);
    let mut text = STANDARD.encode(stream).into_bytes();
    for b in &mut text {
        *b = match *b {
            b'+' => b'*',
            b'/' => b'-',
            b'=' => b'_',
            other => other,
        };
    }
    // Only the base64 alphabet and `*-_` were written.
    String::from_utf8(text).unwrap_or_default()
}

/// The document inside a received string.
pub(crate) fn decode(sig: &str) -> Result<Vec<u8>, Error> {
    if sig.is_empty() {
        return Err(Error::rejected(Check::Malformed, "the string is empty"));
    }
    if sig.len() > MAX_SIG_CHARS {
        return Err(Error::rejected(
            Check::Malformed,
            format!(
                "the string is {} characters long, more than any UserSig ({MAX_SIG_CHARS})",
                sig.len()
            ),
        ));
    }
    let mut text = Vec::with_capacity(sig.len());
    for (at, b) in sig.bytes().enumerate() {
        text.push(match b {
            b'*' => b'+',
            b'-' => b'/',
            b'_' => b'=',
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => b,
            _ => {
                return Err(Error::rejected(
                    Check::Malformed,
                    format!(
                        "character {at} is not one of a UserSig's (letters, digits and *-_): is it the whole string, \
                         copied without quotes or spaces?"
                    ),
                ))
            }
        });
    }
    let stream = LENIENT
        .decode(&text)
        .map_err(|e| Error::rejected(Check::Malformed, format!("the string is not base64: {e}")))?;
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&stream, MAX_DOCUMENT_BYTES).map_err(|e| {
        let detail = match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                format!("the document inflates to more than {MAX_DOCUMENT_BYTES} bytes, far more than any UserSig")
            }
            status => format!("the decoded bytes are not a zlib stream ({status:?})"),
        };
        Error::rejected(Check::Malformed, detail)
    })
}

/// A zlib stream of stored deflate blocks: header, blocks of at most 65535 bytes, Adler-32.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let blocks = data.len().div_ceil(0xffff).max(1);
    let mut out = Vec::with_capacity(2 + blocks * 5 + data.len() + 4);
    // CMF 0x78: deflate with a 32 KiB window; FLG 0x01: no dictionary, "fastest", and (0x7801 % 31 == 0).
    out.extend_from_slice(&[0x78, 0x01]);
    let mut chunks = data.chunks(0xffff).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        // At most 0xffff by `chunks`.
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        out.push(u8::from(last));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// Adler-32 (RFC 1950): sums modulo 65521, reduced every 5552 bytes so they cannot overflow.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_of_known_inputs() {
        // RFC 1950's example value for "Wikipedia" is the common reference.
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert_eq!(adler32(b""), 1);
    }

    #[test]
    fn stored_streams_inflate_with_miniz() {
        for len in [0usize, 1, 200, 65535, 65536, 200_000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let stream = zlib_stored(&data);
            assert_eq!(
                miniz_oxide::inflate::decompress_to_vec_zlib(&stream).unwrap(),
                data,
                "len {len}"
            );
        }
    }

    #[test]
    fn round_trip_through_the_string() {
        let doc = br#"{"TLS.ver":"2.0"}"#;
        let sig = encode(doc);
        assert!(sig.bytes().all(|b| b.is_ascii_alphanumeric() || b"*-_".contains(&b)));
        assert_eq!(decode(&sig).unwrap(), doc);
    }

    #[test]
    fn a_zlib_bomb_stops_at_the_cap() {
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b'a'; 1 << 20], 9);
        let text = STANDARD
            .encode(bomb)
            .replace('+', "*")
            .replace('/', "-")
            .replace('=', "_");
        let err = decode(&text).unwrap_err();
        assert_eq!(err.check(), Some(Check::Malformed));
        assert!(err.to_string().contains("more than 4096 bytes"), "{err}");
    }
}
