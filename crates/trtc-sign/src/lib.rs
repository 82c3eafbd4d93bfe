//! TC3-HMAC-SHA256 signing for Tencent Cloud API 3.0: pure functions from inputs to headers.
//!
//! `trtc-sign` computes the `Authorization` header and its companions for any API 3.0 service (TRTC, CVM,
//! STS, SMS, ...). It is deliberately not a client: it reads no clock, does no IO, has no async and no HTTP
//! types. The caller passes the credentials, the time and the request as it will be sent, and gets back
//! the headers to add together with the canonical request and string to sign, for debugging a
//! `SignatureFailure` against another signer.
//!
//! - [`sign`] signs with TC3-HMAC-SHA256; [`sign_with_key`] does the same with a [`SigningKey`] kept for the
//!   day, for clients that sign many requests.
//! - [`sign_v1`] signs with the legacy `HmacSHA1` / `HmacSHA256` methods.
//! - With the `http` feature, [`SigningOutput`] gains `apply_to_request` for an `http::Request`.
//!
//! The repository's `docs/signing.md` explains the algorithm, the published examples this crate reproduces
//! and how to debug a refused signature.
//!
//! ```
//! use trtc_sign::{sign, Credentials, SignableRequest, SigningParams, Timestamp};
//!
//! let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")?;
//! let body = br#"{"SdkAppId":1400000001,"RoomId":1234}"#;
//! let params = SigningParams::new("trtc", "trtc.tencentcloudapi.com", "DismissRoom", "2019-07-22", Timestamp::from_secs(1_700_000_000)?)
//!     .with_region("ap-guangzhou");
//! let out = sign(&creds, &params, &SignableRequest::post("application/json", body))?;
//! for header in out.headers() {
//!     // add header.name(), header.value() to the request; mark header.is_sensitive() ones as such
//! #   let _ = header;
//! }
//! assert!(out.authorization().starts_with("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2023-11-14/trtc/tc3_request"));
//! # Ok::<(), trtc_sign::SignError>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

mod base64;
mod credentials;
mod date;
mod error;
mod hex;
#[cfg(feature = "http")]
mod http_request;
mod key;
mod output;
mod params;
mod request;
mod sha256;
mod signature;
mod tc3;
mod v1;

pub use credentials::{Credentials, Secret};
pub use date::{Timestamp, UtcDate};
pub use error::SignError;
pub use key::{hmac_sha256, HmacSha256, SigningKey};
pub use output::{Header, Headers, SigningOutput};
pub use params::{SignedHeaders, SigningParams};
pub use request::{Method, SignableRequest};
pub use signature::Signature;
pub use tc3::{sign, sign_with_key, signature_with_key, ALGORITHM, UNSIGNED_PAYLOAD};
pub use v1::{sign_v1, SignatureMethod, V1Output, V1Request};

// The signing guide's Rust examples compile and run as doctests, so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/signing.md")]
struct SigningGuide;
