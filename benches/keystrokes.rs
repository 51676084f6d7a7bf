//! Per-keystroke latency percentiles: every prefix of several typed queries
//! (1 to 25 characters) and a pasted 100-character line, searched on
//! generated catalogs of 10 000 and 100 000 failure modes. Prints median,
//! p90, p99 and max, since criterion reports means and medians only.
//!
//! `cargo bench --bench keystrokes`

mod synthetic;

use std::sync::Arc;
use std::time::{Duration, Instant};

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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{label:34} n={:4}  median {:>9.3?}  p90 {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
        times[times.len() - 1]
    );
}

fn main() {
    println!("cores: {}", std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    for size in [10_000, 100_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("00-layers.toml"), synthetic::layers_toml()).expect("write");
        for first in (0..size).step_by(1_000) {
            std::fs::write(dir.path().join(format!("{first:07}.toml")), synthetic::failures_toml(first, 1_000))
                .expect("write");
        }
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
        report(&format!("{size}: keystroke (1-25 chars)"), typed);
        let pasted = (0..ROUNDS * 10)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(index.search(&Query::parse(PASTED)));
                started.elapsed()
            })
            .collect();
        report(&format!("{size}: pasted 100-char line"), pasted);
    }
}
