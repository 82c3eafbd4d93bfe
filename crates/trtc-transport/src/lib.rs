//! The TRTC client: typed requests in, typed answers out, over a pluggable HTTP transport.
//!
//! `trtc-transport` ties the other two crates together: it validates a [`trtc_model`] request, signs it with
//! [`trtc_sign`] using the current time, sends it through a [`Transport`] (by default [`HyperTransport`]:
//! hyper 1, rustls with webpki roots, pooled HTTP/1.1 keep-alive) and reads the answer, so that every call
//! ends in one typed success or one [`Error`]. It is not a model or a signer of its own; use those crates
//! directly when you bring your own HTTP stack.
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
#![deny(missing_docs)]

mod client;
mod credentials;
mod endpoint;
mod error;
mod hyper_transport;
mod transport;

pub use client::{Client, ClientBuilder, DEFAULT_TIMEOUT, REQUEST_CLIENT};
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
pub use hyper_transport::{HyperTransport, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_POOL_IDLE_TIMEOUT};
pub use transport::{BoxFuture, Transport, TransportError, TransportErrorKind};

pub use trtc_model::{ApiError, DismissRoomRequest, DismissRoomResponse, ErrorCode, Region};
pub use trtc_sign::Credentials;
