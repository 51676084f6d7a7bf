//! A drill's debrief, in markdown: what the team talks through afterwards.
//! The point of a drill is learning, not a score: the page measures against
//! the scenario's targets, says which expected steps were taken and which
//! were missed, what was never looked at, and ends with the runbook changes
//! to make, one per entry the responder used.

use std::fmt::Write as _;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Progress, releasable_reveals};
use crate::catalog::{Catalog, Danger, Drill, TextField};
use crate::journal::export::{self, clock, fenced, span};
use crate::journal::incidents::Incident;
use crate::journal::record::{Event, Milestone, Release};

/// The debrief of the drill `journal` keeps; `drill` is its scenario as the
/// catalog now has it (`None` when it is gone: the journal still tells).
#[must_use]
pub fn report(journal: &Incident, drill: Option<&Drill>, catalog: &Catalog) -> String {
    let progress = Progress::of(&journal.records);
    let mut page = String::new();
    let _ = writeln!(page, "# Drill debrief: {}\n", journal.title());
    let opened = progress.opened.as_deref().and_then(parse);
    let people: std::collections::BTreeSet<&str> = journal.records.iter().map(|r| r.user.as_str()).collect();
    let mut facts = vec![format!("Journal `{}`", journal.id)];
    if let Some(drill) = drill {
        let answer = catalog.get(&drill.failure).map_or(String::new(), |e| format!(" ({})", e.title()));
        facts.push(format!("scenario `{}`, answer `{}`{answer}", drill.id, drill.failure));
        facts.extend(drill.difficulty.map(|d| format!("difficulty {}", d.as_str())));
    } else if let Some(id) = journal.drill() {
        facts.push(format!("scenario `{id}` (no longer in the catalog)"));
    }
    facts.push(format!("with {}", people.into_iter().collect::<Vec<_>>().join(", ")));
    facts.push(if progress.closed { "ended".to_owned() } else { "still open".to_owned() });
    let _ = writeln!(page, "{}.\n", facts.join(" · "));

    page.push_str("## Measured\n\n| | taken | target |\n| --- | --- | --- |\n");
    let since_opened = |milestone| {
        let reached = progress.reached(milestone).and_then(parse)?;
        Some(reached - opened?)
    };
    for (what, milestone, target) in [
        ("Time to diagnose", Milestone::Diagnosed, drill.and_then(|d| d.diagnose_within)),
        ("Time to mitigate", Milestone::Mitigated, drill.and_then(|d| d.mitigate_within)),
    ] {
        let taken = since_opened(milestone);
        let verdict = match (taken, target) {
            (Some(taken), Some(target)) if taken.whole_seconds() <= i64::from(target) => " (met)",
            (Some(_), Some(_)) => " (over)",
            _ => "",
        };
        let taken = taken.map_or_else(|| "not reached".to_owned(), span);
        let target = target.map_or_else(|| "none set".to_owned(), |s| span(time::Duration::seconds(i64::from(s))));
        let _ = writeln!(page, "| {what} | {taken}{verdict} | {target} |");
    }
    let hints = drill.map_or(0, |d| d.hints.len());
    let used = progress.released.iter().filter(|r| r.item == Release::Hint).count();
    let _ = writeln!(page, "| Hints used | {used} of {hints} | |\n");

    let journals = [export::Journal {
        path: journal.path.display().to_string(),
        sha256: String::new(),
        records: &journal.records,
    }];
    page.push_str(&export::timeline_of(&journals));
    if let Some(drill) = drill {
        expected_steps(&mut page, drill, &progress, opened, catalog);
        never_asked(&mut page, drill, &progress);
    }
    attempted(&mut page, &progress, opened);
    runbook_changes(&mut page, journal, catalog);
    page.push_str("---\n\nA drill journal of pagerbook: nothing was run. All times are UTC.\n");
    page
}

fn parse(time: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(time, &Rfc3339).ok()
}

/// `+0:04:10` from the drill's start, or nothing when a time is unknown.
fn elapsed(opened: Option<OffsetDateTime>, time: &str) -> String {
    opened.zip(parse(time)).map(|(opened, at)| clock(at - opened)).unwrap_or_default()
}

