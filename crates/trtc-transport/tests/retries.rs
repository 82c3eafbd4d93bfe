//! Retry, timeout, rate-limit and failover rules, driven by a scripted transport so each rule is exact.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use trtc_model::{Action, DismissRoomResponse};
use trtc_transport::{
    BoxFuture, BreakerConfig, Client, ClientBuilder, Credentials, DismissRoomRequest, Error, ErrorCode, Region,
    RetryPolicy, Transport, TransportError, TransportErrorKind,
};

/// One scripted answer.
#[derive(Clone)]
enum Step {
    Ok,
    Code(&'static str),
    Html(u16),
    Fail(TransportErrorKind),
    Hang,
}

/// Answers requests from a script (repeating the last step), recording what was sent and where.
#[derive(Clone, Default)]
struct Scripted {
    steps: Arc<Mutex<VecDeque<Step>>>,
    sent: Arc<Mutex<Vec<http::Request<Bytes>>>>,
    calls: Arc<AtomicUsize>,
}

impl Scripted {
    fn new(steps: &[Step]) -> Self {
        let s = Scripted::default();
        s.steps.lock().unwrap().extend(steps.iter().cloned());
        s
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn hosts(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.headers()["host"].to_str().unwrap().to_owned())
            .collect()
    }
}

impl Transport for Scripted {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.sent.lock().unwrap().push(request);
        let step = {
            let mut steps = self.steps.lock().unwrap();
            if steps.len() > 1 {
                steps.pop_front().unwrap()
            } else {
                steps.front().cloned().unwrap_or(Step::Ok)
            }
        };
        Box::pin(async move {
            let json = |body: String| Ok(http::Response::new(Bytes::from(body)));
            match step {
                Step::Ok => json(r#"{"Response":{"RequestId":"ok-1"}}"#.to_owned()),
                Step::Code(code) => json(format!(
                    r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"scripted"}},"RequestId":"err-1"}}}}"#
                )),
                Step::Html(status) => {
                    let mut response = http::Response::new(Bytes::from_static(b"<html>Bad Gateway</html>"));
                    *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
                    Ok(response)
                }
                Step::Fail(kind) => Err(TransportError::new(kind, "scripted failure", None)),
                Step::Hang => std::future::pending().await,
            }
        })
    }
}

fn builder(transport: &Scripted) -> ClientBuilder {
    Client::builder()
        .credential(Credentials::new("AKIDretry", "retrySecretKey").unwrap())
        .region(Region::ApGuangzhou)
        .endpoint("trtc.tencentcloudapi.com")
        .transport(transport.clone())
        .no_rate_limit()
        .retry(RetryPolicy::default().with_max_attempts(4))
}

fn dismiss() -> DismissRoomRequest {
    DismissRoomRequest::new(1400000001, 1234)
}

/// An action that must not be repeated after an ambiguous failure.
#[derive(Serialize)]
struct NotIdempotent {
    #[serde(rename = "SdkAppId")]
    sdk_app_id: u64,
}

impl Action for NotIdempotent {
    const NAME: &'static str = "CreateSomething";
    const VERSION: &'static str = "2019-07-22";
    const SERVICE: &'static str = "trtc";
    const REGIONS: &'static [Region] = &[];
    const IDEMPOTENT: bool = false;
    type Response = DismissRoomResponse;

