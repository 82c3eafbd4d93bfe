//! `cargo xtask interop`: the emulator checked with the official clients (tccli and the Python SDK).
//!
//! Makes a Python venv under the target directory, installs the pinned clients of
//! `xtask/interop/requirements.txt`, builds `trtc`, starts `trtc emulator` on a free loopback port and runs
//! `xtask/interop/interop.py` against it. Missing Python, venv or pip is a failure, never a skip: the
//! check exists to prove compatibility, and a skipped proof proves nothing.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const SECRET_ID: &str = "AKIDinteropCheckKey0000000000000000";
const SECRET_KEY: &str = "interopCheckSecretKey00000000000";
const SDK_APP_ID: &str = "1400000001";
const ROOM: &str = "1234";

/// How long the emulator may take to print its `listening on` line.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The emulator process, killed when dropped so no run leaves it behind.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| if dir.is_absolute() { dir } else { root.join(dir) })
        .unwrap_or_else(|| root.join("target"))
}

fn status(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("{what}: cannot run {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

fn venv_tccli(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("tccli.exe")
    } else {
        venv.join("bin").join("tccli")
    }
}

/// The venv with the pinned clients installed.
fn prepare_venv(root: &Path, venv: &Path) -> Result<(), String> {
    let python3 = Command::new("python3").arg("--version").output();
    match python3 {
        Ok(out) if out.status.success() => {
            eprintln!("interop: {}", String::from_utf8_lossy(&out.stdout).trim());
        }
        _ => {
            return Err(
                "python3 was not found: cargo xtask interop needs Python 3 with venv and pip \
                        (e.g. apt-get install python3 python3-venv python3-pip); it never skips"
                    .to_owned(),
            )
        }
    }
    let python = venv_python(venv);
    let usable = Command::new(&python)
        .args(["-m", "pip", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !usable {
        eprintln!("interop: creating the venv {}", venv.display());
        let _ = std::fs::remove_dir_all(venv);
        status(
            Command::new("python3").args(["-m", "venv"]).arg(venv),
            "python3 -m venv (on Debian and Ubuntu: apt-get install python3-venv)",
        )?;
    }
    eprintln!("interop: installing the official clients (xtask/interop/requirements.txt)");
    status(
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(root.join("xtask/interop/requirements.txt")),
        "pip install of tccli and the Python SDK",
    )
}

fn build_trtc(root: &Path) -> Result<PathBuf, String> {
    eprintln!("interop: building trtc");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    status(
        Command::new(cargo)
            .args(["build", "--quiet", "-p", "trtc-cli", "--bin", "trtc"])
            .current_dir(root),
        "cargo build -p trtc-cli",
    )?;
    let binary = target_dir(root)
        .join("debug")
        .join(format!("trtc{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("cargo build succeeded but {} is missing", binary.display()))
    }
}

/// Starts `trtc emulator` on a free loopback port; returns it and its endpoint.
fn start_emulator(trtc: &Path) -> Result<(Running, String), String> {
    let mut child = Command::new(trtc)
        .args(["emulator", "--listen", "127.0.0.1:0"])
        .args(["--secret-id", SECRET_ID, "--secret-key", SECRET_KEY])
        .args(["--sdk-app-id", SDK_APP_ID, "--room", ROOM])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", trtc.display()))?;
    let stdout = child.stdout.take().ok_or("the emulator's stdout is not piped")?;
    let running = Running(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line).map(|_| line);
        let _ = tx.send(read);
    });
    let line = match rx.recv_timeout(START_TIMEOUT) {
        Ok(Ok(line)) => line,
        Ok(Err(e)) => return Err(format!("cannot read the emulator's first line: {e}")),
        Err(_) => return Err(format!("the emulator printed nothing within {START_TIMEOUT:?}")),
    };
    let endpoint = line
        .trim_end()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("the emulator's first line is {line:?}, not `listening on http://127.0.0.1:PORT`"))?
        .to_owned();
    eprintln!("interop: trtc emulator listening on {endpoint}");
    Ok((running, endpoint))
}

/// Runs the whole check.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let venv = target_dir(root).join("interop").join("venv");
    prepare_venv(root, &venv)?;
    let trtc = build_trtc(root)?;
    let (emulator, endpoint) = start_emulator(&trtc)?;
    let result = status(
        Command::new(venv_python(&venv))
            .arg(root.join("xtask/interop/interop.py"))
            .args(["--endpoint", &endpoint])
            .args(["--secret-id", SECRET_ID, "--secret-key", SECRET_KEY])
            .args(["--sdk-app-id", SDK_APP_ID, "--room", ROOM])
            .arg("--tccli")
            .arg(venv_tccli(&venv))
            .current_dir(root),
        "the interop checks (xtask/interop/interop.py)",
    );
    drop(emulator);
    result
}
