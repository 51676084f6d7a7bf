//! Syntax highlighting of step commands with syntect, as ratatui lines.
//!
//! syntect's syntax and theme sets take milliseconds to load, so they load on
//! a background thread started after the first frame; until they are ready,
//! commands show as plain text. Highlighted commands are cached: a detail
//! view is drawn on every frame.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, Theme, ThemeSet};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Depth {
    /// 24-bit colour (`COLORTERM=truecolor`).
    TrueColor,
    /// The xterm 256-colour palette.
    Ansi256,
    /// The 16 basic colours.
    Basic16,
}

struct Sets {
    syntaxes: SyntaxSet,
    dark: Theme,
    light: Theme,
}

static SETS: OnceLock<Sets> = OnceLock::new();

type CacheKey = (String, String, bool, Depth);
/// Commands kept highlighted. Browsing shows a few dozen; a long session
/// over a large catalog would otherwise keep every command ever shown.
const CACHED_COMMANDS: usize = 2048;
static CACHE: OnceLock<Mutex<HashMap<CacheKey, Arc<Vec<Line<'static>>>>>> = OnceLock::new();

/// Loads the syntax and theme sets on a background thread, then calls
/// `ready` (the event loop redraws). Returns at once.
pub fn load_in_background(ready: impl FnOnce() + Send + 'static) {
    std::thread::spawn(move || {
        load();
        ready();
    });
}

fn load() -> &'static Sets {
    SETS.get_or_init(|| {
        let mut themes = ThemeSet::load_defaults().themes;
        Sets {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            dark: themes.remove("base16-ocean.dark").unwrap_or_default(),
            light: themes.remove("InspiredGitHub").unwrap_or_default(),
        }
    })
}

/// The highlighted lines of `code` in syntax `lang` (a name or an extension),
/// or `None` while the sets are still loading.
#[must_use]
pub fn highlight(code: &str, lang: &str, light: bool, depth: Depth) -> Option<Arc<Vec<Line<'static>>>> {
    let sets = SETS.get()?;
    let key = (lang.to_owned(), code.to_owned(), light, depth);
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(lines) = cache.lock().ok()?.get(&key) {
        return Some(lines.clone());
    }
    let lines = Arc::new(highlight_with(sets, code, lang, light, depth));
    if let Ok(mut cache) = cache.lock() {
        if cache.len() >= CACHED_COMMANDS {
            cache.clear();
        }
        cache.insert(key, lines.clone());
    }
    Some(lines)
}

/// Loads the sets on this thread, for tests and measurements that must not
/// depend on the background thread.
pub fn load_now() {
    load();
}

fn highlight_with(sets: &Sets, code: &str, lang: &str, light: bool, depth: Depth) -> Vec<Line<'static>> {
    let syntax = sets.syntaxes.find_syntax_by_token(lang).unwrap_or_else(|| sets.syntaxes.find_syntax_plain_text());
    let theme = if light { &sets.light } else { &sets.dark };
    let mut highlighter = HighlightLines::new(syntax, theme);
    LinesWithEndings::from(code)
        .map(|line| {
            let spans = match highlighter.highlight_line(line, &sets.syntaxes) {
                Ok(ranges) => ranges
                    .into_iter()
                    .map(|(style, text)| {
                        Span::styled(text.trim_end_matches(['\n', '\r']).to_owned(), convert(style, depth))
                    })
                    .collect(),
                Err(_) => vec![Span::raw(line.trim_end_matches(['\n', '\r']).to_owned())],
            };
            Line::from(spans)
        })
        .collect()
}

fn convert(style: syntect::highlighting::Style, depth: Depth) -> Style {
    let c = style.foreground;
    let color = match depth {
        Depth::TrueColor => Color::Rgb(c.r, c.g, c.b),
        Depth::Ansi256 => Color::Indexed(to_ansi256(c.r, c.g, c.b)),
        Depth::Basic16 => to_basic16(c.r, c.g, c.b),
    };
    let mut out = Style::default().fg(color);
    if style.font_style.contains(FontStyle::BOLD) {
        out = out.add_modifier(Modifier::BOLD);
    }
    if style.font_style.contains(FontStyle::ITALIC) {
        out = out.add_modifier(Modifier::ITALIC);
    }
    out
}

