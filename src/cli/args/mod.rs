//! The command line's definitions: clap structs, help texts, value parsers.

use std::path::PathBuf;

use crate::journal::record::Milestone;
use clap::{Parser, Subcommand, ValueEnum};

use super::shell::entry_ids;

mod drill;
use drill::DRILL_HELP;
pub use drill::DrillCommand;

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

    /// Colours of the navigator for a dark or a light terminal background
    /// (`drill run` and `drill gm` take it too).
    #[arg(long, value_enum, default_value_t = ThemeChoice::Dark)]
    pub theme: ThemeChoice,

    /// Never run commands from the navigator; copying still works (for drills
    /// on a shared screen). Also `read_only = true` in config.toml.
    #[arg(long)]
    pub read_only: bool,

    /// The navigator for a shell's widget: Enter on a step prints its final
    /// command (placeholders filled and quoted) and leaves; nothing runs.
    /// Exit 1 when nothing was chosen. See `pagerbook widget`.
    #[arg(long)]
    pub print: bool,

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
        #[arg(add = entry_ids())]
        id: String,
        /// Print the entry as JSON.
        #[arg(long)]
        json: bool,
        /// Colour the headings, commands and danger: at a terminal (auto,
        /// unless `NO_COLOR` is set), always, or never. At a terminal, an
        /// entry taller than the screen goes through $PAGER (less -R).
        #[arg(long, value_enum, default_value_t = super::reading::ColorChoice::Auto)]
        color: super::reading::ColorChoice,
    },
    /// Open an entry's file at its line in $VISUAL or $EDITOR (vi if neither
    /// is set), then check the file.
    #[command(
        after_help = "Examples:\n  pagerbook edit core-switch-flapping\n  EDITOR='code -w' pagerbook edit core-switch-flapping"
    )]
    Edit {
        /// The entry's id.
        #[arg(add = entry_ids())]
        id: String,
    },
    /// Search failure modes and runbooks: words, a symptom, or a pasted log line.
    #[command(after_help = SEARCH_HELP)]
    Search {
        /// What you see: words (any may match, typos tolerated), "a phrase", !excluded,
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
        #[arg(add = entry_ids())]
        id: String,
        /// The step's number, as `show` numbers them (1 is the first).
        step: usize,
        /// A placeholder's value (repeatable); others take their default.
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
    },
    /// Validate catalog files; exit 1 when there are errors.
    #[command(
        after_help = "Examples:\n  pagerbook check                 the catalogs in use\n  pagerbook check ./team          ./team as it loads beside the catalogs in use\n  pagerbook check --strict        also what a reviewed entry should have\n  pagerbook check --format json   for editors and CI"
    )]
    Check {
        /// Files or directories to check, as they load after the catalogs in use
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
    /// Keep a journal of an incident: what was opened, copied and run, notes
    /// and milestones, for the postmortem's timeline.
    #[command(
        subcommand,
        after_help = "Examples:\n  pagerbook incident start \"Checkout 5xx\"\n  pagerbook incident list\n  pagerbook incident show 2026-12-01-03-12-checkout-5xx\n  pagerbook incident stop\n  pagerbook incident export 2026-12-01-03-12-checkout-5xx > postmortem.md\n  pagerbook incident export ID --with ~/bob-incident.jsonl"
    )]
    Incident(IncidentCommand),
    /// Convert markdown runbooks (prometheus-operator's, openshift's, or
    /// any with Meaning / Impact / Diagnosis / Mitigation) into catalog files.
    #[command(after_help = IMPORT_HELP)]
    Import {
        /// Markdown files or directories of them.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Where to write the catalog files (default: `imported/` in the user
        /// catalog directory, where the navigator reads them).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Which collection the pages come from, for their references.
        #[arg(long, value_enum, default_value_t = ImportFormat::Auto)]
        format: ImportFormat,
    },
    /// Print the script that makes a shell complete pagerbook's subcommands,
    /// flags and the catalog's ids.
    #[command(
        after_help = "Install:\n  bash:  echo 'source <(pagerbook completions bash)' >> ~/.bashrc\n  zsh:   echo 'source <(pagerbook completions zsh)' >> ~/.zshrc\n  fish:  pagerbook completions fish > ~/.config/fish/completions/pagerbook.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Print a shell snippet binding Ctrl-G to the navigator: what is typed
    /// at the prompt is its query, and Enter on a step replaces it with the
    /// step's final command, to edit or run (Esc leaves the prompt as it was).
    #[command(
        after_help = "Install:\n  bash:  echo 'source <(pagerbook widget bash)' >> ~/.bashrc\n  zsh:   echo 'source <(pagerbook widget zsh)' >> ~/.zshrc\n  fish:  pagerbook widget fish > ~/.config/fish/conf.d/pagerbook.fish"
    )]
    Widget {
        /// The shell.
        #[arg(value_enum)]
        shell: WidgetShell,
    },
    /// Print the manual page (roff): `mkdir -p ~/.local/share/man/man1 &&
    /// pagerbook man > ~/.local/share/man/man1/pagerbook.1`.
    Man,
    /// Write entries as markdown pages (Meaning, Impact, Diagnosis,
    /// Mitigation) for GitHub, Hugo or a printout.
    #[command(
        after_help = "Examples:\n  pagerbook export coredns-down\n  pagerbook export --out ./printout          every entry, and _index.md\n  pagerbook --catalog ./team export --out ./wiki"
    )]
    Export {
        /// The entries (default: every one).
        #[arg(add = entry_ids())]
        ids: Vec<String>,
        /// Only `md` is written.
        #[arg(long, value_enum, default_value_t = PageFormat::Md)]
        format: PageFormat,
        /// Write one file per entry, and an index, into DIR (default: the
        /// pages to standard output).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Walkthrough drills: a responder works a scenario in the navigator
    /// (nothing runs), a game master releases what they would see.
    #[command(subcommand, after_help = DRILL_HELP)]
    Drill(DrillCommand),
    /// Show which catalog sources were read and what each gave.
    #[command(after_help = "Examples:\n  pagerbook sources\n  PAGERBOOK_CATALOG=./team pagerbook sources")]
    Sources {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The shells `completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

/// The shells `widget` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WidgetShell {
    Bash,
    Zsh,
    Fish,
}

/// What `pagerbook incident` does.
#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Open an incident's journal (one is open at a time).
    Start {
        /// What is happening, in a few words.
        #[arg(required = true, value_name = "TITLE")]
        title: Vec<String>,
    },
    /// Close the open incident.
    Stop,
    /// Add a note to the open incident (one that starts `TODO:` is an
    /// action item).
    Note {
        /// The note.
        #[arg(required = true, value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Mark a milestone of the open incident: detected, acknowledged,
    /// diagnosed, mitigated or resolved.
    Milestone {
        /// Which.
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(Milestone::ALL.map(Milestone::word)))]
        milestone: String,
        /// When it was reached, if not now: HH:MM (UTC), `15m ago`, or an
        /// RFC 3339 time.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// List the incidents, oldest first.
    List,
    /// Show an incident's journal.
    Show {
        /// The incident's id, as `incident list` gives it.
        id: String,
    },
    /// Print the postmortem's first draft: header, measurements, timeline,
    /// commands run, action items (markdown), or the records (JSON).
    Export {
        /// The incident's id, as `incident list` gives it.
        id: String,
        /// `md` for the postmortem page, `json` for the records as an array.
        #[arg(long, value_enum, default_value_t = ExportFormat::Md)]
        format: ExportFormat,
        /// Another responder's journal of the same incident (its .jsonl
        /// file), merged in by time; may be given more than once.
        #[arg(long = "with", value_name = "JOURNAL")]
        with: Vec<std::path::PathBuf>,
    },
}

const IMPORT_HELP: &str = "\
Examples:
  pagerbook import ./runbooks --out ./team/imported
  pagerbook check ./team/imported
  pagerbook --catalog ./team search KubePodCrashLooping

Each page becomes one failure mode: its H1 the alert (id, signal, tag), Meaning the
symptom, Impact the impact, Diagnosis and Mitigation the steps (one per code block, the
list item or paragraph before it as what to do), other sections kept as prose. What
could not be carried over as it was is a warning at its place in the markdown.";

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PageFormat {
    /// Markdown.
    Md,
}

/// Which collection `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Guess from the page (front matter, `content/runbooks/`, `alerts/`).
    Auto,
    /// github.com/prometheus-operator/runbooks.
    PrometheusOperator,
    /// github.com/openshift/runbooks.
    Openshift,
}

/// Output format of `incident export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A markdown postmortem page.
    Md,
    /// The records as a JSON array.
    Json,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: level: message` with the offending line.
    Text,
    /// A JSON array of diagnostics.
    Json,
}
