//! SHA-256 and HMAC-SHA256 for short messages, driving the `sha2` crate's compression function directly.
//!
//! The compression itself (SHA-NI where the CPU has it) is `sha2`'s; only the padding and the HMAC
//! construction live here. A TC3 signature hashes four short messages, and the generic `Digest` and `Mac`
//! wrappers spent more time than the seven compressions themselves: copying each message through a block
//! buffer, and cloning a 400-byte HMAC state per signature. Here a keyed HMAC is two 32-byte midstates
//! (copied for free), whole blocks are compressed straight from the message, and only the last one or two
//! blocks are padded on the stack.
//!
//! Checked against `sha2::Sha256` and `hmac::Hmac` (neither written here) on random inputs of every length
//! around the block boundaries in the tests below, and against the published signature examples.

use zeroize::Zeroize;

use sha2::digest::consts::U64;
use sha2::digest::generic_array::GenericArray;

/// The SHA-256 block size in bytes.
const BLOCK: usize = 64;

/// One block, as `sha2::compress256` takes them.
type Block = GenericArray<u8, U64>;

/// SHA-256's initial hash value (FIPS 180-4, 5.3.3).
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// A SHA-256 computation after some whole blocks: the chaining state and how many bytes it has absorbed.
#[derive(Clone, Copy)]
pub(crate) struct Midstate {
    state: [u32; 8],
    absorbed: u64,
}

impl Midstate {
    /// Nothing absorbed yet.
    pub(crate) const fn new() -> Self {
        Midstate { state: IV, absorbed: 0 }
    }

    /// Absorbs exactly one block.
    fn absorb_block(&mut self, block: &[u8; BLOCK]) {
        sha2::compress256(&mut self.state, std::slice::from_ref(GenericArray::from_slice(block)));
        self.absorbed += BLOCK as u64;
    }

    /// Absorbs the last of the message and returns the digest.
    ///
    /// All but the last whole block are compressed straight from the message; the last whole block, the
    /// rest and the padding are copied into one buffer and compressed in a single call, which saves the
    /// per-call cost of loading and storing the state (a tenth of a block's time with SHA-NI).
    pub(crate) fn finish(mut self, data: &[u8]) -> [u8; 32] {
        let direct = (data.len() / BLOCK).saturating_sub(1) * BLOCK;
        let (head, rest) = data.split_at(direct);
        for block in head.chunks_exact(BLOCK) {
            // `chunks_exact` yields BLOCK-byte slices only.
            if let Ok(block) = <&[u8; BLOCK]>::try_from(block) {
                self.absorb_block(block);
            }
        }
        // `rest` is under two blocks; with 0x80 and the 8-byte length it takes one to three.
        let bits = (self.absorbed + rest.len() as u64) * 8;
        let blocks = (rest.len() + 9).div_ceil(BLOCK);
        let mut tail: [Block; 3] = Default::default();
        for (block, chunk) in tail.iter_mut().zip(rest.chunks(BLOCK)) {
            block[..chunk.len()].copy_from_slice(chunk);
        }
        tail[rest.len() / BLOCK][rest.len() % BLOCK] = 0x80;
        tail[blocks - 1][BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
        sha2::compress256(&mut self.state, &tail[..blocks]);
        let mut out = [0u8; 32];
        for (bytes, word) in out.chunks_exact_mut(4).zip(self.state) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

/// `SHA-256(data)`.
pub(crate) fn digest(data: &[u8]) -> [u8; 32] {
    Midstate::new().finish(data)
}

/// HMAC-SHA256 with its key's inner and outer pads already absorbed (RFC 2104): signing a message then
/// costs only the message's blocks and one block for the outer hash.
///
/// The midstates are as good as the key for forging MACs, so they are wiped when the key is dropped and the
/// type is not `Copy` (no silent copies left behind).
#[derive(Clone)]
pub(crate) struct HmacKey {
    inner: Midstate,
    outer: Midstate,
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        self.inner.state.zeroize();
        self.outer.state.zeroize();
    }
}

impl HmacKey {
    /// Keys an HMAC with `key` of any length (a key longer than a block is hashed first, as RFC 2104 says).
    pub(crate) fn new(key: &[u8]) -> Self {
        let hashed;
        let key = if key.len() > BLOCK {
            hashed = digest(key);
            &hashed[..]
        } else {
            key
        };
        let mut ipad = [0x36u8; BLOCK];
        let mut opad = [0x5cu8; BLOCK];
        for ((i, o), k) in ipad.iter_mut().zip(opad.iter_mut()).zip(key) {
            *i ^= k;
            *o ^= k;
        }
        let mut inner = Midstate::new();
        inner.absorb_block(&ipad);
        let mut outer = Midstate::new();
        outer.absorb_block(&opad);
        // The pads are the key XORed with constants.
        ipad.zeroize();
        opad.zeroize();
        HmacKey { inner, outer }
    }

    /// `HMAC-SHA256(key, data)`.
    pub(crate) fn mac(&self, data: &[u8]) -> [u8; 32] {
        self.outer.finish(&self.inner.finish(data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::Mac;
    use proptest::prelude::*;
    use sha2::Digest;

    fn reference_hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn every_length_across_three_blocks_matches_sha2() {
        let data: Vec<u8> = (0..=200u8).collect();
        for len in 0..data.len() {
            let want: [u8; 32] = sha2::Sha256::digest(&data[..len]).into();
            assert_eq!(digest(&data[..len]), want, "length {len}");
        }
    }

    #[test]
    fn fips_180_examples() {
        // FIPS 180-4 appendix examples ("abc" and the two-block message).
        assert_eq!(
            crate::hex::encode32(&digest(b"abc")),
            *b"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            crate::hex::encode32(&digest(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            *b"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn rfc_4231_case_2() {
        assert_eq!(
            crate::hex::encode32(&HmacKey::new(b"Jefe").mac(b"what do ya want for nothing?")),
            *b"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    proptest! {
        #[test]
        fn hmac_matches_the_hmac_crate(key in proptest::collection::vec(any::<u8>(), 0..200),
                                       data in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(HmacKey::new(&key).mac(&data), reference_hmac(&key, &data));
        }

        #[test]
        fn digest_matches_sha2(data in proptest::collection::vec(any::<u8>(), 0..600)) {
            let want: [u8; 32] = sha2::Sha256::digest(&data).into();
            prop_assert_eq!(digest(&data), want);
        }
    }
}
