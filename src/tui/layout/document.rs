//! An entry laid out as lines, with its selectable items (steps, links)
//! and the line each starts on: the detail pane draws it, and the update
//! scrolls and follows links by it. Also the pieces every pane lays out
//! the same way: commands, run statuses, styled wrapping.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use std::time::Instant;

use crate::catalog::{Entry, TextField};
use crate::highlight;
use crate::journal::record::step_progress;
use crate::present::{self, Mark, Section, present};
use crate::tui::command::{CheckState, RunState, StepKey};
use crate::tui::state::AppState;
use crate::tui::theme::{Theme, frequency_glyph};
use crate::tui::update::step_number;
use crate::verify::Verdict;
use crate::wrap::wrap;

/// What an item of the detail leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A step, by index.
    Step(usize),
    /// Another entry, by index into the catalog.
    Link(usize),
}

/// A selectable item and the line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Where it leads.
    pub target: Target,
    /// Its first line in the document.
    pub line: usize,
}

/// An entry laid out for a given width.
pub struct Document {
    /// The lines, already wrapped.
    pub lines: Vec<Line<'static>>,
    /// The selectable items in order.
    pub items: Vec<Item>,
}

/// Lays out entry `index` for `width` columns, `selected` item highlighted.
#[must_use]
pub fn document(state: &AppState, index: usize, width: u16, selected: Option<usize>) -> Document {
    let entry = &state.catalog.entries()[index];
    let theme = state.theme;
    let width = usize::from(width).max(10);
    let mut doc = Builder { lines: Vec::new(), items: Vec::new(), width, theme, selected };
    for line in wrap(entry.title(), width) {
        doc.line(Line::from(Span::styled(line, theme.heading())));
    }
    doc.facts(state, entry);
    let shown = present(&state.catalog, index);
    for section in &shown.sections {
        match section {
            Section::Prose(heading, text) => {
                doc.section(heading);
                doc.prose(text, Style::default());
            }
            Section::Steps(steps) => {
                doc.section("Steps");
                for (i, step) in steps.iter().enumerate() {
                    let key = StepKey { entry: index, step: i };
                    let done = match state.runs.get(&key) {
                        Some(run) => Some(Done::Run(run)),
                        None => state.incident.as_ref().and_then(|incident| {
                            let (text, ok) = step_progress(&incident.records, entry.id(), step_number(key))?;
                            Some(Done::Journaled(text, ok))
                        }),
                    };
                    doc.step(i, step, done, state.now);
                }
            }
            Section::Literal(heading, items) | Section::Items(heading, items) => {
                doc.section(heading);
                let lead = if matches!(section, Section::Literal(..)) { "› " } else { "- " };
                for item in items {
                    doc.prose_with_lead(lead, item, theme.dim());
                }
            }
            Section::Placeholders(vars) => {
                doc.section("Placeholders");
                for var in *vars {
                    doc.prose_with_lead("", &present::placeholder(var), Style::default());
                }
            }
            Section::Links(heading, links) => {
                doc.section(heading);
                for (target, linked) in links {
                    doc.link(*target, linked, theme);
                }
            }
        }
    }
    doc.blank();
    let reviewed = shown.last_reviewed.map(|d| format!(" · reviewed {d}")).unwrap_or_default();
    let tags = if shown.tags.is_empty() { String::new() } else { format!(" · tags: {}", shown.tags.join(", ")) };
    let frequency = match (entry.frequency, entry.text(TextField::FrequencyNote)) {
        (Some(frequency), Some(note)) => format!(" · {frequency}: {note}"),
        _ => String::new(),
    };
    doc.prose(&format!("{}{reviewed}{tags}{frequency}", entry.origin()), theme.dim());
    Document { lines: doc.lines, items: doc.items }
}

/// What was done to a step: a run this session, else what the open
/// incident's journal says.
enum Done<'a> {
    Run(&'a RunState),
    Journaled(String, Option<bool>),
}

struct Builder {
    lines: Vec<Line<'static>>,
    items: Vec<Item>,
    width: usize,
    theme: Theme,
    selected: Option<usize>,
}

