//! Typed requests, responses and errors of the Tencent Cloud TRTC API (version 2019-07-22).
//!
//! `trtc-model` describes the API and nothing else:
//!
//! - the room-management actions as request types that serialize to the exact JSON the service expects and
//!   check what is certainly wrong before sending: [`DismissRoomRequest`], [`DismissRoomByStrRoomIdRequest`],
//!   [`RemoveUserRequest`], [`RemoveUserByStrRoomIdRequest`], [`SetUserBlockedRequest`] and
//!   [`SetUserBlockedByStrRoomIdRequest`], each with its response type;
//! - the [`Action`] trait that ties a request to its action name, version, service, documented regions,
//!   idempotency and response, so one generic call sends any of them;
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
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

mod action;
mod envelope;
mod error;
mod error_code;
mod region;
mod rooms;

pub use action::Action;
pub use envelope::parse_response;
pub use error::{snippet, ApiError, Error, ResponseError, SNIPPET_LIMIT};
pub use error_code::{ErrorClass, ErrorCode};
pub use region::Region;
pub use rooms::ROOM_RATE_LIMIT_PER_SECOND;
pub use rooms::{
    DismissRoomByStrRoomIdRequest, DismissRoomByStrRoomIdResponse, DismissRoomRequest, DismissRoomResponse, Mute,
    RemoveUserByStrRoomIdRequest, RemoveUserByStrRoomIdResponse, RemoveUserRequest, RemoveUserResponse,
    SetUserBlockedByStrRoomIdRequest, SetUserBlockedByStrRoomIdResponse, SetUserBlockedRequest, SetUserBlockedResponse,
    MAX_STR_ROOM_ID_BYTES, MAX_USER_IDS, STR_ROOM_ID_SYMBOLS, TRTC_SERVICE, TRTC_VERSION,
};

/// The README's example, compiled and run as a doctest so it cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
