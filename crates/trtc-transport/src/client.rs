//! `Client`: validates a typed request, signs it, sends it through a [`Transport`] and reads the answer,
//! retrying, rate limiting and failing over as configured.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;
use trtc_model::{
    Action, DismissRoomByStrRoomIdRequest, DismissRoomByStrRoomIdResponse, DismissRoomRequest, DismissRoomResponse,
    Region, RemoveUserByStrRoomIdRequest, RemoveUserByStrRoomIdResponse, RemoveUserRequest, RemoveUserResponse,
    SetUserBlockedByStrRoomIdRequest, SetUserBlockedByStrRoomIdResponse, SetUserBlockedRequest, SetUserBlockedResponse,
};
use trtc_sign::{
    sign_with_key, Credentials, Secret, SignableRequest, SignedHeaders, SigningKey, SigningParams, Timestamp,
};

use crate::breaker::{Breaker, Route};
use crate::rate_limit::{LocalRateLimiter, RateKey, RateLimiter};
use crate::retry::{classify, Jitter, RetryBudget};
use crate::{
    BreakerConfig, ChainProvider, Endpoint, Error, HyperTransport, ProvideCredentials, RetryPolicy, Transport,
    DEFAULT_ENDPOINT,
};

/// The most a call may take by default, from the first attempt to the parsed answer, retries included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// The most one attempt may take by default.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

/// The `X-TC-RequestClient` value sent with every request unless replaced.
pub const REQUEST_CLIENT: &str = concat!("trtc-rs/", env!("CARGO_PKG_VERSION"));

const CONTENT_TYPE_JSON: &str = "application/json";
const X_TC_REQUESTCLIENT: http::HeaderName = http::HeaderName::from_static("x-tc-requestclient");

/// The HTTP method requests are sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum HttpMethod {
    /// POST with a JSON body (the default, as the official SDKs).
    #[default]
    Post,
    /// GET with the parameters in the query string (at most 32 KB).
    Get,
}

/// A TRTC API client. Cheap to clone; clones share the connection pool, the rate limiter, the retry budget
/// and the circuit breaker.
///
/// ```no_run
/// use trtc_transport::{Client, Credentials, DismissRoomRequest, Region};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder()
///     .credential(Credentials::new("AKID...", "...")?)
///     .region(Region::ApGuangzhou)
///     .build()?;
/// let out = client.dismiss_room(DismissRoomRequest::new(1400000001, 1234)).await?;
/// println!("{}", out.request_id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// Where the credentials come from: fixed ones are lent to each attempt without a copy.
enum CredentialSource {
    // Boxed: Credentials carries a precomputed HMAC state and is much larger than a pointer.
    Static(Box<Credentials>),
    Provider(Arc<dyn ProvideCredentials>),
}

impl CredentialSource {
    async fn get(&self) -> Result<Cow<'_, Credentials>, Error> {
        match self {
            CredentialSource::Static(credentials) => Ok(Cow::Borrowed(credentials)),
            CredentialSource::Provider(provider) => provider
                .provide_credentials()
                .await
                .map(Cow::Owned)
                .map_err(Error::Credentials),
        }
    }
}

impl std::fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialSource::Static(credentials) => credentials.fmt(f),
            CredentialSource::Provider(provider) => provider.fmt(f),
        }
    }
}

struct Inner {
    credentials: CredentialSource,
    region: Region,
    endpoint: Endpoint,
    // The endpoint was not chosen by the user, so calls to other services may go to their own host.
    endpoint_is_default: bool,
    backup: Option<(Endpoint, Breaker)>,
    language: Option<String>,
    signed_headers: SignedHeaders,
    check_region: bool,
    method: HttpMethod,
    timeout: Duration,
    attempt_timeout: Duration,
    request_client: HeaderValue,
    extra_headers: Vec<(HeaderName, HeaderValue)>,
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    budget: RetryBudget,
    jitter: Jitter,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    // The signing key of the current UTC day and SecretKey, derived once and shared by every call that day.
    key: Mutex<Option<(Secret, Arc<SigningKey>)>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("credentials", &inner.credentials)
            .field("region", &inner.region)
            .field("endpoint", &inner.endpoint)
            .field("backup", &inner.backup.as_ref().map(|(e, _)| e))
            .field("method", &inner.method)
            .field("timeout", &inner.timeout)
            .field("attempt_timeout", &inner.attempt_timeout)
            .field("retry", &inner.retry)
            .field("rate_limiter", &inner.rate_limiter)
            .finish_non_exhaustive()
    }
}

