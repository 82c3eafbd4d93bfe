//! The exchange with STS that both role providers make: one call through the call core, its typed answer,
//! and the checks of their common settings.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde::Deserialize;
use trtc_sign::{Credentials, Secret};

use super::super::cache::Expiring;
use super::super::error::sign_field;
use super::super::{CredentialsError, CredentialsErrorKind};
use super::{MAX_DURATION, MIN_DURATION, STS_ENDPOINT, STS_VERSION};
use crate::call::{self, Auth, Deadline, Headers, KeyCache, Payload, Target};
use crate::{Endpoint, Error, HyperTransport, Transport};

const SERVICE: &str = "sts";

/// Where and how STS is called: shared by AssumeRole and AssumeRoleWithWebIdentity.
pub(in crate::credentials) struct StsClient {
    endpoint: Endpoint,
    timeout: Duration,
    given: Option<Arc<dyn Transport>>,
    // Built on first use, so that a provider that never fetches never sets up TLS.
    default: OnceLock<Arc<dyn Transport>>,
    // The signing key of AssumeRole's source credentials, kept for the day like a client's.
    keys: KeyCache,
}

/// One STS call.
pub(in crate::credentials) struct StsRequest<'a> {
    pub(in crate::credentials) provider: &'static str,
    pub(in crate::credentials) action: &'static str,
    pub(in crate::credentials) region: &'a str,
    pub(in crate::credentials) params: serde_json::Value,
    /// `None`: the request is not signed (`Authorization: SKIP`), as AssumeRoleWithWebIdentity expects.
    pub(in crate::credentials) signer: Option<&'a Credentials>,
    /// What to check when STS answers with an error.
    pub(in crate::credentials) hint: &'static str,
}

impl std::fmt::Debug for StsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StsClient")
            .field("endpoint", &self.endpoint)
            .field("timeout", &self.timeout)
            .field("custom_transport", &self.given.is_some())
            .finish_non_exhaustive()
    }
}

impl StsClient {
    pub(in crate::credentials) fn new(
        provider: &'static str,
        endpoint: Option<&str>,
        timeout: Duration,
        transport: Option<Arc<dyn Transport>>,
    ) -> Result<Self, CredentialsError> {
        let endpoint = Endpoint::parse(endpoint.unwrap_or(STS_ENDPOINT)).map_err(|e| match e {
            // The endpoint's problem (the value and the fix) is the whole message; nothing lies below it.
            Error::Config { problem, .. } => CredentialsError::invalid(provider, format!("the STS endpoint {problem}")),
            other => CredentialsError::invalid(provider, "the STS endpoint is unusable").with_source(other),
        })?;
        if timeout.is_zero() {
            return Err(CredentialsError::invalid(
                provider,
                "the STS timeout must be greater than zero",
            ));
        }
        Ok(StsClient {
            endpoint,
            timeout,
            given: transport,
            default: OnceLock::new(),
            keys: KeyCache::default(),
        })
    }

    fn transport(&self, provider: &'static str) -> Result<Arc<dyn Transport>, CredentialsError> {
        if let Some(transport) = &self.given {
            return Ok(Arc::clone(transport));
        }
        if let Some(transport) = self.default.get() {
            return Ok(Arc::clone(transport));
        }
        let built: Arc<dyn Transport> = Arc::new(
            HyperTransport::new()
                .map_err(|e| CredentialsError::invalid(provider, "cannot set up HTTPS to STS").with_source(e))?,
        );
        Ok(Arc::clone(self.default.get_or_init(|| built)))
    }

    pub(in crate::credentials) async fn call(&self, request: StsRequest<'_>) -> Result<Expiring, CredentialsError> {
        let (provider, action) = (request.provider, request.action);
        let endpoint = &self.endpoint;
        let transport = self.transport(provider)?;
        let target = Target {
            service: SERVICE,
            action,
            version: STS_VERSION,
            region: Some(request.region),
        };
        let auth = match request.signer {
            Some(credentials) => Auth::Tc3 {
                credentials,
                keys: &self.keys,
            },
            None => Auth::Unsigned,
        };
        let payload = Payload::Json(Bytes::from(request.params.to_string()));
        let answer = call::send::<StsAnswer>(
            &*transport,
            endpoint,
            &target,
            auth,
            &payload,
            &Headers::default(),
            Deadline::after(self.timeout),
            trtc_model::parse_response::<StsAnswer>,
        )
        .await;
        let bad = |message: String| CredentialsError::new(CredentialsErrorKind::BadResponse, provider, message);
        let answer = match answer {
            Ok(answer) => answer,
            Err(Error::Api(api)) => {
                return Err(bad(format!("STS refused {action}: {api}; {}", request.hint)).with_api(api));
            }
            Err(Error::UnexpectedResponse {
                status,
                detail,
                snippet,
            }) => {
                // A body that looks like JSON may be truncated credentials: describe it, never quote it.
                let quoted = match snippet.trim_start().as_bytes().first() {
                    None | Some(b'{' | b'[') => String::new(),
                    Some(_) => format!(": {:?}", snippet.chars().take(128).collect::<String>()),
                };
                return Err(bad(format!(
                    "STS at {endpoint} answered {action} with HTTP {status}: {detail}{quoted}"
                )));
            }
            Err(Error::Timeout { after }) => {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::Unreachable,
                    provider,
                    format!("STS at {endpoint} gave no answer within {after:?}"),
                ))
            }
            Err(Error::Transport(e)) => {
                let message = format!("cannot reach STS at {endpoint}: check the network and the endpoint, or retry");
                return Err(CredentialsError::new(CredentialsErrorKind::Unreachable, provider, message).with_source(e));
            }
            Err(e) => {
                let message = format!("cannot send the {action} request");
                return Err(CredentialsError::invalid(provider, message).with_source(e));
            }
        };
        answer.into_expiring(action).map_err(|why| match why {
            Unusable::Missing(message) => bad(message),
            Unusable::Refused(message, e) => bad(message).with_source(e),
        })
    }
}

