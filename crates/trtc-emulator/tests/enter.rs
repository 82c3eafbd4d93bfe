//! `POST /_emulator/enter` and `Emulator::enter`: a client entering a room with a UserSig (and, with
//! permission control, a PrivateMapKey), verified with the application's SDK secret key; the room actions
//! then see the user. Strings minted by the official packages (crates/trtc-usersig/tests/vectors) enter too.

mod common;

use std::path::Path;

use common::{admin, now, Call, APP, ID, KEY};
use serde_json::{json, Value};
use trtc_emulator::{Emulator, EmulatorConfig, EnterRequest, SdkAppKey};
use trtc_usersig::{Issuer, Privileges, Room, Secret};

const SDK_KEY: &str = "emulator-sdk-secret-key-0123456789";
/// The official packages' README key, which the vectors were minted with for SdkAppId 1400000000.
const README_KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

fn issuer() -> Issuer {
    Issuer::new(APP as u32, Secret::new(SDK_KEY)).unwrap()
}

fn vector(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../trtc-usersig/tests/vectors")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn emulator(permission_control: bool) -> Emulator {
    Emulator::start(
        EmulatorConfig::new()
            .credential(ID, KEY, [APP])
            .sdk_app_key(SdkAppKey::new(APP, SDK_KEY).with_permission_control(permission_control))
            .sdk_app_key(SdkAppKey::new(1400000000, README_KEY).with_permission_control(permission_control)),
    )
    .await
    .unwrap()
}

