//! Ranking a query over the index: each query word expanded to the
//! vocabulary words it may mean, every entry scored by the sum over the
//! query's words of its best variant's BM25F impact (any word may be
//! missing), then the head re-ranked by how much of the query one sentence
//! or one signal of the entry says.

use std::collections::HashMap;

use fuzzy_matcher::skim::SkimMatcherV2;

use super::{Hit, Index, Results, for_each_field, to_u32};
use crate::catalog::{Entry, Kind, ListField, TextField};
use crate::search::query::Query;
use crate::search::score::{Matched, max_typos, misspelling};
use crate::search::text::{for_each_stem, is_stopword, is_volatile, stem, tokens};

/// Hits re-ranked by their best sentence or signal.
const RERANKED: usize = 100;

/// How much a typed query's words all in one sentence raise an entry: up to
/// twice its score. Measured on the embedded set, 0.25 left entries whose
/// words are scattered over long steps above the one whose symptom says the
/// sentence (93.9 % top-1 against 95.9 %).
const COVERAGE_BOOST: f32 = 1.0;

/// How much runbooks are raised for a query that asks how to do something.
const TASK_BOOST: f32 = 1.5;

/// Hits under this share of the best score are dropped, unless they have
/// as many of the query's words as the best: they are noise, not answers.
const FLOOR: f32 = 0.2;

/// A word of the query and the vocabulary words it may mean.
struct Variants {
    /// Word ids with the weight of each: the quality of the match (in 0..=1)
    /// times the idf of what was typed.
    ids: Vec<(u32, f32)>,
    /// The word itself when every word it begins is a variant.
    begun: Option<Box<str>>,
    /// The other variants (the word, words a typo away): few.
    whole: Vec<Box<str>>,
    /// Its weight in the coverage of a sentence: its best variant's weight.
    weight: f32,
    /// Whether every hit must have it: a word of a phrase.
    required: bool,
}

impl Variants {
    /// Whether an indexed word is one of these variants.
    fn has(&self, word: &str) -> bool {
        self.begun.as_deref().is_some_and(|begun| word.starts_with(begun))
            || self.whole.iter().any(|w| w.as_ref() == word)
    }
}

impl Index {
    pub(super) fn rank(&self, query: &Query) -> Results {
        let entries = self.catalog.entries();
        let excluded = self.excluded(query);
        let passes = |i: usize| !excluded.get(i).copied().unwrap_or(false) && passes_filters(query, &entries[i]);
        if query.is_empty() {
            let hits = (0..entries.len()).filter(|&i| passes(i)).map(|entry| Hit { entry, score: 0.0, words: 0 });
            return Results { hits: hits.collect(), ..Results::default() };
        }
        let query_words = self.query_words(query);

        let n = entries.len();
        let mut score = vec![0.0f32; n];
        let mut words_had = vec![0u16; n];
        // Phrase words are all required: only entries with every one are
        // checked for the phrase itself.
        let required = query_words.iter().filter(|word| word.required).count();
        let mut required_had = vec![0u16; if required > 0 { n } else { 0 }];
        let mut best = vec![0.0f32; n];
        let mut touched = Vec::new();
        let mut candidates = Vec::new();
        for word in &query_words {
            for &(id, weight) in &word.ids {
                for (entry, saturated) in self.postings(id) {
                    // Positive: an entry that has the word has it, however
                    // little it weighs there.
                    let value = (weight * f32::from(saturated) / super::SATURATION_STEPS).max(f32::MIN_POSITIVE);
                    if best[entry] == 0.0 {
                        touched.push(entry);
                    }
                    best[entry] = best[entry].max(value);
                }
            }
            for &entry in &touched {
                if words_had[entry] == 0 {
                    candidates.push(entry);
                }
                score[entry] += best[entry];
                // A pasted log can hold more distinct words than a u16 counts.
                words_had[entry] = words_had[entry].saturating_add(1);
                if word.required {
                    required_had[entry] = required_had[entry].saturating_add(1);
                }
                best[entry] = 0.0;
            }
            touched.clear();
        }

        let has_required = |i: usize| required == 0 || usize::from(required_had[i]) == required;
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .filter(|&i| passes(i) && has_required(i) && has_phrases(query, &entries[i]))
            .map(|entry| {
                let task = query.task && entries[entry].kind == Kind::Runbook;
                let score = score[entry] * if task { TASK_BOOST } else { 1.0 };
                Hit { entry, score, words: usize::from(words_had[entry]) }
            })
            .collect();
        if hits.len() > RERANKED {
            hits.select_nth_unstable_by(RERANKED - 1, by_score);
        }
        let head = hits.len().min(RERANKED);
        if query.pasted {
            self.add_best_signal(query, &mut hits[..head]);
        } else if query_words.len() > 1 {
            self.favour_one_sentence(&query_words, &mut hits[..head]);
        }
        // The best is in the head, re-ranked or not: the floor applies before
        // sorting, so only what is kept is sorted.
        let best = hits[..head].iter().copied().min_by(by_score);
        let (best_score, best_words) = best.map_or((0.0, 0), |hit| (hit.score, hit.words));
        hits.retain(|hit| hit.score >= best_score * FLOOR || (!query.pasted && hit.words >= best_words));
        hits.sort_unstable_by(by_score);
        let words = if query.pasted { 0 } else { query_words.len() };
        Results { hits, words, matched: Index::matched(query, &query_words) }
    }

