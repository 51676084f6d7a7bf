//! The journal under a crash and under two writers, in real processes: this
//! test binary runs itself again as a writer that appends notes as fast as
//! it can and says "acked N" once record N is on disk; the test kills it
//! with SIGKILL in the middle of the burst, or lets two write at once.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use pagerbook::journal::file::{Journal, read};
use pagerbook::journal::record::{Event, Record};

/// Set for the writer: the journal to append to, and the writer's name.
const JOURNAL: &str = "PAGERBOOK_TEST_JOURNAL";
const WRITER: &str = "PAGERBOOK_TEST_WRITER";
/// How many notes a writer appends (the crash comes long before).
const NOTES: usize = 400;

/// The writer, when run as one (otherwise it does nothing): appends
/// `NOTES` notes, acknowledging each once `append` has returned.
#[test]
fn writer() {
    let (Some(path), Some(name)) = (std::env::var_os(JOURNAL), std::env::var(WRITER).ok()) else { return };
    let mut out = std::io::stdout().lock();
    for n in 0..NOTES {
        let mut journal = Journal::open(Path::new(&path)).unwrap();
        journal.append(Record::now(Event::Note { text: format!("{name} {n}") }, &name).to_fields()).unwrap();
        writeln!(out, "acked {n}").unwrap();
        out.flush().unwrap();
    }
}

fn spawn_writer(path: &Path, name: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "writer", "--nocapture", "--test-threads=1"])
        .env(JOURNAL, path)
        .env(WRITER, name)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The notes in the journal at `path`, in order.
fn notes(path: &Path) -> (Vec<Event>, Vec<String>) {
    let read = read(&std::fs::read_to_string(path).unwrap()).unwrap();
    let events = read.records.into_iter().map(|(_, fields)| Record::from_fields(fields).unwrap().event).collect();
    (events, read.warnings)
}

#[test]
fn a_writer_killed_mid_burst_loses_no_acknowledged_record_and_the_next_append_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("incident.jsonl");
    let mut child = spawn_writer(&path, "alice");
    let mut acked = None;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        // The test harness writes its own words around the writer's.
        let line = line.unwrap();
        let Some(at) = line.find("acked ") else { continue };
        let n: usize = line[at + "acked ".len()..].trim().parse().unwrap();
        acked = Some(n);
        if n == NOTES / 4 {
            // SIGKILL: no destructor, no flush, maybe mid-write.
            child.kill().unwrap();
            break;
        }
    }
    child.wait().unwrap();
    let acked = acked.unwrap();
    // Every acknowledged note is there, in order; what came after may be.
    let (events, _) = notes(&path);
    let texts: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Note { text } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(texts.len() > acked, "{} records, {acked} acknowledged", texts.len());
    for (n, text) in texts.iter().enumerate().take(acked + 1) {
        assert_eq!(*text, format!("alice {n}"));
    }
    // Whatever the kill left (a torn line or none), the next record reads
    // back after it, and a torn line is sealed and said so.
    let torn = !std::fs::read(&path).unwrap().ends_with(b"\n");
    let after = Record::now(Event::Note { text: "after the crash".into() }, "bob");
    Journal::open(&path).unwrap().append(after.to_fields()).unwrap();
    let (events, warnings) = notes(&path);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(events.last(), Some(&after.event));
    let repaired = events.iter().any(|e| matches!(e, Event::Repaired { .. }));
    assert_eq!(repaired, torn, "a repaired record exactly when the kill tore a line");
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("incident.jsonl");
    let writers = [spawn_writer(&path, "alice"), spawn_writer(&path, "bob")];
    for writer in writers {
        assert!(writer.wait_with_output().unwrap().status.success());
    }
    let (events, warnings) = notes(&path);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(events.len(), 2 * NOTES);
    for name in ["alice", "bob"] {
        let theirs: Vec<&Event> =
            events.iter().filter(|e| matches!(e, Event::Note { text } if text.starts_with(name))).collect();
        let expected: Vec<Event> = (0..NOTES).map(|n| Event::Note { text: format!("{name} {n}") }).collect();
        assert_eq!(theirs, expected.iter().collect::<Vec<_>>(), "each writer's records, all, in its order");
    }
}
