//! `RawJson`: an answer as it was received, kept beside its typed reading so a caller can read a member the
//! spec does not know yet.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The body of an answer as received, kept by [`Action::read_response`](crate::Action::read_response) in the
/// `raw` field of every generated response; empty for a response built or deserialized any other way.
///
/// It is one shared copy of the body, parsed again only when asked ([`response`](RawJson::response),
/// [`member`](RawJson::member)). Two responses with the same typed members are equal whatever their raw bodies:
/// `RawJson` compares equal to every `RawJson` and hashes to nothing.
///
/// ```
/// use trtc_model::{Action, DismissRoomRequest};
///
/// let body = br#"{"Response":{"RequestId":"r-1","NewMember":{"Depth":2}}}"#;
/// let response = DismissRoomRequest::read_response(200, body)?;
/// assert_eq!(response.request_id, "r-1");
/// assert_eq!(response.raw.member("NewMember").unwrap()["Depth"], 2);
/// # Ok::<(), trtc_model::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct RawJson(Option<Arc<str>>);

impl RawJson {
    /// Keeps `body` if it is UTF-8 (every body serde_json accepted is); an empty `RawJson` otherwise.
    pub fn from_body(body: &[u8]) -> Self {
        RawJson(std::str::from_utf8(body).ok().map(Arc::from))
    }

    /// The whole body as received, when kept.
    pub fn body(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// Whether no body was kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The answer's `Response` object, parsed from the kept body.
    pub fn response(&self) -> Option<serde_json::Value> {
        let mut envelope: serde_json::Value = serde_json::from_str(self.body()?).ok()?;
        Some(envelope.get_mut("Response")?.take())
    }

    /// One member of the `Response` object, by the name the API gives it.
    pub fn member(&self, name: &str) -> Option<serde_json::Value> {
        let mut response = self.response()?;
        Some(response.get_mut(name)?.take())
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(body) => write!(f, "RawJson({} bytes)", body.len()),
            None => f.write_str("RawJson(none)"),
        }
    }
}

/// Every `RawJson` is equal to every other: responses compare by their typed members.
impl PartialEq for RawJson {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for RawJson {}

/// Hashes to nothing, as it compares equal to every `RawJson`.
impl Hash for RawJson {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}
