//! The inverted index: every normalised word of every field, built once,
//! with the entries it occurs in and how much it says about each (its BM25F
//! weight there, saturated, computed at build time; the word's idf is
//! applied at query time). A query expands each of its words
//! against the sorted vocabulary, so the cost of a keystroke depends on the
//! vocabulary and the matching entries, not on the length of the catalog.

use std::collections::HashMap;
use std::sync::Arc;

mod rank;

use rank::put_first;

use super::query::Query;
use super::score::Matched;
use super::text::{for_each_stem, for_each_word, is_volatile};
use crate::catalog::{Catalog, Entry, ListField, TextField};

/// A ranked search result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index of the entry in [`Index::catalog`]'s entries.
    pub entry: usize,
    /// Relevance; higher is better. Zero when browsing without a query.
    pub score: f32,
    /// How many of the query's words it has.
    pub words: usize,
}

/// Ranked hits for one query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// Best first.
    pub hits: Vec<Hit>,
    /// How many words the query has (0 when browsing or pasted, where a hit
    /// is not expected to have them all); a hit may have any of them.
    pub words: usize,
    /// What matched, for highlighting.
    pub matched: Matched,
}

impl Results {
    /// Every entry in catalog order, which is edge-inward: what an empty
    /// query shows, without needing the index.
    #[must_use]
    pub fn browse(catalog: &Catalog) -> Results {
        let hits = (0..catalog.entries().len()).map(|entry| Hit { entry, score: 0.0, words: 0 }).collect();
        Results { hits, ..Results::default() }
    }

    /// How many words the best hit has, when it lacks some of the query's.
    #[must_use]
    pub fn best_lacks_words(&self) -> Option<usize> {
        self.hits.first().map(|hit| hit.words).filter(|&words| words < self.words)
    }
}

/// The fields of an entry, each with its BM25F weight: what names the entry
/// weighs most, the long prose least.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    /// The title and the aliases a team gave the entry.
    Title,
    /// A failure's symptom or a runbook's summary.
    Headline,
    Signals,
    Tags,
    Component,
    Layer,
    Impact,
    Recovery,
    Detection,
    Prevention,
    StepText,
    StepCommand,
    /// Placeholder defaults and choices: the real names in the commands.
    Values,
}

const FIELDS: usize = Field::Values as usize + 1;

const WEIGHTS: [f32; FIELDS] = [3.0, 3.0, 2.0, 2.0, 2.0, 1.5, 1.0, 1.0, 1.0, 0.7, 0.5, 1.0, 0.5, 0.3];

/// BM25's saturation and length normalisation: a word's weight grows less
/// with each repetition, and a word in a long field says less than in a
/// short one.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Postings store a word's saturated weight in an entry, `T / (K1 + T)` in
/// 0..1, in this many steps (finer steps change no ranking measured); the
/// idf is applied at query time.
const SATURATION_STEPS: f32 = 255.0;

/// Words of a catalog and where they occur, built once per catalog.
pub struct Index {
    catalog: Arc<Catalog>,
    /// The vocabulary, sorted, so a prefix is a contiguous range.
    words: Vec<Box<str>>,
    /// Postings of word `i`: `offsets[i]..offsets[i + 1]` in `posting_weights`,
    /// so the word's document frequency is their difference.
    offsets: Vec<u32>,
    /// The entries of word `i`'s postings, ascending: `gap_offsets[i]..
    /// gap_offsets[i + 1]` in `posting_gaps`.
    gap_offsets: Vec<u32>,
    /// Each posting's entry as the gap from the word's previous one (the
    /// first from 0), in LEB128: a common word's gaps take a byte each,
    /// where entry numbers took four.
    posting_gaps: Vec<u8>,
    /// The word's saturated weight in that entry, in `SATURATION_STEPS`.
    posting_weights: Vec<u8>,
    /// Word ids of the vocabulary that is not volatile, by byte length, for
    /// typo search without scanning numbers and hashes.
    by_length: Vec<Vec<u32>>,
}

impl Index {
    /// Indexes every field of every entry.
    #[must_use]
    pub fn new(catalog: Arc<Catalog>) -> Index {
        // On every core for a large catalog.
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let parts = cores.min(catalog.entries().len() / PER_PART).max(1);
        Index::in_parts(catalog, parts)
    }

