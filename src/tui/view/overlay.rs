//! Overlays: the help (keys and query syntax) and the catalog problems.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::state::AppState;
use crate::tui::view::detail::wrap_line;
use crate::wrap::{plural, wrap};

/// The help text: every key, then the query syntax.
pub const HELP: &[(&str, &str)] = &[
    ("", "Search line and results"),
    ("type", "filter on every keystroke (paste a log line as it is)"),
    ("↑ ↓  Ctrl-P Ctrl-N", "move in the results"),
    ("PgUp PgDn  Home End", "move by a page, to the first or last"),
    ("Enter", "open the selected entry"),
    ("Ctrl-U", "clear the search line"),
    ("Esc", "clear the search; on an empty search, quit"),
    ("", "Detail"),
    ("↑ ↓  j k", "select a step or a link"),
    ("Enter", "follow the selected link"),
    ("Backspace  ←", "go back to the previous entry"),
    ("PgUp PgDn  Space", "scroll"),
    ("Home End", "top, bottom"),
    ("y", "copy the selected step's command (placeholders first)"),
    ("r", "run it: placeholders, then the exact command to confirm"),
    ("o", "show the output of the step's last run"),
    ("/  or another letter", "search again"),
    ("Esc", "back to the results"),
    ("", "Placeholders and confirmation"),
    ("Tab  Shift-Tab", "next or previous field"),
    ("↑ ↓", "go through a field's choices"),
    ("Enter", "copy, or show the command to confirm; Enter again runs it"),
    ("type the word", "a destructive command runs only once its target is typed"),
    ("", "Output pane"),
    ("Ctrl-C  k", "stop the command (SIGINT, then SIGTERM, then SIGKILL)"),
    ("↑ ↓  PgUp PgDn  End", "scroll; End follows new output"),
    ("Esc", "hide the pane (the command keeps running)"),
    ("", "Anywhere"),
    ("F1  ?", "this help (? outside the search line)"),
    ("F2", "catalog problems"),
    ("Ctrl-Z", "suspend (fg resumes)"),
    ("Ctrl-C", "quit"),
    ("mouse wheel, click", "scroll the pane under the pointer, select a result"),
    ("Shift + drag", "select text with the mouse (to copy it)"),
    ("", "In the results"),
    ("CRIT HIGH MED LOW", "severity"),
    ("▁ ▃ ▅ ▇", "frequency: very rare, rare, occasional, common"),
    ("BOOK", "a runbook (a multi-step procedure)"),
    ("", "Query syntax"),
    ("redis memory", "every word, any order, any field; typos tolerated"),
    ("\"no such host\"", "a phrase, as written"),
    ("!sentinel", "without this word"),
    ("layer:data  tag:dns", "only this layer, only this tag"),
    ("kind:runbook", "only runbooks (or kind:failure)"),
    ("a pasted log line", "timestamps, IPs and ids are ignored"),
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

/// The help lines for a width.
#[must_use]
pub fn help_lines(state: &AppState, width: u16) -> Vec<Line<'static>> {
    let key_width = 22;
    let mut lines = Vec::new();
    for (key, text) in HELP {
        if key.is_empty() {
            if !lines.is_empty() {
                lines.push(Line::default());
            }
            lines.push(Line::from(Span::styled((*text).to_owned(), state.theme.heading())));
            continue;
        }
        let wrapped = wrap(text, usize::from(width).saturating_sub(key_width).max(10));
        for (i, part) in wrapped.into_iter().enumerate() {
            let key = if i == 0 { format!("{key:key_width$}") } else { " ".repeat(key_width) };
            lines.push(Line::from(vec![Span::styled(key, state.theme.link()), Span::raw(part)]));
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
    let title = format!("{} (pagerbook check)", plural(n, "catalog problem"));
    let inner = popup(frame, &format!(" {title} · Esc closes "), Style::default());
    scrolled(state, frame, inner, problem_lines(state, inner.width), scroll);
}
