//! The typed events: the body's envelope (`EventGroupId`, `EventType`, `CallbackTs`) and each event's
//! `EventInfo`, field for field as the service's pages document them.
//!
//! Fields the pages mark optional, or that some examples leave out, are `Option`s; fields the service sends
//! that are not documented are ignored by the typed view and kept in [`Callback::raw`].

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::codes::{CdnStreamState, EnterReason, EventGroup, ExitReason, Role, TerminalType, UserType};
use crate::lenient;
use crate::{Error, RoomId};

/// One received callback: the envelope and the typed event.
///
/// [`Verifier::verify`](crate::Verifier::verify) gives one after every check has passed. `Serialize` writes
/// the service's body form back (`EventGroupId`, `EventType`, `CallbackTs`, `EventInfo`), which is also how
/// [`sign_callback`](crate::sign_callback) builds a body to send.
///
/// ```
/// use trtc_callback::{Callback, Event, RoomId};
///
/// // The 103 example of the "Room&Media Callbacks" page.
/// let body = br#"{"EventGroupId":1,"EventType":103,"CallbackTs":1687770731932,"EventInfo":{"RoomId":12345,
///   "EventTs":1687770731,"EventMsTs":1687770731831,"UserId":"test","Role":21,"TerminalType":2,"UserType":3,
///   "Reason":1}}"#;
/// let callback = Callback::parse_unverified(body)?;
/// assert_eq!(callback.callback_ts_ms(), 1687770731932);
/// match callback.event() {
///     Event::EnterRoom(info) => {
///         assert_eq!(info.room_id, RoomId::Number(12345));
///         assert_eq!(info.user_id, "test");
///     }
///     other => panic!("not an enter-room event: {other:?}"),
/// }
/// # Ok::<(), trtc_callback::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    group: u32,
    event_type: u32,
    callback_ts_ms: u64,
    event: Event,
    raw: Value,
}

impl Callback {
    /// A callback to send, as the service would: the event, and `CallbackTs` in Unix milliseconds.
    pub fn new(event: Event, callback_ts_ms: u64) -> Self {
        let (group, event_type) = (event.group().code(), event.event_type());
        let mut callback = Callback {
            group,
            event_type,
            callback_ts_ms,
            event,
            raw: Value::Null,
        };
        // Serializing values of these types cannot fail (no maps with non-string keys, no foreign types).
        callback.raw = serde_json::to_value(&callback).unwrap_or(Value::Null);
        callback
    }

    /// Reads a body without checking its signature, its application or its time.
    ///
    /// This is for bodies already verified elsewhere, logs and tests; a receiver uses
    /// [`Verifier::verify`](crate::Verifier::verify), which calls this after its checks.
    pub fn parse_unverified(body: &[u8]) -> Result<Self, Error> {
        let raw: Value = serde_json::from_slice(body).map_err(|source| Error::NotJson { source })?;
        Callback::from_value(raw)
    }

    pub(crate) fn from_value(raw: Value) -> Result<Self, Error> {
        let Value::Object(map) = &raw else {
            return Err(Error::Body {
                field: "the body",
                problem: "is not a JSON object",
            });
        };
        let group = code_field(map, "EventGroupId")?;
        let event_type = code_field(map, "EventType")?;
        let callback_ts_ms = match map.get("CallbackTs") {
            None | Some(Value::Null) => {
                return Err(Error::Body {
                    field: "CallbackTs",
                    problem: "is missing",
                })
            }
            Some(value) => lenient::u64_or_digits(value).map_err(|_| Error::Body {
                field: "CallbackTs",
                problem: "is not a whole number of milliseconds",
            })?,
        };
        let info = map.get("EventInfo").unwrap_or(&Value::Null);
        let event = Event::from_parts(group, event_type, info)?;
        Ok(Callback {
            group,
            event_type,
            callback_ts_ms,
            event,
            raw,
        })
    }

    /// `EventGroupId` as sent.
    pub fn group(&self) -> EventGroup {
        EventGroup::from_code(self.group)
    }

    /// `EventType` as sent (101, 103, 301, ...).
    pub fn event_type(&self) -> u32 {
        self.event_type
    }

    /// `CallbackTs`: when the service sent this callback, in Unix milliseconds.
    pub fn callback_ts_ms(&self) -> u64 {
        self.callback_ts_ms
    }

