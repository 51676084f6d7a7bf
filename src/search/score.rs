//! Whether an indexed word may be what a misspelt query word meant (a typo,
//! dropped letters), and which characters of a text to highlight.

use std::ops::Range;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::text::tokens;

/// How an indexed word matches a misspelt query word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// One or two letters off.
    Typo(usize),
    /// The query's letters appear in order (fuzzy-matcher's skim algorithm):
    /// letters dropped.
    Subsequence,
}

impl Match {
    /// Score factor: one typo beats two beats dropped letters.
    pub fn quality(self) -> f32 {
        match self {
            Match::Typo(1) => 0.6,
            Match::Typo(_) => 0.4,
            Match::Subsequence => 0.35,
        }
    }
}

/// Whether `word` (indexed) may be what `term` (typed, misspelt) meant:
/// a letter or two off (one in words of 4–7 letters, two from 8), or the
/// term's letters in order in a word that starts like it.
pub fn misspelling(term: &str, word: &str, matcher: &SkimMatcherV2) -> Option<Match> {
    if term.len() < 4 || !term.is_ascii() || !word.is_ascii() {
        return None;
    }
    let max_typos = max_typos(term.len());
    if word.len().abs_diff(term.len()) <= max_typos
        && let Some(d) = bounded_osa_distance(term.as_bytes(), word.as_bytes(), max_typos)
        && d > 0
    {
        return Some(Match::Typo(d));
    }
    if subsequence_candidate(term, word) && matcher.fuzzy_match(word, term).is_some() {
        return Some(Match::Subsequence);
    }
    None
}

/// Typos tolerated in a word of this length: none under 4 letters, one up to
/// 7, two from 8.
pub fn max_typos(len: usize) -> usize {
    match len {
        0..4 => 0,
        4..8 => 1,
        _ => 2,
    }
}

/// Subsequence matching is tried only on words that start like the query and
/// are not much longer, where it catches dropped letters (`crshloop`) and
/// not chance scatterings of common letters.
fn subsequence_candidate(term: &str, word: &str) -> bool {
    term.len() >= 4
        && word.len() > term.len()
        && word.len() <= term.len() * 2 + 4
        && word.as_bytes()[0] == term.as_bytes()[0]
}

/// The optimal string alignment distance (Levenshtein, plus an adjacent
/// transposition counting one, no substring edited twice) if it is at most
/// `max`, computed on three rows with an early exit. Not Damerau-Levenshtein:
/// `("ca", "abc")` is 3 here and 2 there, which matters nothing for typos.
pub fn bounded_osa_distance(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&d| d <= max)
}

/// What a search matched, for highlighting: the indexed words its query
/// words matched (typos and prefixes included, as they were ranked) and its
/// phrases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matched {
    /// Sorted.
    words: Vec<Box<str>>,
    /// Words being typed: any word they begin matched.
    begun: Vec<Box<str>>,
    phrases: Vec<String>,
}

impl Matched {
    pub(super) fn new(mut words: Vec<Box<str>>, begun: Vec<Box<str>>, phrases: Vec<String>) -> Matched {
        words.sort_unstable();
        words.dedup();
        Matched { words, begun, phrases }
    }

    /// Character ranges of `text` to highlight. Only called for the rows on
    /// screen.
    #[must_use]
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        let mut ranges: Vec<Range<usize>> = tokens(text)
            .into_iter()
            .filter(|token| {
                self.words.binary_search_by(|w| w.as_ref().cmp(&token.word)).is_ok()
                    || self.begun.iter().any(|begun| token.word.starts_with(begun.as_ref()))
            })
            .map(|token| token.start..token.end)
            .collect();
        if !self.phrases.is_empty() {
            let lower: Vec<char> = text.chars().map(|c| c.to_lowercase().next().unwrap_or(c)).collect();
            for phrase in &self.phrases {
                let phrase: Vec<char> = phrase.chars().collect();
                let mut at = 0;
                while at + phrase.len() <= lower.len() {
                    if lower[at..at + phrase.len()] == phrase[..] {
                        ranges.push(at..at + phrase.len());
                        at += phrase.len();
                    } else {
                        at += 1;
                    }
                }
            }
        }
        merge(ranges)
    }
}

/// Sorts ranges and merges those that touch.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(term: &str, word: &str) -> Option<Match> {
        misspelling(term, word, &SkimMatcherV2::default())
    }

    #[test]
    fn misspellings() {
        assert_eq!(matches("pgbouncr", "pgbouncer"), Some(Match::Typo(1)));
        assert_eq!(matches("pgbuoncer", "pgbouncer"), Some(Match::Typo(1)));
        assert_eq!(matches("certficate", "certificate"), Some(Match::Typo(1)));
        assert_eq!(matches("kubrnetes", "kubernete"), Some(Match::Typo(2)));
        assert_eq!(matches("crshloop", "crashloopbackoff"), Some(Match::Subsequence));
        assert_eq!(matches("redis", "redis"), None, "the word itself is no misspelling");
        assert_eq!(matches("dns", "dn"), None, "no typos in short words");
        assert_eq!(matches("node", "nginx"), None);
    }

    #[test]
    fn distance_counts_transpositions_once() {
        assert_eq!(bounded_osa_distance(b"ndoe", b"node", 1), Some(1));
        assert_eq!(bounded_osa_distance(b"abcdef", b"azcdzf", 1), None);
        assert_eq!(bounded_osa_distance(b"abcdef", b"azcdzf", 2), Some(2));
        // Optimal string alignment, not Damerau-Levenshtein (which gives 2).
        assert_eq!(bounded_osa_distance(b"ca", b"abc", 3), Some(3));
    }

    proptest::proptest! {
        #[test]
        fn distance_is_the_optimal_string_alignment(a in "[a-d]{0,8}", b in "[a-d]{0,8}", max in 0usize..10) {
            let expected = strsim::osa_distance(&a, &b);
            let bounded = bounded_osa_distance(a.as_bytes(), b.as_bytes(), max);
            proptest::prop_assert_eq!(bounded, (expected <= max).then_some(expected));
        }
    }

    #[test]
    fn highlights_the_matched_words_in_any_form_and_phrases() {
        let matched =
            Matched::new(vec!["resolv".into(), "pod".into()], vec!["nam".into()], vec!["no such host".to_owned()]);
        let text = "Pods can't resolve names: no such host";
        let spans: Vec<String> =
            matched.ranges(text).into_iter().map(|r| text.chars().skip(r.start).take(r.len()).collect()).collect();
        assert_eq!(spans, ["Pods", "resolve", "names", "no such host"]);
    }
}
