//! Event callbacks sent by the emulator, received by `trtc-callback`'s own receiver: users entering give 101
//! and 103s; DismissRoom gives a 104 per user, then 102, each once, in order, verified; a listener that
//! answers 500 gets the retry; one that never answers is given up on the schedule; the API answer never
//! waits for a delivery; the admin API sets targets and shows deliveries.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{admin, Call, APP, ID, KEY};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use trtc_callback::server::{serve, CallbackService, Handler};
use trtc_callback::{Callback, CallbackKey, Error, Event, ExitReason, Verifier};
use trtc_emulator::{CallbackSchedule, CallbackTarget, DeliveryOutcome, Emulator, EmulatorConfig, RoomId};

const CALLBACK_KEY: &str = "emulatorCallbackKey1";

struct Forward {
    accepted: mpsc::UnboundedSender<Callback>,
    refused: Arc<Mutex<Vec<String>>>,
}

impl Handler for Forward {
    fn accepted(&self, callback: Callback) {
        let _ = self.accepted.send(callback);
    }

    fn refused(&self, error: &Error) {
        self.refused.lock().unwrap().push(error.to_string());
    }
}

/// A verifying receiver for `APP` on a free port: its URL, the verified callbacks, the refusals.
async fn receiver() -> (String, mpsc::UnboundedReceiver<Callback>, Arc<Mutex<Vec<String>>>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let refused = Arc::new(Mutex::new(Vec::new()));
    let handler = Forward {
        accepted: tx,
        refused: Arc::clone(&refused),
    };
    let verifier = Verifier::new(CallbackKey::new(CALLBACK_KEY).unwrap(), APP);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/trtc/callback", listener.local_addr().unwrap());
    tokio::spawn(serve(
        listener,
        CallbackService::new(verifier, handler),
        std::future::pending(),
    ));
    (url, rx, refused)
}

fn quick() -> CallbackSchedule {
    CallbackSchedule::shortened(500, 100, 2_000)
}

async fn emulator(url: &str) -> Emulator {
    Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP])
            .callback_target(CallbackTarget::new(APP, url, CALLBACK_KEY))
            .callback_schedule(quick()),
    )
    .await
    .unwrap()
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Callback>) -> Callback {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a callback within 10 s")
        .expect("the receiver is running")
}

#[tokio::test]
async fn dismiss_room_sends_an_exit_per_user_then_the_dismissal_each_once_in_order() {
    let (url, mut rx, refused) = receiver().await;
    let emu = emulator(&url).await;

    // Two users enter a room that did not exist: 101 (created by the first), then 103 for each.
    emu.add_users(APP, RoomId::Number(1234), ["alice", "bob"]);
    let created = next(&mut rx).await;
    assert!(matches!(created.event(), Event::CreateRoom(info) if info.user_id.as_deref() == Some("alice")));
    for user in ["alice", "bob"] {
        match next(&mut rx).await.into_event() {
            Event::EnterRoom(info) => {
                assert_eq!(info.user_id, user);
                assert_eq!(info.room_id, trtc_callback::RoomId::Number(1234));
            }
            other => panic!("{other:?}"),
        }
    }

    // DismissRoom: the API answers, then 104 for each user (removed), then 102.
    Call::post("DismissRoom", json!({"SdkAppId": APP, "RoomId": 1234}))
        .send(emu.addr())
        .await
        .ok();
    for user in ["alice", "bob"] {
        match next(&mut rx).await.into_event() {
            Event::ExitRoom(info) => {
                assert_eq!((info.user_id.as_str(), info.reason), (user, Some(ExitReason::Removed)));
            }
            other => panic!("{other:?}"),
        }
    }
    match next(&mut rx).await.into_event() {
        Event::DismissRoom(info) => assert_eq!(info.room_id, trtc_callback::RoomId::Number(1234)),
        other => panic!("{other:?}"),
    }

    // Nothing more, nothing refused; each delivered at the first try.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(rx.try_recv().is_err(), "a callback was sent twice or one too many");
    assert!(refused.lock().unwrap().is_empty(), "{:?}", refused.lock().unwrap());
    let deliveries = emu.callback_deliveries();
    let types: Vec<u32> = deliveries.iter().map(|d| d.event_type).collect();
    assert_eq!(types, [101, 103, 103, 104, 104, 102]);
    for d in &deliveries {
        assert_eq!(d.outcome, DeliveryOutcome::Delivered, "{d:?}");
        assert_eq!(d.attempts.len(), 1, "{d:?}");
        assert_eq!(d.attempts[0].result, "200");
        assert_eq!(d.url, url);
    }
}

