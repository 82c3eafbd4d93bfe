//! The batch report: one JSON line per room, appended as each answer arrives, and read back to resume.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::exit::Failure;

/// The code the service answers for a room that does not exist: the room is gone, as a dismissal wants.
pub(super) const ROOM_NOT_EXIST: &str = "FailedOperation.RoomNotExist";

/// What the report already says of a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Recorded {
    /// Dismissed (a RequestId), or reported gone (`FailedOperation.RoomNotExist`): never sent again.
    Done,
    /// An error other than RoomNotExist: tried again.
    Failed,
}

/// One line of the report, in the order of its fields.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(super) enum Line<'a> {
    Dismissed {
        #[serde(rename = "RoomId")]
        room_id: u64,
        #[serde(rename = "RequestId")]
        request_id: &'a str,
    },
    Failed {
        #[serde(rename = "RoomId")]
        room_id: u64,
        #[serde(rename = "Error")]
        error: ErrorBody<'a>,
    },
}

#[derive(Debug, Serialize)]
pub(super) struct ErrorBody<'a> {
    #[serde(rename = "Code")]
    pub code: &'a str,
    #[serde(rename = "Message")]
    pub message: &'a str,
}

/// The report file, open for appending.
#[derive(Debug)]
pub(super) struct Report {
    path: PathBuf,
    file: File,
}

/// What an existing report holds: the last word on each room, and lines that could not be read.
#[derive(Debug, Default)]
pub(super) struct Previous {
    pub rooms: HashMap<u64, Recorded>,
    /// (line number, why it was not understood); such lines are left alone and their rooms tried again.
    pub unreadable: Vec<(usize, String)>,
}

impl Report {
    /// Opens (or creates) the report and reads what an earlier run wrote into it.
    pub(super) fn open(path: &Path) -> Result<(Report, Previous), Failure> {
        if path == Path::new("-") {
            return Err(Failure::bad_input(
                "--report must be a file (it is appended to and read back to resume): give a path such as report.jsonl",
            ));
        }
        let shown = path.display();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| Failure::bad_input(format!("--report {shown}: cannot open it for appending: {e}")))?;
        let mut text = Vec::new();
        file.read_to_end(&mut text)
            .map_err(|e| Failure::bad_input(format!("--report {shown}: cannot read it: {e}")))?;
        let previous = parse(&String::from_utf8_lossy(&text));
        // A run killed in the middle of a write may leave a last line without its end; start on a new line
        // so the next result is not glued to it.
        if text.last().is_some_and(|&b| b != b'\n') {
            file.write_all(b"\n")
                .map_err(|e| Failure::internal(format!("--report {shown}: cannot append to it: {e}")))?;
        }
        Ok((
            Report {
                path: path.to_path_buf(),
                file,
            },
            previous,
        ))
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line with a single write, so a line is either whole in the file or absent after a kill.
    pub(super) fn append(&mut self, line: &Line<'_>) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec(line).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        self.file.write_all(&bytes)?;
        self.file.flush()
    }
}

/// Reads report lines. A room once shown done stays done (it is never sent again); otherwise the last line
/// about it decides.
pub(super) fn parse(text: &str) -> Previous {
    let mut previous = Previous::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match read_line(line) {
            Ok((room, recorded)) => {
                let entry = previous.rooms.entry(room).or_insert(recorded);
                if *entry != Recorded::Done {
                    *entry = recorded;
                }
            }
            Err(why) => previous.unreadable.push((index + 1, why)),
        }
    }
    previous
}

fn read_line(line: &str) -> Result<(u64, Recorded), String> {
    let value: Value = serde_json::from_str(line).map_err(|_| "not a JSON object".to_owned())?;
    let room = value
        .get("RoomId")
        .and_then(Value::as_u64)
        .ok_or_else(|| "no numeric RoomId".to_owned())?;
    if value.get("RequestId").and_then(Value::as_str).is_some() {
        return Ok((room, Recorded::Done));
    }
    match value.pointer("/Error/Code").and_then(Value::as_str) {
        Some(ROOM_NOT_EXIST) => Ok((room, Recorded::Done)),
        Some(_) => Ok((room, Recorded::Failed)),
        None => Err("neither a RequestId nor an Error.Code".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_the_documented_field_order() {
        let ok = serde_json::to_string(&Line::Dismissed {
            room_id: 7,
            request_id: "r-1",
        })
        .unwrap();
        assert_eq!(ok, r#"{"RoomId":7,"RequestId":"r-1"}"#);
        let failed = serde_json::to_string(&Line::Failed {
            room_id: 8,
            error: ErrorBody {
                code: "InternalError",
                message: "say \"hi\"",
            },
        })
        .unwrap();
        assert_eq!(
            failed,
            r#"{"RoomId":8,"Error":{"Code":"InternalError","Message":"say \"hi\""}}"#
        );
    }

    #[test]
    fn done_is_final_and_otherwise_the_last_line_decides() {
        let previous = parse(concat!(
            "{\"RoomId\":1,\"RequestId\":\"a\"}\n",
            "{\"RoomId\":2,\"Error\":{\"Code\":\"InternalError\",\"Message\":\"m\"}}\n",
            "{\"RoomId\":3,\"Error\":{\"Code\":\"FailedOperation.RoomNotExist\",\"Message\":\"m\"}}\n",
            "\n",
            "{\"RoomId\":2,\"RequestId\":\"b\"}\n",
            "{\"RoomId\":4,\"Error\":{\"Code\":\"ClientError.Timeout\",\"Message\":\"m\"}}\n",
            "{\"RoomId\":1,\"Error\":{\"Code\":\"InternalError\",\"Message\":\"m\"}}\n",
            "{\"RoomId\":5,\"Req",
        ));
        assert_eq!(previous.rooms[&1], Recorded::Done);
        assert_eq!(previous.rooms[&2], Recorded::Done);
        assert_eq!(previous.rooms[&3], Recorded::Done);
        assert_eq!(previous.rooms[&4], Recorded::Failed);
        assert!(!previous.rooms.contains_key(&5));
        assert_eq!(previous.unreadable, vec![(8, "not a JSON object".to_owned())]);
    }
}
