//! The answers the emulator gives: API 3.0 envelopes with fresh request ids.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use serde::Serialize;
use trtc_model::ErrorCode;

/// An error answer: the code and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
}

/// A request id of the emulator's making: a UUID, lower-case hex digits and dashes, which JSON needs no
/// escapes for.
pub(crate) struct RequestId(String);

impl RequestId {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

/// A fresh request id in the service's UUID form (random, version 4 layout).
pub(crate) fn request_id() -> RequestId {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // RandomState is seeded randomly per process; hashing a counter with it gives unpredictable, unique ids.
    let seed = RandomState::new();
    let mut a = seed.build_hasher();
    a.write_u64(n);
    let hi = a.finish();
    let mut b = seed.build_hasher();
    b.write_u64(!n);
    RequestId(uuid_text(hi, b.finish()))
}

/// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx` (y in 8..b) from 128 random bits, written digit by digit rather
/// than through `fmt`.
fn uuid_text(hi: u64, lo: u64) -> String {
    let mut id = *b"00000000-0000-4000-0000-000000000000";
    write_hex(&mut id[0..8], hi >> 32);
    write_hex(&mut id[9..13], hi >> 16);
    write_hex(&mut id[15..18], hi);
    write_hex(&mut id[19..23], 0x8000 | (lo >> 48 & 0x3fff));
    write_hex(&mut id[24..36], lo);
    // ASCII by construction, so the conversion cannot fail.
    String::from_utf8(id.to_vec()).unwrap_or_default()
}

/// Writes the low `out.len()` hex digits of `value` into `out`, most significant first, in lower case.
fn write_hex(out: &mut [u8], mut value: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for digit in out.iter_mut().rev() {
        *digit = DIGITS[(value & 0xf) as usize];
        value >>= 4;
    }
}

/// `{"Response": ...}`, the wrapper of every API 3.0 answer.
#[derive(Serialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

/// The body of an error answer.
#[derive(Serialize)]
struct ErrorAnswer<'a> {
    #[serde(rename = "Error")]
    error: ErrorBody<'a>,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
}

/// `{"Code": ..., "Message": ...}`.
#[derive(Serialize)]
struct ErrorBody<'a> {
    #[serde(rename = "Code")]
    code: &'a str,
    #[serde(rename = "Message")]
    message: &'a str,
}

/// Serializes an envelope straight to bytes (no intermediate JSON value).
fn envelope<T: Serialize>(response: T) -> Bytes {
    // Serializing these structs of strings to a Vec cannot fail; the empty body is never produced.
    Bytes::from(serde_json::to_vec(&Envelope { response }).unwrap_or_default())
}

/// `{"Response":{"RequestId":"..."}}`, written directly: the id needs no escaping.
pub(crate) fn success(request_id: &RequestId) -> Bytes {
    let request_id = request_id.as_str();
    const HEAD: &[u8] = br#"{"Response":{"RequestId":""#;
    const TAIL: &[u8] = br#""}}"#;
    let mut body = Vec::with_capacity(HEAD.len() + request_id.len() + TAIL.len());
    body.extend_from_slice(HEAD);
    body.extend_from_slice(request_id.as_bytes());
    body.extend_from_slice(TAIL);
    Bytes::from(body)
}

/// What a successful action answers besides its `RequestId`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Answer {
    /// Nothing: `{"Response":{"RequestId":"..."}}` (the room-management actions).
    Empty,
    /// The action's output members.
    Members(serde_json::Map<String, serde_json::Value>),
    /// An event stream (`text/event-stream`): one `data:` line of JSON an event, each with the `RequestId`.
    Events(Vec<serde_json::Map<String, serde_json::Value>>),
}

impl Answer {
    /// Whether the answer is an event stream rather than a JSON envelope.
    pub(crate) fn is_events(&self) -> bool {
        matches!(self, Answer::Events(_))
    }
}

/// The body of a success answer with output members.
#[derive(Serialize)]
struct MembersAnswer<'a> {
    #[serde(flatten)]
    members: &'a serde_json::Map<String, serde_json::Value>,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
}

