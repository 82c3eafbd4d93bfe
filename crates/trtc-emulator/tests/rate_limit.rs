//! The documented limit of 20 requests per second per action and application, over HTTP.

mod common;

use std::time::Duration;

use common::{Call, APP, ID, KEY};
use serde_json::json;
use trtc_emulator::{Emulator, EmulatorConfig, RateLimit};

fn dismiss(app: u64, room: u64) -> Call {
    Call::post("DismissRoom", json!({"SdkAppId": app, "RoomId": room}))
}

#[tokio::test]
async fn the_default_is_twenty_per_second() {
    let emu = Emulator::start(EmulatorConfig::new().credential(ID, KEY, [APP]))
        .await
        .unwrap();
    assert_eq!(emu.rate_limit(), RateLimit::per_second(20));
}

#[tokio::test]
async fn the_twenty_first_request_is_request_limit_exceeded() {
    // Twenty per minute instead of per second, so the count does not depend on how fast this machine sends.
    let limit = RateLimit::new(20, Duration::from_secs(60));
    let emu = Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP, 1400000002])
            .rate_limit(limit),
    )
    .await
    .unwrap();
    for room in 1..=20 {
        // Failed actions count too: the limit is on requests, not on successes.
        dismiss(APP, room)
            .send(emu.addr())
            .await
            .is("FailedOperation.RoomNotExist");
    }
    emu.create_room(APP, 21);
    let refused = dismiss(APP, 21).send(emu.addr()).await;
    refused.is("RequestLimitExceeded");
    assert!(refused.message().contains("20 requests"), "{}", refused.message());
    assert!(emu.room_exists(APP, 21), "a refused request changes nothing");
    // Another application and another action have budgets of their own.
    dismiss(1400000002, 1)
        .send(emu.addr())
        .await
        .is("FailedOperation.RoomNotExist");
    Call::post("DismissRoomByStrRoomId", json!({"SdkAppId": APP, "RoomId": "r"}))
        .send(emu.addr())
        .await
        .is("FailedOperation.RoomNotExist");
    let journal = emu.journal();
    assert_eq!(
        journal
            .iter()
            .filter(|e| e.code() == Some("RequestLimitExceeded"))
            .count(),
        1
    );
}

#[tokio::test]
async fn the_window_slides_and_can_be_changed_at_run_time() {
    let emu = Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP])
            .rate_limit(RateLimit::new(2, Duration::from_secs(1))),
    )
    .await
    .unwrap();
    dismiss(APP, 1)
        .send(emu.addr())
        .await
        .is("FailedOperation.RoomNotExist");
    dismiss(APP, 1)
        .send(emu.addr())
        .await
        .is("FailedOperation.RoomNotExist");
    dismiss(APP, 1).send(emu.addr()).await.is("RequestLimitExceeded");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    dismiss(APP, 1)
        .send(emu.addr())
        .await
        .is("FailedOperation.RoomNotExist");

    emu.set_rate_limit(RateLimit::unlimited());
    for _ in 0..30 {
        dismiss(APP, 1)
            .send(emu.addr())
            .await
            .is("FailedOperation.RoomNotExist");
    }
}

#[tokio::test]
async fn refused_authentication_does_not_use_the_budget() {
    let emu = Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP])
            .rate_limit(RateLimit::new(1, Duration::from_secs(60))),
    )
    .await
    .unwrap();
    for _ in 0..3 {
        dismiss(APP, 1)
            .key(ID, "wrong")
            .send(emu.addr())
            .await
            .is("AuthFailure.SignatureFailure");
    }
    dismiss(APP, 1)
        .send(emu.addr())
        .await
        .is("FailedOperation.RoomNotExist");
    dismiss(APP, 1).send(emu.addr()).await.is("RequestLimitExceeded");
}
