//! `ErrorCode`: the DismissRoom codes one by one, and properties of the whole generated table.

use std::collections::BTreeSet;

use trtc_model::{ErrorClass, ErrorCode};

/// The ten codes the official Go SDK lists for DismissRoom: (code, variant, class, English description).
const DISMISS_ROOM_CODES: [(&str, ErrorCode, ErrorClass, &str); 10] = [
    (
        "FailedOperation.RoomNotExist",
        ErrorCode::FailedOperationRoomNotExist,
        ErrorClass::Caller,
        "The room does not exist.",
    ),
    (
        "InternalError",
        ErrorCode::InternalError,
        ErrorClass::Transient,
        "Internal error.",
    ),
    (
        "InternalError.GetRoomCacheIpError",
        ErrorCode::InternalErrorGetRoomCacheIpError,
        ErrorClass::Transient,
        "Failed to query the room.",
    ),
    (
        "InternalError.GetRoomFromCacheError",
        ErrorCode::InternalErrorGetRoomFromCacheError,
        ErrorClass::Transient,
        "Failed to get room information.",
    ),
    (
        "InvalidParameter.RoomId",
        ErrorCode::InvalidParameterRoomId,
        ErrorClass::Caller,
        "`RoomId` is incorrect.",
    ),
    (
        "InvalidParameter.SdkAppId",
        ErrorCode::InvalidParameterSdkAppId,
        ErrorClass::Caller,
        "`SdkAppId` is incorrect.",
    ),
    (
        "InvalidParameterValue.RoomId",
        ErrorCode::InvalidParameterValueRoomId,
        ErrorClass::Caller,
        "Invalid RoomId.",
    ),
    (
        "MissingParameter.RoomId",
        ErrorCode::MissingParameterRoomId,
        ErrorClass::Caller,
        "`RoomId` is missing.",
    ),
    (
        "MissingParameter.SdkAppId",
        ErrorCode::MissingParameterSdkAppId,
        ErrorClass::Caller,
        "`SdkAppId` is missing.",
    ),
    (
        "UnauthorizedOperation.SdkAppId",
        ErrorCode::UnauthorizedOperationSdkAppId,
        ErrorClass::Caller,
        "No permission to manipulate `SdkAppId`.",
    ),
];

#[test]
fn each_dismiss_room_code_parses_classes_and_describes() {
    for (text, variant, class, description) in DISMISS_ROOM_CODES {
        let parsed: ErrorCode = text.parse().unwrap();
        assert_eq!(parsed, variant, "{text} parses to its variant");
        assert_eq!(parsed.as_str(), text, "{text} prints back");
        assert_eq!(parsed.to_string(), text);
        assert_eq!(parsed.class(), class, "{text} class");
        assert_eq!(parsed.description(), Some(description), "{text} description");
        assert!(parsed.is_known());
        let json = serde_json::to_string(&parsed).unwrap();
        assert_eq!(json, format!("{text:?}"));
        assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), variant);
    }
    assert!(!ErrorCode::FailedOperationRoomNotExist.class().is_retryable());
    assert!(ErrorCode::InternalErrorGetRoomFromCacheError.class().is_retryable());
}

#[test]
fn the_table_holds_the_sdk_lists_and_the_common_codes() {
    // 165 codes of the TRTC SDK error lists plus 31 common API 3.0 codes they leave out.
    assert_eq!(ErrorCode::KNOWN.len(), 196);
    let texts: Vec<&str> = ErrorCode::KNOWN.iter().map(ErrorCode::as_str).collect();
    let mut sorted = texts.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(texts, sorted, "KNOWN is in byte order without repeats");
    for code in [
        "AuthFailure.InvalidSecretId",
        "AuthFailure.MFAFailure",
        "AuthFailure.SecretIdNotFound",
        "AuthFailure.SignatureExpire",
        "AuthFailure.SignatureFailure",
        "AuthFailure.TokenFailure",
        "AuthFailure.InvalidAuthorization",
        "RequestLimitExceeded",
        "RequestLimitExceeded.IPLimitExceeded",
        "RequestLimitExceeded.UinLimitExceeded",
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        "InternalError",
        "InvalidAction",
        "InvalidParameter",
        "InvalidParameterValue",
        "MissingParameter",
        "UnsupportedRegion",
        "UnsupportedProtocol",
        "UnsupportedOperation",
        "UnknownParameter",
        "ResourceNotFound",
        "ResourceUnavailable",
        "ResourceInUse",
        "ResourceInsufficient",
        "UnauthorizedOperation",
        "LimitExceeded",
        "NoSuchVersion",
        "NoSuchProduct",
        "InvalidRequest",
        "RequestSizeLimitExceeded",
        "ResponseSizeLimitExceeded",
        "FailedOperation",
        "DryRunOperation",
        "ActionOffline",
        "ServiceUnavailable",
        "IpInBlacklist",
        "IpNotInWhitelist",
    ] {
        assert!(texts.contains(&code), "{code} is a known code");
    }
}

