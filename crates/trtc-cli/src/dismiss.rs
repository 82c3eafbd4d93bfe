//! `trtc dismiss-room`: one room or a batch, against the service or an emulator started in this process.

use trtc::{Client, Credentials, DismissRoomRequest, RateKey, RedisLimiterOptions, RedisRateLimiter, Region};
use trtc_emulator::{Emulator, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};

use crate::args::DismissRoomArgs;
use crate::batch;
use crate::exit::Failure;
use crate::service::{self, check, print_request_id};

pub(crate) async fn run(args: DismissRoomArgs) -> Result<(), Failure> {
    let region = match (&args.service.region, args.emulator) {
        (Some(region), _) => service::parse_region(region)?,
        (None, true) => Region::ApGuangzhou,
        (None, false) => service::required_region(None)?,
    };
    if let (Some(ids), Some(report)) = (&args.room_ids_file, &args.report) {
        return run_batch(&args, region, ids, report).await;
    }
    let Some(room_id) = args.room_id else {
        return Err(Failure::bad_input(
            "--room-id is required: add --room-id ID, or --room-ids-file PATH --report PATH for many rooms",
        ));
    };
    let request = DismissRoomRequest::new(args.sdk_app_id, room_id);
    check(&request, &region)?;

    if args.emulator {
        let emulator = start_emulator(args.sdk_app_id, &[room_id]).await?;
        let client = emulator_client(&emulator, region)?;
        let result = dismiss(&client, request, &args).await;
        if result.is_ok() && !emulator.room_exists(args.sdk_app_id, room_id) {
            eprintln!("emulator confirms room {room_id} is dismissed");
        }
        emulator.shutdown().await;
        return result;
    }

    let service = &args.service;
    let client = service::client(region, service.endpoint.as_deref(), service.profile.as_deref()).await?;
    dismiss(&client, request, &args).await
}

async fn run_batch(
    args: &DismissRoomArgs,
    region: Region,
    ids: &std::path::Path,
    report: &std::path::Path,
) -> Result<(), Failure> {
    check(&DismissRoomRequest::new(args.sdk_app_id, 1), &region)?;
    let plan = batch::plan(args.sdk_app_id, ids, report)?;
    let concurrency = usize::from(args.concurrency);
    let output = args.service.output;
    if args.emulator {
        let emulator = start_emulator(args.sdk_app_id, &plan.todo).await?;
        let client = emulator_client(&emulator, region)?;
        let result = batch::execute(Some(client), plan, concurrency, output).await;
        emulator.shutdown().await;
        return result;
    }
    // Credentials are looked up only when there is work: rerunning a finished batch needs none.
    let client = match plan.todo.is_empty() {
        true => None,
        false => {
            let service = &args.service;
            if let Some(endpoint) = service.endpoint.as_deref() {
                trtc::Endpoint::parse(endpoint).map_err(Failure::from_client)?;
            }
            let credentials = crate::credentials::provider(service.profile.as_deref()).await?;
            let mut builder = service::builder(region, service.endpoint.as_deref(), credentials);
            if let Some(url) = &args.rate_limit_redis {
                let limiter = RedisRateLimiter::connect(url, RedisLimiterOptions::default())
                    .await
                    .map_err(|e| Failure::bad_input(format!("--rate-limit-redis: {}", crate::exit::chain(&e))))?;
                eprintln!(
                    "sharing the rate limit through Redis key {}",
                    limiter.redis_key_of(
                        &RateKey::new("trtc", "DismissRoom", "<SecretId>").with_sdk_app_id(args.sdk_app_id)
                    )
                );
                builder = builder.rate_limiter(limiter);
            }
            Some(builder.build().map_err(Failure::from_client)?)
        }
    };
    batch::execute(client, plan, concurrency, output).await
}

async fn start_emulator(sdk_app_id: u64, rooms: &[u64]) -> Result<Emulator, Failure> {
    let mut config = EmulatorConfig::demo(sdk_app_id);
    for &room in rooms {
        config = config.room(sdk_app_id, room);
    }
    let emulator = Emulator::start(config)
        .await
        .map_err(|e| Failure::internal(format!("cannot start the emulator: {e}")))?;
    let created = match rooms {
        [one] => format!("room {one}"),
        many => format!("{} rooms", many.len()),
    };
    eprintln!(
        "emulator listening on {}; created {created} in application {sdk_app_id}",
        emulator.endpoint()
    );
    Ok(emulator)
}

fn emulator_client(emulator: &Emulator, region: Region) -> Result<Client, Failure> {
    let credentials = Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY)
        .map_err(|e| Failure::internal(format!("demo credential: {e}")))?;
    service::build(region, Some(&emulator.endpoint()), credentials)
}

async fn dismiss(client: &Client, request: DismissRoomRequest, args: &DismissRoomArgs) -> Result<(), Failure> {
    let room_id = request.room_id;
    let out = client.dismiss_room(request).await.map_err(Failure::from_client)?;
    print_request_id(args.service.output, &out.request_id, || {
        format!("dismissed room {room_id} of application {}", args.sdk_app_id)
    })
}
