//! The incident in the navigator: the panel's keys, the prompts for a
//! title, a note or a milestone's time, and what the journal is told of
//! entries opened and steps copied and run. The loop does the writing
//! ([`Effect::Journal`], [`Effect::Incident`]) and answers with the journal
//! as it then reads ([`Action::Incident`]).

use ratatui::style::Style;
use ratatui_textarea::TextArea;
use time::OffsetDateTime;

use crate::journal::output::Printed;
use crate::journal::record::{Event, StepResult, StepRun, UsedValue, backfilled};
use crate::runner::Shell;
use crate::tui::action::{Action, Effect, IncidentChange, IncidentNews};
use crate::tui::command::{Confirm, RunState, StepKey, edit_line, redacted};
use crate::tui::state::{AppState, Asks, Overlay, Prompt, Question};
use crate::tui::strings;

/// A key in the incident panel.
pub fn update_panel(state: &mut AppState, action: &Action) -> Vec<Effect> {
    let open = state.incident.is_some();
    match action {
        Action::Back => {
            state.overlays.pop();
        }
        Action::StartIncident if !open => ask(state, Asks::Title),
        Action::AddNote if open => ask(state, Asks::Note),
        Action::SetMilestone(milestone) if open => ask(state, Asks::When(*milestone)),
        Action::CloseIncident if open => state.overlays.push(Overlay::Ask(Question::CloseIncident)),
        Action::StartIncident => state.flash(strings::INCIDENT_ALREADY_OPEN),
        Action::AddNote | Action::SetMilestone(_) | Action::CloseIncident => state.flash(strings::NO_INCIDENT),
        _ => {}
    }
    Vec::new()
}

/// Opens the panel, and has the journal read again: an incident may have
/// been opened or closed from another terminal.
pub fn show_panel(state: &mut AppState) -> Vec<Effect> {
    // In a drill, the journal is the drill's: the briefing stands in.
    state.overlays.push(if state.rehearsal.is_some() { Overlay::Drill { scroll: 0 } } else { Overlay::Incident });
    vec![Effect::Incident(IncidentChange::Refresh)]
}

fn ask(state: &mut AppState, asks: Asks) {
    let mut input = TextArea::default();
    input.set_cursor_line_style(Style::default());
    state.overlays.push(Overlay::Prompt(Box::new(Prompt { asks, input })));
}

/// A key in a prompt: Enter records what was typed.
pub fn update_prompt(state: &mut AppState, action: Action) -> Vec<Effect> {
    let Some(Overlay::Prompt(prompt)) = state.overlays.last_mut() else { return Vec::new() };
    match action {
        Action::Back => {
            state.overlays.pop();
        }
        Action::Edit(input) => edit_line(&mut prompt.input, input),
        Action::Paste(text) => {
            prompt.input.insert_str(text.replace(['\r', '\n', '\t'], " "));
        }
        Action::Submit => {
            let text = prompt.input.lines().concat().trim().to_owned();
            let effect = match prompt.asks {
                Asks::Title | Asks::Note if text.is_empty() => {
                    state.flash(&strings::type_something());
                    return Vec::new();
                }
                Asks::Title => Effect::Incident(IncidentChange::Start(text)),
                Asks::Note => Effect::Journal(Box::new(Event::Note { text })),
                Asks::When(milestone) => match backfilled(&text, OffsetDateTime::from(state.wall)) {
                    Ok(at) => Effect::Journal(Box::new(Event::Milestone { milestone, at })),
                    Err(why) => {
                        state.flash(&why);
                        return Vec::new();
                    }
                },
            };
            state.overlays.pop();
            return vec![effect];
        }
        _ => {}
    }
    Vec::new()
}

/// The journal's answer: the open incident as it now reads.
pub fn receive(state: &mut AppState, news: IncidentNews) {
    let was = std::mem::replace(&mut state.incident, news.incident);
    if state.rehearsal.is_some() {
        crate::tui::rehearsal::receive(state, news.problem.is_none());
    } else if let (Some(closed), None, None) = (&was, &state.incident, &news.problem) {
        // Closed here or elsewhere: the id the export needs.
        state.flash(&strings::incident_closed(&closed.id));
    }
    if let Some(problem) = news.problem {
        state.flash(&problem);
    } else if news.unrecorded_run {
        state.unrecorded_runs += 1;
        if state.unrecorded_runs == 1 {
            state.flash(&strings::not_recorded());
        }
    }
}

