//! `update`: applies an action to the state and says what the loop must do.
//! No I/O here, so every transition is unit-tested.

use ratatui::layout::{Position, Rect};
use ratatui_textarea::{Input, Key};

use super::action::{Action, Effect, Searched};
use super::state::{AppState, Detail, Focus, Overlay, Page};
use super::view::detail::{Target, document};
use super::view::overlay::{help_lines, problem_lines};

/// Applies one action.
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    if let Some(&overlay) = state.overlays.last() {
        return update_overlay(state, overlay, action);
    }
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::Suspend => return vec![Effect::Suspend],
        Action::Back => return back(state),
        Action::ShowHelp => state.overlays.push(Overlay::Help { scroll: 0 }),
        Action::ShowProblems => state.overlays.push(Overlay::Problems { scroll: 0 }),
        Action::Edit(input) => return edit(state, input),
        Action::Paste(text) => {
            state.focus_results();
            state.search.insert_str(text.replace(['\r', '\n', '\t'], " "));
            return state.search_now();
        }
        Action::Type(c) => {
            state.focus_results();
            state.search.insert_char(c);
            return state.search_now();
        }
        Action::FocusSearch => state.focus_results(),
        Action::Open => open(state),
        Action::Follow => follow(state),
        Action::HistoryBack => history_back(state),
        Action::Move(n) => move_by(state, n, Step::Item),
        Action::Page(n) => move_by(state, n * page_height(state), Step::Page),
        Action::Home => move_by(state, i32::MIN / 2, Step::Item),
        Action::End => move_by(state, i32::MAX / 2, Step::Item),
        Action::Scroll { column, row, lines } => scroll_at(state, Position { x: column, y: row }, lines),
        Action::Click { column, row } => click(state, Position { x: column, y: row }),
        Action::Resize { width, height } => {
            state.size = Rect { x: 0, y: 0, width, height };
            state.keep_selection_visible();
        }
        Action::Searched(searched) => receive(state, *searched),
        Action::Redraw => {}
    }
    Vec::new()
}

fn update_overlay(state: &mut AppState, overlay: Overlay, action: Action) -> Vec<Effect> {
    let height = usize::from(state.size.height.saturating_sub(4));
    let width = state.size.width.saturating_sub(8).min(86);
    let total = match overlay {
        Overlay::Help { .. } => help_lines(state, width).len(),
        Overlay::Problems { .. } => problem_lines(state, width).len(),
    };
    let max = total.saturating_sub(height);
    let step = |scroll: usize, n: i32| offset(scroll, n).min(max);
    let page = i32::try_from(height.max(1)).unwrap_or(1);
    let moved = match action {
        Action::Quit => return vec![Effect::Quit],
        Action::Suspend => return vec![Effect::Suspend],
        Action::Back | Action::ShowHelp | Action::ShowProblems => {
            state.overlays.pop();
            return Vec::new();
        }
        Action::Move(n) | Action::Scroll { lines: n, .. } => Some(n),
        Action::Page(n) => Some(n * page),
        Action::Home => Some(i32::MIN / 2),
        Action::End => Some(i32::MAX / 2),
        Action::Resize { width, height } => {
            state.size = Rect { x: 0, y: 0, width, height };
            None
        }
        Action::Searched(searched) => {
            receive(state, *searched);
            None
        }
        _ => None,
    };
    if let (Some(n), Some(Overlay::Help { scroll } | Overlay::Problems { scroll })) = (moved, state.overlays.last_mut())
    {
        *scroll = step(*scroll, n);
    }
    Vec::new()
}

/// `scroll + n`, clamped at zero.
fn offset(scroll: usize, n: i32) -> usize {
    let n = isize::try_from(n).unwrap_or(0);
    scroll.saturating_add_signed(n)
}

fn back(state: &mut AppState) -> Vec<Effect> {
    if state.focus == Focus::Detail {
        state.focus_results();
        return Vec::new();
    }
    if state.search_text().is_empty() {
        return vec![Effect::Quit];
    }
    state.search.select_all();
    state.search.cut();
    state.search_now()
}

