//! Overlays: the help (keys and query syntax) and the catalog problems.

use crate::tui::strings;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::layout::{help_lines, popup_areas, problem_lines};
use crate::tui::state::{AppState, Question};
use crate::tui::view::results::truncate;
use crate::wrap::plural;

/// A centred box over most of the screen, cleared, with `title` on its
/// border in `style`; returns the text area.
pub fn popup(frame: &mut Frame<'_>, title: &str, style: Style) -> Rect {
    let (outer, inner) = popup_areas(frame.area());
    frame.render_widget(Clear, outer);
    frame.render_widget(Block::default().borders(Borders::ALL).border_style(style).title(title.to_owned()), outer);
    inner
}

/// A small box of `size` (width, height) centred on the screen, cleared,
/// `title` on its border in `style`; returns its inside, a column in from
/// each side.
pub fn centred_box(frame: &mut Frame<'_>, (width, height): (u16, u16), title: &str, style: Style) -> Rect {
    let area = frame.area();
    let (width, height) = (width.min(area.width), height.min(area.height));
    let outer = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, outer);
    let block = Block::default().borders(Borders::ALL).border_style(style).title(title.to_owned());
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    Rect { x: inner.x + 1, width: inner.width.saturating_sub(2), ..inner }
}

/// Draws the help overlay.
pub fn help(state: &AppState, frame: &mut Frame<'_>, scroll: usize) {
    let inner = popup(frame, &strings::overlay_title("Help"), Style::default());
    scrolled(state, frame, inner, help_lines(state, inner.width), scroll);
}

/// Draws lines from `scroll` on, saying so on the last line when more follow.
pub(super) fn scrolled(state: &AppState, frame: &mut Frame<'_>, area: Rect, lines: Vec<Line<'static>>, scroll: usize) {
    let height = usize::from(area.height);
    let more = lines.len() > scroll + height;
    let mut shown: Vec<Line<'static>> = lines.into_iter().skip(scroll).take(height).collect();
    if more && let Some(last) = shown.last_mut() {
        *last = Line::from(Span::styled(strings::more_below(), state.theme.dim()));
    }
    frame.render_widget(Paragraph::new(shown), area);
}

/// Draws the catalog problems overlay.
pub fn problems(state: &AppState, frame: &mut Frame<'_>, scroll: usize) {
    let n = state.diagnostics.len();
    let title = format!("{} (pagerbook check)", plural(n, "problem"));
    let inner = popup(frame, &strings::overlay_title(&title), Style::default());
    scrolled(state, frame, inner, problem_lines(state, inner.width), scroll);
}

/// Draws a question in a small box: what it is about, then `y/N`.
pub fn ask(state: &AppState, frame: &mut Frame<'_>, question: Question) {
    let area = frame.area();
    let width = area.width.saturating_sub(4).min(72);
    let text_width = usize::from(width.saturating_sub(4));
    let mut lines: Vec<Line<'static>> = Vec::new();
    match question {
        Question::Quit => {
            let running: Vec<&str> = state.running().map(|view| view.command.as_str()).collect();
            let head = if running.is_empty() {
                // It ended while the question was up.
                "Nothing runs any more.".to_owned()
            } else {
                format!("{} still running:", plural(running.len(), "command"))
            };
            lines.push(Line::styled(head, state.theme.warning()));
            for command in running.iter().take(3) {
                let one_line = command.replace('\n', " ");
                lines.push(Line::from(truncate(&format!("  {one_line}"), text_width)));
            }
            if running.len() > 3 {
                lines.push(Line::styled(format!("  and {} more", running.len() - 3), state.theme.dim()));
            }
            lines.push(Line::default());
            lines.push(Line::styled(strings::stop_and_quit(running.len()), state.theme.heading()));
        }
        Question::CloseIncident => {
            let title = state.incident.as_ref().map_or("", |incident| incident.title());
            for line in crate::wrap::wrap(&strings::close_incident(title), text_width) {
                lines.push(Line::raw(line));
            }
            lines.push(Line::default());
            lines.push(Line::styled("y closes it · any other key keeps it open", state.theme.heading()));
        }
    }
    let heading = match question {
        Question::Quit => " Quit? ",
        Question::CloseIncident => " Close the incident? ",
    };
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let inner = centred_box(frame, (width, height), heading, state.theme.warning());
    frame.render_widget(Paragraph::new(lines), inner);
}
