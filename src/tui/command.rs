//! Acting on a step: the placeholder form, the confirmation dialog and the
//! output of runs, as state and pure transitions. The loop does the I/O the
//! transitions ask for (copy, run, interrupt, save the values).

use std::time::{Instant, SystemTime};

use ratatui::style::Style;
use ratatui_textarea::{Input, Key, TextArea};

use super::action::{Action, Effect, LookedUp};
use super::state::{AppState, Overlay};
use crate::catalog::{Catalog, Entry, Step};
use crate::danger::{Confirmation, confirmation, destructive_reason, is_target_name};
use crate::runner::{Outcome, Output, Shell};
use crate::settings::Remembered;
use crate::template::{self, RenderError, ValueError};
use crate::whereabouts::Whereabouts;

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
        let entry = catalog.entries.get(self.entry)?;
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

/// Where a field's value came from, shown beside it in the form and the
/// confirmation: a tired person must tell a default from their own choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Nothing was filled in.
    Empty,
    /// The catalog's default.
    Default,
    /// The value last used in this entry, at this time (unix seconds).
    Remembered(u64),
    /// Typed or chosen in this form.
    Typed,
}

impl Origin {
    /// `default`, `remembered from 2 h ago`, `typed`.
    #[must_use]
    pub fn describe(self, now: SystemTime) -> String {
        match self {
            Origin::Empty => "empty: type a value".to_owned(),
            Origin::Default => "the catalog's default".to_owned(),
            Origin::Typed => "typed".to_owned(),
            Origin::Remembered(at) => {
                let now = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
                let minutes = now.saturating_sub(at) / 60;
                let ago = match minutes {
                    0 => "just now".to_owned(),
                    1..60 => format!("{minutes} min ago"),
                    _ => format!("{} h {} min ago", minutes / 60, minutes % 60),
                };
                format!("remembered from this entry, {ago}")
            }
        }
    }
}

/// The longest value a field takes: a host, a path or a token fits many
/// times over, and a 100 KB paste froze the form for a minute.
pub const MAX_VALUE_CHARS: usize = 4096;

/// One placeholder's field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The placeholder's name.
    pub name: String,
    /// What is typed.
    pub input: TextArea<'static>,
    /// Where the value came from.
    pub origin: Origin,
    /// A secret: masked, never remembered.
    pub secret: bool,
    /// What a destructive step may act on: never filled in for the person.
    pub target: bool,
}

impl Field {
    /// The value typed.
    #[must_use]
    pub fn value(&self) -> String {
        self.input.lines().concat()
    }

    /// Puts `value` in the field, cursor at its end.
    fn set(&mut self, value: String, origin: Origin) {
        self.input = TextArea::new(vec![value]);
        self.input.move_cursor(ratatui_textarea::CursorMove::End);
        if self.secret {
            self.input.set_mask_char('•');
        }
        self.origin = origin;
    }
}

/// A value filled in, as the form hands it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    /// The placeholder's name.
    pub name: String,
    /// The value.
    pub value: String,
    /// Where it came from.
    pub origin: Origin,
    /// A secret: masked on screen, never remembered or written.
    pub secret: bool,
}

/// The form that fills a step's placeholders.
#[derive(Debug, Clone)]
pub struct Form {
    /// The step.
    pub key: StepKey,
    /// What happens on Enter.
    pub purpose: Purpose,
    /// One field per placeholder, in the order the command uses them.
    pub fields: Vec<Field>,
    /// The field with the keyboard.
    pub focused: usize,
}

