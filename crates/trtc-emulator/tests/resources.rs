//! What an application keeps besides rooms and tasks, through signed requests over HTTP: vocabularies,
//! pictures, voice prints, cloned voices; the speech actions' audio and events; audio moderation; an AI
//! conversation's context.

mod common;

use std::net::SocketAddr;

use base64::Engine as _;
use common::{Answer, Call, APP, ID, KEY};
use serde_json::{json, Value};
use trtc_emulator::{Emulator, EmulatorConfig};

async fn emulator() -> Emulator {
    Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP])
            .credential("AKIDother", "other-key", [APP + 1])
            .users(APP, 1234, ["alice"]),
    )
    .await
    .unwrap()
}

async fn send(addr: SocketAddr, action: &str, body: Value) -> Answer {
    Call::post(action, body).send(addr).await
}

async fn ok(addr: SocketAddr, action: &str, body: Value) -> Value {
    let answer = send(addr, action, body).await;
    answer.ok();
    answer.json()["Response"].clone()
}

async fn code(addr: SocketAddr, action: &str, body: Value) -> String {
    send(addr, action, body).await.code().expect("an error")
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn a_vocabulary_lives_from_create_to_delete() {
    let emu = emulator().await;
    let addr = emu.addr();
    let words = json!([{"Word": "腾讯云", "Weight": 10}]);
    let made = ok(
        addr,
        "CreateRecognizeVocabV3",
        json!({"SdkAppId": APP, "Name": "v1", "WordWeights": words}),
    )
    .await;
    let id = made["VocabId"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32, "32 hex digits, as the example's");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    let ids = json!({"SdkAppId": APP, "VocabId": id});
    let got = ok(addr, "GetRecognizeVocabV3", ids.clone()).await;
    assert_eq!(
        (&got["Name"], &got["WordWeights"], &got["State"]),
        (&json!("v1"), &words, &json!(0))
    );
    assert!(got["CreateTime"].as_str().unwrap().ends_with("+00:00"));
    // The same name again; a second vocabulary from the Base64 text form.
    assert_eq!(
        code(addr, "CreateRecognizeVocabV3", json!({"SdkAppId": APP, "Name": "v1"})).await,
        "FailedOperation"
    );
    let text = b64("腾讯云|10\n实时音视频|5".as_bytes());
    let second = ok(
        addr,
        "CreateRecognizeVocabV3",
        json!({"SdkAppId": APP, "Name": "v2", "WordWeightStr": text}),
    )
    .await;
    let second_ids = json!({"SdkAppId": APP, "VocabId": second["VocabId"]});
    let downloaded = ok(addr, "DownloadRecognizeVocabV3", second_ids.clone()).await;
    assert_eq!(downloaded["WordWeightStr"], json!(text));
    assert_eq!(
        code(
            addr,
            "CreateRecognizeVocabV3",
            json!({"SdkAppId": APP, "Name": "v3", "WordWeights": [{"Word": "x", "Weight": 50}]})
        )
        .await,
        "InvalidParameterValue.InvalidWordWeight"
    );
    assert_eq!(
        code(
            addr,
            "CreateRecognizeVocabV3",
            json!({"SdkAppId": APP, "Name": "v3", "WordWeightStr": "not base64!"})
        )
        .await,
        "InvalidParameterValue.InvalidWordWeightStr"
    );
    // One default: setting the second makes the first not the default.
    ok(
        addr,
        "SetVocabStateV3",
        json!({"SdkAppId": APP, "VocabId": id, "State": 1}),
    )
    .await;
    ok(
        addr,
        "SetVocabStateV3",
        json!({"SdkAppId": APP, "VocabId": second["VocabId"], "State": 1}),
    )
    .await;
    assert_eq!(ok(addr, "GetRecognizeVocabV3", ids.clone()).await["State"], json!(0));
    assert_eq!(
        code(
            addr,
            "SetVocabStateV3",
            json!({"SdkAppId": APP, "VocabId": id, "State": 2})
        )
        .await,
        "InvalidParameter.InvalidVocabState"
    );
    let list = ok(
        addr,
        "GetRecognizeVocabListV3",
        json!({"SdkAppId": APP, "Offset": 1, "Limit": 5}),
    )
    .await;
    assert_eq!(list["TotalCount"], json!(2));
    assert_eq!(list["VocabList"].as_array().unwrap().len(), 1);
    ok(
        addr,
        "UpdateRecognizeVocabV3",
        json!({"SdkAppId": APP, "VocabId": id, "Description": "d"}),
    )
    .await;
    assert_eq!(
        ok(addr, "GetRecognizeVocabV3", ids.clone()).await["Description"],
        json!("d")
    );
    ok(addr, "DeleteRecognizeVocabV3", ids.clone()).await;
    assert_eq!(
        code(addr, "GetRecognizeVocabV3", ids.clone()).await,
        "InvalidParameterValue.InvalidVocabId"
    );
    assert_eq!(
        code(addr, "DeleteRecognizeVocabV3", ids).await,
        "InvalidParameterValue.InvalidVocabId"
    );
}

#[tokio::test]
async fn pictures_and_voice_prints_are_kept_by_their_owner() {
    let emu = emulator().await;
    let addr = emu.addr();
    let picture = json!({"SdkAppId": APP, "Content": "MTg4MTM=", "Suffix": "jpg", "Height": 12, "Width": 15, "XPosition": 15, "YPosition": 36});
    let id = ok(addr, "CreatePicture", picture).await["PictureId"].as_u64().unwrap();
    ok(
        addr,
        "ModifyPicture",
        json!({"SdkAppId": APP, "PictureId": id, "Width": 30}),
    )
    .await;
    let described = ok(addr, "DescribePicture", json!({"SdkAppId": APP})).await;
    assert_eq!(described["Total"], json!(1));
    assert_eq!(
        described["PictureInfo"][0],
        json!({"PictureId": id, "SdkAppId": APP, "Height": 12, "Width": 30, "XPosition": 15, "YPosition": 36})
    );
    ok(addr, "DeletePicture", json!({"SdkAppId": APP, "PictureId": id})).await;
    assert_eq!(
        code(addr, "ModifyPicture", json!({"SdkAppId": APP, "PictureId": id})).await,
        "InvalidParameter.PictureNotFound"
    );

    // Voice prints take no SdkAppId: they are the registering key's.
    let register =
        json!({"Audio": "UklGRg==", "ReqTimestamp": 1749119700000_u64, "AudioFormat": 0, "AudioName": "jackson"});
    let print = ok(addr, "RegisterVoicePrint", register).await["VoicePrintId"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = ok(addr, "DescribeVoicePrint", json!({"DescribeMode": 1})).await;
    assert_eq!(listed["TotalCount"], json!(1));
    assert_eq!(listed["Data"][0]["AudioName"], json!("jackson"));
    let other = Call::post("DescribeVoicePrint", json!({"DescribeMode": 1}))
        .key("AKIDother", "other-key")
        .send(addr)
        .await;
    assert_eq!(
        other.json()["Response"]["TotalCount"],
        json!(0),
        "another key sees none"
    );
    assert_eq!(
        code(
            addr,
            "DescribeVoicePrint",
            json!({"DescribeMode": 0, "VoicePrintIdList": []})
        )
        .await,
        "InvalidParameter.InvalidVoicePrintIdList"
    );
    assert_eq!(
        code(
            addr,
            "UpdateVoicePrint",
            json!({"VoicePrintId": print, "ReqTimestamp": 1})
        )
        .await,
        "MissingParameter.MissingVoicePrintUpdateParams"
    );
    ok(
        addr,
        "UpdateVoicePrint",
        json!({"VoicePrintId": print, "ReqTimestamp": 1, "AudioMetaInfo": "m"}),
    )
    .await;
    let one = ok(
        addr,
        "DescribeVoicePrint",
        json!({"DescribeMode": 0, "VoicePrintIdList": [print]}),
    )
    .await;
    assert_eq!(one["Data"][0]["VoicePrintMetaInfo"], json!("m"));
    ok(addr, "DeleteVoicePrint", json!({"VoicePrintId": print})).await;
    assert_eq!(
        code(addr, "DeleteVoicePrint", json!({"VoicePrintId": print})).await,
        "FailedOperation.UpdateVoicePrintIdNotFound"
    );
}

#[tokio::test]
async fn speech_is_silence_as_long_as_the_text_in_the_format_asked_for() {
    let emu = emulator().await;
    let addr = emu.addr();
    let speech = |voice: &str, format: Value| json!({"SdkAppId": APP, "Text": "你好呀", "Voice": {"VoiceId": voice}, "AudioFormat": format});
    let wav = ok(
        addr,
        "TextToSpeech",
        speech("v-female-R2s4N9qJ", json!({"Format": "wav", "SampleRate": 16000})),
    )
    .await;
    assert_eq!(wav["TotalDurationMs"], json!(450), "three characters at 150 ms");
    let audio = base64::engine::general_purpose::STANDARD
        .decode(wav["Audio"].as_str().unwrap())
        .unwrap();
    assert_eq!(&audio[..4], b"RIFF");
    assert_eq!(audio.len(), 44 + 16_000 * 2 * 450 / 1000);
    assert_eq!(
        code(addr, "TextToSpeech", speech("fake", json!({}))).await,
        "InvalidParameter.VoiceId",
        "as the documented example answers a voice that does not exist"
    );
    assert_eq!(
        code(
            addr,
            "TextToSpeech",
            speech("v-female-R2s4N9qJ", json!({"SampleRate": 8000}))
        )
        .await,
        "InvalidParameter.SampleRate"
    );
    // A cloned voice speaks once it is cloned.
    let voice = ok(
        addr,
        "VoiceClone",
        json!({"SdkAppId": APP, "VoiceName": "xiaoming_02", "PromptAudio": "ejxxxxxx"}),
    )
    .await;
    let voice = voice["VoiceId"].as_str().unwrap().to_owned();
    assert!(
        voice.starts_with("xiaoming_02_") && voice.len() == "xiaoming_02_".len() + 10,
        "{voice}"
    );
    ok(addr, "TextToSpeech", speech(&voice, json!({"Format": "mp3"}))).await;
    assert_eq!(
        code(
            addr,
            "VoiceClone",
            json!({"SdkAppId": APP, "VoiceName": "bad name", "PromptAudio": "x"})
        )
        .await,
        "InvalidParameter.VoiceName"
    );

    // The event stream: chunks of PCM, the last marked, one RequestId.
    let long = "长".repeat(200);
    let answer = send(
        addr,
        "TextToSpeechSSE",
        json!({"SdkAppId": APP, "Text": long, "Voice": {"VoiceId": "v-female-R2s4N9qJ"}}),
    )
    .await;
    assert_eq!(
        answer.content_type.as_deref(),
        Some("text/event-stream"),
        "{}",
        answer.body
    );
    let events: Vec<Value> = answer
        .body
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|e| serde_json::from_str(e).unwrap())
        .collect();
    // 200 characters: 30 s of 24 kHz 16-bit PCM, 1,440,000 bytes, in 32 KiB chunks.
    assert_eq!(events.len(), 1_440_000_usize.div_ceil(32 * 1024));
    let total: usize = events
        .iter()
        .map(|e| {
            base64::engine::general_purpose::STANDARD
                .decode(e["Audio"].as_str().unwrap())
                .unwrap()
                .len()
        })
        .sum();
    assert_eq!(total, 1_440_000);
    assert!(events
        .iter()
        .enumerate()
        .all(|(i, e)| e["Seq"] == json!(i) && e["IsEnd"] == json!(i + 1 == events.len())));
    assert!(events.windows(2).all(|w| w[0]["RequestId"] == w[1]["RequestId"]));
    assert_eq!(
        code(
            addr,
            "TextToSpeechSSE",
            speech("v-female-R2s4N9qJ", json!({"Format": "mp3"}))
        )
        .await,
        "InvalidParameter.AudioEncodeParams",
        "the stream is PCM only"
    );

    let task = ok(addr, "AsyncTextToSpeech", speech("v-female-R2s4N9qJ", json!({}))).await["TaskId"].clone();
    let done = ok(addr, "DescribeAsyncTextToSpeech", json!({"TaskId": task})).await;
    assert_eq!(
        (&done["Status"], &done["TotalDurationMs"]),
        (&json!("Success"), &json!(450))
    );
    assert_eq!(
        code(addr, "DescribeAsyncTextToSpeech", json!({"TaskId": "no-such-task"})).await,
        "ResourceNotFound"
    );
}

#[tokio::test]
async fn audio_moderation_passes_and_an_ai_conversation_keeps_what_was_pushed() {
    let emu = emulator().await;
    let addr = emu.addr();
    let judged = ok(
        addr,
        "CreateAudioModerationSync",
        json!({"Sdkappid": APP, "DataId": "d-1", "FileUrl": "https://example.com/a.wav"}),
    )
    .await;
    assert_eq!(
        (&judged["Suggest"], &judged["Label"], &judged["DataId"]),
        (&json!(0), &json!("Normal"), &json!("d-1"))
    );
    assert_eq!(
        code(
            addr,
            "CreateAudioModerationSync",
            json!({"Sdkappid": APP, "DataId": "d-2"})
        )
        .await,
        "InvalidParameter"
    );

    let start = json!({
        "SdkAppId": APP, "RoomId": "1234", "RoomIdType": 0,
        "AgentConfig": {"UserId": "bot", "UserSig": "s", "TargetUserId": "alice"},
        "LLMConfig": "{}", "TTSConfig": "{}"
    });
    let task = ok(addr, "StartAIConversation", start).await["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    let ids = json!({"SdkAppId": APP, "TaskId": task});
    assert_eq!(ok(addr, "QueryAIMessageList", ids.clone()).await["Total"], json!(0));
    ok(
        addr,
        "ControlAIConversation",
        json!({"TaskId": task, "Command": "ServerPushText", "ServerPushText": {"Text": "hello"}}),
    )
    .await;
    ok(
        addr,
        "ControlAIConversation",
        json!({"TaskId": task, "Command": "InvokeLLM", "InvokeLLM": {"Content": "what time is it"}}),
    )
    .await;
    ok(
        addr,
        "ControlAIConversation",
        json!({"TaskId": task, "Command": "ServerPushText", "ServerPushText": {"Text": "aside", "AddHistory": false}}),
    )
    .await;
    let messages = ok(addr, "QueryAIMessageList", ids.clone()).await;
    assert_eq!(
        messages,
        json!({"Total": 2, "MessageList": [{"Role": "assistant", "Content": "hello"}, {"Role": "user", "Content": "what time is it"}], "RequestId": messages["RequestId"]})
    );
    ok(addr, "StopAIConversation", json!({"TaskId": task})).await;
    assert_eq!(
        code(addr, "QueryAIMessageList", ids).await,
        "FailedOperation.TaskNotExist"
    );
}

#[tokio::test]
async fn a_query_request_is_checked_member_by_member_at_every_depth() {
    let emu = emulator().await;
    let addr = emu.addr();
    // A GET carries objects flattened: read back into them, their text as the declared types.
    let get = Call::get(
        "CreateCloudRecording",
        "SdkAppId=1400000001&RoomId=1234&RoomIdType=1&UserId=rec&UserSig=s&RecordParams.RecordMode=2\
         &RecordParams.SubscribeStreamUserIds.SubscribeAudioUserIds.0=alice&StorageParams.CloudVod.TencentVod.SubAppId=7",
    )
    .send(addr)
    .await;
    get.ok();
    let bad = Call::get(
        "CreateCloudRecording",
        "SdkAppId=1400000001&RoomId=1234&RoomIdType=1&UserId=rec&UserSig=s&RecordParams.RecordMode=two\
         &StorageParams.CloudVod.TencentVod.SubAppId=7",
    )
    .send(addr)
    .await;
    bad.is("InvalidParameter");
    assert!(bad.message().contains("`RecordParams.RecordMode`"), "{}", bad.message());
    let unknown = Call::get(
        "CreateCloudRecording",
        "SdkAppId=1400000001&RoomId=1234&RoomIdType=1&UserId=rec&UserSig=s&RecordParams.RecordMode=2\
         &RecordParams.Mode=1&StorageParams.CloudVod.TencentVod.SubAppId=7",
    )
    .send(addr)
    .await;
    unknown.is("UnknownParameter");
    assert!(
        unknown
            .message()
            .contains("`RecordParams.Mode` is not defined for RecordParams"),
        "{}",
        unknown.message()
    );
}
