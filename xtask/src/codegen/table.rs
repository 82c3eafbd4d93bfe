//! The static table of every action and object (`crates/trtc-model/src/actions/table.rs`): names, editions,
//! one-line docs and members, for listing and checking without the types; and `visit`, which finds the
//! generated request type of an action by name.

use std::fmt::Write as _;

use super::model::{field_is_optional, header, is_secret, summary};
use super::rust::{plain_text, type_name};
use super::rust_str;
use super::spec::{Api, Editions, Kind};

pub(super) const PATH: &str = "crates/trtc-model/src/actions/table.rs";

fn editions(e: Editions) -> &'static str {
    match (e.cn, e.intl) {
        (true, true) => "Editions::BOTH",
        (true, false) => "Editions::MAINLAND",
        _ => "Editions::INTERNATIONAL",
    }
}

fn member_type(kind: &Kind) -> String {
    match kind {
        Kind::U64 => "MemberType::U64".to_owned(),
        Kind::I64 => "MemberType::I64".to_owned(),
        Kind::F64 => "MemberType::F64".to_owned(),
        Kind::Bool => "MemberType::Bool".to_owned(),
        Kind::Str => "MemberType::String".to_owned(),
        Kind::Date => "MemberType::Date".to_owned(),
        Kind::Object(name) => format!("MemberType::Object({})", rust_str(name)),
        Kind::List(item) => format!("MemberType::List(&{})", member_type(item)),
    }
}

pub(super) fn generate(api: &Api) -> Result<String, String> {
    let mut out = header();
    out.push_str("//! The data of [`crate::actions`].\n\nuse super::{ActionInfo, ActionVisitor, Editions, MemberInfo, MemberType, ObjectInfo};\n\n");
    let _ = writeln!(
        out,
        "/// Every action of both editions, by name.\npub static ALL: &[ActionInfo] = &["
    );
    for a in &api.actions {
        let doc = if a.doc_en.is_empty() { &a.doc_cn } else { &a.doc_en };
        let _ = writeln!(
            out,
            "    ActionInfo {{ name: {}, editions: {}, area: {}, summary: {}, doc: {}, request: {}, response: {}, idempotent: {}, streaming: {}, deprecated: {}, host: {} }},",
            rust_str(&a.name),
            editions(a.editions),
            rust_str(&a.module),
            rust_str(&summary(a)),
            rust_str(&plain_text(doc)),
            rust_str(&a.request),
            rust_str(&a.response),
            a.idempotent,
            a.event.is_some(),
            a.deprecated,
            match &a.host {
                Some(h) => format!("Some({})", rust_str(h)),
                None => "None".to_owned(),
            }
        );
    }
    out.push_str("];\n\n");
    let _ = writeln!(out, "/// Every object of both editions (requests and responses included), by name.\npub static OBJECTS: &[ObjectInfo] = &[");
    for o in api.objects.values() {
        let doc = if o.doc_en.is_empty() { &o.doc_cn } else { &o.doc_en };
        let _ = writeln!(
            out,
            "    ObjectInfo {{ name: {}, doc: {}, members: &[",
            rust_str(&o.name),
            rust_str(&plain_text(doc))
        );
        for m in &o.members {
            let doc = if m.doc_en.trim().is_empty() {
                &m.doc_cn
            } else {
                &m.doc_en
            };
            let _ = writeln!(
                out,
                "        MemberInfo {{ name: {}, ty: {}, required: {}, output_required: {}, nullable: {}, optional_in_rust: {}, secret: {}, doc: {} }},",
                rust_str(&m.name),
                member_type(&m.kind),
                m.required,
                m.output_required,
                m.nullable,
                field_is_optional(o, m),
                is_secret(api, m),
                rust_str(&plain_text(doc))
            );
        }
        out.push_str("    ] },\n");
    }
    out.push_str("];\n\n");
    out.push_str(
        "/// Calls `visitor` with the generated request type of the action `name`; `None` for an action this build\n\
         /// does not have (an unknown name, or an area whose feature is off).\n\
         pub(super) fn visit<V: ActionVisitor>(name: &str, visitor: V) -> Option<V::Output> {\n    \
         #[allow(unreachable_code, unused_variables)]\n    match name {\n",
    );
    for a in &api.actions {
        if let Some(feature) = api.area(&a.module).and_then(|area| area.feature.as_deref()) {
            let _ = writeln!(out, "        #[cfg(feature = {})]", rust_str(feature));
        }
        let method = if a.event.is_some() { "visit_streaming" } else { "visit" };
        let _ = writeln!(
            out,
            "        {} => Some(visitor.{method}::<crate::api::{}::{}>()),",
            rust_str(&a.name),
            a.module,
            type_name(&a.request)
        );
    }
    out.push_str("        _ => None,\n    }\n}\n");
    Ok(out)
}
