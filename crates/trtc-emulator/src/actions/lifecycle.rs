//! The lifecycle every task family follows, run from its row of `families`: a start checks its room,
//! refuses a repeat the family deduplicates and answers a fresh TaskId; describe answers the status and the
//! start time; modify records what changed; stop ends the task, so a second stop answers the family's
//! not-found code. The end of a room ends its tasks (`Rooms::dismiss`).

use serde_json::{Map, Value};
use trtc_model::actions::MemberType;
use trtc_model::{ErrorCode, MAX_STR_ROOM_ID_BYTES};

use super::described::Call;
use super::families::{Family, RoomStyle, Verb};
use super::fields::{numeric_room, string_room, MAX_ROOM_ID};
use crate::reply::{Answer, Failure};
use crate::rooms::{RoomId, Rooms};
use crate::tasks::{civil_date, now_ms, IdStyle, Task};

/// The members a modify or update does not change, only names.
const KEYS: [&str; 3] = ["SdkAppId", "TaskId", "SequenceNumber"];

/// Runs `verb` of `family` for the call.
pub(super) fn run(family: &'static Family, verb: Verb, call: &Call<'_>, rooms: &mut Rooms) -> Result<Answer, Failure> {
    if verb == Verb::Start {
        return start(family, call, rooms);
    }
    let Some(id) = locate(family, call, rooms)? else {
        if let (Some(status), Verb::Describe | Verb::Modify) = (family.gone_status, verb) {
            let mut answer = call.schema.empty_answer();
            answer.insert("Status".to_owned(), Value::from(status));
            return Ok(Answer::Members(answer));
        }
        return Err(not_found(family, call));
    };
    let mut answer = if verb == Verb::Describe {
        let task = rooms.tasks.get(&id).ok_or_else(|| not_found(family, call))?;
        failed(task)?;
        described(call, &id, task)
    } else if verb == Verb::Modify {
        let task = rooms.tasks.get_mut(&id).ok_or_else(|| not_found(family, call))?;
        failed(task)?;
        modify(call, task)?;
        let mut answer = call.schema.empty_answer();
        set(&mut answer, call, "Status", Value::from(task.status));
        answer
    } else {
        rooms.tasks.remove(&id);
        call.schema.empty_answer()
    };
    if verb != Verb::Describe {
        set(&mut answer, call, "TaskId", Value::from(id));
    }
    Ok(Answer::Members(answer))
}

/// Sets `name` in the answer when the action's answer has that member.
fn set(answer: &mut Map<String, Value>, call: &Call<'_>, name: &str, value: Value) {
    if call.schema.output(name).is_some() {
        answer.insert(name.to_owned(), value);
    }
}

/// The failure the admin API set, if any.
fn failed(task: &Task) -> Result<(), Failure> {
    match &task.failure {
        None => Ok(()),
        Some(failure) => Err(Failure::new(ErrorCode::parse(&failure.code), failure.message.clone())),
    }
}

fn not_found(family: &Family, call: &Call<'_>) -> Failure {
    let message = match call.text("TaskId") {
        Some(id) => format!("The task {id:?} does not exist or has ended."),
        None if family.id.is_none() => "No mix is running in the room.".to_owned(),
        None => "The task does not exist or has ended.".to_owned(),
    };
    Failure::new(family.not_found.clone(), message)
}

fn room_not_exist(room: &RoomId) -> Failure {
    Failure::new(
        ErrorCode::FailedOperationRoomNotExist,
        format!("The room {room} does not exist."),
    )
}

/// The room a start or an MCU stop names, checked as its `RoomIdType` says.
fn room_of(style: RoomStyle, call: &Call<'_>) -> Result<Option<RoomId>, Failure> {
    let params = call.params;
    match style {
        RoomStyle::None => Ok(None),
        RoomStyle::Numeric => numeric_room(params, "RoomId", &ErrorCode::InvalidParameterValueRoomId).map(Some),
        RoomStyle::Str => string_room(params, "StrRoomId", &ErrorCode::InvalidParameterStrRoomId).map(Some),
        RoomStyle::Typed {
            string_type,
            default_type,
        } => {
            let room_type = call.number("RoomIdType").unwrap_or(default_type);
            if room_type > 1 {
                return Err(Failure::new(
                    ErrorCode::InvalidParameter,
                    format!(
                        "The value of parameter `RoomIdType` must be 0 or 1 ({string_type} for a string room id; got {room_type})."
                    ),
                ));
            }
            let text = call.value("RoomId").and_then(Value::as_str).unwrap_or("");
            if room_type == string_type {
                if !(1..=MAX_STR_ROOM_ID_BYTES).contains(&text.len()) {
                    return Err(Failure::new(
                        ErrorCode::InvalidParameterRoomId,
                        format!(
                            "The value of parameter `RoomId` must be 1 to {MAX_STR_ROOM_ID_BYTES} bytes (got {}).",
                            text.len()
                        ),
                    ));
                }
                return Ok(Some(RoomId::from(text)));
            }
            let number = text.parse::<u64>().map_err(|_| {
                Failure::new(
                    ErrorCode::InvalidParameterRoomId,
                    format!(
                        "`RoomIdType` {room_type} names a numeric room, so `RoomId` must be its digits (got {text:?}); \
                         send `RoomIdType` {string_type} for a string room."
                    ),
                )
            })?;
            room_number(number, "RoomId").map(Some)
        }
    }
}

