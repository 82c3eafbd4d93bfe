//! TKE OIDC (AssumeRoleWithWebIdentity) against a loopback fake STS.

mod credentials_support;

use std::sync::Arc;
use std::time::Duration;

use credentials_support::{sts_credentials, sts_error, Fake, Reply, TempDir, TMP_TOKEN, WEB_IDENTITY_TOKEN};
use trtc_transport::{CredentialsErrorKind, EnvVars, ErrorCode, OidcRoleProvider, ProvideCredentials};

const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/tke-trtc";

/// A fake STS that answers AssumeRoleWithWebIdentity (unsigned) with credentials valid for `ttl` seconds.
async fn sts(ttl: u64) -> Fake {
    Fake::start(move |r| {
        if r.header("authorization") != Some("SKIP") || r.header("x-tc-action") != Some("AssumeRoleWithWebIdentity") {
            return Reply::ok(sts_error(
                "AuthFailure.InvalidAuthorization",
                "unexpected authorization",
            ));
        }
        Reply::ok(sts_credentials("AKIDoidc", ttl))
    })
    .await
}

fn tke_env(dir: &TempDir, token: &str) -> EnvVars {
    let file = dir.write("token", token);
    EnvVars::from_pairs([
        ("TKE_REGION", "ap-shanghai".to_owned()),
        ("TKE_PROVIDER_ID", "tke-oidc-provider".to_owned()),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", file.display().to_string()),
        ("TKE_ROLE_ARN", ROLE_ARN.to_owned()),
    ])
}

fn provider(fake: &Fake, env: EnvVars) -> OidcRoleProvider {
    OidcRoleProvider::builder()
        .tke_env(env)
        .endpoint(fake.url(""))
        .build()
        .unwrap()
}

#[tokio::test]
async fn exchanges_the_token_from_the_tke_variables() {
    let fake = sts(3600).await;
    let dir = TempDir::new("oidc");
    let creds = provider(&fake, tke_env(&dir, &format!("{WEB_IDENTITY_TOKEN}\n")))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.secret_id(), "AKIDoidc");
    assert_eq!(creds.token().unwrap().expose_secret(), TMP_TOKEN);

    let r = &fake.requests()[0];
    assert_eq!(r.method, http::Method::POST);
    assert_eq!(r.header("authorization"), Some("SKIP"));
    assert_eq!(r.header("x-tc-action"), Some("AssumeRoleWithWebIdentity"));
    assert_eq!(r.header("x-tc-version"), Some("2018-08-13"));
    assert_eq!(r.header("x-tc-region"), Some("ap-shanghai"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.header("x-tc-timestamp").unwrap().parse::<u64>().is_ok());
    assert_eq!(r.header("x-tc-token"), None);
    let body = r.json();
    assert_eq!(body["ProviderId"], "tke-oidc-provider");
    assert_eq!(
        body["WebIdentityToken"], WEB_IDENTITY_TOKEN,
        "the token file's trailing newline is not sent"
    );
    assert_eq!(body["RoleArn"], ROLE_ARN);
    assert_eq!(body["DurationSeconds"], 7200);
    assert!(body["RoleSessionName"].as_str().unwrap().starts_with("trtc-rs-"));
}

