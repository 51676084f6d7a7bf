//! Rendering: a pure function of the state, one file per pane or overlay.

pub mod command;
pub mod detail;
pub mod overlay;
pub mod results;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::state::{AppState, Focus, Overlay};
use crate::wrap::plural;

/// Draws the whole screen.
pub fn render(state: &AppState, frame: &mut Frame<'_>) {
    let screen = state.screen();
    if screen.too_small {
        let notice = Paragraph::new(vec![Line::from("Terminal too small:"), Line::from("please enlarge it")])
            .alignment(Alignment::Center);
        frame.render_widget(notice, screen.area);
        return;
    }
    render_search(state, frame, screen.search);
    if let Some(area) = screen.results {
        results::render(state, frame, area);
    }
    if let Some(area) = screen.detail {
        detail::render(state, frame, area);
    }
    render_status(state, frame, screen.status);
    match state.overlays.last() {
        Some(Overlay::Help { scroll }) => overlay::help(state, frame, *scroll),
        Some(Overlay::Problems { scroll }) => overlay::problems(state, frame, *scroll),
        Some(Overlay::Form(form)) => command::form(state, frame, form),
        Some(Overlay::Confirm(confirm)) => command::confirm(state, frame, confirm),
        Some(Overlay::Output { key, scroll }) => command::output(state, frame, *key, *scroll),
        Some(Overlay::Plain(text)) => command::plain(state, frame, text),
        None => {}
    }
}

/// `Search › query▏                                   12 matches`
fn render_search(state: &AppState, frame: &mut Frame<'_>, area: Rect) {
    let label = "Search › ";
    let label_width = u16::try_from(label.width()).unwrap_or(0);
    let label_style = if state.focus == Focus::Results { state.theme.heading() } else { state.theme.dim() };
    frame.render_widget(Span::styled(label, label_style), area);
    let field = Rect { x: area.x + label_width, width: area.width.saturating_sub(label_width), ..area };
    frame.render_widget(&state.search, field);
}

/// Keys that apply now, then catalog counts or a problems notice.
fn render_status(state: &AppState, frame: &mut Frame<'_>, area: Rect) {
    let keys = match (state.overlays.last(), state.focus) {
        (Some(Overlay::Form(_)), _) => "type a value · Tab next field · Enter go on · Esc cancel",
        (Some(Overlay::Confirm(_)), _) => "Enter confirm · Esc cancel",
        (Some(Overlay::Output { .. }), _) => "↑↓ PgUp PgDn scroll · End follow · k stop · Esc close",
        (Some(_), _) => "↑↓ scroll · Esc close",
        (None, Focus::Results) if state.search_text().is_empty() => {
            "type to search · ↑↓ move · Enter open · F1 help · Esc quit"
        }
        (None, Focus::Results) => "↑↓ move · Enter open · Esc clear · F1 help",
        (None, Focus::Detail) => "↑↓ select · y copy · r run · Enter follow · ⌫ back · ? help · Esc back",
    };
    let theme = state.theme;
    if let Some(message) = &state.flash {
        frame.render_widget(Span::styled(results::truncate(message, usize::from(area.width)), theme.warning()), area);
        return;
    }
    // The keys come first; the counts show only where they fit beside them.
    // A problems notice is shown in any case: it says where to look (F2).
    let keys_width = keys.width();
    let right = if state.diagnostics.is_empty() {
        let (failures, runbooks) = state.catalog.counts();
        let counts = format!("{} · {}", plural(failures, "failure mode"), plural(runbooks, "runbook"));
        (keys_width + 2 + counts.width() <= usize::from(area.width)).then(|| Span::styled(counts, theme.dim()))
    } else {
        let n = state.diagnostics.len();
        Some(Span::styled(format!("⚠ {} · F2", plural(n, "catalog problem")), theme.warning()))
    };
    let right_width = right.as_ref().map_or(0, |r| u16::try_from(r.content.width()).unwrap_or(0));
    let left = Rect { width: area.width.saturating_sub(right_width + 1), ..area };
    frame.render_widget(Span::styled(results::truncate(keys, usize::from(left.width)), theme.dim()), left);
    if let Some(right) = right.filter(|_| area.width > right_width) {
        let right_area = Rect { x: area.x + area.width - right_width, width: right_width, ..area };
        frame.render_widget(right, right_area);
    }
}
