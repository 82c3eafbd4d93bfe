//! The API gateway's checks, in order, for one API request: method, common headers, signature and token,
//! version, action, region, body, rate limit; then the action itself on the room state.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use trtc_model::Region;

use crate::actions::{self, VERSION};
use crate::auth::{authenticate, claimed_secret_id, header, Incoming};
use crate::journal::{JournalEntry, Outcome};
use crate::params::Params;
use crate::reply::Failure;
use crate::server::{lock, Shared};
use crate::RoomId;

pub(crate) fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The request's parameters, from the query string of a GET or the JSON body of a POST. Read once per
/// request: the journal entry peeks at them before anything is verified, the action uses them after.
pub(crate) fn params_of(parts: &http::request::Parts, body: &[u8]) -> Result<Params, Failure> {
    if parts.method == http::Method::GET {
        Ok(Params::from_query(parts.uri.query().unwrap_or("")))
    } else {
        Params::from_json(body)
    }
}

/// A journal entry for the request as it claims to be (nothing verified), with no outcome yet.
pub(crate) fn describe(parts: &http::request::Parts, params: Option<&Params>) -> JournalEntry {
    let action = header(&parts.headers, "x-tc-action").map(str::to_owned);
    let spec = action.as_deref().and_then(actions::find);
    let room = params.and_then(|p| match spec {
        Some(spec) => spec.peek_room(p),
        None => p
            .peek_u64("RoomId")
            .map(RoomId::Number)
            .or_else(|| p.peek_str("RoomId").map(RoomId::from)),
    });
    JournalEntry {
        seq: 0,
        time_ms: now_millis(),
        method: parts.method.to_string(),
        action,
        secret_id: claimed_secret_id(&parts.headers),
        sdk_app_id: params.and_then(|p| p.peek_u64("SdkAppId")),
        room,
        outcome: Outcome::Success,
        request_id: None,
        injected_latency_ms: 0,
    }
}

fn missing_common(name: &str) -> Failure {
    Failure::new(
        "MissingParameter",
        format!("The request is missing a required parameter `{name}`."),
    )
}

/// Runs every check and then the action; `Ok` is a success envelope. `params` is what [`params_of`] made of
/// the request, its failure reported only where the service checks the parameters.
pub(crate) fn process(
    shared: &Shared,
    parts: &http::request::Parts,
    body: &[u8],
    params: Result<Params, Failure>,
) -> Result<(), Failure> {
    let method = &parts.method;
    if method != http::Method::POST && method != http::Method::GET {
        return Err(Failure::new(
            "UnsupportedProtocol",
            format!("HTTP method {method} is not supported: use POST or GET."),
        ));
    }
    let headers = &parts.headers;
    let action = header(headers, "x-tc-action")
        .filter(|a| !a.is_empty())
        .ok_or_else(|| missing_common("Action"))?;
    let version = header(headers, "x-tc-version")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing_common("Version"))?;
    let timestamp = header(headers, "x-tc-timestamp").ok_or_else(|| missing_common("Timestamp"))?;
    let timestamp = timestamp.parse::<u64>().map_err(|_| {
        Failure::new(
            "InvalidParameter",
            format!("The value of `X-TC-Timestamp` must be seconds since the Unix epoch (got {timestamp:?})."),
        )
    })?;

    let query = parts.uri.query().unwrap_or("");
    let incoming = Incoming {
        method,
        query,
        headers,
        body,
        action,
        version,
        timestamp,
    };
    let entry = {
        let credentials = shared
            .credentials
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        authenticate(&incoming, &credentials, now_secs(), shared.max_clock_skew_secs)?
    };

    if version != VERSION {
        return Err(Failure::new(
            "NoSuchVersion",
            format!("The API version `{version}` does not exist: use {VERSION}."),
        ));
    }
    let Some(spec) = actions::find(action) else {
        let served: Vec<_> = actions::names().collect();
        return Err(Failure::new(
            "InvalidAction",
            format!(
                "The action `{action}` does not exist or is not served by this emulator (it serves {}).",
                served.join(", ")
            ),
        ));
    };
    let region = header(headers, "x-tc-region")
        .filter(|r| !r.is_empty())
        .ok_or_else(|| missing_common("Region"))?;
    if matches!(region.parse::<Region>(), Ok(Region::Other(_)) | Err(_)) {
        return Err(Failure::new(
            "InvalidParameterValue",
            format!(
                "A value specified in `X-TC-Region` is not valid, is unsupported, or cannot be used (got {region:?})."
            ),
        ));
    }
    if !spec.regions.contains(&region) {
        return Err(Failure::new(
            "UnsupportedRegion",
            format!(
                "The action `{action}` does not support the region {region}: use one of {}.",
                spec.regions.join(", ")
            ),
        ));
    }
    let params = params?;
    let admitted = lock(&shared.limiter).admit(action, params.peek_u64("SdkAppId"), Instant::now());
    if !admitted {
        let limit = lock(&shared.limiter).limit();
        return Err(Failure::new(
            "RequestLimitExceeded",
            format!(
                "Request rate limit exceeded: at most {} requests per {} ms for {action} and this SdkAppId.",
                limit.max_requests(),
                limit.window().as_millis()
            ),
        ));
    }
    spec.run(&params, &entry, &mut lock(&shared.rooms))
}
