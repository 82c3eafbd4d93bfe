//! The file-based signing vectors under `tests/vectors/`: one JSON file per case, produced by sources other
//! than this crate (published documentation examples; the official Python SDK through
//! `cargo xtask vectors`), checked field by field.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use trtc_sign::{
    sign, sign_v1, sign_with_key, Credentials, Method, SignableRequest, SignatureMethod, SignedHeaders, SigningKey,
    SigningOutput, SigningParams, Timestamp, V1Request,
};

#[derive(Deserialize)]
#[serde(tag = "algorithm")]
enum Vector {
    #[serde(rename = "TC3-HMAC-SHA256")]
    Tc3(Box<Tc3Vector>),
    #[serde(rename = "HmacSHA1")]
    HmacSha1(V1Vector),
    #[serde(rename = "HmacSHA256")]
    HmacSha256(V1Vector),
}

#[derive(Deserialize)]
struct Tc3Vector {
    name: String,
    source: String,
    credentials: CredentialsIn,
    params: ParamsIn,
    request: RequestIn,
    expected: Tc3Expected,
}

#[derive(Deserialize)]
struct V1Vector {
    name: String,
    source: String,
    credentials: CredentialsIn,
    request: V1RequestIn,
    expected: V1Expected,
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
    body: Option<String>,
    body_parts: Option<Vec<Part>>,
    unsigned_payload: bool,
}

/// A piece of a body too large or too binary to store as text.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Part {
    Text(String),
    Hex(String),
    Repeat { text: String, times: usize },
    Pattern { len: usize, seed: u64 },
}

