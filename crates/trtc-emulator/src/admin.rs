//! The admin API: JSON over HTTP under `/_emulator/`, a path the service never uses, for tests and scripts
//! in any language to set up apps, credentials, rooms and users, read what happened, inject faults and reset.
//! It does what the Rust methods of [`Emulator`](crate::Emulator) do. It is unauthenticated: the emulator
//! listens on loopback by default, and `admin_api(false)` turns it off.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::callback_target::CallbackTarget;
use crate::config::CredentialEntry;
use crate::enter::EnterRequest;
use crate::faults::FaultPlan;
use crate::rate_limit::RateLimit;
use crate::rooms::RoomId;
use crate::sdk_keys::SdkAppKey;
use crate::state::State;

/// The path prefix of the admin API.
pub const ADMIN_PREFIX: &str = "/_emulator/";

/// An admin answer: HTTP status and JSON body.
pub(crate) struct AdminReply {
    pub(crate) status: http::StatusCode,
    pub(crate) body: Bytes,
}

fn ok(value: Value) -> AdminReply {
    AdminReply {
        status: http::StatusCode::OK,
        body: Bytes::from(value.to_string()),
    }
}

fn fail(status: http::StatusCode, message: impl Into<String>) -> AdminReply {
    AdminReply {
        status,
        body: Bytes::from(json!({ "error": message.into() }).to_string()),
    }
}

