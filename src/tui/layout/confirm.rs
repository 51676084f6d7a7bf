//! The confirmation dialog's lines: the exact command, its danger, where it
//! acts and runs, the values and the word to type. Laid out here because
//! the update needs their count to scroll, and the view draws them.

use ratatui::text::{Line, Span};

use super::document::{command_lines, wrap_line};
use crate::catalog::Danger;
use crate::runner::Shell;
use crate::tui::command::{Confirm, StepKey, ValueOrigin, check_shown};
use crate::tui::state::AppState;
use crate::tui::strings;
use crate::verify::CheckKind;
use crate::wrap::wrap;

/// "Step 3 of `CoreDNS` is down".
pub fn step_heading(state: &AppState, key: StepKey) -> Line<'static> {
    let title = state.catalog.entries().get(key.entry).map_or("", |e| e.title());
    Line::styled(format!("Step {} of {title}", key.step + 1), state.theme.heading())
}

/// The confirmation's lines, and where two of them are.
#[derive(Default)]
pub struct ConfirmLines {
    pub lines: Vec<Line<'static>>,
    /// The line of the field where the word is typed, when one is asked.
    pub field: Option<usize>,
    /// The lines of the precheck (its command, its verdict), when the step
    /// has one.
    pub precheck: Option<std::ops::Range<usize>>,
}

/// The confirmation's lines.
pub fn confirm_lines(state: &AppState, confirm: &Confirm, width: u16) -> ConfirmLines {
    let theme = state.theme;
    let width = usize::from(width);
    let Some((_, step)) = confirm.key.resolve(&state.catalog) else { return ConfirmLines::default() };
    let mut lines = vec![step_heading(state, confirm.key), Line::default()];
    lines.extend(command_lines(theme, &confirm.shown, &step.lang, width, 2));
    lines.push(Line::default());
    // A command that needs the typed word is destructive, whatever the
    // catalog says.
    let danger = if confirm.needs.is_some() { Danger::Destructive } else { step.danger };
    let (danger, danger_style) = theme.danger(danger).unwrap_or(("safe", theme.dim()));
    let mut danger_line = vec![Span::styled(danger, danger_style)];
    if let Some(needs) = &confirm.needs {
        danger_line.push(Span::raw(format!(" ({})", needs.reason)));
    }
    lines.extend(labelled("Danger:", danger_line, width));
    where_lines(state, confirm, width, &mut lines);
    let start = lines.len();
    // In a drill no check runs: none is shown.
    if state.rehearsal.is_none() {
        check_lines(state, confirm, CheckKind::Precheck, width, &mut lines);
    }
    let precheck = (lines.len() > start).then_some(start..lines.len());
    if state.rehearsal.is_none() {
        check_lines(state, confirm, CheckKind::Verify, width, &mut lines);
    }
    if let Some(place) = step.place() {
        lines.extend(labelled("Run from:", vec![Span::styled(place.to_string(), theme.warning())], width));
    }
    let directory = &state.working_dir;
    let shell = Shell::for_lang(&step.lang).program();
    let place = if state.rehearsal.is_some() {
        strings::DRILL_RUNS_NOWHERE.to_owned()
    } else if step.interactive {
        format!("{shell} -c, in this terminal (pagerbook steps aside), in {directory}")
    } else {
        format!("{shell} -c, in {directory}, input closed, output in a pane")
    };
    lines.extend(labelled("Runs in:", vec![Span::styled(place, theme.dim())], width));
    let recorded = match &state.incident {
        _ if state.rehearsal.as_ref().is_some_and(|r| r.ended) => {
            Span::styled(strings::DRILL_OVER_UNRECORDED, theme.dim())
        }
        Some(_) if state.rehearsal.is_some() => Span::styled(strings::DRILL_RECORDED, theme.dim()),
        Some(incident) if step.interactive => {
            Span::styled(strings::recorded_in_terminal(incident.title()), theme.dim())
        }
        Some(incident) => Span::styled(strings::recorded_in(incident.title()), theme.dim()),
        None => Span::styled(strings::no_incident_open(), theme.dim()),
    };
    lines.extend(labelled("Journal:", vec![recorded], width));
    for (i, chosen) in confirm.values.iter().enumerate() {
        let label = if i == 0 { "Values:" } else { "" };
        let value = if chosen.secret { "••••••".to_owned() } else { chosen.value.clone() };
        let origin = if chosen.secret { "secret".to_owned() } else { chosen.origin.describe(state.wall) };
        let style = if matches!(chosen.origin, ValueOrigin::Typed | ValueOrigin::Listed) {
            theme.dim()
        } else {
            theme.heading()
        };
        let spans = vec![
            Span::raw(format!("{} = ", chosen.name)),
            Span::styled(value, theme.heading()),
            Span::styled(format!("  ({origin})"), style),
        ];
        lines.extend(labelled(label, spans, width));
    }
    lines.push(Line::default());
    let precheck_first = step.precheck().is_some() && confirm.precheck.is_none() && state.rehearsal.is_none();
    let field = confirm.needs.as_ref().map(|needs| {
        let prompt = strings::type_to_confirm(&needs.word, precheck_first);
        for part in wrap(&prompt, width) {
            lines.push(Line::styled(part, theme.warning()));
        }
        lines.push(Line::default());
        lines.len() - 1
    });
    if field.is_none() {
        let footer = if state.rehearsal.is_some() {
            strings::rehearse_footer()
        } else if precheck_first {
            strings::precheck_footer()
        } else {
            strings::confirm_footer()
        };
        lines.push(Line::styled(footer, theme.heading()));
    }
    ConfirmLines { lines, field, precheck }
}

