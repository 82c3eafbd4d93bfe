//! Property tests from the schema (the generated table of members, `trtc_model::actions`), for every action
//! this build has (all of them with `--features full`):
//!
//! - a request with every member filled, down to the deepest object, reads into the generated type and writes
//!   back to the same JSON, and its `Debug` output holds none of its credentials;
//! - the same request with one member of the wrong type, one required member missing, or one member the object
//!   does not have is refused by `read_request`, naming that member by its JSON path (and, for an unknown
//!   member, the names the object has).

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value};
use trtc_model::actions::{self, ActionVisitor, MemberType, ObjectInfo};
use trtc_model::{read_request_value, BodyErrorKind, Error, TypedAction};

/// Objects nest a few levels deep in the spec; this bounds the recursion should one ever hold itself.
const MAX_DEPTH: usize = 12;

fn scalar(ty: &'static MemberType, name: &'static str) -> BoxedStrategy<Value> {
    match ty {
        // The one member whose Rust type is narrower than the spec's (codegen/rules.json, `types`): `Mute`.
        MemberType::U64 if name == "IsMute" => (0u64..=3).prop_map(Value::from).boxed(),
        MemberType::U64 => any::<u64>().prop_map(Value::from).boxed(),
        MemberType::I64 => any::<i64>().prop_map(Value::from).boxed(),
        // Binary fractions: exact in decimal, so the value survives being written and read.
        MemberType::F64 => (any::<i32>(), 0u32..8)
            .prop_map(|(n, shift)| Value::from(f64::from(n) / f64::from(1u32 << shift)))
            .boxed(),
        MemberType::Bool => any::<bool>().prop_map(Value::from).boxed(),
        MemberType::String | MemberType::Date => "\\PC{0,12}".prop_map(Value::from).boxed(),
        MemberType::Object(object) => object_strategy(actions::object(object).unwrap(), 0),
        MemberType::List(item) => prop::collection::vec(member_strategy(item, name, 0), 1..3)
            .prop_map(Value::Array)
            .boxed(),
        other => panic!("a member type this test does not know: {other:?}"),
    }
}

fn member_strategy(ty: &'static MemberType, name: &'static str, depth: usize) -> BoxedStrategy<Value> {
    match ty {
        MemberType::Object(object) if depth < MAX_DEPTH => object_strategy(actions::object(object).unwrap(), depth + 1),
        MemberType::List(item) if depth < MAX_DEPTH => {
            prop::collection::vec(member_strategy(item, name, depth + 1), 1..3)
                .prop_map(Value::Array)
                .boxed()
        }
        other => scalar(other, name),
    }
}

/// An object with every member filled.
fn object_strategy(object: &'static ObjectInfo, depth: usize) -> BoxedStrategy<Value> {
    let members: Vec<BoxedStrategy<(String, Value)>> = object
        .members
        .iter()
        .map(|m| {
            let name = m.name.to_owned();
            // Credentials carry a marker, so the Debug check below can find them.
            let value = if m.secret {
                "s3cr3t-[0-9]{6}".prop_map(Value::from).boxed()
            } else {
                member_strategy(&m.ty, m.name, depth)
            };
            value.prop_map(move |v| (name.clone(), v)).boxed()
        })
        .collect();
    members
        .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>()))
        .boxed()
}

/// A place in a request body: its JSON path as `read_request` writes it, the member's schema, and whether the
/// Rust field is required.
struct Place {
    path: String,
    ty: &'static MemberType,
    required: bool,
}

/// Every member of `value` (an instance of `object`), depth first; and every object in it with its path.
fn places(
    value: &Value,
    object: &'static ObjectInfo,
    path: &str,
    out: &mut Vec<Place>,
    objects: &mut Vec<(String, &'static ObjectInfo)>,
) {
    objects.push((path.to_owned(), object));
    for m in object.members {
        let at = if path.is_empty() {
            m.name.to_owned()
        } else {
            format!("{path}.{}", m.name)
        };
        out.push(Place {
            path: at.clone(),
            ty: &m.ty,
            required: !m.optional_in_rust,
        });
        descend(&value[m.name], &m.ty, &at, out, objects);
    }
}

fn descend(
    value: &Value,
    ty: &'static MemberType,
    path: &str,
    out: &mut Vec<Place>,
    objects: &mut Vec<(String, &'static ObjectInfo)>,
) {
    match (ty, value) {
        (MemberType::Object(name), Value::Object(_)) => {
            places(value, actions::object(name).unwrap(), path, out, objects)
        }
        (MemberType::List(item), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                let at = format!("{path}[{i}]");
                out.push(Place {
                    path: at.clone(),
                    ty: item,
                    required: false,
                });
                descend(v, item, &at, out, objects);
            }
        }
        _ => {}
    }
}

/// The value at a path written as `A.B[0].C`.
fn at_path<'v>(value: &'v mut Value, path: &str) -> &'v mut Value {
    let mut v = value;
    for part in path.split('.') {
        let (name, indexes) = part.split_once('[').map_or((part, ""), |(n, rest)| (n, rest));
        v = &mut v[name];
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().unwrap();
            v = &mut v[i];
        }
    }
    v
}

