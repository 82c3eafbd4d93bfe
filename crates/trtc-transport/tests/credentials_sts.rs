//! STS AssumeRole against a loopback fake that verifies the TC3 signature with trtc-sign, as STS does.

mod credentials_support;

use std::sync::Arc;
use std::time::Duration;

use credentials_support::{
    silent_server, sts_credentials, sts_error, unix_now, Fake, Recorded, Reply, SOURCE_SECRET_KEY, SOURCE_TOKEN,
    TMP_SECRET_KEY, TMP_TOKEN,
};
use trtc_sign::{sign, SignableRequest, SignedHeaders, SigningParams, Timestamp};
use trtc_transport::{
    AssumeRoleProvider, Credentials, CredentialsErrorKind, EnvVars, EnvironmentProvider, ErrorCode, ProvideCredentials,
};

const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/trtc-admin";
const SOURCE_ID: &str = "AKIDsource";

fn source() -> Credentials {
    Credentials::new(SOURCE_ID, SOURCE_SECRET_KEY).unwrap()
}

/// Recomputes the signature of `r` with the source key; `Err(why)` as STS would refuse it.
fn verify(r: &Recorded) -> Result<(), String> {
    let authorization = r.header("authorization").ok_or("no Authorization")?;
    let rest = authorization.strip_prefix("TC3-HMAC-SHA256 ").ok_or("not TC3")?;
    let mut parts = rest.split(", ");
    let credential = parts
        .next()
        .and_then(|p| p.strip_prefix("Credential="))
        .ok_or("no Credential")?;
    let signed_headers = parts
        .next()
        .and_then(|p| p.strip_prefix("SignedHeaders="))
        .ok_or("no SignedHeaders")?;
    let signature = parts
        .next()
        .and_then(|p| p.strip_prefix("Signature="))
        .ok_or("no Signature")?;
    let timestamp: u64 = r
        .header("x-tc-timestamp")
        .ok_or("no timestamp")?
        .parse()
        .map_err(|_| "bad timestamp")?;
    if timestamp.abs_diff(unix_now()) > 300 {
        return Err("AuthFailure.SignatureExpire".into());
    }
    let ts = Timestamp::from_secs(timestamp).unwrap();
    if credential != format!("{SOURCE_ID}/{}/sts/tc3_request", ts.date()) {
        return Err(format!("AuthFailure.SecretIdNotFound: scope {credential}"));
    }
    let params = SigningParams::new(
        "sts",
        r.header("host").ok_or("no Host")?,
        r.header("x-tc-action").ok_or("no action")?,
        r.header("x-tc-version").ok_or("no version")?,
        ts,
    )
    .with_signed_headers(SignedHeaders::parse(signed_headers).ok_or("bad SignedHeaders")?);
    let content_type = r.header("content-type").ok_or("no Content-Type")?;
    let expected = sign(&source(), &params, &SignableRequest::post(content_type, &r.body)).unwrap();
    if expected.signature() != signature {
        return Err("AuthFailure.SignatureFailure".into());
    }
    Ok(())
}

/// A fake STS: checks the signature and answers credentials valid for `ttl` seconds.
async fn sts(ttl: u64, delay: Duration) -> Fake {
    Fake::start(move |r| match verify(r) {
        Ok(()) => Reply::ok(sts_credentials("AKIDassumed", ttl)).after(delay),
        Err(code) => Reply::ok(sts_error(code.split(':').next().unwrap(), "signature check failed")),
    })
    .await
}

fn provider(fake: &Fake, source: impl ProvideCredentials) -> AssumeRoleProvider {
    AssumeRoleProvider::builder(source, ROLE_ARN)
        .endpoint(fake.url(""))
        .session_name("room-janitor")
        .build()
        .unwrap()
}

#[tokio::test]
async fn assumes_the_role_with_a_signed_request() {
    let fake = sts(3600, Duration::ZERO).await;
    let creds = provider(&fake, source()).provide_credentials().await.unwrap();
    assert_eq!(creds.secret_id(), "AKIDassumed");
    assert_eq!(creds.secret_key().expose_secret(), TMP_SECRET_KEY);
    assert_eq!(creds.token().unwrap().expose_secret(), TMP_TOKEN);

    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, http::Method::POST);
    assert_eq!(r.path, "/");
    assert_eq!(r.header("x-tc-action"), Some("AssumeRole"));
    assert_eq!(r.header("x-tc-version"), Some("2018-08-13"));
    assert_eq!(r.header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.header("x-tc-token"),
        None,
        "long-term source credentials carry no token"
    );
    assert!(r.header("x-tc-requestclient").unwrap().starts_with("trtc-rs/"));
    assert_eq!(
        r.json(),
        serde_json::json!({"RoleArn": ROLE_ARN, "RoleSessionName": "room-janitor", "DurationSeconds": 7200})
    );
}

#[tokio::test]
async fn temporary_source_credentials_send_their_token() {
    let fake = sts(3600, Duration::ZERO).await;
    let source = source().with_token(SOURCE_TOKEN).unwrap();
    provider(&fake, source).provide_credentials().await.unwrap();
    assert_eq!(fake.requests()[0].header("x-tc-token"), Some(SOURCE_TOKEN));
}

#[tokio::test]
async fn settings_reach_the_request() {
    let fake = sts(3600, Duration::ZERO).await;
    AssumeRoleProvider::builder(source(), ROLE_ARN)
        .endpoint(fake.url(""))
        .region("ap-singapore")
        .duration(Duration::from_secs(900))
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap();
    let r = &fake.requests()[0];
    assert_eq!(r.header("x-tc-region"), Some("ap-singapore"));
    let body = r.json();
    assert_eq!(body["DurationSeconds"], 900);
    let session = body["RoleSessionName"].as_str().unwrap();
    assert!(session.starts_with("trtc-rs-") && session.len() > 10, "{session}");
}

