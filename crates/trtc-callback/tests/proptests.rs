//! Properties of the signature and the verifier over generated input: anything signed verifies; any single
//! byte changed in the body or the signature, or another key, fails; no input panics; keys are exactly
//! what the console accepts. The last two are the proptest versions of the `callback_verify` fuzz target
//! (`fuzz/`).

use std::time::{Duration, UNIX_EPOCH};

use proptest::prelude::*;
use serde_json::{json, Value};
use trtc_callback::{
    sign_body, sign_callback, Callback, CallbackKey, Check, EnterRoomInfo, Event, ExitReason, ExitRoomInfo, RoomId,
    SignedCallback, Verifier,
};

const APP: u64 = 1400000001;

fn key_text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{1,32}"
}

fn room() -> impl Strategy<Value = RoomId> {
    prop_oneof![
        (1u64..=u64::from(u32::MAX)).prop_map(RoomId::Number),
        "[A-Za-z0-9_-]{1,64}".prop_map(RoomId::String),
    ]
}

fn callback() -> impl Strategy<Value = Callback> {
    (
        room(),
        "[A-Za-z0-9_@.-]{1,32}",
        1_600_000_000_000u64..1_900_000_000_000,
        0u64..2000,
        any::<bool>(),
    )
        .prop_map(|(room, user, at, delay, enter)| {
            let event = if enter {
                Event::EnterRoom(EnterRoomInfo::new(room, user, at))
            } else {
                Event::ExitRoom(ExitRoomInfo::new(room, user, at, ExitReason::Removed))
            };
            Callback::new(event, at + delay)
        })
}

fn headers(signed: &SignedCallback) -> Vec<(String, String)> {
    signed
        .headers()
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_body_signed_with_the_key_has_a_matching_signature(key in key_text(), body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let key = CallbackKey::new(key).unwrap();
        let sign = sign_body(&key, &body);
        prop_assert_eq!(sign.len(), 44);
        prop_assert!(Verifier::new(key, APP).check_signature(&sign, &body).is_ok());
    }

    #[test]
    fn any_callback_signed_with_the_key_verifies(key in key_text(), callback in callback()) {
        let key = CallbackKey::new(key).unwrap();
        let signed = sign_callback(&key, APP, &callback);
        let now = UNIX_EPOCH + Duration::from_millis(callback.callback_ts_ms());
        let got = Verifier::new(key, APP).verify(headers(&signed), signed.body(), now).unwrap();
        prop_assert_eq!(got.event(), callback.event());
    }

    #[test]
    fn any_single_byte_changed_in_the_body_fails(
        key in key_text(),
        body in proptest::collection::vec(any::<u8>(), 1..1024),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let key = CallbackKey::new(key).unwrap();
        let sign = sign_body(&key, &body);
        let mut changed = body.clone();
        let i = at.index(changed.len());
        changed[i] ^= flip;
        let err = Verifier::new(key, APP).check_signature(&sign, &changed).unwrap_err();
        prop_assert_eq!(err.check(), Check::Signature);
    }

    #[test]
    fn any_single_byte_changed_in_a_whole_callback_fails(key in key_text(), callback in callback(), at in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let key = CallbackKey::new(key).unwrap();
        let signed = sign_callback(&key, APP, &callback);
        let mut changed = signed.body().to_vec();
        let i = at.index(changed.len());
        changed[i] ^= flip;
        let now = UNIX_EPOCH + Duration::from_millis(callback.callback_ts_ms());
        let err = Verifier::new(key, APP).verify(headers(&signed), &changed, now).unwrap_err();
        prop_assert_eq!(err.check(), Check::Signature);
    }

    #[test]
    fn any_single_byte_changed_in_the_signature_fails(
        key in key_text(),
        body in proptest::collection::vec(any::<u8>(), 0..512),
        at in 0usize..44,
        flip in 1u8..=255,
    ) {
        let key = CallbackKey::new(key).unwrap();
        let mut sign = sign_body(&key, &body).into_bytes();
        sign[at] ^= flip;
        let sign = String::from_utf8_lossy(&sign).into_owned();
        let err = Verifier::new(key, APP).check_signature(&sign, &body).unwrap_err();
        // Either it no longer reads as a signature, or it is another signature.
        prop_assert!(matches!(err.check(), Check::Sign | Check::Signature), "{}", err);
    }

    #[test]
    fn another_key_fails(a in key_text(), b in key_text(), callback in callback()) {
        prop_assume!(a != b);
        let signed = sign_callback(&CallbackKey::new(a).unwrap(), APP, &callback);
        let now = UNIX_EPOCH + Duration::from_millis(callback.callback_ts_ms());
        let err = Verifier::new(CallbackKey::new(b).unwrap(), APP).verify(headers(&signed), signed.body(), now).unwrap_err();
        prop_assert_eq!(err.check(), Check::Signature);
    }

    #[test]
    fn no_input_panics_and_errors_never_show_the_key(
        key in key_text(),
        body in proptest::collection::vec(any::<u8>(), 0..600),
        sign in proptest::option::of(".{0,60}"),
        app in proptest::option::of(".{0,20}"),
        sign_it in any::<bool>(),
        now_ms in any::<u64>(),
    ) {
        let key = CallbackKey::new(key).unwrap();
        let verifier = Verifier::new(key.clone(), APP).with_max_body_len(512);
        let mut headers = Vec::new();
        if sign_it {
            headers.push(("Sign".to_owned(), sign_body(&key, &body)));
            headers.push(("SdkAppId".to_owned(), APP.to_string()));
        } else {
            if let Some(sign) = sign { headers.push(("sign".to_owned(), sign)); }
            if let Some(app) = app { headers.push(("sdkappid".to_owned(), app)); }
        }
        let now = UNIX_EPOCH.checked_add(Duration::from_millis(now_ms)).unwrap_or(UNIX_EPOCH);
        match verifier.verify(headers, &body, now) {
            Ok(callback) => {
                prop_assert!(sign_it);
                prop_assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
                prop_assert!(callback.callback_ts_ms().abs_diff(now_ms) <= 300_000);
            }
            Err(err) => {
                if body.len() > 512 {
                    prop_assert_eq!(err.check(), Check::BodySize);
                }
                let shown = format!("{err} {err:?}");
                if key.expose_secret().len() >= 6 {
                    prop_assert!(!shown.contains(key.expose_secret()), "{}", shown);
                }
            }
        }
    }

    #[test]
    fn keys_are_exactly_one_to_32_letters_and_digits(text in ".{0,40}") {
        let ok = (1..=32).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric());
        match CallbackKey::new(text.clone()) {
            Ok(key) => {
                prop_assert!(ok);
                prop_assert_eq!(format!("{key:?}"), "CallbackKey(***)");
            }
            Err(err) => {
                prop_assert!(!ok);
                prop_assert_eq!(err.check(), Check::Key);
                if text.len() >= 4 {
                    prop_assert!(!err.to_string().contains(&text));
                }
            }
        }
    }
}

