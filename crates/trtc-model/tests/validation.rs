//! Client-side checks: every request that is certainly wrong is refused before sending, naming the field and
//! the rule; everything else is left to the service.

use trtc_model::{
    Action, DismissRoomByStrRoomIdRequest, DismissRoomRequest, Error, Mute, Region, RemoveUserByStrRoomIdRequest,
    RemoveUserRequest, SetUserBlockedByStrRoomIdRequest, SetUserBlockedRequest, MAX_STR_ROOM_ID_BYTES, MAX_USER_IDS,
};

const APP: u64 = 1400000001;

fn users(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user_{i}")).collect()
}

fn refused(result: Result<(), Error>) -> (&'static str, String) {
    match result {
        Err(Error::InvalidField { field, problem }) => (field, problem),
        other => panic!("expected InvalidField, got {other:?}"),
    }
}

#[test]
fn certainly_wrong_requests_are_refused_naming_field_and_rule() {
    let long = "r".repeat(MAX_STR_ROOM_ID_BYTES + 1);
    // (what, validation result, field, a fragment of the rule)
    let cases: Vec<(&str, Result<(), Error>, &str, &str)> = vec![
        (
            "zero SdkAppId",
            DismissRoomRequest::new(0, 1).validate(),
            "SdkAppId",
            "must not be 0",
        ),
        (
            "zero RoomId",
            DismissRoomRequest::new(APP, 0).validate(),
            "RoomId",
            "must not be 0",
        ),
        (
            "empty string room",
            DismissRoomByStrRoomIdRequest::new(APP, "").validate(),
            "RoomId",
            "must not be empty",
        ),
        (
            "65-byte room",
            DismissRoomByStrRoomIdRequest::new(APP, long.clone()).validate(),
            "RoomId",
            "65 bytes",
        ),
        (
            "22 three-byte characters",
            DismissRoomByStrRoomIdRequest::new(APP, "房".repeat(22)).validate(),
            "RoomId",
            "66 bytes",
        ),
        (
            "a slash",
            DismissRoomByStrRoomIdRequest::new(APP, "a/b").validate(),
            "RoomId",
            "'/' at byte 1",
        ),
        (
            "a CJK room",
            DismissRoomByStrRoomIdRequest::new(APP, "房间").validate(),
            "RoomId",
            "'房' at byte 0",
        ),
        (
            "zero SdkAppId, str",
            DismissRoomByStrRoomIdRequest::new(0, "a").validate(),
            "SdkAppId",
            "must not be 0",
        ),
        (
            "no users",
            RemoveUserRequest::new(APP, 1, users(0)).validate(),
            "UserIds",
            "at least one",
        ),
        (
            "eleven users",
            RemoveUserRequest::new(APP, 1, users(11)).validate(),
            "UserIds",
            "names 11 users",
        ),
        (
            "an empty user",
            RemoveUserRequest::new(APP, 1, ["a", ""]).validate(),
            "UserIds",
            "entry 1 is empty",
        ),
        (
            "zero room, remove",
            RemoveUserRequest::new(APP, 0, ["a"]).validate(),
            "RoomId",
            "must not be 0",
        ),
        (
            "no users, str",
            RemoveUserByStrRoomIdRequest::new(APP, "abcd", users(0)).validate(),
            "UserIds",
            "at least one",
        ),
        (
            "eleven users, str",
            RemoveUserByStrRoomIdRequest::new(APP, "abcd", users(11)).validate(),
            "UserIds",
            "over the limit of 10",
        ),
        (
            "empty room, remove str",
            RemoveUserByStrRoomIdRequest::new(APP, "", ["a"]).validate(),
            "RoomId",
            "must not be empty",
        ),
        (
            "empty UserId",
            SetUserBlockedRequest::new(APP, 1, "", Mute::AudioAndVideo).validate(),
            "UserId",
            "must not be empty",
        ),
        (
            "zero room, block",
            SetUserBlockedRequest::new(APP, 0, "u", Mute::Off).validate(),
            "RoomId",
            "must not be 0",
        ),
        (
            "empty StrRoomId",
            SetUserBlockedByStrRoomIdRequest::new(APP, "", "u", Mute::Off).validate(),
            "StrRoomId",
            "must not be empty",
        ),
        (
            "long StrRoomId",
            SetUserBlockedByStrRoomIdRequest::new(APP, long, "u", Mute::Off).validate(),
            "StrRoomId",
            "over the limit of 64",
        ),
        (
            "empty UserId, str",
            SetUserBlockedByStrRoomIdRequest::new(APP, "r", "", Mute::Off).validate(),
            "UserId",
            "must not be empty",
        ),
    ];
    for (what, result, field, fragment) in cases {
        let (got_field, problem) = refused(result);
        assert_eq!(got_field, field, "{what}");
        assert!(problem.contains(fragment), "{what}: {problem:?} lacks {fragment:?}");
        let shown = Error::InvalidField {
            field: got_field,
            problem,
        }
        .to_string();
        assert!(shown.starts_with(&format!("{field}: ")), "{what}: {shown}");
    }
}

