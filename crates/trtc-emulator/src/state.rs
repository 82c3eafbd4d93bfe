//! Everything a running emulator keeps, each part behind its own lock, shared by the connections, the admin
//! API and the [`Emulator`](crate::Emulator) handle: the credentials, the rooms and their users, the journal,
//! the faults being injected and the rate limiter, with the configuration it started from.
//!
//! A request holds each lock only for the step that needs it: the credentials (read) while its signature is
//! checked, the limiter while it is counted, the rooms (with the tasks working in them) while its action
//! runs, the faults and the journal for a moment each. The event callbacks (targets, the deliveries, the queue
//! to their worker) are one field more, locked inside.

use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard};

use crate::callbacks::{Callbacks, Cause};
use crate::config::CredentialEntry;
use crate::config::EmulatorConfig;
use crate::error::Error;
use crate::faults::FaultPlan;
use crate::faults::FaultState;
use crate::journal::{Journal, JournalEntry, Record};
use crate::keyring::Keyring;
use crate::lock::{lock, read, write};
use crate::rate_limit::Limiter;
use crate::rate_limit::RateLimit;
use crate::rooms::{RoomId, RoomSnapshot, Rooms};
use crate::sdk_keys::SdkAppKeys;
use crate::tasks::TaskSnapshot;

/// The state of one running emulator.
pub(crate) struct State {
    /// What it started with, for [`State::reset`].
    initial: EmulatorConfig,
    credentials: RwLock<Keyring>,
    rooms: Mutex<Rooms>,
    journal: Mutex<Journal>,
    faults: Mutex<FaultState>,
    limiter: Mutex<Limiter>,
    sdk_app_keys: Mutex<SdkAppKeys>,
    /// How far a request's timestamp may be from the clock, in seconds.
    pub(crate) max_clock_skew_secs: u64,
    /// Whether the admin API is served.
    pub(crate) admin_api: bool,
    /// The callback targets and the deliveries (locked inside, apart from the rooms).
    pub(crate) callbacks: Callbacks,
}

/// The rooms of the configuration, with their users.
fn seeded_rooms(config: &EmulatorConfig) -> Rooms {
    let mut rooms = Rooms::default();
    for seed in &config.rooms {
        rooms.create(seed.sdk_app_id, seed.room.clone());
        rooms.enter(seed.sdk_app_id, seed.room.clone(), seed.users.iter().cloned());
    }
    rooms
}

impl State {
    /// The state at start, as `config` describes it (already checked).
    pub(crate) fn new(config: EmulatorConfig) -> State {
        State {
            credentials: RwLock::new(Keyring::new(&config.credentials)),
            rooms: Mutex::new(seeded_rooms(&config)),
            journal: Mutex::new(Journal::with_capacity(config.journal_capacity)),
            faults: Mutex::new(FaultState::new(config.faults.clone())),
            limiter: Mutex::new(Limiter::new(config.rate_limit)),
            sdk_app_keys: Mutex::new(SdkAppKeys::new(&config.sdk_app_keys)),
            max_clock_skew_secs: config.max_clock_skew_secs,
            admin_api: config.admin_api,
            callbacks: Callbacks::new(&config.callbacks),
            initial: config,
        }
    }

