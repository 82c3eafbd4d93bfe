//! The CVM role provider against a loopback fake of the metadata service.

mod credentials_support;

use std::sync::Arc;
use std::time::Duration;

use credentials_support::{closed_port, metadata_credentials, silent_server, Fake, Reply, TMP_TOKEN};
use trtc_transport::{CredentialsErrorKind, CvmRoleProvider, ProvideCredentials};

const LIST: &str = "/latest/meta-data/cam/security-credentials/";
const ROLE: &str = "/latest/meta-data/cam/security-credentials/trtc-admin";

/// A metadata service with role `trtc-admin` whose credentials are valid for `ttl` seconds.
async fn metadata(ttl: u64, delay: Duration) -> Fake {
    Fake::start(move |r| match r.path.as_str() {
        LIST => Reply::ok("trtc-admin").after(delay),
        ROLE => Reply::ok(metadata_credentials("AKIDcvm", ttl)).after(delay),
        _ => Reply::new(404, "not found"),
    })
    .await
}

fn provider_for(fake: &Fake) -> CvmRoleProvider {
    CvmRoleProvider::builder().endpoint(fake.url(LIST)).build().unwrap()
}

#[tokio::test]
async fn fetches_role_then_credentials_and_caches_them() {
    let fake = metadata(3600, Duration::ZERO).await;
    let provider = provider_for(&fake);
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.secret_id(), "AKIDcvm");
    assert_eq!(creds.token().unwrap().expose_secret(), TMP_TOKEN);
    for _ in 0..5 {
        provider.provide_credentials().await.unwrap();
    }
    assert_eq!((fake.hits(LIST), fake.hits(ROLE)), (1, 1));
    let first = &fake.requests()[0];
    assert_eq!(first.method, http::Method::GET);
    assert_eq!(first.header("host"), Some(fake.addr.to_string().as_str()));
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() {
    let fake = metadata(3600, Duration::from_millis(50)).await;
    let provider = Arc::new(provider_for(&fake));
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let provider = Arc::clone(&provider);
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().secret_id(), "AKIDcvm");
    }
    assert_eq!((fake.hits(LIST), fake.hits(ROLE)), (1, 1), "64 callers, one refresh");
}

#[tokio::test]
async fn credentials_inside_the_refresh_window_are_fetched_again_but_the_role_name_is_kept() {
    // Valid for 200 s: already within the 300 s renewal window, so each call renews.
    let fake = metadata(200, Duration::ZERO).await;
    let provider = provider_for(&fake);
    for _ in 0..3 {
        provider.provide_credentials().await.unwrap();
    }
    assert_eq!((fake.hits(LIST), fake.hits(ROLE)), (1, 3));
}

#[tokio::test]
async fn a_given_role_name_skips_the_role_list() {
    let fake = metadata(3600, Duration::ZERO).await;
    let provider = CvmRoleProvider::builder()
        .endpoint(fake.url(LIST))
        .role_name("trtc-admin")
        .build()
        .unwrap();
    provider.provide_credentials().await.unwrap();
    assert_eq!((fake.hits(LIST), fake.hits(ROLE)), (0, 1));
}

#[tokio::test]
async fn no_role_bound_is_not_found() {
    let fake = Fake::start(|_| Reply::new(404, "<html>404</html>")).await;
    let err = provider_for(&fake).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
    assert!(err.message().contains("no CAM role is bound to this instance"), "{err}");

    let empty = Fake::start(|_| Reply::ok("")).await;
    let err = provider_for(&empty).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn nothing_listening_is_not_found() {
    let addr = closed_port().await;
    let provider = CvmRoleProvider::builder()
        .endpoint(format!("http://{addr}{LIST}"))
        .build()
        .unwrap();
    let err = provider.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
    assert!(err.message().contains("does not answer"), "{err}");
    assert!(err.message().contains("not a CVM instance"), "{err}");
    // Why the connection failed is the source, printed once after the message.
    let cause = std::error::Error::source(&err).expect("the connection error is the source");
    assert!(!err.message().contains(&cause.to_string()), "{err}");
    credentials_support::assert_each_message_once(&err);
}

#[tokio::test]
async fn a_silent_metadata_service_declines_within_the_timeout() {
    let (addr, _server) = silent_server().await;
    let provider = CvmRoleProvider::builder()
        .endpoint(format!("http://{addr}{LIST}"))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    // The outer timeout only turns a hang into a failure; the provider's own 200 ms is what is tested.
    let err = tokio::time::timeout(Duration::from_secs(10), provider.provide_credentials())
        .await
        .expect("the provider gives up on its own")
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
    assert!(err.message().contains("gave no answer within 200ms"), "{err}");
}

#[tokio::test]
async fn garbage_answers_are_bad_responses() {
    let cases: [(&str, &str, &str); 5] = [
        ("trtc-admin", "<html>Service Unavailable</html>", "are not JSON"),
        (
            "trtc-admin",
            r#"{"Code":"InternalError"}"#,
            "Code \"InternalError\" instead of \"Success\"",
        ),
        (
            "trtc-admin",
            r#"{"TmpSecretId":"AKID","Code":"Success"}"#,
            "without TmpSecretKey",
        ),
        (
            "trtc-admin",
            r#"{"TmpSecretId":"AKID","TmpSecretKey":"k","Token":"t","ExpiredTime":"soon","Code":"Success"}"#,
            "without a numeric ExpiredTime",
        ),
        ("not/a role", "{}", "not a role name"),
    ];
    for (role, body, needle) in cases {
        let fake = Fake::start(move |r| match r.path.as_str() {
            LIST => Reply::ok(role),
            _ => Reply::ok(body),
        })
        .await;
        let err = provider_for(&fake).provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::BadResponse, "{body}: {err}");
        assert!(err.message().contains(needle), "{body}: {err}");
    }
}

#[tokio::test]
async fn a_server_error_on_credentials_is_a_bad_response() {
    let fake = Fake::start(|r| match r.path.as_str() {
        LIST => Reply::ok("trtc-admin"),
        _ => Reply::new(500, "oops"),
    })
    .await;
    let err = provider_for(&fake).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::BadResponse);
    assert!(err.message().contains("HTTP 500"), "{err}");
}

#[tokio::test]
async fn a_vanished_role_is_looked_up_again() {
    let fake = Fake::start(|r| match r.path.as_str() {
        LIST => Reply::ok("trtc-admin"),
        _ => Reply::new(404, ""),
    })
    .await;
    let provider = provider_for(&fake);
    let err = provider.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound, "{err}");
    provider.provide_credentials().await.unwrap_err();
    assert_eq!(
        fake.hits(LIST),
        2,
        "the role name is asked again after a 404 on its credentials"
    );
}

#[tokio::test]
async fn bad_settings_are_refused() {
    for (endpoint, needle) in [
        ("https://metadata.tencentyun.com/", "must be an http:// URL"),
        ("metadata.tencentyun.com", "must be an http:// URL"),
        ("http://exa mple/", "is not a URL"),
    ] {
        let err = CvmRoleProvider::builder().endpoint(endpoint).build().unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
        assert!(err.message().contains(needle), "{endpoint}: {err}");
    }
    let err = CvmRoleProvider::builder().role_name("../admin").build().unwrap_err();
    assert!(err.message().contains("not '/'"), "{err}");
    let err = CvmRoleProvider::builder().timeout(Duration::ZERO).build().unwrap_err();
    assert!(err.message().contains("timeout must be greater than zero"), "{err}");
}
