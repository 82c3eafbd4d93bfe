//! The blocking client reads an event stream as an iterator, each event as it arrives.
#![cfg(all(feature = "blocking", feature = "tts"))]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use trtc::api::tts::{TextToSpeechSSERequest, Voice};
use trtc::{Client, Credentials, Error, Region, RetryPolicy};

#[test]
fn events_are_read_one_by_one_and_an_error_event_ends_the_iterator() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        // The head and the short JSON body arrive before the answer is written.
        while !String::from_utf8_lossy(&request).contains("\"SdkAppId\":1400000001") {
            let n = socket.read(&mut buf).unwrap();
            assert!(n > 0, "the request arrives whole");
            request.extend_from_slice(&buf[..n]);
        }
        socket
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-TC-RequestId: r-1\r\nTransfer-Encoding: chunked\r\n\r\n")
            .unwrap();
        for event in [
            "data: {\"Type\": \"chunk\", \"Seq\": 0, \"IsEnd\": false}\n\n",
            "data: {\"Type\": \"error\", \"Error\": {\"Code\": \"InternalError\", \"Message\": \"boom\"}}\n\n",
        ] {
            std::thread::sleep(Duration::from_millis(30));
            socket
                .write_all(format!("{:x}\r\n{event}\r\n", event.len()).as_bytes())
                .unwrap();
        }
        let _ = socket.write_all(b"0\r\n\r\n");
    });
    let client = trtc::blocking::Client::new(
        Client::builder()
            .credential(
                Credentials::new(
                    "AKIDblockingStream000000000000000000",
                    "blockingStreamSecret000000000000",
                )
                .unwrap(),
            )
            .region(Region::ApGuangzhou)
            .endpoint(endpoint)
            .retry(RetryPolicy::disabled())
            .no_rate_limit()
            .build()
            .unwrap(),
    )
    .unwrap();
    let mut events = client
        .text_to_speech_sse(TextToSpeechSSERequest::new("hello", Voice::new("v-1"), 1400000001))
        .unwrap();
    assert_eq!(events.next().unwrap().unwrap().seq, Some(0));
    match events.next() {
        Some(Err(Error::Api(api))) => {
            assert_eq!(api.code.as_str(), "InternalError");
            assert_eq!(api.request_id, "r-1");
        }
        other => panic!("the error event ends the stream, got {other:?}"),
    }
    assert!(events.next().is_none());
    server.join().unwrap();
}
