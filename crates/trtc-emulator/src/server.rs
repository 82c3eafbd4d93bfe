//! The HTTP side and the handle: accept connections, read each request whole, route admin requests, apply
//! injected faults, run the gateway's checks and the action, journal the outcome, answer.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming as IncomingBody;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::admin::{self, ADMIN_PREFIX};
use crate::callbacks::{Callbacks, Cause};
use crate::config::CredentialEntry;
use crate::faults::{Fault, FaultState};
use crate::gateway;
use crate::journal::{Journal, JournalEntry, Outcome, Record};
use crate::keyring::Keyring;
use crate::rate_limit::Limiter;
use crate::reply::{self, Failure, RequestId};
use crate::state::{RoomSnapshot, Rooms};
use crate::{EmulatorConfig, Error, FaultPlan, RateLimit, RoomId};

/// The largest request body accepted, as the service documents for TC3 POST requests.
const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Locks a mutex; a panic elsewhere while holding it leaves the data itself usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An application and the SecretIds that own it, as the admin API lists them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AppView {
    sdk_app_id: u64,
    secret_ids: Vec<String>,
}

/// Everything a running emulator keeps, shared by the connections, the admin API and the [`Emulator`] handle.
pub(crate) struct Shared {
    initial: EmulatorConfig,
    pub(crate) credentials: RwLock<Keyring>,
    pub(crate) rooms: Mutex<Rooms>,
    journal: Mutex<Journal>,
    faults: Mutex<FaultState>,
    pub(crate) limiter: Mutex<Limiter>,
    pub(crate) max_clock_skew_secs: u64,
    admin_api: bool,
    pub(crate) callbacks: Callbacks,
}

fn seeded_rooms(config: &EmulatorConfig) -> Rooms {
    let mut rooms = Rooms::default();
    for seed in &config.rooms {
        rooms.create(seed.sdk_app_id, seed.room.clone());
        rooms.enter(seed.sdk_app_id, seed.room.clone(), seed.users.iter().cloned());
    }
    rooms
}

impl Shared {
    fn new(config: EmulatorConfig) -> Shared {
        Shared {
            credentials: RwLock::new(Keyring::new(&config.credentials)),
            rooms: Mutex::new(seeded_rooms(&config)),
            journal: Mutex::new(Journal::with_capacity(config.journal_capacity)),
            faults: Mutex::new(FaultState::new(config.faults.clone())),
            limiter: Mutex::new(Limiter::new(config.rate_limit)),
            max_clock_skew_secs: config.max_clock_skew_secs,
            admin_api: config.admin_api,
            callbacks: Callbacks::new(&config.callbacks),
            initial: config,
        }
    }

    fn write_credentials(&self) -> std::sync::RwLockWriteGuard<'_, Keyring> {
        self.credentials
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn create_room(&self, sdk_app_id: u64, room: RoomId) -> bool {
        lock(&self.rooms).create(sdk_app_id, room)
    }

    pub(crate) fn add_users(&self, sdk_app_id: u64, room: RoomId, users: Vec<String>) {
        if !users.is_empty() {
            let mut rooms = lock(&self.rooms);
            let entered = room.clone();
            self.callbacks
                .observe(&mut rooms, sdk_app_id, &entered, Cause::Enter, |rooms| {
                    rooms.enter(sdk_app_id, room, users)
                });
        }
    }

    pub(crate) fn rooms(&self) -> Vec<RoomSnapshot> {
        lock(&self.rooms).snapshot()
    }

    pub(crate) fn apps(&self) -> Vec<AppView> {
        let mut apps: BTreeMap<u64, Vec<String>> = BTreeMap::new();
        let credentials = self.credentials.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        for entry in credentials.entries() {
            for &app in &entry.sdk_app_ids {
                apps.entry(app).or_default().push(entry.secret_id.clone());
            }
        }
        apps.into_iter()
            .map(|(sdk_app_id, secret_ids)| AppView { sdk_app_id, secret_ids })
            .collect()
    }

    /// Adds the credential, replacing one with the same SecretId.
    pub(crate) fn add_credential(&self, entry: CredentialEntry) -> Result<(), Error> {
        entry.check("credential")?;
        self.write_credentials().add(entry);
        Ok(())
    }

    /// Lets the credential `secret_id` act on `sdk_app_id`; `false` if no credential has that SecretId.
    pub(crate) fn grant_app(&self, secret_id: &str, sdk_app_id: u64) -> bool {
        self.write_credentials().grant_app(secret_id, sdk_app_id)
    }

    pub(crate) fn journal(&self) -> Vec<JournalEntry> {
        lock(&self.journal).entries()
    }

    pub(crate) fn clear_journal(&self) {
        lock(&self.journal).clear();
    }

    pub(crate) fn faults(&self) -> FaultPlan {
        lock(&self.faults).current()
    }

