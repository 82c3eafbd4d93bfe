//! Authentication as the service does it, over real HTTP: signatures checked against the request as
//! received, both signed-header sets, unsigned payloads, GET, tokens of temporary credentials, the clock.

mod common;

use common::{now, Call, APP, ID, KEY, TEMP_ID, TEMP_KEY, TOKEN};
use serde_json::json;
use trtc_emulator::{CredentialEntry, Emulator};
use trtc_sign::SignedHeaders;

async fn emulator() -> Emulator {
    Emulator::start(
        common::permanent_and_temporary()
            .room(APP, 1)
            .room(APP, 2)
            .str_room(APP, "s"),
    )
    .await
    .unwrap()
}

fn dismiss(room: u64) -> Call {
    Call::post("DismissRoom", json!({"SdkAppId": APP, "RoomId": room}))
}

#[tokio::test]
async fn a_correct_signature_succeeds_and_a_wrong_key_is_signature_failure() {
    let emu = emulator().await;
    dismiss(1)
        .key(ID, "notTheKey")
        .send(emu.addr())
        .await
        .is("AuthFailure.SignatureFailure");
    assert!(emu.room_exists(APP, 1), "a refused request changes nothing");
    dismiss(1).send(emu.addr()).await.ok();
    assert!(!emu.room_exists(APP, 1));
}

#[tokio::test]
async fn the_body_as_received_is_what_is_verified() {
    let emu = emulator().await;
    let signed = dismiss(1);
    let mut bytes = signed.to_bytes(emu.addr());
    // Change one byte of the body after signing: RoomId 1 becomes RoomId 2.
    let at = bytes.len() - 2;
    assert_eq!(bytes[at], b'1');
    bytes[at] = b'2';
    common::raw(emu.addr(), &bytes)
        .await
        .unwrap()
        .is("AuthFailure.SignatureFailure");
    assert!(emu.room_exists(APP, 2));
}

#[tokio::test]
async fn both_signed_header_sets_and_unsigned_payload_are_accepted() {
    let emu = emulator().await;
    let mut with_action = dismiss(1);
    with_action.signed_headers = SignedHeaders::ContentTypeHostAction;
    with_action.send(emu.addr()).await.ok();

    let mut unsigned = dismiss(2);
    unsigned.unsigned_payload = true;
    unsigned.send(emu.addr()).await.ok();
    assert_eq!(emu.room_count(), 1);
}

#[tokio::test]
async fn get_is_verified_against_the_raw_query() {
    let emu = emulator().await;
    Call::get("DismissRoom", &format!("SdkAppId={APP}&RoomId=1"))
        .send(emu.addr())
        .await
        .ok();
    assert!(!emu.room_exists(APP, 1));
    let mut tampered = Call::get("DismissRoom", &format!("SdkAppId={APP}&RoomId=2")).to_bytes(emu.addr());
    let text = String::from_utf8(tampered.clone()).unwrap();
    let at = text.find("RoomId=2").unwrap() + "RoomId=".len();
    tampered[at] = b'3';
    common::raw(emu.addr(), &tampered)
        .await
        .unwrap()
        .is("AuthFailure.SignatureFailure");
}

#[tokio::test]
async fn host_is_taken_exactly_as_sent() {
    // The official Python SDK sends and signs `Host: http://127.0.0.1:PORT` when the endpoint has a scheme.
    let emu = emulator().await;
    let mut call = dismiss(1);
    call.host = Some(format!("http://{}", emu.addr()));
    call.send(emu.addr()).await.ok();
}

#[tokio::test]
async fn unknown_secret_id_is_secret_id_not_found() {
    let emu = emulator().await;
    dismiss(1)
        .key("AKIDnobodyHasThis", KEY)
        .send(emu.addr())
        .await
        .is("AuthFailure.SecretIdNotFound");
}

