//! One method per typed action, each a named shorthand for [`Client::call`].

use trtc_model::{
    DismissRoomByStrRoomIdRequest, DismissRoomByStrRoomIdResponse, DismissRoomRequest, DismissRoomResponse,
    RemoveUserByStrRoomIdRequest, RemoveUserByStrRoomIdResponse, RemoveUserRequest, RemoveUserResponse,
    SetUserBlockedByStrRoomIdRequest, SetUserBlockedByStrRoomIdResponse, SetUserBlockedRequest, SetUserBlockedResponse,
};

use super::Client;
use crate::Error;

impl Client {
    /// Dismisses a room with a numeric id (`DismissRoom`).
    pub async fn dismiss_room(&self, request: DismissRoomRequest) -> Result<DismissRoomResponse, Error> {
        self.call(&request).await
    }

    /// Dismisses a room with a string id (`DismissRoomByStrRoomId`).
    pub async fn dismiss_room_by_str_room_id(
        &self,
        request: DismissRoomByStrRoomIdRequest,
    ) -> Result<DismissRoomByStrRoomIdResponse, Error> {
        self.call(&request).await
    }

    /// Removes users from a room with a numeric id (`RemoveUser`).
    pub async fn remove_user(&self, request: RemoveUserRequest) -> Result<RemoveUserResponse, Error> {
        self.call(&request).await
    }

    /// Removes users from a room with a string id (`RemoveUserByStrRoomId`).
    pub async fn remove_user_by_str_room_id(
        &self,
        request: RemoveUserByStrRoomIdRequest,
    ) -> Result<RemoveUserByStrRoomIdResponse, Error> {
        self.call(&request).await
    }

    /// Mutes or unmutes a user's audio and video in a room with a numeric id (`SetUserBlocked`).
    pub async fn set_user_blocked(&self, request: SetUserBlockedRequest) -> Result<SetUserBlockedResponse, Error> {
        self.call(&request).await
    }

    /// Mutes or unmutes a user's audio and video in a room with a string id (`SetUserBlockedByStrRoomId`).
    pub async fn set_user_blocked_by_str_room_id(
        &self,
        request: SetUserBlockedByStrRoomIdRequest,
    ) -> Result<SetUserBlockedByStrRoomIdResponse, Error> {
        self.call(&request).await
    }
}
