//! `trtc call` with a TRTC action of the generated set: the body is read into the action's request type before
//! anything is signed (errors name the member's path and exit 2), the answer is printed from the response
//! type; `--raw` sends the body as given; `trtc actions` lists the actions and an action's members.

mod support;

use std::process::Stdio;

use support::{assert_exit, stderr, stdout, trtc, trtc_with_key, Emulator, APP};

fn call(emulator: &Emulator, action: &str, body: &str, extra: &[&str]) -> std::process::Output {
    trtc_with_key()
        .args([
            "call",
            action,
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &emulator.endpoint,
            "--json",
            body,
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_wrong_type_a_missing_and_an_unknown_member_are_refused_before_sending_naming_the_path() {
    let emulator = Emulator::start(&["--room", "1234"]);
    let base = format!(r#""SdkAppId":{APP},"RoomId":"1234","UserId":"recorder","UserSig":"sig""#);
    let cases = [
        (
            format!(
                r#"{{{base},"RecordParams":{{"RecordMode":1,"SubscribeStreamUserIds":{{"SubscribeAudioUserIds":[5]}}}}}}"#
            ),
            "RecordParams.SubscribeStreamUserIds.SubscribeAudioUserIds[0]",
        ),
        (format!(r#"{{"SdkAppId":{APP},"RoomId":"1234"}}"#), "UserId"),
        (format!(r#"{{{base},"RecordParms":{{}}}}"#), "RecordParms"),
    ];
    for (body, path) in cases {
        let out = call(&emulator, "CreateCloudRecording", &body, &[]);
        assert_exit(&out, 2);
        let line = stderr(&out);
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(line.contains(path), "{line} does not name {path}");
    }
    // The unknown member's message lists the valid names of its object.
    let out = call(
        &emulator,
        "CreateCloudRecording",
        &format!(r#"{{{base},"RecordParms":{{}}}}"#),
        &[],
    );
    assert!(stderr(&out).contains("RecordParams"), "{}", stderr(&out));
    // Nothing reached the emulator.
    let (_, journal) = emulator.admin("GET", "journal", "");
    assert_eq!(journal["entries"].as_array().unwrap().len(), 0, "{journal}");
}

#[test]
fn a_typed_answer_is_printed_from_the_response_type_and_raw_passes_the_body_through() {
    let emulator = Emulator::start(&["--room", "1234", "--room", "5"]);
    // The documentation's example request (international edition), for this emulator's application and room.
    let body = format!(
        r#"{{"StorageParams":{{"CloudVod":{{"TencentVod":{{"ExpireTime":0}}}}}},"UserSig":"sig","UserId":"10001",
            "RecordParams":{{"MaxIdleTime":60,"StreamType":0,"RecordMode":2}},"RoomIdType":1,
            "MixTranscodeParams":{{"VideoParams":{{"Width":360,"BitRate":500000,"Fps":15,"Height":640,"Gop":10}}}},
            "MixLayoutParams":{{"MixLayoutMode":3}},"SdkAppId":{APP},"RoomId":"1234"}}"#
    );
    let out = call(&emulator, "CreateCloudRecording", &body, &[]);
    assert_exit(&out, 0);
    let answer: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert!(answer["TaskId"].as_str().is_some_and(|t| !t.is_empty()), "{answer}");
    assert!(answer["RequestId"].as_str().is_some(), "{answer}");
    let task = answer["TaskId"].as_str().unwrap().to_owned();

    let described = call(
        &emulator,
        "DescribeCloudRecording",
        &format!(r#"{{"SdkAppId":{APP},"TaskId":"{task}"}}"#),
        &[],
    );
    assert_exit(&described, 0);
    let described: serde_json::Value = serde_json::from_str(stdout(&described).trim()).unwrap();
    assert_eq!(described["TaskId"], task.as_str(), "{described}");

    // --raw: the body as given, even one the typed path refuses; the service's own answer comes back.
    let out = call(
        &emulator,
        "DismissRoom",
        &format!(r#"{{"SdkAppId":{APP},"RoomId":5,"Extra":1}}"#),
        &["--raw"],
    );
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("UnknownParameter"), "{}", stderr(&out));
}

#[test]
fn actions_lists_every_typed_action_and_an_actions_members() {
    let out = trtc().arg("actions").output().unwrap();
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 89, "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("CreateCloudRecording\tmainland, international\t")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("SetUserBlocked\tinternational\t")),
        "{text}"
    );

    let out = trtc().args(["actions", "DismissRoom"]).output().unwrap();
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("  SdkAppId\tuint64\trequired\t"),
        "{}",
        stdout(&out)
    );
    let help = trtc().args(["call", "DismissRoom", "--help"]).output().unwrap();
    assert_exit(&help, 0);
    assert_eq!(stdout(&help), stdout(&out));

    let out = trtc().args(["actions", "DismissRooms"]).output().unwrap();
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("did you mean"), "{}", stderr(&out));
}
