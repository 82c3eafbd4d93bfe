//! The retry rules against the emulator's injected faults: what the client retries, what it does not, and how
//! the emulator's journal sees it.

use std::time::Duration;

use trtc_emulator::{Emulator, EmulatorConfig, Fault, FaultPlan, RateLimit, Trigger, DEMO_SECRET_ID, DEMO_SECRET_KEY};
use trtc_transport::{Client, Credentials, DismissRoomRequest, Error, ErrorCode, Region, RetryPolicy};

const APP: u64 = 1400000001;

async fn emulator_with(fault: Fault, trigger: Trigger, rooms: u64) -> Emulator {
    let mut config = EmulatorConfig::demo(APP).rate_limit(RateLimit::per_second(0));
    for room in 1..=rooms {
        config = config.room(APP, room);
    }
    let emulator = Emulator::start(config).await.unwrap();
    emulator
        .set_faults(FaultPlan::new().rule(fault, trigger).unwrap())
        .unwrap();
    emulator
}

/// The default policy with short backoffs, so tests do not wait.
fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_throttled_backoff(Duration::from_millis(1))
}

fn client(emulator: &Emulator, policy: RetryPolicy) -> Client {
    Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .no_rate_limit()
        .attempt_timeout(Duration::from_millis(500))
        .retry(policy)
        .build()
        .unwrap()
}

#[tokio::test]
async fn one_fault_of_each_kind_is_retried_through() {
    for fault in [Fault::InternalError, Fault::BadGateway, Fault::Drop] {
        let emulator = emulator_with(fault, Trigger::Next(1), 1).await;
        let client = client(&emulator, fast());
        let out = client.dismiss_room(DismissRoomRequest::new(APP, 1)).await;
        assert!(out.is_ok(), "{fault:?}: {out:?}");
        assert!(
            !emulator.room_exists(APP, 1),
            "{fault:?}: dismissed once the fault passed"
        );
        let journal = emulator.journal();
        assert!(
            journal.len() >= 2,
            "{fault:?}: the fault and the retry reached the emulator: {journal:?}"
        );
    }
}

#[tokio::test]
async fn a_retried_dismissal_whose_first_answer_was_lost_reports_room_not_exist() {
    // The first answer is delayed past the attempt timeout: the room is dismissed, the client never hears.
    let emulator = emulator_with(Fault::Latency { latency_ms: 1_500 }, Trigger::Next(1), 1).await;
    let client = client(&emulator, fast());
    let err = client.dismiss_room(DismissRoomRequest::new(APP, 1)).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::FailedOperationRoomNotExist), "{err}");
    assert!(!emulator.room_exists(APP, 1));
}

#[tokio::test]
async fn persistent_faults_end_in_the_last_error_after_the_attempt_limit() {
    let emulator = emulator_with(Fault::BadGateway, Trigger::Rate(1.0), 1).await;
    let client = client(&emulator, fast().with_max_attempts(3));
    let err = client.dismiss_room(DismissRoomRequest::new(APP, 1)).await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse { status: 502, .. }), "{err:?}");
    assert_eq!(emulator.journal().len(), 3);
    assert!(emulator.room_exists(APP, 1));
}

#[tokio::test]
async fn throttling_by_the_service_is_retried() {
    let emulator = Emulator::start(
        EmulatorConfig::demo(APP)
            .rate_limit(RateLimit::new(1, Duration::from_millis(300)))
            .room(APP, 1)
            .room(APP, 2),
    )
    .await
    .unwrap();
    let client = client(
        &emulator,
        RetryPolicy::default()
            .with_max_attempts(10)
            .with_throttled_backoff(Duration::from_millis(200))
            .with_max_backoff(Duration::from_millis(400)),
    );
    client.dismiss_room(DismissRoomRequest::new(APP, 1)).await.unwrap();
    // The second call is throttled at first, then goes through.
    client.dismiss_room(DismissRoomRequest::new(APP, 2)).await.unwrap();
    let codes: Vec<Option<String>> = emulator.journal().iter().map(|e| e.code().map(str::to_owned)).collect();
    assert!(
        codes.iter().any(|c| c.as_deref() == Some("RequestLimitExceeded")),
        "{codes:?}"
    );
    assert_eq!(emulator.room_count(), 0);
}

#[tokio::test]
async fn authentication_errors_are_not_retried() {
    let emulator = emulator_with(Fault::Latency { latency_ms: 0 }, Trigger::Next(0), 1).await;
    let client = Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, "notTheKey").unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .build()
        .unwrap();
    let err = client.dismiss_room(DismissRoomRequest::new(APP, 1)).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::AuthFailureSignatureFailure));
    assert_eq!(emulator.journal().len(), 1, "one attempt only");
}

#[tokio::test]
async fn the_retry_budget_stops_a_storm_against_a_failing_service() {
    let emulator = emulator_with(Fault::InternalError, Trigger::Rate(1.0), 100).await;
    let client = client(&emulator, fast().with_max_attempts(3).with_budget(50));
    for room in 1..=100 {
        assert!(client.dismiss_room(DismissRoomRequest::new(APP, room)).await.is_err());
    }
    // 100 first attempts, and the 50 tokens pay for 10 retries of 5 tokens.
    assert_eq!(emulator.journal().len(), 110);
}
