//! `cargo xtask bench [--quick]`: trtc-rs against the official Python SDK and the bare hyper floor, in one run.
//!
//! Every figure is measured in this run on this machine: the Rust programs are release builds of
//! `crates/trtc-bench` and `trtc`; the Python SDK is installed into a venv under `target/bench/`. Servers
//! (the emulator, the floor server) run in processes of their own so client costs are told apart.
//! Writes `target/bench/summary.json` and prints a Markdown table.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Map, Value};

use crate::{root, run};

const APP: &str = "1400000001";
const SECRET_ID: &str = "AKIDbenchKey00000000000000000000000";
const SECRET_KEY: &str = "benchSecretKey000000000000000000";
/// The Python SDK versions measured; pinned so runs compare like with like.
const PYTHON_PACKAGES: &[&str] = &[
    "tencentcloud-sdk-python-common==3.1.195",
    "tencentcloud-sdk-python-trtc==3.1.177",
    // The official UserSig package, measured against trtc-usersig.
    "tls-sig-api-v2==1.1",
];

/// How many alternating rounds of our client and the floor the throughput figures are medians of.
const ROUNDS: u64 = 3;

struct Sizes {
    sequential_calls: u64,
    python_calls: u64,
    concurrent_calls: u64,
    sign_batches: u64,
    python_sign_batches: u64,
}

const FULL: Sizes = Sizes {
    sequential_calls: 30_000,
    python_calls: 3_000,
    concurrent_calls: 100_000,
    sign_batches: 200,
    python_sign_batches: 50,
};

const QUICK: Sizes = Sizes {
    sequential_calls: 6_000,
    python_calls: 500,
    concurrent_calls: 30_000,
    sign_batches: 40,
    python_sign_batches: 10,
};

/// A server process, killed when dropped.
struct Server {
    child: Child,
    endpoint: String,
}

impl Server {
    fn start(program: &Path, args: &[&str]) -> Result<Server, String> {
        let mut child = Command::new(program)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("reading {}: {e}", program.display()))?;
        let endpoint = line
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("{} printed {line:?} instead of its address", program.display()))?
            .to_owned();
        Ok(Server { child, endpoint })
    }

    /// `127.0.0.1:PORT`, as the Python SDK takes it.
    fn authority(&self) -> &str {
        self.endpoint.trim_start_matches("http://")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a program that prints one JSON object and returns it.
fn json_of(command: &mut Command) -> Result<Map<String, Value>, String> {
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{command:?} failed with {}", output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let last = text.lines().last().unwrap_or("");
    match serde_json::from_str(last) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(format!("{command:?} printed {text:?}, not a JSON object")),
    }
}

fn number(map: &Map<String, Value>, key: &str) -> Result<f64, String> {
    map.get(key)
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("no number {key:?} in {}", Value::Object(map.clone())))
}

fn no_errors(map: &Map<String, Value>, what: &str) -> Result<(), String> {
    match map.get("errors").and_then(Value::as_u64) {
        Some(0) | None => Ok(()),
        Some(n) => Err(format!(
            "{what}: {n} calls failed, first: {}",
            map.get("first_error").unwrap_or(&Value::Null)
        )),
    }
}

/// The CPU every sequential run is pinned to, client and server alike.
const SEQUENTIAL_CPU: &str = "0";

/// `program` to be run on [`SEQUENTIAL_CPU`] only, through `taskset` (util-linux).
fn on_one_cpu(program: &Path) -> Command {
    let mut command = Command::new("taskset");
    command.args(["-c", SEQUENTIAL_CPU]).arg(program);
    command
}

/// Moves every thread of a running server to `cpus` (`taskset -a -p -c`).
fn set_affinity(server: &Server, cpus: &str) -> Result<(), String> {
    let status = Command::new("taskset")
        .args(["-a", "-p", "-c", cpus, &server.child.id().to_string()])
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run taskset (install util-linux): {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "taskset -a -p -c {cpus} {} failed with {status}",
            server.child.id()
        ))
    }
}

/// Every CPU of this machine, as `taskset` takes them (`0-N`).
fn all_cpus() -> String {
    let n = std::thread::available_parallelism().map_or(1, usize::from);
    format!("0-{}", n - 1)
}

