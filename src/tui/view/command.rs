//! The overlays of acting on a step: the placeholder form, the
//! confirmation dialog, the output pane, and a command shown alone.

use crate::tui::action::Action;
use crate::tui::keymap::{self, Context};
use crate::tui::strings;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::overlay::popup;
use crate::catalog::{Danger, Step};
use crate::danger::destructive_reason;
use crate::tui::command::{
    self, Confirm, Filled, Form, FormField, Purpose, RunState, StepKey, ValueOrigin, fill, masked,
};
use crate::tui::layout::confirm::{ConfirmLines, confirm_lines, step_heading};
use crate::tui::layout::document::command_lines;
use crate::tui::layout::{output_body, output_header, output_lines};
use crate::tui::state::{AppState, CopyTo};
use crate::wrap::{plural, wrap};

/// Lines drawn from `top` on in `area`, one row each.
struct Rows<'f, 'a> {
    frame: &'f mut Frame<'a>,
    area: Rect,
    y: u16,
}

impl Rows<'_, '_> {
    fn room(&self) -> bool {
        self.y < self.area.y + self.area.height
    }

    fn next(&mut self) -> Option<Rect> {
        self.room().then(|| {
            let row = Rect { y: self.y, height: 1, ..self.area };
            self.y += 1;
            row
        })
    }

    fn line(&mut self, line: Line<'static>) {
        if let Some(row) = self.next() {
            self.frame.render_widget(Paragraph::new(line), row);
        }
    }
}

