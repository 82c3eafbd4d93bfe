//! The members of an action's request and of its answer, as the API spec declares them (the `catalog`
//! holds them for each action), and the one place a request is checked against them: [`check`].
//!
//! Today [`check`] reads the top level of the request: every member sent is one the action takes
//! (`UnknownParameter`), every required member is present (`MissingParameter`, or `MissingParameter.X`
//! where the service has that code) and of its declared type (`InvalidParameter`, or `InvalidParameter.X`).
//! It is the hook where the generated request types of `trtc-model` take over: `check` becomes
//! `serde_json::from_value::<trtc_model::XRequest>(params.to_value())` for the action's type, whose
//! serde error names the member by its path, mapped to the same codes, so nested members are checked
//! too and nothing else changes.

use serde_json::{Map, Value};
use trtc_model::ErrorCode;

use crate::params::Params;
use crate::reply::Failure;

/// The JSON type of a request member, as the spec's `type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Str,
    Int,
    Float,
    Bool,
    List,
    Object,
}

impl Kind {
    fn expected(self) -> &'static str {
        match self {
            Kind::Str => "a string",
            Kind::Int => "an integer",
            Kind::Float => "a number",
            Kind::Bool => "a boolean",
            Kind::List => "a list",
            Kind::Object => "an object",
        }
    }

    /// Whether `value` is of this type; a query (GET) sends every scalar as text.
    fn accepts(self, value: &Value, from_query: bool) -> bool {
        match (self, value) {
            (Kind::Str, Value::String(_)) => true,
            (Kind::Int, Value::Number(n)) => n.is_i64() || n.is_u64(),
            (Kind::Float, Value::Number(_)) => true,
            (Kind::Bool, Value::Bool(_)) => true,
            (Kind::List, Value::Array(_)) => true,
            (Kind::Object, Value::Object(_)) => true,
            (Kind::Int, Value::String(s)) if from_query => s.parse::<i64>().is_ok() || s.parse::<u64>().is_ok(),
            (Kind::Float, Value::String(s)) if from_query => s.parse::<f64>().is_ok(),
            (Kind::Bool, Value::String(s)) if from_query => s == "true" || s == "false",
            _ => false,
        }
    }
}

/// A top-level member of a request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Member {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) required: bool,
}

/// A required member.
pub(crate) const fn req(name: &'static str, kind: Kind) -> Member {
    Member {
        name,
        kind,
        required: true,
    }
}

/// An optional member.
pub(crate) const fn opt(name: &'static str, kind: Kind) -> Member {
    Member {
        name,
        kind,
        required: false,
    }
}

/// The JSON type of an answer's member; an object with the members it must carry.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    Str,
    Int,
    List,
    Object(&'static [Field]),
}

impl Shape {
    /// The empty value of this shape: `""`, `0`, `[]`, or an object of empty required members.
    pub(crate) fn empty(&self) -> Value {
        match self {
            Shape::Str => Value::String(String::new()),
            Shape::Int => Value::from(0),
            Shape::List => Value::Array(Vec::new()),
            Shape::Object(fields) => Value::Object(empty_members(fields)),
        }
    }
}

/// A member of an answer: those the spec marks `output_required` an answer always carries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) shape: Shape,
    pub(crate) required: bool,
}

impl Field {
    /// A member every answer carries.
    pub(crate) const fn new(name: &'static str, shape: Shape) -> Field {
        Field {
            name,
            shape,
            required: true,
        }
    }

    /// A member an answer may leave out.
    pub(crate) const fn opt(name: &'static str, shape: Shape) -> Field {
        Field {
            name,
            shape,
            required: false,
        }
    }
}

/// An action's request members and the members its answer must carry (besides `RequestId`).
#[derive(Debug)]
pub(crate) struct ActionSchema {
    pub(crate) name: &'static str,
    pub(crate) request: &'static [Member],
    pub(crate) response: &'static [Field],
}

impl ActionSchema {
    /// The request member called `name`.
    pub(crate) fn member(&self, name: &str) -> Option<&Member> {
        self.request.iter().find(|m| m.name == name)
    }

    /// The answer's member called `name`.
    pub(crate) fn output(&self, name: &str) -> Option<&Field> {
        self.response.iter().find(|f| f.name == name)
    }

    /// An answer with every required member, each empty: the caller sets what it knows.
    pub(crate) fn empty_answer(&self) -> Map<String, Value> {
        empty_members(self.response)
    }
}

