//! What a journal records: an event a record, with when it happened (UTC
//! wall-clock time, and the monotonic clock, whose differences stay
//! durations when the wall clock jumps) and who did it.

use serde::{Deserialize, Serialize};

use crate::verify::{CheckKind, Verdict};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// One record of a journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// UTC, RFC 3339.
    pub time: String,
    /// The clock since boot (`CLOCK_BOOTTIME`: it runs on while a laptop
    /// sleeps, and no one sets it), in milliseconds: within one boot, the
    /// difference of two records' is the time between them.
    pub monotonic_ms: u64,
    /// Which boot of which machine `monotonic_ms` counts from (the start of
    /// the kernel's boot id).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub boot: String,
    /// Who: the login name.
    pub user: String,
    /// What happened.
    #[serde(flatten)]
    pub event: Event,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// The incident was opened.
    Opened {
        title: String,
        /// `drill` for a walkthrough drill's journal, which is never a real
        /// incident's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mode: Option<Mode>,
        /// The drill's scenario.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        drill: Option<String>,
    },
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
    /// A step's final command was copied (`step` counts from 1, as the
    /// detail numbers them; secrets redacted).
    StepCopied { entry: String, step: u32, command: String },
    /// A step's command was confirmed and started.
    StepRun(Box<StepRun>),
    /// A run ended.
    StepResult(Box<StepResult>),
    /// A step's check came out: its precheck before a run, its verify after.
    StepChecked(Box<StepChecked>),
    /// A line cut short by a crash was sealed (see `file`).
    Repaired { line: u64, message: String },
    /// A drill's game master released something to the responder:
    /// `number` counts from 1 among the scenario's items of its sort.
    Released { item: Release, number: u32, label: String, text: String },
    /// A drill's step was confirmed: nothing ran.
    WouldRun(Box<StepRun>),
}

/// What kind of journal: only a drill's says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Drill,
}

/// What a drill's game master releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Release {
    /// What the responder sees where they look.
    Reveal,
    /// A curveball.
    Inject,
    /// The next rung of the hint ladder.
    Hint,
}

impl Release {
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Release::Reveal => "reveal",
            Release::Inject => "inject",
            Release::Hint => "hint",
        }
    }
}

/// A run as it was confirmed: what the person saw before it started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRun {
    pub entry: String,
    /// Counted from 1.
    pub step: u32,
    /// Names the run, for its result: unique in the journal.
    pub run: String,
    /// The exact command, a secret's value shown as `<redacted:NAME>`.
    pub command: String,
    /// The placeholders' values and where each came from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<UsedValue>,
    /// The working directory.
    pub cwd: String,
    /// `bash` or `sh`.
    pub shell: String,
    /// `safe`, `caution` or `destructive`, as the confirmation said.
    pub danger: String,
    /// Where it acts, as the confirmation showed it (kube context, ssh
    /// hosts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acts_on: Vec<String>,
}

/// One placeholder's value in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedValue {
    pub name: String,
    /// `<redacted:NAME>` for a secret.
    pub value: String,
    /// `typed`, `default`, `remembered`.
    pub from: String,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepResult {
    pub entry: String,
    pub step: u32,
    /// The run's name in its [`StepRun`].
    pub run: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
    /// Why it could not start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub duration_ms: u64,
    /// Lines of output.
    pub lines: u64,
    /// The last lines, escape sequences stripped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tail: Vec<String>,
    /// SHA-256 of the whole output as its file holds it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    /// The file that holds the whole output, beside the journal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

impl StepResult {
    /// It exited 0.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        self.exit == Some(0)
    }

    /// `exit 0`, `exit 2`, `killed by signal 9`, `could not start`.
    #[must_use]
    pub fn status(&self) -> String {
        match (self.exit, self.signal, &self.error) {
            (_, _, Some(_)) => "could not start".to_owned(),
            (Some(code), ..) => format!("exit {code}"),
            (None, Some(signal), _) => format!("killed by signal {signal}"),
            (None, None, None) => "ended".to_owned(),
        }
    }
}

/// A check's verdict, as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepChecked {
    pub entry: String,
    pub step: u32,
    /// `precheck` or `verify`.
    pub check: CheckKind,
    /// The run it checked, for a verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// The check's command as it ran, secrets redacted.
    pub command: String,
    pub verdict: Verdict,
    pub attempts: u32,
    pub duration_ms: u64,
    /// What the check says of it.
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tail: Vec<String>,
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

/// This boot's id, shortened: two records' clocks since boot compare only
/// when it is the same.
static BOOT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap_or_default();
    id.trim().chars().take(8).collect()
});

