//! A small INI reader for the credentials file: `[sections]`, `key = value` (or `key: value`), comments on
//! their own line (`#` or `;`), blank lines, CRLF and a UTF-8 BOM.
//!
//! Errors carry the line number and never the text of the line: a malformed line may hold a secret.

use std::fmt;

/// One `key = value` line. Keys are ASCII-lower-cased, values trimmed and unquoted.
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) value: String,
    pub(crate) line: usize,
}

/// A `[name]` and the entries under it.
pub(crate) struct Section {
    pub(crate) name: String,
    pub(crate) line: usize,
    pub(crate) entries: Vec<Entry>,
}

impl Section {
    pub(crate) fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// A parsed file: its sections in order.
pub(crate) struct Ini {
    pub(crate) sections: Vec<Section>,
}

impl Ini {
    pub(crate) fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }
}

/// Where and why a file is not INI. The message describes the line, never repeats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniError {
    pub(crate) line: usize,
    pub(crate) problem: String,
}

impl fmt::Display for IniError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

pub(crate) fn parse(text: &str) -> Result<Ini, IniError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: Vec<Section> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let err = |problem: String| IniError { line, problem };
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            let Some((name, after)) = rest.split_once(']') else {
                return Err(err("a section header must end with ']', as in [default]".to_owned()));
            };
            let after = after.trim();
            if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
                return Err(err("only a comment may follow a section header on its line".to_owned()));
            }
            let name = name.trim();
            if name.is_empty() || !name.chars().all(is_key_char) {
                return Err(err(
                    "a section name must be letters, digits, '_', '-' or '.', as in [default]".to_owned(),
                ));
            }
            if let Some(first) = sections.iter().find(|s| s.name == name) {
                return Err(err(format!(
                    "section [{name}] appears a second time (first at line {}): merge the two",
                    first.line
                )));
            }
            sections.push(Section {
                name: name.to_owned(),
                line,
                entries: Vec::new(),
            });
            continue;
        }
        let Some(at) = trimmed.find(['=', ':']) else {
            return Err(err(
                "expected a [section], a key = value line, or a comment starting with '#' or ';'".to_owned(),
            ));
        };
        let key = trimmed[..at].trim();
        if key.is_empty() || !key.chars().all(is_key_char) {
            return Err(err(
                "the key before '=' must be letters, digits, '_', '-' or '.', as in secret_id = ...".to_owned(),
            ));
        }
        let key = key.to_ascii_lowercase();
        let value = unquote(trimmed[at + 1..].trim()).to_owned();
        let Some(section) = sections.last_mut() else {
            return Err(err(format!(
                "{key} is outside any section: put a [default] (or another profile) line above it"
            )));
        };
        if let Some(first) = section.get(&key) {
            return Err(err(format!(
                "{key} is set a second time in [{}] (first at line {}): keep one",
                section.name, first.line
            )));
        }
        section.entries.push(Entry { key, value, line });
    }
    Ok(Ini { sections })
}

/// Removes one pair of matching quotes, which other INI readers strip and no key or token contains.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_keys_comments_quotes() {
        let text = "\u{feff}# header comment\r\n; another\r\n\r\n[default]\r\n  secret_id = AKIDone  \r\nSECRET_KEY:\"k=1\"\r\n\
                    [prod] # trailing comment\nsecret_id='AKIDtwo'\nempty =\n";
        let ini = parse(text).unwrap();
        let names: Vec<&str> = ini.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["default", "prod"]);
        let default = ini.section("default").unwrap();
        assert_eq!(default.line, 4);
        assert_eq!(default.get("secret_id").unwrap().value, "AKIDone");
        assert_eq!(default.get("secret_id").unwrap().line, 5);
        assert_eq!(default.get("secret_key").unwrap().value, "k=1");
        let prod = ini.section("prod").unwrap();
        assert_eq!(prod.get("secret_id").unwrap().value, "AKIDtwo");
        assert_eq!(prod.get("empty").unwrap().value, "");
        assert!(ini.section("Default").is_none(), "section names are case-sensitive");
    }

    #[test]
    fn errors_name_the_line_and_never_repeat_it() {
        for (text, line, needle) in [
            ("secret_id = AKIDx\n", 1, "outside any section"),
            ("[default]\nsecret_key topsecretvalue\n", 2, "expected a [section]"),
            ("[default\n", 1, "must end with ']'"),
            ("[]\n", 1, "section name"),
            ("[default] x\n", 1, "only a comment"),
            ("[default]\n= topsecretvalue\n", 2, "the key before '='"),
            ("[default]\nsecret id = topsecretvalue\n", 2, "the key before '='"),
            ("[default]\na=1\n[default]\n", 3, "second time (first at line 1)"),
            (
                "[default]\nsecret_key=topsecretvalue\nSecret_Key=topsecretvalue\n",
                3,
                "first at line 2",
            ),
        ] {
            let err = parse(text)
                .err()
                .unwrap_or_else(|| panic!("{text:?} should be refused"));
            assert_eq!(err.line, line, "{text:?}: {err}");
            assert!(err.to_string().contains(needle), "{text:?}: {err}");
            assert!(!err.to_string().contains("topsecretvalue"), "{err}");
        }
    }
}
