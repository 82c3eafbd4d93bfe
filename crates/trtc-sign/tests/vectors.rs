//! The file-based signing vectors under `tests/vectors/`: one JSON file per case, produced by sources other
//! than this crate (published documentation examples, the official Python SDK), checked field by field.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use trtc_sign::{sign, Credentials, SignableRequest, SignedHeaders, SigningParams, Timestamp};

#[derive(Deserialize)]
struct Vector {
    name: String,
    credentials: CredentialsIn,
    params: ParamsIn,
    request: RequestIn,
    expected: Expected,
}

#[derive(Deserialize)]
struct CredentialsIn {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
}

#[derive(Deserialize)]
struct ParamsIn {
    service: String,
    host: String,
    action: String,
    version: String,
    region: Option<String>,
    language: Option<String>,
    timestamp: u64,
    signed_headers: String,
}

#[derive(Deserialize)]
struct RequestIn {
    method: String,
    query: String,
    content_type: String,
    body: String,
    unsigned_payload: bool,
}

#[derive(Deserialize)]
struct Expected {
    canonical_request: Option<String>,
    string_to_sign: Option<String>,
    signature: String,
    authorization: Option<String>,
}

fn vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn check(v: &Vector) -> Result<(), String> {
    let mut creds = Credentials::new(&v.credentials.secret_id, &v.credentials.secret_key).map_err(|e| e.to_string())?;
    if let Some(token) = &v.credentials.token {
        creds = creds.with_token(token).map_err(|e| e.to_string())?;
    }
    let p = &v.params;
    let signed_headers = SignedHeaders::parse(&p.signed_headers).ok_or("unknown signed_headers")?;
    let ts = Timestamp::from_secs(p.timestamp).map_err(|e| e.to_string())?;
    let mut params =
        SigningParams::new(&p.service, &p.host, &p.action, &p.version, ts).with_signed_headers(signed_headers);
    if let Some(region) = &p.region {
        params = params.with_region(region);
    }
    if let Some(language) = &p.language {
        params = params.with_language(language);
    }
    let r = &v.request;
    let mut request = match r.method.as_str() {
        "POST" => SignableRequest::post(&r.content_type, r.body.as_bytes()),
        "GET" => SignableRequest::get(&r.query).with_content_type(&r.content_type),
        other => return Err(format!("unknown method {other}")),
    };
    if r.unsigned_payload {
        request = request.with_unsigned_payload();
    }
    let out = sign(&creds, &params, &request).map_err(|e| e.to_string())?;
    let e = &v.expected;
    if let Some(want) = &e.canonical_request {
        if out.canonical_request() != want {
            return Err(format!(
                "canonical request:\n got {:?}\nwant {want:?}",
                out.canonical_request()
            ));
        }
    }
    if let Some(want) = &e.string_to_sign {
        if out.string_to_sign() != want {
            return Err(format!(
                "string to sign:\n got {:?}\nwant {want:?}",
                out.string_to_sign()
            ));
        }
    }
    if out.signature() != e.signature {
        return Err(format!("signature: got {} want {}", out.signature(), e.signature));
    }
    if let Some(want) = &e.authorization {
        if out.authorization() != want {
            return Err(format!("authorization:\n got {:?}\nwant {want:?}", out.authorization()));
        }
    }
    Ok(())
}

#[test]
fn every_vector_matches() {
    let files = vector_files();
    assert!(files.len() >= 2, "expected the published examples under tests/vectors");
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let v: Vector = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Err(why) = check(&v) {
            failures.push(format!("{} ({}): {why}", v.name, file.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn published_examples_are_present() {
    let names: Vec<String> = vector_files()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"doc-example-post-2019".to_owned()));
    assert!(names.contains(&"doc-example-get-2018".to_owned()));
}
