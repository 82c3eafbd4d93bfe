//! Injected faults as a client sees them: latency, dropped connections, HTTP 502 pages, InternalError;
//! at a rate (seeded, reproducible) or for the next N requests.

mod common;

use std::time::{Duration, Instant};

use common::{Call, APP, ID, KEY};
use serde_json::json;
use trtc_emulator::{Emulator, EmulatorConfig, Fault, FaultPlan, Outcome, Trigger};

async fn emulator(plan: FaultPlan) -> Emulator {
    Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP])
            .room(APP, 1)
            .faults(plan),
    )
    .await
    .unwrap()
}

fn dismiss() -> Call {
    Call::post("DismissRoom", json!({"SdkAppId": APP, "RoomId": 1}))
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let emu = emulator(
        FaultPlan::new()
            .rule(Fault::Latency { latency_ms: 300 }, Trigger::Next(1))
            .unwrap(),
    )
    .await;
    let started = Instant::now();
    dismiss().send(emu.addr()).await.ok();
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(emu.journal()[0].injected_latency_ms, 300);
    assert_eq!(emu.journal()[0].outcome, Outcome::Success);
}

#[tokio::test]
async fn drop_closes_the_connection_without_an_answer() {
    let emu = emulator(FaultPlan::new().rule(Fault::Drop, Trigger::Next(2)).unwrap()).await;
    for _ in 0..2 {
        let bytes = dismiss().to_bytes(emu.addr());
        assert!(common::raw(emu.addr(), &bytes).await.is_none());
    }
    assert!(emu.room_exists(APP, 1), "a dropped request changes nothing");
    dismiss().send(emu.addr()).await.ok();
    let journal = emu.journal();
    assert_eq!(journal[0].outcome, Outcome::Dropped);
    assert_eq!(journal[0].request_id, None);
    assert_eq!(journal[0].action.as_deref(), Some("DismissRoom"));
    assert_eq!(journal[2].outcome, Outcome::Success);
}

#[tokio::test]
async fn bad_gateway_is_a_502_html_page() {
    let emu = emulator(FaultPlan::new().rule(Fault::BadGateway, Trigger::Next(1)).unwrap()).await;
    let answer = dismiss().send(emu.addr()).await;
    assert_eq!(answer.status, 502);
    assert_eq!(answer.content_type.as_deref(), Some("text/html"));
    assert!(answer.body.contains("<h1>502 Bad Gateway</h1>"), "{}", answer.body);
    assert!(emu.room_exists(APP, 1));
    assert_eq!(emu.journal()[0].outcome, Outcome::BadGateway);
}

#[tokio::test]
async fn internal_error_is_an_envelope_and_changes_nothing() {
    let emu = emulator(FaultPlan::new().rule(Fault::InternalError, Trigger::Next(1)).unwrap()).await;
    dismiss().send(emu.addr()).await.is("InternalError");
    assert!(emu.room_exists(APP, 1));
    dismiss().send(emu.addr()).await.ok();
    assert_eq!(emu.journal()[0].code(), Some("InternalError"));
    assert!(emu.journal()[0].request_id.is_some());
}

#[tokio::test]
async fn rates_are_reproducible_with_a_seed() {
    async fn run(seed: u64) -> Vec<Option<String>> {
        let plan = FaultPlan::new()
            .seed(seed)
            .rule(Fault::InternalError, Trigger::Rate(0.5))
            .unwrap();
        let emu = emulator(plan).await;
        let mut codes = Vec::new();
        for _ in 0..40 {
            // RoomNotExist after the first success: what matters is which requests got InternalError.
            codes.push(dismiss().send(emu.addr()).await.code().filter(|c| c == "InternalError"));
        }
        codes
    }
    let first = run(11).await;
    assert_eq!(first, run(11).await);
    let hits = first.iter().filter(|c| c.is_some()).count();
    assert!((8..=32).contains(&hits), "{hits} of 40 at rate 0.5");
    assert_ne!(first, run(12).await);
}

#[tokio::test]
async fn faults_can_be_set_read_and_cleared_at_run_time() {
    let emu = emulator(FaultPlan::new()).await;
    emu.set_faults(FaultPlan::new().rule(Fault::InternalError, Trigger::Next(3)).unwrap())
        .unwrap();
    dismiss().send(emu.addr()).await.is("InternalError");
    assert_eq!(emu.faults().rules()[0].trigger(), Trigger::Next(2));
    emu.clear_faults();
    dismiss().send(emu.addr()).await.ok();
    assert!(FaultPlan::new().rule(Fault::Drop, Trigger::Rate(-0.1)).is_err());
}
