//! The gateway's checks before an action runs: method, common parameters, version, action, region.

mod common;

use common::{Call, APP, ID, KEY};
use serde_json::json;
use trtc_emulator::{Emulator, EmulatorConfig};

async fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::new().credential(ID, KEY, [APP]).room(APP, 1))
        .await
        .unwrap()
}

fn dismiss() -> Call {
    Call::post("DismissRoom", json!({"SdkAppId": APP, "RoomId": 1}))
}

#[tokio::test]
async fn missing_common_parameters_are_missing_parameter_naming_them() {
    let emu = emulator().await;
    for (header, name) in [
        ("X-TC-Action", "Action"),
        ("X-TC-Timestamp", "Timestamp"),
        ("X-TC-Region", "Region"),
    ] {
        let answer = dismiss().omit(header).send(emu.addr()).await;
        answer.is("MissingParameter");
        assert!(answer.message().contains(&format!("`{name}`")), "{}", answer.message());
    }
    let answer = dismiss().version("").send(emu.addr()).await;
    answer.is("MissingParameter");
    assert!(answer.message().contains("`Version`"), "{}", answer.message());
    assert!(emu.room_exists(APP, 1));
}

#[tokio::test]
async fn a_wrong_version_is_no_such_version() {
    let emu = emulator().await;
    dismiss()
        .version("2018-01-01")
        .send(emu.addr())
        .await
        .is("NoSuchVersion");
}

#[tokio::test]
async fn an_unknown_action_is_invalid_action() {
    let emu = emulator().await;
    let answer = Call::post("DismissRooms", json!({"SdkAppId": APP, "RoomId": 1}))
        .send(emu.addr())
        .await;
    answer.is("InvalidAction");
    assert_eq!(
        answer.message(),
        "The action `DismissRooms` does not exist in TRTC 2019-07-22. Did you mean `DismissRoom`?"
    );
    let answer = Call::post("NoSuchThing", json!({})).send(emu.addr()).await;
    answer.is("InvalidAction");
    assert_eq!(
        answer.message(),
        "The action `NoSuchThing` does not exist in TRTC 2019-07-22."
    );
}

#[tokio::test]
async fn regions_the_action_is_not_offered_in_are_unsupported_region() {
    let emu = emulator().await;
    dismiss()
        .region(Some("eu-frankfurt"))
        .send(emu.addr())
        .await
        .is("UnsupportedRegion");
    dismiss()
        .region(Some("mars-1"))
        .send(emu.addr())
        .await
        .is("InvalidParameterValue");
    dismiss()
        .region(Some("AP-GUANGZHOU"))
        .send(emu.addr())
        .await
        .is("InvalidParameterValue");
    assert!(emu.room_exists(APP, 1));
    for region in ["ap-beijing", "ap-singapore"] {
        emu.create_room(APP, 1);
        dismiss().region(Some(region)).send(emu.addr()).await.ok();
    }
}

#[tokio::test]
async fn methods_other_than_post_and_get_are_unsupported_protocol() {
    let emu = emulator().await;
    let mut bytes = dismiss().to_bytes(emu.addr());
    bytes.splice(0..4, *b"PUT");
    common::raw(emu.addr(), &bytes).await.unwrap().is("UnsupportedProtocol");
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_invalid_parameter() {
    let emu = emulator().await;
    for body in ["[1,2]", "{\"SdkAppId\":", "\"text\""] {
        let mut call = dismiss();
        call.payload = body.to_owned();
        call.send(emu.addr()).await.is("InvalidParameter");
    }
}

#[tokio::test]
async fn a_timestamp_that_is_not_a_number_is_invalid_parameter() {
    let emu = emulator().await;
    let mut call = dismiss().omit("X-TC-Timestamp");
    call.extra.push(("X-TC-Timestamp".into(), "yesterday".into()));
    call.send(emu.addr()).await.is("InvalidParameter");
}

#[tokio::test]
async fn answers_are_exactly_application_json() {
    // The official Python SDK and tccli take an error envelope for success under any other Content-Type.
    let emu = emulator().await;
    let answer = dismiss().version("2000-01-01").send(emu.addr()).await;
    assert_eq!(answer.content_type.as_deref(), Some("application/json"));
    let ok = dismiss().send(emu.addr()).await;
    assert_eq!(ok.content_type.as_deref(), Some("application/json"));
}

/// The request as `Call::to_bytes` writes it, its body sent in chunks of `chunk` bytes instead.
fn chunked(request: &[u8], chunk: usize) -> Vec<u8> {
    let text = String::from_utf8(request.to_vec()).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let head: Vec<&str> = head
        .split("\r\n")
        .filter(|line| !line.starts_with("Content-Length:"))
        .collect();
    let mut out = format!("{}\r\nTransfer-Encoding: chunked\r\n\r\n", head.join("\r\n")).into_bytes();
    for piece in body.as_bytes().chunks(chunk) {
        out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        out.extend_from_slice(piece);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

#[tokio::test]
async fn a_body_sent_in_pieces_is_verified_whole() {
    let emu = emulator().await;
    let request = chunked(&dismiss().to_bytes(emu.addr()), 5);
    common::raw(emu.addr(), &request).await.unwrap().ok();
    assert!(!emu.room_exists(APP, 1));
}

#[tokio::test]
async fn a_body_over_10_mb_is_request_size_limit_exceeded() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let emu = emulator().await;
    let mut call = dismiss();
    call.payload = format!("{}{}", " ".repeat(10 * 1024 * 1024 - 30), call.payload);
    let request = chunked(&call.to_bytes(emu.addr()), 1024 * 1024);
    let stream = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    // The answer may come before the whole body is written; the rest of the writing may then fail.
    let writer = tokio::spawn(async move { write.write_all(&request).await.is_ok() });
    let mut answer = Vec::new();
    let _ = read.read_to_end(&mut answer).await;
    let _ = writer.await;
    let answer = String::from_utf8(answer).unwrap();
    assert!(answer.contains("RequestSizeLimitExceeded"), "{answer}");
    assert!(emu.room_exists(APP, 1));
}
