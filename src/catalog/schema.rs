//! The catalog format, declared once: every key of every kind of table, what
//! it holds, where it may stand, whether it is required and why a reviewed
//! entry should have it. The reader's unknown-key check, its text and list
//! fields, `check --strict`, the JSON of `show`, and a test of
//! docs/catalog-format.md all walk this table, so a new field is one row
//! (plus its line in the docs, which the test asks for).

use super::entry::{ListField, TextField};
use super::model::Kind;

/// A kind of TOML table in a catalog file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// The file itself.
    File,
    /// `[[layer]]`.
    Layer,
    /// `[[failure]]`.
    Failure,
    /// `[[runbook]]`.
    Runbook,
    /// `[[failure.steps]]` and `[[runbook.steps]]`.
    Step,
    /// `[vars.NAME]`, at the top of a file or in an entry.
    Var,
    /// A step's `verify` or `precheck` table.
    Check,
    /// `[[drill]]`.
    Drill,
    /// `[[drill.reveals]]`.
    Reveal,
    /// `[[drill.injects]]`.
    Inject,
    /// `[[drill.hints]]`.
    Hint,
}

/// What a key holds, and for an entry's text and lists, where it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// A string kept in the entry (title, symptom, recovery…).
    Text(TextField),
    /// A TOML date kept as written (`last_reviewed`).
    Date(TextField),
    /// A list of strings kept in the entry (signals, tags, links…).
    List(ListField),
    /// Read by the reader's own code: ids, layers, ratings, steps, vars,
    /// flags, and the fields of layers, steps and vars.
    Own,
}

/// One key of the format.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// The key as written.
    pub key: &'static str,
    /// The tables it may stand in.
    pub tables: &'static [Table],
    /// What it holds.
    pub holds: Holds,
    /// Whether the table is invalid without it (for entries: an entry
    /// without it is left out).
    pub required: bool,
    /// For `check --strict`: why a reviewed entry should have it.
    pub review: Option<&'static str>,
}

const ENTRIES: &[Table] = &[Table::Failure, Table::Runbook];
const FAILURE: &[Table] = &[Table::Failure];

const fn field(key: &'static str, tables: &'static [Table], holds: Holds) -> Key {
    Key { key, tables, holds, required: false, review: None }
}

const fn required(key: &'static str, tables: &'static [Table], holds: Holds) -> Key {
    Key { key, tables, holds, required: true, review: None }
}

const fn reviewed(key: &'static str, tables: &'static [Table], holds: Holds, why: &'static str) -> Key {
    Key { key, tables, holds, required: false, review: Some(why) }
}

/// Every key, entries' keys in the order `show --json` writes them.
pub const FIELDS: &[Key] = &[
    field("layer", &[Table::File], Holds::Own),
    field("failure", &[Table::File], Holds::Own),
    field("runbook", &[Table::File], Holds::Own),
    field("drill", &[Table::File], Holds::Own),
    field("vars", &[Table::File, Table::Failure, Table::Runbook], Holds::Own),
    required("id", &[Table::Layer, Table::Failure, Table::Runbook, Table::Drill], Holds::Own),
    required("title", &[Table::Layer, Table::Drill], Holds::Own),
    required("order", &[Table::Layer], Holds::Own),
    field("description", &[Table::Layer, Table::Var], Holds::Own),
    required("title", ENTRIES, Holds::Text(TextField::Title)),
    field("aliases", ENTRIES, Holds::List(ListField::Aliases)),
    reviewed("layer", FAILURE, Holds::Own, ", so it is listed under Unsorted"),
    field("layer", &[Table::Runbook], Holds::Own),
    required("symptom", FAILURE, Holds::Text(TextField::Symptom)),
    required("summary", &[Table::Runbook], Holds::Text(TextField::Summary)),
    reviewed("impact", FAILURE, Holds::Text(TextField::Impact), ": who and what is affected, and how badly"),
    field("component", FAILURE, Holds::Text(TextField::Component)),
    reviewed(
        "signals",
        FAILURE,
        Holds::List(ListField::Signals),
        ": the log lines and alerts people paste, which search matches",
    ),
    reviewed("recovery", FAILURE, Holds::Text(TextField::Recovery), ": what heals by itself, and what we do"),
    field("detection", FAILURE, Holds::Text(TextField::Detection)),
    field("prevention", FAILURE, Holds::Text(TextField::Prevention)),
    reviewed("frequency", FAILURE, Holds::Own, " (very-rare, rare, occasional or common), so it shows as unknown"),
    field("frequency_note", FAILURE, Holds::Text(TextField::FrequencyNote)),
    reviewed("severity", FAILURE, Holds::Own, " (low, medium, high or critical), so it shows as unknown"),
    field("tags", ENTRIES, Holds::List(ListField::Tags)),
    field("related", FAILURE, Holds::List(ListField::Related)),
    field("runbooks", FAILURE, Holds::List(ListField::Runbooks)),
    field("references", ENTRIES, Holds::List(ListField::References)),
    reviewed(
        "last_reviewed",
        ENTRIES,
        Holds::Date(TextField::LastReviewed),
        ": the date someone last checked it against the system (YYYY-MM-DD)",
    ),
    field("steps", ENTRIES, Holds::Own),
    field("replaces", ENTRIES, Holds::Own),
    required("do", &[Table::Step], Holds::Own),
    field("run", &[Table::Step], Holds::Own),
    field("lang", &[Table::Step], Holds::Own),
    field("danger", &[Table::Step], Holds::Own),
    field("interactive", &[Table::Step], Holds::Own),
    field("where", &[Table::Step], Holds::Own),
    field("precheck", &[Table::Step], Holds::Own),
    field("verify", &[Table::Step], Holds::Own),
    field("example_output", &[Table::Step], Holds::Own),
    required("run", &[Table::Check], Holds::Own),
    field("expect_exit", &[Table::Check], Holds::Own),
    field("stdout_matches", &[Table::Check], Holds::Own),
    field("every", &[Table::Check], Holds::Own),
    field("within", &[Table::Check], Holds::Own),
    field("pass", &[Table::Check], Holds::Own),
    field("fail", &[Table::Check], Holds::Own),
    required("description", &[Table::Var], Holds::Own),
    field("default", &[Table::Var], Holds::Own),
    field("choices", &[Table::Var], Holds::Own),
    field("pattern", &[Table::Var], Holds::Own),
    field("secret", &[Table::Var], Holds::Own),
    field("suggest", &[Table::Var], Holds::Own),
    field("suggest_column", &[Table::Var], Holds::Own),
    field("suggest_strip", &[Table::Var], Holds::Own),
    field("suggest_timeout", &[Table::Var], Holds::Own),
    required("failure", &[Table::Drill], Holds::Own),
    required("briefing", &[Table::Drill], Holds::Own),
    field("difficulty", &[Table::Drill], Holds::Own),
    field("diagnose_within", &[Table::Drill], Holds::Own),
    field("mitigate_within", &[Table::Drill], Holds::Own),
    field("expected", &[Table::Drill], Holds::Own),
    field("notes", &[Table::Drill], Holds::Own),
    field("red_herrings", &[Table::Drill], Holds::Own),
    field("reveals", &[Table::Drill], Holds::Own),
    field("injects", &[Table::Drill], Holds::Own),
    field("hints", &[Table::Drill], Holds::Own),
    required("on", &[Table::Reveal], Holds::Own),
    field("after", &[Table::Inject], Holds::Own),
    field("note", &[Table::Inject], Holds::Own),
    required("text", &[Table::Reveal, Table::Inject, Table::Hint], Holds::Own),
];

