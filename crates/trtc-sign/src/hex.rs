//! Lower-case hexadecimal for digests, written into the caller's buffer.
//!
//! Every signature holds two hex digests and returns a third; a general-purpose encoder that allocates a
//! `String` per digest was most of the signing time. This one writes straight into the output, which has
//! its capacity reserved: no allocation, no UTF-8 check, no temporary buffer.

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends the lower-case hex form of a 32-byte digest to `out`.
pub(crate) fn push32(out: &mut String, bytes: &[u8; 32]) {
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_every_nibble() {
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(17).wrapping_add(3);
        }
        let mut want = String::new();
        for b in bytes {
            want.push_str(&format!("{b:02x}"));
        }
        let mut got = String::new();
        push32(&mut got, &bytes);
        assert_eq!(got, want);
    }
}
