//! Rendering: a pure function of the state, one file per pane or overlay.

pub mod command;
pub mod detail;
pub mod drill;
pub mod gm;
pub mod incident;
pub mod overlay;
pub mod results;

use crate::tui::strings;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::command::RunState;
use super::keymap;
use super::state::{AppState, CopyTo, Focus, Overlay};
use crate::wrap::plural;

/// Draws the whole screen.
pub fn render(state: &AppState, frame: &mut Frame<'_>) {
    let screen = state.screen();
    if screen.too_small {
        let notice = Paragraph::new(vec![Line::from("Terminal too small:"), Line::from("please enlarge it")])
            .alignment(Alignment::Center);
        frame.render_widget(notice, screen.area);
        return;
    }
    if let Some(area) = screen.banner {
        drill::banner(state, frame, area);
    }
    render_search(state, frame, screen.search);
    if let Some(area) = screen.results {
        results::render(state, frame, area);
    }
    if let Some(area) = screen.detail {
        detail::render(state, frame, area);
    }
    render_status(state, frame, screen.status);
    match state.overlays.last() {
        Some(Overlay::Help { scroll }) => overlay::help(state, frame, *scroll),
        Some(Overlay::Problems { scroll }) => overlay::problems(state, frame, *scroll),
        Some(Overlay::Form(form)) => command::form(state, frame, form),
        Some(Overlay::Confirm(confirm)) => command::confirm(state, frame, confirm),
        Some(Overlay::Output { key, scroll }) => command::output(state, frame, *key, *scroll),
        Some(Overlay::SelectByHand(text)) => command::plain(state, frame, text),
        Some(Overlay::Ask(question)) => overlay::ask(state, frame, *question),
        Some(Overlay::Incident) => incident::panel(state, frame),
        Some(Overlay::Drill { scroll }) => drill::panel(state, frame, *scroll),
        Some(Overlay::Prompt(prompt)) => incident::prompt(state, frame, prompt),
        None => {}
    }
}

/// `Search › query▏                                   12 matches`
fn render_search(state: &AppState, frame: &mut Frame<'_>, area: Rect) {
    let label = "Search › ";
    let label_width = u16::try_from(label.width()).unwrap_or(0);
    let label_style = if state.focus == Focus::Results { state.theme.heading() } else { state.theme.dim() };
    frame.render_widget(Span::styled(label, label_style), area);
    let field = Rect { x: area.x + label_width, width: area.width.saturating_sub(label_width), ..area };
    frame.render_widget(&state.search, field);
}

/// Keys that apply now (or a message), then the badges that must be seen
/// wherever one is: read-only, commands running, catalog problems; the
/// catalog counts where there is room.
fn render_status(state: &AppState, frame: &mut Frame<'_>, area: Rect) {
    let theme = state.theme;
    let mut badges: Vec<Span<'static>> = Vec::new();
    // Where the command goes is the badge to see.
    if state.copy_to == CopyTo::Prompt {
        badges.push(Span::styled(" → PROMPT ", theme.selected()));
    } else if state.read_only {
        badges.push(Span::styled(" READ-ONLY ", theme.selected()));
    }
    if let Some(kube) = &state.kube {
        // A long context name must not push every hint off the line.
        badges.push(Span::styled(results::truncate(kube, 28), theme.heading()));
    }
    // A drill's clock is on its own line.
    if let (Some(incident), Some(elapsed), None) = (&state.incident, state.incident_elapsed(), &state.rehearsal) {
        // The incident's clock, to the minute, and what it is about.
        let badge = format!("● {} {}", incident::clock(elapsed), incident.title());
        badges.push(Span::styled(results::truncate(&badge, 24), theme.warning()));
    }
    let running = state.running().count();
    if running > 0 {
        badges.push(Span::styled(format!("▶ {running} running"), theme.heading()));
    }
    if !state.diagnostics.is_empty() {
        let n = state.diagnostics.len();
        badges.push(Span::styled(strings::problems_badge(&plural(n, "problem")), theme.warning()));
    }
    let (left, left_style) = if let Some(message) = &state.flash {
        (message.clone(), theme.warning())
    } else {
        let stoppable = match state.overlays.last() {
            Some(Overlay::Output { key, .. }) => state.runs.get(key).is_some_and(RunState::running),
            _ => false,
        };
        let offer = keymap::Offer {
            read_only: state.read_only,
            print: state.copy_to == CopyTo::Prompt,
            stoppable,
            journal: match (&state.rehearsal, &state.incident) {
                (Some(_), _) => keymap::Journal::Drill,
                (None, Some(_)) => keymap::Journal::Incident,
                (None, None) => keymap::Journal::Nothing,
            },
        };
        (keymap::hints(state.context(), offer), theme.dim())
    };
    let (failures, runbooks) = state.catalog.counts();
    let counts = format!("{} · {}", plural(failures, "failure mode"), plural(runbooks, "runbook"));
    if badges.is_empty() && state.flash.is_none() && left.width() + 2 + counts.width() <= usize::from(area.width) {
        badges.push(Span::styled(counts, theme.dim()));
    }
    let right: Vec<Span<'static>> = badges.into_iter().flat_map(|b| [Span::raw(" "), b]).collect();
    let right_width = u16::try_from(right.iter().map(|s| s.content.width()).sum::<usize>()).unwrap_or(u16::MAX);
    let right_width = right_width.min(area.width);
    let left_area = Rect { width: area.width - right_width, ..area };
    frame.render_widget(Span::styled(results::truncate(&left, usize::from(left_area.width)), left_style), left_area);
    let right_area = Rect { x: area.x + area.width - right_width, width: right_width, ..area };
    frame.render_widget(Line::from(right), right_area);
}
