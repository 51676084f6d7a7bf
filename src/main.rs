//! The `pagerbook` binary: parse the command line, run it, exit with its code.

use std::process::ExitCode;

use pagerbook::cli::{Environment, run};
use pagerbook::visible::VisibleWriter;

fn main() -> ExitCode {
    // The shell asking for completions is answered before anything else.
    pagerbook::cli::shell::answer_the_shell();
    let code = run(
        std::env::args_os(),
        &Environment::from_process(),
        // Not locked: stdin's lock is not reentrant, and the navigator reads
        // a line from it after an interactive step ("Press Enter").
        &mut std::io::stdin(),
        // Nothing the command line prints acts on the terminal: catalog text,
        // file names and diagnostics have their control characters shown.
        &mut VisibleWriter::new(std::io::stdout().lock()),
        &mut VisibleWriter::new(std::io::stderr().lock()),
    );
    ExitCode::from(code)
}
