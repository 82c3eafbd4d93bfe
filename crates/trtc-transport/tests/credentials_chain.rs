//! The default chain (environment, profile, CVM role, OIDC) with every source faked on loopback.

mod credentials_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use credentials_support::{closed_port, metadata_credentials, sts_credentials, Fake, Reply, TempDir};
use trtc_transport::{
    ChainProvider, CredentialsErrorKind, CvmRoleProvider, EnvVars, EnvironmentProvider, OidcRoleProvider,
    ProfileProvider, ProvideCredentials, StaticProvider,
};

const LIST: &str = "/latest/meta-data/cam/security-credentials/";

/// The variables of a test: HOME inside `dir`, plus `extra`.
fn env(dir: &TempDir, extra: &[(&str, String)]) -> EnvVars {
    let mut pairs = vec![("HOME".to_owned(), dir.path().join("home").display().to_string())];
    pairs.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    EnvVars::from_pairs(pairs)
}

/// The default chain on `env`, its system-wide file inside `dir`, the CVM step on `metadata` (or a closed
/// port), and the OIDC step on `sts` (or the default endpoint, never reached without TKE variables).
async fn chain(dir: &TempDir, env: EnvVars, metadata: Option<&Fake>, sts: Option<&Fake>) -> ChainProvider {
    let metadata_url = match metadata {
        Some(fake) => fake.url(LIST),
        None => format!("http://{}{LIST}", closed_port().await),
    };
    let mut builder = ChainProvider::default_builder()
        .env(env.clone())
        .profile(ProfileProvider::with_env(env.clone()).system_path(dir.path().join("etc/credentials")))
        .cvm_role(CvmRoleProvider::builder().endpoint(metadata_url).build().unwrap());
    if let Some(sts) = sts {
        builder = builder.oidc(
            OidcRoleProvider::builder()
                .tke_env(env)
                .endpoint(sts.url(""))
                .build()
                .unwrap(),
        );
    }
    builder.build()
}

fn env_keys() -> Vec<(&'static str, String)> {
    vec![
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv".to_owned()),
        ("TENCENTCLOUD_SECRET_KEY", "envkey".to_owned()),
    ]
}

#[tokio::test]
async fn environment_comes_first() {
    let dir = TempDir::new("chain-env");
    dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id = AKIDfile\nsecret_key = filekey\n",
    );
    let chain = chain(&dir, env(&dir, &env_keys()), None, None).await;
    assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDenv");
}

#[tokio::test]
async fn then_the_profile_file() {
    let dir = TempDir::new("chain-profile");
    dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id = AKIDfile\nsecret_key = filekey\n",
    );
    let chain = chain(&dir, env(&dir, &[]), None, None).await;
    assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDfile");
}

#[tokio::test]
async fn then_the_cvm_role_which_is_kept_once_found() {
    let dir = TempDir::new("chain-cvm");
    let metadata = Fake::start(|r| match r.path.as_str() {
        LIST => Reply::ok("trtc-admin"),
        _ => Reply::ok(metadata_credentials("AKIDcvm", 3600)),
    })
    .await;
    let lookups = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&lookups);
    let home = dir.path().join("home").display().to_string();
    let env = EnvVars::from_fn(move |name| {
        counter.fetch_add(1, Ordering::SeqCst);
        (name == "HOME").then(|| home.clone())
    });
    let chain = chain(&dir, env, Some(&metadata), None).await;
    assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDcvm");
    let after_first = lookups.load(Ordering::SeqCst);
    for _ in 0..3 {
        assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDcvm");
    }
    assert_eq!(
        lookups.load(Ordering::SeqCst),
        after_first,
        "the environment and profile are not asked again"
    );
    assert_eq!(metadata.requests().len(), 2, "one role lookup, one credentials fetch");
}

#[tokio::test]
async fn then_tke_oidc() {
    let dir = TempDir::new("chain-oidc");
    let token = dir.write("token", "jwt");
    let sts = Fake::start(|_| Reply::ok(sts_credentials("AKIDoidc", 3600))).await;
    let no_role = Fake::start(|_| Reply::new(404, "")).await;
    let vars = env(
        &dir,
        &[
            ("TKE_REGION", "ap-guangzhou".to_owned()),
            ("TKE_PROVIDER_ID", "idp".to_owned()),
            ("TKE_WEB_IDENTITY_TOKEN_FILE", token.display().to_string()),
            ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/r".to_owned()),
        ],
    );
    let chain = chain(&dir, vars, Some(&no_role), Some(&sts)).await;
    assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDoidc");
}