    /// The credentials in force, for checking a request's signature.
    pub(crate) fn keyring(&self) -> RwLockReadGuard<'_, Keyring> {
        read(&self.credentials)
    }

    /// The rooms, for an action to run on or a read.
    pub(crate) fn rooms(&self) -> MutexGuard<'_, Rooms> {
        lock(&self.rooms)
    }

    /// The applications' SDK secret keys, for checking UserSigs.
    pub(crate) fn sdk_app_keys(&self) -> MutexGuard<'_, SdkAppKeys> {
        lock(&self.sdk_app_keys)
    }

    /// The rate limiter, for counting a request.
    pub(crate) fn limiter(&self) -> MutexGuard<'_, Limiter> {
        lock(&self.limiter)
    }

    /// The faults being injected, for deciding a request's fate.
    pub(crate) fn faults(&self) -> MutexGuard<'_, FaultState> {
        lock(&self.faults)
    }

    /// Journals a request.
    pub(crate) fn record(&self, entry: Record) {
        lock(&self.journal).push(entry);
    }

    /// Creates a room; `false` if it already existed.
    pub(crate) fn create_room(&self, sdk_app_id: u64, room: RoomId) -> bool {
        self.rooms().create(sdk_app_id, room)
    }

    /// Puts users in a room, creating it if needed.
    pub(crate) fn add_users(&self, sdk_app_id: u64, room: RoomId, users: Vec<String>) {
        if !users.is_empty() {
            let entered = room.clone();
            self.change_rooms(Some(sdk_app_id), Some(&entered), Some(Cause::Enter), |rooms| {
                rooms.enter(sdk_app_id, room, users)
            });
        }
    }

    /// Runs `change` on the rooms; when it is a change of who is in `room` of `sdk_app_id` (`cause`), the
    /// callbacks of that application are queued for what changed.
    pub(crate) fn change_rooms<R>(
        &self,
        sdk_app_id: Option<u64>,
        room: Option<&RoomId>,
        cause: Option<Cause>,
        change: impl FnOnce(&mut Rooms) -> R,
    ) -> R {
        let mut rooms = self.rooms();
        let Some(app) = sdk_app_id else {
            return change(&mut rooms);
        };
        // Tasks start and end with their own actions, and with the room's end: each change is watched for both.
        let dismissed = matches!(cause, Some(Cause::Dismiss));
        self.callbacks
            .observe_tasks(&mut rooms, app, dismissed, |rooms| match (room, cause) {
                (Some(room), Some(cause)) => self.callbacks.observe(rooms, app, room, cause, change),
                _ => change(rooms),
            })
    }

    /// Every room with its users, sorted by application and room.
    pub(crate) fn room_snapshots(&self) -> Vec<RoomSnapshot> {
        self.rooms().snapshot()
    }

    /// Every task, oldest first.
    pub(crate) fn task_snapshots(&self) -> Vec<TaskSnapshot> {
        self.rooms().tasks.snapshot()
    }

    /// Adds the credential, replacing one with the same SecretId.
    pub(crate) fn add_credential(&self, entry: CredentialEntry) -> Result<(), Error> {
        entry.check("credential")?;
        write(&self.credentials).add(entry);
        Ok(())
    }

    /// Lets the credential `secret_id` act on `sdk_app_id`; `false` if no credential has that SecretId.
    pub(crate) fn grant_app(&self, secret_id: &str, sdk_app_id: u64) -> bool {
        write(&self.credentials).grant_app(secret_id, sdk_app_id)
    }

    /// The journal's entries, oldest first.
    pub(crate) fn journal(&self) -> Vec<JournalEntry> {
        lock(&self.journal).entries()
    }

    /// Empties the journal.
    pub(crate) fn clear_journal(&self) {
        lock(&self.journal).clear();
    }

    /// The faults in force, with "next N" counts as they stand now.
    pub(crate) fn fault_plan(&self) -> FaultPlan {
        self.faults().current()
    }

    /// Replaces the faults; refused for a rate outside 0..=1.
    pub(crate) fn set_faults(&self, plan: FaultPlan) -> Result<(), Error> {
        plan.check()?;
        *self.faults() = FaultState::new(plan);
        Ok(())
    }

    /// The rate limit in force.
    pub(crate) fn rate_limit(&self) -> RateLimit {
        self.limiter().limit()
    }

    /// Replaces the rate limit, forgetting the requests counted so far.
    pub(crate) fn set_rate_limit(&self, limit: RateLimit) {
        *self.limiter() = Limiter::new(limit);
    }

    /// Back to the state at start: credentials, rooms, rate limit and faults as configured; journal empty.
    pub(crate) fn reset(&self) {
        *write(&self.credentials) = Keyring::new(&self.initial.credentials);
        *self.rooms() = seeded_rooms(&self.initial);
        *self.faults() = FaultState::new(self.initial.faults.clone());
        *self.limiter() = Limiter::new(self.initial.rate_limit);
        *self.sdk_app_keys() = SdkAppKeys::new(&self.initial.sdk_app_keys);
        self.callbacks.reset();
        self.clear_journal();
    }
}
