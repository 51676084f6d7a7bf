//! Overlays: the help (keys and query syntax) and the catalog problems.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::keymap;
use crate::tui::state::{AppState, Question};
use crate::tui::view::detail::wrap_line;
use crate::tui::view::results::truncate;
use crate::wrap::{plural, wrap};

/// What the help says after the keys: the marks of the results and the
/// query syntax.
const LEGEND: &[(&str, &[(&str, &str)])] = &[
    (
        "In the results",
        &[
            ("CRIT HIGH MED LOW", "severity"),
            ("▁ ▃ ▅ ▇", "frequency: very rare, rare, occasional, common"),
            ("BOOK", "a runbook (a multi-step procedure)"),
        ],
    ),
    (
        "Query syntax",
        &[
            ("redis memory", "every word, any order, any field; typos tolerated"),
            ("\"no such host\"", "a phrase, as written"),
            ("!sentinel", "without this word"),
            ("layer:data  tag:dns", "only this layer, only this tag"),
            ("kind:runbook", "only runbooks (or kind:failure)"),
            ("a pasted log line", "timestamps, IPs and ids are ignored"),
        ],
    ),
    (
        "Mouse",
        &[
            ("wheel, click", "scroll the pane under the pointer, select a result"),
            ("Shift + drag", "select text with the mouse (to copy it)"),
        ],
    ),
];

/// Where an overlay goes on a screen: its box and the text area inside.
#[must_use]
pub fn popup_areas(area: Rect) -> (Rect, Rect) {
    let width = if area.width <= 94 { area.width } else { 90 };
    let height = area.height.saturating_sub(2);
    let outer = Rect { x: area.x + (area.width - width) / 2, y: area.y + 1, width, height };
    let inner = Rect {
        x: outer.x + 2,
        y: outer.y + 1,
        width: outer.width.saturating_sub(4),
        height: outer.height.saturating_sub(2),
    };
    (outer, inner)
}

/// A centred box over most of the screen, cleared, with `title` on its
/// border in `style`; returns the text area.
pub fn popup(frame: &mut Frame<'_>, title: &str, style: Style) -> Rect {
    let (outer, inner) = popup_areas(frame.area());
    frame.render_widget(Clear, outer);
    frame.render_widget(Block::default().borders(Borders::ALL).border_style(style).title(title.to_owned()), outer);
    inner
}

/// The help lines for a width: the keys, from the binding table, then the
/// legend.
#[must_use]
pub fn help_lines(state: &AppState, width: u16) -> Vec<Line<'static>> {
    let key_width = 22;
    let keys = keymap::help(state.read_only).into_iter().map(|section| (section.heading, section.rows));
    let legend =
        LEGEND.iter().map(|(heading, rows)| (*heading, rows.iter().map(|(k, t)| ((*k).to_owned(), *t)).collect()));
    let mut lines = Vec::new();
    for (heading, rows) in keys.chain(legend) {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::from(Span::styled(heading, state.theme.heading())));
        for (key, text) in rows {
            let wrapped = wrap(text, usize::from(width).saturating_sub(key_width).max(10));
            for (i, part) in wrapped.into_iter().enumerate() {
                let key = if i == 0 { format!("{key:key_width$}") } else { " ".repeat(key_width) };
                lines.push(Line::from(vec![Span::styled(key, state.theme.link()), Span::raw(part)]));
            }
        }
    }
    lines
}

/// Draws the help overlay.
pub fn help(state: &AppState, frame: &mut Frame<'_>, scroll: usize) {
    let inner = popup(frame, " Help · Esc closes ", Style::default());
    scrolled(state, frame, inner, help_lines(state, inner.width), scroll);
}

/// Draws lines from `scroll` on, saying so on the last line when more follow.
fn scrolled(state: &AppState, frame: &mut Frame<'_>, area: Rect, lines: Vec<Line<'static>>, scroll: usize) {
    let height = usize::from(area.height);
    let more = lines.len() > scroll + height;
    let mut shown: Vec<Line<'static>> = lines.into_iter().skip(scroll).take(height).collect();
    if more && let Some(last) = shown.last_mut() {
        *last = Line::from(Span::styled("↓ more: ↓ or PgDn", state.theme.dim()));
    }
    frame.render_widget(Paragraph::new(shown), area);
}

/// The problems lines for a width: each diagnostic as `check` prints it.
#[must_use]
pub fn problem_lines(state: &AppState, width: u16) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for diagnostic in &state.diagnostics {
        for (i, text) in diagnostic.to_string().lines().enumerate() {
            // The message wraps at words; the source line and its caret keep
            // their columns.
            let parts = if i == 0 {
                wrap(text, usize::from(width))
                    .into_iter()
                    .map(|part| Line::styled(part, state.theme.warning()))
                    .collect()
            } else {
                wrap_line(&Line::styled(text.to_owned(), state.theme.dim()), usize::from(width))
            };
            lines.extend(parts);
        }
        lines.push(Line::default());
    }
    if lines.is_empty() {
        lines.push(Line::from("No problems: every catalog file loaded."));
    }
    lines
}

/// Draws the catalog problems overlay.
pub fn problems(state: &AppState, frame: &mut Frame<'_>, scroll: usize) {
    let n = state.diagnostics.len();
    let title = format!("{} (pagerbook check)", plural(n, "problem"));
    let inner = popup(frame, &format!(" {title} · Esc closes "), Style::default());
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
            let stop = match running.len() {
                0 => "Quit?",
                1 => "Stop it and quit?",
                _ => "Stop them and quit?",
            };
            lines.push(Line::styled(format!("{stop} y/N"), state.theme.heading()));
        }
    }
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX).min(area.height);
    let outer = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, outer);
    let block = Block::default().borders(Borders::ALL).border_style(state.theme.warning()).title(" Quit? ");
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    let inner = Rect { x: inner.x + 1, width: inner.width.saturating_sub(2), ..inner };
    frame.render_widget(Paragraph::new(lines), inner);
}
