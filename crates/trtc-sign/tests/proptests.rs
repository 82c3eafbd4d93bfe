//! Properties of the signer over generated inputs: every signed input is covered by the signature, the same
//! inputs always give the same output (by `sign`, `sign_with_key` and `signature_with_key`), and no input of
//! any kind makes it panic.

use proptest::prelude::*;
use trtc_sign::{
    sign, sign_v1, sign_with_key, signature_with_key, Credentials, Method, Secret, SignError, SignableRequest,
    SignedHeaders, SigningKey, SigningOutput, SigningParams, Timestamp, V1Request,
};

/// 9999-12-31T23:59:59Z, the last second the signer accepts.
const MAX_SECS: u64 = 253_402_300_799;

/// Everything one TC3 signature depends on.
#[derive(Debug, Clone)]
struct Inputs {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    service: String,
    host: String,
    action: String,
    version: String,
    region: Option<String>,
    language: Option<String>,
    timestamp: u64,
    get: bool,
    query: String,
    content_type: String,
    body: Vec<u8>,
    unsigned: bool,
    with_action: bool,
}

impl Inputs {
    fn sign(&self) -> Result<SigningOutput, SignError> {
        let mut creds = Credentials::new(&self.secret_id, &self.secret_key)?;
        if let Some(token) = &self.token {
            creds = creds.with_token(token)?;
        }
        let timestamp = Timestamp::from_secs(self.timestamp)?;
        let signed_headers = if self.with_action {
            SignedHeaders::ContentTypeHostAction
        } else {
            SignedHeaders::ContentTypeHost
        };
        let mut params = SigningParams::new(&self.service, &self.host, &self.action, &self.version, timestamp)
            .with_signed_headers(signed_headers);
        if let Some(region) = &self.region {
            params = params.with_region(region);
        }
        if let Some(language) = &self.language {
            params = params.with_language(language);
        }
        let mut request = if self.get {
            SignableRequest::get(&self.query).with_content_type(&self.content_type)
        } else {
            SignableRequest::post(&self.content_type, &self.body)
        };
        if self.unsigned {
            request = request.with_unsigned_payload();
        }
        let out = sign(&creds, &params, &request)?;
        let key = SigningKey::derive(creds.secret_key(), timestamp.date(), &self.service);
        let again = sign_with_key(&key, &creds, &params, &request)?;
        assert_eq!(out, again, "sign and sign_with_key disagree");
        let alone = signature_with_key(&key, &params, &request)?;
        assert_eq!(alone.as_str(), out.signature(), "signature_with_key and sign disagree");
        assert!(alone.matches(out.signature()));
        Ok(out)
    }
}

fn header_text() -> impl Strategy<Value = String> {
    "[ -~]{1,40}"
}

fn valid_inputs() -> impl Strategy<Value = Inputs> {
    (
        (
            "AKID[A-Za-z0-9]{8,36}",
            "[!-~]{16,48}",
            proptest::option::of("[A-Za-z0-9_-]{16,120}"),
            "[a-z0-9]{1,12}",
            "[a-z0-9.:-]{1,40}",
            "[A-Za-z0-9]{1,30}",
            header_text(),
            proptest::option::of(header_text()),
        ),
        (
            proptest::option::of(prop_oneof![Just("zh-CN".to_owned()), Just("en-US".to_owned())]),
            0..=MAX_SECS,
            any::<bool>(),
            "[!-~&&[^#]]{0,60}",
            header_text(),
            proptest::collection::vec(any::<u8>(), 0..300),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (secret_id, secret_key, token, service, host, action, version, region),
                (language, timestamp, get, query, content_type, body, unsigned, with_action),
            )| Inputs {
                secret_id,
                secret_key,
                token,
                service,
                host,
                action,
                version,
                region,
                language,
                timestamp,
                get,
                query,
                content_type,
                body,
                unsigned,
                with_action,
            },
        )
}

/// A change to one input the signature covers.
#[derive(Debug, Clone)]
enum SignedChange {
    SecretKey(String),
    Service(String),
    Host(String),
    Action(String),
    Timestamp(u64),
    Method,
    Query(String),
    ContentType(String),
    Body(Vec<u8>),
    Unsigned,
    SignedHeaders,
}

fn signed_change() -> impl Strategy<Value = SignedChange> {
    prop_oneof![
        "[!-~]{16,48}".prop_map(SignedChange::SecretKey),
        "[a-z0-9]{1,12}".prop_map(SignedChange::Service),
        "[a-z0-9.:-]{1,40}".prop_map(SignedChange::Host),
        "[A-Za-z0-9]{1,30}".prop_map(SignedChange::Action),
        (0..=MAX_SECS).prop_map(SignedChange::Timestamp),
        Just(SignedChange::Method),
        "[!-~&&[^#]]{0,60}".prop_map(SignedChange::Query),
        header_text().prop_map(SignedChange::ContentType),
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(SignedChange::Body),
        Just(SignedChange::Unsigned),
        Just(SignedChange::SignedHeaders),
    ]
}

