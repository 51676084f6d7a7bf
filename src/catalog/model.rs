//! The catalog's data: layers, failure modes, runbooks (their steps in
//! `step`) and placeholder declarations, as loaded and checked. The field names mirror the TOML format
//! (docs/catalog-format.md), and the JSON output of `list` and `show` is their
//! serialisation, so renaming a field here changes a public contract.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::template::{self, ValueError};

pub use super::check::{Check, Checks};
use super::drill::Drill;
pub use super::entry::Entry;
pub use super::step::{DEFAULT_LANG, Step, is_shell_lang};
pub use crate::danger::Danger;

/// Everything loaded from the catalog sources: layers in edge-inward order and
/// entries (failure modes, then runbooks) in that same order.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Catalog {
    /// Layers sorted by `order`, nearest the edge first.
    pub layers: Vec<Layer>,
    /// Failure modes grouped by layer in edge-inward order, then runbooks.
    entries: Vec<Entry>,
    /// Positions in `entries`, sorted by id: following a link is a binary
    /// search, not a scan (a detail page with links at 100 000 entries
    /// went from 0.02 ms to 4 ms with scans).
    #[serde(skip)]
    by_id: Vec<u32>,
    /// Walkthrough drills, in file order.
    #[serde(skip)]
    pub(crate) drills: Vec<Drill>,
}

impl Catalog {
    /// A catalog of these layers and the entries `keep` says, put in
    /// edge-inward order. `by_id` is the entries' positions sorted by id;
    /// ids are unique (the loader drops duplicates before).
    #[must_use]
    pub(crate) fn new(mut layers: Vec<Layer>, entries: Vec<Entry>, keep: &[bool], by_id: Vec<u32>) -> Self {
        // Unsorted goes last whatever `order` a declared layer has.
        layers.sort_by(|a, b| {
            (a.id == UNSORTED_LAYER)
                .cmp(&(b.id == UNSORTED_LAYER))
                .then(a.order.cmp(&b.order))
                .then_with(|| a.id.cmp(&b.id))
        });
        // Failure modes by their layer's position (file order within a
        // layer: the sort is stable), runbooks last; an order of positions,
        // so the entries move once and the order by id follows them.
        let mut order: Vec<u32> = (0..entries.len()).filter(|&i| keep.get(i) != Some(&false)).map(to_u32).collect();
        order.sort_by_cached_key(|&i| {
            let entry = &entries[i as usize];
            let layer = entry.layer().and_then(|id| layers.iter().position(|l| l.id == id));
            (entry.kind, layer.unwrap_or(usize::MAX))
        });
        let mut moved_to = vec![u32::MAX; entries.len()];
        for (to, &from) in order.iter().enumerate() {
            moved_to[from as usize] = to_u32(to);
        }
        let mut slots: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
        let entries = order.iter().filter_map(|&i| slots[i as usize].take()).collect();
        let by_id = by_id.into_iter().map(|i| moved_to[i as usize]).filter(|&i| i != u32::MAX).collect();
        Catalog { layers, entries, by_id, drills: Vec::new() }
    }

    /// Failure modes grouped by layer in edge-inward order, then runbooks.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.position(id).map(|i| &self.entries[i])
    }

    /// The index of the entry with this id.
    #[must_use]
    pub fn position(&self, id: &str) -> Option<usize> {
        let found = self.by_id.binary_search_by(|&i| self.entries[i as usize].id().cmp(id)).ok()?;
        Some(self.by_id[found] as usize)
    }

    /// Ids close to one that is not in the catalog, nearest first: what the
    /// user probably meant.
    #[must_use]
    pub fn similar_ids(&self, id: &str) -> Vec<&str> {
        super::diagnostic::nearest(id, self.entries.iter().map(Entry::id), 3)
    }

    /// The walkthrough drills, in file order.
    #[must_use]
    pub fn drills(&self) -> &[Drill] {
        &self.drills
    }

    /// The drill with this id.
    #[must_use]
    pub fn drill(&self, id: &str) -> Option<&Drill> {
        self.drills.iter().find(|drill| drill.id == id)
    }

    /// The layer with this id.
    #[must_use]
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|layer| layer.id == id)
    }

    /// How many failure modes and runbooks there are: a bisection, since the
    /// runbooks come last (the status line asks on every frame).
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        let failures = self.entries.partition_point(|e| e.kind == Kind::Failure);
        (failures, self.entries.len() - failures)
    }
}

