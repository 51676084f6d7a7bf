//! Shell completion and the man page, both from the one definition of the
//! command line (`clap_complete`, `clap_mangen`). The shell asks the binary
//! itself for candidates (`PAGERBOOK_COMPLETE=bash pagerbook -- pagerbook
//! show core`), so the ids offered are those of the catalogs in use.

use std::io::{self, Write};

use clap::{CommandFactory, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::{CompleteEnv, Shells};

use super::EXIT_OK;
use super::args::{Cli, CompletionShell};
use crate::catalog::{self, Catalog, Source};

/// The variable that asks the binary for completions.
pub const COMPLETE_VAR: &str = "PAGERBOOK_COMPLETE";

/// Answers the shell and exits when it asks for completions; returns at
/// once otherwise. Called before anything is written to standard output.
pub fn answer_the_shell() {
    CompleteEnv::with_factory(Cli::command).var(COMPLETE_VAR).complete();
}

/// The ids of the catalogs in use, each with its title.
pub(super) fn entry_ids() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let catalog = catalog_in_use();
        catalog
            .entries()
            .iter()
            .map(|e| CompletionCandidate::new(e.id()).help(Some(e.title().to_owned().into())))
            .collect()
    })
}

/// The drill scenarios of the catalogs in use, each with its title.
pub(super) fn drill_ids() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let catalog = catalog_in_use();
        catalog.drills().iter().map(|d| CompletionCandidate::new(&d.id).help(Some(d.title.clone().into()))).collect()
    })
}

/// The catalogs a command run without `--catalog` reads (a `--catalog` on
/// the line being completed is not seen here).
fn catalog_in_use() -> Catalog {
    catalog::load(&Source::defaults(std::env::var_os("PAGERBOOK_CATALOG"))).catalog
}

/// `pagerbook completions SHELL`: the script that registers completion,
/// calling this binary where it is now.
pub(super) fn completions(shell: CompletionShell, out: &mut dyn Write) -> io::Result<u8> {
    let name = shell.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default();
    let shells = Shells::builtins();
    let Some(completer) = shells.completer(&name) else {
        return Err(io::Error::other(format!("no completion for {name}")));
    };
    let binary = std::env::current_exe().map_or_else(|_| "pagerbook".to_owned(), |p| p.display().to_string());
    completer.write_registration(COMPLETE_VAR, "pagerbook", "pagerbook", &binary, out)?;
    Ok(EXIT_OK)
}

/// `pagerbook man`: the manual page (roff), its subcommands listed.
pub(super) fn man(out: &mut dyn Write) -> io::Result<u8> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(EXIT_OK)
}
