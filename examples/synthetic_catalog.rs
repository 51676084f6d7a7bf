//! Writes a synthetic catalog of N failure modes into DIR (files of 1 000
//! entries), for measuring load, search and memory on large catalogs:
//!
//! ```sh
//! cargo run --release --example synthetic_catalog -- /tmp/syn100k 100000
//! /usr/bin/time -v target/release/pagerbook --catalog /tmp/syn100k search connection reset
//! ```

#[path = "../benches/synthetic.rs"]
mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(Ok(count))) = (args.next().map(PathBuf::from), args.next().map(|n| n.parse::<usize>())) else {
        eprintln!("usage: synthetic_catalog DIR COUNT");
        return ExitCode::from(2);
    };
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("00-layers.toml"), synthetic::layers_toml())?;
        for (file, first) in (0..count).step_by(1_000).enumerate() {
            let text = synthetic::failures_toml(first, 1_000.min(count - first));
            std::fs::write(dir.join(format!("{:03}.toml", file + 1)), text)?;
        }
        Ok(())
    };
    match write() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("synthetic_catalog: {err}");
            ExitCode::FAILURE
        }
    }
}