    pub(crate) fn set_faults(&self, plan: FaultPlan) -> Result<(), Error> {
        plan.check()?;
        *lock(&self.faults) = FaultState::new(plan);
        Ok(())
    }

    pub(crate) fn rate_limit(&self) -> RateLimit {
        lock(&self.limiter).limit()
    }

    pub(crate) fn set_rate_limit(&self, limit: RateLimit) {
        *lock(&self.limiter) = Limiter::new(limit);
    }

    /// Back to the state at start: credentials, rooms, rate limit and faults as configured; journal empty.
    pub(crate) fn reset(&self) {
        *self.write_credentials() = Keyring::new(&self.initial.credentials);
        *lock(&self.rooms) = seeded_rooms(&self.initial);
        *lock(&self.faults) = FaultState::new(self.initial.faults.clone());
        *lock(&self.limiter) = Limiter::new(self.initial.rate_limit);
        self.callbacks.reset();
        self.clear_journal();
    }

    fn record(&self, entry: Record) {
        lock(&self.journal).push(entry);
    }
}

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
    shared: Arc<Shared>,
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
        let shared = Arc::new(Shared::new(config));
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared), stopped));
        Ok(Emulator {
            addr,
            shared,
            stop,
            task,
        })
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
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
        self.shared.create_room(sdk_app_id, RoomId::Number(room_id))
    }

    /// Creates a string room; `false` if it already existed.
    pub fn create_str_room(&self, sdk_app_id: u64, room_id: &str) -> bool {
        self.shared.create_room(sdk_app_id, RoomId::from(room_id))
    }

    /// Puts users in a room (numeric for a `u64`, string for a `&str`), creating the room if needed, as a
    /// user entering does. Users already there keep their block state.
    pub fn add_users(
        &self,
        sdk_app_id: u64,
        room: impl Into<RoomId>,
        users: impl IntoIterator<Item = impl Into<String>>,
    ) {
        self.shared
            .add_users(sdk_app_id, room.into(), users.into_iter().map(Into::into).collect());
    }

    /// Whether the numeric room exists.
    pub fn room_exists(&self, sdk_app_id: u64, room_id: u64) -> bool {
        lock(&self.shared.rooms).exists(sdk_app_id, &RoomId::Number(room_id))
    }

    /// The room and its users, if it exists.
    pub fn room(&self, sdk_app_id: u64, room: impl Into<RoomId>) -> Option<RoomSnapshot> {
        lock(&self.shared.rooms).room(sdk_app_id, &room.into())
    }

    /// Every room with its users, sorted by application and room.
    pub fn rooms(&self) -> Vec<RoomSnapshot> {
        self.shared.rooms()
    }

    /// How many rooms exist across all applications.
    pub fn room_count(&self) -> usize {
        lock(&self.shared.rooms).count()
    }

    /// Accepts another credential (replacing one with the same SecretId); refused when it could never sign.
    pub fn add_credential(&self, entry: CredentialEntry) -> Result<(), Error> {
        self.shared.add_credential(entry)
    }

    /// Lets the credential `secret_id` act on the application `sdk_app_id`; `false` if there is no such credential.
    pub fn grant_app(&self, secret_id: &str, sdk_app_id: u64) -> bool {
        self.shared.grant_app(secret_id, sdk_app_id)
    }

    /// The requests received so far (oldest first, at most
    /// [`EmulatorConfig::journal_capacity`](crate::EmulatorConfig::journal_capacity)), admin requests excluded.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.shared.journal()
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        self.shared.clear_journal();
    }

    /// The faults in force, with "next N" counts as they stand now.
    pub fn faults(&self) -> FaultPlan {
        self.shared.faults()
    }

    /// Replaces the faults (their PRNG restarts from the plan's seed); refused for a rate outside 0..=1.
    pub fn set_faults(&self, plan: FaultPlan) -> Result<(), Error> {
        self.shared.set_faults(plan)
    }

    /// Injects no more faults.
    pub fn clear_faults(&self) {
        *lock(&self.shared.faults) = FaultState::new(FaultPlan::new());
    }

    /// The rate limit in force.
    pub fn rate_limit(&self) -> RateLimit {
        self.shared.rate_limit()
    }

    /// Replaces the rate limit, forgetting the requests counted so far.
    pub fn set_rate_limit(&self, limit: RateLimit) {
        self.shared.set_rate_limit(limit);
    }

    /// Back to the state at start: credentials, rooms, rate limit and faults as configured; journal empty.
    pub fn reset(&self) {
        self.shared.reset();
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

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    // Connections are tasks of this set, so they end with the loop: dropping the set aborts those still
    // open, closing them. A connection's task thus needs no stop signal of its own, which it would poll
    // on every wake-up, that is several times a request.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => return,
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                connections.spawn(async move {
                    let service = service_fn(move |request| handle(Arc::clone(&shared), request));
                    // Answers are small: copying the body behind the head and writing once costs less than
                    // queueing both for a vectored write.
                    let connection = hyper::server::conn::http1::Builder::new()
                        .writev(false)
                        .serve_connection(TokioIo::new(stream), service);
                    let _ = connection.await;
                });
            }
            // Ended connections are reaped, so the set holds the open ones only.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Returned by the service to make hyper close the connection without writing an answer.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