fn python_venv(bench_dir: &Path) -> Result<PathBuf, String> {
    let venv = bench_dir.join("venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    run(Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
        .args(PYTHON_PACKAGES))?;
    Ok(python)
}

pub(crate) fn bench(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let sizes = if quick { QUICK } else { FULL };
    let root = root();
    let bench_dir = root.join("target/bench");
    std::fs::create_dir_all(&bench_dir).map_err(|e| format!("{}: {e}", bench_dir.display()))?;

    run(Command::new(env!("CARGO")).args(["build", "--release", "-p", "trtc-bench", "-p", "trtc-cli"]))?;
    let python = python_venv(&bench_dir)?;
    let release = root.join("target/release");
    let bench_bin = release.join("trtc-bench");
    let trtc_bin = release.join("trtc");
    let script = root.join("xtask/bench/python_sdk.py");
    let mut summary = Map::new();

    eprintln!("xtask bench: signing");
    let sign = json_of(Command::new(&bench_bin).args(["sign", "--batches", &sizes.sign_batches.to_string()]))?;
    summary.insert("sign_reused_key_ns".into(), json!(number(&sign, "sign_reused_key_ns")?));
    summary.insert("sign_fresh_key_ns".into(), json!(number(&sign, "sign_fresh_key_ns")?));
    let py_sign = json_of(Command::new(&python).arg(&script).args([
        "sign",
        "--batches",
        &sizes.python_sign_batches.to_string(),
    ]))?;
    summary.insert(
        "python_sdk_sign_ns".into(),
        json!(number(&py_sign, "python_sdk_sign_ns")?),
    );

    eprintln!("xtask bench: minting a UserSig");
    let usersig = json_of(Command::new(&bench_bin).args(["usersig", "--batches", &sizes.sign_batches.to_string()]))?;
    summary.insert("usersig_ns".into(), json!(number(&usersig, "usersig_ns")?));
    let py_usersig = json_of(Command::new(&python).arg(&script).args([
        "usersig",
        "--batches",
        &sizes.python_sign_batches.to_string(),
    ]))?;
    summary.insert(
        "python_usersig_ns".into(),
        json!(number(&py_usersig, "python_usersig_ns")?),
    );

    // Enough rooms for every run; the emulator's own rate limit is off for throughput runs.
    let rooms = sizes.sequential_calls + sizes.python_calls + sizes.concurrent_calls + 2_000;
    let room_range = format!("1-{rooms}");
    let emulator_args = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--secret-id",
            SECRET_ID,
            "--secret-key",
            SECRET_KEY,
            "--sdk-app-id",
            APP,
            "--room-range",
            &room_range,
            "--rate-limit",
            "0",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    // A sequential run (one caller) shares one CPU with its server, on a one-thread runtime; see
    // docs/benchmarks.md for why. Concurrent runs use every CPU and tokio's multi-threaded runtime.
    let bench_command = |concurrency: u64| {
        if concurrency == 1 {
            on_one_cpu(&bench_bin)
        } else {
            Command::new(&bench_bin)
        }
    };
    let runtime = |concurrency: u64| if concurrency == 1 { "current" } else { "multi" };
    let e2e = |endpoint: &str, first_room: u64, calls: u64, concurrency: u64| -> Result<Map<String, Value>, String> {
        let map = json_of(bench_command(concurrency).args([
            "e2e",
            "--endpoint",
            endpoint,
            "--secret-id",
            SECRET_ID,
            "--secret-key",
            SECRET_KEY,
            "--sdk-app-id",
            APP,
            "--first-room",
            &first_room.to_string(),
            "--calls",
            &calls.to_string(),
            "--concurrency",
            &concurrency.to_string(),
            "--runtime",
            runtime(concurrency),
        ]))?;
        no_errors(&map, "end-to-end run")?;
        Ok(map)
    };

    {
        // Both servers run for the whole measurement, and the Rust figures are taken in ROUNDS rounds that
        // alternate our client and the floor, each figure the median of its rounds: loopback speed on a
        // small virtual machine drifts by a factor of two over a minute, and alternating puts both sides
        // of every ratio in the same conditions.
        let args = emulator_args(&[]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let emulator = Server::start(&trtc_bin, &args)?;
        let floor = Server::start(&bench_bin, &["floor-server", "--listen", "127.0.0.1:0"])?;
        eprintln!(
            "xtask bench: end to end against the emulator at {}, the bare hyper floor at {}",
            emulator.endpoint, floor.endpoint
        );
        let floor_run = |calls: u64, concurrency: u64| -> Result<Map<String, Value>, String> {
            let map = json_of(bench_command(concurrency).args([
                "floor-client",
                "--endpoint",
                &floor.endpoint,
                "--calls",
                &calls.to_string(),
                "--concurrency",
                &concurrency.to_string(),
                "--runtime",
                runtime(concurrency),
            ]))?;
            no_errors(&map, "floor run")?;
            Ok(map)
        };
        let cpus = all_cpus();
        let servers_on = |cpus: &str| -> Result<(), String> {
            set_affinity(&emulator, cpus)?;
            set_affinity(&floor, cpus)
        };
        let mut next_room = 1;
        // Warm-up: connections, allocator, the servers' first requests.
        servers_on(SEQUENTIAL_CPU)?;
        e2e(&emulator.endpoint, next_room, 1_000, 1)?;
        next_room += 1_000;
        floor_run(1_000, 1)?;

        let mut figures: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
        let sequential_calls = sizes.sequential_calls / ROUNDS;
        let concurrent_calls = sizes.concurrent_calls / ROUNDS;
        for round in 1..=ROUNDS {
            eprintln!("xtask bench: round {round} of {ROUNDS}");
            servers_on(SEQUENTIAL_CPU)?;
            let sequential = e2e(&emulator.endpoint, next_room, sequential_calls, 1)?;
            next_room += sequential_calls;
            figures
                .entry("e2e_sequential_calls_per_s")
                .or_default()
                .push(number(&sequential, "calls_per_s")?);
            let floor_sequential = floor_run(sequential_calls, 1)?;
            figures
                .entry("floor_sequential_calls_per_s")
                .or_default()
                .push(number(&floor_sequential, "calls_per_s")?);
            servers_on(&cpus)?;
            let concurrent = e2e(&emulator.endpoint, next_room, concurrent_calls, 64)?;
            next_room += concurrent_calls;
            for (figure, key) in [
                ("e2e_concurrent_calls_per_s", "calls_per_s"),
                ("e2e_concurrent_p50_us", "p50_us"),
                ("e2e_concurrent_p99_us", "p99_us"),
                ("client_cpu_us_per_call", "cpu_us_per_call"),
            ] {
                figures.entry(figure).or_default().push(number(&concurrent, key)?);
            }
            let floor_concurrent = floor_run(concurrent_calls, 64)?;
            figures
                .entry("floor_concurrent_calls_per_s")
                .or_default()
                .push(number(&floor_concurrent, "calls_per_s")?);
        }
        for (figure, mut values) in figures {
            values.sort_by(f64::total_cmp);
            summary.insert(figure.into(), json!(values[values.len() / 2]));
        }

        // The Python SDK's single caller in the layout of ours: on the emulator's one CPU.
        servers_on(SEQUENTIAL_CPU)?;
        let py = json_of(on_one_cpu(&python).arg(&script).args([
            "e2e",
            "--endpoint",
            emulator.authority(),
            "--secret-id",
            SECRET_ID,
            "--secret-key",
            SECRET_KEY,
            "--first-room",
            &next_room.to_string(),
            "--calls",
            &sizes.python_calls.to_string(),
        ]))?;
        no_errors(&py, "Python SDK run")?;
        summary.insert(
            "python_sdk_sequential_calls_per_s".into(),
            json!(number(&py, "python_sdk_sequential_calls_per_s")?),
        );
    }

    {
        let args = emulator_args(&["--fault", "latency=500ms@rate=1"]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let slow = Server::start(&trtc_bin, &args)?;
        eprintln!("xtask bench: 1000 calls in flight against an emulator answering after 500 ms");
        let inflight = e2e(&slow.endpoint, 1, 1_000, 1_000)?;
        summary.insert(
            "peak_rss_mb_1000_inflight".into(),
            json!(number(&inflight, "peak_rss_mb")?),
        );
    }

    let summary = Value::Object(summary);
    let path = bench_dir.join("summary.json");
    let text = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
    std::fs::write(&path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    println!("{}", table(&summary));
    eprintln!("xtask bench: wrote {}", path.display());
    Ok(())
}

/// The Markdown table: each figure, the target it is held to, and whether this run met it.
fn table(s: &Value) -> String {
    let n = |k: &str| s.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
    let yes_no = |met: bool| if met { "yes" } else { "no" }.to_owned();
    let seq = n("e2e_sequential_calls_per_s");
    let rows: Vec<(&str, f64, String, String)> = vec![
        (
            "sign_reused_key_ns",
            n("sign_reused_key_ns"),
            "<= 600".into(),
            yes_no(n("sign_reused_key_ns") <= 600.0),
        ),
        (
            "sign_fresh_key_ns",
            n("sign_fresh_key_ns"),
            "<= 1200".into(),
            yes_no(n("sign_fresh_key_ns") <= 1200.0),
        ),
        (
            "python_sdk_sign_ns",
            n("python_sdk_sign_ns"),
            format!(
                "ours >= 20x faster ({:.0}x)",
                n("python_sdk_sign_ns") / n("sign_reused_key_ns")
            ),
            yes_no(n("python_sdk_sign_ns") >= 20.0 * n("sign_reused_key_ns")),
        ),
        ("usersig_ns", n("usersig_ns"), "(reported)".into(), String::new()),
        (
            "python_usersig_ns",
            n("python_usersig_ns"),
            format!("ours >= 20x faster ({:.0}x)", n("python_usersig_ns") / n("usersig_ns")),
            yes_no(n("python_usersig_ns") >= 20.0 * n("usersig_ns")),
        ),
        (
            "e2e_sequential_calls_per_s",
            n("e2e_sequential_calls_per_s"),
            format!(
                ">= 70% of floor ({:.0}%), >= 6x Python ({:.1}x)",
                100.0 * n("e2e_sequential_calls_per_s") / n("floor_sequential_calls_per_s"),
                n("e2e_sequential_calls_per_s") / n("python_sdk_sequential_calls_per_s")
            ),
            format!(
                "floor {}, Python {}",
                yes_no(seq >= 0.7 * n("floor_sequential_calls_per_s")),
                yes_no(seq >= 6.0 * n("python_sdk_sequential_calls_per_s"))
            ),
        ),
        (
            "python_sdk_sequential_calls_per_s",
            n("python_sdk_sequential_calls_per_s"),
            "(reference)".into(),
            String::new(),
        ),
        (
            "e2e_concurrent_calls_per_s",
            n("e2e_concurrent_calls_per_s"),
            format!(
                ">= 40% of floor ({:.0}%), >= 15000",
                100.0 * n("e2e_concurrent_calls_per_s") / n("floor_concurrent_calls_per_s")
            ),
            yes_no(
                n("e2e_concurrent_calls_per_s") >= 0.4 * n("floor_concurrent_calls_per_s")
                    && n("e2e_concurrent_calls_per_s") >= 15_000.0,
            ),
        ),
        (
            "e2e_concurrent_p50_us",
            n("e2e_concurrent_p50_us"),
            "(reported)".into(),
            String::new(),
        ),
        (
            "e2e_concurrent_p99_us",
            n("e2e_concurrent_p99_us"),
            "< 20000".into(),
            yes_no(n("e2e_concurrent_p99_us") < 20_000.0),
        ),
        (
            "floor_sequential_calls_per_s",
            n("floor_sequential_calls_per_s"),
            "(floor)".into(),
            String::new(),
        ),
        (
            "floor_concurrent_calls_per_s",
            n("floor_concurrent_calls_per_s"),
            "(floor)".into(),
            String::new(),
        ),
        (
            "client_cpu_us_per_call",
            n("client_cpu_us_per_call"),
            "<= 30".into(),
            yes_no(n("client_cpu_us_per_call") <= 30.0),
        ),
        (
            "peak_rss_mb_1000_inflight",
            n("peak_rss_mb_1000_inflight"),
            "<= 64".into(),
            yes_no(n("peak_rss_mb_1000_inflight") <= 64.0),
        ),
    ];
    let mut out = String::from("| figure | value | target | met |\n| --- | ---: | --- | --- |\n");
    for (name, value, target, met) in rows {
        out.push_str(&format!("| `{name}` | {value:.1} | {target} | {met} |\n"));
    }
    out
}