/// Draws the placeholder form.
pub fn form(state: &AppState, frame: &mut Frame<'_>, form: &Form) {
    let theme = state.theme;
    let title = strings::form_title(form.purpose == Purpose::Run, state.copy_to == CopyTo::Prompt);
    let area = popup(frame, &title, theme.border(true));
    let Some((entry, step)) = form.key.resolve(&state.catalog) else { return };
    let values = form.values();
    let filled = fill(entry, step, &values);
    let label_width = form.fields.iter().map(|f| f.name.len()).max().unwrap_or(0) + 2;
    let indent = " ".repeat(label_width + 2);
    let room = usize::from(area.width).saturating_sub(indent.len()).max(10);
    let input_width = area.width.saturating_sub(u16::try_from(label_width + 2).unwrap_or(u16::MAX));
    // The focused field shows its notes; another shows only a refusal of
    // what was typed in it, so a long form still fits.
    let notes: Vec<Vec<Line<'static>>> = form
        .fields
        .iter()
        .zip(&filled.checks)
        .enumerate()
        .map(|(i, (field, check))| {
            let focused = i == form.focused;
            let mut notes: Vec<(String, Style)> = Vec::new();
            match check {
                Err(problem) if focused || !field.value().is_empty() => {
                    notes.push((format!("✗ {problem}"), theme.warning()));
                }
                Ok(Some(warning)) => notes.push((format!("⚠ {warning}"), theme.warning())),
                _ => {}
            }
            if focused {
                let var = entry.var(&field.name);
                if let Some(var) = var {
                    notes.push((var.description.clone(), theme.dim()));
                    if !var.choices.is_empty() && command::offered(entry, form, i).is_empty() {
                        let keys = keymap::up_down(Context::Form);
                        notes.push((format!("choices: {} ({keys})", var.choices.join(" · ")), theme.dim()));
                    }
                    if let Some(suggest) = &var.suggest {
                        // As it would run now, secrets masked.
                        let shown = masked(&suggest.run, &form.chosen());
                        let key = keymap::key_for(Context::Form, &Action::ListValues);
                        let outdated = command::stale(entry, form, i);
                        let (note, warn) = strings::listing(&field.listing, &shown, key, outdated);
                        notes.push((note, if warn { theme.warning() } else { theme.dim() }));
                    }
                }
                notes.push(origin_note(state, field, var.and_then(|v| v.default.as_deref())));
                let value_width = field.value().width();
                if value_width >= usize::from(input_width) {
                    let note = format!(
                        "⋯ {value_width} columns, wider than the field: ←→ move, the command below shows it whole"
                    );
                    notes.push((note, theme.dim()));
                }
            }
            notes
                .into_iter()
                .flat_map(|(text, style)| {
                    wrap(&text, room)
                        .into_iter()
                        .map(|part| Line::from(vec![Span::raw(indent.clone()), Span::styled(part, style)]))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .collect();
    let footer = form_footer(state, form, step, &filled, area.width);
    // The fields shown: a window around the focused one, when all do not fit.
    let room_for_fields = usize::from(area.height).saturating_sub(2 + footer.len()).max(3);
    let height = |i: usize| 1 + notes[i].len();
    let mut first = 0;
    while first < form.focused && (first..=form.focused).map(height).sum::<usize>() + 1 > room_for_fields {
        first += 1;
    }
    let mut rows = Rows { frame, area, y: area.y };
    rows.line(step_heading(state, form.key));
    rows.line(Line::default());
    if first > 0 {
        rows.line(Line::styled(format!("⋯ {} above (Shift-Tab)", plural(first, "field")), theme.dim()));
    }
    let mut used = usize::from(first > 0);
    for (i, field) in form.fields.iter().enumerate().skip(first) {
        let last_shown = used + height(i) > room_for_fields.saturating_sub(1) && i + 1 < form.fields.len();
        if i > form.focused && last_shown {
            let below = form.fields.len() - i;
            rows.line(Line::styled(format!("⋯ {} below (Tab)", plural(below, "field")), theme.dim()));
            break;
        }
        let Some(row) = rows.next() else { break };
        let focused = i == form.focused;
        let marker = if focused { "› " } else { "  " };
        let label_style = if focused { theme.heading() } else { Style::default() };
        let label = format!("{marker}{:label_width$}", field.name);
        let label_len = u16::try_from(label.chars().count()).unwrap_or(u16::MAX);
        rows.frame.render_widget(Span::styled(label, label_style), row);
        let input = Rect { x: row.x + label_len, width: row.width.saturating_sub(label_len), ..row };
        rows.frame.render_widget(&field.input, input);
        for line in notes[i].clone() {
            rows.line(line);
        }
        used += height(i);
    }
    rows.line(Line::default());
    for line in footer {
        rows.line(line);
    }
}

/// The form's last lines: the danger and the command as it will run.
fn form_footer(state: &AppState, form: &Form, step: &Step, filled: &Filled, width: u16) -> Vec<Line<'static>> {
    let theme = state.theme;
    let run = step.run().unwrap_or_default();
    let (danger, reason) = match destructive_reason(step.danger, filled.command.as_deref().unwrap_or(run)) {
        Some(reason) => (Danger::Destructive, format!(" ({reason})")),
        None => (step.danger, String::new()),
    };
    let (word, style) = theme.danger(danger).unwrap_or(("safe", theme.dim()));
    let mut lines = vec![
        Line::from(vec![Span::raw("Danger: "), Span::styled(word, style), Span::raw(reason)]),
        Line::styled(
            if state.rehearsal.is_some() && form.purpose == Purpose::Run {
                "Would run (a drill runs nothing):".to_owned()
            } else if state.copy_to == CopyTo::Prompt && form.purpose == Purpose::Copy {
                "Will put on the prompt:".to_owned()
            } else {
                format!("Will {}:", form.purpose.verb())
            },
            theme.heading(),
        ),
    ];
    match &filled.command {
        Ok(_) => lines.extend(command_lines(theme, &masked(run, &form.chosen()), &step.lang, usize::from(width), 0)),
        Err(problem) => lines.push(Line::styled(format!("✗ {problem}"), theme.warning())),
    }
    lines
}

/// Where a field's value came from, in words beside it: a default must
/// not pass for a choice.
fn origin_note(state: &AppState, field: &FormField, default: Option<&str>) -> (String, Style) {
    let theme = state.theme;
    if field.secret {
        return ("secret: masked, never remembered or written to disk".to_owned(), theme.dim());
    }
    if field.target && field.origin == ValueOrigin::Empty {
        let example = default.map(|d| format!(" (e.g. {d})")).unwrap_or_default();
        return (format!("the target of a destructive step: type it yourself{example}"), theme.warning());
    }
    let style =
        if matches!(field.origin, ValueOrigin::Typed | ValueOrigin::Listed) { theme.dim() } else { theme.heading() };
    (format!("← {}", field.origin.describe(state.wall)), style)
}

/// Draws the confirmation dialog.
pub fn confirm(state: &AppState, frame: &mut Frame<'_>, confirm: &Confirm) {
    let style = if confirm.needs.is_some() { state.theme.warning() } else { state.theme.border(true) };
    let precheck_first = confirm.precheck.is_none()
        && confirm.key.resolve(&state.catalog).is_some_and(|(_, step)| step.precheck().is_some());
    let title = if state.rehearsal.is_some() {
        strings::rehearse_title()
    } else if precheck_first {
        strings::confirm_title_precheck(confirm.needs.is_some())
    } else {
        strings::confirm_title(confirm.needs.is_some())
    };
    let area = popup(frame, &title, style);
    let ConfirmLines { lines, field, .. } = confirm_lines(state, confirm, area.width);
    let height = usize::from(area.height);
    let scroll = confirm.scroll.min(lines.len().saturating_sub(height));
    let more = lines.len() > scroll + height;
    let shown: Vec<Line<'static>> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(shown), area);
    if more && let Some(y) = (area.y + area.height).checked_sub(1) {
        let note = Span::styled(strings::more_below_in_dialog(), state.theme.dim());
        frame.render_widget(Paragraph::new(note).right_aligned(), Rect { y, height: 1, ..area });
    }
    if let Some(line) = field.and_then(|f| f.checked_sub(scroll)).filter(|&l| l < height) {
        let y = area.y + u16::try_from(line).unwrap_or(0);
        frame.render_widget(Span::styled("› ", state.theme.warning()), Rect { y, height: 1, ..area });
        let row = Rect { x: area.x + 2, y, width: area.width.saturating_sub(2).min(40), height: 1 };
        frame.render_widget(Block::default().style(state.theme.selected()), row);
        frame.render_widget(&confirm.typed, row);
    }
}

/// Draws the output pane.
pub fn output(state: &AppState, frame: &mut Frame<'_>, key: StepKey, scroll: Option<usize>) {
    let running = state.runs.get(&key).is_some_and(RunState::running);
    let inner = popup(frame, &strings::output_title(running), state.theme.border(true));
    let Some(run) = state.runs.get(&key) else { return };
    let area = output_body(state, run, inner);
    let header = Rect { height: area.y - inner.y, ..inner };
    frame.render_widget(Paragraph::new(output_header(state, run, inner.width)), header);
    let lines = output_lines(state, key, area.width);
    let height = usize::from(area.height);
    let bottom = lines.len().saturating_sub(height);
    let top = scroll.unwrap_or(bottom).min(bottom);
    let shown: Vec<Line<'static>> = lines.into_iter().skip(top).take(height).collect();
    frame.render_widget(Paragraph::new(shown), area);
}

/// A command alone, without decoration, for selecting with the mouse.
pub fn plain(state: &AppState, frame: &mut Frame<'_>, text: &str) {
    let area = frame.area();
    frame.render_widget(Clear, area);
    let body = Rect { height: area.height.saturating_sub(2), ..area };
    frame.render_widget(Paragraph::new(text.to_owned()).wrap(Wrap { trim: false }), body);
    let hint = strings::select_by_hand();
    let row = Rect { y: area.y + area.height.saturating_sub(1), height: 1, ..area };
    frame.render_widget(Paragraph::new(Span::styled(hint, state.theme.dim())), row);
}
