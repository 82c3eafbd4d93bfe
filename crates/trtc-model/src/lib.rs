//! Typed requests, responses and errors of the Tencent Cloud TRTC API (version 2019-07-22).
//!
//! `trtc-model` describes the API and nothing else:
//!
//! - every action of both editions (mainland China and international, 89 in all) as a request type that
//!   serializes to the exact JSON the service expects and checks what is certainly wrong before sending, with its
//!   response type, generated from the official API description into [`api`], one module per product area
//!   (rooms, recording, mixing and CDN relay, AI conversation, text to speech, usage, ...); the room actions are
//!   also at the crate root: [`DismissRoomRequest`], [`DismissRoomByStrRoomIdRequest`], [`RemoveUserRequest`],
//!   [`RemoveUserByStrRoomIdRequest`], [`SetUserBlockedRequest`] and [`SetUserBlockedByStrRoomIdRequest`];
//! - the [`Action`] trait that ties a request to its action name, version, service, documented regions,
//!   idempotency, host and response, so one generic call sends any of them; [`StreamingAction`] for the action
//!   whose answer is an event stream;
//! - responses read leniently ([`lenient`]: numbers in strings, `null` members) and keeping the body they were
//!   read from ([`RawJson`]); requests read strictly from JSON with [`read_request`], which names the wrong
//!   member by its path;
//! - [`actions`], the static table of every action and member, for listing and checking without the types;
//! - [`ErrorCode`], every code of the TRTC SDK error lists and the common API 3.0 codes with its English
//!   description and [`ErrorClass`] (throttled, transient, authentication, caller), generated from the API
//!   description by `cargo xtask codegen`;
//! - [`Region`], and [`parse_response`], which reads any answer (an HTML 502 page, a truncated or hostile body
//!   included) into the typed response or an [`Error`] without panicking.
//!
//! It does no IO and knows no HTTP client, so a caller with its own HTTP stack can use it alone.
//!
//! ```
//! use trtc_model::{parse_response, Action, DismissRoomRequest, DismissRoomResponse, Region};
//!
//! let request = DismissRoomRequest::new(1400000001, 1234);
//! request.validate()?;
//! DismissRoomRequest::check_region(&"ap-guangzhou".parse::<Region>()?)?;
//! let body = serde_json::to_vec(&request).unwrap();
//! # let _ = body;
//! // ... POST `body`, signed for action DismissRoomRequest::NAME, version DismissRoomRequest::VERSION ...
//! let answer = br#"{"Response":{"RequestId":"eac6b301-a322-493a-8e36-83b295459397"}}"#;
//! let response: DismissRoomResponse = parse_response(200, answer)?;
//! assert_eq!(response.request_id, "eac6b301-a322-493a-8e36-83b295459397");
//! # Ok::<(), trtc_model::Error>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

mod action;
pub mod actions;
pub mod api;
mod body;
mod envelope;
mod error;
mod error_code;
pub mod lenient;
mod mute;
mod raw;
mod redact;
mod region;
mod rules;

pub use action::{Action, ApiResponse, StreamingAction, TypedAction, TRTC_SERVICE, TRTC_VERSION};
pub use api::rooms::{
    DismissRoomByStrRoomIdRequest, DismissRoomByStrRoomIdResponse, DismissRoomRequest, DismissRoomResponse,
    RemoveUserByStrRoomIdRequest, RemoveUserByStrRoomIdResponse, RemoveUserRequest, RemoveUserResponse,
    SetUserBlockedByStrRoomIdRequest, SetUserBlockedByStrRoomIdResponse, SetUserBlockedRequest, SetUserBlockedResponse,
};
pub use body::{read_request, read_request_value};
pub use envelope::{parse_event, parse_response, parse_response_keeping_raw};
pub use error::{snippet, ApiError, BodyError, BodyErrorKind, Error, ResponseError, SNIPPET_LIMIT};
pub use error_code::{ErrorClass, ErrorCode};
pub use mute::Mute;
pub use raw::RawJson;
use redact::Redacted;
pub use region::Region;
pub use rules::{MAX_STR_ROOM_ID_BYTES, MAX_USER_IDS, ROOM_RATE_LIMIT_PER_SECOND, STR_ROOM_ID_SYMBOLS};

/// The README's example, compiled and run as a doctest so it cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The examples of docs/api.md, compiled and run as doctests (those of an area with its feature).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/api.md")]
pub struct ApiDocDoctests;
