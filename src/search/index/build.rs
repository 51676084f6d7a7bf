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
        let parts: Vec<Part> = std::thread::scope(|scope| {
            let mut chunks = entries.chunks(share);
            let first = chunks.next().unwrap_or_default();
            let others: Vec<_> = chunks.map(|chunk| scope.spawn(move || part(chunk))).collect();
            let first = part(first);
            // A part lost would shift every later entry's number: a panic
            // in one goes on as it would have on this thread.
            let others = others.into_iter().map(|other| other.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            std::iter::once(first).chain(others).collect()
        });
        // Last, merge the parts' sorted words into the vocabulary, and lay
        // the postings out word by word in its order, entries ascending
        // within a word.
        let (words, ranks, frequency) = merge_words(&parts);
        let mut offsets = Vec::with_capacity(words.len() + 1);
        offsets.push(0u32);
        for (word, count) in frequency.iter().enumerate() {
            offsets.push(offsets[word] + count);
        }
        drop(frequency);
        // At the peak the per-entry lists and the postings coexist: the
        // lists give back the room reserved and unused first, and go as
        // soon as the postings are laid out.
        let lists: Vec<Lists> = parts
            .into_iter()
            .zip(ranks)
            .map(|(part, rank)| {
                let Part { mut words, mut weights, ends, .. } = part;
                words.shrink_to_fit();
                weights.shrink_to_fit();
                Lists { rank, words, weights, ends }
            })
            .collect();
        let (gap_offsets, posting_gaps, posting_weights) = lay_out(words.len(), &offsets, &lists);
        drop(lists);
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
    /// The part's word numbers in the order of the words.
    sorted: Vec<u32>,
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
            sorted: Vec::new(),
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
        // Sorted here, on the part's own thread.
        let words = &part.stems.words;
        part.sorted = (0..to_u32(words.len())).collect();
        part.sorted.sort_unstable_by(|&a, &b| words.word(a as usize).cmp(words.word(b as usize)));
        part
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

/// The vocabulary of all the parts, each part's word numbers' places in
/// it, and how many entries have each word: a merge of the parts' sorted
/// words, so no part's lists need numbering again.
fn merge_words(parts: &[Part]) -> (Vocabulary, Vec<Vec<u32>>, Vec<u32>) {
    let mut ranks: Vec<Vec<u32>> = parts.iter().map(|part| vec![0; part.sorted.len()]).collect();
    let mut next = vec![0usize; parts.len()];
    let (mut text, mut frequency) = (Vec::new(), Vec::new());
    loop {
        // The least word the parts have not placed yet.
        let heads =
            parts.iter().zip(&next).map(|(part, &at)| Some(part.stems.words.word(*part.sorted.get(at)? as usize)));
        let Some(least) = heads.flatten().min() else { break };
        let rank = to_u32(text.len());
        let mut count = 0;
        for (p, part) in parts.iter().enumerate() {
            let Some(&id) = part.sorted.get(next[p]) else { continue };
            if part.stems.words.word(id as usize) == least {
                ranks[p][id as usize] = rank;
                count += part.frequency[id as usize];
                next[p] += 1;
            }
        }
        text.push(least);
        frequency.push(count);
    }
    (Vocabulary::new(text.into_iter()), ranks, frequency)
}

/// A part's per-entry lists, with its word numbers' places in the
/// vocabulary.
struct Lists {
    rank: Vec<u32>,
    words: Vec<u8>,
    weights: Vec<u8>,
    ends: Vec<usize>,
}

/// Lays the postings of `word_count` words out word by word from the
/// parts' per-entry lists, `offsets` telling where each word's weights
/// start. Returns the gaps' offsets, the gaps and the weights.
fn lay_out(word_count: usize, offsets: &[u32], parts: &[Lists]) -> (Vec<u32>, Vec<u8>, Vec<u8>) {
    // Twice over the per-entry lists: the size of each word's gaps,
    // then the gaps and weights in place.
    let each_posting = |visit: &mut dyn FnMut(usize, u32, u8)| {
        let mut entry = 0;
        for Lists { rank, words, weights, ends } in parts {
            let (mut start, mut gaps) = (0, &words[..]);
            for &end in ends {
                let mut id = 0;
                for &weight in &weights[start..end] {
                    id += take_gap(&mut gaps);
                    visit(rank[id as usize] as usize, entry, weight);
                }
                start = end;
                entry += 1;
            }
        }
    };
    let mut previous = vec![0u32; word_count];
    let mut gap_bytes = vec![0u32; word_count];
    each_posting(&mut |word, entry, _| {
        gap_bytes[word] += to_u32(gap_len(entry - previous[word]));
        previous[word] = entry;
    });
    let mut gap_offsets = Vec::with_capacity(word_count + 1);
    gap_offsets.push(0u32);
    for (word, bytes) in gap_bytes.iter().enumerate() {
        gap_offsets.push(gap_offsets[word] + bytes);
    }
    drop(gap_bytes);
    previous.fill(0);
    let mut cursor = offsets.to_vec();
    let mut gap_cursor = gap_offsets.clone();
    let mut posting_gaps = vec![0u8; gap_offsets.last().map_or(0, |&end| end as usize)];
    let mut posting_weights = vec![0u8; offsets.last().map_or(0, |&end| end as usize)];
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
