//! `update`: applies an action to the state and says what the loop must do.
//! No I/O here, so every transition is unit-tested.

use ratatui::layout::{Position, Rect};
use ratatui_textarea::Input;

use super::action::{Action, Effect, Searched};
use super::command::{self, Purpose};
use super::layout::{Motion, Scroll, drill_lines, help_lines, output_body, output_lines, popup_areas, problem_lines};
use super::state::{AppState, Detail, Focus, Overlay, Page, Question};

/// The longest paste the search line takes (a log excerpt fits; the same
/// bound as `search -`).
mod incident;
mod moves;
mod reload;

pub use incident::{run_record, step_number};

use moves::{click, follow, history_back, move_by, scroll_at, select_step, selected_step};

const MAX_PASTE_CHARS: usize = 64 * 1024;

/// Applies one action; then a catalog read again while something was
/// under way is shown, if that has ended (a run, a check, a listing, or the
/// dialog that waited for one, closed).
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    let mut effects = apply(state, action);
    if state.pending_reload.is_some() {
        effects.extend(reload::when_idle(state));
    }
    effects
}

fn apply(state: &mut AppState, action: Action) -> Vec<Effect> {
    // Answers from the threads apply whatever is on screen; a key clears
    // the last message.
    let action = match answered(state, action) {
        Ok(effects) => return effects,
        Err(action) => action,
    };
    state.flash = None;
    match state.overlays.last() {
        Some(Overlay::Ask(_)) => return answer(state, &action),
        _ if action == Action::Quit => return quit(state),
        // Help and problems open over a dialog or the output too (F1, F2
        // mean the same everywhere); over themselves they close.
        Some(
            Overlay::Form(_) | Overlay::Confirm(_) | Overlay::Output { .. } | Overlay::Incident | Overlay::Prompt(_),
        ) if matches!(action, Action::ShowHelp | Action::ShowProblems) => {
            let shown =
                if action == Action::ShowHelp { Overlay::Help { scroll: 0 } } else { Overlay::Problems { scroll: 0 } };
            state.overlays.push(shown);
            return Vec::new();
        }
        Some(Overlay::Form(_)) => return command::update_form(state, action),
        Some(Overlay::Confirm(_)) => return command::update_confirm(state, action),
        Some(&Overlay::Output { key, .. }) => {
            let (bottom, height) = state.runs.get(&key).map_or((0, 1), |view| {
                let body = output_body(state, view, popup_areas(state.size).1);
                let height = usize::from(body.height);
                (output_lines(state, key, body.width).len().saturating_sub(height), height)
            });
            return command::update_output(state, &action, bottom, height);
        }
        Some(Overlay::Drill { .. }) if matches!(action, Action::Type(_) | Action::Edit(_) | Action::Paste(_)) => {
            // Typing over the briefing is searching: it makes way.
            state.overlays.pop();
            return apply(state, action);
        }
        Some(Overlay::Help { .. } | Overlay::Problems { .. } | Overlay::SelectByHand(_) | Overlay::Drill { .. }) => {
            return update_overlay(state, &action);
        }
        Some(Overlay::Incident) => return incident::update_panel(state, &action),
        Some(Overlay::Prompt(_)) => return incident::update_prompt(state, action),
        None => {}
    }
    match action {
        Action::Back => return back(state),
        Action::ShowHelp => state.overlays.push(Overlay::Help { scroll: 0 }),
        Action::ShowProblems => state.overlays.push(Overlay::Problems { scroll: 0 }),
        Action::Edit(input) => return edit(state, input),
        Action::Paste(text) => return paste(state, &text),
        Action::Type(c) => {
            // A letter typed while reading starts a new search.
            state.focus_results();
            state.search.select_all();
            state.search.cut();
            state.search.insert_char(c);
            return state.search_now();
        }
        Action::FocusSearch => state.focus_results(),
        Action::Open => return open(state),
        Action::ShowIncident => return incident::show_panel(state),
        Action::Choose => return choose(state),
        Action::SelectStep(n) => select_step(state, n),
        Action::HistoryBack => history_back(state),
        Action::Move(_) | Action::Page(_) | Action::Home | Action::End => {
            if let Some(motion) = Motion::of(&action) {
                move_by(state, motion);
            }
        }
        Action::Scroll { column, row, lines } => scroll_at(state, Position { x: column, y: row }, lines),
        Action::Click { column, row } => click(state, Position { x: column, y: row }),
        Action::Run => return command::start(state, selected_step(state), Purpose::Run),
        Action::ShowOutput => command::show_output(state, selected_step(state)),
        Action::Recheck => return command::recheck(state, selected_step(state)),
        Action::EditEntry => return reload::edit_entry(state),
        _ => {}
    }
    Vec::new()
}

