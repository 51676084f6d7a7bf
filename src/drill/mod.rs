//! Walkthrough drills, as they are played: a scenario (`catalog::Drill`),
//! a journal of its own (an incident journal marked `mode = "drill"`, kept
//! beside the real ones), and what the game master has released. Nothing
//! here knows of a terminal: the game master's view, the responder's
//! navigator and `drill report` all read a drill through [`Progress`].
//!
//! - `wheel`: which scenario to drill next;
//! - `skeleton`: `drill new`, a scenario written from an entry;
//! - `report`: the debrief.

pub mod report;
pub mod skeleton;
pub mod wheel;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::catalog::{Drill, RevealOn, StepRef};
use crate::journal::incidents::IncidentError;
use crate::journal::record::{Event, Milestone, Record, Release, StepRun};

/// An item the game master released, as its record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Released {
    pub item: Release,
    /// From 1, among the scenario's items of its sort.
    pub number: u32,
    pub label: String,
    pub text: String,
    /// When (RFC 3339).
    pub time: String,
}

/// How far a drill has got, read from its journal's records.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// When it was opened (RFC 3339).
    pub opened: Option<String>,
    pub closed: bool,
    /// Each item once, in the order released.
    pub released: Vec<Released>,
    /// When each milestone was reached, as last recorded (RFC 3339), in
    /// [`Milestone::ALL`] order.
    pub milestones: [Option<String>; Milestone::ALL.len()],
    /// The steps confirmed, in order, and when.
    pub would_run: Vec<(String, StepRun)>,
    /// The steps copied (entry, step from 1), and when.
    pub copied: Vec<(String, String, u32)>,
}

impl Progress {
    #[must_use]
    pub fn of(records: &[Record]) -> Progress {
        let mut progress = Progress::default();
        for record in records {
            match &record.event {
                Event::Opened { .. } => progress.opened = Some(record.time.clone()),
                Event::Closed => progress.closed = true,
                Event::Released { item, number, label, text } if !progress.is_released(*item, *number) => {
                    progress.released.push(Released {
                        item: *item,
                        number: *number,
                        label: label.clone(),
                        text: text.clone(),
                        time: record.time.clone(),
                    });
                }
                // The last word counts: the game master may set one again.
                Event::Milestone { milestone, at } => {
                    progress.milestones[milestone_index(*milestone)] =
                        Some(at.clone().unwrap_or_else(|| record.time.clone()));
                }
                Event::WouldRun(run) => progress.would_run.push((record.time.clone(), (**run).clone())),
                Event::StepCopied { entry, step, .. } => {
                    progress.copied.push((record.time.clone(), entry.clone(), *step));
                }
                _ => {}
            }
        }
        progress
    }

    /// Seconds since the drill opened at wall-clock time `now`.
    #[must_use]
    pub fn elapsed(&self, now: std::time::SystemTime) -> Option<u64> {
        let opened = OffsetDateTime::parse(self.opened.as_deref()?, &Rfc3339).ok()?;
        Some((OffsetDateTime::from(now) - opened).whole_seconds().max(0).unsigned_abs())
    }

    /// When step `step` was first taken (confirmed, or copied), and how.
    #[must_use]
    pub fn taken(&self, step: &StepRef) -> Option<(&str, &'static str)> {
        let number = u32::try_from(step.step).ok()?;
        let run = self.would_run.iter().find(|(_, run)| run.entry == step.entry && run.step == number);
        let copied = self.copied.iter().find(|(_, entry, n)| *entry == step.entry && *n == number);
        run.map(|(time, _)| (time.as_str(), "run"))
            .into_iter()
            .chain(copied.map(|(time, ..)| (time.as_str(), "copied")))
            .min_by(|a, b| a.0.cmp(b.0))
    }

    /// When `time` (RFC 3339) was on the drill's clock: `+04:12`.
    #[must_use]
    pub fn on_clock(&self, time: &str) -> String {
        let at = |t: &str| OffsetDateTime::parse(t, &Rfc3339).ok();
        match (self.opened.as_deref().and_then(at), at(time)) {
            (Some(opened), Some(time)) => format!("+{}", clock((time - opened).whole_seconds().max(0).unsigned_abs())),
            _ => String::new(),
        }
    }

    #[must_use]
    pub fn is_released(&self, item: Release, number: u32) -> bool {
        self.released.iter().any(|r| r.item == item && r.number == number)
    }

    /// When `milestone` was reached, as last recorded.
    #[must_use]
    pub fn reached(&self, milestone: Milestone) -> Option<&str> {
        self.milestones[milestone_index(milestone)].as_deref()
    }

    /// The first of `count` items of a sort not yet released (hints go up
    /// their ladder one at a time).
    #[must_use]
    pub fn next_unreleased(&self, item: Release, count: usize) -> Option<u32> {
        (1..=u32::try_from(count).unwrap_or(u32::MAX)).find(|&n| !self.is_released(item, n))
    }

    /// The injects whose time has come `elapsed` seconds in and that are
    /// not released yet.
    #[must_use]
    pub fn due_injects(&self, drill: &Drill, elapsed: u64) -> Vec<u32> {
        (1..)
            .zip(&drill.injects)
            .filter(|(n, inject)| {
                inject.after.is_some_and(|after| u64::from(after) <= elapsed) && !self.is_released(Release::Inject, *n)
            })
            .map(|(n, _)| n)
            .collect()
    }
}

fn milestone_index(milestone: Milestone) -> usize {
    Milestone::ALL.iter().position(|m| *m == milestone).unwrap_or_default()
}

/// A drill's clock: `04:12`, `1:02:03` past the hour.
#[must_use]
pub fn clock(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h == 0 { format!("{m:02}:{s:02}") } else { format!("{h}:{m:02}:{s:02}") }
}

