//! `Action`: what ties a request type to its action name, version, service, regions and response.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{Error, Region};

/// One API action: a request type that knows where it goes and what comes back.
///
/// A generic client needs nothing else to send any action: it serializes `self` as the JSON body,
/// signs it for [`SERVICE`](Action::SERVICE) with [`NAME`](Action::NAME) and [`VERSION`](Action::VERSION),
/// and parses the answer as [`Response`](Action::Response).
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
    /// The typed answer.
    type Response: DeserializeOwned;

    /// Checks what is certainly wrong before anything is sent.
    fn validate(&self) -> Result<(), Error>;

    /// The application the request acts on, when it names one. The service counts its rate limits per action
    /// and SdkAppId, so rate limiters key their budgets by it too.
    fn sdk_app_id(&self) -> Option<u64> {
        None
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
