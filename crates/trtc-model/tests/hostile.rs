//! Hostile and broken answers: each becomes a clear `Error` that keeps the HTTP status and a bounded snippet of
//! the body, never a panic, a stack overflow or a success.

use trtc_model::{parse_response, DismissRoomResponse, ErrorCode, ResponseError, SNIPPET_LIMIT};

const TEN_MB: usize = 10 * 1024 * 1024;
const DEEP: usize = 100_000;

fn nested(open: &str, close: &str, depth: usize, inner: &str) -> Vec<u8> {
    let mut body = open.repeat(depth);
    body.push_str(inner);
    body.push_str(&close.repeat(depth));
    body.into_bytes()
}

/// (name, status, body, a fragment the error's detail must contain)
fn cases() -> Vec<(&'static str, u16, Vec<u8>, &'static str)> {
    let big_message = format!(
        r#"{{"Response":{{"Error":{{"Message":"{}"}},"RequestId":"r"}}}}"#,
        "a".repeat(TEN_MB)
    );
    let big_array = format!("[{}0]", "0,".repeat(TEN_MB / 2));
    let mut many_fields = String::from(r#"{"Response":{"#);
    let mut i = 0;
    while many_fields.len() < TEN_MB {
        many_fields.push_str(&format!(r#""Field{i}":[1,2,3],"#));
        i += 1;
    }
    many_fields.push_str(r#""Last":0}}"#);
    vec![
        ("empty", 200, Vec::new(), "empty"),
        ("whitespace only", 200, b" \r\n\t ".to_vec(), "empty"),
        ("null", 200, b"null".to_vec(), "not an API 3.0 JSON envelope"),
        ("a bare string", 200, br#""Response""#.to_vec(), "not an API 3.0 JSON envelope"),
        ("an empty object", 200, b"{}".to_vec(), "not an API 3.0 JSON envelope"),
        ("Response null", 200, br#"{"Response":null}"#.to_vec(), "not an API 3.0 JSON envelope"),
        ("Response a number", 200, br#"{"Response":7}"#.to_vec(), "not an API 3.0 JSON envelope"),
        (
            "HTML 502 page",
            502,
            b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body>\r\n</html>"
                .to_vec(),
            "not an API 3.0 JSON envelope",
        ),
        ("truncated JSON", 200, br#"{"Response":{"RequestId":"eac6b301-a3"#.to_vec(), "not an API 3.0 JSON envelope"),
        ("truncated error", 200, br#"{"Response":{"Error":{"Code":"InternalError","Mess"#.to_vec(), "not an API 3.0 JSON envelope"),
        ("invalid UTF-8", 200, b"\xff\xfe{\"Response\":{}}".to_vec(), "not an API 3.0 JSON envelope"),
        ("trailing garbage", 200, br#"{"Response":{"RequestId":"r"}} <html>"#.to_vec(), "not an API 3.0 JSON envelope"),
        ("neither RequestId nor Error", 200, br#"{"Response":{}}"#.to_vec(), "neither RequestId nor Error"),
        ("RequestId not a string", 200, br#"{"Response":{"RequestId":42}}"#.to_vec(), "not an API 3.0 JSON envelope"),
        ("Error without Code", 200, br#"{"Response":{"Error":{"Message":"boom"},"RequestId":"r"}}"#.to_vec(), "no Code"),
        ("Error with an empty Code", 200, br#"{"Response":{"Error":{"Code":"","Message":"boom"},"RequestId":"r"}}"#.to_vec(), "empty Code"),
        ("Error not an object", 200, br#"{"Response":{"Error":"boom","RequestId":"r"}}"#.to_vec(), "not an API 3.0 JSON envelope"),
        ("success envelope on HTTP 500", 500, br#"{"Response":{"RequestId":"r"}}"#.to_vec(), "HTTP status 500"),
        ("10 MB error message without Code", 200, big_message.into_bytes(), "no Code"),
        ("10 MB array", 200, big_array.into_bytes(), "not an API 3.0 JSON envelope"),
        ("10 MB of fields, no RequestId", 200, many_fields.into_bytes(), "neither RequestId nor Error"),
        ("129 nested arrays", 200, nested("[", "]", 129, ""), "nested deeper than 128"),
        ("100k nested arrays", 200, nested("[", "]", DEEP, ""), "nested deeper than 128"),
        ("100k nested Responses", 200, nested(r#"{"Response":"#, "}", DEEP, "0"), "nested deeper than 128"),
        (
            "100k nested arrays inside a success envelope",
            200,
            [br#"{"Response":{"RequestId":"r","Deep":"#.as_slice(), &nested("[", "]", DEEP, ""), b"}}"].concat(),
            "nested deeper than 128",
        ),
        (
            "100k nested objects inside an error",
            200,
            [br#"{"Response":{"Error":{"Code":"InternalError","Deep":"#.as_slice(), &nested(r#"{"a":"#, "}", DEEP, "0"), b"}}}"].concat(),
            "nested deeper than 128",
        ),
    ]
}

#[test]
fn every_hostile_body_is_a_clear_error() {
    for (name, status, body, fragment) in cases() {
        let result = parse_response::<DismissRoomResponse>(status, &body);
        match result {
            Err(ResponseError::UnexpectedResponse {
                status: got,
                ref detail,
                ref snippet,
            }) => {
                assert_eq!(got, status, "{name}: the status is kept");
                assert!(
                    detail.contains(fragment),
                    "{name}: detail {detail:?} lacks {fragment:?}"
                );
                assert!(
                    snippet.len() <= SNIPPET_LIMIT,
                    "{name}: snippet of {} bytes",
                    snippet.len()
                );
                assert!(body.starts_with(snippet.as_bytes()) || body.is_empty() || snippet.contains('\u{fffd}'));
                let shown = result.as_ref().unwrap_err().to_string();
                assert!(
                    shown.len() < 1024,
                    "{name}: the message is bounded ({} bytes)",
                    shown.len()
                );
            }
            other => panic!("{name}: expected UnexpectedResponse, got {other:?}"),
        }
    }
}

#[test]
fn the_html_page_keeps_its_status_and_start() {
    let body = b"<html><head><title>502 Bad Gateway</title></head></html>";
    let err = parse_response::<DismissRoomResponse>(502, body).unwrap_err();
    let ResponseError::UnexpectedResponse { status, snippet, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*status, 502);
    assert_eq!(snippet, "<html><head><title>502 Bad Gateway</title></head></html>");
    assert!(err.to_string().contains("HTTP 502"), "{err}");
}

#[test]
fn an_error_envelope_is_an_error_whatever_the_status_and_keeps_everything() {
    for status in [200, 400, 500, 502] {
        let body = br#"{"Response":{"Error":{"Code":"InternalError.GetRoomCacheIpError","Message":"query room failed"},"RequestId":"3f2c"}}"#;
        let err = parse_response::<DismissRoomResponse>(status, body).unwrap_err();
        let api = err.api().expect("an API error");
        assert_eq!(api.code, ErrorCode::InternalErrorGetRoomCacheIpError);
        assert_eq!(api.message, "query room failed");
        assert_eq!(api.request_id, "3f2c");
        assert_eq!(api.status, status);
    }
}

#[test]
fn unknown_fields_and_an_error_without_message_or_request_id_are_read() {
    let body = br#"{"Response":{"RequestId":"r-1","Brand":"new","Nested":{"a":[1,{"b":null}]}},"Extra":true}"#;
    let ok: DismissRoomResponse = parse_response(200, body).unwrap();
    assert_eq!(ok.request_id, "r-1");

    let body = br#"{"Response":{"Error":{"Code":"FailedOperation.Brand.New"}}}"#;
    let api = parse_response::<DismissRoomResponse>(200, body)
        .unwrap_err()
        .api()
        .cloned()
        .unwrap();
    assert_eq!(api.code, ErrorCode::Other("FailedOperation.Brand.New".into()));
    assert_eq!(api.message, "");
    assert_eq!(api.request_id, "");
}

#[test]
fn nesting_up_to_the_limit_is_read() {
    // The envelope's two objects and 126 arrays: 128 levels.
    let body = [
        br#"{"Response":{"RequestId":"r","Deep":"#.as_slice(),
        &nested("[", "]", 126, ""),
        b"}}",
    ]
    .concat();
    let ok: DismissRoomResponse = parse_response(200, &body).unwrap();
    assert_eq!(ok.request_id, "r");
}

#[test]
fn a_snippet_never_splits_a_character() {
    // 255 ASCII bytes then a 3-byte character across the limit.
    let mut body = vec![b'x'; SNIPPET_LIMIT - 1];
    body.extend_from_slice("房间".as_bytes());
    let err = parse_response::<DismissRoomResponse>(200, &body).unwrap_err();
    let ResponseError::UnexpectedResponse { snippet, .. } = err else {
        panic!()
    };
    assert_eq!(snippet, "x".repeat(SNIPPET_LIMIT - 1));
}
