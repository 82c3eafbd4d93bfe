//! TRTC UserSig and PrivateMapKey: the credentials a TRTC client enters a room with, minted and verified.
//!
//! A client cannot enter a room without a **UserSig**, and a room with advanced permission control also needs
//! a **PrivateMapKey** naming the room and what the user may do there. Both are minted by the application's
//! backend with its SDK secret key; this crate does what Tencent's TLSSigAPIv2 packages do, and its strings
//! are accepted by them (the test vectors come from the official Python and Node packages).
//!
//! It is deliberately pure: no IO and no clock. The time is an input, so minting is reproducible and tests
//! need no sleeping; the `trtc` facade adds helpers that read the system clock.
//!
//! - [`Issuer`] holds the SdkAppId and the SDK secret key: [`Issuer::user_sig`], [`Issuer::private_map_key`],
//!   and [`Issuer::verify`] (or [`verify_user_sig`](Issuer::verify_user_sig),
//!   [`verify_private_map_key`](Issuer::verify_private_map_key)) returning the decoded [`Claims`].
//! - [`Room`] and [`Privileges`] type the PrivateMapKey's room and its eight privilege bits.
//! - A failed verification is an [`Error::Rejected`] naming the [`Check`] that failed.
//!
//! Verification is safe on any input: strings longer than [`MAX_SIG_CHARS`] are refused unread, inflating stops
//! at [`MAX_DOCUMENT_BYTES`], and nothing panics.
//!
//! ```
//! use trtc_usersig::{Check, Issuer, Privileges, Room, Secret};
//!
//! let issuer = Issuer::new(1400000000, Secret::new("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"))?;
//! let now = 1_700_000_000; // seconds since the Unix epoch, from your clock
//!
//! // In the backend, for the client that logs in as "alice":
//! let user_sig = issuer.user_sig("alice", now, trtc_usersig::DEFAULT_EXPIRE)?;
//! let private_map_key =
//!     issuer.private_map_key("alice", &Room::string("lobby")?, Privileges::parse("enter,recv-audio,recv-video")?, now, 300)?;
//!
//! // Anywhere the key is known:
//! let claims = issuer.verify("alice", &private_map_key, now + 10)?;
//! assert_eq!(claims.private_map.map(|m| m.room), Some(Room::Str("lobby".into())));
//! let err = issuer.verify("bob", &user_sig, now).unwrap_err();
//! assert_eq!(err.check(), Some(Check::Identifier));
//! # Ok::<(), trtc_usersig::Error>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![deny(missing_docs)]

mod document;
mod envelope;
mod error;
mod issuer;
mod privileges;
mod room;
mod userbuf;

pub use envelope::{MAX_DOCUMENT_BYTES, MAX_SIG_CHARS};
pub use error::{Check, Error};
pub use issuer::{Claims, Issuer, PrivateMap, DEFAULT_EXPIRE, MAX_USER_ID_BYTES};
pub use privileges::Privileges;
pub use room::{Room, MAX_ROOM_ID, MAX_STR_ROOM_ID_BYTES};
/// The SDK secret key's type: `Debug` prints `***`, the bytes are wiped on drop (re-exported from `trtc-sign`).
pub use trtc_sign::Secret;