#[tokio::test]
async fn a_timestamp_more_than_five_minutes_off_is_signature_expire() {
    let emu = emulator().await;
    for timestamp in [now() - 301, now() + 301, 1_500_000_000] {
        let answer = dismiss(1).timestamp(timestamp).send(emu.addr()).await;
        answer.is("AuthFailure.SignatureExpire");
        assert!(answer.message().contains("300 seconds"), "{}", answer.message());
    }
    dismiss(1).timestamp(now() - 200).send(emu.addr()).await.ok();
}

#[tokio::test]
async fn missing_or_malformed_authorization_is_invalid_authorization() {
    let emu = emulator().await;
    dismiss(1)
        .omit("Authorization")
        .send(emu.addr())
        .await
        .is("AuthFailure.InvalidAuthorization");
    let mut call = dismiss(1).omit("Authorization");
    call.extra.push(("Authorization".into(), "Bearer abc".into()));
    call.send(emu.addr()).await.is("AuthFailure.InvalidAuthorization");
}

#[tokio::test]
async fn temporary_credentials_need_their_token() {
    let emu = emulator().await;
    let temp = || dismiss(1).key(TEMP_ID, TEMP_KEY);
    temp().send(emu.addr()).await.is("AuthFailure.TokenFailure");
    temp()
        .token("someOtherToken")
        .send(emu.addr())
        .await
        .is("AuthFailure.TokenFailure");
    dismiss(1)
        .token(TOKEN)
        .send(emu.addr())
        .await
        .is("AuthFailure.TokenFailure");
    assert!(emu.room_exists(APP, 1));
    temp().token(TOKEN).send(emu.addr()).await.ok();
    assert!(!emu.room_exists(APP, 1));
    // A wrong key with the right token is still a wrong signature.
    dismiss(2)
        .key(TEMP_ID, "wrong")
        .token(TOKEN)
        .send(emu.addr())
        .await
        .is("AuthFailure.SignatureFailure");
}

#[tokio::test]
async fn an_application_the_key_does_not_own_is_unauthorized() {
    let emu = emulator().await;
    emu.create_room(1400000002, 1);
    Call::post("DismissRoom", json!({"SdkAppId": 1400000002u64, "RoomId": 1}))
        .send(emu.addr())
        .await
        .is("UnauthorizedOperation.SdkAppId");
    assert!(emu.grant_app(ID, 1400000002));
    Call::post("DismissRoom", json!({"SdkAppId": 1400000002u64, "RoomId": 1}))
        .send(emu.addr())
        .await
        .ok();
}

#[tokio::test]
async fn credentials_added_at_run_time_are_accepted_and_keys_never_leak() {
    let emu = emulator().await;
    assert!(emu
        .add_credential(CredentialEntry::new("AKIDlater", " spaced", [APP]))
        .is_err());
    emu.add_credential(CredentialEntry::new("AKIDlater", "laterKey", [APP]).with_token("t0k"))
        .unwrap();
    dismiss(1)
        .key("AKIDlater", "laterKey")
        .token("t0k")
        .send(emu.addr())
        .await
        .ok();
    let journal = format!("{:?}", emu.journal());
    assert!(journal.contains("AKIDlater"));
    for secret in ["laterKey", "t0k", KEY] {
        assert!(!journal.contains(secret), "{secret} in {journal}");
    }
}

#[tokio::test]
async fn a_replaced_key_is_refused_from_the_next_request_on() {
    let emu = emulator().await;
    // The first request derives and keeps the day's signing key for KEY.
    dismiss(1).send(emu.addr()).await.ok();
    emu.add_credential(CredentialEntry::new(ID, "replacementKey", [APP]))
        .unwrap();
    dismiss(2).send(emu.addr()).await.is("AuthFailure.SignatureFailure");
    dismiss(2).key(ID, "replacementKey").send(emu.addr()).await.ok();
    emu.reset();
    dismiss(1)
        .key(ID, "replacementKey")
        .send(emu.addr())
        .await
        .is("AuthFailure.SignatureFailure");
    dismiss(1).send(emu.addr()).await.ok();
}
