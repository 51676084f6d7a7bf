//! A step's checks in the navigator: its precheck, started with the
//! confirmation; its verify, after a run that exited 0 and again on
//! Ctrl-E; their verdicts, shown and journaled. The loop runs them off the
//! loop ([`Effect::Check`]).

use super::{Chosen, Confirm, RunState, StepKey, redacted};
use crate::journal::record::{Event, StepChecked};
use crate::runner::Shell;
use crate::tui::action::{CheckRequest, Checked, Effect};
use crate::tui::state::{AppState, Overlay};
use crate::tui::strings;
use crate::verify::{self, CheckKind};

/// The request to run the `kind` check of step `key` with the `values`
/// the step was given, and the check's state from now.
fn request(
    state: &AppState,
    key: StepKey,
    kind: CheckKind,
    run: Option<u64>,
    values: &[Chosen],
) -> Option<(Effect, super::CheckState)> {
    let (_, step) = key.resolve(&state.catalog)?;
    let check = kind.of(step)?;
    let command = crate::template::render(&check.run, |name| {
        values.iter().find(|chosen| chosen.name == name).map(|chosen| chosen.value.as_str())
    })
    .ok()?;
    let secrets = values.iter().filter(|c| c.secret).map(|c| (c.name.clone(), c.value.clone())).collect();
    let shell = Shell::for_lang(&step.lang);
    let request = CheckRequest { key, kind, run, command, shell, check: check.clone(), secrets };
    Some((Effect::Check(Box::new(request)), super::CheckState::start(check, state.now)))
}

/// Starts the precheck of the step a confirmation is for, if it has one.
pub(super) fn precheck(state: &AppState, confirm: &mut Confirm) -> Option<Effect> {
    let (effect, checking) = request(state, confirm.key, CheckKind::Precheck, None, &confirm.values)?;
    confirm.precheck = Some(checking);
    Some(effect)
}

/// After run `id` of step `key` ended: its verify, if it exited 0 and the
/// step has one.
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
    let Some((effect, checking)) = request(state, key, CheckKind::Verify, Some(run.id), &run.values) else {
        return Vec::new();
    };
    if let Some(run) = state.runs.get_mut(&key) {
        run.verify = Some(checking);
    }
    vec![effect]
}

/// Ctrl-E: the verify of the step shown, again.
pub fn recheck(state: &mut AppState, key: Option<StepKey>) -> Vec<Effect> {
    let Some(key) = key else {
        state.flash(strings::SELECT_A_STEP);
        return Vec::new();
    };
    let has_verify = key.resolve(&state.catalog).is_some_and(|(_, step)| step.verify().is_some());
    let checking = |run: &RunState| run.verify.as_ref().is_some_and(|check| check.result.is_none());
    match state.runs.get(&key) {
        _ if !has_verify => state.flash(strings::NO_VERIFY),
        None => state.flash(strings::RUN_BEFORE_VERIFY),
        Some(run) if run.running() || checking(run) => state.flash(strings::STILL_CHECKING),
        Some(_) => return start_verify(state, key),
    }
    Vec::new()
}

/// A check's verdict: into the run or the confirmation it is for, and the
/// journal.
pub fn checked(state: &mut AppState, checked: Checked) -> Vec<Effect> {
    let Some((entry, step)) = checked.key.resolve(&state.catalog) else { return Vec::new() };
    let Some(check) = checked.kind.of(step) else { return Vec::new() };
    let result = checked.result.map(|verified| {
        let message = verify::message(check, &verified);
        (verified, message)
    });
    let (slot, values, journal_as) = match checked.kind {
        CheckKind::Verify => match state.runs.get_mut(&checked.key).filter(|run| Some(run.id) == checked.run) {
            Some(run) => (&mut run.verify, run.values.clone(), Some(run.journal_as.clone())),
            None => return Vec::new(),
        },
        CheckKind::Precheck => {
            let confirm = state.overlays.iter_mut().find_map(|overlay| match overlay {
                Overlay::Confirm(confirm) if confirm.key == checked.key => Some(confirm),
                _ => None,
            });
            match confirm {
                Some(confirm) => (&mut confirm.precheck, confirm.values.clone(), None),
                None => return Vec::new(),
            }
        }
    };
    let Some(checking) = slot else { return Vec::new() };
    checking.result = Some(result.clone());
    let Ok((verified, message)) = result else { return Vec::new() };
    let record = StepChecked {
        entry: entry.id().to_owned(),
        step: crate::tui::update::step_number(checked.key),
        check: checked.kind,
        run: journal_as,
        command: redacted(&check.run, &values),
        verdict: verified.verdict,
        attempts: verified.attempts,
        duration_ms: u64::try_from(verified.elapsed.as_millis()).unwrap_or(u64::MAX),
        message,
        tail: verified.tail,
    };
    vec![Effect::Journal(Box::new(Event::StepChecked(Box::new(record))))]
}
