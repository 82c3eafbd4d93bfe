//! `trtc_model::parse_response` over any status and body.

use serde::de::DeserializeOwned;
use trtc_model::{
    parse_response, DismissRoomByStrRoomIdResponse, DismissRoomResponse, RemoveUserResponse, ResponseError,
    SetUserBlockedResponse, SNIPPET_LIMIT,
};

/// The first two bytes are the HTTP status (big-endian), the rest the body.
pub fn run(data: &[u8]) {
    let (status, body) = match data {
        [high, low, body @ ..] => (u16::from_be_bytes([*high, *low]), body),
        _ => (200, data),
    };
    check::<DismissRoomResponse>(status, body);
    check::<DismissRoomByStrRoomIdResponse>(status, body);
    check::<RemoveUserResponse>(status, body);
    check::<SetUserBlockedResponse>(status, body);
    check::<serde_json::Value>(status, body);
}

fn check<R: DeserializeOwned>(status: u16, body: &[u8]) {
    match parse_response::<R>(status, body) {
        Ok(_) => assert!(
            (200..300).contains(&status),
            "a success envelope under HTTP {status} was taken as success"
        ),
        Err(ResponseError::Api(api)) => {
            assert!(!api.code.as_str().is_empty(), "an API error without a code");
            assert_eq!(api.status, status, "the API error lost the HTTP status");
        }
        Err(ResponseError::UnexpectedResponse {
            status: got,
            detail,
            snippet,
        }) => {
            assert_eq!(got, status, "the unexpected answer lost the HTTP status");
            assert!(!detail.is_empty(), "an unexpected answer without a reason");
            assert!(
                snippet.chars().count() <= SNIPPET_LIMIT,
                "the snippet holds {} characters, more than {SNIPPET_LIMIT}",
                snippet.chars().count()
            );
        }
        Err(other) => panic!("parse_response returned an error of a kind this check does not know: {other:?}"),
    }
}
