//! The members of the room, user, quality and usage queries, as the API spec declares them (see
//! `tasks.rs` for the sources); `tests/spec_members.rs` checks this table against the spec files.

use super::super::schema::{opt, req, ActionSchema, Field, Kind, Shape};
use super::super::ActionSpec;

/// The queries of rooms, users, quality and usage.
#[rustfmt::skip]
pub(crate) const STATISTICS: &[ActionSpec] = &[
    ActionSpec::described(ActionSchema {
        name: "DescribeRoomInfo",
        request: &[req("SdkAppId", Kind::Int), req("StartTime", Kind::Int), req("EndTime", Kind::Int), opt("RoomId", Kind::Str), opt("PageNumber", Kind::Int), opt("PageSize", Kind::Int)],
        response: &[Field::new("Total", Shape::Int), Field::new("RoomList", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeUserInfo",
        request: &[req("CommId", Kind::Str), req("StartTime", Kind::Int), req("EndTime", Kind::Int), req("SdkAppId", Kind::Int), opt("UserIds", Kind::List), opt("PageNumber", Kind::Int), opt("PageSize", Kind::Int)],
        response: &[Field::new("Total", Shape::Int), Field::new("UserList", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeCallDetailInfo",
        request: &[req("CommId", Kind::Str), req("StartTime", Kind::Int), req("EndTime", Kind::Int), req("SdkAppId", Kind::Int), opt("UserIds", Kind::List), opt("DataType", Kind::List), opt("PageNumber", Kind::Int), opt("PageSize", Kind::Int)],
        response: &[Field::new("Total", Shape::Int), Field::new("UserList", Shape::List), Field::new("Data", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeUserEvent",
        request: &[req("CommId", Kind::Str), req("StartTime", Kind::Int), req("EndTime", Kind::Int), req("UserId", Kind::Str), req("RoomId", Kind::Str), req("SdkAppId", Kind::Int)],
        response: &[Field::opt("Data", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeUnusualEvent",
        request: &[req("SdkAppId", Kind::Int), req("StartTime", Kind::Int), req("EndTime", Kind::Int), opt("RoomId", Kind::Str)],
        response: &[Field::opt("Total", Shape::Int), Field::opt("AbnormalExperienceList", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeScaleInfo",
        request: &[req("SdkAppId", Kind::Int), req("StartTime", Kind::Int), req("EndTime", Kind::Int)],
        response: &[Field::new("Total", Shape::Int), Field::new("ScaleList", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeMixTranscodingUsage",
        request: &[req("StartTime", Kind::Str), req("EndTime", Kind::Str), opt("SdkAppId", Kind::Int)],
        response: &[Field::new("UsageKey", Shape::List), Field::new("UsageList", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeRecordStatistic",
        request: &[req("StartTime", Kind::Str), req("EndTime", Kind::Str), opt("SdkAppId", Kind::Int)],
        response: &[Field::opt("SdkAppIdUsages", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeRecordingUsage",
        request: &[req("StartTime", Kind::Str), req("EndTime", Kind::Str), req("MixType", Kind::Str), opt("SdkAppId", Kind::Int)],
        response: &[Field::new("UsageKey", Shape::List), Field::new("UsageList", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeRelayUsage",
        request: &[req("StartTime", Kind::Str), req("EndTime", Kind::Str), opt("SdkAppId", Kind::Int)],
        response: &[Field::new("UsageKey", Shape::List), Field::new("UsageList", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTRTCAIRecognitionUsage",
        request: &[req("StartTime", Kind::Str), req("EndTime", Kind::Str), req("AuType", Kind::List), opt("SdkAppId", Kind::Str)],
        response: &[Field::new("UsageKey", Shape::List), Field::new("UsageList", Shape::List), Field::new("TotalUsage", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTRTCDedicatedCloudAccUsage",
        request: &[req("StartTime", Kind::Str), req("EndTime", Kind::Str), opt("SdkAppId", Kind::Int)],
        response: &[Field::new("UsageKey", Shape::List), Field::new("UsageList", Shape::List), Field::new("TotalUsage", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTRTCMarketQualityData",
        request: &[req("SdkAppId", Kind::Str), req("StartTime", Kind::Str), req("EndTime", Kind::Str), req("Period", Kind::Str), opt("IsFloat", Kind::Bool)],
        response: &[Field::new("Data", Shape::Object(&[Field::new("StatementID", Shape::Int), Field::new("Series", Shape::List), Field::new("Total", Shape::Int)]))],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTRTCMarketScaleData",
        request: &[req("SdkAppId", Kind::Str), req("StartTime", Kind::Str), req("EndTime", Kind::Str), req("Period", Kind::Str)],
        response: &[Field::new("Data", Shape::Object(&[Field::new("StatementID", Shape::Int), Field::new("Series", Shape::List), Field::new("Total", Shape::Int)]))],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTRTCMarketScaleMetricData",
        request: &[req("SdkAppId", Kind::Str), req("StartTime", Kind::Str), req("EndTime", Kind::Str), req("Period", Kind::Str)],
        response: &[Field::opt("Data", Shape::Object(&[]))],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTRTCRealTimeQualityData",
        request: &[req("SdkAppId", Kind::Str), req("StartTime", Kind::Int), req("EndTime", Kind::Int), opt("RoomId", Kind::Str)],
        response: &[Field::new("Data", Shape::Object(&[Field::new("StatementID", Shape::Int), Field::new("Series", Shape::List), Field::new("Total", Shape::Int)]))],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTRTCRealTimeScaleData",
        request: &[req("SdkAppId", Kind::Str), req("StartTime", Kind::Int), req("EndTime", Kind::Int), opt("RoomId", Kind::Str)],
        response: &[Field::new("Data", Shape::Object(&[Field::new("StatementID", Shape::Int), Field::new("Series", Shape::List), Field::new("Total", Shape::Int)]))],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTRTCSegmentModerationUsage",
        request: &[req("StartTime", Kind::Str), req("EndTime", Kind::Str), req("Type", Kind::Str), req("Business", Kind::Int), opt("SdkAppId", Kind::Int)],
        response: &[Field::new("UsageKey", Shape::List), Field::new("UsageList", Shape::List), Field::new("TotalUsage", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTrtcMcuTranscodeTime",
        request: &[req("StartTime", Kind::Str), req("EndTime", Kind::Str), opt("SdkAppId", Kind::Int)],
        response: &[Field::new("Usages", Shape::List)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTrtcRoomUsage",
        request: &[req("SdkAppid", Kind::Int), req("StartTime", Kind::Str), req("EndTime", Kind::Str)],
        response: &[Field::new("Data", Shape::Str)],
    }),
    ActionSpec::described(ActionSchema {
        name: "DescribeTrtcUsage",
        request: &[req("StartTime", Kind::Str), req("EndTime", Kind::Str), opt("SdkAppId", Kind::Int)],
        response: &[Field::new("UsageKey", Shape::List), Field::new("UsageList", Shape::List)],
    }),
];
