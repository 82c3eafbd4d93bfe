//! `trtc`: the command line of trtc-rs. Dismiss rooms, sign requests for debugging, run a local emulator.
#![forbid(unsafe_code)]

mod args;
mod credentials;
mod dismiss;
mod emulator;
mod exit;
mod sign;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::exit::Failure;

fn main() -> ExitCode {
    exit::install_panic_hook();
    init_logging();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return exit::usage_error(e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return Failure::internal(format!("cannot start the async runtime: {e}")).report(),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::DismissRoom(args) => dismiss::run(args).await,
            Command::Emulator(args) => emulator::run(args).await,
            Command::Sign(args) => sign::run(args),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// `RUST_LOG` (e.g. `RUST_LOG=trtc_transport=debug` or `RUST_LOG=trace`) turns on the library's tracing
/// events on stderr; without it nothing is logged. No event carries a secret.
fn init_logging() {
    let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG") else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
