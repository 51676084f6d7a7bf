//! The inverted index: every normalised word of every field, built once,
//! with the entries it occurs in and how much it says about each (its BM25F
//! weight there, saturated, computed at build time; the word's idf is
//! applied at query time). A query expands each of its words
//! against the sorted vocabulary, so the cost of a keystroke depends on the
//! vocabulary and the matching entries, not on the length of the catalog.
//!
//! - `build`: the index built (on every core for a large catalog);
//! - `postings`: a word's entries as LEB128 gaps;
//! - `rank`: a query's words expanded against the vocabulary, and scored.

use std::sync::Arc;

mod build;
mod postings;
mod rank;
mod vocabulary;

use rank::put_first;
use vocabulary::Vocabulary;

use super::query::Query;
use super::score::Matched;
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
    words: Vocabulary,
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
        visit(Field::StepText, step.instruction());
        if let Some(run) = step.run() {
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
