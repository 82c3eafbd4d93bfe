//! The task families, as one table: which actions start, describe, modify and stop a family's tasks, how a
//! start names its room, the statuses the service names, the codes for a task that is not there and for a
//! start that repeats one. `lifecycle.rs` runs every family the same way from this table.
//!
//! Sources, all in `../shared/spec/`: the members, statuses and room id types are the request and response
//! documentation of `trtc-2019-07-22.api.json` and `trtc-2019-07-22.api.intl.json` (quoted beside each row);
//! the task id forms are those of `trtc-2019-07-22.examples*.json`; the codes are those of
//! `error_codes.json`, the SDKs' lists, chosen per family as noted where a family's documentation names one.

use trtc_model::ErrorCode;

use crate::tasks::IdStyle;

/// What an action does to its family's tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    /// Starts a task: answers its TaskId.
    Start,
    /// Answers a task's status.
    Describe,
    /// Changes a running task (modify, update, control).
    Modify,
    /// Ends a task (stop, delete).
    Stop,
}

/// How a start names its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoomStyle {
    /// The start names no room (web recording, live stream moderation).
    None,
    /// `RoomId` as a string and `RoomIdType` saying whether it is a string room or a number in text.
    Typed {
        /// The `RoomIdType` value of a string room (the other of 0 and 1 is a numeric room).
        string_type: u64,
        /// The `RoomIdType` when absent.
        default_type: u64,
    },
    /// A numeric `RoomId` (`StartMCUMixTranscode`).
    Numeric,
    /// A string `StrRoomId` (`StartMCUMixTranscodeByStrRoomId`).
    Str,
}

/// `RoomIdType` 0 for a string room, 1 (the default) for a number.
const ZERO_IS_STRING: RoomStyle = RoomStyle::Typed {
    string_type: 0,
    default_type: 1,
};
/// `RoomIdType` 1 for a string room, 0 (the default) for a number.
const ONE_IS_STRING: RoomStyle = RoomStyle::Typed {
    string_type: 1,
    default_type: 0,
};

/// A family of task actions.
#[derive(Debug)]
pub(crate) struct Family {
    /// Its name in the admin API.
    pub(crate) name: &'static str,
    /// Its actions and what each does.
    pub(crate) actions: &'static [(&'static str, Verb)],
    pub(crate) room: RoomStyle,
    /// The form of its task ids; `None` for a task known by its room (an MCU mix).
    pub(crate) id: Option<IdStyle>,
    /// The status of a task that started; then the others describe may answer (set by the admin API).
    pub(crate) statuses: &'static [&'static str],
    /// The answer to a TaskId that names no task of the family, or one that ended.
    pub(crate) not_found: ErrorCode,
    /// For a family whose describe and update answer an ended task with a status rather than an error.
    pub(crate) gone_status: Option<&'static str>,
    /// The member whose value a start is deduplicated by in the application, and describe can look up by.
    pub(crate) dedupe: Option<&'static str>,
}

