//! The room-management actions of TRTC 2019-07-22, one file per action family: each action comes in a form for
//! numeric room ids and a `...ByStrRoomId` form for string room ids.
//!
//! Every action here is documented at 20 requests per second and for the regions ap-beijing, ap-guangzhou and
//! ap-singapore (the English API pages: DismissRoom 647/34269, DismissRoomByStrRoomId 647/39631, RemoveUser
//! 647/34268, RemoveUserByStrRoomId 647/39630, SetUserBlocked 647/51289, SetUserBlockedByStrRoomId 647/51288;
//! the Chinese pages list only ap-beijing and ap-guangzhou for the two they document).

mod block;
mod dismiss;
mod remove;
mod rules;

pub use block::{Mute, SetUserBlockedByStrRoomIdRequest, SetUserBlockedRequest};
pub use block::{SetUserBlockedByStrRoomIdResponse, SetUserBlockedResponse};
pub use dismiss::{
    DismissRoomByStrRoomIdRequest, DismissRoomByStrRoomIdResponse, DismissRoomRequest, DismissRoomResponse,
};
pub use remove::{RemoveUserByStrRoomIdRequest, RemoveUserByStrRoomIdResponse, RemoveUserRequest, RemoveUserResponse};
pub use rules::{MAX_STR_ROOM_ID_BYTES, MAX_USER_IDS, STR_ROOM_ID_SYMBOLS};

use crate::Region;

/// The TRTC API version of the room-management actions.
pub const TRTC_VERSION: &str = "2019-07-22";

/// The TRTC service name used in the signature scope.
pub const TRTC_SERVICE: &str = "trtc";

/// The request rate every room-management action is documented for: at most 20 requests per second, counted
/// per action and SdkAppId.
pub const ROOM_RATE_LIMIT_PER_SECOND: u32 = 20;

/// The regions every room-management action is documented for.
const ROOM_REGIONS: &[Region] = &[Region::ApBeijing, Region::ApGuangzhou, Region::ApSingapore];

/// The answer of a room-management action: only the request id, which is what every one of them returns.
macro_rules! request_id_response {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        ///
        /// Reading ignores fields this version does not know, so an answer that gains fields still parses.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        #[non_exhaustive]
        pub struct $name {
            /// The request id the service gave this call, to quote to support.
            pub request_id: String,
        }
    };
}
use request_id_response;
