//! An incident's journals as the postmortem's first draft: a markdown page
//! in the shape the SRE book, `PagerDuty` and Atlassian templates share
//! (header, summary and impact to fill in, measurements, timeline, commands
//! run, action items, lessons), or the records as one JSON array. A second
//! responder's journal merges in: records interleave by time, each with
//! its author.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::record::{Event, Milestone, Mode, Record, StepChecked, StepResult, StepRun, duration};

/// A journal to export: where it is, its hash, what it holds.
pub struct Journal<'a> {
    pub path: String,
    pub sha256: String,
    pub records: &'a [Record],
}

/// A record with the journal it came from, placed in time.
struct Placed<'a> {
    record: &'a Record,
    /// Which journal (0 is the incident's own).
    journal: usize,
    /// When it happened: a backfilled milestone's `at`, else its time.
    at: OffsetDateTime,
}

/// The records of all `journals`, ordered by when they happened (a
/// milestone set afterwards stands where it was reached).
fn placed<'a>(journals: &'a [Journal<'a>]) -> Vec<Placed<'a>> {
    let mut all: Vec<Placed<'a>> = journals
        .iter()
        .enumerate()
        .flat_map(|(journal, j)| j.records.iter().map(move |record| (journal, record)))
        .filter_map(|(journal, record)| {
            let at = match &record.event {
                Event::Milestone { at: Some(at), .. } => at.as_str(),
                _ => record.time.as_str(),
            };
            Some(Placed { record, journal, at: OffsetDateTime::parse(at, &Rfc3339).ok()? })
        })
        .collect();
    // Stable: records at the same instant keep their journal's order.
    all.sort_by_key(|placed| placed.at);
    all
}

/// The records of `journals` as one JSON array, interleaved by time.
#[must_use]
pub fn json(journals: &[Journal<'_>]) -> String {
    let records: Vec<&Record> = placed(journals).into_iter().map(|placed| placed.record).collect();
    serde_json::to_string_pretty(&records).unwrap_or_default() + "\n"
}

/// The markdown postmortem of incident `id` from its `journals` (its own
/// first); `reviewed` gives a catalog entry's `last_reviewed`.
#[must_use]
pub fn markdown(id: &str, journals: &[Journal<'_>], reviewed: &dyn Fn(&str) -> Option<String>) -> String {
    let records = placed(journals);
    let mut page = String::new();
    let title = records.iter().find_map(|p| match &p.record.event {
        Event::Opened { title, .. } => Some(title.as_str()),
        _ => None,
    });
    let opened = opened_of(&records);
    let closed = records.iter().rev().find(|p| p.record.event == Event::Closed);
    let _ = writeln!(page, "# Postmortem: {}\n", title.unwrap_or(id));
    header(&mut page, id, &records, opened, closed, reviewed);
    page.push_str("## Summary\n\n_What happened, in two or three sentences: what broke, what it did to users, how it was stopped._\n\n");
    page.push_str("## Impact\n\n_Who and what was affected, and for how long: requests failed, users, money, the error budget spent._\n\n");
    measurements(&mut page, &records, opened);
    timeline(&mut page, &records, opened);
    commands(&mut page, &records);
    action_items(&mut page, &records);
    page.push_str("## Lessons learned\n\n### What went well\n\n### What went wrong\n\n### Where we got lucky\n\n");
    page.push_str("---\n\n");
    for (i, journal) in journals.iter().enumerate() {
        let whose = if i == 0 { "Journal" } else { "Merged journal" };
        let _ = writeln!(
            page,
            "{whose}: `{}` ({} records, SHA-256 `{}`)  ",
            journal.path,
            journal.records.len(),
            journal.sha256
        );
    }
    page.push_str("Exported by pagerbook. All times are UTC.\n");
    page
}

fn header(
    page: &mut String,
    id: &str,
    records: &[Placed<'_>],
    opened: Option<&Placed<'_>>,
    closed: Option<&Placed<'_>>,
    reviewed: &dyn Fn(&str) -> Option<String>,
) {
    let responders: BTreeSet<&str> = records.iter().map(|p| p.record.user.as_str()).collect();
    let mut entries: Vec<&str> = Vec::new();
    for placed in records {
        let used = match &placed.record.event {
            Event::EntryOpened { entry, .. } | Event::StepCopied { entry, .. } => entry.as_str(),
            Event::StepRun(run) => run.entry.as_str(),
            _ => continue,
        };
        if !entries.contains(&used) {
            entries.push(used);
        }
    }
    let entries: Vec<String> = entries
        .iter()
        .map(|entry| match reviewed(entry) {
            Some(date) => format!("`{entry}` (reviewed {date})"),
            None => format!("`{entry}`"),
        })
        .collect();
    let ended = match (opened, closed) {
        (Some(opened), Some(closed)) => {
            format!("{} ({} after the journal was opened)", when(closed.at), span(closed.at - opened.at))
        }
        _ => "still open".to_owned(),
    };
    let detected =
        records.iter().find(|p| matches!(p.record.event, Event::Milestone { milestone: Milestone::Detected, .. }));
    let rows = [
        ("Incident", format!("`{id}`")),
        ("Detected", detected.map_or_else(|| "not recorded".to_owned(), |p| when(p.at))),
        ("Journal opened", opened.map_or_else(String::new, |p| when(p.at))),
        ("Ended", ended),
        ("Responders", responders.into_iter().collect::<Vec<_>>().join(", ")),
        ("Catalog entries used", if entries.is_empty() { "none".to_owned() } else { entries.join(", ") }),
    ];
    page.push_str("| | |\n| --- | --- |\n");
    for (name, value) in rows {
        let _ = writeln!(page, "| {name} | {} |", cell(&value));
    }
    page.push('\n');
}

/// Time to acknowledge, diagnose, mitigate, resolve: from detection (the
/// `detected` milestone, else the incident's opening) to each milestone.
fn measurements(page: &mut String, records: &[Placed<'_>], opened: Option<&Placed<'_>>) {
    let reached = |milestone: Milestone| {
        records.iter().find(|p| matches!(p.record.event, Event::Milestone { milestone: m, .. } if m == milestone))
    };
    let detected = reached(Milestone::Detected);
    let (start, from) = match (detected, opened) {
        (Some(detected), _) => (Some(detected), "detected"),
        (None, opened) => (opened, "incident opened"),
    };
    page.push_str("## Measurements\n\n| measure | from | to | time |\n| --- | --- | --- | --- |\n");
    let measures = [
        ("Time to acknowledge", Milestone::Acknowledged),
        ("Time to diagnose", Milestone::Diagnosed),
        ("Time to mitigate", Milestone::Mitigated),
        ("Time to resolve", Milestone::Resolved),
    ];
    for (measure, milestone) in measures {
        let time = match (start, reached(milestone)) {
            (Some(start), Some(end)) if end.at < start.at => format!("before {from}: check the times"),
            (Some(start), Some(end)) => between(start, end),
            _ => "not recorded".to_owned(),
        };
        let _ = writeln!(page, "| {measure} | {from} | {} | {time} |", milestone.word());
    }
    page.push('\n');
}

/// The time from one record to another: by the clock since boot when both
/// were written at their own times in one boot (a wall-clock jump between
/// them does not count), else by the wall clock.
fn between(start: &Placed<'_>, end: &Placed<'_>) -> String {
    let backfilled = |p: &Placed<'_>| matches!(p.record.event, Event::Milestone { at: Some(_), .. });
    let monotonic = !backfilled(start) && !backfilled(end) && start.record.same_boot(end.record);
    if monotonic {
        span(time::Duration::milliseconds(
            i64::try_from(end.record.monotonic_ms - start.record.monotonic_ms).unwrap_or(i64::MAX),
        ))
    } else {
        span(end.at - start.at)
    }
}

/// The timeline section alone, for a drill's debrief.
pub(crate) fn timeline_of(journals: &[Journal<'_>]) -> String {
    let records = placed(journals);
    let mut page = String::new();
    timeline(&mut page, &records, opened_of(&records));
    page
}

/// The record that opened the journal, else its first.
fn opened_of<'r>(records: &'r [Placed<'r>]) -> Option<&'r Placed<'r>> {
    records.iter().find(|p| matches!(p.record.event, Event::Opened { .. })).or(records.first())
}

fn timeline(page: &mut String, records: &[Placed<'_>], opened: Option<&Placed<'_>>) {
    page.push_str("## Timeline\n\n| time (UTC) | elapsed | who | event |\n| --- | --- | --- | --- |\n");
    let drill = opened.is_some_and(|o| matches!(o.record.event, Event::Opened { mode: Some(Mode::Drill), .. }));
    for placed in records {
        if matches!(placed.record.event, Event::Repaired { .. }) {
            continue;
        }
        let elapsed = opened.map_or_else(String::new, |opened| clock(placed.at - opened.at));
        let mut event = placed.record.event.describe();
        if drill && placed.record.event == Event::Closed {
            "drill ended".clone_into(&mut event);
        }
        if let Event::Milestone { milestone, at: Some(_) } = placed.record.event {
            event = format!("{} (noted afterwards, at {})", milestone.word(), hms(&placed.record.time));
        }
        if let Event::StepRun(run) = &placed.record.event {
            event = format!("ran step {} of {}", run.step, run.entry);
            if let Some(result) = result_of(records, placed, run) {
                let _ = write!(event, ": {} after {}", result.status(), duration(result.duration_ms));
            }
        }
        if matches!(placed.record.event, Event::StepResult(_)) {
            continue; // told with its run
        }
        let time = placed.at.format(&Rfc3339).map(|t| hms(&t).to_owned()).unwrap_or_default();
        let _ = writeln!(page, "| {time} | {elapsed} | {} | {} |", cell(&placed.record.user), cell(&event));
    }
    page.push('\n');
}

fn commands(page: &mut String, records: &[Placed<'_>]) {
    page.push_str("## Commands run\n\n");
    let runs: Vec<(&Placed<'_>, &StepRun)> = records
        .iter()
        .filter_map(|p| match &p.record.event {
            Event::StepRun(run) => Some((p, &**run)),
            _ => None,
        })
        .collect();
    if runs.is_empty() {
        page.push_str("None were run from pagerbook.\n\n");
    }
    for (n, (placed, run)) in runs.into_iter().enumerate() {
        let result = result_of(records, placed, run);
        let status = result.map_or_else(
            || "no result recorded".to_owned(),
            |r| format!("{}, {}", r.status(), duration(r.duration_ms)),
        );
        let _ = writeln!(page, "### {}. Step {} of `{}`: {status}\n", n + 1, run.step, run.entry);
        let mut facts = vec![
            format!("by {} at {}", placed.record.user, hms(&placed.record.time)),
            run.shell.clone(),
            format!("in `{}`", run.cwd),
            run.danger.clone(),
        ];
        facts.extend(run.acts_on.iter().map(|place| format!("on {place}")));
        let _ = writeln!(page, "{}\n", facts.join(" · "));
        page.push_str(&fenced(&run.command, "sh"));
        if !run.values.is_empty() {
            let values: Vec<String> =
                run.values.iter().map(|v| format!("`{}` = `{}` ({})", v.name, v.value, v.from)).collect();
            let _ = writeln!(page, "Values: {}\n", values.join(", "));
        }
        if let Some(result) = result {
            if let Some(error) = &result.error {
                let _ = writeln!(page, "Could not start: {error}\n");
            }
            if !result.tail.is_empty() {
                let shown = if result.lines > result.tail.len() as u64 {
                    format!("the last {} of {} lines", result.tail.len(), result.lines)
                } else {
                    crate::wrap::plural(usize::try_from(result.lines).unwrap_or(usize::MAX), "line")
                };
                let _ = writeln!(page, "Output ({shown}):\n");
                page.push_str(&fenced(&result.tail.join("\n"), "text"));
            }
            if let Some(output) = &result.output {
                let _ = writeln!(page, "Whole output: `{output}` beside the journal, SHA-256 `{}`\n", result.sha256);
            }
        }
        for checked in checks_of(records, placed, run) {
            let _ = writeln!(
                page,
                "Verified: {} {}: {} ({}, {})\n",
                checked.verdict.mark(),
                checked.verdict.word(),
                checked.message,
                crate::wrap::plural(checked.attempts as usize, "attempt"),
                duration(checked.duration_ms)
            );
        }
    }
}

fn action_items(page: &mut String, records: &[Placed<'_>]) {
    page.push_str("## Action items\n\n");
    let items: Vec<String> = records
        .iter()
        .filter_map(|p| {
            let item = p.record.event.action_item()?;
            Some(format!("- [ ] {item} ({}, {})\n", p.record.user, hms(&p.record.time)))
        })
        .collect();
    if items.is_empty() {
        page.push_str("_None noted: a note that starts `TODO:` becomes one._\n");
    }
    for item in items {
        page.push_str(&item);
    }
    page.push('\n');
}

/// The result of the run `placed` records: the record of its end in the
/// same journal (run names are unique within one).
fn result_of<'a>(records: &'a [Placed<'a>], placed: &Placed<'_>, run: &StepRun) -> Option<&'a StepResult> {
    records.iter().filter(|p| p.journal == placed.journal).find_map(|p| match &p.record.event {
        Event::StepResult(result) if result.run == run.run => Some(&**result),
        _ => None,
    })
}

/// The verifies of the run `placed` records, in order.
fn checks_of<'a>(
    records: &'a [Placed<'a>],
    placed: &'a Placed<'a>,
    run: &'a StepRun,
) -> impl Iterator<Item = &'a StepChecked> {
    records.iter().filter(|p| p.journal == placed.journal).filter_map(move |p| match &p.record.event {
        Event::StepChecked(checked) if checked.run.as_deref() == Some(run.run.as_str()) => Some(&**checked),
        _ => None,
    })
}

/// `2026-12-01 03:12 UTC`.
fn when(at: OffsetDateTime) -> String {
    let text = at.format(&Rfc3339).unwrap_or_default();
    format!("{} {} UTC", text.get(..10).unwrap_or_default(), text.get(11..16).unwrap_or_default())
}

/// `03:12:05` of an RFC 3339 time.
pub(crate) fn hms(time: &str) -> &str {
    time.get(11..19).unwrap_or(time)
}

/// `+0:04:10`: elapsed since the incident opened.
pub(crate) fn clock(elapsed: time::Duration) -> String {
    let seconds = elapsed.whole_seconds();
    let sign = if seconds < 0 { "-" } else { "+" };
    let seconds = seconds.unsigned_abs();
    format!("{sign}{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

/// `4 min 10 s`, `1 h 05 min`.
pub(crate) fn span(elapsed: time::Duration) -> String {
    let seconds = elapsed.whole_seconds().max(0).unsigned_abs();
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min {:02} s", seconds / 60, seconds % 60),
        _ => format!("{} h {:02} min", seconds / 3600, seconds / 60 % 60),
    }
}

/// Text for a table cell: one line, its pipes escaped.
pub(crate) fn cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "\\|")
}

/// A fenced code block that no backtick run in `text` can close early.
pub(crate) fn fenced(text: &str, lang: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{text}\n{fence}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measure_uses_the_clock_since_boot_within_one_boot_and_the_wall_clock_across_boots() {
        let record = |time: &str, monotonic_ms, boot: &str| Record {
            time: time.into(),
            monotonic_ms,
            boot: boot.into(),
            user: "alice".into(),
            event: Event::Note { text: String::new() },
        };
        let place = |record| Placed { record, journal: 0, at: OffsetDateTime::parse(&record.time, &Rfc3339).unwrap() };
        // The wall clock jumped 9 minutes between the two.
        let start = record("2026-12-01T03:00:00Z", 1_000, "aaaa");
        let same = record("2026-12-01T03:10:00Z", 61_000, "aaaa");
        let rebooted = record("2026-12-01T03:10:00Z", 61_000, "bbbb");
        assert_eq!(between(&place(&start), &place(&same)), "1 min 00 s");
        assert_eq!(between(&place(&start), &place(&rebooted)), "10 min 00 s");
    }

    #[test]
    fn a_milestone_set_before_detection_is_flagged_not_measured_as_nothing() {
        let at = |time: &str, milestone, backfilled: Option<&str>| Record {
            time: time.into(),
            monotonic_ms: 0,
            boot: String::new(),
            user: "alice".into(),
            event: Event::Milestone { milestone, at: backfilled.map(str::to_owned) },
        };
        let records = [
            at("2026-12-01T03:00:00Z", Milestone::Detected, None),
            at("2026-12-01T03:10:00Z", Milestone::Mitigated, Some("2026-12-01T02:50:00Z")),
        ];
        let journals = [Journal { path: "j".into(), sha256: String::new(), records: &records }];
        let page = markdown("i", &journals, &|_| None);
        assert!(
            page.contains("| Time to mitigate | detected | mitigated | before detected: check the times |"),
            "{page}"
        );
    }

    #[test]
    fn a_fence_is_longer_than_any_backtick_run_inside() {
        assert_eq!(fenced("echo `id`", "sh"), "```sh\necho `id`\n```\n\n");
        assert!(fenced("a ```` b", "sh").starts_with("`````sh\n"));
    }

    #[test]
    fn cells_stay_one_line_and_pipes_do_not_split_them() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
    }

    #[test]
    fn spans_and_clocks_read_as_people_say_them() {
        assert_eq!(span(time::Duration::seconds(250)), "4 min 10 s");
        assert_eq!(span(time::Duration::seconds(3900)), "1 h 05 min");
        assert_eq!(clock(time::Duration::seconds(3725)), "+1:02:05");
        assert_eq!(clock(time::Duration::seconds(-60)), "-0:01:00");
    }
}
