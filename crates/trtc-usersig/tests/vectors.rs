//! The vectors under `tests/vectors/`, minted by the official TLSSigAPIv2 packages (Python and Node) with a
//! fixed clock through `cargo xtask usersig-vectors`: the official strings verify here and decode to the
//! fields they were minted with, and ours, minted again from the same inputs, are the strings the generator
//! found to decode to the official packages' own documents.

use std::path::Path;

use serde_json::Value;
use trtc_usersig::{Check, Issuer, Privileges, Room, Secret};

fn vectors() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let value: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            out.push((path.file_stem().unwrap().to_string_lossy().into_owned(), value));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn u64_of(v: &Value, field: &str) -> u64 {
    v[field].as_u64().unwrap_or_else(|| panic!("{field} is not a number"))
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or_else(|| panic!("{field} is not a string"))
}

#[test]
fn official_strings_verify_and_ours_are_reproduced() {
    let vectors = vectors();
    assert!(vectors.len() >= 20, "only {} vectors", vectors.len());
    let mut kinds = (0, 0, 0);
    for (name, v) in &vectors {
        assert_eq!(str_of(v, "name"), name);
        let sdk_app_id = u32::try_from(u64_of(v, "sdk_app_id")).unwrap();
        let issuer = Issuer::new(sdk_app_id, Secret::new(str_of(v, "key"))).unwrap();
        let user_id = str_of(v, "user_id");
        let time = u64_of(v, "time");
        let expire = u64_of(v, "expire");
        let room = match (&v["room_id"], &v["str_room_id"]) {
            (Value::Number(n), Value::Null) => Some(Room::Numeric(u32::try_from(n.as_u64().unwrap()).unwrap())),
            (Value::Null, Value::String(s)) => Some(Room::Str(s.clone())),
            (Value::Null, Value::Null) => None,
            other => panic!("{name}: room fields {other:?}"),
        };
        match &room {
            None => kinds.0 += 1,
            Some(Room::Numeric(_)) => kinds.1 += 1,
            Some(_) => kinds.2 += 1,
        }
        assert_eq!(
            str_of(v, "kind"),
            if room.is_some() { "private_map_key" } else { "user_sig" },
            "{name}"
        );

        let official = v["official"].as_array().unwrap();
        assert_eq!(official.len(), 2, "{name}: one string from each official package");
        let ours = str_of(v, "ours");
        for sig in official.iter().map(|o| str_of(o, "sig")).chain([ours]) {
            let claims = issuer
                .verify(user_id, sig, time)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(claims.identifier, user_id, "{name}");
            assert_eq!(claims.sdk_app_id, sdk_app_id, "{name}");
            assert_eq!((claims.time, claims.expire), (time, expire), "{name}");
            assert_eq!(claims.identifier, str_of(&v["document"], "TLS.identifier"), "{name}");
            match (&room, &claims.private_map) {
                (None, None) => {
                    issuer.verify_user_sig(user_id, sig, time).unwrap();
                    assert_eq!(
                        issuer.verify_private_map_key(user_id, sig, time).unwrap_err().check(),
                        Some(Check::UserBuf)
                    );
                }
                (Some(room), Some(map)) => {
                    assert_eq!(&map.room, room, "{name}");
                    assert_eq!(u64::from(map.privileges.bits()), u64_of(v, "privilege_map"), "{name}");
                    assert_eq!(u64::from(map.expires_at), time + expire, "{name}");
                    assert_eq!(map.account_type, 0, "{name}");
                    issuer.verify_private_map_key(user_id, sig, time).unwrap();
                    assert_eq!(
                        issuer.verify_user_sig(user_id, sig, time).unwrap_err().check(),
                        Some(Check::UserBuf)
                    );
                }
                other => panic!("{name}: kind mismatch {other:?}"),
            }

            // Valid through the last second, expired the next; every other check fails on its own.
            assert!(issuer.verify(user_id, sig, time + expire).is_ok(), "{name}");
            let check = |r: Result<_, trtc_usersig::Error>| r.unwrap_err().check();
            assert_eq!(
                check(issuer.verify(user_id, sig, time + expire + 1)),
                Some(Check::Expired),
                "{name}"
            );
            assert_eq!(
                check(issuer.verify("someone-else", sig, time)),
                Some(Check::Identifier),
                "{name}"
            );
            let other_app = Issuer::new(sdk_app_id + 1, Secret::new(str_of(v, "key"))).unwrap();
            assert_eq!(
                check(other_app.verify(user_id, sig, time)),
                Some(Check::SdkAppId),
                "{name}"
            );
            let other_key = Issuer::new(sdk_app_id, Secret::new("not-the-key")).unwrap();
            assert_eq!(
                check(other_key.verify(user_id, sig, time)),
                Some(Check::Signature),
                "{name}"
            );
        }

        // Minted again, ours is exactly the string the generator checked against the official packages.
        let expire = u32::try_from(expire).unwrap();
        let again = match &room {
            None => issuer.user_sig(user_id, time, expire).unwrap(),
            Some(room) => {
                let privileges = Privileges::from_bits(u32::try_from(u64_of(v, "privilege_map")).unwrap()).unwrap();
                issuer.private_map_key(user_id, room, privileges, time, expire).unwrap()
            }
        };
        assert_eq!(
            again, ours,
            "{name}: our minting changed; regenerate with cargo xtask usersig-vectors"
        );
        assert!(v["ours_checked"].as_array().is_some_and(|c| c.len() >= 3), "{name}");
    }
    assert!(
        kinds.0 >= 5 && kinds.1 >= 5 && kinds.2 >= 4,
        "vectors of each kind: {kinds:?}"
    );
}
