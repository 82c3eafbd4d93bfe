//! Running `trtc` as a user does: the built binary, a `trtc emulator` process, its admin API, scratch files.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

pub(crate) const APP: &str = "1400000001";
pub(crate) const ID: &str = "AKIDcliSupportKey000000000000000000";
pub(crate) const KEY: &str = "cliSupportSecretKey0000000000000";

/// `trtc` with no credentials of the machine's user in reach: no variables, no profile file.
pub(crate) fn trtc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trtc"));
    for var in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
        "TENCENTCLOUD_TOKEN",
        "TENCENTCLOUD_CREDENTIALS_FILE",
        "TKE_REGION",
        "TKE_PROVIDER_ID",
        "TKE_WEB_IDENTITY_TOKEN_FILE",
        "TKE_ROLE_ARN",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", "/nonexistent/trtc-cli-test-home");
    cmd.stdin(Stdio::null());
    cmd
}

/// `trtc` with the emulator's key in the environment.
pub(crate) fn trtc_with_key() -> Command {
    let mut cmd = trtc();
    cmd.env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", KEY);
    cmd
}

pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the exit code, showing stderr when it differs.
#[track_caller]
pub(crate) fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
}

/// A running `trtc emulator`, killed on drop. One from `Emulator::start` owns application `APP` for (`ID`, `KEY`).
pub(crate) struct Emulator {
    child: Child,
    pub endpoint: String,
}

impl Emulator {
    /// Starts one with these extra flags (`--room 1`, `--room-range 1-30`, `--fault ...`).
    pub(crate) fn start(extra: &[&str]) -> Emulator {
        Emulator::start_as(ID, KEY, extra)
    }

    /// Starts one owning application `APP` for (`id`, `key`) instead, with these extra flags (`--token ...`).
    pub(crate) fn start_as(id: &str, key: &str, extra: &[&str]) -> Emulator {
        let mut args = vec!["--listen", "127.0.0.1:0", "--secret-id", id, "--secret-key", key];
        args.extend_from_slice(&["--sdk-app-id", APP]);
        args.extend_from_slice(extra);
        Emulator::spawn(&args)
    }

    /// Starts `trtc emulator` with these flags only (its own credentials, a `--config` file, ...), once it
    /// has printed the address it listens on.
    pub(crate) fn spawn(args: &[&str]) -> Emulator {
        let mut child = trtc()
            .arg("emulator")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn trtc emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let endpoint = line
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line {line:?}"))
            .to_owned();
        Emulator { child, endpoint }
    }

    /// The address it listens on: `host:port`, the endpoint without `http://`.
    pub(crate) fn addr(&self) -> &str {
        self.endpoint.strip_prefix("http://").unwrap()
    }

    /// The process, for a test that signals it or waits for its exit.
    pub(crate) fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// The flags that point a room subcommand here.
    pub(crate) fn target(&self) -> [&str; 6] {
        [
            "--sdk-app-id",
            APP,
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &self.endpoint,
        ]
    }

    /// One admin API exchange; the status and the JSON answer.
    pub(crate) fn admin(&self, method: &str, path: &str, body: &str) -> (u16, serde_json::Value) {
        let addr = self.addr();
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "{method} /_emulator/{path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head[9..12].parse().unwrap();
        (status, serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
    }

    /// GET on the admin API, which must answer 200; the JSON answer.
    pub(crate) fn get(&self, path: &str) -> serde_json::Value {
        let (status, value) = self.admin("GET", path, "");
        assert_eq!(status, 200, "GET {path}: {value}");
        value
    }

    /// Replaces the fault plan with `plan` (JSON), which must be accepted.
    pub(crate) fn set_faults(&self, plan: &str) {
        let (status, value) = self.admin("PUT", "faults", plan);
        assert_eq!(status, 200, "PUT faults {plan}: {value}");
    }

    /// The journal's entries.
    pub(crate) fn journal(&self) -> Vec<serde_json::Value> {
        self.get("journal")["entries"].as_array().unwrap().clone()
    }

    /// The numeric and string rooms of `APP`, with their users.
    pub(crate) fn rooms(&self) -> Vec<serde_json::Value> {
        self.get("rooms")["rooms"].as_array().unwrap().clone()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A scratch directory, removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(name: &str) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "trtc-cli-{name}-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub(crate) fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The report's lines as JSON values.
pub(crate) fn report_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("report line {l:?}: {e}")))
        .collect()
}
