//! The profile file: locations, the INI format, and an error for every way a file can be wrong.

mod credentials_support;

use credentials_support::TempDir;
use trtc_transport::{CredentialsError, CredentialsErrorKind, EnvVars, ProfileProvider, ProvideCredentials};

const GOOD: &str = "[default]\nsecret_id = AKIDdefault\nsecret_key = defaultkey\n";

/// A provider whose HOME is `home` and whose system-wide file is inside `dir` (so /etc is never read).
fn provider(dir: &TempDir, extra: &[(&str, &str)]) -> ProfileProvider {
    let home = dir.path().join("home");
    let mut pairs = vec![("HOME".to_owned(), home.display().to_string())];
    pairs.extend(extra.iter().map(|&(k, v)| (k.to_owned(), v.to_owned())));
    ProfileProvider::with_env(EnvVars::from_pairs(pairs)).system_path(dir.path().join("etc/credentials"))
}

async fn invalid(provider: ProfileProvider) -> CredentialsError {
    let err = provider.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
    err
}

#[tokio::test]
async fn reads_default_profile_from_home() {
    let dir = TempDir::new("profile-home");
    dir.write("home/.tencentcloud/credentials", GOOD);
    let creds = provider(&dir, &[]).provide_credentials().await.unwrap();
    assert_eq!(creds.secret_id(), "AKIDdefault");
    assert_eq!(creds.secret_key().expose_secret(), "defaultkey");
    assert!(creds.token().is_none());
}

#[tokio::test]
async fn reads_a_named_profile_with_token_comments_quotes_and_crlf() {
    let dir = TempDir::new("profile-named");
    let text = "\u{feff}# written by hand\r\n[default]\r\nsecret_id = AKIDdefault\r\nsecret_key = defaultkey\r\n\r\n\
                ; staging keys\r\n[staging]\r\n  SECRET_ID = \"AKIDstaging\"  \r\nsecret_key: 'stagingkey'\r\n\
                token = stagingtoken\r\nregion = ap-guangzhou\r\n";
    dir.write("home/.tencentcloud/credentials", text);
    let creds = provider(&dir, &[])
        .profile("staging")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.secret_id(), "AKIDstaging");
    assert_eq!(creds.secret_key().expose_secret(), "stagingkey");
    assert_eq!(creds.token().unwrap().expose_secret(), "stagingtoken");
}

#[tokio::test]
async fn the_variable_overrides_home_and_must_point_to_a_file() {
    let dir = TempDir::new("profile-var");
    dir.write("home/.tencentcloud/credentials", GOOD);
    let other = dir.write(
        "elsewhere/creds.ini",
        "[default]\nsecret_id = AKIDother\nsecret_key = otherkey\n",
    );
    let shown = other.display().to_string();
    let creds = provider(&dir, &[("TENCENTCLOUD_CREDENTIALS_FILE", &shown)])
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.secret_id(), "AKIDother");

    let missing = dir.path().join("nope/credentials").display().to_string();
    let err = invalid(provider(&dir, &[("TENCENTCLOUD_CREDENTIALS_FILE", &missing)])).await;
    assert!(err.message().contains(&missing), "{err}");
    assert!(
        err.message()
            .contains("(from TENCENTCLOUD_CREDENTIALS_FILE) does not exist"),
        "{err}"
    );
}

#[tokio::test]
async fn falls_back_to_the_system_file() {
    let dir = TempDir::new("profile-system");
    dir.write(
        "etc/credentials",
        "[default]\nsecret_id = AKIDsystem\nsecret_key = systemkey\n",
    );
    let creds = provider(&dir, &[]).provide_credentials().await.unwrap();
    assert_eq!(creds.secret_id(), "AKIDsystem");
}

#[tokio::test]
async fn no_file_anywhere_is_not_found_and_names_the_places() {
    let dir = TempDir::new("profile-none");
    let err = provider(&dir, &[]).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
    assert!(err.message().contains(".tencentcloud/credentials"), "{err}");
    assert!(err.message().contains("etc/credentials"), "{err}");
    assert!(
        err.message().contains("TENCENTCLOUD_CREDENTIALS_FILE is not set"),
        "{err}"
    );

    let no_home = ProfileProvider::with_env(EnvVars::from_pairs([("USER", "app")]))
        .system_path(dir.path().join("etc/credentials"));
    let err = no_home.provide_credentials().await.unwrap_err();
    assert!(err.message().contains("HOME is not set"), "{err}");
}

