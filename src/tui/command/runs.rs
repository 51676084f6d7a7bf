//! Runs of a step's command, kept for the session: their output, their
//! end, and the output pane's keys; and where a command acts, once looked up.

use std::time::Instant;

use super::{Chosen, Output};
use crate::catalog::Check;
use crate::runner::Outcome;
use crate::tui::action::{Action, Effect, LookedUp};
use crate::tui::layout::{Motion, Scroll};
use crate::tui::state::{AppState, Overlay};
use crate::verify::Verified;

/// A run of a step's command, kept for the session.
#[derive(Debug, Clone)]
pub struct RunState {
    /// Number of the run (events from the process carry it).
    pub id: u64,
    /// Its name in the incident's journal.
    pub journal_as: String,
    /// What ran.
    pub command: String,
    /// It ran in the terminal: there is no captured output.
    pub interactive: bool,
    /// What it printed (stdout and stderr told apart).
    pub output: Output,
    /// When it started and ended.
    pub started: Instant,
    /// See `started`.
    pub ended: Option<Instant>,
    /// How it ended.
    pub outcome: Option<Outcome>,
    /// Ctrl-K was pressed and the signals are on their way.
    pub stopping: bool,
    /// It could not start.
    pub error: Option<String>,
    /// The values it ran with (secrets too, in memory only): its verify
    /// runs with them.
    pub values: Vec<Chosen>,
    /// Its verify, once started.
    pub verify: Option<CheckState>,
    /// A drill's: nothing ran, the output is the scenario's.
    pub rehearsed: bool,
}

/// A check (a run's verify, a confirmation's precheck) as the navigator
/// holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckState {
    /// Number of the check whose verdict is awaited.
    pub id: u64,
    pub started: Instant,
    /// How long it may take.
    pub within: std::time::Duration,
    /// Its verdict and what to say, once it has one; or why it could not run.
    pub result: Option<Result<(Verified, String), String>>,
}

impl CheckState {
    /// A check starting now.
    #[must_use]
    pub fn start(id: u64, check: &Check, now: Instant) -> CheckState {
        CheckState { id, started: now, within: std::time::Duration::from_secs(u64::from(check.within)), result: None }
    }
}

impl RunState {
    /// Still running.
    #[must_use]
    pub fn running(&self) -> bool {
        self.ended.is_none()
    }
}

/// A key in the output pane of `height` rows; `bottom` is the first line
/// shown at the end.
pub fn update_output(state: &mut AppState, action: &Action, bottom: usize, height: usize) -> Vec<Effect> {
    let Some(&Overlay::Output { key, scroll }) = state.overlays.last() else { return Vec::new() };
    let Some(run) = state.runs.get_mut(&key) else {
        state.overlays.pop();
        return Vec::new();
    };
    let at = Scroll { top: scroll.unwrap_or(bottom).min(bottom), max: bottom };
    let moved = match action {
        Action::Back => {
            state.overlays.pop();
            return Vec::new();
        }
        Action::Recheck => return super::recheck(state, Some(key)),
        Action::Interrupt => {
            if run.running() {
                run.stopping = true;
                return vec![Effect::Interrupt(run.id)];
            }
            state.flash(crate::tui::strings::NOT_RUNNING);
            return Vec::new();
        }
        _ => match Motion::of(action) {
            Some(motion) => at.after(motion, height),
            None => return Vec::new(),
        },
    };
    // At the bottom the pane follows new output again.
    let scroll = if moved >= bottom { None } else { Some(moved) };
    if let Some(Overlay::Output { scroll: s, .. }) = state.overlays.last_mut() {
        *s = scroll;
    }
    Vec::new()
}

/// The command whose context the status line shows: a plain `kubectl`.
pub const KUBECTL: &str = "kubectl";

/// Where a command will act: into the confirmation that shows it, and the
/// kube context into the status line.
pub fn looked_up(state: &mut AppState, looked_up: &LookedUp) {
    if looked_up.command == KUBECTL {
        // No kubeconfig, no badge: "?" would only be noise.
        state.kube = looked_up.whereabouts.kube.first().and_then(|kube| {
            let context = kube.context.value.as_deref()?;
            Some(format!("⎈ {context}/{}", kube.namespace.value.as_deref().unwrap_or("?")))
        });
    }
    for overlay in &mut state.overlays {
        if let Overlay::Confirm(confirm) = overlay
            && confirm.command == looked_up.command
        {
            confirm.whereabouts = Some(looked_up.whereabouts.clone());
        }
    }
}

/// Run `id`, if it is still the last run of its step.
fn run_mut(state: &mut AppState, id: u64) -> Option<&mut RunState> {
    state.runs.values_mut().find(|v| v.id == id)
}

/// Output of a run, from the process.
pub fn receive(state: &mut AppState, id: u64, output: Output) {
    if let Some(run) = run_mut(state, id) {
        run.output.append(output);
    }
}

/// The end of a run.
pub fn exited(state: &mut AppState, id: u64, outcome: Outcome) {
    let now = state.now;
    if let Some(run) = run_mut(state, id) {
        run.outcome = Some(outcome);
        run.ended = Some(now);
        run.stopping = false;
    }
}

/// A run that could not start.
pub fn failed(state: &mut AppState, id: u64, message: String) {
    let now = state.now;
    if let Some(run) = run_mut(state, id) {
        run.error = Some(message);
        run.ended = Some(now);
    }
}
