//! Text for people, shared by the command line and the navigator: word
//! wrapping by display width, and counts with their noun.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Wraps prose at word boundaries to `width` columns, keeping the author's
/// line breaks. A word longer than the width is cut, so nothing overflows.
#[must_use]
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.trim_end().lines() {
        let mut line = String::new();
        let mut used = 0;
        for word in paragraph.split_whitespace() {
            let word_width = word.width();
            if used > 0 && used + 1 + word_width > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            if used > 0 {
                line.push(' ');
                used += 1;
            }
            for c in word.chars() {
                let w = c.width().unwrap_or(0);
                if used + w > width && used > 0 {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += w;
            }
        }
        lines.push(line);
    }
    lines
}

/// "1 error", "2 errors"; "1 entry", "2 entries".
#[must_use]
pub fn plural(n: usize, word: &str) -> String {
    match (n, word.strip_suffix('y')) {
        (1, _) => format!("1 {word}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {word}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::{plural, wrap};

    #[test]
    fn counts_take_their_noun() {
        assert_eq!([plural(1, "step"), plural(2, "step"), plural(3, "entry")], ["1 step", "2 steps", "3 entries"]);
    }

    #[test]
    fn wraps_at_words_and_keeps_line_breaks() {
        assert_eq!(wrap("one two three four\nfive", 9), ["one two", "three", "four", "five"]);
    }

    #[test]
    fn cuts_words_longer_than_the_width() {
        assert_eq!(wrap("abcdefghij k", 4), ["abcd", "efgh", "ij k"]);
    }

    #[test]
    fn counts_wide_characters_as_two_columns() {
        assert_eq!(wrap("日本語 ab", 4), ["日本", "語", "ab"]);
    }
}
