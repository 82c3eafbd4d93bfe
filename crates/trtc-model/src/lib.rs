//! Typed requests, responses and errors of the Tencent Cloud TRTC API (version 2019-07-22).
//!
//! `trtc-model` describes the API and nothing else: request types that serialize to the exact JSON the
//! service expects and check what is certainly wrong before sending, the [`Action`] trait that ties each to
//! its action name and response, [`ErrorCode`] for every known code with its retry class, and
//! [`parse_response`] for reading any answer, an HTML 502 page included, without panicking. It does no IO
//! and knows no HTTP client, so a caller with its own HTTP stack can use it alone.
//!
//! ```
//! use trtc_model::{parse_response, Action, DismissRoomRequest, DismissRoomResponse};
//!
//! let request = DismissRoomRequest::new(1400000001, 1234);
//! request.validate()?;
//! let body = serde_json::to_vec(&request).unwrap();
//! # let _ = body;
//! // ... send `body` as action DismissRoomRequest::NAME, version DismissRoomRequest::VERSION ...
//! let answer = br#"{"Response":{"RequestId":"eac6b301-a322-493a-8e36-83b295459397"}}"#;
//! let response: DismissRoomResponse = parse_response(200, answer)?;
//! assert_eq!(response.request_id, "eac6b301-a322-493a-8e36-83b295459397");
//! # Ok::<(), trtc_model::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod action;
mod dismiss_room;
mod envelope;
mod error;
mod error_code;
mod region;

pub use action::Action;
pub use dismiss_room::{DismissRoomRequest, DismissRoomResponse, TRTC_SERVICE, TRTC_VERSION};
pub use envelope::parse_response;
pub use error::{snippet, ApiError, Error, SNIPPET_LIMIT};
pub use error_code::{ErrorClass, ErrorCode};
pub use region::Region;