    /// Indexes the catalog in this many parts, each on its own thread, each
    /// numbering its own words, then merged in entry order.
    fn in_parts(catalog: Arc<Catalog>, parts: usize) -> Index {
        // BM25F normalises by each field's average length: taken from an even
        // sample of at most a thousand entries, so it costs the same on any
        // catalog and is exact on small ones.
        let stride = catalog.entries().len().div_ceil(AVERAGED).max(1);
        let sample: Vec<[u16; FIELDS]> = catalog.entries().iter().step_by(stride).map(field_lengths).collect();
        let average = average_lengths(&sample);

        // Then number the words and list each entry's distinct words with
        // their weight in it. Flat arrays: large allocations go back to the
        // system when freed, where a hundred thousand small ones would stay
        // behind as holes.
        //
        // The per-entry lists are sized up front from the sample: a list
        // that grows by doubling frees each smaller copy, and once the
        // allocator has seen megabytes freed it serves the next large lists
        // from its heap, where they stay as holes. A list's room reserved
        // and never written costs no memory (a map's would: its slots are
        // scattered, so the maps grow).
        let entries = catalog.entries();
        let postings = estimated_postings(&sample, entries.len());
        let share = entries.len().div_ceil(parts).max(1);
        let part = |chunk: &[Entry]| Part::of(chunk, &average, postings / parts + 1);
        let mut parts: Vec<Part> = std::thread::scope(|scope| {
            let mut chunks = entries.chunks(share);
            let first = chunks.next().unwrap_or_default();
            let others: Vec<_> = chunks.map(|chunk| scope.spawn(move || part(chunk))).collect();
            let first = part(first);
            // A part lost would shift every later entry's number: a panic
            // in one goes on as it would have on this thread.
            let others = others.into_iter().map(|other| other.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            std::iter::once(first).chain(others).collect()
        });
        let mut whole = parts.remove(0);
        for later in parts {
            whole.append(later);
        }
        let Part { stems, frequency, words: mut entry_words, weights: mut entry_weights, ends: entry_ends } = whole;

        // Last, lay the postings out word by word in sorted order, entries
        // ascending within a word.
        let mut words: Vec<(Box<str>, u32)> = stems.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut rank = vec![0u32; words.len()];
        let mut offsets = Vec::with_capacity(words.len() + 1);
        offsets.push(0u32);
        for (position, (_, id)) in words.iter().enumerate() {
            rank[*id as usize] = to_u32(position);
            offsets.push(offsets[position] + frequency[*id as usize]);
        }
        // At the peak the per-entry lists and the postings coexist: the
        // lists give back the room reserved and unused first, and go as
        // soon as the postings are laid out.
        entry_words.shrink_to_fit();
        entry_weights.shrink_to_fit();
        let (gap_offsets, posting_gaps, posting_weights) =
            lay_out(&rank, &offsets, (&entry_words, &entry_weights, &entry_ends));
        drop((entry_words, entry_weights, entry_ends, rank));
        let words: Vec<Box<str>> = words.into_iter().map(|(word, _)| word).collect();
        let mut by_length: Vec<Vec<u32>> = Vec::new();
        for (id, word) in words.iter().enumerate() {
            if word.is_ascii() && !is_volatile(word) {
                if by_length.len() <= word.len() {
                    by_length.resize(word.len() + 1, Vec::new());
                }
                by_length[word.len()].push(to_u32(id));
            }
        }
        Index { catalog, words, offsets, gap_offsets, posting_gaps, posting_weights, by_length }
    }

    /// The catalog this index was built from.
    #[must_use]
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// Distinct words indexed.
    #[must_use]
    pub fn vocabulary_len(&self) -> usize {
        self.words.len()
    }

    /// Runs a query. An empty query lists every entry (that passes the
    /// filters) in catalog order, which is edge-inward. A query that is an
    /// entry's id puts that entry first.
    #[must_use]
    pub fn search(&self, query: &Query) -> Results {
        let mut results = self.rank(query);
        if let Some(entry) = query.id.as_deref().and_then(|id| self.catalog.position(id)) {
            put_first(&mut results, entry);
        }
        results
    }
}

/// Entries sampled for the average field lengths.
const AVERAGED: usize = 1024;

/// How many words each field of an entry has.
fn field_lengths(entry: &Entry) -> [u16; FIELDS] {
    let mut length = [0u16; FIELDS];
    for_each_field(entry, |field, text| {
        for_each_word(text, |_, _, _| length[field as usize] = length[field as usize].saturating_add(1));
    });
    length
}

/// Entries per part of an index build below which a part is not worth a
/// thread. Parts cost memory, each numbering its own words (the navigator
/// over 100 000 entries peaked 11 MB higher in two parts), and save time
/// only where one thread takes seconds (0.55 s at 100 000 entries, 6.6 s
/// at 1 000 000; in two parts 0.35 s and 4.0 s).
const PER_PART: usize = 150_000;

/// Part of an index build: its entries' distinct words with their weights,
/// the words numbered in the order the part met them.
struct Part {
    stems: HashMap<Box<str>, u32>,
    /// How many of the part's entries have each word.
    frequency: Vec<u32>,
    /// Each entry's word ids, ascending, as LEB128 gaps.
    words: Vec<u8>,
    /// The word's saturated weight in the entry, in the same order.
    weights: Vec<u8>,
    /// Where each entry's weights end.
    ends: Vec<usize>,
}

impl Part {
    /// Numbers the words of `entries` and lists each entry's distinct words
    /// with their weight in it; `postings` is the room to reserve.
    fn of(entries: &[Entry], average: &[f32; FIELDS], postings: usize) -> Part {
        let mut part = Part {
            stems: HashMap::new(),
            frequency: Vec::new(),
            words: Vec::with_capacity(postings.saturating_mul(2)),
            weights: Vec::with_capacity(postings),
            ends: Vec::with_capacity(entries.len()),
        };
        let mut current: Vec<(u32, u8)> = Vec::new();
        for entry in entries {
            current.clear();
            let mut length = [0u16; FIELDS];
            for_each_field(entry, |field, text| {
                for_each_stem(text, |stemmed, _, _| {
                    let id = if let Some(&id) = part.stems.get(stemmed) {
                        id
                    } else {
                        let id = to_u32(part.stems.len());
                        part.stems.insert(stemmed.into(), id);
                        part.frequency.push(0);
                        id
                    };
                    current.push((id, field as u8));
                    length[field as usize] = length[field as usize].saturating_add(1);
                });
            });
            current.sort_unstable();
            let mut previous = 0;
            for word in current.chunk_by(|a, b| a.0 == b.0) {
                // T = Σ over fields of weight × count / length norm.
                let weight: f32 = word
                    .chunk_by(|a, b| a == b)
                    .map(|occurrences| {
                        let field = usize::from(occurrences[0].1);
                        let norm = 1.0 - B + B * f32::from(length[field]) / average[field];
                        #[allow(clippy::cast_precision_loss)] // counts are small
                        let count = occurrences.len() as f32;
                        WEIGHTS[field] * count / norm
                    })
                    .sum();
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // in 0..=255
                let saturated = (weight / (K1 + weight) * SATURATION_STEPS).round() as u8;
                push_gap(&mut part.words, word[0].0 - previous);
                previous = word[0].0;
                part.weights.push(saturated);
                part.frequency[word[0].0 as usize] += 1;
            }
            part.ends.push(part.weights.len());
        }
        part
    }

