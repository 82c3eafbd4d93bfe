//! `cargo xtask codegen [--check]`: writes what `trtc-model` derives from the API description rather than
//! typing it by hand.
//!
//! - `crates/trtc-model/src/error_code/table.rs`: the `ErrorCode` table (code, Rust variant, retry class,
//!   English description), from the SDK error lists in `error_codes.json`, the common API 3.0 codes in
//!   `crates/trtc-model/codegen/common_codes.json`, the translations in `codegen/translations.json` and the
//!   classing rules in `codegen/classes.json`.
//! - `crates/trtc-model/tests/vectors/room_actions.json`: each room action's documented fields, error codes and
//!   example requests (the documentation writes them as query strings; here they become the JSON bodies the
//!   spec's field types call for), read by the model's tests.
//!
//! The spec folder is `../shared/spec` beside the repository, or `$TRTC_SPEC_DIR`. With `--check` nothing is
//! written and a generated file that differs from what the data gives is an error, so CI catches a table edited
//! by hand or data changed without regenerating.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

const TABLE: &str = "crates/trtc-model/src/error_code/table.rs";
const VECTORS: &str = "crates/trtc-model/tests/vectors/room_actions.json";
const DATA: &str = "crates/trtc-model/codegen";
const CLASSES: &[&str] = &["Throttled", "Transient", "Authentication", "Caller"];

