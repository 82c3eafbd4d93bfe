//! The call core: one request, from a target, credentials and a body to the parsed answer.
//!
//! Every request this crate sends to an API 3.0 service goes through [`send`]: each attempt of a
//! [`Client`](crate::Client) call (typed actions and `call_json` alike), and the STS calls of the AssumeRole and
//! TKE OIDC credential providers. It signs with `trtc-sign`, sends through a [`Transport`] within a deadline
//! and reads the answer with `trtc-model`. Nothing else in the crate builds an `Authorization` header or reads
//! an answer envelope. Retries, rate limits and failover are layers around it (`client/attempts.rs`).

mod events;
mod key_cache;
mod request;

use std::future::Future;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;
use trtc_model::ResponseError;
use trtc_sign::{Credentials, Method, SignedHeaders};

use crate::{Endpoint, Error, Transport, REQUEST_CLIENT};

pub use events::{EventStream, MAX_EVENT_BYTES};
pub(crate) use key_cache::KeyCache;
pub(crate) use request::value as header_value;

/// What a request is for: the action of a service, and the region it is sent for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    /// The product, e.g. `trtc` or `sts`: the signing scope's service.
    pub(crate) service: &'a str,
    /// The action, e.g. `DismissRoom`.
    pub(crate) action: &'a str,
    /// The API version, e.g. `2019-07-22`.
    pub(crate) version: &'a str,
    /// Sent as `X-TC-Region` when set.
    pub(crate) region: Option<&'a str>,
}

/// The body of a request in the form it is sent: built once per call, reused by every attempt.
#[derive(Debug, Clone)]
pub(crate) enum Payload {
    /// POST with this JSON body.
    Json(Bytes),
    /// GET with this query string.
    Query(String),
}

impl Payload {
    /// `body` serialized for `method`: a JSON body for POST, a query string for GET.
    pub(crate) fn new<T: Serialize + ?Sized>(body: &T, method: Method) -> Result<Self, Error> {
        let serialize_error = |e: serde_json::Error| Error::Config {
            setting: "request",
            problem: format!("the request cannot be serialized: {e}"),
        };
        Ok(match method {
            Method::Post => Payload::Json(Bytes::from(serde_json::to_vec(body).map_err(serialize_error)?)),
            Method::Get => Payload::Query(crate::query::to_query(
                &serde_json::to_value(body).map_err(serialize_error)?,
            )),
        })
    }
}

/// How a request is authenticated.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Auth<'a> {
    /// TC3-HMAC-SHA256 with `credentials`, the day's signing key kept in `keys`.
    Tc3 {
        credentials: &'a Credentials,
        keys: &'a KeyCache,
    },
    /// Not signed: `Authorization: SKIP`, as STS `AssumeRoleWithWebIdentity` expects (the web identity token in
    /// the body is the proof).
    Unsigned,
}

/// The headers a sender adds to every request besides the signed ones.
#[derive(Debug, Clone)]
pub(crate) struct Headers {
    /// Which headers the signature covers.
    pub(crate) signed_headers: SignedHeaders,
    /// `X-TC-Language`, when set.
    pub(crate) language: Option<String>,
    /// `X-TC-RequestClient`.
    pub(crate) request_client: HeaderValue,
    /// Headers of the caller's own, sent as given.
    pub(crate) extra: Vec<(HeaderName, HeaderValue)>,
}

impl Default for Headers {
    fn default() -> Self {
        Headers {
            signed_headers: SignedHeaders::ContentTypeHost,
            language: None,
            request_client: HeaderValue::from_static(REQUEST_CLIENT),
            extra: Vec::new(),
        }
    }
}

/// When an answer must have come, and the timeout to report when it has not.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    pub(crate) at: Instant,
    pub(crate) after: Duration,
}

impl Deadline {
    /// `after` from now.
    pub(crate) fn after(after: Duration) -> Self {
        Deadline {
            at: Instant::now() + after,
            after,
        }
    }
}

/// How an answer's status and body are read into `R`: [`trtc_model::parse_response`], or an action's own
/// [`Action::read_response`](trtc_model::Action::read_response).
pub(crate) type Reader<R> = fn(u16, &[u8]) -> Result<R, ResponseError>;

/// Sends one request to `endpoint` and reads its answer as `R` with `read`: signed (or not) as `auth` says,
/// within `deadline`. Exactly one outcome: the typed answer, or the one [`Error`] that says why not.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn send<R>(
    transport: &dyn Transport,
    endpoint: &Endpoint,
    target: &Target<'_>,
    auth: Auth<'_>,
    payload: &Payload,
    headers: &Headers,
    deadline: Deadline,
    read: Reader<R>,
) -> Result<R, Error> {
    let request = request::build(endpoint, target, auth, payload, headers)?;
    let response = match tokio::time::timeout_at(deadline.at, transport.send(request)).await {
        Ok(result) => result?,
        Err(_) => return Err(Error::Timeout { after: deadline.after }),
    };
    Ok(read(response.status().as_u16(), response.body())?)
}

