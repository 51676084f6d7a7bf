//! The navigator: a thin terminal layer over the library. The Elm shape: a
//! key becomes an [`action::Action`], [`update::update`] changes the
//! [`state::AppState`] and returns effects, [`view::render`] draws the state.
//!
//! - `action`: actions and effects; `keymap`: keys to actions, as data;
//! - `state`: the one state and the screen geometry, `rows` the results
//!   list's rows; `update`: no I/O;
//!   `command`: the form, confirmation and runs of a step's command;
//! - `layout`: what the update and the view both need (an entry's document,
//!   overlay geometry, the lines of scrolled panes): `update` never imports
//!   `view`;
//! - `view`: rendering; `theme`: colours; `event`: the loop; `feeds`: the
//!   threads that feed it (input, signals, the search worker);
//!   `terminal`: taking and restoring the terminal; `journaling`: the
//!   incident journal's writes the loop makes; `watch`: reading the
//!   catalog again when its files change or the editor is done.

pub mod action;
pub mod command;
pub mod event;
mod feeds;
pub mod gm;
pub mod journaling;
pub mod keymap;
pub mod layout;
pub mod rehearsal;
mod rows;
pub mod state;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;
mod watch;

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;

use ratatui::layout::Rect;

use crate::catalog::{Diagnostic, Loaded};
use crate::clipboard;
use crate::search::Results;
use crate::settings::Remembered;
use state::AppState;
use theme::Theme;

/// How the navigator starts.
pub struct Options {
    /// Colours for a light background.
    pub light: bool,
    /// Never run commands (`--read-only`, or `read_only` in the config).
    pub read_only: bool,
    /// The remembered placeholder values' file.
    pub values_path: Option<PathBuf>,
    /// A message for the first frame (a broken config file).
    pub notice: Option<String>,
    /// The query typed when the navigator opens (`pagerbook QUERY…`).
    pub query: String,
    /// Problems outside the catalog (config.toml), listed with the
    /// catalog's in the problems overlay.
    pub problems: Vec<Diagnostic>,
    /// Where incidents' journals are kept (a drill's, when one is played).
    pub incidents_dir: Option<PathBuf>,
    /// The walkthrough drill played: nothing runs, the briefing shows first.
    pub drill: Option<Drilled>,
    /// `--print`: draw on the terminal itself, run nothing, and hand the
    /// command chosen with Enter to the caller instead of copying it.
    pub print: bool,
    /// Where the catalog came from: watched, and read again when it changes.
    pub sources: Vec<crate::catalog::Source>,
    /// config.toml's `[keys]`.
    pub keys: Vec<crate::settings::Rebinding>,
}

/// How the navigator ended.
#[derive(Debug, Default)]
pub struct Ended {
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    /// With `--print`, the final command chosen.
    pub printed: Option<String>,
}

/// A drill played in the navigator: its scenario and its journal's id.
pub struct Drilled {
    pub drill: Arc<crate::catalog::Drill>,
    pub journal: String,
}

/// Why the navigator could not start.
#[derive(Debug)]
pub enum Unavailable {
    /// Standard output is not a terminal, or `TERM=dumb`.
    NotATerminal(&'static str),
    /// The terminal failed.
    Io(io::Error),
}

impl From<io::Error> for Unavailable {
    fn from(err: io::Error) -> Self {
        Unavailable::Io(err)
    }
}

/// Whether the navigator (or the game master's view) can run here.
///
/// # Errors
/// Standard input or output is not a terminal, or `TERM=dumb`.
pub fn terminal_at_hand() -> Result<(), Unavailable> {
    keys_at_hand()?;
    if !io::stdout().is_terminal() {
        return Err(Unavailable::NotATerminal("the navigator needs a terminal"));
    }
    Ok(())
}

/// A terminal to read keys from, one that can show the navigator.
fn keys_at_hand() -> Result<(), Unavailable> {
    if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        return Err(Unavailable::NotATerminal("TERM=dumb cannot show the navigator"));
    }
    if !io::stdin().is_terminal() {
        return Err(Unavailable::NotATerminal("the navigator needs a terminal"));
    }
    Ok(())
}

