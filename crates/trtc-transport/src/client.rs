//! `Client`: validates a typed request, signs it, sends it through a [`Transport`] and reads the answer.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE, HOST};
use trtc_model::{Action, DismissRoomRequest, DismissRoomResponse, Region};
use trtc_sign::{sign_with_key, Credentials, SignableRequest, SignedHeaders, SigningKey, SigningParams, Timestamp};

use crate::{Endpoint, Error, HyperTransport, Transport, DEFAULT_ENDPOINT};

/// The overall time a call may take by default, from signing to the parsed answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// The `X-TC-RequestClient` value sent with every request.
pub const REQUEST_CLIENT: &str = concat!("trtc-rs/", env!("CARGO_PKG_VERSION"));

const CONTENT_TYPE_JSON: &str = "application/json";

/// A TRTC API client. Cheap to clone; clones share the connection pool.
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

struct Inner {
    credentials: Credentials,
    region: Region,
    endpoint: Endpoint,
    language: Option<String>,
    signed_headers: SignedHeaders,
    check_region: bool,
    timeout: Duration,
    transport: Arc<dyn Transport>,
    // The signing key of the current UTC day, derived once and shared by every call that day.
    key: Mutex<Option<Arc<SigningKey>>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.inner.credentials)
            .field("region", &self.inner.region)
            .field("endpoint", &self.inner.endpoint)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
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

    /// The endpoint requests are sent to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// Dismisses a room with a numeric id (`DismissRoom`).
    pub async fn dismiss_room(&self, request: DismissRoomRequest) -> Result<DismissRoomResponse, Error> {
        self.call(&request).await
    }

    /// Sends any typed action and returns its typed answer.
    pub async fn call<A: Action>(&self, request: &A) -> Result<A::Response, Error> {
        let inner = &*self.inner;
        request.validate().map_err(Error::InvalidRequest)?;
        if inner.check_region {
            A::check_region(&inner.region).map_err(Error::InvalidRequest)?;
        }
        let body = serde_json::to_vec(request).map_err(|e| Error::Config {
            setting: "request",
            problem: format!("the request cannot be serialized: {e}"),
        })?;
        let http_request = self.build_request::<A>(Bytes::from(body))?;
        let timeout = inner.timeout;
        let response = match tokio::time::timeout(timeout, inner.transport.send(http_request)).await {
            Ok(result) => result?,
            Err(_) => return Err(Error::Timeout { after: timeout }),
        };
        let status = response.status().as_u16();
        trtc_model::parse_response::<A::Response>(status, response.body()).map_err(Error::from_model)
    }

    fn build_request<A: Action>(&self, body: Bytes) -> Result<http::Request<Bytes>, Error> {
        let inner = &*self.inner;
        let timestamp = Timestamp::from_secs(now_secs())?;
        let mut params = SigningParams::new(A::SERVICE, inner.endpoint.host(), A::NAME, A::VERSION, timestamp)
            .with_region(inner.region.as_str())
            .with_signed_headers(inner.signed_headers);
        if let Some(language) = &inner.language {
            params = params.with_language(language);
        }
        let key = self.signing_key(A::SERVICE, timestamp);
        let signed = sign_with_key(
            &key,
            &inner.credentials,
            &params,
            &SignableRequest::post(CONTENT_TYPE_JSON, &body),
        )?;

        let mut request = http::Request::builder()
            .method(http::Method::POST)
            .uri(inner.endpoint.uri())
            .body(body)
            .map_err(|e| Error::Config {
                setting: "endpoint",
                problem: format!("cannot build a request for {}: {e}", inner.endpoint),
            })?;
        let headers = request.headers_mut();
        headers.insert(HOST, header_value("Host", inner.endpoint.host())?);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
        for header in signed.headers() {
            let mut value = header_value(header.name(), header.value())?;
            value.set_sensitive(header.is_sensitive());
            headers.insert(HeaderName::from_static(lower(header.name())), value);
        }
        headers.insert("x-tc-requestclient", HeaderValue::from_static(REQUEST_CLIENT));
        Ok(request)
    }

    fn signing_key(&self, service: &str, timestamp: Timestamp) -> Arc<SigningKey> {
        let date = timestamp.date();
        let mut slot = self.inner.key.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*slot {
            Some(key) if key.date() == date && key.service() == service => Arc::clone(key),
            _ => {
                let key = Arc::new(SigningKey::derive(self.inner.credentials.secret_key(), date, service));
                *slot = Some(Arc::clone(&key));
                key
            }
        }
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

/// The header names the signer emits, lower-cased for `HeaderName::from_static`.
fn lower(name: &'static str) -> &'static str {
    match name {
        "Authorization" => "authorization",
        "X-TC-Action" => "x-tc-action",
        "X-TC-Timestamp" => "x-tc-timestamp",
        "X-TC-Version" => "x-tc-version",
        "X-TC-Region" => "x-tc-region",
        "X-TC-Token" => "x-tc-token",
        "X-TC-Language" => "x-tc-language",
        "X-TC-Content-SHA256" => "x-tc-content-sha256",
        _ => "x-tc-unknown",
    }
}

/// Configures a [`Client`]. `credential` and `region` are required.
#[derive(Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    region: Option<Region>,
    endpoint: Option<String>,
    language: Option<String>,
    signed_headers: SignedHeaders,
    skip_region_check: bool,
    timeout: Option<Duration>,
    transport: Option<Arc<dyn Transport>>,
}

impl ClientBuilder {
    /// The credentials that sign every request.
    pub fn credential(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The region sent as `X-TC-Region` (DismissRoom: ap-beijing, ap-guangzhou or ap-singapore).
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

    /// The language of error messages, sent as `X-TC-Language` (`zh-CN` or `en-US`).
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

    /// The most a call may take, from signing to the parsed answer (default 15 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends through `transport` instead of the default [`HyperTransport`].
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let credentials = self.credentials.ok_or(Error::Config {
            setting: "credential",
            problem: "not set: call .credential(Credentials::new(secret_id, secret_key)?)".to_owned(),
        })?;
        let region = self.region.ok_or(Error::Config {
            setting: "region",
            problem: "not set: call .region(Region::ApGuangzhou) or another region the action supports".to_owned(),
        })?;
        let endpoint = Endpoint::parse(self.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT))?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(Error::Config {
                setting: "timeout",
                problem: "must be greater than zero".to_owned(),
            });
        }
        let transport: Arc<dyn Transport> = match self.transport {
            Some(transport) => transport,
            None => Arc::new(HyperTransport::new()?),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                credentials,
                region,
                endpoint,
                language: self.language,
                signed_headers: self.signed_headers,
                check_region: !self.skip_region_check,
                timeout,
                transport,
                key: Mutex::new(None),
            }),
        })
    }
}
