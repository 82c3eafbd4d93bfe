//! A minimal signed HTTP/1.1 client for the emulator's tests: every header and byte under the test's control,
//! signed with `trtc-sign` as the official SDKs sign.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use trtc_emulator::EmulatorConfig;
use trtc_sign::{sign, Credentials, SignableRequest, SignedHeaders, SigningParams, Timestamp};

pub(crate) const APP: u64 = 1400000001;
pub(crate) const ID: &str = "AKIDemulatorTestKey00000000000000000";
pub(crate) const KEY: &str = "emulatorTestSecretKey00000000000";
pub(crate) const TEMP_ID: &str = "AKIDtemporaryKey0000000000000000000";
pub(crate) const TEMP_KEY: &str = "temporarySecretKey00000000000000";
pub(crate) const TOKEN: &str = "sessionTokenForTheTemporaryKey";

/// The permanent key `ID`/`KEY` and the temporary `TEMP_ID`/`TEMP_KEY` with `TOKEN`, both owning `APP`.
pub(crate) fn permanent_and_temporary() -> EmulatorConfig {
    EmulatorConfig::new()
        .credential(ID, KEY, [APP])
        .temporary_credential(TEMP_ID, TEMP_KEY, TOKEN, [APP])
}

pub(crate) fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// One API request, signed when sent.
#[derive(Clone)]
pub(crate) struct Call {
    pub method: &'static str,
    pub action: String,
    pub version: String,
    pub region: Option<String>,
    pub timestamp: u64,
    /// The JSON body (POST) or the query string (GET).
    pub payload: String,
    pub secret_id: String,
    pub secret_key: String,
    pub token: Option<String>,
    pub signed_headers: SignedHeaders,
    pub unsigned_payload: bool,
    /// The Host header sent and signed; `None` for `127.0.0.1:PORT`.
    pub host: Option<String>,
    /// Headers to leave out of the request entirely.
    pub omit: Vec<&'static str>,
    /// Extra headers added after signing (they may break the signature on purpose).
    pub extra: Vec<(String, String)>,
}

/// A region the action is offered in: ap-guangzhou, unless the regions its documentation lists leave it out
/// (`CreateLiveStreamModeration`: ap-shanghai only).
pub(crate) fn region_for(action: &str) -> String {
    struct Regions;
    impl trtc_model::actions::ActionVisitor for Regions {
        type Output = &'static [trtc_model::Region];
        fn visit<A: trtc_model::TypedAction>(self) -> Self::Output {
            A::REGIONS
        }
    }
    let listed = trtc_model::actions::visit(action, Regions).unwrap_or_default();
    match listed.first() {
        Some(first) if !listed.contains(&trtc_model::Region::ApGuangzhou) => first.as_str().to_owned(),
        _ => "ap-guangzhou".to_owned(),
    }
}

