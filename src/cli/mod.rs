//! The command line: the dispatch from parsed arguments to one function per
//! subcommand, each writing to a `&mut dyn Write` so tests can capture it,
//! and the helpers they share.
//!
//! Exit codes: 0 success, 1 a catalog problem, an unknown id or nothing found,
//! 2 a usage error.
//!
//! - `args`: the clap definitions and their value parsers.
//! - `navigator`: opening the navigator, the default without a subcommand.
//! - `search`, `show` (with `cmd`), `list`, `check` (with `sources`): the
//!   subcommands.
//! - `text`: an entry's plain-text rendering.

mod args;
mod check;
mod drill;
mod edit;
mod export;
mod import;
mod incident;
mod list;
mod navigator;
mod reading;
mod search;
pub mod shell;
mod show;
mod text;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};

use clap::{CommandFactory, FromArgMatches};

use crate::catalog::{self, Catalog, LoadOptions, Loaded, Review, Source};
use crate::settings;
use crate::wrap::plural;

pub use args::{Cli, Command, Format, ThemeChoice};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: a catalog problem, an unknown id, or nothing found.
pub const EXIT_PROBLEM: u8 = 1;
/// Exit code: the command line was wrong.
pub const EXIT_USAGE: u8 = 2;

/// What the command line reads from the process besides its arguments.
pub struct Environment {
    /// `PAGERBOOK_CATALOG`.
    pub catalog: Option<OsString>,
    /// Whether standard input is a terminal: `search -` then says it waits
    /// for the query to be typed.
    pub stdin_is_terminal: bool,
}

impl Environment {
    /// Reads the process environment.
    #[must_use]
    pub fn from_process() -> Self {
        Environment { catalog: std::env::var_os("PAGERBOOK_CATALOG"), stdin_is_terminal: io::stdin().is_terminal() }
    }
}

/// Runs the command line and returns the exit code. `stdin` is read only by
/// `search -`. A closed pipe on `out` (`pagerbook list | head`) is not an error.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    env: &Environment,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let args: Vec<OsString> = args.into_iter().collect();
    // The catalog is read for `--version` only: start-up does not wait for it.
    let mut command = Cli::command();
    if args.iter().any(|a| a == "--version" || a == "-V") {
        command = command.version(version());
    }
    let parsed = command.try_get_matches_from(args).and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let target: &mut dyn Write = if e.use_stderr() { err } else { out };
            let _ = target.write_all(e.render().to_string().as_bytes());
            return code;
        }
    };
    let sources = if cli.catalog.is_empty() {
        Source::defaults(env.catalog.clone())
    } else {
        cli.catalog.iter().cloned().map(Source::Path).collect()
    };
    let Some(command) = cli.command else {
        return navigator::navigator(&sources, &cli, out, err);
    };
    let result = match command {
        Command::List { json } => list::list(&sources, json, out, err),
        Command::Show { id, json, color } => show::show(&sources, &id, json, color, out, err),
        Command::Search { query, json, limit } => match search::search_input(&query, env, stdin, err) {
            Ok(Some((input, query))) => search::search(&sources, &input, &query, json, usize::from(limit), out, err),
            Ok(None) => Ok(EXIT_USAGE),
            Err(e) => Err(e),
        },
        Command::Cmd { id, step, vars } => show::step_command(&sources, &id, step, &vars, out, err),
        Command::Check { paths, format, verbose, strict, review_age } => {
            let strict = strict.then(|| Review::as_of(std::time::SystemTime::now(), review_age));
            // The catalogs in use come with the settings in use; given paths stand alone.
            let config = paths.is_empty().then(settings::config_path).flatten();
            let (sources, options) = if paths.is_empty() {
                (sources, LoadOptions { context: Vec::new(), strict })
            } else {
                // Paths are checked as they load after the catalogs they
                // join: those in use (a drill or an entry may name one of the
                // user's catalog), or the `--catalog` paths.
                let context = sources;
                (paths.into_iter().map(Source::Path).collect(), LoadOptions { context, strict })
            };
            check::check(&sources, &options, config.as_deref(), format, verbose, out)
        }
        Command::Sources { json } => check::sources_command(&sources, json, out),
        Command::Incident(command) => incident::incident(command, &sources, out, err),
        Command::Export { ids, format: _, out: out_dir } => {
            export::export(&sources, &ids, out_dir.as_deref(), out, err)
        }
        Command::Import { paths, out: out_dir, format } => import::import(&paths, out_dir.as_deref(), format, out, err),
        Command::Completions { shell } => shell::completions(shell, out),
        Command::Man => shell::man(out),
        Command::Edit { id } => edit::edit(&sources, &id, out, err),
        Command::Widget { shell } => shell::widget(shell, out),
        Command::Drill(command) => drill::drill(command, &sources, cli.theme == ThemeChoice::Light, out, err),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "pagerbook: error: {e}");
            EXIT_PROBLEM
        }
    }
}

/// `--version`: the program's, and what its embedded catalog holds.
fn version() -> String {
    let catalog = catalog::load(&[Source::Embedded]).catalog;
    let newest = catalog.entries().iter().filter_map(|e| e.text(catalog::TextField::LastReviewed)).max();
    let reviewed = newest.map(|date| format!(", newest review {date}")).unwrap_or_default();
    format!(
        "{} (embedded catalog: {}, {}{reviewed})",
        env!("CARGO_PKG_VERSION"),
        plural(catalog.entries().len(), "entry"),
        plural(catalog.drills().len(), "drill")
    )
}

/// Loads the sources and tells stderr, in one line, when some files had problems.
fn load_noting_problems(sources: &[Source], err: &mut dyn Write) -> io::Result<Loaded> {
    let loaded = catalog::load(sources);
    if !loaded.diagnostics.is_empty() {
        writeln!(err, "pagerbook: the catalog has {} (run `pagerbook check` for details)", problem_count(&loaded))?;
    }
    Ok(loaded)
}

fn problem_count(loaded: &Loaded) -> String {
    let errors = loaded.error_count();
    let warnings = loaded.diagnostics.len() - errors;
    format!("{} and {}", plural(errors, "error"), plural(warnings, "warning"))
}

/// Says journals cannot be kept: there is nowhere to keep them.
fn no_data_directory(err: &mut dyn Write) -> io::Result<u8> {
    writeln!(err, "pagerbook: error: no data directory (set HOME or XDG_DATA_HOME)")?;
    Ok(EXIT_PROBLEM)
}

/// Says an id is unknown, with the ids that were probably meant.
fn unknown_id(catalog: &Catalog, id: &str, err: &mut dyn Write) -> io::Result<u8> {
    let near = catalog.similar_ids(id);
    let hint = if near.is_empty() { String::new() } else { format!("; did you mean {}?", near.join(", ")) };
    writeln!(err, "pagerbook: error: no failure mode or runbook with id `{id}`{hint}")?;
    Ok(EXIT_PROBLEM)
}
