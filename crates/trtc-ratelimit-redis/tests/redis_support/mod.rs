//! What the Redis tests share: the Redis given by the environment, Redis servers a test starts and stops
//! itself, a few raw Redis commands to look at what the limiter wrote, and the emulator.
//!
//! These tests need a real `redis-server`. They run when `TRTC_TEST_REDIS_URL` names one (`.ci/run` starts
//! it and sets the variable before `cargo test --workspace`); without it each prints that it was skipped.
#![allow(dead_code)] // each test binary uses its own part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use trtc_emulator::{Emulator, EmulatorConfig, RateLimit, DEMO_SECRET_ID, DEMO_SECRET_KEY};
use trtc_ratelimit_redis::RedisRateLimiter;
use trtc_transport::{Client, Credentials, Region};

pub(crate) const APP: u64 = 1400000001;

/// The variable naming the Redis the tests share.
pub(crate) const REDIS_URL_VAR: &str = "TRTC_TEST_REDIS_URL";

/// The shared Redis, e.g. `redis://127.0.0.1:6391/0`, or `None` (and a line saying `test` was skipped)
/// when the environment names none. Tests that start their own `redis-server` ask too: the variable says that
/// Redis is installed here.
pub(crate) fn redis_url(test: &str) -> Option<String> {
    match std::env::var(REDIS_URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            // Straight to stderr, past the test harness's capture, so that a skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "{test}: skipped: set {REDIS_URL_VAR} to a running redis-server to run it (apt-get install \
                 redis-server; redis-server --port 6391 --bind 127.0.0.1 --daemonize yes --save '' --appendonly no; \
                 {REDIS_URL_VAR}=redis://127.0.0.1:6391/0 cargo test -p trtc-ratelimit-redis); .ci/run does this"
            );
            None
        }
    }
}

/// A key prefix no other run or test uses, so tests sharing one Redis never share a budget by accident.
pub(crate) fn unique_prefix(test: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("trtc-test:{test}:{}:{nanos}:", std::process::id())
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

/// A `redis-server` this test owns: started on a free loopback port, killed when dropped.
pub(crate) struct RedisServer {
    pub port: u16,
    child: Child,
}

impl RedisServer {
    /// Starts `redis-server` on a free port, with `extra` arguments, and waits until it answers `PING`.
    pub(crate) fn start(extra: &[&str]) -> RedisServer {
        RedisServer::start_on(free_port(), extra)
    }

    /// Starts `redis-server` on `port` (e.g. again after [`stop`](Self::stop)).
    pub(crate) fn start_on(port: u16, extra: &[&str]) -> RedisServer {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start redis-server ({e}): install it with `apt-get install redis-server` (.ci/run does)")
            });
        let server = RedisServer { port, child };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(reply) = raw_command(port, &["PING"]) {
                if reply == "PONG" || reply.starts_with("NOAUTH") {
                    return server;
                }
            }
            assert!(
                Instant::now() < deadline,
                "redis-server on port {port} did not answer PING within 10 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the server (SIGKILL: a crash, not a polite shutdown) and waits until it is gone.
    pub(crate) fn stop(mut self) -> u16 {
        self.kill();
        self.port
    }

    /// Freezes the server (SIGSTOP): connections are accepted by the kernel but nothing answers, as when
    /// Redis is overloaded or the network drops packets.
    pub(crate) fn freeze(&self) {
        signal(self.child.id(), "-STOP");
    }

    /// Undoes [`freeze`](Self::freeze).
    pub(crate) fn thaw(&self) {
        signal(self.child.id(), "-CONT");
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill").args([signal, &pid.to_string()]).status().unwrap();
    assert!(status.success(), "kill {signal} {pid} failed");
}

/// A loopback port nothing listens on now.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The port of a `redis://host:port/db` URL.
pub(crate) fn port_of(url: &str) -> u16 {
    let authority = url.trim_start_matches("redis://").split('/').next().unwrap();
    authority.rsplit(':').next().unwrap().parse().unwrap()
}

/// Sends one command to the Redis on 127.0.0.1:`port` and returns the reply as text: a simple string, an
/// error's message, an integer, a bulk string's content, `(nil)`, or an array's items joined by spaces.
pub(crate) fn raw_command(port: u16, args: &[&str]) -> std::io::Result<String> {
    Ok(raw_commands(port, &[args])?.remove(0))
}

/// Sends `commands` in order on one connection (e.g. `AUTH`, `SELECT`, then a query) and returns each reply.
pub(crate) fn raw_commands(port: u16, commands: &[&[&str]]) -> std::io::Result<Vec<String>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut bytes = String::new();
    for args in commands {
        bytes.push_str(&format!("*{}\r\n", args.len()));
        for arg in *args {
            bytes.push_str(&format!("${}\r\n{arg}\r\n", arg.len()));
        }
    }
    stream.write_all(bytes.as_bytes())?;
    let mut reader = BufReader::new(stream);
    commands.iter().map(|_| read_raw(&mut reader)).collect()
}

fn read_raw(reader: &mut BufReader<TcpStream>) -> std::io::Result<String> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let line = line.trim_end().to_owned();
    let (kind, rest) = line.split_at(1.min(line.len()));
    Ok(match kind {
        "+" | "-" | ":" => rest.to_owned(),
        "$" if rest == "-1" => "(nil)".to_owned(),
        "$" => {
            let mut data = vec![0; rest.parse::<usize>().unwrap() + 2];
            reader.read_exact(&mut data)?;
            String::from_utf8_lossy(&data[..data.len() - 2]).into_owned()
        }
        "*" => {
            let n: usize = rest.parse().unwrap();
            let mut items = Vec::new();
            for _ in 0..n {
                items.push(read_raw(reader)?);
            }
            items.join(" ")
        }
        _ => panic!("unexpected reply line {line:?}"),
    })
}

/// An emulator holding rooms `1..=rooms` of [`APP`], with its documented 20/s limit unless `limit` says otherwise.
pub(crate) async fn emulator(rooms: u64, limit: RateLimit) -> Emulator {
    let mut config = EmulatorConfig::demo(APP).rate_limit(limit);
    for room in 1..=rooms {
        config = config.room(APP, room);
    }
    Emulator::start(config).await.unwrap()
}

/// A client of `endpoint` paced by `limiter`.
pub(crate) fn client(endpoint: &str, limiter: RedisRateLimiter) -> Client {
    Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(endpoint)
        .rate_limiter(limiter)
        .build()
        .unwrap()
}