#[tokio::test]
async fn a_refused_signature_keeps_the_sts_error() {
    let fake = sts(3600, Duration::ZERO).await;
    let wrong = Credentials::new(SOURCE_ID, "notTheSourceKey").unwrap();
    let err = provider(&fake, wrong).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::BadResponse);
    let api = err.api_error().expect("the STS error");
    assert_eq!(api.code, ErrorCode::AuthFailureSignatureFailure);
    assert_eq!(api.request_id, "b0a1fd0c-1f1e-4bbd-a7a4-3e2bb8f8a0b1");
    assert!(
        err.message()
            .contains("STS refused AssumeRole: AuthFailure.SignatureFailure"),
        "{err}"
    );
    assert!(err.message().contains("check the RoleArn"), "{err}");
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() {
    let fake = sts(3600, Duration::from_millis(50)).await;
    let provider = Arc::new(provider(&fake, source()));
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let provider = Arc::clone(&provider);
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().secret_id(), "AKIDassumed");
    }
    assert_eq!(fake.requests().len(), 1);
    provider.provide_credentials().await.unwrap();
    assert_eq!(fake.requests().len(), 1, "cached until 300 s before expiry");
}

#[tokio::test]
async fn short_lived_credentials_are_renewed_at_the_next_call() {
    let fake = sts(120, Duration::ZERO).await;
    let provider = provider(&fake, source());
    provider.provide_credentials().await.unwrap();
    provider.provide_credentials().await.unwrap();
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn a_source_without_credentials_is_reported_through() {
    let fake = sts(3600, Duration::ZERO).await;
    let empty_env = EnvironmentProvider::with_env(EnvVars::from_pairs([("HOME", "/root")]));
    let err = provider(&fake, empty_env).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
    assert!(err.message().contains("the source credentials for assuming"), "{err}");
    assert!(
        err.message()
            .contains("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set"),
        "{err}"
    );
    assert!(std::error::Error::source(&err).is_some());
    assert!(fake.requests().is_empty(), "nothing is sent without source credentials");
}

#[tokio::test]
async fn unusable_answers_are_bad_responses_and_never_quote_credentials() {
    // Cut just after the whole TmpSecretKey: a body that holds a secret and still is not JSON.
    let full = sts_credentials("AKIDassumed", 3600);
    let truncated = &full[..full.find(TMP_SECRET_KEY).unwrap() + TMP_SECRET_KEY.len() + 2];
    let cases: Vec<(u16, String, &str)> = vec![
        (
            502,
            "<html><h1>502 Bad Gateway</h1></html>".to_owned(),
            "HTTP 502: the body is not an API 3.0 JSON envelope",
        ),
        (200, truncated.to_owned(), "is not an API 3.0 JSON envelope"),
        (200, r#"{"Other":1}"#.to_owned(), "missing field `Response`"),
        (
            200,
            r#"{"Response":{"RequestId":"x"}}"#.to_owned(),
            "without Credentials.TmpSecretId",
        ),
        (
            200,
            r#"{"Response":{"Credentials":{"TmpSecretId":"a","TmpSecretKey":"b","Token":"c"},"RequestId":"x"}}"#
                .to_owned(),
            "without a numeric ExpiredTime",
        ),
    ];
    for (status, body, needle) in cases {
        let answer = body.clone();
        let fake = Fake::start(move |_| Reply::new(status, answer.clone())).await;
        let err = provider(&fake, source()).provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::BadResponse, "{body}: {err}");
        assert!(err.message().contains(needle), "{body}: {err}");
        credentials_support::assert_no_secret(&credentials_support::render_error(&err));
    }
    // An HTML page is quoted (it helps to see a proxy's error page); JSON never is.
    let fake = Fake::start(|_| Reply::new(502, "<html>Bad Gateway</html>")).await;
    let err = provider(&fake, source()).provide_credentials().await.unwrap_err();
    assert!(err.message().contains("\"<html>Bad Gateway</html>\""), "{err}");
}

#[tokio::test]
async fn a_silent_sts_times_out() {
    let (addr, _server) = silent_server().await;
    let provider = AssumeRoleProvider::builder(source(), ROLE_ARN)
        .endpoint(format!("http://{addr}"))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = tokio::time::timeout(Duration::from_secs(10), provider.provide_credentials())
        .await
        .expect("the provider gives up on its own")
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Unreachable);
    assert!(err.message().contains("gave no answer within 200ms"), "{err}");
}

#[tokio::test]
async fn bad_settings_are_refused_when_building() {
    let build = |f: fn(trtc_transport::AssumeRoleProviderBuilder) -> trtc_transport::AssumeRoleProviderBuilder| {
        f(AssumeRoleProvider::builder(source(), ROLE_ARN)).build().unwrap_err()
    };
    let cases: [(trtc_transport::CredentialsError, &str); 6] = [
        (
            AssumeRoleProvider::builder(source(), "trtc-admin").build().unwrap_err(),
            "is not a role ARN",
        ),
        (build(|b| b.session_name("a")), "must be 2 to 128"),
        (build(|b| b.session_name("has space")), "must be 2 to 128"),
        (build(|b| b.duration(Duration::from_secs(60))), "from 600s to 43200s"),
        (build(|b| b.region("Guangzhou")), "is not a region name"),
        (
            build(|b| b.endpoint("http://sts.tencentcloudapi.com")),
            "plain HTTP to a non-loopback host",
        ),
    ];
    for (err, needle) in cases {
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
        assert!(err.message().contains(needle), "{err}");
    }
}