/// What a call is sent as: the action's identity and, for another service, its own endpoint.
struct Target<'a> {
    service: &'a str,
    action: &'a str,
    version: &'a str,
    sdk_app_id: Option<u64>,
    idempotent: bool,
    endpoint: Option<&'a Endpoint>,
}

/// The body of one request in the form it is sent, built once per call and reused by every attempt.
enum Payload {
    Json(Bytes),
    Query(String),
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The region requests are sent for.
    pub fn region(&self) -> &Region {
        &self.inner.region
    }

    /// The endpoint requests are sent to (the primary, when a backup is configured).
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// Dismisses a room with a numeric id (`DismissRoom`).
    pub async fn dismiss_room(&self, request: DismissRoomRequest) -> Result<DismissRoomResponse, Error> {
        self.call(&request).await
    }

    /// Dismisses a room with a string id (`DismissRoomByStrRoomId`).
    pub async fn dismiss_room_by_str_room_id(
        &self,
        request: DismissRoomByStrRoomIdRequest,
    ) -> Result<DismissRoomByStrRoomIdResponse, Error> {
        self.call(&request).await
    }

    /// Removes users from a room with a numeric id (`RemoveUser`).
    pub async fn remove_user(&self, request: RemoveUserRequest) -> Result<RemoveUserResponse, Error> {
        self.call(&request).await
    }

    /// Removes users from a room with a string id (`RemoveUserByStrRoomId`).
    pub async fn remove_user_by_str_room_id(
        &self,
        request: RemoveUserByStrRoomIdRequest,
    ) -> Result<RemoveUserByStrRoomIdResponse, Error> {
        self.call(&request).await
    }

    /// Mutes or unmutes a user's audio and video in a room with a numeric id (`SetUserBlocked`).
    pub async fn set_user_blocked(&self, request: SetUserBlockedRequest) -> Result<SetUserBlockedResponse, Error> {
        self.call(&request).await
    }

    /// Mutes or unmutes a user's audio and video in a room with a string id (`SetUserBlockedByStrRoomId`).
    pub async fn set_user_blocked_by_str_room_id(
        &self,
        request: SetUserBlockedByStrRoomIdRequest,
    ) -> Result<SetUserBlockedByStrRoomIdResponse, Error> {
        self.call(&request).await
    }

    /// Sends any typed action and returns its typed answer.
    ///
    /// The request is checked before anything is sent; then each attempt waits for a rate-limit permit, is
    /// signed with a fresh timestamp and sent; failures that may be retried (see the crate docs) are retried
    /// with jittered backoff within the attempt limit, the retry budget and the overall timeout. Exactly one
    /// outcome is returned.
    pub async fn call<A: Action>(&self, request: &A) -> Result<A::Response, Error> {
        let inner = &*self.inner;
        request.validate().map_err(Error::InvalidRequest)?;
        if inner.check_region {
            A::check_region(&inner.region).map_err(Error::InvalidRequest)?;
        }
        let target = Target {
            service: A::SERVICE,
            action: A::NAME,
            version: A::VERSION,
            sdk_app_id: request.sdk_app_id(),
            idempotent: A::IDEMPOTENT,
            endpoint: None,
        };
        let payload = match inner.method {
            HttpMethod::Post => Payload::Json(Bytes::from(serde_json::to_vec(request).map_err(serialize_error)?)),
            HttpMethod::Get => Payload::Query(crate::query::to_query(
                &serde_json::to_value(request).map_err(serialize_error)?,
            )),
        };
        self.send::<A::Response>(&target, &payload).await
    }

