//! The command line: clap definitions and one function per subcommand, each
//! writing to a `&mut dyn Write` so tests can capture it.
//!
//! Exit codes: 0 success, 1 a catalog problem, an unknown id or nothing found,
//! 2 a usage error.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::catalog::{self, Catalog, Kind, Level, LoadOptions, Loaded, Review, Source, TextField};
use crate::danger;
use crate::present::{self, Group, Mark, Presentation, Section};
use crate::search::{Index, Query};
use crate::settings;
use crate::template;
use crate::tui;
use crate::wrap::{plural, wrap};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: a catalog problem, an unknown id, or nothing found.
pub const EXIT_PROBLEM: u8 = 1;
/// Exit code: the command line was wrong.
pub const EXIT_USAGE: u8 = 2;

/// Two forms: clap's default (`[QUERY]... [COMMAND]`) reads as if both
/// could be given at once.
const USAGE: &str = "pagerbook [OPTIONS] [QUERY]...\n       pagerbook [OPTIONS] <COMMAND>";

const AFTER_HELP: &str = "\
Examples:
  pagerbook                              open the navigator (type, Enter, Esc; F1 help)
  pagerbook no such host                 open it with a query typed
  pagerbook list                         every failure mode, edge inward
  pagerbook show coredns-down            one entry in full
  pagerbook search no such host          find what matches a symptom or a log line
  pagerbook cmd coredns-down 1           a step's command, placeholders filled
  pagerbook check                        validate the catalogs in use
  pagerbook --catalog ./team check       validate only ./team
  pagerbook sources                      which catalogs were read

Catalogs: without --catalog, the embedded catalog, then ~/.config/pagerbook/catalog/,
then each path in PAGERBOOK_CATALOG (colon-separated). With --catalog, only those.

Exit codes: 0 ok, 1 catalog problem / unknown id / nothing found, 2 usage error.";

const SEARCH_HELP: &str = "\
Examples:
  pagerbook search no such host
  pagerbook search pgbouncr                      typos are tolerated
  pagerbook search \"out of memory\" !redis       a phrase, and a word to exclude
  pagerbook search restart layer:control-plane
  pagerbook search kind:runbook upgrade
  pagerbook search --json 'dial tcp: lookup db on 10.43.0.10:53: no such host'
  kubectl logs api-7d4b9 --tail 20 | pagerbook search -

A pasted log line is recognised (long, or holding timestamps, IPs, hashes, paths):
its volatile parts are ignored and the entries sharing its rarest words come first.
`-` reads the query from standard input: every line, joined with spaces (the first
64 KiB), so a pasted multi-line log is one query.
Exit code 0 with hits, 1 with none, 2 when the query has nothing to search for
(it is empty, only punctuation, or only !exclusions).";

const CMD_HELP: &str = "\
Examples:
  pagerbook cmd coredns-down 7 --var namespace=shop --var deployment=api
  pagerbook cmd node-disk-full 2 | sh          (read it first)

Values are shell-quoted, so nothing in a value can add shell syntax. A value with a
control or bidirectional character, or that does not match its placeholder's declared
pattern, is refused; one starting with `-` is printed with a warning on stderr.";

