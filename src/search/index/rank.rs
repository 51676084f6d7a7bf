//! Ranking a query over the index: expanding its words against the
//! vocabulary, scoring the entries that have them, ordering, and the
//! pasted-line and adjacent-word rules.

use std::collections::HashMap;

use fuzzy_matcher::skim::SkimMatcherV2;

use super::{Hit, Index, Results, for_each_field, to_u32};
use crate::catalog::Entry;
use crate::search::query::Query;
use crate::search::score::{field_weight, match_word, max_typos, subsequence_candidate};
use crate::search::text::{for_each_word, is_stopword, is_volatile, tokens};

impl Index {
    pub(super) fn rank(&self, query: &Query) -> Results {
        let entries = &self.catalog.entries();
        let excluded = self.excluded(query);
        let passes = |i: usize| !excluded.get(i).copied().unwrap_or(false) && passes_filters(query, &entries[i]);
        if query.is_empty() {
            let hits = (0..entries.len()).filter(|&i| passes(i)).map(|entry| Hit { entry, score: 0.0 }).collect();
            return Results { hits, partial_from: None };
        }
        // Phrase words are required exactly; the phrase itself is checked on
        // the survivors.
        let phrase_words: Vec<String> =
            query.phrases.iter().flat_map(|p| tokens(p).into_iter().map(|t| t.word)).collect();
        let required: Vec<(&str, bool)> = query
            .terms
            .iter()
            .map(|t| (t.as_str(), false))
            .chain(phrase_words.iter().map(|w| (w.as_str(), true)))
            .collect();

        let n = entries.len();
        let mut score = vec![0.0f32; n];
        let mut words_matched = vec![0u16; n];
        let mut best = vec![0.0f32; n];
        let mut touched = Vec::new();
        let matcher = SkimMatcherV2::default();
        #[allow(clippy::cast_precision_loss)] // entry counts are far below 2^24
        let total = n as f32;
        for (word, exact_only) in &required {
            for (id, quality) in self.expand(word, query.pasted || *exact_only, &matcher) {
                let range = self.postings(id);
                #[allow(clippy::cast_precision_loss)]
                let idf = (1.0 + total / range.len() as f32).ln();
                for p in range {
                    let entry = self.posting_entries[p] as usize;
                    let value = quality * field_weight(self.posting_fields[p], query.pasted) * idf;
                    if best[entry] == 0.0 {
                        touched.push(entry);
                    }
                    best[entry] = best[entry].max(value);
                }
            }
            for &entry in &touched {
                score[entry] += best[entry];
                // A pasted log file can hold more distinct words than a u16 counts.
                words_matched[entry] = words_matched[entry].saturating_add(1);
                best[entry] = 0.0;
            }
            touched.clear();
        }

        let needed = u16::try_from(required.len()).unwrap_or(u16::MAX);
        let words_matched = &words_matched;
        let candidates = |min: u16| (0..n).filter(move |&i| words_matched[i] >= min && passes(i));
        if query.pasted {
            let hits = candidates(1).map(|entry| Hit { entry, score: score[entry] }).collect();
            let mut hits = sorted(self.rank_by_best_signal(query, hits));
            // A log line shares some word with almost every entry; those far
            // below the best are noise, not answers.
            let floor = hits.first().map_or(0.0, |best| best.score * PASTED_FLOOR);
            hits.retain(|hit| hit.score >= floor);
            return Results { hits, partial_from: None };
        }
        // Long natural-language queries may miss one word: "cache keys for
        // one user" should not lose the runbook that never says "one". Entries
        // lacking a word rank lower by the coverage factor.
        let enough = if needed >= LONG_QUERY { needed - 1 } else { needed };
        #[allow(clippy::cast_precision_loss)]
        // A phrase of punctuation only has no words: nothing to cover.
        let coverage = |entry: usize| {
            if needed == 0 { 1.0 } else { (f32::from(words_matched[entry]) / f32::from(needed)).powi(2) }
        };
        let is_full = |i: usize| words_matched[i] >= enough && has_phrases(query, &entries[i]);
        let full = sorted(
            candidates(enough)
                .filter(|&i| is_full(i))
                .map(|entry| Hit { entry, score: score[entry] * coverage(entry) })
                .collect(),
        );
        let full = self.favour_adjacent_words(query, full);
        if full.len() >= FEW || required.len() < 2 || !query.phrases.is_empty() {
            return Results { hits: full, partial_from: None };
        }
        // Few entries have every word: those with most of the rarest words
        // follow, so a word the catalog happens to phrase differently does
        // not hide the right entry.
        let partial =
            candidates(1).filter(|&i| !is_full(i)).map(|entry| Hit { entry, score: score[entry] * coverage(entry) });
        let partial_from = Some(full.len());
        let mut hits = full;
        hits.extend(sorted(partial.collect()));
        Results { hits, partial_from }
    }
    /// Raises the best hits whose text has the query's words next to each
    /// other, in order: "no such host" typed as words should find the entry
    /// whose signal says exactly that before one that says "no such file" and
    /// "host" apart. Up to half as much again when every word is in one run.
    fn favour_adjacent_words(&self, query: &Query, hits: Vec<Hit>) -> Vec<Hit> {
        const RERANKED: usize = 30;
        if query.terms.len() < 2 {
            return hits;
        }
        let matcher = SkimMatcherV2::default();
        let mut hits = hits;
        for hit in hits.iter_mut().take(RERANKED) {
            let entry = &self.catalog.entries()[hit.entry];
            let texts = [entry.title(), entry.headline()].into_iter().chain(entry.signals());
            let longest = texts.map(|text| longest_run(&query.terms, text, &matcher)).max().unwrap_or(0);
            #[allow(clippy::cast_precision_loss)]
            let share = longest.saturating_sub(1) as f32 / (query.terms.len() - 1) as f32;
            hit.score *= 1.0 + 0.5 * share;
        }
        sorted(hits)
    }

