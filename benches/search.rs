//! Search and index benchmarks on generated catalogs of 1 000, 10 000 and
//! 100 000 failure modes: index build, query shapes, and typing (every
//! prefix of a 25-character query, as keystrokes arrive).
//!
//! `cargo bench --bench search`; the keystroke percentiles are in
//! `benches/keystrokes.rs`.

mod synthetic;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use pagerbook::catalog::{Catalog, Source, load};
use pagerbook::search::{Index, Query};

const SIZES: &[usize] = &[1_000, 10_000, 100_000];

/// A typed query of 25 characters.
const TYPED: &str = "redis connection refused ";
/// A pasted log line of about 100 characters.
const PASTED: &str = "2026-03-11T04:12:09Z api-7d9f8b6c5-x2k4p dial tcp 10.43.12.7:6379: connect: connection refused";

fn catalog(size: usize) -> Arc<Catalog> {
    let dir = tempfile::tempdir().expect("temp dir");
    synthetic::write_catalog(dir.path(), size, false).expect("write");
    let loaded = load(&[Source::Path(dir.path().to_path_buf())]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics.first());
    Arc::new(loaded.catalog)
}

fn benches(c: &mut Criterion) {
    for &size in SIZES {
        let catalog = catalog(size);
        let mut group = c.benchmark_group(format!("search/{size}"));
        if size >= 100_000 {
            group.sample_size(10);
        }
        group.bench_function("index build", |b| b.iter(|| Index::new(black_box(catalog.clone()))));
        let index = Index::new(catalog);
        let shapes = [
            ("1 char", "r"),
            ("word", "redis"),
            ("two words", "redis refused"),
            ("typos", "rdis refsued"),
            ("phrase", "\"connection refused\""),
            ("filter", "layer:data timeout"),
            ("pasted line", PASTED),
        ];
        for (name, query) in shapes {
            group.bench_with_input(BenchmarkId::new("query", name), query, |b, q| {
                b.iter(|| index.search(&Query::parse(black_box(q))).hits.len());
            });
        }
        group.bench_function("typing 25 keystrokes", |b| {
            b.iter(|| (1..=TYPED.len()).map(|n| index.search(&Query::parse(&TYPED[..n])).hits.len()).sum::<usize>());
        });
        group.finish();
    }
}

criterion_group!(search, benches);
criterion_main!(search);
