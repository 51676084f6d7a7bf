//! Layout shared by the update and the view: where overlays go, and the
//! lines each scrolled pane holds for a width. The update scrolls by them
//! and the view draws them, so both agree on the geometry, and the update
//! never imports the view.

pub mod document;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::runner::Stream;
use crate::tui::command::{RunState, StepKey};
use crate::tui::keymap;
use crate::tui::state::AppState;
use crate::wrap::wrap;
use document::{command_lines, run_status, wrap_line};

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

/// The output pane's header, which stays while the output scrolls: the
/// command and how it stands.
#[must_use]
pub fn output_header(state: &AppState, run: &RunState, width: u16) -> Vec<Line<'static>> {
    let mut lines = command_lines(state.theme, &run.command, "bash", usize::from(width), 0);
    let (status, style) = run_status(state.theme, run, state.now);
    lines.push(Line::styled(status, style));
    lines.push(Line::default());
    lines
}

/// Where the output scrolls inside the pane's `inner` area: below the
/// header. The update scrolls by the same area.
#[must_use]
pub fn output_body(state: &AppState, run: &RunState, inner: Rect) -> Rect {
    let header = u16::try_from(output_header(state, run, inner.width).len()).unwrap_or(u16::MAX).min(inner.height);
    Rect { y: inner.y + header, height: inner.height - header, ..inner }
}

/// The output pane's body for a width: what the command printed (stderr
/// marked), wrapped.
#[must_use]
pub fn output_lines(state: &AppState, key: StepKey, width: u16) -> Vec<Line<'static>> {
    let theme = state.theme;
    let Some(run) = state.runs.get(&key) else { return Vec::new() };
    let width = usize::from(width);
    let mut lines = Vec::new();
    if run.interactive {
        lines.push(Line::styled("It ran in the terminal: its output is there, not here.", theme.dim()));
    }
    if run.output.dropped() > 0 {
        lines.push(Line::styled(format!("… {} earlier lines dropped", run.output.dropped()), theme.dim()));
    }
    for (stream, text) in run.output.lines() {
        // stderr is marked in the text too, for terminals without colour.
        let (mark, style) = if *stream == Stream::Stderr { ("! ", theme.warning()) } else { ("  ", Style::default()) };
        let wrapped = wrap_line(&Line::styled(text.clone(), style), width.saturating_sub(2));
        for (i, line) in wrapped.into_iter().enumerate() {
            let mark = Span::styled(if i == 0 { mark } else { "  " }, style);
            lines.push(Line::from(std::iter::once(mark).chain(line.spans).collect::<Vec<_>>()));
        }
    }
    lines
}
