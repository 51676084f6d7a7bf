//! A drill on the responder's screen: its line above the search (the
//! clock and the latest thing released) and its panel (the briefing and
//! everything released).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::overlay::{popup, scrolled};
use super::results::truncate;
use crate::drill;
use crate::tui::layout::drill_lines;
use crate::tui::state::AppState;
use crate::tui::strings;

/// `DRILL 04:12 · logs: [ERROR] plugin/errors … · ^T briefing`.
pub fn banner(state: &AppState, frame: &mut Frame<'_>, area: Rect) {
    let Some(rehearsal) = &state.rehearsal else { return };
    let theme = state.theme;
    let clock = rehearsal.progress.elapsed(state.wall).map_or_else(String::new, |s| format!(" {}", drill::clock(s)));
    let (badge, news) = if rehearsal.ended {
        (
            " DRILL OVER ".to_owned(),
            format!("debrief: {}", strings::debrief_command(rehearsal.journal.as_deref().unwrap_or_default())),
        )
    } else {
        let news = rehearsal.progress.released.last().map_or_else(
            || rehearsal.drill.title.clone(),
            |latest| format!("{}: {}", latest.label, latest.text.lines().next().unwrap_or_default()),
        );
        (format!(" DRILL{clock} "), news)
    };
    let key = format!(" {}", strings::drill_banner_key());
    let room = usize::from(area.width).saturating_sub(badge.width() + key.width() + 1);
    let line = Line::from(vec![
        Span::styled(badge, theme.selected()),
        Span::raw(" "),
        Span::styled(format!("{:room$}", truncate(&news.replace('\t', " "), room)), theme.warning()),
        Span::styled(key, theme.dim()),
    ]);
    frame.render_widget(line, area);
}

/// The drill panel.
pub fn panel(state: &AppState, frame: &mut Frame<'_>, scroll: usize) {
    let inner = popup(frame, &strings::drill_title(), Style::default());
    scrolled(state, frame, inner, drill_lines(state, inner.width), scroll);
}
