//! Reads both editions of the API description and the hand-kept tables into one model: the union of the
//! actions, each object with the union of its members, and what the tables add (product area, idempotency,
//! regions, rules, host and event stream).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::{read_json, DATA};

pub(super) const CN_FILE: &str = "trtc-2019-07-22.api.json";
pub(super) const INTL_FILE: &str = "trtc-2019-07-22.api.intl.json";
pub(super) const CN_EXAMPLES: &str = "trtc-2019-07-22.examples.json";
pub(super) const INTL_EXAMPLES: &str = "trtc-2019-07-22.examples.intl.json";
/// The hand-kept tables, in the order the generated headers name them.
pub(super) const TABLES: &[&str] = &[
    "areas.json",
    "idempotency.json",
    "regions.json",
    "rules.json",
    "streaming.json",
];

// ---------------------------------------------------------------------------------------------------------
// The files as written.

#[derive(Deserialize)]
struct SpecFile {
    version: String,
    actions: BTreeMap<String, SpecAction>,
    objects: BTreeMap<String, SpecObject>,
}

#[derive(Deserialize)]
struct SpecAction {
    document: String,
    input: String,
    name: String,
    output: String,
    status: String,
}

#[derive(Deserialize)]
struct SpecObject {
    #[serde(default)]
    document: String,
    members: Vec<SpecMember>,
}

#[derive(Deserialize)]
struct SpecMember {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    member: String,
    #[serde(default)]
    document: String,
    #[serde(default)]
    required: Option<bool>,
    #[serde(default)]
    output_required: Option<bool>,
    #[serde(default)]
    disabled: Option<bool>,
    #[serde(default)]
    value_allowed_null: Option<bool>,
}

#[derive(Deserialize)]
struct AreasFile {
    areas: Vec<AreaEntry>,
}

#[derive(Deserialize)]
struct AreaEntry {
    module: String,
    title: String,
    doc: String,
    #[serde(default)]
    feature: Option<String>,
    actions: Vec<String>,
}

#[derive(Deserialize)]
struct IdempotencyFile {
    idempotent_prefixes: Vec<String>,
    actions: BTreeMap<String, IdempotencyEntry>,
}

#[derive(Deserialize)]
struct IdempotencyEntry {
    idempotent: bool,
    why: String,
}

#[derive(Deserialize)]
struct RegionsFile {
    actions: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct RulesFile {
    secrets: BTreeSet<String>,
    rules: BTreeMap<String, String>,
    types: BTreeMap<String, TypeOverride>,
}

#[derive(Deserialize)]
struct TypeOverride {
    rust: String,
    /// Whether the type implements `Eq` and `Hash`.
    eq: bool,
}

#[derive(Deserialize)]
struct StreamingFile {
    actions: BTreeMap<String, StreamingEntry>,
    objects: BTreeMap<String, StreamObject>,
}

#[derive(Deserialize)]
struct StreamingEntry {
    host: Option<String>,
    event: String,
}

#[derive(Deserialize)]
struct StreamObject {
    doc: String,
    members: Vec<StreamMember>,
}

#[derive(Deserialize)]
struct StreamMember {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    member: String,
    doc: String,
}

// ---------------------------------------------------------------------------------------------------------
// The merged model.

/// Which editions have an action, object or member.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Editions {
    pub cn: bool,
    pub intl: bool,
}

impl Editions {
    pub(super) fn describe(self) -> &'static str {
        match (self.cn, self.intl) {
            (true, true) => "both editions (mainland China and international)",
            (true, false) => "the mainland China edition only",
            (false, true) => "the international edition only",
            (false, false) => "no edition",
        }
    }
}

/// A member's type as the spec gives it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    U64,
    I64,
    F64,
    Bool,
    Str,
    Date,
    Object(String),
    List(Box<Kind>),
}

impl Kind {
    fn parse(kind: &str, member: &str, objects: &BTreeSet<String>) -> Result<Kind, String> {
        let scalar = |member: &str| -> Result<Kind, String> {
            Ok(match member {
                "uint64" => Kind::U64,
                "int64" => Kind::I64,
                "float" => Kind::F64,
                "bool" => Kind::Bool,
                "string" => Kind::Str,
                "date" => Kind::Date,
                other if objects.contains(other) => Kind::Object(other.to_owned()),
                other => return Err(format!("unknown member type {other:?}")),
            })
        };
        Ok(match (kind, member) {
            ("int", "uint64") => Kind::U64,
            ("int", "int64") => Kind::I64,
            ("float", "float") => Kind::F64,
            ("bool", "bool") => Kind::Bool,
            ("string", "string") => Kind::Str,
            ("string", "date") => Kind::Date,
            ("object", name) if objects.contains(name) => Kind::Object(name.to_owned()),
            ("list", item) => Kind::List(Box::new(scalar(item)?)),
            (kind, member) => return Err(format!("unknown type {kind:?} of {member:?}")),
        })
    }

