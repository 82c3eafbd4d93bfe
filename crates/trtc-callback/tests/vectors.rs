//! Every example body of the service's callback pages (`tests/vectors/*.json`, each file naming its page)
//! parses into its typed event, keeps its fields, and survives a round trip; the published signature
//! examples verify.
//!
//! Three published examples are not JSON as printed (a trailing comma, a missing comma and a `//` comment,
//! two objects in one block). Their files keep the printed text as `published`, which must be refused as
//! not JSON, next to the corrected `body` and a note of what was corrected.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::Value;
use trtc_callback::{sign_body, Callback, CallbackKey, Check, Verifier};

fn vector_files() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let value: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            assert!(
                value["source"].as_str().is_some_and(|s| s.starts_with("https://")),
                "{name} names no source page"
            );
            (name, value)
        })
        .collect()
}

/// Every member of `expected` is in `actual` with the same value (objects compared member by member).
fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e.iter().all(|(k, v)| a.get(k).is_some_and(|av| contains(av, v))),
        _ => actual == expected,
    }
}

#[test]
fn every_published_example_parses_into_its_typed_event() {
    let mut types = BTreeSet::new();
    let mut count = 0;
    for (file, content) in vector_files() {
        if file == "signatures.json" {
            continue;
        }
        for vector in content["vectors"].as_array().unwrap() {
            let name = format!("{file}: {}", vector["name"].as_str().unwrap());
            let expect = &vector["expect"];
            let body = vector["body"].as_str().unwrap();
            let callback = Callback::parse_unverified(body.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let event = callback.event();

            assert_eq!(event.name(), expect["event"], "{name}");
            assert_eq!(u64::from(callback.group().code()), expect["group"], "{name}");
            assert_eq!(u64::from(event.group().code()), expect["group"], "{name}");
            assert_eq!(u64::from(callback.event_type()), expect["type"], "{name}");
            assert_eq!(callback.callback_ts_ms(), expect["callback_ts"], "{name}");
            // The room keeps its JSON type: a number stays a number, a string a string.
            let room = event
                .room_id()
                .map_or(Value::Null, |r| serde_json::to_value(r).unwrap());
            assert_eq!(room, expect["room_id"], "{name}");
            if let Some(user) = expect.get("user_id") {
                assert_eq!(event.user_id(), user.as_str(), "{name}");
            }
            if let Some(task) = expect.get("task_id") {
                assert_eq!(event.task_id(), task.as_str(), "{name}");
            }
            let info = serde_json::to_value(event).unwrap();
            if let Some(ms) = expect.get("event_ms_ts") {
                assert_eq!(&info["EventMsTs"], ms, "{name}");
            }
            if let Some(fields) = expect.get("fields") {
                assert!(contains(&info, fields), "{name}: typed EventInfo {info} lacks {fields}");
            }

            // Written back in the service's form and read again, it is the same event.
            let again = Callback::parse_unverified(&callback.to_body()).unwrap();
            assert_eq!(again.event(), event, "{name}");
            assert_eq!(again.callback_ts_ms(), callback.callback_ts_ms(), "{name}");

            if let Some(published) = vector.get("published") {
                assert!(vector["note"].is_string(), "{name}: a corrected body needs a note");
                let err = Callback::parse_unverified(published.as_str().unwrap().as_bytes()).unwrap_err();
                assert_eq!(err.check(), Check::Json, "{name}");
            }
            types.insert(callback.event_type());
            count += 1;
        }
    }
    let documented: BTreeSet<u32> = [
        101, 102, 103, 104, 105, 201, 202, 203, 204, 205, 206, 401, 801, 802, 803, 804,
    ]
    .into_iter()
    .chain(301..=312)
    .collect();
    assert_eq!(
        types, documented,
        "every documented event type has a published example here"
    );
    assert_eq!(count, 40, "the examples of the four pages");
}

#[test]
fn the_published_signature_examples_verify() {
    let (_, content) = vector_files()
        .into_iter()
        .find(|(f, _)| f == "signatures.json")
        .unwrap();
    for vector in content["vectors"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let key = CallbackKey::new(vector["key"].as_str().unwrap()).unwrap();
        let body = vector["body"].as_str().unwrap().as_bytes();
        let sign = vector["sign"].as_str().unwrap();
        let app = vector["sdk_app_id"].as_u64().unwrap();
        assert_eq!(sign_body(&key, body), sign, "{name}");

        let callback_ts = Callback::parse_unverified(body).unwrap().callback_ts_ms();
        let now = UNIX_EPOCH + Duration::from_millis(callback_ts + 1500);
        let app_text = app.to_string();
        let headers = [
            ("Content-Type", "application/json"),
            ("SdkAppId", &app_text),
            ("Sign", sign),
        ];
        let verifier = Verifier::new(key, app);
        verifier
            .verify(headers, body, now)
            .unwrap_or_else(|e| panic!("{name}: {e}"));

        // The same body with its tabs and newlines removed is another body: the signature covers the raw
        // bytes, not the JSON they mean.
        let compact = serde_json::to_vec(&serde_json::from_slice::<Value>(body).unwrap()).unwrap();
        let err = verifier.verify(headers, &compact, now).unwrap_err();
        assert_eq!(err.check(), Check::Signature, "{name}");
    }
}
