//! The attempts of one call: each waits for a rate-limit permit, goes to the endpoint failover chooses, is
//! sent by the call core, and is retried while the retry policy, the budget and the deadline allow.

use tokio::time::Instant;
use tracing::Instrument;

use super::{Call, Client};
use crate::call::{Auth, Deadline, Exchange};
use crate::rate_limit::RateKey;
use crate::retry::classify;
use crate::Error;

impl Client {
    /// Runs the attempts of `call` until one outcome: the answer, or the error that ends the call.
    pub(super) async fn run<X: Exchange>(&self, call: &Call<'_>) -> Result<X::Output, Error> {
        let inner = &*self.inner;
        let span = tracing::debug_span!(
            "trtc.call",
            action = call.target.action,
            service = call.target.service,
            region = inner.region.as_str(),
            endpoint = %call.endpoint.as_ref().unwrap_or(inner.endpoints.primary()),
        );
        self.attempts::<X>(call).instrument(span).await
    }

    async fn attempts<X: Exchange>(&self, call: &Call<'_>) -> Result<X::Output, Error> {
        let inner = &*self.inner;
        // The call's deadline starts once its first permit is granted: waiting in the rate limiter's queue is
        // not the service being slow. Later permits are waited for within it.
        let mut deadline: Option<Instant> = None;
        let mut attempt = 1u32;
        loop {
            // Asked before every attempt: temporary credentials may have been refreshed meanwhile.
            let credentials = inner.credentials.get().await?;
            if let Some(limiter) = &inner.rate_limiter {
                let key = RateKey {
                    service: call.target.service,
                    action: call.target.action,
                    secret_id: credentials.secret_id(),
                    sdk_app_id: call.sdk_app_id,
                };
                match deadline {
                    None => limiter.acquire(key).await?,
                    Some(at) => match tokio::time::timeout_at(at, limiter.acquire(key)).await {
                        Ok(permit) => permit?,
                        Err(_) => return Err(Error::Timeout { after: inner.timeout }),
                    },
                }
            }
            let started = Instant::now();
            let deadline = *deadline.get_or_insert(started + inner.timeout);
            let choice = inner.endpoints.choose(call.endpoint.as_ref());
            let attempt_deadline = match started + inner.attempt_timeout {
                at if at < deadline => Deadline {
                    at,
                    after: inner.attempt_timeout,
                },
                _ => Deadline {
                    at: deadline,
                    after: inner.timeout,
                },
            };
            let auth = Auth::Tc3 {
                credentials: &credentials,
                keys: &inner.keys,
            };
            let result = X::exchange(
                &*inner.transport,
                choice.endpoint,
                &call.target,
                auth,
                &call.payload,
                &inner.headers,
                attempt_deadline,
            )
            .await;
            inner.endpoints.record(choice, &result);
            // Read the clock for the logs only when they are kept.
            let elapsed_us = || started.elapsed().as_micros() as u64;
            let error = match result {
                Ok(response) => {
                    inner.budget.deposit();
                    tracing::debug!(
                        attempt,
                        route = choice.as_str(),
                        elapsed_us = elapsed_us(),
                        "call succeeded"
                    );
                    return Ok(response);
                }
                Err(error) => error,
            };
            tracing::debug!(
                attempt,
                route = choice.as_str(),
                elapsed_us = elapsed_us(),
                code = error.code().map(|c| c.as_str()),
                request_id = error.api().map(|e| e.request_id.as_str()),
                error = %error,
                "attempt failed"
            );
            let Some(reason) = classify(&error, call.idempotent) else {
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
}
