//! `trtc-bench`: the measurement programs that `cargo xtask bench` runs, each printing one JSON object.
//!
//! - `sign`: median ns to build and sign one DismissRoom request, with a reused and a fresh signing key;
//! - `usersig`: median ns to mint one UserSig;
//! - `e2e`: DismissRoom calls through the full client against an endpoint (sequential or concurrent),
//!   with throughput, latency percentiles, client CPU per call and peak RSS of this process;
//! - `floor-server` / `floor-client`: a bare hyper server answering a fixed envelope and a bare hyper client
//!   posting the same body, the physical floor of this machine;
//! - `soak`: DismissRoom on distinct rooms against a faulty emulator, every outcome checked against its journal.
#![forbid(unsafe_code)]

mod e2e;
mod floor;
mod process;
mod sign;
mod soak;
mod usersig;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("sign") => sign::run(&args[1..]),
        Some("e2e") => e2e::run(&args[1..]),
        Some("floor-server") => floor::serve(&args[1..]),
        Some("floor-client") => floor::client(&args[1..]),
        Some("soak") => soak::run(&args[1..]),
        Some("usersig") => usersig::run(&args[1..]),
        _ => Err("usage: trtc-bench sign|usersig|e2e|floor-server|floor-client|soak [--flag value]...".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("trtc-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` pairs.
pub(crate) struct Flags<'a>(&'a [String]);

impl<'a> Flags<'a> {
    pub(crate) fn new(args: &'a [String]) -> Self {
        Flags(args)
    }

    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        self.0
            .iter()
            .position(|a| a == name)
            .and_then(|i| self.0.get(i + 1))
            .map(String::as_str)
    }

    pub(crate) fn require(&self, name: &str) -> Result<&'a str, String> {
        self.get(name).ok_or_else(|| format!("missing {name}"))
    }

    pub(crate) fn number(&self, name: &str, default: u64) -> Result<u64, String> {
        match self.get(name) {
            Some(v) => v
                .parse()
                .map_err(|_| format!("{name} must be a whole number, got {v:?}")),
            None => Ok(default),
        }
    }
}

/// The median of `samples` (sorted in place).
pub(crate) fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The tokio runtime of a measurement program: `--runtime multi` (the default, tokio's multi-threaded
/// scheduler as `#[tokio::main]` gives) or `--runtime current` (one thread).
pub(crate) fn runtime(flags: &Flags<'_>) -> Result<tokio::runtime::Runtime, String> {
    let mut builder = match flags.get("--runtime").unwrap_or("multi") {
        "multi" => tokio::runtime::Builder::new_multi_thread(),
        "current" => tokio::runtime::Builder::new_current_thread(),
        other => return Err(format!("--runtime must be multi or current, got {other:?}")),
    };
    builder.enable_all().build().map_err(|e| e.to_string())
}
