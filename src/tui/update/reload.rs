//! The catalog read again while the navigator runs (its files changed, or
//! F4's editor is done), and F4 itself. Everything that points into the
//! catalog by position follows its entry by id; a form, a confirmation or
//! an output pane whose step changed is closed, since what the person saw
//! is no longer what would run.

use std::sync::Arc;

use super::super::action::{Effect, Reloaded, SharedCatalog};
use super::super::command::{CheckState, Listing, StepKey};
use super::super::state::{AppState, CopyTo, Focus, Overlay, Page};
use super::super::strings;
use crate::catalog::{Catalog, EMBEDDED_PREFIX};
use crate::diagnostic::errors;

/// F4: the shown entry's file, at its line, in the editor.
pub fn edit_entry(state: &mut AppState) -> Vec<Effect> {
    let Some(entry) = state.shown_entry().and_then(|i| state.catalog.entries().get(i)) else {
        state.flash(strings::SELECT_AN_ENTRY);
        return Vec::new();
    };
    let origin = entry.origin();
    if origin.path.starts_with(EMBEDDED_PREFIX) {
        state.flash(strings::BUILT_IN);
        return Vec::new();
    }
    if state.copy_to == CopyTo::Prompt {
        state.flash(strings::NO_EDITOR_FOR_THE_PROMPT);
        return Vec::new();
    }
    // A drill's catalog stays as the scenario began.
    if state.rehearsal.is_some() {
        state.flash(strings::NO_EDITOR_IN_A_DRILL);
        return Vec::new();
    }
    vec![Effect::EditFile { path: origin.path.to_string(), line: origin.line }]
}

/// Shows the catalog as read again, the selection and the detail on the
/// entries they were on, and searches the query again.
pub fn reloaded(state: &mut AppState, reloaded: Reloaded) -> Vec<Effect> {
    // What is under way points into the catalog by position (a run's
    // verify, a check, a listing): the new catalog waits for it to end.
    if busy(state) {
        state.pending_reload = Some(Box::new(reloaded));
        state.flash(strings::RELOAD_WAITS);
        return Vec::new();
    }
    let Reloaded { catalog: SharedCatalog(catalog), diagnostics } = reloaded;
    // A file saved half-way, or broken by a teammate, would take its
    // entries off the screen mid-incident: until it is fixed, the catalog
    // stays as it was, and F2 lists what is wrong now (compared with the
    // catalog shown, not with the problems listed since).
    if errors(&diagnostics) > state.errors_shown {
        state.diagnostics = diagnostics;
        state.flash(strings::KEPT_AS_IT_WAS);
        return Vec::new();
    }
    let old = state.catalog.clone();
    let moved = |entry: usize| old.entries().get(entry).and_then(|e| catalog.position(e.id()));
    let moved_step = |key: StepKey| {
        let entry = moved(key.entry)?;
        (key.step < catalog.entries()[entry].steps.len()).then_some(StepKey { entry, step: key.step })
    };
    let selected = state.shown_entry().and_then(moved);
    if let Some(detail) = &mut state.detail {
        // The selected item (a step or a link) stays while the entry's
        // steps and links are as many as before.
        let items = |e: &crate::catalog::Entry| (e.steps.len(), e.related().count(), e.runbooks().count());
        let follow = |page: &Page| {
            moved(page.entry).map(|entry| {
                let same = items(&catalog.entries()[entry]) == items(&old.entries()[page.entry]);
                Page { entry, item: page.item.filter(|_| same), ..*page }
            })
        };
        detail.history = detail.history.iter().filter_map(follow).collect();
        if let Some(page) = follow(&detail.page) {
            detail.page = page;
        } else {
            state.detail = None;
            state.focus = Focus::Results;
        }
    }
    // Nothing runs (see `busy`): a past run stays under its step only if
    // the step still runs what it ran.
    state.runs = std::mem::take(&mut state.runs)
        .into_iter()
        .filter_map(|(key, run)| Some((moved_step(key).filter(|new| same_step(&old, key, &catalog, *new))?, run)))
        .collect();
    let mut closed = false;
    state.overlays.retain_mut(|overlay| {
        let key = match overlay {
            Overlay::Form(form) => &mut form.key,
            Overlay::Confirm(confirm) => &mut confirm.key,
            Overlay::Output { key, .. } => key,
            _ => return true,
        };
        // A dialog shows what its step does; an output pane, the run kept.
        let kept = moved_step(*key).filter(|new| same_step(&old, *key, &catalog, *new));
        if let Some(new) = kept {
            *key = new;
        }
        closed |= kept.is_none();
        kept.is_some()
    });
    let problems = diagnostics.len();
    state.errors_shown = errors(&diagnostics);
    state.replace_catalog(catalog.clone(), diagnostics);
    // Browsing lists every entry in order: hit i is entry i.
    state.selected = selected.unwrap_or(0);
    // Said unless something else is (an editor that failed).
    if closed {
        state.flash(strings::STEP_CHANGED);
    } else if state.flash.is_none() {
        state.flash(&strings::reloaded(catalog.entries().len(), problems));
    }
    // The worker searches the new catalog before the query over it.
    let mut effects = vec![Effect::SearchCatalog(SharedCatalog(catalog))];
    effects.extend(state.search_now());
    state.reselect = selected;
    effects
}

/// A catalog read again while something was under way, once it has ended.
pub fn when_idle(state: &mut AppState) -> Vec<Effect> {
    match state.pending_reload.take() {
        Some(pending) if !busy(state) => reloaded(state, *pending),
        pending => {
            state.pending_reload = pending;
            Vec::new()
        }
    }
}

/// Whether a run, a check or a listing is under way.
fn busy(state: &AppState) -> bool {
    let checking = |check: &Option<CheckState>| check.as_ref().is_some_and(|c| c.result.is_none());
    state.runs.values().any(|run| run.running() || checking(&run.verify))
        || state.overlays.iter().any(|overlay| match overlay {
            Overlay::Confirm(confirm) => checking(&confirm.precheck),
            Overlay::Form(form) => form.fields.iter().any(|f| matches!(f.listing, Listing::Running(_))),
            _ => false,
        })
}

/// Whether the step at `old_key` in `old` does what the step at `new_key`
/// in `new` does: its command, shell, danger, terminal, place and checks
/// (a confirmation shown for one must not run the other).
fn same_step(old: &Arc<Catalog>, old_key: StepKey, new: &Arc<Catalog>, new_key: StepKey) -> bool {
    fn what(step: &crate::catalog::Step) -> impl PartialEq + '_ {
        (step.run(), &step.lang, step.danger, step.interactive, step.place(), step.verify(), step.precheck())
    }
    match (old_key.resolve(old), new_key.resolve(new)) {
        (Some((_, was)), Some((_, is))) => what(was) == what(is),
        _ => false,
    }
}