    fn validate(&self) -> Result<(), trtc_model::Error> {
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn throttling_and_transient_errors_are_retried() {
    for (first, second) in [
        (Step::Code("RequestLimitExceeded"), Step::Ok),
        (Step::Code("RequestLimitExceeded.UinLimitExceeded"), Step::Ok),
        (Step::Code("InternalError"), Step::Ok),
        (Step::Code("InternalError.GetRoomFromCacheError"), Step::Ok),
        (Step::Html(502), Step::Ok),
        (Step::Html(503), Step::Ok),
        (Step::Html(504), Step::Ok),
        (Step::Fail(TransportErrorKind::Connect), Step::Ok),
    ] {
        let transport = Scripted::new(&[first, second]);
        let client = builder(&transport).build().unwrap();
        let out = client.dismiss_room(dismiss()).await.unwrap();
        assert_eq!(out.request_id, "ok-1");
        assert_eq!(transport.calls(), 2);
    }
}

#[tokio::test(start_paused = true)]
async fn every_attempt_is_signed_again() {
    let transport = Scripted::new(&[Step::Code("InternalError"), Step::Code("InternalError"), Step::Ok]);
    let client = builder(&transport).build().unwrap();
    client.dismiss_room(dismiss()).await.unwrap();
    let sent = transport.sent.lock().unwrap();
    assert_eq!(sent.len(), 3);
    for request in sent.iter() {
        let auth = &request.headers()["authorization"];
        assert!(auth.is_sensitive(), "Authorization is marked sensitive");
        assert!(auth
            .to_str()
            .unwrap()
            .starts_with("TC3-HMAC-SHA256 Credential=AKIDretry/"));
        assert!(request.headers().contains_key("x-tc-timestamp"));
    }
}

#[tokio::test(start_paused = true)]
async fn auth_and_caller_errors_are_never_retried() {
    for code in [
        "AuthFailure.SignatureFailure",
        "AuthFailure.SecretIdNotFound",
        "AuthFailure.SignatureExpire",
        "FailedOperation.RoomNotExist",
        "InvalidParameter.RoomId",
        "UnauthorizedOperation.SdkAppId",
    ] {
        let transport = Scripted::new(&[Step::Code(code)]);
        let client = builder(&transport).build().unwrap();
        let err = client.dismiss_room(dismiss()).await.unwrap_err();
        assert_eq!(err.code().map(ErrorCode::as_str), Some(code));
        assert_eq!(transport.calls(), 1, "{code} is not retried");
    }
    let transport = Scripted::new(&[Step::Html(500)]);
    let client = builder(&transport).build().unwrap();
    assert!(matches!(
        client.dismiss_room(dismiss()).await,
        Err(Error::UnexpectedResponse { status: 500, .. })
    ));
    assert_eq!(transport.calls(), 1);
}

#[tokio::test(start_paused = true)]
async fn ambiguous_failures_are_retried_only_for_idempotent_actions() {
    let transport = Scripted::new(&[Step::Fail(TransportErrorKind::Io), Step::Ok]);
    let client = builder(&transport).build().unwrap();
    client.dismiss_room(dismiss()).await.unwrap();
    assert_eq!(transport.calls(), 2, "DismissRoom is safe to repeat");

    let transport = Scripted::new(&[Step::Fail(TransportErrorKind::Io), Step::Ok]);
    let client = builder(&transport).skip_region_check().build().unwrap();
    let err = client.call(&NotIdempotent { sdk_app_id: 1 }).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        transport.calls(),
        1,
        "a non-idempotent action is not repeated after an ambiguous failure"
    );

    let transport = Scripted::new(&[Step::Fail(TransportErrorKind::Connect), Step::Ok]);
    let client = builder(&transport).skip_region_check().build().unwrap();
    client.call(&NotIdempotent { sdk_app_id: 1 }).await.unwrap();
    assert_eq!(transport.calls(), 2, "a request that was never sent may be sent");
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_attempt_is_retried_and_the_call_has_a_deadline() {
    let transport = Scripted::new(&[Step::Hang, Step::Ok]);
    let client = builder(&transport)
        .attempt_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    client.dismiss_room(dismiss()).await.unwrap();
    assert_eq!(transport.calls(), 2);

    let transport = Scripted::new(&[Step::Hang]);
    let client = builder(&transport)
        .attempt_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let err = client.dismiss_room(dismiss()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(
        start.elapsed() <= Duration::from_secs(5),
        "the overall deadline holds: {:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn attempts_are_capped() {
    let transport = Scripted::new(&[Step::Code("InternalError")]);
    let client = builder(&transport).build().unwrap();
    let err = client.dismiss_room(dismiss()).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InternalError));
    assert_eq!(transport.calls(), 4);
}

#[tokio::test(start_paused = true)]
async fn the_retry_budget_stops_a_storm() {
    let transport = Scripted::new(&[Step::Code("InternalError")]);
    let client = builder(&transport)
        .retry(RetryPolicy::default().with_max_attempts(4).with_budget(50))
        .build()
        .unwrap();
    for _ in 0..100 {
        assert!(client.dismiss_room(dismiss()).await.is_err());
    }
    // 50 tokens pay for 10 retries of 5 each; every other call goes once.
    assert_eq!(transport.calls(), 110);
}

#[tokio::test(start_paused = true)]
async fn the_rate_limiter_paces_1000_calls_over_50_seconds() {
    let transport = Scripted::new(&[Step::Ok]);
    let client = builder(&transport).rate_limit(20).unwrap().build().unwrap();
    let start = tokio::time::Instant::now();
    let calls: Vec<_> = (0..1000)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.dismiss_room(dismiss()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let elapsed = start.elapsed();
    assert_eq!(transport.calls(), 1000);
    // The first permit at once, then one every 52.5 ms (20 per second plus the 50 ms guard): 999 x 52.5 ms,
    // about 52 s.
    // (The paused clock's timers fire on whole milliseconds.)
    assert!(
        (Duration::from_millis(52_440)..=Duration::from_millis(52_460)).contains(&elapsed),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_breaker_moves_calls_to_the_backup_and_back() {
    let transport = Scripted::new(&[Step::Ok]);
    *transport.steps.lock().unwrap() = VecDeque::from(vec![Step::Fail(TransportErrorKind::Connect); 5]);
    transport.steps.lock().unwrap().push_back(Step::Ok);
    let client = builder(&transport)
        .retry(RetryPolicy::disabled())
        .backup_endpoint("trtc.ap-singapore.tencentcloudapi.com", BreakerConfig::default())
        .build()
        .unwrap();
    for _ in 0..5 {
        assert!(client.dismiss_room(dismiss()).await.is_err());
    }
    client.dismiss_room(dismiss()).await.unwrap();
    let hosts = transport.hosts();
    assert!(hosts[..5].iter().all(|h| h == "trtc.tencentcloudapi.com"), "{hosts:?}");
    assert_eq!(
        hosts[5], "trtc.ap-singapore.tencentcloudapi.com",
        "open breaker: backup"
    );
    tokio::time::advance(Duration::from_secs(61)).await;
    client.dismiss_room(dismiss()).await.unwrap();
    client.dismiss_room(dismiss()).await.unwrap();
    let hosts = transport.hosts();
    assert_eq!(
        &hosts[6..],
        ["trtc.tencentcloudapi.com", "trtc.tencentcloudapi.com"],
        "probe succeeded: primary again"
    );
}

#[tokio::test]
async fn builder_refuses_bad_settings_with_the_fix() {
    let transport = Scripted::new(&[Step::Ok]);
    for (builder, want) in [
        (builder(&transport).language("fr-FR"), "zh-CN"),
        (builder(&transport).header("Authorization", "x"), "set by the client"),
        (builder(&transport).header("X-TC-Token", "x"), "set by the client"),
        (
            builder(&transport).header("X-Trace", "a\r\nb"),
            "not a valid HTTP header value",
        ),
        (builder(&transport).request_client("tag\nX"), "control characters"),
        (builder(&transport).timeout(Duration::ZERO), "greater than zero"),
        (builder(&transport).regional_endpoint(), "not both"),
    ] {
        let err = builder.build().unwrap_err();
        assert!(err.to_string().contains(want), "{err}");
    }
    assert!(Client::builder()
        .region(Region::ApBeijing)
        .build()
        .unwrap_err()
        .to_string()
        .contains("credential"));
}

#[tokio::test]
async fn regional_endpoint_and_custom_headers_are_sent() {
    let transport = Scripted::new(&[Step::Ok]);
    let client = Client::builder()
        .credential(Credentials::new("AKIDretry", "retrySecretKey").unwrap())
        .region(Region::ApSingapore)
        .regional_endpoint()
        .transport(transport.clone())
        .header("X-Trace-Id", "abc")
        .request_client("my-service/1.0")
        .language("en-US")
        .build()
        .unwrap();
    client.dismiss_room(dismiss()).await.unwrap();
    let sent = transport.sent.lock().unwrap();
    let headers = sent[0].headers();
    assert_eq!(headers["host"], "trtc.ap-singapore.tencentcloudapi.com");
    assert_eq!(headers["x-tc-region"], "ap-singapore");
    assert_eq!(headers["x-trace-id"], "abc");
    assert_eq!(headers["x-tc-requestclient"], "my-service/1.0");
    assert_eq!(headers["x-tc-language"], "en-US");
}

#[tokio::test]
async fn untyped_calls_to_another_service_go_to_its_host() {
    let transport = Scripted::new(&[Step::Ok]);
    let client = Client::builder()
        .credential(Credentials::new("AKIDretry", "retrySecretKey").unwrap())
        .region(Region::ApGuangzhou)
        .transport(transport.clone())
        .build()
        .unwrap();
    let answer = client
        .call_json(
            "cvm",
            "DescribeInstances",
            "2017-03-12",
            serde_json::json!({"Limit": 1}),
        )
        .await
        .unwrap();
    assert_eq!(answer["RequestId"], "ok-1");
    let sent = transport.sent.lock().unwrap();
    assert_eq!(sent[0].headers()["host"], "cvm.tencentcloudapi.com");
    assert_eq!(sent[0].headers()["x-tc-action"], "DescribeInstances");
    assert_eq!(sent[0].headers()["x-tc-version"], "2017-03-12");
    let auth = sent[0].headers()["authorization"].to_str().unwrap();
    assert!(auth.contains("/cvm/tc3_request"), "signed for the cvm service");
    assert_eq!(sent[0].body().as_ref(), br#"{"Limit":1}"#);
}

/// Records the keys it is asked for and grants at once.
#[derive(Debug, Default, Clone)]
struct RecordingLimiter(Arc<Mutex<Vec<String>>>);

impl trtc_transport::RateLimiter for RecordingLimiter {
    fn acquire<'a>(
        &'a self,
        key: trtc_transport::RateKey<'a>,
    ) -> BoxFuture<'a, Result<(), trtc_transport::RateLimitError>> {
        self.0.lock().unwrap().push(format!(
            "{}/{}/{}/{:?}",
            key.service, key.action, key.secret_id, key.sdk_app_id
        ));
        Box::pin(async { Ok(()) })
    }
}

#[tokio::test]
async fn rate_limit_keys_name_the_application() {
    let transport = Scripted::new(&[Step::Ok]);
    let limiter = RecordingLimiter::default();
    let client = builder(&transport).rate_limiter(limiter.clone()).build().unwrap();
    client
        .dismiss_room(DismissRoomRequest::new(1400000001, 1))
        .await
        .unwrap();
    client
        .dismiss_room(DismissRoomRequest::new(1400000002, 1))
        .await
        .unwrap();
    client
        .call_json(
            "trtc",
            "DismissRoom",
            "2019-07-22",
            serde_json::json!({"SdkAppId": 1400000003, "RoomId": 1}),
        )
        .await
        .unwrap();
    assert_eq!(
        *limiter.0.lock().unwrap(),
        [
            "trtc/DismissRoom/AKIDretry/Some(1400000001)",
            "trtc/DismissRoom/AKIDretry/Some(1400000002)",
            "trtc/DismissRoom/AKIDretry/Some(1400000003)",
        ]
    );
}

/// A limiter whose store is gone: every permit fails with its own error.
#[derive(Debug)]
struct ClosedLimiter;

#[derive(Debug)]
struct StoreClosed;

impl std::fmt::Display for StoreClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the budget store is closed")
    }
}

impl std::error::Error for StoreClosed {}

impl trtc_transport::RateLimiter for ClosedLimiter {
    fn acquire<'a>(
        &'a self,
        _key: trtc_transport::RateKey<'a>,
    ) -> BoxFuture<'a, Result<(), trtc_transport::RateLimitError>> {
        Box::pin(async { Err(trtc_transport::RateLimitError::new(StoreClosed)) })
    }
}

#[tokio::test]
async fn a_limiter_that_cannot_decide_fails_the_call_unsent_with_its_own_error() {
    let transport = Scripted::new(&[Step::Ok]);
    let client = builder(&transport).rate_limiter(ClosedLimiter).build().unwrap();
    let err = client
        .dismiss_room(DismissRoomRequest::new(1400000001, 1))
        .await
        .unwrap_err();
    let Error::RateLimit(limit) = &err else {
        panic!("expected Error::RateLimit, got {err:?}");
    };
    assert!(limit.downcast_ref::<StoreClosed>().is_some());
    // Each message once: the wrapper's, then the limiter's own as the source.
    assert_eq!(
        err.to_string(),
        "the rate limiter could not grant a permit, so the request was not sent"
    );
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), "the budget store is closed");
    assert!(source.source().is_none());
    assert!(transport.sent.lock().unwrap().is_empty(), "nothing was sent");
}
