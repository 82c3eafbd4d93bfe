//! The official examples' requests of every task action and query (`trtc-2019-07-22.examples.json` and
//! `.examples.intl.json` in `../shared/spec`, or `$TRTC_SPEC_DIR`), sent signed over HTTP with their
//! application made the emulator's and their rooms created: each is answered with success or a business
//! code (a task the example's TaskId does not name, say), never a parameter error, and every success
//! answer carries the members the example's answer shows as present in every answer.

mod common;

use std::path::PathBuf;

use common::{admin, Call, APP, ID, KEY};
use serde_json::{json, Value};
use trtc_emulator::{Emulator, EmulatorConfig};

/// Every action of both editions but the room-management ones (whose examples `tests/actions.rs` sends).
fn actions() -> impl Iterator<Item = &'static str> {
    trtc_model::actions::ALL
        .iter()
        .filter(|a| a.area != "rooms")
        .map(|a| a.name)
}

/// The codes an id that names nothing answers where the action documents a parameter code for it: an
/// example's own `PictureId` or `VocabId` names no picture or vocabulary of the emulator's.
const NOT_FOUND_CODES: &[&str] = &["InvalidParameter.PictureNotFound", "InvalidParameter.TaskId"];

/// Examples that are not valid requests as written: the file, the action, the code they are answered (none
/// when they cannot be sent), and why.
const KNOWN_BAD: &[(&str, &str, Option<&str>, &str)] = &[
    (
        "trtc-2019-07-22.examples.intl.json",
        "ControlAIConversation",
        None,
        "the body is cut short: not JSON",
    ),
    (
        "trtc-2019-07-22.examples.intl.json",
        "QueryAIMessageList",
        None,
        "the body lacks a comma between its members: not JSON",
    ),
    (
        "trtc-2019-07-22.examples.intl.json",
        "StartStreamIngest",
        Some("InvalidParameter.RoomId"),
        "RoomId \"room123\" with RoomIdType 1, which the action's documentation says is a 32-bit integer room",
    ),
];

/// Whether the example is listed as known-bad, answered `code`.
fn known_bad_example(file: &str, action: &str, code: Option<&str>) -> bool {
    KNOWN_BAD
        .iter()
        .any(|(f, a, c, _)| *f == file && a == &action && *c == code)
}

fn spec(file: &str) -> Value {
    let dir = std::env::var_os("TRTC_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec"));
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): the API spec is ../shared/spec beside the repository, or $TRTC_SPEC_DIR",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

/// An example's request: a JSON body (a POST written out), or the parameters of a GET URL
/// (`https://trtc.tencentcloudapi.com/?Action=X&Name=value...&<common parameters>`).
enum Request {
    Json(Value),
    Query(Vec<(String, String)>),
}

/// The request of an example's input; `None` when it is neither.
fn request_of(input: &str) -> Option<Request> {
    if let Some((_, query)) = input
        .trim()
        .strip_prefix("https://")
        .and_then(|url| url.split_once('?'))
    {
        let pairs = query
            .split(['&', '\n'])
            .map(str::trim)
            .filter(|pair| !pair.is_empty() && !pair.starts_with('<'))
            .filter_map(|pair| pair.split_once('='))
            .filter(|(name, _)| *name != "Action")
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        return Some(Request::Query(pairs));
    }
    serde_json::from_str(&input[input.find('{')?..]).ok().map(Request::Json)
}

/// A query parameter's value percent-encoded as the SDKs encode it.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The example's request made the emulator's: its application ours, keeping the JSON type it is sent as.
fn adjust(mut body: Value) -> Value {
    for name in ["SdkAppId", "SdkAppid"] {
        if let Some(value) = body.get_mut(name) {
            *value = if value.is_string() {
                json!(APP.to_string())
            } else {
                json!(APP)
            };
        }
    }
    body
}

