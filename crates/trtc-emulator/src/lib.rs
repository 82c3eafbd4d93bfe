//! A local Tencent Cloud TRTC service for tests, demos and continuous integration.
//!
//! The emulator speaks the API 3.0 protocol over HTTP as the service does: it verifies TC3-HMAC-SHA256
//! signatures against the headers and body bytes as received, and legacy v1 signatures (`HmacSHA1`,
//! `HmacSHA256`) against the parameters of the query or form body as received (so the official SDKs and
//! `tccli` work against it), checks session tokens, the clock, the version, the action and the region, limits the request rate,
//! and runs the six room-management actions (`DismissRoom`, `DismissRoomByStrRoomId`, `RemoveUser`,
//! `RemoveUserByStrRoomId`, `SetUserBlocked`, `SetUserBlockedByStrRoomId`) on its rooms and users, answering
//! with the real envelopes and error codes. The recording, mixing, relay, ingest, web recording,
//! moderation, slicing, transcription and AI tasks follow their lifecycle (start, describe, modify, stop, the
//! end of their room), shown and moved by [`Emulator::tasks`] and its siblings; vocabularies, pictures, voice
//! prints and cloned voices are kept, the speech actions answer well-formed silence (an event stream for
//! `TextToSpeechSSE`); the room and user queries answer from its rooms, the usage queries with empty results.
//! Every one of the API's 89 actions is served, its request checked at every depth against the types
//! `trtc-model` generates from the API spec, each mistake named by its member's path. For tests it adds what the service cannot: injected faults
//! (latency, dropped connections, HTTP 502, `InternalError`), a journal of every request and its outcome,
//! and an admin API (Rust methods, and JSON over HTTP under `/_emulator/`). A test can also play a TRTC client
//! entering a room with a UserSig (and a PrivateMapKey where permission control is on), verified with the
//! application's SDK secret key: [`Emulator::enter`], `POST /_emulator/enter`. With a callback URL and key for
//! an application, it also sends the service's signed event callbacks when users enter and leave its rooms.
//!
//! It is not a media server and keeps no streams; it emulates the server API only.
//!
//! ```
//! use trtc_emulator::{Emulator, EmulatorConfig, Fault, FaultPlan, Trigger};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start(
//!     EmulatorConfig::demo(1400000001)
//!         .room(1400000001, 1234)
//!         .users(1400000001, "class-7", ["alice", "bob"]),
//! )
//! .await?;
//! // Point a client at emulator.endpoint() with trtc_emulator::DEMO_SECRET_ID / DEMO_SECRET_KEY;
//! // make its next request fail with HTTP 502:
//! emulator.set_faults(FaultPlan::new().rule(Fault::BadGateway, Trigger::Next(1))?)?;
//! # emulator.shutdown().await;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

// The modules in layers, from the bottom up: a module uses only modules of the layers before its own.
// What the rest is made of: the error, locking, the headers read, the answers, the rate limiter, room ids,
// the tasks and the applications' other resources.
mod error;
mod headers;
mod lock;
mod rate_limit;
mod reply;
mod resources;
mod room_id;
mod tasks;
// The rooms and their users, with the tasks (a room's end ends its tasks).
mod rooms;
// The fault plan, the journal, the request parameters.
mod faults;
mod journal;
mod params;
// The applications' SDK secret keys and callback targets; what an emulator starts with.
mod callback_target;
mod config;
mod sdk_keys;
// The credentials in force; the event callbacks being delivered.
mod callbacks;
mod keyring;
// The state of a running emulator behind its locks; the signature checks; the actions.
mod actions;
mod auth;
mod state;
// The checks of one API request, then its action; a client entering a room; the admin API.
mod admin;
mod enter;
mod gateway;
// Serving HTTP.
mod server;
// The handle.
mod emulator;

/// docs/emulator.md, whose Rust example is compiled and run with the doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/emulator.md")]
struct EmulatorGuide;

pub use admin::ADMIN_PREFIX;
pub use callback_target::{CallbackSchedule, CallbackTarget};
pub use callbacks::{Attempt, Delivery, DeliveryOutcome};
pub use config::{CredentialEntry, EmulatorConfig, SeedRoom, DEMO_SECRET_ID, DEMO_SECRET_KEY};
pub use emulator::Emulator;
pub use enter::{EnterRequest, Entered, Refused};
pub use error::Error;
pub use faults::{Fault, FaultPlan, FaultRule, Trigger};
pub use journal::{JournalEntry, Outcome, JOURNAL_CAPACITY};
pub use rate_limit::RateLimit;
pub use rooms::{Block, RoomId, RoomSnapshot, UserSnapshot};
pub use sdk_keys::SdkAppKey;
pub use tasks::{TaskFailure, TaskSnapshot};
