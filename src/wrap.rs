//! Text for people, shared by the command line and the navigator: word
//! wrapping by display width, and counts with their noun.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Wraps prose at word boundaries to `width` columns, keeping the author's
/// line breaks. A word longer than the width is cut, so nothing overflows,
/// except a URL: it goes on a line of its own, whole and overflowing, since a
/// terminal opens a URL only when it is on one line.
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
            if is_url(word) {
                line.push_str(word);
                used += word_width;
                continue;
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

/// Tab stops every eight columns, as terminals set them.
pub const TAB_STOP: usize = 8;

/// `line` with each tab expanded to the next tab stop, as a terminal shows
/// it (a tab is no width of its own to a renderer).
#[must_use]
pub fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + TAB_STOP);
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = TAB_STOP - column % TAB_STOP;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += c.width().unwrap_or(0);
        }
    }
    out
}

/// Whether a whitespace-free word is, or holds, a URL (`scheme://…`, maybe
/// after an opening bracket or quote): cutting it would leave no line a
/// terminal can open.
#[must_use]
pub fn is_url(word: &str) -> bool {
    let Some((before, after)) = word.split_once("://") else { return false };
    let scheme = before.trim_start_matches(['(', '[', '<', '"', '\'']);
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !after.is_empty()
}

/// "1 error", "2 errors"; "1 entry", "2 entries"; "1 match", "2 matches".
#[must_use]
pub fn plural(n: usize, word: &str) -> String {
    match (n, word.strip_suffix('y')) {
        (1, _) => format!("1 {word}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ if ["ch", "sh", "s", "x"].iter().any(|end| word.ends_with(end)) => format!("{n} {word}es"),
        (_, None) => format!("{n} {word}s"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tabs_expand_to_the_next_stop_of_eight() {
        assert_eq!(super::expand_tabs("612G\t/var"), "612G    /var");
        assert_eq!(super::expand_tabs("\tx\ty"), "        x       y");
        assert_eq!(super::expand_tabs("é\tx"), "é       x", "by width, not bytes");
    }

    use super::{is_url, plural, wrap};

    #[test]
    fn counts_take_their_noun() {
        assert_eq!([plural(1, "step"), plural(2, "step"), plural(3, "entry")], ["1 step", "2 steps", "3 entries"]);
        assert_eq!([plural(1, "match"), plural(5, "match")], ["1 match", "5 matches"]);
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
    fn a_url_longer_than_the_width_was_cut_mid_word() {
        let url = "https://runbooks.example.internal/k3s/etcd-restore";
        assert_eq!(wrap(&format!("see {url} now"), 20), ["see", url, "now"]);
        assert_eq!(wrap(&format!("({url}) and"), 20), [format!("({url})"), "and".to_owned()]);
        // Other long words are still cut, so they do not overflow.
        assert_eq!(wrap("see abcdefghijklmnopqrstuvwxyz", 20), ["see", "abcdefghijklmnopqrst", "uvwxyz"]);
    }

    #[test]
    fn a_url_that_fits_wraps_like_any_word() {
        assert_eq!(wrap("docs at https://k3s.io/ today", 16), ["docs at", "https://k3s.io/", "today"]);
    }

    #[test]
    fn urls_are_told_from_words_with_colons() {
        for url in ["https://a.b/c", "<http://x>", "(git+ssh://host/repo)", "s3://bucket/key"] {
            assert!(is_url(url), "{url}");
        }
        for word in ["host:port", "://x", "https://", "10.0.0.1:6443", "1http://x", "a/b://c"] {
            assert!(!is_url(word), "{word}");
        }
    }

    #[test]
    fn counts_wide_characters_as_two_columns() {
        assert_eq!(wrap("日本語 ab", 4), ["日本", "語", "ab"]);
    }
}
