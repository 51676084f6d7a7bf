//! Moving in the detail page and the results: selecting steps and links
//! while they are in view, scrolling like a pager, following links and
//! going back, the mouse.

use ratatui::layout::Position;

use super::super::command::StepKey;
use super::super::layout::document::{Document, Target, document};
use super::super::layout::{Motion, Scroll};
use super::super::state::{AppState, Detail, Focus, Page};

/// The step selected in the detail, while it is in view.
pub(super) fn selected_step(state: &AppState) -> Option<StepKey> {
    let area = state.screen().detail?;
    let detail = state.detail.as_ref()?;
    let doc = document(state, detail.page.entry, area.width, detail.page.item);
    let height = usize::from(area.height);
    let item = doc.items.get(detail.page.item?)?;
    if !(detail.page.scroll..detail.page.scroll + height).contains(&item.line) {
        return None;
    }
    match item.target {
        Target::Step(step) => Some(StepKey { entry: detail.page.entry, step }),
        Target::Link(_) => None,
    }
}

/// Selects step `n` (from 1) of the detail and scrolls it into view.
pub(super) fn select_step(state: &mut AppState, n: usize) {
    let Some(area) = state.screen().detail else { return };
    let Some(detail) = &state.detail else { return };
    let doc = document(state, detail.page.entry, area.width, detail.page.item);
    let Some(item) = doc.items.iter().position(|i| i.target == Target::Step(n.wrapping_sub(1))) else {
        state.flash(&crate::tui::strings::no_such_step(n));
        return;
    };
    let scroll = scroll_to_show(&doc, item, detail.page.scroll, usize::from(area.height));
    if let Some(detail) = &mut state.detail {
        detail.page.item = Some(item);
        detail.page.scroll = scroll;
    }
}

/// The scroll that shows item `item` whole when it fits, else from its
/// start, moving as little as possible from `scroll`.
fn scroll_to_show(doc: &Document, item: usize, scroll: usize, height: usize) -> usize {
    let start = doc.items[item].line;
    let end = doc.items.get(item + 1).map_or(doc.lines.len(), |after| after.line);
    let max_scroll = doc.lines.len().saturating_sub(height);
    if start < scroll {
        start
    } else if end > scroll + height {
        end.saturating_sub(height).min(start).min(max_scroll)
    } else {
        scroll
    }
}

/// Follows the selected link, if one is selected and in view; says to
/// which entry.
pub(super) fn follow(state: &mut AppState) -> Option<usize> {
    let area = state.screen().detail?;
    let detail = state.detail.as_ref()?;
    let doc = document(state, detail.page.entry, area.width, detail.page.item);
    // Only what can be seen is followed (a resize may have scrolled it away).
    let height = usize::from(area.height);
    let visible = |line: usize| (detail.page.scroll..detail.page.scroll + height).contains(&line);
    let target =
        detail.page.item.and_then(|i| doc.items.get(i)).filter(|item| visible(item.line)).map(|item| item.target);
    if let (Some(Target::Link(entry)), Some(detail)) = (target, &mut state.detail) {
        detail.history.push(detail.page);
        detail.page = Page { entry, item: None, scroll: 0 };
        return Some(entry);
    }
    None
}

pub(super) fn history_back(state: &mut AppState) {
    match state.detail.as_mut().and_then(|d| d.history.pop().map(|page| (d, page))) {
        Some((detail, page)) => detail.page = page,
        None => state.focus_results(),
    }
}

/// A page: the pane's height less one line, kept in view for context.
fn page_height(state: &AppState) -> usize {
    let screen = state.screen();
    let area = if state.focus == Focus::Detail { screen.detail } else { screen.results };
    usize::from(area.map_or(1, |a| a.height.saturating_sub(1).max(1)))
}

pub(super) fn move_by(state: &mut AppState, motion: Motion) {
    match state.focus {
        Focus::Results => {
            // The selection moves as a scroll over the hits would.
            let hits = state.results().hits.len();
            state.selected = Scroll::new(state.selected, hits, 1).after(motion, page_height(state));
            state.keep_selection_visible();
        }
        Focus::Detail => move_in_detail(state, motion),
    }
}

