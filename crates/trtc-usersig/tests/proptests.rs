//! Properties over any input: what is minted verifies to what was asked, and no string panics the verifier.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use proptest::prelude::*;
use trtc_usersig::{Check, Issuer, Privileges, Room, Secret};

fn issuer() -> Issuer {
    Issuer::new(
        1400000000,
        Secret::new("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"),
    )
    .unwrap()
}

/// The outer string for any bytes: zlib, then base64 with `*-_`.
fn wrap(document: &[u8]) -> String {
    let stream = miniz_oxide::deflate::compress_to_vec_zlib(document, 6);
    STANDARD
        .encode(stream)
        .replace('+', "*")
        .replace('/', "-")
        .replace('=', "_")
}

fn user_id() -> impl Strategy<Value = String> {
    "[^\\p{Cc}]{1,32}".prop_filter("at most 32 bytes", |s| s.len() <= 32)
}

fn room() -> impl Strategy<Value = Room> {
    prop_oneof![
        (1u32..=u32::MAX - 1).prop_map(Room::Numeric),
        "[a-zA-Z0-9 !#$%&()+:;<=.>?@\\[\\]^_{}|~,-]{1,64}".prop_map(Room::Str),
    ]
}

proptest! {
    #[test]
    fn user_sigs_verify_to_what_was_minted(user in user_id(), time in 0u64..4_000_000_000, expire in 1u32..=u32::MAX) {
        let issuer = issuer();
        match issuer.user_sig(&user, time, expire) {
            Ok(sig) => {
                let end = time + u64::from(expire);
                let claims = issuer.verify_user_sig(&user, &sig, end).unwrap();
                prop_assert_eq!(&claims.identifier, &user);
                prop_assert_eq!((claims.time, claims.expire), (time, u64::from(expire)));
                prop_assert_eq!(issuer.verify(&user, &sig, end + 1).unwrap_err().check(), Some(Check::Expired));
            }
            Err(e) => prop_assert!(time + u64::from(expire) > u64::from(u32::MAX), "{}", e),
        }
    }

    #[test]
    fn private_map_keys_verify_to_what_was_minted(
        user in user_id(), room in room(), bits in 0u32..=255, time in 0u64..2_000_000_000, expire in 1u32..2_000_000_000,
    ) {
        let issuer = issuer();
        let privileges = Privileges::from_bits(bits).unwrap();
        let key = issuer.private_map_key(&user, &room, privileges, time, expire).unwrap();
        let claims = issuer.verify_private_map_key(&user, &key, time).unwrap();
        let map = claims.private_map.unwrap();
        prop_assert_eq!(map.room, room);
        prop_assert_eq!(map.privileges, privileges);
        prop_assert_eq!(u64::from(map.expires_at), time + u64::from(expire));
    }

    #[test]
    fn privilege_names_round_trip(bits in 0u32..=255) {
        let p = Privileges::from_bits(bits).unwrap();
        prop_assert_eq!(Privileges::parse(&p.to_string()).unwrap(), p);
    }

    #[test]
    fn any_string_is_refused_without_panic(sig in ".{0,400}") {
        let _ = issuer().verify("alice", &sig, 0);
    }

    #[test]
    fn any_string_of_the_alphabet_is_refused_without_panic(sig in "[A-Za-z0-9*_-]{0,600}") {
        let _ = issuer().verify("alice", &sig, 0);
    }

    #[test]
    fn any_inflated_bytes_are_refused_without_panic(doc in proptest::collection::vec(any::<u8>(), 0..600)) {
        let err = issuer().verify("alice", &wrap(&doc), 0).unwrap_err();
        prop_assert!(err.check().is_some());
    }

    #[test]
    fn any_document_fields_are_handled_without_panic(
        identifier in prop_oneof![Just("alice".to_owned()), ".{0,8}"],
        sdkappid in prop_oneof![Just(serde_json::json!(1400000000u32)), any::<i64>().prop_map(serde_json::Value::from), Just(serde_json::json!("1400000000"))],
        time in prop_oneof![any::<u64>().prop_map(serde_json::Value::from), Just(serde_json::json!(-1)), Just(serde_json::json!(1.5))],
        expire in prop_oneof![any::<u64>().prop_map(serde_json::Value::from), Just(serde_json::json!(null))],
        userbuf in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..80)),
        sig in proptest::collection::vec(any::<u8>(), 0..40),
        now in any::<u64>(),
    ) {
        let mut doc = serde_json::json!({
            "TLS.ver": "2.0", "TLS.identifier": identifier, "TLS.sdkappid": sdkappid, "TLS.time": time,
            "TLS.expire": expire, "TLS.sig": STANDARD.encode(&sig),
        });
        if let Some(buf) = userbuf {
            doc["TLS.userbuf"] = STANDARD.encode(buf).into();
        }
        let result = issuer().verify("alice", &wrap(doc.to_string().as_bytes()), now);
        // Without the key, no document can be made to pass.
        prop_assert!(result.is_err());
    }

    #[test]
    fn a_changed_character_never_verifies_as_something_else(index in any::<prop::sample::Index>(), c in "[A-Za-z0-9*_-]") {
        let issuer = issuer();
        let key = issuer.private_map_key("alice", &Room::Numeric(99), Privileges::ALL, 1_700_000_000, 600).unwrap();
        let original = issuer.verify("alice", &key, 1_700_000_000).unwrap();
        let mut bytes = key.into_bytes();
        let i = index.index(bytes.len());
        bytes[i] = c.as_bytes()[0];
        let changed = String::from_utf8(bytes).unwrap();
        if let Ok(claims) = issuer.verify("alice", &changed, 1_700_000_000) {
            prop_assert_eq!(claims, original);
        }
    }
}
