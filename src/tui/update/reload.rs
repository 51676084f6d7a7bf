//! The catalog read again while the navigator runs (its files changed, or
//! F4's editor is done), and F4 itself. Everything that points into the
//! catalog by position follows its entry by id; a form or a confirmation
//! whose command changed is closed, since the person confirmed what is no
//! longer there.

use std::sync::Arc;

use super::super::action::{Effect, Reloaded};
use super::super::command::StepKey;
use super::super::state::{AppState, CopyTo, Focus, Overlay, Page};
use super::super::strings;
use crate::catalog::{Catalog, EMBEDDED_PREFIX};

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
    vec![Effect::EditFile { path: origin.path.to_string(), line: origin.line }]
}

/// Shows the catalog as read again, the selection and the detail on the
/// entries they were on, and searches the query again.
pub fn reloaded(state: &mut AppState, reloaded: Reloaded) -> Vec<Effect> {
    let Reloaded { catalog, diagnostics } = reloaded;
    let old = state.catalog.clone();
    let moved = |entry: usize| old.entries().get(entry).and_then(|e| catalog.position(e.id()));
    let moved_step = |key: StepKey| {
        let entry = moved(key.entry)?;
        (key.step < catalog.entries()[entry].steps.len()).then_some(StepKey { entry, step: key.step })
    };
    let selected = state.shown_entry().and_then(moved);
    if let Some(detail) = &mut state.detail {
        let follow = |page: &Page| {
            moved(page.entry).map(|entry| {
                let steps = catalog.entries()[entry].steps.len();
                Page { entry, item: page.item.filter(|item| *item < steps), ..*page }
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
    state.runs =
        std::mem::take(&mut state.runs).into_iter().filter_map(|(key, run)| Some((moved_step(key)?, run))).collect();
    let mut closed = false;
    state.overlays.retain_mut(|overlay| {
        let dialog = matches!(overlay, Overlay::Form(_) | Overlay::Confirm(_));
        let key = match overlay {
            Overlay::Form(form) => &mut form.key,
            Overlay::Confirm(confirm) => &mut confirm.key,
            Overlay::Output { key, .. } => key,
            _ => return true,
        };
        let kept = moved_step(*key).filter(|new| !dialog || same_command(&old, *key, &catalog, *new));
        if let Some(new) = kept {
            *key = new;
        }
        closed |= kept.is_none();
        kept.is_some()
    });
    let problems = diagnostics.len();
    state.replace_catalog(catalog.clone(), diagnostics);
    // Browsing lists every entry in order: hit i is entry i.
    state.selected = selected.unwrap_or(0);
    state.reselect = selected;
    let said =
        if closed { strings::STEP_CHANGED.to_owned() } else { strings::reloaded(catalog.entries().len(), problems) };
    state.flash(&said);
    state.search_now()
}

/// Whether the step at `old_key` in `old` runs what the step at `new_key`
/// in `new` runs.
fn same_command(old: &Arc<Catalog>, old_key: StepKey, new: &Arc<Catalog>, new_key: StepKey) -> bool {
    let run =
        |catalog: &Arc<Catalog>, key: StepKey| key.resolve(catalog).map(|(_, step)| step.run().map(str::to_owned));
    run(old, old_key) == run(new, new_key)
}
