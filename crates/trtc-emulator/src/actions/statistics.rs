//! The room, user, quality and usage queries. `DescribeRoomInfo`, `DescribeUserInfo` and the user list of
//! `DescribeCallDetailInfo` answer from the rooms the emulator holds and held (their create and destroy
//! times, who entered and left and when), paged by `PageNumber`/`PageSize` as documented; the others answer
//! well-formed empty results (every required member, empty), since the emulator carries no media to
//! measure.

use serde_json::{json, Map, Value};
use trtc_model::ErrorCode;

use super::described::Call;
use crate::reply::{Answer, Failure};
use crate::rooms::{now_secs, Room, RoomId, Rooms};

/// Serves a query (any action without a family or a resource: its well-formed empty answer).
pub(super) fn run(call: &Call<'_>, rooms: &Rooms) -> Result<Answer, Failure> {
    let mut answer = call.schema.empty_answer();
    match call.schema.name() {
        "DescribeRoomInfo" => room_info(call, rooms, &mut answer)?,
        "DescribeUserInfo" => user_info(call, rooms, &mut answer, "UserList")?,
        "DescribeCallDetailInfo" => user_info(call, rooms, &mut answer, "UserList")?,
        _ => {}
    }
    Ok(Answer::Members(answer))
}

/// A room id as the queries write it: the digits of a numeric room, a string room as it is.
fn room_text(room: &RoomId) -> String {
    match room {
        RoomId::Number(n) => n.to_string(),
        RoomId::Str(s) => s.clone(),
    }
}

/// The call id of a room's life: `SdkAppId_RoomId_CreateTime`, as the service forms it.
fn comm_id(sdk_app_id: u64, room: &RoomId, created_at: u64) -> String {
    format!("{sdk_app_id}_{}_{created_at}", room_text(room))
}

/// `StartTime` and `EndTime`, in seconds.
fn window(call: &Call<'_>) -> Result<(u64, u64), Failure> {
    let start = call.number("StartTime").unwrap_or(0);
    let end = call.number("EndTime").unwrap_or(u64::MAX);
    if end < start {
        return Err(Failure::new(
            ErrorCode::InvalidParameterEndTs,
            format!("The value of parameter `EndTime` ({end}) must not be before `StartTime` ({start})."),
        ));
    }
    Ok((start, end))
}

/// The records of page `PageNumber` (from 0) of `PageSize` (1 to 100, `default_size` when absent).
fn page<T>(call: &Call<'_>, default_size: u64, items: Vec<T>) -> Result<Vec<T>, Failure> {
    let size = call.number("PageSize").unwrap_or(default_size);
    if size == 0 {
        return Err(Failure::new(
            ErrorCode::InvalidParameterPageSize,
            "The value of parameter `PageSize` must be from 1 to 100 (got 0).",
        ));
    }
    if size > 100 {
        return Err(Failure::new(
            ErrorCode::InvalidParameterPageSizeOversize,
            format!("The value of parameter `PageSize` must be from 1 to 100 (got {size})."),
        ));
    }
    let number = call.number("PageNumber").unwrap_or(0);
    let skip = usize::try_from(number.saturating_mul(size)).unwrap_or(usize::MAX);
    let take = usize::try_from(size).unwrap_or(100);
    Ok(items.into_iter().skip(skip).take(take).collect())
}

/// `DescribeRoomInfo`: the rooms of the application alive at some time between `StartTime` and `EndTime`,
/// oldest first, optionally the one `RoomId` names.
fn room_info(call: &Call<'_>, rooms: &Rooms, answer: &mut Map<String, Value>) -> Result<(), Failure> {
    let Some(sdk_app_id) = call.sdk_app_id else {
        return Ok(());
    };
    let (start, end) = window(call)?;
    let only = call.text("RoomId");
    let mut found: Vec<_> = rooms
        .history(sdk_app_id)
        .filter(|(_, room, destroyed)| room.created_at <= end && destroyed.is_none_or(|d| d >= start))
        .map(|(id, room, destroyed)| (room.created_at, room_text(id), id, room, destroyed))
        .filter(|(_, text, ..)| only.is_none_or(|only| only == text))
        .collect();
    found.sort_by(|a, b| (a.0, &a.1, a.4).cmp(&(b.0, &b.1, b.4)));
    answer.insert("Total".to_owned(), Value::from(found.len()));
    let list = page(call, 10, found)?
        .into_iter()
        .map(|(created, text, id, room, destroyed)| {
            json!({
                "CommId": comm_id(sdk_app_id, id, created),
                "RoomString": text,
                "CreateTime": created,
                "DestroyTime": destroyed.unwrap_or(0),
                "IsFinished": destroyed.is_some(),
                "UserId": room.creator.as_deref().unwrap_or(""),
            })
        })
        .collect();
    answer.insert("RoomList".to_owned(), Value::Array(list));
    Ok(())
}

/// A user's stay in a room.
struct Stay<'a> {
    user_id: &'a str,
    joined_at: u64,
    left_at: u64,
    finished: bool,
}

/// Everyone who was in the room: those who left, then those in it (at its end, if it ended).
fn stays(room: &Room, destroyed: Option<u64>, now: u64) -> Vec<Stay<'_>> {
    let left = room.departed.iter().map(|d| Stay {
        user_id: &d.user_id,
        joined_at: d.joined_at,
        left_at: d.left_at,
        finished: true,
    });
    let present = room.members.iter().map(move |(user_id, member)| Stay {
        user_id,
        joined_at: member.joined_at,
        left_at: destroyed.unwrap_or(now),
        finished: destroyed.is_some(),
    });
    left.chain(present).collect()
}

/// `DescribeUserInfo` (and the user list of `DescribeCallDetailInfo`): the users of the room life `CommId`
/// names who were in it between `StartTime` and `EndTime`, optionally only those of `UserIds`.
fn user_info(call: &Call<'_>, rooms: &Rooms, answer: &mut Map<String, Value>, list: &str) -> Result<(), Failure> {
    let Some(sdk_app_id) = call.sdk_app_id else {
        return Ok(());
    };
    let (start, end) = window(call)?;
    let wanted = call.text("CommId").unwrap_or("");
    let only: Option<Vec<&str>> = call
        .value("UserIds")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect());
    let now = now_secs();
    let life = rooms
        .history(sdk_app_id)
        .find(|(id, room, _)| comm_id(sdk_app_id, id, room.created_at) == wanted);
    let mut found = match life {
        Some((id, room, destroyed)) => stays(room, destroyed, now)
            .into_iter()
            .filter(|s| s.joined_at <= end && s.left_at >= start)
            .filter(|s| only.as_ref().is_none_or(|only| only.contains(&s.user_id)))
            .map(|s| (room_text(id), s))
            .collect(),
        None => Vec::new(),
    };
    found.sort_by(|a, b| (a.1.joined_at, a.1.user_id).cmp(&(b.1.joined_at, b.1.user_id)));
    answer.insert("Total".to_owned(), Value::from(found.len()));
    let users = page(call, 6, found)?
        .into_iter()
        .map(|(room, s)| {
            json!({
                "RoomStr": room,
                "UserId": s.user_id,
                "JoinTs": s.joined_at,
                "LeaveTs": s.left_at,
                "DeviceType": "",
                "SdkVersion": "",
                "ClientIp": "",
                "Finished": s.finished,
            })
        })
        .collect();
    answer.insert(list.to_owned(), Value::Array(users));
    Ok(())
}
