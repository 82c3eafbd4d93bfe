//! The journal: every API request the emulator received and what became of it, for tests to assert on.

use std::borrow::Cow;
use std::collections::VecDeque;

use serde::Serialize;

use crate::rooms::RoomId;

/// How many entries the journal keeps by default; the oldest go first, so a long-running emulator stays
/// small. [`EmulatorConfig::journal_capacity`](crate::EmulatorConfig::journal_capacity) changes it.
pub const JOURNAL_CAPACITY: usize = 10_000;

/// What became of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// Answered with a success envelope.
    Success,
    /// Answered with an error envelope carrying this code (including injected `InternalError`s).
    Error {
        /// The code, e.g. `FailedOperation.RoomNotExist`.
        code: String,
        /// The message sent with it.
        message: String,
    },
    /// An injected fault closed the connection without an answer.
    Dropped,
    /// An injected fault answered HTTP 502 with an HTML page.
    BadGateway,
}

/// One request in the journal. Fields the request did not carry (or carried malformed) are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct JournalEntry {
    /// Position in the emulator's life, from 1; it keeps counting across [`Emulator::clear_journal`](crate::Emulator::clear_journal).
    pub seq: u64,
    /// When the request arrived, in milliseconds since the Unix epoch.
    pub time_ms: u64,
    /// `POST` or `GET` (or whatever was sent).
    pub method: String,
    /// The `X-TC-Action` header.
    pub action: Option<String>,
    /// The SecretId of the `Authorization` header (never the key or the token).
    pub secret_id: Option<String>,
    /// The `SdkAppId` parameter.
    pub sdk_app_id: Option<u64>,
    /// The room parameter (`RoomId`, or `StrRoomId` for `SetUserBlockedByStrRoomId`).
    pub room: Option<RoomId>,
    /// The outcome.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The RequestId of the answer; `None` when no envelope was sent (dropped, 502).
    pub request_id: Option<String>,
    /// Latency injected before the answer, in milliseconds (0 for none).
    pub injected_latency_ms: u64,
}

impl JournalEntry {
    /// The error code, if the request was answered with one.
    pub fn code(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Error { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// A request as the journal keeps it until it is read: what is already at hand (the method, the name of
/// a served action) is kept as it is rather than copied into strings for every request.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub(crate) time_ms: u64,
    pub(crate) method: http::Method,
    pub(crate) action: Option<Cow<'static, str>>,
    pub(crate) secret_id: Option<String>,
    pub(crate) sdk_app_id: Option<u64>,
    pub(crate) room: Option<RoomId>,
    pub(crate) outcome: Outcome,
    pub(crate) request_id: Option<String>,
    pub(crate) injected_latency_ms: u64,
}

impl Record {
    fn entry(&self, seq: u64) -> JournalEntry {
        JournalEntry {
            seq,
            time_ms: self.time_ms,
            method: self.method.as_str().to_owned(),
            action: self.action.as_deref().map(str::to_owned),
            secret_id: self.secret_id.clone(),
            sdk_app_id: self.sdk_app_id,
            room: self.room.clone(),
            outcome: self.outcome.clone(),
            request_id: self.request_id.clone(),
            injected_latency_ms: self.injected_latency_ms,
        }
    }
}

/// The entries, oldest first, capped at a capacity ([`JOURNAL_CAPACITY`] by default).
#[derive(Debug)]
pub(crate) struct Journal {
    /// Each record with its sequence number.
    entries: VecDeque<(u64, Record)>,
    next_seq: u64,
    capacity: usize,
}

impl Default for Journal {
    fn default() -> Self {
        Journal::with_capacity(JOURNAL_CAPACITY)
    }
}

impl Journal {
    /// An empty journal keeping at most `capacity` entries (at least one).
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Journal {
            entries: VecDeque::new(),
            next_seq: 0,
            capacity: capacity.max(1),
        }
    }

    /// Records the request, numbering it.
    pub(crate) fn push(&mut self, record: Record) {
        self.next_seq += 1;
        if self.entries.len() >= self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back((self.next_seq, record));
    }

    pub(crate) fn entries(&self) -> Vec<JournalEntry> {
        self.entries.iter().map(|(seq, record)| record.entry(*seq)).collect()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Record {
        Record {
            time_ms: 1,
            method: http::Method::POST,
            action: Some("DismissRoom".into()),
            secret_id: None,
            sdk_app_id: Some(1400000001),
            room: Some(RoomId::Number(7)),
            outcome: Outcome::Error {
                code: "FailedOperation.RoomNotExist".into(),
                message: "m".into(),
            },
            request_id: Some("id".into()),
            injected_latency_ms: 0,
        }
    }

    #[test]
    fn numbered_and_capped() {
        let mut journal = Journal::default();
        for _ in 0..JOURNAL_CAPACITY + 2 {
            journal.push(entry());
        }
        let entries = journal.entries();
        assert_eq!(entries.len(), JOURNAL_CAPACITY);
        assert_eq!(entries[0].seq, 3);
        journal.clear();
        journal.push(entry());
        assert_eq!(journal.entries()[0].seq, JOURNAL_CAPACITY as u64 + 3);
    }

    #[test]
    fn capacity_is_configurable() {
        let mut journal = Journal::with_capacity(JOURNAL_CAPACITY * 3);
        for _ in 0..JOURNAL_CAPACITY * 3 {
            journal.push(entry());
        }
        assert_eq!(journal.entries().len(), JOURNAL_CAPACITY * 3);
        journal.push(entry());
        assert_eq!(journal.entries()[0].seq, 2);
        let mut tiny = Journal::with_capacity(0);
        tiny.push(entry());
        tiny.push(entry());
        assert_eq!(tiny.entries().len(), 1, "a capacity of 0 keeps the latest entry");
    }

    #[test]
    fn json_shape() {
        let entry = entry().entry(1);
        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(json["seq"], 1);
        assert_eq!(json["method"], "POST");
        assert_eq!(json["action"], "DismissRoom");
        assert_eq!(json["outcome"], "error");
        assert_eq!(json["code"], "FailedOperation.RoomNotExist");
        assert_eq!(json["room"], 7);
        assert_eq!(entry.code(), Some("FailedOperation.RoomNotExist"));
    }
}
