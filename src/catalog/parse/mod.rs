//! One catalog file's text → layers, entries and diagnostics.
//!
//! The TOML is parsed into a spanned tree and walked by hand rather than
//! through `serde` derive: serde stops at the first problem, and we want every
//! problem of a file, each at its exact place, with did-you-mean suggestions.
//! An entry with an error is left out; the rest of the file still loads.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, Level, SourceMap, closest};
use super::drill::ParsedDrill;
use super::entry::{EntryBuilder, EntryParts, FileTexts, ListField, SealedTexts, TextField};
use super::model::{Frequency, Kind, Layer, Severity, Step, UNSORTED_LAYER, to_u32};
use super::review::Review;
use super::schema::{self, Holds};

mod check;
mod drill;
mod read;
mod step;
mod vars;

use step::Declaration;
use vars::DeclaredVars;

/// What one file defines, with the spans that cross-file checks point at.
#[derive(Debug, Default)]
pub(crate) struct FileContents {
    pub layers: Vec<Located<Layer>>,
    pub entries: Vec<ParsedEntry>,
    /// The texts the entries are pieces of.
    pub texts: Arc<SealedTexts>,
    /// Where each link (`related` and `runbooks` item) of the entries
    /// stands: one list per file, not two per entry.
    pub link_spans: Vec<Place>,
    /// Its walkthrough drills.
    pub drills: Vec<ParsedDrill>,
}

/// A value and the byte range of its definition.
#[derive(Debug)]
pub(crate) struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// An entry and the spans of the ids it refers to.
#[derive(Debug)]
pub(crate) struct ParsedEntry {
    pub parts: EntryParts,
    pub refs: RefSpans,
    /// `replaces = true`: it replaces an earlier source's entry of the same id.
    pub replaces: bool,
}

/// A byte range of a file, kept for a diagnostic that may come: half the
/// size of a `Range<usize>`, for there is one per entry and link (a file
/// past 4 GiB would point its problems at its end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    start: u32,
    end: u32,
}

