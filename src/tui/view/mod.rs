//! Rendering: a pure function of the state, one file per pane or overlay.

pub mod detail;
pub mod overlay;
pub mod results;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::state::{AppState, Focus, Overlay};

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
        (Some(_), _) => "↑↓ scroll · Esc close",
        (None, Focus::Results) if state.search_text().is_empty() => {
            "type to search · ↑↓ move · Enter open · F1 help · Esc quit"
        }
        (None, Focus::Results) => "↑↓ move · Enter open · Esc clear · F1 help",
        (None, Focus::Detail) => "↑↓ select · Enter follow · ⌫ back · / search · ? help · Esc",
    };
    let theme = state.theme;
    let right = if state.diagnostics.is_empty() {
        let (failures, runbooks) = state.catalog.counts();
        Span::styled(format!("{failures} failure modes · {runbooks} runbooks"), theme.dim())
    } else {
        let n = state.diagnostics.len();
        Span::styled(format!("⚠ {n} catalog problem{} · F2", if n == 1 { "" } else { "s" }), theme.warning())
    };
    let right_width = u16::try_from(right.content.width()).unwrap_or(0);
    let left = Rect { width: area.width.saturating_sub(right_width + 1), ..area };
    frame.render_widget(Span::styled(results::truncate(keys, usize::from(left.width)), theme.dim()), left);
    if area.width > right_width {
        let right_area = Rect { x: area.x + area.width - right_width, width: right_width, ..area };
        frame.render_widget(right, right_area);
    }
}
