//! `trtc actions`: the typed TRTC actions, and the members of one; also what `trtc call <Action> --help` prints.

use std::fmt::Write as _;

use clap::Args;
use trtc::model::actions::{self, ActionInfo, ObjectInfo};

use crate::exit::Failure;
use crate::service::print_line;

#[derive(Debug, Args)]
pub(crate) struct ActionsArgs {
    /// An action whose request members to list, e.g. CreateCloudRecording.
    pub action: Option<String>,
}

pub(crate) fn run(args: ActionsArgs) -> Result<(), Failure> {
    match args.action {
        Some(action) => print_members(&action),
        None => {
            let mut out = String::new();
            for action in actions::ALL {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}",
                    action.name,
                    action.editions,
                    one_line(action.summary)
                );
            }
            print_line(out.trim_end())
        }
    }
}

/// The action `trtc call <Action> --help` (or `-h`) asks about, when the arguments are exactly that.
pub(crate) fn help_requested(args: impl Iterator<Item = String>) -> Option<String> {
    let args: Vec<String> = args.skip(1).collect();
    match args.as_slice() {
        [call, action, rest @ ..]
            if call == "call" && rest.iter().any(|a| a == "--help" || a == "-h") && actions::find(action).is_some() =>
        {
            Some(action.clone())
        }
        _ => None,
    }
}

/// An action's summary, editions and request members (name, type, required, doc), objects expanded below.
pub(crate) fn print_members(name: &str) -> Result<(), Failure> {
    let action = find(name)?;
    let mut out = format!(
        "{}: {}\neditions: {}; area: {}{}\n\nrequest members (name, type, required, doc):\n",
        action.name,
        one_line(action.summary),
        action.editions,
        action.area,
        if action.streaming {
            "; answered with an event stream"
        } else {
            ""
        }
    );
    let mut seen = Vec::new();
    if let Some(object) = action.request_object() {
        members(&mut out, object, "", &mut seen);
    }
    print_line(out.trim_end())
}

fn find(name: &str) -> Result<&'static ActionInfo, Failure> {
    actions::find(name).ok_or_else(|| {
        // Names that start as the given one does (its first six letters), or hold it whole.
        let given = name.to_ascii_lowercase();
        let start: String = given.chars().take(6).collect();
        let close: Vec<&str> = actions::ALL
            .iter()
            .map(|a| a.name)
            .filter(|n| {
                let n = n.to_ascii_lowercase();
                n.contains(&given) || (start.len() == 6 && n.starts_with(&start))
            })
            .take(5)
            .collect();
        let hint = match close.as_slice() {
            [] => "run `trtc actions` for the list".to_owned(),
            names => format!("did you mean {}?", names.join(", ")),
        };
        Failure::bad_input(format!("{name:?} is not a typed TRTC action: {hint}"))
    })
}

fn members(out: &mut String, object: &'static ObjectInfo, prefix: &str, seen: &mut Vec<&'static str>) {
    for member in object.members {
        let path = format!("{prefix}{}", member.name);
        let _ = writeln!(
            out,
            "  {path}\t{}\t{}\t{}",
            member.ty,
            if member.required { "required" } else { "optional" },
            one_line(member.doc)
        );
        if let Some(inner) = nested(member.ty) {
            // An object holding itself (or one already shown above) is not expanded again.
            if !seen.contains(&inner.name) {
                seen.push(inner.name);
                members(out, inner, &format!("{path}."), seen);
                seen.pop();
            }
        }
    }
}

fn nested(ty: actions::MemberType) -> Option<&'static ObjectInfo> {
    match ty {
        actions::MemberType::Object(name) => actions::object(name),
        actions::MemberType::List(item) => nested(*item),
        _ => None,
    }
}

/// Text on one line, at most 160 characters.
fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match joined.char_indices().nth(160) {
        Some((at, _)) => format!("{}...", &joined[..at]),
        None => joined,
    }
}