/// An answer from a thread or the terminal (a search, a run's output, a
/// resize, a signal), applied whatever is on screen; any other action is
/// handed back.
fn answered(state: &mut AppState, action: Action) -> Result<Vec<Effect>, Action> {
    Ok(match action {
        Action::Resize { width, height } => {
            state.size = Rect { x: 0, y: 0, width, height };
            state.keep_selection_visible();
            moves::keep_detail_filled(state);
            Vec::new()
        }
        Action::Searched(searched) => receive(state, *searched),
        Action::Incident(news) => {
            incident::receive(state, *news);
            Vec::new()
        }
        Action::Tick => super::rehearsal::tick(state),
        Action::RunOutput { id, output } => {
            command::receive(state, id, output);
            Vec::new()
        }
        Action::RunExited { id, last_output, outcome, printed } => {
            command::receive(state, id, last_output);
            command::exited(state, id, outcome);
            let mut effects = incident::run_ended(state, id, printed.map(|printed| *printed));
            effects.extend(command::verify_after(state, id));
            effects
        }
        Action::Checked(checked) => command::checked(state, *checked),
        Action::Reloaded(loaded) => reload::reloaded(state, *loaded),
        Action::Listed(listed) => {
            let (request, listed) = *listed;
            command::listed(state, &request, listed);
            Vec::new()
        }
        Action::RunFailed { id, error } => {
            command::failed(state, id, error);
            incident::run_ended(state, id, None)
        }
        Action::Copied { text, report } => copied_to(state, &report, text),
        Action::LookedUp(looked_up) => {
            command::looked_up(state, &looked_up);
            Vec::new()
        }
        Action::Redraw => Vec::new(),
        Action::Terminate { signal } => {
            state.ended_by = signal;
            vec![Effect::Quit]
        }
        Action::Suspend => vec![Effect::Suspend],
        other => return Err(other),
    })
}

/// Text pasted outside a field: a search, new when pasted in the detail.
fn paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    if text.chars().count() > MAX_PASTE_CHARS {
        state.flash(&super::strings::search_paste_too_long(MAX_PASTE_CHARS));
        return Vec::new();
    }
    // Pasted in the detail, it is a new search, as a typed letter is.
    if state.focus == Focus::Detail {
        state.search.select_all();
        state.search.cut();
    }
    state.focus_results();
    state.search.insert_str(text.replace(['\r', '\n', '\t'], " "));
    state.search_now()
}

/// The clipboard answered: say how, and where nothing could be confirmed,
/// show the command alone so it can be selected by hand.
fn copied_to(state: &mut AppState, copied: &crate::clipboard::Copied, text: String) -> Vec<Effect> {
    let warning = state.copy_warning.take().map(|why| format!(" · ⚠ destructive ({why}): read it before you paste"));
    state.flash(&format!("{}{}", copied.summary(), warning.unwrap_or_default()));
    if copied.by.is_empty() || (copied.unconfirmed() && !state.over_ssh) {
        state.overlays.push(Overlay::SelectByHand(text));
        return vec![Effect::MouseCapture(false)];
    }
    Vec::new()
}