#[test]
fn the_edges_of_every_rule_are_accepted() {
    let max_room = "r".repeat(MAX_STR_ROOM_ID_BYTES);
    DismissRoomRequest::new(1, 1).validate().unwrap();
    // No upper bound on numeric room ids: the documentation disagrees on it, so the service decides.
    DismissRoomRequest::new(u64::MAX, u64::MAX).validate().unwrap();
    DismissRoomRequest::new(APP, 4294967295).validate().unwrap();
    DismissRoomByStrRoomIdRequest::new(APP, "a").validate().unwrap();
    DismissRoomByStrRoomIdRequest::new(APP, max_room.clone())
        .validate()
        .unwrap();
    DismissRoomByStrRoomIdRequest::new(APP, "Room 1 (#2) [x]: a+b=c, {d|e}~^_@?<>.;!$%&-")
        .validate()
        .unwrap();
    RemoveUserRequest::new(APP, 1, users(1)).validate().unwrap();
    RemoveUserRequest::new(APP, 1, users(MAX_USER_IDS)).validate().unwrap();
    RemoveUserByStrRoomIdRequest::new(APP, max_room.clone(), users(MAX_USER_IDS))
        .validate()
        .unwrap();
    for mute in Mute::ALL {
        SetUserBlockedRequest::new(APP, 1, "u", mute).validate().unwrap();
        SetUserBlockedByStrRoomIdRequest::new(APP, max_room.clone(), "u", mute)
            .validate()
            .unwrap();
    }
}

#[test]
fn a_region_the_action_is_not_documented_for_is_refused_listing_the_supported_ones() {
    fn check<A: Action>() {
        for region in [Region::ApBeijing, Region::ApGuangzhou, Region::ApSingapore] {
            A::check_region(&region).unwrap();
        }
        for region in [Region::EuFrankfurt, Region::ApMumbai, Region::Other("ap-moon".into())] {
            let err = A::check_region(&region).unwrap_err();
            let Error::UnsupportedRegion {
                action,
                region: got,
                supported,
            } = &err
            else {
                panic!("{err:?}");
            };
            assert_eq!(*action, A::NAME);
            assert_eq!(got, region.as_str());
            assert_eq!(supported, "ap-beijing, ap-guangzhou, ap-singapore");
            let shown = err.to_string();
            assert!(
                shown.contains(A::NAME) && shown.contains("ap-singapore") && shown.contains("opt out"),
                "{shown}"
            );
        }
    }
    check::<DismissRoomRequest>();
    check::<DismissRoomByStrRoomIdRequest>();
    check::<RemoveUserRequest>();
    check::<RemoveUserByStrRoomIdRequest>();
    check::<SetUserBlockedRequest>();
    check::<SetUserBlockedByStrRoomIdRequest>();
}

// Every room action sets a state or removes something, so a request whose answer was lost may be sent again.
const _: () = assert!(
    DismissRoomRequest::IDEMPOTENT
        && DismissRoomByStrRoomIdRequest::IDEMPOTENT
        && RemoveUserRequest::IDEMPOTENT
        && RemoveUserByStrRoomIdRequest::IDEMPOTENT
        && SetUserBlockedRequest::IDEMPOTENT
        && SetUserBlockedByStrRoomIdRequest::IDEMPOTENT
);

#[test]
fn regions_parse_from_the_api_form() {
    assert_eq!("ap-guangzhou".parse::<Region>().unwrap(), Region::ApGuangzhou);
    assert_eq!("sa-saopaulo".parse::<Region>().unwrap(), Region::SaSaopaulo);
    assert_eq!("ap-nanjing".parse::<Region>().unwrap(), Region::ApNanjing);
    assert_eq!(
        "eu-moscow".parse::<Region>().unwrap(),
        Region::Other("eu-moscow".into())
    );
    for region in Region::KNOWN {
        assert_eq!(&region.as_str().parse::<Region>().unwrap(), region);
        assert_eq!(region.to_string(), region.as_str());
    }
    assert_eq!(Region::KNOWN.len(), 18);
    for bad in ["", "AP-GUANGZHOU", "ap guangzhou", "ap-guangzhou\n", "ap_guangzhou"] {
        let err = bad.parse::<Region>().unwrap_err();
        assert!(
            matches!(err, Error::InvalidField { field: "Region", .. }),
            "{bad:?}: {err:?}"
        );
    }
}
