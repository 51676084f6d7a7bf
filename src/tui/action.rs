//! What can happen to the navigator: keys resolved to intents, mouse events,
//! and results coming back from the search worker. `update` turns each into
//! a change of state and a list of effects for the loop to carry out.

use ratatui_textarea::Input;

use super::command::{Output, StepKey};
use std::sync::Arc;

use crate::catalog::{Catalog, Check, Diagnostic, Suggest, Var};
use crate::clipboard::Copied;
use crate::journal::incidents::Incident;
use crate::journal::output::Printed;
use crate::journal::record::{Event, Milestone};
use crate::runner::{Outcome, Shell};
use crate::search::{Query, Results};
use crate::suggest::Listed;
use crate::verify::{CheckKind, Verified};
use crate::whereabouts::Whereabouts;

/// One thing to apply to the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Leave the program, asking first while commands run (Ctrl-C, `q`,
    /// Esc on an empty search).
    Quit,
    /// Leave now, killing what runs: a signal (its number), or the terminal
    /// went away (`None`).
    Terminate { signal: Option<i32> },
    /// The answer to the question on top (`y` is yes, any other key no).
    Answer(bool),
    /// Back out one level: an overlay, then the detail, then a non-empty
    /// query, then the program.
    Back,
    /// Open the selected result's detail, with the keyboard in it.
    Open,
    /// Enter in the detail: copy the selected step's command, or follow the
    /// selected link (remembering where we were).
    Choose,
    /// Select step N (counted from 1, as `show` and `cmd` number them) and
    /// bring it into view.
    SelectStep(usize),
    /// Return to the previous detail page, or to the results.
    HistoryBack,
    /// Move the selection by this many rows or items (negative is up).
    Move(i32),
    /// Move or scroll by this many pages (negative is up).
    Page(i32),
    /// Go to the first row or item.
    Home,
    /// Go to the last row or item.
    End,
    /// Show the keys and the query syntax.
    ShowHelp,
    /// Show every catalog problem.
    ShowProblems,
    /// Give the keyboard back to the search line.
    FocusSearch,
    /// Stop the program as the shell's Ctrl-Z would (`fg` resumes it).
    Suspend,
    /// A key for the search line (typing, deleting, moving the cursor).
    Edit(Input),
    /// A character typed outside the search line: it starts a new search.
    Type(char),
    /// Text pasted into the terminal.
    Paste(String),
    /// The mouse wheel turned over a cell, by this many lines.
    Scroll { column: u16, row: u16, lines: i32 },
    /// A click on a cell.
    Click { column: u16, row: u16 },
    /// The terminal has a new size.
    Resize { width: u16, height: u16 },
    /// The search worker finished a query.
    Searched(Box<Searched>),
    /// Something changed that only needs a new frame (highlighting loaded).
    Redraw,
    /// The clock's turn with no event: read the journal again (an
    /// incident's minute, a drill's poll).
    Tick,
    /// Run the selected step's command, through its placeholders and the
    /// confirmation (Ctrl-R).
    Run,
    /// Show the output of the selected step's last run (Ctrl-O).
    ShowOutput,
    /// The next field of the form.
    NextField,
    /// The previous field of the form.
    PrevField,
    /// Enter in the form or the confirmation.
    Submit,
    /// Stop the run shown (Ctrl-K in the output pane).
    Interrupt,
    /// The clipboard answered: how `text` was copied, or why not.
    Copied { text: String, report: Copied },
    /// Run `id` printed these lines (gathered since the last frame).
    RunOutput { id: u64, output: Output },
    /// Run `id` ended: the lines it printed since the last frame, then how
    /// it ended, and what it printed in all when an incident keeps it.
    RunExited { id: u64, last_output: Output, outcome: Outcome, printed: Option<Box<Printed>> },
    /// Run `id` could not start.
    RunFailed { id: u64, error: String },
    /// Where a command will act (the answer to [`Effect::LookUp`]).
    LookedUp(Box<LookedUp>),
    /// Run the selected step's verify again (Ctrl-E).
    Recheck,
    /// A check (a run's verify, a confirmation's precheck) came out.
    Checked(Box<Checked>),
    /// Open the incident panel (Ctrl-T).
    ShowIncident,
    /// Open an incident: its title is asked first.
    StartIncident,
    /// Close the open incident, once confirmed.
    CloseIncident,
    /// Add a note to the open incident's journal.
    AddNote,
    /// Mark a milestone of the open incident: when it was is asked first.
    SetMilestone(Milestone),
    /// The incident as the journal now reads, after an [`Effect::Journal`]
    /// or an [`Effect::Incident`].
    Incident(Box<IncidentNews>),
    /// List the focused field's values with its `suggest` (Ctrl-L).
    ListValues,
    /// A listing asked for by [`Effect::List`] came out.
    Listed(Box<(ListRequest, Listed)>),
    /// Open the selected entry's file at its line in the editor (F4).
    EditEntry,
    /// The catalog was read again (its files changed, or were edited).
    Reloaded(Box<Reloaded>),
}

