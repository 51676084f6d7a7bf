//! The catalog: its model, loading from every source, and validation that
//! reports each problem at its place instead of stopping at the first.

// Problems and did-you-mean live at the top: settings report with them too.
pub(crate) use crate::diagnostic;
mod check;
mod drill;
mod entry;
pub(crate) mod load;
mod model;
mod parse;
mod prebuilt;
mod review;
pub mod schema;
mod step;
mod validate;
mod walk;

pub use check::{parse_seconds, seconds_text};
pub use diagnostic::{Diagnostic, Level, Snippet};
pub use drill::{Difficulty, Drill, Inject, MOST_RELEASED_BY_HAND, Reveal, RevealOn, StepRef};
pub use entry::{EntryData, ListField, TextField};
pub use load::{EMBEDDED_PREFIX, LoadOptions, Loaded, Source, SourceReport, load, load_with, user_catalog_dir};
pub use model::{
    Catalog, Check, Checks, DEFAULT_LANG, Danger, Entry, Frequency, Kind, Layer, Origin, Severity, Step, Suggest,
    UNSORTED_LAYER, Var, is_shell_lang,
};
pub use review::Review;
pub use walk::files_under;