/// A position or count as the catalog's compact indexes store it.
pub(super) fn to_u32(position: usize) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
}

/// One ring of the system, from the edge (CDN, DNS) inward.
#[derive(Debug, Clone, Serialize)]
pub struct Layer {
    /// Identifier used by entries' `layer` field.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Position: lower is nearer the edge.
    pub order: i64,
    /// What belongs in this layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The layer of the failure modes that name none; it comes after every
/// declared layer, and no file may declare it.
pub const UNSORTED_LAYER: &str = "unsorted";

impl Layer {
    /// The layer of the failure modes that name none.
    #[must_use]
    pub fn unsorted() -> Layer {
        Layer {
            id: UNSORTED_LAYER.to_owned(),
            title: "Unsorted".to_owned(),
            order: i64::MAX,
            description: Some("Failure modes that name no layer yet.".to_owned()),
        }
    }
}

/// Whether an entry is a failure mode or a runbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Something that breaks: symptom, signals, recovery.
    Failure,
    /// A multi-step procedure.
    Runbook,
}

impl Kind {
    /// The word used in the TOML table name and in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Failure => "failure",
            Kind::Runbook => "runbook",
        }
    }
}

impl Kind {
    /// The noun for people: "failure mode" or "runbook".
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Failure => "failure mode",
            Kind::Runbook => "runbook",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where something was defined: a file and a line, for people to find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The path as shown in diagnostics (`<embedded>/…` for the built-in catalog).
    pub path: Arc<str>,
    /// 1-based line.
    pub line: u32,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

impl Var {
    /// Checks a value for this placeholder: [`template::check_value`] with
    /// the declared `pattern`, and one of the `choices` when there are any.
    /// Returns a warning for a value that is allowed but suspicious.
    ///
    /// # Errors
    /// Why the value is refused.
    pub fn check(&self, value: &str) -> Result<Option<&'static str>, ValueError> {
        let is_choice = self.choices.iter().any(|choice| choice == value);
        let warning = match template::check_value(value, self.pattern.as_deref()) {
            // A declared choice is allowed even as an option.
            Err(ValueError::Option) if is_choice => Some(template::LEADING_DASH_WARNING),
            checked => checked?,
        };
        if !self.choices.is_empty() && !is_choice {
            return Err(ValueError::NotAChoice(self.choices.join(", ")));
        }
        Ok(warning)
    }
}

/// A placeholder declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Var {
    /// The placeholder's name, as in `{{name}}`.
    #[serde(skip)]
    pub name: Box<str>,
    /// What the value is.
    pub description: String,
    /// The value offered when none was used before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Values offered in a list.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// A regex the whole value must match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// A password or token: never remembered, never written to disk, shown
    /// masked. Such a var has no `default` or `choices`, which would put the
    /// secret in the catalog file.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
    /// A command that lists the values to offer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggest: Option<Suggest>,
}

/// How a var's values are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggest {
    /// The command (`kubectl get nodes -o name`); it may use the other
    /// placeholders of the step.
    pub run: String,
    /// Only this column of each line, counting from 1, columns being
    /// separated by whitespace (`kubectl get pods` prints a table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Taken off the start of each line that has it (`node/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strip: Option<String>,
    /// How long it may take, in seconds, before its group is killed.
    pub timeout: u32,
}

impl Suggest {
    /// The timeout when the catalog names none: a cluster that does not
    /// answer in this long will not answer in time to help.
    pub const DEFAULT_TIMEOUT: u32 = 5;
}

crate::words::word_enum! {
    /// How often a failure happens, on an ordered scale.
    Frequency {
        /// Hardly ever (years apart).
        VeryRare = "very-rare",
        /// Seldom.
        Rare = "rare",
        /// Now and then.
        Occasional = "occasional",
        /// Often.
        Common = "common",
    }
}

crate::words::word_enum! {
    /// How much a failure hurts.
    Severity {
        /// Degraded, users hardly notice.
        Low = "low",
        /// Some users or features affected.
        Medium = "medium",
        /// Many users affected.
        High = "high",
        /// Outage or data at risk.
        Critical = "critical",
    }
}