impl Record {
    /// Whether the clocks since boot of `self` and `other` count from the
    /// same boot, so their difference is the time between them.
    #[must_use]
    pub fn same_boot(&self, other: &Record) -> bool {
        !self.boot.is_empty() && self.boot == other.boot && other.monotonic_ms >= self.monotonic_ms
    }

    /// `event`, happening now, by `user`.
    #[must_use]
    pub fn now(event: Event, user: &str) -> Record {
        let time = OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
        let since_boot = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
        let monotonic_ms = u64::try_from(since_boot.tv_sec).unwrap_or(0) * 1000
            + u64::try_from(since_boot.tv_nsec).unwrap_or(0) / 1_000_000;
        Record { time, monotonic_ms, boot: BOOT.clone(), user: user.to_owned(), event }
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

impl Milestone {
    /// Every milestone, in the order an incident reaches them.
    pub const ALL: [Milestone; 5] =
        [Milestone::Detected, Milestone::Acknowledged, Milestone::Diagnosed, Milestone::Mitigated, Milestone::Resolved];

    /// The word the journal writes.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Milestone::Detected => "detected",
            Milestone::Acknowledged => "acknowledged",
            Milestone::Diagnosed => "diagnosed",
            Milestone::Mitigated => "mitigated",
            Milestone::Resolved => "resolved",
        }
    }
}

impl Event {
    /// The event in words, for `incident show`, the navigator's incident
    /// panel and the export's timeline.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Event::Opened { title, mode: Some(Mode::Drill), .. } => format!("drill opened: {title}"),
            Event::Opened { title, .. } => format!("incident opened: {title}"),
            Event::Closed => "incident closed".to_owned(),
            Event::Milestone { milestone, at: Some(at) } => {
                format!("{} at {} (noted afterwards)", milestone.word(), hour_minute(at))
            }
            Event::Milestone { milestone, at: None } => milestone.word().to_owned(),
            Event::Note { text } => format!("note: {text}"),
            Event::EntryOpened { entry, query: Some(query) } => format!("opened {entry}, found by \"{query}\""),
            Event::EntryOpened { entry, query: None } => format!("opened {entry}"),
            Event::StepCopied { entry, step, command } => format!("copied step {step} of {entry}: {command}"),
            Event::StepRun(run) => format!("ran step {} of {}: {}", run.step, run.entry, run.command),
            Event::StepResult(result) => {
                format!(
                    "step {} of {}: {} after {}",
                    result.step,
                    result.entry,
                    result.status(),
                    duration(result.duration_ms)
                )
            }
            Event::StepChecked(checked) => format!(
                "{} of step {} of {}: {} {}: {}",
                checked.check.word(),
                checked.step,
                checked.entry,
                checked.verdict.mark(),
                checked.verdict.word(),
                checked.message
            ),
            Event::Repaired { line, message } => format!("repaired line {line}: {message}"),
            Event::Released { item: Release::Reveal, label, .. } => format!("released reveal {label}"),
            Event::Released { label, .. } => format!("released {label}"),
            Event::WouldRun(run) => format!("would run step {} of {}: {}", run.step, run.entry, run.command),
        }
    }

    /// The action item a `TODO:` note is.
    #[must_use]
    pub fn action_item(&self) -> Option<&str> {
        let Event::Note { text } = self else { return None };
        text.strip_prefix("TODO:").map(str::trim)
    }
}

/// `03:12` of an RFC 3339 time (UTC): how the screen says when.
#[must_use]
pub fn hour_minute(time: &str) -> &str {
    time.get(11..16).unwrap_or(time)
}

/// How far a step got in an incident: the last of its copies, runs and
/// results in `records`, in words (`✓ exit 0 at 03:12`), and whether it
/// went well (`None` while unknown: copied, or run with no result).
#[must_use]
pub fn step_progress(records: &[Record], entry: &str, step: u32) -> Option<(String, Option<bool>)> {
    let at = |record: &Record| format!("at {} UTC", hour_minute(&record.time));
    records.iter().rev().find_map(|record| match &record.event {
        Event::StepChecked(checked)
            if checked.check == CheckKind::Verify && checked.entry == entry && checked.step == step =>
        {
            let text = format!(
                "{} verify {} {}: {}",
                checked.verdict.mark(),
                checked.verdict.word(),
                at(record),
                checked.message
            );
            Some((text, Some(checked.verdict == Verdict::Passed)))
        }
        Event::StepResult(result) if result.entry == entry && result.step == step => {
            let mark = if result.succeeded() { '✓' } else { '✗' };
            Some((
                format!("{mark} {} {} · in the incident's journal", result.status(), at(record)),
                Some(result.succeeded()),
            ))
        }
        Event::StepRun(run) if run.entry == entry && run.step == step => {
            Some((format!("▶ run {}, no result recorded", at(record)), None))
        }
        Event::StepCopied { entry: copied, step: n, .. } if copied == entry && *n == step => {
            Some((format!("⧉ copied {} · in the incident's journal", at(record)), None))
        }
        _ => None,
    })
}