fn update_overlay(state: &mut AppState, action: &Action) -> Vec<Effect> {
    let (_, inner) = popup_areas(state.size);
    let (width, height) = (inner.width, usize::from(inner.height));
    let total = match state.overlays.last() {
        Some(Overlay::Help { .. }) => help_lines(state, width).len(),
        Some(Overlay::Problems { .. }) => problem_lines(state, width).len(),
        Some(Overlay::Drill { .. }) => drill_lines(state, width).len(),
        _ => 0,
    };
    // The last line of a page is the "↓ more" note: a page moves one less.
    let page = height.saturating_sub(1);
    let motion = match action {
        Action::Back | Action::ShowHelp | Action::ShowProblems | Action::ShowIncident => {
            let closed = state.overlays.pop();
            if matches!(closed, Some(Overlay::SelectByHand(_))) {
                return vec![Effect::MouseCapture(true)];
            }
            return Vec::new();
        }
        _ => Motion::of(action),
    };
    if let (Some(motion), Some(Overlay::Help { scroll } | Overlay::Problems { scroll } | Overlay::Drill { scroll })) =
        (motion, state.overlays.last_mut())
    {
        *scroll = Scroll::new(*scroll, total, height).after(motion, page);
    }
    Vec::new()
}

fn back(state: &mut AppState) -> Vec<Effect> {
    if state.focus == Focus::Detail {
        state.focus_results();
        return Vec::new();
    }
    if state.search_text().is_empty() {
        return quit(state);
    }
    state.search.select_all();
    state.search.cut();
    state.search_now()
}

fn edit(state: &mut AppState, input: Input) -> Vec<Effect> {
    let before = state.search_text();
    command::edit_line(&mut state.search, input);
    if state.search_text() == before { Vec::new() } else { state.search_now() }
}

/// Opens the selected result; the journal is told, with the query that
/// found it.
fn open(state: &mut AppState) -> Vec<Effect> {
    if state.results_generation != state.generation {
        // Typed then Enter at once: open what the typed query finds.
        state.open_when_searched = true;
        return Vec::new();
    }
    let Some(&hit) = state.results().hits.get(state.selected) else { return Vec::new() };
    state.detail = Some(Detail { page: Page { entry: hit.entry, item: None, scroll: 0 }, history: Vec::new() });
    state.focus = Focus::Detail;
    // Step 1 is selected and in view: one key copies or runs it.
    if !state.catalog.entries()[hit.entry].steps.is_empty() {
        select_step(state, 1);
    }
    incident::entry_opened(state, hit.entry, Some(state.search_text()))
}

/// Quits, unless commands still run: then asks first.
fn quit(state: &mut AppState) -> Vec<Effect> {
    if state.running().next().is_none() {
        return vec![Effect::Quit];
    }
    if !matches!(state.overlays.last(), Some(Overlay::Ask(_))) {
        state.overlays.push(Overlay::Ask(Question::Quit));
    }
    Vec::new()
}

/// The answer to the question on top; anything but yes keeps things as
/// they were.
fn answer(state: &mut AppState, action: &Action) -> Vec<Effect> {
    let Some(Overlay::Ask(question)) = state.overlays.pop() else { return Vec::new() };
    match (question, action) {
        (Question::Quit, Action::Answer(true)) => vec![Effect::Quit],
        (Question::CloseIncident, Action::Answer(true)) => {
            vec![Effect::Incident(super::action::IncidentChange::Stop)]
        }
        _ => Vec::new(),
    }
}

/// Enter in the detail: copy the selected step, or follow the selected
/// link. Never a run: running takes its own key, so no word typed and no
/// Enter pressed by habit starts a command.
fn choose(state: &mut AppState) -> Vec<Effect> {
    if let Some(step) = selected_step(state) {
        return command::start(state, Some(step), Purpose::Copy);
    }
    follow(state).map(|entry| incident::entry_opened(state, entry, None)).unwrap_or_default()
}

