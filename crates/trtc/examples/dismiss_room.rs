//! Dismiss a room, and tell "dismissed" from "already gone" from a real failure.
//!
//! Runs offline against an emulator started in this process:
//!
//! ```sh
//! cargo run -p trtc --example dismiss_room
//! ```
//!
//! Against the service, drop the emulator and build the client with `.default_credentials()` (environment
//! variables, `~/.tencentcloud/credentials`, CVM role, TKE OIDC) and no `.endpoint(..)`.

use trtc::{Client, Credentials, DismissRoomRequest, ErrorClass, ErrorCode, Region};
use trtc_emulator::{Emulator, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};

const SDK_APP_ID: u64 = 1400000001;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::demo(SDK_APP_ID).room(SDK_APP_ID, 1234)).await?;

    let client = Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY)?)
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .build()?;

    // The first dismissal closes the room; the second finds it gone, which is what was wanted anyway.
    for attempt in 1..=2 {
        match client.dismiss_room(DismissRoomRequest::new(SDK_APP_ID, 1234)).await {
            Ok(out) => println!("attempt {attempt}: dismissed room 1234, RequestId {}", out.request_id),
            Err(e) if e.code() == Some(&ErrorCode::FailedOperationRoomNotExist) => {
                println!("attempt {attempt}: room 1234 is already gone")
            }
            // Authentication and caller errors need a fix; throttling and transient errors were already
            // retried by the client, so what is left is worth logging with its RequestId.
            Err(e) => match e.api() {
                Some(api) if api.code.class() == ErrorClass::Authentication => {
                    return Err(format!("check the credentials: {e}").into())
                }
                _ => return Err(e.into()),
            },
        }
    }
    assert!(!emulator.room_exists(SDK_APP_ID, 1234));
    emulator.shutdown().await;
    Ok(())
}
