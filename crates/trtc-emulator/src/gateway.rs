//! The API gateway's checks, in order, for one API request: method, common parameters (`X-TC-*` headers
//! for TC3-HMAC-SHA256, query or form parameters for v1), signature and token, version, action, region,
//! body, rate limit; then the action itself on the room state.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use trtc_model::{ErrorCode, Region, TRTC_VERSION};

use crate::actions::{self, Checked};
use crate::auth::{authenticate, authenticate_v1, AuthorizationHeader, Incoming, IncomingV1};
use crate::callbacks::Cause;
use crate::headers::{text, ApiHeaders};
use crate::journal::{Outcome, Record};
use crate::keyring::Account;
use crate::params::{decoded_pairs, first_value, Params};
use crate::reply::{Answer, Failure};
use crate::rooms::RoomId;
use crate::state::State;

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

/// What the gateway reads of one API request before checking anything, read once: the journal entry
/// peeks at it, the checks and the action use it.
pub(crate) struct Received<'a> {
    parts: &'a http::request::Parts,
    body: &'a [u8],
    /// When it arrived, since the Unix epoch: the journal's time and the clock-skew check's "now".
    since_epoch: Duration,
    /// The headers the checks read.
    headers: ApiHeaders<'a>,
    /// For a v1 request, its decoded `(name, value)` pairs (see [`v1_pairs`]); `None` for TC3.
    v1: Option<Vec<(String, String)>>,
    /// For a TC3 request, its `Authorization` header.
    authorization: AuthorizationHeader<'a>,
}

impl<'a> Received<'a> {
    pub(crate) fn read(parts: &'a http::request::Parts, body: &'a [u8]) -> Received<'a> {
        let headers = ApiHeaders::read(&parts.headers);
        let v1 = v1_pairs(parts, &headers, body);
        let authorization = match v1 {
            // A v1 request has no Authorization header.
            Some(_) => AuthorizationHeader::Missing,
            None => AuthorizationHeader::read(&headers),
        };
        Received {
            parts,
            body,
            headers,
            since_epoch: SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default(),
            v1,
            authorization,
        }
    }

    fn now_secs(&self) -> u64 {
        self.since_epoch.as_secs()
    }
}

/// The decoded `(name, value)` pairs of a v1 request, in the order sent and lists flat (`UserIds.0`), or
/// `None` for a TC3 request. A request is v1 when it has neither `Authorization` nor `X-TC-Action` and is a
/// GET (the parameters are the query) or a POST with an `application/x-www-form-urlencoded` body.
fn v1_pairs(parts: &http::request::Parts, headers: &ApiHeaders<'_>, body: &[u8]) -> Option<Vec<(String, String)>> {
    if headers.authorization.is_some() || headers.action.is_some() {
        return None;
    }
    if parts.method == http::Method::GET {
        return Some(decoded_pairs(parts.uri.query().unwrap_or("")));
    }
    let form = text(headers.content_type).is_some_and(|value| {
        let media_type = value.split(';').next().unwrap_or("").trim();
        media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded")
    });
    (parts.method == http::Method::POST && form).then(|| decoded_pairs(&String::from_utf8_lossy(body)))
}

/// The request's parameters: for v1 the action's parameters among the pairs, the common ones left out;
/// else the query string of a GET or the JSON body of a POST.
pub(crate) fn params_of(request: &Received<'_>) -> Result<Params, Failure> {
    if let Some(pairs) = &request.v1 {
        let action_params = pairs.iter().filter(|(k, _)| !V1_COMMON.contains(&k.as_str())).cloned();
        Ok(Params::from_pairs(action_params))
    } else if request.parts.method == http::Method::GET {
        Ok(Params::from_query(request.parts.uri.query().unwrap_or("")))
    } else {
        Params::from_json(request.body)
    }
}

/// A journal entry for the request as it claims to be (nothing verified), with no outcome yet.
pub(crate) fn describe(request: &Received<'_>, params: Option<&Params>) -> Record {
    let (action, secret_id) = match &request.v1 {
        Some(pairs) => (first_value(pairs, "Action"), first_value(pairs, "SecretId")),
        None => (text(request.headers.action), request.authorization.claimed_secret_id()),
    };
    let spec = action.and_then(actions::find);
    let room = params.and_then(|p| match spec {
        Some(spec) => spec.peek_room(p),
        None => p
            .peek_u64("RoomId")
            .map(RoomId::Number)
            .or_else(|| p.peek_str("RoomId").map(RoomId::from)),
    });
    Record {
        time_ms: u64::try_from(request.since_epoch.as_millis()).unwrap_or(u64::MAX),
        method: request.parts.method.clone(),
        // A served action's name is static; only an unknown one is copied.
        action: action.map(|action| match spec {
            Some(spec) => Cow::Borrowed(spec.name),
            None => Cow::Owned(action.to_owned()),
        }),
        secret_id: secret_id.map(str::to_owned),
        sdk_app_id: params.and_then(|p| p.peek_u64("SdkAppId")),
        room,
        outcome: Outcome::Success,
        request_id: None,
        injected_latency_ms: 0,
    }
}