/// The catalog as read again, with every problem to list.
#[derive(Debug, Clone, PartialEq)]
pub struct Reloaded {
    pub catalog: SharedCatalog,
    pub diagnostics: Vec<Diagnostic>,
}

/// A catalog as the loop hands it around (to the update, to the search
/// worker): two are equal when they are the same one.
#[derive(Debug, Clone)]
pub struct SharedCatalog(pub Arc<Catalog>);

impl PartialEq for SharedCatalog {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SharedCatalog {}

/// A suggestion to run off the loop: the answer comes back as
/// [`Action::Listed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    /// The form's step.
    pub key: StepKey,
    /// The field whose values are listed.
    pub field: String,
    /// The suggestion's command, the other values filled in.
    pub command: String,
    pub suggest: Suggest,
    /// The field's var, which checks each line.
    pub var: Var,
    /// The secrets' (name, value) the command uses: redacted from what it
    /// says when it fails.
    pub secrets: Vec<(String, String)>,
}

/// A check to run off the loop: the answer comes back as
/// [`Action::Checked`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRequest {
    /// Number of the check: its verdict goes where this number is awaited.
    pub id: u64,
    /// Whose.
    pub key: StepKey,
    /// The entry's id: the journal names it, whatever the catalog holds
    /// at that position by the time the verdict comes.
    pub entry: String,
    pub kind: CheckKind,
    /// The journal's name of the run it checks, for a verify.
    pub journal_as: Option<String>,
    /// The check's command, its placeholders filled as the step's were.
    pub command: String,
    /// The same, secrets redacted: what the journal keeps.
    pub shown: String,
    pub shell: Shell,
    pub check: Check,
    /// The secrets' (name, value), redacted from its output.
    pub secrets: Vec<(String, String)>,
}

/// How a check came out, or why it could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// What was asked, its secrets forgotten.
    pub request: CheckRequest,
    pub result: Result<Verified, String>,
}

/// What the journal says after a record or a change of incident.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentNews {
    /// The open incident, if any, with its records.
    pub incident: Option<Incident>,
    /// What went wrong, to say.
    pub problem: Option<String>,
    /// A run that no journal kept, since no incident is open.
    pub unrecorded_run: bool,
}

/// A change of incident, for the loop to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncidentChange {
    /// Read the journal again (it may have changed in another process).
    Refresh,
    /// Open an incident with this title.
    Start(String),
    /// Close the open one.
    Stop,
}

/// Where a command will act, looked up for the confirmation (and the
/// status line's kube context).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookedUp {
    /// The command looked at.
    pub command: String,
    /// What was found.
    pub whereabouts: Whereabouts,
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq)]
pub struct Searched {
    /// Which query this answers; older answers are dropped.
    pub generation: u64,
    /// The query as parsed, for highlighting.
    pub query: Query,
    /// The ranked hits.
    pub results: Results,
}

/// What the loop must do after an update: the update itself does no I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Search for this text; the answer comes back as [`Action::Searched`].
    Search {
        /// Number of this query; a later one makes it obsolete.
        generation: u64,
        /// The search line's text.
        text: String,
    },
    /// Restore the terminal and stop until `fg`.
    Suspend,
    /// Put this text on the clipboard; the answer comes back as
    /// [`Action::Copied`].
    Copy(String),
    /// Start run `id`: in the output pane, or in the terminal when
    /// `interactive`.
    Run {
        /// Number of the run.
        id: u64,
        /// Exactly what was confirmed.
        command: String,
        /// The command as shown: secrets masked (an interactive run prints
        /// it in the terminal).
        shown: String,
        /// The shell to run it with.
        shell: Shell,
        /// Hand the terminal over to it.
        interactive: bool,
        /// The run's name in the journal: its whole output goes to a file
        /// beside it while an incident is open.
        journal_as: String,
        /// The secrets' (name, value): redacted from its output before the
        /// output is shown or written.
        secrets: Vec<(String, String)>,
    },
    /// Stop run `id` (SIGINT, then TERM, then KILL, to its process group).
    Interrupt(u64),
    /// Write the remembered values to their file.
    SaveValues,
    /// Find out where this command would act (kube context, ssh hosts,
    /// programs not on `PATH`, unset variables); the answer comes back as
    /// [`Action::LookedUp`].
    LookUp(String),
    /// Turn mouse reporting on or off (off lets the terminal select text).
    MouseCapture(bool),
    /// Run a check.
    Check(Box<CheckRequest>),
    /// List a field's values; the answer comes back as [`Action::Listed`].
    List(Box<ListRequest>),
    /// Open `path` at `line` in the editor, handing it the terminal, then
    /// read the catalog again.
    EditFile { path: String, line: u32 },
    /// Search this catalog from now on (it was read again).
    SearchCatalog(SharedCatalog),
    /// Append this event to the open incident's journal, if one is open;
    /// the answer comes back as [`Action::Incident`].
    Journal(Box<Event>),
    /// Open, close or reread the incident; the answer comes back as
    /// [`Action::Incident`].
    Incident(IncidentChange),
    /// Restore the terminal and exit.
    Quit,
}
