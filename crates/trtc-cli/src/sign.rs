//! `trtc sign`: sign a request with the user's own credentials and show every intermediate step.

use serde_json::{json, Map, Value};
use trtc::sign::{sign, SignableRequest, SignedHeaders, SigningParams, Timestamp};

use crate::args::SignArgs;
use crate::credentials;
use crate::exit::Failure;

pub(crate) fn run(args: SignArgs) -> Result<(), Failure> {
    let credentials = credentials::from_env()?;
    let bad = |e: trtc::sign::SignError| Failure::bad_input(e.to_string());
    let timestamp =
        Timestamp::from_secs(args.timestamp).map_err(|e| Failure::bad_input(format!("--timestamp: {e}")))?;
    let signed_headers = SignedHeaders::parse(&args.signed_headers).ok_or_else(|| {
        Failure::bad_input("--signed-headers: use content-type;host or content-type;host;x-tc-action")
    })?;
    let get = args.method == "GET";
    if get && (args.payload.is_some() || args.payload_file.is_some()) {
        return Err(Failure::bad_input(
            "--payload is for POST: with --method GET pass --query",
        ));
    }
    if !get && args.query.is_some() {
        return Err(Failure::bad_input(
            "--query is for GET: add --method GET, or pass the body with --payload",
        ));
    }
    let payload: Vec<u8> = match (&args.payload, &args.payload_file) {
        (Some(payload), _) => payload.clone().into_bytes(),
        (None, Some(path)) => {
            std::fs::read(path).map_err(|e| Failure::bad_input(format!("--payload-file {}: {e}", path.display())))?
        }
        (None, None) => Vec::new(),
    };
    let query = args.query.as_deref().unwrap_or("");
    let content_type = args.content_type.as_deref().unwrap_or(if get {
        "application/x-www-form-urlencoded"
    } else {
        "application/json"
    });

    let mut params = SigningParams::new(&args.service, &args.host, &args.action, &args.version, timestamp)
        .with_signed_headers(signed_headers);
    if let Some(region) = &args.region {
        params = params.with_region(region);
    }
    if let Some(language) = &args.language {
        params = params.with_language(language);
    }
    let mut request = if get {
        SignableRequest::get(query).with_content_type(content_type)
    } else {
        SignableRequest::post(content_type, &payload)
    };
    if args.unsigned_payload {
        request = request.with_unsigned_payload();
    }
    let out = sign(&credentials, &params, &request).map_err(bad)?;

    // This prints the Authorization and token on purpose: the user asked to see their own signature.
    let mut headers = Map::new();
    headers.insert("Content-Type".into(), Value::from(out.content_type()));
    headers.insert("Host".into(), Value::from(out.host()));
    for header in out.headers() {
        headers.insert(header.name().into(), Value::from(header.value()));
    }
    let printed = json!({
        "canonical_request": out.canonical_request(),
        "string_to_sign": out.string_to_sign(),
        "signature": out.signature(),
        "authorization": out.authorization(),
        "headers": headers,
    });
    println!("{printed}");
    Ok(())
}
