//! The Rust SDK for the Tencent Cloud TRTC server API: the one dependency an application needs.
//!
//! This crate adds almost no code of its own; it re-exports the layers so that applications depend on one
//! crate and one version:
//! - [`sign`] (`trtc-sign`): the pure TC3-HMAC-SHA256 signer, usable for any Tencent Cloud API 3.0 service;
//! - [`model`] (`trtc-model`): the typed requests, responses, error codes and regions;
//! - [`transport`] (`trtc-transport`): the [`Client`] and its pluggable HTTP [`Transport`];
//! - [`usersig`] (`trtc-usersig`): minting and verifying the UserSig and PrivateMapKey of TRTC clients, with
//!   helpers that read the system clock;
//! - [`callback`] (`trtc-callback`): the event callbacks the service sends, typed and verified.
//!
//! ```no_run
//! use trtc::{Client, Credentials, DismissRoomRequest, Region};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .credential(Credentials::new("AKID...", "...")?)
//!     .region(Region::ApGuangzhou)
//!     .build()?;
//! match client.dismiss_room(DismissRoomRequest::new(1400000001, 1234)).await {
//!     Ok(out) => println!("dismissed, RequestId {}", out.request_id),
//!     Err(e) if e.code() == Some(&trtc::ErrorCode::FailedOperationRoomNotExist) => println!("already gone"),
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok(()) }
//! ```
//!
//! # Feature flags
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `blocking` | off | `trtc::blocking::Client`: the same client for programs without an async runtime |
//! | `redis` | off | `RedisRateLimiter` and its options: one rate limit for a fleet, kept in Redis (crate `trtc-ratelimit-redis`, also at `trtc::ratelimit_redis`) |
//! | `redis-tls` | off | with `redis`: `rediss://` |
//! | `redis-cluster` | off | with `redis`: Redis Cluster (`RedisRateLimiter::new_cluster`) |
//! | `callback-server` | off | `trtc::callback::server`: a hyper receiver that verifies callbacks and answers the service |
//!
//! `trtc-transport` has `native-roots` (trust the operating system's certificates too) and `trtc-sign` has
//! `http` (sign an `http::Request`); depend on those crates to turn them on.
//!
//! # Examples
//!
//! `crates/trtc/examples/` holds programs that run offline against the emulator: `dismiss_room`,
//! `profile_credentials`, `custom_transport`, `emulator_in_tests`, `sign_cvm_request` and (with
//! `--features blocking`) `blocking`. Run one with `cargo run -p trtc --example dismiss_room`.
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;

pub mod usersig;

pub use trtc_callback as callback;
pub use trtc_model as model;
pub use trtc_sign as sign;
pub use trtc_transport as transport;

pub use trtc_model::{
    Action, ApiError, DismissRoomByStrRoomIdRequest, DismissRoomByStrRoomIdResponse, DismissRoomRequest,
    DismissRoomResponse, ErrorClass, ErrorCode, Mute, Region, RemoveUserByStrRoomIdRequest,
    RemoveUserByStrRoomIdResponse, RemoveUserRequest, RemoveUserResponse, SetUserBlockedByStrRoomIdRequest,
    SetUserBlockedByStrRoomIdResponse, SetUserBlockedRequest, SetUserBlockedResponse, StreamingAction,
};
// Every action's request and response types, by product area (areas other than rooms behind their features).
pub use trtc_model::api;
pub use trtc_sign::{Credentials, Method};
pub use trtc_transport::{
    BoxFuture, BreakerConfig, ChainProvider, Client, ClientBuilder, CredentialsError, CredentialsErrorKind, Endpoint,
    Error, EventStream, HyperTransport, HyperTransportBuilder, LocalRateLimiter, ProvideCredentials, ProxyConfig,
    RateLimiter, ResponseBody, RetryPolicy, Transport, TransportError, TransportErrorKind,
};
// What a rate limiter of one's own is made of.
#[cfg(feature = "redis")]
pub use trtc_ratelimit_redis as ratelimit_redis;
#[cfg(feature = "redis")]
pub use trtc_ratelimit_redis::{FallbackPolicy, RedisLimiterError, RedisLimiterOptions, RedisRateLimiter};
pub use trtc_transport::{RateKey, RateLimitError, DOCUMENTED_RATE_PER_SECOND};
// The credential providers a program picks from when the default chain is not what it wants.
pub use trtc_transport::{
    AssumeRoleProvider, CvmRoleProvider, EnvironmentProvider, OidcRoleProvider, ProfileProvider, StaticProvider,
};

// The docs pages' Rust examples compile as doctests, so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/client.md")]
struct ClientDocDoctests;

#[cfg(doctest)]
#[doc = include_str!("../../../docs/usersig.md")]
struct UsersigDocDoctests;

// The README's Rust examples compile as doctests, so the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
