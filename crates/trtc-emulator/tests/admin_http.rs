//! The admin API over HTTP, as a script in another language uses it: apps, credentials, rooms and users,
//! journal, faults, rate limit, reset; and its refusals.

mod common;

use common::{admin, Call, APP, ID, KEY};
use serde_json::json;
use trtc_emulator::{Emulator, EmulatorConfig};

async fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::new().credential(ID, KEY, [APP]).room(APP, 1))
        .await
        .unwrap()
}

#[tokio::test]
async fn rooms_and_users() {
    let emu = emulator().await;
    let addr = emu.addr();
    let (status, body) = admin(
        addr,
        "POST",
        "rooms",
        Some(json!({"sdk_app_id": APP, "room": "class-7", "users": ["bob", "alice"]})),
    )
    .await;
    assert_eq!((status, body), (200, json!({"created": true})));
    let (_, body) = admin(addr, "POST", "rooms", Some(json!({"sdk_app_id": APP, "room": 1}))).await;
    assert_eq!(body, json!({"created": false}));
    let (status, _) = admin(
        addr,
        "POST",
        "users",
        Some(json!({"sdk_app_id": APP, "room": 1, "user_ids": ["carol"]})),
    )
    .await;
    assert_eq!(status, 200);

    let (status, body) = admin(addr, "GET", "rooms", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"rooms": [
            {"sdk_app_id": APP, "room": 1, "users": [{"user_id": "carol", "block": "none"}]},
            {"sdk_app_id": APP, "room": "class-7", "users": [
                {"user_id": "alice", "block": "none"}, {"user_id": "bob", "block": "none"}]}
        ]})
    );
    // What the admin API created, the API acts on.
    Call::post(
        "SetUserBlockedByStrRoomId",
        json!({"SdkAppId": APP, "StrRoomId": "class-7", "UserId": "bob", "IsMute": 3}),
    )
    .send(addr)
    .await
    .ok();
    let (_, body) = admin(addr, "GET", "rooms", None).await;
    assert_eq!(
        body["rooms"][1]["users"][1],
        json!({"user_id": "bob", "block": "video"})
    );
}

#[tokio::test]
async fn credentials_and_apps() {
    let emu = emulator().await;
    let addr = emu.addr();
    let (status, _) = admin(
        addr,
        "POST",
        "credentials",
        Some(json!({"secret_id": "AKIDtemp", "secret_key": "tempKey", "token": "tok", "sdk_app_ids": [1400000009u64]})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = admin(
        addr,
        "POST",
        "apps",
        Some(json!({"sdk_app_id": 1400000010u64, "secret_id": "AKIDtemp"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = admin(
        addr,
        "POST",
        "apps",
        Some(json!({"sdk_app_id": 1, "secret_id": "AKIDnobody"})),
    )
    .await;
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("credentials"), "{body}");

    let (_, body) = admin(addr, "GET", "apps", None).await;
    assert_eq!(
        body,
        json!({"apps": [
            {"sdk_app_id": APP, "secret_ids": [ID]},
            {"sdk_app_id": 1400000009u64, "secret_ids": ["AKIDtemp"]},
            {"sdk_app_id": 1400000010u64, "secret_ids": ["AKIDtemp"]}
        ]})
    );
    assert!(!body.to_string().contains("tempKey") && !body.to_string().contains("tok\""));
    emu.create_room(1400000010, 5);
    Call::post("DismissRoom", json!({"SdkAppId": 1400000010u64, "RoomId": 5}))
        .key("AKIDtemp", "tempKey")
        .token("tok")
        .send(addr)
        .await
        .ok();

    let (status, body) = admin(
        addr,
        "POST",
        "credentials",
        Some(json!({"secret_id": "AKIDx", "secret_key": ""})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("SecretKey"), "{body}");
}

#[tokio::test]
async fn journal_faults_rate_limit_and_reset() {
    let emu = emulator().await;
    let addr = emu.addr();
    let (status, _) = admin(
        addr,
        "PUT",
        "faults",
        Some(json!({"seed": 3, "rules": [{"fault": "internal-error", "next": 1}]})),
    )
    .await;
    assert_eq!(status, 200);
    let dismiss = || Call::post("DismissRoom", json!({"SdkAppId": APP, "RoomId": 1}));
    dismiss().send(addr).await.is("InternalError");
    let (_, faults) = admin(addr, "GET", "faults", None).await;
    assert_eq!(
        faults,
        json!({"seed": 3, "rules": [{"fault": "internal-error", "next": 0}]})
    );
    dismiss().send(addr).await.ok();

    let (_, body) = admin(addr, "GET", "journal", None).await;
    let entries = body["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "admin requests are not journaled: {body}");
    assert_eq!(entries[0]["code"], "InternalError");
    assert_eq!(entries[1]["outcome"], "success");
    assert_eq!(entries[1]["action"], "DismissRoom");
    assert_eq!(entries[1]["sdk_app_id"], APP);
    assert_eq!(entries[1]["room"], 1);
    assert_eq!(entries[1]["secret_id"], ID);
    assert_eq!(entries[1]["request_id"].as_str().unwrap().len(), 36);
    assert!(entries[1]["time_ms"].as_u64().unwrap() > 1_600_000_000_000);

    let (status, _) = admin(
        addr,
        "PUT",
        "rate-limit",
        Some(json!({"max_requests": 1, "window_ms": 60000})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, limit) = admin(addr, "GET", "rate-limit", None).await;
    assert_eq!(limit, json!({"max_requests": 1, "window_ms": 60000}));
    dismiss().send(addr).await.is("FailedOperation.RoomNotExist");
    dismiss().send(addr).await.is("RequestLimitExceeded");

    let (status, _) = admin(addr, "DELETE", "journal", None).await;
    assert_eq!(status, 200);
    assert!(emu.journal().is_empty());

    let (status, _) = admin(addr, "POST", "reset", None).await;
    assert_eq!(status, 200);
    assert!(emu.room_exists(APP, 1), "reset brings back the configured rooms");
    assert_eq!(emu.rate_limit().max_requests(), 20);
    dismiss().send(addr).await.ok();
    let (_, faults) = admin(addr, "DELETE", "faults", None).await;
    assert_eq!(faults, json!({}));
}

#[tokio::test]
async fn refusals_name_the_problem() {
    let emu = emulator().await;
    let addr = emu.addr();
    let (status, body) = admin(addr, "POST", "rooms", Some(json!({"sdk_app_id": "x", "room": 1}))).await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("sdk_app_id"), "{body}");
    let (status, body) = admin(
        addr,
        "PUT",
        "faults",
        Some(json!({"rules": [{"fault": "drop", "rate": 7}]})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("between 0 and 1"), "{body}");
    let (status, _) = admin(addr, "DELETE", "rooms", None).await;
    assert_eq!(status, 405);
    let (status, body) = admin(addr, "GET", "teapot", None).await;
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("journal"), "{body}");
}

#[tokio::test]
async fn the_admin_api_can_be_turned_off() {
    let emu = Emulator::start(EmulatorConfig::new().credential(ID, KEY, [APP]).admin_api(false))
        .await
        .unwrap();
    let (status, _) = admin(emu.addr(), "GET", "rooms", None).await;
    assert_eq!(status, 404);
}
