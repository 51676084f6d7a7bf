//! Common English words, to tell a word of a sentence from a typo: a typed
//! word that is neither in the catalog nor here is taken for a misspelling
//! and matched loosely; "sitting" is a word, not a typo of "setting".
//!
//! The list is SCOWL as Debian's `wamerican` package ships it (2020.12.07),
//! reduced to lowercase words of two letters or more, sorted bytewise; its
//! licence is in
//! `english/COPYRIGHT`. It stays one string, searched in place, so it costs
//! nothing until a word is looked up.

const WORDS: &str = include_str!("english/words.txt");

/// Whether `word` (lowercase, unstemmed) is a common English word.
pub fn is_english(word: &str) -> bool {
    // Binary search over the lines of a sorted text: a midpoint is moved to
    // the start of its line.
    let bytes = WORDS.as_bytes();
    let (mut low, mut high) = (0, bytes.len());
    while low < high {
        let middle = low + (high - low) / 2;
        let start = bytes[..middle].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1).max(low);
        let end = bytes[start..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| start + i);
        match WORDS[start..end].cmp(word) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => low = end + 1,
            std::cmp::Ordering::Greater => high = start,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_words_of_a_sentence_and_not_the_jargon() {
        for word in ["abandon", "sitting", "though", "dozen", "mailbox", "certificate", "zoos", "red", "fix"] {
            assert!(is_english(word), "{word}");
        }
        for word in ["kubernetes", "pgbouncer", "certficate", "redis", "", "a", "zzzzz", "exp", "htt"] {
            assert!(!is_english(word), "{word}");
        }
    }

    #[test]
    fn the_list_is_sorted_and_clean() {
        let lines: Vec<&str> = WORDS.lines().collect();
        assert!(lines.windows(2).all(|pair| pair[0] < pair[1]), "sorted bytewise, no duplicates");
        assert!(lines.iter().all(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_lowercase())));
        assert!(is_english(lines[0]) && is_english(lines[lines.len() - 1]));
    }
}