impl Builder {
    fn line(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    /// One line under the title: `HIGH severity · ▃ rare · layer ·
    /// component · id` (the kind for a runbook).
    fn facts(&mut self, state: &AppState, entry: &Entry) {
        let theme = self.theme;
        let mut spans: Vec<Span<'static>> = Vec::new();
        if let Some(severity) = entry.severity {
            let (word, style) = theme.severity(severity);
            spans.push(Span::styled(format!("{} severity", word.trim_end()), style));
        }
        let mut facts = Vec::new();
        if let Some(frequency) = entry.frequency {
            facts.push(format!("{} {frequency}", frequency_glyph(frequency)));
        }
        if entry.severity.is_none() {
            facts.push(entry.kind.noun().to_owned());
        }
        if let Some(layer) = entry.layer() {
            facts.push(state.catalog.layer(layer).map_or_else(|| layer.to_owned(), |l| short_title(&l.title)));
        }
        if let Some(component) = entry.text(TextField::Component) {
            facts.push(component.to_owned());
        }
        facts.push(entry.id().to_owned());
        let rest = facts.join(" · ");
        let lead = spans.first().map_or(0, |s| s.content.width() + 3);
        for (i, line) in wrap(&rest, self.width.saturating_sub(lead)).into_iter().enumerate() {
            let mut line_spans = if i == 0 { spans.clone() } else { Vec::new() };
            if i == 0 && !line_spans.is_empty() {
                line_spans.push(Span::styled(" · ", theme.dim()));
            }
            line_spans.push(Span::styled(line, theme.dim()));
            self.line(Line::from(line_spans));
        }
    }

    fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    fn section(&mut self, heading: &str) {
        self.blank();
        self.line(Line::from(Span::styled(heading.to_uppercase(), self.theme.heading())));
    }

    fn prose(&mut self, text: &str, style: Style) {
        for line in wrap(text, self.width.saturating_sub(2)) {
            self.line(Line::from(vec![Span::raw("  "), Span::styled(line, style)]));
        }
    }

    /// Prose after a lead (`› `, `- `); wrapped lines start under the text,
    /// not under the lead, and never run past the width.
    fn prose_with_lead(&mut self, lead: &'static str, text: &str, style: Style) {
        let hanging = " ".repeat(lead.width());
        for (i, line) in wrap(text, self.width.saturating_sub(2 + lead.width())).into_iter().enumerate() {
            let lead = if i == 0 { lead.to_owned() } else { hanging.clone() };
            self.line(Line::from(vec![Span::raw("  "), Span::raw(lead), Span::styled(line, style)]));
        }
    }

    fn is_selected(&self) -> bool {
        self.selected == Some(self.items.len())
    }

    fn step(&mut self, index: usize, step: &crate::catalog::Step, done: Option<Done<'_>>, now: Instant) {
        let theme = self.theme;
        let selected = self.is_selected();
        self.items.push(Item { target: Target::Step(index), line: self.lines.len() });
        let number = format!("{:>2}. ", index + 1);
        let number_style = if selected { theme.selected() } else { Style::default().add_modifier(Modifier::BOLD) };
        for (i, line) in wrap(step.instruction(), self.width.saturating_sub(number.len() + 1)).into_iter().enumerate() {
            let lead =
                if i == 0 { Span::styled(number.clone(), number_style) } else { Span::raw(" ".repeat(number.len())) };
            self.line(Line::from(vec![lead, Span::raw(line)]));
        }
        let Some(run) = step.run() else { return };
        let run = &crate::template::display(run);
        let mut marks = Vec::new();
        // The syntax shows in the colours; the other marks in words.
        for mark in present::marks(step) {
            let (text, style) = match mark {
                Mark::Danger(danger) => match theme.danger(danger) {
                    Some((text, style)) => (text.to_owned(), style),
                    None => continue,
                },
                Mark::Interactive => ("⌨ interactive".to_owned(), theme.dim()),
                Mark::Lang(_) => continue,
                Mark::CopyOnly => ("⧉ copied, not run".to_owned(), theme.dim()),
                Mark::Place(place) => (format!("⌂ run from {place}"), theme.warning()),
            };
            if !marks.is_empty() {
                marks.push(Span::raw(" "));
            }
            marks.push(Span::styled(text, style));
        }
        // A long `where` wraps under itself, like the command below it.
        let indent = " ".repeat(number.len());
        let marks = if marks.is_empty() {
            Vec::new()
        } else {
            wrap_line(&Line::from(marks), self.width.saturating_sub(number.len() + 1))
        };
        for line in marks {
            self.line(Line::from(std::iter::once(Span::raw(indent.clone())).chain(line.spans).collect::<Vec<_>>()));
        }
        for line in command_lines(theme, run, &step.lang, self.width, number.len()) {
            self.line(line);
        }
        if let Some(example) = step.example_output() {
            self.line(Line::styled(format!("{indent}{}", present::UPSTREAM_OUTPUT), theme.dim()));
            let width = self.width.saturating_sub(indent.len() + 1);
            for line in example.lines() {
                for part in wrap_line(&Line::styled(crate::wrap::expand_tabs(line), theme.dim()), width) {
                    self.line(Line::from(
                        std::iter::once(Span::raw(indent.clone())).chain(part.spans).collect::<Vec<_>>(),
                    ));
                }
            }
        }
        let mut checked = None;
        let (text, style, hint) = match done {
            Some(Done::Run(last)) => {
                let (text, style) = run_status(theme, last, now);
                checked = last.verify.as_ref().map(|check| check_status(theme, "verify", check, now));
                (text, style, if last.interactive { String::new() } else { crate::tui::strings::output_hint() })
            }
            Some(Done::Journaled(text, ok)) => {
                (text, if ok == Some(false) { theme.warning() } else { theme.heading() }, String::new())
            }
            None => return,
        };
        let status = Line::from(vec![Span::styled(text, style), Span::styled(hint, theme.dim())]);
        let checked = checked.map(|(text, style)| Line::styled(text, style));
        for line in std::iter::once(status).chain(checked) {
            for line in wrap_line(&line, self.width.saturating_sub(number.len())) {
                self.line(Line::from(std::iter::once(Span::raw(indent.clone())).chain(line.spans).collect::<Vec<_>>()));
            }
        }
    }

    fn link(&mut self, target: usize, entry: &Entry, theme: Theme) {
        let selected = self.is_selected();
        self.items.push(Item { target: Target::Link(target), line: self.lines.len() });
        let style = if selected { theme.selected() } else { theme.link() };
        let text = format!("→ {}", entry.title());
        // Continuation lines hang two columns further in: wrap for them.
        let mut lines = wrap(&text, self.width.saturating_sub(4)).into_iter();
        if let Some(first) = lines.next() {
            self.line(Line::from(vec![Span::raw("  "), Span::styled(first, style)]));
        }
        for rest in lines {
            self.line(Line::from(vec![Span::raw("    "), Span::styled(rest, style)]));
        }
    }
}

/// A layer's title up to its colon: `Control plane` of `Control plane:
/// etcd, cluster DNS, controllers`.
fn short_title(title: &str) -> String {
    title.split(':').next().unwrap_or(title).trim().to_owned()
}

/// A command as shown wherever it appears: highlighted, control characters
/// made visible, every character kept (long lines wrap, marked ↪), after
/// `indent` columns and a `$ ` prompt.
#[must_use]
pub fn command_lines(theme: Theme, command: &str, lang: &str, width: usize, indent: usize) -> Vec<Line<'static>> {
    let command = crate::visible::pictures(command, &['\n']);
    let code = match theme.depth {
        Some(depth) => highlight::highlight(&command, lang, theme.light, depth).map(|lines| lines.as_ref().clone()),
        None => None,
    };
    let code = code.unwrap_or_else(|| command.lines().map(|l| Line::from(l.to_owned())).collect());
    let indent = " ".repeat(indent);
    let room = width.saturating_sub(indent.len() + 2);
    let mut lines = Vec::new();
    for (i, line) in code.into_iter().enumerate() {
        for (j, piece) in wrap_line(&line, room).into_iter().enumerate() {
            let prompt = match (i, j) {
                (0, 0) => "$ ",
                (_, 0) => "  ",
                _ => "↪ ",
            };
            let mut spans = vec![Span::raw(indent.clone()), Span::styled(prompt, theme.dim())];
            spans.extend(piece.spans);
            lines.push(Line::from(spans));
        }
    }
    lines
}