/// `--print` needs a terminal to read keys from and draw on; standard
/// output may be anything.
fn print_at_hand() -> Result<(), Unavailable> {
    keys_at_hand()?;
    terminal::draw_on_the_terminal().map_err(|_| Unavailable::NotATerminal("the navigator needs a terminal"))
}

/// The colours for this terminal (`NO_COLOR`, `COLORTERM`, `TERM`).
fn theme_for(light: bool) -> Theme {
    let env = |name: &str| std::env::var(name).ok();
    Theme::detect(light, env("NO_COLOR").as_deref(), env("COLORTERM").as_deref(), env("TERM").as_deref())
}

/// Opens the navigator on a loaded catalog and runs it until the user quits.
pub fn run(loaded: Loaded, options: &Options) -> Result<Ended, Unavailable> {
    if options.print {
        // Standard output is the shell's `$(…)`: the frames go to the terminal.
        print_at_hand()?;
    } else {
        terminal_at_hand()?;
    }
    let theme = theme_for(options.light);
    // The first frame lists the catalog; the index is built on the search
    // worker meanwhile, so start-up does not wait for it.
    let catalog = Arc::new(loaded.catalog);
    let results = Results::browse(&catalog);
    // What a step leaves running in the background is ended with pagerbook
    // (the watchdog for a SIGKILL starts after the first frame).
    crate::runner::adopt_orphans();
    let mut terminal = terminal::init()?;
    let size = terminal.size().map(|s| Rect::new(0, 0, s.width, s.height)).unwrap_or_default();
    // Problems outside the catalog, listed again with each reload's.
    let mut problems: Vec<Diagnostic> = options.problems.clone();
    let key_problems = keymap::configure(&options.keys);
    problems.extend(key_problems.iter().cloned());
    let diagnostics = problems.iter().cloned().chain(loaded.diagnostics).collect();
    let mut state = AppState::new(catalog.clone(), diagnostics, results, theme, size);
    let place = clipboard::Place::from_process();
    // Nothing runs where the command is for the shell's prompt.
    state.read_only = options.read_only || options.print;
    if options.print {
        state.copy_to = state::CopyTo::Prompt;
    }
    state.working_dir = std::env::current_dir().map_or_else(|_| ".".to_owned(), |d| d.display().to_string());
    state.over_ssh = place.ssh;
    state.flash.clone_from(&options.notice);
    if !key_problems.is_empty() {
        state.flash.get_or_insert_with(|| strings::KEYS_NOT_ALL_APPLIED.to_owned());
    }
    state.search.insert_str(&options.query);
    if let Some(drilled) = &options.drill {
        rehearsal::begin(&mut state, drilled.drill.clone());
    }
    if let Some(path) = &options.values_path {
        let (remembered, problem) = Remembered::load(path, std::time::SystemTime::now());
        state.remembered = remembered;
        if let Some(problem) = problem {
            state.flash.get_or_insert_with(strings::values_not_read);
            state.diagnostics.insert(0, problem.clone());
            problems.insert(0, problem);
        }
    }
    let setup = event::Setup {
        clipboard: clipboard::plan(place),
        values_path: options.values_path.clone(),
        incidents: options.incidents_dir.clone().map(crate::journal::incidents::Incidents::new),
        user: crate::journal::user(),
        rehearsal: options.drill.is_some(),
        drill_journal: options.drill.as_ref().map(|drilled| drilled.journal.clone()),
        sources: options.sources.clone(),
        problems,
    };
    let outcome = event::run(&mut terminal, &mut state, catalog, &setup);
    terminal::restore();
    crate::runner::kill_all();
    outcome?;
    Ok(Ended { signal: state.ended_by, printed: state.printed })
}
