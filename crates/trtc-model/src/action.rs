//! `Action`: what ties a request type to its action name, version, service, regions and response; with the
//! traits the generated types add to it (`ApiResponse`, `StreamingAction`, `TypedAction`).

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{Error, RawJson, Region, ResponseError};

/// The TRTC API version of every generated action.
pub const TRTC_VERSION: &str = "2019-07-22";

/// The TRTC service name used in the signature scope.
pub const TRTC_SERVICE: &str = "trtc";

/// One API action: a request type that knows where it goes and what comes back.
///
/// A generic client needs nothing else to send any action: it serializes `self` as the JSON body,
/// signs it for [`SERVICE`](Action::SERVICE) with [`NAME`](Action::NAME) and [`VERSION`](Action::VERSION),
/// sends it to [`HOST`](Action::HOST) when the action names one, and reads the answer with
/// [`read_response`](Action::read_response) (or, for a [`STREAMING`](Action::STREAMING) action, each event with
/// [`StreamingAction::read_event`]).
pub trait Action: Serialize {
    /// The action name, e.g. `DismissRoom`.
    const NAME: &'static str;
    /// The API version, e.g. `2019-07-22`.
    const VERSION: &'static str;
    /// The service (product) name, e.g. `trtc`.
    const SERVICE: &'static str;
    /// The regions the documentation lists for this action; empty when it lists none.
    const REGIONS: &'static [Region];
    /// Whether sending the request twice has the effect of sending it once, so a request whose answer was
    /// lost may be sent again.
    const IDEMPOTENT: bool;
    /// The only host that serves this action, when it is not the service's usual one (`TextToSpeechSSE` is
    /// served on `trtc.ai.tencentcloudapi.com` only). A client sends there unless its caller set an endpoint.
    const HOST: Option<&'static str> = None;
    /// Whether a successful answer is an event stream (`text/event-stream`) rather than one JSON envelope; such
    /// an action implements [`StreamingAction`], which names the event type. A request refused before the
    /// stream starts is still answered with a JSON envelope: the answer's Content-Type tells the two apart.
    const STREAMING: bool = false;
    /// The typed answer.
    type Response: DeserializeOwned;

    /// Checks what is certainly wrong before anything is sent.
    fn validate(&self) -> Result<(), Error>;

    /// The application the request acts on, when it names one. The service counts its rate limits per action
    /// and SdkAppId, so rate limiters key their budgets by it too.
    fn sdk_app_id(&self) -> Option<u64> {
        None
    }

    /// Reads an answer (the HTTP status and the whole body) into [`Response`](Action::Response), or the error it
    /// holds, as [`parse_response`](crate::parse_response) does. The generated actions also keep the body in the
    /// response's `raw` field ([`RawJson`]).
    fn read_response(status: u16, body: &[u8]) -> Result<Self::Response, ResponseError> {
        crate::parse_response(status, body)
    }

    /// Refuses a region the documentation does not list for this action.
    fn check_region(region: &Region) -> Result<(), Error> {
        if Self::REGIONS.is_empty() || Self::REGIONS.contains(region) {
            return Ok(());
        }
        let supported: Vec<&str> = Self::REGIONS.iter().map(Region::as_str).collect();
        Err(Error::UnsupportedRegion {
            action: Self::NAME,
            region: region.as_str().to_owned(),
            supported: supported.join(", "),
        })
    }
}

/// A generated response: readable, writable in the spec's spelling, with its request id and the body it was
/// read from.
pub trait ApiResponse: DeserializeOwned + Serialize + Debug + Clone + PartialEq + Send + Sync + 'static {
    /// The request id the service gave the call, to quote to support.
    fn request_id(&self) -> &str;
    /// The answer as received, when it was read by [`Action::read_response`]; empty otherwise.
    fn raw(&self) -> &RawJson;
    /// Keeps `raw` as the answer this response was read from.
    fn set_raw(&mut self, raw: RawJson);
}

/// An action whose successful answer is an event stream: each `data:` line of it holds one [`Event`](Self::Event).
///
/// An event whose `Type` is `error` ends the stream; [`read_event`](Self::read_event) turns it into
/// [`ResponseError::Api`] with its code and message.
pub trait StreamingAction: Action {
    /// One event of the stream.
    type Event: DeserializeOwned + Serialize + Debug + Clone + PartialEq + Send + Sync + 'static;

    /// Reads the text of one `data:` line (without the `data:` prefix) as in [`parse_event`](crate::parse_event).
    fn read_event(data: &str) -> Result<Self::Event, ResponseError> {
        crate::parse_event(data)
    }
}

/// Every generated request: an [`Action`] that can also be read from JSON (a body given on a command line),
/// compared and printed, whose response is an [`ApiResponse`]. Implemented for every type that qualifies.
pub trait TypedAction:
    Action<Response: ApiResponse> + DeserializeOwned + Debug + Clone + PartialEq + Send + Sync + 'static
{
}

impl<A> TypedAction for A
where
    A: Action + DeserializeOwned + Debug + Clone + PartialEq + Send + Sync + 'static,
    A::Response: ApiResponse,
{
}
