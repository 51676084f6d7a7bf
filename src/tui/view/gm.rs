//! The game master's view: a title line with the clock, the scenario as
//! one scrolled page (answer, milestones, what to release and its keys,
//! what the responder did, the briefing, notes, expected steps), and the
//! keys on the last line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::results::truncate;
use crate::catalog::{Catalog, Danger, Drill, seconds_text};
use crate::drill::wheel::Slot;
use crate::drill::{Progress, releasable_reveals};
use crate::journal::incidents::Incident;
use crate::journal::record::{Event, Milestone, Record, Release};
use crate::tui::gm::{BINDINGS, GameMaster, Key, Phase, release_key};
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
            let heading = Line::styled(truncate(&format!(" {}", Slot::heading(id_width)), width), theme.heading());
            let rows = slots.iter().enumerate().map(|(i, slot)| {
                let style = if i == *selected { theme.selected() } else { Style::default() };
                Line::styled(truncate(&format!(" {}", slot.describe(id_width)), width), style)
            });
            let lines = std::iter::once(heading).chain(rows).collect();
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
    let height = usize::from(body.height);
    gm.last_scroll.set(lines.len().saturating_sub(height));
    let scroll = gm.scroll.min(gm.last_scroll.get());
    let more = lines.len() > scroll + height;
    let mut shown: Vec<Line<'static>> = lines.into_iter().skip(scroll).take(height).collect();
    if more && let Some(last) = shown.last_mut() {
        *last = Line::styled(crate::tui::strings::more_below(), theme.dim());
    }
    frame.render_widget(Paragraph::new(shown), body);
    let (bottom_text, style) = match &gm.flash {
        Some(flash) => (flash.clone(), theme.warning()),
        None => (keys, theme.dim()),
    };
    frame.render_widget(Span::styled(truncate(&bottom_text, width), style), bottom);
}

/// `1-7 release · i inject · h hint · …`, from the bindings.
fn hints(drill: &Drill) -> String {
    let by_hand = crate::drill::by_hand(drill).count();
    let mut parts = Vec::new();
    if by_hand > 0 {
        let last = release_key(by_hand - 1).unwrap_or('?');
        parts.push(if by_hand == 1 { "1 release".to_owned() } else { format!("1-{last} release") });
    }
    let is_milestone = |key: &Key| matches!(key, Key::Milestone(_));
    parts.extend(BINDINGS.iter().filter(|(_, key, _)| !is_milestone(key)).map(|(c, _, what)| format!("{c} {what}")));
    let milestones: Vec<String> =
        BINDINGS.iter().filter(|(_, k, _)| is_milestone(k)).map(|(c, ..)| c.to_string()).collect();
    parts.push(format!("{} milestone", milestones.join("/")));
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
    let row = |lines: &mut Vec<Line<'static>>, text: String| lines.push(Line::raw(truncate(&text, width)));
    let answer = catalog.get(&drill.failure).map_or(String::new(), |entry| format!(": {}", entry.title()));
    prose(&mut lines, &format!("Answer (hidden from the responder): {}{answer}", drill.failure), theme.warning());
    let reached: Vec<String> = Milestone::ALL[2..]
        .iter()
        .map(|m| match progress.reached(*m) {
            Some(at) => format!("{} {}", m.word(), progress.on_clock(at)),
            None => format!("{} –", m.word()),
        })
        .collect();
    prose(&mut lines, &format!("Milestones: {}", reached.join(" · ")), theme.dim());
    let targets = drill.targets();
    if !targets.is_empty() {
        prose(&mut lines, &format!("Targets (for the debrief): {}", targets.join(" · ")), theme.dim());
    }

    heading(&mut lines, "Release: one key each; the responder sees it within a second");
    for (i, (item, number, text)) in crate::drill::by_hand(drill).enumerate() {
        let key = release_key(i).unwrap_or(' ');
        let mark = released_at(progress, item, number);
        let first = text.lines().next().unwrap_or_default();
        let label = match item {
            Release::Reveal => drill.reveals.get(number as usize - 1).map(|r| r.on.to_string()).unwrap_or_default(),
            _ => format!("inject {number}"),
        };
        row(&mut lines, format!(" {key}  {label:16} {mark:8} {first}"));
        if let Some(inject) = drill.injects.get(number as usize - 1).filter(|_| item == Release::Inject) {
            let when =
                inject.after.map_or_else(|| "by hand".to_owned(), |s| format!("by itself at {}", seconds_text(s)));
            let note = inject.note.as_deref().map(|n| format!(": {n}")).unwrap_or_default();
            lines.push(Line::styled(truncate(&format!("    {when}{note}"), width), theme.dim()));
        }
    }
    let used = progress.released.iter().filter(|r| r.item == Release::Hint).count();
    let next = progress.next_unreleased(Release::Hint, drill.hints.len());
    match next.and_then(|n| drill.hints.get(n as usize - 1)) {
        Some(hint) => {
            row(&mut lines, format!(" h  hint {} of {} ({used} released): {hint}", used + 1, drill.hints.len()));
        }
        None => row(&mut lines, format!("    every hint released ({used})")),
    }
    let steps = drill.reveals.len() - releasable_reveals(drill).count();
    let shown = crate::wrap::plural(steps, "step output");
    prose(&mut lines, &format!("    ({shown} shown when the responder runs the step)"), theme.dim());

    heading(&mut lines, "Latest, newest first");
    let latest: Vec<&Record> = journal
        .records
        .iter()
        .rev()
        .filter(|r| !matches!(r.event, Event::Released { .. } | Event::Opened { .. }))
        .take(8)
        .collect();
    if latest.is_empty() {
        prose(&mut lines, "Nothing yet.", theme.dim());
    }
    for record in latest {
        let (event, style) = match &record.event {
            Event::Closed => ("drill ended".to_owned(), Style::default()),
            // What the game master must see at once: a change that would
            // have hurt.
            Event::WouldRun(run) if run.danger == Danger::Destructive.as_str() => {
                (format!("⚠ destructive: {}", record.event.describe()), theme.warning())
            }
            event => (event.describe(), Style::default()),
        };
        let text = format!(" {:7} {}", progress.on_clock(&record.time), event.replace('\n', " "));
        lines.push(Line::styled(truncate(&text, width), style));
    }

    heading(&mut lines, "Briefing (what the responder was paged with)");
    prose(&mut lines, &drill.briefing, Style::default());
    if let Some(notes) = &drill.notes {
        heading(&mut lines, "Notes");
        prose(&mut lines, notes, Style::default());
    }
    if !drill.red_herrings.is_empty() {
        heading(&mut lines, "Red herrings");
        for herring in &drill.red_herrings {
            prose(&mut lines, &format!("- {herring}"), Style::default());
        }
    }
    if !drill.expected.is_empty() {
        heading(&mut lines, "Expected steps");
        for step in &drill.expected {
            let what = crate::drill::instruction(catalog, step).unwrap_or_default();
            let mark = if progress.taken(step).is_some() { '✓' } else { '·' };
            row(&mut lines, format!(" {mark} {step}  {what}"));
        }
    }
    lines
}

/// `✓ +04:12` for an item released 4 min 12 s in, else nothing.
fn released_at(progress: &Progress, item: Release, number: u32) -> String {
    progress
        .released
        .iter()
        .find(|r| r.item == item && r.number == number)
        .map_or_else(String::new, |r| format!("✓ {}", progress.on_clock(&r.time)))
}
