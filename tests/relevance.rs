//! Search relevance, measured on two catalogs with queries written by people
//! who never read the ranking code:
//!
//! - the embedded catalog with `tests/fixtures/relevance.toml` (pasted log
//!   lines, words, typos, runbook tasks, long on-call sentences, questions);
//!   the ranking was tuned on this set;
//! - the held-out catalog `tests/fixtures/heldout/` (other stacks: Kafka,
//!   `MySQL`, Elasticsearch, Istio, Vault, conntrack…) with its own queries.
//!   Nothing was ever tuned on it: it says whether the ranking generalises
//!   to a catalog nobody shaped it for (see its README);
//! - both loaded together, as a team loads its catalog beside the embedded one.
//!
//! Each prints top-1 and top-3 per style next to two baselines (a plain
//! fuzzy matcher over each entry's text joined in one line, and plain BM25
//! over the same text), and fails below floors set a little under what was
//! measured. `cargo test --test relevance -- --nocapture` shows the figures
//! and the misses.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use pagerbook::catalog::{Catalog, Entry, Level, Source, TextField, load};
use pagerbook::search::{Index, Query};
use serde::Deserialize;

mod util;
use util::fixture;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    query: String,
    expect: String,
    style: String,
}

fn cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str::<Cases>(&text).unwrap().case
}

fn index(sources: &[Source]) -> Index {
    let loaded = load(sources);
    assert!(loaded.diagnostics.iter().all(|d| d.level != Level::Error), "{:?}", loaded.diagnostics.first());
    Index::new(Arc::new(loaded.catalog))
}

fn held_out() -> Source {
    Source::Path(fixture("heldout/catalog"))
}

/// Every searchable text of an entry, for the baselines.
fn all_text(entry: &Entry) -> String {
    let mut parts: Vec<&str> = vec![entry.id(), entry.title(), entry.headline()];
    parts.extend(entry.signals());
    parts.extend(entry.tags());
    for field in
        [TextField::Component, TextField::Impact, TextField::Recovery, TextField::Detection, TextField::Prevention]
    {
        parts.extend(entry.text(field));
    }
    for step in &entry.steps {
        parts.push(step.instruction());
        parts.extend(step.run());
    }
    parts.join(" ")
}

/// The fuzzy baseline: all of an entry's text on one line, ranked by
/// `SkimMatcherV2` (what fzf-like pickers do).
fn fuzzy(catalog: &Catalog, texts: &[String], query: &str) -> Vec<usize> {
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<(i64, usize)> =
        (0..catalog.entries().len()).filter_map(|i| Some((matcher.fuzzy_match(&texts[i], query)?, i))).collect();
    scored.sort_by_key(|&(score, i)| (std::cmp::Reverse(score), i));
    scored.into_iter().map(|(_, i)| i).collect()
}

/// The textbook baseline: Okapi BM25 (k1 1.2, b 0.75) over all of an
/// entry's text as one field, words lowercased and split at punctuation,
/// no stemming, any word may match.
struct Bm25 {
    documents: Vec<HashMap<String, f64>>,
    lengths: Vec<f64>,
    frequency: HashMap<String, f64>,
    average: f64,
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

impl Bm25 {
    fn new(texts: &[String]) -> Bm25 {
        let mut documents = Vec::new();
        let mut lengths = Vec::new();
        let mut frequency: HashMap<String, f64> = HashMap::new();
        for text in texts {
            let mut counts: HashMap<String, f64> = HashMap::new();
            let mut length = 0.0;
            for word in words(text) {
                *counts.entry(word).or_default() += 1.0;
                length += 1.0;
            }
            for word in counts.keys() {
                *frequency.entry(word.clone()).or_default() += 1.0;
            }
            documents.push(counts);
            lengths.push(length);
        }
        #[allow(clippy::cast_precision_loss)]
        let average = lengths.iter().sum::<f64>() / lengths.len().max(1) as f64;
        Bm25 { documents, lengths, frequency, average }
    }