impl Form {
    /// A form for a step, each field prefilled with the value last used in
    /// this entry, else the declared default; but a secret, and the target
    /// of a destructive step, start empty: the person must choose them.
    #[must_use]
    pub fn new(
        step_of: (&Entry, &Step),
        key: StepKey,
        purpose: Purpose,
        remembered: &Remembered,
        now: SystemTime,
    ) -> Self {
        let (entry, step) = step_of;
        let run = step.run.as_deref().unwrap_or_default();
        let destructive = destructive_reason(step.danger, run).is_some();
        let fields: Vec<Field> = template::placeholder_names(run)
            .into_iter()
            .map(|name| {
                let var = entry.var(name);
                let secret = var.is_some_and(|var| var.secret);
                // In a destructive step, whatever it may act on is chosen by
                // the person: only where and as whom it runs is filled in.
                let target = destructive && is_target_name(name);
                let mut field =
                    Field { name: name.to_owned(), input: TextArea::default(), origin: Origin::Empty, secret, target };
                let filled = if secret || field.target {
                    None
                } else {
                    let valid = |value: &String| var.is_some_and(|var| var.check(value).is_ok());
                    let kept = remembered.get(entry.id(), name, now).filter(|kept| valid(&kept.value));
                    kept.map(|kept| (kept.value.clone(), Origin::Remembered(kept.at)))
                        .or_else(|| var.and_then(|var| var.default.clone()).map(|d| (d, Origin::Default)))
                };
                let (value, origin) = filled.unwrap_or((String::new(), Origin::Empty));
                field.set(value, origin);
                field
            })
            .collect();
        // The keyboard starts where something is missing.
        let focused = fields.iter().position(|f| f.origin == Origin::Empty).unwrap_or(0);
        let mut form = Form { key, purpose, fields, focused };
        form.restyle();
        form
    }

    /// The values typed, by name, in the order the command uses them.
    #[must_use]
    pub fn values(&self) -> Vec<(String, String)> {
        self.fields.iter().map(|f| (f.name.clone(), f.value())).collect()
    }

    /// The values with where each came from.
    #[must_use]
    pub fn chosen(&self) -> Vec<Chosen> {
        let chosen = |f: &Field| Chosen { name: f.name.clone(), value: f.value(), origin: f.origin, secret: f.secret };
        self.fields.iter().map(chosen).collect()
    }

    /// Shows the cursor in the focused field only.
    fn restyle(&mut self) {
        for (i, field) in self.fields.iter_mut().enumerate() {
            let style = if i == self.focused { Style::default().reversed() } else { Style::default() };
            field.input.set_cursor_style(style);
            field.input.set_cursor_line_style(Style::default());
        }
    }

    fn focus(&mut self, n: isize) {
        let count = self.fields.len().max(1).cast_signed();
        self.focused = (self.focused.cast_signed() + n).rem_euclid(count).cast_unsigned();
        self.restyle();
    }
}

/// A step's command with the values given: each value's check, and the
/// command as it would run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    /// Per value: refused, or allowed with an optional warning.
    pub checks: Vec<Result<Option<&'static str>, ValueError>>,
    /// The final command, or why there is none.
    pub command: Result<String, RenderError>,
}

impl Filled {
    /// The command, when every value is allowed and it renders; else why
    /// not, in a line (`values` are those it was filled with).
    pub fn ready(&self, values: &[(String, String)]) -> Result<&str, String> {
        if let Some((i, Err(problem))) = self.checks.iter().enumerate().find(|(_, check)| check.is_err()) {
            return Err(format!("{{{{{}}}}}: {problem}", values[i].0));
        }
        self.command.as_deref().map_err(ToString::to_string)
    }

    /// The first field whose value is refused.
    #[must_use]
    pub fn first_refused(&self) -> Option<usize> {
        self.checks.iter().position(Result::is_err)
    }
}

/// Checks the values and renders the step's command with them.
#[must_use]
pub fn fill(entry: &Entry, step: &Step, values: &[(String, String)]) -> Filled {
    let checks = values
        .iter()
        .map(|(name, value)| match entry.var(name) {
            Some(var) => var.check(value),
            None => template::check_value(value, None),
        })
        .collect();
    let run = step.run.as_deref().unwrap_or_default();
    let command = template::render(run, |name| values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()));
    Filled { checks, command }
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
}

impl Confirm {
    fn new(key: StepKey, step: &Step, command: String, shown: String, values: Vec<Chosen>) -> Self {
        // A secret is never the word to type: it would be shown to be typed.
        let pairs: Vec<(&str, &str)> =
            values.iter().filter(|c| !c.secret).map(|c| (c.name.as_str(), c.value.as_str())).collect();
        let needs = confirmation(step.danger, &command, &pairs);
        let mut typed = TextArea::default();
        typed.set_cursor_line_style(Style::default());
        Confirm { key, command, shown, needs, typed, values, scroll: 0, whereabouts: None, seen: false }
    }
}

