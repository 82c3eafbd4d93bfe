//! The API gateway's checks, in order, for one API request: method, common parameters (`X-TC-*` headers
//! for TC3-HMAC-SHA256, query or form parameters for v1), signature and token, version, action, region,
//! body, rate limit; then the action itself on the room state.

use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use trtc_model::Region;

use crate::actions::{self, VERSION};
use crate::auth::{authenticate, authenticate_v1, claimed_secret_id, header, Incoming, IncomingV1};
use crate::journal::{JournalEntry, Outcome};
use crate::keyring::{Account, Keyring};
use crate::params::{decoded_pairs, first_value, Params};
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

/// The common parameters of a v1 request; every other parameter is the action's.
const V1_COMMON: [&str; 11] = [
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Token",
    "Language",
    "RequestClient",
];

/// The decoded `(name, value)` pairs of a v1 request, in the order sent and lists flat (`UserIds.0`), or
/// `None` for a TC3 request. A request is v1 when it has neither `Authorization` nor `X-TC-Action` and is a
/// GET (the parameters are the query) or a POST with an `application/x-www-form-urlencoded` body.
pub(crate) fn v1_pairs(parts: &http::request::Parts, body: &[u8]) -> Option<Vec<(String, String)>> {
    let headers = &parts.headers;
    if headers.contains_key(http::header::AUTHORIZATION) || headers.contains_key("x-tc-action") {
        return None;
    }
    if parts.method == http::Method::GET {
        return Some(decoded_pairs(parts.uri.query().unwrap_or("")));
    }
    let form = header(headers, "content-type").is_some_and(|value| {
        let media_type = value.split(';').next().unwrap_or("").trim();
        media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded")
    });
    (parts.method == http::Method::POST && form).then(|| decoded_pairs(&String::from_utf8_lossy(body)))
}

/// The request's parameters: for v1 (`v1` is what [`v1_pairs`] found) the action's parameters among the
/// pairs, the common ones left out; else the query string of a GET or the JSON body of a POST. Read once per
/// request: the journal entry peeks at them before anything is verified, the action uses them after.
pub(crate) fn params_of(
    parts: &http::request::Parts,
    body: &[u8],
    v1: Option<&[(String, String)]>,
) -> Result<Params, Failure> {
    if let Some(pairs) = v1 {
        let action_params = pairs.iter().filter(|(k, _)| !V1_COMMON.contains(&k.as_str())).cloned();
        Ok(Params::from_pairs(action_params))
    } else if parts.method == http::Method::GET {
        Ok(Params::from_query(parts.uri.query().unwrap_or("")))
    } else {
        Params::from_json(body)
    }
}

/// A journal entry for the request as it claims to be (nothing verified), with no outcome yet.
pub(crate) fn describe(
    parts: &http::request::Parts,
    v1: Option<&[(String, String)]>,
    params: Option<&Params>,
) -> JournalEntry {
    let (action, secret_id) = match v1 {
        Some(pairs) => (
            first_value(pairs, "Action").map(str::to_owned),
            first_value(pairs, "SecretId").map(str::to_owned),
        ),
        None => (
            header(&parts.headers, "x-tc-action").map(str::to_owned),
            claimed_secret_id(&parts.headers),
        ),
    };
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
        secret_id,
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

/// The timestamp as seconds since the Unix epoch; `InvalidParameter` naming `field` (where it was sent)
/// for anything else.
fn parse_timestamp(timestamp: &str, field: &str) -> Result<u64, Failure> {
    timestamp.parse::<u64>().map_err(|_| {
        Failure::new(
            "InvalidParameter",
            format!("The value of `{field}` must be seconds since the Unix epoch (got {timestamp:?})."),
        )
    })
}

/// The common parameters the checks after authentication read.
struct Common<'a> {
    action: &'a str,
    version: &'a str,
    /// `None` when absent or empty.
    region: Option<&'a str>,
    /// Where the region is sent, for messages: `X-TC-Region` or `Region`.
    region_field: &'static str,
}