fn empty_members(fields: &[Field]) -> Map<String, Value> {
    fields
        .iter()
        .filter(|f| f.required)
        .map(|f| (f.name.to_owned(), f.shape.empty()))
        .collect()
}

/// `base.Member` when the service has that code, else `base`.
fn specific(base: ErrorCode, member: &str) -> ErrorCode {
    match ErrorCode::parse(&format!("{}.{member}", base.as_str())) {
        ErrorCode::Other(_) => base,
        known => known,
    }
}

/// Checks the request against the action's members; see the module's notes for what a generated request
/// type adds here.
pub(crate) fn check(schema: &ActionSchema, params: &Params) -> Result<(), Failure> {
    for sent in params.names() {
        // A GET flattens objects and lists (`RecordParams.RecordMode=1`): the member is the first part.
        let top = sent.split('.').next().unwrap_or(sent);
        if schema.member(top).is_none() {
            let takes: Vec<_> = schema.request.iter().map(|m| m.name).collect();
            return Err(Failure::new(
                ErrorCode::UnknownParameter,
                format!(
                    "The parameter `{sent}` is not defined for {}: it takes {}.",
                    schema.name,
                    takes.join(", ")
                ),
            ));
        }
    }
    for member in schema.request {
        match params.value(member.name) {
            None if member.required && !params.has_flattened(member.name) => {
                return Err(Failure::new(
                    specific(ErrorCode::MissingParameter, member.name),
                    format!("The request is missing a required parameter `{}`.", member.name),
                ));
            }
            Some(value) if !member.kind.accepts(value, params.is_query()) => {
                return Err(Failure::new(
                    specific(ErrorCode::InvalidParameter, member.name),
                    format!(
                        "The value of parameter `{}` is of the wrong type: expected {}.",
                        member.name,
                        member.kind.expected()
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static SCHEMA: ActionSchema = ActionSchema {
        name: "DescribeCloudRecording",
        request: &[
            req("SdkAppId", Kind::Int),
            req("TaskId", Kind::Str),
            opt("RecorderKey", Kind::Str),
        ],
        response: &[
            Field::new("TaskId", Shape::Str),
            Field::new("Status", Shape::Str),
            Field::new("StorageFileList", Shape::List),
        ],
    };

    fn run(body: &str) -> Result<(), Failure> {
        check(&SCHEMA, &Params::from_json(body.as_bytes()).unwrap())
    }

    #[test]
    fn members_are_named_with_the_services_codes() {
        assert!(run(r#"{"SdkAppId":1,"TaskId":"t"}"#).is_ok());
        let e = run(r#"{"SdkAppId":1}"#).unwrap_err();
        assert_eq!(e.code.as_str(), "MissingParameter.TaskId");
        assert!(e.message.contains("`TaskId`"), "{}", e.message);
        let e = run(r#"{"SdkAppId":"1","TaskId":"t"}"#).unwrap_err();
        assert_eq!(e.code.as_str(), "InvalidParameter.SdkAppId");
        let e = run(r#"{"SdkAppId":1,"TaskId":"t","RecorderKey":7}"#).unwrap_err();
        assert_eq!(
            e.code.as_str(),
            "InvalidParameter",
            "no InvalidParameter.RecorderKey code"
        );
        let e = run(r#"{"SdkAppId":1,"TaskId":"t","TaskID":"t"}"#).unwrap_err();
        assert_eq!(e.code.as_str(), "UnknownParameter");
        assert!(e.message.contains("`TaskID`"), "{}", e.message);
        let q = Params::from_query("SdkAppId=12&TaskId=t");
        assert!(check(&SCHEMA, &q).is_ok());
        let q = Params::from_query("SdkAppId=x&TaskId=t");
        assert_eq!(
            check(&SCHEMA, &q).unwrap_err().code.as_str(),
            "InvalidParameter.SdkAppId"
        );
    }

    #[test]
    fn an_empty_answer_has_every_required_member() {
        let answer = SCHEMA.empty_answer();
        assert_eq!(
            Value::Object(answer),
            serde_json::json!({"TaskId": "", "Status": "", "StorageFileList": []})
        );
        const NESTED: Shape = Shape::Object(&[Field::new("Total", Shape::Int), Field::new("Series", Shape::List)]);
        let nested = NESTED;
        assert_eq!(nested.empty(), serde_json::json!({"Total": 0, "Series": []}));
    }
}
