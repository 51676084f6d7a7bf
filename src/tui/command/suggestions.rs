//! A form field's live suggestions: `^L` runs the var's `suggest` command
//! off the loop (shown first, for a catalog we did not write), and ↑↓ then
//! go through the values it listed.

use super::values::{Form, ValueOrigin};
use crate::catalog::{Catalog, EMBEDDED_PREFIX, Suggest, Var};
use crate::suggest::Listed;
use crate::template::RenderError;
use crate::tui::action::{Effect, ListRequest};
use crate::tui::state::{AppState, Overlay};
use crate::tui::strings;

/// Where a field's suggestions are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Listing {
    /// Not asked for.
    #[default]
    NotAsked,
    /// This command is shown; `^L` again runs it.
    Shown(String),
    /// This command runs.
    Running(String),
    /// How the last listing went.
    Done(Listed),
}

impl Listing {
    /// The values to go through with ↑↓: those listed, else none.
    #[must_use]
    pub fn values(&self) -> &[String] {
        match self {
            Listing::Done(Listed::Offered(offered)) => &offered.values,
            _ => &[],
        }
    }
}

/// `^L` in the form: lists the focused field's values with its var's
/// `suggest`, once its command has been shown.
pub fn list_values(state: &mut AppState) -> Vec<Effect> {
    let catalog = state.catalog.clone();
    let (read_only, drill) = (state.read_only, state.rehearsal.is_some());
    let Some(Overlay::Form(form)) = state.overlays.last_mut() else { return Vec::new() };
    let Some((entry, _)) = form.key.resolve(&catalog) else { return Vec::new() };
    let Some(field) = form.fields.get(form.focused) else { return Vec::new() };
    let Some((var, suggest)) = entry.var(&field.name).and_then(|var| Some((var, var.suggest.as_ref()?))) else {
        let message = strings::no_suggestion(&field.name);
        state.flash(&message);
        return Vec::new();
    };
    if read_only || drill {
        state.flash(strings::SUGGESTION_NOT_RUN);
        return Vec::new();
    }
    let command = match command_for(form, suggest) {
        Ok(command) => command,
        Err(why) => {
            state.flash(&why);
            return Vec::new();
        }
    };
    let embedded = entry.origin().path.starts_with(EMBEDDED_PREFIX);
    let field = &mut form.fields[form.focused];
    let shown_before = field.listing == Listing::Shown(command.clone()) || state.suggestions_seen.contains(&command);
    if !embedded && !shown_before {
        field.listing = Listing::Shown(command);
        return Vec::new();
    }
    state.suggestions_seen.insert(command.clone());
    field.listing = Listing::Running(command.clone());
    let request =
        ListRequest { key: form.key, field: field.name.clone(), command, suggest: suggest.clone(), var: var.clone() };
    vec![Effect::List(Box::new(request))]
}

/// The suggestion's command with the other fields' values, or why it
/// cannot run yet.
fn command_for(form: &Form, suggest: &Suggest) -> Result<String, String> {
    let values = form.values();
    suggest.command(|name| values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())).map_err(|err| {
        let asked = matches!(&err, RenderError::Missing(name) if values.iter().any(|(n, _)| n == name));
        strings::suggestion_needs(&err, asked)
    })
}

/// The answer of a listing: kept by its field if the form still waits for
/// it (the person may have closed the form or typed another value since).
pub fn listed(state: &mut AppState, request: &ListRequest, listed: Listed) {
    let Some(Overlay::Form(form)) = state.overlays.last_mut() else { return };
    if form.key != request.key {
        return;
    }
    let Some(field) = form.fields.iter_mut().find(|f| f.name == request.field) else { return };
    if field.listing != Listing::Running(request.command.clone()) {
        return;
    }
    field.listing = Listing::Done(listed);
}

/// ↑↓ in the form: the next value listed, else the next declared choice;
/// whether the field had any to go through.
pub fn next_value(catalog: &Catalog, form: &mut Form, step: isize) -> bool {
    let declared =
        || -> Option<&Var> { catalog.entries().get(form.key.entry)?.var(&form.fields.get(form.focused)?.name) };
    let choices: Vec<String> = match form.fields.get(form.focused) {
        Some(field) if !field.listing.values().is_empty() => field.listing.values().to_vec(),
        _ => declared().map(|var| var.choices.clone()).unwrap_or_default(),
    };
    let Some(field) = form.fields.get_mut(form.focused).filter(|_| !choices.is_empty()) else { return false };
    let next = match choices.iter().position(|c| *c == field.value()) {
        Some(i) => (i.cast_signed() + step).rem_euclid(choices.len().cast_signed()).cast_unsigned(),
        None if step < 0 => choices.len() - 1,
        None => 0,
    };
    field.set(choices[next].clone(), ValueOrigin::Typed);
    true
}
