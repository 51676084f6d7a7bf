//! The navigator's whole state, and the geometry both the update (paging,
//! mouse) and the view need: where each pane is, which rows the results
//! list shows.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui_textarea::TextArea;

use super::command::{Confirm, Form, RunState, StepKey};
use super::keymap::Context;
use super::theme::Theme;
use crate::catalog::{Catalog, Diagnostic};
use crate::journal::incidents::Incident;
use crate::journal::record::Milestone;
use crate::search::{Query, Results};
use crate::settings::Remembered;

pub use super::rows::{Row, Rows};

/// Narrower than this, results and detail show one at a time.
pub const WIDE: u16 = 100;
/// Smaller than this, only a "too small" notice shows.
pub const MIN_WIDTH: u16 = 30;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 8;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The search line and the results list.
    Results,
    /// An entry's detail.
    Detail,
}

/// A modal on top of the screen; the top one gets the keys.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// Keys and query syntax.
    Help {
        /// First line shown.
        scroll: usize,
    },
    /// Every catalog problem.
    Problems {
        /// First line shown.
        scroll: usize,
    },
    /// The placeholders of a step to copy or run.
    Form(Box<Form>),
    /// The exact command, before it runs.
    Confirm(Box<Confirm>),
    /// A run's output.
    Output {
        /// Whose.
        key: StepKey,
        /// First line shown; `None` follows the end.
        scroll: Option<usize>,
    },
    /// A command alone on the screen, to select with the mouse when no
    /// clipboard could be reached.
    SelectByHand(String),
    /// A yes/no question; `y` carries it out, any other key does not.
    Ask(Question),
    /// The open incident: its clock, milestones and latest records, and
    /// the keys for notes and milestones.
    Incident,
    /// A drill's briefing and what the game master has released.
    Drill {
        /// First line shown.
        scroll: usize,
    },
    /// One line to type: an incident's title, a note, a milestone's time.
    Prompt(Box<Prompt>),
}

/// A line asked for, and what it is for.
#[derive(Debug, Clone)]
pub struct Prompt {
    /// What the line is.
    pub asks: Asks,
    /// What is typed.
    pub input: TextArea<'static>,
}

/// What a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asks {
    /// The title of an incident to open.
    Title,
    /// A note for the journal.
    Note,
    /// When a milestone was reached (empty: now).
    When(Milestone),
}

/// What a question asks, and what yes does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Commands still run: stop them and quit?
    Quit,
    /// Close the open incident?
    CloseIncident,
}

/// A page of the detail: which entry, which item is selected, how far down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Index into the catalog's entries.
    pub entry: usize,
    /// Selected item (step or link), if any.
    pub item: Option<usize>,
    /// First line shown.
    pub scroll: usize,
}

/// The detail pane when it has the keyboard, with the pages it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// What is shown.
    pub page: Page,
    /// Pages to go back to, most recent last.
    pub history: Vec<Page>,
}

/// Everything the navigator shows and remembers.
/// Where Enter on a step sends its final command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyTo {
    Clipboard,
    /// `--print`: to the shell's prompt (standard output), and leave.
    Prompt,
}