    /// The typed event.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The typed event, taken out.
    pub fn into_event(self) -> Event {
        self.event
    }

    /// The whole body as received, fields not described by the typed event included.
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// The body to send for this callback (compact JSON in the service's form).
    pub fn to_body(&self) -> Vec<u8> {
        // As in `new`: these types always serialize.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

impl Serialize for Callback {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("EventGroupId", &self.group)?;
        map.serialize_entry("EventType", &self.event_type)?;
        map.serialize_entry("CallbackTs", &self.callback_ts_ms)?;
        map.serialize_entry("EventInfo", &self.event)?;
        map.end()
    }
}

fn code_field(map: &serde_json::Map<String, Value>, field: &'static str) -> Result<u32, Error> {
    match map.get(field) {
        None | Some(Value::Null) => Err(Error::Body {
            field,
            problem: "is missing",
        }),
        Some(value) => lenient::u64_or_digits(value)
            .ok()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(Error::Body {
                field,
                problem: "is not a whole number below 2^32",
            }),
    }
}

/// A typed event: one variant per documented `EventType`, and [`Event::Other`] for the rest.
///
/// The variant names follow the service's `EVENT_TYPE_*` names; [`Event::name`] gives the variant's name and
/// [`Event::event_type`] its number.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// 101, `EVENT_TYPE_CREATE_ROOM`.
    CreateRoom(CreateRoomInfo),
    /// 102, `EVENT_TYPE_DISMISS_ROOM`.
    DismissRoom(DismissRoomInfo),
    /// 103, `EVENT_TYPE_ENTER_ROOM`.
    EnterRoom(EnterRoomInfo),
    /// 104, `EVENT_TYPE_EXIT_ROOM`.
    ExitRoom(ExitRoomInfo),
    /// 105, `EVENT_TYPE_CHANGE_ROLE`.
    ChangeRole(ChangeRoleInfo),
    /// 201, `EVENT_TYPE_START_VIDEO`.
    StartVideo(MediaInfo),
    /// 202, `EVENT_TYPE_STOP_VIDEO` (sent when the user turns video off, not when leaving the room).
    StopVideo(MediaInfo),
    /// 203, `EVENT_TYPE_START_AUDIO`.
    StartAudio(MediaInfo),
    /// 204, `EVENT_TYPE_STOP_AUDIO` (sent when the user turns audio off, not when leaving the room).
    StopAudio(MediaInfo),
    /// 205, `EVENT_TYPE_START_ASSIT`: substream (screen sharing) publishing started.
    StartSubstream(MediaInfo),
    /// 206, `EVENT_TYPE_STOP_ASSIT`: substream publishing stopped.
    StopSubstream(MediaInfo),
    /// 301, `EVENT_TYPE_CLOUD_RECORDING_RECORDER_START`.
    RecorderStart(RecordingInfo<StatusPayload>),
    /// 302, `EVENT_TYPE_CLOUD_RECORDING_RECORDER_STOP`.
    RecorderStop(RecordingInfo<RecorderStopPayload>),
    /// 303, `EVENT_TYPE_CLOUD_RECORDING_UPLOAD_START`.
    UploadStart(RecordingInfo<StatusPayload>),
    /// 304, `EVENT_TYPE_CLOUD_RECORDING_FILE_INFO`: the first M3U8 file generated and uploaded.
    FileInfo(RecordingInfo<FileInfoPayload>),
    /// 305, `EVENT_TYPE_CLOUD_RECORDING_UPLOAD_STOP`.
    UploadStop(RecordingInfo<UploadStopPayload>),
    /// 306, `EVENT_TYPE_CLOUD_RECORDING_FAILOVER`: the task moved to another machine.
    Failover(RecordingInfo<StatusPayload>),
    /// 307, `EVENT_TYPE_CLOUD_RECORDING_FILE_SLICE`: the first TS segment of an M3U8 file.
    FileSlice(RecordingInfo<FileSlicePayload>),
    /// 308, `EVENT_TYPE_CLOUD_RECORDING_UPLOAD_ERROR`.
    UploadError(RecordingInfo<UploadErrorPayload>),
    /// 309, `EVENT_TYPE_CLOUD_RECORDING_DOWNLOAD_IMAGE_ERROR`.
    DownloadImageError(RecordingInfo<DownloadImageErrorPayload>),
    /// 310, `EVENT_TYPE_CLOUD_RECORDING_MP4_STOP`: one per MP4 file uploaded to your storage.
    Mp4Stop(RecordingInfo<Mp4StopPayload>),
    /// 311, `EVENT_TYPE_CLOUD_RECORDING_VOD_COMMIT`: a file uploaded to VOD.
    VodCommit(RecordingInfo<VodCommitPayload>),
    /// 312, `EVENT_TYPE_CLOUD_RECORDING_VOD_STOP`: the VOD task ended.
    VodStop(RecordingInfo<StatusPayload>),
    /// 401, `EVENT_TYPE_CLOUD_PUBLISH_CDN_STATUS`.
    CdnStatus(CdnInfo),
    /// 801, `EVENT_TYPE_WEB_RECORDER_START`.
    WebRecorderStart(WebRecordingInfo),
    /// 802, `EVENT_TYPE_WEB_RECORDER_STOP`.
    WebRecorderStop(WebRecordingInfo),
    /// 803, `EVENT_TYPE_WEB_RECORDER_STATUS_UPDATE`.
    WebRecorderStatusUpdate(WebRecordingInfo),
    /// 804, `EVENT_TYPE_WEB_RECORDER_RESOURCE_LIMIT`.
    WebRecorderResourceLimit(WebRecordingInfo),
    /// A group or type this crate does not know (the service adds events): kept whole, never refused.
    Other {
        /// `EventGroupId` as sent.
        group: u32,
        /// `EventType` as sent.
        event_type: u32,
        /// `EventInfo` as sent (`null` when there was none).
        info: Value,
    },
}

