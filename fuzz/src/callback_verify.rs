//! `trtc_callback::Verifier::verify` over any body and header choice, signed correctly when asked so the
//! parser behind the signature check is reached.

use std::time::{Duration, UNIX_EPOCH};

use trtc_callback::{sign_body, Callback, CallbackKey, Check, Event, Verifier};

const KEY: &str = "fuzzKey0123456789XYZ";
const APP: u64 = 1400000001;
const LIMITS: [usize; 4] = [64 * 1024, 256, 16, 0];

/// The first byte chooses: bit 0 signs the body with the key, bit 1 sends the right `SdkAppId` (else the
/// next application's), bit 2 opens the window to any time, bits 3-4 the body limit. The rest is the body.
pub fn run(data: &[u8]) {
    let Some((choice, body)) = data.split_first() else {
        return;
    };
    let key = CallbackKey::new(KEY).expect("a valid key");
    let limit = LIMITS[usize::from(choice >> 3) % LIMITS.len()];
    let window = if choice & 4 != 0 {
        Duration::MAX
    } else {
        Duration::from_secs(300)
    };
    let verifier = Verifier::new(key.clone(), APP)
        .with_max_body_len(limit)
        .with_window(window);
    let signed = choice & 1 != 0;
    let sign = if signed {
        sign_body(&key, body)
    } else {
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned()
    };
    let app = if choice & 2 != 0 { APP } else { APP + 1 };
    let headers = [("Sign", sign), ("SdkAppId", app.to_string())];
    let now = UNIX_EPOCH + Duration::from_millis(1_700_000_000_000);

    match verifier.verify(headers, body, now) {
        Ok(callback) => {
            assert!(
                signed && app == APP,
                "a callback accepted without its signature or application"
            );
            assert!(body.len() <= limit, "a body over the limit was accepted");
            let raw: serde_json::Value = serde_json::from_slice(body).expect("an accepted body is JSON");
            if let Some(sent) = raw["EventType"].as_u64() {
                assert_eq!(sent, u64::from(callback.event_type()), "EventType changed");
            }
            // Written back in the service's form, the event reads the same. (An unknown event holds its JSON
            // as parsed, and serde_json's default float parsing may move a float's last digit on a second
            // pass, so only the typed events, which hold no floats, are compared.)
            let again = Callback::parse_unverified(&callback.to_body()).expect("a written callback reads back");
            if !matches!(callback.event(), Event::Other { .. }) {
                assert_eq!(
                    again.event(),
                    callback.event(),
                    "the event changed through its own body"
                );
            }
        }
        Err(error) => {
            if body.len() > limit {
                assert_eq!(
                    error.check(),
                    Check::BodySize,
                    "a body over the limit was looked at: {error}"
                );
            }
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(KEY), "an error shows the key: {shown}");
            assert!(!shown.is_empty());
        }
    }
}
