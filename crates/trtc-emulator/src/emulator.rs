//! The handle of a running emulator: starting it, its Rust admin methods, stopping it.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::admin::ADMIN_PREFIX;
use crate::callback_target::CallbackTarget;
use crate::callbacks::Delivery;
use crate::config::{CredentialEntry, EmulatorConfig};
use crate::enter::{EnterRequest, Entered, Refused};
use crate::error::Error;
use crate::faults::{FaultPlan, FaultState};
use crate::journal::JournalEntry;
use crate::rate_limit::RateLimit;
use crate::rooms::{RoomId, RoomSnapshot};
use crate::sdk_keys::SdkAppKey;
use crate::server;
use crate::state::State;
use crate::tasks::TaskSnapshot;

/// A running emulator. Dropping it (or calling [`shutdown`](Emulator::shutdown)) stops it.
///
/// ```
/// use trtc_emulator::{Emulator, EmulatorConfig, RoomId};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let emulator = Emulator::start(EmulatorConfig::demo(1400000001).room(1400000001, 1234)).await?;
/// assert!(emulator.endpoint().starts_with("http://127.0.0.1:"));
/// assert!(emulator.room_exists(1400000001, 1234));
/// emulator.add_users(1400000001, "class-7", ["alice", "bob"]);
/// assert_eq!(emulator.room(1400000001, "class-7").unwrap().users.len(), 2);
/// assert!(emulator.journal().is_empty());
/// emulator.shutdown().await;
/// # Ok(()) }
/// ```
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<State>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Binds the configured address and starts serving on the current tokio runtime.
    ///
    /// Fails with [`std::io::ErrorKind::InvalidInput`] (wrapping an [`Error`]) for a configuration no
    /// request could succeed with (an unusable credential, a fault rate outside 0..=1), and with the
    /// bind error when the address is taken.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        config
            .check()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::new(config));
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::accept_loop(listener, Arc::clone(&state), stopped));
        Ok(Emulator {
            addr,
            state,
            stop,
            task,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint to give a client: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The admin API's base URL: `http://127.0.0.1:PORT/_emulator/`.
    pub fn admin_url(&self) -> String {
        format!("http://{}{ADMIN_PREFIX}", self.addr)
    }

    /// Creates a numeric room; `false` if it already existed.
    pub fn create_room(&self, sdk_app_id: u64, room_id: u64) -> bool {
        self.state.create_room(sdk_app_id, RoomId::Number(room_id))
    }

    /// Creates a string room; `false` if it already existed.
    pub fn create_str_room(&self, sdk_app_id: u64, room_id: &str) -> bool {
        self.state.create_room(sdk_app_id, RoomId::from(room_id))
    }

    /// Puts users in a room (numeric for a `u64`, string for a `&str`), creating the room if needed, as a
    /// user entering does. Users already there keep their block state.
    pub fn add_users(
        &self,
        sdk_app_id: u64,
        room: impl Into<RoomId>,
        users: impl IntoIterator<Item = impl Into<String>>,
    ) {
        self.state
            .add_users(sdk_app_id, room.into(), users.into_iter().map(Into::into).collect());
    }

    /// Sends `target.sdk_app_id`'s event callbacks to `target.url`, signed with `target.key` (replacing
    /// an earlier target of that application).
    pub fn set_callback_target(&self, target: CallbackTarget) -> Result<(), Error> {
        self.state.callbacks.set_target(&target)
    }

    /// Every callback sent since the start (or the last reset), with its attempts, oldest first.
    pub fn callback_deliveries(&self) -> Vec<Delivery> {
        self.state.callbacks.deliveries()
    }

    /// Whether the numeric room exists.
    pub fn room_exists(&self, sdk_app_id: u64, room_id: u64) -> bool {
        self.state.rooms().exists(sdk_app_id, &RoomId::Number(room_id))
    }

    /// The room and its users, if it exists.
    pub fn room(&self, sdk_app_id: u64, room: impl Into<RoomId>) -> Option<RoomSnapshot> {
        self.state.rooms().room(sdk_app_id, &room.into())
    }

    /// Every room with its users, sorted by application and room.
    pub fn rooms(&self) -> Vec<RoomSnapshot> {
        self.state.room_snapshots()
    }

    /// How many rooms exist across all applications.
    pub fn room_count(&self) -> usize {
        self.state.rooms().count()
    }

    /// Every task a start began and nothing has ended yet, oldest first.
    pub fn tasks(&self) -> Vec<TaskSnapshot> {
        self.state.task_snapshots()
    }

    /// Moves a task to `status`, one its family documents (e.g. `Exited` for a recording), as the service
    /// moves it on its own; refused for an unknown TaskId or status.
    pub fn set_task_status(&self, task_id: &str, status: &str) -> Result<(), Error> {
        self.state.rooms().tasks.set_status(task_id, status)
    }

    /// Makes the task fail: its describe and modify answer `code` (e.g. `InternalError.CRInternalError`)
    /// with `message`, so a client's error path can be tested; its stop still ends it.
    pub fn fail_task(&self, task_id: &str, code: &str, message: &str) -> Result<(), Error> {
        self.state.rooms().tasks.fail(task_id, code, Some(message))
    }

    /// Ends the task as the service ends one on its own: its TaskId then answers the family's not-found code.
    pub fn end_task(&self, task_id: &str) -> Result<(), Error> {
        self.state.rooms().tasks.end(task_id)
    }

    /// Accepts another credential (replacing one with the same SecretId); refused when it could never sign.
    pub fn add_credential(&self, entry: CredentialEntry) -> Result<(), Error> {
        self.state.add_credential(entry)
    }

    /// Lets the credential `secret_id` act on the application `sdk_app_id`; `false` if there is no such credential.
    pub fn grant_app(&self, secret_id: &str, sdk_app_id: u64) -> bool {
        self.state.grant_app(secret_id, sdk_app_id)
    }

    /// The requests received so far (oldest first, at most
    /// [`EmulatorConfig::journal_capacity`](crate::EmulatorConfig::journal_capacity)), admin requests excluded.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.state.journal()
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        self.state.clear_journal();
    }

    /// The faults in force, with "next N" counts as they stand now.
    pub fn faults(&self) -> FaultPlan {
        self.state.fault_plan()
    }

    /// Replaces the faults (their PRNG restarts from the plan's seed); refused for a rate outside 0..=1.
    pub fn set_faults(&self, plan: FaultPlan) -> Result<(), Error> {
        self.state.set_faults(plan)
    }

    /// Injects no more faults.
    pub fn clear_faults(&self) {
        *self.state.faults() = FaultState::new(FaultPlan::new());
    }

    /// The rate limit in force.
    pub fn rate_limit(&self) -> RateLimit {
        self.state.rate_limit()
    }

    /// Replaces the rate limit, forgetting the requests counted so far.
    pub fn set_rate_limit(&self, limit: RateLimit) {
        self.state.set_rate_limit(limit);
    }

    /// Back to the state at start: credentials, rooms, rate limit and faults as configured; journal empty.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Serves until the process is stopped or the task is cancelled.
    pub async fn serve_forever(mut self) {
        let _ = (&mut self.task).await;
    }

    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        let _ = (&mut self.task).await;
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

impl Emulator {
    /// Sets (or replaces) an application's SDK secret key, used by [`enter`](Emulator::enter).
    pub fn set_sdk_app_key(&self, key: SdkAppKey) -> Result<(), Error> {
        self.state.sdk_app_keys().set(&key)
    }

    /// Plays a client entering a room: verifies the UserSig (and with permission control the PrivateMapKey's
    /// room and `enter` bit) with the application's SDK secret key at the system clock's time, then puts the
    /// user in the room, creating it as the service does. The room actions then see that user.
    pub fn enter(&self, request: EnterRequest) -> Result<Entered, Refused> {
        crate::enter::enter(&self.state, request)
    }
}
