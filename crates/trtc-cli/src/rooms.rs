//! The room actions other than `dismiss-room`: one request each, one answer printed.

use trtc::{
    DismissRoomByStrRoomIdRequest, Mute, RemoveUserByStrRoomIdRequest, RemoveUserRequest,
    SetUserBlockedByStrRoomIdRequest, SetUserBlockedRequest,
};

use crate::args::{
    DismissRoomByStrRoomIdArgs, RemoveUserArgs, RemoveUserByStrRoomIdArgs, ServiceArgs, SetUserBlockedArgs,
    SetUserBlockedByStrRoomIdArgs,
};
use crate::exit::Failure;
use crate::service::{self, check, print_request_id, required_region};

async fn client_for<A: trtc::Action>(common: &ServiceArgs, request: &A) -> Result<trtc::Client, Failure> {
    let region = required_region(common.region.as_deref())?;
    check(request, &region)?;
    service::client(region, common.endpoint.as_deref(), common.profile.as_deref()).await
}

pub(crate) async fn dismiss_by_str(args: DismissRoomByStrRoomIdArgs) -> Result<(), Failure> {
    let request = DismissRoomByStrRoomIdRequest::new(args.sdk_app_id, args.str_room_id.clone());
    let client = client_for(&args.service, &request).await?;
    let out = client
        .dismiss_room_by_str_room_id(request)
        .await
        .map_err(Failure::from_client)?;
    print_request_id(args.service.output, &out.request_id, || {
        format!(
            "dismissed room {:?} of application {}",
            args.str_room_id, args.sdk_app_id
        )
    })
}

pub(crate) async fn remove_user(args: RemoveUserArgs) -> Result<(), Failure> {
    let request = RemoveUserRequest::new(args.sdk_app_id, args.room_id, args.user_ids.clone());
    let client = client_for(&args.service, &request).await?;
    let out = client.remove_user(request).await.map_err(Failure::from_client)?;
    print_request_id(args.service.output, &out.request_id, || {
        format!("removed {} from room {}", users(&args.user_ids), args.room_id)
    })
}

pub(crate) async fn remove_user_by_str(args: RemoveUserByStrRoomIdArgs) -> Result<(), Failure> {
    let request = RemoveUserByStrRoomIdRequest::new(args.sdk_app_id, args.str_room_id.clone(), args.user_ids.clone());
    let client = client_for(&args.service, &request).await?;
    let out = client
        .remove_user_by_str_room_id(request)
        .await
        .map_err(Failure::from_client)?;
    print_request_id(args.service.output, &out.request_id, || {
        format!("removed {} from room {:?}", users(&args.user_ids), args.str_room_id)
    })
}

pub(crate) async fn set_user_blocked(args: SetUserBlockedArgs) -> Result<(), Failure> {
    let mute = mute(args.is_mute)?;
    let request = SetUserBlockedRequest::new(args.sdk_app_id, args.room_id, args.user_id.clone(), mute);
    let client = client_for(&args.service, &request).await?;
    let out = client.set_user_blocked(request).await.map_err(Failure::from_client)?;
    print_request_id(args.service.output, &out.request_id, || {
        format!("{} in room {}: {}", args.user_id, args.room_id, mute_sentence(mute))
    })
}

pub(crate) async fn set_user_blocked_by_str(args: SetUserBlockedByStrRoomIdArgs) -> Result<(), Failure> {
    let mute = mute(args.is_mute)?;
    let request =
        SetUserBlockedByStrRoomIdRequest::new(args.sdk_app_id, args.str_room_id.clone(), args.user_id.clone(), mute);
    let client = client_for(&args.service, &request).await?;
    let out = client
        .set_user_blocked_by_str_room_id(request)
        .await
        .map_err(Failure::from_client)?;
    print_request_id(args.service.output, &out.request_id, || {
        format!(
            "{} in room {:?}: {}",
            args.user_id,
            args.str_room_id,
            mute_sentence(mute)
        )
    })
}

fn mute(value: u64) -> Result<Mute, Failure> {
    Mute::try_from(value).map_err(|e| Failure::bad_input(format!("--is-mute: {e}")))
}

fn mute_sentence(mute: Mute) -> &'static str {
    match mute {
        Mute::Off => "audio and video enabled",
        Mute::AudioAndVideo => "audio and video disabled",
        Mute::AudioOnly => "audio disabled",
        Mute::VideoOnly => "video disabled",
        _ => "block state set",
    }
}

fn users(ids: &[String]) -> String {
    match ids {
        [one] => format!("user {one}"),
        many => format!("users {}", many.join(", ")),
    }
}
