//! The index's words, sorted, in one text: a million words held as separate
//! strings took 52 MB, two thirds of it pointers and allocator overhead.

use std::ops::Range;

use super::to_u32;

/// Distinct words, numbered in order: sorted, in the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Vocabulary {
    text: String,
    /// Where each word ends in `text`.
    ends: Vec<u32>,
}

impl Vocabulary {
    /// The vocabulary of these words, given sorted and distinct.
    pub(super) fn new<'a>(sorted: impl ExactSizeIterator<Item = &'a str>) -> Self {
        let mut vocabulary = Vocabulary { text: String::new(), ends: Vec::with_capacity(sorted.len()) };
        for word in sorted {
            vocabulary.push(word);
        }
        vocabulary
    }

    /// Adds a word, numbered next. [`Self::find`] and [`Self::begun_by`]
    /// need the words sorted; numbering words as they are met does not.
    pub(super) fn push(&mut self, word: &str) {
        self.text.push_str(word);
        self.ends.push(to_u32(self.text.len()));
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Word number `id`.
    pub(super) fn word(&self, id: usize) -> &str {
        let start = if id == 0 { 0 } else { self.ends[id - 1] as usize };
        self.text.get(start..self.ends[id] as usize).unwrap_or_default()
    }

    /// The words with their numbers, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (usize, &str)> {
        (0..self.len()).map(|id| (id, self.word(id)))
    }

    /// The number of a word.
    pub(super) fn find(&self, word: &str) -> Option<usize> {
        let at = self.partition_point(|w| w < word);
        (at < self.len() && self.word(at) == word).then_some(at)
    }

    /// The numbers of the words `prefix` begins: one contiguous range (the
    /// word itself first, when it is one).
    pub(super) fn begun_by(&self, prefix: &str) -> Range<usize> {
        self.partition_point(|w| w < prefix)..self.partition_point(|w| w < prefix || w.starts_with(prefix))
    }

    /// The first word for which `before` is false; it is true of every word
    /// before that one and of none after.
    fn partition_point(&self, before: impl Fn(&str) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if before(self.word(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_by_number_whole_word_and_prefix() {
        let words = ["", "a", "ab", "abc", "abd", "b", "ba"];
        let vocabulary = Vocabulary::new(words.into_iter());
        assert_eq!(vocabulary.iter().map(|(_, w)| w).collect::<Vec<_>>(), words);
        for (id, word) in words.iter().enumerate() {
            assert_eq!(vocabulary.find(word), Some(id));
        }
        for missing in ["aa", "abe", "c", "0"] {
            assert_eq!(vocabulary.find(missing), None, "{missing}");
        }
        assert_eq!(vocabulary.begun_by("ab"), 2..5);
        assert_eq!(vocabulary.begun_by("b"), 5..7);
        assert_eq!(vocabulary.begun_by("abz"), 5..5);
        assert_eq!(vocabulary.begun_by("c"), 7..7);
        assert_eq!(Vocabulary::default().begun_by("a"), 0..0);
    }
}