    /// Appends the part of the entries that follow: its words take this
    /// part's numbers (new ones for words new here), and its entries' lists
    /// are put in the order of those numbers.
    fn append(&mut self, later: Part) {
        let mut number = vec![0u32; later.stems.len()];
        for (word, id) in later.stems {
            let next = to_u32(self.stems.len());
            let ours = *self.stems.entry(word).or_insert(next);
            if ours == next {
                self.frequency.push(0);
            }
            self.frequency[ours as usize] += later.frequency[id as usize];
            number[id as usize] = ours;
        }
        let base = self.weights.len();
        let (mut gaps, mut start, mut current) = (&later.words[..], 0, Vec::new());
        for &end in &later.ends {
            current.clear();
            let mut id = 0;
            for &weight in &later.weights[start..end] {
                id += take_gap(&mut gaps);
                current.push((number[id as usize], weight));
            }
            current.sort_unstable();
            let mut previous = 0;
            for &(id, weight) in &current {
                push_gap(&mut self.words, id - previous);
                previous = id;
                self.weights.push(weight);
            }
            self.ends.push(base + end);
            start = end;
        }
    }
}

/// Lays the postings out word by word: each entry's (word, weight) lists,
/// `rank` giving each word's place, `offsets` where its weights start.
/// Returns the gaps' offsets, the gaps and the weights.
fn lay_out(
    rank: &[u32],
    offsets: &[u32],
    (entry_words, entry_weights, entry_ends): (&[u8], &[u8], &[usize]),
) -> (Vec<u32>, Vec<u8>, Vec<u8>) {
    // Twice over the per-entry lists: the size of each word's gaps,
    // then the gaps and weights in place.
    let each_posting = |visit: &mut dyn FnMut(usize, u32, u8)| {
        let (mut start, mut gaps) = (0, entry_words);
        for (entry, &end) in entry_ends.iter().enumerate() {
            let mut id = 0;
            for &weight in &entry_weights[start..end] {
                id += take_gap(&mut gaps);
                visit(rank[id as usize] as usize, to_u32(entry), weight);
            }
            start = end;
        }
    };
    let mut previous = vec![0u32; rank.len()];
    let mut gap_bytes = vec![0u32; rank.len()];
    each_posting(&mut |word, entry, _| {
        gap_bytes[word] += to_u32(gap_len(entry - previous[word]));
        previous[word] = entry;
    });
    let mut gap_offsets = Vec::with_capacity(rank.len() + 1);
    gap_offsets.push(0u32);
    for (word, bytes) in gap_bytes.iter().enumerate() {
        gap_offsets.push(gap_offsets[word] + bytes);
    }
    drop(gap_bytes);
    previous.fill(0);
    let mut cursor = offsets.to_vec();
    let mut gap_cursor = gap_offsets.clone();
    let mut posting_gaps = vec![0u8; gap_offsets.last().map_or(0, |&end| end as usize)];
    let mut posting_weights = vec![0u8; entry_weights.len()];
    each_posting(&mut |word, entry, weight| {
        posting_weights[cursor[word] as usize] = weight;
        cursor[word] += 1;
        let at = &mut gap_cursor[word];
        *at += to_u32(put_gap(&mut posting_gaps[*at as usize..], entry - previous[word]));
        previous[word] = entry;
    });
    (gap_offsets, posting_gaps, posting_weights)
}

/// The bytes of a gap in LEB128: seven bits a byte.
fn gap_len(gap: u32) -> usize {
    (32 - gap.leading_zeros() as usize).div_ceil(7).max(1)
}

/// Appends a gap in LEB128.
fn push_gap(out: &mut Vec<u8>, gap: u32) {
    let mut bytes = [0u8; 5];
    let written = put_gap(&mut bytes, gap);
    out.extend_from_slice(&bytes[..written]);
}

/// Writes a gap in LEB128 at the start of `out`; returns its length.
fn put_gap(out: &mut [u8], mut gap: u32) -> usize {
    let mut written = 0;
    loop {
        #[allow(clippy::cast_possible_truncation)] // the low seven bits
        let low = (gap & 0x7f) as u8;
        gap >>= 7;
        out[written] = if gap == 0 { low } else { low | 0x80 };
        written += 1;
        if gap == 0 {
            return written;
        }
    }
}

/// The postings of one word: (entry, saturated weight), entries ascending.
struct Postings<'i> {
    gaps: &'i [u8],
    weights: std::slice::Iter<'i, u8>,
    entry: u32,
}

