//! The emulated service's tasks: recordings, mixes, relays, ingests, moderations, slices, transcriptions
//! and AI conversations that a start action began and a stop action, the end of their room or the admin API
//! ends. What each family of actions does with them is `actions/lifecycle.rs`; here is what is kept of a
//! task ([`Task`]), the task ids in the service's forms, and the snapshot the admin API shows
//! ([`TaskSnapshot`]).

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::error::Error;
use crate::room_id::RoomId;

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}

/// How a family's task ids look, as the examples show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdStyle {
    /// Base64 with `-` and `+`, padded with dots: `-m97l2ZU7r57nZBesMa84Kgz...qtQQAQ..` (recording, relay,
    /// ingest, web recording, moderation, slicing, transcription).
    Dotted,
    /// `v2_YYYYMMDD_` and 52 letters and digits: `v2_20250224_udqgoOzzpAFOoiXR...` (AI conversation).
    Dated,
}

/// Why describe, modify and stop answer an error for a task that is still listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TaskFailure {
    /// The code answered, e.g. `InternalError.CRInternalError`.
    pub code: String,
    /// The message answered with it.
    pub message: String,
}

/// A task as the emulator keeps it.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    /// The family's name (`recording`, `cdn_relay`, ...).
    pub(crate) family: &'static str,
    pub(crate) sdk_app_id: u64,
    /// The room it works in, for the families whose start names one.
    pub(crate) room: Option<RoomId>,
    /// The status as the service names it: one of `statuses`.
    pub(crate) status: &'static str,
    /// The family's documented statuses, the one a start sets first.
    pub(crate) statuses: &'static [&'static str],
    pub(crate) created_ms: u64,
    /// The value of the member the family deduplicates starts by (`RecordId`, `SessionId`), if sent.
    pub(crate) dedupe: Option<String>,
    /// How many modify or update calls changed it.
    pub(crate) updates: u64,
    /// The members its last start, modify or update set, at the top level.
    pub(crate) params: serde_json::Map<String, serde_json::Value>,
    /// Set through the admin API: the answer describe and modify give instead of success.
    pub(crate) failure: Option<TaskFailure>,
    /// Whether the task id is answered (an MCU mix is known by its room and has none in the API).
    pub(crate) id_answered: bool,
    /// An AI conversation's context, oldest first: (role, content), as `QueryAIMessageList` answers it.
    pub(crate) messages: Vec<(&'static str, String)>,
}

/// A task, as [`Emulator::tasks`](crate::Emulator::tasks) and `GET /_emulator/tasks` show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TaskSnapshot {
    /// The TaskId the start answered (for an MCU mix, which the API knows by its room, the emulator's own).
    pub task_id: String,
    /// The family: `recording`, `mcu_mix`, `cdn_relay`, `stream_ingest`, `web_record`, `cloud_moderation`,
    /// `cloud_slice`, `cloud_transcription`, `ai_conversation`, `ai_transcription`, `live_moderation`.
    pub family: &'static str,
    /// The application it belongs to.
    pub sdk_app_id: u64,
    /// Its room, for the families whose start names one.
    pub room: Option<RoomId>,
    /// The status describe answers, as the service names it (e.g. `InProgress`).
    pub status: &'static str,
    /// When it was started, in milliseconds since the Unix epoch.
    pub created_ms: u64,
    /// How many modify or update calls changed it.
    pub updates: u64,
    /// The top-level members its last start, modify or update set.
    pub params: serde_json::Map<String, serde_json::Value>,
    /// The failure set through the admin API, if any.
    pub failure: Option<TaskFailure>,
}

/// Every task, by TaskId.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tasks {
    by_id: HashMap<String, Task>,
    issued: u64,
}

