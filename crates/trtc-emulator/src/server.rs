//! The HTTP side: accept connections, read each request whole, route admin requests, apply injected faults,
//! run the gateway's checks and the action, journal the outcome, answer.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming as IncomingBody;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use trtc_model::ErrorCode;

use crate::admin::{self, ADMIN_PREFIX};
use crate::faults::Fault;
use crate::gateway;
use crate::journal::Outcome;
use crate::reply::{self, Answer, Failure, RequestId};
use crate::state::State;

/// The largest request body accepted, as the service documents for TC3 POST requests.
const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Serves connections until `stopped` changes; the connections still open end with it.
pub(crate) async fn accept_loop(listener: TcpListener, state: Arc<State>, mut stopped: watch::Receiver<bool>) {
    // Connections are tasks of this set, so they end with the loop: dropping the set aborts those still
    // open, closing them. A connection's task thus needs no stop signal of its own, which it would poll
    // on every wake-up, that is several times a request.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => return,
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let state = Arc::clone(&state);
                connections.spawn(async move {
                    let service = service_fn(move |request| handle(Arc::clone(&state), request));
                    // Answers are small: copying the body behind the head and writing once costs less than
                    // queueing both for a vectored write.
                    let connection = hyper::server::conn::http1::Builder::new()
                        .writev(false)
                        .serve_connection(TokioIo::new(stream), service);
                    let _ = connection.await;
                });
            }
            // Ended connections are reaped, so the set holds the open ones only.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Returned by the service to make hyper close the connection without writing an answer.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

/// `application/json`, built once: a value made where it is used is validated on every answer.
static APPLICATION_JSON: http::HeaderValue = http::HeaderValue::from_static("application/json");
/// `text/event-stream`, for an action that answers events.
static TEXT_EVENT_STREAM: http::HeaderValue = http::HeaderValue::from_static("text/event-stream");
/// `text/html`.
static TEXT_HTML: http::HeaderValue = http::HeaderValue::from_static("text/html");

fn respond(status: http::StatusCode, content_type: &http::HeaderValue, body: Bytes) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(body));
    *response.status_mut() = status;
    // Exactly `application/json`: the official Python SDK and tccli treat an error envelope as success
    // under `application/json; charset=utf-8`.
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, content_type.clone());
    response
}

fn envelope(result: &Result<Answer, Failure>, request_id: &RequestId) -> http::Response<Full<Bytes>> {
    let (body, content_type) = match result {
        Ok(answer) if answer.is_events() => (reply::answer(answer, request_id), &TEXT_EVENT_STREAM),
        Ok(answer) => (reply::answer(answer, request_id), &APPLICATION_JSON),
        Err(failure) => (reply::error(failure, request_id), &APPLICATION_JSON),
    };
    respond(http::StatusCode::OK, content_type, body)
}

/// The body, whole (trailers ignored); `None` when it is larger than `limit` bytes or cannot be read.
///
/// What `Limited` and `collect` do, without their buffer list: a body that arrives in one piece, as small
/// API requests do, is handed on as it came.
async fn read_body(mut body: IncomingBody, limit: usize) -> Option<Bytes> {
    let mut remaining = limit;
    let mut first = Bytes::new();
    let mut joined: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.ok()?.into_data() else {
            continue;
        };
        remaining = remaining.checked_sub(data.len())?;
        if first.is_empty() {
            first = data;
        } else {
            if joined.is_empty() {
                joined.extend_from_slice(&first);
            }
            joined.extend_from_slice(&data);
        }
    }
    Some(if joined.is_empty() { first } else { Bytes::from(joined) })
}

async fn handle(
    state: Arc<State>,
    request: http::Request<IncomingBody>,
) -> Result<http::Response<Full<Bytes>>, DropConnection> {
    let request_id = reply::request_id();
    let (parts, body) = request.into_parts();
    let body = match read_body(body, MAX_BODY_BYTES).await {
        Some(body) => body,
        None => {
            let failure = Failure::new(
                ErrorCode::RequestSizeLimitExceeded,
                "The request body is larger than 10 MB or could not be read.",
            );
            return Ok(envelope(&Err(failure), &request_id));
        }
    };

    if let Some(path) = parts.uri.path().strip_prefix(ADMIN_PREFIX) {
        if !state.admin_api {
            return Ok(respond(
                http::StatusCode::NOT_FOUND,
                &APPLICATION_JSON,
                Bytes::from(r#"{"error":"the admin API is turned off for this emulator"}"#),
            ));
        }
        let reply = admin::handle(&state, &parts.method, path, &body);
        return Ok(respond(reply.status, &APPLICATION_JSON, reply.body));
    }

    let received = gateway::Received::read(&parts, &body);
    let params = gateway::params_of(&received);
    let mut entry = gateway::describe(&received, params.as_ref().ok());
    let decision = state.faults().decide();
    // Injected latency delays the answer, not the work: the request takes effect (and is journaled) at
    // once, as a slow network or a slow gateway would leave it, so a client that gives up waiting faces
    // the real ambiguity of an action that happened without its answer.
    entry.injected_latency_ms = u64::try_from(decision.latency.as_millis()).unwrap_or(u64::MAX);
    let result = match decision.answer {
        Some(Fault::Drop) => {
            entry.outcome = Outcome::Dropped;
            state.record(entry);
            return Err(DropConnection);
        }
        Some(Fault::BadGateway) => {
            entry.outcome = Outcome::BadGateway;
            state.record(entry);
            return Ok(respond(
                http::StatusCode::BAD_GATEWAY,
                &TEXT_HTML,
                Bytes::from_static(reply::BAD_GATEWAY_HTML.as_bytes()),
            ));
        }
        Some(Fault::InternalError) => Err(Failure::new(
            ErrorCode::InternalError,
            "Internal error (injected by the emulator's fault plan).",
        )),
        _ => gateway::process(&state, &received, params),
    };
    entry.outcome = match &result {
        Ok(_) => Outcome::Success,
        Err(failure) => Outcome::Error {
            code: failure.code.as_str().to_owned(),
            message: failure.message.clone(),
        },
    };
    let response = envelope(&result, &request_id);
    entry.request_id = Some(request_id.into_string());
    state.record(entry);
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    Ok(response)
}
