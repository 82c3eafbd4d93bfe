//! Tasks with a lifecycle, through signed requests over HTTP: a recording's and a CDN relay's whole life,
//! an MCU mix, the end of a room ending its tasks, the admin API moving and failing a task. Their codes are
//! `task_codes.rs`.

mod common;

use std::net::SocketAddr;

use common::{admin, Answer, Call, APP, ID, KEY};
use serde_json::{json, Value};
use trtc_emulator::{Emulator, EmulatorConfig};

async fn emulator() -> Emulator {
    Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP, APP + 1])
            .users(APP, 1234, ["alice", "bob"])
            .users(APP, "class-7", ["carol"])
            .room(APP, 99),
    )
    .await
    .unwrap()
}

/// Sends the action and answers its `Response` object, asserting a success with a fresh RequestId.
async fn ok(addr: SocketAddr, action: &str, body: Value) -> Value {
    let answer = Call::post(action, body).send(addr).await;
    answer.ok();
    answer.json()["Response"].clone()
}

async fn send(addr: SocketAddr, action: &str, body: Value) -> Answer {
    Call::post(action, body).send(addr).await
}

fn recording(room: &str, room_type: u64) -> Value {
    json!({
        "SdkAppId": APP, "RoomId": room, "RoomIdType": room_type, "UserId": "recorder_1", "UserSig": "sig",
        "RecordParams": {"RecordMode": 2}, "StorageParams": {"CloudVod": {}}
    })
}

