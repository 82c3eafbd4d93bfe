//! Sign with the credentials of one profile of a `~/.tencentcloud/credentials`-style file.
//!
//! ```sh
//! cargo run -p trtc --example profile_credentials
//! ```
//!
//! The example writes its own file (a `[default]` and a `[staging]` profile) into a temporary directory and
//! reads `[staging]`. In a program, `ProfileProvider::new().profile("staging")` finds the file by itself:
//! `$TENCENTCLOUD_CREDENTIALS_FILE`, then `~/.tencentcloud/credentials`, then
//! `/etc/tencentcloud/credentials`. The file is read again at every call, so a rotated key is picked up
//! without a restart.

use trtc::{Client, DismissRoomRequest, ProfileProvider, ProvideCredentials, Region};
use trtc_emulator::{Emulator, EmulatorConfig};

const SDK_APP_ID: u64 = 1400000001;
const STAGING_ID: &str = "AKIDexampleStagingKey00000000000000";
const STAGING_KEY: &str = "exampleStagingSecretKey000000000";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("trtc-example-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("credentials");
    std::fs::write(
        &file,
        format!(
            "[default]\nsecret_id = AKIDexampleDefaultKey00000000000000\nsecret_key = exampleDefaultSecretKey000000000\n\n\
             [staging]\nsecret_id = {STAGING_ID}\nsecret_key = {STAGING_KEY}\n"
        ),
    )?;

    // The emulator knows the staging key only: a request signed with [default] would be refused.
    let emulator = Emulator::start(
        EmulatorConfig::new()
            .credential(STAGING_ID, STAGING_KEY, [SDK_APP_ID])
            .room(SDK_APP_ID, 1234),
    )
    .await?;

    let profile = ProfileProvider::new().path(&file).profile("staging");
    println!("signing as {}", profile.provide_credentials().await?.secret_id());
    let client = Client::builder()
        .credentials_provider(profile)
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .build()?;
    let out = client.dismiss_room(DismissRoomRequest::new(SDK_APP_ID, 1234)).await?;
    println!("dismissed room 1234, RequestId {}", out.request_id);

    // A profile the file does not have is an error naming the profiles it does have.
    let missing = ProfileProvider::new().path(&file).profile("prod");
    let err = missing.provide_credentials().await.unwrap_err();
    println!("asking for [prod]: {err}");
    assert!(err.to_string().contains("no [prod] section"));

    emulator.shutdown().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
