//! `trtc_sign::sign` over any credentials, parameters and request.

use arbitrary::{Arbitrary, Unstructured};
use trtc_sign::{
    sign, sign_with_key, Credentials, SignableRequest, SignedHeaders, SigningKey, SigningParams, Timestamp,
};

/// Everything one TC3 signature depends on, each field free.
#[derive(Debug, Arbitrary)]
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

pub fn run(data: &[u8]) {
    let Ok(inputs) = Inputs::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    check(&inputs);
}

fn check(inputs: &Inputs) {
    let Ok(mut creds) = Credentials::new(inputs.secret_id.as_str(), inputs.secret_key.as_str()) else {
        return;
    };
    if let Some(token) = &inputs.token {
        let Ok(with_token) = creds.with_token(token.as_str()) else {
            return;
        };
        creds = with_token;
    }
    let Ok(timestamp) = Timestamp::from_secs(inputs.timestamp) else {
        return;
    };
    let signed_headers = match inputs.with_action {
        true => SignedHeaders::ContentTypeHostAction,
        false => SignedHeaders::ContentTypeHost,
    };
    let mut params = SigningParams::new(
        &inputs.service,
        &inputs.host,
        &inputs.action,
        &inputs.version,
        timestamp,
    )
    .with_signed_headers(signed_headers);
    if let Some(region) = &inputs.region {
        params = params.with_region(region);
    }
    if let Some(language) = &inputs.language {
        params = params.with_language(language);
    }
    let mut request = match inputs.get {
        true => SignableRequest::get(&inputs.query).with_content_type(&inputs.content_type),
        false => SignableRequest::post(&inputs.content_type, &inputs.body),
    };
    if inputs.unsigned {
        request = request.with_unsigned_payload();
    }

    let out = match sign(&creds, &params, &request) {
        Ok(out) => out,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an error without a message");
            return;
        }
    };
    let key = SigningKey::derive(creds.secret_key(), timestamp.date(), &inputs.service);
    let again = sign_with_key(&key, &creds, &params, &request).expect("signed once, so signable again");
    assert_eq!(out, again, "sign and sign_with_key disagree");
    assert_eq!(
        out,
        sign(&creds, &params, &request).unwrap(),
        "signing is not deterministic"
    );

    // Everything signed can be sent: each header is a valid HTTP header value, and applying them to a
    // request works.
    for header in out.headers() {
        assert!(
            http::HeaderValue::from_str(header.value()).is_ok(),
            "{} is not a valid header value",
            header.name()
        );
    }
    let mut http_request = http::Request::new(());
    out.apply_to_request(&mut http_request)
        .expect("apply the signed headers");
    assert!(out
        .authorization()
        .starts_with(&format!("TC3-HMAC-SHA256 Credential={}/", inputs.secret_id)));
    assert_eq!(out.signature().len(), 64);

    // The SecretKey appears nowhere in what may be printed. Checked for keys that look like keys (mixed
    // case and digits, so no field name, date, digest or fixed text of the output can equal them) and that
    // the caller did not also put in a public input.
    let key_text = inputs.secret_key.as_str();
    let looks_like_a_key = key_text.len() >= 12
        && key_text.bytes().any(|b| b.is_ascii_digit())
        && key_text.bytes().any(|b| b.is_ascii_uppercase())
        && key_text.bytes().any(|b| b.is_ascii_lowercase());
    let public = [
        inputs.secret_id.as_str(),
        &inputs.service,
        &inputs.host,
        &inputs.action,
        &inputs.version,
        inputs.region.as_deref().unwrap_or(""),
        inputs.language.as_deref().unwrap_or(""),
        &inputs.query,
        &inputs.content_type,
        &String::from_utf8_lossy(&inputs.body),
        inputs.token.as_deref().unwrap_or(""),
    ];
    let lower_key = key_text.to_ascii_lowercase();
    if looks_like_a_key && !public.iter().any(|p| p.to_ascii_lowercase().contains(&lower_key)) {
        let shown = format!("{out:?} {creds:?} {key:?}");
        assert!(!shown.contains(key_text), "the SecretKey leaked into Debug output");
        for header in out.headers() {
            assert!(
                !header.value().contains(key_text),
                "the SecretKey leaked into {}",
                header.name()
            );
        }
    }
}
