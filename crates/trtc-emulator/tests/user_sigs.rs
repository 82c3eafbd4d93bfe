//! The UserSigs a request carries for the service's bots (the recording bot's `UserSig`, a relay's
//! `AgentParams.UserSig`) are checked with the application's SDK secret key when the emulator has one:
//! `InvalidParameter.UserSig` for a bad or expired one; without a key any non-empty one is accepted.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::{Call, APP, ID, KEY};
use serde_json::{json, Value};
use trtc_emulator::{Emulator, EmulatorConfig, SdkAppKey};
use trtc_usersig::{Issuer, Secret};

const SDK_KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn user_sig(user: &str, time: u64) -> String {
    let issuer = Issuer::new(u32::try_from(APP).unwrap(), Secret::new(SDK_KEY)).unwrap();
    issuer.user_sig(user, time, 86_400).unwrap()
}

fn recording(sig: &str) -> Value {
    json!({
        "SdkAppId": APP, "RoomId": "1234", "RoomIdType": 1, "UserId": "recorder_1", "UserSig": sig,
        "RecordParams": {"RecordMode": 2}, "StorageParams": {"CloudVod": {}}
    })
}

async fn emulator(with_key: bool) -> Emulator {
    let mut config = EmulatorConfig::new()
        .credential(ID, KEY, [APP])
        .users(APP, 1234, ["alice"]);
    if with_key {
        config = config.sdk_app_key(SdkAppKey::new(APP, SDK_KEY));
    }
    Emulator::start(config).await.unwrap()
}

fn code(answer: &Value) -> Option<&str> {
    answer["Response"]["Error"]["Code"].as_str()
}

#[tokio::test]
async fn with_a_key_a_bots_user_sig_must_verify() {
    let emu = emulator(true).await;
    let good = Call::post("CreateCloudRecording", recording(&user_sig("recorder_1", now())))
        .send(emu.addr())
        .await;
    good.ok();
    for (sig, why) in [
        ("sig".to_owned(), "not a UserSig"),
        (user_sig("someone_else", now()), "another user's"),
        (user_sig("recorder_1", now() - 2 * 86_400), "expired"),
    ] {
        let answer = Call::post("CreateCloudRecording", recording(&sig))
            .send(emu.addr())
            .await
            .json();
        assert_eq!(code(&answer), Some("InvalidParameter.UserSig"), "{why}: {answer}");
        let message = answer["Response"]["Error"]["Message"].as_str().unwrap();
        assert!(message.contains("`UserSig`"), "{message}");
        assert!(!message.contains(&sig), "the string is not repeated: {message}");
    }
    // One object down: a relay's AgentParams.
    let relay = |sig: &str| {
        json!({
            "SdkAppId": APP, "RoomId": "1234", "RoomIdType": 0, "WithTranscoding": 1,
            "AgentParams": {"UserId": "relay_1", "UserSig": sig},
            "PublishCdnParams": [{"PublishCdnUrl": "rtmp://example.com/live/a"}]
        })
    };
    let answer = Call::post("StartPublishCdnStream", relay("sig"))
        .send(emu.addr())
        .await
        .json();
    assert_eq!(code(&answer), Some("InvalidParameter.UserSig"), "{answer}");
    assert!(answer["Response"]["Error"]["Message"]
        .as_str()
        .unwrap()
        .contains("`AgentParams.UserSig`"));
    Call::post("StartPublishCdnStream", relay(&user_sig("relay_1", now())))
        .send(emu.addr())
        .await
        .ok();
    // In a list's items: the rooms a relay feeds back into, each with its bot.
    let mut feed_back = relay(&user_sig("relay_1", now()));
    feed_back["FeedBackRoomParams"] = json!([
        {"RoomId": "1234", "RoomIdType": 0, "UserId": "feeder_1", "UserSig": user_sig("feeder_1", now())},
        {"RoomId": "1234", "RoomIdType": 0, "UserId": "feeder_2", "UserSig": user_sig("feeder_1", now())},
    ]);
    let answer = Call::post("StartPublishCdnStream", feed_back.clone())
        .send(emu.addr())
        .await
        .json();
    assert_eq!(code(&answer), Some("InvalidParameter.UserSig"), "{answer}");
    let message = answer["Response"]["Error"]["Message"].as_str().unwrap();
    assert!(
        message.contains("`FeedBackRoomParams.1.UserSig`") && message.contains("feeder_2"),
        "{message}"
    );
    feed_back["FeedBackRoomParams"][1]["UserSig"] = json!(user_sig("feeder_2", now()));
    Call::post("StartPublishCdnStream", feed_back)
        .send(emu.addr())
        .await
        .ok();
}

#[tokio::test]
async fn without_a_key_any_non_empty_user_sig_is_accepted() {
    let emu = emulator(false).await;
    Call::post("CreateCloudRecording", recording("sig"))
        .send(emu.addr())
        .await
        .ok();
}
