//! The credentials file (`~/.tencentcloud/credentials`, INI) as `ProfileProvider` reads it, from any bytes.
//!
//! The provider is driven through its public API on a real file, as an application would: the bytes are
//! written to a file of this process and the provider is asked for a profile.

use std::future::Future;
use std::path::PathBuf;
use std::pin::pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use trtc_transport::{ProfileProvider, ProvideCredentials};

const PROFILES: &[&str] = &["default", "prod", "a.b-c_d"];

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| std::env::temp_dir().join(format!("trtc-fuzz-credentials-{}", std::process::id())))
}

/// The first byte chooses the profile asked for; the rest is the file.
pub fn run(data: &[u8]) {
    let Some((choice, file)) = data.split_first() else {
        return;
    };
    let profile = PROFILES[*choice as usize % PROFILES.len()];
    let path = path();
    std::fs::write(path, file).expect("write the credentials file");
    let provider = ProfileProvider::new().path(path).profile(profile);
    match now(provider.provide_credentials()) {
        Ok(credentials) => {
            assert!(!credentials.secret_id().is_empty());
            assert!(!credentials.secret_key().expose_secret().is_empty());
            let text = String::from_utf8_lossy(file);
            assert!(
                text.contains(credentials.secret_key().expose_secret()),
                "a SecretKey that is not in the file"
            );
        }
        Err(error) => {
            let shown = format!("{error} {error:?}");
            assert!(!error.to_string().is_empty());
            for secret in secret_values(file) {
                assert!(
                    !shown.contains(&secret),
                    "an error repeats the value {secret:?} of the file: {shown}"
                );
            }
        }
    }
}

/// Values of `secret_key` and `token` lines that look like secrets (at least 8 letters and digits, mixed
/// case, with a digit) and appear only once in the file and not in its path: no error may repeat them.
fn secret_values(file: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(file);
    let path = path().display().to_string();
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(['=', ':'])?;
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim().trim_matches(['"', '\'']);
            let secret_key = key == "secret_key" || key == "token";
            let looks_secret = value.len() >= 8
                && value.bytes().all(|b| b.is_ascii_alphanumeric())
                && value.bytes().any(|b| b.is_ascii_digit())
                && value.bytes().any(|b| b.is_ascii_uppercase())
                && value.bytes().any(|b| b.is_ascii_lowercase());
            (secret_key && looks_secret && text.matches(value).count() == 1 && !path.contains(value))
                .then(|| value.to_owned())
        })
        .collect()
}

/// Polls a future that completes without waiting (the provider reads the file synchronously).
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the profile provider waited on something"),
    }
}
