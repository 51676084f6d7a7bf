//! Colours and styles. With `NO_COLOR`, bold, reverse video, underline and
//! glyphs carry the meaning alone (selection, matches, danger).

use ratatui::style::{Color, Modifier, Style};

use crate::catalog::{Danger, Frequency, Severity};
use crate::highlight::Depth;

/// The look of the navigator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// A light terminal background.
    pub light: bool,
    /// Colour depth, or `None` for no colour at all.
    pub depth: Option<Depth>,
}

impl Theme {
    /// Reads the environment: `NO_COLOR` (any non-empty value) turns colour
    /// off; `COLORTERM=truecolor|24bit` allows 24-bit colour; a `TERM` with
    /// `256color` the 256-colour palette; anything else 16 colours.
    #[must_use]
    pub fn detect(light: bool, no_color: Option<&str>, colorterm: Option<&str>, term: Option<&str>) -> Theme {
        let depth = if no_color.is_some_and(|v| !v.is_empty()) {
            None
        } else if colorterm.is_some_and(|v| v.eq_ignore_ascii_case("truecolor") || v.eq_ignore_ascii_case("24bit")) {
            Some(Depth::TrueColor)
        } else if term.is_some_and(|t| t.contains("256color")) {
            Some(Depth::Ansi256)
        } else {
            Some(Depth::Basic16)
        };
        Theme { light, depth }
    }

    fn fg(self, color: Color) -> Style {
        if self.depth.is_some() { Style::default().fg(color) } else { Style::default() }
    }

    /// Layer headings and section titles.
    #[must_use]
    pub fn heading(self) -> Style {
        self.fg(if self.light { Color::Blue } else { Color::LightBlue }).add_modifier(Modifier::BOLD)
    }

    /// Secondary text: ids, layers, hints.
    #[must_use]
    pub fn dim(self) -> Style {
        if self.depth.is_some() { self.fg(Color::DarkGray) } else { Style::default().add_modifier(Modifier::DIM) }
    }

    /// The selected row or item.
    #[must_use]
    pub fn selected(self) -> Style {
        match self.depth {
            Some(_) if self.light => Style::default().bg(Color::Gray).fg(Color::Black).add_modifier(Modifier::BOLD),
            Some(_) => Style::default().bg(Color::DarkGray).fg(Color::White).add_modifier(Modifier::BOLD),
            None => Style::default().add_modifier(Modifier::REVERSED),
        }
    }

    /// Characters that matched the query.
    #[must_use]
    pub fn matched(self) -> Style {
        self.fg(if self.light { Color::Magenta } else { Color::Yellow })
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// A link to another entry.
    #[must_use]
    pub fn link(self) -> Style {
        self.fg(if self.light { Color::Blue } else { Color::Cyan }).add_modifier(Modifier::UNDERLINED)
    }

    /// The border of the pane that has the keyboard, and of others.
    #[must_use]
    pub fn border(self, focused: bool) -> Style {
        if focused { self.fg(if self.light { Color::Blue } else { Color::Cyan }) } else { self.dim() }
    }

    /// A warning (catalog problems).
    #[must_use]
    pub fn warning(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// How a severity shows: a short word and its style.
    #[must_use]
    pub fn severity(self, severity: Severity) -> (&'static str, Style) {
        match severity {
            Severity::Critical => ("CRIT", self.fg(Color::Red).add_modifier(Modifier::BOLD)),
            Severity::High => ("HIGH", self.fg(Color::LightRed)),
            Severity::Medium => ("MED ", self.fg(Color::Yellow)),
            Severity::Low => ("LOW ", self.dim()),
        }
    }

    /// A danger mark for a step, if it is not safe.
    #[must_use]
    pub fn danger(self, danger: Danger) -> Option<(&'static str, Style)> {
        match danger {
            Danger::Safe => None,
            Danger::Caution => Some(("! caution", self.fg(Color::Yellow).add_modifier(Modifier::BOLD))),
            Danger::Destructive => {
                Some(("⚠ DESTRUCTIVE", self.fg(Color::Red).add_modifier(Modifier::BOLD | Modifier::REVERSED)))
            }
        }
    }
}

/// A frequency as a bar whose height grows with how often it happens.
#[must_use]
pub fn frequency_glyph(frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::VeryRare => "▁",
        Frequency::Rare => "▃",
        Frequency::Occasional => "▅",
        Frequency::Common => "▇",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_depth_follows_the_environment() {
        assert_eq!(Theme::detect(false, Some("1"), Some("truecolor"), None).depth, None);
        assert_eq!(Theme::detect(false, Some(""), Some("truecolor"), None).depth, Some(Depth::TrueColor));
        assert_eq!(Theme::detect(false, None, None, Some("xterm-256color")).depth, Some(Depth::Ansi256));
        assert_eq!(Theme::detect(false, None, None, Some("screen")).depth, Some(Depth::Basic16));
    }

    #[test]
    fn without_colour_meaning_stays_in_modifiers() {
        let plain = Theme { light: false, depth: None };
        assert_eq!(plain.selected().fg, None);
        assert!(plain.selected().add_modifier.contains(Modifier::REVERSED));
        assert!(plain.matched().add_modifier.contains(Modifier::UNDERLINED));
        let (text, style) = plain.danger(Danger::Destructive).unwrap();
        assert!(text.contains('⚠') && style.fg.is_none());
    }
}
