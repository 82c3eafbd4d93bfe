//! Lower-case hexadecimal for digests, without tables or allocation.
//!
//! Every signature writes three hex digests. Each group of four bytes becomes eight digits in one 64-bit
//! word: the nibbles are spread into the word's bytes with shifts and masks, and turned into digits by
//! adding `'0'`, plus `'a' - '0' - 10` where the nibble is 10 or more. A table of digit pairs needs two
//! dependent loads per byte, and its two-byte writes make the 16-byte reads that follow (copying the
//! digits, hashing them) wait for them to retire; here there is one load per four bytes and one write per
//! eight digits.

/// `0x01` in every byte of a word.
const ONES: u64 = u64::from_le_bytes([0x01; 8]);

/// The eight lower-case hex digits of four bytes, in order.
fn digits8(four: [u8; 4]) -> [u8; 8] {
    // b0 | b1 << 8 | b2 << 16 | b3 << 24 -> b0 | b1 << 16 | b2 << 32 | b3 << 48.
    let v = u64::from(u32::from_le_bytes(four));
    let v = (v | (v << 16)) & 0x0000_ffff_0000_ffff;
    let v = (v | (v << 8)) & 0x00ff_00ff_00ff_00ff;
    // Each 16-bit lane: the high nibble in its low byte (written first), the low nibble in its high byte.
    let nibbles = ((v >> 4) & 0x000f_000f_000f_000f) | ((v & 0x000f_000f_000f_000f) << 8);
    // 1 in each byte whose nibble is 10 or more (nibble + 6 reaches 16), 0 elsewhere; no carries cross
    // bytes, as no byte exceeds 0x15 or, after it, 0x66.
    let letters = ((nibbles + ONES * 0x06) >> 4) & ONES;
    // 0x27 (`'a' - '0' - 10`) where a byte of `letters` is 1: 0x3f masked, without a multiplication.
    let skip = ((letters << 6) - letters) & (ONES * 0x27);
    (nibbles + ONES * 0x30 + skip).to_le_bytes()
}

/// The lower-case hex form of a 32-byte digest.
pub(crate) fn encode32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    write32(&mut out, bytes);
    out
}

/// Appends the lower-case hex form of a 32-byte digest to `out`, in place (no 64-byte temporary to copy,
/// whose wide reads would wait on the narrow writes that built it).
pub(crate) fn push32(out: &mut Vec<u8>, bytes: &[u8; 32]) {
    let start = out.len();
    out.resize(start + 64, 0);
    if let Some(digits) = out.last_chunk_mut::<64>() {
        write32(digits, bytes);
    }
}

/// Writes the 64 digits of `bytes` into `out`.
fn write32(out: &mut [u8; 64], bytes: &[u8; 32]) {
    for (dst, four) in out.chunks_exact_mut(8).zip(bytes.chunks_exact(4)) {
        let mut group = [0u8; 4];
        group.copy_from_slice(four);
        dst.copy_from_slice(&digits8(group));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_every_byte_value_in_every_position() {
        for start in 0..=255u8 {
            let mut bytes = [0u8; 32];
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = start.wrapping_add((i as u8).wrapping_mul(37));
            }
            let want: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(std::str::from_utf8(&encode32(&bytes)).unwrap(), want);
            let mut pushed = b"prefix".to_vec();
            push32(&mut pushed, &bytes);
            assert_eq!(pushed, [b"prefix".as_slice(), want.as_bytes()].concat());
        }
    }
}