#[tokio::test]
async fn remove_user_sends_exits_and_the_last_one_out_ends_the_room() {
    let (url, mut rx, _) = receiver().await;
    let emu = emulator(&url).await;
    emu.add_users(APP, RoomId::from("class-7"), ["carol", "dave"]);
    for _ in 0..3 {
        next(&mut rx).await;
    }
    Call::post(
        "RemoveUserByStrRoomId",
        json!({"SdkAppId": APP, "RoomId": "class-7", "UserIds": ["carol"]}),
    )
    .send(emu.addr())
    .await
    .ok();
    let exit = next(&mut rx).await;
    assert!(
        matches!(exit.event(), Event::ExitRoom(i) if i.user_id == "carol" && i.room_id == trtc_callback::RoomId::String("class-7".into()))
    );
    Call::post(
        "RemoveUserByStrRoomId",
        json!({"SdkAppId": APP, "RoomId": "class-7", "UserIds": ["dave"]}),
    )
    .send(emu.addr())
    .await
    .ok();
    assert_eq!(next(&mut rx).await.event_type(), 104);
    assert_eq!(next(&mut rx).await.event_type(), 102);
}

/// A listener that answers each request with the next status of `statuses` (then 200), keeping the bodies.
async fn scripted(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/cb", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&bodies);
    tokio::spawn(async move {
        let mut statuses = statuses.into_iter();
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            // Read the head and the Content-Length body.
            loop {
                let n = stream.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request);
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap_or(0);
                    if body.len() >= length {
                        seen.lock().unwrap().push(body.to_owned());
                        break;
                    }
                }
            }
            let status = statuses.next().unwrap_or(200);
            let answer =
                format!("HTTP/1.1 {status} X\r\nContent-Length: 10\r\nConnection: close\r\n\r\n{{\"code\":0}}");
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    (url, bodies)
}

#[tokio::test]
async fn a_listener_that_answers_500_first_gets_the_retry_at_once() {
    let (url, bodies) = scripted(vec![500]).await;
    let emu = emulator(&url).await;
    emu.add_users(APP, RoomId::Number(7), ["erin"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while emu
        .callback_deliveries()
        .iter()
        .any(|d| d.outcome == DeliveryOutcome::Pending)
        || emu.callback_deliveries().len() < 2
    {
        assert!(Instant::now() < deadline, "{:?}", emu.callback_deliveries());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let deliveries = emu.callback_deliveries();
    let results: Vec<&str> = deliveries[0].attempts.iter().map(|a| a.result.as_str()).collect();
    assert_eq!(results, ["HTTP 500", "200"]);
    assert_eq!(deliveries[0].outcome, DeliveryOutcome::Delivered);
    assert_eq!(deliveries[1].attempts.len(), 1);
    // The retry is the same signed body, and it verifies.
    let bodies = bodies.lock().unwrap();
    assert_eq!(bodies.len(), 3);
    assert_eq!(bodies[0], bodies[1]);
    let key = CallbackKey::new(CALLBACK_KEY).unwrap();
    let sign = trtc_callback::sign_body(&key, bodies[0].as_bytes());
    Verifier::new(key, APP)
        .check_signature(&sign, bodies[1].as_bytes())
        .unwrap();
}

#[tokio::test]
async fn a_listener_that_never_answers_is_given_up_on_the_schedule_and_never_delays_the_api() {
    // Accepts and reads, never answers.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut open = Vec::new();
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            open.push(stream);
        }
    });
    let emu = Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP])
            .callback_target(CallbackTarget::new(APP, url.as_str(), CALLBACK_KEY))
            .callback_schedule(CallbackSchedule::shortened(200, 100, 600)),
    )
    .await
    .unwrap();
    emu.add_users(APP, RoomId::Number(9), ["frank"]);

    // The API answers while the deliveries wait on their timeouts.
    let started = Instant::now();
    Call::post("DismissRoom", json!({"SdkAppId": APP, "RoomId": 9}))
        .send(emu.addr())
        .await
        .ok();
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "the API answer waited for a delivery"
    );
    assert!(!emu.room_exists(APP, 9));

    let deadline = Instant::now() + Duration::from_secs(15);
    while emu
        .callback_deliveries()
        .iter()
        .any(|d| d.outcome == DeliveryOutcome::Pending)
    {
        assert!(Instant::now() < deadline, "{:?}", emu.callback_deliveries());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let first = &emu.callback_deliveries()[0];
    assert_eq!(first.outcome, DeliveryOutcome::GaveUp);
    // Tried, at once again, then every 100 ms until 600 ms had passed.
    assert!(first.attempts.len() >= 3, "{first:?}");
    assert!(
        first.attempts.iter().all(|a| a.result == "timeout after 200 ms"),
        "{first:?}"
    );
    let gap = first.attempts[1].at_ms - first.attempts[0].at_ms;
    let later = first.attempts[2].at_ms - first.attempts[1].at_ms;
    assert!(
        later >= gap + 80,
        "the second retry waits the interval, the first does not: {first:?}"
    );
}

