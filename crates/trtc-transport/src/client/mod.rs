//! [`Client`]: typed requests in, typed answers out.
//!
//! - `mod.rs`: the client and its two ways to call (`call` for any typed [`Action`], `call_json` for any action
//!   of any service);
//! - `actions.rs`: one method per action;
//! - `attempts.rs`: the attempts of one call (rate limit, endpoint choice, retries) around the call core;
//! - `builder.rs`: [`ClientBuilder`] and the defaults.

mod actions;
mod attempts;
mod builder;

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use trtc_model::{Action, Region, StreamingAction};
use trtc_sign::{Credentials, Method};

use crate::call::{Answer, EventStream, Headers, KeyCache, Payload, Streamed, Target, Whole};
use crate::failover::Endpoints;
use crate::rate_limit::RateLimiter;
use crate::retry::{Jitter, RetryBudget};
use crate::{Endpoint, Error, ProvideCredentials, RetryPolicy, Transport};

pub use builder::{ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_TIMEOUT, REQUEST_CLIENT};

/// A TRTC API client. Cheap to clone; clones share the connection pool, the rate limiter, the retry budget
/// and the circuit breaker.
///
/// ```no_run
/// use trtc_transport::{Client, Credentials, DismissRoomRequest, Region};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder()
///     .credential(Credentials::new("AKID...", "...")?)
///     .region(Region::ApGuangzhou)
///     .build()?;
/// let out = client.dismiss_room(DismissRoomRequest::new(1400000001, 1234)).await?;
/// println!("{}", out.request_id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// Where the credentials come from: fixed ones are lent to each attempt without a copy.
enum CredentialSource {
    // Boxed: Credentials carries a precomputed HMAC state and is much larger than a pointer.
    Static(Box<Credentials>),
    Provider(Arc<dyn ProvideCredentials>),
}

impl CredentialSource {
    async fn get(&self) -> Result<Cow<'_, Credentials>, Error> {
        match self {
            CredentialSource::Static(credentials) => Ok(Cow::Borrowed(credentials)),
            CredentialSource::Provider(provider) => provider
                .provide_credentials()
                .await
                .map(Cow::Owned)
                .map_err(Error::Credentials),
        }
    }
}

impl std::fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialSource::Static(credentials) => credentials.fmt(f),
            CredentialSource::Provider(provider) => provider.fmt(f),
        }
    }
}

/// What every clone of a client shares.
struct Inner {
    credentials: CredentialSource,
    region: Region,
    endpoints: Endpoints,
    headers: Headers,
    check_region: bool,
    method: Method,
    timeout: Duration,
    attempt_timeout: Duration,
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    budget: RetryBudget,
    jitter: Jitter,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    keys: KeyCache,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("credentials", &inner.credentials)
            .field("region", &inner.region)
            .field("endpoints", &inner.endpoints)
            .field("method", &inner.method)
            .field("timeout", &inner.timeout)
            .field("attempt_timeout", &inner.attempt_timeout)
            .field("retry", &inner.retry)
            .field("rate_limiter", &inner.rate_limiter)
            .finish_non_exhaustive()
    }
}

