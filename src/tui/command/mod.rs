//! Acting on a step: the placeholder form, the confirmation dialog and the
//! output of runs, as state and pure transitions. The loop does the I/O the
//! transitions ask for (copy, run, interrupt, save the values). Here the
//! flow from a key to a copy or a run; `values` holds the form and its
//! values, `runs` what a run leaves and the output pane.

use crate::tui::strings;
use ratatui::style::Style;
use ratatui_textarea::{Input, Key, TextArea};

use super::action::{Action, Effect};
use super::layout::confirm::confirm_lines;
use super::layout::{Motion, Scroll, popup_areas};
use super::state::{AppState, CopyTo, Overlay};
use crate::catalog::{Catalog, Entry, Step};
use crate::danger::{Confirmation, confirmation, destructive_reason};
use crate::journal::record::Event;
use crate::runner::Shell;
use crate::whereabouts::Whereabouts;

mod checks;
mod output;
mod runs;
mod suggestions;
mod values;

pub use checks::{checked, recheck, shown as check_shown, verify_after};
pub use output::Output;
pub use runs::{CheckState, KUBECTL, RunState, exited, failed, looked_up, receive, update_output};
pub use suggestions::{Listing, list_values, listed, offered, stale};
pub use values::{Chosen, Filled, Form, FormField, MAX_VALUE_CHARS, ValueOrigin, fill, masked, redacted, secrets};

/// One step of one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StepKey {
    /// Index into the catalog's entries.
    pub entry: usize,
    /// Index into the entry's steps.
    pub step: usize,
}

impl StepKey {
    /// The entry and the step.
    #[must_use]
    pub fn resolve(self, catalog: &Catalog) -> Option<(&Entry, &Step)> {
        let entry = catalog.entries().get(self.entry)?;
        Some((entry, entry.steps.get(self.step)?))
    }
}

/// What the filled-in command is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Put on the clipboard.
    Copy,
    /// Run, after the confirmation.
    Run,
}

impl Purpose {
    /// The verb for titles and keys.
    #[must_use]
    pub fn verb(self) -> &'static str {
        match self {
            Purpose::Copy => "copy",
            Purpose::Run => "run",
        }
    }
}

/// The dialog that shows the exact command before it runs.
#[derive(Debug, Clone)]
pub struct Confirm {
    /// The step.
    pub key: StepKey,
    /// Exactly what will run.
    pub command: String,
    /// The command as shown: secrets masked.
    pub shown: String,
    /// The word to type first, for a destructive command.
    pub needs: Option<Confirmation>,
    /// What has been typed of it.
    pub typed: TextArea<'static>,
    /// The values used, remembered once it runs.
    pub values: Vec<Chosen>,
    /// First line shown, for a command taller than the dialog.
    pub scroll: usize,
    /// Where it will act, once looked up.
    pub whereabouts: Option<Whereabouts>,
    /// A frame has shown the dialog. Keys typed ahead (a burst that reaches
    /// the loop in one read) must not confirm what was never on screen.
    pub seen: bool,
    /// The step's precheck, when it has one.
    pub precheck: Option<CheckState>,
}

impl Confirm {
    fn new(key: StepKey, step: &Step, command: String, shown: String, values: Vec<Chosen>) -> Self {
        // A secret is never the word to type: it would be shown to be typed.
        let pairs: Vec<(&str, &str)> =
            values.iter().filter(|c| !c.secret).map(|c| (c.name.as_str(), c.value.as_str())).collect();
        let needs = confirmation(step.danger, &command, &pairs);
        let mut typed = TextArea::default();
        typed.set_cursor_line_style(Style::default());
        Confirm { key, command, shown, needs, typed, values, scroll: 0, whereabouts: None, seen: false, precheck: None }
    }
}

