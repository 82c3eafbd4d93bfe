//! Stopping an emulator: connections still open, idle between requests, are closed with it.

mod common;

use std::time::Duration;

use common::{Call, APP, ID, KEY};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use trtc_emulator::{Emulator, EmulatorConfig};

/// Reads one answer from a kept-alive connection: up to the end of its JSON envelope.
async fn read_answer(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.ends_with(b"}}") {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
            .await
            .expect("an answer within 5 s")
            .unwrap();
        assert!(n > 0, "closed before answering: {}", String::from_utf8_lossy(&answer));
        answer.extend_from_slice(&buf[..n]);
    }
    String::from_utf8(answer).unwrap()
}

#[tokio::test]
async fn shutdown_closes_kept_alive_connections() {
    let emu = Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP])
            .room(APP, 1)
            .room(APP, 2),
    )
    .await
    .unwrap();
    let addr = emu.addr();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    for room in [1, 2] {
        let request = Call::post("DismissRoom", json!({"SdkAppId": APP, "RoomId": room})).to_bytes(addr);
        let request = String::from_utf8(request)
            .unwrap()
            .replace("Connection: close", "Connection: keep-alive");
        stream.write_all(request.as_bytes()).await.unwrap();
        let answer = read_answer(&mut stream).await;
        assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
        assert!(!answer.contains("\"Error\""), "{answer}");
    }
    emu.shutdown().await;
    let mut buf = [0u8; 64];
    let closed = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
        .await
        .expect("the connection is closed within 5 s of shutdown");
    assert!(matches!(closed, Ok(0) | Err(_)), "{closed:?}");
}