    /// The words that score: the query's terms, then the words of its
    /// phrases that are not among them, each once.
    fn query_words(&self, query: &Query) -> Vec<Variants> {
        let matcher = SkimMatcherV2::default();
        let last = query.terms.len().saturating_sub(1);
        let mut words: Vec<Variants> = query
            .terms
            .iter()
            .enumerate()
            .map(|(i, term)| {
                let loosely = !query.pasted && !term.common;
                self.variants(&term.word, loosely, query.open_end && i == last, &matcher)
            })
            .collect();
        let mut phrase_words: Vec<String> = Vec::new();
        for token in query.phrases.iter().flat_map(|phrase| tokens(phrase)) {
            if let Some(i) = query.terms.iter().position(|term| term.word == token.word) {
                words[i].required = true;
            } else if !phrase_words.contains(&token.word) {
                let mut word = self.variants(&token.word, false, false, &matcher);
                word.required = true;
                words.push(word);
                phrase_words.push(token.word);
            }
        }
        words
    }

    /// The vocabulary words a query word may mean: itself; when `loosely`
    /// and it is not in the catalog (a typo, a word cut short), the words
    /// it begins and, from four letters, those a letter or two away; when it
    /// is `open` (being typed), also the words it begins, weighing little.
    fn variants(&self, word: &str, loosely: bool, open: bool, matcher: &SkimMatcherV2) -> Variants {
        let exact = self.word_id(word);
        let mut ids = Vec::new();
        let mut whole: Vec<Box<str>> = Vec::new();
        if let Some(id) = exact {
            ids.push((to_u32(id), self.idf(to_u32(id))));
            whole.push(word.into());
        }
        let unknown = loosely && exact.is_none() && word.len() >= 2 && word.is_ascii() && !is_volatile(word);
        if unknown || open {
            // What was typed says no more than all the words it begins
            // together: a rare completion ("datadog") must not outweigh the
            // word ("data").
            let begun = self.begun_by(word);
            let df: usize = begun.clone().map(|id| self.frequency(to_u32(id))).sum();
            let idf = self.idf_of(df);
            for id in begun.start + usize::from(exact.is_some())..begun.end {
                let (typed, full) = (word.len(), self.words.word(id).len());
                let quality = if unknown { prefix_quality(typed, full) } else { open_prefix_quality(typed, full) };
                ids.push((to_u32(id), quality * idf));
            }
        }
        if unknown && word.len() >= 4 {
            let lengths = word.len().saturating_sub(max_typos(word.len()))..=word.len() * 2 + 4;
            for &id in lengths.flat_map(|len| self.by_length.get(len).map_or(&[][..], Vec::as_slice)) {
                let candidate = self.words.word(id as usize);
                if !candidate.starts_with(word)
                    && let Some(kind) = misspelling(word, candidate, matcher)
                {
                    ids.push((id, kind.quality() * self.idf(id)));
                    whole.push(candidate.into());
                }
            }
        }
        let weight = ids.iter().map(|&(_, weight)| weight).fold(0.0, f32::max);
        Variants { ids, begun: (unknown || open).then(|| word.into()), whole, weight, required: false }
    }

    /// What to highlight: the variants of the query's words, the phrases as
    /// phrases (a phrase's "of" is not highlighted on its own).
    fn matched(query: &Query, words: &[Variants]) -> Matched {
        let terms = &words[..query.terms.len()];
        let whole = terms.iter().flat_map(|word| word.whole.iter().cloned()).collect();
        let begun = terms.iter().filter_map(|word| word.begun.clone()).collect();
        Matched::new(whole, begun, query.phrases.clone())
    }