impl Table {
    /// The table an entry of this kind is written in.
    #[must_use]
    pub fn of(kind: Kind) -> Table {
        match kind {
            Kind::Failure => Table::Failure,
            Kind::Runbook => Table::Runbook,
        }
    }
}

/// The fields of one kind of table, in the table's order.
pub fn fields(table: Table) -> impl Iterator<Item = &'static Key> {
    FIELDS.iter().filter(move |field| field.tables.contains(&table))
}

/// The keys one kind of table may hold.
#[must_use]
pub fn keys(table: Table) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = fields(table).map(|field| field.key).collect();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/catalog-format.md documents every key where the table stands:
    /// the reference of a format is its documentation.
    #[test]
    fn the_format_documentation_has_every_key_of_every_table() {
        let docs = include_str!("../../docs/catalog-format.md");
        let section = |heading: &str| {
            let start = docs.find(heading).unwrap_or_else(|| panic!("no section {heading}"));
            let end = docs[start + heading.len()..].find("\n## ").map_or(docs.len(), |i| start + heading.len() + i);
            &docs[start..end]
        };
        let places = [
            (Table::Layer, section("## `[[layer]]`")),
            (Table::Failure, section("## `[[failure]]`")),
            (Table::Runbook, section("## `[[runbook]]`")),
            (Table::Step, section("## `[[failure]]`")),
            (Table::Var, section("## Placeholders")),
            (Table::Check, section("## Checking that a step worked")),
            (Table::Drill, section("## `[[drill]]`")),
            (Table::Reveal, section("## `[[drill]]`")),
            (Table::Inject, section("## `[[drill]]`")),
            (Table::Hint, section("## `[[drill]]`")),
        ];
        let mut missing = Vec::new();
        for (table, text) in places {
            for key in keys(table) {
                let written = text.lines().any(|line| {
                    let line = line.trim_start();
                    line.starts_with(&format!("{key} ="))
                        || line.starts_with(&format!("[{key}"))
                        || line.contains(&format!(".{key}]"))
                        || line.contains(&format!(".{key}."))
                        || line.contains(&format!("`{key}`"))
                });
                if !written {
                    missing.push(format!("{table:?}: {key}"));
                }
            }
        }
        assert!(missing.is_empty(), "docs/catalog-format.md does not document:\n{}", missing.join("\n"));
    }

    #[test]
    fn every_text_and_list_field_of_an_entry_has_one_key() {
        let mut kept: Vec<String> = FIELDS
            .iter()
            .filter_map(|field| match field.holds {
                Holds::Text(text) | Holds::Date(text) => Some(format!("{text:?}")),
                Holds::List(list) => Some(format!("{list:?}")),
                Holds::Own => None,
            })
            .collect();
        let all = kept.len();
        kept.sort();
        kept.dedup();
        assert_eq!(kept.len(), all, "a field is kept under two keys");
    }
}