/// The table of known events: (group, type, variant, name). One place, used both ways.
macro_rules! events {
    ($mac:ident) => {
        $mac! {
            (1, 101, CreateRoom, "CreateRoom"),
            (1, 102, DismissRoom, "DismissRoom"),
            (1, 103, EnterRoom, "EnterRoom"),
            (1, 104, ExitRoom, "ExitRoom"),
            (1, 105, ChangeRole, "ChangeRole"),
            (2, 201, StartVideo, "StartVideo"),
            (2, 202, StopVideo, "StopVideo"),
            (2, 203, StartAudio, "StartAudio"),
            (2, 204, StopAudio, "StopAudio"),
            (2, 205, StartSubstream, "StartSubstream"),
            (2, 206, StopSubstream, "StopSubstream"),
            (3, 301, RecorderStart, "RecorderStart"),
            (3, 302, RecorderStop, "RecorderStop"),
            (3, 303, UploadStart, "UploadStart"),
            (3, 304, FileInfo, "FileInfo"),
            (3, 305, UploadStop, "UploadStop"),
            (3, 306, Failover, "Failover"),
            (3, 307, FileSlice, "FileSlice"),
            (3, 308, UploadError, "UploadError"),
            (3, 309, DownloadImageError, "DownloadImageError"),
            (3, 310, Mp4Stop, "Mp4Stop"),
            (3, 311, VodCommit, "VodCommit"),
            (3, 312, VodStop, "VodStop"),
            (4, 401, CdnStatus, "CdnStatus"),
            (8, 801, WebRecorderStart, "WebRecorderStart"),
            (8, 802, WebRecorderStop, "WebRecorderStop"),
            (8, 803, WebRecorderStatusUpdate, "WebRecorderStatusUpdate"),
            (8, 804, WebRecorderResourceLimit, "WebRecorderResourceLimit"),
        }
    };
}

macro_rules! from_parts {
    ($( ($g:literal, $t:literal, $variant:ident, $name:literal), )+) => {
        fn typed(group: u32, event_type: u32, info: &Value) -> Option<Result<Event, serde_json::Error>> {
            match (group, event_type) {
                $( ($g, $t) => Some(Deserialize::deserialize(info).map(Event::$variant)), )+
                _ => None,
            }
        }
    };
}

