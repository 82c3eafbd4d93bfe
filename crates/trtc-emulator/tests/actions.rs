//! The six room-management actions on the room state, over HTTP, with every documented code they answer.

mod common;

use common::{Call, APP, ID, KEY};
use serde_json::{json, Value};
use trtc_emulator::{Block, Emulator, EmulatorConfig, RoomId};

async fn emulator() -> Emulator {
    Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP])
            .room(APP, 1)
            .users(APP, 2, ["alice", "bob"])
            .str_room(APP, "abcd")
            .users(APP, "class-7", ["alice", "bob"])
            .room(1400000002, 1),
    )
    .await
    .unwrap()
}

async fn code(emu: &Emulator, action: &str, body: Value) -> Option<String> {
    Call::post(action, body).send(emu.addr()).await.code()
}

#[tokio::test]
async fn dismiss_room() {
    let emu = emulator().await;
    let a = "DismissRoom";
    assert_eq!(
        code(&emu, a, json!({"RoomId": 1})).await.as_deref(),
        Some("MissingParameter.SdkAppId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP})).await.as_deref(),
        Some("MissingParameter.RoomId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": "1400000001", "RoomId": 1}))
            .await
            .as_deref(),
        Some("InvalidParameter.SdkAppId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": "1"})).await.as_deref(),
        Some("InvalidParameter.RoomId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": -1})).await.as_deref(),
        Some("InvalidParameter.RoomId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": 0})).await.as_deref(),
        Some("InvalidParameterValue.RoomId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": 4294967296u64}))
            .await
            .as_deref(),
        Some("InvalidParameterValue.RoomId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": 1400000002u64, "RoomId": 1}))
            .await
            .as_deref(),
        Some("UnauthorizedOperation.SdkAppId")
    );
    assert_eq!(code(&emu, a, json!({"SdkAppId": APP, "RoomId": 1})).await, None);
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": 1})).await.as_deref(),
        Some("FailedOperation.RoomNotExist")
    );
    // Numeric and string rooms are separate: DismissRoom never touches room "abcd".
    assert_eq!(code(&emu, a, json!({"SdkAppId": APP, "RoomId": 2})).await, None);
    assert!(emu.room(APP, 2).is_none(), "a dismissed room takes its users with it");
    assert!(emu.room(1400000002, 1).is_some());
}

#[tokio::test]
async fn dismiss_room_by_str_room_id() {
    let emu = emulator().await;
    let a = "DismissRoomByStrRoomId";
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP})).await.as_deref(),
        Some("MissingParameter.RoomId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": 1})).await.as_deref(),
        Some("InvalidParameter.RoomId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": ""})).await.as_deref(),
        Some("InvalidParameterValue.RoomId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": "x".repeat(65)}))
            .await
            .as_deref(),
        Some("InvalidParameterValue.RoomId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": "1"})).await.as_deref(),
        Some("FailedOperation.RoomNotExist")
    );
    assert_eq!(code(&emu, a, json!({"SdkAppId": APP, "RoomId": "abcd"})).await, None);
    assert!(emu.room(APP, "abcd").is_none());
    assert!(emu.room_exists(APP, 1));
}

#[tokio::test]
async fn remove_user() {
    let emu = emulator().await;
    let a = "RemoveUser";
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": 2})).await.as_deref(),
        Some("MissingParameter.UserIds")
    );
    for bad in [json!("alice"), json!([]), json!([1]), json!([""]), json!(vec!["u"; 11])] {
        assert_eq!(
            code(&emu, a, json!({"SdkAppId": APP, "RoomId": 2, "UserIds": bad}))
                .await
                .as_deref(),
            Some("InvalidParameter.UserIds"),
            "{bad}"
        );
    }
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": 3, "UserIds": ["alice"]}))
            .await
            .as_deref(),
        Some("FailedOperation.RoomNotExist")
    );
    assert_eq!(
        code(
            &emu,
            a,
            json!({"SdkAppId": APP, "RoomId": 2, "UserIds": ["alice", "nobody"]})
        )
        .await,
        None
    );
    let users: Vec<_> = emu.room(APP, 2).unwrap().users.into_iter().map(|u| u.user_id).collect();
    assert_eq!(users, ["bob"]);
    // Removing the last user ends the room, as TRTC ends a room its last user leaves.
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": 2, "UserIds": ["bob"]})).await,
        None
    );
    assert!(!emu.room_exists(APP, 2));
    // A room created without users stays when nobody is removed from it.
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": 1, "UserIds": ["ghost"]})).await,
        None
    );
    assert!(emu.room_exists(APP, 1));
    assert_eq!(
        code(
            &emu,
            a,
            json!({"SdkAppId": 1400000002u64, "RoomId": 1, "UserIds": ["x"]})
        )
        .await
        .as_deref(),
        Some("UnauthorizedOperation.SdkAppId")
    );
}

