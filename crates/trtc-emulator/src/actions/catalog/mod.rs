//! The actions served from the members the spec declares for them: the task actions (`tasks.rs`) and the
//! room, user and usage queries (`statistics.rs`).

mod statistics;
mod tasks;

use super::ActionSpec;

/// Every action of the catalog.
pub(super) fn all() -> impl Iterator<Item = &'static ActionSpec> {
    tasks::TASKS.iter().chain(statistics::STATISTICS)
}

/// The table against the spec files it was written from, found as `cargo xtask codegen` finds them
/// (`$TRTC_SPEC_DIR`, else `../shared/spec` beside the repository).
#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::Value;

    use super::super::schema::{Field, Kind, Shape};
    use super::super::Serves;

    fn spec(file: &str) -> Value {
        let dir = std::env::var_os("TRTC_SPEC_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec"));
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}): the API spec is ../shared/spec beside the repository, or $TRTC_SPEC_DIR",
                path.display()
            )
        });
        serde_json::from_str(&text).unwrap()
    }

    /// The members of `object` in either edition, in the order the first edition that has it lists them,
    /// a member required where either edition requires it.
    fn members(editions: &[Value], object: &str, flag: &str) -> Vec<(String, String, bool, String)> {
        let mut out: Vec<(String, String, bool, String)> = Vec::new();
        for edition in editions {
            let Some(found) = edition["objects"].get(object) else {
                continue;
            };
            for m in found["members"].as_array().unwrap() {
                if m["disabled"] == true || m["name"] == "RequestId" {
                    continue;
                }
                let name = m["name"].as_str().unwrap().to_owned();
                let required = m[flag] == true;
                match out.iter_mut().find(|(n, ..)| *n == name) {
                    Some(known) => known.2 |= required,
                    None => out.push((
                        name,
                        m["type"].as_str().unwrap().to_owned(),
                        required,
                        m["member"].as_str().unwrap_or("").to_owned(),
                    )),
                }
            }
        }
        out
    }

    fn kind_name(kind: Kind) -> &'static str {
        match kind {
            Kind::Str => "string",
            Kind::Int => "int",
            Kind::Float => "float",
            Kind::Bool => "bool",
            Kind::List => "list",
            Kind::Object => "object",
        }
    }

    fn check_fields(editions: &[Value], object: &str, fields: &[Field], top: bool) {
        let want: Vec<_> = members(editions, object, "output_required")
            .into_iter()
            .filter(|m| top || m.2)
            .collect();
        assert_eq!(fields.len(), want.len(), "{object}: {want:?}");
        for (field, (name, kind, required, member)) in fields.iter().zip(want) {
            assert_eq!((field.name, field.required), (name.as_str(), required), "{object}");
            match field.shape {
                Shape::Str => assert!(kind == "string" || kind == "date", "{object}.{name}"),
                Shape::Int => assert_eq!(kind, "int", "{object}.{name}"),
                Shape::List => assert_eq!(kind, "list", "{object}.{name}"),
                Shape::Object(inner) => {
                    assert_eq!(kind, "object", "{object}.{name}");
                    check_fields(editions, &member, inner, false);
                }
            }
        }
    }

    #[test]
    fn every_member_is_the_specs() {
        let editions = [spec("trtc-2019-07-22.api.json"), spec("trtc-2019-07-22.api.intl.json")];
        let mut count = 0;
        for action in super::all() {
            let Serves::Described(schema) = &action.serves else {
                panic!("{} is in the catalog without its members", action.name)
            };
            assert!(
                editions.iter().any(|e| e["actions"].get(schema.name).is_some()),
                "{} is in neither edition",
                schema.name
            );
            let want = members(&editions, &format!("{}Request", schema.name), "required");
            let got: Vec<_> = schema
                .request
                .iter()
                .map(|m| (m.name.to_owned(), kind_name(m.kind).to_owned(), m.required))
                .collect();
            let want: Vec<_> = want
                .into_iter()
                .map(|(n, t, r, _)| (n, if t == "date" { "string".to_owned() } else { t }, r))
                .collect();
            assert_eq!(got, want, "{}", schema.name);
            check_fields(&editions, &format!("{}Response", schema.name), schema.response, true);
            count += 1;
        }
        assert_eq!(count, 61);
    }

    #[test]
    fn every_task_action_is_in_a_family() {
        for action in super::tasks::TASKS {
            assert!(super::super::families::find(action.name).is_some(), "{}", action.name);
        }
        for family in super::super::families::FAMILIES {
            for (name, _) in family.actions {
                assert!(super::tasks::TASKS.iter().any(|a| a.name == *name), "{name}");
            }
        }
    }
}
