//! Problems found in catalog and config files, as data: where (path, line, column), how
//! bad, what, and the offending line so the reader need not open the file;
//! and the did-you-mean suggestions that catalog and config messages share.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::visible::pictures;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth fixing; everything still loads.
    Warning,
    /// Something was not loaded.
    Error,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Warning => "warning",
            Level::Error => "error",
        })
    }
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, as the user named it (`<embedded>/…` for the built-in catalog).
    pub path: Arc<str>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Error or warning.
    pub level: Level,
    /// What is wrong, and how to fix it where we can tell.
    pub message: String,
    /// The offending line, shortened around the column when long.
    #[serde(skip)]
    pub snippet: Option<Snippet>,
}

/// The source line under a diagnostic, with the part to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The line's text, possibly shortened with `…` at either end.
    pub text: String,
    /// Characters before the underline.
    pub underline_start: usize,
    /// Length of the underline, at least 1.
    pub underline_len: usize,
}

/// Longest snippet shown; a 10 000-character line is cut around the column.
const SNIPPET_WIDTH: usize = 100;

impl fmt::Display for Diagnostic {
    /// `path:line:col: level: message`, then the line with a `^^^` underline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A newline in a file name must not forge a diagnostic of its own,
        // nor an ESC in a line act on the terminal.
        let (path, message) = (pictures(&self.path, &[]), pictures(&self.message, &[]));
        write!(f, "{path}:{}:{}: {}: {message}", self.line, self.column, self.level)?;
        if let Some(snippet) = &self.snippet {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            write!(
                f,
                "\n {gutter} | {}\n {pad} | {}{}",
                pictures(&snippet.text, &['\t']),
                " ".repeat(snippet.underline_start),
                "^".repeat(snippet.underline_len)
            )?;
        }
        Ok(())
    }
}

/// Turns byte offsets of one file into lines, columns and snippets.
pub(crate) struct SourceMap<'a> {
    path: Arc<str>,
    text: Cow<'a, str>,
    line_starts: Vec<usize>,
}

impl<'a> SourceMap<'a> {
    pub(crate) fn new(path: Arc<str>, text: impl Into<Cow<'a, str>>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        SourceMap { path, text, line_starts }
    }

    pub(crate) fn path(&self) -> &Arc<str> {
        &self.path
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// 0-based line index and the byte offset of that line's start.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let index = self.line_starts.partition_point(|&start| start <= offset) - 1;
        (index, self.line_starts[index])
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> u32 {
        to_u32(self.line_of(offset).0 + 1)
    }

    /// A diagnostic pointing at a byte range of this file.
    pub(crate) fn diagnostic(&self, level: Level, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (index, line_start) = self.line_of(span.start);
        let text = self.text();
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let column = text[line_start..start].chars().count();
        // A span may start on the line's `\r` or `\n`, past the text shown.
        let end = floor_char_boundary(text, span.end.clamp(start, (line_start + line_text.len()).max(start)));
        let width = text[start..end].chars().count().max(1);
        Diagnostic {
            path: self.path.clone(),
            line: to_u32(index + 1),
            column: to_u32(column + 1),
            level,
            message: message.into(),
            snippet: Some(snippet(line_text, column, width)),
        }
    }
}

/// A diagnostic about a whole file, or one that has no text to point into.
pub(crate) fn file_diagnostic(path: &Arc<str>, level: Level, message: impl Into<String>) -> Diagnostic {
    Diagnostic { path: path.clone(), line: 1, column: 1, level, message: message.into(), snippet: None }
}

/// Cuts a long line to `SNIPPET_WIDTH` characters around the underline.
fn snippet(line: &str, column: usize, width: usize) -> Snippet {
    let chars = line.chars().count();
    let width = width.min(SNIPPET_WIDTH / 2);
    if chars <= SNIPPET_WIDTH {
        return Snippet { text: line.replace('\t', " "), underline_start: column, underline_len: width };
    }
    let first = column.saturating_sub(SNIPPET_WIDTH / 3).min(chars - SNIPPET_WIDTH);
    let mut text: String =
        line.chars().skip(first).take(SNIPPET_WIDTH).map(|c| if c == '\t' { ' ' } else { c }).collect();
    let mut underline_start = column - first;
    if first > 0 {
        text.insert(0, '…');
        underline_start += 1;
    }
    if first + SNIPPET_WIDTH < chars {
        text.push('…');
    }
    Snippet { text, underline_start, underline_len: width }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Line and column numbers past `u32::MAX` cannot occur in files we accept.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How many of `diagnostics` are errors.
#[must_use]
pub fn errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.level == Level::Error).count()
}

/// `; did you mean `x`?` when one of `known` is close to `word`, else empty.
pub(crate) fn did_you_mean(word: &str, known: &[&str]) -> String {
    closest(word, known.iter().copied()).map(|best| format!("; did you mean `{best}`?")).unwrap_or_default()
}

/// The candidate nearest to `word`, if it is near enough to be a likely typo.
pub(crate) fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest(word, candidates, 1).pop()
}

/// Up to `limit` candidates near enough to `word` to be what was meant,
/// nearest first.
pub(crate) fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, limit: usize) -> Vec<&'a str> {
    let mut near: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    near.sort_by(|a, b| b.0.total_cmp(&a.0));
    near.into_iter().take(limit).map(|(_, candidate)| candidate).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str) -> SourceMap<'_> {
        SourceMap::new("f.toml".into(), text)
    }

    #[test]
    fn locates_line_and_character_column() {
        let text = "a = 1\nnäme = 2\n";
        let d = map(text).diagnostic(Level::Error, 13..14, "x");
        assert_eq!((d.line, d.column), (2, 7));
        assert_eq!(d.to_string(), "f.toml:2:7: error: x\n 2 | näme = 2\n   |       ^");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let text = format!("x = \"{}BAD{}\"", "a".repeat(5000), "b".repeat(5000));
        let at = text.find("BAD").unwrap();
        let d = map(&text).diagnostic(Level::Error, at..at + 3, "bad");
        let snippet = d.snippet.unwrap();
        assert!(snippet.text.chars().count() <= SNIPPET_WIDTH + 2);
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
        let underlined: String =
            snippet.text.chars().skip(snippet.underline_start).take(snippet.underline_len).collect();
        assert_eq!(underlined, "BAD");
        assert_eq!(d.column, u32::try_from(at + 1).unwrap());
    }

    #[test]
    fn a_span_on_a_carriage_return_does_not_panic() {
        let d = map("a = 1\r\nb = [\r\n").diagnostic(Level::Error, 5..7, "x");
        assert_eq!((d.line, d.column), (1, 6));
    }

    #[test]
    fn offsets_at_the_end_point_past_the_last_character() {
        let d = map("a = [").diagnostic(Level::Error, 5..5, "eof");
        assert_eq!((d.line, d.column), (1, 6));
    }
}