    /// Raises typed hits by the idf-weighted share of the query's words that
    /// one sentence, signal or title of the entry holds: one sentence saying
    /// most of the query beats its words scattered over the entry.
    fn favour_one_sentence(&self, words: &[Variants], hits: &mut [Hit]) {
        let total: f32 = words.iter().map(|w| w.weight).sum();
        if total == 0.0 {
            return;
        }
        let mut found = vec![false; words.len()];
        for hit in hits {
            let mut best = 0.0f32;
            for_each_unit(&self.catalog.entries()[hit.entry], |unit| {
                found.fill(false);
                for_each_stem(unit, |stem, _, _| {
                    for (found, word) in found.iter_mut().zip(words) {
                        *found = *found || word.has(stem);
                    }
                });
                let covered: f32 = words.iter().zip(&found).filter(|(_, found)| **found).map(|(w, _)| w.weight).sum();
                best = best.max(covered);
            });
            hit.score *= 1.0 + COVERAGE_BOOST * best / total;
        }
    }

    /// Adds to pasted hits how much of the line a single signal explains:
    /// the idf of the line's words found in that signal, plus half as much
    /// for words that follow each other there as in the line. A log line is
    /// one occurrence of one signal, not a bag of words scattered over an
    /// entry.
    fn add_best_signal(&self, query: &Query, hits: &mut [Hit]) {
        let positions: HashMap<&str, usize> =
            query.terms.iter().enumerate().map(|(i, term)| (term.word.as_str(), i)).collect();
        let idf: Vec<f32> = query.terms.iter().map(|term| self.word_idf(&term.word)).collect();
        for hit in hits {
            let best = self.catalog.entries()[hit.entry]
                .signals()
                .map(|signal| {
                    let mut total = 0.0;
                    let mut previous: Option<usize> = None;
                    for_each_stem(signal, |stem, _, _| {
                        let position = positions.get(stem).copied();
                        if let Some(i) = position {
                            total += idf[i];
                            if previous.is_some_and(|p| p + 1 == i) {
                                total += 0.5 * idf[i];
                            }
                        }
                        // Words the line lost (function words, ids) do not
                        // break a run.
                        if position.is_some() || !(is_stopword(stem) || is_volatile(stem)) {
                            previous = position;
                        }
                    });
                    total
                })
                .fold(0.0, f32::max);
            hit.score += best;
        }
    }

    /// The id of a word of the vocabulary.
    fn word_id(&self, word: &str) -> Option<usize> {
        self.words.find(word)
    }

    /// The ids of the words `prefix` begins: one contiguous range of the
    /// sorted vocabulary (the word itself first, when it is one).
    fn begun_by(&self, prefix: &str) -> std::ops::Range<usize> {
        self.words.begun_by(prefix)
    }

    /// Inverse document frequency of word `id`, BM25's: near zero for a word
    /// in every entry, never negative.
    fn idf(&self, id: u32) -> f32 {
        self.idf_of(self.frequency(id))
    }

    /// The idf of words found in `df` entries (more than the catalog holds
    /// when counted over several words, which then say nearly nothing).
    fn idf_of(&self, df: usize) -> f32 {
        #[allow(clippy::cast_precision_loss)] // entry counts are far below 2^24
        let (total, df) = (self.catalog.entries().len() as f32, df as f32);
        ((total - df + 0.5).max(0.0) / (df + 0.5)).ln_1p()
    }

    /// The idf of a word, 0 when the catalog does not have it.
    fn word_idf(&self, word: &str) -> f32 {
        self.word_id(word).map_or(0.0, |id| self.idf(to_u32(id)))
    }

    /// How many entries have the word.
    fn frequency(&self, id: u32) -> usize {
        let id = id as usize;
        (self.offsets[id + 1] - self.offsets[id]) as usize
    }

