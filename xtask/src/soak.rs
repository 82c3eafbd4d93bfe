//! `cargo xtask soak [--quick] [--calls N] [--seed S]`: DismissRoom on distinct rooms through the full client
//! (release build) against `trtc emulator` in another process that drops connections, answers HTTP 502,
//! answers late and answers `InternalError`, and limits each application to 20 requests per second while the
//! client's own limiter is off. Prints the one JSON object of `trtc-bench soak` and fails unless nothing was
//! lost, duplicated or panicked, file descriptors did not leak, and every call is accounted for.
//!
//! The default is 100,000 calls; `--quick` makes 10,000.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use serde_json::Value;

use crate::{root, run};

const SECRET_ID: &str = "AKIDsoakKey00000000000000000000000";
const SECRET_KEY: &str = "soakSecretKey0000000000000000000";
/// The per-attempt timeout the client is given; the latency fault is longer, so those attempts time out.
const ATTEMPT_TIMEOUT_MS: u64 = 1_000;
/// The faults, as the emulator's `--fault` flags. Rules are consulted in order and the first non-latency
/// rule that fires decides the answer, so the later rates apply to what the earlier ones left.
const FAULTS: &[&str] = &[
    "drop@rate=0.05",
    "bad-gateway@rate=0.05",
    "latency=1500ms@rate=0.02",
    "internal-error@rate=0.02",
];

/// The emulator process, killed when dropped.
struct Emulator {
    child: Child,
    endpoint: String,
}

impl Emulator {
    fn start(trtc: &Path, args: &[String]) -> Result<Emulator, String> {
        let mut child = Command::new(trtc)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", trtc.display()))?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("the emulator has no stdout")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("reading the emulator's address: {e}"))?;
        let endpoint = line
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("the emulator printed {line:?} instead of its address"))?
            .to_owned();
        Ok(Emulator { child, endpoint })
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn flag_value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

pub(crate) fn soak(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let calls: u64 = match flag_value(args, "--calls") {
        Some(n) => n.parse().map_err(|_| format!("--calls {n:?} is not a whole number"))?,
        None if quick => 10_000,
        None => 100_000,
    };
    let seed = flag_value(args, "--seed").unwrap_or("7");
    let root = root();
    let dir = root.join("target/soak");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;

    run(Command::new(env!("CARGO")).args(["build", "--release", "-p", "trtc-bench", "-p", "trtc-cli"]))?;
    let started = Instant::now();
    let bench = root.join("target/release/trtc-bench");
    let trtc = root.join("target/release/trtc");
    let calls_arg = calls.to_string();
    let common = [
        "--calls",
        &calls_arg,
        "--secret-id",
        SECRET_ID,
        "--secret-key",
        SECRET_KEY,
    ];

    let config = dir.join("emulator.json");
    run(Command::new(&bench)
        .arg("soak")
        .args(common)
        .arg("--emulator-config")
        .arg(&config))?;
    let mut emulator_args: Vec<String> = ["emulator", "--listen", "127.0.0.1:0", "--config"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    emulator_args.push(config.display().to_string());
    emulator_args.extend(["--rate-limit".to_owned(), "20".to_owned()]);
    emulator_args.extend(["--fault-seed".to_owned(), seed.to_owned()]);
    for fault in FAULTS {
        emulator_args.extend(["--fault".to_owned(), fault.to_string()]);
    }
    let emulator = Emulator::start(&trtc, &emulator_args)?;
    eprintln!(
        "xtask soak: {calls} DismissRoom calls against the emulator at {} (faults {}, 20/s per application)",
        emulator.endpoint,
        FAULTS.join(", ")
    );
    let output = Command::new(&bench)
        .arg("soak")
        .args(common)
        .args(["--endpoint", &emulator.endpoint])
        .args(["--attempt-timeout-ms", &ATTEMPT_TIMEOUT_MS.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bench.display()))?;
    drop(emulator);
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or("").to_owned();
    println!("{line}");
    eprintln!("xtask soak: {:.1} s after the build", started.elapsed().as_secs_f64());
    let summary: Value =
        serde_json::from_str(&line).map_err(|_| format!("trtc-bench soak printed {text:?}, not a JSON object"))?;
    let mut problems = check(&summary, calls);
    if !output.status.success() {
        problems.push(format!("trtc-bench soak failed with {}", output.status));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("soak failed: {}", problems.join("; ")))
    }
}

/// The pass conditions, read from the summary alone.
fn check(summary: &Value, calls: u64) -> Vec<String> {
    let n = |key: &str| summary.get(key).and_then(Value::as_i64);
    let mut problems = Vec::new();
    for key in ["lost", "duplicated", "panics"] {
        match n(key) {
            Some(0) => {}
            Some(v) => problems.push(format!("{key} is {v}, not 0")),
            None => problems.push(format!("no {key} in the summary")),
        }
    }
    match n("fd_growth") {
        Some(v) if v <= 8 => {}
        other => problems.push(format!("fd_growth is {other:?}, more than 8")),
    }
    let failed: i64 = summary
        .get("failed")
        .and_then(Value::as_object)
        .map(|m| m.values().filter_map(Value::as_i64).sum())
        .unwrap_or(-1);
    let succeeded = n("succeeded").unwrap_or(-1);
    // With nothing lost or panicked and every success a verified dismissal, this says every room is either
    // dismissed or reported failed under a code.
    if n("calls") != Some(calls as i64) || succeeded < 0 || failed < 0 || succeeded + failed != calls as i64 {
        problems.push(format!(
            "{succeeded} succeeded and {failed} failed do not add up to the {calls} calls"
        ));
    }
    problems
}