fn users_of(rooms: &Value, room: Value) -> Vec<String> {
    rooms["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["room"] == room)
        .flat_map(|r| {
            r["users"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["user_id"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_valid_user_sig_enters_and_the_room_actions_see_the_user() {
    let emu = emulator(false).await;
    let addr = emu.addr();
    let sig = issuer().user_sig("alice", now(), 600).unwrap();
    let (status, body) = admin(
        addr,
        "POST",
        "enter",
        Some(json!({"sdk_app_id": APP, "room": 1234, "user_id": "alice", "user_sig": sig})),
    )
    .await;
    assert_eq!((status, body), (200, json!({"created": true})));
    let bob = issuer().user_sig("bob", now(), 600).unwrap();
    let (status, body) = admin(
        addr,
        "POST",
        "enter",
        Some(json!({"sdk_app_id": APP, "room": 1234, "user_id": "bob", "user_sig": bob})),
    )
    .await;
    assert_eq!((status, body), (200, json!({"created": false})));
    let (_, rooms) = admin(addr, "GET", "rooms", None).await;
    assert_eq!(users_of(&rooms, json!(1234)), ["alice", "bob"]);

    // The API acts on the users who entered: RemoveUser of alice succeeds and leaves bob.
    let answer = Call::post(
        "RemoveUser",
        json!({"SdkAppId": APP, "RoomId": 1234, "UserIds": ["alice"]}),
    )
    .send(addr)
    .await;
    assert_eq!(answer.code(), None, "{}", answer.json());
    let (_, rooms) = admin(addr, "GET", "rooms", None).await;
    assert_eq!(users_of(&rooms, json!(1234)), ["bob"]);

    // A string room is its own room.
    let sig = issuer().user_sig("carol", now(), 600).unwrap();
    let entered = emu.enter(EnterRequest::new(APP, "1234", "carol", sig)).unwrap();
    assert!(entered.created);
    assert_eq!(emu.room(APP, "1234").unwrap().users[0].user_id, "carol");
}

#[tokio::test]
async fn a_bad_user_sig_answers_403_with_the_failed_check() {
    let emu = emulator(false).await;
    let addr = emu.addr();
    let other_app = Issuer::new(1400000002, Secret::new(SDK_KEY)).unwrap();
    let other_key = Issuer::new(APP as u32, Secret::new("another-key")).unwrap();
    let cases = [
        (
            "alice",
            issuer().user_sig("alice", now() - 1000, 10).unwrap(),
            "expired",
        ),
        ("alice", other_key.user_sig("alice", now(), 600).unwrap(), "signature"),
        ("alice", issuer().user_sig("mallory", now(), 600).unwrap(), "identifier"),
        ("alice", other_app.user_sig("alice", now(), 600).unwrap(), "sdk_app_id"),
        ("alice", "not-a-user-sig".to_owned(), "malformed"),
        (
            "alice",
            issuer()
                .private_map_key("alice", &Room::Numeric(1), Privileges::ALL, now(), 600)
                .unwrap(),
            "userbuf",
        ),
    ];
    for (user, sig, check) in cases {
        let (status, body) = admin(
            addr,
            "POST",
            "enter",
            Some(json!({"sdk_app_id": APP, "room": 7, "user_id": user, "user_sig": sig})),
        )
        .await;
        assert_eq!(status, 403, "{check}: {body}");
        assert_eq!(body["check"], check, "{body}");
        assert!(body["error"].as_str().unwrap().starts_with("UserSig: "), "{body}");
        assert!(
            !body.to_string().contains(SDK_KEY) && !body.to_string().contains(&sig),
            "{body}"
        );
    }
    assert!(emu.rooms().is_empty(), "no refused entry created a room");
}

#[tokio::test]
async fn permission_control_needs_a_private_map_key_for_the_room_with_enter() {
    let emu = emulator(true).await;
    let addr = emu.addr();
    let sig = issuer().user_sig("alice", now(), 600).unwrap();
    let enter = |key: Option<String>, room: Value| {
        let mut body = json!({"sdk_app_id": APP, "room": room, "user_id": "alice", "user_sig": sig.clone()});
        if let Some(key) = key {
            body["private_map_key"] = json!(key);
        }
        admin(addr, "POST", "enter", Some(body))
    };
    let key =
        |room: Room, privileges: Privileges| issuer().private_map_key("alice", &room, privileges, now(), 300).ok();

    let (status, body) = enter(None, json!(42)).await;
    assert_eq!(
        (status, body["check"].clone()),
        (403, json!("private_map_key")),
        "{body}"
    );
    let (status, body) = enter(key(Room::Numeric(43), Privileges::ALL), json!(42)).await;
    assert_eq!((status, body["check"].clone()), (403, json!("room")), "{body}");
    let (status, body) = enter(key(Room::Str("42".into()), Privileges::ALL), json!(42)).await;
    assert_eq!(
        (status, body["check"].clone()),
        (403, json!("room")),
        "a string room is another room: {body}"
    );
    let (status, body) = enter(
        key(Room::Numeric(42), Privileges::from_bits(255 - 2).unwrap()),
        json!(42),
    )
    .await;
    assert_eq!((status, body["check"].clone()), (403, json!("privilege")), "{body}");
    let other_key = Issuer::new(APP as u32, Secret::new("another-key")).unwrap();
    let forged = other_key
        .private_map_key("alice", &Room::Numeric(42), Privileges::ALL, now(), 300)
        .ok();
    let (status, body) = enter(forged, json!(42)).await;
    assert_eq!((status, body["check"].clone()), (403, json!("signature")), "{body}");
    assert!(body["error"].as_str().unwrap().starts_with("PrivateMapKey: "), "{body}");
    assert!(emu.rooms().is_empty());

    let (status, body) = enter(key(Room::Numeric(42), Privileges::ENTER), json!(42)).await;
    assert_eq!((status, body), (200, json!({"created": true})));
    let (status, _) = enter(
        key(
            Room::Str("lobby".into()),
            Privileges::parse("enter,recv-audio").unwrap(),
        ),
        json!("lobby"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(emu.room(APP, "lobby").unwrap().users[0].user_id, "alice");
}

#[tokio::test]
async fn strings_minted_by_the_official_packages_enter() {
    // Still valid today: minted in 2106 (validity has no start) and valid until 2038.
    let user_sig = vector("usersig-last-expiry");
    let emu = emulator(false).await;
    for official in user_sig["official"].as_array().unwrap() {
        let request = EnterRequest::new(1400000000, 5, "late", official["sig"].as_str().unwrap());
        assert!(emu.enter(request).is_ok(), "{}", official["source"]);
    }
    let map_key = vector("privmap-room-past-2038");
    let emu = emulator(true).await;
    let user_sig = Issuer::new(1400000000, Secret::new(README_KEY))
        .unwrap()
        .user_sig("erin", now(), 600)
        .unwrap();
    for official in map_key["official"].as_array().unwrap() {
        let request = EnterRequest::new(1400000000, 4242, "erin", user_sig.as_str())
            .with_private_map_key(official["sig"].as_str().unwrap());
        assert!(emu.enter(request).is_ok(), "{}", official["source"]);
        let request = EnterRequest::new(1400000000, 4243, "erin", user_sig.as_str())
            .with_private_map_key(official["sig"].as_str().unwrap());
        assert_eq!(emu.enter(request).unwrap_err().check, "room");
    }
    assert_eq!(emu.room(1400000000, 4242).unwrap().users.len(), 1);
}

#[tokio::test]
async fn keys_are_set_by_the_admin_api_listed_without_the_key_and_reset() {
    let emu = Emulator::start(EmulatorConfig::new().credential(ID, KEY, [APP]))
        .await
        .unwrap();
    let addr = emu.addr();
    let sig = issuer().user_sig("alice", now(), 600).unwrap();
    let body = json!({"sdk_app_id": APP, "room": 1, "user_id": "alice", "user_sig": sig});
    let (status, answer) = admin(addr, "POST", "enter", Some(body.clone())).await;
    assert_eq!((status, answer["check"].clone()), (400, json!("no_key")), "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("sdk-app-keys"), "{answer}");

    let (status, _) = admin(
        addr,
        "POST",
        "sdk-app-keys",
        Some(json!({"sdk_app_id": APP, "sdk_secret_key": SDK_KEY})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, listed) = admin(addr, "GET", "sdk-app-keys", None).await;
    assert_eq!(
        listed,
        json!({"sdk_app_keys": [{"sdk_app_id": APP, "permission_control": false}]})
    );
    let (status, _) = admin(addr, "POST", "enter", Some(body.clone())).await;
    assert_eq!(status, 200);

    let (status, answer) = admin(
        addr,
        "POST",
        "sdk-app-keys",
        Some(json!({"sdk_app_id": APP, "sdk_secret_key": " padded-key "})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(!answer.to_string().contains("padded-key"), "{answer}");
    let (status, _) = admin(addr, "POST", "enter", Some(json!({"sdk_app_id": APP, "room": 1}))).await;
    assert_eq!(status, 400, "a body without the user's fields");
    let (status, answer) = admin(
        addr,
        "POST",
        "enter",
        Some(json!({"sdk_app_id": APP, "room": 0, "user_id": "a", "user_sig": "x"})),
    )
    .await;
    assert_eq!((status, answer["check"].clone()), (400, json!("bad_room")), "{answer}");
    let (status, _) = admin(addr, "GET", "enter", None).await;
    assert_eq!(status, 405);

    admin(addr, "POST", "reset", None).await;
    let (_, listed) = admin(addr, "GET", "sdk-app-keys", None).await;
    assert_eq!(listed, json!({"sdk_app_keys": []}));
    emu.set_sdk_app_key(SdkAppKey::new(APP, SDK_KEY)).unwrap();
    assert!(emu.set_sdk_app_key(SdkAppKey::new(APP, "")).is_err());
}

#[test]
fn the_config_file_holds_keys_checked_and_redacted() {
    let config = EmulatorConfig::from_json(
        r#"{"sdk_app_keys": [{"sdk_app_id": 1400000001, "sdk_secret_key": "file-key", "permission_control": true}]}"#,
    )
    .unwrap();
    assert_eq!(config.sdk_app_keys().len(), 1);
    assert!(config.sdk_app_keys()[0].permission_control);
    assert!(!format!("{config:?}").contains("file-key"));
    let err = EmulatorConfig::from_json(r#"{"sdk_app_keys": [{"sdk_app_id": 1, "sdk_secret_key": "key\n"}]}"#)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("sdk_app_keys[0]: "), "{err}");
    assert!(EmulatorConfig::from_json(r#"{"sdk_app_keys": [{"sdk_app_id": 1, "key": "k"}]}"#).is_err());
    assert!(
        EmulatorConfig::from_json(r#"{"sdk_app_keys": [{"sdk_app_id": 4294967296, "sdk_secret_key": "k"}]}"#).is_err()
    );
}
