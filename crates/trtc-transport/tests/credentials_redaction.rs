//! No secret in any output: every provider (before and after it has fetched) and every error, formatted with
//! `{:?}` and `{}` down its source chain, is searched for the secrets the test handed out.

mod credentials_support;

use std::time::Duration;

use credentials_support::{
    assert_each_message_once, assert_no_secret, metadata_credentials, render_error, sts_credentials, sts_error, Fake,
    Reply, TempDir, SOURCE_SECRET_KEY, SOURCE_TOKEN, TMP_SECRET_KEY, WEB_IDENTITY_TOKEN,
};
use trtc_transport::{
    AssumeRoleProvider, ChainProvider, Credentials, CredentialsError, CvmRoleProvider, EnvVars, EnvironmentProvider,
    OidcRoleProvider, ProfileProvider, ProvideCredentials, StaticProvider,
};

const LIST: &str = "/latest/meta-data/cam/security-credentials/";
const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/trtc-admin";

fn source() -> Credentials {
    Credentials::new("AKIDsource", SOURCE_SECRET_KEY)
        .unwrap()
        .with_token(SOURCE_TOKEN)
        .unwrap()
}

fn check_error(err: &CredentialsError) {
    assert_no_secret(&render_error(err));
    assert_each_message_once(err);
}

#[tokio::test]
async fn providers_never_show_secrets_before_or_after_fetching() {
    let dir = TempDir::new("redaction-providers");
    let profile_file = dir.write(
        "credentials",
        format!("[default]\nsecret_id = AKIDfile\nsecret_key = {SOURCE_SECRET_KEY}\ntoken = {SOURCE_TOKEN}\n"),
    );
    let token_file = dir.write("token", WEB_IDENTITY_TOKEN);
    let metadata = Fake::start(|r| match r.path.as_str() {
        LIST => Reply::ok("trtc-admin"),
        _ => Reply::ok(metadata_credentials("AKIDcvm", 3600)),
    })
    .await;
    let sts = Fake::start(|_| Reply::ok(sts_credentials("AKIDsts", 3600))).await;
    let secret_env = EnvVars::from_pairs([
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", SOURCE_SECRET_KEY),
        ("TENCENTCLOUD_SESSION_TOKEN", SOURCE_TOKEN),
    ]);
    let tke_env = EnvVars::from_pairs([
        ("TKE_REGION", "ap-guangzhou".to_owned()),
        ("TKE_PROVIDER_ID", "idp".to_owned()),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token_file.display().to_string()),
        ("TKE_ROLE_ARN", ROLE_ARN.to_owned()),
    ]);

    let assume_builder = AssumeRoleProvider::builder(source(), ROLE_ARN).endpoint(sts.url(""));
    let oidc_builder = OidcRoleProvider::builder()
        .region("ap-guangzhou")
        .provider_id("idp")
        .role_arn(ROLE_ARN)
        .web_identity_token(WEB_IDENTITY_TOKEN)
        .endpoint(sts.url(""));
    assert_no_secret(&format!("{assume_builder:?} {oidc_builder:?} {secret_env:?}"));

    let providers: Vec<Box<dyn ProvideCredentials>> = vec![
        Box::new(source()),
        Box::new(StaticProvider::from(source())),
        Box::new(EnvironmentProvider::with_env(secret_env.clone())),
        Box::new(ProfileProvider::new().path(&profile_file)),
        Box::new(CvmRoleProvider::builder().endpoint(metadata.url(LIST)).build().unwrap()),
        Box::new(assume_builder.build().unwrap()),
        Box::new(oidc_builder.build().unwrap()),
        Box::new(
            OidcRoleProvider::builder()
                .tke_env(tke_env)
                .endpoint(sts.url(""))
                .build()
                .unwrap(),
        ),
    ];
    for provider in &providers {
        assert_no_secret(&format!("{provider:?}"));
        let creds = provider.provide_credentials().await.unwrap();
        assert_no_secret(&format!("{creds:?}"));
        assert_no_secret(&format!("{provider:?} {provider:#?}"));
    }
    let chain = providers
        .into_iter()
        .fold(ChainProvider::new(), |chain, p| chain.push(p));
    chain.provide_credentials().await.unwrap();
    assert_no_secret(&format!("{chain:?}"));
    let default_chain = ChainProvider::default_builder()
        .env(secret_env)
        .without_cvm_role()
        .build();
    default_chain.provide_credentials().await.unwrap();
    assert_no_secret(&format!("{default_chain:?}"));

    // The secrets did travel where they belong: to STS, and nowhere in the clear otherwise.
    let sent: Vec<String> = sts
        .requests()
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert!(sent.iter().any(|b| b.contains(WEB_IDENTITY_TOKEN)));
    assert!(sts
        .requests()
        .iter()
        .any(|r| r.header("x-tc-token") == Some(SOURCE_TOKEN)));
}