    /// Sends any action of any Tencent Cloud API 3.0 service, like the official SDKs' common client:
    /// `params` is the request's JSON object, the answer is the `Response` object (with its `RequestId`).
    ///
    /// Nothing is known of the action, so no field or region is checked and a failure after the request may
    /// have been sent is not retried. When the client uses the default endpoint, a service other than `trtc`
    /// goes to `<service>.tencentcloudapi.com`.
    ///
    /// ```no_run
    /// # async fn run(client: trtc_transport::Client) -> Result<(), trtc_transport::Error> {
    /// let answer = client
    ///     .call_json("trtc", "DismissRoom", "2019-07-22", serde_json::json!({"SdkAppId": 1400000001, "RoomId": 1234}))
    ///     .await?;
    /// println!("{}", answer["RequestId"]);
    /// # Ok(()) }
    /// ```
    pub async fn call_json(
        &self,
        service: &str,
        action: &str,
        version: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, Error> {
        let inner = &*self.inner;
        let invalid = |field: &'static str, problem: String| {
            Error::InvalidRequest(trtc_model::Error::InvalidField { field, problem })
        };
        if !params.is_object() {
            return Err(invalid(
                "params",
                "must be a JSON object such as {\"SdkAppId\": 1400000001}".to_owned(),
            ));
        }
        if service.is_empty() || !service.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
            return Err(invalid(
                "service",
                format!("{service:?} is not a product name: use e.g. \"trtc\" or \"cvm\""),
            ));
        }
        let endpoint = match inner.endpoint_is_default && service != trtc_model::TRTC_SERVICE {
            true => Some(Endpoint::parse(&format!("{service}.tencentcloudapi.com"))?),
            false => None,
        };
        let target = Target {
            service,
            action,
            version,
            sdk_app_id: params.get("SdkAppId").and_then(serde_json::Value::as_u64),
            idempotent: false,
            endpoint: endpoint.as_ref(),
        };
        let payload = match inner.method {
            HttpMethod::Post => Payload::Json(Bytes::from(params.to_string())),
            HttpMethod::Get => Payload::Query(crate::query::to_query(&params)),
        };
        self.send::<serde_json::Value>(&target, &payload).await
    }

    async fn send<R: DeserializeOwned>(&self, target: &Target<'_>, payload: &Payload) -> Result<R, Error> {
        let inner = &*self.inner;
        let span = tracing::debug_span!(
            "trtc.call",
            action = target.action,
            service = target.service,
            region = inner.region.as_str(),
            endpoint = %target.endpoint.unwrap_or(&inner.endpoint),
        );
        self.call_with_retries::<R>(target, payload).instrument(span).await
    }

    async fn call_with_retries<R: DeserializeOwned>(&self, target: &Target<'_>, payload: &Payload) -> Result<R, Error> {
        let inner = &*self.inner;
        // The SecretId that signs the first attempt names the rate-limit budget of the call.
        let first = inner.credentials.get().await?;
        let key = RateKey {
            service: target.service,
            action: target.action,
            secret_id: first.secret_id(),
            sdk_app_id: target.sdk_app_id,
        };
        // The overall timeout starts once the first permit is granted: waiting in the rate limiter's queue
        // is not the service being slow.
        if let Some(limiter) = &inner.rate_limiter {
            limiter.acquire(key).await?;
        }
        let mut started = Instant::now();
        let deadline = started + inner.timeout;
        let mut attempt = 1u32;
        loop {
            if attempt > 1 {
                if let Some(limiter) = &inner.rate_limiter {
                    match tokio::time::timeout_at(deadline, limiter.acquire(key)).await {
                        Ok(permit) => permit?,
                        Err(_) => return Err(Error::Timeout { after: inner.timeout }),
                    }
                }
            }
            let route = match &inner.backup {
                Some((_, breaker)) => breaker.route(),
                None => Route::Primary,
            };
            if attempt > 1 {
                started = Instant::now();
            }
            // Each retry asks the provider again: temporary credentials may have been refreshed meanwhile.
            let result = if attempt == 1 {
                self.attempt::<R>(target, &first, payload, route, started, deadline)
                    .await
            } else {
                match inner.credentials.get().await {
                    Ok(c) => self.attempt::<R>(target, &c, payload, route, started, deadline).await,
                    Err(e) => Err(e),
                }
            };
            // Read the clock for the logs only when they are kept.
            let elapsed_us = || started.elapsed().as_micros() as u64;
            if let Some((_, breaker)) = &inner.backup {
                breaker.record(route, endpoint_health(&result));
            }
            let error = match result {
                Ok(response) => {
                    inner.budget.deposit();
                    tracing::debug!(attempt, route = ?route, elapsed_us = elapsed_us(), "call succeeded");
                    return Ok(response);
                }
                Err(error) => error,
            };
            tracing::debug!(
                attempt,
                route = ?route,
                elapsed_us = elapsed_us(),
                code = error.code().map(|c| c.as_str()),
                request_id = error.api().map(|e| e.request_id.as_str()),
                error = %error,
                "attempt failed"
            );
            let Some(reason) = classify(&error, target.idempotent) else {
                return Err(error);
            };
            if attempt >= inner.retry.max_attempts() {
                return Err(error);
            }
            if !inner.budget.withdraw(reason) {
                tracing::warn!(attempt, "retry budget exhausted: not retrying");
                return Err(error);
            }
            let backoff = inner.retry.backoff(reason, attempt, &inner.jitter);
            if Instant::now() + backoff >= deadline {
                return Err(error);
            }
            tracing::info!(
                attempt,
                reason = reason.as_str(),
                backoff_ms = backoff.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(backoff).await;
            attempt += 1;
        }
    }

    /// One signed attempt, started at `started`, within both the attempt timeout and the call's deadline.
    async fn attempt<R: DeserializeOwned>(
        &self,
        target: &Target<'_>,
        credentials: &Credentials,
        payload: &Payload,
        route: Route,
        started: Instant,
        deadline: Instant,
    ) -> Result<R, Error> {
        let inner = &*self.inner;
        let endpoint = match (route, &inner.backup) {
            (Route::Backup, Some((backup, _))) => backup,
            _ => target.endpoint.unwrap_or(&inner.endpoint),
        };
        let http_request = self.build_request(target, credentials, endpoint, payload)?;
        let attempt_deadline = deadline.min(started + inner.attempt_timeout);
        let response = match tokio::time::timeout_at(attempt_deadline, inner.transport.send(http_request)).await {
            Ok(result) => result?,
            Err(_) if attempt_deadline >= deadline => return Err(Error::Timeout { after: inner.timeout }),
            Err(_) => {
                return Err(Error::Timeout {
                    after: inner.attempt_timeout,
                })
            }
        };
        let status = response.status().as_u16();
        trtc_model::parse_response::<R>(status, response.body()).map_err(Error::from_model)
    }

    fn build_request(
        &self,
        target: &Target<'_>,
        credentials: &Credentials,
        endpoint: &Endpoint,
        payload: &Payload,
    ) -> Result<http::Request<Bytes>, Error> {
        let inner = &*self.inner;
        let timestamp = Timestamp::from_secs(now_secs())?;
        let mut params = SigningParams::new(
            target.service,
            endpoint.host(),
            target.action,
            target.version,
            timestamp,
        )
        .with_region(inner.region.as_str())
        .with_signed_headers(inner.signed_headers);
        if let Some(language) = &inner.language {
            params = params.with_language(language);
        }
        let key = self.signing_key(credentials, target.service, timestamp);
        let (signable, uri, body) = match payload {
            Payload::Json(body) => (
                SignableRequest::post(CONTENT_TYPE_JSON, body),
                endpoint.uri().clone(),
                body.clone(),
            ),
            Payload::Query(query) => (
                SignableRequest::get(query),
                http::Uri::try_from(format!("{}?{query}", endpoint.uri())).map_err(|e| Error::Config {
                    setting: "request",
                    problem: format!("the query string cannot be sent: {e}"),
                })?,
                Bytes::new(),
            ),
        };
        let signed = sign_with_key(&key, credentials, &params, &signable)?;

        let method = match payload {
            Payload::Json(_) => http::Method::POST,
            Payload::Query(_) => http::Method::GET,
        };
        let mut request = http::Request::builder()
            .method(method)
            .uri(uri)
            .body(body)
            .map_err(|e| Error::Config {
                setting: "endpoint",
                problem: format!("cannot build a request for {endpoint}: {e}"),
            })?;
        let headers = request.headers_mut();
        // Room for everything at once rather than growing the map header by header.
        headers.reserve(2 + signed.headers().len() + 1 + inner.extra_headers.len());
        // Content-Type, Host and every signed header exactly as signed, Authorization and X-TC-Token marked
        // sensitive.
        signed.into_headers(headers)?;
        headers.insert(X_TC_REQUESTCLIENT, inner.request_client.clone());
        for (name, value) in &inner.extra_headers {
            headers.insert(name.clone(), value.clone());
        }
        Ok(request)
    }

    fn signing_key(&self, credentials: &Credentials, service: &str, timestamp: Timestamp) -> Arc<SigningKey> {
        let date = timestamp.date();
        let secret = credentials.secret_key();
        let mut slot = self.inner.key.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*slot {
            Some((for_secret, key)) if key.date() == date && key.service() == service && for_secret == secret => {
                Arc::clone(key)
            }
            _ => {
                let key = Arc::new(SigningKey::derive(secret, date, service));
                *slot = Some((secret.clone(), Arc::clone(&key)));
                key
            }
        }
    }
}