    fn rank(&self, query: &str) -> Vec<usize> {
        #[allow(clippy::cast_precision_loss)]
        let n = self.documents.len() as f64;
        let mut query: Vec<String> = words(query).collect();
        query.sort();
        query.dedup();
        let mut scored: Vec<(f64, usize)> = (0..self.documents.len())
            .filter_map(|i| {
                let score: f64 = query
                    .iter()
                    .filter_map(|word| {
                        let tf = self.documents[i].get(word)?;
                        let df = self.frequency[word];
                        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                        Some(idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * self.lengths[i] / self.average)))
                    })
                    .sum();
                (score > 0.0).then_some((score, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    }
}

#[derive(Default, Clone, Copy)]
struct Tally {
    total: usize,
    /// top-1 and top-3 of pagerbook, the fuzzy baseline, BM25.
    first: [usize; 3],
    top3: [usize; 3],
}

impl Tally {
    #[allow(clippy::cast_precision_loss)]
    fn share(&self, count: usize) -> f64 {
        if self.total == 0 { 0.0 } else { count as f64 / self.total as f64 }
    }
}

/// Runs the cases on an index, and the baselines when asked; prints the
/// figures and the misses; returns the tallies by style ("all" for every
/// case).
fn measure(name: &str, index: &Index, cases: &[Case], baselines: bool) -> BTreeMap<String, Tally> {
    let catalog = index.catalog();
    let texts: Vec<String> = if baselines { catalog.entries().iter().map(all_text).collect() } else { Vec::new() };
    let bm25 = Bm25::new(&texts);
    let mut by_style: BTreeMap<String, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    for case in cases {
        let expected = catalog.position(&case.expect).unwrap_or_else(|| panic!("unknown id {}", case.expect));
        let ours: Vec<usize> = index.search(&Query::parse(&case.query)).hits.iter().map(|h| h.entry).collect();
        let rankings = if baselines {
            [ours, fuzzy(catalog, &texts, &case.query), bm25.rank(&case.query)]
        } else {
            [ours, Vec::new(), Vec::new()]
        };
        let ranks = rankings.each_ref().map(|ranked| ranked.iter().position(|&i| i == expected));
        for key in [case.style.as_str(), "all"] {
            let tally = by_style.entry(key.to_owned()).or_default();
            tally.total += 1;
            for (ranker, rank) in ranks.iter().enumerate() {
                tally.first[ranker] += usize::from(*rank == Some(0));
                tally.top3[ranker] += usize::from(rank.is_some_and(|r| r < 3));
            }
        }
        if ranks[0] != Some(0) {
            let got: Vec<&str> = rankings[0].iter().take(3).map(|&i| catalog.entries()[i].id()).collect();
            misses.push(format!(
                "  [{}] {:?}\n      expected {} at {:?}; got {}",
                case.style,
                case.query,
                case.expect,
                ranks[0].map(|r| r + 1),
                got.join(", ")
            ));
        }
    }
    println!("{name}: {} queries, top-1 / top-3", cases.len());
    let rankers = if baselines { 3 } else { 1 };
    let header = ["pagerbook", "fuzzy", "BM25"].map(|name| format!("  {name:>15}"));
    println!("  {:9} {:>5}{}", "style", "n", header[..rankers].concat());
    for (style, t) in &by_style {
        let cell = |r: usize| format!("  {:5.1}% / {:5.1}%", 100.0 * t.share(t.first[r]), 100.0 * t.share(t.top3[r]));
        println!("  {style:9} {:5}{}", t.total, (0..rankers).map(cell).collect::<String>());
    }
    println!("  not first:\n{}\n", misses.join("\n"));
    by_style
}

fn assert_at_least(tallies: &BTreeMap<String, Tally>, first: f64, top3: f64) {
    let all = &tallies["all"];
    assert!(all.share(all.first[0]) >= first, "top-1 below {first}");
    assert!(all.share(all.top3[0]) >= top3, "top-3 below {top3}");
}

fn embedded_cases() -> Vec<Case> {
    cases(&fixture("relevance.toml"))
}

fn held_out_cases() -> Vec<Case> {
    cases(&fixture("heldout/queries.toml"))
}

#[test]
fn on_the_embedded_catalog() {
    let cases = embedded_cases();
    assert!(cases.len() >= 150, "the set must hold at least 150 queries");
    let tallies = measure("embedded catalog", &index(&[Source::Embedded]), &cases, true);
    assert_at_least(&tallies, 0.95, 0.99);
}

#[test]
fn on_a_held_out_catalog_never_tuned_on() {
    let cases = held_out_cases();
    assert!(cases.len() >= 80, "the held-out set must hold at least 80 queries");
    let tallies = measure("held-out catalog", &index(&[held_out()]), &cases, true);
    assert_at_least(&tallies, 0.95, 0.99);
}

/// A team's catalog beside the embedded one: each set ranks as well as on
/// its catalog alone, give or take one query.
#[test]
fn on_both_catalogs_loaded_together() {
    let together = index(&[Source::Embedded, held_out()]);
    for (name, cases, alone) in [
        ("embedded queries, both catalogs", embedded_cases(), index(&[Source::Embedded])),
        ("held-out queries, both catalogs", held_out_cases(), index(&[held_out()])),
    ] {
        let both = measure(name, &together, &cases, false)["all"];
        let alone = measure("(alone)", &alone, &cases, false)["all"];
        assert!(
            both.first[0] + 1 >= alone.first[0],
            "{name}: top-1 {} together, {} alone",
            both.first[0],
            alone.first[0]
        );
        assert!(both.top3[0] + 1 >= alone.top3[0], "{name}: top-3 {} together, {} alone", both.top3[0], alone.top3[0]);
    }
}
