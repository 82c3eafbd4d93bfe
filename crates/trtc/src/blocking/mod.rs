//! A blocking client, for programs without an async runtime (feature `blocking`).
//!
//! [`Client`] wraps the async [`crate::Client`] with a current-thread tokio runtime of its own: each call
//! runs the async call to completion on the calling thread. Everything else is the async client's:
//! validation, signing, rate limit, retries, timeouts, errors. Configure it with [`crate::Client::builder`]
//! and wrap the result.
//!
//! ```
//! use trtc::{Client, Credentials, DismissRoomRequest, ErrorCode, Region};
//! use trtc_emulator::{Emulator, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # // The emulator is a server and needs a runtime of its own; the blocking client does not.
//! # let server = tokio::runtime::Runtime::new()?;
//! # let emulator = server.block_on(Emulator::start(EmulatorConfig::demo(1400000001).room(1400000001, 1234)))?;
//! # let endpoint = emulator.endpoint();
//! let client = trtc::blocking::Client::new(
//!     Client::builder()
//!         .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY)?)
//!         .region(Region::ApGuangzhou)
//!         .endpoint(endpoint) // http://127.0.0.1:PORT of a trtc-emulator; omit for the service
//!         .build()?,
//! )?;
//! let out = client.dismiss_room(DismissRoomRequest::new(1400000001, 1234))?;
//! println!("dismissed, RequestId {}", out.request_id);
//!
//! let again = client.dismiss_room(DismissRoomRequest::new(1400000001, 1234)).unwrap_err();
//! assert_eq!(again.code(), Some(&ErrorCode::FailedOperationRoomNotExist));
//! # server.block_on(emulator.shutdown());
//! # Ok(()) }
//! ```
//!
//! Inside an async runtime, prefer the async client: a blocking call there holds up the runtime's thread
//! for the length of the call (it works, on a helper thread, rather than panicking as a nested runtime
//! would). Calls from several threads at once are safe; for many concurrent calls the async client is the
//! better tool.

use std::future::Future;

mod actions;

use crate::{Action, Endpoint, Error, Region, StreamingAction};

/// The async [`crate::Client`] with a runtime of its own: every method blocks until the call ends.
#[derive(Debug)]
pub struct Client {
    client: crate::Client,
    // `None` only while being dropped.
    runtime: Option<tokio::runtime::Runtime>,
}

impl Client {
    /// Wraps `client`, starting the runtime its calls run on.
    ///
    /// Fails with [`Error::Config`] when the runtime cannot be started.
    pub fn new(client: crate::Client) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Config {
                setting: "blocking",
                problem: format!("cannot start the client's runtime: {e}"),
            })?;
        Ok(Client {
            client,
            runtime: Some(runtime),
        })
    }

    /// The async client this one wraps, for the settings it was built with.
    pub fn as_async(&self) -> &crate::Client {
        &self.client
    }

    /// The region requests are sent for.
    pub fn region(&self) -> &Region {
        self.client.region()
    }

    /// The endpoint requests are sent to.
    pub fn endpoint(&self) -> &Endpoint {
        self.client.endpoint()
    }

    /// Sends any typed action ([`crate::Client::call`]).
    pub fn call<A>(&self, request: &A) -> Result<A::Response, Error>
    where
        A: Action + Sync,
        A::Response: Send,
    {
        self.run(self.client.call(request))
    }

    /// Sends an action whose answer is an event stream ([`crate::Client::call_stream`]) and returns its events
    /// as an iterator, each read on this client's runtime as it is asked for.
    pub fn call_stream<A>(&self, request: &A) -> Result<Events<'_, A::Event>, Error>
    where
        A: StreamingAction + Sync,
    {
        let stream = self.run(self.client.call_stream(request))?;
        Ok(Events { client: self, stream })
    }

    /// Sends any action of any API 3.0 service with a JSON body ([`crate::Client::call_json`]).
    pub fn call_json(
        &self,
        service: &str,
        action: &str,
        version: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, Error> {
        self.run(self.client.call_json(service, action, version, params))
    }

    fn run<T: Send>(&self, call: impl Future<Output = Result<T, Error>> + Send) -> Result<T, Error> {
        // The runtime is taken only by `drop`, so it is always here while `&self` is.
        let Some(runtime) = &self.runtime else {
            return Err(Error::Config {
                setting: "blocking",
                problem: "the client's runtime has stopped".to_owned(),
            });
        };
        if tokio::runtime::Handle::try_current().is_err() {
            return runtime.block_on(call);
        }
        // Inside a runtime (an async task, or spawn_blocking) a nested block_on may panic: run the call on a
        // thread outside any runtime instead, and wait for it.
        std::thread::scope(|scope| {
            scope
                .spawn(|| runtime.block_on(call))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }
}

/// The events of a streamed answer, read one by one on the blocking client's runtime
/// ([`Client::call_stream`]). The iterator ends after the last event or after its first error.
pub struct Events<'a, E> {
    client: &'a Client,
    stream: crate::transport::EventStream<E>,
}

impl<E> std::fmt::Debug for Events<'_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events")
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

impl<E: serde::de::DeserializeOwned + Send> Iterator for Events<'_, E> {
    type Item = Result<E, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        use futures_core::Stream;
        let stream = &mut self.stream;
        let next = std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx));
        match self.client.run(async { Ok(next.await) }) {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // Dropping a runtime waits for its tasks, which tokio forbids inside another runtime; there, let it
        // stop in the background.
        if let Some(runtime) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            }
        }
    }
}