/// `application/json`, built once: a value made where it is used is validated on every answer.
static APPLICATION_JSON: http::HeaderValue = http::HeaderValue::from_static("application/json");
/// `text/html`.
static TEXT_HTML: http::HeaderValue = http::HeaderValue::from_static("text/html");

fn respond(status: http::StatusCode, content_type: &http::HeaderValue, body: Bytes) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(body));
    *response.status_mut() = status;
    // Exactly `application/json`: the official Python SDK and tccli treat an error envelope as success
    // under `application/json; charset=utf-8`.
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, content_type.clone());
    response
}

fn envelope(result: &Result<(), Failure>, request_id: &RequestId) -> http::Response<Full<Bytes>> {
    let body = match result {
        Ok(()) => reply::success(request_id),
        Err(failure) => reply::error(failure, request_id),
    };
    respond(http::StatusCode::OK, &APPLICATION_JSON, body)
}

/// The body, whole (trailers ignored); `None` when it is larger than `limit` bytes or cannot be read.
///
/// What `Limited` and `collect` do, without their buffer list: a body that arrives in one piece, as small
/// API requests do, is handed on as it came.
async fn read_body(mut body: IncomingBody, limit: usize) -> Option<Bytes> {
    let mut remaining = limit;
    let mut first = Bytes::new();
    let mut joined: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.ok()?.into_data() else {
            continue;
        };
        remaining = remaining.checked_sub(data.len())?;
        if first.is_empty() {
            first = data;
        } else {
            if joined.is_empty() {
                joined.extend_from_slice(&first);
            }
            joined.extend_from_slice(&data);
        }
    }
    Some(if joined.is_empty() { first } else { Bytes::from(joined) })
}

async fn handle(
    shared: Arc<Shared>,
    request: http::Request<IncomingBody>,
) -> Result<http::Response<Full<Bytes>>, DropConnection> {
    let request_id = reply::request_id();
    let (parts, body) = request.into_parts();
    let body = match read_body(body, MAX_BODY_BYTES).await {
        Some(body) => body,
        None => {
            let failure = Failure::new(
                "RequestSizeLimitExceeded",
                "The request body is larger than 10 MB or could not be read.",
            );
            return Ok(envelope(&Err(failure), &request_id));
        }
    };

    if let Some(path) = parts.uri.path().strip_prefix(ADMIN_PREFIX) {
        if !shared.admin_api {
            return Ok(respond(
                http::StatusCode::NOT_FOUND,
                &APPLICATION_JSON,
                Bytes::from(r#"{"error":"the admin API is turned off for this emulator"}"#),
            ));
        }
        let reply = admin::handle(&shared, &parts.method, path, &body);
        return Ok(respond(reply.status, &APPLICATION_JSON, reply.body));
    }

    let received = gateway::Received::read(&parts, &body);
    let params = gateway::params_of(&received);
    let mut entry = gateway::describe(&received, params.as_ref().ok());
    let decision = lock(&shared.faults).decide();
    // Injected latency delays the answer, not the work: the request takes effect (and is journaled) at
    // once, as a slow network or a slow gateway would leave it, so a client that gives up waiting faces
    // the real ambiguity of an action that happened without its answer.
    entry.injected_latency_ms = u64::try_from(decision.latency.as_millis()).unwrap_or(u64::MAX);
    let result = match decision.answer {
        Some(Fault::Drop) => {
            entry.outcome = Outcome::Dropped;
            shared.record(entry);
            return Err(DropConnection);
        }
        Some(Fault::BadGateway) => {
            entry.outcome = Outcome::BadGateway;
            shared.record(entry);
            return Ok(respond(
                http::StatusCode::BAD_GATEWAY,
                &TEXT_HTML,
                Bytes::from_static(reply::BAD_GATEWAY_HTML.as_bytes()),
            ));
        }
        Some(Fault::InternalError) => Err(Failure::new(
            "InternalError",
            "Internal error (injected by the emulator's fault plan).",
        )),
        _ => gateway::process(&shared, &received, params),
    };
    entry.outcome = match &result {
        Ok(()) => Outcome::Success,
        Err(failure) => Outcome::Error {
            code: failure.code.to_owned(),
            message: failure.message.clone(),
        },
    };
    let response = envelope(&result, &request_id);
    entry.request_id = Some(request_id.into_string());
    shared.record(entry);
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    Ok(response)
}
