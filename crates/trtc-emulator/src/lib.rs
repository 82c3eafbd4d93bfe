//! A local Tencent Cloud TRTC service for tests, demos and continuous integration.
//!
//! The emulator speaks the API 3.0 protocol over HTTP as the service does: it verifies TC3-HMAC-SHA256
//! signatures against the headers and body bytes as received, and legacy v1 signatures (`HmacSHA1`,
//! `HmacSHA256`) against the parameters of the query or form body as received (so the official SDKs and
//! `tccli` work against it), checks session tokens, the clock, the version, the action and the region, limits the request rate,
//! and runs the six room-management actions (`DismissRoom`, `DismissRoomByStrRoomId`, `RemoveUser`,
//! `RemoveUserByStrRoomId`, `SetUserBlocked`, `SetUserBlockedByStrRoomId`) on its rooms and users, answering
//! with the real envelopes and error codes. For tests it adds what the service cannot: injected faults
//! (latency, dropped connections, HTTP 502, `InternalError`), a journal of every request and its outcome,
//! and an admin API (Rust methods, and JSON over HTTP under `/_emulator/`). With a callback URL and key for an
//! application, it also sends the service's signed event callbacks when users enter and leave its rooms.
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
#![deny(missing_docs)]

mod actions;
mod admin;
mod auth;
mod callbacks;
mod config;
mod error;
mod faults;
mod gateway;
mod headers;
mod journal;
mod keyring;
mod params;
mod rate_limit;
mod reply;
mod server;
mod state;

/// docs/emulator.md, whose Rust example is compiled and run with the doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/emulator.md")]
struct EmulatorGuide;

pub use admin::ADMIN_PREFIX;
pub use callbacks::{Attempt, CallbackSchedule, CallbackTarget, Delivery, DeliveryOutcome};
pub use config::{CredentialEntry, EmulatorConfig, SeedRoom, DEMO_SECRET_ID, DEMO_SECRET_KEY};
pub use error::Error;
pub use faults::{Fault, FaultPlan, FaultRule, Trigger};
pub use journal::{JournalEntry, Outcome, JOURNAL_CAPACITY};
pub use rate_limit::RateLimit;
pub use server::Emulator;
pub use state::{Block, RoomId, RoomSnapshot, UserSnapshot};
