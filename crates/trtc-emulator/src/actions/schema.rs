//! An action's request and answer as `trtc-model` generates them from the API spec, and the one place a
//! request is checked against them: [`check`].
//!
//! [`check`] reads the request as one JSON object (a query's flattened names put back into their objects
//! and lists, their text read as the declared types) and walks it against the generated table of members
//! (`trtc_model::actions`), every object and list item down: a member the object does not have answers
//! `UnknownParameter`, a required member left out `MissingParameter`, a value of another type
//! `InvalidParameter`, each message naming the member by its path (`RecordParams.RecordMode`,
//! `PublishCdnParams.0.PublishCdnUrl`). Where the service has a code for the member (`MissingParameter.RoomId`,
//! `InvalidParameter.UserIds`), the code names it: the innermost member's code first, then the top-level
//! member's. The request then goes through its generated request type (`read_request_value`), so nothing
//! the type refuses is served.
//!
//! An answer starts as [`Schema::empty_answer`]: every member the spec says an answer always carries
//! (`output_required`), each empty, nested objects with theirs.

use serde_json::{Map, Value};
use trtc_model::actions::{self, ActionInfo, ActionVisitor, MemberInfo, MemberType, ObjectInfo};
use trtc_model::{BodyErrorKind, ErrorCode, TypedAction};

use crate::params::{describe, Params};
use crate::reply::Failure;

/// An action's generated request and response objects.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Schema {
    pub(crate) info: &'static ActionInfo,
    pub(crate) request: &'static ObjectInfo,
    pub(crate) response: &'static ObjectInfo,
}

impl Schema {
    /// The action called `name`, if the API has it.
    pub(crate) fn of(name: &str) -> Option<Schema> {
        let info = actions::find(name)?;
        Some(Schema {
            info,
            request: info.request_object()?,
            response: info.response_object()?,
        })
    }

    /// The action's name.
    pub(crate) fn name(&self) -> &'static str {
        self.info.name
    }

    /// The request member called `name`.
    pub(crate) fn member(&self, name: &str) -> Option<&'static MemberInfo> {
        self.request.member(name)
    }

    /// The answer's member called `name`.
    pub(crate) fn output(&self, name: &str) -> Option<&'static MemberInfo> {
        self.response.member(name)
    }

    /// An answer with every member an answer always carries, each empty: the caller sets what it knows.
    pub(crate) fn empty_answer(&self) -> Map<String, Value> {
        empty_members(self.response)
    }
}

/// The members of `object` an answer always carries (`RequestId` aside: the reply adds it), each empty.
fn empty_members(object: &ObjectInfo) -> Map<String, Value> {
    object
        .members
        .iter()
        .filter(|m| m.output_required && m.name != "RequestId")
        .map(|m| (m.name.to_owned(), empty_value(&m.ty)))
        .collect()
}

/// The empty value of a type: `""`, `0`, `false`, `[]`, or an object of its always-answered members.
pub(crate) fn empty_value(ty: &MemberType) -> Value {
    match ty {
        MemberType::String | MemberType::Date => Value::String(String::new()),
        MemberType::U64 | MemberType::I64 => Value::from(0),
        MemberType::F64 => Value::from(0.0),
        MemberType::Bool => Value::Bool(false),
        MemberType::List(_) => Value::Array(Vec::new()),
        MemberType::Object(name) => Value::Object(actions::object(name).map(empty_members).unwrap_or_default()),
        _ => Value::Null,
    }
}

/// Checks the request against the action's generated members and request type; the request as one JSON
/// object, its values of the declared types, when it passes.
pub(crate) fn check(schema: &Schema, params: &Params) -> Result<Map<String, Value>, Failure> {
    let mut body = params.to_body()?;
    let walk = Walk {
        schema,
        from_query: params.is_query(),
    };
    walk.object(&mut body, schema.request, &mut String::new())?;
    typed(schema, &body)?;
    Ok(body)
}

/// One request's walk.
struct Walk<'a> {
    schema: &'a Schema,
    /// A query sends every scalar as text: it is read as the member's type.
    from_query: bool,
}

