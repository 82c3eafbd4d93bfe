//! The answers the emulator gives: API 3.0 envelopes with fresh request ids.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use serde_json::json;

/// An error answer: the code as the service spells it and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
}

/// A fresh request id in the service's UUID form (random, version 4 layout).
pub(crate) fn request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // RandomState is seeded randomly per process; hashing a counter with it gives unpredictable, unique ids.
    let seed = RandomState::new();
    let mut a = seed.build_hasher();
    a.write_u64(n);
    let hi = a.finish();
    let mut b = seed.build_hasher();
    b.write_u64(!n);
    let lo = b.finish();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0x0fff,
        0x8000 | (lo >> 48 & 0x3fff),
        lo & 0xffff_ffff_ffff
    )
}

pub(crate) fn success(request_id: &str) -> Bytes {
    Bytes::from(json!({ "Response": { "RequestId": request_id } }).to_string())
}

/// The page a gateway in front of the service answers with when the service is unreachable.
pub(crate) const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n";

pub(crate) fn error(failure: &Failure, request_id: &str) -> Bytes {
    Bytes::from(
        json!({ "Response": { "Error": { "Code": failure.code, "Message": failure.message }, "RequestId": request_id } })
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn request_ids_are_unique_uuids() {
        let a = super::request_id();
        let b = super::request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
    }
}