/// Starts copying or running the selected step (Enter, Ctrl-R): the form when
/// the command has placeholders, else straight on.
pub fn start(state: &mut AppState, key: Option<StepKey>, purpose: Purpose) -> Vec<Effect> {
    let Some(key) = key else {
        state.flash(strings::SELECT_A_STEP);
        return Vec::new();
    };
    let catalog = state.catalog.clone();
    let Some((entry, step)) = key.resolve(&catalog) else { return Vec::new() };
    if step.run().is_none() {
        state.flash(strings::NO_COMMAND);
        return Vec::new();
    }
    if purpose == Purpose::Run {
        if !step.runs_in_a_shell() {
            state.flash(&strings::copy_only(&step.lang));
            return Vec::new();
        }
        if state.read_only {
            state.flash(&strings::read_only_run());
            return Vec::new();
        }
        if state.runs.get(&key).is_some_and(RunState::running) {
            state.flash(&strings::still_running());
            state.overlays.push(Overlay::Output { key, scroll: None });
            return Vec::new();
        }
    }
    let form = Form::new((entry, step), key, purpose, &state.remembered, state.wall);
    if !form.fields.is_empty() {
        state.overlays.push(Overlay::Form(Box::new(form)));
        return Vec::new();
    }
    proceed(state, key, purpose, Vec::new()).unwrap_or_else(|why| {
        state.flash(&why);
        Vec::new()
    })
}

/// Opens the output of the selected step's last run (Ctrl-O).
pub fn show_output(state: &mut AppState, key: Option<StepKey>) {
    match key.filter(|k| state.runs.contains_key(k)) {
        Some(key) => state.overlays.push(Overlay::Output { key, scroll: None }),
        None => state.flash(strings::NEVER_RAN),
    }
}

/// With every value allowed, copies or asks to confirm the run; else says
/// why not.
fn proceed(state: &mut AppState, key: StepKey, purpose: Purpose, values: Vec<Chosen>) -> Result<Vec<Effect>, String> {
    let catalog = state.catalog.clone();
    let Some((entry, step)) = key.resolve(&catalog) else { return Ok(Vec::new()) };
    let pairs: Vec<(String, String)> = values.iter().map(|c| (c.name.clone(), c.value.clone())).collect();
    let filled = fill(entry, step, &pairs);
    let command = filled.ready(&pairs)?.to_owned();
    Ok(match purpose {
        Purpose::Copy => {
            state.remember(entry.id(), &values);
            if let Some(reason) = destructive_reason(step.danger, &command) {
                state.copy_warning = Some(reason);
            }
            let copied = Event::StepCopied {
                entry: entry.id().to_owned(),
                step: crate::tui::update::step_number(key),
                command: redacted(step.run().unwrap_or_default(), &values),
            };
            if state.copy_to == CopyTo::Prompt {
                state.printed = Some(command);
                return Ok(vec![Effect::SaveValues, Effect::Journal(Box::new(copied)), Effect::Quit]);
            }
            vec![Effect::Copy(command), Effect::SaveValues, Effect::Journal(Box::new(copied))]
        }
        Purpose::Run => {
            let shown = masked(step.run().unwrap_or_default(), &values);
            let confirm = Confirm::new(key, step, command.clone(), shown, values);
            state.overlays.push(Overlay::Confirm(Box::new(confirm)));
            // The status line's context is looked up again too: it may have
            // changed since (kubectx in another pane).
            vec![Effect::LookUp(command), Effect::LookUp(KUBECTL.to_owned())]
        }
    })
}