fn room_number(number: u64, field: &str) -> Result<RoomId, Failure> {
    if (1..=MAX_ROOM_ID).contains(&number) {
        Ok(RoomId::Number(number))
    } else {
        Err(Failure::new(
            ErrorCode::InvalidParameterRoomId,
            format!("The value of parameter `{field}` must be a room from 1 to {MAX_ROOM_ID} (got {number})."),
        ))
    }
}

/// The top-level members a start or modify sent, the identifying ones left out.
fn sent(call: &Call<'_>) -> Map<String, Value> {
    call.body
        .iter()
        .filter(|(name, _)| !KEYS.contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

fn start(family: &'static Family, call: &Call<'_>, rooms: &mut Rooms) -> Result<Answer, Failure> {
    // Every start takes a required SdkAppId; the schema check saw it.
    let sdk_app_id = call.sdk_app_id.ok_or_else(|| {
        Failure::new(
            ErrorCode::MissingParameterSdkAppId,
            "The request is missing a required parameter `SdkAppId`.",
        )
    })?;
    // The robot's identity must be there to enter the room; the UserSig is accepted as it is (not verified).
    for (member, code) in [
        ("UserId", ErrorCode::InvalidParameterUserId),
        ("UserSig", ErrorCode::InvalidParameterUserSig),
    ] {
        if call.value(member).and_then(Value::as_str) == Some("") {
            return Err(Failure::new(
                code,
                format!("The parameter `{member}` must not be empty."),
            ));
        }
    }
    let room = room_of(family.room, call)?;
    if let Some(room) = &room {
        rooms
            .get_mut(sdk_app_id, room)
            .ok_or_else(|| room_not_exist(room))?
            .has_tasks = true;
    }
    let dedupe = family.dedupe.and_then(|member| call.text(member)).map(str::to_owned);
    if let (Some(member), Some(value)) = (family.dedupe, &dedupe) {
        let repeat = rooms.tasks.find(|task| {
            task.family == family.name && task.sdk_app_id == sdk_app_id && task.dedupe.as_ref() == Some(value)
        });
        if let Some((id, _)) = repeat {
            return Err(Failure::new(
                ErrorCode::FailedOperationTaskExist,
                format!("A task with the {member} {value:?} is already running: {id}."),
            ));
        }
    }
    let Some(style) = family.id else {
        // An MCU mix is known by its room: a second start changes the running one.
        let running = rooms
            .tasks
            .find(|task| task.family == family.name && task.sdk_app_id == sdk_app_id && task.room == room);
        if let Some((id, _)) = running {
            let id = id.to_owned();
            if let Some(task) = rooms.tasks.get_mut(&id) {
                task.updates += 1;
                task.params = sent(call);
            }
            return Ok(Answer::Members(call.schema.empty_answer()));
        }
        insert(rooms, family, call, sdk_app_id, room, dedupe, IdStyle::Dotted, false);
        return Ok(Answer::Members(call.schema.empty_answer()));
    };
    let id = insert(rooms, family, call, sdk_app_id, room, dedupe, style, true);
    let mut answer = call.schema.empty_answer();
    answer.insert("TaskId".to_owned(), Value::from(id));
    Ok(Answer::Members(answer))
}

#[allow(clippy::too_many_arguments)]
fn insert(
    rooms: &mut Rooms,
    family: &'static Family,
    call: &Call<'_>,
    sdk_app_id: u64,
    room: Option<RoomId>,
    dedupe: Option<String>,
    style: IdStyle,
    id_answered: bool,
) -> String {
    let task = Task {
        family: family.name,
        sdk_app_id,
        room,
        status: family.statuses.first().copied().unwrap_or("InProgress"),
        statuses: family.statuses,
        created_ms: now_ms(),
        dedupe,
        updates: 0,
        params: sent(call),
        failure: None,
        id_answered,
        messages: Vec::new(),
    };
    rooms.tasks.insert(style, task)
}

/// The id of the task a describe, modify or stop names: by `TaskId`, by the family's deduplicating member
/// (`RecordId`, `SessionId`), or for an MCU mix by its room; `None` when there is none the caller may see.
fn locate(family: &Family, call: &Call<'_>, rooms: &Rooms) -> Result<Option<String>, Failure> {
    let seen = |task: &Task| task.family == family.name && call.sees(task.sdk_app_id);
    if family.id.is_none() {
        let room = room_of(family.room, call)?;
        let Some(sdk_app_id) = call.sdk_app_id else {
            return Ok(None);
        };
        if let Some(room) = &room {
            if !rooms.exists(sdk_app_id, room) {
                return Err(room_not_exist(room));
            }
        }
        let found = rooms.tasks.find(|task| seen(task) && task.room == room);
        return Ok(found.map(|(id, _)| id.to_owned()));
    }
    if let Some(value) = call.value("TaskId") {
        let id = value.as_str().filter(|id| !id.is_empty()).ok_or_else(|| {
            Failure::new(
                ErrorCode::InvalidParameterTaskId,
                "The value of parameter `TaskId` must be the TaskId a start answered.",
            )
        })?;
        return Ok(rooms.tasks.get(id).filter(|task| seen(task)).map(|_| id.to_owned()));
    }
    if let Some(value) = family.dedupe.and_then(|member| call.text(member)) {
        let found = rooms
            .tasks
            .find(|task| seen(task) && task.dedupe.as_deref() == Some(value));
        return Ok(found.map(|(id, _)| id.to_owned()));
    }
    Err(Failure::new(
        ErrorCode::MissingParameterTaskId,
        match family.dedupe {
            Some(member) => format!("The request is missing a required parameter `TaskId` (or `{member}`)."),
            None => "The request is missing a required parameter `TaskId`.".to_owned(),
        },
    ))
}

/// A modify or update: what it sent replaces what the task had, member by member. An update of a relay
/// must carry a `SequenceNumber` larger than the last one, as the service requires to keep updates in order.
fn modify(call: &Call<'_>, task: &mut Task) -> Result<(), Failure> {
    if let Some(sequence) = call.number("SequenceNumber") {
        let last = task.params.get("SequenceNumber").and_then(Value::as_u64);
        if last.is_some_and(|last| sequence <= last) {
            return Err(Failure::new(
                ErrorCode::FailedOperationRequestOutdated,
                format!(
                    "The request is outdated: `SequenceNumber` {sequence} is not larger than the last one ({}).",
                    last.unwrap_or_default()
                ),
            ));
        }
        task.params.insert("SequenceNumber".to_owned(), Value::from(sequence));
    }
    task.params.extend(sent(call));
    task.updates += 1;
    remember_message(call, task);
    Ok(())
}

/// What `ControlAIConversation` adds to an AI conversation's context: the text the server has the bot say
/// (`ServerPushText`, kept unless `AddHistory` is false), or the user's turn it hands the model (`InvokeLLM`).
fn remember_message(call: &Call<'_>, task: &mut Task) {
    let text = |object: &str, member: &str| {
        call.value(object)
            .and_then(|o| o.get(member))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    match call.text("Command") {
        Some("ServerPushText") => {
            let kept = call
                .value("ServerPushText")
                .and_then(|o| o.get("AddHistory"))
                .and_then(Value::as_bool)
                .unwrap_or(true);
            if let (true, Some(content)) = (kept, text("ServerPushText", "Text")) {
                task.messages.push(("assistant", content));
            }
        }
        Some("InvokeLLM") => {
            if let Some(content) = text("InvokeLLM", "Content") {
                task.messages.push(("user", content));
            }
        }
        _ => {}
    }
}

/// The describe answer: every required member, and those the emulator knows.
fn described(call: &Call<'_>, id: &str, task: &Task) -> Map<String, Value> {
    let mut answer = call.schema.empty_answer();
    for field in call.schema.response.members {
        let number = matches!(field.ty, MemberType::U64 | MemberType::I64);
        let value = match field.name {
            "TaskId" if task.id_answered => Value::from(id),
            "Status" if number => Value::from(task.status.parse::<i64>().unwrap_or(0)),
            "Status" => Value::from(task.status),
            "StartTime" if number => Value::from(task.created_ms),
            "StartTime" => Value::from(datetime(task.created_ms)),
            "SessionId" | "RecordId" => match &task.dedupe {
                Some(value) => Value::from(value.as_str()),
                None => continue,
            },
            _ => continue,
        };
        answer.insert(field.name.to_owned(), value);
    }
    answer
}

/// `2025-04-24 16:15:48.076648`, as the AI tasks' examples write a start time (UTC here).
fn datetime(ms: u64) -> String {
    let (year, month, day) = civil_date(ms / 86_400_000);
    let in_day = ms % 86_400_000;
    let (hour, minute, second, millis) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}.{millis:03}000")
}

#[cfg(test)]
mod tests {
    #[test]
    fn start_times_are_written_as_the_examples_write_them() {
        assert_eq!(super::datetime(1_745_511_348_076), "2025-04-24 16:15:48.076000");
    }
}