pub struct AppState {
    /// The loaded catalog.
    pub catalog: Arc<Catalog>,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
    /// The search line.
    pub search: TextArea<'static>,
    /// The query the results answer.
    query: Query,
    /// The ranked hits for `query`.
    results: Results,
    /// The rows of the results list, laid out once per result set: every
    /// key and frame reads them.
    rows: Rows,
    /// The rows of the whole catalog edge inward, under its layers'
    /// headings: what a blank query shows, laid out once.
    browse_rows: Rows,
    /// Number of the latest query sent to the worker.
    pub generation: u64,
    /// Number of the query `results` answer.
    pub results_generation: u64,
    /// Enter was pressed before the results of the latest query arrived:
    /// open the first of them when they do.
    pub open_when_searched: bool,
    /// Selected hit (index into `results.hits`).
    pub selected: usize,
    /// First row of the results list shown.
    pub results_scroll: usize,
    /// Which pane has the keyboard.
    pub focus: Focus,
    /// The detail pane, when it has the keyboard.
    pub detail: Option<Detail>,
    /// Modals, topmost last.
    pub overlays: Vec<Overlay>,
    /// Colours.
    pub theme: Theme,
    /// The terminal's size.
    pub size: Rect,
    /// Running commands is off.
    pub read_only: bool,
    /// Over SSH, where OSC 52 is the expected way to the clipboard.
    pub over_ssh: bool,
    /// The last value used for each placeholder, per entry.
    pub remembered: Remembered,
    /// The last run of each step, this session.
    pub runs: BTreeMap<StepKey, RunState>,
    /// Number of the last run started.
    pub next_run: u64,
    /// Number of the last check started.
    pub next_check: u64,
    /// The time, as of the events being applied (for elapsed times).
    pub now: Instant,
    /// The wall clock, as of the events being applied (for when values
    /// were remembered).
    pub wall: SystemTime,
    /// Why the command being copied is destructive, for the clipboard's
    /// answer to say so.
    pub copy_warning: Option<&'static str>,
    /// A message for the status line, until the next key.
    pub flash: Option<String>,
    /// Where commands run (shown in the confirmation).
    pub working_dir: String,
    /// The signal that ended the navigator, for the exit status (128 + n).
    pub ended_by: Option<i32>,
    /// Where Enter on a step sends its final command.
    pub copy_to: CopyTo,
    /// The command handed to the shell's prompt, once one is.
    pub printed: Option<String>,
    /// The kube context and namespace a plain `kubectl` would use, for the
    /// status line: refreshed whenever a confirmation looks it up.
    pub kube: Option<String>,
    /// The open incident, as its journal read after the last record.
    pub incident: Option<Incident>,
    /// Runs no journal kept, with no incident open (the first says so).
    pub unrecorded_runs: u32,
    /// Names this navigator's runs in a journal, with their numbers: two
    /// navigators appending to one journal never name a run alike.
    pub session: String,
    /// The walkthrough drill being played: nothing runs.
    pub rehearsal: Option<super::rehearsal::Rehearsal>,
    /// The suggestion commands shown to the person this session: these
    /// run at the first `^L`.
    pub suggestions_seen: std::collections::HashSet<String>,
    /// The entry to select when the next results arrive: the one selected
    /// before the catalog was read again.
    pub reselect: Option<usize>,
    /// The catalog as read again while something was under way: shown
    /// once it has ended.
    pub pending_reload: Option<Box<super::action::Reloaded>>,
    /// The errors among the problems of the catalog shown: a reload with
    /// more keeps the catalog as it is.
    pub errors_shown: usize,
}