#[tokio::test]
async fn remove_user_by_str_room_id_also_by_get() {
    let emu = emulator().await;
    let a = "RemoveUserByStrRoomId";
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": "class-7"}))
            .await
            .as_deref(),
        Some("MissingParameter.UserIds")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "RoomId": 7, "UserIds": ["alice"]}))
            .await
            .as_deref(),
        Some("InvalidParameter.RoomId")
    );
    assert_eq!(
        code(
            &emu,
            a,
            json!({"SdkAppId": APP, "RoomId": "class-8", "UserIds": ["alice"]})
        )
        .await
        .as_deref(),
        Some("FailedOperation.RoomNotExist")
    );
    // GET with the list flattened and the room id percent-encoded, as the official SDKs send it.
    Call::get(a, &format!("SdkAppId={APP}&RoomId=class%2D7&UserIds.0=alice"))
        .send(emu.addr())
        .await
        .ok();
    let users: Vec<_> = emu
        .room(APP, "class-7")
        .unwrap()
        .users
        .into_iter()
        .map(|u| u.user_id)
        .collect();
    assert_eq!(users, ["bob"]);
    Call::get(a, &format!("SdkAppId={APP}&RoomId=class-7&UserIds.1=bob"))
        .send(emu.addr())
        .await
        .is("InvalidParameter.UserIds");
}

#[tokio::test]
async fn set_user_blocked() {
    let emu = emulator().await;
    let a = "SetUserBlocked";
    let base = |extra: Value| {
        let mut body = json!({"SdkAppId": APP, "RoomId": 2, "UserId": "alice", "IsMute": 1});
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        body
    };
    assert_eq!(
        code(&emu, a, base(json!({"UserId": null}))).await.as_deref(),
        Some("MissingParameter.UserId")
    );
    assert_eq!(
        code(&emu, a, base(json!({"UserId": 5}))).await.as_deref(),
        Some("InvalidParameter.UserId")
    );
    assert_eq!(
        code(&emu, a, base(json!({"IsMute": null}))).await.as_deref(),
        Some("MissingParameter")
    );
    assert_eq!(
        code(&emu, a, base(json!({"IsMute": 4}))).await.as_deref(),
        Some("InvalidParameter")
    );
    assert_eq!(
        code(&emu, a, base(json!({"IsMute": "1"}))).await.as_deref(),
        Some("InvalidParameter")
    );
    assert_eq!(
        code(&emu, a, base(json!({"RoomId": 0}))).await.as_deref(),
        Some("InvalidParameterValue.RoomId")
    );
    assert_eq!(
        code(&emu, a, base(json!({"RoomId": 9}))).await.as_deref(),
        Some("FailedOperation.RoomNotExist")
    );
    assert_eq!(
        code(&emu, a, base(json!({"UserId": "carol"}))).await.as_deref(),
        Some("FailedOperation.UserNotExist")
    );
    assert_eq!(
        code(&emu, a, base(json!({"SdkAppId": 1400000002u64}))).await.as_deref(),
        Some("UnauthorizedOperation.SdkAppId")
    );
    for (is_mute, block) in [
        (1, Block::AudioAndVideo),
        (2, Block::Audio),
        (3, Block::Video),
        (0, Block::None),
    ] {
        assert_eq!(code(&emu, a, base(json!({"IsMute": is_mute}))).await, None);
        let room = emu.room(APP, 2).unwrap();
        assert_eq!(room.users[0].user_id, "alice");
        assert_eq!(room.users[0].block, block);
        assert_eq!(room.users[1].block, Block::None, "bob is untouched");
    }
}

#[tokio::test]
async fn set_user_blocked_by_str_room_id() {
    let emu = emulator().await;
    let a = "SetUserBlockedByStrRoomId";
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "UserId": "bob", "IsMute": 1}))
            .await
            .as_deref(),
        Some("MissingParameter.RoomId")
    );
    // This action names its room StrRoomId; RoomId is not one of its parameters.
    assert_eq!(
        code(
            &emu,
            a,
            json!({"SdkAppId": APP, "RoomId": "class-7", "UserId": "bob", "IsMute": 1})
        )
        .await
        .as_deref(),
        Some("UnknownParameter")
    );
    assert_eq!(
        code(
            &emu,
            a,
            json!({"SdkAppId": APP, "StrRoomId": 7, "UserId": "bob", "IsMute": 1})
        )
        .await
        .as_deref(),
        Some("InvalidParameter.RoomId")
    );
    assert_eq!(
        code(
            &emu,
            a,
            json!({"SdkAppId": APP, "StrRoomId": "", "UserId": "bob", "IsMute": 1})
        )
        .await
        .as_deref(),
        Some("InvalidParameter.RoomId")
    );
    assert_eq!(
        code(&emu, a, json!({"SdkAppId": APP, "StrRoomId": "class-7", "IsMute": 1}))
            .await
            .as_deref(),
        Some("MissingParameter.UserId")
    );
    assert_eq!(
        code(
            &emu,
            a,
            json!({"SdkAppId": APP, "StrRoomId": "class-7", "UserId": "zed", "IsMute": 1})
        )
        .await
        .as_deref(),
        Some("FailedOperation.UserNotExist")
    );
    assert_eq!(
        code(
            &emu,
            a,
            json!({"SdkAppId": APP, "StrRoomId": "nope", "UserId": "bob", "IsMute": 1})
        )
        .await
        .as_deref(),
        Some("FailedOperation.RoomNotExist")
    );
    Call::get(a, &format!("SdkAppId={APP}&StrRoomId=class-7&UserId=bob&IsMute=2"))
        .send(emu.addr())
        .await
        .ok();
    let room = emu.room(APP, RoomId::from("class-7")).unwrap();
    assert_eq!(room.users[1].user_id, "bob");
    assert_eq!(room.users[1].block, Block::Audio);
}