    /// Re-ranks the best hits of a pasted line by how much of it a single
    /// signal explains: the idf of the line's words found in that signal,
    /// plus a bonus for words that follow each other there as in the line.
    /// A log line is one occurrence of one signal, not a bag of words
    /// scattered over an entry.
    fn rank_by_best_signal(&self, query: &Query, hits: Vec<Hit>) -> Vec<Hit> {
        const RERANKED: usize = 100;
        let mut hits = sorted(hits);
        let idf: HashMap<&str, f32> = query.terms.iter().map(|t| (t.as_str(), self.idf(t))).collect();
        let matcher = SkimMatcherV2::default();
        for hit in hits.iter_mut().take(RERANKED) {
            let entry = &self.catalog.entries()[hit.entry];
            let best = entry
                .signals()
                .map(|signal| {
                    let mut total = 0.0;
                    let mut previous: Option<usize> = None;
                    for token in tokens(signal) {
                        let position =
                            query.terms.iter().position(|t| match_word(t, &token.word, true, &matcher).is_some());
                        if let Some(i) = position {
                            total += idf[query.terms[i].as_str()];
                            if previous.is_some_and(|p| p + 1 == i) {
                                total += 0.5 * idf[query.terms[i].as_str()];
                            }
                        }
                        if position.is_some() || !(is_stopword(&token.word) || is_volatile(&token.word)) {
                            previous = position;
                        }
                    }
                    total
                })
                .fold(0.0, f32::max);
            hit.score = 0.5 * hit.score + 10.0 * best;
        }
        hits
    }

    /// Inverse document frequency of a word (0 when absent).
    fn idf(&self, word: &str) -> f32 {
        let Ok(id) = self.words.binary_search_by(|w| w.as_ref().cmp(word)) else { return 0.0 };
        #[allow(clippy::cast_precision_loss)]
        let (total, df) = (self.catalog.entries().len() as f32, self.postings(to_u32(id)).len() as f32);
        (1.0 + total / df).ln()
    }

