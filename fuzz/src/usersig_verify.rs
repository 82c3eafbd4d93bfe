//! `trtc_usersig::Issuer::verify` on any string, and on documents built from free fields.
//!
//! Raw strings reach the decoders; documents built from parts (each field free, of any JSON type, a userbuf
//! of free fields or free bytes, signed with the key when asked) reach every later check and the success
//! path. Beyond "no panic": a failure names its check and never repeats the key; a success returns exactly
//! the fields of a document signed with the key, and the same string fails for another user id.

use arbitrary::{Arbitrary, Unstructured};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use trtc_usersig::{Issuer, Secret};

const KEY: &str = "Fuzz-SDK-Secret-Key-0123456789abcdef";
const SDK_APP_ID: u32 = 1400000000;

#[derive(Debug, Arbitrary)]
enum Input {
    Raw(String),
    Built(Box<Parts>),
}

#[derive(Debug, Arbitrary)]
enum Number {
    Ours,
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text(String),
    Missing,
}

#[derive(Debug, Arbitrary)]
enum UserBuf {
    None,
    Bytes(Vec<u8>),
    Fields { version: u8, account: String, sdk_app_id: u32, room_id: u32, expiry: u32, privileges: u32, room: String },
}

#[derive(Debug, Arbitrary)]
struct Parts {
    identifier: Option<String>,
    asked_user: bool,
    sdk_app_id: Number,
    time: u32,
    expire: u32,
    userbuf: UserBuf,
    sign: bool,
    sig_bytes: Vec<u8>,
    extra: Option<(String, String)>,
    deflate_level: u8,
    now: u32,
}

pub fn run(data: &[u8]) {
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let issuer = Issuer::new(SDK_APP_ID, Secret::new(KEY)).expect("a valid issuer");
    match input {
        Input::Raw(sig) => {
            for now in [0, 1_700_000_000, u64::MAX] {
                check_failure_or_success(&issuer, "alice", &sig, now, None);
            }
        }
        Input::Built(parts) => {
            let user = if parts.asked_user { parts.identifier.clone().unwrap_or_default() } else { "alice".to_owned() };
            let (sig, signed) = build(&parts);
            check_failure_or_success(&issuer, &user, &sig, u64::from(parts.now), signed.then_some(&parts));
        }
    }
}

fn check_failure_or_success(issuer: &Issuer, user: &str, sig: &str, now: u64, signed: Option<&Parts>) {
    match issuer.verify(user, sig, now) {
        Ok(claims) => {
            let parts = signed.expect("only a document signed with the key verifies");
            assert_eq!(claims.identifier, user);
            assert_eq!(claims.sdk_app_id, SDK_APP_ID);
            assert_eq!((claims.time, claims.expire), (u64::from(parts.time), u64::from(parts.expire)));
            assert!(now <= claims.expires_at());
            let other = format!("{user}-other");
            assert!(issuer.verify(&other, sig, now).is_err(), "verified for another user id");
        }
        Err(err) => {
            assert!(err.check().is_some(), "a verification failure without its check: {err}");
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains(KEY), "the key leaked into an error");
            assert!(sig.len() < 16 || !shown.contains(sig), "the string was repeated in an error");
        }
    }
}

fn number(n: &Number, ours: u64) -> Option<Value> {
    match n {
        Number::Ours => Some(json!(ours)),
        Number::Unsigned(v) => Some(json!(v)),
        Number::Signed(v) => Some(json!(v)),
        Number::Float(v) => Some(json!(v)),
        Number::Text(s) => Some(json!(s)),
        Number::Missing => None,
    }
}

/// The string for the parts, and whether it carries a valid HMAC under the key.
fn build(parts: &Parts) -> (String, bool) {
    let mut doc = serde_json::Map::new();
    doc.insert("TLS.ver".into(), json!("2.0"));
    if let Some(id) = &parts.identifier {
        doc.insert("TLS.identifier".into(), json!(id));
    }
    let sdk_app_id = number(&parts.sdk_app_id, u64::from(SDK_APP_ID));
    if let Some(v) = &sdk_app_id {
        doc.insert("TLS.sdkappid".into(), v.clone());
    }
    doc.insert("TLS.time".into(), json!(parts.time));
    doc.insert("TLS.expire".into(), json!(parts.expire));
    let userbuf = match &parts.userbuf {
        UserBuf::None => None,
        UserBuf::Bytes(b) => Some(b.clone()),
        UserBuf::Fields { version, account, sdk_app_id, room_id, expiry, privileges, room } => {
            let mut b = vec![*version % 3];
            b.extend_from_slice(&(account.len() as u16).to_be_bytes());
            b.extend_from_slice(account.as_bytes());
            for w in [*sdk_app_id, *room_id, *expiry, *privileges, 0] {
                b.extend_from_slice(&w.to_be_bytes());
            }
            if *version % 3 == 1 {
                b.extend_from_slice(&(room.len() as u16).to_be_bytes());
                b.extend_from_slice(room.as_bytes());
            }
            Some(b)
        }
    };
    let userbuf_text = userbuf.as_ref().map(|b| STANDARD.encode(b));
    if let Some(text) = &userbuf_text {
        doc.insert("TLS.userbuf".into(), json!(text));
    }
    // Signable when the signed fields are what the verifier will format: a string id and whole numbers.
    let signable = parts.sign
        && parts.identifier.is_some()
        && matches!(sdk_app_id, Some(Value::Number(ref n)) if n.is_u64());
    let mac = if signable {
        let mut content = format!(
            "TLS.identifier:{}\nTLS.sdkappid:{}\nTLS.time:{}\nTLS.expire:{}\n",
            parts.identifier.as_deref().unwrap_or_default(),
            sdk_app_id.as_ref().and_then(Value::as_u64).unwrap_or_default(),
            parts.time,
            parts.expire
        );
        if let Some(text) = &userbuf_text {
            content.push_str(&format!("TLS.userbuf:{text}\n"));
        }
        trtc_sign::hmac_sha256(KEY.as_bytes(), content.as_bytes()).to_vec()
    } else {
        parts.sig_bytes.clone()
    };
    doc.insert("TLS.sig".into(), json!(STANDARD.encode(&mac)));
    if let Some((k, v)) = &parts.extra {
        doc.insert(k.clone(), json!(v));
    }
    let stream = miniz_oxide::deflate::compress_to_vec_zlib(Value::Object(doc).to_string().as_bytes(), parts.deflate_level % 10);
    let text = STANDARD.encode(stream).replace('+', "*").replace('/', "-").replace('=', "_");
    (text, signable)
}
