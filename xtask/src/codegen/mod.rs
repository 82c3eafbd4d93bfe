//! `cargo xtask codegen [--check]`: writes what `trtc-model` derives from the API description rather than
//! typing it by hand.
//!
//! - [`error_codes`]: the `ErrorCode` table;
//! - [`room_vectors`]: the room actions' documented fields and examples, as test vectors;
//! - [`spec`] reads both editions of the TRTC 2019-07-22 description (mainland `trtc-2019-07-22.api.json`,
//!   international `trtc-2019-07-22.api.intl.json`) and the hand-kept tables under `crates/trtc-model/codegen/`
//!   into one merged model; [`model`] writes every action and object of it as Rust types, one module per product
//!   area, [`table`] the static table of actions and members, and [`examples`] the documented examples of both
//!   editions as test vectors; [`client`] the client's method per action, async and blocking.
//!
//! The spec folder is `../shared/spec` beside the repository, or `$TRTC_SPEC_DIR`. With `--check` nothing is
//! written and a generated file that differs from what the data gives is an error, so CI catches a table edited
//! by hand or data changed without regenerating. Rust output is formatted with rustfmt before it is compared.

mod client;
mod error_codes;
mod examples;
mod model;
mod room_vectors;
mod rust;
mod spec;
mod table;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// The hand-kept data the generator reads, relative to the repository root.
const DATA: &str = "crates/trtc-model/codegen";

/// Runs the task: `args` are what follows `codegen` on the command line.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        other => return Err(format!("codegen takes only --check, got {other:?}")),
    };
    let spec = spec_dir(root);
    let outputs = generate(root, &spec)?;
    let mut stale = Vec::new();
    for (path, text) in &outputs {
        let full = root.join(path);
        let current = std::fs::read_to_string(&full).ok();
        if current.as_deref() == Some(text.as_str()) {
            continue;
        }
        if check {
            stale.push(path.clone());
        } else {
            if let Some(dir) = full.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            std::fs::write(&full, text).map_err(|e| format!("cannot write {}: {e}", full.display()))?;
            eprintln!("codegen: wrote {path}");
        }
    }
    // A generated module whose area was removed from areas.json is stale too.
    let api_dir = root.join(model::API_DIR);
    if let Ok(entries) = std::fs::read_dir(&api_dir) {
        for entry in entries.flatten() {
            let path = format!("{}/{}", model::API_DIR, entry.file_name().to_string_lossy());
            if !outputs.iter().any(|(p, _)| *p == path) {
                if check {
                    stale.push(path);
                } else {
                    std::fs::remove_file(entry.path()).map_err(|e| format!("cannot remove {path}: {e}"))?;
                    eprintln!("codegen: removed {path}");
                }
            }
        }
    }
    if !stale.is_empty() {
        return Err(format!(
            "generated files are out of date: {} (run `cargo xtask codegen` and commit the result)",
            stale.join(", ")
        ));
    }
    if check {
        eprintln!("codegen: generated files are up to date (spec from {})", spec.display());
    }
    Ok(())
}

fn spec_dir(root: &Path) -> PathBuf {
    match std::env::var_os("TRTC_SPEC_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => root.join("../shared/spec"),
    }
}

/// Every generated file, as (path relative to the root, content).
fn generate(root: &Path, spec: &Path) -> Result<Vec<(String, String)>, String> {
    let mut out = vec![
        (error_codes::TABLE.to_owned(), error_codes::generate(root, spec)?),
        (room_vectors::VECTORS.to_owned(), room_vectors::generate(spec)?),
    ];
    let api = spec::load(root, spec)?;
    for (path, text) in model::generate(&api)? {
        out.push((path, rust::rustfmt(root, &text)?));
    }
    out.push((table::PATH.to_owned(), rust::rustfmt(root, &table::generate(&api)?)?));
    out.push((
        client::ASYNC_PATH.to_owned(),
        rust::rustfmt(root, &client::generate_async(&api))?,
    ));
    out.push((
        client::BLOCKING_PATH.to_owned(),
        rust::rustfmt(root, &client::generate_blocking(&api))?,
    ));
    out.push((examples::PATH.to_owned(), examples::generate(&api, spec, root)?));
    Ok(out)
}

fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read {}: {e} (the spec folder is ../shared/spec beside the repository, or $TRTC_SPEC_DIR)",
            path.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not what codegen expects: {e}", path.display()))
}

/// A Rust string literal (`Debug` of `str` is valid Rust syntax, escapes included).
fn rust_str(s: &str) -> String {
    format!("{s:?}")
}
