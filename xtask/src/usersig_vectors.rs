//! `cargo xtask usersig-vectors`: regenerates trtc-usersig's vectors with the official TLSSigAPIv2 packages.
//!
//! Mints trtc-usersig's string for every case below, installs the official Python package (PyPI) into a venv
//! and the official Node package (npm) under target/, and runs xtask/usersig/generate.py, which has both
//! packages mint each case with a fixed clock, checks ours against them (see the script's notes) and writes
//! `crates/trtc-usersig/tests/vectors/*.json`. The output is committed, so the tests need neither Python nor
//! Node; run this after changing the cases, the generator or the pinned packages.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};
use trtc_usersig::{Issuer, Privileges, Room, Secret};

/// The releases the committed vectors come from. Bump them on purpose, regenerate, and review the diff.
const PY_PACKAGE: &str = "tls-sig-api-v2==1.1";
const NODE_PACKAGE: &str = "tls-sig-api-v2@1.0.2";

/// The official packages' README key, a 40-character one, and one with characters outside hex.
const README_KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const KEY_40: &str = "0123456789abcdefABCDEF0123456789abcdefAB";
const KEY_TEXT: &str = "trtc-rs example key: not hex, with spaces & symbols!";

struct Case {
    name: &'static str,
    sdk_app_id: u32,
    key: &'static str,
    user_id: &'static str,
    time: u64,
    expire: u32,
    room: Option<Room>,
    privilege_map: u32,
}

fn cases() -> Vec<Case> {
    let user_sig = |name, sdk_app_id, key, user_id, time, expire| Case {
        name,
        sdk_app_id,
        key,
        user_id,
        time,
        expire,
        room: None,
        privilege_map: 0,
    };
    let numeric = |name, user_id, room: u32, privilege_map, time, expire| Case {
        name,
        sdk_app_id: 1400000000,
        key: README_KEY,
        user_id,
        time,
        expire,
        room: Some(Room::Numeric(room)),
        privilege_map,
    };
    let string = |name, user_id, room: &str, privilege_map, time, expire| Case {
        name,
        sdk_app_id: 1400000000,
        key: README_KEY,
        user_id,
        time,
        expire,
        room: Some(Room::Str(room.to_owned())),
        privilege_map,
    };
    vec![
        user_sig(
            "usersig-readme-default-expire",
            1400000000,
            README_KEY,
            "xiaojun",
            1_700_000_000,
            15_552_000,
        ),
        user_sig(
            "usersig-one-day",
            1400000000,
            README_KEY,
            "alice",
            1_700_000_000,
            86_400,
        ),
        user_sig("usersig-one-second", 1400000000, README_KEY, "a", 1_700_000_000, 1),
        user_sig(
            "usersig-32-bytes",
            1400000000,
            README_KEY,
            "user_0123456789-ABCDEFGHIJKLMNOP",
            1_733_270_400,
            604_800,
        ),
        user_sig("usersig-key-40", 1600000001, KEY_40, "bob-2", 1_710_115_200, 3_600),
        user_sig("usersig-key-text", 20000001, KEY_TEXT, "carol_3", 1_600_000_000, 7_200),
        user_sig(
            "usersig-non-ascii",
            1400000000,
            README_KEY,
            "\u{7528}\u{6237}-42",
            1_700_000_000,
            86_400,
        ),
        user_sig(
            "usersig-quote-backslash",
            1400000000,
            README_KEY,
            "q\"uo\\te",
            1_700_000_000,
            60,
        ),
        user_sig(
            "usersig-last-expiry",
            1400000000,
            README_KEY,
            "late",
            4_294_000_000,
            967_295,
        ),
        numeric("privmap-room-all", "xiaojun", 10_000, 255, 1_700_000_000, 15_552_000),
        numeric("privmap-room-audience", "alice", 1234, 42, 1_700_000_000, 300),
        numeric("privmap-room-enter-only", "bob", 1, 2, 1_700_000_000, 300),
        numeric("privmap-room-max", "carol", u32::MAX - 1, 255, 1_733_270_400, 86_400),
        numeric("privmap-room-no-privileges", "dave", 77, 0, 1_700_000_000, 60),
        numeric(
            "privmap-room-past-2038",
            "erin",
            4242,
            1 | 2 | 4 | 16,
            2_147_483_000,
            86_400,
        ),
        string("privmap-str-room-lobby", "alice", "lobby", 255, 1_700_000_000, 300),
        string(
            "privmap-str-room-substreams",
            "bob",
            "room-1",
            2 | 64 | 128,
            1_700_000_000,
            3_600,
        ),
        string(
            "privmap-str-room-64-bytes",
            "user_0123456789-ABCDEFGHIJKLMNOP",
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01",
            42,
            1_700_000_000,
            600,
        ),
        string(
            "privmap-str-room-punctuation",
            "carol",
            "a b!#$%&()+-:;<=.>?@[]^_{}|~,z",
            10,
            1_700_000_000,
            600,
        ),
        string("privmap-str-room-digits", "dave", "123", 2, 1_700_000_000, 600),
    ]
}

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let work = root.join("target").join("usersig-vectors");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    let mut list = Vec::new();
    for case in cases() {
        let issuer = Issuer::new(case.sdk_app_id, Secret::new(case.key)).map_err(|e| format!("{}: {e}", case.name))?;
        let ours = match &case.room {
            None => issuer.user_sig(case.user_id, case.time, case.expire),
            Some(room) => {
                let privileges = Privileges::from_bits(case.privilege_map)
                    .ok_or_else(|| format!("{}: privilege map {} out of range", case.name, case.privilege_map))?;
                issuer.private_map_key(case.user_id, room, privileges, case.time, case.expire)
            }
        }
        .map_err(|e| format!("{}: {e}", case.name))?;
        let mut entry = json!({
            "name": case.name, "sdk_app_id": case.sdk_app_id, "key": case.key, "user_id": case.user_id,
            "time": case.time, "expire": case.expire, "ours": ours,
        });
        match &case.room {
            Some(Room::Numeric(id)) => entry["room_id"] = json!(id),
            Some(Room::Str(id)) => entry["str_room_id"] = json!(id),
            _ => {}
        }
        if case.room.is_some() {
            entry["privilege_map"] = json!(case.privilege_map);
        }
        list.push(entry);
    }
    let cases_file = work.join("cases.json");
    let text = serde_json::to_string_pretty(&Value::Array(list)).map_err(|e| e.to_string())?;
    std::fs::write(&cases_file, text).map_err(|e| format!("{}: {e}", cases_file.display()))?;

    let python = crate::vectors::venv(&work.join("venv"))?;
    crate::run(
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
            .arg(PY_PACKAGE),
    )?;
    let node_prefix = work.join("node");
    crate::run(
        Command::new("npm")
            .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
            .arg(&node_prefix)
            .arg(NODE_PACKAGE),
    )
    .map_err(|e| format!("{e} (is Node.js with npm installed?)"))?;
    crate::run(
        Command::new(&python)
            .arg(root.join("xtask").join("usersig").join("generate.py"))
            .arg("--cases")
            .arg(&cases_file)
            .arg("--node-package")
            .arg(node_prefix.join("node_modules").join("tls-sig-api-v2"))
            .arg("--out")
            .arg(root.join("crates").join("trtc-usersig").join("tests").join("vectors")),
    )
}
