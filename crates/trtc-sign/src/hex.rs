//! Lower-case hexadecimal for digests, written into the caller's buffer.
//!
//! Every signature writes three hex digests. A general-purpose encoder that allocates a `String` per
//! digest was most of the signing time, and so was a byte-at-a-time loop; this one turns eight input bytes
//! into sixteen digits at a time in a `u128` (SWAR), with no allocation and no table.

/// The lower-case hex form of a 32-byte digest.
pub(crate) fn encode32(bytes: &[u8; 32]) -> [u8; 64] {
    const LOW_NIBBLES: u128 = 0x000f_000f_000f_000f_000f_000f_000f_000f;
    const ONES: u128 = 0x0101_0101_0101_0101_0101_0101_0101_0101;
    let mut out = [0u8; 64];
    for (dst, src) in out.chunks_exact_mut(16).zip(bytes.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(src);
        // Spread the eight bytes into eight 16-bit lanes, the first byte in the top lane.
        let mut x = u128::from(u64::from_be_bytes(word));
        x = (x | (x << 32)) & 0x0000_0000_ffff_ffff_0000_0000_ffff_ffff;
        x = (x | (x << 16)) & 0x0000_ffff_0000_ffff_0000_ffff_0000_ffff;
        x = (x | (x << 8)) & 0x00ff_00ff_00ff_00ff_00ff_00ff_00ff_00ff;
        // Each lane becomes [high nibble, low nibble], one nibble per byte.
        let nibbles = (((x >> 4) & LOW_NIBBLES) << 8) | (x & LOW_NIBBLES);
        // '0' + n, plus 39 more for n >= 10 ('a' - '0' - 10): no byte ever carries into the next.
        let letters = ((nibbles + 6 * ONES) >> 4) & ONES;
        let digits = nibbles + 0x30 * ONES + 39 * letters;
        dst.copy_from_slice(&digits.to_be_bytes());
    }
    out
}

/// Appends the lower-case hex form of a 32-byte digest to `out`.
pub(crate) fn push32(out: &mut String, bytes: &[u8; 32]) {
    let hex = encode32(bytes);
    // The digits are ASCII, so this never falls back to the empty string.
    out.push_str(std::str::from_utf8(&hex).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_every_byte_value() {
        for start in (0..=255u8).step_by(32) {
            let mut bytes = [0u8; 32];
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = start.wrapping_add(i as u8);
            }
            let want: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let mut got = String::new();
            push32(&mut got, &bytes);
            assert_eq!(got, want);
        }
    }
}
