//! A rate limiter for the TRTC client shared by every process of a fleet, kept in Redis.
//!
//! The budget of an account lives in one Redis key per (SecretId, service, action, SdkAppId). Each permit runs
//! one Lua script that applies GCRA atomically on the server, with the server's clock: it books the next free
//! slot and answers how long the caller waits for it. The caller sleeps that long and sends; its slot is
//! already its own, so callers are served in the order they asked, whichever process they are in. When Redis
//! is slow or down the limiter does what [`FallbackPolicy`] says: pace with a local limiter until Redis
//! answers again (the default), or fail the call.
//!
//! [`RedisRateLimiter`] implements `trtc_transport::RateLimiter`, so it plugs into
//! `ClientBuilder::rate_limiter`; with the `redis` feature the `trtc` facade re-exports this crate. It is
//! not a Redis client: the [`redis`] crate (re-exported here) speaks the protocol, pipelines every caller's
//! command over one connection and reconnects it after a drop.
//!
//! ```no_run
//! use trtc_ratelimit_redis::{RedisLimiterOptions, RedisRateLimiter};
//! use trtc_transport::{Client, Region};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let limiter = RedisRateLimiter::connect("redis://10.0.0.5:6379/0", RedisLimiterOptions::default()).await?;
//! let client = Client::builder().default_credentials().region(Region::ApGuangzhou).rate_limiter(limiter).build()?;
//! # Ok(()) }
//! ```
//!
//! # Connections
//!
//! - [`RedisRateLimiter::new`] / [`connect`](RedisRateLimiter::connect) with a URL (`redis://`, `rediss://`
//!   with feature `tls`, `redis+unix://`), or [`from_client`](RedisRateLimiter::from_client) with a
//!   `redis::Client` (own root certificates, RESP3): the limiter opens a `ConnectionManager` on first use.
//! - [`with_connection`](RedisRateLimiter::with_connection): the application's own `ConnectionManager` or
//!   `MultiplexedConnection` (or `ClusterConnection`), so that it shares one pool with the limiter.
//! - `RedisRateLimiter::new_cluster` (feature `cluster`): Redis Cluster. Each budget's key
//!   is one hash tag, `trtc:rate:{AKID...:trtc:DismissRoom:1400000001}`, so the script, which touches that
//!   one key, runs on the node owning its slot and budgets spread over the nodes.
//!
//! # Features
//!
//! | feature | what it adds |
//! | --- | --- |
//! | `tls` | `rediss://`, with rustls (the client's TLS library) and the Mozilla roots of `webpki-roots` |
//! | `cluster` | Redis Cluster: `RedisRateLimiter::new_cluster`, `SharedConnection::Cluster` |
//!
//! # What it costs
//!
//! Measured with `cargo tree -e normal` (distinct crates, this crate's own included): `trtc-transport` is 67;
//! when the limiter spoke RESP itself inside `trtc-transport` it added none (its `sha1` was the signer's).
//! This crate is 107, 40 more: `redis` itself, 22 of `url`'s IDNA and Unicode tables (`idna`, `icu_*`,
//! `zerovec`, `yoke`, ...) which `redis` requires to parse its URLs, and `combine`, `arc-swap`, `backon`,
//! `num-bigint` (with `num-integer`, `num-traits`), `sha1_smol`, `ryu`, `fastrand`. `tls` adds 2
//! (`rustls-native-certs`, `openssl-probe`: rustls and `tokio-rustls` are the client's already), `cluster` 8
//! (`crc16`, `rand` and its family, `log`); all features together, 117. Only applications that depend on
//! this crate (or turn on the facade's `redis` feature) pay it; the protocol code it replaced was about 580
//! lines of our own.
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod clock;
mod error;
mod limiter;
mod link;
mod options;
mod permit;

pub use error::{RedisLimiterError, RedisLimiterErrorKind};
pub use limiter::RedisRateLimiter;
pub use link::SharedConnection;
pub use options::{
    FallbackPolicy, RedisLimiterOptions, DEFAULT_REDIS_COMMAND_TIMEOUT, DEFAULT_REDIS_CONNECT_TIMEOUT,
    DEFAULT_REDIS_GUARD, DEFAULT_REDIS_KEY_PREFIX, DEFAULT_REDIS_RETRY_INTERVAL,
};
/// The `redis` crate this limiter is built on, so that a connection given to
/// [`RedisRateLimiter::with_connection`] comes from the same version.
pub use redis;

// The README's example compiles as a doctest, so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