/// A value of another type than `ty`, which not even the lenient reading of shared objects accepts.
fn wrong(ty: &MemberType) -> Value {
    match ty {
        MemberType::Object(_) | MemberType::List(_) => Value::from(7),
        _ => serde_json::json!({"not": "a scalar"}),
    }
}

fn refusal<A: TypedAction>(body: Value) -> (String, BodyErrorKind) {
    match read_request_value::<A>(body.clone()) {
        Err(Error::InvalidBody(e)) => (e.path, e.kind),
        other => panic!("{}: {body} should be refused, got {other:?}", A::NAME),
    }
}

struct Properties;

impl ActionVisitor for Properties {
    type Output = ();

    fn visit<A: TypedAction>(self) {
        let info = actions::find(A::NAME).unwrap();
        let object = info.request_object().unwrap();
        let strategy = (
            object_strategy(object, 0),
            any::<Index>(),
            any::<Index>(),
            any::<Index>(),
        );
        let mut runner = TestRunner::new(Config {
            cases: 24,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&strategy, |(body, wrong_at, missing_at, unknown_at)| {
                // Every member filled: read, written back the same.
                let request: A =
                    read_request_value(body.clone()).map_err(|e| TestCaseError::fail(format!("{}: {e}", A::NAME)))?;
                prop_assert_eq!(
                    &serde_json::to_value(&request).unwrap(),
                    &body,
                    "{} round trip",
                    A::NAME
                );
                // Credentials are sent, never printed.
                let shown = format!("{request:?}");
                prop_assert!(!shown.contains("s3cr3t-"), "{} prints a credential: {}", A::NAME, shown);

                let mut members = Vec::new();
                let mut objects = Vec::new();
                places(&body, object, "", &mut members, &mut objects);

                // One member of the wrong type.
                let place = wrong_at.get(&members);
                let mut bad = body.clone();
                *at_path(&mut bad, &place.path) = wrong(place.ty);
                let (path, kind) = refusal::<A>(bad);
                prop_assert_eq!(
                    (&path, &kind),
                    (&place.path, &BodyErrorKind::WrongType),
                    "{} wrong type",
                    A::NAME
                );

                // One required member missing.
                let required: Vec<&Place> = members.iter().filter(|p| p.required).collect();
                if !required.is_empty() {
                    let place = missing_at.get(&required);
                    let mut bad = body.clone();
                    let (parent, name) = place
                        .path
                        .rsplit_once('.')
                        .map_or(("", place.path.as_str()), |(p, n)| (p, n));
                    let holder = if parent.is_empty() {
                        &mut bad
                    } else {
                        at_path(&mut bad, parent)
                    };
                    holder.as_object_mut().unwrap().remove(name);
                    let (path, kind) = refusal::<A>(bad);
                    prop_assert_eq!(
                        (&path, &kind),
                        (&place.path, &BodyErrorKind::Missing),
                        "{} missing",
                        A::NAME
                    );
                }

                // One member the object does not have.
                let (object_path, unknown_in) = unknown_at.get(&objects);
                let mut bad = body.clone();
                let holder = if object_path.is_empty() {
                    &mut bad
                } else {
                    at_path(&mut bad, object_path)
                };
                holder
                    .as_object_mut()
                    .unwrap()
                    .insert("NoSuchMember".into(), Value::from(1));
                let expected = if object_path.is_empty() {
                    "NoSuchMember".to_owned()
                } else {
                    format!("{object_path}.NoSuchMember")
                };
                let (path, kind) = refusal::<A>(bad);
                prop_assert_eq!(&path, &expected, "{} unknown", A::NAME);
                let valid: Vec<&str> = unknown_in.members.iter().map(|m| m.name).collect();
                prop_assert_eq!(
                    kind,
                    BodyErrorKind::Unknown {
                        object: unknown_in.name,
                        valid
                    },
                    "{} unknown",
                    A::NAME
                );
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn every_request_round_trips_and_every_wrong_member_is_named_by_its_path() {
    let mut checked = 0;
    for info in actions::ALL {
        if actions::visit(info.name, Properties).is_some() {
            checked += 1;
        }
    }
    println!("{checked} of {} actions checked", actions::ALL.len());
    if cfg!(feature = "full") {
        assert_eq!(checked, 89);
    } else {
        assert!(checked >= 6, "the room actions are always built");
    }
}

/// The example the CLI's documentation gives: a number where a user id (a string) belongs.
#[cfg(feature = "recording")]
#[test]
fn the_documented_path_example_is_refused_as_written() {
    let body = serde_json::json!({
        "SdkAppId": 1400000001, "RoomId": "r", "UserId": "u", "UserSig": "s",
        "RecordParams": {"RecordMode": 1, "SubscribeStreamUserIds": {"SubscribeAudioUserIds": [5]}},
        "StorageParams": {}
    });
    let err = read_request_value::<trtc_model::api::recording::CreateCloudRecordingRequest>(body).unwrap_err();
    assert_eq!(
        err.to_string(),
        "RecordParams.SubscribeStreamUserIds.SubscribeAudioUserIds[0]: invalid type: integer `5`, expected a string"
    );
}
