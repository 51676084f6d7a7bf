//! The game master's view: a title line with the clock, the scenario as
//! one scrolled page (answer, milestones, what to release and its keys,
//! what the responder did, the briefing, notes, expected steps), and the
//! keys on the last line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::results::truncate;
use crate::catalog::{Catalog, Drill};
use crate::drill::{Progress, releasable_reveals};
use crate::journal::incidents::Incident;
use crate::journal::record::{Event, Milestone, Release, hour_minute};
use crate::tui::gm::{BINDINGS, GameMaster, Phase, reveal_key};
use crate::tui::theme::Theme;
use crate::wrap::wrap;

/// Draws the view.
pub fn render(gm: &GameMaster<'_>, catalog: &Catalog, frame: &mut Frame<'_>) {
    let [top, body, bottom] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(frame.area());
    let theme = gm.theme;
    let width = usize::from(body.width);
    let (title, lines, keys) = match &gm.phase {
        Phase::Picking { slots, selected } => {
            let id_width = slots.iter().map(|slot| slot.drill.id.len()).max().unwrap_or(0);
            let lines = slots
                .iter()
                .enumerate()
                .map(|(i, slot)| {
                    let style = if i == *selected { theme.selected() } else { ratatui::style::Style::default() };
                    Line::styled(truncate(&format!(" {}", slot.describe(id_width)), width), style)
                })
                .collect();
            let keys = "↑↓ choose · s spin · Enter starts the drill · q leave".to_owned();
            (" GAME MASTER · spin the wheel: the next to drill first ".to_owned(), lines, keys)
        }
        Phase::Playing { journal, drill, progress } => {
            let clock = progress.elapsed(gm.wall).map_or_else(String::new, crate::drill::clock);
            let title = format!(" GAME MASTER · {clock} · {} ", drill.title);
            let keys = if gm.asking_end { "End the drill for everyone? y/N".to_owned() } else { hints(drill) };
            (title, playing(theme, catalog, journal, drill, progress, width), keys)
        }
    };
    frame.render_widget(Span::styled(format!("{:width$}", truncate(&title, width)), theme.selected()), top);
    let scroll = gm.scroll.min(lines.len().saturating_sub(usize::from(body.height)));
    let shown: Vec<Line<'static>> = lines.into_iter().skip(scroll).take(usize::from(body.height)).collect();
    frame.render_widget(Paragraph::new(shown), body);
    let (bottom_text, style) = match &gm.flash {
        Some(flash) => (flash.clone(), theme.warning()),
        None => (keys, theme.dim()),
    };
    frame.render_widget(Span::styled(truncate(&bottom_text, width), style), bottom);
}

/// `1-3 reveal · i inject · h hint · d diagnosed …`, from the bindings.
fn hints(drill: &Drill) -> String {
    let reveals = releasable_reveals(drill).count();
    let mut parts = Vec::new();
    if reveals > 0 {
        let last = reveal_key(reveals - 1).unwrap_or('?');
        parts.push(if reveals == 1 { "1 reveal".to_owned() } else { format!("1-{last} reveal") });
    }
    parts.extend(BINDINGS.iter().map(|(key, _, what)| format!("{key} {what}")));
    parts.push("↑↓ scroll".to_owned());
    parts.join(" · ")
}

