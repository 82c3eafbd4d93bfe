//! A local Tencent Cloud TRTC service for tests, demos and continuous integration.
//!
//! The emulator speaks the API 3.0 protocol over HTTP: it verifies TC3-HMAC-SHA256 signatures exactly as the
//! service does (against the headers and body bytes as received, so the official SDKs and `tccli` work
//! against it), keeps rooms per application, and answers with the real envelopes and error codes. It is not
//! a media server and keeps no users' streams; it emulates the server API only.
//!
//! ```
//! use trtc_emulator::{Emulator, EmulatorConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let emulator = Emulator::start(EmulatorConfig::demo(1400000001).room(1400000001, 1234)).await?;
//! // Point a client at emulator.endpoint() with trtc_emulator::DEMO_SECRET_ID / DEMO_SECRET_KEY.
//! # emulator.shutdown().await;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod actions;
mod auth;
mod config;
mod reply;
mod server;
mod state;

pub use config::{CredentialEntry, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};
pub use server::Emulator;
