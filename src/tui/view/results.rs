//! The results list: layer headings and entries when browsing, ranked hits
//! with their layer when searching; matched characters highlighted, on the
//! rows shown only.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::catalog::Kind;
use crate::tui::state::{AppState, Focus, Row};
use crate::tui::theme::{Theme, frequency_glyph};

/// Draws the results list.
pub fn render(state: &AppState, frame: &mut Frame<'_>, area: Rect) {
    let theme = state.theme;
    let focused = state.focus == Focus::Results;
    let title = if state.query().is_blank() {
        " Failure modes, edge inward ".to_owned()
    } else {
        format!(" {} ", crate::wrap::plural(state.results().hits.len(), "match"))
    };
    let outer = Rect { x: area.x - 1, y: area.y - 1, width: area.width + 2, height: area.height + 2 };
    frame.render_widget(Block::default().borders(Borders::ALL).border_style(theme.border(focused)).title(title), outer);
    let rows = state.rows();
    if rows.is_empty() {
        let text =
            if state.query().is_blank() { "  the catalog is empty" } else { "  no match: try fewer or other words" };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), area);
        return;
    }
    let width = usize::from(area.width);
    let shown = state.results_scroll..(state.results_scroll + usize::from(area.height)).min(rows.len());
    let lines: Vec<Line<'_>> = shown
        .filter_map(|row| rows.get(row))
        .map(|row| match row {
            Row::Heading(text) => Line::from(Span::styled(truncate(text, width), theme.heading())),
            Row::Hit(i) => hit_line(state, i, width, theme),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// `HIGH ▃ Title with matches                layer`
fn hit_line(state: &AppState, index: usize, width: usize, theme: Theme) -> Line<'static> {
    let entry = &state.catalog.entries()[state.results().hits[index].entry];
    let selected = index == state.selected;
    let mut spans = Vec::new();
    match (entry.severity, entry.frequency) {
        (Some(severity), Some(frequency)) => {
            let (word, style) = theme.severity(severity);
            spans.push(Span::styled(word, style));
            spans.push(Span::raw(format!(" {} ", frequency_glyph(frequency))));
        }
        _ if entry.kind == Kind::Runbook => spans.push(Span::styled("BOOK   ", theme.dim())),
        _ => spans.push(Span::raw("       ")),
    }
    // The layer shows beside search results where the list is wide enough
    // to keep most of the title.
    let tag = if state.query().is_blank() || width < 50 {
        String::new()
    } else {
        format!(" {}", entry.layer().unwrap_or(entry.kind.as_str()))
    };
    let room = width.saturating_sub(7 + tag.width());
    let title = truncate(entry.title(), room);
    let base = if selected { theme.selected() } else { Style::default() };
    spans.extend(highlighted(&title, &state.results().matched.ranges(&title), base, theme.matched().patch(base)));
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let pad = width.saturating_sub(used + tag.width());
    spans.push(Span::styled(" ".repeat(pad), base));
    spans.push(Span::styled(tag, if selected { base } else { theme.dim() }));
    Line::from(spans)
}

/// Splits text into spans, the matched character ranges in `matched` style.
fn highlighted(text: &str, ranges: &[Range<usize>], base: Style, matched: Style) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut current = String::new();
    let mut current_matched = false;
    for (i, c) in text.chars().enumerate() {
        let is_matched = ranges.iter().any(|r| r.contains(&i));
        if is_matched != current_matched && !current.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut current), if current_matched { matched } else { base }));
        }
        current_matched = is_matched;
        current.push(c);
    }
    if !current.is_empty() {
        spans.push(Span::styled(current, if current_matched { matched } else { base }));
    }
    spans
}

/// Cuts text to `width` columns, ending with `…` when cut.
#[must_use]
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}