fn receive(state: &mut AppState, searched: Searched) -> Vec<Effect> {
    if searched.generation != state.generation {
        return Vec::new(); // overtaken by a newer query
    }
    state.show(searched.query, searched.results);
    state.results_generation = searched.generation;
    let reselect = state.reselect.take();
    state.selected =
        reselect.and_then(|entry| state.results().hits.iter().position(|hit| hit.entry == entry)).unwrap_or(0);
    state.results_scroll = 0;
    state.keep_selection_visible();
    if std::mem::take(&mut state.open_when_searched) {
        return open(state);
    }
    Vec::new()
}

impl AppState {
    /// Gives the keyboard back to the search line and results.
    fn focus_results(&mut self) {
        self.focus = Focus::Results;
        self.detail = None;
    }

    /// Sends the search line to the worker as a new query.
    pub fn search_now(&mut self) -> Vec<Effect> {
        self.generation += 1;
        // The selection a reload kept is for the reload's own search.
        self.reselect = None;
        vec![Effect::Search { generation: self.generation, text: self.search_text() }]
    }

    /// Scrolls the results so the selected row (and its heading) is shown.
    fn keep_selection_visible(&mut self) {
        let Some(area) = self.screen().results else { return };
        let height = usize::from(area.height).max(1);
        let rows = self.rows();
        let Some(row) = rows.of_hit(self.selected) else { return };
        let top =
            if row > 0 && matches!(rows.get(row - 1), Some(super::state::Row::Heading(_))) { row - 1 } else { row };
        let count = rows.len();
        if top < self.results_scroll {
            self.results_scroll = top;
        } else if row >= self.results_scroll + height {
            self.results_scroll = row + 1 - height;
        }
        self.results_scroll = self.results_scroll.min(count.saturating_sub(height));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use ratatui::layout::Rect;
    use ratatui_textarea::{Input, Key};

    use super::moves::SCROLL_LINES;
    use super::*;
    use crate::catalog::{Source, load};
    use crate::highlight::Depth;
    use crate::journal::record::Event;
    use crate::search::{Index, Query};
    use crate::tui::command::StepKey;
    use crate::tui::layout::document::{Target, document};
    use crate::tui::state::Row;
    use crate::tui::theme::Theme;

    /// The navigator over its fixture catalog, which changes only when a
    /// test needs it to (the embedded one is reworded as it is reviewed).
    fn setup() -> (AppState, Index) {
        let fixture = Source::Path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/navigator").into());
        let index = Index::new(Arc::new(load(&[fixture]).catalog));
        let results = index.search(&Query::default());
        let theme = Theme { light: false, depth: Some(Depth::Basic16) };
        (AppState::new(index.catalog().clone(), Vec::new(), results, theme, Rect::new(0, 0, 120, 40)), index)
    }

    #[test]
    fn the_rows_laid_out_once_per_result_set_place_every_hit() {
        let (mut state, index) = setup();
        let check = |state: &AppState| {
            let rows = state.rows();
            for i in 0..state.results().hits.len() {
                assert_eq!(rows.get(rows.of_hit(i).unwrap()), Some(Row::Hit(i)));
            }
            let hits = (0..rows.len()).filter(|&row| matches!(rows.get(row), Some(Row::Hit(_)))).count();
            assert_eq!(hits, state.results().hits.len());
            assert_eq!(rows.get(rows.len()), None);
        };
        check(&state);
        assert!(matches!(state.rows().get(0), Some(Row::Heading(_))), "browsing starts under a layer heading");
        let headings = (0..state.rows().len()).filter(|&row| matches!(state.rows().get(row), Some(Row::Heading(_))));
        assert!(headings.count() >= 4, "a heading for each layer of the fixture");
        let query = Query::parse("disk full yesterday");
        let results = index.search(&query);
        state.show(query, results);
        check(&state);
        assert!(matches!(state.rows().get(0), Some(Row::Heading(_))), "the best lacks a word: a note above it");
        let query = Query::parse("disk full");
        let results = index.search(&query);
        state.show(query, results);
        check(&state);
        assert_eq!(state.rows().get(0), Some(Row::Hit(0)), "no note when the best has every word");
        let blank = index.search(&Query::default());
        state.show(Query::default(), blank);
        check(&state);
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
        state.catalog.entries()[state.shown_entry().unwrap()].id()
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
        update(&mut state, Action::Choose);
        let after = state.detail.clone().unwrap();
        assert_ne!(after.page.entry, before.entry, "followed a link");
        assert_eq!(after.history, [before]);
        update(&mut state, Action::HistoryBack);
        assert_eq!(state.detail.as_ref().unwrap().page, before);
        update(&mut state, Action::HistoryBack);
        assert_eq!(state.focus, Focus::Results, "no history left: back to the results");
    }

    #[test]
    fn arrows_in_the_detail_scroll_until_a_step_is_in_view_and_back_to_the_top() {
        let (mut state, index) = setup();
        state.size = Rect::new(0, 0, 80, 12);
        let effects = typed(&mut state, "coredns");
        answer(&mut state, &index, &effects);
        update(&mut state, Action::Open);
        update(&mut state, Action::Home);
        update(&mut state, Action::Move(1));
        let page = state.detail.as_ref().unwrap().page;
        assert_eq!(
            (page.scroll, page.item),
            (SCROLL_LINES as usize, None),
            "no step in view yet: scrolled, nothing skipped"
        );
        for _ in 0..30 {
            update(&mut state, Action::Move(1));
        }
        assert!(state.detail.as_ref().unwrap().page.item.is_some(), "steps reached and selected");
        for _ in 0..60 {
            update(&mut state, Action::Move(-1));
        }
        assert_eq!(state.detail.as_ref().unwrap().page.scroll, 0, "↑ gets back to the title");
    }

    #[test]
    fn opening_an_entry_selects_step_one_with_its_command_in_view_at_80x24() {
        // Regression: nothing was selected on open and the first command was
        // below the fold at 80×24.
        let (mut state, _) = setup();
        state.size = Rect::new(0, 0, 80, 24);
        for (i, entry) in state.catalog.entries().to_vec().iter().enumerate().filter(|(_, e)| !e.steps.is_empty()) {
            state.focus_results();
            state.selected = state
                .results()
                .hits
                .iter()
                .position(|h| h.entry == i)
                .unwrap_or_else(|| panic!("{} not listed", entry.id()));
            update(&mut state, Action::Open);
            let height = usize::from(state.screen().detail.unwrap().height);
            let page = state.detail.as_ref().unwrap().page;
            let doc = document(&state, i, 78, page.item);
            let item = doc.items[page.item.expect("step 1 selected")];
            assert_eq!(item.target, Target::Step(0), "{}", entry.id());
            let command = doc.lines[item.line..].iter().position(|l| line_text(l).contains("$ ")).unwrap() + item.line;
            assert!((page.scroll..page.scroll + height).contains(&command), "{}: {page:?}", entry.id());
            assert_eq!(selected_step(&state), Some(StepKey { entry: i, step: 0 }));
        }
    }

    fn line_text(line: &ratatui::text::Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_digit_selects_that_step_and_enter_copies_it() {
        let (mut state, index) = setup();
        state.size = Rect::new(0, 0, 80, 24);
        let effects = typed(&mut state, "coredns down");
        answer(&mut state, &index, &effects);
        update(&mut state, Action::Open);
        update(&mut state, Action::SelectStep(4));
        let entry = state.detail.as_ref().unwrap().page.entry;
        assert_eq!(selected_step(&state), Some(StepKey { entry, step: 3 }));
        let effects = update(&mut state, Action::Choose);
        assert!(
            matches!(&effects[..], [Effect::Copy(c), Effect::SaveValues, Effect::Journal(copied)]
                if c.starts_with("kubectl get endpointslices")
                && matches!(&**copied, Event::StepCopied { entry, step: 4, command } if entry == "coredns-down" && command == c)),
            "{effects:?}"
        );
        update(&mut state, Action::SelectStep(42));
        assert_eq!(state.flash.as_deref(), Some("there is no step 42"));
        assert_eq!(selected_step(&state), Some(StepKey { entry, step: 3 }), "unchanged");
    }

    #[test]
    fn a_taller_terminal_shows_no_blank_rows_under_the_detail() {
        let (mut state, index) = setup();
        let effects = typed(&mut state, "coredns");
        answer(&mut state, &index, &effects);
        update(&mut state, Action::Open);
        update(&mut state, Action::Resize { width: 120, height: 12 });
        update(&mut state, Action::End);
        let scrolled = state.detail.as_ref().unwrap().page.scroll;
        update(&mut state, Action::Resize { width: 120, height: 40 });
        let area = state.screen().detail.unwrap();
        let page = state.detail.as_ref().unwrap().page;
        let total = document(&state, page.entry, area.width, page.item).lines.len();
        assert!(page.scroll < scrolled, "scrolled back");
        assert_eq!(page.scroll, total.saturating_sub(usize::from(area.height)), "the last line is on the last row");
    }

    #[test]
    fn a_link_scrolled_out_of_view_is_not_followed() {
        let (mut state, index) = setup();
        let effects = typed(&mut state, "coredns");
        answer(&mut state, &index, &effects);
        update(&mut state, Action::Open);
        update(&mut state, Action::End);
        // A smaller terminal, the view at the top: the selected link, last
        // on the page, is below it.
        update(&mut state, Action::Resize { width: 80, height: 12 });
        state.detail.as_mut().unwrap().page.scroll = 0;
        let before = state.detail.clone().unwrap().page;
        assert!(before.item.is_some());
        update(&mut state, Action::Choose);
        assert_eq!(state.detail.as_ref().unwrap().page.entry, before.entry);
    }

    #[test]
    fn a_click_selects_the_result_under_it_and_the_wheel_scrolls() {
        let (mut state, _) = setup();
        let area = state.screen().results.unwrap();
        // Row 0 is the first layer heading, row 2 the second entry.
        update(&mut state, Action::Click { column: area.x + 2, row: area.y + 2 });
        assert_eq!(state.selected, 1);
        update(&mut state, Action::Click { column: area.x + 2, row: area.y });
        assert_eq!(state.selected, 1, "a heading is not selectable");
        update(&mut state, Action::Scroll { column: area.x + 2, row: area.y + 2, lines: 3 });
        assert_eq!(state.selected, 4);
    }

    #[test]
    fn ctrl_u_clears_the_search_line() {
        let (mut state, _) = setup();
        typed(&mut state, "redis down");
        update(&mut state, Action::Edit(Input { key: Key::Char('u'), ctrl: true, ..Input::default() }));
        assert_eq!(state.search_text(), "");
    }

    #[test]
    fn selection_moves_within_bounds() {
        let (mut state, _) = setup();
        update(&mut state, Action::Move(-1));
        assert_eq!(state.selected, 0);
        update(&mut state, Action::End);
        assert_eq!(state.selected, state.results().hits.len() - 1);
        update(&mut state, Action::Move(5));
        assert_eq!(state.selected, state.results().hits.len() - 1);
        update(&mut state, Action::Page(-1));
        assert!(state.selected < state.results().hits.len() - 1);
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
        assert!(matches!(state.overlays[..], [Overlay::Help { scroll: 3 }]), "{:?}", state.overlays);
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
        typed(&mut state, "old");
        let effects = update(&mut state, Action::Type('x'));
        assert_eq!(state.focus, Focus::Results);
        assert!(matches!(&effects[..], [Effect::Search { text, .. }] if text == "x"), "{effects:?}");
    }
}
