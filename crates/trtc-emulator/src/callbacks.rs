//! Event callbacks, as the service sends them: for each application with a callback target, the room
//! changes turned into the service's events (101 a room's first user, 103 each user entering, 104 each user
//! removed, 102 the room gone), signed with `trtc-callback`'s signer and POSTed by a delivery worker on the
//! service's schedule; every delivery with its attempts, for `GET /_emulator/callbacks`.
//!
//! The worker runs apart from the requests: an action only queues its events, so a slow or failing
//! listener never delays an API answer. Deliveries go out one at a time in the order the events happened
//! (a callback's retries finish before the next callback is sent), so a listener sees 104s before the 102.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::{json, Value};
use tokio::sync::mpsc;
use trtc_callback::{
    sign_callback, Callback, CdnInfo, CdnStreamState, CreateRoomInfo, DismissRoomInfo, EnterRoomInfo, Event,
    ExitReason, ExitRoomInfo, RecorderStopPayload, RecordingInfo, SignedCallback, StatusPayload,
};

use crate::callback_target::{CallbackConfig, CallbackSchedule, CallbackTarget, Target, Url};
use crate::error::Error;
use crate::lock::lock;
use crate::rooms::{RoomId, RoomSnapshot, Rooms};
use crate::tasks::now_ms;

/// The most deliveries kept for `GET /_emulator/callbacks`; older ones are dropped first.
const DELIVERY_LOG_CAPACITY: usize = 10_000;

/// One try of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Attempt {
    /// When it started, Unix milliseconds.
    pub at_ms: u64,
    /// `"200"`, `"HTTP 500"`, `"timeout after 5000 ms"`, or why the connection failed.
    pub result: String,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeliveryOutcome {
    /// Queued or being tried.
    Pending,
    /// Answered with HTTP 200.
    Delivered,
    /// No 200 within the schedule.
    GaveUp,
}

/// One callback the emulator sent (or is sending), with its attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Delivery {
    /// Its number, from 1, in the order the events happened.
    pub id: u64,
    /// The application.
    pub sdk_app_id: u64,
    /// `EventType` (101, 102, 103, 104).
    pub event_type: u32,
    /// The event's name (`"EnterRoom"`).
    pub event: String,
    /// Where it was sent.
    pub url: String,
    /// The signed body, as sent.
    pub body: String,
    /// Each try, in order.
    pub attempts: Vec<Attempt>,
    /// Where it stands.
    pub outcome: DeliveryOutcome,
}

struct Job {
    id: u64,
    url: Url,
    signed: SignedCallback,
}

/// What made a room change, for the events' `Reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    /// Users entered (the admin API, `Emulator::add_users`).
    Enter,
    /// `RemoveUser` / `RemoveUserByStrRoomId`.
    Remove,
    /// `DismissRoom` / `DismissRoomByStrRoomId`.
    Dismiss,
}

impl Cause {
    /// The cause of a room action's changes: `None` for the actions that change no one's presence.
    pub(crate) fn of_action(action: &str) -> Option<Cause> {
        if action.starts_with("DismissRoom") {
            Some(Cause::Dismiss)
        } else if action.starts_with("RemoveUser") {
            Some(Cause::Remove)
        } else {
            None
        }
    }
}

/// The callbacks of a running emulator: targets, the queue to the delivery worker, the deliveries.
pub(crate) struct Callbacks {
    initial: Vec<CallbackTarget>,
    schedule: CallbackSchedule,
    targets: Mutex<HashMap<u64, Target>>,
    log: Arc<Mutex<Log>>,
    queue: mpsc::UnboundedSender<Job>,
    /// Taken by the first event, which starts the worker on the runtime serving requests.
    worker: Mutex<Option<mpsc::UnboundedReceiver<Job>>>,
}

#[derive(Default)]
struct Log {
    next_id: u64,
    deliveries: std::collections::VecDeque<Delivery>,
}

impl Log {
    fn update(&mut self, id: u64, change: impl FnOnce(&mut Delivery)) {
        if let Some(delivery) = self.deliveries.iter_mut().find(|d| d.id == id) {
            change(delivery);
        }
    }
}

fn room_id(room: &RoomId) -> trtc_callback::RoomId {
    match room {
        RoomId::Number(n) => trtc_callback::RoomId::Number(*n),
        RoomId::Str(s) => trtc_callback::RoomId::String(s.clone()),
    }
}

fn user_set(room: &Option<RoomSnapshot>) -> BTreeSet<String> {
    room.iter()
        .flat_map(|r| r.users.iter().map(|u| u.user_id.clone()))
        .collect()
}