fn missing_common(name: &str) -> Failure {
    Failure::new(
        ErrorCode::MissingParameter,
        format!("The request is missing a required parameter `{name}`."),
    )
}

/// The timestamp as seconds since the Unix epoch; `InvalidParameter` naming `field` (where it was sent)
/// for anything else.
fn parse_timestamp(timestamp: &str, field: &str) -> Result<u64, Failure> {
    timestamp.parse::<u64>().map_err(|_| {
        Failure::new(
            ErrorCode::InvalidParameter,
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

/// A TC3-HMAC-SHA256 request's common headers, checked present, and the credential that signed it.
fn common_tc3<'a>(state: &State, request: &'a Received<'_>) -> Result<(Common<'a>, Arc<Account>), Failure> {
    let parts = request.parts;
    let headers = &request.headers;
    let action = text(headers.action)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| missing_common("Action"))?;
    let version = text(headers.version)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing_common("Version"))?;
    let timestamp = text(headers.timestamp).ok_or_else(|| missing_common("Timestamp"))?;
    let timestamp = parse_timestamp(timestamp, "X-TC-Timestamp")?;

    let query = parts.uri.query().unwrap_or("");
    let incoming = Incoming {
        method: &parts.method,
        query,
        headers,
        authorization: &request.authorization,
        body: request.body,
        action,
        version,
        timestamp,
    };
    let entry = authenticate(
        &incoming,
        &state.keyring(),
        request.now_secs(),
        state.max_clock_skew_secs,
    )?;
    let common = Common {
        action,
        version,
        region: text(headers.region).filter(|r| !r.is_empty()),
        region_field: "X-TC-Region",
    };
    Ok((common, entry))
}

/// A v1 request's common parameters, checked present, and the credential that signed it.
fn common_v1<'a>(
    state: &State,
    request: &Received<'_>,
    pairs: &'a [(String, String)],
) -> Result<(Common<'a>, Arc<Account>), Failure> {
    let parts = request.parts;
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
        headers: &request.headers,
        pairs,
        secret_id,
        timestamp,
    };
    let entry = authenticate_v1(
        &incoming,
        &state.keyring(),
        request.now_secs(),
        state.max_clock_skew_secs,
    )?;
    let common = Common {
        action,
        version,
        region: present("Region"),
        region_field: "Region",
    };
    Ok((common, entry))
}