/// Any JSON value, small.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[0-9]{0,12}".prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("[A-Za-z]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const FIELDS: &[&str] = &[
    "RoomId",
    "EventTs",
    "EventMsTs",
    "EventTsMs",
    "UserId",
    "UniqueId",
    "Role",
    "TerminalType",
    "UserType",
    "Reason",
    "TaskId",
    "RoomType",
    "Payload",
    "Status",
    "LeaveCode",
    "FileList",
    "FileMessage",
    "TencentVod",
    "Url",
];

/// A body shaped like a callback: a known or unknown group and type, an `EventInfo` of documented names with
/// values of any type.
fn near_callback() -> impl Strategy<Value = Vec<u8>> {
    let types = prop::sample::select(vec![
        (1u32, 101u32),
        (1, 102),
        (1, 103),
        (1, 104),
        (1, 105),
        (2, 201),
        (2, 206),
        (3, 301),
        (3, 302),
        (3, 304),
        (3, 305),
        (3, 307),
        (3, 310),
        (3, 311),
        (4, 401),
        (8, 801),
        (8, 804),
        (1, 199),
        (9, 901),
    ]);
    let info = proptest::collection::btree_map(prop::sample::select(FIELDS.to_vec()), json_value(), 0..8);
    (types, info, any::<u64>()).prop_map(|((group, event_type), info, ts)| {
        let info: serde_json::Map<String, Value> = info.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        serde_json::to_vec(
            &json!({"EventGroupId": group, "EventType": event_type, "CallbackTs": ts, "EventInfo": info}),
        )
        .unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn near_callbacks_are_typed_or_refused_and_read_back_the_same(body in near_callback()) {
        match Callback::parse_unverified(&body) {
            Ok(callback) => {
                let again = Callback::parse_unverified(&callback.to_body()).unwrap();
                if !matches!(callback.event(), Event::Other { .. }) {
                    prop_assert_eq!(again.event(), callback.event());
                }
                prop_assert_eq!(again.event_type(), callback.event_type());
            }
            Err(err) => prop_assert_eq!(err.check(), Check::Body, "{}", err),
        }
    }
}