/// The credentials in force.
fn credentials(shared: &Shared) -> std::sync::RwLockReadGuard<'_, Keyring> {
    shared
        .credentials
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A TC3-HMAC-SHA256 request's common headers, checked present, and the credential that signed it.
fn common_tc3<'a>(
    shared: &Shared,
    parts: &'a http::request::Parts,
    body: &[u8],
) -> Result<(Common<'a>, Arc<Account>), Failure> {
    let headers = &parts.headers;
    let action = header(headers, "x-tc-action")
        .filter(|a| !a.is_empty())
        .ok_or_else(|| missing_common("Action"))?;
    let version = header(headers, "x-tc-version")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing_common("Version"))?;
    let timestamp = header(headers, "x-tc-timestamp").ok_or_else(|| missing_common("Timestamp"))?;
    let timestamp = parse_timestamp(timestamp, "X-TC-Timestamp")?;

    let query = parts.uri.query().unwrap_or("");
    let incoming = Incoming {
        method: &parts.method,
        query,
        headers,
        body,
        action,
        version,
        timestamp,
    };
    let entry = authenticate(&incoming, &credentials(shared), now_secs(), shared.max_clock_skew_secs)?;
    let common = Common {
        action,
        version,
        region: header(headers, "x-tc-region").filter(|r| !r.is_empty()),
        region_field: "X-TC-Region",
    };
    Ok((common, entry))
}

/// A v1 request's common parameters, checked present, and the credential that signed it.
fn common_v1<'a>(
    shared: &Shared,
    parts: &http::request::Parts,
    pairs: &'a [(String, String)],
) -> Result<(Common<'a>, Arc<Account>), Failure> {
    let present = |name: &str| first_value(pairs, name).filter(|v| !v.is_empty());
    let action = present("Action").ok_or_else(|| missing_common("Action"))?;
    let version = present("Version").ok_or_else(|| missing_common("Version"))?;
    let timestamp = first_value(pairs, "Timestamp").ok_or_else(|| missing_common("Timestamp"))?;
    let timestamp = parse_timestamp(timestamp, "Timestamp")?;
    // The sign string needs both; without them no signature can be checked.
    let secret_id = present("SecretId").ok_or_else(|| missing_common("SecretId"))?;
    present("Nonce").ok_or_else(|| missing_common("Nonce"))?;

    let method = if parts.method == http::Method::GET {
        trtc_sign::Method::Get
    } else {
        trtc_sign::Method::Post
    };
    let incoming = IncomingV1 {
        method,
        headers: &parts.headers,
        pairs,
        secret_id,
        timestamp,
    };
    let entry = authenticate_v1(&incoming, &credentials(shared), now_secs(), shared.max_clock_skew_secs)?;
    let common = Common {
        action,
        version,
        region: present("Region"),
        region_field: "Region",
    };
    Ok((common, entry))
}

/// Runs every check and then the action; `Ok` is a success envelope. `v1` is what [`v1_pairs`] found in the
/// request, `params` what [`params_of`] made of it, its failure reported only where the service checks the
/// parameters.
pub(crate) fn process(
    shared: &Shared,
    parts: &http::request::Parts,
    body: &[u8],
    v1: Option<&[(String, String)]>,
    params: Result<Params, Failure>,
) -> Result<(), Failure> {
    let method = &parts.method;
    if method != http::Method::POST && method != http::Method::GET {
        return Err(Failure::new(
            "UnsupportedProtocol",
            format!("HTTP method {method} is not supported: use POST or GET."),
        ));
    }
    let (common, account) = match v1 {
        Some(pairs) => common_v1(shared, parts, pairs)?,
        None => common_tc3(shared, parts, body)?,
    };
    let Common {
        action,
        version,
        region,
        region_field,
    } = common;

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
    let region = region.ok_or_else(|| missing_common("Region"))?;
    if matches!(region.parse::<Region>(), Ok(Region::Other(_)) | Err(_)) {
        return Err(Failure::new(
            "InvalidParameterValue",
            format!(
                "A value specified in `{region_field}` is not valid, is unsupported, or cannot be used (got {region:?})."
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
    spec.run(&params, &account.entry, &mut lock(&shared.rooms))
}