impl Place {
    pub(crate) fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl From<Range<usize>> for Place {
    fn from(range: Range<usize>) -> Self {
        Place { start: to_u32(range.start), end: to_u32(range.end) }
    }
}

/// Where an entry's id and the ids it refers to stand in its file.
#[derive(Debug)]
pub(crate) struct RefSpans {
    pub id: Place,
    pub layer: Option<Place>,
    /// The spans of the `related` items: these positions in the file's
    /// [`FileContents::link_spans`].
    pub related: Range<u32>,
    /// The same for `runbooks`.
    pub runbooks: Range<u32>,
}

type TomlTable<'i> = DeTable<'i>;

type Value<'i> = Spanned<DeValue<'i>>;

/// Parses one file, appending its problems to `diagnostics`.
/// With `strict`, it also warns about what a reviewed entry should have.
pub(crate) fn parse_file(
    map: &SourceMap<'_>,
    strict: Option<&Review>,
    diagnostics: &mut Vec<Diagnostic>,
) -> FileContents {
    let text = map.text();
    let (root, errors) = DeTable::parse_recoverable(text);
    let mut reader = Reader {
        map,
        text,
        diagnostics,
        errors: 0,
        misspelled: Vec::new(),
        strict,
        link_spans: Vec::new(),
        texts: FileTexts::default(),
    };
    for error in &errors {
        let span = error.span().unwrap_or(0..0);
        reader.error(span, format!("invalid TOML: {}", error.message().trim_end()));
    }
    if !errors.is_empty() {
        // The recovered tree may hold half-parsed entries; loading them could
        // present a command cut in the middle, so a file with syntax errors
        // contributes nothing.
        return FileContents::default();
    }
    let root = root.into_inner();
    if root.is_empty() {
        reader.warn(0..0, "empty file: it defines no layer, failure mode, runbook or drill");
    }
    reader.unknown_keys(&root, schema::Table::File, &|| "at the top level of a catalog file".to_owned());
    let file_vars = root.get_key_value("vars").and_then(|(_, value)| reader.vars(value, "the file"));
    let mut used_file_vars = BTreeSet::new();
    let mut contents = FileContents::default();
    for (span, table) in reader.array_of_tables(&root, "layer") {
        contents.layers.extend(reader.layer(span, table));
    }
    let mut read = Vec::new();
    for (kind, key) in [(Kind::Failure, "failure"), (Kind::Runbook, "runbook")] {
        for (span, table) in reader.array_of_tables(&root, key) {
            read.extend(reader.entry(kind, span, table, file_vars.as_ref(), &mut used_file_vars));
        }
    }
    for (span, table) in reader.array_of_tables(&root, "drill") {
        contents.drills.extend(reader.drill(span, table));
    }
    if let Some(vars) = &file_vars {
        reader.warn_unused(vars, &used_file_vars, "in this file");
    }
    contents.link_spans = exact(reader.link_spans);
    contents.texts = reader.texts.seal(map.path().clone());
    contents.entries = read.into_iter().map(|(parts, refs, replaces)| ParsedEntry { parts, refs, replaces }).collect();
    contents
}

/// The layers a file declares, without a word about anything else in it or
/// any problem: what the embedded catalog contributes when its entries are
/// not loaded.
pub(crate) fn parse_layers(map: &SourceMap<'_>) -> Vec<Layer> {
    let Ok(root) = DeTable::parse(map.text()) else { return Vec::new() };
    let mut ignored = Vec::new();
    let mut reader = Reader {
        map,
        text: map.text(),
        diagnostics: &mut ignored,
        errors: 0,
        misspelled: Vec::new(),
        strict: None,
        link_spans: Vec::new(),
        texts: FileTexts::default(),
    };
    let root = root.into_inner();
    let tables = reader.array_of_tables(&root, "layer");
    tables.into_iter().filter_map(|(span, table)| reader.layer(span, table)).map(|layer| layer.value).collect()
}

struct Reader<'a, 'm> {
    map: &'a SourceMap<'m>,
    text: &'a str,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Errors reported so far; an entry whose parse adds one is left out.
    errors: usize,
    /// Fields that an unknown key of the table being read is a likely typo
    /// of: their absence is already explained by the did-you-mean.
    misspelled: Vec<&'static str>,
    /// `check --strict`: warn about what a reviewed entry lacks.
    strict: Option<&'m Review>,
    /// The file's [`FileContents::link_spans`], as the entries are read.
    link_spans: Vec<Place>,
    /// The texts of the file's entries, as they are read.
    texts: FileTexts,
}

impl Reader<'_, '_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors += 1;
        self.diagnostics.push(self.map.diagnostic(Level::Error, span, message));
    }

    fn warn(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.diagnostics.push(self.map.diagnostic(Level::Warning, span, message));
    }

    /// Reports keys the table may not hold, `place` saying where ("in
    /// failure `x`"); call it before reading the table's fields. Nothing is
    /// allocated unless a key is unknown: it runs for every table.
    fn unknown_keys(&mut self, table: &TomlTable<'_>, kind: schema::Table, place: &dyn Fn() -> String) {
        self.misspelled.clear();
        for (key, _) in table {
            if !schema::fields(kind).any(|field| field.key == key.get_ref().as_ref()) {
                let context = place();
                let near = closest(key.get_ref(), schema::keys(kind));
                let hint = near.map(|field| format!("; did you mean `{field}`?")).unwrap_or_default();
                self.error(key.span(), format!("unknown field `{}` {context}{hint}", key.get_ref()));
                self.misspelled.extend(near);
            }
        }
    }

    /// The tables of `[[key]]`, reporting a `[key]` written as a single table.
    fn array_of_tables<'t, 'i>(
        &mut self,
        root: &'t TomlTable<'i>,
        key: &str,
    ) -> Vec<(Range<usize>, &'t TomlTable<'i>)> {
        let Some((name, value)) = root.get_key_value(key) else { return Vec::new() };
        let tables = value.get_ref().as_array().and_then(|items| {
            items.iter().map(|item| item.get_ref().as_table().map(|t| (item.span(), t))).collect::<Option<Vec<_>>>()
        });
        if tables.is_none() {
            self.error(name.span(), format!("`{key}` must be an array of tables: write each one as `[[{key}]]`"));
        }
        tables.unwrap_or_default()
    }

    fn layer(&mut self, span: Range<usize>, table: &TomlTable<'_>) -> Option<Located<Layer>> {
        let errors = self.errors;
        self.unknown_keys(table, schema::Table::Layer, &|| "in a layer".to_owned());
        let id = self.id(table, &span, "a layer");
        let context = self.context("layer", table, &span);
        let title = self.required_string(table, "title", &span, &context);
        let order = self.required(table, "order", &span, &context).and_then(|value| {
            let integer = value.get_ref().as_integer();
            let order = integer.and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok());
            match (integer, order) {
                (Some(_), None) => self.error(value.span(), "`order` is too large: it must fit in 64 bits"),
                (None, _) => self.wrong_type("order", value, "an integer"),
                (Some(_), Some(_)) => {}
            }
            order
        });
        let description = self.string(table, "description");
        if let Some(id) = id.as_ref().filter(|id| id.value == UNSORTED_LAYER) {
            self.error(
                id.span.clone(),
                format!(
                    "layer id `{UNSORTED_LAYER}` is reserved for the failure modes that name no layer; choose another"
                ),
            );
        }
        let (Some(id), Some(title), Some(order)) = (id, title, order) else { return None };
        (self.errors == errors).then_some(Located {
            value: Layer {
                id: id.value.to_owned(),
                title: title.to_owned(),
                order,
                description: description.map(str::to_owned),
            },
            span: id.span,
        })
    }

    fn entry(
        &mut self,
        kind: Kind,
        span: Range<usize>,
        table: &TomlTable<'_>,
        file_vars: Option<&DeclaredVars>,
        used_file_vars: &mut BTreeSet<String>,
    ) -> Option<(EntryParts, RefSpans, bool)> {
        let errors = self.errors;
        let context = self.context(kind.as_str(), table, &span);
        self.unknown_keys(table, schema::Table::of(kind), &|| format!("in {context}"));
        let id = self.id(table, &span, &context);
        let is_failure = kind == Kind::Failure;
        // Only what identifies an entry and says what it is about is required,
        // so a team's first entry loads; `check --strict` asks for the rest.
        let mut text = EntryBuilder::new();
        let (mut related, mut runbooks) = (0..0, 0..0);
        for field in schema::fields(schema::Table::of(kind)) {
            match field.holds {
                Holds::Text(into) => {
                    let value = if field.required {
                        self.required_string(table, field.key, &span, &context)
                    } else {
                        self.string(table, field.key)
                    };
                    text.set(into, value);
                }
                Holds::Date(into) => {
                    text.set(into, self.date(table, field.key).as_deref());
                }
                Holds::List(into) => {
                    let items = self.strings(table, field.key);
                    text.extend(into, items.iter().map(|item| *item.get_ref()));
                    let start = to_u32(self.link_spans.len());
                    if matches!(into, ListField::Related | ListField::Runbooks) {
                        self.link_spans.extend(items.iter().map(|item| Place::from(item.span())));
                    }
                    let positions = start..to_u32(self.link_spans.len());
                    match into {
                        ListField::Related => related = positions,
                        ListField::Runbooks => runbooks = positions,
                        _ => {}
                    }
                }
                Holds::Own => {}
            }
        }
        let layer = table.get("layer").and_then(|value| self.string_value("layer", value));
        let frequency = is_failure.then(|| self.word(table, "frequency", Frequency::ALL, Frequency::as_str)).flatten();
        let severity = is_failure.then(|| self.word(table, "severity", Severity::ALL, Severity::as_str)).flatten();
        let replaces = self.flag(table, "replaces").unwrap_or_default();
        let entry_vars = table.get_key_value("vars").and_then(|(_, value)| self.vars(value, &context));
        let steps_tables = self.array_of_tables(table, "steps");
        let mut used = BTreeSet::new();
        let steps: Vec<(Range<usize>, Step)> = steps_tables
            .into_iter()
            .enumerate()
            .filter_map(|(i, (step_span, step))| {
                let context = format!("step {} of {context}", i + 1);
                let run_span = step.get("run").map_or(step_span.clone(), Spanned::span);
                let parsed = self.step(step_span, step, &context, &mut |name| {
                    used.insert(name.to_owned());
                    let scopes = || entry_vars.iter().chain(file_vars);
                    match scopes().find_map(|vars| vars.get(name)) {
                        Some((Some(_), _)) => Declaration::Valid,
                        Some((None, _)) => Declaration::Broken,
                        None => Declaration::Missing(
                            closest(name, scopes().flat_map(BTreeMap::keys).map(String::as_str)).map(str::to_owned),
                        ),
                    }
                });
                parsed.map(|step| (run_span, step))
            })
            .collect();
        if let Some(vars) = &entry_vars {
            self.warn_unused(vars, &used, &format!("in {context}"));
        }
        let mut vars = Vec::with_capacity(used.len());
        for name in used {
            let own = entry_vars.as_ref().and_then(|v| v.get(&name));
            let inherited = file_vars.and_then(|v| v.get(&name));
            if let Some((Some(var), _)) = own.or(inherited) {
                vars.push(var.clone());
            }
            if own.is_none() && inherited.is_some() {
                used_file_vars.insert(name);
            }
        }
        self.warn_defaulted_targets(&steps, [entry_vars.as_ref(), file_vars], &context);
        let id = id?;
        if self.errors != errors {
            return None;
        }
        if let Some(review) = self.strict {
            self.review(review, kind, table, &span, &context);
        }
        // Only an entry that loads adds its texts to the file's.
        let steps = steps.into_iter().map(|(_, step)| step).collect();
        text.set(TextField::Id, Some(id.value))
            .set(TextField::Layer, layer.as_ref().map(|l| *l.get_ref()).or(is_failure.then_some(UNSORTED_LAYER)));
        let line = self.map.line(span.start);
        let entry = text.build(&mut self.texts, kind, (frequency, severity), steps, vars, line);
        let refs = RefSpans { id: id.span.into(), layer: layer.map(|l| l.span().into()), related, runbooks };
        Some((entry, refs, replaces))
    }

    /// Warns, at the entry, about each field a reviewed entry should have and
    /// this one lacks: what `check --strict` adds.
    fn review(&mut self, review: &Review, kind: Kind, table: &TomlTable<'_>, span: &Range<usize>, context: &str) {
        for field in schema::fields(schema::Table::of(kind)) {
            if let Some(why) = field.review
                && !table.contains_key(field.key)
            {
                self.warn(span.start..span.start, format!("{context} has no `{}`{why}", field.key));
            }
        }
        if let Some(date) = table.get("last_reviewed")
            && let Some(written) = date.get_ref().as_datetime()
            && written.to_string() < review.stale_before
        {
            let message = format!(
                "{context} was last reviewed on {written}, more than {} days ago: check it against the system and update `last_reviewed`",
                review.max_age_days
            );
            self.warn(date.span(), message);
        }
        let has_steps = table.get("steps").and_then(|steps| steps.get_ref().as_array()).is_some_and(|s| !s.is_empty());
        if !has_steps {
            let message = format!("{context} has no steps: add a `[[{kind}.steps]]` table for each thing to do");
            self.warn(span.start..span.start, message);
        }
    }

    /// How messages name a table: by its id as written, else by its line.
    fn context(&self, what: &str, table: &TomlTable<'_>, span: &Range<usize>) -> String {
        match table.get("id").and_then(|id| id.get_ref().as_str()) {
            Some(id) => format!("{what} `{id}`"),
            None => format!("the {what} at line {}", self.map.line(span.start)),
        }
    }

    /// The `id` field: required, `[a-z0-9][a-z0-9-]*`.
    fn id<'t>(&mut self, table: &'t TomlTable<'_>, span: &Range<usize>, what: &str) -> Option<Located<&'t str>> {
        let value = self.required(table, "id", span, what)?;
        let id = self.string_value("id", value)?;
        let valid = id.get_ref().starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && id.get_ref().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            self.error(
                id.span(),
                format!(
                    "invalid id `{}`: use lowercase letters, digits and `-`, starting with a letter or digit",
                    id.get_ref()
                ),
            );
            return None;
        }
        let span = id.span();
        Some(Located { value: id.into_inner(), span })
    }
}

/// A vector without spare capacity. Lists collected through `filter_map`
/// start at four slots, and a catalog of 100 000 entries keeps them all.
fn exact<T>(mut items: Vec<T>) -> Vec<T> {
    items.shrink_to_fit();
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_left_out_leaves_no_text_behind() {
        let text = "[[failure]]\nid = \"kept\"\ntitle = \"Kept entry\"\nsymptom = \"s\"\n\n\
                    [[failure]]\nid = \"Not Valid\"\ntitle = \"Left out entry\"\nsymptom = \"s\"\n";
        let mut diagnostics = Vec::new();
        let contents = parse_file(&SourceMap::new("f.toml".into(), text), None, &mut diagnostics);
        assert_eq!(contents.entries.len(), 1);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(contents.texts.text().contains("Kept entry"));
        assert!(!contents.texts.text().contains("Left out"), "{:?}", contents.texts.text());
    }
}