/// Applies `change`; `None` when it would not change what is signed (the same value, the action when it is
/// not a signed header or only its case changes, the body of a GET or an unsigned payload, the query of a POST).
fn apply(base: &Inputs, change: &SignedChange) -> Option<Inputs> {
    let mut next = base.clone();
    match change {
        SignedChange::SecretKey(v) if *v != base.secret_key => next.secret_key = v.clone(),
        SignedChange::Service(v) if *v != base.service => next.service = v.clone(),
        SignedChange::Host(v) if *v != base.host => next.host = v.clone(),
        SignedChange::Action(v) if base.with_action && !v.eq_ignore_ascii_case(&base.action) => next.action = v.clone(),
        SignedChange::Timestamp(v) if *v != base.timestamp => next.timestamp = *v,
        SignedChange::Method => next.get = !base.get,
        SignedChange::Query(v) if base.get && *v != base.query => next.query = v.clone(),
        SignedChange::ContentType(v) if *v != base.content_type => next.content_type = v.clone(),
        SignedChange::Body(v) if !base.get && !base.unsigned && *v != base.body => next.body = v.clone(),
        // An unsigned payload hashes "UNSIGNED-PAYLOAD": the same as a body of those very bytes.
        SignedChange::Unsigned if base.get || base.body != b"UNSIGNED-PAYLOAD" => next.unsigned = !base.unsigned,
        SignedChange::SignedHeaders => next.with_action = !base.with_action,
        _ => return None,
    }
    Some(next)
}

/// A change to an input that is sent but not signed in TC3.
#[derive(Debug, Clone)]
enum UnsignedChange {
    SecretId(String),
    Token(Option<String>),
    Version(String),
    Region(Option<String>),
    Language(Option<String>),
}

fn unsigned_change() -> impl Strategy<Value = UnsignedChange> {
    prop_oneof![
        "AKID[A-Za-z0-9]{8,36}".prop_map(UnsignedChange::SecretId),
        proptest::option::of("[A-Za-z0-9_-]{16,120}").prop_map(UnsignedChange::Token),
        header_text().prop_map(UnsignedChange::Version),
        proptest::option::of(header_text()).prop_map(UnsignedChange::Region),
        proptest::option::of(Just("en-US".to_owned())).prop_map(UnsignedChange::Language),
    ]
}