/// A key in the form.
pub fn update_form(state: &mut AppState, action: Action) -> Vec<Effect> {
    let Some(Overlay::Form(form)) = state.overlays.last_mut() else { return Vec::new() };
    match action {
        Action::Back => {
            state.overlays.pop();
        }
        Action::NextField => form.focus(1),
        Action::PrevField => form.focus(-1),
        // ↑↓ go through the values listed or declared, else the fields.
        Action::Move(n) => {
            if !suggestions::next_value(&state.catalog, form, n.signum() as isize) {
                form.focus(n.signum() as isize);
            }
            form.restyle();
        }
        Action::ListValues => return list_values(state),
        Action::Submit => {
            // A refused value: the keyboard goes to it, the status says why.
            if let Some((entry, step)) = form.key.resolve(&state.catalog)
                && let Some(refused) = fill(entry, step, &form.values()).first_refused()
            {
                form.focused = refused;
                form.restyle();
            }
            let (key, purpose, values) = (form.key, form.purpose, form.chosen());
            return match proceed(state, key, purpose, values) {
                // Done its part (copied, or the confirmation is on top).
                Ok(effects) => {
                    state.overlays.retain(|o| !matches!(o, Overlay::Form(_)));
                    effects
                }
                Err(why) => {
                    state.flash(&why);
                    Vec::new()
                }
            };
        }
        Action::Edit(input) => {
            if let Some(field) = form.fields.get_mut(form.focused) {
                let before = field.value();
                edit_line(&mut field.input, input);
                if field.value().chars().count() > MAX_VALUE_CHARS {
                    field.set(before, field.origin);
                    state.flash(&strings::value_too_long(MAX_VALUE_CHARS));
                } else if field.value() != before {
                    field.origin = ValueOrigin::Typed;
                }
            }
        }
        Action::Paste(text) => {
            if let Some(field) = form.fields.get_mut(form.focused) {
                if field.value().chars().count() + text.chars().count() > MAX_VALUE_CHARS {
                    state.flash(&strings::value_paste_too_long(MAX_VALUE_CHARS));
                    return Vec::new();
                }
                // Pasted as it is: a newline or escape in it is refused by
                // the check, with a message, rather than silently dropped.
                field.input.insert_str(text);
                field.origin = ValueOrigin::Typed;
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Edits a one-line field (the search line, a form's field, the word to
/// type): Enter and Tab never add to it; Ctrl-U clears back to the start as
/// in a shell.
pub(super) fn edit_line(input_area: &mut TextArea<'static>, input: Input) {
    if matches!(input.key, Key::Enter | Key::Tab) || (input.ctrl && matches!(input.key, Key::Char('m' | 'j'))) {
        return;
    }
    if input.ctrl && input.key == Key::Char('u') {
        input_area.delete_line_by_head();
    } else {
        input_area.input(input);
    }
}

/// A key in the confirmation dialog.
pub fn update_confirm(state: &mut AppState, action: Action) -> Vec<Effect> {
    // A command taller than the dialog scrolls, never past its last line;
    // its lines are laid out only then, not for each key typed.
    let keyed = matches!(action, Action::Move(_) | Action::Page(_) | Action::Home | Action::End);
    if let Some(motion) = Motion::of(&action).filter(|_| keyed) {
        let (_, inner) = popup_areas(state.size);
        let height = usize::from(inner.height);
        let Some(Overlay::Confirm(confirm)) = state.overlays.last() else { return Vec::new() };
        let total = confirm_lines(state, confirm, inner.width).lines.len();
        if let Some(Overlay::Confirm(confirm)) = state.overlays.last_mut() {
            confirm.scroll = Scroll::new(confirm.scroll, total, height).after(motion, height);
        }
        return Vec::new();
    }
    let Some(Overlay::Confirm(confirm)) = state.overlays.last_mut() else { return Vec::new() };
    match action {
        Action::Back => {
            state.overlays.pop();
        }
        Action::Edit(input) if confirm.needs.is_some() => edit_line(&mut confirm.typed, input),
        Action::Paste(text) if confirm.needs.is_some() => {
            confirm.typed.insert_str(text);
        }
        Action::Submit => {
            if !confirm.seen {
                state.flash(&strings::look_first());
                return Vec::new();
            }
            if let Some(needs) = &confirm.needs
                && !needs.accepts(&confirm.typed.lines().concat())
            {
                let word = needs.word.clone();
                state.flash(&strings::type_or_cancel(&word));
                return Vec::new();
            }
            // A precheck runs first, on this Enter; its verdict is read
            // before the next one runs the step.
            // In a drill no check runs.
            let has_precheck = state.rehearsal.is_none()
                && confirm.key.resolve(&state.catalog).is_some_and(|(_, step)| step.precheck().is_some());
            match &confirm.precheck {
                None if has_precheck => {
                    let effects = checks::precheck(state);
                    bring_precheck_into_view(state);
                    return effects;
                }
                Some(checking) if checking.result.is_none() => {
                    state.flash(strings::PRECHECK_RUNNING);
                    return Vec::new();
                }
                _ => {}
            }
            let Some(Overlay::Confirm(confirm)) = state.overlays.pop() else { return Vec::new() };
            return run(state, *confirm);
        }
        _ => {}
    }
    Vec::new()
}

/// Scrolls the confirmation so its precheck's command and verdict are in
/// view: what Enter acts on must have been on screen.
pub(super) fn bring_precheck_into_view(state: &mut AppState) {
    let (_, inner) = popup_areas(state.size);
    // The last row may be the "more below" note.
    let rows = usize::from(inner.height).saturating_sub(1).max(1);
    let Some(confirm) = state.overlays.iter().find_map(|overlay| match overlay {
        Overlay::Confirm(confirm) => Some(confirm),
        _ => None,
    }) else {
        return;
    };
    let laid = confirm_lines(state, confirm, inner.width);
    let Some(precheck) = laid.precheck else { return };
    let top = confirm.scroll.min(precheck.start).max(precheck.end.saturating_sub(rows));
    let top = Scroll::new(top, laid.lines.len(), usize::from(inner.height)).top;
    if let Some(Overlay::Confirm(confirm)) = state.overlays.iter_mut().find(|o| matches!(o, Overlay::Confirm(_))) {
        confirm.scroll = top;
    }
}

/// Confirmed: the run begins (in a drill, nothing runs).
fn run(state: &mut AppState, confirm: Confirm) -> Vec<Effect> {
    if state.rehearsal.is_some() {
        return crate::tui::rehearsal::rehearse(state, &confirm);
    }
    let catalog = state.catalog.clone();
    let Some((entry, step)) = confirm.key.resolve(&catalog) else { return Vec::new() };
    let (shell, interactive) = (Shell::for_lang(&step.lang), step.interactive);
    state.next_run += 1;
    let id = state.next_run;
    state.remember(entry.id(), &confirm.values);
    let journal_as = format!("{}-{id}", state.session);
    let ran = crate::tui::update::run_record(state, &confirm, &journal_as);
    let run = RunState {
        id,
        journal_as: journal_as.clone(),
        command: confirm.shown.clone(),
        interactive,
        output: Output::default(),
        started: state.now,
        ended: None,
        outcome: None,
        stopping: false,
        error: None,
        values: confirm.values.clone(),
        verify: None,
        rehearsed: false,
    };
    state.runs.insert(confirm.key, run);
    if !interactive {
        state.overlays.push(Overlay::Output { key: confirm.key, scroll: None });
    }
    // Recorded before it starts: a crash while it runs still leaves what
    // was run in the journal.
    let mut effects: Vec<Effect> = ran.map(|event| Effect::Journal(Box::new(event))).into_iter().collect();
    let secrets = secrets(&confirm.values);
    effects.push(Effect::Run {
        id,
        command: confirm.command,
        shown: confirm.shown,
        shell,
        interactive,
        journal_as,
        secrets,
    });
    effects.push(Effect::SaveValues);
    effects
}

impl AppState {
    /// A frame is on screen: what it shows has been seen, and the
    /// confirmation on top may now be confirmed.
    pub fn drawn(&mut self) {
        if let Some(Overlay::Confirm(confirm)) = self.overlays.last_mut() {
            confirm.seen = true;
        }
    }

    /// Remembers the values used in an entry, for its next form; never a
    /// secret.
    fn remember(&mut self, entry: &str, values: &[Chosen]) {
        // A default merely accepted is not a choice: remembered, it would
        // come back looking like one.
        let chosen_by_the_person =
            |c: &&Chosen| matches!(c.origin, ValueOrigin::Typed | ValueOrigin::Listed | ValueOrigin::Remembered(_));
        for chosen in values.iter().filter(|c| !c.secret).filter(chosen_by_the_person) {
            self.remembered.set(entry, &chosen.name, chosen.value.clone(), self.wall);
        }
    }
}
