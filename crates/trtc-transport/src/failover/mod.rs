//! Failover, and the one place where an attempt's endpoint is chosen.
//!
//! A client has a primary endpoint and, opt-in, a backup behind a circuit breaker (`breaker.rs`). Calls to
//! another service (or to an action served on a host of its own) go to that service's host when the client
//! was not given an endpoint; they never fail over, because the backup is another TRTC host.

mod breaker;

pub use breaker::BreakerConfig;

use breaker::{Breaker, Route};
use trtc_model::ErrorClass;

use crate::{Endpoint, Error, DEFAULT_ENDPOINT};

/// Where a client's attempts may go.
#[derive(Debug)]
pub(crate) struct Endpoints {
    primary: Endpoint,
    // The primary is the default, not the user's choice: calls to other services may go to their own hosts.
    primary_is_default: bool,
    backup: Option<(Endpoint, Breaker)>,
}

/// Where one attempt goes, and what its outcome says of which endpoint's health.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Choice<'a> {
    pub(crate) endpoint: &'a Endpoint,
    // `None`: an endpoint of the call's own, outside failover.
    route: Option<Route>,
}

impl Choice<'_> {
    /// A name for logs: `primary`, `probe`, `backup`, or `own` for a service's own host.
    pub(crate) fn as_str(&self) -> &'static str {
        match self.route {
            Some(Route::Primary) => "primary",
            Some(Route::Probe) => "probe",
            Some(Route::Backup) => "backup",
            None => "own",
        }
    }
}

impl Endpoints {
    /// `primary` (or [`DEFAULT_ENDPOINT`] when `None`), and a backup behind a breaker when given.
    pub(crate) fn new(primary: Option<Endpoint>, backup: Option<(Endpoint, BreakerConfig)>) -> Result<Self, Error> {
        Ok(Endpoints {
            primary_is_default: primary.is_none(),
            primary: match primary {
                Some(endpoint) => endpoint,
                None => Endpoint::parse(DEFAULT_ENDPOINT)?,
            },
            backup: backup.map(|(endpoint, config)| (endpoint, Breaker::new(config))),
        })
    }

    /// The primary endpoint.
    pub(crate) fn primary(&self) -> &Endpoint {
        &self.primary
    }

    /// The endpoint of a call of its own, decided once per call: `host` when the action is served only there,
    /// else `<service>.tencentcloudapi.com` for a service other than TRTC; `None` (the client's endpoints)
    /// when the user chose the endpoint, or for TRTC actions on the default host.
    pub(crate) fn own(&self, service: &str, host: Option<&str>) -> Result<Option<Endpoint>, Error> {
        if !self.primary_is_default {
            return Ok(None);
        }
        match host {
            Some(host) => Endpoint::parse(host).map(Some),
            None if service != trtc_model::TRTC_SERVICE => {
                Endpoint::parse(&format!("{service}.tencentcloudapi.com")).map(Some)
            }
            None => Ok(None),
        }
    }

    /// Where the next attempt goes: `own` when the call has an endpoint of its own, else the primary or, while
    /// the breaker is open, the backup.
    pub(crate) fn choose<'a>(&'a self, own: Option<&'a Endpoint>) -> Choice<'a> {
        if let Some(endpoint) = own {
            return Choice { endpoint, route: None };
        }
        match &self.backup {
            None => Choice {
                endpoint: &self.primary,
                route: Some(Route::Primary),
            },
            Some((backup, breaker)) => {
                let route = breaker.route();
                let endpoint = match route {
                    Route::Backup => backup,
                    Route::Primary | Route::Probe => &self.primary,
                };
                Choice {
                    endpoint,
                    route: Some(route),
                }
            }
        }
    }

    /// Records what an attempt sent by `choice` says of its endpoint's health.
    pub(crate) fn record<T>(&self, choice: Choice<'_>, result: &Result<T, Error>) {
        if let (Some((_, breaker)), Some(route)) = (&self.backup, choice.route) {
            breaker.record(route, endpoint_health(result));
        }
    }
}

/// What an attempt's outcome says of the endpoint's health: `None` when it says nothing (throttling, or a
/// failure before anything was sent).
fn endpoint_health<T>(result: &Result<T, Error>) -> Option<bool> {
    match result {
        Ok(_) => Some(true),
        Err(Error::Api(api)) => match api.code.class() {
            ErrorClass::Throttled => None,
            ErrorClass::Transient => Some(false),
            _ => Some(true),
        },
        Err(Error::UnexpectedResponse { status, .. }) => Some(*status < 500),
        Err(Error::Transport(_) | Error::Timeout { .. }) => Some(false),
        Err(_) => None,
    }
}