impl Callbacks {
    pub(crate) fn new(config: &CallbackConfig) -> Callbacks {
        let (queue, worker) = mpsc::unbounded_channel();
        let callbacks = Callbacks {
            initial: config.targets.clone(),
            schedule: config.schedule,
            targets: Mutex::new(HashMap::new()),
            log: Arc::new(Mutex::new(Log::default())),
            queue,
            worker: Mutex::new(Some(worker)),
        };
        callbacks.reset_targets();
        callbacks
    }

    fn reset_targets(&self) {
        let mut targets = lock(&self.targets);
        targets.clear();
        for target in &self.initial {
            // Checked with the configuration before the emulator started.
            if let Ok(resolved) = target.resolve("callbacks") {
                targets.insert(target.sdk_app_id, resolved);
            }
        }
    }

    /// Back to the configured targets, with no deliveries shown (deliveries under way still finish).
    pub(crate) fn reset(&self) {
        self.reset_targets();
        lock(&self.log).deliveries.clear();
    }

    /// Sets (or replaces) an application's target.
    pub(crate) fn set_target(&self, target: &CallbackTarget) -> Result<(), Error> {
        let resolved = target.resolve("callback")?;
        lock(&self.targets).insert(target.sdk_app_id, resolved);
        Ok(())
    }

    fn has_target(&self, sdk_app_id: u64) -> bool {
        lock(&self.targets).contains_key(&sdk_app_id)
    }

    pub(crate) fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.log).deliveries.iter().cloned().collect()
    }

    /// The targets as the admin API shows them: application and URL, never the key.
    pub(crate) fn targets_view(&self) -> Vec<Value> {
        let targets = lock(&self.targets);
        let mut apps: Vec<_> = targets.iter().collect();
        apps.sort_by_key(|(app, _)| **app);
        apps.into_iter()
            .map(|(app, t)| json!({"sdk_app_id": app, "url": t.url_text}))
            .collect()
    }

    /// Runs `change` on the rooms and queues the events it caused in `room` of `sdk_app_id`.
    pub(crate) fn observe<R>(
        &self,
        rooms: &mut Rooms,
        sdk_app_id: u64,
        room: &RoomId,
        cause: Cause,
        change: impl FnOnce(&mut Rooms) -> R,
    ) -> R {
        if !self.has_target(sdk_app_id) {
            return change(rooms);
        }
        let before = rooms.room(sdk_app_id, room);
        let out = change(rooms);
        let after = rooms.room(sdk_app_id, room);
        let (had, has) = (user_set(&before), user_set(&after));
        let at = now_ms();
        let id = room_id(room);
        let mut events = Vec::new();
        let entered: Vec<&String> = has.difference(&had).collect();
        if had.is_empty() {
            if let Some(first) = entered.first() {
                events.push(Event::CreateRoom(CreateRoomInfo::new(id.clone(), (*first).clone(), at)));
            }
        }
        for user in entered {
            events.push(Event::EnterRoom(EnterRoomInfo::new(id.clone(), user.clone(), at)));
        }
        let reason = match cause {
            Cause::Enter => ExitReason::Voluntary,
            Cause::Remove | Cause::Dismiss => ExitReason::Removed,
        };
        for user in had.difference(&has) {
            events.push(Event::ExitRoom(ExitRoomInfo::new(id.clone(), user.clone(), at, reason)));
        }
        if !had.is_empty() && has.is_empty() {
            events.push(Event::DismissRoom(DismissRoomInfo::new(id, at)));
        }
        for event in events {
            self.send(sdk_app_id, Callback::new(event, at));
        }
        out
    }

    /// Runs `change` on the rooms and queues the events of the recording and CDN relay tasks of `sdk_app_id`
    /// it started or ended: 301 and 302 for a recording, 401 (relaying, then idle) for a relay. `dismissed`:
    /// the change is the room's dismissal, the reason a recorder stops (`LeaveCode` 2; else 0, the API).
    pub(crate) fn observe_tasks<R>(
        &self,
        rooms: &mut Rooms,
        sdk_app_id: u64,
        dismissed: bool,
        change: impl FnOnce(&mut Rooms) -> R,
    ) -> R {
        const FAMILIES: &[&str] = &["recording", "cdn_relay"];
        if !self.has_target(sdk_app_id) {
            return change(rooms);
        }
        let before = rooms.tasks.of_app(sdk_app_id, FAMILIES);
        let out = change(rooms);
        let after = rooms.tasks.of_app(sdk_app_id, FAMILIES);
        let at = now_ms();
        let started = after.iter().filter(|t| !before.iter().any(|b| b.0 == t.0));
        let ended = before.iter().filter(|t| !after.iter().any(|a| a.0 == t.0));
        let mut events = Vec::new();
        for (task_id, family, room) in started {
            let Some(room) = room else { continue };
            events.push(match *family {
                "recording" => Event::RecorderStart(RecordingInfo::new(
                    room_id(room),
                    task_id.as_str(),
                    at,
                    StatusPayload::new(0),
                )),
                _ => Event::CdnStatus(CdnInfo::new(
                    room_id(room),
                    task_id.as_str(),
                    at,
                    CdnStreamState::Running,
                )),
            });
        }
        for (task_id, family, room) in ended {
            let Some(room) = room else { continue };
            let leave_code = if dismissed { 2 } else { 0 };
            events.push(match *family {
                "recording" => Event::RecorderStop(RecordingInfo::new(
                    room_id(room),
                    task_id.as_str(),
                    at,
                    RecorderStopPayload::new(leave_code),
                )),
                _ => Event::CdnStatus(CdnInfo::new(room_id(room), task_id.as_str(), at, CdnStreamState::Idle)),
            });
        }
        for event in events {
            self.send(sdk_app_id, Callback::new(event, at));
        }
        out
    }

    fn send(&self, sdk_app_id: u64, callback: Callback) {
        let Some(target) = lock(&self.targets).get(&sdk_app_id).cloned() else {
            return;
        };
        let signed = sign_callback(&target.key, sdk_app_id, &callback);
        let id = {
            let mut log = lock(&self.log);
            log.next_id += 1;
            let id = log.next_id;
            if log.deliveries.len() == DELIVERY_LOG_CAPACITY {
                log.deliveries.pop_front();
            }
            log.deliveries.push_back(Delivery {
                id,
                sdk_app_id,
                event_type: callback.event_type(),
                event: callback.event().name().to_owned(),
                url: target.url_text.clone(),
                body: String::from_utf8_lossy(signed.body()).into_owned(),
                attempts: Vec::new(),
                outcome: DeliveryOutcome::Pending,
            });
            id
        };
        self.start_worker();
        let job = Job {
            id,
            url: target.url,
            signed,
        };
        // The worker lives as long as the queue's receiver; it ends only when the emulator is dropped.
        let _ = self.queue.send(job);
    }

    fn start_worker(&self) {
        let Some(receiver) = lock(&self.worker).take() else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(deliver_all(receiver, Arc::clone(&self.log), self.schedule));
            }
            // No runtime to deliver on (a change made outside one): keep the queue for the next event.
            Err(_) => *lock(&self.worker) = Some(receiver),
        }
    }
}