fn playing(
    theme: Theme,
    catalog: &Catalog,
    journal: &Incident,
    drill: &Drill,
    progress: &Progress,
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let heading = |lines: &mut Vec<Line<'static>>, text: &str| {
        lines.push(Line::default());
        lines.push(Line::styled(text.to_owned(), theme.heading()));
    };
    let prose = |lines: &mut Vec<Line<'static>>, text: &str, style| {
        lines.extend(wrap(text, width).into_iter().map(|line| Line::styled(line, style)));
    };
    let answer = catalog.get(&drill.failure).map_or(String::new(), |entry| format!(": {}", entry.title()));
    prose(&mut lines, &format!("Answer (hidden from the responder): {}{answer}", drill.failure), theme.warning());
    let reached: Vec<String> = Milestone::ALL[2..]
        .iter()
        .map(|m| match progress.reached(*m) {
            Some(at) => format!("{} {}", m.word(), hour_minute(at)),
            None => format!("{} –", m.word()),
        })
        .collect();
    prose(&mut lines, &format!("Milestones: {}", reached.join(" · ")), theme.dim());
    let targets = drill.targets();
    if !targets.is_empty() {
        prose(&mut lines, &format!("Targets (for the debrief): {}", targets.join(" · ")), theme.dim());
    }

    heading(&mut lines, "Release: one key each; the responder sees it within a second");
    for (i, (number, reveal)) in releasable_reveals(drill).enumerate() {
        let key = reveal_key(i).map_or(' ', |k| k);
        let mark = released_at(progress, Release::Reveal, number);
        let first = reveal.text.lines().next().unwrap_or_default();
        lines.push(Line::raw(truncate(&format!(" {key}  {:16} {mark:9} {first}", reveal.on.to_string()), width)));
    }
    for (number, inject) in (1..).zip(&drill.injects) {
        let when =
            inject.after.map_or_else(|| "by hand".to_owned(), |s| format!("at {}", crate::catalog::seconds_text(s)));
        let mark = released_at(progress, Release::Inject, number);
        let key =
            if progress.next_unreleased(Release::Inject, drill.injects.len()) == Some(number) { 'i' } else { ' ' };
        let first = inject.text.lines().next().unwrap_or_default();
        let label = format!("inject {number}");
        lines.push(Line::raw(truncate(&format!(" {key}  {label:16} {mark:9} ({when}) {first}"), width)));
    }
    let used = progress.released.iter().filter(|r| r.item == Release::Hint).count();
    let next = progress.next_unreleased(Release::Hint, drill.hints.len());
    let ladder = match next.and_then(|n| drill.hints.get(n as usize - 1)) {
        Some(hint) => format!(" h  hint {} of {}: {hint}", used + 1, drill.hints.len()),
        None => format!("    every hint released ({used})"),
    };
    lines.push(Line::raw(truncate(&ladder, width)));
    let steps = drill.reveals.len() - releasable_reveals(drill).count();
    let shown = crate::wrap::plural(steps, "step output");
    prose(&mut lines, &format!("    ({shown} shown when the responder runs the step)"), theme.dim());

    heading(&mut lines, "The responder, latest first");
    let done: Vec<&crate::journal::record::Record> = journal
        .records
        .iter()
        .rev()
        .filter(|r| !matches!(r.event, Event::Released { .. } | Event::Opened { .. }))
        .take(8)
        .collect();
    if done.is_empty() {
        prose(&mut lines, "Nothing yet.", theme.dim());
    }
    for record in done {
        let event = if record.event == Event::Closed { "drill ended".to_owned() } else { record.event.describe() };
        let text = format!(" {}  {}", hour_minute(&record.time), event.replace('\n', " "));
        lines.push(Line::raw(truncate(&text, width)));
    }

    heading(&mut lines, "Briefing (what the responder was paged with)");
    prose(&mut lines, &drill.briefing, ratatui::style::Style::default());
    if let Some(notes) = &drill.notes {
        heading(&mut lines, "Notes");
        prose(&mut lines, notes, ratatui::style::Style::default());
    }
    if !drill.red_herrings.is_empty() {
        heading(&mut lines, "Red herrings");
        for herring in &drill.red_herrings {
            prose(&mut lines, &format!("- {herring}"), ratatui::style::Style::default());
        }
    }
    if !drill.expected.is_empty() {
        heading(&mut lines, "Expected steps");
        for step in &drill.expected {
            let what = crate::drill::instruction(catalog, step).unwrap_or_default();
            let mark = if progress.taken(step).is_some() { '✓' } else { '·' };
            lines.push(Line::raw(truncate(&format!(" {mark} {step}  {what}"), width)));
        }
    }
    lines
}

/// `✓ 03:12` for an item released at 03:12, else nothing.
fn released_at(progress: &Progress, item: Release, number: u32) -> String {
    progress
        .released
        .iter()
        .find(|r| r.item == item && r.number == number)
        .map_or_else(String::new, |r| format!("✓ {}", hour_minute(&r.time)))
}
