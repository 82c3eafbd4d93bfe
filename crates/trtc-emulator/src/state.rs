//! The emulated service's state: which rooms exist in which application.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// Rooms per application, shared by the request handler and the admin API.
#[derive(Debug, Default)]
pub(crate) struct Rooms {
    by_app: Mutex<HashMap<u64, HashSet<u64>>>,
}

impl Rooms {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, HashSet<u64>>> {
        // A panic elsewhere while holding the lock leaves the map itself intact.
        self.by_app.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn create(&self, sdk_app_id: u64, room_id: u64) -> bool {
        self.lock().entry(sdk_app_id).or_default().insert(room_id)
    }

    pub(crate) fn exists(&self, sdk_app_id: u64, room_id: u64) -> bool {
        self.lock()
            .get(&sdk_app_id)
            .is_some_and(|rooms| rooms.contains(&room_id))
    }

    /// Removes the room; `false` when it did not exist.
    pub(crate) fn dismiss(&self, sdk_app_id: u64, room_id: u64) -> bool {
        self.lock()
            .get_mut(&sdk_app_id)
            .is_some_and(|rooms| rooms.remove(&room_id))
    }

    pub(crate) fn count(&self) -> usize {
        self.lock().values().map(HashSet::len).sum()
    }
}