macro_rules! accessors {
    ($( ($g:literal, $t:literal, $variant:ident, $name:literal), )+) => {
        impl Event {
            /// `EventType`: 101, 103, 301, ...
            pub fn event_type(&self) -> u32 {
                match self {
                    $( Event::$variant(_) => $t, )+
                    Event::Other { event_type, .. } => *event_type,
                }
            }

            /// `EventGroupId` of this type.
            pub fn group(&self) -> EventGroup {
                match self {
                    $( Event::$variant(_) => EventGroup::from_code($g), )+
                    Event::Other { group, .. } => EventGroup::from_code(*group),
                }
            }

            /// The variant's name (`"EnterRoom"`), or `"Other"`.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Event::$variant(_) => $name, )+
                    Event::Other { .. } => "Other",
                }
            }
        }

        impl Serialize for Event {
            /// The `EventInfo` object, as the service sends it.
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Event::$variant(info) => info.serialize(serializer), )+
                    Event::Other { info, .. } => info.serialize(serializer),
                }
            }
        }
    };
}

events!(from_parts);
events!(accessors);

impl Event {
    fn from_parts(group: u32, event_type: u32, info: &Value) -> Result<Event, Error> {
        match typed(group, event_type, info) {
            Some(Ok(event)) => Ok(event),
            Some(Err(source)) => Err(Error::EventInfo {
                group,
                event_type,
                source,
            }),
            None => Ok(Event::Other {
                group,
                event_type,
                info: info.clone(),
            }),
        }
    }

    /// The room of the event, for the groups that name one (all but web recording).
    pub fn room_id(&self) -> Option<&RoomId> {
        Some(match self {
            Event::CreateRoom(i) => &i.room_id,
            Event::DismissRoom(i) => &i.room_id,
            Event::EnterRoom(i) => &i.room_id,
            Event::ExitRoom(i) => &i.room_id,
            Event::ChangeRole(i) => &i.room_id,
            Event::StartVideo(i)
            | Event::StopVideo(i)
            | Event::StartAudio(i)
            | Event::StopAudio(i)
            | Event::StartSubstream(i)
            | Event::StopSubstream(i) => &i.room_id,
            Event::RecorderStart(i) | Event::UploadStart(i) | Event::Failover(i) | Event::VodStop(i) => &i.room_id,
            Event::RecorderStop(i) => &i.room_id,
            Event::FileInfo(i) => &i.room_id,
            Event::UploadStop(i) => &i.room_id,
            Event::FileSlice(i) => &i.room_id,
            Event::UploadError(i) => &i.room_id,
            Event::DownloadImageError(i) => &i.room_id,
            Event::Mp4Stop(i) => &i.room_id,
            Event::VodCommit(i) => &i.room_id,
            Event::CdnStatus(i) => &i.room_id,
            _ => return None,
        })
    }
}

impl Event {
    /// The user of the event: the user who entered, left, published; the robot of a recording or relay task.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Event::CreateRoom(i) => i.user_id.as_deref(),
            Event::EnterRoom(i) => Some(&i.user_id),
            Event::ExitRoom(i) => Some(&i.user_id),
            Event::ChangeRole(i) => Some(&i.user_id),
            Event::StartVideo(i)
            | Event::StopVideo(i)
            | Event::StartAudio(i)
            | Event::StopAudio(i)
            | Event::StartSubstream(i)
            | Event::StopSubstream(i) => Some(&i.user_id),
            Event::RecorderStart(i) | Event::UploadStart(i) | Event::Failover(i) | Event::VodStop(i) => {
                i.user_id.as_deref()
            }
            Event::RecorderStop(i) => i.user_id.as_deref(),
            Event::FileInfo(i) => i.user_id.as_deref(),
            Event::UploadStop(i) => i.user_id.as_deref(),
            Event::FileSlice(i) => i.user_id.as_deref(),
            Event::UploadError(i) => i.user_id.as_deref(),
            Event::DownloadImageError(i) => i.user_id.as_deref(),
            Event::Mp4Stop(i) => i.user_id.as_deref(),
            Event::VodCommit(i) => i.user_id.as_deref(),
            Event::CdnStatus(i) => i.user_id.as_deref(),
            _ => None,
        }
    }

    /// The task of a recording, relay or web recording event.
    pub fn task_id(&self) -> Option<&str> {
        Some(match self {
            Event::RecorderStart(i) | Event::UploadStart(i) | Event::Failover(i) | Event::VodStop(i) => &i.task_id,
            Event::RecorderStop(i) => &i.task_id,
            Event::FileInfo(i) => &i.task_id,
            Event::UploadStop(i) => &i.task_id,
            Event::FileSlice(i) => &i.task_id,
            Event::UploadError(i) => &i.task_id,
            Event::DownloadImageError(i) => &i.task_id,
            Event::Mp4Stop(i) => &i.task_id,
            Event::VodCommit(i) => &i.task_id,
            Event::CdnStatus(i) => &i.task_id,
            Event::WebRecorderStart(i)
            | Event::WebRecorderStop(i)
            | Event::WebRecorderStatusUpdate(i)
            | Event::WebRecorderResourceLimit(i) => &i.task_id,
            _ => return None,
        })
    }
}

