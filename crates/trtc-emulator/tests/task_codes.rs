//! Tasks through signed requests over HTTP, their codes: what a start checks, a TaskId that names no task,
//! the starts the service deduplicates, and the members and types of the answers.

mod common;

use std::net::SocketAddr;

use common::{Answer, Call, APP, ID, KEY};
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
async fn a_start_checks_its_room_and_its_members() {
    let emu = emulator().await;
    let addr = emu.addr();
    send(addr, "CreateCloudRecording", recording("4321", 1))
        .await
        .is("FailedOperation.RoomNotExist");
    // 1234 is a numeric room; as a string room it does not exist.
    send(addr, "CreateCloudRecording", recording("1234", 0))
        .await
        .is("FailedOperation.RoomNotExist");
    send(addr, "CreateCloudRecording", recording("class-7", 1))
        .await
        .is("InvalidParameter.RoomId");
    let mut body = recording("1234", 1);
    body.as_object_mut().unwrap().remove("UserSig");
    let missing = send(addr, "CreateCloudRecording", body).await;
    missing.is("MissingParameter.UserSig");
    assert!(missing.message().contains("`UserSig`"), "{}", missing.message());
    let mut body = recording("1234", 1);
    body["UserSig"] = json!("");
    send(addr, "CreateCloudRecording", body)
        .await
        .is("InvalidParameter.UserSig");
    let mut body = recording("1234", 1);
    body["RecordParms"] = json!({});
    let unknown = send(addr, "CreateCloudRecording", body).await;
    unknown.is("UnknownParameter");
    assert!(unknown.message().contains("`RecordParms`"), "{}", unknown.message());
    let mut body = recording("1234", 1);
    body["RecordParams"] = json!("mix");
    send(addr, "CreateCloudRecording", body).await.is("InvalidParameter");
    let mut body = recording("1234", 1);
    body["SdkAppId"] = json!(1400000009);
    send(addr, "CreateCloudRecording", body)
        .await
        .is("UnauthorizedOperation.SdkAppId");
    assert!(emu.tasks().is_empty(), "no refused start left a task");
}

#[tokio::test]
async fn a_task_id_that_names_no_task_answers_the_familys_code() {
    let emu = emulator().await;
    let addr = emu.addr();
    let ghost = "-m97l2ZU7r57nZBesMa84KgzxhH0OBbbCRaKC4K-4pycoZW7yFPtusNuZOen1Ca0qtQQAQ..";
    let cases = [
        (
            "DescribeCloudRecording",
            json!({"SdkAppId": APP, "TaskId": ghost}),
            "ResourceNotFound",
        ),
        (
            "StopPublishCdnStream",
            json!({"SdkAppId": APP, "TaskId": ghost}),
            "ResourceNotFound",
        ),
        (
            "StopStreamIngest",
            json!({"SdkAppId": APP, "TaskId": ghost}),
            "FailedOperation.TaskNotExist",
        ),
        (
            "DescribeWebRecord",
            json!({"TaskId": ghost}),
            "FailedOperation.TaskNotExist",
        ),
        (
            "StopWebRecord",
            json!({"TaskId": ghost}),
            "FailedOperation.TaskNotExist",
        ),
        (
            "DescribeCloudModeration",
            json!({"SdkAppId": APP, "TaskId": ghost}),
            "FailedOperation.TaskNotExist",
        ),
        (
            "DeleteCloudSliceTask",
            json!({"SdkAppId": APP, "TaskId": ghost}),
            "FailedOperation.TaskNotExist",
        ),
        (
            "DescribeCloudTranscription",
            json!({"SdkAppId": APP, "TaskId": ghost}),
            "FailedOperation.TaskNotExist",
        ),
        (
            "StopAIConversation",
            json!({"TaskId": ghost}),
            "FailedOperation.TaskNotExist",
        ),
        (
            "ControlAIConversation",
            json!({"TaskId": ghost, "Command": "ServerPushText"}),
            "FailedOperation.TaskNotExist",
        ),
        (
            "DescribeAITranscription",
            json!({"TaskId": ghost}),
            "FailedOperation.TaskNotExist",
        ),
        (
            "DeleteLiveStreamModeration",
            json!({"SdkAppId": APP, "TaskId": ghost}),
            "FailedOperation.TaskNotExist",
        ),
        ("StopAIConversation", json!({"TaskId": ""}), "InvalidParameter.TaskId"),
        (
            "DescribeCloudRecording",
            json!({"SdkAppId": APP}),
            "MissingParameter.TaskId",
        ),
        ("DescribeAIConversation", json!({}), "MissingParameter.TaskId"),
    ];
    for (action, body, code) in cases {
        let answer = send(addr, action, body).await;
        assert_eq!(answer.code().as_deref(), Some(code), "{action}: {}", answer.body);
    }
    // Stream ingest names an ended task by a status, as its documentation says.
    let gone = ok(addr, "DescribeStreamIngest", json!({"SdkAppId": APP, "TaskId": ghost})).await;
    assert_eq!(gone["Status"], "NotExist");
    // A task of another application the caller owns is not found under this one.
    let id = ok(addr, "CreateCloudRecording", recording("1234", 1)).await["TaskId"].clone();
    send(
        addr,
        "DescribeCloudRecording",
        json!({"SdkAppId": APP + 1, "TaskId": id}),
    )
    .await
    .is("ResourceNotFound");
}

