//! The inverted index: every normalised word of every field, built once, with
//! the entries (and fields) it occurs in. A query expands each of its words
//! against the sorted vocabulary (exact, prefix, typo, subsequence), so the
//! cost of a keystroke depends on the vocabulary and the matching entries,
//! not on the total length of the catalog's text.

use std::collections::HashMap;
use std::sync::Arc;

mod rank;

use rank::put_first;

use super::query::Query;
use super::score::Field;
use super::text::{for_each_word, is_volatile};
use crate::catalog::{Catalog, Entry, TextField};

/// A ranked search result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index of the entry in [`Index::catalog`]'s entries.
    pub entry: usize,
    /// Relevance; higher is better. Zero when browsing without a query.
    pub score: f32,
}

/// Ranked hits for one query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// Best first.
    pub hits: Vec<Hit>,
    /// Where the hits that lack some of the words begin, when few entries
    /// have them all; they are ranked by how many of the rarest words they have.
    pub partial_from: Option<usize>,
}

impl Results {
    /// Every entry in catalog order, which is edge-inward: what an empty
    /// query shows, without needing the index.
    #[must_use]
    pub fn browse(catalog: &Catalog) -> Results {
        Results {
            hits: (0..catalog.entries().len()).map(|entry| Hit { entry, score: 0.0 }).collect(),
            partial_from: None,
        }
    }
}

/// Words of a catalog and where they occur, built once per catalog.
pub struct Index {
    catalog: Arc<Catalog>,
    /// The vocabulary, sorted, so a prefix is a contiguous range.
    words: Vec<Box<str>>,
    /// Postings of word `i`: `offsets[i]..offsets[i + 1]` in the two arrays below.
    offsets: Vec<u32>,
    /// Entry index of each posting, ascending within a word.
    posting_entries: Vec<u32>,
    /// Field mask (bits of [`Field`]) of each posting.
    posting_fields: Vec<u8>,
    /// Word ids of the purely alphabetic-ish (not volatile) vocabulary, by
    /// byte length, for typo search without scanning numbers.
    by_length: Vec<Vec<u32>>,
}

impl Index {
    /// Indexes every field of every entry.
    #[must_use]
    pub fn new(catalog: Arc<Catalog>) -> Index {
        // First pass: number the words as they come and list each entry's
        // distinct words with the fields they occur in. The lists are two
        // flat arrays: large allocations go back to the system when freed,
        // where a hundred thousand small ones would stay behind as holes.
        let mut ids: HashMap<Box<str>, u32> = HashMap::new();
        let mut frequency: Vec<u32> = Vec::new();
        let mut entry_words: Vec<u32> = Vec::new();
        let mut entry_fields: Vec<u8> = Vec::new();
        let mut entry_ends: Vec<usize> = Vec::with_capacity(catalog.entries().len());
        let mut current: Vec<(u32, u8)> = Vec::new();
        for entry in catalog.entries() {
            current.clear();
            for_each_field(entry, |field, text| {
                for_each_word(text, |word, _, _| {
                    let id = if let Some(&id) = ids.get(word) {
                        id
                    } else {
                        frequency.push(0);
                        ids.insert(word.into(), to_u32(frequency.len() - 1));
                        to_u32(frequency.len() - 1)
                    };
                    current.push((id, field as u8));
                });
            });
            current.sort_unstable_by_key(|&(id, _)| id);
            let first = entry_words.len();
            for &(id, mask) in &current {
                if entry_words.len() > first && entry_words.last() == Some(&id) {
                    if let Some(last) = entry_fields.last_mut() {
                        *last |= mask;
                    }
                } else {
                    entry_words.push(id);
                    entry_fields.push(mask);
                    frequency[id as usize] += 1;
                }
            }
            entry_ends.push(entry_words.len());
        }

        // Second pass: lay the postings out word by word in sorted order,
        // entries ascending within a word.
        let mut words: Vec<(Box<str>, u32)> = ids.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut rank = vec![0u32; words.len()];
        let mut offsets = Vec::with_capacity(words.len() + 1);
        offsets.push(0u32);
        for (position, (_, id)) in words.iter().enumerate() {
            rank[*id as usize] = to_u32(position);
            offsets.push(offsets[position] + frequency[*id as usize]);
        }
        let mut cursor = offsets.clone();
        let mut posting_entries = vec![0u32; entry_words.len()];
        let mut posting_fields = vec![0u8; entry_words.len()];
        let mut start = 0;
        for (entry, &end) in entry_ends.iter().enumerate() {
            for (&id, &mask) in entry_words[start..end].iter().zip(&entry_fields[start..end]) {
                let slot = &mut cursor[rank[id as usize] as usize];
                posting_entries[*slot as usize] = to_u32(entry);
                posting_fields[*slot as usize] = mask;
                *slot += 1;
            }
            start = end;
        }
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
        Index { catalog, words, offsets, posting_entries, posting_fields, by_length }
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

/// Index positions fit in `u32`: a catalog of four billion words is not one.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Calls `visit` with every searchable text of an entry and its field.
fn for_each_field(entry: &Entry, mut visit: impl FnMut(Field, &str)) {
    visit(Field::Id, entry.id());
    visit(Field::Title, entry.title());
    visit(Field::Symptom, entry.headline());
    for signal in entry.signals() {
        visit(Field::Signal, signal);
    }
    for tag in entry.tags().chain(entry.text(TextField::Component)).chain(entry.layer()) {
        visit(Field::Tag, tag);
    }
    for field in [TextField::Impact, TextField::Recovery, TextField::Detection, TextField::Prevention] {
        let Some(text) = entry.text(field) else { continue };
        visit(Field::Body, text);
    }
    for step in &entry.steps {
        visit(Field::Body, &step.instruction);
        if let Some(run) = &step.run {
            visit(Field::Body, run);
        }
    }
    // The commands as they will run: people search with the real names.
    for var in &entry.vars {
        for value in var.default.iter().chain(&var.choices) {
            visit(Field::Body, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Source, load};

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
}
