//! A step's checks in the navigator: its precheck, run from the
//! confirmation (whose first Enter runs it, its command on screen); its
//! verify, shown in the confirmation too, after a run that exited 0 and
//! again on Ctrl-E; their verdicts, shown and journaled. The loop runs
//! them off the loop ([`Effect::Check`]).

use std::time::Duration;

use super::{CheckState, Chosen, StepKey, masked, redacted};
use crate::journal::record::{Event, StepChecked};
use crate::runner::Shell;
use crate::tui::action::{CheckRequest, Checked, Effect};
use crate::tui::state::{AppState, Overlay};
use crate::tui::strings;
use crate::verify::{self, CheckKind};

/// The `kind` check of step `key`'s command as the screen shows it, with
/// the step's `values` (secrets masked).
#[must_use]
pub fn shown(state: &AppState, key: StepKey, kind: CheckKind, values: &[Chosen]) -> Option<String> {
    let (_, step) = key.resolve(&state.catalog)?;
    Some(masked(&kind.of(step)?.run, values))
}

/// Asks for the `kind` check of step `key`, with the `values` the step was
/// given; the check's state from now.
fn request(
    state: &mut AppState,
    key: StepKey,
    kind: CheckKind,
    journal_as: Option<String>,
    values: &[Chosen],
) -> Option<(Effect, CheckState)> {
    // A drill runs nothing, checks included.
    if state.rehearsal.is_some() {
        return None;
    }
    let (entry, step) = key.resolve(&state.catalog)?;
    let (entry, check) = (entry.id().to_owned(), kind.of(step)?.clone());
    let command = crate::template::render(&check.run, |name| {
        values.iter().find(|chosen| chosen.name == name).map(|chosen| chosen.value.as_str())
    })
    .ok()?;
    let (shown, shell) = (redacted(&check.run, values), Shell::for_lang(&step.lang));
    state.next_check += 1;
    let id = state.next_check;
    let checking = CheckState::start(id, &check, state.now);
    let secrets = super::secrets(values);
    let request = CheckRequest { id, key, entry, kind, journal_as, command, shown, shell, check, secrets };
    Some((Effect::Check(Box::new(request)), checking))
}

/// Enter in a confirmation whose step has a precheck not run yet: it runs.
pub(super) fn precheck(state: &mut AppState) -> Vec<Effect> {
    let Some(Overlay::Confirm(confirm)) = state.overlays.last() else { return Vec::new() };
    let (key, values) = (confirm.key, confirm.values.clone());
    // Its command may not be filled in with these values (one that stands
    // in backticks there, say): that is said, and Enter goes on.
    let now = state.now;
    let unfilled = || {
        let failed = Err(strings::PRECHECK_UNFILLED.to_owned());
        (Vec::new(), CheckState { id: 0, started: now, within: Duration::ZERO, result: Some(failed) })
    };
    let (effects, checking) = request(state, key, CheckKind::Precheck, None, &values)
        .map_or_else(unfilled, |(effect, checking)| (vec![effect], checking));
    if let Some(Overlay::Confirm(confirm)) = state.overlays.last_mut() {
        confirm.precheck = Some(checking);
    }
    effects
}

/// After run `id` ended: its step's verify, if it exited 0 and the step
/// has one.
#[must_use]
pub fn verify_after(state: &mut AppState, id: u64) -> Vec<Effect> {
    let Some((&key, run)) = state.runs.iter().find(|(_, run)| run.id == id) else { return Vec::new() };
    if !run.outcome.is_some_and(|outcome| outcome.success()) {
        return Vec::new();
    }
    start_verify(state, key)
}

fn start_verify(state: &mut AppState, key: StepKey) -> Vec<Effect> {
    let Some(run) = state.runs.get(&key) else { return Vec::new() };
    let (journal_as, values) = (Some(run.journal_as.clone()), run.values.clone());
    let Some((effect, checking)) = request(state, key, CheckKind::Verify, journal_as, &values) else {
        return Vec::new();
    };
    if let Some(run) = state.runs.get_mut(&key) {
        run.verify = Some(checking);
    }
    vec![effect]
}

/// Ctrl-E: the verify of the step shown, again (its command was confirmed
/// with the step's).
pub fn recheck(state: &mut AppState, key: Option<StepKey>) -> Vec<Effect> {
    let Some(key) = key else {
        state.flash(strings::SELECT_A_STEP);
        return Vec::new();
    };
    let has_verify = key.resolve(&state.catalog).is_some_and(|(_, step)| step.verify().is_some());
    if state.rehearsal.is_some()
        && has_verify
        && let Some((entry, _)) = key.resolve(&state.catalog)
    {
        let id = entry.id().to_owned();
        crate::tui::rehearsal::recheck(state, &id, crate::tui::update::step_number(key));
        return Vec::new();
    }
    match state.runs.get(&key) {
        _ if !has_verify => state.flash(strings::NO_VERIFY),
        None => state.flash(strings::RUN_BEFORE_VERIFY),
        Some(run) if run.running() || run.verify.as_ref().is_some_and(|check| check.result.is_none()) => {
            state.flash(strings::STILL_CHECKING);
        }
        Some(_) => return start_verify(state, key),
    }
    Vec::new()
}

/// A check's verdict: into the run or the confirmation that awaits it (a
/// stale one is dropped there), and into the journal in any case.
pub fn checked(state: &mut AppState, checked: Checked) -> Vec<Effect> {
    let Checked { request, result } = checked;
    // Said of the check that ran, not of what the step holds now.
    let result = result.map(|verified| {
        let message = verify::message(&request.check, &verified);
        (verified, message)
    });
    let awaiting = |checking: &Option<CheckState>| checking.as_ref().is_some_and(|c| c.id == request.id);
    let slot = match request.kind {
        CheckKind::Verify => state.runs.get_mut(&request.key).map(|run| &mut run.verify),
        CheckKind::Precheck => state.overlays.iter_mut().find_map(|overlay| match overlay {
            Overlay::Confirm(confirm) => {
                // What it says must be read before Enter runs the step.
                confirm.seen &= !awaiting(&confirm.precheck);
                Some(&mut confirm.precheck)
            }
            _ => None,
        }),
    };
    if let Some(checking) = slot.filter(|slot| awaiting(slot)).and_then(Option::as_mut) {
        checking.result = Some(result.clone());
        if request.kind == CheckKind::Precheck {
            super::bring_precheck_into_view(state);
        }
    }
    let Ok((verified, message)) = result else { return Vec::new() };
    let record = StepChecked {
        entry: request.entry,
        step: crate::tui::update::step_number(request.key),
        check: request.kind,
        run: request.journal_as,
        command: request.shown,
        verdict: verified.verdict,
        attempts: verified.attempts,
        duration_ms: u64::try_from(verified.elapsed.as_millis()).unwrap_or(u64::MAX),
        message,
        tail: verified.tail,
    };
    vec![Effect::Journal(Box::new(Event::StepChecked(Box::new(record))))]
}