#[tokio::test]
async fn repeated_starts_the_service_deduplicates() {
    let emu = emulator().await;
    let addr = emu.addr();
    let web =
        json!({"SdkAppId": APP, "RecordUrl": "https://example.com/class", "StorageParams": {}, "RecordId": "class_1"});
    let id = ok(addr, "StartWebRecord", web.clone()).await["TaskId"].clone();
    send(addr, "StartWebRecord", web.clone())
        .await
        .is("FailedOperation.TaskExist");
    let by_record = ok(
        addr,
        "DescribeWebRecord",
        json!({"SdkAppId": APP, "RecordId": "class_1"}),
    )
    .await;
    assert_eq!(by_record["Status"], 1, "an integer, as DescribeWebRecord declares it");
    assert_eq!(by_record["TaskId"], id);
    let by_task = ok(addr, "DescribeWebRecord", json!({"TaskId": id})).await;
    assert_eq!(by_task["RecordId"], "class_1");
    ok(addr, "StopWebRecord", json!({"TaskId": id})).await;
    ok(addr, "StartWebRecord", web).await;

    let ai = json!({"SdkAppId": APP, "RoomId": "1234", "SessionId": "s-1", "TranscriptionParams": {"UserId": "bot", "UserSig": "s"}});
    let id = ok(addr, "StartAITranscription", ai.clone()).await["TaskId"].clone();
    send(addr, "StartAITranscription", ai)
        .await
        .is("FailedOperation.TaskExist");
    let described = ok(addr, "DescribeAITranscription", json!({"TaskId": id})).await;
    assert_eq!(described["Status"], "InProgress");
    assert_eq!(described["SessionId"], "s-1");
    let start_time = described["StartTime"].as_str().unwrap();
    assert_eq!(start_time.len(), "2025-04-24 16:17:56.931660".len(), "{start_time}");
    // A recording is not deduplicated: two recorders are two tasks.
    ok(addr, "CreateCloudRecording", recording("1234", 1)).await;
    ok(addr, "CreateCloudRecording", recording("1234", 1)).await;
    assert_eq!(emu.tasks().iter().filter(|t| t.family == "recording").count(), 2);
}

#[tokio::test]
async fn answers_carry_every_required_member_with_its_type() {
    let emu = emulator().await;
    let addr = emu.addr();
    let ingest = ok(
        addr,
        "StartStreamIngest",
        json!({"SdkAppId": APP, "RoomId": "1234", "RoomIdType": 1, "UserId": "ingest", "UserSig": "s", "StreamUrl": "https://example.com/a.mp4"}),
    )
    .await;
    let id = ingest["TaskId"].clone();
    let described = ok(addr, "DescribeStreamIngest", json!({"SdkAppId": APP, "TaskId": id})).await;
    assert_eq!(described["Status"], "InProgress");
    let updated = ok(
        addr,
        "UpdateStreamIngest",
        json!({"SdkAppId": APP, "TaskId": id, "Volume": 50}),
    )
    .await;
    assert_eq!(updated["Status"], "InProgress");
    let transcription = ok(
        addr,
        "CreateCloudTranscription",
        json!({"SdkAppId": APP, "RoomId": "class-7", "RoomIdType": 1, "TranscriptionParam": {"UserId": "asr-bot", "UserSig": "s"}, "AsrParam": {"Lang": "zh"}}),
    )
    .await;
    let described = ok(
        addr,
        "DescribeCloudTranscription",
        json!({"SdkAppId": APP, "TaskId": transcription["TaskId"]}),
    )
    .await;
    assert!(
        described["StartTime"].as_u64().unwrap() > 1_700_000_000_000,
        "milliseconds, as the example"
    );
    assert_eq!(described["Status"], "InProgress");
    assert_eq!(described["TaskId"], transcription["TaskId"]);
    let usage = ok(
        addr,
        "DescribeTrtcUsage",
        json!({"StartTime": "2026-01-01", "EndTime": "2026-01-02", "SdkAppId": APP}),
    )
    .await;
    assert_eq!((&usage["UsageKey"], &usage["UsageList"]), (&json!([]), &json!([])));
    let quality = ok(
        addr,
        "DescribeTRTCMarketQualityData",
        json!({"SdkAppId": APP.to_string(), "StartTime": "2026-01-01", "EndTime": "2026-01-02", "Period": "d"}),
    )
    .await;
    assert_eq!(quality["Data"], json!({"StatementID": 0, "Series": [], "Total": 0}));
    // By GET, objects flattened as the SDKs send them.
    let query = format!(
        "SdkAppId={APP}&RoomId=1234&UserId=rec&UserSig=s&RecordParams.RecordMode=1&StorageParams.CloudVod.TencentVod.Procedure=p"
    );
    let answer = Call::get("CreateCloudRecording", &query).send(addr).await;
    answer.ok();
    assert_eq!(answer.json()["Response"]["TaskId"].as_str().unwrap().len(), 72);
}
