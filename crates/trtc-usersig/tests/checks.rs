//! Each input refusal and each verification check, with the error that names it.

use trtc_usersig::{Check, Error, Issuer, Privileges, Room, Secret, DEFAULT_EXPIRE};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const TIME: u64 = 1_700_000_000;

fn issuer() -> Issuer {
    Issuer::new(1400000000, Secret::new(KEY)).unwrap()
}

fn field(err: Error) -> &'static str {
    match err {
        Error::InvalidInput { field, .. } => field,
        other => panic!("not an input error: {other}"),
    }
}

#[test]
fn issuer_refuses_a_zero_app_and_a_bad_key() {
    assert_eq!(field(Issuer::new(0, Secret::new(KEY)).unwrap_err()), "sdk_app_id");
    assert_eq!(field(Issuer::new(1, Secret::new("")).unwrap_err()), "sdk_secret_key");
    let err = Issuer::new(1, Secret::new(format!("{KEY}\n"))).unwrap_err();
    assert!(err.to_string().contains("whitespace"), "{err}");
    assert!(!err.to_string().contains(KEY));
    assert!(!format!("{:?}", issuer()).contains(KEY));
}

#[test]
fn user_ids_the_service_rejects_are_refused() {
    let issuer = issuer();
    for bad in ["", "a\nb", "tab\there", "nul\0", "del\u{7f}", &"x".repeat(33)] {
        let err = issuer.user_sig(bad, TIME, 60).unwrap_err();
        assert_eq!(field(err.clone()), "user_id", "{bad:?}");
        assert!(err.to_string().starts_with("user_id: "), "{err}");
    }
    // 32 bytes, and characters beyond TRTC's recommended set that Chat accepts, are minted.
    for good in [
        "x".repeat(32).as_str(),
        "user_01-A",
        "alice@example",
        "\"quoted\\\"",
        "名字",
    ] {
        let sig = issuer.user_sig(good, TIME, 60).unwrap();
        assert_eq!(issuer.verify(good, &sig, TIME).unwrap().identifier, good);
    }
}

#[test]
fn lifetimes_of_zero_or_past_2106_are_refused() {
    let issuer = issuer();
    assert_eq!(field(issuer.user_sig("a", TIME, 0).unwrap_err()), "expire");
    let last = u64::from(u32::MAX);
    assert!(issuer.user_sig("a", last - 10, 10).is_ok());
    assert_eq!(field(issuer.user_sig("a", last - 10, 11).unwrap_err()), "expire");
    assert_eq!(field(issuer.user_sig("a", u64::MAX, 1).unwrap_err()), "expire");
    let room = Room::numeric(1).unwrap();
    assert_eq!(
        field(
            issuer
                .private_map_key("a", &room, Privileges::ALL, last, 1)
                .unwrap_err()
        ),
        "expire"
    );
}

#[test]
fn rooms_the_service_rejects_are_refused() {
    assert_eq!(field(Room::numeric(0).unwrap_err()), "room_id");
    assert_eq!(field(Room::numeric(u32::MAX).unwrap_err()), "room_id");
    assert!(Room::numeric(u32::MAX - 1).is_ok());
    assert_eq!(field(Room::string("").unwrap_err()), "str_room_id");
    assert_eq!(field(Room::string("x".repeat(65)).unwrap_err()), "str_room_id");
    assert!(Room::string("x".repeat(64)).is_ok());
    for bad in ["a/b", "quote\"", "back\\slash", "star*", "new\nline", "é", "tab\t"] {
        assert_eq!(field(Room::string(bad).unwrap_err()), "str_room_id", "{bad:?}");
    }
    let all89: String = ('a'..='z')
        .chain('A'..='Z')
        .chain('0'..='9')
        .chain(" !#$%&()+-:;<=.>?@[]^_{}|~,".chars())
        .collect();
    assert_eq!(all89.len(), 89);
    for chunk in all89.as_bytes().chunks(64) {
        assert!(Room::string(std::str::from_utf8(chunk).unwrap()).is_ok());
    }
    // A room built directly, bypassing the constructors, is still checked when minting.
    let err = issuer()
        .private_map_key("a", &Room::Str("a/b".into()), Privileges::ALL, TIME, 60)
        .unwrap_err();
    assert_eq!(field(err), "str_room_id");
    let err = issuer()
        .private_map_key("a", &Room::Numeric(0), Privileges::ALL, TIME, 60)
        .unwrap_err();
    assert_eq!(field(err), "room_id");
}

