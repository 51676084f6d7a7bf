//! Layout shared by the update and the view: where overlays go, and the
//! lines each scrolled pane holds for a width. The update scrolls by them
//! and the view draws them, so both agree on the geometry, and the update
//! never imports the view.

pub mod confirm;
pub mod document;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::runner::Stream;
use crate::tui::action::Action;
use crate::tui::command::{RunState, StepKey};
use crate::tui::keymap;
use crate::tui::state::AppState;
use crate::wrap::wrap;
use document::{command_lines, run_status, wrap_line};

/// A key that moves a scrolled pane, whatever the pane (gitui's
/// `ScrollType`): every pane scrolls the same way through [`Scroll`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// Lines down (up when negative): arrows, the wheel.
    Lines(i32),
    /// Pages down (up when negative).
    Pages(i32),
    /// The top.
    Home,
    /// The bottom.
    End,
}

impl Motion {
    /// The motion an action means, if it is one.
    #[must_use]
    pub fn of(action: &Action) -> Option<Motion> {
        match action {
            Action::Move(n) | Action::Scroll { lines: n, .. } => Some(Motion::Lines(*n)),
            Action::Page(n) => Some(Motion::Pages(*n)),
            Action::Home => Some(Motion::Home),
            Action::End => Some(Motion::End),
            _ => None,
        }
    }
}

/// The first line shown of a pane and the largest it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scroll {
    /// The first line shown.
    pub top: usize,
    /// The last `top` that still fills the pane.
    pub max: usize,
}

impl Scroll {
    /// `total` lines shown `height` at a time, from `top` (clamped).
    #[must_use]
    pub fn new(top: usize, total: usize, height: usize) -> Scroll {
        let max = total.saturating_sub(height);
        Scroll { top: top.min(max), max }
    }

    /// The first line shown after `motion`, pages of `page` lines.
    #[must_use]
    pub fn after(self, motion: Motion, page: usize) -> usize {
        let by = |n: i32, unit: usize| {
            let lines = isize::try_from(n).unwrap_or(0).saturating_mul(isize::try_from(unit).unwrap_or(isize::MAX));
            self.top.saturating_add_signed(lines).min(self.max)
        };
        match motion {
            Motion::Lines(n) => by(n, 1),
            Motion::Pages(n) => by(n, page.max(1)),
            Motion::Home => 0,
            Motion::End => self.max,
        }
    }
}

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
            ("redis memory", "any of the words, any order; the most and rarest first"),
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
    let print = state.copy_to == crate::tui::state::CopyTo::Prompt;
    let keys = keymap::help(state.read_only, print).into_iter().map(|section| (section.heading, section.rows));
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

/// The drill panel's lines for a width: the briefing, then what the game
/// master released, the latest first.
#[must_use]
pub fn drill_lines(state: &AppState, width: u16) -> Vec<Line<'static>> {
    let Some(rehearsal) = &state.rehearsal else { return Vec::new() };
    let (theme, width) = (state.theme, usize::from(width));
    let mut lines = vec![Line::styled(rehearsal.drill.title.clone(), theme.heading())];
    let prose = |text: &str| wrap(text, width).into_iter().map(Line::raw).collect::<Vec<_>>();
    lines.extend(prose(&rehearsal.drill.briefing));
    lines.push(Line::default());
    if rehearsal.progress.released.is_empty() {
        lines.extend(prose(crate::tui::strings::DRILL_NOTHING_REVEALED));
    }
    for released in rehearsal.progress.released.iter().rev() {
        let when = crate::journal::record::hour_minute(&released.time);
        lines.push(Line::styled(format!("{} · {when} UTC", released.label), theme.warning()));
        // Literal lines (log lines, command output) keep their columns.
        for line in released.text.lines() {
            lines.extend(wrap_line(&Line::raw(line.to_owned()), width));
        }
        lines.push(Line::default());
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
    if let Some(check) = &run.verify {
        let (text, style) = document::check_status(state.theme, "verify", check, state.now);
        lines.extend(wrap_line(&Line::styled(text, style), usize::from(width)));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scroll_stays_between_the_top_and_the_last_full_page() {
        let scroll = Scroll::new(5, 30, 10);
        assert_eq!(scroll.max, 20);
        assert_eq!(scroll.after(Motion::Lines(3), 9), 8);
        assert_eq!(scroll.after(Motion::Lines(-9), 9), 0);
        assert_eq!(scroll.after(Motion::Pages(1), 9), 14);
        assert_eq!(scroll.after(Motion::Pages(9), 9), 20, "never past the last full page");
        assert_eq!((scroll.after(Motion::Home, 9), scroll.after(Motion::End, 9)), (0, 20));
        assert_eq!(Scroll::new(50, 30, 10).top, 20, "a top left over from a taller pane is clamped");
        assert_eq!(Scroll::new(0, 3, 10).after(Motion::End, 9), 0, "what fits does not scroll");
        assert_eq!(Motion::of(&Action::Page(-1)), Some(Motion::Pages(-1)));
        assert_eq!(Motion::of(&Action::Open), None);
    }
}