    fn postings(&self, id: u32) -> std::ops::Range<usize> {
        let id = id as usize;
        self.offsets[id] as usize..self.offsets[id + 1] as usize
    }

    /// Vocabulary words matching a query word, with the quality of each match.
    fn expand(&self, term: &str, exact_only: bool, matcher: &SkimMatcherV2) -> Vec<(u32, f32)> {
        let mut found = Vec::new();
        let start = self.words.partition_point(|w| w.as_ref() < term);
        // Exact and prefix matches form one contiguous range from `start`.
        for (offset, word) in self.words[start..].iter().enumerate() {
            if !word.starts_with(term) {
                break;
            }
            let Some(kind) = match_word(term, word, exact_only, matcher) else {
                if exact_only {
                    break;
                }
                continue;
            };
            let id = to_u32(start + offset);
            found.push((id, kind.quality(term.len(), word.len())));
        }
        if exact_only || term.len() < 4 || !term.is_ascii() {
            return found;
        }
        let max = max_typos(term.len());
        let lengths = term.len().saturating_sub(max)..=term.len() * 2 + 4;
        for len in lengths {
            for &id in self.by_length.get(len).map_or(&[][..], Vec::as_slice) {
                let word = &self.words[id as usize];
                if word.starts_with(term) {
                    continue; // already found as a prefix
                }
                let near_length = word.len().abs_diff(term.len()) <= max;
                if (near_length || subsequence_candidate(term, word))
                    && let Some(kind) = match_word(term, word, false, matcher)
                {
                    found.push((id, kind.quality(term.len(), word.len())));
                }
            }
        }
        found
    }

    /// Which entries contain an excluded word (exactly or as a prefix).
    fn excluded(&self, query: &Query) -> Vec<bool> {
        let mut excluded = vec![false; if query.excluded.is_empty() { 0 } else { self.catalog.entries().len() }];
        for term in &query.excluded {
            let start = self.words.partition_point(|w| w.as_ref() < term.as_str());
            let ids = (start..self.words.len()).take_while(|&i| self.words[i].starts_with(term.as_str()));
            for id in ids {
                for p in self.postings(to_u32(id)) {
                    excluded[self.posting_entries[p] as usize] = true;
                }
            }
        }
        excluded
    }
}

/// The longest run of query words found one after another, in the query's
/// order, among the words of `text`.
fn longest_run(terms: &[String], text: &str, matcher: &SkimMatcherV2) -> usize {
    let mut longest = 0;
    let mut run = 0;
    let mut expected = 0;
    for_each_word(text, |word, _, _| {
        if is_stopword(word) {
            return;
        }
        let position = terms.iter().position(|t| match_word(t, word, false, matcher).is_some());
        run = match position {
            Some(i) if run > 0 && i == expected => run + 1,
            Some(_) => 1,
            None => 0,
        };
        expected = position.map_or(0, |i| i + 1);
        longest = longest.max(run);
    });
    longest
}

/// When fewer entries than this have every word, partial matches follow.
const FEW: usize = 3;

/// Hits of a pasted line scoring under this share of the best are dropped.
const PASTED_FLOOR: f32 = 0.2;

/// Queries of this many words or more may miss one of them.
const LONG_QUERY: u16 = 4;

/// Moves an entry to the front of the hits, scoring at least the best, so
/// scores still go down the list; it counts among the hits with every word,
/// which an entry has of its own id.
pub(super) fn put_first(results: &mut Results, entry: usize) {
    let best = results.hits.first().map_or(0.0, |hit| hit.score);
    let position = results.hits.iter().position(|hit| hit.entry == entry);
    let score = position.map_or(best, |i| results.hits[i].score).max(best);
    let was_full = position.is_some_and(|i| results.partial_from.is_none_or(|from| i < from));
    if let Some(i) = position {
        results.hits.remove(i);
    }
    results.hits.insert(0, Hit { entry, score });
    if !was_full && let Some(from) = &mut results.partial_from {
        *from += 1;
    }
}

/// Best first; ties keep catalog order, which is edge-inward.
fn sorted(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
    hits
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
