//! Reading `show` comfortably at a terminal: colour for the headings, the
//! commands and their danger, and a pager when the entry is taller than
//! the screen; plain text into a pipe or a file, as `less` and `git` do.

use std::io::{self, IsTerminal, Write};
use std::process::{Command, Stdio};

use crate::visible::VisibleWriter;

/// When to colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

const BOLD: &str = "\x1b[1m";
const COMMAND: &str = "\x1b[36m";
const WARNING: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// Writes `text` (what `show` prints) to standard output, coloured and
/// paged as the terminal allows; into `plain` when neither applies.
pub(super) fn deliver(text: &[u8], color: ColorChoice, plain: &mut dyn Write) -> io::Result<()> {
    let terminal = io::stdout().is_terminal();
    let coloured = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && !dumb(),
    };
    let taller = terminal
        && crossterm::terminal::size().is_ok_and(|(_, rows)| text.split(|b| *b == b'\n').count() > usize::from(rows));
    if !coloured && !taller {
        return plain.write_all(text);
    }
    // Made visible first, so the catalog's own bytes never act on the
    // terminal; the colours are added after.
    let mut bytes = Vec::new();
    {
        let mut visible = VisibleWriter::new(&mut bytes);
        visible.write_all(text)?;
        visible.flush()?;
    }
    let visible = String::from_utf8_lossy(&bytes).into_owned();
    let shown = if coloured { colour(&visible) } else { visible };
    if taller && let Some(mut pager) = pager() {
        if let Some(mut stdin) = pager.stdin.take() {
            // A pager quit early closes the pipe: not an error.
            let _ = stdin.write_all(shown.as_bytes());
        }
        pager.wait()?;
        return Ok(());
    }
    let mut out = io::stdout().lock();
    out.write_all(shown.as_bytes())?;
    out.flush()
}

fn dumb() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// `$PAGER`, else `less -R` (which keeps the colours), started with a pipe.
fn pager() -> Option<std::process::Child> {
    let configured = std::env::var("PAGER").ok().filter(|p| !p.trim().is_empty());
    let words = configured.and_then(|p| shlex::split(&p)).unwrap_or_else(|| vec!["less".into(), "-R".into()]);
    let (program, args) = words.split_first()?;
    let mut pager = Command::new(program);
    // The text is UTF-8 whatever the locale says: without this, less in a
    // C locale shows `·` as <C2><B7>.
    if std::env::var_os("LESSCHARSET").is_none() {
        pager.env("LESSCHARSET", "utf-8");
    }
    pager.args(args).stdin(Stdio::piped()).spawn().ok()
}

/// `show`'s text with its headings bold, its commands (`$ ` and their
/// continuation lines) in colour, and its danger marks in the warning's.
#[must_use]
pub fn colour(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut in_command = false;
    let mut after_blank = true;
    for line in text.lines() {
        let trimmed = line.trim_start();
        // The title, and each section's name after its blank line.
        let heading = after_blank && !line.is_empty() && !line.starts_with(' ');
        after_blank = line.is_empty();
        in_command = trimmed.starts_with("$ ") || (in_command && line.starts_with("       "));
        let style = if heading {
            Some(BOLD)
        } else if in_command {
            Some(COMMAND)
        } else if trimmed.starts_with("[danger: destructive") || trimmed.starts_with("[danger: caution") {
            Some(WARNING)
        } else {
            None
        };
        match style {
            Some(style) => out.extend([style, line, RESET, "\n"]),
            None => out.extend([line, "\n"]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_commands_and_danger_get_their_colours() {
        let text = "id: Title\nfailure mode\n\nSteps\n  1. Look.\n     [danger: caution]\n     $ kubectl get pods \\\n       -A\n  2. Next.\n";
        let coloured = colour(text);
        let lines: Vec<&str> = coloured.lines().collect();
        assert_eq!(lines[0], format!("{BOLD}id: Title{RESET}"));
        assert_eq!(lines[1], "failure mode", "the facts under the title");
        assert_eq!(lines[3], format!("{BOLD}Steps{RESET}"));
        assert_eq!(lines[4], "  1. Look.");
        assert_eq!(lines[5], format!("{WARNING}     [danger: caution]{RESET}"));
        assert_eq!(lines[6], format!("{COMMAND}     $ kubectl get pods \\{RESET}"));
        assert_eq!(lines[7], format!("{COMMAND}       -A{RESET}"));
        assert_eq!(lines[8], "  2. Next.");
    }
}