fn parse<T: DeserializeOwned>(body: &[u8], example: &str) -> Result<T, AdminReply> {
    serde_json::from_slice(body).map_err(|e| {
        fail(
            http::StatusCode::BAD_REQUEST,
            format!("{e}; the body must be JSON like {example}"),
        )
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoomBody {
    sdk_app_id: u64,
    room: RoomId,
    #[serde(default)]
    users: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UsersBody {
    sdk_app_id: u64,
    room: RoomId,
    user_ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppBody {
    sdk_app_id: u64,
    secret_id: String,
}

const ROOM_EXAMPLE: &str = r#"{"sdk_app_id": 1400000001, "room": 1234, "users": ["alice"]} (room: a number, or a string for a string room id)"#;
const USERS_EXAMPLE: &str = r#"{"sdk_app_id": 1400000001, "room": "class-7", "user_ids": ["alice", "bob"]}"#;
const APP_EXAMPLE: &str = r#"{"sdk_app_id": 1400000002, "secret_id": "AKID..."}"#;
const CREDENTIAL_EXAMPLE: &str = r#"{"secret_id": "AKID...", "secret_key": "...", "token": "... (temporary credentials only)", "sdk_app_ids": [1400000001]}"#;
const FAULTS_EXAMPLE: &str =
    r#"{"seed": 7, "rules": [{"fault": "latency", "latency_ms": 200, "rate": 0.5}, {"fault": "drop", "next": 2}]}"#;
const ENTER_EXAMPLE: &str = r#"{"sdk_app_id": 1400000001, "room": 1234, "user_id": "alice", "user_sig": "eJw...", "private_map_key": "eJw... (with permission control only)"}"#;
const SDK_APP_KEY_EXAMPLE: &str = r#"{"sdk_app_id": 1400000001, "sdk_secret_key": "...", "permission_control": false}"#;
const CALLBACK_TARGET_EXAMPLE: &str =
    r#"{"sdk_app_id": 1400000001, "url": "http://127.0.0.1:8080/trtc", "key": "yourCallbackKey"}"#;
const TASK_EXAMPLE: &str =
    r#"{"status": "Exited"} or {"fail": {"code": "InternalError.CRInternalError", "message": "..."}}"#;
const RATE_LIMIT_EXAMPLE: &str = r#"{"max_requests": 20, "window_ms": 1000} (max_requests 0: unlimited)"#;

/// A change of a task: a status its family documents, or a failure its describe and modify answer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskBody {
    status: Option<String>,
    fail: Option<FailBody>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FailBody {
    code: String,
    message: Option<String>,
}

/// `PUT tasks/{id}` and `DELETE tasks/{id}`.
fn task_route(state: &State, method: &http::Method, id: &str, body: &[u8]) -> Result<AdminReply, AdminReply> {
    let refused = |e: crate::error::Error| {
        let status = match e {
            crate::error::Error::NoSuchTask { .. } => http::StatusCode::NOT_FOUND,
            _ => http::StatusCode::BAD_REQUEST,
        };
        fail(status, e.to_string())
    };
    let mut rooms = state.rooms();
    match *method {
        http::Method::PUT | http::Method::POST => {
            let change = parse::<TaskBody>(body, TASK_EXAMPLE)?;
            if change.status.is_none() && change.fail.is_none() {
                return Err(fail(
                    http::StatusCode::BAD_REQUEST,
                    format!("say what to change: the body must be JSON like {TASK_EXAMPLE}"),
                ));
            }
            if let Some(status) = &change.status {
                rooms.tasks.set_status(id, status).map_err(refused)?;
            }
            if let Some(failure) = &change.fail {
                rooms
                    .tasks
                    .fail(id, &failure.code, failure.message.as_deref())
                    .map_err(refused)?;
            }
            Ok(ok(json!({})))
        }
        http::Method::DELETE => rooms.tasks.end(id).map(|()| ok(json!({}))).map_err(refused),
        _ => Err(fail(
            http::StatusCode::METHOD_NOT_ALLOWED,
            format!("{method} is not served on {ADMIN_PREFIX}tasks/{id}: use PUT or DELETE"),
        )),
    }
}

/// An application and the SecretIds that own it, as `GET apps` lists them.
#[derive(Debug, Clone, Serialize)]
struct AppView {
    sdk_app_id: u64,
    secret_ids: Vec<String>,
}

/// Every application some credential owns, in order, with its owners in the order they were added.
fn apps(state: &State) -> Vec<AppView> {
    let mut apps: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for entry in state.keyring().entries() {
        for &app in &entry.sdk_app_ids {
            apps.entry(app).or_default().push(entry.secret_id.clone());
        }
    }
    apps.into_iter()
        .map(|(sdk_app_id, secret_ids)| AppView { sdk_app_id, secret_ids })
        .collect()
}

/// Serves one admin request; `path` is what follows [`ADMIN_PREFIX`].
pub(crate) fn handle(state: &State, method: &http::Method, path: &str, body: &[u8]) -> AdminReply {
    use http::Method;
    let path = path.trim_end_matches('/');
    let result = match (method, path) {
        (&Method::GET, "rooms") => Ok(ok(json!({ "rooms": state.room_snapshots() }))),
        (&Method::GET, "tasks") => Ok(ok(json!({ "tasks": state.task_snapshots() }))),
        (_, task) if task.starts_with("tasks/") => task_route(state, method, &task["tasks/".len()..], body),
        (&Method::POST, "rooms") => parse::<RoomBody>(body, ROOM_EXAMPLE).map(|b| {
            let created = state.create_room(b.sdk_app_id, b.room.clone());
            state.add_users(b.sdk_app_id, b.room, b.users);
            ok(json!({ "created": created }))
        }),
        (&Method::POST, "users") => parse::<UsersBody>(body, USERS_EXAMPLE).map(|b| {
            state.add_users(b.sdk_app_id, b.room, b.user_ids);
            ok(json!({}))
        }),
        (&Method::GET, "apps") => Ok(ok(json!({ "apps": apps(state) }))),
        (&Method::POST, "apps") => parse::<AppBody>(body, APP_EXAMPLE).and_then(|b| {
            if state.grant_app(&b.secret_id, b.sdk_app_id) {
                Ok(ok(json!({})))
            } else {
                Err(fail(
                    http::StatusCode::NOT_FOUND,
                    format!(
                        "no credential has the SecretId {:?}: add it first with POST {ADMIN_PREFIX}credentials",
                        b.secret_id
                    ),
                ))
            }
        }),
        (&Method::POST, "credentials") => parse::<CredentialEntry>(body, CREDENTIAL_EXAMPLE).and_then(|entry| {
            state
                .add_credential(entry)
                .map(|()| ok(json!({})))
                .map_err(|e| fail(http::StatusCode::BAD_REQUEST, e.to_string()))
        }),
        (&Method::POST, "enter") => {
            parse::<EnterRequest>(body, ENTER_EXAMPLE).map(|request| match crate::enter::enter(state, request) {
                Ok(entered) => ok(json!(entered)),
                Err(refused) => AdminReply {
                    status: http::StatusCode::from_u16(refused.status).unwrap_or(http::StatusCode::FORBIDDEN),
                    body: Bytes::from(json!(refused).to_string()),
                },
            })
        }
        (&Method::GET, "sdk-app-keys") => Ok(ok(json!({ "sdk_app_keys": state.sdk_app_keys().views() }))),
        (&Method::POST | &Method::PUT, "sdk-app-keys") => {
            parse::<SdkAppKey>(body, SDK_APP_KEY_EXAMPLE).and_then(|key| {
                state
                    .sdk_app_keys()
                    .set(&key)
                    .map(|()| ok(json!({})))
                    .map_err(|e| fail(http::StatusCode::BAD_REQUEST, e.to_string()))
            })
        }
        (&Method::GET, "journal") => Ok(ok(json!({ "entries": state.journal() }))),
        (&Method::DELETE, "journal") => {
            state.clear_journal();
            Ok(ok(json!({})))
        }
        (&Method::GET, "faults") => Ok(ok(json!(state.fault_plan()))),
        (&Method::PUT | &Method::POST, "faults") => parse::<FaultPlan>(body, FAULTS_EXAMPLE).and_then(|plan| {
            state
                .set_faults(plan)
                .map(|()| ok(json!({})))
                .map_err(|e| fail(http::StatusCode::BAD_REQUEST, e.to_string()))
        }),
        (&Method::DELETE, "faults") => {
            state.set_faults(FaultPlan::new()).ok();
            Ok(ok(json!({})))
        }
        (&Method::GET, "rate-limit") => Ok(ok(json!(state.rate_limit()))),
        (&Method::PUT | &Method::POST, "rate-limit") => parse::<RateLimit>(body, RATE_LIMIT_EXAMPLE).map(|limit| {
            state.set_rate_limit(limit);
            ok(json!({}))
        }),
        (&Method::POST, "reset") => {
            state.reset();
            Ok(ok(json!({})))
        }
        (&Method::GET, "callbacks") => Ok(ok(json!({ "deliveries": state.callbacks.deliveries() }))),
        (&Method::GET, "callback-targets") => Ok(ok(json!({ "targets": state.callbacks.targets_view() }))),
        (&Method::PUT | &Method::POST, "callback-targets") => parse::<CallbackTarget>(body, CALLBACK_TARGET_EXAMPLE)
            .and_then(|target| {
                state
                    .callbacks
                    .set_target(&target)
                    .map(|()| ok(json!({})))
                    .map_err(|e| fail(http::StatusCode::BAD_REQUEST, e.to_string()))
            }),
        (
            _,
            "rooms" | "users" | "apps" | "credentials" | "journal" | "faults" | "rate-limit" | "reset" | "enter"
            | "sdk-app-keys" | "callbacks" | "callback-targets" | "tasks",
        ) => Err(fail(
            http::StatusCode::METHOD_NOT_ALLOWED,
            format!("{method} is not served on {ADMIN_PREFIX}{path}; see docs/emulator.md for the admin API"),
        )),
        _ => Err(fail(
            http::StatusCode::NOT_FOUND,
            format!(
                "no admin route {ADMIN_PREFIX}{path}: the routes are rooms, users, apps, credentials, journal, \
                 faults, rate-limit, reset, enter, sdk-app-keys, callbacks, callback-targets, tasks and tasks/{{TaskId}} \
                 (see docs/emulator.md)"
            ),
        )),
    };
    result.unwrap_or_else(|reply| reply)
}