fn edit(state: &mut AppState, input: Input) -> Vec<Effect> {
    // The search line is one line: Enter opens (bound before this), and
    // these never reach it; anything else edits.
    if matches!(input.key, Key::Enter | Key::Tab) || (input.ctrl && matches!(input.key, Key::Char('m' | 'j'))) {
        return Vec::new();
    }
    let before = state.search_text();
    state.search.input(input);
    if state.search_text() == before { Vec::new() } else { state.search_now() }
}

fn open(state: &mut AppState) {
    if state.results_generation != state.generation {
        // Typed then Enter at once: open what the typed query finds.
        state.open_when_searched = true;
        return;
    }
    let Some(hit) = state.results.hits.get(state.selected) else { return };
    // Nothing selected yet: the page opens at its top, and the first ↓
    // selects the first step.
    state.detail = Some(Detail { page: Page { entry: hit.entry, item: None, scroll: 0 }, history: Vec::new() });
    state.focus = Focus::Detail;
}

fn follow(state: &mut AppState) {
    let Some(area) = state.screen().detail else { return };
    let Some(detail) = &state.detail else { return };
    let doc = document(state, detail.page.entry, area.width, detail.page.item);
    let target = detail.page.item.and_then(|i| doc.items.get(i)).map(|item| item.target);
    if let (Some(Target::Link(entry)), Some(detail)) = (target, &mut state.detail) {
        detail.history.push(detail.page);
        detail.page = Page { entry, item: None, scroll: 0 };
    }
}

fn history_back(state: &mut AppState) {
    match state.detail.as_mut().and_then(|d| d.history.pop().map(|page| (d, page))) {
        Some((detail, page)) => detail.page = page,
        None => state.focus_results(),
    }
}

fn page_height(state: &AppState) -> i32 {
    let screen = state.screen();
    let area = if state.focus == Focus::Detail { screen.detail } else { screen.results };
    i32::from(area.map_or(1, |a| a.height.saturating_sub(1).max(1)))
}

/// How a move counts in the detail: by items (steps, links) or by lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Item,
    Page,
}

fn move_by(state: &mut AppState, n: i32, step: Step) {
    match state.focus {
        Focus::Results => {
            let last = state.results.hits.len().saturating_sub(1);
            state.selected = offset(state.selected, n).min(last);
            state.keep_selection_visible();
        }
        Focus::Detail => move_in_detail(state, n, step),
    }
}

/// Moves the selected item, or scrolls by lines for a page.
fn move_in_detail(state: &mut AppState, n: i32, step: Step) {
    let Some(area) = state.screen().detail else { return };
    let Some(detail) = &state.detail else { return };
    let page = detail.page;
    let doc = document(state, page.entry, area.width, page.item);
    let height = usize::from(area.height);
    let max_scroll = doc.lines.len().saturating_sub(height);
    let Some(detail) = &mut state.detail else { return };
    if step == Step::Page {
        // Pages scroll the text; the selection follows to an item in view.
        detail.page.scroll = offset(page.scroll, n).min(max_scroll);
        let view = detail.page.scroll..detail.page.scroll + height;
        if !page.item.is_some_and(|i| doc.items.get(i).is_some_and(|item| view.contains(&item.line))) {
            detail.page.item = doc.items.iter().position(|item| view.contains(&item.line)).or(page.item);
        }
        return;
    }
    let Some(last) = doc.items.len().checked_sub(1) else {
        detail.page.scroll = offset(page.scroll, n).min(max_scroll);
        return;
    };
    // With nothing selected yet, the first move down selects the first item.
    let item = match page.item {
        Some(i) => offset(i, n),
        None => offset(0, n.saturating_sub(1).max(0)),
    }
    .min(last);
    detail.page.item = Some(item);
    let line = doc.items[item].line;
    let end = doc.items.get(item + 1).map_or(doc.lines.len(), |next| next.line);
    if line < detail.page.scroll {
        detail.page.scroll = line.saturating_sub(1);
    } else if end > detail.page.scroll + height {
        detail.page.scroll = (end.saturating_sub(height)).min(line.saturating_sub(1)).min(max_scroll);
    }
}

