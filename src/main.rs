//! The `pagerbook` binary: parse the command line, run it, exit with its code.

use std::process::ExitCode;
use std::time::Instant;

use pagerbook::cli::{Environment, run};

fn main() -> ExitCode {
    let started = Instant::now();
    let code = run(
        std::env::args_os(),
        &Environment::from_process(started),
        // Not locked: stdin's lock is not reentrant, and the navigator reads
        // a line from it after an interactive step ("Press Enter").
        &mut std::io::stdin(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