/// Runs the task: `args` are what follows `codegen` on the command line.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
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
            stale.push(*path);
        } else {
            if let Some(dir) = full.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            std::fs::write(&full, text).map_err(|e| format!("cannot write {}: {e}", full.display()))?;
            eprintln!("codegen: wrote {path}");
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
fn generate(root: &Path, spec: &Path) -> Result<Vec<(&'static str, String)>, String> {
    let sdk_codes: SpecCodes = read_json(&spec.join("error_codes.json"))?;
    let rooms: RoomSpec = read_json(&spec.join("room_actions.json"))?;
    let data = root.join(DATA);
    let common: CommonCodes = read_json(&data.join("common_codes.json"))?;
    let translations: Translations = read_json(&data.join("translations.json"))?;
    let classes: Classes = read_json(&data.join("classes.json"))?;
    let table = error_table(&sdk_codes, &common, &translations, &classes)?;
    let vectors = room_vectors(&rooms)?;
    Ok(vec![(TABLE, table), (VECTORS, vectors)])
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

// ---------------------------------------------------------------------------------------------------------
// Inputs.

#[derive(Deserialize)]
struct SpecCodes {
    codes: Vec<SpecCode>,
}

#[derive(Deserialize)]
struct SpecCode {
    code: String,
    description_cn: Option<String>,
    description_en: Option<String>,
}

#[derive(Deserialize)]
struct CommonCodes {
    #[serde(rename = "_sources")]
    sources: BTreeMap<String, String>,
    codes: Vec<CommonCode>,
}

#[derive(Deserialize)]
struct CommonCode {
    code: String,
    description: String,
    source: String,
}

#[derive(Deserialize)]
struct Translations {
    codes: Vec<Translation>,
}

#[derive(Deserialize)]
struct Translation {
    code: String,
    cn: String,
    en: String,
}

#[derive(Deserialize)]
struct Classes {
    default: String,
    heads: Vec<HeadClass>,
    codes: Vec<CodeClass>,
}

#[derive(Deserialize)]
struct HeadClass {
    head: String,
    class: String,
}

#[derive(Deserialize)]
struct CodeClass {
    code: String,
    class: String,
}

#[derive(Deserialize)]
struct RoomSpec {
    actions: Vec<SpecAction>,
}

#[derive(Deserialize)]
struct SpecAction {
    name: String,
    cn: Option<Edition>,
    intl: Option<Edition>,
}

#[derive(Deserialize)]
struct Edition {
    request: Vec<SpecField>,
    response: Vec<SpecField>,
    #[serde(default)]
    examples: Vec<SpecExample>,
    #[serde(default)]
    error_codes_go_sdk: Vec<SpecCodeRef>,
}

#[derive(Deserialize, Serialize, Clone, PartialEq, Debug)]
struct SpecField {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    member: String,
    required: Option<bool>,
}

#[derive(Deserialize)]
struct SpecExample {
    title: String,
    input: String,
    output: String,
}

#[derive(Deserialize)]
struct SpecCodeRef {
    code: String,
}

// ---------------------------------------------------------------------------------------------------------
// The ErrorCode table.

/// Where a code's English description comes from.
#[derive(Clone, Copy, PartialEq)]
enum Origin {
    /// The SDK error list, in English.
    Sdk,
    /// The SDK error list has the code but no English; the common-code list describes it.
    SdkDescribedByCommon,
    /// The SDK error list has the code in Chinese only; the project's translation.
    Translated,
    /// Only the common-code list (or the service's documentation) has it.
    Common,
}

struct Entry {
    description: String,
    origin: Origin,
}

fn error_table(
    sdk: &SpecCodes,
    common: &CommonCodes,
    translations: &Translations,
    classes: &Classes,
) -> Result<String, String> {
    let mut common_by_code = BTreeMap::new();
    for c in &common.codes {
        if !common.sources.contains_key(&c.source) {
            return Err(format!(
                "common_codes.json: {} names unknown source {:?}",
                c.code, c.source
            ));
        }
        if common_by_code.insert(c.code.as_str(), c.description.trim()).is_some() {
            return Err(format!("common_codes.json lists {} twice", c.code));
        }
    }
    let mut translated = BTreeMap::new();
    for t in &translations.codes {
        if translated.insert(t.code.as_str(), t).is_some() {
            return Err(format!("translations.json lists {} twice", t.code));
        }
    }

    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut used_translations = BTreeSet::new();
    for c in &sdk.codes {
        let english = c.description_en.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let entry = if let Some(en) = english {
            Entry {
                description: en.to_owned(),
                origin: Origin::Sdk,
            }
        } else if let Some(en) = common_by_code.get(c.code.as_str()) {
            Entry {
                description: (*en).to_owned(),
                origin: Origin::SdkDescribedByCommon,
            }
        } else if let Some(t) = translated.get(c.code.as_str()) {
            let cn = c.description_cn.as_deref().unwrap_or_default();
            if t.cn != cn {
                return Err(format!(
                    "translations.json: {} translates {:?} but the spec now says {cn:?}: translate it again",
                    c.code, t.cn
                ));
            }
            used_translations.insert(c.code.as_str());
            Entry {
                description: t.en.trim().to_owned(),
                origin: Origin::Translated,
            }
        } else {
            return Err(format!(
                "{} has no English description in the spec, the common codes or translations.json: add one to {DATA}/translations.json",
                c.code
            ));
        };
        if entries.insert(c.code.clone(), entry).is_some() {
            return Err(format!("error_codes.json lists {} twice", c.code));
        }
    }
    for (code, description) in &common_by_code {
        entries.entry((*code).to_owned()).or_insert_with(|| Entry {
            description: (*description).to_owned(),
            origin: Origin::Common,
        });
    }
    let unused: Vec<&str> = translated
        .keys()
        .copied()
        .filter(|code| !used_translations.contains(code))
        .collect();
    if !unused.is_empty() {
        return Err(format!(
            "translations.json translates codes that need no translation (the spec or the common codes now describe them in English): {}",
            unused.join(", ")
        ));
    }

    for class in std::iter::once(&classes.default)
        .chain(classes.heads.iter().map(|h| &h.class))
        .chain(classes.codes.iter().map(|c| &c.class))
    {
        if !CLASSES.contains(&class.as_str()) {
            return Err(format!("classes.json: unknown class {class:?} (one of {CLASSES:?})"));
        }
    }
    let mut by_code = BTreeMap::new();
    for c in &classes.codes {
        if !entries.contains_key(&c.code) {
            return Err(format!("classes.json classes {}, which no code list has", c.code));
        }
        if by_code.insert(c.code.as_str(), c.class.as_str()).is_some() {
            return Err(format!("classes.json classes {} twice", c.code));
        }
    }
    let mut by_head = BTreeMap::new();
    for h in &classes.heads {
        if h.head.contains('.') || by_head.insert(h.head.as_str(), h.class.as_str()).is_some() {
            return Err(format!("classes.json: head {:?} is dotted or listed twice", h.head));
        }
    }
    let class_of = |code: &str| -> &str {
        by_code
            .get(code)
            .or_else(|| by_head.get(head(code)))
            .copied()
            .unwrap_or(classes.default.as_str())
    };

    let codes: Vec<&str> = entries.keys().map(String::as_str).collect();
    let names = variant_names(&codes);
    let count = |origin: Origin| entries.values().filter(|e| e.origin == origin).count();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "// @generated by `cargo xtask codegen`; do not edit. Change the data and regenerate:"
    );
    let _ = writeln!(
        out,
        "// - the SDK error lists: ../shared/spec/error_codes.json ({} codes);",
        sdk.codes.len()
    );
    let _ = writeln!(
        out,
        "// - {DATA}/common_codes.json: {} codes every API 3.0 service may answer that the SDK lists leave out;",
        count(Origin::Common)
    );
    let _ = writeln!(
        out,
        "// - {DATA}/translations.json: English for {} codes the SDK lists give in Chinese only",
        count(Origin::Translated)
    );
    let _ = writeln!(
        out,
        "//   (and for {} more, Chinese-only there too, the common-code description);",
        count(Origin::SdkDescribedByCommon)
    );
    let _ = writeln!(out, "// - {DATA}/classes.json: each code's retry class.");
    let _ = writeln!(
        out,
        "// Variants are the code in PascalCase with the dots removed; a name taken by an earlier code (in byte order)"
    );
    let _ = writeln!(out, "// or by `Other` gets the smallest free numeric suffix from 2.");
    out.push_str("\nerror_codes! {\n    codes {\n");
    for (code, entry) in &entries {
        let class = class_of(code);
        let _ = writeln!(out, "        /// `{code}`: {}", doc_text(&entry.description));
        match entry.origin {
            Origin::Translated => {
                out.push_str("        ///\n        /// English translated from the Chinese SDK description.\n");
            }
            Origin::Common => {
                out.push_str("        ///\n        /// A common error code of Tencent Cloud API 3.0.\n");
            }
            Origin::Sdk | Origin::SdkDescribedByCommon => {}
        }
        let _ = writeln!(
            out,
            "        ///\n        /// Class: [`{class}`](crate::ErrorClass::{class})."
        );
        let _ = writeln!(
            out,
            "        {} => ({}, {class}, {}),",
            names[code.as_str()],
            rust_str(code),
            rust_str(&entry.description)
        );
    }
    out.push_str("    }\n    heads {\n");
    for (head, class) in &by_head {
        let _ = writeln!(out, "        {} => {class},", rust_str(head));
    }
    let _ = writeln!(out, "    }}\n    default => {};\n}}", classes.default);
    Ok(out)
}

/// The part of a code before its first dot: `InternalError` for `InternalError.DBError`.
fn head(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
}

/// A Rust variant name for each code: PascalCase with the separators removed, made unique deterministically.
fn variant_names<'a>(codes: &[&'a str]) -> BTreeMap<&'a str, String> {
    let mut sorted: Vec<&str> = codes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut taken: BTreeSet<String> = BTreeSet::from(["Other".to_owned()]);
    let mut names = BTreeMap::new();
    for code in sorted {
        let base = pascal(code);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        names.insert(code, name);
    }
    names
}