/// A command as the screen shows it: secret values masked (what runs has
/// them, what is shown and kept for the session does not), and a value not
/// filled in yet as its `{{placeholder}}`.
#[must_use]
pub fn masked(run: &str, values: &[Chosen]) -> String {
    // Rendered with stand-ins that quoting leaves alone, each then replaced
    // where it stands: an empty value by its placeholder, a secret by a
    // mask, quoted when the value is (what is shown quotes as what runs).
    let stand_ins: Vec<(String, String, String)> = values
        .iter()
        .filter(|c| c.value.is_empty() || c.secret)
        .map(|c| {
            let shown = if c.value.is_empty() {
                format!("{{{{{}}}}}", c.name)
            } else if shlex::try_quote(&c.value).is_ok_and(|quoted| quoted == c.value.as_str()) {
                "••••••".to_owned()
            } else {
                "'••••••'".to_owned()
            };
            (c.name.clone(), format!("PAGERBOOK_STAND_IN_{}", c.name), shown)
        })
        .collect();
    let rendered = template::render(run, |name| match stand_ins.iter().find(|(n, ..)| n == name) {
        Some((_, stand_in, _)) => Some(stand_in.as_str()),
        None => values.iter().find(|c| c.name == name).map(|c| c.value.as_str()),
    });
    let Ok(mut shown) = rendered else { return template::display(run) };
    for (_, stand_in, replacement) in &stand_ins {
        shown = shown.replace(stand_in, replacement);
    }
    shown
}

/// A run of a step's command, kept for the session.
#[derive(Debug, Clone)]
pub struct RunView {
    /// Number of the run (events from the process carry it).
    pub id: u64,
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
}

impl RunView {
    /// Still running.
    #[must_use]
    pub fn running(&self) -> bool {
        self.ended.is_none()
    }
}

