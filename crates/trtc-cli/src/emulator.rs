//! `trtc emulator`: serve a local TRTC until killed.

use std::io::Write;

use trtc_emulator::{Emulator, EmulatorConfig};

use crate::args::EmulatorArgs;
use crate::exit::Failure;

pub async fn run(args: EmulatorArgs) -> Result<(), Failure> {
    if !args.listen.ip().is_loopback() {
        if !args.allow_non_loopback {
            return Err(Failure::bad_input(format!(
                "--listen {} is not a loopback address: use 127.0.0.1:PORT, or add --allow-non-loopback to expose the emulator to the network",
                args.listen
            )));
        }
        eprintln!(
            "warning: the emulator listens on {}, reachable from the network; it accepts the configured key only",
            args.listen
        );
    }
    let mut config =
        EmulatorConfig::new()
            .listen(args.listen)
            .credential(args.secret_id, args.secret_key, [args.sdk_app_id]);
    for room in args.rooms {
        config = config.room(args.sdk_app_id, room);
    }
    let emulator = Emulator::start(config).await.map_err(|e| {
        Failure::bad_input(format!(
            "cannot listen on {}: {e}; choose another --listen address",
            args.listen
        ))
    })?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{}", emulator.addr())
            .and_then(|()| stdout.flush())
            .map_err(|e| Failure::internal(format!("cannot write to stdout: {e}")))?;
    }
    let _ = tokio::signal::ctrl_c().await;
    emulator.shutdown().await;
    Ok(())
}