/// What the journal is told when an entry is opened (in a drill, the
/// diagnosis too, when it is the answer).
#[must_use]
pub fn entry_opened(state: &AppState, entry: usize, query: Option<String>) -> Vec<Effect> {
    let id = state.catalog.entries()[entry].id().to_owned();
    let diagnosed = crate::tui::rehearsal::diagnosed(state, &id);
    let opened = Event::EntryOpened { entry: id, query: query.filter(|q| !q.trim().is_empty()) };
    std::iter::once(Effect::Journal(Box::new(opened))).chain(diagnosed).collect()
}

/// The record of a confirmed run: the command as confirmed, a secret's
/// value redacted, and where it acts.
#[must_use]
pub fn run_record(state: &AppState, confirm: &Confirm, journal_as: &str) -> Option<Event> {
    let (entry, step) = confirm.key.resolve(&state.catalog)?;
    let values = confirm
        .values
        .iter()
        .map(|chosen| UsedValue {
            name: chosen.name.clone(),
            value: if chosen.secret { crate::journal::secret::marker(&chosen.name) } else { chosen.value.clone() },
            from: if chosen.secret { "secret".to_owned() } else { chosen.origin.word().to_owned() },
        })
        .collect();
    let mut acts_on = Vec::new();
    if let Some(whereabouts) = &confirm.whereabouts {
        for kube in &whereabouts.kube {
            let known = |value: &Option<String>| value.clone().unwrap_or_else(|| "unknown".to_owned());
            acts_on.push(format!(
                "kube context {}, namespace {}",
                known(&kube.context.value),
                known(&kube.namespace.value)
            ));
        }
        acts_on.extend(whereabouts.ssh_hosts.iter().map(|host| format!("ssh {host}")));
    }
    let danger = if confirm.needs.is_some() { crate::catalog::Danger::Destructive } else { step.danger };
    Some(Event::StepRun(Box::new(StepRun {
        entry: entry.id().to_owned(),
        step: step_number(confirm.key),
        run: journal_as.to_owned(),
        command: redacted(step.run().unwrap_or_default(), &confirm.values),
        values,
        cwd: state.working_dir.clone(),
        shell: Shell::for_lang(&step.lang).program().to_owned(),
        danger: danger.to_string(),
        acts_on,
    })))
}

/// What the journal is told when run `id` has ended (or could not start).
#[must_use]
pub fn run_ended(state: &AppState, id: u64, printed: Option<Printed>) -> Vec<Effect> {
    let Some((&key, run)) = state.runs.iter().find(|(_, run)| run.id == id) else { return Vec::new() };
    result_record(state, key, run, printed).map(|event| Effect::Journal(Box::new(event))).into_iter().collect()
}

fn result_record(state: &AppState, key: StepKey, run: &RunState, printed: Option<Printed>) -> Option<Event> {
    let (entry, _) = key.resolve(&state.catalog)?;
    let printed = printed.unwrap_or(Printed { lines: 0, tail: Vec::new(), sha256: String::new(), output: None });
    let duration = run.ended.map_or(std::time::Duration::ZERO, |ended| ended.duration_since(run.started));
    Some(Event::StepResult(Box::new(StepResult {
        entry: entry.id().to_owned(),
        step: step_number(key),
        run: run.journal_as.clone(),
        exit: run.outcome.and_then(|o| o.code),
        signal: run.outcome.and_then(|o| o.signal),
        error: run.error.clone(),
        duration_ms: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
        lines: printed.lines,
        tail: printed.tail,
        sha256: printed.sha256,
        output: printed.output,
    })))
}

/// A step as the journal numbers it: from 1, as the detail shows it.
#[must_use]
pub fn step_number(key: StepKey) -> u32 {
    u32::try_from(key.step + 1).unwrap_or(u32::MAX)
}