/// How a run stands, in a few words: running, stopping, or how it ended.
#[must_use]
pub fn run_status(theme: Theme, run: &RunState, now: Instant) -> (String, Style) {
    let elapsed = elapsed(run.ended.unwrap_or(now).saturating_duration_since(run.started));
    match (&run.error, run.outcome, run.stopping) {
        _ if run.rehearsed => (crate::tui::strings::DRILL_REHEARSED.to_owned(), theme.heading()),
        (Some(error), _, _) => (format!("✗ could not start: {error}"), theme.warning()),
        (None, Some(outcome), _) if outcome.success() => (format!("✓ {outcome} after {elapsed}"), theme.heading()),
        (None, Some(outcome), _) => (format!("✗ {outcome} after {elapsed}"), theme.warning()),
        (None, None, true) => (format!("■ stopping… {elapsed}"), theme.warning()),
        (None, None, false) if run.interactive => (format!("▶ in the terminal {elapsed}"), theme.heading()),
        (None, None, false) => (format!("▶ running {elapsed}"), theme.heading()),
    }
}

/// A check's state in words: `verify: checking… (12 s / 2m)`, then its
/// verdict and message; `what` names it (`verify`), or nothing where a
/// label does.
#[must_use]
pub fn check_status(theme: Theme, what: &str, check: &CheckState, now: Instant) -> (String, Style) {
    let named = |rest: String| if what.is_empty() { rest } else { format!("{what} {rest}") };
    match &check.result {
        None => {
            let elapsed = now.saturating_duration_since(check.started).as_secs();
            let within = crate::catalog::seconds_text(u32::try_from(check.within.as_secs()).unwrap_or(u32::MAX));
            let checking = format!("checking… ({elapsed} s / {within})");
            (if what.is_empty() { checking } else { format!("{what}: {checking}") }, theme.heading())
        }
        Some(Ok((verified, message))) => {
            let style = if verified.verdict == Verdict::Passed { theme.heading() } else { theme.warning() };
            let verdict = named(format!("{}: {message}", verified.verdict.word()));
            (format!("{} {verdict}", verified.verdict.mark()), style)
        }
        Some(Err(error)) => (format!("✗ {}", named(format!("could not run: {error}"))), theme.warning()),
    }
}