#[test]
fn privilege_maps_parse_from_numbers_and_names() {
    assert_eq!(Privileges::parse("42").unwrap().bits(), 42);
    assert_eq!(Privileges::parse(" enter , recv-audio ").unwrap().bits(), 2 | 8);
    assert_eq!(Privileges::parse("all").unwrap(), Privileges::ALL);
    assert_eq!(Privileges::parse("none").unwrap(), Privileges::NONE);
    let named: u32 = Privileges::NAMED.iter().map(|(_, p)| p.bits()).sum();
    assert_eq!(named, 255);
    for (name, bit) in Privileges::NAMED {
        assert_eq!(Privileges::parse(name).unwrap(), bit);
        assert_eq!(bit.to_string(), name);
    }
    for bad in ["", "256", "enter,fly", "-1", "0x2a"] {
        assert_eq!(field(Privileges::parse(bad).unwrap_err()), "privilege_map", "{bad:?}");
    }
    let err = issuer()
        .private_map_key("a", &Room::Numeric(1), Privileges::from_bits_retain(256), TIME, 60)
        .unwrap_err();
    assert_eq!(field(err), "privilege_map");
}

fn check(result: Result<trtc_usersig::Claims, Error>) -> Check {
    result.unwrap_err().check().expect("a verification failure")
}

#[test]
fn each_check_fails_on_its_own() {
    let issuer = issuer();
    let sig = issuer.user_sig("alice", TIME, 100).unwrap();
    let claims = issuer.verify_user_sig("alice", &sig, TIME + 100).unwrap();
    assert_eq!(
        (claims.time, claims.expire, claims.expires_at()),
        (TIME, 100, TIME + 100)
    );
    assert_eq!(claims.sdk_app_id, 1400000000);
    assert_eq!(claims.private_map, None);

    assert_eq!(check(issuer.verify("alice", &sig, TIME + 101)), Check::Expired);
    assert_eq!(check(issuer.verify("bob", &sig, TIME)), Check::Identifier);
    let other_app = Issuer::new(1400000001, Secret::new(KEY)).unwrap();
    assert_eq!(check(other_app.verify("alice", &sig, TIME)), Check::SdkAppId);
    let other_key = Issuer::new(1400000000, Secret::new("another key")).unwrap();
    let err = other_key.verify("alice", &sig, TIME).unwrap_err();
    assert_eq!(err.check(), Some(Check::Signature));
    assert!(err.to_string().starts_with("signature: "), "{err}");
    assert_eq!(check(issuer.verify("alice", "", TIME)), Check::Malformed);
    assert_eq!(
        check(issuer.verify("alice", &format!(" {sig}"), TIME)),
        Check::Malformed
    );
    assert_eq!(
        check(issuer.verify("alice", &sig[..sig.len() - 8], TIME)),
        Check::Malformed
    );

    // The expected kind.
    let key = issuer
        .private_map_key("alice", &Room::Numeric(7), Privileges::ENTER, TIME, 100)
        .unwrap();
    assert_eq!(check(issuer.verify_user_sig("alice", &key, TIME)), Check::UserBuf);
    assert_eq!(
        check(issuer.verify_private_map_key("alice", &sig, TIME)),
        Check::UserBuf
    );
    let claims = issuer.verify_private_map_key("alice", &key, TIME + 100).unwrap();
    let map = claims.private_map.unwrap();
    assert_eq!(
        (map.room, map.privileges, map.expires_at, map.account_type),
        (Room::Numeric(7), Privileges::ENTER, 1_700_000_100, 0)
    );
    assert_eq!(check(issuer.verify("alice", &key, TIME + 101)), Check::Expired);
}

#[test]
fn errors_never_repeat_the_key_or_the_string() {
    let issuer = issuer();
    let sig = issuer.user_sig("alice", TIME, DEFAULT_EXPIRE).unwrap();
    let wrong = Issuer::new(1400000000, Secret::new("Another-Key-123456")).unwrap();
    for err in [
        wrong.verify("alice", &sig, TIME).unwrap_err(),
        issuer.verify("bob", &sig, TIME).unwrap_err(),
        issuer
            .verify("alice", &sig, TIME + u64::from(DEFAULT_EXPIRE) + 1)
            .unwrap_err(),
    ] {
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains(KEY) && !shown.contains("Another-Key-123456") && !shown.contains(&sig),
            "{shown}"
        );
    }
}

#[test]
fn an_issuer_is_shared_across_threads() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Issuer>();
    let issuer = issuer();
    let minted = std::thread::spawn(move || issuer.user_sig("alice", TIME, 60).unwrap())
        .join()
        .unwrap();
    assert!(self::issuer().verify("alice", &minted, TIME).is_ok());
}