impl Call {
    pub(crate) fn post(action: &str, body: Value) -> Call {
        Call {
            method: "POST",
            action: action.to_owned(),
            version: "2019-07-22".to_owned(),
            region: Some(region_for(action)),
            timestamp: now(),
            payload: body.to_string(),
            secret_id: ID.to_owned(),
            secret_key: KEY.to_owned(),
            token: None,
            signed_headers: SignedHeaders::ContentTypeHost,
            unsigned_payload: false,
            host: None,
            omit: Vec::new(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn get(action: &str, query: &str) -> Call {
        Call {
            method: "GET",
            payload: query.to_owned(),
            ..Call::post(action, Value::Null)
        }
    }

    pub(crate) fn key(mut self, secret_id: &str, secret_key: &str) -> Call {
        self.secret_id = secret_id.to_owned();
        self.secret_key = secret_key.to_owned();
        self
    }

    pub(crate) fn token(mut self, token: &str) -> Call {
        self.token = Some(token.to_owned());
        self
    }

    pub(crate) fn region(mut self, region: Option<&str>) -> Call {
        self.region = region.map(str::to_owned);
        self
    }

    pub(crate) fn version(mut self, version: &str) -> Call {
        self.version = version.to_owned();
        self
    }

    pub(crate) fn timestamp(mut self, timestamp: u64) -> Call {
        self.timestamp = timestamp;
        self
    }

    pub(crate) fn omit(mut self, header: &'static str) -> Call {
        self.omit.push(header);
        self
    }

    /// The raw bytes of the request to `addr`.
    pub(crate) fn to_bytes(&self, addr: SocketAddr) -> Vec<u8> {
        let host = self.host.clone().unwrap_or_else(|| addr.to_string());
        let content_type = if self.method == "GET" {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        };
        let creds = Credentials::new(self.secret_id.as_str(), self.secret_key.as_str()).unwrap();
        let creds = match &self.token {
            Some(token) => creds.with_token(token.as_str()).unwrap(),
            None => creds,
        };
        let mut params = SigningParams::new(
            "trtc",
            &host,
            &self.action,
            &self.version,
            Timestamp::from_secs(self.timestamp).unwrap(),
        )
        .with_signed_headers(self.signed_headers);
        if let Some(region) = &self.region {
            params = params.with_region(region);
        }
        let (target, body) = if self.method == "GET" {
            (format!("/?{}", self.payload), String::new())
        } else {
            ("/".to_owned(), self.payload.clone())
        };
        let mut signable = if self.method == "GET" {
            SignableRequest::get(&self.payload)
        } else {
            SignableRequest::post(content_type, body.as_bytes())
        };
        if self.unsigned_payload {
            signable = signable.with_unsigned_payload();
        }
        // A version the signer refuses (empty) is sent unsigned: the emulator must answer it all the same.
        let signed = sign(&creds, &params, &signable).ok();
        let mut headers: Vec<(String, String)> = vec![
            ("Host".into(), host.clone()),
            ("Content-Type".into(), content_type.into()),
            ("Content-Length".into(), body.len().to_string()),
            ("Connection".into(), "close".into()),
        ];
        match &signed {
            Some(out) => headers.extend(out.headers().map(|h| (h.name().to_owned(), h.value().to_owned()))),
            None => {
                headers.push(("X-TC-Action".into(), self.action.clone()));
                headers.push(("X-TC-Version".into(), self.version.clone()));
                headers.push(("X-TC-Timestamp".into(), self.timestamp.to_string()));
            }
        }
        headers.retain(|(name, _)| !self.omit.iter().any(|o| o.eq_ignore_ascii_case(name)));
        headers.extend(self.extra.iter().cloned());
        let mut out = format!("{} {target} HTTP/1.1\r\n", self.method);
        for (name, value) in headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&body);
        out.into_bytes()
    }

    pub(crate) async fn send(&self, addr: SocketAddr) -> Answer {
        raw(addr, &self.to_bytes(addr)).await.expect("an HTTP answer")
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The error code of an API envelope, `None` for a success envelope.
    pub(crate) fn code(&self) -> Option<String> {
        assert_eq!(self.status, 200, "{}", self.body);
        assert_eq!(self.content_type.as_deref(), Some("application/json"));
        let json = self.json();
        let response = &json["Response"];
        let request_id = response["RequestId"].as_str().expect("a RequestId");
        assert_eq!(request_id.len(), 36, "{request_id}");
        response["Error"]["Code"].as_str().map(str::to_owned)
    }

    pub(crate) fn message(&self) -> String {
        self.json()["Response"]["Error"]["Message"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// Asserts a success envelope.
    pub(crate) fn ok(&self) {
        assert_eq!(self.code(), None, "{}", self.body);
    }

    /// Asserts an error envelope with this code.
    pub(crate) fn is(&self, code: &str) {
        assert_eq!(self.code().as_deref(), Some(code), "{}", self.body);
    }
}

/// Sends raw bytes on a fresh connection and reads the answer until the server closes it;
/// `None` when the connection closes without a byte.
pub(crate) async fn raw(addr: SocketAddr, request: &[u8]) -> Option<Answer> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut buf = Vec::new();
    // A reset instead of a clean close also counts as "no answer".
    let _ = stream.read_to_end(&mut buf).await;
    if buf.is_empty() {
        return None;
    }
    let text = String::from_utf8(buf).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete head");
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_owned());
    Some(Answer {
        status,
        content_type,
        body: body.to_owned(),
    })
}

/// An admin API request; returns status and JSON.
pub(crate) async fn admin(addr: SocketAddr, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} /_emulator/{path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = raw(addr, request.as_bytes()).await.expect("an admin answer");
    assert_eq!(answer.content_type.as_deref(), Some("application/json"));
    (answer.status, answer.json())
}
