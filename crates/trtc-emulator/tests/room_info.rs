//! The room and user queries answered from the emulator's rooms, through signed requests: `DescribeRoomInfo`
//! paged by `PageNumber`/`PageSize` with real create and destroy times, rooms that ended kept for it;
//! `DescribeUserInfo` with join and leave times; the queries the emulator has no data for answered empty.

mod common;

use std::net::SocketAddr;

use common::{now, Call, APP, ID, KEY};
use serde_json::{json, Value};
use trtc_emulator::{Emulator, EmulatorConfig};

async fn ok(addr: SocketAddr, action: &str, body: Value) -> Value {
    let answer = Call::post(action, body).send(addr).await;
    answer.ok();
    answer.json()["Response"].clone()
}

fn window(extra: Value) -> Value {
    let mut body = json!({"SdkAppId": APP, "StartTime": now() - 60, "EndTime": now() + 60});
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    body
}

#[tokio::test]
async fn describe_room_info_pages_the_rooms_alive_and_ended() {
    let mut config = EmulatorConfig::new()
        .credential(ID, KEY, [APP, APP + 1])
        .room(APP + 1, 1);
    for room in 1..=12 {
        config = config.users(APP, room, [format!("host_{room}")]);
    }
    let emu = Emulator::start(config).await.unwrap();
    let addr = emu.addr();
    for room in [3, 7] {
        ok(addr, "DismissRoom", json!({"SdkAppId": APP, "RoomId": room})).await;
    }
    // The default page: 10 rooms, numbered from 0.
    let first = ok(addr, "DescribeRoomInfo", window(json!({}))).await;
    assert_eq!(first["Total"], 12, "ended rooms are kept for the query");
    let list = first["RoomList"].as_array().unwrap();
    assert_eq!(list.len(), 10);
    let mut seen = Vec::new();
    for page in 0..3 {
        let answer = ok(
            addr,
            "DescribeRoomInfo",
            window(json!({"PageNumber": page, "PageSize": 5})),
        )
        .await;
        assert_eq!(answer["Total"], 12);
        let rooms = answer["RoomList"].as_array().unwrap();
        assert_eq!(rooms.len(), [5, 5, 2][page]);
        seen.extend(rooms.iter().cloned());
    }
    let names: Vec<_> = seen
        .iter()
        .map(|r| r["RoomString"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 12, "every room once: {names:?}");
    for room in &seen {
        let id = room["RoomString"].as_str().unwrap();
        let created = room["CreateTime"].as_u64().unwrap();
        assert!(created.abs_diff(now()) < 60, "{room}");
        assert_eq!(room["CommId"], format!("{APP}_{id}_{created}"));
        assert_eq!(room["UserId"], format!("host_{id}"));
        let ended = id == "3" || id == "7";
        assert_eq!(room["IsFinished"], ended, "{room}");
        if ended {
            assert!(room["DestroyTime"].as_u64().unwrap() >= created, "{room}");
        } else {
            assert_eq!(room["DestroyTime"], 0, "{room}");
        }
    }
    let one = ok(addr, "DescribeRoomInfo", window(json!({"RoomId": "7"}))).await;
    assert_eq!(
        (one["Total"].clone(), one["RoomList"][0]["IsFinished"].clone()),
        (json!(1), json!(true))
    );
    let before = ok(
        addr,
        "DescribeRoomInfo",
        json!({"SdkAppId": APP, "StartTime": 1_500_000_000, "EndTime": 1_500_000_100}),
    )
    .await;
    assert_eq!(
        (before["Total"].clone(), before["RoomList"].clone()),
        (json!(0), json!([]))
    );

    for (size, code) in [
        (0, "InvalidParameter.PageSize"),
        (101, "InvalidParameter.PageSizeOversize"),
    ] {
        Call::post("DescribeRoomInfo", window(json!({"PageSize": size})))
            .send(addr)
            .await
            .is(code);
    }
    // The SDKs list no `MissingParameter.StartTime`: the plain code, naming the member.
    let missing = Call::post("DescribeRoomInfo", json!({"SdkAppId": APP, "EndTime": now()}))
        .send(addr)
        .await;
    missing.is("MissingParameter");
    assert!(missing.message().contains("`StartTime`"), "{}", missing.message());
    Call::post("DescribeRoomInfo", window(json!({"SdkAppId": 1400000009})))
        .send(addr)
        .await
        .is("UnauthorizedOperation.SdkAppId");
}

#[tokio::test]
async fn describe_user_info_answers_join_and_leave_times() {
    let emu = Emulator::start(EmulatorConfig::new().credential(ID, KEY, [APP]).users(
        APP,
        "class-7",
        ["alice", "bob", "carol"],
    ))
    .await
    .unwrap();
    let addr = emu.addr();
    ok(
        addr,
        "RemoveUserByStrRoomId",
        json!({"SdkAppId": APP, "RoomId": "class-7", "UserIds": ["bob"]}),
    )
    .await;
    let rooms = ok(addr, "DescribeRoomInfo", window(json!({}))).await;
    let comm_id = rooms["RoomList"][0]["CommId"].as_str().unwrap().to_owned();
    assert!(comm_id.starts_with(&format!("{APP}_class-7_")), "{comm_id}");

    let body = |extra: Value| {
        let mut body = window(extra);
        body["CommId"] = json!(comm_id);
        body
    };
    let users = ok(addr, "DescribeUserInfo", body(json!({}))).await;
    assert_eq!(users["Total"], 3);
    let list = users["UserList"].as_array().unwrap();
    let by_user = |id: &str| list.iter().find(|u| u["UserId"] == id).unwrap().clone();
    assert_eq!(by_user("bob")["Finished"], true);
    assert_eq!(by_user("alice")["Finished"], false);
    assert_eq!(by_user("alice")["RoomStr"], "class-7");
    for user in list {
        assert!(user["LeaveTs"].as_u64() >= user["JoinTs"].as_u64(), "{user}");
        for member in ["DeviceType", "SdkVersion", "ClientIp"] {
            assert!(user[member].is_string(), "{member}: {user}");
        }
    }
    let only = ok(
        addr,
        "DescribeUserInfo",
        body(json!({"UserIds": ["carol"], "PageSize": 1})),
    )
    .await;
    assert_eq!(only["Total"], 1);
    assert_eq!(only["UserList"][0]["UserId"], "carol");
    let second = ok(addr, "DescribeUserInfo", body(json!({"PageNumber": 1, "PageSize": 2}))).await;
    assert_eq!(
        (second["Total"].clone(), second["UserList"].as_array().unwrap().len()),
        (json!(3), 1)
    );

    // The room ends; its users are kept, each left at its end.
    ok(
        addr,
        "DismissRoomByStrRoomId",
        json!({"SdkAppId": APP, "RoomId": "class-7"}),
    )
    .await;
    let ended = ok(addr, "DescribeUserInfo", body(json!({}))).await;
    assert_eq!(ended["Total"], 3);
    assert!(ended["UserList"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["Finished"] == true));
    let detail = ok(addr, "DescribeCallDetailInfo", body(json!({}))).await;
    assert_eq!(detail["Total"], 3);
    assert_eq!(detail["Data"], json!([]), "no quality data without media");
    let unknown = ok(addr, "DescribeUserInfo", {
        let mut b = body(json!({}));
        b["CommId"] = json!("1400000001_nowhere_1");
        b
    })
    .await;
    assert_eq!(
        (unknown["Total"].clone(), unknown["UserList"].clone()),
        (json!(0), json!([]))
    );
}
