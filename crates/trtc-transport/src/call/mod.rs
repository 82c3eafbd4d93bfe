//! The call core: one request, from a target, credentials and a body to the parsed answer.
//!
//! Every request this crate sends to an API 3.0 service goes through [`send`]: each attempt of a
//! [`Client`](crate::Client) call (typed actions and `call_json` alike), and the STS calls of the AssumeRole and
//! TKE OIDC credential providers. It signs with `trtc-sign`, sends through a [`Transport`] within a deadline
//! and reads the answer with `trtc-model`. Nothing else in the crate builds an `Authorization` header or reads
//! an answer envelope. Retries, rate limits and failover are layers around it (`client/attempts.rs`).

mod key_cache;
mod request;

use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;
use trtc_sign::{Credentials, Method, SignedHeaders};

use crate::{Endpoint, Error, Transport, REQUEST_CLIENT};

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

/// Sends one request to `endpoint` and reads its answer as `R`: signed (or not) as `auth` says, within
/// `deadline`. Exactly one outcome: the typed answer, or the one [`Error`] that says why not.
pub(crate) async fn send<R: DeserializeOwned>(
    transport: &dyn Transport,
    endpoint: &Endpoint,
    target: &Target<'_>,
    auth: Auth<'_>,
    payload: &Payload,
    headers: &Headers,
    deadline: Deadline,
) -> Result<R, Error> {
    let request = request::build(endpoint, target, auth, payload, headers)?;
    let response = match tokio::time::timeout_at(deadline.at, transport.send(request)).await {
        Ok(result) => result?,
        Err(_) => return Err(Error::Timeout { after: deadline.after }),
    };
    Ok(trtc_model::parse_response::<R>(
        response.status().as_u16(),
        response.body(),
    )?)
}
