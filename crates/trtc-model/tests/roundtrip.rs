//! Serde round trips for every request and response, over arbitrary values: what is serialized reads back
//! equal, a response reads back through `parse_response`, and validation never panics.

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;
use trtc_model::{
    parse_response, Action, DismissRoomByStrRoomIdRequest, DismissRoomByStrRoomIdResponse, DismissRoomRequest,
    DismissRoomResponse, Error, Mute, RemoveUserByStrRoomIdRequest, RemoveUserByStrRoomIdResponse, RemoveUserRequest,
    RemoveUserResponse, ResponseError, SetUserBlockedByStrRoomIdRequest, SetUserBlockedByStrRoomIdResponse,
    SetUserBlockedRequest, SetUserBlockedResponse,
};

fn mute() -> impl Strategy<Value = Mute> {
    prop::sample::select(Mute::ALL.to_vec())
}

/// Any string, valid room ids and user ids included often enough to matter.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 !#$%&()+:;<=.>?@^_{}|~,-]{1,64}",
        "\\PC{0,80}"
    ]
}

fn user_ids() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(text(), 0..14)
}

/// The request serializes, reads back equal, serializes to the same bytes again, and validation answers
/// without panicking (an `InvalidField` naming a field of the request when it refuses).
fn request_round_trips<A>(request: &A)
where
    A: Action + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_string(request).unwrap();
    let back: A = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, request);
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    match request.validate() {
        Ok(()) => {}
        Err(Error::InvalidField { field, .. }) => assert!(json.contains(&format!("\"{field}\"")), "{field} in {json}"),
        Err(other) => panic!("validation gave {other:?}"),
    }
}

/// The response reads back equal on its own and inside a success envelope.
fn response_round_trips<R>(request_id: &str)
where
    R: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let envelope = serde_json::json!({ "Response": { "RequestId": request_id } });
    let body = serde_json::to_vec(&envelope).unwrap();
    let response: R = parse_response(200, &body).unwrap();
    let json = serde_json::to_value(&response).unwrap();
    assert_eq!(json, envelope["Response"]);
    let back: R = serde_json::from_value(json).unwrap();
    assert_eq!(back, response);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn dismiss_room(sdk_app_id in any::<u64>(), room_id in any::<u64>()) {
        request_round_trips(&DismissRoomRequest::new(sdk_app_id, room_id));
    }

    #[test]
    fn dismiss_room_by_str_room_id(sdk_app_id in any::<u64>(), room_id in text()) {
        request_round_trips(&DismissRoomByStrRoomIdRequest::new(sdk_app_id, room_id));
    }

    #[test]
    fn remove_user(sdk_app_id in any::<u64>(), room_id in any::<u64>(), users in user_ids()) {
        request_round_trips(&RemoveUserRequest::new(sdk_app_id, room_id, users));
    }

    #[test]
    fn remove_user_by_str_room_id(sdk_app_id in any::<u64>(), room_id in text(), users in user_ids()) {
        request_round_trips(&RemoveUserByStrRoomIdRequest::new(sdk_app_id, room_id, users));
    }

    #[test]
    fn set_user_blocked(sdk_app_id in any::<u64>(), room_id in any::<u64>(), user in text(), is_mute in mute()) {
        request_round_trips(&SetUserBlockedRequest::new(sdk_app_id, room_id, user, is_mute));
    }

    #[test]
    fn set_user_blocked_by_str_room_id(sdk_app_id in any::<u64>(), room in text(), user in text(), is_mute in mute()) {
        request_round_trips(&SetUserBlockedByStrRoomIdRequest::new(sdk_app_id, room, user, is_mute));
    }

    #[test]
    fn every_response(request_id in text()) {
        response_round_trips::<DismissRoomResponse>(&request_id);
        response_round_trips::<DismissRoomByStrRoomIdResponse>(&request_id);
        response_round_trips::<RemoveUserResponse>(&request_id);
        response_round_trips::<RemoveUserByStrRoomIdResponse>(&request_id);
        response_round_trips::<SetUserBlockedResponse>(&request_id);
        response_round_trips::<SetUserBlockedByStrRoomIdResponse>(&request_id);
    }

    #[test]
    fn is_mute_reads_only_its_four_values(value in any::<u64>()) {
        let parsed = serde_json::from_str::<Mute>(&value.to_string());
        match value {
            0..=3 => prop_assert_eq!(parsed.unwrap().value(), value),
            _ => prop_assert!(parsed.unwrap_err().to_string().contains("IsMute")),
        }
    }

    #[test]
    fn parse_response_never_panics(status in any::<u16>(), body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_response::<DismissRoomResponse>(status, &body);
    }

    #[test]
    fn parse_response_never_panics_on_near_envelopes(
        status in any::<u16>(),
        body in r#"\{"Response":\{("RequestId":"[a-z0-9-]{0,8}",?)?("Error":\{("Code":"[A-Za-z.]{0,12}",?)?("Message":"[^"\\]{0,8}")?\}?)?\}?\}?"#,
    ) {
        match parse_response::<DismissRoomResponse>(status, body.as_bytes()) {
            Ok(response) => prop_assert!((200..300).contains(&status) && body.contains(&response.request_id)),
            Err(ResponseError::Api(api)) => prop_assert!(!api.code.as_str().is_empty()),
            Err(ResponseError::UnexpectedResponse { status: got, .. }) => prop_assert_eq!(got, status),
            Err(other) => prop_assert!(false, "unexpected error kind {:?}", other),
        }
    }
}