/// What an attempt's outcome says of the endpoint's health: `None` when it says nothing (throttling).
fn endpoint_health<T>(result: &Result<T, Error>) -> Option<bool> {
    match result {
        Ok(_) => Some(true),
        Err(Error::Api(api)) => match api.code.class() {
            trtc_model::ErrorClass::Throttled => None,
            trtc_model::ErrorClass::Transient => Some(false),
            _ => Some(true),
        },
        Err(Error::UnexpectedResponse { status, .. }) => Some(*status < 500),
        Err(Error::Transport(_) | Error::Timeout { .. }) => Some(false),
        Err(_) => None,
    }
}

fn serialize_error(e: serde_json::Error) -> Error {
    Error::Config {
        setting: "request",
        problem: format!("the request cannot be serialized: {e}"),
    }
}

fn now_secs() -> u64 {
    // A clock before 1970 is a broken machine; signing then fails with AuthFailure.SignatureExpire, which says so.
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| Error::Config {
        setting: "header",
        problem: format!("the {name} value is not a valid HTTP header value"),
    })
}

/// The rate limiter a builder was given.
enum RateLimitSetting {
    Default,
    Off,
    Custom(Arc<dyn RateLimiter>),
}

/// Configures a [`Client`]. `credential` and `region` are required; every other setting has a default,
/// listed on its method.
pub struct ClientBuilder {
    credentials: Option<CredentialSource>,
    region: Option<Region>,
    endpoint: Option<String>,
    regional_endpoint: bool,
    backup_endpoint: Option<(String, BreakerConfig)>,
    language: Option<String>,
    signed_headers: SignedHeaders,
    skip_region_check: bool,
    method: HttpMethod,
    timeout: Duration,
    attempt_timeout: Duration,
    request_client: Option<String>,
    headers: Vec<(String, String)>,
    transport: Option<Arc<dyn Transport>>,
    retry: RetryPolicy,
    rate_limit: RateLimitSetting,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            credentials: None,
            region: None,
            endpoint: None,
            regional_endpoint: false,
            backup_endpoint: None,
            language: None,
            signed_headers: SignedHeaders::ContentTypeHost,
            skip_region_check: false,
            method: HttpMethod::Post,
            timeout: DEFAULT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            request_client: None,
            headers: Vec::new(),
            transport: None,
            retry: RetryPolicy::default(),
            rate_limit: RateLimitSetting::Default,
        }
    }
}

