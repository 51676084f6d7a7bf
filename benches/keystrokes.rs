//! Per-keystroke latency percentiles: every prefix of several typed queries
//! (1 to 25 characters) and a pasted 100-character line, searched on
//! generated catalogs of 10 000 and 100 000 failure modes. Prints median,
//! p90, p99 and max, since criterion reports means and medians only.
//!
//! `cargo bench --bench keystrokes`

mod synthetic;
mod timing;

use std::sync::Arc;
use std::time::Instant;

use pagerbook::catalog::{Source, load};
use pagerbook::search::{Index, Query};

const TYPED: &[&str] = &[
    "redis connection refused ",
    "pods cant resolve names  ",
    "certificate expired on cd",
    "pgbouncr max client conn ",
    "oomkilled memory limit ap",
    "context deadline exceeded",
];
const PASTED: &str = "2026-03-11T04:12:09Z api-7d9f8b6c5-x2k4p dial tcp 10.43.12.7:6379: connect: connection refused";
const ROUNDS: usize = 5;

fn main() {
    println!("cores: {}", std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    for size in [10_000, 100_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        synthetic::write_catalog(dir.path(), size, false).expect("write");
        let started = Instant::now();
        let loaded = load(&[Source::Path(dir.path().to_path_buf())]);
        let load_time = started.elapsed();
        let started = Instant::now();
        let index = Index::new(Arc::new(loaded.catalog));
        println!(
            "{size} entries: load {load_time:.2?}, index build {:.2?}, {} words",
            started.elapsed(),
            index.vocabulary_len()
        );
        let mut typed = Vec::new();
        for _ in 0..ROUNDS {
            for query in TYPED {
                for n in 1..=query.len() {
                    let started = Instant::now();
                    std::hint::black_box(index.search(&Query::parse(&query[..n])));
                    typed.push(started.elapsed());
                }
            }
        }
        timing::report(&format!("{size}: keystroke (1-25 chars)"), typed);
        let pasted = (0..ROUNDS * 10)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(index.search(&Query::parse(PASTED)));
                started.elapsed()
            })
            .collect();
        timing::report(&format!("{size}: pasted 100-char line"), pasted);
    }
}
