//! Test your own code against the emulator: a function of "your application" and the integration tests that
//! pin its behaviour, with no credentials and no network.
//!
//! ```sh
//! cargo test -p trtc --example emulator_in_tests   # the tests
//! cargo run -p trtc --example emulator_in_tests    # the function once, for show
//! ```
//!
//! In your own crate, put `trtc-emulator` and `tokio` (features `macros`, `rt-multi-thread`) in
//! `[dev-dependencies]` and the tests below in `tests/`. Each test starts its own emulator on a free port,
//! so tests run in parallel without sharing state.

use trtc::{Client, Credentials, DismissRoomRequest, Error, ErrorCode, Region};
use trtc_emulator::{Emulator, DEMO_SECRET_ID, DEMO_SECRET_KEY};

/// Your application's code: close the rooms of a class that ended. A room that is already gone is fine;
/// anything else is returned with the rooms closed so far.
pub async fn close_class(client: &Client, sdk_app_id: u64, rooms: &[u64]) -> Result<usize, (usize, Error)> {
    let mut closed = 0;
    for &room in rooms {
        match client.dismiss_room(DismissRoomRequest::new(sdk_app_id, room)).await {
            Ok(_) => closed += 1,
            Err(e) if e.code() == Some(&ErrorCode::FailedOperationRoomNotExist) => {}
            Err(e) => return Err((closed, e)),
        }
    }
    Ok(closed)
}

/// Test support: a client signed with the demo credential that `EmulatorConfig::demo` accepts.
pub fn client_for(emulator: &Emulator) -> Client {
    Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).expect("the demo credential is valid"))
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .build()
        .expect("a loopback endpoint and a region make a valid client")
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = trtc_emulator::EmulatorConfig::demo(1400000001)
        .room(1400000001, 1)
        .room(1400000001, 2);
    let emulator = Emulator::start(config).await?;
    let client = client_for(&emulator);
    let closed = close_class(&client, 1400000001, &[1, 2, 3]).await.map_err(|(_, e)| e)?;
    println!("closed {closed} rooms; the emulator has {} left", emulator.room_count());
    emulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use trtc_emulator::{EmulatorConfig, Fault, FaultPlan, Outcome, Trigger};

    const APP: u64 = 1400000001;

    async fn emulator_with_rooms(rooms: &[u64]) -> Emulator {
        let mut config = EmulatorConfig::demo(APP);
        for &room in rooms {
            config = config.room(APP, room);
        }
        Emulator::start(config).await.expect("start the emulator")
    }

    #[tokio::test]
    async fn closes_every_room_and_ignores_rooms_already_gone() {
        let emulator = emulator_with_rooms(&[1, 2]).await;
        let closed = close_class(&client_for(&emulator), APP, &[1, 2, 3]).await.unwrap();
        assert_eq!(closed, 2);
        assert_eq!(emulator.room_count(), 0);
        // What the service saw: two dismissals and one RoomNotExist, nothing else.
        let journal = emulator.journal();
        assert_eq!(journal.len(), 3);
        assert_eq!(journal[2].code(), Some("FailedOperation.RoomNotExist"));
    }

    #[tokio::test]
    async fn rides_out_a_gateway_error() {
        let emulator = emulator_with_rooms(&[1]).await;
        emulator
            .set_faults(FaultPlan::new().rule(Fault::BadGateway, Trigger::Next(1)).unwrap())
            .unwrap();
        assert_eq!(close_class(&client_for(&emulator), APP, &[1]).await.unwrap(), 1);
        let outcomes: Vec<Outcome> = emulator.journal().into_iter().map(|e| e.outcome).collect();
        assert_eq!(outcomes, [Outcome::BadGateway, Outcome::Success]);
    }

    #[tokio::test]
    async fn stops_at_a_refused_signature() {
        let emulator = emulator_with_rooms(&[1, 2]).await;
        let wrong = Client::builder()
            .credential(Credentials::new(DEMO_SECRET_ID, "notTheDemoKey").unwrap())
            .region(Region::ApGuangzhou)
            .endpoint(emulator.endpoint())
            .build()
            .unwrap();
        let (closed, err) = close_class(&wrong, APP, &[1, 2]).await.unwrap_err();
        assert_eq!(closed, 0);
        assert_eq!(err.code(), Some(&ErrorCode::AuthFailureSignatureFailure));
        assert_eq!(emulator.room_count(), 2);
    }
}
