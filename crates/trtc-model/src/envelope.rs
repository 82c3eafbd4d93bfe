//! Reading the API 3.0 answer envelope: success, API error, or something that is not an answer at all.
//!
//! The body decides, never the Content-Type header: an error envelope is an error whatever the header says.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::{ApiError, ApiResponse, ErrorCode, RawJson, ResponseError};

/// The deepest nesting of arrays and objects an answer may have. serde_json refuses deeper values it has to
/// build (so the stack is safe either way) but skips unknown fields of any depth; checking the whole body first
/// refuses every over-deep body alike, whichever field the nesting hides in.
const MAX_NESTING: usize = 128;

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

/// What every answer has in common, read before the action's own type: borrowed from the body where it
/// can be (strings without escapes), so the common success path copies nothing twice.
#[derive(Deserialize)]
struct Head<'a> {
    #[serde(rename = "Error", borrow)]
    error: Option<ErrorBody<'a>>,
    #[serde(rename = "RequestId", borrow)]
    request_id: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct ErrorBody<'a> {
    #[serde(rename = "Code", borrow)]
    code: Option<Cow<'a, str>>,
    #[serde(rename = "Message", borrow)]
    message: Option<Cow<'a, str>>,
}

/// Reads an answer: the typed response `R` on success, [`ResponseError::Api`] for an error envelope, and
/// [`ResponseError::UnexpectedResponse`] for anything else (keeping the status and the start of the body).
///
/// An `Error` object makes an error whatever the HTTP status and Content-Type; a success envelope counts only
/// with a 2xx status. Unknown fields are ignored at every level. The body is read as given: bounding its size
/// is the job of whoever reads it from the network.
///
/// ```
/// use trtc_model::{parse_response, DismissRoomResponse, ErrorCode, ResponseError};
///
/// let ok: DismissRoomResponse = parse_response(200, br#"{"Response":{"RequestId":"eac6b301-a322-493a-8e36-83b295459397"}}"#)?;
/// assert_eq!(ok.request_id, "eac6b301-a322-493a-8e36-83b295459397");
///
/// let body = br#"{"Response":{"Error":{"Code":"FailedOperation.RoomNotExist","Message":"room not exist"},"RequestId":"r-1"}}"#;
/// let err = parse_response::<DismissRoomResponse>(200, body).unwrap_err();
/// assert_eq!(err.api().unwrap().code, ErrorCode::FailedOperationRoomNotExist);
///
/// let err = parse_response::<DismissRoomResponse>(502, b"<html>Bad Gateway</html>").unwrap_err();
/// assert!(matches!(err, ResponseError::UnexpectedResponse { status: 502, .. }));
/// # Ok::<(), ResponseError>(())
/// ```
pub fn parse_response<R: DeserializeOwned>(status: u16, body: &[u8]) -> Result<R, ResponseError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ResponseError::unexpected(status, "the body is empty", body));
    }
    if nested_deeper_than(body, MAX_NESTING) {
        return Err(ResponseError::unexpected(
            status,
            format!("the body is nested deeper than {MAX_NESTING} levels, which no API 3.0 answer is"),
            body,
        ));
    }
    let head: Envelope<Head<'_>> = match serde_json::from_slice(body) {
        Ok(head) => head,
        Err(e) => {
            return Err(ResponseError::unexpected(
                status,
                format!("the body is not an API 3.0 JSON envelope ({e})"),
                body,
            ))
        }
    };
    let head = head.response;
    if let Some(error) = head.error {
        let Some(code) = error.code else {
            return Err(ResponseError::unexpected(status, "the Error object has no Code", body));
        };
        if code.is_empty() {
            return Err(ResponseError::unexpected(
                status,
                "the Error object has an empty Code",
                body,
            ));
        }
        return Err(ResponseError::Api(ApiError {
            code: ErrorCode::parse(&code),
            message: error.message.map(Cow::into_owned).unwrap_or_default(),
            request_id: head.request_id.map(Cow::into_owned).unwrap_or_default(),
            status,
        }));
    }
    if head.request_id.is_none() {
        return Err(ResponseError::unexpected(
            status,
            "the Response has neither RequestId nor Error",
            body,
        ));
    }
    if !(200..300).contains(&status) {
        return Err(ResponseError::unexpected(
            status,
            format!("HTTP status {status} with a success envelope"),
            body,
        ));
    }
    match serde_json::from_slice::<Envelope<R>>(body) {
        Ok(envelope) => Ok(envelope.response),
        Err(e) => Err(ResponseError::unexpected(
            status,
            format!("the Response does not match the action's response type ({e})"),
            body,
        )),
    }
}

/// Reads an answer as [`parse_response`] does and keeps the body in the response's `raw` field, so a member
/// the spec does not know yet can still be read. What the generated actions'
/// [`Action::read_response`](crate::Action::read_response) does.
///
/// ```
/// use trtc_model::{parse_response_keeping_raw, ApiResponse, DismissRoomResponse};
///
/// let body = br#"{"Response":{"RequestId":"r-1","Later":true}}"#;
/// let response: DismissRoomResponse = parse_response_keeping_raw(200, body)?;
/// assert_eq!(response.request_id(), "r-1");
/// assert_eq!(response.raw().member("Later"), Some(serde_json::Value::Bool(true)));
/// # Ok::<(), trtc_model::ResponseError>(())
/// ```
pub fn parse_response_keeping_raw<R: ApiResponse>(status: u16, body: &[u8]) -> Result<R, ResponseError> {
    let mut response: R = parse_response(status, body)?;
    response.set_raw(RawJson::from_body(body));
    Ok(response)
}