/// Why an answer of STS holds no usable credentials.
enum Unusable {
    /// A member is missing or empty.
    Missing(String),
    /// A member the signer refuses; what is wrong with it is the signer's error.
    Refused(String, trtc_sign::SignError),
}

/// The `Response` of `AssumeRole` and `AssumeRoleWithWebIdentity`. Every member is optional here so that a
/// missing one is reported by name.
#[derive(Deserialize)]
struct StsAnswer {
    #[serde(rename = "Credentials")]
    credentials: Option<StsCredentials>,
    #[serde(rename = "ExpiredTime")]
    expired_time: Option<u64>,
}

#[derive(Deserialize)]
struct StsCredentials {
    #[serde(rename = "TmpSecretId")]
    tmp_secret_id: Option<String>,
    #[serde(rename = "TmpSecretKey", default, deserialize_with = "secret")]
    tmp_secret_key: Option<Secret>,
    #[serde(rename = "Token", default, deserialize_with = "secret")]
    token: Option<Secret>,
}

/// Reads a secret member straight into a [`Secret`], so its text is wiped with it.
fn secret<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Secret>, D::Error> {
    Option::<String>::deserialize(deserializer).map(|value| value.map(Secret::new))
}

impl StsAnswer {
    fn into_expiring(self, action: &str) -> Result<Expiring, Unusable> {
        let missing = |name: &str| Unusable::Missing(format!("STS answered {action} without Credentials.{name}"));
        let given = |value: Option<&str>| value.filter(|v| !v.is_empty()).is_some();
        let credentials = self.credentials;
        let id = credentials.as_ref().and_then(|c| c.tmp_secret_id.as_deref());
        let key = credentials
            .as_ref()
            .and_then(|c| c.tmp_secret_key.as_ref())
            .map(Secret::expose_secret);
        let token = credentials
            .as_ref()
            .and_then(|c| c.token.as_ref())
            .map(Secret::expose_secret);
        let (Some(id), Some(key), Some(token)) = (id, key, token) else {
            let name = match (given(id), given(key), given(token)) {
                (false, _, _) => "TmpSecretId",
                (_, false, _) => "TmpSecretKey",
                _ => "Token",
            };
            return Err(missing(name));
        };
        for (name, value) in [("TmpSecretId", id), ("TmpSecretKey", key), ("Token", token)] {
            if value.is_empty() {
                return Err(missing(name));
            }
        }
        let expires_at = self
            .expired_time
            .ok_or_else(|| Unusable::Missing(format!("STS answered {action} without a numeric ExpiredTime")))?;
        let credentials = Credentials::new(id, key)
            .and_then(|c| c.with_token(token))
            .map_err(|e| {
                let origin = match sign_field(&e) {
                    Some("SecretId") => "TmpSecretId",
                    Some("SecretKey") => "TmpSecretKey",
                    _ => "Token",
                };
                Unusable::Refused(format!("the {origin} STS answered is unusable"), e)
            })?;
        Ok(Expiring {
            credentials,
            expires_at,
        })
    }
}

/// The checks both STS providers apply to their settings.
pub(in crate::credentials) fn check_region(provider: &'static str, region: &str) -> Result<(), CredentialsError> {
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(CredentialsError::invalid(
            provider,
            format!("region {region:?} is not a region name: use e.g. ap-guangzhou"),
        ));
    }
    Ok(())
}

pub(in crate::credentials) fn check_role_arn(
    provider: &'static str,
    origin: &str,
    arn: &str,
) -> Result<(), CredentialsError> {
    if !arn.starts_with("qcs::cam::") || arn.bytes().any(|b| !b.is_ascii_graphic()) {
        return Err(CredentialsError::invalid(
            provider,
            format!(
                "{origin} {arn:?} is not a role ARN: copy it from the CAM console, e.g. \
                 qcs::cam::uin/100000000001:roleName/trtc-admin"
            ),
        ));
    }
    Ok(())
}

pub(in crate::credentials) fn check_session_name(provider: &'static str, name: &str) -> Result<(), CredentialsError> {
    let ok = (2..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'=' | b',' | b'.' | b'@' | b'-'));
    if !ok {
        return Err(CredentialsError::invalid(
            provider,
            format!("session name {name:?} must be 2 to 128 letters, digits or +=,.@_-"),
        ));
    }
    Ok(())
}

pub(in crate::credentials) fn check_duration(
    provider: &'static str,
    duration: Duration,
) -> Result<u64, CredentialsError> {
    if duration < MIN_DURATION || duration > MAX_DURATION || duration.subsec_nanos() != 0 {
        return Err(CredentialsError::invalid(
            provider,
            format!(
                "duration {duration:?} must be whole seconds from {}s to {}s (STS allows at most 12 hours; credentials \
                 are renewed 300 s before expiry, so shorter ones would be renewed on almost every call)",
                MIN_DURATION.as_secs(),
                MAX_DURATION.as_secs()
            ),
        ));
    }
    Ok(duration.as_secs())
}

/// `trtc-rs-<microseconds since the epoch>`, unique enough to tell sessions apart in the audit log.
pub(in crate::credentials) fn default_session_name() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    format!("trtc-rs-{micros}")
}