/// How far back a milestone may be set: a week.
const MAX_BACKFILL_MINUTES: i64 = 7 * 24 * 60;

/// When a milestone set afterwards really was, as typed: empty for now
/// (`None`), `HH:MM` in UTC (today, or yesterday when that time is still to
/// come), `15m ago` or `-15m` (also `h`), or an RFC 3339 time. The answer
/// is RFC 3339, in UTC.
///
/// # Errors
/// The text is none of these, or a time still to come.
pub fn backfilled(text: &str, now: OffsetDateTime) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let unreadable = || format!("`{text}` is not a time: type HH:MM (UTC), 15m ago, or leave it empty for now");
    let too_long_ago = || format!("{text} is more than a week ago: an incident's milestones are closer than that");
    let ago = text.strip_suffix("ago").map(str::trim_end).or_else(|| text.strip_prefix('-'));
    let at = if let Some(ago) = ago {
        let (number, unit) = ago.split_at(ago.find(|c: char| !c.is_ascii_digit()).unwrap_or(ago.len()));
        let number: i64 = number.parse().map_err(|_| unreadable())?;
        let per = match unit.trim() {
            "m" | "min" | "minutes" => 1,
            "h" | "hours" => 60,
            _ => return Err(unreadable()),
        };
        let minutes = number.checked_mul(per).filter(|m| *m <= MAX_BACKFILL_MINUTES).ok_or_else(too_long_ago)?;
        now - time::Duration::minutes(minutes)
    } else if let Some((hours, minutes)) = text.split_once(':').filter(|_| text.len() <= 5) {
        let hour = hours.parse().ok().filter(|h| *h < 24).ok_or_else(unreadable)?;
        let minute = minutes.parse().ok().filter(|m| *m < 60).ok_or_else(unreadable)?;
        let today = now.replace_time(time::Time::from_hms(hour, minute, 0).map_err(|_| unreadable())?);
        if today > now { today - time::Duration::days(1) } else { today }
    } else {
        OffsetDateTime::parse(text, &Rfc3339).map_err(|_| unreadable())?.to_offset(time::UtcOffset::UTC)
    };
    if at > now {
        return Err(format!("{text} is still to come"));
    }
    if now - at > time::Duration::minutes(MAX_BACKFILL_MINUTES) {
        return Err(too_long_ago());
    }
    at.format(&Rfc3339).map(Some).map_err(|err| err.to_string())
}

/// `850 ms`, `12.3 s`, `4 min 05 s`.
#[must_use]
pub fn duration(ms: u64) -> String {
    match ms {
        0..1000 => format!("{ms} ms"),
        1000..60_000 => format!("{}.{} s", ms / 1000, ms % 1000 / 100),
        _ => format!("{} min {:02} s", ms / 60_000, ms / 1000 % 60),
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
            Event::Opened { title: "Checkout 5xx".into(), mode: None, drill: None },
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
    fn a_milestone_can_be_set_afterwards_with_a_time_typed_as_people_say_it() {
        let now = OffsetDateTime::parse("2026-12-01T03:20:30Z", &Rfc3339).unwrap();
        let at = |text: &str| backfilled(text, now);
        assert_eq!(at(""), Ok(None));
        assert_eq!(at("03:12").unwrap().as_deref(), Some("2026-12-01T03:12:00Z"));
        assert_eq!(at("23:50").unwrap().as_deref(), Some("2026-11-30T23:50:00Z"));
        assert_eq!(at("15m ago").unwrap().as_deref(), Some("2026-12-01T03:05:30Z"));
        assert_eq!(at("-2h").unwrap().as_deref(), Some("2026-12-01T01:20:30Z"));
        assert_eq!(at("2026-12-01T04:10:00+01:00").unwrap().as_deref(), Some("2026-12-01T03:10:00Z"));
        for bad in [
            "25:00",
            "soon",
            "5 parsecs ago",
            "2026-12-01T03:30:00Z",
            "999999999999999999h ago",
            "99999999999999999m ago",
            "-9999999999999999999m",
            "2000-01-01T00:00:00Z",
        ] {
            assert!(at(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(850), "850 ms");
        assert_eq!(duration(12_340), "12.3 s");
        assert_eq!(duration(245_000), "4 min 05 s");
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