/// `FailedOperation.RoomNotExist` -> `FailedOperationRoomNotExist`: each run of ASCII letters and digits starts
/// with a capital, everything else is dropped; a name that would start with a digit (or be empty) gets `Code`.
fn pascal(code: &str) -> String {
    let mut out = String::new();
    for part in code.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Code");
    }
    out
}

/// A Rust string literal (`Debug` of `str` is valid Rust syntax, escapes included).
fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

/// Description text made safe for one line of rustdoc: URLs become autolinks, markdown link and HTML brackets
/// are escaped, line breaks become spaces.
fn doc_text(s: &str) -> String {
    let mut words = Vec::new();
    for word in s.split_whitespace() {
        if word.starts_with("http://") || word.starts_with("https://") {
            words.push(format!("<{word}>"));
        } else {
            let mut escaped = String::new();
            for c in word.chars() {
                if matches!(c, '[' | ']' | '<' | '>' | '*' | '\\') {
                    escaped.push('\\');
                }
                escaped.push(c);
            }
            words.push(escaped);
        }
    }
    words.join(" ")
}

// ---------------------------------------------------------------------------------------------------------
// The room-action vectors.

#[derive(Serialize)]
struct Vectors {
    about: &'static str,
    actions: Vec<VectorAction>,
}

#[derive(Serialize)]
struct VectorAction {
    name: String,
    editions: Vec<&'static str>,
    request: Vec<SpecField>,
    response: Vec<SpecField>,
    error_codes: BTreeSet<String>,
    examples: Vec<VectorExample>,
}

#[derive(Serialize)]
struct VectorExample {
    edition: &'static str,
    title: String,
    query: String,
    request_body: String,
    response_body: String,
}

