//! The members of the task actions (recording, mixing, relay, ingest, web recording, moderation, slicing,
//! transcription, AI conversation and transcription), as the API spec declares them: the union of
//! `trtc-2019-07-22.api.json` (mainland) and `trtc-2019-07-22.api.intl.json` (international), each request
//! member with its type and whether it is required, and every member the answer must carry
//! (`output_required`). `tests/spec_members.rs` checks this table against the spec files.

use super::super::schema::{opt, req, ActionSchema, Field, Kind, Shape};
use super::super::ActionSpec;

/// The task actions.
#[rustfmt::skip]
pub(crate) const TASKS: &[ActionSpec] = &[
    ActionSpec::described(ActionSchema {
        name: "CreateCloudRecording",
        request: &[req("SdkAppId", Kind::Int), req("RoomId", Kind::Str), req("UserId", Kind::Str), req("UserSig", Kind::Str), req("RecordParams", Kind::Object), req("StorageParams", Kind::Object), opt("RoomIdType", Kind::Int), opt("MixTranscodeParams", Kind::Object), opt("MixLayoutParams", Kind::Object), opt("ResourceExpiredHour", Kind::Int), opt("PrivateMapKey", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeCloudRecording",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str), opt("RecorderKey", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str), Field::new("Status", Shape::Str), Field::new("StorageFileList", Shape::List), Field::opt("RecorderKey", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "ModifyCloudRecording",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str), opt("MixLayoutParams", Kind::Object), opt("SubscribeStreamUserIds", Kind::Object)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DeleteCloudRecording",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "StartMCUMixTranscode",
        request: &[req("SdkAppId", Kind::Int), req("RoomId", Kind::Int), req("OutputParams", Kind::Object), req("EncodeParams", Kind::Object), req("LayoutParams", Kind::Object), opt("PublishCdnParams", Kind::Object)],
        response: &[],
    }),
    ActionSpec::described(ActionSchema {
        name: "StartMCUMixTranscodeByStrRoomId",
        request: &[req("SdkAppId", Kind::Int), req("StrRoomId", Kind::Str), req("OutputParams", Kind::Object), req("EncodeParams", Kind::Object), req("LayoutParams", Kind::Object), opt("PublishCdnParams", Kind::Object)],
        response: &[],
    }),
    ActionSpec::described(ActionSchema {
        name: "StopMCUMixTranscode",
        request: &[req("SdkAppId", Kind::Int), req("RoomId", Kind::Int)],
        response: &[],
    }),
    ActionSpec::described(ActionSchema {
        name: "StopMCUMixTranscodeByStrRoomId",
        request: &[req("SdkAppId", Kind::Int), req("StrRoomId", Kind::Str)],
        response: &[],
    }),
    ActionSpec::described(ActionSchema {
        name: "StartPublishCdnStream",
        request: &[req("SdkAppId", Kind::Int), req("RoomId", Kind::Str), req("RoomIdType", Kind::Int), req("AgentParams", Kind::Object), req("WithTranscoding", Kind::Int), opt("AudioParams", Kind::Object), opt("VideoParams", Kind::Object), opt("SingleSubscribeParams", Kind::Object), opt("PublishCdnParams", Kind::List), opt("SeiParams", Kind::Object), opt("FeedBackRoomParams", Kind::List), opt("RecordParams", Kind::Object)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "UpdatePublishCdnStream",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str), req("SequenceNumber", Kind::Int), req("WithTranscoding", Kind::Int), opt("AudioParams", Kind::Object), opt("VideoParams", Kind::Object), opt("SingleSubscribeParams", Kind::Object), opt("PublishCdnParams", Kind::List), opt("SeiParams", Kind::Object), opt("FeedBackRoomParams", Kind::List)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "StopPublishCdnStream",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str), opt("RecordKey", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "StartStreamIngest",
        request: &[req("SdkAppId", Kind::Int), req("RoomId", Kind::Str), req("RoomIdType", Kind::Int), req("UserId", Kind::Str), req("UserSig", Kind::Str), opt("StreamUrl", Kind::Str), opt("PrivateMapKey", Kind::Str), opt("SeekSecond", Kind::Int), opt("AutoPush", Kind::Bool), opt("RepeatNum", Kind::Int), opt("MaxDuration", Kind::Int), opt("Volume", Kind::Int), opt("EnableProgress", Kind::Bool), opt("Tempo", Kind::Float), opt("IdleTimeout", Kind::Int)],
        response: &[Field::opt("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeStreamIngest",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[Field::new("Status", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "UpdateStreamIngest",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str), opt("StreamUrl", Kind::Str), opt("Volume", Kind::Int), opt("IsPause", Kind::Bool), opt("EnableProgress", Kind::Bool), opt("Tempo", Kind::Float)],
        response: &[Field::new("Status", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "StopStreamIngest",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[],
    }),
    ActionSpec::described(ActionSchema {
        name: "StartWebRecord",
        request: &[req("RecordUrl", Kind::Str), req("StorageParams", Kind::Object), req("SdkAppId", Kind::Int), opt("MaxDurationLimit", Kind::Int), opt("WebRecordVideoParams", Kind::Object), opt("RecordId", Kind::Str), opt("PublishCdnParams", Kind::List), opt("ReadyTimeout", Kind::Int), opt("EmulateMobileParams", Kind::Object)],
        response: &[Field::opt("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeWebRecord",
        request: &[opt("TaskId", Kind::Str), opt("SdkAppId", Kind::Int), opt("RecordId", Kind::Str)],
        response: &[Field::opt("Status", Shape::Int), Field::opt("TaskId", Shape::Str), Field::opt("RecordId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "StopWebRecord",
        request: &[req("TaskId", Kind::Str)],
        response: &[],
    }),
    ActionSpec::described(ActionSchema {
        name: "CreateCloudModeration",
        request: &[req("SdkAppId", Kind::Int), req("RoomId", Kind::Str), req("UserId", Kind::Str), req("ModerationParams", Kind::Object), req("UserSig", Kind::Str), req("ModerationStorageParams", Kind::Object), opt("RoomIdType", Kind::Int), opt("ResourceExpiredHour", Kind::Int)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeCloudModeration",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str), Field::new("Status", Shape::Str), Field::opt("SubscribeStreamUserIds", Shape::Object(&[]))],
    }),
    ActionSpec::described(ActionSchema {
        name: "ModifyCloudModeration",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str), opt("SubscribeStreamUserIds", Kind::Object)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DeleteCloudModeration",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "CreateCloudSliceTask",
        request: &[req("SdkAppId", Kind::Int), req("RoomId", Kind::Str), req("UserId", Kind::Str), req("UserSig", Kind::Str), req("SliceParams", Kind::Object), req("SliceStorageParams", Kind::Object), opt("RoomIdType", Kind::Int), opt("ResourceExpiredHour", Kind::Int), opt("PrivateMapKey", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeCloudSliceTask",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str), Field::new("Status", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "ModifyCloudSliceTask",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str), opt("SubscribeStreamUserIds", Kind::Object)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DeleteCloudSliceTask",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "CreateCloudTranscription",
        request: &[req("SdkAppId", Kind::Int), req("RoomId", Kind::Str), req("RoomIdType", Kind::Int), req("TranscriptionParam", Kind::Object), req("AsrParam", Kind::Object), opt("TranslationParam", Kind::Object), opt("TTSParam", Kind::List)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeCloudTranscription",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[Field::new("StartTime", Shape::Int), Field::new("Status", Shape::Str), Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DeleteCloudTranscription",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "StartAIConversation",
        request: &[req("SdkAppId", Kind::Int), req("RoomId", Kind::Str), req("AgentConfig", Kind::Object), opt("SessionId", Kind::Str), opt("RoomIdType", Kind::Int), opt("STTConfig", Kind::Object), opt("LLMConfig", Kind::Str), opt("TTSConfig", Kind::Str), opt("AvatarConfig", Kind::Str), opt("ExperimentalParams", Kind::Str)],
        response: &[Field::opt("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeAIConversation",
        request: &[opt("SdkAppId", Kind::Int), opt("TaskId", Kind::Str), opt("SessionId", Kind::Str)],
        response: &[Field::opt("StartTime", Shape::Str), Field::opt("Status", Shape::Str), Field::opt("TaskId", Shape::Str), Field::opt("SessionId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "UpdateAIConversation",
        request: &[req("TaskId", Kind::Str), opt("WelcomeMessage", Kind::Str), opt("InterruptMode", Kind::Int), opt("InterruptSpeechDuration", Kind::Int), opt("LLMConfig", Kind::Str), opt("TTSConfig", Kind::Str)],
        response: &[],
    }),
    ActionSpec::described(ActionSchema {
        name: "ControlAIConversation",
        request: &[req("TaskId", Kind::Str), req("Command", Kind::Str), opt("ServerPushText", Kind::Object), opt("InvokeLLM", Kind::Object), opt("TransparentData", Kind::Object)],
        response: &[],
    }),
    ActionSpec::described(ActionSchema {
        name: "StopAIConversation",
        request: &[req("TaskId", Kind::Str)],
        response: &[],
    }),
    ActionSpec::described(ActionSchema {
        name: "StartAITranscription",
        request: &[req("SdkAppId", Kind::Int), req("RoomId", Kind::Str), req("TranscriptionParams", Kind::Object), opt("SessionId", Kind::Str), opt("RoomIdType", Kind::Int), opt("RecognizeConfig", Kind::Object), opt("TranslationConfig", Kind::Object)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeAITranscription",
        request: &[req("TaskId", Kind::Str), opt("SdkAppId", Kind::Int), opt("SessionId", Kind::Str)],
        response: &[Field::new("StartTime", Shape::Str), Field::new("Status", Shape::Str), Field::opt("TaskId", Shape::Str), Field::opt("SessionId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "StopAITranscription",
        request: &[req("TaskId", Kind::Str)],
        response: &[],
    }),
    ActionSpec::described(ActionSchema {
        name: "CreateLiveStreamModeration",
        request: &[req("SdkAppId", Kind::Int), req("Input", Kind::Object), req("LiveModerationParams", Kind::Object), opt("DataId", Kind::Str), opt("SourceInfo", Kind::Object), opt("LiveModerationStorageParams", Kind::Object), opt("ResourceExpiredHour", Kind::Int)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeLiveStreamModeration",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str), Field::new("Status", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DeleteLiveStreamModeration",
        request: &[req("SdkAppId", Kind::Int), req("TaskId", Kind::Str)],
        response: &[Field::new("TaskId", Shape::Str)],
    }),
];
