//! `trtc`: the command line of trtc-rs. Every room action (one room or a resumable batch), any API 3.0 action
//! as JSON, request signing for debugging, a local emulator, shell completions, a receiver of event callbacks.
#![forbid(unsafe_code)]

mod actions;
mod args;
mod batch;
mod call;
mod callbacks;
mod completions;
mod credentials;
mod dismiss;
mod emulator;
mod exit;
#[cfg(debug_assertions)]
mod probe;
mod rooms;
mod service;
mod sign;
mod signals;
mod usersig;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::exit::Failure;

fn main() -> ExitCode {
    exit::install_panic_hook();
    init_logging();
    // `trtc call <Action> --help` lists the action's members, as `trtc actions <Action>` does.
    if let Some(action) = actions::help_requested(std::env::args()) {
        return match actions::print_members(&action) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => failure.report(),
        };
    }
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
            Command::DismissRoomByStrRoomId(args) => rooms::dismiss_by_str(args).await,
            Command::RemoveUser(args) => rooms::remove_user(args).await,
            Command::RemoveUserByStrRoomId(args) => rooms::remove_user_by_str(args).await,
            Command::SetUserBlocked(args) => rooms::set_user_blocked(args).await,
            Command::SetUserBlockedByStrRoomId(args) => rooms::set_user_blocked_by_str(args).await,
            Command::Call(args) => call::run(args).await,
            Command::Actions(args) => actions::run(args),
            Command::Emulator(args) => emulator::run(args).await,
            Command::Sign(args) => sign::run(args),
            Command::Completions(args) => completions::run(args),
            Command::Usersig(args) => usersig::run(args),
            Command::Callbacks(command) => callbacks::run(command).await,
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