impl AppState {
    /// A new state showing every entry, edge inward.
    #[must_use]
    pub fn new(
        catalog: Arc<Catalog>,
        diagnostics: Vec<Diagnostic>,
        results: Results,
        theme: Theme,
        size: Rect,
    ) -> Self {
        let mut search = TextArea::default();
        search.set_placeholder_text("type a symptom or an error, or paste a log line");
        let errors_shown = crate::diagnostic::errors(&diagnostics);
        let browse_rows = Rows::browsing(&catalog, &results);
        AppState {
            catalog,
            diagnostics,
            search,
            rows: browse_rows.clone(),
            browse_rows,
            query: Query::default(),
            results,
            generation: 0,
            results_generation: 0,
            open_when_searched: false,
            selected: 0,
            results_scroll: 0,
            focus: Focus::Results,
            detail: None,
            overlays: Vec::new(),
            theme,
            size,
            read_only: false,
            over_ssh: false,
            remembered: Remembered::default(),
            runs: BTreeMap::new(),
            next_run: 0,
            next_check: 0,
            now: Instant::now(),
            wall: SystemTime::now(),
            copy_warning: None,
            flash: None,
            working_dir: ".".to_owned(),
            kube: None,
            ended_by: None,
            copy_to: CopyTo::Clipboard,
            printed: None,
            incident: None,
            unrecorded_runs: 0,
            // The pid alone repeats (across boots, in containers).
            session: format!(
                "p{}-{}",
                std::process::id(),
                SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())
            ),
            rehearsal: None,
            suggestions_seen: std::collections::HashSet::new(),
            reselect: None,
            pending_reload: None,
            errors_shown,
        }
    }

    /// Where the keyboard is, for the keymap.
    #[must_use]
    pub fn context(&self) -> Context {
        match self.overlays.last() {
            Some(Overlay::Form(_)) => Context::Form,
            Some(Overlay::Confirm(_)) => Context::Confirm,
            Some(Overlay::Output { .. }) => Context::Output,
            Some(Overlay::Ask(_)) => Context::Ask,
            Some(Overlay::Incident) => Context::Incident,
            Some(Overlay::Prompt(_)) => Context::Prompt,
            Some(_) => Context::Overlay,
            None if self.focus == Focus::Detail => Context::Detail,
            None => Context::Main,
        }
    }

    /// How long the open incident has been open, by the wall clock.
    #[must_use]
    pub fn incident_elapsed(&self) -> Option<std::time::Duration> {
        let opened = self.incident.as_ref()?.opened_at();
        let opened = time::OffsetDateTime::parse(opened, &time::format_description::well_known::Rfc3339).ok()?;
        let elapsed = time::OffsetDateTime::from(self.wall) - opened;
        Some(elapsed.try_into().unwrap_or_default())
    }

    /// The runs still going, oldest first.
    pub fn running(&self) -> impl Iterator<Item = &RunState> {
        let mut running: Vec<&RunState> = self.runs.values().filter(|run| run.running()).collect();
        running.sort_by_key(|run| run.id);
        running.into_iter()
    }

    /// Shows a message on the status line until the next key.
    pub fn flash(&mut self, message: &str) {
        self.flash = Some(message.to_owned());
    }

    /// The search line's text.
    #[must_use]
    pub fn search_text(&self) -> String {
        self.search.lines().join(" ")
    }

    /// The entry the detail pane shows: the page with the keyboard, else the
    /// selected result (wide screens preview it).
    #[must_use]
    pub fn shown_entry(&self) -> Option<usize> {
        match &self.detail {
            Some(detail) => Some(detail.page.entry),
            None => self.results.hits.get(self.selected).map(|hit| hit.entry),
        }
    }

    /// Where everything goes on the screen.
    #[must_use]
    pub fn screen(&self) -> Screen {
        Screen::new(self.size, self.focus, self.rehearsal.is_some())
    }

    /// The query the results answer.
    #[must_use]
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// The ranked hits for the query.
    #[must_use]
    pub fn results(&self) -> &Results {
        &self.results
    }

    /// Shows the results of a query, laying out their rows.
    pub fn show(&mut self, query: Query, results: Results) {
        // A blank query lists the whole catalog in its own order: the rows
        // laid out at start.
        debug_assert!(!query.is_blank() || results.hits.len() == self.browse_rows.hits());
        self.rows = if query.is_blank() { self.browse_rows.clone() } else { Rows::ranked(&results) };
        self.query = query;
        self.results = results;
    }

    /// A catalog read again, listed in its own order until the query's
    /// answer over it comes.
    pub fn replace_catalog(&mut self, catalog: Arc<Catalog>, diagnostics: Vec<Diagnostic>) {
        let results = Results::browse(&catalog);
        self.browse_rows = Rows::browsing(&catalog, &results);
        self.catalog = catalog;
        self.diagnostics = diagnostics;
        self.show(Query::default(), results);
    }

    /// The rows of the results list.
    #[must_use]
    pub fn rows(&self) -> &Rows {
        &self.rows
    }
}

/// The areas of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    /// The whole terminal.
    pub area: Rect,
    /// A drill's line, above the search line, while one is played.
    pub banner: Option<Rect>,
    /// The search line.
    pub search: Rect,
    /// The results list (inside its border), when shown.
    pub results: Option<Rect>,
    /// The detail pane (inside its border), when shown.
    pub detail: Option<Rect>,
    /// The status line.
    pub status: Rect,
    /// Too small for anything but a notice.
    pub too_small: bool,
}

impl Screen {
    /// Lays out a terminal of this size: side by side when wide, one pane at
    /// a time (the one with the keyboard) when narrow.
    #[must_use]
    pub fn new(area: Rect, focus: Focus, banner: bool) -> Screen {
        let too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
        let banner_rows = u16::from(banner);
        let [top, search, body, status] = Layout::vertical([
            Constraint::Length(banner_rows),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        let banner = banner.then_some(top);
        let inner = |r: Rect| Rect {
            x: r.x + 1,
            y: r.y + 1,
            width: r.width.saturating_sub(2),
            height: r.height.saturating_sub(2),
        };
        let (results, detail) = if too_small {
            (None, None)
        } else if area.width >= WIDE {
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
            (Some(inner(left)), Some(inner(right)))
        } else if focus == Focus::Detail {
            (None, Some(inner(body)))
        } else {
            (Some(inner(body)), None)
        };
        Screen { area, banner, search, results, detail, status, too_small }
    }
}