impl Walk<'_> {
    fn object(
        &self,
        map: &mut Map<String, Value>,
        object: &'static ObjectInfo,
        path: &mut String,
    ) -> Result<(), Failure> {
        map.retain(|_, v| !v.is_null());
        if let Some(unknown) = map.keys().find(|name| object.member(name).is_none()) {
            let takes: Vec<_> = object.members.iter().map(|m| m.name).collect();
            let owner = if std::ptr::eq(object, self.schema.request) {
                self.schema.name()
            } else {
                object.name
            };
            return Err(Failure::new(
                ErrorCode::UnknownParameter,
                format!(
                    "The parameter `{}` is not defined for {owner}: it takes {}.",
                    join(path, unknown),
                    takes.join(", ")
                ),
            ));
        }
        for member in object.members {
            let at = path.len();
            push(path, member.name);
            match map.get_mut(member.name) {
                None if member.required => {
                    return Err(Failure::new(
                        code(ErrorCode::MissingParameter, path),
                        format!("The request is missing a required parameter `{path}`."),
                    ));
                }
                None => {}
                Some(value) => self.value(value, &member.ty, path)?,
            }
            path.truncate(at);
        }
        Ok(())
    }

    fn value(&self, value: &mut Value, ty: &MemberType, path: &mut String) -> Result<(), Failure> {
        if self.from_query {
            read_text(value, ty);
        }
        let fits = match (ty, &mut *value) {
            (MemberType::U64, Value::Number(n)) => n.is_u64(),
            (MemberType::I64, Value::Number(n)) => n.is_i64(),
            (MemberType::F64, Value::Number(_)) => true,
            (MemberType::Bool, Value::Bool(_)) => true,
            (MemberType::String | MemberType::Date, Value::String(_)) => true,
            (MemberType::Object(name), Value::Object(map)) => {
                if let Some(object) = actions::object(name) {
                    self.object(map, object, path)?;
                }
                true
            }
            (MemberType::List(item), Value::Array(items)) => {
                for (i, item_value) in items.iter_mut().enumerate() {
                    let at = path.len();
                    push(path, &i.to_string());
                    if item_value.is_null() {
                        return Err(Failure::new(
                            code(ErrorCode::InvalidParameter, path),
                            format!(
                                "The list item `{path}` is missing: a list's items are numbered from 0 without gaps."
                            ),
                        ));
                    }
                    self.value(item_value, item, path)?;
                    path.truncate(at);
                }
                true
            }
            _ => false,
        };
        if fits {
            return Ok(());
        }
        Err(Failure::new(
            code(ErrorCode::InvalidParameter, path),
            format!(
                "The value of parameter `{path}` is of the wrong type: expected {}, got {}.",
                expected(ty),
                describe(value)
            ),
        ))
    }
}

/// A query's text read as the member's scalar type, where it is one; left as it is otherwise (the type
/// check then reports it).
fn read_text(value: &mut Value, ty: &MemberType) {
    let Value::String(text) = value else {
        return;
    };
    let read = match ty {
        MemberType::U64 => text.parse::<u64>().ok().map(Value::from),
        MemberType::I64 => text.parse::<i64>().ok().map(Value::from),
        MemberType::F64 => text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number)),
        MemberType::Bool if text.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
        MemberType::Bool if text.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
        _ => None,
    };
    if let Some(read) = read {
        *value = read;
    }
}

fn expected(ty: &MemberType) -> String {
    match ty {
        MemberType::U64 => "an unsigned integer".to_owned(),
        MemberType::I64 => "an integer".to_owned(),
        MemberType::F64 => "a number".to_owned(),
        MemberType::Bool => "a boolean".to_owned(),
        MemberType::String => "a string".to_owned(),
        MemberType::Date => "a date as a string".to_owned(),
        MemberType::Object(name) => format!("an object ({name})"),
        MemberType::List(item) => format!("a list of {item}"),
        _ => ty.to_string(),
    }
}

fn push(path: &mut String, part: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(part);
}

fn join(path: &str, name: &str) -> String {
    let mut joined = path.to_owned();
    push(&mut joined, name);
    joined
}

