//! The signing key of the day, derived once and shared by every request signed with the same SecretKey.

use std::sync::{Arc, Mutex};

use trtc_sign::{Credentials, SigningKey, Timestamp};

/// Keeps the last signing key derived. Deriving costs three HMACs, about as much as a signature; a client
/// signs with one SecretKey for one service almost always, so one slot is enough. The slot holds no copy of
/// the secret: a key is matched to credentials by [`SigningKey::is_for`].
#[derive(Debug, Default)]
pub(crate) struct KeyCache {
    slot: Mutex<Option<Arc<SigningKey>>>,
}

impl KeyCache {
    /// The key for `credentials`, `service` and the UTC date of `timestamp`, derived when the kept one is not it.
    pub(crate) fn key(&self, credentials: &Credentials, service: &str, timestamp: Timestamp) -> Arc<SigningKey> {
        let date = timestamp.date();
        let mut slot = self.slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*slot {
            Some(key) if key.is_for(credentials, date, service) => Arc::clone(key),
            _ => {
                let key = Arc::new(SigningKey::derive_for(credentials, date, service));
                *slot = Some(Arc::clone(&key));
                key
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_reused_for_the_same_secret_day_and_service_only() {
        let cache = KeyCache::default();
        let a = Credentials::new("AKIDa", "secret-a").unwrap();
        let b = Credentials::new("AKIDa", "secret-b").unwrap();
        let day = Timestamp::from_secs(1_700_000_000).unwrap();
        let next_day = Timestamp::from_secs(1_700_000_000 + 86_400).unwrap();
        let first = cache.key(&a, "trtc", day);
        assert!(Arc::ptr_eq(&first, &cache.key(&a, "trtc", day)));
        assert!(!Arc::ptr_eq(&first, &cache.key(&b, "trtc", day)), "another SecretKey");
        let for_b = cache.key(&b, "trtc", day);
        assert!(for_b.is_for(&b, day.date(), "trtc"));
        assert!(
            !cache.key(&b, "cvm", day).is_for(&b, day.date(), "trtc"),
            "another service"
        );
        assert_eq!(cache.key(&b, "cvm", next_day).date(), next_day.date(), "another day");
    }
}