impl Iterator for Postings<'_> {
    type Item = (usize, u8);

    fn next(&mut self) -> Option<(usize, u8)> {
        let weight = *self.weights.next()?;
        self.entry += take_gap(&mut self.gaps);
        Some((self.entry as usize, weight))
    }
}

/// Reads a LEB128 gap off the front of `gaps`.
fn take_gap(gaps: &mut &[u8]) -> u32 {
    let (mut gap, mut shift) = (0u32, 0);
    while let Some((&byte, rest)) = gaps.split_first() {
        *gaps = rest;
        gap |= u32::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            break;
        }
    }
    gap
}

/// The postings of `entries` entries, from a sample's field lengths: the
/// upper quartile of the sampled entries' word counts (every word counted,
/// as if none repeated) for each entry, so one huge sampled entry cannot
/// make it absurd; more than that, the lists grow.
fn estimated_postings(sample: &[[u16; FIELDS]], entries: usize) -> usize {
    let mut words: Vec<usize> = sample.iter().map(|lengths| lengths.iter().map(|&n| usize::from(n)).sum()).collect();
    words.sort_unstable();
    words.get(words.len() * 3 / 4).copied().unwrap_or(0).saturating_mul(entries)
}

/// The average length of each field over the entries that have it.
fn average_lengths(lengths: &[[u16; FIELDS]]) -> [f32; FIELDS] {
    let mut average = [1.0f32; FIELDS];
    for (field, average) in average.iter_mut().enumerate() {
        let (total, present) = lengths
            .iter()
            .map(|length| length[field])
            .filter(|&length| length > 0)
            .fold((0u64, 0u64), |(total, present), length| (total + u64::from(length), present + 1));
        if present > 0 {
            #[allow(clippy::cast_precision_loss)] // an average, not a count
            let mean = total as f32 / present as f32;
            *average = mean;
        }
    }
    average
}