#[tokio::test]
async fn nothing_anywhere_lists_each_provider_and_its_reason() {
    let dir = TempDir::new("chain-none");
    let sts = Fake::start(|_| Reply::ok(sts_credentials("AKIDnever", 3600))).await;
    let chain = chain(&dir, env(&dir, &[]), None, Some(&sts)).await;
    let err = chain.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
    assert_eq!(err.provider(), "credentials chain");
    let tried: Vec<&str> = err.tried().iter().map(|e| e.provider()).collect();
    assert_eq!(tried, ["environment", "profile file", "CVM instance role", "TKE OIDC"]);
    assert!(err.tried().iter().all(|e| e.is_not_found()));
    let text = err.to_string();
    assert!(
        text.contains("no credentials found: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY"),
        "{text}"
    );
    for reason in [
        "1. environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set",
        "2. profile file: no credentials file at",
        "3. CVM instance role: the metadata service at http://127.0.0.1:",
        "4. TKE OIDC: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN are not set",
    ] {
        assert!(text.contains(reason), "missing {reason:?} in:\n{text}");
    }
    assert!(sts.requests().is_empty());
}

#[tokio::test]
async fn a_broken_source_stops_the_chain_instead_of_being_skipped() {
    let dir = TempDir::new("chain-broken");
    dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id = AKIDfile\nsecret_key = filekey\n",
    );
    let half = vec![("TENCENTCLOUD_SECRET_ID", "AKIDenv".to_owned())];
    let chain = chain(&dir, env(&dir, &half), None, None).await;
    let err = chain.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(err.provider(), "environment");
}

#[tokio::test]
async fn the_cvm_step_can_be_left_out() {
    let dir = TempDir::new("chain-no-cvm");
    let chain = ChainProvider::default_builder()
        .env(env(&dir, &[]))
        .profile(ProfileProvider::with_env(env(&dir, &[])).system_path(dir.path().join("none")))
        .without_cvm_role()
        .without_oidc()
        .build();
    let err = chain.provide_credentials().await.unwrap_err();
    let tried: Vec<&str> = err.tried().iter().map(|e| e.provider()).collect();
    assert_eq!(tried, ["environment", "profile file"]);
}

#[tokio::test]
async fn a_custom_chain_and_an_empty_one() {
    let chain = ChainProvider::new()
        .push(EnvironmentProvider::with_env(EnvVars::from_pairs([("A", "b")])))
        .push(StaticProvider::new("AKIDstatic", "statickey").unwrap());
    assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDstatic");

    let err = ChainProvider::new().provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
    assert!(err.message().contains("the chain has no providers"), "{err}");
}

#[tokio::test]
async fn a_provider_that_later_finds_nothing_restarts_the_chain() {
    let dir = TempDir::new("chain-restart");
    let file = dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id = AKIDfile\nsecret_key = filekey\n",
    );
    let vars = env(&dir, &[]);
    let chain = ChainProvider::new()
        .push(ProfileProvider::with_env(vars.clone()).system_path(dir.path().join("none")))
        .push(StaticProvider::new("AKIDstatic", "statickey").unwrap());
    assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDfile");
    std::fs::remove_file(file).unwrap();
    assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDstatic");
}

#[tokio::test]
async fn an_unreachable_metadata_service_is_a_decline_not_a_failure() {
    let dir = TempDir::new("chain-unreachable");
    let chain = ChainProvider::default_builder()
        .env(env(&dir, &[]))
        .profile(ProfileProvider::with_env(env(&dir, &[])).system_path(dir.path().join("none")))
        .cvm_role(
            CvmRoleProvider::builder()
                .endpoint(format!("http://{}{LIST}", closed_port().await))
                .connect_timeout(Duration::from_millis(100))
                .build()
                .unwrap(),
        )
        .without_oidc()
        .build();
    let err = tokio::time::timeout(Duration::from_secs(10), chain.provide_credentials())
        .await
        .expect("the chain declines on its own")
        .unwrap_err();
    assert_eq!(err.tried().len(), 3);
    assert!(err.tried()[2].is_not_found());
}
