//! The environment provider, with the variables injected (tests never touch the process environment).

mod credentials_support;

use std::error::Error as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use trtc_transport::{CredentialsErrorKind, EnvVars, EnvironmentProvider, ProvideCredentials};

async fn provide(pairs: &[(&str, &str)]) -> Result<trtc_transport::Credentials, trtc_transport::CredentialsError> {
    let env = EnvVars::from_pairs(pairs.iter().map(|&(k, v)| (k, v)));
    EnvironmentProvider::with_env(env).provide_credentials().await
}

#[tokio::test]
async fn reads_the_key_pair() {
    let creds = provide(&[
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", "envkey"),
    ])
    .await
    .unwrap();
    assert_eq!(creds.secret_id(), "AKIDenv");
    assert_eq!(creds.secret_key().expose_secret(), "envkey");
    assert!(creds.token().is_none());
}

#[tokio::test]
async fn session_token_is_preferred_and_token_is_the_fallback() {
    let both = provide(&[
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", "envkey"),
        ("TENCENTCLOUD_SESSION_TOKEN", "session-token"),
        ("TENCENTCLOUD_TOKEN", "tccli-token"),
    ])
    .await
    .unwrap();
    assert_eq!(both.token().unwrap().expose_secret(), "session-token");
    let tccli = provide(&[
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", "envkey"),
        ("TENCENTCLOUD_TOKEN", "tccli-token"),
    ])
    .await
    .unwrap();
    assert_eq!(tccli.token().unwrap().expose_secret(), "tccli-token");
}

#[tokio::test]
async fn nothing_set_is_not_found() {
    let err = provide(&[("HOME", "/root")]).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
    assert_eq!(
        err.to_string(),
        "environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set"
    );
}

#[tokio::test]
async fn empty_values_count_as_unset() {
    let err = provide(&[("TENCENTCLOUD_SECRET_ID", ""), ("TENCENTCLOUD_SECRET_KEY", "")])
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn half_a_pair_is_invalid_and_names_the_missing_variable() {
    let err = provide(&[("TENCENTCLOUD_SECRET_ID", "AKIDenv")]).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert!(err.message().starts_with("TENCENTCLOUD_SECRET_KEY is not set"), "{err}");

    let err = provide(&[("TENCENTCLOUD_SECRET_KEY", "envkey")]).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert!(err.message().starts_with("TENCENTCLOUD_SECRET_ID is not set"), "{err}");
    assert!(!err.to_string().contains("envkey"));
}

#[tokio::test]
async fn a_token_without_a_pair_is_invalid() {
    let err = provide(&[("TENCENTCLOUD_TOKEN", "stray-token")]).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert!(err.message().contains("TENCENTCLOUD_TOKEN is set but"), "{err}");
    assert!(!err.to_string().contains("stray-token"));
}

#[tokio::test]
async fn a_copied_newline_names_the_variable_not_the_value() {
    let err = provide(&[
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", "envkeyWithNewline\n"),
    ])
    .await
    .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert!(err.message().contains("TENCENTCLOUD_SECRET_KEY is unusable"), "{err}");
    // What is wrong with the value, and the fix, is the signer's error: the source, printed once below.
    let signer = err
        .source()
        .and_then(|e| e.downcast_ref::<trtc_sign::SignError>())
        .expect("the signer's error is the source");
    assert_eq!(signer, &trtc_sign::SignError::Whitespace { field: "SecretKey" });
    let chain = credentials_support::chain(&err);
    assert!(chain.contains("TENCENTCLOUD_SECRET_KEY is unusable"), "{chain}");
    assert!(chain.contains("whitespace: remove it"), "{chain}");
    assert!(!err.message().contains("whitespace"), "{err}");
    credentials_support::assert_each_message_once(&err);
    assert!(!format!("{chain} {err:?}").contains("envkeyWithNewline"));

    let err = provide(&[
        ("TENCENTCLOUD_SECRET_ID", " AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", "envkey"),
    ])
    .await
    .unwrap_err();
    assert!(err.to_string().contains("TENCENTCLOUD_SECRET_ID is unusable"), "{err}");
    assert!(credentials_support::chain(&err).contains("SecretId has leading or trailing whitespace"));

    let err = provide(&[
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", "envkey"),
        ("TENCENTCLOUD_SESSION_TOKEN", "tok\r\nX-Injected: 1"),
    ])
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("TENCENTCLOUD_SESSION_TOKEN is unusable"),
        "{err}"
    );
    assert!(err.source().is_some());
    assert!(!credentials_support::chain(&err).contains("X-Injected"));
}

#[tokio::test]
async fn reads_at_every_call_through_the_lookup_function() {
    let lookups = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&lookups);
    let env = EnvVars::from_fn(move |name| {
        counter.fetch_add(1, Ordering::SeqCst);
        match name {
            "TENCENTCLOUD_SECRET_ID" => Some("AKIDfn".to_owned()),
            "TENCENTCLOUD_SECRET_KEY" => Some("fnkey".to_owned()),
            _ => None,
        }
    });
    let provider = EnvironmentProvider::with_env(env);
    assert_eq!(provider.provide_credentials().await.unwrap().secret_id(), "AKIDfn");
    let after_one = lookups.load(Ordering::SeqCst);
    provider.provide_credentials().await.unwrap();
    assert_eq!(lookups.load(Ordering::SeqCst), after_one * 2);
    assert!(!format!("{provider:?}").contains("fnkey"));
}