/// The nearest colour of the xterm palette: the 6×6×6 cube or the grey ramp.
#[must_use]
pub fn to_ansi256(r: u8, g: u8, b: u8) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let nearest_level = |v: u8| LEVELS.iter().enumerate().min_by_key(|(_, l)| l.abs_diff(v)).map_or(0, |(i, _)| i);
    let (ri, gi, bi) = (nearest_level(r), nearest_level(g), nearest_level(b));
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let grey_index = ((u16::from(r) + u16::from(g) + u16::from(b)) / 3).saturating_sub(8) / 10;
    let grey_index = u8::try_from(grey_index.min(23)).unwrap_or(23);
    let grey = 8 + 10 * grey_index;
    let distance = |(cr, cg, cb): (u8, u8, u8)| {
        u32::from(cr.abs_diff(r)).pow(2) + u32::from(cg.abs_diff(g)).pow(2) + u32::from(cb.abs_diff(b)).pow(2)
    };
    let cube_index = u8::try_from(16 + 36 * ri + 6 * gi + bi).unwrap_or(16);
    if distance((grey, grey, grey)) < distance(cube) { 232 + grey_index } else { cube_index }
}

/// The nearest of the 16 basic colours.
#[must_use]
pub fn to_basic16(r: u8, g: u8, b: u8) -> Color {
    const PALETTE: [(Color, (u8, u8, u8)); 16] = [
        (Color::Black, (0, 0, 0)),
        (Color::Red, (205, 49, 49)),
        (Color::Green, (13, 188, 121)),
        (Color::Yellow, (229, 229, 16)),
        (Color::Blue, (36, 114, 200)),
        (Color::Magenta, (188, 63, 188)),
        (Color::Cyan, (17, 168, 205)),
        (Color::Gray, (229, 229, 229)),
        (Color::DarkGray, (102, 102, 102)),
        (Color::LightRed, (241, 76, 76)),
        (Color::LightGreen, (35, 209, 139)),
        (Color::LightYellow, (245, 245, 67)),
        (Color::LightBlue, (59, 142, 234)),
        (Color::LightMagenta, (214, 112, 214)),
        (Color::LightCyan, (41, 184, 219)),
        (Color::White, (255, 255, 255)),
    ];
    let distance = |(cr, cg, cb): (u8, u8, u8)| {
        u32::from(cr.abs_diff(r)).pow(2) + u32::from(cg.abs_diff(g)).pow(2) + u32::from(cb.abs_diff(b)).pow(2)
    };
    PALETTE.iter().min_by_key(|(_, rgb)| distance(*rgb)).map_or(Color::Reset, |(color, _)| *color)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_is_highlighted_in_several_colours() {
        load_now();
        let lines = highlight("kubectl get pods -n \"$ns\" # list", "bash", false, Depth::TrueColor).unwrap();
        assert_eq!(lines.len(), 1);
        let text: String = lines[0].spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "kubectl get pods -n \"$ns\" # list");
        let colours: std::collections::HashSet<_> = lines[0].spans.iter().map(|s| s.style.fg).collect();
        assert!(colours.len() >= 2, "{colours:?}");
    }

    #[test]
    fn unknown_languages_fall_back_to_plain_text() {
        load_now();
        let lines = highlight("a\nb", "no-such-language", true, Depth::Basic16).unwrap();
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn colours_map_down_to_the_palettes() {
        assert_eq!(to_ansi256(255, 0, 0), 196);
        assert_eq!(to_ansi256(128, 128, 128), 244);
        assert_eq!(to_basic16(250, 250, 250), Color::White);
        assert_eq!(to_basic16(200, 40, 40), Color::Red);
    }
}
