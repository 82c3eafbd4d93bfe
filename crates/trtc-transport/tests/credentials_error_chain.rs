//! Each credentials error, rendered as a reporter that walks `source()` renders it (anyhow's `{:#}`, the CLI),
//! says each thing once: its own message in `Display`, the cause only below it, and no secret anywhere.

mod credentials_support;

use std::time::Duration;

use credentials_support::{
    assert_each_message_once, assert_no_secret, chain, closed_port, messages, render_error, TempDir, SOURCE_SECRET_KEY,
    SOURCE_TOKEN,
};
use trtc_transport::{
    AssumeRoleProvider, ChainProvider, Credentials, CredentialsError, CredentialsErrorKind, CvmRoleProvider, EnvVars,
    Error, OidcRoleProvider, ProfileProvider, ProvideCredentials,
};

const LIST: &str = "/latest/meta-data/cam/security-credentials/";
const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/trtc-admin";

fn source() -> Credentials {
    Credentials::new("AKIDsource", SOURCE_SECRET_KEY)
        .unwrap()
        .with_token(SOURCE_TOKEN)
        .unwrap()
}

/// Checks `err` alone and as the client returns it (`Error::Credentials`), and returns the rendered chain.
fn check(err: CredentialsError) -> String {
    assert_each_message_once(&err);
    assert_no_secret(&render_error(&err));
    let rendered = chain(&err);
    let client = Error::Credentials(err);
    assert_each_message_once(&client);
    assert_no_secret(&render_error(&client));
    assert_eq!(chain(&client), format!("no credentials: {rendered}"));
    rendered
}

#[tokio::test]
async fn a_profile_file_that_cannot_be_read() {
    let dir = TempDir::new("chain-unreadable");
    // A path through a regular file fails with ENOTDIR even for root, for whom permissions stop nothing.
    let blocker = dir.write("not-a-dir", "x");
    let path = blocker.join("credentials");
    let err = ProfileProvider::new()
        .path(&path)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    let io = std::error::Error::source(&err)
        .and_then(|e| e.downcast_ref::<std::io::Error>())
        .expect("the I/O error is the source")
        .to_string();
    assert_eq!(
        err.message(),
        format!(
            "cannot read the credentials file {}: check the path and the file",
            path.display()
        )
    );
    assert!(!err.message().contains(&io), "{err}");
    let rendered = check(err);
    assert!(
        rendered.ends_with(&format!("check the path and the file: {io}")),
        "{rendered}"
    );
}

#[tokio::test]
async fn sts_unreachable() {
    let addr = closed_port().await;
    let provider = AssumeRoleProvider::builder(source(), ROLE_ARN)
        .endpoint(format!("http://{addr}"))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = provider.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Unreachable);
    assert!(
        err.message().starts_with(&format!("cannot reach STS at http://{addr}")),
        "{err}"
    );
    let links = messages(&err);
    assert!(
        links.len() >= 3,
        "the transport error and its cause are below: {links:?}"
    );
    assert!(
        std::error::Error::source(&err)
            .and_then(|e| e.downcast_ref::<trtc_transport::TransportError>())
            .is_some(),
        "{links:?}"
    );
    check(err);
}

#[tokio::test]
async fn a_chain_whose_providers_all_decline() {
    let dir = TempDir::new("chain-all-fail");
    let vars = EnvVars::from_pairs([("HOME", dir.path().join("home").display().to_string())]);
    let cvm = CvmRoleProvider::builder()
        .endpoint(format!("http://{}{LIST}", closed_port().await))
        .connect_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    // A role whose source has nothing declines too, with the source's own chain as its cause.
    let no_home = EnvVars::from_pairs([("PATH", "/usr/bin")]);
    let inner = ChainProvider::new()
        .push(ProfileProvider::with_env(no_home.clone()).system_path(dir.path().join("other")))
        .push(OidcRoleProvider::builder().tke_env(no_home).build().unwrap());
    let assume = AssumeRoleProvider::builder(inner, ROLE_ARN).build().unwrap();
    let outer = ChainProvider::default_builder()
        .env(vars.clone())
        .profile(ProfileProvider::with_env(vars).system_path(dir.path().join("none")))
        .cvm_role(cvm)
        .without_oidc()
        .build()
        .push(assume);
    let err = tokio::time::timeout(Duration::from_secs(10), outer.provide_credentials())
        .await
        .expect("the chain declines on its own")
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
    assert_eq!(err.tried().len(), 4);
    assert!(
        std::error::Error::source(&err).is_none(),
        "the tried list is in Display"
    );
    let cvm = &err.tried()[2];
    assert!(std::error::Error::source(cvm).is_some(), "{cvm}");
    let text = err.to_string();
    // The providers' causes are reachable through no source() of the chain: Display shows each, once.
    assert!(
        text.contains(&format!("\n  3. {}", chain(cvm))),
        "the CVM step with its cause on its own line:\n{text}"
    );
    assert!(
        text.contains(&format!(
            "\n  4. STS AssumeRole: the source credentials for assuming {ROLE_ARN} are unavailable: credentials chain: "
        )),
        "{text}"
    );
    assert!(
        text.contains("\n    1. profile file: no credentials file at ")
            && text.contains("\n    2. TKE OIDC: TKE_REGION, TKE_PROVIDER_ID"),
        "the nested chain's list is indented under its line:\n{text}"
    );
    check(err);
}