#[tokio::test]
async fn the_token_file_is_read_again_at_each_renewal() {
    let fake = sts(120).await; // inside the renewal window: every call renews
    let dir = TempDir::new("oidc-rotate");
    let provider = provider(&fake, tke_env(&dir, "first-token"));
    provider.provide_credentials().await.unwrap();
    dir.write("token", "second-token");
    provider.provide_credentials().await.unwrap();
    let sent: Vec<String> = fake
        .requests()
        .iter()
        .map(|r| r.json()["WebIdentityToken"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sent, ["first-token", "second-token"]);
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() {
    let fake = sts(3600).await;
    let dir = TempDir::new("oidc-concurrent");
    let provider = Arc::new(provider(&fake, tke_env(&dir, "tok")));
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let provider = Arc::clone(&provider);
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn no_tke_variables_is_not_found_and_some_is_invalid() {
    let fake = sts(3600).await;
    let err = provider(&fake, EnvVars::from_pairs([("HOME", "/root")]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
    assert!(
        err.message()
            .contains("TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN are not set"),
        "{err}"
    );

    let partial = EnvVars::from_pairs([("TKE_REGION", "ap-shanghai"), ("TKE_ROLE_ARN", ROLE_ARN)]);
    let err = provider(&fake, partial).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert!(
        err.message()
            .starts_with("TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE not set"),
        "{err}"
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn an_unreadable_or_empty_token_file_is_invalid() {
    let fake = sts(3600).await;
    let env = EnvVars::from_pairs([
        ("TKE_REGION", "ap-shanghai"),
        ("TKE_PROVIDER_ID", "p"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token"),
        ("TKE_ROLE_ARN", ROLE_ARN),
    ]);
    let err = provider(&fake, env).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert!(
        err.message()
            .contains("cannot read the web identity token file /nonexistent/token (from TKE_WEB_IDENTITY_TOKEN_FILE)"),
        "{err}"
    );
    let io = std::error::Error::source(&err)
        .and_then(|e| e.downcast_ref::<std::io::Error>())
        .expect("the I/O error is the source");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    assert!(
        credentials_support::chain(&err).ends_with(&format!("check the path and its permissions: {io}")),
        "{err}"
    );

    let dir = TempDir::new("oidc-empty");
    let err = provider(&fake, tke_env(&dir, "\n"))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.message().contains("is empty"), "{err}");
}

#[tokio::test]
async fn a_bad_role_arn_in_the_environment_is_invalid() {
    let fake = sts(3600).await;
    let dir = TempDir::new("oidc-arn");
    let file = dir.write("token", "tok");
    let env = EnvVars::from_pairs([
        ("TKE_REGION", "ap-shanghai".to_owned()),
        ("TKE_PROVIDER_ID", "p".to_owned()),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", file.display().to_string()),
        ("TKE_ROLE_ARN", "tke-trtc".to_owned()),
    ]);
    let err = provider(&fake, env).provide_credentials().await.unwrap_err();
    assert!(
        err.message().contains("TKE_ROLE_ARN \"tke-trtc\" is not a role ARN"),
        "{err}"
    );
}

#[tokio::test]
async fn explicit_settings_and_a_token_value() {
    let fake = sts(3600).await;
    let provider = OidcRoleProvider::builder()
        .region("ap-beijing")
        .provider_id("my-idp")
        .role_arn(ROLE_ARN)
        .web_identity_token(WEB_IDENTITY_TOKEN)
        .session_name("pod-7")
        .duration(Duration::from_secs(3600))
        .endpoint(fake.url(""))
        .build()
        .unwrap();
    provider.provide_credentials().await.unwrap();
    let r = &fake.requests()[0];
    assert_eq!(r.header("x-tc-region"), Some("ap-beijing"));
    let body = r.json();
    assert_eq!(body["ProviderId"], "my-idp");
    assert_eq!(body["RoleSessionName"], "pod-7");
    assert_eq!(body["DurationSeconds"], 3600);

    let err = OidcRoleProvider::builder().region("ap-beijing").build().unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert!(
        err.message()
            .starts_with("provider_id, role_arn, web_identity_token_file not set"),
        "{err}"
    );
}

#[tokio::test]
async fn an_sts_error_is_kept() {
    let fake = Fake::start(|_| Reply::ok(sts_error("InvalidParameter.WebIdentityTokenError", "token expired"))).await;
    let dir = TempDir::new("oidc-error");
    let err = provider(&fake, tke_env(&dir, "tok"))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::BadResponse);
    let api = err.api_error().unwrap();
    assert_eq!(api.code, ErrorCode::parse("InvalidParameter.WebIdentityTokenError"));
    assert_eq!(api.message, "token expired");
    assert!(err.message().contains("web identity token is current"), "{err}");
}