/// `EventInfo` of 101, a room created (by the first user entering it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CreateRoomInfo {
    /// The room.
    pub room_id: RoomId,
    /// When it happened, Unix seconds (kept for compatibility; prefer `event_ms_ts`).
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ts: Option<u64>,
    /// When it happened, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// The user whose entry created the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Identifies one event among repeats (only for applications configured before 2021-07-30).
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub unique_id: Option<u64>,
}

impl CreateRoomInfo {
    /// The event for `room_id`, created by `user_id`'s entry at `event_ms_ts` (Unix milliseconds).
    pub fn new(room_id: impl Into<RoomId>, user_id: impl Into<String>, event_ms_ts: u64) -> Self {
        CreateRoomInfo {
            room_id: room_id.into(),
            event_ts: Some(event_ms_ts / 1000),
            event_ms_ts: Some(event_ms_ts),
            user_id: Some(user_id.into()),
            unique_id: None,
        }
    }
}

/// `EventInfo` of 102, a room dismissed (its last user left, or `DismissRoom`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DismissRoomInfo {
    /// The room.
    pub room_id: RoomId,
    /// When it happened, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ts: Option<u64>,
    /// When it happened, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// Identifies one event among repeats (only for applications configured before 2021-07-30).
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub unique_id: Option<u64>,
}

impl DismissRoomInfo {
    /// The event for `room_id` at `event_ms_ts` (Unix milliseconds).
    pub fn new(room_id: impl Into<RoomId>, event_ms_ts: u64) -> Self {
        DismissRoomInfo {
            room_id: room_id.into(),
            event_ts: Some(event_ms_ts / 1000),
            event_ms_ts: Some(event_ms_ts),
            unique_id: None,
        }
    }
}

/// `EventInfo` of 103, a user entered a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct EnterRoomInfo {
    /// The room.
    pub room_id: RoomId,
    /// When it happened, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ts: Option<u64>,
    /// When it happened, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// The user.
    pub user_id: String,
    /// Identifies one entry among repeats (only for applications configured before 2021-07-30).
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub unique_id: Option<u64>,
    /// Anchor or audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The user's device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_type: Option<TerminalType>,
    /// The user's SDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
    /// Why the user entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<EnterReason>,
}

impl EnterRoomInfo {
    /// `user_id` entered `room_id` at `event_ms_ts` (Unix milliseconds), of their own accord.
    pub fn new(room_id: impl Into<RoomId>, user_id: impl Into<String>, event_ms_ts: u64) -> Self {
        EnterRoomInfo {
            room_id: room_id.into(),
            event_ts: Some(event_ms_ts / 1000),
            event_ms_ts: Some(event_ms_ts),
            user_id: user_id.into(),
            unique_id: None,
            role: None,
            terminal_type: None,
            user_type: None,
            reason: Some(EnterReason::Voluntary),
        }
    }

    /// The same with the user's role.
    pub fn with_role(mut self, role: Role) -> Self {
        self.role = Some(role);
        self
    }
}

/// `EventInfo` of 104, a user left a room (leaving sends no 202 or 204).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ExitRoomInfo {
    /// The room.
    pub room_id: RoomId,
    /// When it happened, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ts: Option<u64>,
    /// When it happened, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// The user.
    pub user_id: String,
    /// Identifies one exit among repeats (only for applications configured before 2021-07-30).
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub unique_id: Option<u64>,
    /// Anchor or audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Why the user left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ExitReason>,
}

