//! Search relevance on the embedded catalog, measured against a set of
//! queries written independently of the ranking (tests/fixtures/relevance.toml):
//! pasted log lines, symptoms in on-call words, typos, runbook tasks.
//!
//! Prints top-1 and top-3 accuracy per style, next to a plain fuzzy baseline
//! (every field of an entry joined into one line, ranked by fuzzy-matcher
//! alone), and fails below the floors set from those measurements.
//! `cargo test --test relevance -- --nocapture` shows the figures and misses.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::sync::Arc;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use pagerbook::catalog::{Catalog, TextField};
use pagerbook::search::{Index, Query};
use serde::Deserialize;

mod util;
use util::{embedded, fixture};

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

/// Floors: a little under what was measured, so a regression fails and noise
/// does not.
const TOP1_FLOOR: f64 = 0.85;
const TOP3_FLOOR: f64 = 0.95;

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(fixture("relevance.toml")).unwrap();
    toml::from_str::<Cases>(&text).unwrap().case
}

/// Rank (0-based) of the expected id in a ranked list of ids, if present.
fn rank(ranked: &[&str], expected: &str) -> Option<usize> {
    ranked.iter().position(|id| *id == expected)
}

/// The baseline: all fields of an entry on one line, ranked by `SkimMatcherV2`.
fn baseline(catalog: &Catalog, query: &str) -> Vec<String> {
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<(i64, &str)> = catalog
        .entries()
        .iter()
        .filter_map(|e| {
            let steps = e
                .steps
                .iter()
                .map(|s| format!("{} {}", s.instruction, s.run.as_deref().unwrap_or("")))
                .collect::<Vec<_>>();
            let line = [
                e.id(),
                e.title(),
                e.headline(),
                &e.signals().collect::<Vec<_>>().join(" "),
                &e.tags().collect::<Vec<_>>().join(" "),
                e.text(TextField::Recovery).unwrap_or(""),
                &steps.join(" "),
            ]
            .join(" ");
            matcher.fuzzy_match(&line, query).map(|score| (score, e.id()))
        })
        .collect();
    scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    scored.into_iter().map(|(_, id)| id.to_owned()).collect()
}

#[derive(Default)]
struct Tally {
    total: usize,
    top1: usize,
    top3: usize,
    base_top1: usize,
    base_top3: usize,
}

#[allow(clippy::cast_precision_loss)]
fn pct(n: usize, total: usize) -> f64 {
    if total == 0 { 0.0 } else { n as f64 / total as f64 }
}

#[test]
fn search_finds_the_expected_entry() {
    let loaded = embedded();
    let index = Index::new(Arc::new(loaded.catalog));
    let catalog = index.catalog().clone();
    let cases = cases();
    assert!(cases.len() >= 60, "the set must hold at least 60 queries");
    let mut by_style: BTreeMap<String, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    for case in &cases {
        assert!(catalog.get(&case.expect).is_some(), "unknown id {}", case.expect);
        let hits = index.search(&Query::parse(&case.query)).hits;
        let ranked: Vec<&str> = hits.iter().map(|h| catalog.entries()[h.entry].id()).collect();
        let base = baseline(&catalog, &case.query);
        let base: Vec<&str> = base.iter().map(String::as_str).collect();
        let ours = rank(&ranked, &case.expect);
        let theirs = rank(&base, &case.expect);
        for key in [case.style.clone(), "all".to_owned()] {
            let tally = by_style.entry(key).or_default();
            tally.total += 1;
            tally.top1 += usize::from(ours == Some(0));
            tally.top3 += usize::from(ours.is_some_and(|r| r < 3));
            tally.base_top1 += usize::from(theirs == Some(0));
            tally.base_top3 += usize::from(theirs.is_some_and(|r| r < 3));
        }
        if ours != Some(0) {
            let got = ranked.iter().take(3).copied().collect::<Vec<_>>().join(", ");
            misses.push(format!(
                "  [{}] {:?}\n      expected {} at {:?}; got {got}",
                case.style,
                case.query,
                case.expect,
                ours.map(|r| r + 1)
            ));
        }
    }
    println!("relevance over {} queries (top-1 / top-3; fuzzy baseline top-1 / top-3):", cases.len());
    for (style, t) in &by_style {
        println!(
            "  {style:8} n={:3}  {:5.1}% / {:5.1}%   baseline {:5.1}% / {:5.1}%",
            t.total,
            100.0 * pct(t.top1, t.total),
            100.0 * pct(t.top3, t.total),
            100.0 * pct(t.base_top1, t.total),
            100.0 * pct(t.base_top3, t.total)
        );
    }
    println!("not first:\n{}", misses.join("\n"));
    let all = &by_style["all"];
    assert!(pct(all.top1, all.total) >= TOP1_FLOOR, "top-1 below {TOP1_FLOOR}");
    assert!(pct(all.top3, all.total) >= TOP3_FLOOR, "top-3 below {TOP3_FLOOR}");
}
