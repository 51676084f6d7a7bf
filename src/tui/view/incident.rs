//! The incident panel (what is open, its clock, its milestones, its latest
//! records) and the one-line prompt for a title, a note or a time.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::overlay::{centred_box, popup};
use crate::journal::record::{Event, Milestone, hour_minute};
use crate::tui::state::{AppState, Asks, Prompt};
use crate::tui::strings;
use crate::wrap::wrap;

/// `12 min`, `1 h 05`: an incident's clock, to the minute.
#[must_use]
pub fn clock(elapsed: std::time::Duration) -> String {
    let minutes = elapsed.as_secs() / 60;
    if minutes < 60 { format!("{minutes} min") } else { format!("{} h {:02}", minutes / 60, minutes % 60) }
}

/// Draws the panel.
pub fn panel(state: &AppState, frame: &mut Frame<'_>) {
    let theme = state.theme;
    let inner = popup(frame, &strings::incident_title(state.incident.is_some()), theme.border(true));
    let width = usize::from(inner.width);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let prose = |lines: &mut Vec<Line<'static>>, text: &str, style| {
        lines.extend(wrap(text, width).into_iter().map(|line| Line::styled(line, style)));
    };
    let Some(incident) = &state.incident else {
        prose(&mut lines, "No incident is open: nothing done here is recorded.", theme.warning());
        lines.push(Line::default());
        prose(&mut lines, &strings::incident_explained(), theme.dim());
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    };
    prose(&mut lines, incident.title(), theme.heading());
    let opened = incident.records.first().map_or("", |record| hour_minute(&record.time));
    let elapsed = state.incident_elapsed().map(clock).unwrap_or_default();
    prose(&mut lines, &format!("open {elapsed}, since {opened} UTC · {}", incident.id), theme.dim());
    prose(&mut lines, &format!("Journal: {}", incident.path.display()), theme.dim());
    lines.push(Line::default());
    let reached = |milestone: Milestone| {
        incident.records.iter().rev().find_map(|record| match &record.event {
            Event::Milestone { milestone: m, at } if *m == milestone => {
                Some(hour_minute(at.as_deref().unwrap_or(&record.time)).to_owned())
            }
            _ => None,
        })
    };
    let mut spans = vec![Span::styled("Milestones  ", theme.heading())];
    for (i, milestone) in Milestone::ALL.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        match reached(milestone) {
            Some(at) => spans.push(Span::raw(format!("{} {at}", milestone.word()))),
            None => spans.push(Span::styled(format!("{} –", milestone.word()), theme.dim())),
        }
    }
    lines.extend(crate::tui::layout::document::wrap_line(&Line::from(spans), width));
    lines.push(Line::default());
    lines.push(Line::styled("Latest records", theme.heading()));
    // The latest that fit, oldest of them first, a line each.
    let room = usize::from(inner.height).saturating_sub(lines.len());
    let latest = incident.records.len().saturating_sub(room);
    for record in &incident.records[latest..] {
        let text = format!("{}  {}  {}", hour_minute(&record.time), record.user, record.event.describe());
        lines.push(Line::raw(super::results::truncate(&text.replace('\n', " "), width)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Draws a prompt: a small box, its question on the border, the line typed.
pub fn prompt(state: &AppState, frame: &mut Frame<'_>, prompt: &Prompt) {
    let area = frame.area();
    let width = area.width.saturating_sub(4).min(76);
    let example = match prompt.asks {
        Asks::Title => "e.g. Checkout 5xx after the 03:00 deploy",
        Asks::Note => "e.g. rolled back to v41; TODO: alert on CoreDNS restarts",
        Asks::When(_) => "e.g. 03:12, 15m ago, 2h ago; empty is now",
    };
    let inner = centred_box(frame, (width, 4), &strings::prompt_title(prompt.asks), state.theme.border(true));
    let [field, hint] = ratatui::layout::Layout::vertical([1, 1].map(ratatui::layout::Constraint::Length)).areas(inner);
    frame.render_widget(&prompt.input, field);
    frame.render_widget(Span::styled(example, state.theme.dim()), hint);
}