impl ExitRoomInfo {
    /// `user_id` left `room_id` at `event_ms_ts` (Unix milliseconds), for `reason`.
    pub fn new(room_id: impl Into<RoomId>, user_id: impl Into<String>, event_ms_ts: u64, reason: ExitReason) -> Self {
        ExitRoomInfo {
            room_id: room_id.into(),
            event_ts: Some(event_ms_ts / 1000),
            event_ms_ts: Some(event_ms_ts),
            user_id: user_id.into(),
            unique_id: None,
            role: None,
            reason: Some(reason),
        }
    }

    /// The same with the user's role.
    pub fn with_role(mut self, role: Role) -> Self {
        self.role = Some(role);
        self
    }
}

/// `EventInfo` of 105, a user switched between anchor and audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ChangeRoleInfo {
    /// The room.
    pub room_id: RoomId,
    /// When it happened, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ts: Option<u64>,
    /// When it happened, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// The user.
    pub user_id: String,
    /// Identifies one event among repeats (only for applications configured before 2021-07-30).
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub unique_id: Option<u64>,
    /// The new role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// `EventInfo` of the media events 201 to 206: a user started or stopped publishing video, audio or a
/// substream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MediaInfo {
    /// The room.
    pub room_id: RoomId,
    /// When it happened, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ts: Option<u64>,
    /// When it happened, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// The user.
    pub user_id: String,
    /// Sent with the stop events (0 in every published example; its values are not documented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<u32>,
}

/// `EventInfo` of the cloud recording events 301 to 312: the common fields and an event's own `Payload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RecordingInfo<P> {
    /// The room recorded.
    pub room_id: RoomId,
    /// When it happened, Unix seconds (some examples send it as a string; both are read).
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ts: Option<u64>,
    /// When it happened, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// The recording robot's user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The recording task (`TaskId` of `CreateCloudRecording`).
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub task_id: String,
    /// The event's own fields.
    #[serde(default)]
    pub payload: P,
}

impl<P> RecordingInfo<P> {
    /// The `EventInfo` of a recording event of `task_id` in `room_id` at `event_ms_ts`, with its `payload`.
    pub fn new(room_id: impl Into<RoomId>, task_id: impl Into<String>, event_ms_ts: u64, payload: P) -> Self {
        RecordingInfo {
            room_id: room_id.into(),
            event_ts: Some(event_ms_ts / 1000),
            event_ms_ts: Some(event_ms_ts),
            user_id: None,
            task_id: task_id.into(),
            payload,
        }
    }
}

/// `Payload` of 301 (recorder start), 303 (upload start), 306 (failover) and 312 (VOD stop).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct StatusPayload {
    /// 0 for success (started, migrated, ended normally); 1 for failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u32>,
}

impl StatusPayload {
    /// `Status` 0 (success) or 1 (failure).
    pub fn new(status: u32) -> Self {
        StatusPayload { status: Some(status) }
    }
}

/// `Payload` of 302, the recorder stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RecorderStopPayload {
    /// Why: 0 stopped by the API, 1 robot removed, 2 room dismissed, 3 robot removed by the server, 4 room
    /// dismissed by the server, 99 no other user for the set time, 100 timeout, 101 same user entered again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_code: Option<u32>,
}

impl RecorderStopPayload {
    /// The recorder stopped for `leave_code` (0 by the API, 2 the room dismissed, ...).
    pub fn new(leave_code: u32) -> Self {
        RecorderStopPayload {
            leave_code: Some(leave_code),
        }
    }
}

/// `Payload` of 304, the first M3U8 file generated and uploaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FileInfoPayload {
    /// The M3U8 file's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_list: Option<String>,
}

/// `Payload` of 305, the upload finished.
///
/// The two pages disagree on the field's name (`Status` in the example, `LeaveCode` in one table): both
/// are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UploadStopPayload {
    /// 0 all files uploaded, 1 at least one file left on the server or backup storage, 2 those files
    /// uploaded since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u32>,
    /// The same values, under the name one table gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_code: Option<u32>,
}

/// `Payload` of 307, the first TS segment of an M3U8 file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FileSlicePayload {
    /// The M3U8 file's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The user whose streams the file records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `audio`, `video` or `audio_video`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_type: Option<String>,
    /// When recording started on the server, Unix milliseconds (a number or a string, by page).
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub begin_time_stamp: Option<u64>,
}