    /// The object this kind names, directly or as list items.
    pub(super) fn object(&self) -> Option<&str> {
        match self {
            Kind::Object(name) => Some(name),
            Kind::List(item) => item.object(),
            _ => None,
        }
    }
}

pub(super) struct Member {
    pub name: String,
    pub kind: Kind,
    /// Required in every edition that has the member.
    pub required: bool,
    /// Always in an answer, in either edition (the spec's `output_required`).
    pub output_required: bool,
    pub nullable: bool,
    pub doc_en: String,
    pub doc_cn: String,
    pub editions: Editions,
}

/// Which way an object travels.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Side {
    /// An action's request or an object only requests hold: required members are required.
    Request,
    /// An action's response or an object only responses hold: every member is optional and read leniently.
    Response,
    /// Held by both: read like a response, so an answer that leaves a member out still parses.
    Both,
}

pub(super) struct Object {
    pub name: String,
    pub doc_en: String,
    pub doc_cn: String,
    pub members: Vec<Member>,
    pub side: Side,
    /// The module the object is written in.
    pub module: String,
    /// Whether no member holds a float, directly or inside: the type can be `Eq` and `Hash`.
    pub eq: bool,
}

pub(super) struct Action {
    pub name: String,
    pub editions: Editions,
    pub title_en: String,
    pub title_cn: String,
    pub doc_en: String,
    pub doc_cn: String,
    pub request: String,
    pub response: String,
    pub module: String,
    pub idempotent: bool,
    pub idempotent_why: Option<String>,
    pub regions: Vec<String>,
    pub host: Option<String>,
    pub event: Option<String>,
    /// The description marks the action deprecated.
    pub deprecated: bool,
}

pub(super) struct Area {
    pub module: String,
    pub title: String,
    pub doc: String,
    pub feature: Option<String>,
}

pub(super) struct Api {
    pub actions: Vec<Action>,
    pub objects: BTreeMap<String, Object>,
    pub areas: Vec<Area>,
    /// Member rules: `Object.Member` (or `*.Member`) to the function of `rules.rs` that checks it.
    pub rules: BTreeMap<String, String>,
    /// Member types given by hand: `Object.Member` to (Rust type, is `Eq + Hash`).
    pub types: BTreeMap<String, (String, bool)>,
    /// Names of the members whose values are never printed.
    pub secrets: BTreeSet<String>,
}

/// The module of objects more than one area holds.
pub(super) const SHARED: &str = "shared";

impl Api {
    pub(super) fn object(&self, name: &str) -> &Object {
        &self.objects[name]
    }

    pub(super) fn area(&self, module: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.module == module)
    }
}

