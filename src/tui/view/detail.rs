//! The detail pane: the entry's document, scrolled, under its title.

use crate::tui::strings;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::tui::layout::document::document;
use crate::tui::state::{AppState, Focus};
use crate::tui::view::results::truncate;

/// Draws the detail pane. Its border carries the entry's title, so the
/// title stays in sight when the page scrolls to a step.
pub fn render(state: &AppState, frame: &mut Frame<'_>, area: Rect) {
    let focused = state.focus == Focus::Detail;
    let entry = state.shown_entry();
    let title = match entry {
        Some(index) if focused => {
            let title = truncate(state.catalog.entries()[index].title(), usize::from(area.width).saturating_sub(2));
            format!(" {title} ")
        }
        _ => strings::detail_title(),
    };
    let block = Block::default().borders(Borders::ALL).border_style(state.theme.border(focused)).title(title);
    let outer = Rect { x: area.x - 1, y: area.y - 1, width: area.width + 2, height: area.height + 2 };
    frame.render_widget(block, outer);
    let Some(index) = entry else {
        frame.render_widget(Paragraph::new(Span::styled("  nothing selected", state.theme.dim())), area);
        return;
    };
    let page = state.detail.as_ref().map(|d| d.page);
    let doc = document(state, index, area.width, page.and_then(|p| p.item));
    let scroll = page.map_or(0, |p| p.scroll).min(doc.lines.len().saturating_sub(1));
    let shown: Vec<Line<'static>> = doc.lines.into_iter().skip(scroll).take(usize::from(area.height)).collect();
    frame.render_widget(Paragraph::new(shown), area);
}
