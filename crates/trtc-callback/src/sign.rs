//! The other direction: a body signed as the service signs it, for the emulator and for tests.

use base64::Engine as _;

use crate::{Callback, CallbackKey};

/// The `Sign` header for `body`: the standard base64 of HMAC-SHA256(key, body).
///
/// ```
/// use trtc_callback::{sign_body, CallbackKey};
///
/// // The PHP and Go example of the "Verify Signature Example" page (key 789).
/// let body = "{\n\t\"EventGroupId\":\t1,\n\t\"EventType\":\t101,\n\t\"CallbackTs\":\t1608086882372,\n\
///             \t\"EventInfo\":\t{\n\t\t\"RoomId\":\t20222,\n\t\t\"EventTs\":\t1608086882,\n\
///             \t\t\"UserId\":\t\"222222_phone\"\n\t}\n}";
/// let sign = sign_body(&CallbackKey::new("789")?, body.as_bytes());
/// assert_eq!(sign.len(), 44);
/// # Ok::<(), trtc_callback::Error>(())
/// ```
pub fn sign_body(key: &CallbackKey, body: &[u8]) -> String {
    let mac = trtc_sign::hmac_sha256(key.expose_secret().as_bytes(), body);
    base64::engine::general_purpose::STANDARD.encode(mac)
}

/// A callback ready to send: the body and the three headers the service sends with it.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use trtc_callback::{sign_callback, Callback, CallbackKey, DismissRoomInfo, Event, Verifier};
///
/// let key = CallbackKey::new("k3y")?;
/// let dismissed = Event::DismissRoom(DismissRoomInfo::new(1234, 1700000000000));
/// let sent = sign_callback(&key, 1400000001, &Callback::new(dismissed, 1700000000001));
///
/// let now = UNIX_EPOCH + Duration::from_secs(1700000000);
/// let got = Verifier::new(key, 1400000001).verify(sent.headers(), sent.body(), now)?;
/// assert_eq!(got.event().name(), "DismissRoom");
/// # Ok::<(), trtc_callback::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCallback {
    body: Vec<u8>,
    sign: String,
    sdk_app_id: String,
}

impl SignedCallback {
    /// Signs `body` (any bytes: a test may sign what it likes) for `sdk_app_id`.
    pub fn new(key: &CallbackKey, sdk_app_id: u64, body: impl Into<Vec<u8>>) -> Self {
        let body = body.into();
        SignedCallback {
            sign: sign_body(key, &body),
            body,
            sdk_app_id: sdk_app_id.to_string(),
        }
    }

    /// The body to POST.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, taken out.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The `Sign` header's value.
    pub fn sign(&self) -> &str {
        &self.sign
    }

    /// The headers to send: `Content-Type: application/json`, `SdkAppId` and `Sign`.
    pub fn headers(&self) -> [(&'static str, &str); 3] {
        [
            ("Content-Type", "application/json"),
            ("SdkAppId", &self.sdk_app_id),
            ("Sign", &self.sign),
        ]
    }
}

/// Builds and signs the body of `callback` for `sdk_app_id`, in one line.
pub fn sign_callback(key: &CallbackKey, sdk_app_id: u64, callback: &Callback) -> SignedCallback {
    SignedCallback::new(key, sdk_app_id, callback.to_body())
}