/// `base.Member` for the innermost named member of `path` when the service has that code, else for its
/// top-level member, else `base`.
fn code(base: ErrorCode, path: &str) -> ErrorCode {
    let named = |member: &str| match ErrorCode::parse(&format!("{}.{member}", base.as_str())) {
        ErrorCode::Other(_) => None,
        known => Some(known),
    };
    let inner = path.rsplit('.').find(|part| part.parse::<usize>().is_err());
    let top = path.split('.').next();
    inner.and_then(named).or_else(|| top.and_then(named)).unwrap_or(base)
}

/// The request read through its generated type, the failure in the same terms as the walk's.
fn typed(schema: &Schema, body: &Map<String, Value>) -> Result<(), Failure> {
    struct Read(Value);
    impl ActionVisitor for Read {
        type Output = Result<(), trtc_model::Error>;
        fn visit<A: TypedAction>(self) -> Self::Output {
            trtc_model::read_request_value::<A>(self.0).map(|_| ())
        }
    }
    match actions::visit(schema.name(), Read(Value::Object(body.clone()))) {
        None | Some(Ok(())) => Ok(()),
        Some(Err(trtc_model::Error::InvalidBody(e))) => {
            let base = match e.kind {
                BodyErrorKind::Missing => ErrorCode::MissingParameter,
                BodyErrorKind::Unknown { .. } => ErrorCode::UnknownParameter,
                _ => ErrorCode::InvalidParameter,
            };
            let path = e.path.replace('[', ".").replace(']', "");
            Err(Failure::new(
                code(base, &path),
                format!("The value of parameter `{path}` is not valid: {}.", e.message),
            ))
        }
        Some(Err(e)) => Err(Failure::new(ErrorCode::InvalidParameter, e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run(action: &str, body: Value) -> Result<Map<String, Value>, Failure> {
        let schema = Schema::of(action).unwrap();
        check(&schema, &Params::from_json(body.to_string().as_bytes()).unwrap())
    }

    fn code_of(action: &str, body: Value) -> (String, String) {
        let e = run(action, body).unwrap_err();
        (e.code.as_str().to_owned(), e.message)
    }

    #[test]
    fn top_level_members_are_named_with_the_services_codes() {
        assert!(run("DescribeCloudRecording", json!({"SdkAppId": 1, "TaskId": "t"})).is_ok());
        let (code, message) = code_of("DescribeCloudRecording", json!({"SdkAppId": 1}));
        assert_eq!(code, "MissingParameter.TaskId");
        assert!(message.contains("`TaskId`"), "{message}");
        let (code, _) = code_of("DescribeCloudRecording", json!({"SdkAppId": "1", "TaskId": "t"}));
        assert_eq!(code, "InvalidParameter.SdkAppId");
        let (code, _) = code_of(
            "DescribeCloudRecording",
            json!({"SdkAppId": 1, "TaskId": "t", "RecorderKey": 7}),
        );
        assert_eq!(code, "InvalidParameter", "no InvalidParameter.RecorderKey code");
        let (code, message) = code_of(
            "DescribeCloudRecording",
            json!({"SdkAppId": 1, "TaskId": "t", "TaskID": "t"}),
        );
        assert_eq!(code, "UnknownParameter");
        assert!(
            message.contains("`TaskID` is not defined for DescribeCloudRecording"),
            "{message}"
        );
        // null is absent, as the SDKs that send unset members as null expect.
        assert!(run(
            "DescribeCloudRecording",
            json!({"SdkAppId": 1, "TaskId": "t", "RecorderKey": null})
        )
        .is_ok());
    }

    fn recording(record_params: Value, storage: Value) -> Value {
        json!({"SdkAppId": 1, "RoomId": "5", "UserId": "r", "UserSig": "s", "RecordParams": record_params, "StorageParams": storage})
    }

    #[test]
    fn nested_members_are_named_by_their_path() {
        let vod = json!({"CloudVod": {"TencentVod": {}}});
        assert!(run("CreateCloudRecording", recording(json!({"RecordMode": 1}), vod.clone())).is_ok());
        let (code, message) = code_of("CreateCloudRecording", recording(json!({}), vod.clone()));
        assert_eq!(code, "MissingParameter.RecordMode");
        assert!(message.contains("`RecordParams.RecordMode`"), "{message}");
        let (code, message) = code_of(
            "CreateCloudRecording",
            recording(json!({"RecordMode": "1"}), vod.clone()),
        );
        assert_eq!(code, "InvalidParameter", "{message}");
        assert!(
            message.contains("`RecordParams.RecordMode`") && message.contains("unsigned integer"),
            "{message}"
        );
        let (code, message) = code_of(
            "CreateCloudRecording",
            recording(json!({"RecordMode": 1, "Mode": 2}), vod.clone()),
        );
        assert_eq!(code, "UnknownParameter");
        assert!(
            message.contains("`RecordParams.Mode` is not defined for RecordParams"),
            "{message}"
        );
        let users = json!({"RecordMode": 1, "SubscribeStreamUserIds": {"SubscribeAudioUserIds": ["a", 2]}});
        let (_, message) = code_of("CreateCloudRecording", recording(users, vod));
        assert!(
            message.contains("`RecordParams.SubscribeStreamUserIds.SubscribeAudioUserIds.1`"),
            "{message}"
        );
        let cos = json!({"CloudStorage": {"Vendor": 0, "Region": "r", "Bucket": "b", "AccessKey": "a"}});
        let (code, message) = code_of("CreateCloudRecording", recording(json!({"RecordMode": 1}), cos));
        assert_eq!(code, "MissingParameter.SecretKey", "{message}");
        assert!(message.contains("`StorageParams.CloudStorage.SecretKey`"), "{message}");
    }

    #[test]
    fn list_items_are_named_by_their_index() {
        let start = json!({
            "SdkAppId": 1, "RoomId": "5", "RoomIdType": 0, "WithTranscoding": 1,
            "AgentParams": {"UserId": "a", "UserSig": "s"},
            "PublishCdnParams": [{"PublishCdnUrl": "rtmp://x/y", "IsTencentCdn": 1}, {"IsTencentCdn": 1}],
        });
        let (code, message) = code_of("StartPublishCdnStream", start);
        assert!(message.contains("`PublishCdnParams.1.PublishCdnUrl`"), "{message}");
        assert_eq!(
            code, "MissingParameter.PublishCdnParams",
            "the top-level member's code: {message}"
        );
    }

    #[test]
    fn queries_are_read_as_the_declared_types() {
        let schema = Schema::of("CreateCloudRecording").unwrap();
        let query = Params::from_query(
            "SdkAppId=1&RoomId=5&UserId=r&UserSig=s&RecordParams.RecordMode=2&RecordParams.MaxIdleTime=30\
             &RecordParams.SubscribeStreamUserIds.SubscribeAudioUserIds.0=a&StorageParams.CloudVod.TencentVod.SubAppId=7",
        );
        let body = check(&schema, &query).unwrap();
        assert_eq!(body["SdkAppId"], json!(1));
        assert_eq!(body["RoomId"], json!("5"), "a string member stays text");
        assert_eq!(body["RecordParams"]["RecordMode"], json!(2));
        assert_eq!(
            body["RecordParams"]["SubscribeStreamUserIds"]["SubscribeAudioUserIds"],
            json!(["a"])
        );
        assert_eq!(body["StorageParams"]["CloudVod"]["TencentVod"]["SubAppId"], json!(7));
        let bad = Params::from_query("SdkAppId=x&TaskId=t");
        let e = check(&Schema::of("DescribeCloudRecording").unwrap(), &bad).unwrap_err();
        assert_eq!(e.code.as_str(), "InvalidParameter.SdkAppId");
        let gap = Params::from_query("SdkAppId=1&RoomId=5&UserId=r&UserSig=s&RecordParams.RecordMode=2&StorageParams.CloudVod.TencentVod.SubAppId=7&RecordParams.SubscribeStreamUserIds.SubscribeAudioUserIds.1=a");
        let e = check(&schema, &gap).unwrap_err();
        assert!(e.message.contains("is of the wrong type"), "{}", e.message);
    }

    #[test]
    fn an_empty_answer_has_every_member_an_answer_always_carries() {
        let schema = Schema::of("DescribeCloudRecording").unwrap();
        assert_eq!(
            Value::Object(schema.empty_answer()),
            json!({"TaskId": "", "Status": "", "StorageFileList": []})
        );
        let usage = Schema::of("DescribePicture").unwrap();
        assert_eq!(
            Value::Object(usage.empty_answer()),
            json!({"Total": 0, "PictureInfo": []})
        );
    }
}