/// The step's `kind` check, its command shown as the step's is
/// (confirming the step confirms it): the precheck with its verdict once
/// run, the verify with when it will run.
fn check_lines(state: &AppState, confirm: &Confirm, kind: CheckKind, width: usize, lines: &mut Vec<Line<'static>>) {
    let theme = state.theme;
    let Some((_, step)) = confirm.key.resolve(&state.catalog) else { return };
    let (Some(check), Some(command)) = (kind.of(step), check_shown(state, confirm.key, kind, &confirm.values)) else {
        return;
    };
    let label = if kind == CheckKind::Precheck { "Precheck:" } else { "Verify:" };
    let mut spans = vec![Span::styled(format!("$ {command}"), theme.heading())];
    let when = match (kind, &confirm.precheck) {
        (CheckKind::Precheck, Some(checking)) => {
            let (text, style) = super::document::check_status(theme, "", checking, state.now);
            lines.extend(labelled(label, spans, width));
            lines.extend(labelled("", vec![Span::styled(text, style)], width));
            return;
        }
        (CheckKind::Precheck, None) => strings::precheck_when(),
        (CheckKind::Verify, _) => strings::verify_when(check),
    };
    spans.push(Span::styled(format!("  ({when})"), theme.dim()));
    lines.extend(labelled(label, spans, width));
}

/// Width of the confirmation's labels (`Namespace: `).
const LABEL_WIDTH: usize = 11;

/// `Label:    what it says`, wrapped under itself rather than under the label.
fn labelled(label: &str, spans: Vec<Span<'static>>, width: usize) -> Vec<Line<'static>> {
    let body = wrap_line(&Line::from(spans), width.saturating_sub(LABEL_WIDTH));
    body.into_iter()
        .enumerate()
        .map(|(i, line)| {
            let lead = if i == 0 { format!("{label:<LABEL_WIDTH$}") } else { " ".repeat(LABEL_WIDTH) };
            Line::from(std::iter::once(Span::raw(lead)).chain(line.spans).collect::<Vec<_>>())
        })
        .collect()
}

/// Where the command acts, as the confirmation says it: the cluster and
/// namespace of each `kubectl`/`helm`, the ssh hosts, and warnings for
/// programs not on `PATH` and variables that are not set.
fn where_lines(state: &AppState, confirm: &Confirm, width: usize, lines: &mut Vec<Line<'static>>) {
    let theme = state.theme;
    let Some(whereabouts) = &confirm.whereabouts else {
        lines.extend(labelled("Where:", vec![Span::styled("looking…", theme.dim())], width));
        return;
    };
    // `Label:    value (where it came from)`: the value is what the eye must
    // catch, so only it is bright.
    let mut add = |label: &str, value: Option<&str>, note: &str| {
        let (value, style) = match value {
            Some(value) => (value.to_owned(), theme.heading()),
            None => ("unknown".to_owned(), theme.warning()),
        };
        let spans = vec![Span::styled(value, style), Span::styled(format!("  ({note})"), theme.dim())];
        lines.extend(labelled(label, spans, width));
    };
    for kube in &whereabouts.kube {
        add("Context:", kube.context.value.as_deref(), &kube.context.from);
        add("Namespace:", kube.namespace.value.as_deref(), &kube.namespace.from);
    }
    for host in &whereabouts.ssh_hosts {
        add("Host:", Some(host), "over ssh");
    }
    let mut warn =
        |text: String| lines.extend(wrap(&text, width).into_iter().map(|l| Line::styled(l, theme.warning())));
    if !whereabouts.missing_programs.is_empty() {
        warn(format!("⚠ not found on PATH: {}", whereabouts.missing_programs.join(", ")));
    }
    if !whereabouts.unset_vars.is_empty() {
        let vars: Vec<String> = whereabouts.unset_vars.iter().map(|name| format!("${name}")).collect();
        warn(format!("⚠ not set in pagerbook's environment, so empty when it runs: {}", vars.join(", ")));
    }
}
