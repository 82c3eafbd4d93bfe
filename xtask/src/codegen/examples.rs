//! The documented examples of both editions as test vectors (`crates/trtc-model/tests/vectors/examples.json`):
//! each example's request body as JSON (the documentation writes a few as query strings: here they become the
//! JSON the spec's member types call for), its answer, or for an event-stream answer its events; and the
//! examples that are themselves broken, from `codegen/known_bad_examples.json`, with the reason.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::room_vectors::{percent_decode, strip_quotes};
use super::spec::{Api, Kind, CN_EXAMPLES, INTL_EXAMPLES};
use super::{read_json, DATA};

pub(super) const PATH: &str = "crates/trtc-model/tests/vectors/examples.json";

#[derive(Deserialize)]
struct ExamplesFile {
    actions: BTreeMap<String, Vec<SpecExample>>,
}

#[derive(Deserialize)]
struct SpecExample {
    #[serde(default)]
    title: String,
    input: String,
    output: String,
}

#[derive(Deserialize)]
struct KnownBadFile {
    examples: Vec<KnownBad>,
}

#[derive(Deserialize, Serialize, Clone)]
struct KnownBad {
    action: String,
    edition: String,
    index: usize,
    /// `request`, `response` or `event N` (counted from 0).
    part: String,
    /// `syntax`: not JSON at all (checked here); `schema`: JSON the typed reader refuses (checked by the test).
    check: String,
    reason: String,
}

#[derive(Serialize)]
struct Vectors {
    about: &'static str,
    examples: Vec<Vector>,
}

#[derive(Serialize)]
struct Vector {
    action: String,
    edition: &'static str,
    index: usize,
    title: String,
    /// `json` or `query`: how the documentation writes the request.
    request_form: &'static str,
    request: Option<Value>,
    response: Option<Value>,
    /// The events of an event-stream answer, in order; `null` for a chunk that is not JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<Vec<Option<Value>>>,
    known_bad: Vec<KnownBadPart>,
}

#[derive(Serialize)]
struct KnownBadPart {
    part: String,
    check: String,
    reason: String,
}