/// What the attempts of one call need to know of it.
struct Call<'a> {
    target: Target<'a>,
    sdk_app_id: Option<u64>,
    idempotent: bool,
    // The call's own endpoint (another service's host), outside failover.
    endpoint: Option<Endpoint>,
    payload: Payload,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The region requests are sent for.
    pub fn region(&self) -> &Region {
        &self.inner.region
    }

    /// The endpoint requests are sent to (the primary, when a backup is configured).
    pub fn endpoint(&self) -> &Endpoint {
        self.inner.endpoints.primary()
    }

    /// Sends any typed action and returns its typed answer.
    ///
    /// The request is checked before anything is sent; then each attempt waits for a rate-limit permit, is
    /// signed with a fresh timestamp and sent; failures that may be retried (see the crate docs) are retried
    /// with jittered backoff within the attempt limit, the retry budget and the overall timeout. Exactly one
    /// outcome is returned.
    pub async fn call<A: Action>(&self, request: &A) -> Result<A::Response, Error> {
        let call = self.typed_call(request)?;
        self.run::<Answer<A>>(&call).await
    }

    /// Sends an action whose answer is an event stream (`text/event-stream`, e.g. `TextToSpeechSSE`), and returns
    /// the stream of its typed events once the answer has begun.
    ///
    /// Until the stream opens, the call is checked, rate limited, retried and timed as [`call`](Client::call)
    /// is; a parameter error the service answers before streaming (a JSON envelope) is the call's error.
    /// After that, each event arrives as it comes; an error event, a broken connection or a stream that stops
    /// before its last event ends the stream with an error. An action served on a host of its own
    /// ([`Action::HOST`], `trtc.ai.tencentcloudapi.com` for `TextToSpeechSSE`) goes there unless the client was
    /// given an endpoint.
    pub async fn call_stream<A: StreamingAction>(&self, request: &A) -> Result<EventStream<A::Event>, Error> {
        let call = self.typed_call(request)?;
        self.run::<Streamed<A::Event>>(&call).await
    }

    /// Sends any action of any Tencent Cloud API 3.0 service, like the official SDKs' common client:
    /// `params` is the request's JSON object, the answer is the `Response` object (with its `RequestId`).
    ///
    /// Nothing is known of the action, so no field or region is checked and a failure after the request may
    /// have been sent is not retried. When the client uses the default endpoint, a service other than `trtc`
    /// goes to `<service>.tencentcloudapi.com`.
    ///
    /// ```no_run
    /// # async fn run(client: trtc_transport::Client) -> Result<(), trtc_transport::Error> {
    /// let answer = client
    ///     .call_json("trtc", "DismissRoom", "2019-07-22", serde_json::json!({"SdkAppId": 1400000001, "RoomId": 1234}))
    ///     .await?;
    /// println!("{}", answer["RequestId"]);
    /// # Ok(()) }
    /// ```
    pub async fn call_json(
        &self,
        service: &str,
        action: &str,
        version: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, Error> {
        let inner = &*self.inner;
        let invalid = |field: &'static str, problem: String| {
            Error::InvalidRequest(trtc_model::Error::InvalidField { field, problem })
        };
        if !params.is_object() {
            return Err(invalid(
                "params",
                "must be a JSON object such as {\"SdkAppId\": 1400000001}".to_owned(),
            ));
        }
        if service.is_empty() || !service.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
            return Err(invalid(
                "service",
                format!("{service:?} is not a product name: use e.g. \"trtc\" or \"cvm\""),
            ));
        }
        let call = Call {
            target: self.target(service, action, version),
            sdk_app_id: params.get("SdkAppId").and_then(serde_json::Value::as_u64),
            idempotent: false,
            endpoint: inner.endpoints.own(service, None)?,
            payload: Payload::new(&params, inner.method)?,
        };
        self.run::<Whole<serde_json::Value>>(&call).await
    }

    /// A typed request checked (its members, its region) and made ready for its attempts.
    fn typed_call<A: Action>(&self, request: &A) -> Result<Call<'_>, Error> {
        let inner = &*self.inner;
        request.validate().map_err(Error::InvalidRequest)?;
        if inner.check_region {
            A::check_region(&inner.region).map_err(Error::InvalidRequest)?;
        }
        let call = Call {
            target: self.target(A::SERVICE, A::NAME, A::VERSION),
            sdk_app_id: request.sdk_app_id(),
            idempotent: A::IDEMPOTENT,
            endpoint: inner.endpoints.own(A::SERVICE, A::HOST)?,
            payload: Payload::new(request, inner.method)?,
        };
        Ok(call)
    }

    fn target<'a>(&'a self, service: &'a str, action: &'a str, version: &'a str) -> Target<'a> {
        Target {
            service,
            action,
            version,
            region: Some(self.inner.region.as_str()),
        }
    }
}