/// `0.4s`, `12.0s`, `3m05s`.
fn elapsed(duration: std::time::Duration) -> String {
    let seconds = duration.as_secs();
    if seconds < 60 {
        format!("{:.1}s", duration.as_secs_f64())
    } else {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    }
}

/// Cuts a styled line into lines of at most `width` columns, keeping styles
/// and every character: breaks go after a space where there is one in the
/// line's second half, else mid-word.
#[must_use]
pub fn wrap_line(line: &Line<'_>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let cells: Vec<(char, Style)> =
        line.spans.iter().flat_map(|s| s.content.chars().map(move |c| (c, s.style))).collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < cells.len() {
        let mut used = 0;
        let mut end = start;
        while end < cells.len() && (used + cells[end].0.width().unwrap_or(0) <= width || end == start) {
            used += cells[end].0.width().unwrap_or(0);
            end += 1;
        }
        if end < cells.len()
            && let Some(space) = (start + (end - start) / 2..end).rev().find(|&i| cells[i].0 == ' ')
        {
            end = space + 1;
        }
        lines.push(styled_line(&cells[start..end]));
        start = end;
    }
    if lines.is_empty() {
        lines.push(Line::default());
    }
    lines
}

/// Joins styled characters into spans of equal style.
fn styled_line(cells: &[(char, Style)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    for &(c, style) in cells {
        match spans.last_mut() {
            Some(span) if span.style == style => span.content.to_mut().push(c),
            _ => spans.push(Span::styled(c.to_string(), style)),
        }
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_line_keeps_styles_across_cuts() {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let line = Line::from(vec![Span::raw("abc"), Span::styled("defgh", bold)]);
        let lines = wrap_line(&line, 4);
        let texts: Vec<String> = lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect();
        assert_eq!(texts, ["abcd", "efgh"]);
        assert_eq!(lines[1].spans[0].style, bold);
        let words = wrap_line(&Line::from("kubectl get configmap -n kube-system"), 16);
        let texts: Vec<String> = words.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect();
        assert_eq!(texts, ["kubectl get ", "configmap -n ", "kube-system"]);
        assert_eq!(texts.concat(), "kubectl get configmap -n kube-system");
    }
}