/// The success envelope of `answer`.
pub(crate) fn answer(answer: &Answer, request_id: &RequestId) -> Bytes {
    match answer {
        Answer::Empty => success(request_id),
        Answer::Members(members) => envelope(MembersAnswer {
            members,
            request_id: request_id.as_str(),
        }),
        Answer::Events(events) => {
            let mut body = Vec::new();
            for members in events {
                body.extend_from_slice(b"data: ");
                // A map of JSON values always serializes.
                body.extend_from_slice(
                    &serde_json::to_vec(&MembersAnswer {
                        members,
                        request_id: request_id.as_str(),
                    })
                    .unwrap_or_default(),
                );
                body.extend_from_slice(b"\n\n");
            }
            Bytes::from(body)
        }
    }
}

/// The page a gateway in front of the service answers with when the service is unreachable.
pub(crate) const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n";

pub(crate) fn error(failure: &Failure, request_id: &RequestId) -> Bytes {
    envelope(ErrorAnswer {
        error: ErrorBody {
            code: failure.code.as_str(),
            message: &failure.message,
        },
        request_id: request_id.as_str(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn request_ids_are_unique_uuids() {
        let a = super::request_id().into_string();
        let b = super::request_id().into_string();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        for id in [a, b] {
            for (i, c) in id.char_indices() {
                match i {
                    8 | 13 | 18 | 23 => assert_eq!(c, '-', "{id}"),
                    19 => assert!("89ab".contains(c), "{id}"),
                    _ => assert!(c.is_ascii_hexdigit() && !c.is_ascii_uppercase(), "{id}"),
                }
            }
        }
    }

    #[test]
    fn uuids_are_written_as_fmt_writes_them() {
        for (hi, lo) in [
            (0, 0),
            (u64::MAX, u64::MAX),
            (0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210),
        ] {
            let want = format!(
                "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                hi >> 32,
                (hi >> 16) & 0xffff,
                hi & 0x0fff,
                0x8000 | (lo >> 48 & 0x3fff),
                lo & 0xffff_ffff_ffff
            );
            assert_eq!(super::uuid_text(hi, lo), want);
        }
    }

    #[test]
    fn hex_digits_are_written_as_fmt_writes_them() {
        let value = 0x0123_4567_89ab_cdef_u64;
        for width in [3, 4, 8, 12, 16] {
            let mut out = vec![0; width];
            super::write_hex(&mut out, value);
            let want = format!("{value:016x}");
            assert_eq!(std::str::from_utf8(&out).unwrap(), &want[16 - width..]);
        }
    }

    #[test]
    fn answers_carry_their_members_and_the_request_id() {
        let id = super::RequestId("abc".to_owned());
        let mut members = serde_json::Map::new();
        members.insert("TaskId".into(), "t-1".into());
        members.insert("Status".into(), "InProgress".into());
        let body = super::answer(&super::Answer::Members(members), &id);
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"Response": {"TaskId": "t-1", "Status": "InProgress", "RequestId": "abc"}})
        );
        assert_eq!(super::answer(&super::Answer::Empty, &id), super::success(&id));
    }

    #[test]
    fn envelopes_are_the_services_json() {
        let id = super::RequestId("abc".to_owned());
        let ok = super::success(&id);
        assert_eq!(&ok[..], br#"{"Response":{"RequestId":"abc"}}"#);
        let id = super::request_id();
        let serde = serde_json::to_vec(&serde_json::json!({"Response": {"RequestId": id.as_str()}})).unwrap();
        assert_eq!(super::success(&id), serde);
        let failure = super::Failure::new(
            trtc_model::ErrorCode::FailedOperationRoomNotExist,
            "The room \"7\" does not exist.",
        );
        let err = super::error(&failure, &super::RequestId("abc".to_owned()));
        let value: serde_json::Value = serde_json::from_slice(&err).unwrap();
        assert_eq!(value["Response"]["Error"]["Code"], "FailedOperation.RoomNotExist");
        assert_eq!(value["Response"]["Error"]["Message"], "The room \"7\" does not exist.");
        assert_eq!(value["Response"]["RequestId"], "abc");
    }
}
