//! The `pagerbook` binary: parse the command line, run it, exit with its code.

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = pagerbook::cli::run(
        std::env::args_os(),
        std::env::var_os("PAGERBOOK_CATALOG"),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
