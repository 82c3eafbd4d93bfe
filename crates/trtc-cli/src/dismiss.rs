//! `trtc dismiss-room`: against the service, or against an emulator started in this process.

use std::io::Write;

use trtc::{Client, Credentials, DismissRoomRequest, Region};
use trtc_emulator::{Emulator, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};

use crate::args::DismissRoomArgs;
use crate::credentials;
use crate::exit::Failure;

pub async fn run(args: DismissRoomArgs) -> Result<(), Failure> {
    let region = match (&args.region, args.emulator) {
        (Some(region), _) => region
            .parse::<Region>()
            .map_err(|e| Failure::bad_input(format!("--region: {e}")))?,
        (None, true) => Region::ApGuangzhou,
        (None, false) => {
            return Err(Failure::bad_input(
                "--region is required: add --region ap-guangzhou (or ap-beijing, ap-singapore)",
            ))
        }
    };
    let request = DismissRoomRequest::new(args.sdk_app_id, args.room_id);

    if args.emulator {
        let config = EmulatorConfig::demo(args.sdk_app_id).room(args.sdk_app_id, args.room_id);
        let emulator = Emulator::start(config)
            .await
            .map_err(|e| Failure::internal(format!("cannot start the emulator: {e}")))?;
        eprintln!(
            "emulator listening on {}; created room {} in application {}",
            emulator.endpoint(),
            args.room_id,
            args.sdk_app_id
        );
        let credentials = Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY)
            .map_err(|e| Failure::internal(format!("demo credential: {e}")))?;
        let client = build_client(credentials, region, Some(emulator.endpoint()))?;
        let result = dismiss(&client, request).await;
        if result.is_ok() && !emulator.room_exists(args.sdk_app_id, args.room_id) {
            eprintln!("emulator confirms room {} is dismissed", args.room_id);
        }
        emulator.shutdown().await;
        return result;
    }

    let credentials = credentials::from_env()?;
    let client = build_client(credentials, region, args.endpoint)?;
    dismiss(&client, request).await
}

fn build_client(credentials: Credentials, region: Region, endpoint: Option<String>) -> Result<Client, Failure> {
    let mut builder = Client::builder().credential(credentials).region(region);
    if let Some(endpoint) = endpoint {
        builder = builder.endpoint(endpoint);
    }
    builder.build().map_err(Failure::from_client)
}

async fn dismiss(client: &Client, request: DismissRoomRequest) -> Result<(), Failure> {
    let out = client.dismiss_room(request).await.map_err(Failure::from_client)?;
    let line = serde_json::json!({ "RequestId": out.request_id }).to_string();
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}").map_err(|e| Failure::internal(format!("cannot write to stdout: {e}")))
}
