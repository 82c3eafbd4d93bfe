//! Legacy v1 signatures (`HmacSHA1`, `HmacSHA256`) over real HTTP: every parameter in the query of a GET or
//! the form body of a POST, signed with `trtc_sign::sign_v1` as the official SDKs sign, and checked with the
//! same codes and in the same order as TC3-HMAC-SHA256.

mod common;

use std::net::SocketAddr;

use common::{now, Answer, APP, ID, KEY, TEMP_ID, TEMP_KEY, TOKEN};
use trtc_emulator::{Emulator, Outcome, RoomId};
use trtc_sign::{sign_v1, Method, Secret, V1Request};

async fn emulator() -> Emulator {
    let config = (1..=5).fold(common::permanent_and_temporary(), |config, room| config.room(APP, room));
    Emulator::start(config).await.unwrap()
}

/// The answer to a `DismissRoom` of room 1 by `method`, with the parameter `name` set to `value`.
async fn dismiss_with(emu: &Emulator, method: Method, name: &str, value: &str) -> Answer {
    V1Call::dismiss(method, 1).set(name, value).send(emu.addr()).await
}

/// One v1 request: its parameters in the order sent, signed with `secret_key` when sent.
#[derive(Clone)]
struct V1Call {
    method: Method,
    params: Vec<(String, String)>,
    secret_key: String,
}

impl V1Call {
    /// An action with the common parameters of the official SDKs, signed with the test key (HmacSHA1, no
    /// `SignatureMethod`), then the action's own parameters.
    fn new(method: Method, action: &str, action_params: &[(&str, &str)]) -> V1Call {
        let timestamp = now().to_string();
        let mut call = V1Call {
            method,
            params: Vec::new(),
            secret_key: KEY.to_owned(),
        };
        for (name, value) in [
            ("Action", action),
            ("RequestClient", "SDK_PYTHON_3.0.0"),
            ("Nonce", "12345"),
            ("Timestamp", timestamp.as_str()),
            ("Version", "2019-07-22"),
            ("Region", "ap-guangzhou"),
            ("SecretId", ID),
            ("Language", "en-US"),
        ]
        .into_iter()
        .chain(action_params.iter().copied())
        {
            call = call.set(name, value);
        }
        call
    }

    fn dismiss(method: Method, room: u64) -> V1Call {
        V1Call::new(
            method,
            "DismissRoom",
            &[("SdkAppId", &APP.to_string()), ("RoomId", &room.to_string())],
        )
    }

