//! The responder's side of a walkthrough drill: the navigator as ever, but
//! running a step runs nothing. It records "would run" with the exact
//! command and shows the scenario's canned output instead; what the game
//! master releases arrives through the drill's journal, read again twice a
//! second; opening the answer's entry records the diagnosis.

use std::sync::Arc;

use super::action::{Effect, IncidentChange};
use super::command::{Confirm, Output, RunState};
use super::state::{AppState, Overlay};
use super::strings;
use crate::catalog::{Drill, RevealOn, StepRef};
use crate::drill::{self, Progress};
use crate::journal::record::{Event, Milestone, Release};
use crate::runner::{Outcome, Stream};

/// How often the responder's navigator reads the drill's journal again: a
/// release shows within a second.
pub const POLL: std::time::Duration = std::time::Duration::from_millis(400);

/// A drill being played, as the responder's navigator holds it.
#[derive(Debug, Clone)]
pub struct Rehearsal {
    pub drill: Arc<Drill>,
    /// The drill's journal as last read.
    pub progress: Progress,
    /// The journal's id, once read (for the debrief's command).
    pub journal: Option<String>,
    /// The game master ended it.
    pub ended: bool,
}

impl Rehearsal {
    #[must_use]
    pub fn new(drill: Arc<Drill>) -> Rehearsal {
        Rehearsal { drill, progress: Progress::default(), journal: None, ended: false }
    }
}

/// Starts the responder's side of `drill`: the briefing shows first.
pub fn begin(state: &mut AppState, drill: Arc<Drill>) {
    state.rehearsal = Some(Rehearsal::new(drill));
    state.overlays.push(Overlay::Drill { scroll: 0 });
}

/// The journal read again (`read` when it read without a problem): what
/// was released shows; a drill the game master ended says so, with its
/// debrief's command.
pub fn receive(state: &mut AppState, read: bool) {
    let Some(rehearsal) = &mut state.rehearsal else { return };
    match &state.incident {
        Some(journal) => {
            rehearsal.progress = Progress::of(&journal.records);
            rehearsal.journal = Some(journal.id.clone());
        }
        None if read && rehearsal.journal.is_some() && !rehearsal.ended => {
            rehearsal.ended = true;
            let message = strings::drill_over(rehearsal.journal.as_deref().unwrap_or_default());
            state.flash(&message);
        }
        None => {}
    }
}

/// The poll: the journal read again, and the injects whose time has come
/// released (the game master's view does the same; a double is read once).
#[must_use]
pub fn tick(state: &AppState) -> Vec<Effect> {
    let mut effects = vec![Effect::Incident(IncidentChange::Refresh)];
    if let Some(rehearsal) = state.rehearsal.as_ref().filter(|r| !r.ended)
        && let Some(elapsed) = rehearsal.progress.elapsed(state.wall)
    {
        let due = rehearsal.progress.due_injects(&rehearsal.drill, elapsed);
        let released = due.into_iter().filter_map(|n| drill::release(&rehearsal.drill, Release::Inject, n));
        effects.extend(released.map(|event| Effect::Journal(Box::new(event))));
    }
    effects
}

/// What the journal is also told when entry `id` is opened: the diagnosis,
/// the first time the answer is opened.
#[must_use]
pub fn diagnosed(state: &AppState, id: &str) -> Option<Effect> {
    let rehearsal = state.rehearsal.as_ref().filter(|r| !r.ended && r.drill.failure == id)?;
    rehearsal
        .progress
        .reached(Milestone::Diagnosed)
        .is_none()
        .then(|| Effect::Journal(Box::new(Event::Milestone { milestone: Milestone::Diagnosed, at: None })))
}

/// A confirmed step in a drill: nothing runs. The output pane shows the
/// scenario's canned output for it (and for its verify), and the journal
/// keeps "would run" with the exact command.
pub fn rehearse(state: &mut AppState, confirm: &Confirm) -> Vec<Effect> {
    let Some(rehearsal) = &state.rehearsal else { return Vec::new() };
    let drill = rehearsal.drill.clone();
    let Some((entry, _)) = confirm.key.resolve(&state.catalog) else { return Vec::new() };
    let step = crate::tui::update::step_number(confirm.key);
    let mut output = Output::default();
    output.push(Stream::Stderr, strings::DRILL_SHOWS.to_owned());
    for line in drill::canned_output(&drill, entry.id(), step).lines() {
        output.push(Stream::Stdout, line.to_owned());
    }
    let verify = RevealOn::Verify(StepRef { entry: entry.id().to_owned(), step: step as usize });
    if let Some(canned) = drill.canned(&verify) {
        output.push(Stream::Stderr, strings::DRILL_VERIFY.to_owned());
        for line in canned.lines() {
            output.push(Stream::Stdout, line.to_owned());
        }
    }
    state.next_run += 1;
    let id = state.next_run;
    let journal_as = format!("{}-{id}", state.session);
    let record = crate::tui::update::run_record(state, confirm, &journal_as);
    let run = RunState {
        id,
        journal_as,
        command: confirm.shown.clone(),
        interactive: false,
        output,
        started: state.now,
        ended: Some(state.now),
        outcome: Some(Outcome { code: Some(0), signal: None }),
        stopping: false,
        error: None,
        values: Vec::new(),
        verify: None,
        rehearsed: true,
    };
    state.runs.insert(confirm.key, run);
    // From its top: it is all there at once.
    state.overlays.push(Overlay::Output { key: confirm.key, scroll: Some(0) });
    let would_run = record.and_then(|event| match event {
        Event::StepRun(run) => Some(Event::WouldRun(run)),
        _ => None,
    });
    would_run.map(|event| Effect::Journal(Box::new(event))).into_iter().collect()
}

/// Ctrl-E in a drill: no check runs; the scenario's verdict, if it has one.
pub fn recheck(state: &mut AppState, entry: &str, step: u32) {
    let Some(rehearsal) = &state.rehearsal else { return };
    let verify = RevealOn::Verify(StepRef { entry: entry.to_owned(), step: step as usize });
    let said = rehearsal.drill.canned(&verify).unwrap_or(drill::NOTHING_UNUSUAL);
    let first = said.lines().next().unwrap_or_default().to_owned();
    state.flash(&format!("{}{first}", strings::DRILL_VERIFY_FLASH));
}