/// The rooms the example names, created in the emulator as both kinds where the text could be either.
async fn create_rooms(addr: std::net::SocketAddr, body: &Value) {
    for name in ["RoomId", "StrRoomId"] {
        let rooms = match &body[name] {
            Value::Number(n) => vec![json!(n)],
            Value::String(s) => match s.parse::<u64>() {
                Ok(n) => vec![json!(n), json!(s)],
                Err(_) => vec![json!(s)],
            },
            _ => continue,
        };
        for room in rooms {
            let (status, _) = admin(addr, "POST", "rooms", Some(json!({"sdk_app_id": APP, "room": room}))).await;
            assert_eq!(status, 200);
        }
    }
}

fn is_parameter_error(code: &str) -> bool {
    ["MissingParameter", "InvalidParameter", "UnknownParameter"]
        .iter()
        .any(|head| code == *head || code.starts_with(&format!("{head}.")))
}

#[tokio::test]
async fn every_example_request_is_answered_without_a_parameter_error() {
    let emu = Emulator::start(EmulatorConfig::new().credential(ID, KEY, [APP]))
        .await
        .unwrap();
    let addr = emu.addr();
    let mut sent = 0;
    let mut known_bad = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for file in ["trtc-2019-07-22.examples.json", "trtc-2019-07-22.examples.intl.json"] {
        let examples = spec(file);
        for action in actions() {
            let Some(list) = examples["actions"][action].as_array() else {
                continue;
            };
            for example in list {
                let (call, body) = match request_of(example["input"].as_str().unwrap()) {
                    None => {
                        assert!(known_bad_example(file, action, None), "{file} {action}: no request");
                        known_bad.insert((file, action));
                        continue;
                    }
                    Some(Request::Json(body)) => {
                        let body = adjust(body);
                        (Call::post(action, body.clone()), body)
                    }
                    Some(Request::Query(pairs)) => {
                        let mut fields = serde_json::Map::new();
                        let mut query = Vec::new();
                        for (name, value) in pairs {
                            let value = if name == "SdkAppId" { APP.to_string() } else { value };
                            query.push(format!("{name}={}", encode(&value)));
                            fields.insert(name, json!(value));
                        }
                        (Call::get(action, &query.join("&")), Value::Object(fields))
                    }
                };
                create_rooms(addr, &body).await;
                let answer = call.send(addr).await;
                sent += 1;
                if answer.content_type.as_deref() == Some("text/event-stream") {
                    events_match_their_type(action, &answer.body);
                    continue;
                }
                // An example that shows a failure ("合成前出错": a voice that does not exist) is answered its code.
                let documented = serde_json::from_str::<Value>(example["output"].as_str().unwrap_or(""))
                    .ok()
                    .and_then(|out| out["Response"]["Error"]["Code"].as_str().map(str::to_owned));
                match answer.code() {
                    Some(code) if code == "UnsupportedRegion" => {
                        failures.push(format!("{file} {action}: {code}: {}", answer.body));
                    }
                    Some(code) if NOT_FOUND_CODES.contains(&code.as_str()) => {}
                    Some(code) if documented.as_deref() == Some(code.as_str()) => {}
                    Some(code) if known_bad_example(file, action, Some(&code)) => {
                        known_bad.insert((file, action));
                    }
                    Some(code) if is_parameter_error(&code) => failures.push(format!(
                        "{file} {action}: {code} for the example {body}: {}",
                        answer.body
                    )),
                    Some(_) => {}
                    None => {
                        // What the example's answer carries, the emulator's carries, with the same JSON type.
                        let Some(want) = serde_json::from_str::<Value>(example["output"].as_str().unwrap()).ok() else {
                            continue;
                        };
                        let got = answer.json();
                        answer_matches_its_type(action, &answer.body);
                        for (member, value) in want["Response"].as_object().into_iter().flatten() {
                            if member == "RequestId" || value.is_null() {
                                continue;
                            }
                            let mine = &got["Response"][member];
                            assert!(
                                !mine.is_null() || !required(action, member),
                                "{file} {action}: the answer lacks {member}: {}",
                                answer.body
                            );
                            if !mine.is_null() {
                                assert_eq!(kind(mine), kind(value), "{file} {action}.{member}: {}", answer.body);
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("{sent} example requests sent; known-bad examples: {KNOWN_BAD:?}");
    assert_eq!(known_bad.len(), KNOWN_BAD.len(), "each known-bad example is still bad");
    assert!(sent >= 150, "{sent}");
}

/// The answer reads as the action's generated response type, and carries every member the spec says an
/// answer always carries, with its type, at every depth.
fn answer_matches_its_type(action: &str, body: &str) {
    struct Read<'a>(&'a str);
    impl trtc_model::actions::ActionVisitor for Read<'_> {
        type Output = Result<(), String>;
        fn visit<A: trtc_model::TypedAction>(self) -> Self::Output {
            A::read_response(200, self.0.as_bytes())
                .map(drop)
                .map_err(|e| e.to_string())
        }
    }
    let read = trtc_model::actions::visit(action, Read(body)).expect("the action's type is built");
    assert_eq!(read, Ok(()), "{action}: {body}");
    let info = trtc_model::actions::find(action).unwrap();
    let answer: Value = serde_json::from_str(body).unwrap();
    carries_required(info.response, &answer["Response"], action);
}

fn carries_required(object: &str, value: &Value, at: &str) {
    use trtc_model::actions::MemberType;
    let Some(object) = trtc_model::actions::object(object) else {
        return;
    };
    for member in object.members.iter().filter(|m| m.output_required) {
        let got = &value[member.name];
        let path = format!("{at}.{}", member.name);
        assert!(!got.is_null(), "{path} is missing: {value}");
        match (&member.ty, got) {
            (MemberType::Object(inner), Value::Object(_)) => carries_required(inner, got, &path),
            (MemberType::List(item), Value::Array(items)) => {
                if let MemberType::Object(inner) = item {
                    for (i, item) in items.iter().enumerate() {
                        carries_required(inner, item, &format!("{path}.{i}"));
                    }
                }
            }
            (MemberType::String | MemberType::Date, Value::String(_))
            | (MemberType::U64 | MemberType::I64 | MemberType::F64, Value::Number(_))
            | (MemberType::Bool, Value::Bool(_)) => {}
            (ty, got) => panic!("{path} is {got}, not of the type {ty}"),
        }
    }
}

/// An event-stream answer: `data:` lines, each an event of the action's event type with the RequestId,
/// the last one marked as the end.
fn events_match_their_type(action: &str, body: &str) {
    assert_eq!(action, "TextToSpeechSSE");
    let events: Vec<&str> = body.lines().filter_map(|l| l.strip_prefix("data: ")).collect();
    assert!(!events.is_empty(), "{body}");
    let mut request_ids = std::collections::HashSet::new();
    for (i, event) in events.iter().enumerate() {
        let read: trtc_model::api::tts::TextToSpeechSSEEvent = trtc_model::parse_event(event).unwrap();
        let raw: Value = serde_json::from_str(event).unwrap();
        assert_eq!(raw["Type"], "chunk");
        assert_eq!(raw["Seq"], json!(i));
        assert_eq!(raw["IsEnd"], json!(i + 1 == events.len()));
        request_ids.insert(raw["RequestId"].as_str().unwrap().to_owned());
        drop(read);
    }
    assert_eq!(request_ids.len(), 1, "one RequestId for the stream");
}

/// Whether the member is one every answer of the action carries (`output_required`), from both editions.
fn required(action: &str, member: &str) -> bool {
    ["trtc-2019-07-22.api.json", "trtc-2019-07-22.api.intl.json"]
        .iter()
        .any(|file| {
            spec(file)["objects"][format!("{action}Response")]["members"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|m| m["name"] == member && m["output_required"] == true)
        })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}