    /// Sets a parameter, replacing one of the same name.
    fn set(mut self, name: &str, value: &str) -> V1Call {
        match self.params.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => *v = value.to_owned(),
            None => self.params.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    /// Leaves a parameter out.
    fn without(mut self, name: &str) -> V1Call {
        self.params.retain(|(k, _)| k != name);
        self
    }

    fn key(self, secret_id: &str, secret_key: &str) -> V1Call {
        let mut call = self.set("SecretId", secret_id);
        call.secret_key = secret_key.to_owned();
        call
    }

    /// The raw bytes of the request to `addr`: the parameters and `Signature` in the query of a GET or the
    /// form body of a POST.
    fn to_bytes(&self, addr: SocketAddr) -> Vec<u8> {
        let host = addr.to_string();
        let request = self
            .params
            .iter()
            .fold(V1Request::new(self.method, host.as_str()), |r, (k, v)| {
                r.param(k.as_str(), v.as_str())
            });
        let signed = sign_v1(&Secret::new(self.secret_key.as_str()), &request).unwrap();
        let (target, body) = match self.method {
            Method::Get => (format!("/?{}", signed.encoded()), String::new()),
            Method::Post => ("/".to_owned(), signed.encoded().to_owned()),
        };
        format!(
            "{} {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.method.as_str(),
            body.len()
        )
        .into_bytes()
    }

    async fn send(&self, addr: SocketAddr) -> Answer {
        common::raw(addr, &self.to_bytes(addr)).await.expect("an HTTP answer")
    }
}

#[tokio::test]
async fn get_and_form_post_with_hmac_sha1_and_sha256_dismiss_the_room() {
    let emu = emulator().await;
    let cases = [
        (Method::Get, None, 1),
        (Method::Post, None, 2),
        (Method::Get, Some("HmacSHA256"), 3),
        (Method::Post, Some("HmacSHA256"), 4),
        (Method::Post, Some("HmacSHA1"), 5),
    ];
    for (method, signature_method, room) in cases {
        let mut call = V1Call::dismiss(method, room);
        if let Some(signature_method) = signature_method {
            call = call.set("SignatureMethod", signature_method);
        }
        call.send(emu.addr()).await.ok();
        assert!(!emu.room_exists(APP, room), "{method:?} {signature_method:?}");
    }
    V1Call::dismiss(Method::Get, 1)
        .send(emu.addr())
        .await
        .is("FailedOperation.RoomNotExist");
}

#[tokio::test]
async fn a_wrong_key_a_changed_value_or_an_unknown_method_is_signature_failure() {
    let emu = emulator().await;
    for method in [Method::Get, Method::Post] {
        V1Call::dismiss(method, 1)
            .key(ID, "notTheKey")
            .send(emu.addr())
            .await
            .is("AuthFailure.SignatureFailure");
        V1Call::dismiss(method, 1)
            .set("SignatureMethod", "HmacSHA256")
            .key(ID, "notTheKey")
            .send(emu.addr())
            .await
            .is("AuthFailure.SignatureFailure");
    }
    // Signed for room 1, sent for room 2.
    let signed = V1Call::dismiss(Method::Get, 1).to_bytes(emu.addr());
    let tampered = String::from_utf8(signed).unwrap().replace("RoomId=1&", "RoomId=2&");
    common::raw(emu.addr(), tampered.as_bytes())
        .await
        .unwrap()
        .is("AuthFailure.SignatureFailure");
    // A method the signer refuses: sign it by hand as HmacSHA1 under another name.
    let mut bytes = String::from_utf8(V1Call::dismiss(Method::Post, 1).to_bytes(emu.addr())).unwrap();
    bytes = bytes.replace("Action=DismissRoom", "SignatureMethod=HmacMD5&Action=DismissRoom");
    let bytes = fix_content_length(&bytes);
    common::raw(emu.addr(), bytes.as_bytes())
        .await
        .unwrap()
        .is("AuthFailure.SignatureFailure");
    // Without a Signature parameter.
    let unsigned = String::from_utf8(V1Call::dismiss(Method::Get, 1).to_bytes(emu.addr())).unwrap();
    let at = unsigned.find("&Signature=").unwrap();
    let end = at + unsigned[at..].find(' ').unwrap();
    let unsigned = format!("{}{}", &unsigned[..at], &unsigned[end..]);
    common::raw(emu.addr(), unsigned.as_bytes())
        .await
        .unwrap()
        .is("AuthFailure.SignatureFailure");
    assert!(
        emu.room_exists(APP, 1) && emu.room_exists(APP, 2),
        "a refused request changes nothing"
    );
}

/// The request with its Content-Length set to its body's length.
fn fix_content_length(request: &str) -> String {
    let (head, body) = request.split_once("\r\n\r\n").unwrap();
    let head: Vec<String> = head
        .lines()
        .map(|line| match line.strip_prefix("Content-Length: ") {
            Some(_) => format!("Content-Length: {}", body.len()),
            None => line.to_owned(),
        })
        .collect();
    format!("{}\r\n\r\n{body}", head.join("\r\n"))
}

#[tokio::test]
async fn unknown_secret_id_and_an_old_timestamp_are_refused_as_for_tc3() {
    let emu = emulator().await;
    V1Call::dismiss(Method::Get, 1)
        .key("AKIDnobodyHasThis", KEY)
        .send(emu.addr())
        .await
        .is("AuthFailure.SecretIdNotFound");
    for timestamp in [now() - 301, now() + 301] {
        let answer = dismiss_with(&emu, Method::Post, "Timestamp", &timestamp.to_string()).await;
        answer.is("AuthFailure.SignatureExpire");
        assert!(answer.message().contains("300 seconds"), "{}", answer.message());
    }
    dismiss_with(&emu, Method::Post, "Timestamp", "yesterday")
        .await
        .is("InvalidParameter");
    assert!(emu.room_exists(APP, 1));
}

#[tokio::test]
async fn temporary_credentials_need_their_token_parameter() {
    let emu = emulator().await;
    let temp = || V1Call::dismiss(Method::Get, 1).key(TEMP_ID, TEMP_KEY);
    temp().send(emu.addr()).await.is("AuthFailure.TokenFailure");
    temp()
        .set("Token", "someOtherToken")
        .send(emu.addr())
        .await
        .is("AuthFailure.TokenFailure");
    V1Call::dismiss(Method::Get, 1)
        .set("Token", TOKEN)
        .send(emu.addr())
        .await
        .is("AuthFailure.TokenFailure");
    assert!(emu.room_exists(APP, 1));
    temp().set("Token", TOKEN).send(emu.addr()).await.ok();
    assert!(!emu.room_exists(APP, 1));
    // By form POST too.
    V1Call::dismiss(Method::Post, 2)
        .key(TEMP_ID, TEMP_KEY)
        .set("Token", TOKEN)
        .send(emu.addr())
        .await
        .ok();
    assert!(!emu.room_exists(APP, 2));
}

#[tokio::test]
async fn list_parameters_are_signed_flat_and_read_as_lists() {
    let emu = emulator().await;
    emu.add_users(APP, 3, ["alice", "bob", "carol"]);
    for method in [Method::Get, Method::Post] {
        emu.add_users(APP, 3, ["alice", "bob"]);
        V1Call::new(
            method,
            "RemoveUser",
            &[
                ("SdkAppId", &APP.to_string()),
                ("RoomId", "3"),
                ("UserIds.0", "alice"),
                ("UserIds.1", "bob"),
            ],
        )
        .set("SignatureMethod", "HmacSHA256")
        .send(emu.addr())
        .await
        .ok();
        let users: Vec<String> = emu.room(APP, 3).unwrap().users.into_iter().map(|u| u.user_id).collect();
        assert_eq!(users, ["carol"], "{method:?}");
    }
}

#[tokio::test]
async fn only_action_parameters_are_checked_against_the_action() {
    let emu = emulator().await;
    let answer = dismiss_with(&emu, Method::Post, "RoomID", "1").await;
    answer.is("UnknownParameter");
    assert!(answer.message().contains("`RoomID`"), "{}", answer.message());
    assert!(emu.room_exists(APP, 1));
    // Every common parameter at once is no action parameter.
    V1Call::dismiss(Method::Get, 1)
        .key(TEMP_ID, TEMP_KEY)
        .set("Token", TOKEN)
        .set("SignatureMethod", "HmacSHA1")
        .send(emu.addr())
        .await
        .ok();
}

#[tokio::test]
async fn common_parameters_are_checked_in_the_tc3_order() {
    let emu = emulator().await;
    for name in ["Action", "Version", "Timestamp", "SecretId", "Nonce"] {
        let answer = V1Call::dismiss(Method::Get, 1).without(name);
        // The signer needs Action, Nonce, Timestamp and SecretId: send those unsigned.
        let bytes = match name {
            "Version" => answer.to_bytes(emu.addr()),
            _ => {
                let query: Vec<String> = answer.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!(
                    "GET /?{}&Signature=x HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                    query.join("&"),
                    emu.addr()
                )
                .into_bytes()
            }
        };
        let answer = common::raw(emu.addr(), &bytes).await.unwrap();
        answer.is("MissingParameter");
        assert!(answer.message().contains(&format!("`{name}`")), "{}", answer.message());
    }
    dismiss_with(&emu, Method::Get, "Version", "2018-01-01")
        .await
        .is("NoSuchVersion");
    dismiss_with(&emu, Method::Get, "Action", "DismissRooms")
        .await
        .is("InvalidAction");
    let answer = V1Call::dismiss(Method::Get, 1).without("Region").send(emu.addr()).await;
    answer.is("MissingParameter");
    assert!(answer.message().contains("`Region`"), "{}", answer.message());
    let answer = dismiss_with(&emu, Method::Post, "Region", "mars-1").await;
    answer.is("InvalidParameterValue");
    assert!(answer.message().contains("`Region`"), "{}", answer.message());
    dismiss_with(&emu, Method::Post, "Region", "eu-frankfurt")
        .await
        .is("UnsupportedRegion");
    assert!(emu.room_exists(APP, 1));
}

#[tokio::test]
async fn the_journal_records_v1_requests() {
    let emu = emulator().await;
    V1Call::dismiss(Method::Post, 1).send(emu.addr()).await.ok();
    V1Call::dismiss(Method::Get, 2)
        .key(ID, "notTheKey")
        .send(emu.addr())
        .await
        .is("AuthFailure.SignatureFailure");
    let journal = emu.journal();
    assert_eq!(journal.len(), 2);
    for (entry, (method, room)) in journal.iter().zip([("POST", 1), ("GET", 2)]) {
        assert_eq!(entry.method, method);
        assert_eq!(entry.action.as_deref(), Some("DismissRoom"));
        assert_eq!(entry.secret_id.as_deref(), Some(ID));
        assert_eq!(entry.sdk_app_id, Some(APP));
        assert_eq!(entry.room, Some(RoomId::Number(room)));
    }
    assert_eq!(journal[0].outcome, Outcome::Success);
    assert_eq!(journal[1].code(), Some("AuthFailure.SignatureFailure"));
    let shown = format!("{journal:?}");
    assert!(!shown.contains(KEY), "{shown}");
}
