//! A form field's live suggestions: `^L` runs the var's `suggest` command
//! off the loop (shown first, for a catalog we did not write), and ↑↓ then
//! go through the values it listed.

use super::values::{Form, ValueOrigin};
use crate::catalog::{Catalog, EMBEDDED_PREFIX, Entry, Suggest};
use crate::suggest::Listed;
use crate::template::{self, RenderError};
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
    /// How the listing by this command went.
    Done(String, Listed),
}

/// The command field `field`'s suggestion would run with the values the
/// form holds now, if it can run.
fn current(entry: &Entry, form: &Form, field: usize) -> Option<String> {
    let suggest = entry.var(&form.fields.get(field)?.name)?.suggest.as_ref()?;
    command_for(entry, form, suggest).ok()
}

/// Whether field `field` holds values listed with other values than the
/// form holds now (the namespace was changed since): they are not offered.
#[must_use]
pub fn stale(entry: &Entry, form: &Form, field: usize) -> bool {
    match &form.fields[field].listing {
        Listing::Done(command, _) => current(entry, form, field).as_ref() != Some(command),
        _ => false,
    }
}

/// The values listed for field `field` with the values the form holds now.
#[must_use]
pub fn offered<'f>(entry: &Entry, form: &'f Form, field: usize) -> &'f [String] {
    match &form.fields[field].listing {
        Listing::Done(_, Listed::Offered(offered)) if !stale(entry, form, field) => &offered.values,
        _ => &[],
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
    let command = match command_for(entry, form, suggest) {
        Ok(command) => command,
        Err(why) => {
            state.flash(&why);
            return Vec::new();
        }
    };
    // Not ours: its first `^L` shows the command; from then on it runs.
    let embedded = entry.origin().path.starts_with(EMBEDDED_PREFIX);
    let field = &mut form.fields[form.focused];
    if state.suggestions_seen.insert(command.clone()) && !embedded {
        field.listing = Listing::Shown(command);
        return Vec::new();
    }
    field.listing = Listing::Running(command.clone());
    let secrets = super::values::secrets(&form.chosen());
    let field = &form.fields[form.focused];
    let (suggest, var) = (suggest.clone(), var.clone());
    let request = ListRequest { key: form.key, field: field.name.clone(), command, suggest, var, secrets };
    vec![Effect::List(Box::new(request))]
}

/// The suggestion's command with the other fields' values, or why it
/// cannot run yet. A value the form refuses (a leading `-`, outside its
/// pattern) is refused here too: the suggestion would run it.
fn command_for(entry: &Entry, form: &Form, suggest: &Suggest) -> Result<String, String> {
    let values = form.values();
    for name in template::placeholder_names(&suggest.run) {
        let Some((_, value)) = values.iter().find(|(n, v)| n == name && !v.is_empty()) else { continue };
        if let Err(problem) = super::values::check(entry, name, value) {
            return Err(strings::suggestion_refused(name, &problem));
        }
    }
    suggest.command(|name| values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())).map_err(|err| {
        let asked = matches!(&err, RenderError::Missing(name) if values.iter().any(|(n, _)| n == name));
        strings::suggestion_needs(&err, asked)
    })
}

/// The answer of a listing: kept by its field if the form still waits for
/// it (the person may have closed the form or typed another value since).
pub fn listed(state: &mut AppState, request: &ListRequest, listed: Listed) {
    // Help may be open over the form meanwhile.
    let form = state.overlays.iter_mut().find_map(|overlay| match overlay {
        Overlay::Form(form) if form.key == request.key => Some(form),
        _ => None,
    });
    let Some(form) = form else { return };
    let Some(field) = form.fields.iter_mut().find(|f| f.name == request.field) else { return };
    if field.listing != Listing::Running(request.command.clone()) {
        return;
    }
    field.listing = Listing::Done(request.command.clone(), listed);
}

/// ↑↓ in the form: the next value listed, else the next declared choice;
/// whether the field had any to go through.
pub fn next_value(catalog: &Catalog, form: &mut Form, step: isize) -> bool {
    let Some(entry) = catalog.entries().get(form.key.entry) else { return false };
    let Some(field) = form.fields.get(form.focused) else { return false };
    let listed = offered(entry, form, form.focused);
    let (choices, origin) = if listed.is_empty() {
        (entry.var(&field.name).map(|var| var.choices.clone()).unwrap_or_default(), ValueOrigin::Typed)
    } else {
        (listed.to_vec(), ValueOrigin::Listed)
    };
    let Some(field) = form.fields.get_mut(form.focused).filter(|_| !choices.is_empty()) else { return false };
    let next = match choices.iter().position(|c| *c == field.value()) {
        Some(i) => (i.cast_signed() + step).rem_euclid(choices.len().cast_signed()).cast_unsigned(),
        None if step < 0 => choices.len() - 1,
        None => 0,
    };
    field.set(choices[next].clone(), origin);
    true
}
