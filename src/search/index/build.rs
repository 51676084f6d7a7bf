//! Building the index: each entry's distinct words with their BM25F weights,
//! numbered on every core for a large catalog, then laid out word by word.

use std::hash::BuildHasher;
use std::sync::Arc;

use hashbrown::{DefaultHashBuilder, HashTable};

use super::postings::{gap_len, push_gap, put_gap, take_gap};
use super::{B, FIELDS, Index, K1, SATURATION_STEPS, Vocabulary, WEIGHTS, for_each_field, to_u32};
use crate::catalog::{Catalog, Entry};
use crate::search::text::{for_each_stem, for_each_word, is_volatile};

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
            whole.append(&later);
        }
        let Part { stems, frequency, words: mut entry_words, weights: mut entry_weights, ends: entry_ends } = whole;

        // Last, lay the postings out word by word in sorted order, entries
        // ascending within a word.
        let mut sorted: Vec<u32> = (0..to_u32(stems.words.len())).collect();
        sorted.sort_unstable_by(|&a, &b| stems.words.word(a as usize).cmp(stems.words.word(b as usize)));
        let words = Vocabulary::new(sorted.iter().map(|&id| stems.words.word(id as usize)));
        drop(stems);
        let mut rank = vec![0u32; words.len()];
        let mut offsets = Vec::with_capacity(words.len() + 1);
        offsets.push(0u32);
        for (position, &id) in sorted.iter().enumerate() {
            rank[id as usize] = to_u32(position);
            offsets.push(offsets[position] + frequency[id as usize]);
        }
        drop(sorted);
        // At the peak the per-entry lists and the postings coexist: the
        // lists give back the room reserved and unused first, and go as
        // soon as the postings are laid out.
        entry_words.shrink_to_fit();
        entry_weights.shrink_to_fit();
        let (gap_offsets, posting_gaps, posting_weights) =
            lay_out(&rank, &offsets, (&entry_words, &entry_weights, &entry_ends));
        drop((entry_words, entry_weights, entry_ends, rank));
        let mut by_length: Vec<Vec<u32>> = Vec::new();
        for (id, word) in words.iter() {
            if word.is_ascii() && !is_volatile(word) {
                if by_length.len() <= word.len() {
                    by_length.resize(word.len() + 1, Vec::new());
                }
                by_length[word.len()].push(to_u32(id));
            }
        }
        Index { catalog, words, offsets, gap_offsets, posting_gaps, posting_weights, by_length }
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
    stems: Numbered,
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
            stems: Numbered::default(),
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
                    let (id, new) = part.stems.number(stemmed);
                    if new {
                        part.frequency.push(0);
                    }
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
    fn append(&mut self, later: &Part) {
        let mut number = vec![0u32; later.stems.words.len()];
        for (id, word) in later.stems.words.iter() {
            let (ours, new) = self.stems.number(word);
            if new {
                self.frequency.push(0);
            }
            self.frequency[ours as usize] += later.frequency[id];
            number[id] = ours;
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

/// Words numbered in the order they were met: their text in one buffer and
/// a table of their numbers, rather than a string and a map slot each (a
/// million words, a million allocations).
#[derive(Default)]
struct Numbered {
    words: Vocabulary,
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Numbered {
    /// The number of `word`, and whether it is new.
    fn number(&mut self, word: &str) -> (u32, bool) {
        let Numbered { words, table, hasher } = self;
        let hash = hasher.hash_one(word);
        if let Some(&id) = table.find(hash, |&id| words.word(id as usize) == word) {
            return (id, false);
        }
        let id = to_u32(words.len());
        words.push(word);
        table.insert_unique(hash, id, |&id| hasher.hash_one(words.word(id as usize)));
        (id, true)
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
}
