//! Loads a catalog and builds its search index, printing how long each took
//! and the process's resident memory after each (now and at its peak), for
//! the large-catalog goals (issue 15):
//!
//! ```sh
//! LINKED=1 cargo run --release --example synthetic_catalog -- /tmp/linked1m 1000000
//! cargo run --release --example load_and_index -- /tmp/linked1m
//! ```

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use pagerbook::catalog::{Source, load};
use pagerbook::search::Index;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: load_and_index PATH   (a catalog file or directory)");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let loaded = load(&[Source::Path(path.into())]);
    println!(
        "load   {:>8.2?}  {} entries, {} problems  {}",
        started.elapsed(),
        loaded.catalog.entries().len(),
        loaded.diagnostics.len(),
        memory()
    );
    let started = Instant::now();
    let index = Index::new(Arc::new(loaded.catalog));
    println!("index  {:>8.2?}  {} words  {}", started.elapsed(), index.vocabulary_len(), memory());
    ExitCode::SUCCESS
}

/// Resident memory now and at its peak, from /proc/self/status.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        let line = status.lines().find(|line| line.starts_with(name)).unwrap_or_default();
        line.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()).map_or(0, |kb| kb >> 10)
    };
    format!("RSS {} MB, peak {} MB", field("VmRSS:"), field("VmHWM:"))
}