fn expected_steps(
    page: &mut String,
    drill: &Drill,
    progress: &Progress,
    opened: Option<OffsetDateTime>,
    catalog: &Catalog,
) {
    page.push_str("## Expected steps\n\n");
    if drill.expected.is_empty() {
        page.push_str("_The scenario names none._\n\n");
    }
    for step in &drill.expected {
        let what = super::instruction(catalog, step).map_or_else(String::new, |text| format!(": {text}"));
        match progress.taken(step) {
            Some((time, how)) => {
                let at = elapsed(opened, time);
                let _ = writeln!(page, "- [x] step {} of `{}`{what} ({how}, {at})", step.step, step.entry);
            }
            None => {
                let _ = writeln!(page, "- [ ] step {} of `{}`{what} (missed)", step.step, step.entry);
            }
        }
    }
    let diagnosed = progress.reached(Milestone::Diagnosed).and_then(parse);
    let early: Vec<String> = progress
        .would_run
        .iter()
        .filter(|(time, run)| {
            run.danger != Danger::Safe.as_str() && diagnosed.is_none_or(|at| parse(time).is_some_and(|t| t < at))
        })
        .map(|(time, run)| format!("step {} of `{}` ({}, {})", run.step, run.entry, run.danger, elapsed(opened, time)))
        .collect();
    if diagnosed.is_none() {
        page.push_str("\nDiagnosis before change: no diagnosis was recorded.\n\n");
    } else if early.is_empty() {
        page.push_str("\nDiagnosis before change: yes, no change was attempted before the diagnosis.\n\n");
    } else {
        let _ = writeln!(page, "\nDiagnosis before change: no, changes came first: {}.\n", early.join("; "));
    }
}

fn never_asked(page: &mut String, drill: &Drill, progress: &Progress) {
    page.push_str("## Reveals never asked for\n\n");
    let unasked: Vec<String> = releasable_reveals(drill)
        .filter(|(n, _)| !progress.is_released(Release::Reveal, *n))
        .map(|(_, reveal)| format!("- {}:\n\n{}", reveal.on, fenced(&reveal.text, "text")))
        .collect();
    if unasked.is_empty() {
        page.push_str("_None: every place was looked at._\n\n");
    }
    for item in unasked {
        page.push_str(&item);
    }
}

fn attempted(page: &mut String, progress: &Progress, opened: Option<OffsetDateTime>) {
    page.push_str("## Destructive steps attempted\n\n");
    let destructive: Vec<_> =
        progress.would_run.iter().filter(|(_, run)| run.danger == Danger::Destructive.as_str()).collect();
    if destructive.is_empty() {
        page.push_str("_None._\n\n");
    }
    for (time, run) in destructive {
        let _ = writeln!(page, "Step {} of `{}` at {}:\n", run.step, run.entry, elapsed(opened, time));
        page.push_str(&fenced(&run.command, "sh"));
    }
}

/// One item per entry the responder used, with its `last_reviewed`: the
/// drill's real output is a better runbook.
fn runbook_changes(page: &mut String, journal: &Incident, catalog: &Catalog) {
    page.push_str("## Runbook changes to make\n\n");
    let mut used: Vec<&str> = Vec::new();
    for record in &journal.records {
        let entry = match &record.event {
            Event::EntryOpened { entry, .. } | Event::StepCopied { entry, .. } => entry.as_str(),
            Event::WouldRun(run) => run.entry.as_str(),
            _ => continue,
        };
        if !used.contains(&entry) {
            used.push(entry);
        }
    }
    if used.is_empty() {
        page.push_str("_No entry was opened._\n");
    }
    for id in used {
        let Some(entry) = catalog.get(id) else {
            let _ = writeln!(page, "- [ ] `{id}` (no longer in the catalog)");
            continue;
        };
        let reviewed = entry
            .text(TextField::LastReviewed)
            .map_or_else(|| "never reviewed".to_owned(), |date| format!("last reviewed {date}"));
        let _ = writeln!(
            page,
            "- [ ] `{id}` {} (`{}`, {reviewed}): _what was missing, wrong or slow to find?_",
            entry.title(),
            entry.origin()
        );
    }
    page.push('\n');
}
