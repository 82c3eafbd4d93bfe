//! No secret reaches any output: every tracing event at TRACE level, every error's Display and Debug, and the
//! client's Debug are captured through success, API errors and network errors, then searched.

use std::io::Write;
use std::sync::{Arc, Mutex};

use trtc_emulator::{Emulator, EmulatorConfig};
use trtc_transport::{Client, Credentials, DismissRoomRequest, Region};

const APP: u64 = 1400000001;
const SECRET_ID: &str = "AKIDsecretsTest0000000000000000000";
const SECRET_KEY: &str = "SecretKeyThatMustNeverBePrinted1";
const TOKEN: &str = "SessionTokenThatMustNeverBePrinted";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn nothing_printed_holds_a_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = Emulator::start(
        EmulatorConfig::new()
            .temporary_credential(SECRET_ID, SECRET_KEY, TOKEN, [APP])
            .room(APP, 1),
    )
    .await
    .unwrap();
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY)
        .unwrap()
        .with_token(TOKEN)
        .unwrap();
    let client = Client::builder()
        .credential(credentials.clone())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .build()
        .unwrap();
    let mut printed = format!("{client:?}\n{credentials:?}\n");

    // Success, then an API error (the room is gone), then a wrong key, then a network error.
    let ok = client.dismiss_room(DismissRoomRequest::new(APP, 1)).await.unwrap();
    printed.push_str(&format!("{ok:?}\n"));
    let gone = client.dismiss_room(DismissRoomRequest::new(APP, 1)).await.unwrap_err();
    printed.push_str(&format!("{gone}\n{gone:?}\n"));
    let wrong = Client::builder()
        .credential(Credentials::new(SECRET_ID, "WrongSecretKeyAlsoSecret").unwrap())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .build()
        .unwrap();
    let refused = wrong.dismiss_room(DismissRoomRequest::new(APP, 2)).await.unwrap_err();
    printed.push_str(&format!("{refused}\n{refused:?}\n"));
    let endpoint = emulator.endpoint();
    emulator.shutdown().await;
    let offline = Client::builder()
        .credential(credentials)
        .region(Region::ApGuangzhou)
        .endpoint(endpoint)
        .build()
        .unwrap();
    let network = offline.dismiss_room(DismissRoomRequest::new(APP, 3)).await.unwrap_err();
    printed.push_str(&format!("{network}\n{network:?}\n"));

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("DismissRoom"), "tracing captured the calls:\n{logs}");
    assert!(
        logs.contains("attempt failed"),
        "tracing captured the failures:\n{logs}"
    );
    let everything = format!("{printed}\n{logs}");
    for secret in [
        SECRET_KEY,
        TOKEN,
        "WrongSecretKeyAlsoSecret",
        "TC3-HMAC-SHA256 Credential",
        "Signature=",
    ] {
        assert!(!everything.contains(secret), "{secret:?} leaked into:\n{everything}");
    }
}
