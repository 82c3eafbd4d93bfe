//! The HTTP side: accept connections, read each request whole, authenticate it, run the action, answer.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as IncomingBody;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::actions::{self, Params, VERSION};
use crate::auth::{authenticate, Incoming};
use crate::reply::{self, Failure};
use crate::state::Rooms;
use crate::EmulatorConfig;

/// The largest request body accepted, as the service documents for TC3 POST requests.
const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

struct Shared {
    config: EmulatorConfig,
    rooms: Rooms,
}

/// A running emulator. Dropping it (or calling [`shutdown`](Emulator::shutdown)) stops it.
///
/// ```
/// use trtc_emulator::{Emulator, EmulatorConfig};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let emulator = Emulator::start(EmulatorConfig::demo(1400000001).room(1400000001, 1234)).await?;
/// assert!(emulator.endpoint().starts_with("http://127.0.0.1:"));
/// assert!(emulator.room_exists(1400000001, 1234));
/// emulator.shutdown().await;
/// # Ok(()) }
/// ```
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Binds the configured address and starts serving on the current tokio runtime.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let rooms = Rooms::default();
        for &(sdk_app_id, room_id) in &config.rooms {
            rooms.create(sdk_app_id, room_id);
        }
        let shared = Arc::new(Shared { config, rooms });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared), stopped));
        Ok(Emulator {
            addr,
            shared,
            stop,
            task,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint to give a client: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Creates a room; `false` if it already existed.
    pub fn create_room(&self, sdk_app_id: u64, room_id: u64) -> bool {
        self.shared.rooms.create(sdk_app_id, room_id)
    }

    /// Whether the room exists.
    pub fn room_exists(&self, sdk_app_id: u64, room_id: u64) -> bool {
        self.shared.rooms.exists(sdk_app_id, room_id)
    }

    /// How many rooms exist across all applications.
    pub fn room_count(&self) -> usize {
        self.shared.rooms.count()
    }

    /// Serves until the process is stopped or the task is cancelled.
    pub async fn serve_forever(mut self) {
        let _ = (&mut self.task).await;
    }

    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        let _ = (&mut self.task).await;
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stopped.changed() => return,
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                let mut stopped = stopped.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| handle(Arc::clone(&shared), request));
                    let connection = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => {}
                        _ = stopped.changed() => connection.as_mut().graceful_shutdown(),
                    }
                });
            }
        }
    }
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

async fn handle(
    shared: Arc<Shared>,
    request: http::Request<IncomingBody>,
) -> Result<http::Response<Full<Bytes>>, Infallible> {
    let request_id = reply::request_id();
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => {
            let failure = Failure::new(
                "RequestSizeLimitExceeded",
                "The request body is too large or unreadable.",
            );
            return Ok(answer(reply::error(&failure, &request_id)));
        }
    };
    let body = match process(&shared, &parts, &body) {
        Ok(()) => reply::success(&request_id),
        Err(failure) => reply::error(&failure, &request_id),
    };
    Ok(answer(body))
}

fn process(shared: &Shared, parts: &http::request::Parts, body: &[u8]) -> Result<(), Failure> {
    let method = &parts.method;
    if method != http::Method::POST && method != http::Method::GET {
        return Err(Failure::new(
            "UnsupportedProtocol",
            format!("HTTP method {method} is not supported: use POST or GET."),
        ));
    }
    let query = parts.uri.query().unwrap_or("");
    let incoming = Incoming {
        method,
        query,
        headers: &parts.headers,
        body,
    };
    let entry = authenticate(
        &incoming,
        &shared.config.credentials,
        now_secs(),
        shared.config.max_clock_skew_secs,
    )?;
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    let version = header("x-tc-version");
    if version != VERSION {
        return Err(Failure::new(
            "NoSuchVersion",
            format!("The API version `{version}` does not exist: use {VERSION}."),
        ));
    }
    let params = if method == http::Method::GET {
        Params::from_query(query)
    } else {
        Params::from_json(body)?
    };
    actions::run(header("x-tc-action"), &params, entry, &shared.rooms)
}

fn answer(body: Bytes) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(body));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}