fn room_vectors(spec: &RoomSpec) -> Result<String, String> {
    let mut actions = Vec::new();
    for action in &spec.actions {
        let editions: Vec<(&'static str, &Edition)> = [("cn", action.cn.as_ref()), ("intl", action.intl.as_ref())]
            .into_iter()
            .filter_map(|(name, edition)| edition.map(|e| (name, e)))
            .collect();
        let Some((_, first)) = editions.first() else {
            return Err(format!(
                "room_actions.json: {} has neither a cn nor an intl edition",
                action.name
            ));
        };
        for (name, edition) in &editions {
            if edition.request != first.request || edition.response != first.response {
                return Err(format!(
                    "room_actions.json: the {name} edition of {} has other fields than the first edition; \
                     the model has one type per action",
                    action.name
                ));
            }
        }
        let mut examples = Vec::new();
        for (edition_name, edition) in &editions {
            for example in &edition.examples {
                let (query, request_body) = example_body(&action.name, &first.request, &example.input)?;
                let output: serde_json::Value = serde_json::from_str(&example.output)
                    .map_err(|e| format!("{}: example output is not JSON: {e}", action.name))?;
                examples.push(VectorExample {
                    edition: edition_name,
                    title: example.title.clone(),
                    query,
                    request_body,
                    response_body: output.to_string(),
                });
            }
        }
        actions.push(VectorAction {
            name: action.name.clone(),
            editions: editions.iter().map(|(name, _)| *name).collect(),
            request: first.request.clone(),
            response: first.response.clone(),
            error_codes: editions
                .iter()
                .flat_map(|(_, e)| e.error_codes_go_sdk.iter().map(|c| c.code.clone()))
                .collect(),
            examples,
        });
    }
    let vectors = Vectors {
        about: "Generated by `cargo xtask codegen` from ../shared/spec/room_actions.json; do not edit. Per action: \
                the documented request and response fields, the error codes the official Go SDK lists for it, and \
                each documented example with its query-string input turned into the JSON body the field types call \
                for (list items `Name.N` gathered in index order, quotes around string values dropped).",
        actions,
    };
    let mut text = serde_json::to_string_pretty(&vectors).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// Turns a documented query-style example (`https://host/?Action=X\n&Name=value\n&<Common request parameters>`)
/// into (the query without the common-parameter placeholder, the JSON body with fields in spec order).
fn example_body(action: &str, fields: &[SpecField], input: &str) -> Result<(String, String), String> {
    let query = input
        .split_once('?')
        .map(|(_, q)| q)
        .ok_or_else(|| format!("{action}: example input has no query: {input:?}"))?;
    let mut scalars: BTreeMap<String, String> = BTreeMap::new();
    let mut lists: BTreeMap<String, BTreeMap<u32, String>> = BTreeMap::new();
    let mut kept = Vec::new();
    for pair in query.split('&').map(str::trim).filter(|p| !p.is_empty()) {
        if pair.starts_with('<') {
            continue; // `<Common request parameters>`: the signed headers, not the body.
        }
        kept.push(pair);
        let (key, raw) = pair
            .split_once('=')
            .ok_or_else(|| format!("{action}: example parameter without '=': {pair:?}"))?;
        let value = percent_decode(raw).map_err(|e| format!("{action}: {key}: {e}"))?;
        if key == "Action" {
            if value != action {
                return Err(format!("{action}: example is for action {value:?}"));
            }
            continue;
        }
        if let Some((name, index)) = key.split_once('.') {
            let index: u32 = index
                .parse()
                .map_err(|_| format!("{action}: list parameter {key:?} has no numeric index"))?;
            if lists.entry(name.to_owned()).or_default().insert(index, value).is_some() {
                return Err(format!("{action}: example repeats {key}"));
            }
        } else if scalars.insert(key.to_owned(), value).is_some() {
            return Err(format!("{action}: example repeats {key}"));
        }
    }
    let mut body = String::from("{");
    for field in fields {
        let json = match field.kind.as_str() {
            "list" => match lists.remove(&field.name) {
                Some(items) => {
                    let expected: Vec<u32> = (0..items.len() as u32).collect();
                    if items.keys().copied().collect::<Vec<_>>() != expected {
                        return Err(format!("{action}: {} indexes are not 0, 1, 2, ...", field.name));
                    }
                    let items: Vec<serde_json::Value> = items
                        .into_values()
                        .map(|v| scalar(action, &field.name, &field.member, &v))
                        .collect::<Result<_, _>>()?;
                    serde_json::Value::Array(items)
                }
                None => continue,
            },
            kind => match scalars.remove(&field.name) {
                Some(v) => scalar(action, &field.name, kind, &v)?,
                None => continue,
            },
        };
        if body.len() > 1 {
            body.push(',');
        }
        let _ = write!(body, "{}:{json}", serde_json::Value::from(field.name.as_str()));
    }
    body.push('}');
    let leftover: Vec<&String> = scalars.keys().chain(lists.keys()).collect();
    if !leftover.is_empty() {
        return Err(format!(
            "{action}: example parameters the spec does not list: {leftover:?}"
        ));
    }
    Ok((kept.join("&"), body))
}

/// One value as the spec's type says: `int`/`uint64` as a JSON number, `string` as a JSON string (the docs
/// sometimes quote string examples, `StrRoomId="10006"`: the quotes are the writer's, not the value's).
fn scalar(action: &str, name: &str, kind: &str, value: &str) -> Result<serde_json::Value, String> {
    match kind {
        "int" | "uint64" | "int64" => value
            .parse::<u64>()
            .map(serde_json::Value::from)
            .map_err(|_| format!("{action}: {name}={value:?} is not an integer")),
        "string" => Ok(serde_json::Value::from(strip_quotes(value).unwrap_or(value))),
        other => Err(format!(
            "{action}: {name} has type {other:?}, which codegen cannot turn into JSON"
        )),
    }
}

/// `"10006"` or `“10006”` -> `10006`.
fn strip_quotes(value: &str) -> Option<&str> {
    let first = value.chars().next()?;
    let last = value.chars().next_back()?;
    let quotes = ['"', '\u{201c}', '\u{201d}'];
    if value.chars().count() >= 2 && quotes.contains(&first) && quotes.contains(&last) {
        Some(&value[first.len_utf8()..value.len() - last.len_utf8()])
    } else {
        None
    }
}

fn percent_decode(raw: &str) -> Result<String, String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent escape in {raw:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{raw:?} decodes to invalid UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_follow_the_code() {
        let names = variant_names(&[
            "FailedOperation.RoomNotExist",
            "AuthFailure.MFAFailure",
            "InternalError",
        ]);
        assert_eq!(names["FailedOperation.RoomNotExist"], "FailedOperationRoomNotExist");
        assert_eq!(names["AuthFailure.MFAFailure"], "AuthFailureMFAFailure");
        assert_eq!(names["InternalError"], "InternalError");
    }

    #[test]
    fn colliding_names_get_suffixes_in_byte_order_whatever_the_input_order() {
        let forward = variant_names(&["A.BC", "AB.C", "ABC", "Other", "ABC2"]);
        let backward = variant_names(&["ABC2", "Other", "ABC", "AB.C", "A.BC"]);
        assert_eq!(forward, backward);
        assert_eq!(forward["A.BC"], "ABC");
        assert_eq!(forward["AB.C"], "ABC2");
        // "ABC" comes after "AB.C" in byte order and its own name and the first suffix are taken.
        assert_eq!(forward["ABC"], "ABC3");
        assert_eq!(forward["ABC2"], "ABC22");
        assert_eq!(forward["Other"], "Other2");
    }

    #[test]
    fn odd_codes_still_give_identifiers() {
        assert_eq!(pascal("4xx.error-code"), "Code4xxErrorCode");
        assert_eq!(pascal(""), "Code");
        assert_eq!(pascal("internalError.x"), "InternalErrorX");
    }

    #[test]
    fn docs_escape_markdown_and_link_urls() {
        assert_eq!(
            doc_text("see https://example.com/a?b=1 or [x] <y>\nz"),
            "see <https://example.com/a?b=1> or \\[x\\] \\<y\\> z"
        );
    }

    fn field(name: &str, kind: &str, member: &str) -> SpecField {
        SpecField {
            name: name.into(),
            kind: kind.into(),
            member: member.into(),
            required: Some(true),
        }
    }

    #[test]
    fn query_examples_become_json_in_spec_order() {
        let fields = [
            field("SdkAppId", "int", "uint64"),
            field("RoomId", "string", "string"),
            field("UserIds", "list", "string"),
        ];
        let input = "https://trtc.tencentcloudapi.com/?Action=RemoveUserByStrRoomId\n&UserIds.1=b%20c\n&RoomId=\"ab\"\n&SdkAppId=1400000001\n&UserIds.0=a\n&<Common request parameters>";
        let (query, body) = example_body("RemoveUserByStrRoomId", &fields, input).unwrap();
        assert_eq!(body, r#"{"SdkAppId":1400000001,"RoomId":"ab","UserIds":["a","b c"]}"#);
        assert!(!query.contains("Common"));
    }

    #[test]
    fn query_examples_with_unknown_or_bad_parameters_are_refused() {
        let fields = [field("SdkAppId", "int", "uint64")];
        assert!(example_body("X", &fields, "https://h/?Action=X&Nope=1").is_err());
        assert!(example_body("X", &fields, "https://h/?Action=X&SdkAppId=abc").is_err());
        assert!(example_body("X", &fields, "https://h/?Action=Y&SdkAppId=1").is_err());
        assert!(example_body("X", &fields, "https://h/?Action=X&SdkAppId=%zz").is_err());
    }
}
