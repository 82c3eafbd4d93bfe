//! The list of rooms a batch dismisses: one numeric room id per line, from a file or stdin.

use std::collections::HashSet;
use std::io::{IsTerminal, Read};
use std::path::Path;

use trtc::{Action, DismissRoomRequest};

use crate::exit::Failure;

/// How many bad lines the error names before it only counts the rest.
const BAD_LINES_SHOWN: usize = 5;

/// The rooms of a batch, in file order, each once.
#[derive(Debug)]
pub(super) struct RoomIds {
    pub ids: Vec<u64>,
    /// Lines that repeat a room already listed: (line number, room, line of its first appearance).
    pub repeats: Vec<(usize, u64, usize)>,
}

/// Reads `path` (`-` for stdin) and parses it; any bad line refuses the whole batch, naming every such line,
/// so that a typo never silently leaves a room out.
pub(super) fn read(path: &Path, sdk_app_id: u64) -> Result<RoomIds, Failure> {
    let shown = if path == Path::new("-") {
        "- (stdin)".to_owned()
    } else {
        path.display().to_string()
    };
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        if std::io::stdin().is_terminal() {
            eprintln!("reading room ids from the terminal, one per line; end with Ctrl-D");
        }
        std::io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    read.map_err(|e| Failure::bad_input(format!("--room-ids-file {shown}: cannot read it: {e}")))?;
    let text = String::from_utf8_lossy(&bytes);
    parse(&text, sdk_app_id).map_err(|problem| Failure::bad_input(format!("--room-ids-file {shown}: {problem}")))
}

/// Parses the text of an id list; the error names each bad line and the fix.
pub(super) fn parse(text: &str, sdk_app_id: u64) -> Result<RoomIds, String> {
    let mut ids = Vec::new();
    let mut first_line = std::collections::HashMap::new();
    let mut seen = HashSet::new();
    let mut repeats = Vec::new();
    let mut bad = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        let line = line.split_once('#').map_or(line, |(before, _)| before).trim();
        if line.is_empty() {
            continue;
        }
        match room_id(line, sdk_app_id) {
            Ok(id) if seen.insert(id) => {
                first_line.insert(id, number);
                ids.push(id);
            }
            Ok(id) => repeats.push((number, id, first_line[&id])),
            Err(problem) => bad.push(format!("line {number}: {problem}")),
        }
    }
    if !bad.is_empty() {
        let count = bad.len();
        let mut listed: Vec<String> = bad.into_iter().take(BAD_LINES_SHOWN).collect();
        if count > BAD_LINES_SHOWN {
            listed.push(format!("and {} more", count - BAD_LINES_SHOWN));
        }
        let lines = if count == 1 { "1 bad line" } else { "bad lines" };
        return Err(format!(
            "{lines} ({}); nothing was sent: fix or delete them (or comment them out with #), one room id per line",
            listed.join("; ")
        ));
    }
    if ids.is_empty() {
        return Err("holds no room id: write one numeric room id per line (# starts a comment)".to_owned());
    }
    Ok(RoomIds { ids, repeats })
}

fn room_id(text: &str, sdk_app_id: u64) -> Result<u64, String> {
    if text.split_whitespace().nth(1).is_some() {
        return Err(format!("{text:?} holds more than one value: one room id per line"));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{text:?} is not a numeric room id: digits only (string room ids: use dismiss-room-by-str-room-id)"
        ));
    }
    let id = text
        .parse::<u64>()
        .map_err(|_| format!("{text:?} is too large for a room id (at most {})", u64::MAX))?;
    DismissRoomRequest::new(sdk_app_id, id)
        .validate()
        .map_err(|e| format!("{text:?}: {e}"))?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_crlf_bom_and_repeats() {
        let ids = parse("\u{feff}# rooms to close\r\n12\r\n\r\n  34  # class 2\n12\n56", 1).unwrap();
        assert_eq!(ids.ids, vec![12, 34, 56]);
        assert_eq!(ids.repeats, vec![(5, 12, 2)]);
    }

    #[test]
    fn every_bad_line_is_named() {
        let err = parse("1\nabc\n0\n2 3\n-4\n99999999999999999999999\n+5\n7\n", 1).unwrap_err();
        for needle in [
            "line 2:",
            "line 3:",
            "line 4:",
            "line 5:",
            "line 6:",
            "and 1 more",
            "nothing was sent",
        ] {
            assert!(err.contains(needle), "{needle}: {err}");
        }
        assert!(!err.contains("line 8"), "{err}");
    }

    #[test]
    fn an_empty_list_is_refused() {
        assert!(parse("# nothing\n\n", 1).unwrap_err().contains("no room id"));
    }
}
