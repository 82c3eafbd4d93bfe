//! Each check of the verifier on its own: the error it gives, the check it names, the status a receiver
//! answers with, and the order in which they run.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use trtc_callback::{
    sign_body, sign_callback, Callback, CallbackKey, Check, DismissRoomInfo, Error, Event, SignedCallback, Verifier,
};

const APP: u64 = 1400000001;
const AT: u64 = 1_700_000_000_000;

fn key() -> CallbackKey {
    CallbackKey::new("Abc123").unwrap()
}

fn at(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

fn dismiss() -> SignedCallback {
    sign_callback(
        &key(),
        APP,
        &Callback::new(Event::DismissRoom(DismissRoomInfo::new("r", AT)), AT),
    )
}

fn verify(headers: &[(&str, &str)], body: &[u8], now: SystemTime) -> Result<Callback, Error> {
    Verifier::new(key(), APP).verify(headers.iter().copied(), body, now)
}

#[test]
fn a_signed_callback_verifies_with_any_header_case() {
    let signed = dismiss();
    let headers = [("sign", signed.sign()), ("SDKAPPID", "1400000001")];
    let got = verify(&headers, signed.body(), at(AT)).unwrap();
    assert_eq!(got.event().name(), "DismissRoom");
}

#[test]
fn sign_missing_empty_malformed_or_repeated() {
    let signed = dismiss();
    let body = signed.body();
    let app = ("SdkAppId", "1400000001");
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[app], "no Sign header"),
        (&[app, ("Sign", "")], "Sign header is empty"),
        (&[app, ("Sign", "abc")], "is not 44 characters"),
        (
            &[app, ("Sign", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!=")],
            "is not standard base64",
        ),
        (
            &[app, ("Sign", signed.sign()), ("Sign", signed.sign())],
            "appears more than once",
        ),
    ];
    for (headers, message) in cases {
        let err = verify(headers, body, at(AT)).unwrap_err();
        assert_eq!((err.check(), err.status()), (Check::Sign, 401), "{err}");
        assert!(err.to_string().contains(message), "{err}");
    }
}

#[test]
fn a_wrong_signature_names_the_likely_causes() {
    let signed = dismiss();
    let other = sign_body(&CallbackKey::new("Abc124").unwrap(), signed.body());
    let err = verify(&[("Sign", &other), ("SdkAppId", "1400000001")], signed.body(), at(AT)).unwrap_err();
    assert_eq!((err.check(), err.status()), (Check::Signature, 401));
    assert!(err.to_string().contains("check the key"), "{err}");
}

#[test]
fn sdk_app_id_missing_malformed_other_or_not_the_body_s() {
    let signed = dismiss();
    let sign = ("Sign", signed.sign());
    for (headers, message) in [
        (vec![sign], "no SdkAppId header".to_owned()),
        (
            vec![sign, ("SdkAppId", "14x")],
            r#"SdkAppId header "14x" is not a whole number"#.to_owned(),
        ),
        (
            vec![sign, ("SdkAppId", "1400000002")],
            "this receiver is for application 1400000001".to_owned(),
        ),
    ] {
        let err = verify(&headers, signed.body(), at(AT)).unwrap_err();
        assert_eq!((err.check(), err.status()), (Check::SdkAppId, 401), "{err}");
        assert!(err.to_string().contains(&message), "{err}");
    }

    // A body that names an application must name the header's.
    let body = format!(
        r#"{{"SdkAppId":1400000002,"EventGroupId":1,"EventType":102,"CallbackTs":{AT},"EventInfo":{{"RoomId":1}}}}"#
    );
    let signed = SignedCallback::new(&key(), APP, body);
    let err = verify(&signed.headers(), signed.body(), at(AT)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::SdkAppIdMismatch {
                header: APP,
                body: 1400000002
            }
        ),
        "{err}"
    );
}

#[test]
fn callback_ts_outside_the_window_either_way() {
    let signed = dismiss();
    let verifier = Verifier::new(key(), APP);
    let headers = signed.headers();
    assert!(verifier.verify(headers, signed.body(), at(AT + 300_000)).is_ok());
    assert!(verifier.verify(headers, signed.body(), at(AT - 300_000)).is_ok());
    let late = verifier.verify(headers, signed.body(), at(AT + 300_001)).unwrap_err();
    assert_eq!((late.check(), late.status()), (Check::CallbackTs, 400));
    assert!(
        late.to_string()
            .contains("is 300.001 s before this receiver's clock, outside its window of 300 s"),
        "{late}"
    );
    let early = verifier.verify(headers, signed.body(), at(AT - 3_600_000)).unwrap_err();
    assert!(early.to_string().contains("3600 s after"), "{early}");

    let narrow = Verifier::new(key(), APP).with_window(Duration::from_secs(1));
    assert_eq!(
        narrow
            .verify(headers, signed.body(), at(AT + 1_001))
            .unwrap_err()
            .check(),
        Check::CallbackTs
    );
}

