//! `cargo xtask <task>`: the project's chores, written in Rust so they run wherever cargo does.
#![forbid(unsafe_code)]

mod bench;
mod codegen;
mod fuzz;
mod interop;
mod soak;
mod usersig_vectors;
mod vectors;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const TASKS: &[(&str, &str)] = &[
    ("ci", "run the checks CI runs (.ci/run): fmt, clippy, docs, tests"),
    (
        "codegen",
        "generate trtc-model's API types, table of actions, ErrorCode table and spec vectors from ../shared/spec (--check: fail if stale)",
    ),
    (
        "interop",
        "check the emulator with the official clients (tccli, Python SDK) in a venv",
    ),
    (
        "vectors",
        "regenerate trtc-sign's signing vectors with the official Python SDK (needs python3 and PyPI)",
    ),
    (
        "usersig-vectors",
        "regenerate trtc-usersig's vectors with the official TLSSigAPIv2 packages (needs python3, node, PyPI, npm)",
    ),
    (
        "bench",
        "measure signing and calls against the Python SDK and the hyper floor [--quick]",
    ),
    (
        "fuzz",
        "run each cargo-fuzz target of fuzz/ for a bounded time (needs cargo-fuzz) [--seconds N] [--target T]",
    ),
    (
        "soak",
        "100,000 DismissRoom calls against a faulty, rate-limited emulator: nothing lost or duplicated [--quick]",
    ),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        usage();
        return ExitCode::from(2);
    };
    let result = match task.as_str() {
        "ci" => run(Command::new("bash").arg(root().join(".ci/run"))),
        "codegen" => codegen::run(&root(), &args[1..]),
        "interop" => interop::run(&root()),
        "bench" => bench::bench(&args[1..]),
        "vectors" => vectors::run(&root()),
        "usersig-vectors" => usersig_vectors::run(&root()),
        "soak" => soak::soak(&args[1..]),
        "fuzz" => fuzz::fuzz(&args[1..]),
        "help" | "--help" | "-h" => {
            usage();
            Ok(())
        }
        other => Err(format!("unknown task {other:?}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() {
    eprintln!("usage: cargo xtask <task>\n\ntasks:");
    for (name, what) in TASKS {
        eprintln!("  {name:<10} {what}");
    }
}

/// The workspace root (the parent of this crate's directory).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed with {status}"))
    }
}