    /// The word's postings: (entry, saturated weight), entries ascending.
    fn postings(&self, id: u32) -> super::postings::Postings<'_> {
        let id = id as usize;
        let weights = &self.posting_weights[self.offsets[id] as usize..self.offsets[id + 1] as usize];
        let gaps = &self.posting_gaps[self.gap_offsets[id] as usize..self.gap_offsets[id + 1] as usize];
        super::postings::Postings::new(gaps, weights)
    }

    /// Which entries contain an excluded word: the word in any form, or,
    /// when the catalog does not have it (being typed), any word it begins.
    fn excluded(&self, query: &Query) -> Vec<bool> {
        let mut excluded = vec![false; if query.excluded.is_empty() { 0 } else { self.catalog.entries().len() }];
        for written in &query.excluded {
            let ids = self.word_id(&stem(written)).map_or_else(|| self.begun_by(written), |id| id..id + 1);
            for id in ids {
                for (entry, _) in self.postings(to_u32(id)) {
                    excluded[entry] = true;
                }
            }
        }
        excluded
    }
}

/// The quality of a word begun by an unknown word: nearly the word when
/// most of it is typed.
#[allow(clippy::cast_precision_loss)] // word lengths are small
fn prefix_quality(typed: usize, full: usize) -> f32 {
    0.55 + 0.35 * typed as f32 / full.max(1) as f32
}

/// The quality of a word begun by the word being typed: low, and growing
/// with how much of it is typed, so "r" does not rank everything with an r.
#[allow(clippy::cast_precision_loss)] // word lengths are small
fn open_prefix_quality(typed: usize, full: usize) -> f32 {
    0.25 + 0.5 * typed as f32 / full.max(1) as f32
}

/// Calls `visit` with each unit a query may be said in at once: the title,
/// each alias and signal, each sentence of the prose.
fn for_each_unit(entry: &Entry, mut visit: impl FnMut(&str)) {
    visit(entry.title());
    entry.list(ListField::Aliases).for_each(&mut visit);
    entry.signals().for_each(&mut visit);
    for field in [TextField::Symptom, TextField::Summary, TextField::Impact, TextField::Recovery] {
        if let Some(text) = entry.text(field) {
            sentences(text).for_each(&mut visit);
        }
    }
}

/// The sentences of a text: ended by `.`, `;`, `?`, `!` or a line break
/// before a space, so `db.prod.svc` stays one.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let end = (0..bytes.len())
            .find(|&i| {
                bytes[i] == b'\n'
                    || (matches!(bytes[i], b'.' | b';' | b'?' | b'!')
                        && bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace))
            })
            .map_or(bytes.len(), |i| i + 1);
        let sentence = &rest[..end];
        rest = &rest[end..];
        Some(sentence)
    })
}

/// Moves an entry to the front of the hits, scoring at least the best, so
/// scores still go down the list.
pub(super) fn put_first(results: &mut Results, entry: usize) {
    let best = results.hits.first().map_or(0.0, |hit| hit.score);
    let position = results.hits.iter().position(|hit| hit.entry == entry);
    let found = position.map(|i| results.hits.remove(i));
    let score = found.map_or(best, |hit| hit.score).max(best);
    // An entry has every word of its own id.
    results.hits.insert(0, Hit { entry, score, words: results.words });
}

/// Best first; ties keep catalog order, which is edge-inward.
fn by_score(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry))
}

/// Whether an entry passes the `layer:`, `tag:` and `kind:` filters.
fn passes_filters(query: &Query, entry: &Entry) -> bool {
    query.kind.is_none_or(|kind| entry.kind == kind)
        && (query.layers.is_empty()
            || query.layers.iter().any(|l| entry.layer().is_some_and(|layer| layer.starts_with(l.as_str()))))
        && query.tags.iter().all(|t| entry.tags().any(|tag| tag.to_lowercase().starts_with(t.as_str())))
}

/// Whether every phrase of the query appears, case-insensitively, in one field.
fn has_phrases(query: &Query, entry: &Entry) -> bool {
    query.phrases.iter().all(|phrase| {
        let mut found = false;
        for_each_field(entry, |_, text| found = found || contains_ignoring_case(text, phrase));
        found
    })
}

/// Whether `text` contains `lowercase` in any case, without lowercasing a
/// copy of `text` (phrases are checked on every candidate of a keystroke).
fn contains_ignoring_case(text: &str, lowercase: &str) -> bool {
    if !lowercase.is_ascii() {
        return text.to_lowercase().contains(lowercase);
    }
    let needle = lowercase.as_bytes();
    text.as_bytes().windows(needle.len().max(1)).any(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_stops_followed_by_space() {
        let text = "Pods fail. Lookups to db.prod.svc time out; retry?\nThen ok";
        assert_eq!(
            sentences(text).collect::<Vec<_>>(),
            ["Pods fail.", " Lookups to db.prod.svc time out;", " retry?", "\n", "Then ok"]
        );
    }
}