#[test]
fn a_body_over_the_limit_is_refused_before_anything_else() {
    // Unsigned and not JSON: the size is what is reported, so nothing else was looked at.
    let verifier = Verifier::new(key(), APP).with_max_body_len(16);
    let err = verifier.verify([("x", "y")], &[b'{'; 17], at(AT)).unwrap_err();
    assert_eq!((err.check(), err.status()), (Check::BodySize, 400));
    assert!(
        err.to_string()
            .contains("body of 17 bytes is over this receiver's limit of 16 bytes"),
        "{err}"
    );
    assert_eq!(Verifier::new(key(), APP).max_body_len(), 64 * 1024);
}

#[test]
fn bodies_that_are_not_callbacks() {
    let cases: [(&[u8], Check, &str); 6] = [
        (b"{", Check::Json, "body is not JSON"),
        (b"[1]", Check::Body, "is not a JSON object"),
        (
            br#"{"EventType":101,"CallbackTs":1}"#,
            Check::Body,
            "EventGroupId is missing",
        ),
        (
            br#"{"EventGroupId":"one","EventType":101,"CallbackTs":1}"#,
            Check::Body,
            "EventGroupId is not a whole number",
        ),
        (
            br#"{"EventGroupId":1,"EventType":101}"#,
            Check::Body,
            "CallbackTs is missing",
        ),
        (
            br#"{"EventGroupId":1,"EventType":103,"CallbackTs":1,"EventInfo":{"UserId":"u"}}"#,
            Check::Body,
            "EventInfo of event 103",
        ),
    ];
    for (body, check, message) in cases {
        let signed = SignedCallback::new(&key(), APP, body.to_vec());
        let err = Verifier::new(key(), APP)
            .with_window(Duration::MAX)
            .verify(signed.headers(), body, at(AT))
            .unwrap_err();
        assert_eq!((err.check(), err.status()), (check, 400), "{err}");
        assert!(err.to_string().contains(message), "{err}");
    }
    // The EventInfo error names the field through its source.
    let body = br#"{"EventGroupId":1,"EventType":103,"CallbackTs":1,"EventInfo":{"UserId":"u"}}"#;
    let err = Callback::parse_unverified(body).unwrap_err();
    let source = std::error::Error::source(&err).unwrap().to_string();
    assert!(source.contains("RoomId"), "{source}");
}

#[test]
fn unknown_groups_and_types_are_kept_not_refused() {
    let body = br#"{"EventGroupId":9,"EventType":901,"CallbackTs":5,"EventInfo":{"New":[1,2]},"Extra":true}"#;
    let callback = Callback::parse_unverified(body).unwrap();
    match callback.event() {
        Event::Other {
            group,
            event_type,
            info,
        } => {
            assert_eq!((*group, *event_type), (9, 901));
            assert_eq!(info["New"][1], 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(callback.raw()["Extra"], true);
    // A new type in a known group is kept too.
    let body = br#"{"EventGroupId":1,"EventType":199,"CallbackTs":5}"#;
    let callback = Callback::parse_unverified(body).unwrap();
    assert!(matches!(
        callback.event(),
        Event::Other {
            group: 1,
            event_type: 199,
            info: serde_json::Value::Null
        }
    ));
    assert_eq!(callback.event().name(), "Other");
}

#[test]
fn room_ids_keep_their_type() {
    let number =
        Callback::parse_unverified(br#"{"EventGroupId":1,"EventType":102,"CallbackTs":1,"EventInfo":{"RoomId":42}}"#)
            .unwrap();
    let string =
        Callback::parse_unverified(br#"{"EventGroupId":1,"EventType":102,"CallbackTs":1,"EventInfo":{"RoomId":"42"}}"#)
            .unwrap();
    assert!(number.event().room_id().unwrap().is_number());
    assert!(string.event().room_id().unwrap().is_string());
    assert_ne!(number.event(), string.event());
    assert!(String::from_utf8(number.to_body()).unwrap().contains(r#""RoomId":42"#));
    assert!(String::from_utf8(string.to_body())
        .unwrap()
        .contains(r#""RoomId":"42""#));
    let negative =
        Callback::parse_unverified(br#"{"EventGroupId":1,"EventType":102,"CallbackTs":1,"EventInfo":{"RoomId":-1}}"#);
    assert_eq!(negative.unwrap_err().check(), Check::Body);
}

#[test]
fn keys_are_refused_without_being_repeated() {
    for (text, message) in [
        ("", "but it is empty"),
        ("abcdefghijklmnopqrstuvwxyz0123456789", "but it has 36 characters"),
        (
            "secret-key",
            "the character at position 6 is not an ASCII letter or digit",
        ),
    ] {
        let err = CallbackKey::new(text).unwrap_err();
        assert!(err.to_string().contains(message), "{err}");
        if !text.is_empty() {
            assert!(!err.to_string().contains(text) && !format!("{err:?}").contains(text));
        }
    }
    assert!(CallbackKey::from_text("abc123\n").is_ok());
    let verifier = Verifier::new(key(), APP);
    assert!(!format!("{verifier:?}").contains("Abc123"));
}