#[tokio::test]
async fn the_admin_api_sets_targets_and_shows_deliveries() {
    let (url, mut rx, _) = receiver().await;
    let emu = Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP])
            .callback_schedule(quick()),
    )
    .await
    .unwrap();
    let addr = emu.addr();

    // No target: nothing is sent.
    emu.add_users(APP, RoomId::Number(1), ["gina"]);
    let (status, body) = admin(addr, "GET", "callbacks", None).await;
    assert_eq!((status, body), (200, json!({"deliveries": []})));

    let (status, body) = admin(
        addr,
        "POST",
        "callback-targets",
        Some(json!({"sdk_app_id": APP, "url": url, "key": "bad key"})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("callback.key: callback key must be"),
        "{body}"
    );
    let (status, _) = admin(
        addr,
        "POST",
        "callback-targets",
        Some(json!({"sdk_app_id": APP, "url": url, "key": CALLBACK_KEY})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, body) = admin(addr, "GET", "callback-targets", None).await;
    assert_eq!(
        body,
        json!({"targets": [{"sdk_app_id": APP, "url": url}]}),
        "the key is not shown"
    );

    let (status, _) = admin(
        addr,
        "POST",
        "users",
        Some(json!({"sdk_app_id": APP, "room": 1, "user_ids": ["hank"]})),
    )
    .await;
    assert_eq!(status, 200);
    // gina was already in: only hank's entry.
    assert!(matches!(next(&mut rx).await.into_event(), Event::EnterRoom(i) if i.user_id == "hank"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (_, body) = admin(addr, "GET", "callbacks", None).await;
    let delivery = &body["deliveries"][0];
    assert_eq!(delivery["event_type"], 103);
    assert_eq!(delivery["event"], "EnterRoom");
    assert_eq!(delivery["outcome"], "delivered");
    assert_eq!(delivery["attempts"][0]["result"], "200");
    assert!(delivery["body"].as_str().unwrap().contains("\"UserId\":\"hank\""));

    let (status, _) = admin(addr, "DELETE", "callbacks", None).await;
    assert_eq!(status, 405);
    admin(addr, "POST", "reset", None).await;
    let (_, body) = admin(addr, "GET", "callback-targets", None).await;
    assert_eq!(body, json!({"targets": []}));
}

#[test]
fn the_config_file_takes_targets_and_a_schedule_and_refuses_bad_ones() {
    let config = EmulatorConfig::from_json(
        r#"{"callbacks": [{"sdk_app_id": 1400000001, "url": "http://127.0.0.1:8080/trtc", "key": "abc123"}],
            "callback_schedule": {"timeout_ms": 100, "retry_every_ms": 50, "give_up_after_ms": 500}}"#,
    );
    assert!(config.is_ok(), "{config:?}");
    for (json, field) in [
        (
            r#"{"callbacks": [{"sdk_app_id": 1, "url": "https://x/", "key": "abc"}]}"#,
            "callbacks[0].url",
        ),
        (
            r#"{"callbacks": [{"sdk_app_id": 1, "url": "http://x/", "key": "a-b"}]}"#,
            "callbacks[0].key",
        ),
        (r#"{"callbacks": [{"sdk_app_id": 1, "url": "http://x/"}]}"#, "config"),
    ] {
        let err = EmulatorConfig::from_json(json).unwrap_err().to_string();
        assert!(err.starts_with(field), "{json}: {err}");
        assert!(!err.contains("a-b"), "{err}");
    }
}

#[tokio::test]
async fn recording_and_relay_tasks_send_their_events_when_they_start_and_end() {
    let (url, mut rx, refused) = receiver().await;
    let emu = emulator(&url).await;
    emu.add_users(APP, RoomId::Number(1234), ["alice"]);
    for _ in 0..2 {
        next(&mut rx).await; // 101 and 103
    }
    let ok = |action: &'static str, body: serde_json::Value| {
        let addr = emu.addr();
        async move {
            let answer = Call::post(action, body).send(addr).await;
            answer.ok();
            answer.json()["Response"].clone()
        }
    };
    let recording = json!({
        "SdkAppId": APP, "RoomId": "1234", "RoomIdType": 1, "UserId": "recorder_1", "UserSig": "sig",
        "RecordParams": {"RecordMode": 2}, "StorageParams": {"CloudVod": {}}
    });
    let task = ok("CreateCloudRecording", recording).await["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    match next(&mut rx).await.into_event() {
        Event::RecorderStart(info) => {
            assert_eq!(info.task_id, task);
            assert_eq!(info.room_id, trtc_callback::RoomId::Number(1234));
            assert_eq!(info.payload.status, Some(0));
        }
        other => panic!("301 first, got {other:?}"),
    }
    ok("DeleteCloudRecording", json!({"SdkAppId": APP, "TaskId": task})).await;
    match next(&mut rx).await.into_event() {
        Event::RecorderStop(info) => {
            assert_eq!(info.task_id, task);
            assert_eq!(info.payload.leave_code, Some(0), "stopped by the API");
        }
        other => panic!("302 after the delete, got {other:?}"),
    }

    let relay = json!({
        "SdkAppId": APP, "RoomId": "1234", "RoomIdType": 0, "WithTranscoding": 1,
        "AgentParams": {"UserId": "relay_1", "UserSig": "sig"},
        "PublishCdnParams": [{"PublishCdnUrl": "rtmp://example.com/live/a"}]
    });
    let relay_task = ok("StartPublishCdnStream", relay).await["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    match next(&mut rx).await.into_event() {
        Event::CdnStatus(info) => {
            assert_eq!(info.task_id, relay_task);
            assert_eq!(info.payload.status, Some(trtc_callback::CdnStreamState::Running));
        }
        other => panic!("401 relaying, got {other:?}"),
    }
    // Dismissing the room ends the relay (401 idle), removes alice (104) and ends the room (102).
    ok("DismissRoom", json!({"SdkAppId": APP, "RoomId": 1234})).await;
    let mut rest = Vec::new();
    for _ in 0..3 {
        rest.push(next(&mut rx).await.into_event());
    }
    assert!(
        matches!(&rest[0], Event::ExitRoom(info) if info.user_id == "alice"),
        "{rest:?}"
    );
    assert!(matches!(&rest[1], Event::DismissRoom(_)), "{rest:?}");
    assert!(
        matches!(&rest[2], Event::CdnStatus(info) if info.task_id == relay_task
            && info.payload.status == Some(trtc_callback::CdnStreamState::Idle)),
        "{rest:?}"
    );
    assert!(refused.lock().unwrap().is_empty());
}