pub(super) fn generate(api: &Api, spec: &Path, root: &Path) -> Result<String, String> {
    let known: KnownBadFile = read_json(&root.join(DATA).join("known_bad_examples.json"))?;
    let mut used = vec![false; known.examples.len()];
    let mut vectors = Vec::new();
    for (edition, file) in [("cn", CN_EXAMPLES), ("intl", INTL_EXAMPLES)] {
        let examples: ExamplesFile = read_json(&spec.join(file))?;
        for (action_name, list) in &examples.actions {
            let action = api
                .actions
                .iter()
                .find(|a| a.name == *action_name)
                .ok_or_else(|| format!("{file}: examples for {action_name}, which no edition has"))?;
            for (index, example) in list.iter().enumerate() {
                let what = format!("{file}: {action_name} example {index}");
                let mut bad_parts = Vec::new();
                let mut known_for = |part: &str| -> Option<KnownBad> {
                    let at = known.examples.iter().position(|k| {
                        k.action == *action_name && k.edition == edition && k.index == index && k.part == part
                    })?;
                    used[at] = true;
                    Some(known.examples[at].clone())
                };
                // The request.
                let (form, request) = match request_body(api, &action.request, &example.input) {
                    Ok((form, value)) => (form, Some(value)),
                    Err(problem) => match known_for("request") {
                        Some(k) if k.check == "syntax" => {
                            bad_parts.push(part(&k));
                            ("json", None)
                        }
                        _ => {
                            return Err(format!(
                                "{what}: the request cannot be read ({problem}): add it to {DATA}/known_bad_examples.json with the reason"
                            ))
                        }
                    },
                };
                if request.is_some() {
                    if let Some(k) = known_for("request") {
                        if k.check == "syntax" {
                            return Err(format!("{what}: known_bad_examples.json says the request is not JSON, but it reads: remove the entry"));
                        }
                        bad_parts.push(part(&k));
                    }
                }
                // The answer: JSON, or `data:` lines of an event stream.
                let output = example.output.trim();
                let (response, events) = if output.starts_with("data:") {
                    let mut events = Vec::new();
                    for (n, chunk) in output.split("\n\n").enumerate() {
                        let data = chunk.trim().strip_prefix("data:").map(str::trim).unwrap_or(chunk);
                        let label = format!("event {n}");
                        match serde_json::from_str::<Value>(data) {
                            Ok(v) => {
                                if let Some(k) = known_for(&label) {
                                    if k.check == "syntax" {
                                        return Err(format!("{what}: {label} is listed as not JSON, but it reads"));
                                    }
                                    bad_parts.push(part(&k));
                                }
                                events.push(Some(v));
                            }
                            Err(e) => match known_for(&label) {
                                Some(k) if k.check == "syntax" => {
                                    bad_parts.push(part(&k));
                                    events.push(None);
                                }
                                _ => {
                                    return Err(format!(
                                        "{what}: {label} is not JSON ({e}): add it to {DATA}/known_bad_examples.json with the reason"
                                    ))
                                }
                            },
                        }
                    }
                    (None, Some(events))
                } else {
                    match serde_json::from_str::<Value>(output) {
                        Ok(v) => {
                            if let Some(k) = known_for("response") {
                                if k.check == "syntax" {
                                    return Err(format!("{what}: the answer is listed as not JSON, but it reads"));
                                }
                                bad_parts.push(part(&k));
                            }
                            (Some(v), None)
                        }
                        Err(e) => match known_for("response") {
                            Some(k) if k.check == "syntax" => {
                                bad_parts.push(part(&k));
                                (None, None)
                            }
                            _ => {
                                return Err(format!(
                                    "{what}: the answer is not JSON ({e}): add it to {DATA}/known_bad_examples.json with the reason"
                                ))
                            }
                        },
                    }
                };
                vectors.push(Vector {
                    action: action_name.clone(),
                    edition,
                    index,
                    title: example.title.clone(),
                    request_form: form,
                    request,
                    response,
                    events,
                    known_bad: bad_parts,
                });
            }
        }
    }
    if let Some(at) = used.iter().position(|u| !u) {
        let k = &known.examples[at];
        return Err(format!(
            "known_bad_examples.json lists {} {} example {} ({}), which no examples file has",
            k.action, k.edition, k.index, k.part
        ));
    }
    let vectors = Vectors {
        about: "Generated by `cargo xtask codegen` from ../shared/spec/trtc-2019-07-22.examples.json (edition cn) and \
                ../shared/spec/trtc-2019-07-22.examples.intl.json (edition intl), with the broken examples of \
                crates/trtc-model/codegen/known_bad_examples.json; do not edit. Query-string requests are turned into \
                the JSON the spec's member types call for.",
        examples: vectors,
    };
    let mut text = serde_json::to_string_pretty(&vectors).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

fn part(k: &KnownBad) -> KnownBadPart {
    KnownBadPart {
        part: k.part.clone(),
        check: k.check.clone(),
        reason: k.reason.clone(),
    }
}

/// The request body of an example: the JSON after the headers, or the query string turned into JSON.
fn request_body(api: &Api, request: &str, input: &str) -> Result<(&'static str, Value), String> {
    let input = input.trim();
    if input.starts_with("http://") || input.starts_with("https://") {
        let query = input.split_once('?').map(|(_, q)| q).ok_or("no query string")?;
        return Ok(("query", query_json(api, request, query)?));
    }
    let body = input
        .split_once("\n\n")
        .map(|(_, b)| b)
        .ok_or("no blank line between the headers and the body")?;
    serde_json::from_str(body)
        .map(|v| ("json", v))
        .map_err(|e| e.to_string())
}

fn query_json(api: &Api, request: &str, query: &str) -> Result<Value, String> {
    let mut root = Value::Object(Map::new());
    for pair in query.split('&').map(str::trim).filter(|p| !p.is_empty()) {
        if pair.starts_with('<') {
            continue; // `<Common request parameters>`: the signed headers, not the body.
        }
        let (key, raw) = pair
            .split_once('=')
            .ok_or_else(|| format!("parameter without '=': {pair:?}"))?;
        if key == "Action" {
            continue;
        }
        let value = percent_decode(raw)?;
        let path: Vec<&str> = key.split('.').collect();
        insert(api, &mut root, &Kind::Object(request.to_owned()), &path, &value).map_err(|e| format!("{key}: {e}"))?;
    }
    Ok(root)
}

fn insert(api: &Api, at: &mut Value, kind: &Kind, path: &[&str], value: &str) -> Result<(), String> {
    let Some((head, rest)) = path.split_first() else {
        *at = scalar(kind, value)?;
        return Ok(());
    };
    match kind {
        Kind::Object(name) => {
            let object = api.objects.get(name).ok_or_else(|| format!("no object {name}"))?;
            let member = object
                .members
                .iter()
                .find(|m| m.name == *head)
                .ok_or_else(|| format!("{name} has no member {head}"))?;
            if !at.is_object() {
                *at = Value::Object(Map::new());
            }
            let map = at.as_object_mut().ok_or("not an object")?;
            let slot = map.entry(head.to_string()).or_insert(Value::Null);
            insert(api, slot, &member.kind, rest, value)
        }
        Kind::List(item) => {
            let index: usize = head
                .parse()
                .map_err(|_| format!("list index {head:?} is not a number"))?;
            if !at.is_array() {
                *at = Value::Array(Vec::new());
            }
            let items = at.as_array_mut().ok_or("not a list")?;
            if index > items.len() {
                return Err(format!("list index {index} skips {}", items.len()));
            }
            if index == items.len() {
                items.push(Value::Null);
            }
            insert(api, &mut items[index], item, rest, value)
        }
        _ => Err(format!("{head} goes below a scalar")),
    }
}

fn scalar(kind: &Kind, value: &str) -> Result<Value, String> {
    let value = strip_quotes(value).unwrap_or(value);
    Ok(match kind {
        Kind::U64 => Value::from(
            value
                .parse::<u64>()
                .map_err(|_| format!("{value:?} is not an unsigned integer"))?,
        ),
        Kind::I64 => Value::from(
            value
                .parse::<i64>()
                .map_err(|_| format!("{value:?} is not an integer"))?,
        ),
        Kind::F64 => Value::from(value.parse::<f64>().map_err(|_| format!("{value:?} is not a number"))?),
        Kind::Bool => Value::from(value.parse::<bool>().map_err(|_| format!("{value:?} is not a bool"))?),
        Kind::Str | Kind::Date => Value::from(value),
        Kind::Object(_) | Kind::List(_) => return Err("an object or list needs a member path".to_owned()),
    })
}