/// Any string at all: control characters, non-ASCII, empty.
fn anything() -> impl Strategy<Value = String> {
    any::<String>()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_change_to_a_signed_input_changes_the_signature(base in valid_inputs(), change in signed_change()) {
        let before = base.sign().expect("valid inputs sign");
        let Some(changed) = apply(&base, &change) else { return Ok(()) };
        let after = changed.sign().expect("valid inputs sign");
        prop_assert_ne!(before.signature(), after.signature(), "{:?} left the signature unchanged", change);
    }

    #[test]
    fn inputs_outside_the_signature_change_only_their_header(base in valid_inputs(), change in unsigned_change()) {
        let before = base.sign().expect("valid inputs sign");
        let mut changed = base.clone();
        match change {
            UnsignedChange::SecretId(v) => changed.secret_id = v,
            UnsignedChange::Token(v) => changed.token = v,
            UnsignedChange::Version(v) => changed.version = v,
            UnsignedChange::Region(v) => changed.region = v,
            UnsignedChange::Language(v) => changed.language = v,
        }
        let after = changed.sign().expect("valid inputs sign");
        prop_assert_eq!(before.signature(), after.signature());
        prop_assert_eq!(before.canonical_request(), after.canonical_request());
        prop_assert_eq!(after.header("X-TC-Version"), Some(changed.version.as_str()));
        prop_assert_eq!(after.header("X-TC-Region"), changed.region.as_deref());
        prop_assert_eq!(after.header("X-TC-Language"), changed.language.as_deref());
        prop_assert_eq!(after.header("X-TC-Token"), changed.token.as_deref());
        let credential = format!("Credential={}/", changed.secret_id);
        prop_assert!(after.authorization().contains(&credential));
    }

    #[test]
    fn the_same_inputs_give_the_same_output(inputs in valid_inputs()) {
        let first = inputs.sign().expect("valid inputs sign");
        let second = inputs.clone().sign().expect("valid inputs sign");
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(first.signature().len(), 64);
        prop_assert!(first.authorization().ends_with(first.signature()));
    }

    #[test]
    fn debug_never_shows_a_secret(inputs in valid_inputs()) {
        let out = inputs.sign().expect("valid inputs sign");
        let shown = format!("{out:?}");
        prop_assert!(!shown.contains(&inputs.secret_key));
        prop_assert!(!shown.contains(out.signature()));
        if let Some(token) = &inputs.token {
            prop_assert!(!shown.contains(token.as_str()));
        }
    }

    #[test]
    fn no_input_panics(
        strings in proptest::collection::vec(anything(), 12),
        timestamp in any::<u64>(),
        flags in any::<[bool; 4]>(),
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let inputs = Inputs {
            secret_id: strings[0].clone(),
            secret_key: strings[1].clone(),
            token: flags[0].then(|| strings[2].clone()),
            service: strings[3].clone(),
            host: strings[4].clone(),
            action: strings[5].clone(),
            version: strings[6].clone(),
            region: flags[1].then(|| strings[7].clone()),
            language: flags[1].then(|| strings[8].clone()),
            timestamp,
            get: flags[2],
            query: strings[9].clone(),
            content_type: strings[10].clone(),
            body,
            unsigned: flags[3],
            with_action: flags[0] ^ flags[3],
        };
        match inputs.sign() {
            Ok(out) => {
                let _ = format!("{out:?}");
                prop_assert_eq!(out.headers().count(), out.headers().len());
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        // A key derived for any input, then used for a request it does not fit.
        if let Ok(ts) = Timestamp::from_secs(timestamp) {
            let key = SigningKey::derive(&Secret::new(strings[1].clone()), ts.date(), &strings[3]);
            let _ = format!("{key:?}");
            if let Ok(creds) = Credentials::new("AKIDexample", "key") {
                let params = SigningParams::new(&strings[11], "h", "A", "v", ts);
                let _ = sign_with_key(&key, &creds, &params, &SignableRequest::get(&strings[9]));
            }
        }
        let mut request = V1Request::new(if flags[2] { Method::Get } else { Method::Post }, strings[4].clone());
        for pair in strings.chunks(2) {
            request = request.param(pair[0].clone(), pair[1].clone());
        }
        if let Ok(out) = sign_v1(&Secret::new(strings[1].clone()), &request) {
            let _ = format!("{out:?} {request:?}");
        }
    }

    #[test]
    fn v1_signature_covers_every_parameter_value(
        values in proptest::collection::vec("[ -~]{0,20}", 6),
        which in 0usize..6,
        replacement in "[ -~]{0,20}",
        sha256 in any::<bool>(),
    ) {
        prop_assume!(values[which] != replacement);
        let build = |values: &[String]| {
            let names = ["Action", "Nonce", "Timestamp", "SecretId", "Region", "Limit"];
            let mut request = V1Request::new(Method::Get, "cvm.tencentcloudapi.com");
            for (name, value) in names.iter().zip(values) {
                request = request.param(*name, value.clone());
            }
            if sha256 {
                request = request.param("SignatureMethod", "HmacSHA256");
            }
            sign_v1(&Secret::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"), &request).expect("valid v1 request")
        };
        let before = build(&values);
        let mut changed = values.clone();
        changed[which] = replacement;
        let after = build(&changed);
        prop_assert_ne!(before.signature(), after.signature());
        let again = build(&values);
        prop_assert_eq!(before.signature(), again.signature());
    }

    #[test]
    fn utc_date_agrees_with_counting_days(secs in 0..=MAX_SECS) {
        let date = Timestamp::from_secs(secs).expect("in range").date();
        let (year, month, day) = by_counting(secs / 86_400);
        prop_assert_eq!((date.year(), date.month(), date.day()), (year, month, day));
        prop_assert_eq!(date.to_string(), format!("{year:04}-{month:02}-{day:02}"));
    }
}

/// The civil date `days` after 1970-01-01 by walking years and months: slow, and obviously right.
fn by_counting(mut days: u64) -> (u16, u8, u8) {
    let leap = |y: u64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut year = 1970;
    loop {
        let len = if leap(year) { 366 } else { 365 };
        if days < len {
            break;
        }
        days -= len;
        year += 1;
    }
    let lengths = [
        31,
        if leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 0;
    while days >= lengths[month] {
        days -= lengths[month];
        month += 1;
    }
    (year as u16, month as u8 + 1, days as u8 + 1)
}

#[test]
fn timestamps_past_9999_are_refused_not_wrapped() {
    for secs in [MAX_SECS + 1, u64::MAX / 2, u64::MAX] {
        assert_eq!(
            Timestamp::from_secs(secs),
            Err(SignError::TimestampOutOfRange { got: secs })
        );
    }
}
