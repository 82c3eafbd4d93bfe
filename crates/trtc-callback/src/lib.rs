//! TRTC event callbacks: the room, media, cloud recording, relay to CDN and web recording events the
//! service POSTs to an application's callback URL, typed, and verified before they are believed.
//!
//! - [`Verifier`] checks a callback (body size, `Sign`, `SdkAppId`, the HMAC-SHA256 signature compared in
//!   constant time, `CallbackTs` against a replay window) and answers a typed [`Callback`] or the [`Error`]
//!   naming the failed [`Check`]. Bytes in, event out: no HTTP types, no clock, no IO.
//! - [`Event`] has one variant per documented event, each with its own `EventInfo` struct; [`RoomId`] keeps
//!   whether the room was a number or a string; events this crate does not know are [`Event::Other`],
//!   never an error.
//! - [`sign_callback`] and [`SignedCallback`] go the other way, for emulators and tests.
//! - With the `server` feature, the `server` module is a thin hyper 1 service that answers the service as it
//!   expects (`200 {"code":0}`, or 401/400 for a failed check).
//!
//! It reuses the signer's HMAC ([`trtc_sign::hmac_sha256`]) and secret type ([`trtc_sign::Secret`]) rather
//! than repeating them. The repository's `docs/callbacks.md` describes the protocol and how to test a
//! receiver against the emulator.
//!
//! ```
//! use std::time::SystemTime;
//! use trtc_callback::{sign_callback, Callback, CallbackKey, EnterRoomInfo, Event, Verifier};
//!
//! let key = CallbackKey::new("yourCallbackKey1")?;
//! let verifier = Verifier::new(key.clone(), 1400000001);
//!
//! // What the service sends (here built and signed locally)...
//! let now_ms = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_millis() as u64;
//! let enter = Event::EnterRoom(EnterRoomInfo::new(1234, "alice", now_ms));
//! let sent = sign_callback(&key, 1400000001, &Callback::new(enter, now_ms));
//!
//! // ...and what the receiver does with the headers and raw body it got.
//! let callback = verifier.verify(sent.headers(), sent.body(), SystemTime::now())?;
//! if let Event::EnterRoom(info) = callback.event() {
//!     assert_eq!((info.room_id.to_string(), info.user_id.as_str()), ("1234".to_owned(), "alice"));
//! }
//! # Ok::<(), trtc_callback::Error>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

mod codes;
mod error;
mod event;
mod key;
mod lenient;
mod room_id;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub mod server;
mod sign;
mod verify;

pub use codes::{CdnStreamState, EnterReason, EventGroup, ExitReason, Role, TerminalType, UserType};
pub use error::{Check, Error};
pub use event::{
    Callback, CdnInfo, CdnPayload, ChangeRoleInfo, CreateRoomInfo, DismissRoomInfo, DownloadImageErrorPayload,
    EnterRoomInfo, Event, ExitRoomInfo, FileInfoPayload, FileSlicePayload, MediaInfo, Mp4StopPayload, RecordedFile,
    RecorderStopPayload, RecordingInfo, StatusPayload, UploadErrorPayload, UploadStopPayload, VodCommitPayload,
    VodFile, WebRecordingInfo, WebRecordingPayload,
};
pub use key::{CallbackKey, KeyProblem, MAX_KEY_LEN};
pub use room_id::RoomId;
pub use sign::{sign_body, sign_callback, SignedCallback};
pub use verify::{Verifier, DEFAULT_MAX_BODY_LEN, DEFAULT_WINDOW};

// The guide's Rust examples compile and run as doctests, so it cannot drift from the API (its receiver
// example needs the `server` feature, as `cargo test --workspace` builds it).
#[cfg(all(doctest, feature = "server"))]
#[doc = include_str!("../../../docs/callbacks.md")]
struct CallbacksGuide;