impl Tasks {
    /// Keeps the task under a fresh id of the given style, and returns the id.
    pub(crate) fn insert(&mut self, style: IdStyle, task: Task) -> String {
        self.issued += 1;
        let id = new_id(style, self.issued, task.created_ms);
        self.by_id.insert(id.clone(), task);
        id
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Task> {
        self.by_id.get(id)
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Task> {
        self.by_id.get_mut(id)
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<Task> {
        self.by_id.remove(id)
    }

    fn task_mut(&mut self, id: &str) -> Result<&mut Task, Error> {
        self.by_id
            .get_mut(id)
            .ok_or_else(|| Error::NoSuchTask { task_id: id.to_owned() })
    }

    /// Moves the task to `status`, one its family documents; a failure set before is cleared.
    pub(crate) fn set_status(&mut self, id: &str, status: &str) -> Result<(), Error> {
        let task = self.task_mut(id)?;
        let Some(known) = task.statuses.iter().find(|s| **s == status) else {
            return Err(Error::config(
                "status",
                format!(
                    "{status:?} is not a status of a {} task: use one of {}",
                    task.family,
                    task.statuses.join(", ")
                ),
            ));
        };
        task.status = known;
        task.failure = None;
        Ok(())
    }

    /// Makes describe and modify of the task answer `code` with `message`, as a task that failed.
    pub(crate) fn fail(&mut self, id: &str, code: &str, message: Option<&str>) -> Result<(), Error> {
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') {
            return Err(Error::config(
                "code",
                format!("{code:?} is not an error code: use one like InternalError.CRInternalError"),
            ));
        }
        let task = self.task_mut(id)?;
        task.failure = Some(TaskFailure {
            code: code.to_owned(),
            message: message.unwrap_or("The task failed.").to_owned(),
        });
        Ok(())
    }

    /// Ends the task as the service ends one on its own (its room idle, its stream over).
    pub(crate) fn end(&mut self, id: &str) -> Result<(), Error> {
        self.by_id
            .remove(id)
            .map(drop)
            .ok_or_else(|| Error::NoSuchTask { task_id: id.to_owned() })
    }

    /// The tasks of `sdk_app_id` in `families`: (id, family, room), for telling which started or ended.
    pub(crate) fn of_app(&self, sdk_app_id: u64, families: &[&str]) -> Vec<(String, &'static str, Option<RoomId>)> {
        self.by_id
            .iter()
            .filter(|(_, task)| task.sdk_app_id == sdk_app_id && families.contains(&task.family))
            .map(|(id, task)| (id.clone(), task.family, task.room.clone()))
            .collect()
    }

    /// The first task that matches, with its id.
    pub(crate) fn find(&self, matches: impl Fn(&Task) -> bool) -> Option<(&str, &Task)> {
        self.by_id
            .iter()
            .find(|(_, task)| matches(task))
            .map(|(id, task)| (id.as_str(), task))
    }

    /// Ends every task working in the room, as the service ends them when the room ends.
    pub(crate) fn end_room(&mut self, sdk_app_id: u64, room: &RoomId) {
        self.by_id
            .retain(|_, task| !(task.sdk_app_id == sdk_app_id && task.room.as_ref() == Some(room)));
    }

    /// Every task, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<TaskSnapshot> {
        let mut tasks: Vec<_> = self
            .by_id
            .iter()
            .map(|(id, task)| TaskSnapshot {
                task_id: id.clone(),
                family: task.family,
                sdk_app_id: task.sdk_app_id,
                room: task.room.clone(),
                status: task.status,
                created_ms: task.created_ms,
                updates: task.updates,
                params: task.params.clone(),
                failure: task.failure.clone(),
            })
            .collect();
        tasks.sort_by(|a, b| (a.created_ms, &a.task_id).cmp(&(b.created_ms, &b.task_id)));
        tasks
    }
}

/// 64 unpredictable bits, different for each `n`.
pub(crate) fn random_u64(n: u64) -> u64 {
    // RandomState is seeded randomly per process, as the request ids are made.
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(n);
    hasher.finish()
}

/// A task id in the family's form. The issue count is in it, so two ids never collide.
fn new_id(style: IdStyle, issued: u64, now_ms: u64) -> String {
    match style {
        IdStyle::Dotted => {
            // 52 bytes, the last a 1, as the examples' ids are: 72 characters ending `AQ..`.
            // Random bytes first, so ids do not share a head; then the issue count, which keeps them apart.
            let mut bytes = Vec::with_capacity(52);
            for i in 0..5 {
                bytes.extend_from_slice(&random_u64(issued.wrapping_mul(8).wrapping_add(i)).to_be_bytes());
            }
            bytes.extend_from_slice(&issued.to_be_bytes());
            bytes.extend_from_slice(&[0x00, 0x00, 0x00, 0x01]);
            dotted_base64(&bytes)
        }
        IdStyle::Dated => {
            const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            let (year, month, day) = civil_date(now_ms / 86_400_000);
            let mut id = format!("v2_{year:04}{month:02}{day:02}_");
            // 41 random letters and digits, then the issue count in 11 base-62 digits (62^11 > 2^64), which
            // keeps ids apart: 52 in all.
            let mut tail = Vec::with_capacity(52);
            for n in 0..41 {
                let word = random_u64(issued.wrapping_mul(64).wrapping_add(n));
                tail.push(ALNUM[(word % 62) as usize]);
            }
            let mut count = issued;
            let mut digits = [b'A'; 11];
            for digit in digits.iter_mut().rev() {
                *digit = ALNUM[(count % 62) as usize];
                count /= 62;
            }
            tail.extend_from_slice(&digits);
            id.extend(tail.into_iter().map(char::from));
            id
        }
    }
}

/// Base64 over the alphabet the service's ids use (`-` for 62, `+` for 63), padded with `.`.
fn dotted_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-+";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift & 63) as usize]));
            } else {
                out.push('.');
            }
        }
    }
    out
}

/// The (year, month, day) of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_date(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_the_examples_and_never_repeat() {
        let mut seen = std::collections::HashSet::new();
        for n in 1..200 {
            let id = new_id(IdStyle::Dotted, n, 0);
            assert_eq!(id.len(), 72, "{id}");
            assert!(id.ends_with("AQ.."), "{id}");
            assert!(id
                .trim_end_matches('.')
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'+'));
            assert!(seen.insert(id));
            let dated = new_id(IdStyle::Dated, n, 1_740_355_200_000);
            assert!(dated.starts_with("v2_20250224_"), "{dated}");
            assert_eq!(dated.len(), "v2_20250224_".len() + 52);
            assert!(seen.insert(dated));
        }
    }

    #[test]
    fn base64_as_the_standard_alphabet_writes_it() {
        // RFC 4648's test vectors, with the service's two symbols and padding.
        for (input, want) in [
            ("", ""),
            ("f", "Zg.."),
            ("fo", "Zm8."),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(dotted_base64(input.as_bytes()), want);
        }
        assert_eq!(dotted_base64(&[0xfb, 0xff]), "-+8.");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(20_143), (2025, 2, 24));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
    }
}