fn scroll_at(state: &mut AppState, at: Position, lines: i32) {
    let screen = state.screen();
    if screen.results.is_some_and(|r| r.contains(at)) {
        let last = state.results.hits.len().saturating_sub(1);
        state.selected = offset(state.selected, lines).min(last);
        state.keep_selection_visible();
    } else if let (Some(area), Some(index)) = (screen.detail.filter(|r| r.contains(at)), state.shown_entry()) {
        let doc_len = document(state, index, area.width, None).lines.len();
        let max = doc_len.saturating_sub(usize::from(area.height));
        let detail = state
            .detail
            .get_or_insert(Detail { page: Page { entry: index, item: None, scroll: 0 }, history: Vec::new() });
        detail.page.scroll = offset(detail.page.scroll, lines).min(max);
        state.focus = Focus::Detail;
    }
}

fn click(state: &mut AppState, at: Position) {
    let Some(area) = state.screen().results.filter(|r| r.contains(at)) else { return };
    let row = state.results_scroll + usize::from(at.y - area.y);
    if let Some(super::state::Row::Hit(i)) = state.rows().get(row) {
        state.selected = *i;
        state.focus_results();
    }
}

fn receive(state: &mut AppState, searched: Searched) {
    if searched.generation != state.generation {
        return; // overtaken by a newer query
    }
    state.query = searched.query;
    state.results = searched.results;
    state.results_generation = searched.generation;
    state.selected = 0;
    state.results_scroll = 0;
    if std::mem::take(&mut state.open_when_searched) {
        open(state);
    }
}

impl AppState {
    /// Gives the keyboard back to the search line and results.
    fn focus_results(&mut self) {
        self.focus = Focus::Results;
        self.detail = None;
    }

    /// Sends the search line to the worker as a new query.
    fn search_now(&mut self) -> Vec<Effect> {
        self.generation += 1;
        vec![Effect::Search { generation: self.generation, text: self.search_text() }]
    }