/// Runs every check and then the action; `Ok` is a success envelope. `params` is what [`params_of`] made of
/// the request, its failure reported only where the service checks the parameters.
pub(crate) fn process(
    state: &State,
    request: &Received<'_>,
    params: Result<Params, Failure>,
) -> Result<Answer, Failure> {
    let method = &request.parts.method;
    if method != http::Method::POST && method != http::Method::GET {
        return Err(Failure::new(
            ErrorCode::UnsupportedProtocol,
            format!("HTTP method {method} is not supported: use POST or GET."),
        ));
    }
    let (common, account) = match &request.v1 {
        Some(pairs) => common_v1(state, request, pairs)?,
        None => common_tc3(state, request)?,
    };
    let Common {
        action,
        version,
        region,
        region_field,
    } = common;

    if version != TRTC_VERSION {
        return Err(Failure::new(
            ErrorCode::NoSuchVersion,
            format!("The API version `{version}` does not exist: use {TRTC_VERSION}."),
        ));
    }
    let Some(spec) = actions::find(action) else {
        // Every action of the API is served: a name that is not one is most often a slip of case or a letter.
        let hint = actions::names()
            .map(|name| {
                (
                    edit_distance(&name.to_ascii_lowercase(), &action.to_ascii_lowercase()),
                    name,
                )
            })
            .filter(|(distance, _)| *distance <= 2)
            .min()
            .map(|(_, name)| format!(" Did you mean `{name}`?"))
            .unwrap_or_default();
        return Err(Failure::new(
            ErrorCode::InvalidAction,
            format!("The action `{action}` does not exist in TRTC {TRTC_VERSION}.{hint}"),
        ));
    };
    let region = region.ok_or_else(|| missing_common("Region"))?;
    let known = match region.parse::<Region>() {
        Ok(Region::Other(_)) | Err(_) => None,
        Ok(known) => Some(known),
    };
    let Some(known) = known else {
        return Err(Failure::new(
            ErrorCode::InvalidParameterValue,
            format!(
                "A value specified in `{region_field}` is not valid, is unsupported, or cannot be used (got {region:?})."
            ),
        ));
    };
    if !spec.regions.contains(&known) {
        let offered: Vec<_> = spec.regions.iter().map(Region::as_str).collect();
        return Err(Failure::new(
            ErrorCode::UnsupportedRegion,
            format!(
                "The action `{action}` does not support the region {region}: use one of {}.",
                offered.join(", ")
            ),
        ));
    }
    let params = params?;
    let admitted = {
        let mut limiter = state.limiter();
        // Without a limit there is nothing to count, and no clock to read.
        limiter.limit().is_unlimited() || limiter.admit(action, params.peek_u64("SdkAppId"), Instant::now())
    };
    if !admitted {
        let limit = state.limiter().limit();
        return Err(Failure::new(
            ErrorCode::RequestLimitExceeded,
            format!(
                "Request rate limit exceeded: at most {} requests per {} ms for {action} and this SdkAppId.",
                limit.max_requests(),
                limit.window().as_millis()
            ),
        ));
    }
    let checked = spec.check(&params)?;
    check_user_sigs(state, params.peek_u64("SdkAppId"), &checked)?;
    // RemoveUser and DismissRoom change who is in the room: the application's callbacks say so.
    let (app, room) = (params.peek_u64("SdkAppId"), spec.peek_room(&params));
    state.change_rooms(app, room.as_ref(), Cause::of_action(spec.name), |rooms| {
        spec.run(&params, checked, &account.entry, rooms)
    })
}

/// Where the application has an SDK secret key, every UserSig the request carries beside its UserId (at the
/// top, or in an object at any depth: the recording, relay, moderation, slicing, ingest, transcription and AI
/// bots' parameters) must verify at the emulator's clock, as the service's bots must enter the room:
/// `InvalidParameter.UserSig` naming the member by its path and the failed check otherwise. Without a key,
/// any non-empty UserSig is accepted, as before.
fn check_user_sigs(state: &State, app: Option<u64>, checked: &Checked) -> Result<(), Failure> {
    let Checked::Body(body) = checked else {
        return Ok(());
    };
    let mut pairs = Vec::new();
    user_sigs(body, &mut String::new(), &mut pairs);
    if pairs.is_empty() {
        return Ok(());
    }
    let Some(app) = app else {
        return Ok(());
    };
    let Some((issuer, _)) = state.sdk_app_keys().get(app) else {
        return Ok(());
    };
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    for (member, user, sig) in pairs {
        if let Err(e) = issuer.verify_user_sig(user, sig, now) {
            return Err(Failure::new(
                ErrorCode::InvalidParameterUserSig,
                format!("`{member}` is not a valid UserSig of user `{user}` for this application: {e}"),
            ));
        }
    }
    Ok(())
}

/// Every `UserSig` of `object` and the objects and lists it holds, with the `UserId` beside it and its path.
fn user_sigs<'a>(
    object: &'a serde_json::Map<String, serde_json::Value>,
    path: &mut String,
    pairs: &mut Vec<(String, &'a str, &'a str)>,
) {
    use serde_json::Value;
    let text = |member: &str| object.get(member).and_then(Value::as_str);
    if let (Some(user), Some(sig)) = (text("UserId"), text("UserSig")) {
        let member = if path.is_empty() {
            "UserSig".to_owned()
        } else {
            format!("{path}.UserSig")
        };
        pairs.push((member, user, sig));
    }
    for (name, value) in object {
        let at = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
        match value {
            Value::Object(inner) => user_sigs(inner, path, pairs),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Value::Object(inner) = item {
                        let before = path.len();
                        path.push_str(&format!(".{i}"));
                        user_sigs(inner, path, pairs);
                        path.truncate(before);
                    }
                }
            }
            _ => {}
        }
        path.truncate(at);
    }
}

/// The Levenshtein distance of two names (bytes; the names are ASCII), for suggesting an action.
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
