//! `cargo xtask fuzz [--seconds N] [--target NAME] [--no-sanitizer]`: runs each cargo-fuzz target of
//! `fuzz/` for a bounded time (30 s by default) and fails on the first crash, naming the input file.
//!
//! libFuzzer needs nightly compiler flags (`-Zsanitizer`): the task uses the `nightly` toolchain when rustup
//! has one, and otherwise the active toolchain with `RUSTC_BOOTSTRAP=1`. Each target starts from its seeds
//! (`fuzz/seeds/<target>`, committed) and keeps what it learns in `fuzz/corpus/<target>` (not committed).
//! A crash input is saved by libFuzzer under `fuzz/artifacts/<target>/`; it becomes a regression test.
//!
//! The same targets run as proptests with `cargo test` (see docs/reliability.md), so they are exercised
//! even where no fuzzer can run.

use std::process::{Command, Stdio};

use crate::root;

const TARGETS: &[&str] = &[
    "response_envelope",
    "sign_inputs",
    "emulator_request",
    "credentials_file",
    "usersig_verify",
    "callback_verify",
];

fn flag_value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// `cargo` with the toolchain that can build libFuzzer targets.
fn cargo() -> Command {
    let nightly = Command::new("cargo")
        .args(["+nightly", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let mut cargo = Command::new("cargo");
    if nightly {
        cargo.arg("+nightly");
    } else {
        cargo.env("RUSTC_BOOTSTRAP", "1");
    }
    cargo
}

pub(crate) fn fuzz(args: &[String]) -> Result<(), String> {
    let seconds: u64 = match flag_value(args, "--seconds") {
        Some(s) => s
            .parse()
            .map_err(|_| format!("--seconds {s:?} is not a whole number"))?,
        None => 30,
    };
    let targets: Vec<&str> = match flag_value(args, "--target") {
        Some(t) if TARGETS.contains(&t) => vec![t],
        Some(t) => return Err(format!("no fuzz target {t:?}: the targets are {}", TARGETS.join(", "))),
        None => TARGETS.to_vec(),
    };
    let sanitizer = if args.iter().any(|a| a == "--no-sanitizer") {
        "none"
    } else {
        "address"
    };
    let root = root();
    let installed = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        return Err(
            "cargo-fuzz is not installed: run `cargo install cargo-fuzz` (the proptest versions of the targets \
             run with `cargo test` in the meantime)"
                .to_owned(),
        );
    }

    let status = cargo()
        .args(["fuzz", "build", "--sanitizer", sanitizer])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
    if !status.success() {
        return Err(format!("cargo fuzz build failed with {status}"));
    }
    let mut summary = Vec::new();
    for target in targets {
        let corpus = root.join("fuzz/corpus").join(target);
        let seeds = root.join("fuzz/seeds").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        eprintln!("xtask fuzz: {target} for {seconds} s");
        let mut command = cargo();
        command
            .args(["fuzz", "run", "--sanitizer", sanitizer, target])
            .arg(&corpus);
        if seeds.is_dir() {
            command.arg(&seeds);
        }
        let output = command
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                "-timeout=20",
                "-rss_limit_mb=2048",
                "-print_final_stats=1",
            ])
            .current_dir(&root)
            .stdout(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        let stat = |name: &str| {
            log.lines()
                .find_map(|l| l.strip_prefix(&format!("stat::{name}:")))
                .map_or("?".to_owned(), |v| v.trim().to_owned())
        };
        if !output.status.success() {
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(format!(
                "{target} found a crash (input saved under fuzz/artifacts/{target}/):\n{}",
                tail.join("\n")
            ));
        }
        let corpus_size = std::fs::read_dir(&corpus).map(|d| d.count()).unwrap_or(0);
        summary.push(format!(
            "| `{target}` | {seconds} | {} | {} | {corpus_size} |",
            stat("number_of_executed_units"),
            stat("average_exec_per_sec"),
        ));
    }
    println!("| target | seconds | executions | per second | corpus files |\n| --- | ---: | ---: | ---: | ---: |");
    for row in summary {
        println!("{row}");
    }
    Ok(())
}