#[test]
fn every_known_code_round_trips_and_has_an_english_description() {
    let mut variants = BTreeSet::new();
    for code in ErrorCode::KNOWN {
        assert_eq!(&ErrorCode::parse(code.as_str()), code);
        assert!(variants.insert(format!("{code:?}")), "{code:?} is one variant");
        let description = code.description().unwrap();
        assert!(!description.trim().is_empty(), "{code} has a description");
        assert!(
            description.is_ascii() || !description.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{code}: the description is English: {description:?}"
        );
        // The variant is the code without dots.
        assert_eq!(format!("{code:?}"), code.as_str().replace('.', ""));
    }
}

#[test]
fn classes_follow_the_head_with_documented_exceptions() {
    for code in ErrorCode::KNOWN {
        let text = code.as_str();
        let expected = match text {
            "FailedOperation.RestrictedFrequency" | "OperationDenied.FreqOverLimit" => ErrorClass::Throttled,
            "InternalError.UserNotExist"
            | "InternalError.MethodErr"
            | "InternalError.HttpParaseFalied"
            | "InternalError.HttpParseFailed" => ErrorClass::Caller,
            _ => match text.split('.').next().unwrap() {
                "RequestLimitExceeded" => ErrorClass::Throttled,
                "InternalError" | "ServiceUnavailable" | "ResourceInsufficient" => ErrorClass::Transient,
                "AuthFailure" => ErrorClass::Authentication,
                _ => ErrorClass::Caller,
            },
        };
        assert_eq!(code.class(), expected, "{text}");
    }
    assert_eq!(ErrorCode::ResourceUnavailable.class(), ErrorClass::Caller);
    assert_eq!(ErrorCode::RequestSizeLimitExceeded.class(), ErrorClass::Caller);
}

#[test]
fn unknown_codes_are_kept_exactly_and_classed_by_their_head() {
    for (text, class) in [
        ("RequestLimitExceeded.BrandNew", ErrorClass::Throttled),
        ("InternalError.BrandNew", ErrorClass::Transient),
        ("ServiceUnavailable.Maintenance", ErrorClass::Transient),
        ("AuthFailure.BrandNew", ErrorClass::Authentication),
        ("FailedOperation.BrandNew", ErrorClass::Caller),
        ("RequestLimitExceededX", ErrorClass::Caller),
        ("", ErrorClass::Caller),
        ("  spaced  ", ErrorClass::Caller),
        ("ünïcödé.房间", ErrorClass::Caller),
        // Case matters: the service spells codes one way, and this is not it.
        ("failedoperation.roomnotexist", ErrorClass::Caller),
    ] {
        let code = ErrorCode::parse(text);
        assert_eq!(code, ErrorCode::Other(text.to_owned()));
        assert!(!code.is_known());
        assert_eq!(code.as_str(), text);
        assert_eq!(code.description(), None);
        assert_eq!(code.class(), class, "{text:?}");
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
    }
}

#[test]
fn codes_without_english_in_the_sdk_lists_have_a_project_translation() {
    // The CN-only SDK list has this one in Chinese only (数据库处理出现异常。).
    let code = ErrorCode::parse("FailedOperation.DbOperationFailed");
    assert_eq!(code, ErrorCode::FailedOperationDbOperationFailed);
    assert_eq!(
        code.description(),
        Some("An error occurred while processing the database operation.")
    );
    // UnknownParameter has only Chinese in the SDK list and takes the common-code description.
    assert_eq!(ErrorCode::UnknownParameter.description(), Some("Unknown parameter."));
}