/// What every event of a stream has in common, read before the event's own type.
#[derive(Deserialize)]
struct EventHead<'a> {
    #[serde(rename = "Type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(rename = "RequestId", borrow)]
    request_id: Option<Cow<'a, str>>,
    #[serde(rename = "Error", borrow)]
    error: Option<ErrorBody<'a>>,
}

/// Reads one event of an event-stream answer: the text of a `data:` line, without the prefix.
///
/// An event with `"Type": "error"` (or an `Error` object) is [`ResponseError::Api`] with its code, message and request
/// id (status 200: the stream had started); an event that is not JSON, or not the event type, is
/// [`ResponseError::UnexpectedResponse`].
///
/// ```
/// use trtc_model::{parse_event, ErrorCode, ResponseError};
///
/// // The event type of an action, e.g. `trtc_model::api::tts::TextToSpeechSSEEvent` (feature `tts`).
/// #[derive(serde::Deserialize)]
/// struct Chunk {
///     #[serde(rename = "Seq")]
///     seq: u64,
///     #[serde(rename = "IsEnd")]
///     is_end: bool,
/// }
///
/// let chunk = r#"{"Type": "chunk", "RequestId": "r-1", "ChunkId": "chunk_0", "Audio": "AAAA", "Seq": 0, "IsEnd": false}"#;
/// let event: Chunk = parse_event(chunk)?;
/// assert_eq!((event.seq, event.is_end), (0, false));
///
/// let error = r#"{"Type": "error", "RequestId": "r-1", "Error": {"Code": "InternalError", "Message": "boom"}}"#;
/// let Err(ResponseError::Api(api)) = parse_event::<Chunk>(error) else { panic!() };
/// assert_eq!((api.code, api.message.as_str(), api.request_id.as_str()), (ErrorCode::InternalError, "boom", "r-1"));
/// # Ok::<(), ResponseError>(())
/// ```
pub fn parse_event<E: DeserializeOwned>(data: &str) -> Result<E, ResponseError> {
    let bytes = data.as_bytes();
    if nested_deeper_than(bytes, MAX_NESTING) {
        return Err(ResponseError::unexpected(
            200,
            format!("the event is nested deeper than {MAX_NESTING} levels"),
            bytes,
        ));
    }
    let head: EventHead<'_> = serde_json::from_str(data)
        .map_err(|e| ResponseError::unexpected(200, format!("the event is not a JSON object ({e})"), bytes))?;
    if head.kind.as_deref() == Some("error") || head.error.is_some() {
        let error = head.error.unwrap_or(ErrorBody {
            code: None,
            message: None,
        });
        let Some(code) = error.code.filter(|c| !c.is_empty()) else {
            return Err(ResponseError::unexpected(
                200,
                "the error event has no Error.Code",
                bytes,
            ));
        };
        return Err(ResponseError::Api(ApiError {
            code: ErrorCode::parse(&code),
            message: error.message.map(Cow::into_owned).unwrap_or_default(),
            request_id: head.request_id.map(Cow::into_owned).unwrap_or_default(),
            status: 200,
        }));
    }
    serde_json::from_str(data).map_err(|e| {
        ResponseError::unexpected(
            200,
            format!("the event does not match the action's event type ({e})"),
            bytes,
        )
    })
}

/// Whether arrays and objects in `body` nest deeper than `limit`, brackets inside strings not counted. Any
/// bytes are accepted: malformed JSON is the parser's to report.
fn nested_deeper_than(body: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in body {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_strings_in_an_error_are_read_whole() {
        // Escapes cannot be borrowed from the body; they are decoded into owned strings.
        let body = br#"{"Response":{"Error":{"Code":"FailedOperation.RoomNotExist","Message":"room \"7\" \u00e9"},"RequestId":"a\/b"}}"#;
        let Err(ResponseError::Api(api)) = parse_response::<serde_json::Value>(200, body) else {
            panic!("an error envelope is an API error");
        };
        assert_eq!(api.message, "room \"7\" \u{e9}");
        assert_eq!(api.request_id, "a/b");
    }

    #[test]
    fn nesting_counts_brackets_outside_strings_only() {
        assert!(!nested_deeper_than(br#"{"a":[{"b":1}]}"#, 3));
        assert!(nested_deeper_than(br#"{"a":[{"b":1}]}"#, 2));
        assert!(!nested_deeper_than(br#"{"a":"[[[[[[{{{{"}"#, 1));
        assert!(
            !nested_deeper_than(br#"{"a":"\"[[[["}"#, 1),
            "an escaped quote does not end the string"
        );
        assert!(!nested_deeper_than(br#"{"a":"\\\\"}"#, 1));
        assert!(
            nested_deeper_than(br#"{"a":"\\\\",[[]]}"#, 2),
            "an escaped backslash does not escape the quote"
        );
    }
}
