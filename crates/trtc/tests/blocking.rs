//! `trtc::blocking::Client`: every call, from plain threads, from several threads at once, and from inside an
//! async runtime, against the emulator.
#![cfg(feature = "blocking")]

use trtc::{
    Client, Credentials, DismissRoomByStrRoomIdRequest, DismissRoomRequest, ErrorCode, Mute, Region,
    RemoveUserByStrRoomIdRequest, RemoveUserRequest, SetUserBlockedByStrRoomIdRequest, SetUserBlockedRequest,
};
use trtc_emulator::{Block, Emulator, EmulatorConfig, DEMO_SECRET_ID, DEMO_SECRET_KEY};

const APP: u64 = 1400000001;

/// An emulator served by a runtime of its own, as a blocking program would have it.
struct Server {
    runtime: tokio::runtime::Runtime,
    emulator: Option<Emulator>,
}

impl Server {
    fn start(config: EmulatorConfig) -> Server {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let emulator = runtime.block_on(Emulator::start(config)).unwrap();
        Server {
            runtime,
            emulator: Some(emulator),
        }
    }

    fn emulator(&self) -> &Emulator {
        self.emulator.as_ref().unwrap()
    }

    fn client(&self) -> trtc::blocking::Client {
        trtc::blocking::Client::new(
            Client::builder()
                .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY).unwrap())
                .region(Region::ApGuangzhou)
                .endpoint(self.emulator().endpoint())
                .build()
                .unwrap(),
        )
        .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

#[test]
fn every_room_action_blocks_until_its_answer() {
    let server = Server::start(EmulatorConfig::demo(APP).users(APP, 1, ["alice", "bob"]).users(
        APP,
        "class-7",
        ["alice", "bob"],
    ));
    let client = server.client();
    assert_eq!(client.region(), &Region::ApGuangzhou);
    assert!(client.endpoint().to_string().starts_with("http://127.0.0.1:"));

    client
        .set_user_blocked(SetUserBlockedRequest::new(APP, 1, "alice", Mute::AudioOnly))
        .unwrap();
    client
        .set_user_blocked_by_str_room_id(SetUserBlockedByStrRoomIdRequest::new(
            APP,
            "class-7",
            "alice",
            Mute::VideoOnly,
        ))
        .unwrap();
    let room = server.emulator().room(APP, 1).unwrap();
    assert_eq!(room.users[0].block, Block::Audio);
    client.remove_user(RemoveUserRequest::new(APP, 1, ["bob"])).unwrap();
    client
        .remove_user_by_str_room_id(RemoveUserByStrRoomIdRequest::new(APP, "class-7", ["bob"]))
        .unwrap();
    let out = client.dismiss_room(DismissRoomRequest::new(APP, 1)).unwrap();
    assert_eq!(out.request_id.len(), 36);
    client
        .dismiss_room_by_str_room_id(DismissRoomByStrRoomIdRequest::new(APP, "class-7"))
        .unwrap();
    assert_eq!(server.emulator().room_count(), 0);

    let err = client.dismiss_room(DismissRoomRequest::new(APP, 1)).unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::FailedOperationRoomNotExist));
    let err = client.call(&DismissRoomRequest::new(APP, 0)).unwrap_err();
    assert!(matches!(err, trtc::Error::InvalidRequest(_)), "{err}");

    server.emulator().create_room(APP, 2);
    let answer = client
        .call_json(
            "trtc",
            "DismissRoom",
            "2019-07-22",
            serde_json::json!({"SdkAppId": APP, "RoomId": 2}),
        )
        .unwrap();
    assert!(answer["RequestId"].is_string(), "{answer}");
    assert_eq!(client.as_async().region(), &Region::ApGuangzhou);
}

#[test]
fn several_threads_share_one_client() {
    let mut config = EmulatorConfig::demo(APP);
    for room in 1..=12 {
        config = config.room(APP, room);
    }
    let server = Server::start(config);
    let client = server.client();
    std::thread::scope(|scope| {
        for first in [1, 4, 7, 10] {
            let client = &client;
            scope.spawn(move || {
                for room in first..first + 3 {
                    client.dismiss_room(DismissRoomRequest::new(APP, room)).unwrap();
                }
            });
        }
    });
    assert_eq!(server.emulator().room_count(), 0);
}

#[test]
fn inside_an_async_runtime_it_works_instead_of_panicking() {
    let server = Server::start(EmulatorConfig::demo(APP).room(APP, 1).room(APP, 2));
    let caller = tokio::runtime::Builder::new_current_thread().build().unwrap();
    caller.block_on(async {
        // Made, used and dropped inside an async task.
        let client = server.client();
        client.dismiss_room(DismissRoomRequest::new(APP, 1)).unwrap();
        drop(client);
    });
    // On a thread of the blocking pool, which is inside the runtime's context.
    let client = std::sync::Arc::new(server.client());
    let pool = tokio::runtime::Runtime::new().unwrap();
    pool.block_on(async {
        let client = client.clone();
        tokio::task::spawn_blocking(move || client.dismiss_room(DismissRoomRequest::new(APP, 2)))
            .await
            .unwrap()
    })
    .unwrap();
    assert_eq!(server.emulator().room_count(), 0);
}
