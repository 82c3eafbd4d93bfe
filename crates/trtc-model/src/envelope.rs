//! Reading the API 3.0 answer envelope: success, API error, or something that is not an answer at all.
//!
//! The body decides, never the Content-Type header: an error envelope is an error whatever the header says.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::{ApiError, Error, ErrorCode};

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

#[derive(Deserialize)]
struct Head {
    #[serde(rename = "Error")]
    error: Option<ErrorBody>,
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(rename = "Message")]
    message: Option<String>,
}

/// Reads an answer: the typed response `R` on success, [`Error::Api`] for an error envelope, and
/// [`Error::UnexpectedResponse`] for anything else (keeping the status and the start of the body).
///
/// ```
/// use trtc_model::{parse_response, DismissRoomResponse, Error, ErrorCode};
///
/// let ok: DismissRoomResponse = parse_response(200, br#"{"Response":{"RequestId":"eac6b301-a322-493a-8e36-83b295459397"}}"#)?;
/// assert_eq!(ok.request_id, "eac6b301-a322-493a-8e36-83b295459397");
///
/// let body = br#"{"Response":{"Error":{"Code":"FailedOperation.RoomNotExist","Message":"room not exist"},"RequestId":"r-1"}}"#;
/// let err = parse_response::<DismissRoomResponse>(200, body).unwrap_err();
/// assert_eq!(err.api().unwrap().code, ErrorCode::FailedOperationRoomNotExist);
///
/// let err = parse_response::<DismissRoomResponse>(502, b"<html>Bad Gateway</html>").unwrap_err();
/// assert!(matches!(err, Error::UnexpectedResponse { status: 502, .. }));
/// # Ok::<(), Error>(())
/// ```
pub fn parse_response<R: DeserializeOwned>(status: u16, body: &[u8]) -> Result<R, Error> {
    let head: Envelope<Head> = match serde_json::from_slice(body) {
        Ok(head) => head,
        Err(e) => {
            return Err(Error::unexpected(
                status,
                format!("the body is not an API 3.0 JSON envelope ({e})"),
                body,
            ))
        }
    };
    let head = head.response;
    if let Some(error) = head.error {
        let Some(code) = error.code else {
            return Err(Error::unexpected(status, "the Error object has no Code", body));
        };
        return Err(Error::Api(ApiError {
            code: ErrorCode::parse(&code),
            message: error.message.unwrap_or_default(),
            request_id: head.request_id.unwrap_or_default(),
            status,
        }));
    }
    if head.request_id.is_none() {
        return Err(Error::unexpected(
            status,
            "the Response has neither RequestId nor Error",
            body,
        ));
    }
    if !(200..300).contains(&status) {
        return Err(Error::unexpected(
            status,
            format!("HTTP status {status} with a success envelope"),
            body,
        ));
    }
    match serde_json::from_slice::<Envelope<R>>(body) {
        Ok(envelope) => Ok(envelope.response),
        Err(e) => Err(Error::unexpected(
            status,
            format!("the Response does not match the action's response type ({e})"),
            body,
        )),
    }
}