async fn deliver_all(mut queue: mpsc::UnboundedReceiver<Job>, log: Arc<Mutex<Log>>, schedule: CallbackSchedule) {
    while let Some(job) = queue.recv().await {
        deliver(&job, &log, schedule).await;
    }
}

/// Tries one callback on the service's schedule: now, at once again, then every `retry_every` until
/// `give_up_after` has passed since the first try.
async fn deliver(job: &Job, log: &Mutex<Log>, schedule: CallbackSchedule) {
    let first = tokio::time::Instant::now();
    let give_up_after = Duration::from_millis(schedule.give_up_after_ms);
    let mut tries = 0u32;
    loop {
        let at_ms = now_ms();
        let result = post(job, Duration::from_millis(schedule.timeout_ms)).await;
        tries += 1;
        let delivered = result.as_deref() == Ok("200");
        let text = result.unwrap_or_else(|reason| reason);
        lock(log).update(job.id, |d| {
            d.attempts.push(Attempt { at_ms, result: text });
            if delivered {
                d.outcome = DeliveryOutcome::Delivered;
            }
        });
        if delivered {
            return;
        }
        if tries > 1 {
            tokio::time::sleep(Duration::from_millis(schedule.retry_every_ms)).await;
        }
        if first.elapsed() >= give_up_after {
            lock(log).update(job.id, |d| d.outcome = DeliveryOutcome::GaveUp);
            return;
        }
    }
}

/// One POST with the service's headers; the status as text (`"200"`, `"HTTP 500"`) or why there was none.
async fn post(job: &Job, timeout: Duration) -> Result<String, String> {
    let exchange = async {
        let stream = tokio::net::TcpStream::connect(job.url.connect_to())
            .await
            .map_err(|e| format!("connection failed: {e}"))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("HTTP handshake failed: {e}"))?;
        tokio::spawn(connection);
        let mut request =
            http::Request::post(job.url.path.as_str()).header(http::header::HOST, job.url.authority.as_str());
        for (name, value) in job.signed.headers() {
            request = request.header(name, value);
        }
        let request = request
            .body(Full::new(Bytes::copy_from_slice(job.signed.body())))
            .map_err(|e| format!("request not built: {e}"))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = response.status().as_u16();
        Ok(if status == 200 {
            "200".to_owned()
        } else {
            format!("HTTP {status}")
        })
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(result) => result,
        Err(_) => Err(format!("timeout after {} ms", timeout.as_millis())),
    }
}
