//! The blocking client: the same calls without `async`, for scripts and programs with no async runtime.
//!
//! ```sh
//! cargo run -p trtc --example blocking --features blocking
//! ```

use trtc::{Client, Credentials, Mute, Region, RemoveUserRequest, SetUserBlockedRequest};
use trtc_emulator::{Emulator, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};

const SDK_APP_ID: u64 = 1400000001;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The emulator is a server, so it runs on an async runtime of its own; the program itself has none.
    let server = tokio::runtime::Runtime::new()?;
    let emulator = server.block_on(Emulator::start(EmulatorConfig::demo(SDK_APP_ID).users(
        SDK_APP_ID,
        1234,
        ["alice", "bob"],
    )))?;

    let client = trtc::blocking::Client::new(
        Client::builder()
            .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY)?)
            .region(Region::ApGuangzhou)
            .endpoint(emulator.endpoint())
            .build()?,
    )?;
    let out = client.set_user_blocked(SetUserBlockedRequest::new(SDK_APP_ID, 1234, "alice", Mute::AudioOnly))?;
    println!("muted alice's audio, RequestId {}", out.request_id);
    let out = client.remove_user(RemoveUserRequest::new(SDK_APP_ID, 1234, ["bob"]))?;
    println!("removed bob, RequestId {}", out.request_id);

    let room = emulator.room(SDK_APP_ID, 1234).ok_or("room 1234 is gone")?;
    println!(
        "left in room 1234: {:?}",
        room.users.iter().map(|u| &u.user_id).collect::<Vec<_>>()
    );
    server.block_on(emulator.shutdown());
    Ok(())
}