    /// Scrolls the results so the selected row (and its heading) is shown.
    fn keep_selection_visible(&mut self) {
        let Some(area) = self.screen().results else { return };
        let height = usize::from(area.height).max(1);
        let rows = self.rows();
        let Some(row) = rows.iter().position(|r| *r == super::state::Row::Hit(self.selected)) else { return };
        let top = if row > 0 && matches!(rows[row - 1], super::state::Row::Heading(_)) { row - 1 } else { row };
        if top < self.results_scroll {
            self.results_scroll = top;
        } else if row >= self.results_scroll + height {
            self.results_scroll = row + 1 - height;
        }
        self.results_scroll = self.results_scroll.min(rows.len().saturating_sub(height));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use ratatui::layout::Rect;
    use ratatui_textarea::{Input, Key};

    use super::*;
    use crate::catalog::{Source, load};
    use crate::highlight::Depth;
    use crate::search::{Index, Query};
    use crate::tui::theme::Theme;

    fn setup() -> (AppState, Index) {
        let index = Index::new(Arc::new(load(&[Source::Embedded]).catalog));
        let results = index.search(&Query::default());
        let theme = Theme { light: false, depth: Some(Depth::Basic16) };
        (AppState::new(index.catalog().clone(), Vec::new(), results, theme, Rect::new(0, 0, 120, 40)), index)
    }

    fn typed(state: &mut AppState, text: &str) -> Vec<Effect> {
        text.chars()
            .flat_map(|c| update(state, Action::Edit(Input { key: Key::Char(c), ..Input::default() })))
            .collect()
    }

    fn answer(state: &mut AppState, index: &Index, effects: &[Effect]) {
        for effect in effects {
            if let Effect::Search { generation, text } = effect {
                let query = Query::parse(text);
                let results = index.search(&query);
                update(state, Action::Searched(Box::new(Searched { generation: *generation, query, results })));
            }
        }
    }

    fn shown_id(state: &AppState) -> &str {
        state.catalog.entries[state.shown_entry().unwrap()].id()
    }

    #[test]
    fn typing_sends_numbered_queries_and_stale_answers_are_dropped() {
        let (mut state, index) = setup();
        let effects = typed(&mut state, "ab");
        assert_eq!(effects.len(), 2);
        assert_eq!(effects[1], Effect::Search { generation: 2, text: "ab".into() });
        // The answer to "a" arrives after "ab" was typed: ignored.
        let overtaken = Searched { generation: 1, query: Query::parse("a"), results: index.search(&Query::parse("a")) };
        update(&mut state, Action::Searched(Box::new(overtaken)));
        assert_eq!(state.results_generation, 0);
        answer(&mut state, &index, &effects[1..]);
        assert_eq!(state.results_generation, 2);
    }

    #[test]
    fn enter_before_the_results_opens_what_the_query_finds() {
        let (mut state, index) = setup();
        let effects = typed(&mut state, "no such host");
        assert!(update(&mut state, Action::Open).is_empty());
        assert_eq!(state.focus, Focus::Results, "waits for the results");
        answer(&mut state, &index, &effects);
        assert_eq!(state.focus, Focus::Detail);
        assert_eq!(shown_id(&state), "coredns-down");
    }

    #[test]
    fn escape_backs_out_one_level_at_a_time() {
        let (mut state, index) = setup();
        let effects = typed(&mut state, "redis");
        answer(&mut state, &index, &effects);
        update(&mut state, Action::Open);
        assert_eq!(state.focus, Focus::Detail);
        assert!(update(&mut state, Action::Back).is_empty());
        assert_eq!(state.focus, Focus::Results);
        let effects = update(&mut state, Action::Back);
        assert!(matches!(&effects[..], [Effect::Search { text, .. }] if text.is_empty()));
        assert_eq!(state.search_text(), "");
        assert_eq!(update(&mut state, Action::Back), [Effect::Quit]);
    }

    #[test]
    fn links_are_followed_and_backspace_returns_to_the_same_place() {
        let (mut state, index) = setup();
        let effects = typed(&mut state, "coredns");
        answer(&mut state, &index, &effects);
        update(&mut state, Action::Open);
        update(&mut state, Action::End);
        let before = state.detail.clone().unwrap().page;
        update(&mut state, Action::Follow);
        let after = state.detail.clone().unwrap();
        assert_ne!(after.page.entry, before.entry, "followed a link");
        assert_eq!(after.history, [before]);
        update(&mut state, Action::HistoryBack);
        assert_eq!(state.detail.as_ref().unwrap().page, before);
        update(&mut state, Action::HistoryBack);
        assert_eq!(state.focus, Focus::Results, "no history left: back to the results");
    }

    #[test]
    fn selection_moves_within_bounds() {
        let (mut state, _) = setup();
        update(&mut state, Action::Move(-1));
        assert_eq!(state.selected, 0);
        update(&mut state, Action::End);
        assert_eq!(state.selected, state.results.hits.len() - 1);
        update(&mut state, Action::Move(5));
        assert_eq!(state.selected, state.results.hits.len() - 1);
        update(&mut state, Action::Page(-1));
        assert!(state.selected < state.results.hits.len() - 1);
        update(&mut state, Action::Home);
        assert_eq!((state.selected, state.results_scroll), (0, 0));
    }

    #[test]
    fn overlays_take_the_keys_until_closed() {
        let (mut state, _) = setup();
        state.size = Rect::new(0, 0, 80, 16);
        update(&mut state, Action::ShowHelp);
        update(&mut state, Action::Move(3));
        assert_eq!(state.selected, 0, "the help scrolled, not the results");
        assert_eq!(state.overlays, [Overlay::Help { scroll: 3 }]);
        assert!(update(&mut state, Action::Back).is_empty());
        assert!(state.overlays.is_empty());
        assert_eq!(update(&mut state, Action::Back), [Effect::Quit]);
    }

    #[test]
    fn pasted_lines_become_one_line_of_search() {
        let (mut state, _) = setup();
        let effects = update(&mut state, Action::Paste("dial tcp\nno such host\r\n".into()));
        assert_eq!(effects, [Effect::Search { generation: 1, text: "dial tcp no such host  ".into() }]);
    }

    #[test]
    fn a_letter_typed_in_the_detail_starts_a_new_search() {
        let (mut state, _) = setup();
        update(&mut state, Action::Open);
        let effects = update(&mut state, Action::Type('x'));
        assert_eq!(state.focus, Focus::Results);
        assert!(matches!(&effects[..], [Effect::Search { text, .. }] if text == "x"));
    }
}