#[derive(Deserialize)]
struct Tc3Expected {
    canonical_request: Option<String>,
    string_to_sign: Option<String>,
    signature: String,
    authorization: Option<String>,
    headers: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
struct V1RequestIn {
    method: String,
    host: String,
    params: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct V1Expected {
    sign_string: String,
    signature: String,
    encoded: Option<String>,
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

fn load(file: &Path) -> Vector {
    let text = std::fs::read_to_string(file).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn all_vectors() -> Vec<(PathBuf, Vector)> {
    vector_files().into_iter().map(|f| (f.clone(), load(&f))).collect()
}

/// The bytes of a `{"pattern": ..}` part, as the generator computes them.
fn pattern(len: usize, seed: u64) -> Vec<u8> {
    (0..len as u64)
        .map(|i| (((i * 2_654_435_761) + seed) >> 11) as u8)
        .collect()
}

fn body(r: &RequestIn) -> Result<Vec<u8>, String> {
    match (&r.body, &r.body_parts) {
        (Some(text), None) => Ok(text.as_bytes().to_vec()),
        (None, Some(parts)) => {
            let mut out = Vec::new();
            for part in parts {
                match part {
                    Part::Text(text) => out.extend_from_slice(text.as_bytes()),
                    Part::Hex(hex) => {
                        for pair in hex.as_bytes().chunks(2) {
                            let pair = std::str::from_utf8(pair).map_err(|e| e.to_string())?;
                            out.push(u8::from_str_radix(pair, 16).map_err(|e| format!("hex part: {e}"))?);
                        }
                    }
                    Part::Repeat { text, times } => out.extend_from_slice(text.repeat(*times).as_bytes()),
                    Part::Pattern { len, seed } => out.extend_from_slice(&pattern(*len, *seed)),
                }
            }
            Ok(out)
        }
        _ => Err("give exactly one of body and body_parts".into()),
    }
}

fn credentials(c: &CredentialsIn) -> Result<Credentials, String> {
    let mut creds = Credentials::new(&c.secret_id, &c.secret_key).map_err(|e| e.to_string())?;
    if let Some(token) = &c.token {
        creds = creds.with_token(token).map_err(|e| e.to_string())?;
    }
    Ok(creds)
}

fn compare(what: &str, got: &str, want: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}:\n got {got:?}\nwant {want:?}"))
    }
}

fn check_tc3(v: &Tc3Vector) -> Result<(), String> {
    let creds = credentials(&v.credentials)?;
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
    let body = body(r)?;
    let mut request = match r.method.as_str() {
        "POST" => SignableRequest::post(&r.content_type, &body),
        "GET" if body.is_empty() => SignableRequest::get(&r.query).with_content_type(&r.content_type),
        "GET" => return Err("a GET has no body".into()),
        other => return Err(format!("unknown method {other}")),
    };
    if r.unsigned_payload {
        request = request.with_unsigned_payload();
    }
    let out = sign(&creds, &params, &request).map_err(|e| e.to_string())?;
    check_tc3_output(&out, &v.expected)?;

    // The cached-key path must agree with the one-off path.
    let key = SigningKey::derive(creds.secret_key(), ts.date(), &p.service);
    let again = sign_with_key(&key, &creds, &params, &request).map_err(|e| e.to_string())?;
    if again != out {
        return Err("sign_with_key differs from sign".into());
    }
    Ok(())
}

fn check_tc3_output(out: &SigningOutput, e: &Tc3Expected) -> Result<(), String> {
    if let Some(want) = &e.canonical_request {
        compare("canonical request", out.canonical_request(), want)?;
    }
    if let Some(want) = &e.string_to_sign {
        compare("string to sign", out.string_to_sign(), want)?;
    }
    compare("signature", out.signature(), &e.signature)?;
    if let Some(want) = &e.authorization {
        compare("authorization", out.authorization(), want)?;
    }
    if let Some(want) = &e.headers {
        let mut got = BTreeMap::new();
        got.insert("Content-Type".to_owned(), out.content_type().to_owned());
        got.insert("Host".to_owned(), out.host().to_owned());
        for header in out.headers() {
            got.insert(header.name().to_owned(), header.value().to_owned());
        }
        if &got != want {
            return Err(format!("headers:\n got {got:?}\nwant {want:?}"));
        }
    }
    Ok(())
}

fn check_v1(v: &V1Vector, method: SignatureMethod) -> Result<(), String> {
    let creds = credentials(&v.credentials)?;
    let http_method = match v.request.method.as_str() {
        "POST" => Method::Post,
        "GET" => Method::Get,
        other => return Err(format!("unknown method {other}")),
    };
    let mut request = V1Request::new(http_method, &v.request.host);
    for (name, value) in &v.request.params {
        request = request.param(name, value);
    }
    if request.signature_method().map_err(|e| e.to_string())? != method {
        return Err("the SignatureMethod parameter does not name the vector's algorithm".into());
    }
    let out = sign_v1(creds.secret_key(), &request).map_err(|e| e.to_string())?;
    compare("sign string", out.sign_string(), &v.expected.sign_string)?;
    compare("signature", out.signature(), &v.expected.signature)?;
    if let Some(want) = &v.expected.encoded {
        compare("encoded", out.encoded(), want)?;
    }
    Ok(())
}

#[test]
fn every_vector_matches() {
    let vectors = all_vectors();
    let mut failures = Vec::new();
    for (file, vector) in &vectors {
        let (name, source, result) = match vector {
            Vector::Tc3(v) => (&v.name, &v.source, check_tc3(v)),
            Vector::HmacSha1(v) => (&v.name, &v.source, check_v1(v, SignatureMethod::HmacSha1)),
            Vector::HmacSha256(v) => (&v.name, &v.source, check_v1(v, SignatureMethod::HmacSha256)),
        };
        let stem = file.file_stem().unwrap().to_string_lossy();
        let result = result.and_then(|()| {
            if source.is_empty() {
                Err("a vector says where it comes from".into())
            } else if **name != *stem {
                Err(format!("name {name:?} differs from the file name"))
            } else {
                Ok(())
            }
        });
        if let Err(why) = result {
            failures.push(format!("{name} ({}): {why}", file.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn published_examples_are_present() {
    let names: Vec<String> = vector_files()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for example in [
        "doc-example-post-2019",
        "doc-example-get-2018",
        "doc-example-v1-hmacsha1",
    ] {
        assert!(names.contains(&example.to_owned()), "{example}");
    }
}

/// The generated set keeps covering what it was made to cover, so a regeneration cannot quietly shrink it.
#[test]
fn the_official_sdk_vectors_cover_every_case() {
    let vectors = all_vectors();
    let count = |pred: &dyn Fn(&Vector) -> bool| vectors.iter().filter(|(_, v)| pred(v)).count();
    let tc3 = |pred: &dyn Fn(&Tc3Vector) -> bool| {
        count(&|v| matches!(v, Vector::Tc3(t) if t.name.starts_with("py-") && pred(t)))
    };
    let clock = |t: &Tc3Vector| t.params.timestamp % 86_400;
    let body_len = |t: &Tc3Vector| body(&t.request).map_or(0, |b| b.len());
    let cases: [(&str, usize, usize); 20] = [
        (
            "from the Python SDK",
            count(&|v| {
                matches!(v, Vector::Tc3(t) if t.name.starts_with("py-"))
                    || matches!(v, Vector::HmacSha1(t) | Vector::HmacSha256(t) if t.name.starts_with("py-"))
            }),
            200,
        ),
        ("POST", tc3(&|t| t.request.method == "POST"), 50),
        ("GET", tc3(&|t| t.request.method == "GET"), 20),
        (
            "content-type;host;x-tc-action",
            tc3(&|t| t.params.signed_headers.ends_with("x-tc-action")),
            30,
        ),
        ("unsigned payload", tc3(&|t| t.request.unsigned_payload), 8),
        ("token", tc3(&|t| t.credentials.token.is_some()), 30),
        ("no region", tc3(&|t| t.params.region.is_none()), 3),
        ("language", tc3(&|t| t.params.language.is_some()), 30),
        (
            "services",
            {
                let mut s: Vec<&str> = vectors
                    .iter()
                    .filter_map(|(_, v)| match v {
                        Vector::Tc3(t) => Some(t.params.service.as_str()),
                        _ => None,
                    })
                    .collect();
                s.sort();
                s.dedup();
                s.len()
            },
            5,
        ),
        ("regional hosts", tc3(&|t| t.params.host.contains(".ap-")), 10),
        (
            "multipart",
            tc3(&|t| t.request.content_type.starts_with("multipart/form-data; boundary=")),
            6,
        ),
        (
            "octet-stream",
            tc3(&|t| t.request.content_type == "application/octet-stream"),
            6,
        ),
        (
            "empty body",
            tc3(&|t| t.request.method == "POST" && body_len(t) == 0),
            3,
        ),
        ("1 MiB body", tc3(&|t| body_len(t) >= 1 << 20), 4),
        (
            "non-ASCII body",
            tc3(&|t| body(&t.request).is_ok_and(|b| !b.is_ascii())),
            6,
        ),
        ("23:59:59 UTC", tc3(&|t| clock(t) == 86_399), 6),
        ("00:00:00 UTC", tc3(&|t| clock(t) == 0), 6),
        ("00:00-08:00 Beijing", tc3(&|t| clock(t) >= 16 * 3600), 10),
        ("HmacSHA1", count(&|v| matches!(v, Vector::HmacSha1(_))), 10),
        ("HmacSHA256", count(&|v| matches!(v, Vector::HmacSha256(_))), 10),
    ];
    for (what, got, least) in cases {
        assert!(got >= least, "{what}: {got} vectors, expected at least {least}");
    }
}