pub(super) fn load(root: &Path, spec: &Path) -> Result<Api, String> {
    let cn: SpecFile = read_json(&spec.join(CN_FILE))?;
    let intl: SpecFile = read_json(&spec.join(INTL_FILE))?;
    if cn.version != intl.version {
        return Err(format!(
            "the editions describe different versions: {} and {}",
            cn.version, intl.version
        ));
    }
    let data = root.join(DATA);
    let areas: AreasFile = read_json(&data.join("areas.json"))?;
    let idempotency: IdempotencyFile = read_json(&data.join("idempotency.json"))?;
    let regions: RegionsFile = read_json(&data.join("regions.json"))?;
    let rules: RulesFile = read_json(&data.join("rules.json"))?;
    let streaming: StreamingFile = read_json(&data.join("streaming.json"))?;

    let mut names: BTreeSet<String> = cn.objects.keys().chain(intl.objects.keys()).cloned().collect();
    names.extend(streaming.objects.keys().cloned());

    // Objects: the union of both editions, members merged by name (mainland order, then the international extras).
    let mut objects: BTreeMap<String, Object> = BTreeMap::new();
    for name in cn.objects.keys().chain(intl.objects.keys()) {
        if objects.contains_key(name) {
            continue;
        }
        let c = cn.objects.get(name);
        let i = intl.objects.get(name);
        let mut members: Vec<Member> = Vec::new();
        let mut order: Vec<&str> = Vec::new();
        for m in c
            .iter()
            .flat_map(|o| &o.members)
            .chain(i.iter().flat_map(|o| &o.members))
        {
            if !order.contains(&m.name.as_str()) {
                order.push(&m.name);
            }
        }
        for member_name in order {
            let mc = c.and_then(|o| o.members.iter().find(|m| m.name == member_name));
            let mi = i.and_then(|o| o.members.iter().find(|m| m.name == member_name));
            let present: Vec<&SpecMember> = mc.into_iter().chain(mi).collect();
            if present.iter().all(|m| m.disabled == Some(true)) {
                continue;
            }
            let kinds: Vec<Kind> = present
                .iter()
                .map(|m| Kind::parse(&m.kind, &m.member, &names).map_err(|e| format!("{name}.{member_name}: {e}")))
                .collect::<Result<_, _>>()?;
            if kinds.windows(2).any(|w| w[0] != w[1]) {
                return Err(format!(
                    "{name}.{member_name} has another type in each edition: {kinds:?}"
                ));
            }
            members.push(Member {
                name: member_name.to_owned(),
                kind: kinds[0].clone(),
                required: present.iter().all(|m| m.required == Some(true)),
                output_required: present.iter().any(|m| m.output_required == Some(true)),
                nullable: present.iter().any(|m| m.value_allowed_null == Some(true)),
                doc_en: mi.map(|m| m.document.trim().to_owned()).unwrap_or_default(),
                doc_cn: mc.map(|m| m.document.trim().to_owned()).unwrap_or_default(),
                editions: Editions {
                    cn: mc.is_some(),
                    intl: mi.is_some(),
                },
            });
        }
        objects.insert(
            name.clone(),
            Object {
                name: name.clone(),
                doc_en: i.map(|o| o.document.trim().to_owned()).unwrap_or_default(),
                doc_cn: c.map(|o| o.document.trim().to_owned()).unwrap_or_default(),
                members,
                side: Side::Request,
                module: String::new(),
                eq: true,
            },
        );
    }
    for (name, o) in &streaming.objects {
        if objects.contains_key(name) {
            return Err(format!("streaming.json: object {name} is already in the spec"));
        }
        let members = o
            .members
            .iter()
            .map(|m| {
                Ok(Member {
                    name: m.name.clone(),
                    kind: Kind::parse(&m.kind, &m.member, &names)
                        .map_err(|e| format!("streaming.json: {name}.{}: {e}", m.name))?,
                    required: false,
                    output_required: false,
                    nullable: true,
                    doc_en: m.doc.clone(),
                    doc_cn: String::new(),
                    editions: Editions { cn: true, intl: true },
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        objects.insert(
            name.clone(),
            Object {
                name: name.clone(),
                doc_en: o.doc.clone(),
                doc_cn: String::new(),
                members,
                side: Side::Response,
                module: String::new(),
                eq: true,
            },
        );
    }

    // Areas: every action in exactly one.
    let mut area_of: BTreeMap<&str, &str> = BTreeMap::new();
    for area in &areas.areas {
        for action in &area.actions {
            if area_of.insert(action, &area.module).is_some() {
                return Err(format!("areas.json puts {action} in two areas"));
            }
        }
    }

    let all_actions: BTreeSet<&String> = cn.actions.keys().chain(intl.actions.keys()).collect();
    let mut actions = Vec::new();
    for name in &all_actions {
        let c = cn.actions.get(*name);
        let i = intl.actions.get(*name);
        let first = c.or(i).ok_or("unreachable")?;
        for a in c.iter().chain(i.iter()) {
            if a.input != first.input || a.output != first.output {
                return Err(format!("{name}: the editions name other request or response objects"));
            }
            if a.status != "online" && a.status != "deprecated" {
                return Err(format!("{name}: status {:?}, which codegen does not know", a.status));
            }
        }
        let module = area_of
            .get(name.as_str())
            .ok_or_else(|| format!("{name} is in no area: add it to {DATA}/areas.json"))?;
        let by_prefix = idempotency
            .idempotent_prefixes
            .iter()
            .any(|p| name.starts_with(p.as_str()));
        let (idempotent, why) = match idempotency.actions.get(*name) {
            Some(e) => (e.idempotent, Some(e.why.clone())),
            None if by_prefix => (true, None),
            None => {
                return Err(format!(
                    "{name}: is it idempotent? add it to {DATA}/idempotency.json with the reason"
                ))
            }
        };
        let stream = streaming.actions.get(*name);
        actions.push(Action {
            name: (*name).clone(),
            editions: Editions {
                cn: c.is_some(),
                intl: i.is_some(),
            },
            title_en: i.map(|a| a.name.trim().to_owned()).unwrap_or_default(),
            title_cn: c.map(|a| a.name.trim().to_owned()).unwrap_or_default(),
            doc_en: i.map(|a| a.document.trim().to_owned()).unwrap_or_default(),
            doc_cn: c.map(|a| a.document.trim().to_owned()).unwrap_or_default(),
            request: first.input.clone(),
            response: first.output.clone(),
            module: (*module).to_owned(),
            idempotent,
            idempotent_why: why,
            regions: regions.actions.get(*name).cloned().unwrap_or_default(),
            host: stream.and_then(|s| s.host.clone()),
            event: stream.map(|s| s.event.clone()),
            deprecated: c.iter().chain(i.iter()).any(|a| a.status == "deprecated"),
        });
    }
    for name in area_of.keys() {
        if !all_actions.contains(&name.to_string()) {
            return Err(format!("areas.json lists {name}, which neither edition has"));
        }
    }
    for name in idempotency
        .actions
        .keys()
        .chain(regions.actions.keys())
        .chain(streaming.actions.keys())
    {
        if !all_actions.contains(name) {
            return Err(format!("the codegen tables list {name}, which neither edition has"));
        }
    }

    // Sides and modules: where each object is reached from.
    let mut reached: BTreeMap<String, (bool, bool, BTreeSet<String>)> = BTreeMap::new();
    for action in &actions {
        for (root, response) in [(&action.request, false), (&action.response, true)] {
            let mut seen = BTreeSet::from([root.clone()]);
            reach(&objects, root, &mut seen);
            for name in seen {
                let e = reached.entry(name).or_default();
                if response {
                    e.1 = true;
                } else {
                    e.0 = true;
                }
                e.2.insert(action.module.clone());
            }
        }
        if let Some(event) = &action.event {
            let mut seen = BTreeSet::from([event.clone()]);
            reach(&objects, event, &mut seen);
            for name in seen {
                let e = reached.entry(name).or_default();
                e.1 = true;
                e.2.insert(action.module.clone());
            }
        }
    }
    let request_names: BTreeSet<&str> = actions.iter().map(|a| a.request.as_str()).collect();
    let response_names: BTreeSet<&str> = actions.iter().map(|a| a.response.as_str()).collect();
    for (name, object) in objects.iter_mut() {
        // An object only disabled members held is still written, as a request-side object of no one area.
        let (in_request, in_response, modules) = reached.remove(name).unwrap_or_else(|| (true, false, BTreeSet::new()));
        object.side = if request_names.contains(name.as_str()) {
            Side::Request
        } else if response_names.contains(name.as_str()) {
            Side::Response
        } else {
            match (in_request, in_response) {
                (true, true) => Side::Both,
                (true, false) => Side::Request,
                _ => Side::Response,
            }
        };
        object.module = if modules.len() == 1 {
            modules.into_iter().next().unwrap_or_default()
        } else {
            SHARED.to_owned()
        };
    }
    // Eq: no float anywhere inside (a fixed point over the object graph).
    loop {
        let mut changed = false;
        let eqs: BTreeMap<String, bool> = objects.iter().map(|(n, o)| (n.clone(), o.eq)).collect();
        for object in objects.values_mut() {
            let eq = object.members.iter().all(|m| kind_eq(&m.kind, &eqs));
            if eq != object.eq {
                object.eq = eq;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    for secret in &rules.secrets {
        let found = objects
            .values()
            .any(|o| o.members.iter().any(|m| m.name == *secret && m.kind == Kind::Str));
        if !found {
            return Err(format!(
                "rules.json: no string member is named {secret}, which `secrets` lists"
            ));
        }
    }
    let mut types = BTreeMap::new();
    for (key, t) in rules.types {
        check_member_key(&objects, &key)?;
        types.insert(key, (t.rust, t.eq));
    }
    for key in rules.rules.keys() {
        if !key.starts_with("*.") {
            check_member_key(&objects, key)?;
        }
    }
    let areas = areas
        .areas
        .into_iter()
        .map(|a| Area {
            module: a.module,
            title: a.title,
            doc: a.doc,
            feature: a.feature,
        })
        .collect();
    Ok(Api {
        actions,
        objects,
        areas,
        rules: rules.rules,
        types,
        secrets: rules.secrets,
    })
}

fn check_member_key(objects: &BTreeMap<String, Object>, key: &str) -> Result<(), String> {
    let (object, member) = key
        .split_once('.')
        .ok_or_else(|| format!("rules.json: {key:?} is not Object.Member"))?;
    let found = objects
        .get(object)
        .is_some_and(|o| o.members.iter().any(|m| m.name == member));
    if !found {
        return Err(format!("rules.json names {key}, which the spec does not have"));
    }
    Ok(())
}

fn kind_eq(kind: &Kind, eqs: &BTreeMap<String, bool>) -> bool {
    match kind {
        Kind::F64 => false,
        Kind::Object(name) => eqs.get(name).copied().unwrap_or(true),
        Kind::List(item) => kind_eq(item, eqs),
        _ => true,
    }
}

fn reach(objects: &BTreeMap<String, Object>, root: &str, seen: &mut BTreeSet<String>) {
    let Some(object) = objects.get(root) else { return };
    for member in &object.members {
        if let Some(name) = member.kind.object() {
            if seen.insert(name.to_owned()) {
                reach(objects, name, seen);
            }
        }
    }
}
