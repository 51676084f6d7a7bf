//! What a journal records: an event a record, with when it happened (UTC
//! wall-clock time, and the monotonic clock, whose differences stay
//! durations when the wall clock jumps) and who did it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// One record of a journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// UTC, RFC 3339.
    pub time: String,
    /// The monotonic clock (`CLOCK_MONOTONIC`), in milliseconds: within one
    /// boot, the difference of two records' is the time between them.
    pub monotonic_ms: u64,
    /// Who: the login name.
    pub user: String,
    /// What happened.
    #[serde(flatten)]
    pub event: Event,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// The incident was opened.
    Opened { title: String },
    /// The incident was closed.
    Closed,
    /// A point of the incident's course was reached; `at` is when it really
    /// was (RFC 3339), when it is set afterwards.
    Milestone {
        milestone: Milestone,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<String>,
    },
    /// Free text; one that starts `TODO:` is an action item.
    Note { text: String },
    /// A catalog entry was opened, found by `query`.
    EntryOpened {
        entry: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        query: Option<String>,
    },
    /// A step's final command was copied.
    StepCopied { entry: String, step: u32, command: String },
    /// A line cut short by a crash was sealed (see `file`).
    Repaired { line: u64, message: String },
}

/// The points of an incident's course the postmortem measures between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    Detected,
    Acknowledged,
    Diagnosed,
    Mitigated,
    Resolved,
}

impl Record {
    /// `event`, happening now, by `user`.
    #[must_use]
    pub fn now(event: Event, user: &str) -> Record {
        let time = OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
        let monotonic = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
        let monotonic_ms = u64::try_from(monotonic.tv_sec).unwrap_or(0) * 1000
            + u64::try_from(monotonic.tv_nsec).unwrap_or(0) / 1_000_000;
        Record { time, monotonic_ms, user: user.to_owned(), event }
    }

    /// The record as the fields of a journal line (see `file::Journal::append`).
    #[must_use]
    pub fn to_fields(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(fields)) => fields,
            _ => Map::new(),
        }
    }

    /// A record from a journal line's fields.
    ///
    /// # Errors
    /// The fields are not a record of this format.
    pub fn from_fields(fields: Map<String, Value>) -> Result<Record, serde_json::Error> {
        serde_json::from_value(Value::Object(fields))
    }
}

impl Event {
    /// The action item a `TODO:` note is.
    #[must_use]
    pub fn action_item(&self) -> Option<&str> {
        let Event::Note { text } = self else { return None };
        text.strip_prefix("TODO:").map(str::trim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::file::{Journal, read};

    #[test]
    fn records_go_through_a_journal_and_come_back_typed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let events = [
            Event::Opened { title: "Checkout 5xx".into() },
            Event::EntryOpened { entry: "coredns-down".into(), query: Some("no such host".into()) },
            Event::Milestone { milestone: Milestone::Mitigated, at: Some("2026-12-01T03:12:00Z".into()) },
            Event::Note { text: "TODO: alert on CoreDNS restarts".into() },
            Event::Closed,
        ];
        let mut journal = Journal::open(&path).unwrap();
        for event in &events {
            journal.append(Record::now(event.clone(), "alice").to_fields()).unwrap();
        }
        let read = read(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let records: Vec<Record> = read.records.into_iter().map(|(_, f)| Record::from_fields(f).unwrap()).collect();
        assert_eq!(records.iter().map(|r| r.event.clone()).collect::<Vec<_>>(), events);
        assert!(records.iter().all(|r| r.user == "alice" && r.time.ends_with('Z') && r.time.starts_with("20")));
        assert!(records.windows(2).all(|pair| pair[0].monotonic_ms <= pair[1].monotonic_ms));
        let items: Vec<&str> = records.iter().filter_map(|r| r.event.action_item()).collect();
        assert_eq!(items, ["alert on CoreDNS restarts"]);
        let line = std::fs::read_to_string(&path).unwrap().lines().nth(2).unwrap().to_owned();
        assert!(line.contains(r#""kind":"milestone""#) && line.contains(r#""milestone":"mitigated""#), "{line}");
    }

    #[test]
    fn a_repaired_record_is_stamped_like_the_record_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, "{\"v\":1,\"kind\":\"no").unwrap();
        let note = Record::now(Event::Note { text: "after the crash".into() }, "bob");
        Journal::open(&path).unwrap().append(note.to_fields()).unwrap();
        let read = read(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let records: Vec<Record> = read.records.into_iter().map(|(_, f)| Record::from_fields(f).unwrap()).collect();
        assert!(matches!(records[0].event, Event::Repaired { line: 1, .. }), "{:?}", records[0]);
        assert_eq!((&records[0].user, &records[0].time), (&note.user, &note.time));
        assert_eq!(records[1], note);
    }
}
