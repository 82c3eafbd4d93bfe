//! `trtc emulator`: serve a local TRTC until killed (Ctrl-C or SIGTERM).

use std::io::Write;
use std::net::SocketAddr;

use trtc_emulator::{Emulator, EmulatorConfig, FaultRule, RateLimit, SdkAppKey};

use crate::args::EmulatorArgs;
use crate::exit::Failure;
use crate::signals::stopped;

/// The credential of --secret-id, --secret-key and --sdk-app-id, which come together; `None` when a
/// --config file is given instead.
fn flag_credential(args: &EmulatorArgs) -> Result<Option<(&str, &str, u64)>, Failure> {
    match (&args.secret_id, &args.secret_key, args.sdk_app_id) {
        (Some(id), Some(key), Some(app)) => Ok(Some((id, key.expose(), app))),
        (None, None, None) if args.config.is_some() => {
            let flag = if !args.rooms.is_empty() {
                Some("--room")
            } else if !args.room_ranges.is_empty() {
                Some("--room-range")
            } else if !args.str_rooms.is_empty() {
                Some("--str-room")
            } else if args.token.is_some() {
                Some("--token")
            } else {
                None
            };
            match flag {
                Some(flag) => Err(Failure::bad_input(format!(
                    "{flag} applies to the credential of --secret-id/--secret-key/--sdk-app-id: add those three, \
                     or put it in the --config file"
                ))),
                None => Ok(None),
            }
        }
        (None, None, None) => Err(Failure::bad_input(
            "the emulator needs a credential: add --secret-id ID --secret-key KEY --sdk-app-id APP, or --config FILE",
        )),
        (id, key, app) => {
            let missing: Vec<&str> = [
                (id.is_none(), "--secret-id"),
                (key.is_none(), "--secret-key"),
                (app.is_none(), "--sdk-app-id"),
            ]
            .into_iter()
            .filter_map(|(absent, flag)| absent.then_some(flag))
            .collect();
            Err(Failure::bad_input(format!(
                "--secret-id, --secret-key and --sdk-app-id come together: add {}",
                missing.join(" and ")
            )))
        }
    }
}

/// The SDK secret key for --sdk-app-id: --sdk-secret-key's, the --sdk-secret-key-file's, else
/// $TRTC_SDK_SECRET_KEY's when set.
fn sdk_secret_key(args: &EmulatorArgs) -> Result<Option<String>, Failure> {
    if let Some(key) = &args.sdk_secret_key {
        return Ok(Some(key.expose().to_owned()));
    }
    match &args.sdk_secret_key_file {
        Some(path) => std::fs::read_to_string(path)
            .map(|text| Some(text.trim_end_matches(['\r', '\n']).to_owned()))
            .map_err(|e| Failure::bad_input(format!("--sdk-secret-key-file {}: {e}", path.display()))),
        None if args.sdk_app_id.is_some() => Ok(std::env::var(crate::usersig::KEY_VAR).ok()),
        None => Ok(None),
    }
}

/// The configuration: the file's if given, then the flags added to it.
fn config(args: &EmulatorArgs) -> Result<EmulatorConfig, Failure> {
    let flag_credential = flag_credential(args)?;
    let mut config = match &args.config {
        Some(path) => EmulatorConfig::from_file(path).map_err(|e| Failure::bad_input(format!("--config {e}")))?,
        None => EmulatorConfig::new(),
    };
    if let Some((id, key, app)) = flag_credential {
        config = match &args.token {
            Some(token) => config.temporary_credential(id, key, token.expose(), [app]),
            None => config.credential(id, key, [app]),
        };
        for &room in &args.rooms {
            config = config.room(app, room);
        }
        for &(first, last) in &args.room_ranges {
            for room in first..=last {
                config = config.room(app, room);
            }
        }
        for room in &args.str_rooms {
            config = config.str_room(app, room);
        }
    }
    if let Some(key) = sdk_secret_key(args)? {
        // --sdk-secret-key-file requires --sdk-app-id; the variable is read only with it.
        if let Some(app) = args.sdk_app_id {
            config = config.sdk_app_key(SdkAppKey::new(app, key).with_permission_control(args.permission_control));
        }
    } else if args.permission_control {
        return Err(Failure::bad_input(format!(
            "--permission-control needs the SDK secret key of --sdk-app-id: --sdk-secret-key-file FILE, --sdk-secret-key KEY or {}",
            crate::usersig::KEY_VAR
        )));
    }
    if let Some(limit) = args.rate_limit {
        config = config.rate_limit(RateLimit::per_second(limit));
    }
    if !args.faults.is_empty() || args.fault_seed.is_some() {
        let mut plan = config.fault_plan().clone();
        for spec in &args.faults {
            let rule: FaultRule = spec.parse().map_err(|e| Failure::bad_input(format!("--fault {e}")))?;
            plan = plan.with(rule);
        }
        if let Some(seed) = args.fault_seed {
            plan = plan.seed(seed);
        }
        config = config.faults(plan);
    }
    if args.no_admin_api {
        config = config.admin_api(false);
    }
    let listen = args.listen.unwrap_or_else(|| config.listen_addr());
    config = config.listen(listen);
    config.check().map_err(|e| {
        Failure::bad_input(format!(
            "{e} (from --secret-id/--secret-key/--token or the --config file)"
        ))
    })?;
    Ok(config)
}

fn check_loopback(listen: SocketAddr, allow_non_loopback: bool) -> Result<(), Failure> {
    if listen.ip().is_loopback() {
        return Ok(());
    }
    if !allow_non_loopback {
        return Err(Failure::bad_input(format!(
            "--listen {listen} is not a loopback address: use 127.0.0.1:PORT, or add --allow-non-loopback to expose the emulator to the network"
        )));
    }
    eprintln!(
        "warning: the emulator listens on {listen}, reachable from the network; it accepts the configured keys only, \
         but its admin API (/_emulator/) is open unless --no-admin-api"
    );
    Ok(())
}

pub(crate) async fn run(args: EmulatorArgs) -> Result<(), Failure> {
    let config = config(&args)?;
    let listen = config.listen_addr();
    check_loopback(listen, args.allow_non_loopback)?;
    let emulator = Emulator::start(config).await.map_err(|e| {
        Failure::bad_input(format!(
            "cannot listen on {listen}: {e}; choose another --listen address"
        ))
    })?;
    // Install the signal handlers before announcing readiness, so a SIGTERM sent right after the
    // "listening on" line is handled rather than killing the process.
    let stop = stopped();
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{}", emulator.addr())
            .and_then(|()| stdout.flush())
            .map_err(|e| Failure::internal(format!("cannot write to stdout: {e}")))?;
    }
    stop.wait().await;
    emulator.shutdown().await;
    Ok(())
}