/// Every family.
pub(crate) const FAMILIES: &[Family] = &[
    // DescribeCloudRecordingResponse.Status: "Idle / InProgress / Exited". RoomIdType: "0: String,
    // 1: 32-bit integer (default)". Not found: `ResourceNotFound`, which tencentcloud-sdk-go lists for
    // DescribeCloudRecording and DeleteCloudRecording. A start is not deduplicated: a second recorder in the
    // room is a second task.
    Family {
        name: "recording",
        actions: &[
            ("CreateCloudRecording", Verb::Start),
            ("DescribeCloudRecording", Verb::Describe),
            ("ModifyCloudRecording", Verb::Modify),
            ("DeleteCloudRecording", Verb::Stop),
        ],
        room: ZERO_IS_STRING,
        id: Some(IdStyle::Dotted),
        statuses: &["InProgress", "Idle", "Exited"],
        not_found: ErrorCode::ResourceNotFound,
        gone_status: None,
        dedupe: None,
    },
    // One mix per room, known by its room: a second start changes it. Stopping a room without one answers
    // `FailedOperation.MixSessionNotExist` ("no stream mixing template is set in the room").
    Family {
        name: "mcu_mix",
        actions: &[
            ("StartMCUMixTranscode", Verb::Start),
            ("StopMCUMixTranscode", Verb::Stop),
        ],
        room: RoomStyle::Numeric,
        id: None,
        statuses: &["InProgress"],
        not_found: ErrorCode::FailedOperationMixSessionNotExist,
        gone_status: None,
        dedupe: None,
    },
    Family {
        name: "mcu_mix",
        actions: &[
            ("StartMCUMixTranscodeByStrRoomId", Verb::Start),
            ("StopMCUMixTranscodeByStrRoomId", Verb::Stop),
        ],
        room: RoomStyle::Str,
        id: None,
        statuses: &["InProgress"],
        not_found: ErrorCode::FailedOperationMixSessionNotExist,
        gone_status: None,
        dedupe: None,
    },
    // StartPublishCdnStreamRequest.RoomIdType: "0 indicates integer type room id, and 1 indicates string";
    // UpdatePublishCdnStream's SequenceNumber must grow. Not found: `ResourceNotFound`, listed by
    // tencentcloud-sdk-go for UpdatePublishCdnStream and StopPublishCdnStream.
    Family {
        name: "cdn_relay",
        actions: &[
            ("StartPublishCdnStream", Verb::Start),
            ("UpdatePublishCdnStream", Verb::Modify),
            ("StopPublishCdnStream", Verb::Stop),
        ],
        room: ONE_IS_STRING,
        id: Some(IdStyle::Dotted),
        statuses: &["InProgress"],
        not_found: ErrorCode::ResourceNotFound,
        gone_status: None,
        dedupe: None,
    },
    // DescribeStreamIngestResponse.Status: "InProgress: the task is in progress. NotExist: the task does not
    // exist" (UpdateStreamIngest's the same): an ended task is a status, not an error, except for a stop.
    Family {
        name: "stream_ingest",
        actions: &[
            ("StartStreamIngest", Verb::Start),
            ("DescribeStreamIngest", Verb::Describe),
            ("UpdateStreamIngest", Verb::Modify),
            ("StopStreamIngest", Verb::Stop),
        ],
        room: ZERO_IS_STRING,
        id: Some(IdStyle::Dotted),
        statuses: &["InProgress"],
        not_found: ErrorCode::FailedOperationTaskNotExist,
        gone_status: Some("NotExist"),
        dedupe: None,
    },
    // StartWebRecordRequest.RecordId: "if carrying RecordId initiates start recording requests more than
    // twice, only one task will start up, and the second will report error FailedOperation.TaskExist".
    // DescribeWebRecordResponse.Status: "1: Recording" (an integer).
    Family {
        name: "web_record",
        actions: &[
            ("StartWebRecord", Verb::Start),
            ("DescribeWebRecord", Verb::Describe),
            ("StopWebRecord", Verb::Stop),
        ],
        room: RoomStyle::None,
        id: Some(IdStyle::Dotted),
        statuses: &["1"],
        not_found: ErrorCode::FailedOperationTaskNotExist,
        gone_status: None,
        dedupe: Some("RecordId"),
    },
    // DescribeCloudModerationResponse.Status: "Idle / InProgress / Exited".
    Family {
        name: "cloud_moderation",
        actions: &[
            ("CreateCloudModeration", Verb::Start),
            ("DescribeCloudModeration", Verb::Describe),
            ("ModifyCloudModeration", Verb::Modify),
            ("DeleteCloudModeration", Verb::Stop),
        ],
        room: ZERO_IS_STRING,
        id: Some(IdStyle::Dotted),
        statuses: &["InProgress", "Idle", "Exited"],
        not_found: ErrorCode::FailedOperationTaskNotExist,
        gone_status: None,
        dedupe: None,
    },
    // DescribeCloudSliceTaskResponse.Status: "Idle / InProgress / Exited".
    Family {
        name: "cloud_slice",
        actions: &[
            ("CreateCloudSliceTask", Verb::Start),
            ("DescribeCloudSliceTask", Verb::Describe),
            ("ModifyCloudSliceTask", Verb::Modify),
            ("DeleteCloudSliceTask", Verb::Stop),
        ],
        room: ZERO_IS_STRING,
        id: Some(IdStyle::Dotted),
        statuses: &["InProgress", "Idle", "Exited"],
        not_found: ErrorCode::FailedOperationTaskNotExist,
        gone_status: None,
        dedupe: None,
    },
    // DescribeCloudTranscriptionResponse.Status: "Idle / InProgress / Exited"; StartTime in milliseconds, as
    // the example shows it. RoomIdType: "0 indicates an integer room number, and 1 a string".
    Family {
        name: "cloud_transcription",
        actions: &[
            ("CreateCloudTranscription", Verb::Start),
            ("DescribeCloudTranscription", Verb::Describe),
            ("DeleteCloudTranscription", Verb::Stop),
        ],
        room: ONE_IS_STRING,
        id: Some(IdStyle::Dotted),
        statuses: &["InProgress", "Idle", "Exited"],
        not_found: ErrorCode::FailedOperationTaskNotExist,
        gone_status: None,
        dedupe: None,
    },
    // DescribeAIConversationResponse.Status: "Idle / Preparing / InProgress / Stopped". SessionId: "can be
    // used to prevent duplication of task initiation ... as well as query task status". StopAIConversation's
    // documented codes: FailedOperation.TaskNotExist, InvalidParameter.TaskId.
    Family {
        name: "ai_conversation",
        actions: &[
            ("StartAIConversation", Verb::Start),
            ("DescribeAIConversation", Verb::Describe),
            ("UpdateAIConversation", Verb::Modify),
            ("ControlAIConversation", Verb::Modify),
            ("StopAIConversation", Verb::Stop),
        ],
        room: ONE_IS_STRING,
        id: Some(IdStyle::Dated),
        statuses: &["InProgress", "Idle", "Preparing", "Stopped"],
        not_found: ErrorCode::FailedOperationTaskNotExist,
        gone_status: None,
        dedupe: Some("SessionId"),
    },
    // DescribeAITranscriptionResponse.Status: "Idle / Preparing / InProgress / Stopped"; as AI conversation.
    Family {
        name: "ai_transcription",
        actions: &[
            ("StartAITranscription", Verb::Start),
            ("DescribeAITranscription", Verb::Describe),
            ("StopAITranscription", Verb::Stop),
        ],
        room: ONE_IS_STRING,
        id: Some(IdStyle::Dated),
        statuses: &["InProgress", "Idle", "Preparing", "Stopped"],
        not_found: ErrorCode::FailedOperationTaskNotExist,
        gone_status: None,
        dedupe: Some("SessionId"),
    },
    // DescribeLiveStreamModerationResponse.Status: "Idle / InProgress / Exited". A live stream, no room.
    Family {
        name: "live_moderation",
        actions: &[
            ("CreateLiveStreamModeration", Verb::Start),
            ("DescribeLiveStreamModeration", Verb::Describe),
            ("DeleteLiveStreamModeration", Verb::Stop),
        ],
        room: RoomStyle::None,
        id: Some(IdStyle::Dotted),
        statuses: &["InProgress", "Idle", "Exited"],
        not_found: ErrorCode::FailedOperationTaskNotExist,
        gone_status: None,
        dedupe: None,
    },
];

/// The family of the action called `name`, and what the action does.
pub(crate) fn find(name: &str) -> Option<(&'static Family, Verb)> {
    FAMILIES.iter().find_map(|family| {
        family
            .actions
            .iter()
            .find(|(action, _)| *action == name)
            .map(|&(_, verb)| (family, verb))
    })
}