impl ClientBuilder {
    /// Static credentials that sign every request. One of `credential`, `credentials_provider` or
    /// `default_credentials` is required.
    pub fn credential(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialSource::Static(Box::new(credentials)));
        self
    }

    /// Credentials from a provider, asked before each attempt (temporary credentials are refreshed by it).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(CredentialSource::Provider(Arc::new(provider)));
        self
    }

    /// Credentials from the default chain: environment, then profile file, then CVM role, then TKE OIDC
    /// ([`ChainProvider::default_chain`]).
    pub fn default_credentials(mut self) -> Self {
        self.credentials = Some(CredentialSource::Provider(Arc::new(ChainProvider::default_chain())));
        self
    }

    /// The region sent as `X-TC-Region` (DismissRoom: ap-beijing, ap-guangzhou or ap-singapore). Required.
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// Where to send requests (default `trtc.tencentcloudapi.com`): `https://host`, a bare host, or
    /// `http://127.0.0.1:PORT` for a local emulator.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sends to the region's own endpoint, `trtc.<region>.tencentcloudapi.com`, instead of the nearest one.
    pub fn regional_endpoint(mut self) -> Self {
        self.regional_endpoint = true;
        self
    }

    /// A backup endpoint (e.g. another region's host) that takes the calls while the circuit breaker of the
    /// primary is open (default: none; breaker defaults in [`BreakerConfig::default`]).
    pub fn backup_endpoint(mut self, endpoint: impl Into<String>, breaker: BreakerConfig) -> Self {
        self.backup_endpoint = Some((endpoint.into(), breaker));
        self
    }

    /// The language of error messages, sent as `X-TC-Language` (`zh-CN` or `en-US`; default: not sent).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Which headers the signature covers (default `content-type;host`, as the official SDKs).
    pub fn signed_headers(mut self, signed_headers: SignedHeaders) -> Self {
        self.signed_headers = signed_headers;
        self
    }

    /// Sends actions to regions their documentation does not list (the documentation can lag the service).
    pub fn skip_region_check(mut self) -> Self {
        self.skip_region_check = true;
        self
    }

    /// POST with a JSON body (default) or GET with a query string.
    pub fn method(mut self, method: HttpMethod) -> Self {
        self.method = method;
        self
    }

    /// The most a call may take once its first rate-limit permit is granted, retries and backoff included
    /// (default 15 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most one attempt may take (default 5 s). A timed-out attempt of an idempotent action is retried.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// The `X-TC-RequestClient` value (default `trtc-rs/<version>`).
    pub fn request_client(mut self, tag: impl Into<String>) -> Self {
        self.request_client = Some(tag.into());
        self
    }

    /// An extra header sent with every request (not `Authorization`, `Host`, `Content-Type` or `X-TC-*`,
    /// which the client sets).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]: 3 attempts, jittered exponential backoff, a retry
    /// budget); [`RetryPolicy::disabled`] sends each call once.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Limits requests to `per_second` per action (default 20, the documented limit), callers waiting for
    /// their turn.
    pub fn rate_limit(mut self, per_second: u32) -> Result<Self, Error> {
        self.rate_limit = RateLimitSetting::Custom(Arc::new(LocalRateLimiter::new(per_second, 1)?));
        Ok(self)
    }

    /// Uses `limiter` for permits, e.g. one shared by several processes.
    pub fn rate_limiter(mut self, limiter: impl RateLimiter) -> Self {
        self.rate_limit = RateLimitSetting::Custom(Arc::new(limiter));
        self
    }

    /// Sends without a client-side rate limit.
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = RateLimitSetting::Off;
        self
    }

    /// Sends through `transport` instead of the default [`HyperTransport`].
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let config = |setting, problem: &str| Error::Config {
            setting,
            problem: problem.to_owned(),
        };
        let credentials = self.credentials.ok_or_else(|| {
            config(
                "credential",
                "not set: call .credential(Credentials::new(secret_id, secret_key)?) or .default_credentials()",
            )
        })?;
        let region = self.region.ok_or_else(|| {
            config(
                "region",
                "not set: call .region(Region::ApGuangzhou) or another region the action supports",
            )
        })?;
        let endpoint = match (&self.endpoint, self.regional_endpoint) {
            (Some(_), true) => {
                return Err(config(
                    "endpoint",
                    "set either an endpoint or regional_endpoint(), not both",
                ))
            }
            (Some(endpoint), false) => Endpoint::parse(endpoint)?,
            (None, true) => Endpoint::parse(&format!("trtc.{}.tencentcloudapi.com", region.as_str()))?,
            (None, false) => Endpoint::parse(DEFAULT_ENDPOINT)?,
        };
        let backup = match self.backup_endpoint {
            Some((backup, breaker)) => Some((Endpoint::parse(&backup)?, Breaker::new(breaker))),
            None => None,
        };
        if self.timeout.is_zero() {
            return Err(config("timeout", "must be greater than zero"));
        }
        if self.attempt_timeout.is_zero() {
            return Err(config("attempt_timeout", "must be greater than zero"));
        }
        if let Some(language) = &self.language {
            if !matches!(language.as_str(), "zh-CN" | "en-US") {
                return Err(Error::Config {
                    setting: "language",
                    problem: format!("{language:?} is not offered: use \"zh-CN\" or \"en-US\""),
                });
            }
        }
        let request_client = match &self.request_client {
            Some(tag) if tag.is_empty() || tag.len() > 128 || tag.bytes().any(|b| b.is_ascii_control()) => {
                return Err(config(
                    "request_client",
                    "must be 1 to 128 printable characters without CR, LF or other control characters",
                ))
            }
            Some(tag) => header_value("X-TC-RequestClient", tag)?,
            None => HeaderValue::from_static(REQUEST_CLIENT),
        };
        let mut extra_headers = Vec::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            let parsed = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::Config {
                setting: "header",
                problem: format!("{name:?} is not a valid header name"),
            })?;
            let reserved = matches!(parsed.as_str(), "authorization" | "host" | "content-type")
                || parsed.as_str().starts_with("x-tc-");
            if reserved {
                return Err(Error::Config {
                    setting: "header",
                    problem: format!("{name} is set by the client itself: use the builder's setting for it"),
                });
            }
            extra_headers.push((parsed, header_value(name, value)?));
        }
        let transport: Arc<dyn Transport> = match self.transport {
            Some(transport) => transport,
            None => Arc::new(HyperTransport::new()?),
        };
        let rate_limiter: Option<Arc<dyn RateLimiter>> = match self.rate_limit {
            RateLimitSetting::Default => Some(Arc::new(LocalRateLimiter::default())),
            RateLimitSetting::Off => None,
            RateLimitSetting::Custom(limiter) => Some(limiter),
        };
        let budget = RetryBudget::new(self.retry.budget());
        Ok(Client {
            inner: Arc::new(Inner {
                credentials,
                region,
                endpoint,
                endpoint_is_default: self.endpoint.is_none() && !self.regional_endpoint,
                backup,
                language: self.language,
                signed_headers: self.signed_headers,
                check_region: !self.skip_region_check,
                method: self.method,
                timeout: self.timeout,
                attempt_timeout: self.attempt_timeout,
                request_client,
                extra_headers,
                transport,
                retry: self.retry,
                budget,
                jitter: Jitter::new(),
                rate_limiter,
                key: Mutex::new(None),
            }),
        })
    }
}