/// Lines scrolled by ↑/↓ when the next step or link is not in view.
pub(super) const SCROLL_LINES: i32 = 3;

/// Moves in the detail like a pager with links: ↑/↓ select the previous or
/// next step or link while it is in view, and otherwise scroll, so no text
/// is skipped; pages scroll; Home and End go to the top and the bottom.
fn move_in_detail(state: &mut AppState, motion: Motion) {
    let page_lines = page_height(state);
    let Some(area) = state.screen().detail else { return };
    let Some(detail) = &state.detail else { return };
    let page = detail.page;
    let doc = document(state, page.entry, area.width, page.item);
    let height = usize::from(area.height);
    let scroll = |top: usize| Scroll::new(top, doc.lines.len(), height);
    let in_view =
        |scroll: usize, item: usize| doc.items.get(item).is_some_and(|i| (scroll..scroll + height).contains(&i.line));
    let first_in_view = |scroll: usize| (0..doc.items.len()).find(|&i| in_view(scroll, i));
    let Some(detail) = &mut state.detail else { return };
    let current = &mut detail.page;
    match motion {
        Motion::Pages(_) => current.scroll = scroll(current.scroll).after(motion, page_lines),
        Motion::Home | Motion::End => {
            current.scroll = scroll(current.scroll).after(motion, page_lines);
            current.item = if motion == Motion::Home { None } else { doc.items.len().checked_sub(1) };
            return;
        }
        Motion::Lines(n) => {
            let candidate = match (current.item, n > 0) {
                (Some(i), true) => Some(i + 1),
                (None, true) => first_in_view(current.scroll),
                (Some(i), false) => i.checked_sub(1),
                (None, false) => None,
            };
            if let Some(next) = candidate.filter(|&i| in_view(current.scroll, i)) {
                current.item = Some(next);
                current.scroll = scroll_to_show(&doc, next, current.scroll, height);
                return;
            }
            current.scroll = scroll(current.scroll).after(Motion::Lines(n.signum() * SCROLL_LINES), 1);
        }
    }
    if !current.item.is_some_and(|i| in_view(current.scroll, i)) {
        current.item = first_in_view(current.scroll);
    }
}

pub(super) fn scroll_at(state: &mut AppState, at: Position, lines: i32) {
    let screen = state.screen();
    if screen.results.is_some_and(|r| r.contains(at)) {
        state.selected = Scroll::new(state.selected, state.results().hits.len(), 1).after(Motion::Lines(lines), 1);
        state.keep_selection_visible();
    } else if let (Some(area), Some(index)) = (screen.detail.filter(|r| r.contains(at)), state.shown_entry()) {
        let total = document(state, index, area.width, None).lines.len();
        let height = usize::from(area.height);
        let detail = state
            .detail
            .get_or_insert(Detail { page: Page { entry: index, item: None, scroll: 0 }, history: Vec::new() });
        detail.page.scroll = Scroll::new(detail.page.scroll, total, height).after(Motion::Lines(lines), 1);
        state.focus = Focus::Detail;
    }
}

pub(super) fn click(state: &mut AppState, at: Position) {
    let Some(area) = state.screen().results.filter(|r| r.contains(at)) else { return };
    let row = state.results_scroll + usize::from(at.y - area.y);
    if let Some(super::super::state::Row::Hit(i)) = state.rows().get(row) {
        state.selected = i;
        state.focus_results();
    }
}

/// After a resize, the detail scrolls back so it stays filled: scrolled to
/// the end and made taller, it showed blank rows under the last line.
pub(super) fn keep_detail_filled(state: &mut AppState) {
    let Some(area) = state.screen().detail else { return };
    let Some(detail) = &state.detail else { return };
    let total = document(state, detail.page.entry, area.width, detail.page.item).lines.len();
    if let Some(detail) = &mut state.detail {
        detail.page.scroll = Scroll::new(detail.page.scroll, total, usize::from(area.height)).top;
    }
}
