//! What can happen to the navigator: keys resolved to intents, mouse events,
//! and results coming back from the search worker. `update` turns each into
//! a change of state and a list of effects for the loop to carry out.

use ratatui_textarea::Input;

use crate::search::{Query, Results};

/// One thing to apply to the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Leave the program.
    Quit,
    /// Back out one level: an overlay, then the detail, then a non-empty
    /// query, then the program.
    Back,
    /// Open the selected result's detail, with the keyboard in it.
    Open,
    /// Follow the selected link of the detail (and remember where we were).
    Follow,
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
    /// Restore the terminal and exit.
    Quit,
}