/// `Payload` of 308, the upload module failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UploadErrorPayload {
    /// The storage service's error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The storage service's error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `Payload` of 309, an image could not be downloaded or decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DownloadImageErrorPayload {
    /// The URL that failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `Payload` of 310, an MP4 task finished.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Mp4StopPayload {
    /// 0 all files uploaded, 1 at least one left on the server or backup storage, 2 the task failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u32>,
    /// The MP4 files' names.
    #[serde(default)]
    pub file_list: Vec<String>,
    /// The MP4 files.
    #[serde(default)]
    pub file_message: Vec<RecordedFile>,
}

/// One file of [`Mp4StopPayload::file_message`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RecordedFile {
    /// The file's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The user recorded (empty in mixed-stream recording).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `audio`, `video` or `audio_video`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_type: Option<String>,
    /// `main` (camera), `aux` (screen sharing) or `mix`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
    /// The file's start, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time_stamp: Option<u64>,
    /// The file's end, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time_stamp: Option<u64>,
}

/// `Payload` of 311, a file uploaded to VOD.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct VodCommitPayload {
    /// 0 uploaded, 1 left on the server or backup storage, 2 the upload failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u32>,
    /// The error when `status` is not 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errmsg: Option<String>,
    /// The file in VOD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tencent_vod: Option<VodFile>,
}

/// [`VodCommitPayload::tencent_vod`]: a recorded file in VOD.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct VodFile {
    /// The user recorded (empty in mixed-stream recording).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `audio`, `video` or `audio_video`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_type: Option<String>,
    /// `main`, `aux` or `mix`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
    /// The file's ID in VOD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// The file's playback URL in VOD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// The MP4 or HLS file's name before the upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_file: Option<String>,
    /// The file's start, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time_stamp: Option<u64>,
    /// The file's end, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time_stamp: Option<u64>,
}

/// `EventInfo` of 401, the state of a relay to CDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CdnInfo {
    /// The room relayed.
    pub room_id: RoomId,
    /// 0 a numeric room, 1 a string room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<u32>,
    /// When it happened, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ts: Option<u64>,
    /// When it happened, Unix milliseconds: order relay events by it, they may arrive out of order. (The
    /// page's example spells it `EventTsMs`; both are read.)
    #[serde(
        default,
        alias = "EventTsMs",
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// The relay robot's user (`AgentParams.UserId` of `StartPublishCdnStream`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The relay task (a string in the example, a number in the table; both are read).
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub task_id: String,
    /// The relay's state.
    #[serde(default)]
    pub payload: CdnPayload,
}

impl CdnInfo {
    /// The `EventInfo` of 401: relay `task_id` of `room_id` in `status` at `event_ms_ts`.
    pub fn new(
        room_id: impl Into<RoomId>,
        task_id: impl Into<String>,
        event_ms_ts: u64,
        status: CdnStreamState,
    ) -> Self {
        CdnInfo {
            room_id: room_id.into(),
            room_type: None,
            event_ts: Some(event_ms_ts / 1000),
            event_ms_ts: Some(event_ms_ts),
            user_id: None,
            task_id: task_id.into(),
            payload: CdnPayload {
                status: Some(status),
                ..CdnPayload::default()
            },
        }
    }
}

/// [`CdnInfo::payload`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CdnPayload {
    /// The CDN URL relayed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The relay's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CdnStreamState>,
    /// The error code, on failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<i64>,
    /// The error message, on failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
}

/// `EventInfo` of the web page recording events 801 to 804.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct WebRecordingInfo {
    /// When it happened, Unix milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_or_digits",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// The web recording task.
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub task_id: String,
    /// The event's state.
    #[serde(default)]
    pub payload: WebRecordingPayload,
}

/// [`WebRecordingInfo::payload`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct WebRecordingPayload {
    /// The event's status; its meaning depends on the event (801: 1 started, 2 failed to start, 3 exited
    /// abnormally, 4 migrated, 5 stopped after an error; 802: 1 ended; 803: 1 page refreshed, 2 paused,
    /// 3 resumed; 804: 1 maximum duration reached, 2 a stream above the maximum resolution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u32>,
    /// The status in words (`"Success"`, `"PageRefresh"`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_message: Option<String>,
}