/// A journal's problem in a drill's words: the incidents' commands do
/// not act on drills.
#[must_use]
pub fn said(err: &IncidentError) -> String {
    match err {
        IncidentError::AlreadyOpen(id) => format!(
            "drill {id} is under way: join it (pagerbook drill gm, or drill run), or end it (pagerbook drill stop)"
        ),
        IncidentError::NoneOpen => "no drill is under way".to_owned(),
        other => other.to_string(),
    }
}

/// What step `step` says to do, if the catalog has it.
#[must_use]
pub fn instruction<'c>(catalog: &'c crate::catalog::Catalog, step: &StepRef) -> Option<&'c str> {
    let entry = catalog.get(&step.entry)?;
    Some(entry.steps.get(step.step.checked_sub(1)?)?.instruction())
}

/// The record of releasing item `number` (from 1) of a sort, if the
/// scenario has it.
#[must_use]
pub fn release(drill: &Drill, item: Release, number: u32) -> Option<Event> {
    let index = usize::try_from(number).ok()?.checked_sub(1)?;
    let (label, text) = match item {
        Release::Reveal => {
            let reveal = drill.reveals.get(index)?;
            (reveal.on.to_string(), reveal.text.clone())
        }
        Release::Inject => (format!("inject {number}"), drill.injects.get(index)?.text.clone()),
        Release::Hint => (format!("hint {number}"), drill.hints.get(index)?.clone()),
    };
    Some(Event::Released { item, number, label, text })
}

/// The reveals the game master releases by hand, with their numbers: those
/// on a label (a step's output shows when the step is run).
pub fn releasable_reveals(drill: &Drill) -> impl Iterator<Item = (u32, &crate::catalog::Reveal)> {
    (1..).zip(&drill.reveals).filter(|(_, reveal)| matches!(reveal.on, RevealOn::Label(_)))
}

/// What the game master may release by hand, a key each: the reveals on a
/// label, then the injects (a timed one may go early); each with its sort,
/// its number and its text.
pub fn by_hand(drill: &Drill) -> impl Iterator<Item = (Release, u32, &str)> {
    let reveals = releasable_reveals(drill).map(|(n, reveal)| (Release::Reveal, n, reveal.text.as_str()));
    reveals.chain((1..).zip(&drill.injects).map(|(n, inject)| (Release::Inject, n, inject.text.as_str())))
}

/// What the responder sees for running step `step` (from 1) of `entry`:
/// the scenario's canned output, or that nothing stands out.
#[must_use]
pub fn canned_output(drill: &Drill, entry: &str, step: u32) -> String {
    let on = RevealOn::Step(StepRef { entry: entry.to_owned(), step: step as usize });
    drill.canned(&on).map_or_else(|| NOTHING_UNUSUAL.to_owned(), str::to_owned)
}

/// What a step the scenario has no output for shows.
pub const NOTHING_UNUSUAL: &str = "(nothing unusual)";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Inject, Origin, Reveal, StepRef};

    fn drill() -> Drill {
        Drill {
            id: "d".into(),
            failure: "coredns-down".into(),
            title: "t".into(),
            briefing: "b".into(),
            difficulty: None,
            diagnose_within: None,
            mitigate_within: None,
            expected: Vec::new(),
            notes: None,
            red_herrings: Vec::new(),
            reveals: vec![
                Reveal { on: RevealOn::Label("logs".into()), text: "SERVFAIL".into() },
                Reveal { on: RevealOn::Step(StepRef { entry: "coredns-down".into(), step: 1 }), text: "0/2".into() },
            ],
            injects: vec![
                Inject { after: Some(60), text: "VP asks".into(), note: None },
                Inject { after: None, text: "second alert".into(), note: None },
            ],
            hints: vec!["vague".into(), "precise".into()],
            origin: Origin { path: "x".into(), line: 1 },
        }
    }

    fn at(time: &str, event: Event) -> Record {
        Record { time: time.into(), monotonic_ms: 0, boot: String::new(), user: "gm".into(), event }
    }

    #[test]
    fn releases_are_counted_once_and_the_ladder_and_clock_say_what_is_next() {
        let drill = drill();
        let hint = release(&drill, Release::Hint, 1).unwrap();
        let records = vec![
            at("2026-12-02T10:00:00Z", Event::Opened { title: "t".into(), mode: None, drill: None }),
            at("2026-12-02T10:01:00Z", hint.clone()),
            at("2026-12-02T10:01:01Z", hint),
            at("2026-12-02T10:02:00Z", Event::Milestone { milestone: Milestone::Diagnosed, at: None }),
        ];
        let progress = Progress::of(&records);
        assert_eq!(progress.released.len(), 1);
        assert_eq!(progress.released[0].text, "vague");
        assert_eq!(progress.next_unreleased(Release::Hint, drill.hints.len()), Some(2));
        assert_eq!(progress.reached(Milestone::Diagnosed), Some("2026-12-02T10:02:00Z"));
        assert_eq!(progress.due_injects(&drill, 59), Vec::<u32>::new());
        assert_eq!(progress.due_injects(&drill, 60), vec![1], "the untimed inject waits for the game master");
        assert_eq!(release(&drill, Release::Hint, 3), None);
        assert_eq!(release(&drill, Release::Hint, 0), None);
    }

    #[test]
    fn a_step_shows_its_canned_output_or_nothing_unusual() {
        let drill = drill();
        assert_eq!(canned_output(&drill, "coredns-down", 1), "0/2");
        assert_eq!(canned_output(&drill, "coredns-down", 2), NOTHING_UNUSUAL);
        assert_eq!(releasable_reveals(&drill).map(|(n, _)| n).collect::<Vec<_>>(), [1]);
    }
}
