//! pagerbook: a terminal runbook and failure-mode navigator.
//!
//! Module map (data flows catalog files → [`catalog::Catalog`] → output):
//! - [`catalog`]: the model, loading from every source, validation with
//!   `path:line:col` diagnostics. Pure: no terminal.
//! - [`danger`]: recognises destructive commands whatever the catalog says.
//!   Pure.
//! - [`search`]: the inverted index, query parsing, ranking and
//!   highlighting. Pure.
//! - [`template`]: `{{placeholder}}` parsing and rendering with shell-quoted
//!   values. Pure.
//! - [`wrap`]: word wrapping by display width. Pure.
//! - [`highlight`]: syntect, loaded off the first frame's path, commands as
//!   ratatui lines, cached.
//! - [`tui`]: the navigator, a thin terminal layer: state, actions, update,
//!   view, event loop.
//! - [`cli`]: the command line; each subcommand writes to a `&mut dyn Write`
//!   so tests can capture it.

pub mod catalog;
pub mod cli;
pub mod danger;
pub mod highlight;
pub mod search;
pub mod template;
pub mod tui;
pub mod wrap;
