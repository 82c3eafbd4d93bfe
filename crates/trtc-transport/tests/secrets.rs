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

/// Sends through the default transport and keeps every `Authorization` value it sent, so the test knows the
/// exact values (and signatures) that must not be printed anywhere.
#[derive(Clone)]
struct Recording {
    inner: Arc<trtc_transport::HyperTransport>,
    authorizations: Arc<Mutex<Vec<String>>>,
}

impl trtc_transport::Transport for Recording {
    fn send(
        &self,
        request: http::Request<bytes::Bytes>,
    ) -> trtc_transport::BoxFuture<'_, Result<http::Response<bytes::Bytes>, trtc_transport::TransportError>> {
        if let Some(value) = request.headers().get("authorization") {
            self.authorizations
                .lock()
                .unwrap()
                .push(value.to_str().unwrap().to_owned());
        }
        self.inner.send(request)
    }
}

/// A transport written carelessly: it panics with the whole request in its message, as a `{:?}` of it would
/// print it. The client marks `Authorization` and `X-TC-Token` sensitive, so even this prints neither.
struct Panicking;

impl trtc_transport::Transport for Panicking {
    fn send(
        &self,
        request: http::Request<bytes::Bytes>,
    ) -> trtc_transport::BoxFuture<'_, Result<http::Response<bytes::Bytes>, trtc_transport::TransportError>> {
        panic!("transport failed on {request:?}");
    }
}

#[tokio::test]
async fn no_authorization_value_or_signature_sent_is_printed_through_faults_timeouts_and_a_panic() {
    use trtc_emulator::{Fault, FaultPlan, RateLimit, Trigger};
    use trtc_transport::RetryPolicy;

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut config = EmulatorConfig::new()
        .temporary_credential(SECRET_ID, SECRET_KEY, TOKEN, [APP])
        .rate_limit(RateLimit::new(1, std::time::Duration::from_secs(60)));
    for room in 1..=10 {
        config = config.room(APP, room);
    }
    let emulator = Emulator::start(config).await.unwrap();
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY)
        .unwrap()
        .with_token(TOKEN)
        .unwrap();
    let recording = Recording {
        inner: Arc::new(trtc_transport::HyperTransport::new().unwrap()),
        authorizations: Arc::default(),
    };
    let client = Client::builder()
        .credential(credentials.clone())
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .transport(recording.clone())
        .no_rate_limit()
        .attempt_timeout(std::time::Duration::from_millis(200))
        .retry(
            RetryPolicy::default()
                .with_initial_backoff(std::time::Duration::from_millis(1))
                .with_throttled_backoff(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let mut printed = String::new();
    let mut record = |result: Result<trtc_transport::DismissRoomResponse, trtc_transport::Error>| match result {
        Ok(ok) => printed.push_str(&format!("{ok:?}\n")),
        Err(e) => printed.push_str(&format!("{e}\n{e:?}\n")),
    };

    // A success, then the rate limit (one request a minute), then each injected fault, then a late answer.
    record(client.dismiss_room(DismissRoomRequest::new(APP, 1)).await);
    record(client.dismiss_room(DismissRoomRequest::new(APP, 2)).await);
    emulator.set_rate_limit(RateLimit::unlimited());
    for (room, fault) in [
        (3, Fault::InternalError),
        (4, Fault::BadGateway),
        (5, Fault::Drop),
        (6, Fault::Latency { latency_ms: 1_000 }),
    ] {
        emulator
            .set_faults(FaultPlan::new().rule(fault, Trigger::Next(3)).unwrap())
            .unwrap();
        record(client.dismiss_room(DismissRoomRequest::new(APP, room)).await);
    }
    emulator.clear_faults();
    record(client.dismiss_room(DismissRoomRequest::new(APP, 6)).await);

    // A panic inside a call, caught at the task's boundary; the panic hook's output is captured too.
    let hook_output = Captured::default();
    let hook_writer = hook_output.clone();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = writeln!(hook_writer.clone(), "{info}");
    }));
    let panicking = Client::builder()
        .credential(credentials)
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .transport(Panicking)
        .build()
        .unwrap();
    let joined = tokio::spawn(async move { panicking.dismiss_room(DismissRoomRequest::new(APP, 7)).await }).await;
    std::panic::set_hook(previous);
    let panic = joined.expect_err("the call panicked");
    assert!(panic.is_panic());
    let payload = panic.into_panic();
    let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("transport failed on"), "{message}");
    assert!(
        message.contains("Sensitive"),
        "the secret headers show as Sensitive: {message}"
    );
    printed.push_str(&message);

    let hook = String::from_utf8(hook_output.0.lock().unwrap().clone()).unwrap();
    assert!(hook.contains("transport failed on"), "the hook saw the panic: {hook}");
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("retrying"), "tracing captured the retries:\n{logs}");
    assert!(logs.contains("RequestLimitExceeded"), "{logs}");
    let everything = format!("{printed}\n{hook}\n{logs}");

    let authorizations = recording.authorizations.lock().unwrap().clone();
    assert!(authorizations.len() >= 12, "{} requests recorded", authorizations.len());
    let mut secrets: Vec<String> = vec![SECRET_KEY.into(), TOKEN.into()];
    for authorization in &authorizations {
        let signature = authorization
            .rsplit_once("Signature=")
            .map(|(_, s)| s.to_owned())
            .expect("a TC3 authorization");
        assert_eq!(signature.len(), 64);
        secrets.push(authorization.clone());
        secrets.push(signature);
    }
    for secret in &secrets {
        assert!(
            !everything.contains(secret.as_str()),
            "{secret:?} leaked into:\n{everything}"
        );
    }
    emulator.shutdown().await;
}
