//! Writes a synthetic catalog of N failure modes into DIR (files of 1 000
//! entries), for measuring load, search and memory on large catalogs:
//!
//! ```sh
//! cargo run --release --example synthetic_catalog -- /tmp/syn100k 100000
//! LINKED=1 cargo run --release --example synthetic_catalog -- /tmp/linked 100000   # 3 related links each
//! /usr/bin/time -v target/release/pagerbook --catalog /tmp/syn100k search connection reset
//! ```

#[path = "../benches/synthetic.rs"]
mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(Ok(count))) = (args.next().map(PathBuf::from), args.next().map(|n| n.parse::<usize>())) else {
        eprintln!(
            "usage: [LINKED=1] synthetic_catalog DIR COUNT   (LINKED: three related links per entry; DIR new or empty)"
        );
        return ExitCode::from(2);
    };
    match synthetic::write_catalog(&dir, count, std::env::var_os("LINKED").is_some()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("synthetic_catalog: {err}");
            ExitCode::FAILURE
        }
    }
}