#[tokio::test]
async fn a_malformed_line_names_file_line_and_fix_but_not_its_text() {
    let dir = TempDir::new("profile-malformed");
    let path = dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id = AKIDdefault\nsecret_key defaultkeyOnABrokenLine\n",
    );
    let err = invalid(provider(&dir, &[])).await;
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(text.contains("line 3"), "{text}");
    assert!(text.contains("expected a [section], a key = value line"), "{text}");
    assert!(!format!("{text} {err:?}").contains("defaultkeyOnABrokenLine"));
}

#[tokio::test]
async fn a_missing_key_or_profile_says_what_to_add() {
    let dir = TempDir::new("profile-missing");
    dir.write(
        "home/.tencentcloud/credentials",
        "# keys\n[default]\nsecret_id = AKIDdefault\n",
    );
    let err = invalid(provider(&dir, &[])).await;
    assert!(
        err.message()
            .contains("has no secret_key in [default] (line 2): add a line secret_key = ..."),
        "{err}"
    );

    dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id =\nsecret_key = k\n",
    );
    let err = invalid(provider(&dir, &[])).await;
    assert!(err.message().contains("line 2: secret_id is empty"), "{err}");

    dir.write("home/.tencentcloud/credentials", GOOD);
    let err = invalid(provider(&dir, &[]).profile("prod")).await;
    assert!(
        err.message().contains("has no [prod] section (it has [default])"),
        "{err}"
    );

    dir.write("home/.tencentcloud/credentials", "# nothing yet\n");
    let err = invalid(provider(&dir, &[])).await;
    assert!(err.message().contains("(it has no sections)"), "{err}");
}

#[tokio::test]
async fn an_inline_comment_is_refused_rather_than_sent_as_part_of_the_key() {
    let dir = TempDir::new("profile-inline");
    dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id = AKIDdefault\nsecret_key = defaultkey # rotated in May\n",
    );
    let err = invalid(provider(&dir, &[])).await;
    assert!(
        err.message().contains("line 3: secret_key contains whitespace"),
        "{err}"
    );
    assert!(!err.to_string().contains("defaultkey"), "{err}");
}

#[tokio::test]
async fn unreadable_and_non_text_files_are_clear_errors() {
    let dir = TempDir::new("profile-unreadable");
    std::fs::create_dir_all(dir.path().join("home/.tencentcloud/credentials")).unwrap();
    let err = invalid(provider(&dir, &[])).await;
    assert!(
        err.message().contains("is a directory, not a credentials file"),
        "{err}"
    );

    let dir = TempDir::new("profile-binary");
    dir.write("home/.tencentcloud/credentials", b"[default]\nsecret_id = \xff\xfe\n");
    let err = invalid(provider(&dir, &[])).await;
    assert!(err.message().contains("is not UTF-8 text"), "{err}");
}

#[cfg(unix)]
#[tokio::test]
async fn a_file_without_read_permission_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("profile-perm");
    let path = dir.write("home/.tencentcloud/credentials", GOOD);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reads, so there is no failure to observe.
        return;
    }
    let err = invalid(provider(&dir, &[])).await;
    assert!(err.message().contains("cannot read the credentials file"), "{err}");
    assert!(err.message().contains("make it readable by this user"), "{err}");
    let io = std::error::Error::source(&err)
        .and_then(|e| e.downcast_ref::<std::io::Error>())
        .expect("the I/O error is the source");
    assert_eq!(io.kind(), std::io::ErrorKind::PermissionDenied);
    assert!(!err.message().contains(&io.to_string()), "{err}");
    assert!(credentials_support::chain(&err).ends_with(&format!("(and by no one else): {io}")));
}

#[tokio::test]
async fn an_explicit_path_wins_over_everything() {
    let dir = TempDir::new("profile-explicit");
    dir.write("home/.tencentcloud/credentials", GOOD);
    let file = dir.write("mine.ini", "[default]\nsecret_id = AKIDmine\nsecret_key = minekey\n");
    let creds = provider(&dir, &[("TENCENTCLOUD_CREDENTIALS_FILE", "/nonexistent")])
        .path(&file)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.secret_id(), "AKIDmine");
    let err = invalid(provider(&dir, &[]).path(dir.path().join("absent.ini"))).await;
    assert!(
        err.message().contains("absent.ini does not exist: fix the path"),
        "{err}"
    );
}