/// Parses `--var name=value`.
fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text.split_once('=').ok_or_else(|| format!("`{text}` is not NAME=VALUE"))?;
    if !crate::template::is_valid_name(name) {
        return Err(format!("`{name}` is not a placeholder name"));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// pagerbook: find the failure mode behind what you see, and what to do about it.
#[derive(Debug, Parser)]
#[command(name = "pagerbook", version, about, after_help = AFTER_HELP, override_usage = USAGE)]
pub struct Cli {
    /// Read catalogs only from PATH (a TOML file or a directory); repeatable.
    #[arg(long, global = true, value_name = "PATH")]
    pub catalog: Vec<PathBuf>,

    /// Colours for a dark or a light terminal background.
    #[arg(long, global = true, value_enum, default_value_t = ThemeChoice::Dark)]
    pub theme: ThemeChoice,

    /// Never run commands from the navigator; copying still works (for drills
    /// on a shared screen). Also `read_only = true` in config.toml.
    #[arg(long)]
    pub read_only: bool,

    /// Open the navigator with these words typed as its query (the first
    /// must not be a subcommand's name).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    /// What to do (default: open the navigator).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Colours of the navigator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeChoice {
    /// For a dark background.
    Dark,
    /// For a light background.
    Light,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every failure mode by layer, edge inward, then the runbooks.
    #[command(after_help = "Examples:\n  pagerbook list\n  pagerbook list --json | jq '.entries[].id'")]
    List {
        /// Print JSON: {"layers": [...], "entries": [...]}.
        #[arg(long)]
        json: bool,
    },
    /// Show one failure mode or runbook in full.
    #[command(after_help = "Examples:\n  pagerbook show tls-cert-expired\n  pagerbook show node-os-upgrade --json")]
    Show {
        /// The entry's id.
        id: String,
        /// Print the entry as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Search failure modes and runbooks: words, a symptom, or a pasted log line.
    #[command(after_help = SEARCH_HELP)]
    Search {
        /// What you see: words (all required, typos tolerated), "a phrase", !excluded,
        /// layer:NAME, tag:NAME, kind:runbook; or a whole pasted log line; or `-`
        /// to read it from standard input.
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// Print a JSON array of {id, kind, layer, title, score}, best first.
        #[arg(long)]
        json: bool,
        /// Print at most N hits.
        #[arg(long, short = 'n', value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
        limit: u16,
    },
    /// Print a step's command with its placeholders filled in, shell-quoted.
    #[command(after_help = CMD_HELP)]
    Cmd {
        /// The entry's id.
        id: String,
        /// The step's number, as `show` numbers them (1 is the first).
        step: usize,
        /// A placeholder's value (repeatable); others take their default.
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
    },
    /// Validate catalog files; exit 1 when there are errors.
    #[command(
        after_help = "Examples:\n  pagerbook check                 the catalogs in use\n  pagerbook check ./team          ./team as it loads beside the embedded catalog\n  pagerbook check --strict        also what a reviewed entry should have\n  pagerbook check --format json   for editors and CI"
    )]
    Check {
        /// Files or directories to check, as they load after the embedded catalog
        /// (or the --catalog paths), reporting only their problems (default: the
        /// catalogs in use).
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also show which sources were read.
        #[arg(long, short)]
        verbose: bool,
        /// Also warn about what a reviewed entry should have: a layer, impact,
        /// signals, recovery, frequency, severity and a recent `last_reviewed`
        /// for a failure mode, and steps.
        #[arg(long)]
        strict: bool,
        /// With --strict, how many days old a `last_reviewed` date may be.
        #[arg(long, value_name = "DAYS", default_value_t = 365, requires = "strict")]
        review_age: u32,
    },
    /// Show which catalog sources were read and what each gave.
    #[command(after_help = "Examples:\n  pagerbook sources\n  PAGERBOOK_CATALOG=./team pagerbook sources")]
    Sources {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: level: message` with the offending line.
    Text,
    /// A JSON array of diagnostics.
    Json,
}

/// What the command line reads from the process besides its arguments.
pub struct Environment {
    /// `PAGERBOOK_CATALOG`.
    pub catalog: Option<OsString>,
    /// When the process started (the navigator measures start-up from it).
    pub started: Instant,
    /// `PAGERBOOK_STARTUP_PROBE`: a file to write the time to the first frame to.
    pub startup_probe: Option<PathBuf>,
    /// Whether standard input is a terminal: `search -` then says it waits
    /// for the query to be typed.
    pub stdin_is_terminal: bool,
}

impl Environment {
    /// Reads the process environment.
    #[must_use]
    pub fn from_process(started: Instant) -> Self {
        Environment {
            catalog: std::env::var_os("PAGERBOOK_CATALOG"),
            started,
            startup_probe: std::env::var_os("PAGERBOOK_STARTUP_PROBE").map(PathBuf::from),
            stdin_is_terminal: io::stdin().is_terminal(),
        }
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
    let cli = match Cli::try_parse_from(args) {
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
        return navigator(&sources, &cli, env, err);
    };
    let result = match command {
        Command::List { json } => list(&sources, json, out, err),
        Command::Show { id, json } => show(&sources, &id, json, out, err),
        Command::Search { query, json, limit } => match search_input(&query, env, stdin, err) {
            Ok(Some((input, query))) => search(&sources, &input, &query, json, usize::from(limit), out, err),
            Ok(None) => Ok(EXIT_USAGE),
            Err(e) => Err(e),
        },
        Command::Cmd { id, step, vars } => step_command(&sources, &id, step, &vars, out, err),
        Command::Check { paths, format, verbose, strict, review_age } => {
            let strict = strict.then(|| Review::as_of(std::time::SystemTime::now(), review_age));
            // The catalogs in use come with the settings in use; given paths stand alone.
            let config = paths.is_empty().then(settings::config_path).flatten();
            let (sources, options) = if paths.is_empty() {
                (sources, LoadOptions { context: Vec::new(), strict })
            } else {
                // Paths are checked as they load after the catalog they join:
                // the embedded one, or the `--catalog` paths.
                let context = if cli.catalog.is_empty() { vec![Source::Embedded] } else { sources };
                (paths.into_iter().map(Source::Path).collect(), LoadOptions { context, strict })
            };
            check(&sources, &options, config.as_deref(), format, verbose, out)
        }
        Command::Sources { json } => sources_command(&sources, json, out),
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

/// Opens the navigator, with the query the command line gave typed; where it
/// cannot run, says why and what to use instead.
fn navigator(sources: &[Source], cli: &Cli, env: &Environment, err: &mut dyn Write) -> u8 {
    let (config, problems) = settings::config_path().map(|p| settings::Config::load(&p)).unwrap_or_default();
    let hint = misspelled_subcommand(&cli.query);
    // The status line has one line for them: why commands will not run, and
    // what the command line may have meant.
    // Short enough for 80 columns; F2 has the whole message.
    let forced = config.forced_read_only.as_ref().map(|_| "read-only: config.toml has a problem (F2)".to_owned());
    let notices: Vec<String> = hint.iter().cloned().chain(forced).collect();
    let options = tui::Options {
        light: cli.theme == ThemeChoice::Light,
        started: env.started,
        startup_probe: env.startup_probe.clone(),
        read_only: cli.read_only || config.read_only,
        values_path: settings::values_path(),
        notice: (!notices.is_empty()).then(|| notices.join(" · ")),
        // The search line is one line: a query with newlines is one query.
        query: cli.query.join(" ").replace(['\n', '\r', '\t'], " "),
        problems,
    };
    match tui::run(catalog::load(sources), &options) {
        Ok(None) => EXIT_OK,
        // As a shell reports a process a signal ended: a parent can tell
        // killed from quit.
        Ok(Some(signal)) => u8::try_from(128 + signal).unwrap_or(EXIT_PROBLEM),
        Err(tui::Unavailable::NotATerminal(why)) => {
            if let Some(hint) = hint {
                let _ = writeln!(err, "pagerbook: {hint}");
            }
            let _ = writeln!(
                err,
                "pagerbook: {why}; use `pagerbook list`, `pagerbook show ID` or `pagerbook search QUERY` instead"
            );
            EXIT_PROBLEM
        }
        Err(tui::Unavailable::Io(e)) => {
            let _ = writeln!(err, "pagerbook: error: the terminal failed: {e}");
            EXIT_PROBLEM
        }
    }
}

/// When the first word of the navigator's query is close to a subcommand's
/// name (`pagerbook shwo x`), says which was probably meant: the words are
/// still searched for, since they may be a symptom that happens to be close.
fn misspelled_subcommand(query: &[String]) -> Option<String> {
    let first = query.first()?;
    let command = Cli::command();
    let names = command.get_subcommands().map(clap::Command::get_name);
    let meant = catalog::diagnostic::closest(first, names)?;
    Some(format!("`{first}` is not a command, so it is searched for; did you mean `pagerbook {meant}`?"))
}

/// Most of standard input `search -` reads: pages of log, not a whole log
/// file, whose words belong to many failures and blur the ranking; and a
/// stream (`kubectl logs -f`) does not end. Not for speed: 1 MiB of log
/// searches in 0.2 s.
const STDIN_LIMIT: u64 = 64 * 1024;

/// The text `search` looks for: the words given, or with `-` standard input
/// with its lines joined (a log pasted from several lines is one query).
/// `None` after saying why on `err` when there is nothing to search for:
/// that would list the whole catalog as if it matched.
fn search_input(
    words: &[String],
    env: &Environment,
    stdin: &mut dyn Read,
    err: &mut dyn Write,
) -> io::Result<Option<(String, Query)>> {
    let (input, origin) = if let [dash] = words
        && dash == "-"
    {
        if env.stdin_is_terminal {
            writeln!(err, "pagerbook: reading the query from standard input; end it with Ctrl-D")?;
        }
        let mut bytes = Vec::new();
        stdin
            .take(STDIN_LIMIT)
            .read_to_end(&mut bytes)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot read the query from standard input: {e}")))?;
        let text = String::from_utf8_lossy(&bytes).lines().collect::<Vec<_>>().join(" ");
        (text, "standard input")
    } else if words.len() > 1 && words.iter().any(|w| w == "-") {
        writeln!(err, "pagerbook: error: `-` reads the query from standard input, so it must be the only word")?;
        return Ok(None);
    } else {
        (words.join(" "), "the query")
    };
    let query = Query::parse(&input);
    match unsearchable(&input, &query) {
        None => Ok(Some((input, query))),
        Some(why) => {
            writeln!(err, "pagerbook: error: nothing to search for: {origin} {why}")?;
            Ok(None)
        }
    }
}

/// Why a query asks for nothing (no word, phrase or filter), if it does.
fn unsearchable(input: &str, query: &Query) -> Option<&'static str> {
    let filters = !query.layers.is_empty() || !query.tags.is_empty() || query.kind.is_some();
    if !query.is_empty() || filters {
        return None;
    }
    Some(if input.trim().is_empty() {
        "is empty"
    } else if query.excluded.is_empty() {
        "has no words, only punctuation"
    } else {
        "only excludes words (`!word`); add a word to search for"
    })
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

/// One line of `list --json`.
#[derive(Serialize)]
struct ListedEntry<'a> {
    id: &'a str,
    kind: Kind,
    layer: Option<&'a str>,
    title: &'a str,
    frequency: Option<catalog::Frequency>,
    severity: Option<catalog::Severity>,
}

fn list(sources: &[Source], json: bool, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let loaded = load_noting_problems(sources, err)?;
    let catalog = &loaded.catalog;
    if json {
        let entries: Vec<_> = catalog
            .entries()
            .iter()
            .map(|e| ListedEntry {
                id: e.id(),
                kind: e.kind,
                layer: e.layer(),
                title: e.title(),
                frequency: e.frequency,
                severity: e.severity,
            })
            .collect();
        let document = serde_json::json!({ "layers": catalog.layers, "entries": entries });
        serde_json::to_writer_pretty(&mut *out, &document)?;
        writeln!(out)?;
        return Ok(EXIT_OK);
    }
    let id_width = catalog.entries().iter().map(|e| e.id().len()).max().unwrap_or(0);
    for (group, entries) in present::grouped(catalog, catalog.entries()) {
        match group {
            Group::Layer { id, title } => writeln!(out, "{title} ({id})")?,
            _ => writeln!(out, "{}", group.title())?,
        }
        for entry in entries {
            let rating = match entry.kind {
                Kind::Failure => format!("  [{}, {}]", or_unknown(entry.frequency), or_unknown(entry.severity)),
                Kind::Runbook => String::new(),
            };
            writeln!(out, "  {:id_width$}  {}{rating}", entry.id(), entry.title())?;
        }
        writeln!(out)?;
    }
    let (failures, runbooks) = catalog.counts();
    writeln!(out, "{} and {}", plural(failures, "failure mode"), plural(runbooks, "runbook"))?;
    Ok(EXIT_OK)
}

/// A failure's frequency or severity as shown: "unknown" where it gives none.
fn or_unknown(rating: Option<impl std::fmt::Display>) -> String {
    rating.map_or_else(|| "unknown".to_owned(), |rating| rating.to_string())
}

/// One hit of `search --json`.
#[derive(Serialize)]
struct SearchHit<'a> {
    id: &'a str,
    kind: Kind,
    layer: Option<&'a str>,
    title: &'a str,
    score: f32,
}

/// `search`: the hits for a query, `input` as it was given.
fn search(
    sources: &[Source],
    input: &str,
    query: &Query,
    json: bool,
    limit: usize,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let loaded = load_noting_problems(sources, err)?;
    let index = Index::new(Arc::new(loaded.catalog));
    let results = index.search(query);
    let catalog = index.catalog();
    let hits: Vec<SearchHit<'_>> = results
        .hits
        .iter()
        .take(limit)
        .map(|hit| {
            let entry = &catalog.entries()[hit.entry];
            SearchHit { id: entry.id(), kind: entry.kind, layer: entry.layer(), title: entry.title(), score: hit.score }
        })
        .collect();
    if let Some(from) = results.partial_from.filter(|&from| from < hits.len()) {
        let note = match from {
            0 => "no entry has every word; these have the most of them".to_owned(),
            1 => "only the first hit has every word; the rest have most of them".to_owned(),
            n => format!("only the first {n} hits have every word; the rest have most of them"),
        };
        writeln!(err, "pagerbook: {note}")?;
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &hits)?;
        writeln!(out)?;
    } else {
        let id_width = hits.iter().map(|h| h.id.len()).max().unwrap_or(0);
        let layer_width = hits.iter().map(|h| h.layer.unwrap_or("-").len()).max().unwrap_or(0);
        for hit in &hits {
            let layer = hit.layer.unwrap_or("-");
            writeln!(
                out,
                "{:>6.1}  {:id_width$}  {:7}  {layer:layer_width$}  {}",
                hit.score,
                hit.id,
                hit.kind.as_str(),
                hit.title
            )?;
        }
    }
    if hits.is_empty() {
        // A pasted log may be long; the message names the start of it.
        let shown: String = input.chars().take(60).collect();
        let more = if shown.len() < input.len() { "…" } else { "" };
        writeln!(err, "pagerbook: nothing matches `{shown}{more}`")?;
        return Ok(EXIT_PROBLEM);
    }
    Ok(EXIT_OK)
}

fn show(sources: &[Source], id: &str, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let loaded = load_noting_problems(sources, err)?;
    let catalog = &loaded.catalog;
    let Some(entry) = catalog.get(id) else {
        return unknown_id(catalog, id, err);
    };
    if json {
        serde_json::to_writer_pretty(&mut *out, entry)?;
        writeln!(out)?;
    } else {
        write_entry(&present::present(catalog, catalog.position(id).unwrap_or_default()), out)?;
    }
    Ok(EXIT_OK)
}

/// Says an id is unknown, with the ids that were probably meant.
fn unknown_id(catalog: &Catalog, id: &str, err: &mut dyn Write) -> io::Result<u8> {
    let near = catalog.similar_ids(id);
    let hint = if near.is_empty() { String::new() } else { format!("; did you mean {}?", near.join(", ")) };
    writeln!(err, "pagerbook: error: no failure mode or runbook with id `{id}`{hint}")?;
    Ok(EXIT_PROBLEM)
}

/// `cmd`: one step's command, rendered with the given values or defaults.
fn step_command(
    sources: &[Source],
    id: &str,
    number: usize,
    given: &[(String, String)],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let loaded = load_noting_problems(sources, err)?;
    let Some(entry) = loaded.catalog.get(id) else {
        return unknown_id(&loaded.catalog, id, err);
    };
    let step = number.checked_sub(1).and_then(|i| entry.steps.get(i));
    let Some((step, run)) = step.and_then(|s| Some((s, s.run.as_deref()?))) else {
        let steps = plural(entry.steps.len(), "step");
        writeln!(err, "pagerbook: error: `{id}` has no command at step {number} (it has {steps})")?;
        return Ok(EXIT_PROBLEM);
    };
    if let Some((name, _)) = given.iter().find(|(name, _)| entry.var(name).is_none()) {
        writeln!(err, "pagerbook: error: `{id}` has no placeholder {{{{{name}}}}}")?;
        return Ok(EXIT_PROBLEM);
    }
    // As in the navigator's form: what a destructive step may act on is
    // never taken from a default; the person names it.
    let destructive = danger::destructive_reason(step.danger, run).is_some();
    let chosen_only = |name: &str| destructive && danger::is_target_name(name);
    let value_of = |name: &str| {
        given
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .or_else(|| if chosen_only(name) { None } else { entry.var(name)?.default.as_deref() })
    };
    for var in &entry.vars {
        let Some(value) = value_of(&var.name) else { continue };
        match var.check(value) {
            Ok(None) => {}
            Ok(Some(warning)) => writeln!(err, "pagerbook: warning: the value of {{{{{}}}}} {warning}", var.name)?,
            Err(problem) => {
                writeln!(err, "pagerbook: error: the value of {{{{{}}}}}: {problem}", var.name)?;
                return Ok(EXIT_PROBLEM);
            }
        }
    }
    match template::render(run, value_of) {
        Ok(command) => {
            if let Some(why) = danger::destructive_reason(step.danger, &command) {
                writeln!(err, "pagerbook: warning: this command is destructive ({why}): read it before you run it")?;
            }
            writeln!(out, "{command}")?;
            Ok(EXIT_OK)
        }
        Err(template::RenderError::Missing(name)) => {
            let about = entry.var(&name).map(|v| format!(" ({})", v.description)).unwrap_or_default();
            let why = if chosen_only(&name) && entry.var(&name).is_some_and(|v| v.default.is_some()) {
                "; a destructive step's target is never taken from its default"
            } else {
                ""
            };
            writeln!(err, "pagerbook: error: no value for {{{{{name}}}}}{about}: pass --var {name}=VALUE{why}")?;
            Ok(EXIT_PROBLEM)
        }
        Err(problem) => {
            writeln!(err, "pagerbook: error: {problem}")?;
            Ok(EXIT_PROBLEM)
        }
    }
}

/// Width plain-text output is wrapped to.
const TEXT_WIDTH: usize = 80;

/// An entry in full, for a plain terminal.
fn write_entry(shown: &Presentation<'_>, out: &mut dyn Write) -> io::Result<()> {
    let entry = shown.entry;
    writeln!(out, "{}: {}", entry.id(), entry.title())?;
    let mut facts = vec![entry.kind.noun().to_owned()];
    if let Some(layer) = entry.layer() {
        let title = shown.layer.map(|l| format!(" ({})", l.title)).unwrap_or_default();
        facts.push(format!("layer {layer}{title}"));
    }
    if let Some(component) = entry.text(TextField::Component) {
        facts.push(format!("component {component}"));
    }
    writeln!(out, "{}", facts.join(" · "))?;
    if entry.kind == Kind::Failure {
        let note = entry.text(TextField::FrequencyNote).map(|n| format!(" ({n})")).unwrap_or_default();
        let (frequency, severity) = (or_unknown(entry.frequency), or_unknown(entry.severity));
        writeln!(out, "frequency {frequency}{note} · severity {severity}")?;
    }
    for section in &shown.sections {
        match section {
            Section::Prose(heading, text) => {
                writeln!(out, "\n{heading}")?;
                for line in wrap(text, TEXT_WIDTH - 2) {
                    writeln!(out, "  {line}")?;
                }
            }
            Section::Steps(steps) => {
                writeln!(out, "\nSteps")?;
                for (i, step) in steps.iter().enumerate() {
                    write_step(i, step, out)?;
                }
            }
            Section::Items(heading, items) => {
                let bullet = if *heading == "Signals" { "- " } else { "" };
                write_list(out, heading, items.iter().map(|item| format!("{bullet}{item}")))?;
            }
            Section::Placeholders(vars) => {
                write_list(out, "Placeholders", vars.iter().map(|v| present::placeholder(v)))?;
            }
            Section::Links(heading, links) => {
                write_list(
                    out,
                    heading,
                    links.iter().map(|(_, linked)| format!("{}: {}", linked.id(), linked.title())),
                )?;
            }
        }
    }
    writeln!(out)?;
    if !shown.tags.is_empty() {
        writeln!(out, "tags: {}", shown.tags.join(", "))?;
    }
    if let Some(date) = shown.last_reviewed {
        writeln!(out, "last reviewed: {date}")?;
    }
    writeln!(out, "defined at {}", entry.origin)
}

/// Step `index` (0 is the first), numbered from 1, its marks and command
/// under the instruction.
fn write_step(index: usize, step: &catalog::Step, out: &mut dyn Write) -> io::Result<()> {
    let number = format!("{}. ", index + 1);
    let indent = " ".repeat(number.len() + 2);
    for (j, line) in wrap(&step.instruction, TEXT_WIDTH - indent.len()).iter().enumerate() {
        let lead = if j == 0 { format!("  {number}") } else { indent.clone() };
        writeln!(out, "{lead}{line}")?;
    }
    let Some(run) = &step.run else { return Ok(()) };
    let marks: Vec<String> = present::marks(step)
        .into_iter()
        .map(|mark| match mark {
            Mark::Danger(danger) => format!("danger: {danger}"),
            Mark::Interactive => "interactive".to_owned(),
            Mark::Lang(lang) => lang.to_owned(),
            Mark::Place(place) => format!("run from {place}"),
        })
        .collect();
    if !marks.is_empty() {
        writeln!(out, "{indent}[{}]", marks.join(", "))?;
    }
    for (j, line) in template::display(run).lines().enumerate() {
        let prompt = if j == 0 { "$ " } else { "  " };
        writeln!(out, "{indent}{prompt}{line}")?;
    }
    Ok(())
}

fn write_list(out: &mut dyn Write, heading: &str, items: impl ExactSizeIterator<Item = String>) -> io::Result<()> {
    if items.len() == 0 {
        return Ok(());
    }
    writeln!(out, "\n{heading}")?;
    for item in items {
        writeln!(out, "  {item}")?;
    }
    Ok(())
}

/// `check`: the catalogs' problems, after those of the config file when one is given.
fn check(
    sources: &[Source],
    options: &LoadOptions,
    config: Option<&Path>,
    format: Format,
    verbose: bool,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let mut loaded = catalog::load_with(sources, options);
    if let Some(path) = config {
        let (_, problems) = settings::Config::load(path);
        loaded.diagnostics.splice(0..0, problems);
    }
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &loaded.diagnostics)?;
            writeln!(out)?;
        }
        Format::Text => {
            if verbose {
                write_sources(&loaded, out)?;
                writeln!(out)?;
            }
            for diagnostic in &loaded.diagnostics {
                writeln!(out, "{diagnostic}")?;
            }
            // The context's files and entries are not what was checked.
            let files: usize = loaded.sources.iter().map(|s| s.files).sum();
            let entries: usize = loaded.sources.iter().map(|s| s.entries).sum();
            writeln!(
                out,
                "checked {}: {} loaded, {}",
                plural(files, "file"),
                plural(entries, "entry"),
                if loaded.diagnostics.is_empty() { "no problems".to_owned() } else { problem_count(&loaded) }
            )?;
        }
    }
    let has_errors = loaded.diagnostics.iter().any(|d| d.level == Level::Error);
    Ok(if has_errors { EXIT_PROBLEM } else { EXIT_OK })
}

fn write_sources(loaded: &Loaded, out: &mut dyn Write) -> io::Result<()> {
    for report in &loaded.sources {
        if report.present {
            writeln!(out, "{}: {}, {}", report.source, plural(report.files, "file"), plural(report.entries, "entry"))?;
        } else {
            writeln!(out, "{}: not present", report.source)?;
        }
    }
    Ok(())
}

fn sources_command(sources: &[Source], json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let loaded = catalog::load(sources);
    if json {
        serde_json::to_writer_pretty(&mut *out, &loaded.sources)?;
        writeln!(out)?;
    } else {
        write_sources(&loaded, out)?;
        if !loaded.diagnostics.is_empty() {
            writeln!(out, "problems: {} (run `pagerbook check`)", problem_count(&loaded))?;
        }
    }
    Ok(EXIT_OK)
}
