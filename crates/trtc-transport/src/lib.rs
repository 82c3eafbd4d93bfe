//! The TRTC client: typed requests in, typed answers out, over a pluggable HTTP transport.
//!
//! `trtc-transport` ties the other two crates together: it validates a [`trtc_model`] request, signs it with
//! [`trtc_sign`] using the current time, sends it through a [`Transport`] (by default [`HyperTransport`]:
//! hyper 1, rustls with webpki roots, pooled HTTP/1.1 keep-alive) and reads the answer, so that every call
//! ends in one typed success or one [`Error`]. It is not a model or a signer of its own; use those crates
//! directly when you bring your own HTTP stack.
//!
//! What a call does, and its defaults:
//! - **Rate limit**: each attempt first waits for a permit of a [`RateLimiter`] (default
//!   [`LocalRateLimiter`]: 20 requests per second per action, the documented limit, 52.5 ms apart to leave room for network jitter).
//! - **Retries** ([`RetryPolicy`], 3 attempts): throttling (`RequestLimitExceeded` and every sub-code),
//!   transient server errors (`InternalError*`, HTTP 502/503/504 with any body) and connections that failed
//!   before the request was sent are retried; a failure after the request may have been sent (a reset, an
//!   attempt timeout) only for actions marked [`Action::IDEMPOTENT`](trtc_model::Action::IDEMPOTENT)
//!   (DismissRoom is: a repeated dismissal answers `FailedOperation.RoomNotExist`, reported as such).
//!   Authentication and caller errors are never retried. Backoff is exponential with full jitter, and a
//!   retry budget shared by the client's calls stops retry storms. Each attempt is signed anew.
//! - **Timeouts**: 5 s per attempt, 15 s per call (from the first permit), connect 10 s.
//! - **Failover** (opt-in): a backup endpoint behind a circuit breaker ([`BreakerConfig`]).
//! - **Tracing**: a `trtc.call` span per call and events per attempt (action, region, endpoint, attempt,
//!   error code, request id, latency); no header, body or secret is ever logged.
//!
//! ```no_run
//! use trtc_transport::{Client, Credentials, DismissRoomRequest, Region};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .credential(Credentials::new("AKID...", "...")?)
//!     .region(Region::ApGuangzhou)
//!     .build()?;
//! let out = client.dismiss_room(DismissRoomRequest::new(1400000001, 1234)).await?;
//! println!("dismissed, RequestId {}", out.request_id);
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

mod call;
mod client;
mod credentials;
mod endpoint;
mod error;
mod failover;
mod query;
mod rate_limit;
mod retry;
mod sender;

pub use call::{EventStream, MAX_EVENT_BYTES};
pub use client::{Client, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_TIMEOUT, REQUEST_CLIENT};
pub use credentials::{
    AssumeRoleProvider, AssumeRoleProviderBuilder, ChainProvider, CredentialsError, CredentialsErrorKind,
    CvmRoleProvider, CvmRoleProviderBuilder, DefaultChainBuilder, EnvVars, EnvironmentProvider, OidcRoleProvider,
    OidcRoleProviderBuilder, ProfileProvider, ProvideCredentials, StaticProvider, DEFAULT_METADATA_ENDPOINT,
    DEFAULT_PROFILE, ENV_CREDENTIALS_FILE, ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN, ENV_TKE_PROVIDER_ID,
    ENV_TKE_REGION, ENV_TKE_ROLE_ARN, ENV_TKE_WEB_IDENTITY_TOKEN_FILE, ENV_TOKEN, REFRESH_BEFORE_EXPIRY, STS_ENDPOINT,
    STS_VERSION, SYSTEM_CREDENTIALS_FILE,
};
pub use endpoint::{Endpoint, DEFAULT_ENDPOINT};
pub use error::Error;
pub use failover::BreakerConfig;
pub use rate_limit::{
    LocalRateLimiter, RateKey, RateLimitError, RateLimiter, DEFAULT_GUARD, DOCUMENTED_RATE_PER_SECOND,
};
pub use retry::RetryPolicy;
pub use sender::hyper_transport::{HyperTransport, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_POOL_IDLE_TIMEOUT};
pub use sender::hyper_transport::{HyperTransportBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_POOL_MAX_IDLE_PER_HOST};
pub use sender::hyper_transport::{ProxyConfig, ProxyServer};
pub use sender::{BoxFuture, ResponseBody, Transport, TransportError, TransportErrorKind};

pub use trtc_model::{ApiError, DismissRoomRequest, DismissRoomResponse, ErrorCode, Region};
pub use trtc_sign::{Credentials, Method};