/// Index positions fit in `u32`: a catalog of four billion words is not one.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Calls `visit` with every searchable text of an entry and its field.
fn for_each_field(entry: &Entry, mut visit: impl FnMut(Field, &str)) {
    visit(Field::Id, entry.id());
    for title in std::iter::once(entry.title()).chain(entry.list(ListField::Aliases)) {
        visit(Field::Title, title);
    }
    visit(Field::Headline, entry.headline());
    for signal in entry.signals() {
        visit(Field::Signals, signal);
    }
    for tag in entry.tags() {
        visit(Field::Tags, tag);
    }
    for (field, text) in [
        (Field::Component, TextField::Component),
        (Field::Layer, TextField::Layer),
        (Field::Impact, TextField::Impact),
        (Field::Recovery, TextField::Recovery),
        (Field::Detection, TextField::Detection),
        (Field::Prevention, TextField::Prevention),
    ] {
        if let Some(text) = entry.text(text) {
            visit(field, text);
        }
    }
    for step in &entry.steps {
        visit(Field::StepText, &step.instruction);
        if let Some(run) = &step.run {
            visit(Field::StepCommand, run);
        }
    }
    // The commands as they will run: people search with the real names.
    for var in &entry.vars {
        for value in var.default.iter().chain(&var.choices) {
            visit(Field::Values, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Source, load};

    #[test]
    fn an_index_built_in_parts_is_the_index_built_whole() {
        let catalog = Arc::new(load(&[Source::Embedded]).catalog);
        let layout = |index: &Index| {
            (index.words.clone(), index.offsets.clone(), index.gap_offsets.clone(), index.posting_gaps.clone())
        };
        let whole = Index::in_parts(catalog.clone(), 1);
        for parts in [2, 3, 7] {
            let split = Index::in_parts(catalog.clone(), parts);
            assert!(layout(&split) == layout(&whole), "{parts} parts");
            assert_eq!(split.posting_weights, whole.posting_weights, "{parts} parts");
        }
    }

    #[test]
    fn gaps_read_back_as_written() {
        let entries = [0u32, 1, 2, 129, 130, 16_514, 16_515, 2_113_667, u32::MAX - 1, u32::MAX];
        let mut gaps = [0u8; 64];
        let (mut at, mut previous) = (0, 0);
        for &entry in &entries {
            let written = put_gap(&mut gaps[at..], entry - previous);
            assert_eq!(written, gap_len(entry - previous), "{entry}");
            (at, previous) = (at + written, entry);
        }
        let weights: Vec<u8> = (0..entries.len()).map(|i| u8::try_from(i).unwrap_or(0)).collect();
        let read: Vec<(usize, u8)> = Postings { gaps: &gaps[..at], weights: weights.iter(), entry: 0 }.collect();
        let expected: Vec<(usize, u8)> = entries.iter().map(|&e| e as usize).zip(weights.iter().copied()).collect();
        assert_eq!(read, expected);
        assert_eq!((gap_len(0), gap_len(127), gap_len(128), gap_len(u32::MAX)), (1, 1, 2, 5));
    }

    /// A runbook whose title says "config rollback" before the one whose id
    /// is `config-rollback`: on word scores alone the first would win.
    const CATALOG: &str = r#"
[[runbook]]
id = "bad-config"
title = "Config rollback: roll back a bad config"
summary = "Put the last good config back."

[[runbook]]
id = "config-rollback"
title = "Restore the previous settings"
summary = "Undo a settings change."

[[runbook]]
id = "flush-edge"
title = "Purge the edge"
summary = "Drop what the edge holds."
aliases = ["CDN cache purge"]

[[runbook]]
id = "redirect-loop"
title = "Redirects loop between http and https"
summary = "Browsers stop after too many redirects; curl says no such host once DNS is gone."
"#;

    fn index() -> Index {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.toml");
        std::fs::write(&path, CATALOG).unwrap();
        let loaded = load(&[Source::Path(path)]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        Index::new(Arc::new(loaded.catalog))
    }

    fn ids(index: &Index, query: &Query) -> Vec<String> {
        let entries = &index.catalog().entries();
        index.search(query).hits.iter().map(|hit| entries[hit.entry].id().to_owned()).collect()
    }

    #[test]
    fn an_exact_id_ranks_first() {
        let index = index();
        let query = Query::parse("config-rollback");
        assert_eq!(ids(&index, &Query { id: None, ..query.clone() }), ["bad-config", "config-rollback"]);
        assert_eq!(ids(&index, &query), ["config-rollback", "bad-config"]);
        let hits = index.search(&query).hits;
        assert!(hits[0].score >= hits[1].score, "scores go down the list: {hits:?}");
        assert_eq!(ids(&index, &Query::parse("Config-Rollback"))[0], "config-rollback");
    }

    #[test]
    fn an_exclusion_leaves_out_the_words_forms_not_the_words_it_happens_to_begin() {
        let index = index();
        // "redis" stems to "redi", which begins "redirect".
        assert_eq!(ids(&index, &Query::parse("redirects !redis")), ["redirect-loop"]);
        assert!(ids(&index, &Query::parse("redirects !redirect")).is_empty());
        assert!(ids(&index, &Query::parse("loop !redir")).is_empty(), "a word being typed excludes what it begins");
    }

    #[test]
    fn a_word_in_the_query_and_its_phrase_counts_once_and_phrase_words_light_up_only_together() {
        let index = index();
        let results = index.search(&Query::parse("host \"no such host\" redirects"));
        assert_eq!(ids(&index, &Query::parse("host \"no such host\" redirects")), ["redirect-loop"]);
        assert_eq!(results.words, 4, "host, no, such, redirect");
        let text = "no host: no such host";
        let lit: Vec<String> = results
            .matched
            .ranges(text)
            .into_iter()
            .map(|r| text.chars().skip(r.start).take(r.len()).collect())
            .collect();
        assert_eq!(lit, ["host", "no such host"], "the lone `no` is not lit, the query's own `host` is");
    }

    #[test]
    fn an_unknown_word_matches_the_words_it_begins_wherever_it_stands() {
        let index = index();
        let results = index.search(&Query::parse("htt loop "));
        assert_eq!(ids(&index, &Query::parse("htt loop ")), ["redirect-loop"]);
        assert_eq!(results.best_lacks_words(), None, "htt begins http");
        // An English word is not taken for the beginning of another.
        assert_eq!(index.search(&Query::parse("red loop ")).words, 2);
        assert_eq!(index.search(&Query::parse("red loop ")).best_lacks_words(), Some(1));
    }

    #[test]
    fn aliases_are_searched_as_titles() {
        assert_eq!(ids(&index(), &Query::parse("cdn cache")), ["flush-edge"]);
    }

    #[test]
    fn any_word_may_match_and_the_best_says_how_many_it_has() {
        let index = index();
        let results = index.search(&Query::parse("undo settings quickly"));
        assert_eq!(ids(&index, &Query::parse("undo settings quickly")), ["config-rollback"]);
        assert_eq!((results.words, results.best_lacks_words()), (3, Some(2)));
        assert_eq!(index.search(&Query::parse("undo settings")).best_lacks_words(), None);
    }
}
