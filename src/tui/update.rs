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
        Action::Move(n) => move_by(state, n),
        Action::Page(n) => move_by(state, n * page_height(state)),
        Action::Home => move_by(state, i32::MIN / 2),
        Action::End => move_by(state, i32::MAX / 2),
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
    let Some(hit) = state.results.hits.get(state.selected) else { return };
    state.detail = Some(Detail { page: Page { entry: hit.entry, item: None, scroll: 0 }, history: Vec::new() });
    state.focus = Focus::Detail;
    select_first_item(state);
}

/// Selects the first step or link, if the page has one.
fn select_first_item(state: &mut AppState) {
    let Some(width) = state.screen().detail.map(|area| area.width) else { return };
    let Some(detail) = &state.detail else { return };
    let doc = document(state, detail.page.entry, width, None);
    if let Some(detail) = &mut state.detail {
        detail.page.item = (!doc.items.is_empty()).then_some(0);
    }
}

fn follow(state: &mut AppState) {
    let Some(area) = state.screen().detail else { return };
    let Some(detail) = &state.detail else { return };
    let doc = document(state, detail.page.entry, area.width, detail.page.item);
    let target = detail.page.item.and_then(|i| doc.items.get(i)).map(|item| item.target);
    if let (Some(Target::Link(entry)), Some(detail)) = (target, &mut state.detail) {
        detail.history.push(detail.page);
        detail.page = Page { entry, item: None, scroll: 0 };
        select_first_item(state);
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

fn move_by(state: &mut AppState, n: i32) {
    match state.focus {
        Focus::Results => {
            let last = state.results.hits.len().saturating_sub(1);
            state.selected = offset(state.selected, n).min(last);
            state.keep_selection_visible();
        }
        Focus::Detail => move_in_detail(state, n),
    }
}

/// Moves the selected item, or scrolls when a page move goes past items.
fn move_in_detail(state: &mut AppState, n: i32) {
    let Some(area) = state.screen().detail else { return };
    let Some(detail) = &state.detail else { return };
    let page = detail.page;
    let doc = document(state, page.entry, area.width, page.item);
    let height = usize::from(area.height);
    let max_scroll = doc.lines.len().saturating_sub(height);
    let Some(detail) = &mut state.detail else { return };
    if n.unsigned_abs() > 1 {
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
    let item = page.item.map_or(0, |i| offset(i, n).min(last));
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
    state.selected = 0;
    state.results_scroll = 0;
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
