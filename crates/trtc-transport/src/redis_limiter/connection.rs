//! One connection to Redis, shared by every caller of a limiter: commands are pipelined and the replies
//! handed back in order, so a thousand waiting callers cost a thousand round trips in flight, not a queue.
//!
//! A writer task owns the socket's write half and a reader task its read half; callers hand a command to the
//! writer and wait on a oneshot. A caller that gives up (a timeout) only drops its oneshot: the stream is never
//! left with half a command, so the connection stays in step with the server.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::resp::{self, Reply};
use super::url::RedisUrl;

type ReplySender = oneshot::Sender<io::Result<Reply>>;

/// Replies not yet read, in the order their commands were written; `closed` is set under the same lock, so a
/// command is either answered or refused, never forgotten.
#[derive(Default)]
struct InFlight {
    waiting: VecDeque<ReplySender>,
    closed: bool,
}

pub(crate) struct Connection {
    commands: mpsc::UnboundedSender<(Vec<u8>, ReplySender)>,
    in_flight: Arc<Mutex<InFlight>>,
    broken: AtomicBool,
    writer: JoinHandle<()>,
    reader: JoinHandle<()>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.writer.abort();
        self.reader.abort();
    }
}

impl Connection {
    /// Connects and authenticates (`AUTH`, `SELECT` when the URL asks for them). No timeout of its own: the
    /// caller bounds it.
    pub(crate) async fn open(url: &RedisUrl) -> io::Result<Connection> {
        let stream = TcpStream::connect((url.host.as_str(), url.port)).await?;
        // Commands are tiny and latency is the whole point.
        stream.set_nodelay(true)?;
        let (read, mut write) = stream.into_split();
        let in_flight = Arc::new(Mutex::new(InFlight::default()));
        let (commands, mut queue) = mpsc::unbounded_channel::<(Vec<u8>, ReplySender)>();

        let writer_state = Arc::clone(&in_flight);
        let writer = tokio::spawn(async move {
            while let Some((bytes, reply)) = queue.recv().await {
                {
                    let mut state = lock(&writer_state);
                    if state.closed {
                        let _ = reply.send(Err(closed()));
                        continue;
                    }
                    state.waiting.push_back(reply);
                }
                if let Err(e) = write.write_all(&bytes).await {
                    fail_all(&writer_state, e);
                    return;
                }
            }
        });

        let reader_state = Arc::clone(&in_flight);
        let reader = tokio::spawn(async move {
            let mut read = BufReader::new(read);
            loop {
                match resp::read_reply(&mut read).await {
                    Ok(reply) => {
                        let waiter = lock(&reader_state).waiting.pop_front();
                        match waiter {
                            // A caller that gave up has dropped its receiver; its reply is simply discarded.
                            Some(waiter) => drop(waiter.send(Ok(reply))),
                            None => {
                                fail_all(
                                    &reader_state,
                                    io::Error::new(io::ErrorKind::InvalidData, "Redis sent a reply nobody asked for"),
                                );
                                return;
                            }
                        }
                    }
                    Err(e) => {
                        fail_all(&reader_state, e);
                        return;
                    }
                }
            }
        });

        let connection = Connection {
            commands,
            in_flight,
            broken: AtomicBool::new(false),
            writer,
            reader,
        };
        if let Some(password) = &url.password {
            let reply = match &url.username {
                Some(user) => {
                    connection
                        .command(&[b"AUTH", user.as_bytes(), password.as_bytes()])
                        .await?
                }
                None => connection.command(&[b"AUTH", password.as_bytes()]).await?,
            };
            // The server's message names the failure (WRONGPASS, ...) and never echoes the password.
            expect_ok(reply, "AUTH")?;
        }
        if url.db != 0 {
            let db = url.db.to_string();
            expect_ok(connection.command(&[b"SELECT", db.as_bytes()]).await?, "SELECT")?;
        }
        Ok(connection)
    }

    /// Sends one command and waits for its reply (`Reply::Error` is a reply, not an `Err`).
    pub(crate) async fn command(&self, args: &[&[u8]]) -> io::Result<Reply> {
        if !self.is_usable() {
            return Err(closed());
        }
        let (reply, answer) = oneshot::channel();
        self.commands.send((resp::encode(args), reply)).map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }

    /// Whether commands can still be sent: neither side has failed and no caller gave up on a reply.
    pub(crate) fn is_usable(&self) -> bool {
        !self.broken.load(Ordering::Acquire) && !lock(&self.in_flight).closed
    }

    /// Marks the connection as not to be reused: a reply did not come in time, so the server or the path to
    /// it is unwell, and a fresh connection is the way to find out whether it is back.
    pub(crate) fn mark_broken(&self) {
        self.broken.store(true, Ordering::Release);
    }
}

fn expect_ok(reply: Reply, command: &str) -> io::Result<()> {
    match reply {
        Reply::Simple(_) => Ok(()),
        Reply::Error(message) => Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("Redis refused {command}: {message}"),
        )),
        other => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("unexpected reply to {command}: {other:?}"),
        )),
    }
}

fn fail_all(state: &Mutex<InFlight>, error: io::Error) {
    let mut state = lock(state);
    state.closed = true;
    let message = error.to_string();
    for waiter in state.waiting.drain(..) {
        let _ = waiter.send(Err(io::Error::new(error.kind(), message.clone())));
    }
}

fn closed() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the connection to Redis is closed")
}

fn lock(state: &Mutex<InFlight>) -> std::sync::MutexGuard<'_, InFlight> {
    // The lock guards a queue of senders; a panic elsewhere cannot leave it half-updated.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
