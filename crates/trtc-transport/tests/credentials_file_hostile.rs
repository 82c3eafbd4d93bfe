//! The credentials file reader over generated files: lines of every kind (sections, keys, values with
//! quotes, whitespace, control and non-ASCII characters, comments, garbage) joined with LF or CRLF, and raw
//! bytes. It never panics; what it accepts is a usable key pair taken from the file; what it refuses is an
//! error naming the file, which never repeats a secret value.
//!
//! The proptest version of the `credentials_file` fuzz target (`fuzz/`), run with the tests.

mod credentials_support;

use std::path::Path;

use credentials_support::TempDir;
use proptest::prelude::*;
use trtc_transport::{ProfileProvider, ProvideCredentials};

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("secret_id".to_owned()),
        Just("secret_key".to_owned()),
        Just("token".to_owned()),
        Just("SECRET_KEY".to_owned()),
        Just("region".to_owned()),
        "[a-z_.-]{1,12}",
        "[ -~]{0,12}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        // Secret-looking values: the ones no error may repeat.
        "[A-Z][a-z][0-9][A-Za-z0-9]{6,30}",
        "AKID[A-Za-z0-9]{4,30}",
        Just(String::new()),
        "\"[ -~]{0,20}\"",
        "'[ -~]{0,20}'",
        "[ -~]{0,30}",
        ".{0,20}",
        "[A-Za-z0-9]{4,12}[ \t#;][ -~]{0,12}",
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (key(), "[ \t]{0,2}[=:][ \t]{0,2}", value()).prop_map(|(k, sep, v)| format!("{k}{sep}{v}")),
        2 => prop_oneof![Just("default".to_owned()), Just("prod".to_owned()), "[ -~]{0,10}"]
            .prop_map(|name| format!("[{name}]")),
        1 => "[#;][ -~]{0,30}",
        1 => Just(String::new()),
        1 => "[ -~]{0,30}",
        1 => ".{0,30}",
    ]
}

fn file() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => (
            prop::collection::vec(line(), 0..12),
            prop_oneof![Just("\n"), Just("\r\n")],
            any::<bool>(),
        )
            .prop_map(|(lines, newline, bom)| {
                let text = lines.join(newline);
                match bom {
                    true => format!("\u{feff}{text}").into_bytes(),
                    false => text.into_bytes(),
                }
            }),
        1 => prop::collection::vec(any::<u8>(), 0..256),
    ]
}

/// Values of `secret_key` and `token` lines that look like secrets (letters and digits, mixed case, a
/// digit, at least 8 long) and appear once in the file.
fn secret_values(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(['=', ':'])?;
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim().trim_matches(['"', '\'']);
            let looks_secret = value.len() >= 8
                && value.bytes().all(|b| b.is_ascii_alphanumeric())
                && value.bytes().any(|b| b.is_ascii_digit())
                && value.bytes().any(|b| b.is_ascii_uppercase())
                && value.bytes().any(|b| b.is_ascii_lowercase());
            ((key == "secret_key" || key == "token") && looks_secret && text.matches(value).count() == 1)
                .then(|| value.to_owned())
        })
        .collect()
}

fn check(path: &Path, bytes: &[u8], profile: &str) -> Result<(), TestCaseError> {
    std::fs::write(path, bytes).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let result = runtime.block_on(ProfileProvider::new().path(path).profile(profile).provide_credentials());
    let text = String::from_utf8_lossy(bytes);
    match result {
        Ok(credentials) => {
            prop_assert!(!credentials.secret_id().is_empty());
            let key = credentials.secret_key().expose_secret();
            prop_assert!(
                !key.is_empty() && text.contains(key),
                "a SecretKey not taken from the file"
            );
            prop_assert!(!key.chars().any(char::is_whitespace));
        }
        Err(error) => {
            let shown = format!("{error} {error:?}");
            prop_assert!(
                shown.contains(&path.display().to_string()),
                "the error names the file: {}",
                shown
            );
            for secret in secret_values(&text) {
                prop_assert!(!shown.contains(&secret), "{:?} repeated in: {}", secret, shown);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn any_file_is_read_or_refused_clearly_never_echoing_a_secret(
        bytes in file(),
        profile in prop_oneof![Just("default"), Just("prod")],
    ) {
        let dir = TempDir::new("hostile-profile");
        check(&dir.path().join("credentials"), &bytes, profile)?;
    }
}

#[test]
fn a_secret_on_a_malformed_line_is_never_repeated() {
    let dir = TempDir::new("hostile-profile-fixed");
    let path = dir.path().join("credentials");
    for text in [
        "[default]\nsecret_id = AKIDx\nsecret_key = Abc123SecretValue # my key\n",
        "[default]\nsecret_id = AKIDx\nsecret_key Abc123SecretValue\n",
        "secret_key = Abc123SecretValue\n[default]\n",
        "[default\nsecret_key = Abc123SecretValue\n",
        "[default]\nsecret_id = AKIDx\nsecret_key = \"Abc123SecretValue\nsecret_key = x\n",
        "[default]\nsecret_id = AKIDx\ntoken = Abc123SecretValue\u{0}\nsecret_key = k\n",
        "[default]\nsecret_id = AKIDx\nsecret_key = Abc123SecretValueé\n",
    ] {
        std::fs::write(&path, text).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let err = runtime
            .block_on(ProfileProvider::new().path(&path).provide_credentials())
            .expect_err(text);
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("Abc123SecretValue"), "{text:?}: {shown}");
        assert!(shown.contains("line "), "names the line: {shown}");
    }
}
