//! What the room-management actions do to the rooms once their application and room id are checked:
//! dismiss a room, remove users from it, block or unblock a user's audio and video.

use trtc_model::ErrorCode;

use super::fields::{is_mute, user_id, user_ids};
use crate::params::Params;
use crate::reply::Failure;
use crate::rooms::{Missing, RoomId, Rooms};

/// The answer to a request naming a room that is not there.
fn room_not_exist(room: &RoomId) -> Failure {
    Failure::new(
        ErrorCode::FailedOperationRoomNotExist,
        format!("The room {room} does not exist."),
    )
}

/// `DismissRoom` and `DismissRoomByStrRoomId`: the room is removed with its users.
pub(super) fn dismiss(sdk_app_id: u64, room: RoomId, _params: &Params, rooms: &mut Rooms) -> Result<(), Failure> {
    if rooms.dismiss(sdk_app_id, &room) {
        Ok(())
    } else {
        Err(room_not_exist(&room))
    }
}

/// `RemoveUser` and `RemoveUserByStrRoomId`: the users named in `UserIds` leave the room.
pub(super) fn remove_users(sdk_app_id: u64, room: RoomId, params: &Params, rooms: &mut Rooms) -> Result<(), Failure> {
    let users = user_ids(params)?;
    rooms
        .remove_users(sdk_app_id, &room, &users)
        .map_err(|_| room_not_exist(&room))
}

/// `SetUserBlocked` and `SetUserBlockedByStrRoomId`: the user's audio and video are blocked or unblocked as
/// `IsMute` says.
pub(super) fn set_block(sdk_app_id: u64, room: RoomId, params: &Params, rooms: &mut Rooms) -> Result<(), Failure> {
    let user = user_id(params)?;
    let state = is_mute(params)?;
    match rooms.set_block(sdk_app_id, &room, &user, state) {
        Ok(()) => Ok(()),
        Err(Missing::Room) => Err(room_not_exist(&room)),
        Err(Missing::User) => Err(Failure::new(
            ErrorCode::FailedOperationUserNotExist,
            format!("The user {user:?} is not in the room {room}."),
        )),
    }
}
