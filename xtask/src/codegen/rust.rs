//! Writing Rust: identifiers from the spec's names, rustdoc from its HTML and Markdown, rustfmt over the result.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// `SdkAppId` -> `sdk_app_id`, `IMAdminUserId` -> `im_admin_user_id`, `TTSConfig` -> `tts_config`; a Rust
/// keyword gets the raw-identifier prefix.
pub(super) fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                Some(_) => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.insert_str(0, "r#");
    }
    out
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "yield", "try", "gen",
];

/// `TextToSpeechSSE` -> `TextToSpeechSse`: a type name as clippy's upper-case-acronyms rule wants it is not needed
/// (the spec's names are kept), so this only makes names that are not valid identifiers valid.
pub(super) fn type_name(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// The spec's documentation (HTML in the mainland edition, Markdown with HTML bits in the international one) as
/// rustdoc lines: paragraphs and list items on their own lines, links kept, everything else that rustdoc would
/// read as markup, HTML or code escaped.
pub(super) fn doc_lines(text: &str) -> Vec<String> {
    let text = html_to_text(text);
    let mut lines = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            if lines.last().is_some_and(|l: &String| !l.is_empty()) {
                lines.push(String::new());
            }
            continue;
        }
        // Every line its own paragraph unless it continues a list: rustdoc would read a line after a list item
        // as part of the item.
        let item = line.starts_with("- ");
        let after_item =
            lines.len() >= 2 && lines[lines.len() - 1].is_empty() && lines[lines.len() - 2].starts_with("- ");
        if item && after_item {
            lines.pop();
        }
        if let Some(last) = lines.last() {
            let continues_list = item && last.starts_with("- ");
            if !last.is_empty() && !continues_list {
                lines.push(String::new());
            }
        }
        lines.push(escape_markdown(line));
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// The first paragraph of [`doc_lines`] as one line, for summaries.
pub(super) fn doc_summary(text: &str) -> String {
    let plain = plain_text(text);
    let first = plain.split("\n\n").next().unwrap_or_default();
    first.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The documentation as plain text: HTML turned into lines, entities decoded, nothing escaped.
pub(super) fn plain_text(text: &str) -> String {
    let text = html_to_text(text);
    let mut out = String::new();
    let mut blank = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    out
}

fn html_to_text(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    let mut link: Option<String> = None;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = &after[1..end];
        let is_tag = tag
            .trim_start_matches('/')
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
        if !is_tag {
            out.push('<');
            rest = &after[1..];
            continue;
        }
        let lower = tag.to_ascii_lowercase();
        let name: String = lower
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !HTML_TAGS.contains(&name.as_str()) {
            // `<UserId>` and the like: text in angle brackets, kept (and escaped later).
            out.push('<');
            rest = &after[1..];
            continue;
        }
        let closing = lower.starts_with('/');
        match name.as_str() {
            "p" | "div" | "br" | "ul" | "ol" | "table" | "tr" | "h1" | "h2" | "h3" | "h4" => out.push('\n'),
            "li" if !closing => out.push_str("\n- "),
            "li" => out.push('\n'),
            "td" | "th" => out.push(' '),
            "a" if !closing => {
                link = attr(tag, "href");
                out.push('\u{1}');
            }
            "a" => {
                if let Some(href) = link.take() {
                    out.push('\u{2}');
                    out.push_str(&href);
                    out.push('\u{3}');
                } else {
                    out.push('\u{4}');
                }
            }
            _ => {}
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    // An anchor: \u{1}text\u{2}href\u{3} -> [text](href); without a usable href the text alone.
    let mut linked = String::new();
    let mut chars = out.split('\u{1}');
    if let Some(first) = chars.next() {
        linked.push_str(first);
    }
    for piece in chars {
        if let Some((label, tail)) = piece.split_once('\u{2}') {
            if let Some((href, after)) = tail.split_once('\u{3}') {
                let href = decode_entities(href.trim());
                if href.starts_with("http://") || href.starts_with("https://") {
                    linked.push_str(&format!("\u{5}{}\u{6}{href}\u{7}", label.trim()));
                } else {
                    linked.push_str(label);
                }
                linked.push_str(after);
                continue;
            }
        }
        linked.push_str(&piece.replace('\u{4}', ""));
    }
    decode_entities(&linked.replace('\u{4}', ""))
}

/// The tags the spec's documentation uses as HTML; anything else in angle brackets is text.
const HTML_TAGS: &[&str] = &[
    "a", "b", "br", "code", "div", "em", "font", "h1", "h2", "h3", "h4", "i", "img", "li", "ol", "p", "pre", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
];

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))?;
    let value = &tag[at + name.len() + 1..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let inner = &value[1..];
        Some(inner[..inner.find(quote)?].to_owned())
    } else {
        Some(value.split_whitespace().next()?.to_owned())
    }
}

fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// One line of text made safe for rustdoc: Markdown links `[text](https://...)` and HTML anchors (marked by
/// [`html_to_text`]) become links, bare URLs autolinks, and every other character rustdoc reads as markup
/// (brackets, angle brackets, emphasis, code, headings) is escaped.
fn escape_markdown(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    // A leading list marker stays a list marker.
    if let Some(item) = rest.strip_prefix("- ") {
        out.push_str("- ");
        rest = item;
    }
    let mut at_start = true;
    while !rest.is_empty() {
        // Anchors marked by html_to_text.
        if let Some(tail) = rest.strip_prefix('\u{5}') {
            if let Some((label, after)) = tail.split_once('\u{6}') {
                if let Some((href, after)) = after.split_once('\u{7}') {
                    out.push_str(&format!(
                        "[{}]({})",
                        escape_plain(label),
                        href.replace(')', "%29").replace(' ', "%20")
                    ));
                    rest = after;
                    at_start = false;
                    continue;
                }
            }
        }
        // Markdown links.
        if rest.starts_with('[') {
            if let Some(close) = rest.find("](") {
                let label = &rest[1..close];
                let after = &rest[close + 2..];
                if !label.contains('[') && (after.starts_with("http://") || after.starts_with("https://")) {
                    if let Some(end) = after.find(')') {
                        let href = &after[..end];
                        if !href.contains(char::is_whitespace) {
                            out.push_str(&format!("[{}]({href})", escape_plain(label)));
                            rest = &after[end + 1..];
                            at_start = false;
                            continue;
                        }
                    }
                }
            }
        }
        // Bare URLs.
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| {
                    c.is_whitespace()
                        || matches!(c, '<' | '>' | '"' | '）' | '，' | '。' | '、' | ')' | ']' | '(' | '[')
                })
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            at_start = false;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        let numbered_list = at_start && c.is_ascii_digit();
        if at_start && matches!(c, '#' | '>' | '+' | '=' | '-' | '|') {
            out.push('\\');
        }
        if !numbered_list {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
        at_start = false;
        rest = &rest[len..];
    }
    out
}

fn escape_plain(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '[' | ']' | '<' | '>' | '*' | '\\' | '_' | '~' | '|' => {
            out.push('\\');
            out.push(c);
        }
        '\u{1}'..='\u{7}' => {}
        c if c.is_control() => out.push(' '),
        c => out.push(c),
    }
}

/// Formats Rust source with the repository's rustfmt settings.
pub(super) fn rustfmt(root: &Path, source: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--quiet", "--config-path"])
        .arg(root.join("rustfmt.toml"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt (rustup component add rustfmt): {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt has no stdin")?;
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "the rustfmt writer panicked".to_owned())?
        .map_err(|e| format!("cannot write to rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt refused the generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt wrote invalid UTF-8: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_snake_case() {
        assert_eq!(snake("SdkAppId"), "sdk_app_id");
        assert_eq!(snake("IMAdminUserId"), "im_admin_user_id");
        assert_eq!(snake("TTSConfig"), "tts_config");
        assert_eq!(snake("EnableStreamSEI"), "enable_stream_sei");
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("UserIds"), "user_ids");
        assert_eq!(snake("Is4K"), "is4_k");
    }

    #[test]
    fn html_becomes_escaped_lines_with_links() {
        let lines = doc_lines(
            "<p>房间号</p><p>枚举值：</p><ul><li>0： 数字</li><li>1： <a href=\"https://cloud.tencent.com/x\">字符串</a></li></ul>[a] *b* <c>",
        );
        assert_eq!(
            lines,
            vec![
                "房间号".to_owned(),
                String::new(),
                "枚举值：".to_owned(),
                String::new(),
                "- 0： 数字".to_owned(),
                "- 1： [字符串](https://cloud.tencent.com/x)".to_owned(),
                String::new(),
                "\\[a\\] \\*b\\* \\<c\\>".to_owned(),
            ]
        );
        assert_eq!(
            doc_lines("The [SDKAppID](https://intl.cloud.tencent.com/document/product/647/37714) of https://a.b/c."),
            vec!["The [SDKAppID](https://intl.cloud.tencent.com/document/product/647/37714) of <https://a.b/c>."]
        );
    }
}
