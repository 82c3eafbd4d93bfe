//! The static table of every action and object of both editions (generated into `table.rs`): names, editions,
//! docs and members, for listing actions and checking bodies without naming their types; and [`visit`], which
//! finds an action's generated request type by name.
//!
//! ```
//! use trtc_model::actions::{self, MemberType};
//!
//! assert_eq!(actions::ALL.len(), 89);
//! let recording = actions::find("CreateCloudRecording").unwrap();
//! assert!(recording.editions.mainland && recording.editions.international);
//! let request = recording.request_object().unwrap();
//! let params = request.member("RecordParams").unwrap();
//! assert!(params.required);
//! assert_eq!(params.ty, MemberType::Object("RecordParams"));
//! assert_eq!(params.ty.to_string(), "RecordParams");
//! ```

mod table;

use std::fmt;

pub use table::{ALL, OBJECTS};

use crate::{StreamingAction, TypedAction};

/// Which editions of the API offer an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Editions {
    /// The mainland China edition (`cloud.tencent.com`).
    pub mainland: bool,
    /// The international edition (`tencentcloud.com`).
    pub international: bool,
}

impl Editions {
    /// Both editions.
    pub const BOTH: Editions = Editions {
        mainland: true,
        international: true,
    };
    /// The mainland China edition only.
    pub const MAINLAND: Editions = Editions {
        mainland: true,
        international: false,
    };
    /// The international edition only.
    pub const INTERNATIONAL: Editions = Editions {
        mainland: false,
        international: true,
    };
}

impl fmt::Display for Editions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self.mainland, self.international) {
            (true, true) => "mainland, international",
            (true, false) => "mainland",
            (false, true) => "international",
            (false, false) => "none",
        })
    }
}

/// One action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionInfo {
    /// The action name, e.g. `CreateCloudRecording`.
    pub name: &'static str,
    /// The editions that offer it.
    pub editions: Editions,
    /// Its product area: the module of [`crate::api`] its types are in.
    pub area: &'static str,
    /// A one-line summary (English where the international edition has the action).
    pub summary: &'static str,
    /// The documentation's description, as plain text.
    pub doc: &'static str,
    /// The request object's name, e.g. `CreateCloudRecordingRequest`.
    pub request: &'static str,
    /// The response object's name.
    pub response: &'static str,
    /// [`Action::IDEMPOTENT`](crate::Action::IDEMPOTENT).
    pub idempotent: bool,
    /// [`Action::STREAMING`](crate::Action::STREAMING).
    pub streaming: bool,
    /// Whether the API description marks the action deprecated.
    pub deprecated: bool,
    /// [`Action::HOST`](crate::Action::HOST).
    pub host: Option<&'static str>,
}

impl ActionInfo {
    /// The request object.
    pub fn request_object(&self) -> Option<&'static ObjectInfo> {
        object(self.request)
    }

    /// The response object.
    pub fn response_object(&self) -> Option<&'static ObjectInfo> {
        object(self.response)
    }
}

/// One object: a request, a response, or a structure they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectInfo {
    /// The name the spec gives it, e.g. `RecordParams`.
    pub name: &'static str,
    /// Its documentation, as plain text.
    pub doc: &'static str,
    /// Its members, in the spec's order (the mainland edition's, then the international edition's extras).
    pub members: &'static [MemberInfo],
}

impl ObjectInfo {
    /// The member named `name`, as the API spells it.
    pub fn member(&self, name: &str) -> Option<&'static MemberInfo> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// One member of an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MemberInfo {
    /// The name, as the API spells it (`SdkAppId`).
    pub name: &'static str,
    /// Its type.
    pub ty: MemberType,
    /// Whether the spec requires it in a request (in every edition that has it).
    pub required: bool,
    /// Whether an answer always carries it (the spec's `output_required`, in either edition): what a server
    /// answering the action must send.
    pub output_required: bool,
    /// Whether the spec says it may be `null`.
    pub nullable: bool,
    /// Whether the Rust field is an `Option` (every response member but `RequestId` is).
    pub optional_in_rust: bool,
    /// Whether it holds a credential (`UserSig`, `SecretKey`, an `LLMConfig` with an API key): a
    /// program printing bodies should print `***` for it, as the types' `Debug` does.
    pub secret: bool,
    /// Its documentation, as plain text.
    pub doc: &'static str,
}

/// A member's type as the spec gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MemberType {
    /// `uint64`: `u64`.
    U64,
    /// `int64`: `i64`.
    I64,
    /// `float`: `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `string`: `String`.
    String,
    /// `date`: a `String` holding a date.
    Date,
    /// An object, by name (see [`object`]).
    Object(&'static str),
    /// A list of items of the given type.
    List(&'static MemberType),
}

impl fmt::Display for MemberType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemberType::U64 => f.write_str("uint64"),
            MemberType::I64 => f.write_str("int64"),
            MemberType::F64 => f.write_str("float"),
            MemberType::Bool => f.write_str("bool"),
            MemberType::String => f.write_str("string"),
            MemberType::Date => f.write_str("date"),
            MemberType::Object(name) => f.write_str(name),
            MemberType::List(item) => write!(f, "list of {item}"),
        }
    }
}

/// The action named `name` (as the API spells it).
pub fn find(name: &str) -> Option<&'static ActionInfo> {
    ALL.binary_search_by(|a| a.name.cmp(name)).ok().map(|i| &ALL[i])
}

/// The object named `name`.
pub fn object(name: &str) -> Option<&'static ObjectInfo> {
    OBJECTS.binary_search_by(|o| o.name.cmp(name)).ok().map(|i| &OBJECTS[i])
}

/// What to do with an action's request type, found by name through [`visit`].
///
/// ```
/// use trtc_model::actions::{visit, ActionVisitor};
/// use trtc_model::{Action, TypedAction};
///
/// struct Idempotent;
/// impl ActionVisitor for Idempotent {
///     type Output = bool;
///     fn visit<A: TypedAction>(self) -> bool {
///         A::IDEMPOTENT
///     }
/// }
/// assert_eq!(visit("DismissRoom", Idempotent), Some(true));
/// assert_eq!(visit("NoSuchAction", Idempotent), None);
/// ```
pub trait ActionVisitor {
    /// What the visit gives.
    type Output;
    /// Called with the action's request type.
    fn visit<A: TypedAction>(self) -> Self::Output;
    /// Called instead of [`visit`](Self::visit) for an action whose answer is an event stream; by default the
    /// same as `visit`.
    fn visit_streaming<A: TypedAction + StreamingAction>(self) -> Self::Output
    where
        Self: Sized,
    {
        self.visit::<A>()
    }
}

/// Calls `visitor` with the generated request type of the action `name`; `None` for a name this build does not
/// have (unknown, or in a product area whose cargo feature is off).
pub fn visit<V: ActionVisitor>(name: &str, visitor: V) -> Option<V::Output> {
    table::visit(name, visitor)
}
