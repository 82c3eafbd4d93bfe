//! The `ErrorCode` table (`crates/trtc-model/src/error_code/table.rs`): code, Rust variant, retry class and
//! English description, from the SDK error lists in `error_codes.json`, the common API 3.0 codes in
//! `crates/trtc-model/codegen/common_codes.json`, the translations in `codegen/translations.json` and the
//! classing rules in `codegen/classes.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::{read_json, rust_str, DATA};

pub(super) const TABLE: &str = "crates/trtc-model/src/error_code/table.rs";
const CLASSES: &[&str] = &["Throttled", "Transient", "Authentication", "Caller"];

/// The table's source text.
pub(super) fn generate(root: &Path, spec: &Path) -> Result<String, String> {
    let sdk_codes: SpecCodes = read_json(&spec.join("error_codes.json"))?;
    let data = root.join(DATA);
    let common: CommonCodes = read_json(&data.join("common_codes.json"))?;
    let translations: Translations = read_json(&data.join("translations.json"))?;
    let classes: Classes = read_json(&data.join("classes.json"))?;
    error_table(&sdk_codes, &common, &translations, &classes)
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
}