#[tokio::test]
async fn a_recordings_whole_life() {
    let emu = emulator().await;
    let addr = emu.addr();
    let started = ok(addr, "CreateCloudRecording", recording("1234", 1)).await;
    let id = started["TaskId"].as_str().unwrap().to_owned();
    // The form of the examples' ids: 72 characters of base64 with `-` and `+`, ending `AQ..`.
    assert_eq!(id.len(), 72, "{id}");
    assert!(id.ends_with("AQ.."), "{id}");
    let other = ok(addr, "CreateCloudRecording", recording("class-7", 0)).await;
    assert_ne!(other["TaskId"], started["TaskId"]);

    let described = ok(addr, "DescribeCloudRecording", json!({"SdkAppId": APP, "TaskId": id})).await;
    assert_eq!(described["Status"], "InProgress");
    assert_eq!(described["TaskId"], id.as_str());
    assert_eq!(described["StorageFileList"], json!([]));
    assert_eq!(described["RequestId"].as_str().unwrap().len(), 36);

    let layout = json!({"MixLayoutMode": 3});
    let modified = ok(
        addr,
        "ModifyCloudRecording",
        json!({"SdkAppId": APP, "TaskId": id, "MixLayoutParams": layout}),
    )
    .await;
    assert_eq!(modified["TaskId"], id.as_str());
    let task = emu.tasks().into_iter().find(|t| t.task_id == id).unwrap();
    assert_eq!((task.family, task.status, task.updates), ("recording", "InProgress", 1));
    assert_eq!(task.params["MixLayoutParams"], layout);
    assert_eq!(task.room, Some(1234.into()));

    let deleted = ok(addr, "DeleteCloudRecording", json!({"SdkAppId": APP, "TaskId": id})).await;
    assert_eq!(deleted["TaskId"], id.as_str());
    for action in ["DeleteCloudRecording", "DescribeCloudRecording", "ModifyCloudRecording"] {
        let again = send(addr, action, json!({"SdkAppId": APP, "TaskId": id})).await;
        again.is("ResourceNotFound");
        assert!(again.message().contains(&id), "{}", again.message());
    }
    assert_eq!(emu.tasks().len(), 1, "the other recording runs on");
    let journal = emu.journal();
    assert_eq!(journal.len(), 8, "every call journaled");
    assert_eq!(journal[0].action.as_deref(), Some("CreateCloudRecording"));
    assert_eq!(journal[0].room, Some("1234".into()));
    assert_eq!(journal[7].code(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn a_cdn_relays_whole_life() {
    let emu = emulator().await;
    let addr = emu.addr();
    // StartPublishCdnStream's RoomIdType: 0 a numeric room, 1 a string room.
    let start = |room: &str, room_type: u64| {
        json!({
            "SdkAppId": APP, "RoomId": room, "RoomIdType": room_type, "WithTranscoding": 1,
            "AgentParams": {"UserId": "relay_1", "UserSig": "sig"},
            "PublishCdnParams": [{"PublishCdnUrl": "rtmp://example.com/live/a"}]
        })
    };
    let id = ok(addr, "StartPublishCdnStream", start("1234", 0)).await["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(addr, "StartPublishCdnStream", start("class-7", 1)).await;
    let update = |seq: u64| json!({"SdkAppId": APP, "TaskId": id, "SequenceNumber": seq, "WithTranscoding": 1});
    assert_eq!(
        ok(addr, "UpdatePublishCdnStream", update(1)).await["TaskId"],
        id.as_str()
    );
    assert_eq!(
        ok(addr, "UpdatePublishCdnStream", update(5)).await["TaskId"],
        id.as_str()
    );
    send(addr, "UpdatePublishCdnStream", update(5))
        .await
        .is("FailedOperation.RequestOutdated");
    let task = emu.tasks().into_iter().find(|t| t.task_id == id).unwrap();
    assert_eq!((task.family, task.updates), ("cdn_relay", 2));
    assert_eq!(task.params["SequenceNumber"], 5);

    let stopped = ok(addr, "StopPublishCdnStream", json!({"SdkAppId": APP, "TaskId": id})).await;
    assert_eq!(stopped["TaskId"], id.as_str());
    send(addr, "StopPublishCdnStream", json!({"SdkAppId": APP, "TaskId": id}))
        .await
        .is("ResourceNotFound");
    send(addr, "UpdatePublishCdnStream", update(9))
        .await
        .is("ResourceNotFound");
    send(addr, "StartPublishCdnStream", start("1234", 1))
        .await
        .is("FailedOperation.RoomNotExist");
}

#[tokio::test]
async fn dismissing_a_room_ends_its_tasks() {
    let emu = emulator().await;
    let addr = emu.addr();
    let recorder = ok(addr, "CreateCloudRecording", recording("1234", 1)).await["TaskId"].clone();
    let conversation = ok(
        addr,
        "StartAIConversation",
        json!({"SdkAppId": APP, "RoomId": "1234", "AgentConfig": {"UserId": "bot", "UserSig": "s", "TargetUserId": "alice"}}),
    )
    .await["TaskId"]
        .clone();
    assert!(conversation.as_str().unwrap().starts_with("v2_"), "{conversation}");
    ok(addr, "StartMCUMixTranscode", mix(1234)).await;
    let elsewhere = ok(addr, "CreateCloudRecording", recording("class-7", 0)).await["TaskId"].clone();
    assert_eq!(emu.tasks().len(), 4);

    ok(addr, "DismissRoom", json!({"SdkAppId": APP, "RoomId": 1234})).await;
    send(
        addr,
        "DescribeCloudRecording",
        json!({"SdkAppId": APP, "TaskId": recorder}),
    )
    .await
    .is("ResourceNotFound");
    send(addr, "DescribeAIConversation", json!({"TaskId": conversation}))
        .await
        .is("FailedOperation.TaskNotExist");
    send(addr, "StopMCUMixTranscode", json!({"SdkAppId": APP, "RoomId": 1234}))
        .await
        .is("FailedOperation.RoomNotExist");
    let left: Vec<_> = emu.tasks().into_iter().map(|t| t.task_id).collect();
    assert_eq!(left, [elsewhere.as_str().unwrap()]);
    // The last user leaving ends a room, and its tasks with it.
    ok(
        addr,
        "RemoveUserByStrRoomId",
        json!({"SdkAppId": APP, "RoomId": "class-7", "UserIds": ["carol"]}),
    )
    .await;
    assert!(emu.tasks().is_empty());
}

fn mix(room: u64) -> Value {
    json!({
        "SdkAppId": APP, "RoomId": room, "OutputParams": {"StreamId": "mix"},
        "EncodeParams": {"AudioSampleRate": 48000, "AudioBitrate": 64, "AudioChannels": 2}, "LayoutParams": {"Template": 1}
    })
}

#[tokio::test]
async fn an_mcu_mix_is_known_by_its_room() {
    let emu = emulator().await;
    let addr = emu.addr();
    send(addr, "StopMCUMixTranscode", json!({"SdkAppId": APP, "RoomId": 99}))
        .await
        .is("FailedOperation.MixSessionNotExist");
    let started = ok(addr, "StartMCUMixTranscode", mix(99)).await;
    assert_eq!(started.as_object().unwrap().len(), 1, "only a RequestId: {started}");
    ok(addr, "StartMCUMixTranscode", mix(99)).await;
    let tasks = emu.tasks();
    assert_eq!((tasks.len(), tasks[0].family, tasks[0].updates), (1, "mcu_mix", 1));
    ok(addr, "StopMCUMixTranscode", json!({"SdkAppId": APP, "RoomId": 99})).await;
    send(addr, "StopMCUMixTranscode", json!({"SdkAppId": APP, "RoomId": 99}))
        .await
        .is("FailedOperation.MixSessionNotExist");
    send(
        addr,
        "StopMCUMixTranscodeByStrRoomId",
        json!({"SdkAppId": APP, "StrRoomId": "nowhere"}),
    )
    .await
    .is("FailedOperation.RoomNotExist");
}

#[tokio::test]
async fn the_admin_api_moves_and_fails_tasks() {
    let emu = emulator().await;
    let addr = emu.addr();
    let id = ok(addr, "CreateCloudRecording", recording("1234", 1)).await["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = admin(addr, "GET", "tasks", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["tasks"][0]["task_id"], id.as_str());
    assert_eq!(body["tasks"][0]["family"], "recording");
    assert_eq!(body["tasks"][0]["status"], "InProgress");
    assert_eq!(body["tasks"][0]["room"], 1234);

    let path = format!("tasks/{id}");
    let (status, _) = admin(addr, "PUT", &path, Some(json!({"status": "Exited"}))).await;
    assert_eq!(status, 200);
    let described = ok(addr, "DescribeCloudRecording", json!({"SdkAppId": APP, "TaskId": id})).await;
    assert_eq!(described["Status"], "Exited");

    let (status, body) = admin(addr, "PUT", &path, Some(json!({"status": "Recording"}))).await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("Idle, Exited"), "{body}");

    let failure = json!({"fail": {"code": "InternalError.CRInternalError", "message": "the recorder crashed"}});
    assert_eq!(admin(addr, "PUT", &path, Some(failure)).await.0, 200);
    let answer = send(addr, "DescribeCloudRecording", json!({"SdkAppId": APP, "TaskId": id})).await;
    answer.is("InternalError.CRInternalError");
    assert_eq!(answer.message(), "the recorder crashed");
    // A failed task can still be deleted, as a client cleaning up does.
    ok(addr, "DeleteCloudRecording", json!({"SdkAppId": APP, "TaskId": id})).await;

    let id = ok(addr, "CreateCloudRecording", recording("1234", 1)).await["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(admin(addr, "DELETE", &format!("tasks/{id}"), None).await.0, 200);
    send(addr, "DescribeCloudRecording", json!({"SdkAppId": APP, "TaskId": id}))
        .await
        .is("ResourceNotFound");
    let (status, body) = admin(addr, "DELETE", &format!("tasks/{id}"), None).await;
    assert_eq!(status, 404);
    assert!(
        body["error"].as_str().unwrap().contains("GET /_emulator/tasks"),
        "{body}"
    );
    let (status, _) = admin(addr, "PUT", &format!("tasks/{id}"), Some(json!({}))).await;
    assert_eq!(status, 400, "a body that changes nothing is refused");
    assert_eq!(emu.journal().len(), 6, "admin requests are not journaled");
}