#[tokio::test]
async fn errors_never_show_secrets() {
    let mut errors: Vec<CredentialsError> = Vec::new();

    // Environment: a key with a copied newline; a stray token.
    for pairs in [
        vec![
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv".to_owned()),
            ("TENCENTCLOUD_SECRET_KEY", format!("{SOURCE_SECRET_KEY}\n")),
        ],
        vec![("TENCENTCLOUD_TOKEN", SOURCE_TOKEN.to_owned())],
        vec![("TENCENTCLOUD_SECRET_KEY", SOURCE_SECRET_KEY.to_owned())],
        vec![
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv".to_owned()),
            ("TENCENTCLOUD_SECRET_KEY", "k".to_owned()),
            ("TENCENTCLOUD_SESSION_TOKEN", format!("{SOURCE_TOKEN}\r\n")),
        ],
    ] {
        errors.push(
            EnvironmentProvider::with_env(EnvVars::from_pairs(pairs))
                .provide_credentials()
                .await
                .unwrap_err(),
        );
    }

    // Profile: secrets on malformed lines, after an inline comment, duplicated, with a bad character.
    let dir = TempDir::new("redaction-errors");
    for (i, text) in [
        format!("[default]\nsecret_id = AKIDfile\nsecret_key {SOURCE_SECRET_KEY}\n"),
        format!("[default]\nsecret_id = AKIDfile\nsecret_key = {SOURCE_SECRET_KEY} # old\n"),
        format!("[default]\nsecret_key = {SOURCE_SECRET_KEY}\nsecret_key = {SOURCE_SECRET_KEY}\n"),
        format!("secret_key = {SOURCE_SECRET_KEY}\n"),
        format!("[default]\nsecret_id = AKIDfile\nsecret_key = {SOURCE_SECRET_KEY}\u{7}\n"),
        format!("[default]\nsecret_id = AKIDfile\nsecret_key = {SOURCE_SECRET_KEY}\ntoken = {SOURCE_TOKEN}é\n"),
        format!("[{SOURCE_SECRET_KEY}\n"),
    ]
    .iter()
    .enumerate()
    {
        let file = dir.write(&format!("credentials-{i}"), text);
        errors.push(
            ProfileProvider::new()
                .path(file)
                .provide_credentials()
                .await
                .unwrap_err(),
        );
    }

    // CVM: answers that hold secrets but are not usable credentials.
    let full = metadata_credentials("AKIDcvm", 3600);
    let cut = full[..full.find(TMP_SECRET_KEY).unwrap() + TMP_SECRET_KEY.len() + 2].to_owned();
    let failure = full.replace("\"Success\"", "\"Failure\"");
    let no_expiry = full.replace("ExpiredTime", "Expires");
    for body in [cut.clone(), failure, no_expiry] {
        let metadata = Fake::start(move |r| match r.path.as_str() {
            LIST => Reply::ok("trtc-admin"),
            _ => Reply::ok(body.clone()),
        })
        .await;
        let provider = CvmRoleProvider::builder().endpoint(metadata.url(LIST)).build().unwrap();
        errors.push(provider.provide_credentials().await.unwrap_err());
    }

    // STS and OIDC: truncated credentials, an error envelope, a timeout; signed with the source secret, or
    // sending the web identity token.
    let full = sts_credentials("AKIDsts", 3600);
    let cut = full[..full.find(TMP_SECRET_KEY).unwrap() + TMP_SECRET_KEY.len() + 2].to_owned();
    for reply in [
        Reply::ok(cut),
        Reply::new(400, full.replace("ExpiredTime", "Expires")),
        Reply::ok(sts_error(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated.",
        )),
        Reply::ok("{}").after(Duration::from_secs(30)),
    ] {
        let (status, body, delay) = (reply.status, reply.body, reply.delay);
        let sts = Fake::start(move |_| Reply::new(status, body.clone()).after(delay)).await;
        let assume = AssumeRoleProvider::builder(source(), ROLE_ARN)
            .endpoint(sts.url(""))
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        errors.push(assume.provide_credentials().await.unwrap_err());
        let oidc = OidcRoleProvider::builder()
            .region("ap-guangzhou")
            .provider_id("idp")
            .role_arn(ROLE_ARN)
            .web_identity_token(WEB_IDENTITY_TOKEN)
            .endpoint(sts.url(""))
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        errors.push(oidc.provide_credentials().await.unwrap_err());
    }

    // Static values the signer refuses.
    errors.push(StaticProvider::new("AKIDs", format!(" {SOURCE_SECRET_KEY}")).unwrap_err());
    errors.push(
        StaticProvider::new("AKIDs", "k")
            .unwrap()
            .with_token(format!("{SOURCE_TOKEN}\n"))
            .unwrap_err(),
    );

    // A chain that collects several of the above.
    let chain = ChainProvider::new()
        .push(EnvironmentProvider::with_env(EnvVars::from_pairs([(
            "TENCENTCLOUD_SECRET_ID",
            "",
        )])))
        .push(ProfileProvider::new().path(dir.write(
            "c",
            format!("[default]\nsecret_id = A\nsecret_key {SOURCE_SECRET_KEY}\n"),
        )));
    errors.push(chain.provide_credentials().await.unwrap_err());

    assert_eq!(errors.len(), 25);
    for err in &errors {
        check_error(err);
    }
}
