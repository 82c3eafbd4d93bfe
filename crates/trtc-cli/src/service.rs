//! The client a subcommand calls the service with, built from the common flags.

use std::io::Write;

use trtc::{Action, Client, ClientBuilder, ProvideCredentials, Region};

use crate::args::Output;
use crate::credentials;
use crate::exit::Failure;

/// `--region`, which the room actions require (their regions differ, and a wrong guess is refused).
pub(crate) fn required_region(region: Option<&str>) -> Result<Region, Failure> {
    match region {
        Some(region) => parse_region(region),
        None => Err(Failure::bad_input(
            "--region is required: add --region ap-guangzhou (or ap-beijing, ap-singapore)",
        )),
    }
}

pub(crate) fn parse_region(region: &str) -> Result<Region, Failure> {
    region
        .parse::<Region>()
        .map_err(|e| Failure::bad_input(format!("--region: {e}")))
}

/// Checks a request as the client would, before any credential is looked up, naming the flag at fault.
pub(crate) fn check<A: Action>(request: &A, region: &Region) -> Result<(), Failure> {
    let named = |e: trtc::model::Error| match e {
        trtc::model::Error::InvalidField { field, problem } => {
            let flag = match field {
                "SdkAppId" => "--sdk-app-id",
                // The ...ByStrRoomId actions carry the string id in `RoomId` (or `StrRoomId`): one flag for both.
                "RoomId" if A::NAME.ends_with("ByStrRoomId") => "--str-room-id",
                "RoomId" => "--room-id",
                "StrRoomId" => "--str-room-id",
                "UserIds" => "--user-ids",
                "UserId" => "--user-id",
                "IsMute" => "--is-mute",
                _ => "the request",
            };
            Failure::bad_input(format!("{flag} ({field}) {problem}"))
        }
        trtc::model::Error::UnsupportedRegion {
            action,
            supported,
            region,
        } => Failure::bad_input(format!(
            "--region {region}: {action} is offered in {supported} only; use one of those"
        )),
        other => Failure::bad_input(other.to_string()),
    };
    request.validate().map_err(named)?;
    A::check_region(region).map_err(named)
}

/// A client for `region`, sending to `endpoint` (or the default), signing with `--profile` or the default chain.
pub(crate) async fn client(region: Region, endpoint: Option<&str>, profile: Option<&str>) -> Result<Client, Failure> {
    // The endpoint is checked first: it needs no IO, and a typo there should not wait for a credential search.
    if let Some(endpoint) = endpoint {
        trtc::Endpoint::parse(endpoint).map_err(Failure::from_client)?;
    }
    let provider = credentials::provider(profile).await?;
    build(region, endpoint, provider)
}

pub(crate) fn build(
    region: Region,
    endpoint: Option<&str>,
    credentials: impl ProvideCredentials,
) -> Result<Client, Failure> {
    builder(region, endpoint, credentials)
        .build()
        .map_err(Failure::from_client)
}

/// The builder behind [`build`], for callers that add settings (a shared rate limiter).
pub(crate) fn builder(region: Region, endpoint: Option<&str>, credentials: impl ProvideCredentials) -> ClientBuilder {
    let mut builder = Client::builder().credentials_provider(credentials).region(region);
    if let Some(endpoint) = endpoint {
        builder = builder.endpoint(endpoint);
    }
    #[cfg(debug_assertions)]
    if crate::probe::requested() {
        builder = builder.transport(crate::probe::PanickingTransport);
    }
    builder
}

/// Prints the answer of a room action: `{"RequestId":"..."}`, or a sentence ending with the RequestId.
pub(crate) fn print_request_id(
    output: Output,
    request_id: &str,
    sentence: impl FnOnce() -> String,
) -> Result<(), Failure> {
    let line = match output {
        Output::Json => serde_json::json!({ "RequestId": request_id }).to_string(),
        Output::Text => format!("{} (RequestId {request_id})", sentence()),
    };
    print_line(&line)
}

pub(crate) fn print_line(line: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::internal(format!("cannot write to stdout: {e}")))
}