/// The most of a JSON answer [`open`] reads when an event stream was expected (an error envelope is small).
const MAX_ENVELOPE_BYTES: usize = 1024 * 1024;

/// Sends one request whose answer is an event stream and returns the stream once its head has arrived. A
/// JSON answer instead (a parameter error before the stream starts, told apart by its Content-Type) is read
/// whole and returned as the error it holds.
pub(crate) async fn open<E: DeserializeOwned>(
    transport: &dyn Transport,
    endpoint: &Endpoint,
    target: &Target<'_>,
    auth: Auth<'_>,
    payload: &Payload,
    headers: &Headers,
    deadline: Deadline,
) -> Result<EventStream<E>, Error> {
    let request = request::build(endpoint, target, auth, payload, headers)?;
    let timeout = || Error::Timeout { after: deadline.after };
    let response = match tokio::time::timeout_at(deadline.at, transport.open(request)).await {
        Ok(result) => result?,
        Err(_) => return Err(timeout()),
    };
    let (parts, mut body) = response.into_parts();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let status = parts.status.as_u16();
    if parts.status.is_success() && header("content-type").starts_with("text/event-stream") {
        return Ok(EventStream::new(body, header("x-tc-requestid").to_owned()));
    }
    let mut whole = BytesMut::new();
    loop {
        match tokio::time::timeout_at(deadline.at, body.chunk()).await {
            Err(_) => return Err(timeout()),
            Ok(None) => break,
            Ok(Some(chunk)) => whole.extend_from_slice(&chunk?),
        }
        if whole.len() > MAX_ENVELOPE_BYTES {
            break;
        }
    }
    match trtc_model::parse_response::<serde_json::Value>(status, &whole) {
        Err(e) => Err(e.into()),
        Ok(_) => Err(Error::UnexpectedResponse {
            status,
            detail: format!(
                "a JSON answer (Content-Type {:?}) where an event stream was expected",
                header("content-type")
            ),
            snippet: trtc_model::snippet(&whole),
        }),
    }
}

/// What one attempt does with its request: read the whole answer, or open an event stream.
pub(crate) trait Exchange {
    /// What an attempt gives on success.
    type Output;

    /// One attempt's exchange through the call core.
    fn exchange<'a>(
        transport: &'a dyn Transport,
        endpoint: &'a Endpoint,
        target: &'a Target<'a>,
        auth: Auth<'a>,
        payload: &'a Payload,
        headers: &'a Headers,
        deadline: Deadline,
    ) -> impl Future<Output = Result<Self::Output, Error>> + Send;
}

/// The whole answer, read as `R` by [`trtc_model::parse_response`] ([`send`]).
pub(crate) struct Whole<R>(PhantomData<fn() -> R>);

/// The whole answer of a typed action, read by the action's own reader (which keeps the raw answer too).
pub(crate) struct Answer<A>(PhantomData<fn() -> A>);

impl<A: trtc_model::Action> Exchange for Answer<A> {
    type Output = A::Response;

    fn exchange<'a>(
        transport: &'a dyn Transport,
        endpoint: &'a Endpoint,
        target: &'a Target<'a>,
        auth: Auth<'a>,
        payload: &'a Payload,
        headers: &'a Headers,
        deadline: Deadline,
    ) -> impl Future<Output = Result<A::Response, Error>> + Send {
        send::<A::Response>(
            transport,
            endpoint,
            target,
            auth,
            payload,
            headers,
            deadline,
            A::read_response,
        )
    }
}

impl<R: DeserializeOwned> Exchange for Whole<R> {
    type Output = R;

    fn exchange<'a>(
        transport: &'a dyn Transport,
        endpoint: &'a Endpoint,
        target: &'a Target<'a>,
        auth: Auth<'a>,
        payload: &'a Payload,
        headers: &'a Headers,
        deadline: Deadline,
    ) -> impl Future<Output = Result<R, Error>> + Send {
        send::<R>(
            transport,
            endpoint,
            target,
            auth,
            payload,
            headers,
            deadline,
            trtc_model::parse_response::<R>,
        )
    }
}

/// An event stream of `E` ([`open`]).
pub(crate) struct Streamed<E>(PhantomData<fn() -> E>);

impl<E: DeserializeOwned> Exchange for Streamed<E> {
    type Output = EventStream<E>;

    fn exchange<'a>(
        transport: &'a dyn Transport,
        endpoint: &'a Endpoint,
        target: &'a Target<'a>,
        auth: Auth<'a>,
        payload: &'a Payload,
        headers: &'a Headers,
        deadline: Deadline,
    ) -> impl Future<Output = Result<EventStream<E>, Error>> + Send {
        open::<E>(transport, endpoint, target, auth, payload, headers, deadline)
    }
}
