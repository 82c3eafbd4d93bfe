//! The panic probe, compiled into debug builds only (the ones `cargo test` runs; a release build, which is
//! what `cargo install` makes, has no trace of it): with `TRTC_PANIC_PROBE` set in the environment, every
//! call's transport panics with the signed request and its `Authorization` value in the panic message, so a
//! test can run the real binary through a real panic and check that the panic hook prints none of it.

use bytes::Bytes;
use trtc::{BoxFuture, Transport, TransportError};

/// The variable that turns the probe on.
pub(crate) const VARIABLE: &str = "TRTC_PANIC_PROBE";

/// Whether this run asked for the probe.
pub(crate) fn requested() -> bool {
    std::env::var_os(VARIABLE).is_some()
}

/// A transport that panics with everything it was given in the panic message.
pub(crate) struct PanickingTransport;

impl Transport for PanickingTransport {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let authorization = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let token = request
            .headers()
            .get("x-tc-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        panic!("panic probe: Authorization {authorization}, X-TC-Token {token}, request {request:?}");
    }
}
