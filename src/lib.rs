//! pagerbook: a terminal runbook and failure-mode navigator.
//!
//! Module map (data flows catalog files → [`catalog::Catalog`] → output):
//! - [`catalog`]: the model, loading from every source, validation with
//!   `path:line:col` diagnostics. Pure: no terminal.
//! - [`clipboard`]: copying a command: OSC 52 over SSH, tmux or the
//!   platform's tool locally.
//! - [`danger`]: recognises destructive commands whatever the catalog says,
//!   and what must be typed to run one. Pure.
//! - [`present`]: one presentation of an entry (sections in reading order,
//!   step marks, layer groups) that the CLI and the navigator each render.
//!   Pure.
//! - [`search`]: the inverted index, query parsing, ranking and the matched
//!   ranges to highlight. Pure.
//! - [`settings`]: `config.toml` and the remembered placeholder values.
//! - [`suggest`]: a placeholder's live suggestions: its `suggest`
//!   command rendered, run to its timeout, its lines as the values offered.
//!   No terminal.
//! - [`template`]: `{{placeholder}}` parsing and rendering with shell-quoted
//!   values; inside, `nested_shells` counts the shells (ssh, watch, `sh -c`)
//!   that parse each placeholder and `value` checks a value. Pure.
//! - [`wrap`]: word wrapping by display width. Pure.
//! - [`wrappers`]: `sudo`, `env`, `timeout`… as data, for `template` and
//!   `whereabouts` alike. Pure.
//! - [`words`]: enums written as one of a fixed set of words. Pure.
//! - [`visible`]: control and deceptive characters made visible, and the
//!   writer the command line prints through, so no text acts on the
//!   terminal. Pure.
//! - [`highlight`]: syntect, loaded off the first frame's path, commands as
//!   ratatui lines, cached.
//! - [`runner`]: runs one shell command in its own process group, cleans its
//!   output (vte), kills what it leaves (DESIGN.md's `exec/`). No terminal.
//! - [`verify`]: a step's `verify` or `precheck` run to a verdict, polling
//!   until its deadline. No terminal.
//! - [`journal`]: the incident journal: records, the append-only file that
//!   survives a crash and a second writer, the incidents on this machine,
//!   each run's whole output, and the postmortem export.
//! - [`drill`]: walkthrough drills as they are played: what the game
//!   master released and the responder did (from the drill's journal), the
//!   wheel that picks the next scenario, `drill new`'s skeleton, the
//!   debrief. No terminal.
//! - [`editor`]: `$VISUAL`/`$EDITOR` and how each editor is told a line.
//!   Pure.
//! - [`export`]: entries as markdown pages (the four sections of the
//!   public runbook collections) from [`present`], which `import` reads
//!   back. Pure.
//! - [`import`]: markdown runbooks (pulldown-cmark) as catalog entries:
//!   sections, steps from code blocks, placeholders, links. Pure.
//! - [`whereabouts`]: where a final command will act (kube context and
//!   namespace, ssh hosts, programs not found, variables unset). Pure
//!   reading of the command; reads kubeconfig files and looks in `PATH`.
//! - [`diagnostic`]: problems in catalog and config files as data
//!   (`path:line:col`, level, the offending line) and did-you-mean. Pure.
//! - [`files`]: reading small files without blocking on a FIFO or filling
//!   memory. Touches the file system only.
//! - [`tui`]: the navigator, a thin terminal layer: state, actions, update
//!   (never the view), layout (what update and view share: the document,
//!   scrolling, popup geometry), keymap (the one binding table), strings,
//!   view, event loop.
//! - [`cli`]: the command line; each subcommand writes to a `&mut dyn Write`
//!   so tests can capture it.

pub mod catalog;
pub mod cli;
pub mod clipboard;
pub mod danger;
pub mod diagnostic;
pub mod drill;
pub mod editor;
pub mod export;
pub mod files;
pub mod highlight;
pub mod import;
pub mod journal;
pub mod present;
pub mod runner;
pub mod search;
pub mod settings;
pub mod suggest;
pub mod template;
pub mod toml_text;
pub mod tui;
pub mod verify;
pub mod visible;
pub mod whereabouts;
pub mod words;
pub mod wrap;
pub mod wrappers;