/// Starts copying or running the selected step (Enter, Ctrl-R): the form when
/// the command has placeholders, else straight on.
pub fn start(state: &mut AppState, key: Option<StepKey>, purpose: Purpose) -> Vec<Effect> {
    let Some(key) = key else {
        state.flash("select a step first: its number, or ↑↓");
        return Vec::new();
    };
    let catalog = state.catalog.clone();
    let Some((entry, step)) = key.resolve(&catalog) else { return Vec::new() };
    if step.run.is_none() {
        state.flash("this step has no command");
        return Vec::new();
    }
    if purpose == Purpose::Run {
        if state.read_only {
            state.flash("read-only: running is off; Enter copies");
            return Vec::new();
        }
        if state.runs.get(&key).is_some_and(RunView::running) {
            state.flash("still running: ^K in its output stops it");
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
        None => state.flash("this step has not run in this session"),
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
            vec![Effect::Copy(command), Effect::SaveValues]
        }
        Purpose::Run => {
            let shown = masked(step.run.as_deref().unwrap_or_default(), &values);
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
        Action::Move(n) => {
            let choices = state
                .catalog
                .entries
                .get(form.key.entry)
                .and_then(|e| e.var(&form.fields.get(form.focused)?.name))
                .map(|var| var.choices.clone())
                .unwrap_or_default();
            if choices.is_empty() {
                form.focus(n.signum() as isize);
            } else if let Some(field) = form.fields.get_mut(form.focused) {
                // ↑↓ go through the declared choices.
                let at = choices.iter().position(|c| *c == field.value());
                let next = match at {
                    Some(i) => (i.cast_signed() + n.signum() as isize).rem_euclid(choices.len().cast_signed()),
                    None => 0,
                };
                field.set(choices[next.cast_unsigned()].clone(), Origin::Typed);
                form.restyle();
            }
        }
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
                    state.flash(&format!("a value is at most {MAX_VALUE_CHARS} characters"));
                } else if field.value() != before {
                    field.origin = Origin::Typed;
                }
            }
        }
        Action::Paste(text) => {
            if let Some(field) = form.fields.get_mut(form.focused) {
                if field.value().chars().count() + text.chars().count() > MAX_VALUE_CHARS {
                    state.flash(&format!("not pasted: a value is at most {MAX_VALUE_CHARS} characters"));
                    return Vec::new();
                }
                // Pasted as it is: a newline or escape in it is refused by
                // the check, with a message, rather than silently dropped.
                field.input.insert_str(text);
                field.origin = Origin::Typed;
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
    let Some(Overlay::Confirm(confirm)) = state.overlays.last_mut() else { return Vec::new() };
    match action {
        Action::Back => {
            state.overlays.pop();
        }
        Action::Move(n) => confirm.scroll = confirm.scroll.saturating_add_signed(n as isize),
        Action::Home => confirm.scroll = 0,
        Action::Edit(input) if confirm.needs.is_some() => edit_line(&mut confirm.typed, input),
        Action::Paste(text) if confirm.needs.is_some() => {
            confirm.typed.insert_str(text);
        }
        Action::Submit => {
            if !confirm.seen {
                state.flash("look at the command first: Enter again runs it");
                return Vec::new();
            }
            if let Some(needs) = &confirm.needs
                && !needs.accepts(&confirm.typed.lines().concat())
            {
                let word = needs.word.clone();
                state.flash(&format!("type {word} to confirm, or Esc to cancel"));
                return Vec::new();
            }
            let Some(Overlay::Confirm(confirm)) = state.overlays.pop() else { return Vec::new() };
            return run(state, *confirm);
        }
        _ => {}
    }
    Vec::new()
}

/// Confirmed: the run begins.
fn run(state: &mut AppState, confirm: Confirm) -> Vec<Effect> {
    let catalog = state.catalog.clone();
    let Some((entry, step)) = confirm.key.resolve(&catalog) else { return Vec::new() };
    let (shell, interactive) = (Shell::for_lang(&step.lang), step.interactive);
    state.next_run += 1;
    let id = state.next_run;
    state.remember(entry.id(), &confirm.values);
    let view = RunView {
        id,
        command: confirm.shown.clone(),
        interactive,
        output: Output::default(),
        started: state.now,
        ended: None,
        outcome: None,
        stopping: false,
        error: None,
    };
    state.runs.insert(confirm.key, view);
    if !interactive {
        state.overlays.push(Overlay::Output { key: confirm.key, scroll: None });
    }
    vec![Effect::Run { id, command: confirm.command, shown: confirm.shown, shell, interactive }, Effect::SaveValues]
}

/// A key in the output pane of `height` rows; `bottom` is the first line
/// shown at the end.
pub fn update_output(state: &mut AppState, action: &Action, bottom: usize, height: usize) -> Vec<Effect> {
    let Some(&Overlay::Output { key, scroll }) = state.overlays.last() else { return Vec::new() };
    let Some(view) = state.runs.get_mut(&key) else {
        state.overlays.pop();
        return Vec::new();
    };
    let at = scroll.unwrap_or(bottom);
    let page = height.max(1).cast_signed();
    let moved = match action {
        Action::Back => {
            state.overlays.pop();
            return Vec::new();
        }
        Action::Interrupt => {
            if view.running() {
                view.stopping = true;
                return vec![Effect::Interrupt(view.id)];
            }
            state.flash("not running");
            return Vec::new();
        }
        Action::Move(n) | Action::Scroll { lines: n, .. } => at.saturating_add_signed(*n as isize),
        Action::Page(n) => at.saturating_add_signed(*n as isize * page),
        Action::Home => 0,
        Action::End => usize::MAX,
        _ => return Vec::new(),
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
fn run_mut(state: &mut AppState, id: u64) -> Option<&mut RunView> {
    state.runs.values_mut().find(|v| v.id == id)
}

/// Output of a run, from the process.
pub fn receive(state: &mut AppState, id: u64, output: Output) {
    if let Some(view) = run_mut(state, id) {
        view.output.append(output);
    }
}

/// The end of a run.
pub fn exited(state: &mut AppState, id: u64, outcome: Outcome) {
    let now = state.now;
    if let Some(view) = run_mut(state, id) {
        view.outcome = Some(outcome);
        view.ended = Some(now);
        view.stopping = false;
    }
}

/// A run that could not start.
pub fn failed(state: &mut AppState, id: u64, message: String) {
    let now = state.now;
    if let Some(view) = run_mut(state, id) {
        view.error = Some(message);
        view.ended = Some(now);
    }
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
        let chosen_by_the_person = |c: &&Chosen| matches!(c.origin, Origin::Typed | Origin::Remembered(_));
        for chosen in values.iter().filter(|c| !c.secret).filter(chosen_by_the_person) {
            self.remembered.set(entry, &chosen.name, chosen.value.clone(), self.wall);
        }
    }
}
