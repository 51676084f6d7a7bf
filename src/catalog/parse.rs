//! One catalog file's text → layers, entries and diagnostics.
//!
//! The TOML is parsed into a spanned tree and walked by hand rather than
//! through `serde` derive: serde stops at the first problem, and we want every
//! problem of a file, each at its exact place, with did-you-mean suggestions.
//! An entry with an error is left out; the rest of the file still loads.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, Level, SourceMap, closest, did_you_mean};
use super::entry::{EntryBuilder, TextField};
use super::load::Review;
use super::model::{DEFAULT_LANG, Danger, Entry, Frequency, Kind, Layer, Origin, Severity, Step, UNSORTED_LAYER, Var};
use super::schema::{self, Holds};
use crate::template::{self, Piece};

/// What one file defines, with the spans that cross-file checks point at.
#[derive(Default)]
pub(crate) struct FileContents {
    pub layers: Vec<Located<Layer>>,
    pub entries: Vec<ParsedEntry>,
}

/// A value and the byte range of its definition.
pub(crate) struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// An entry and the spans of the ids it refers to.
pub(crate) struct ParsedEntry {
    pub entry: Entry,
    pub refs: RefSpans,
    /// `replaces = true`: it replaces an earlier source's entry of the same id.
    pub replaces: bool,
}

/// Where an entry's id and the ids it refers to stand in its file.
pub(crate) struct RefSpans {
    pub id: Range<usize>,
    pub layer: Option<Range<usize>>,
    pub related: Vec<Range<usize>>,
    pub runbooks: Vec<Range<usize>>,
}

type Table<'i> = DeTable<'i>;

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
    let mut reader = Reader { map, text, diagnostics, errors: 0, misspelled: Vec::new(), strict };
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
        reader.warn(0..0, "empty file: it defines no layer, failure mode or runbook");
    }
    reader.unknown_keys(&root, schema::Table::File, "at the top level of a catalog file");
    let file_vars = root.get_key_value("vars").and_then(|(_, value)| reader.vars(value, "the file"));
    let mut used_file_vars = BTreeSet::new();
    let mut contents = FileContents::default();
    for (span, table) in reader.array_of_tables(&root, "layer") {
        contents.layers.extend(reader.layer(span, table));
    }
    for (kind, key) in [(Kind::Failure, "failure"), (Kind::Runbook, "runbook")] {
        for (span, table) in reader.array_of_tables(&root, key) {
            contents.entries.extend(reader.entry(kind, span, table, file_vars.as_ref(), &mut used_file_vars));
        }
    }
    if let Some(vars) = &file_vars {
        reader.warn_unused(vars, &used_file_vars, "in this file");
    }
    contents
}

/// The layers a file declares, without a word about anything else in it or
/// any problem: what the embedded catalog contributes when its entries are
/// not loaded.
pub(crate) fn parse_layers(map: &SourceMap<'_>) -> Vec<Layer> {
    let Ok(root) = DeTable::parse(map.text()) else { return Vec::new() };
    let mut ignored = Vec::new();
    let mut reader =
        Reader { map, text: map.text(), diagnostics: &mut ignored, errors: 0, misspelled: Vec::new(), strict: None };
    let root = root.into_inner();
    let tables = reader.array_of_tables(&root, "layer");
    tables.into_iter().filter_map(|(span, table)| reader.layer(span, table)).map(|layer| layer.value).collect()
}

/// Declared vars with the spans of their names; `None` for a declaration
/// with errors, already reported.
type DeclaredVars = BTreeMap<String, (Option<Arc<Var>>, Range<usize>)>;

/// What a placeholder's name refers to.
enum Declaration {
    /// A valid declaration.
    Valid,
    /// A declaration with errors: reported there, not again at each use.
    Broken,
    /// None; the declared name nearest to it, if one is close.
    Missing(Option<String>),
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
}

impl Reader<'_, '_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors += 1;
        self.diagnostics.push(self.map.diagnostic(Level::Error, span, message));
    }

    fn warn(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.diagnostics.push(self.map.diagnostic(Level::Warning, span, message));
    }

    /// Reports keys outside `known`; call it before reading the table's fields.
    fn unknown_keys(&mut self, table: &Table<'_>, kind: schema::Table, context: &str) {
        let known = schema::keys(kind);
        self.misspelled.clear();
        for (key, _) in table {
            if !known.contains(&key.get_ref().as_ref()) {
                let near = closest(key.get_ref(), known.iter().copied());
                let hint = near.map(|field| format!("; did you mean `{field}`?")).unwrap_or_default();
                self.error(key.span(), format!("unknown field `{}` {context}{hint}", key.get_ref()));
                self.misspelled.extend(near);
            }
        }
    }

    /// The tables of `[[key]]`, reporting a `[key]` written as a single table.
    fn array_of_tables<'t, 'i>(&mut self, root: &'t Table<'i>, key: &str) -> Vec<(Range<usize>, &'t Table<'i>)> {
        let Some((name, value)) = root.get_key_value(key) else { return Vec::new() };
        let tables = value.get_ref().as_array().and_then(|items| {
            items.iter().map(|item| item.get_ref().as_table().map(|t| (item.span(), t))).collect::<Option<Vec<_>>>()
        });
        if tables.is_none() {
            self.error(name.span(), format!("`{key}` must be an array of tables: write each one as `[[{key}]]`"));
        }
        tables.unwrap_or_default()
    }

    fn layer(&mut self, span: Range<usize>, table: &Table<'_>) -> Option<Located<Layer>> {
        let errors = self.errors;
        self.unknown_keys(table, schema::Table::Layer, "in a layer");
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
        (self.errors == errors)
            .then_some(Located { value: Layer { id: id.value, title, order, description }, span: id.span })
    }

    fn entry(
        &mut self,
        kind: Kind,
        span: Range<usize>,
        table: &Table<'_>,
        file_vars: Option<&DeclaredVars>,
        used_file_vars: &mut BTreeSet<String>,
    ) -> Option<ParsedEntry> {
        let errors = self.errors;
        let context = self.context(kind.as_str(), table, &span);
        self.unknown_keys(table, schema::Table::of(kind), &format!("in {context}"));
        let id = self.id(table, &span, &context);
        let is_failure = kind == Kind::Failure;
        // Only what identifies an entry and says what it is about is required,
        // so a team's first entry loads; `check --strict` asks for the rest.
        let mut text = EntryBuilder::new();
        let mut link_spans = BTreeMap::new();
        for field in schema::fields(schema::Table::of(kind)) {
            match field.holds {
                Holds::Text(into) => {
                    let value = if field.required {
                        self.required_string(table, field.key, &span, &context)
                    } else {
                        self.string(table, field.key)
                    };
                    text.set(into, value.as_deref());
                }
                Holds::Date(into) => {
                    text.set(into, self.date(table, field.key).as_deref());
                }
                Holds::List(into) => {
                    let items = self.strings(table, field.key);
                    text.extend(into, items.iter().map(|item| item.get_ref().as_str()));
                    link_spans.insert(field.key, items.iter().map(Spanned::span).collect::<Vec<_>>());
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
        let steps = exact(steps.into_iter().map(|(_, step)| step).collect());
        text.set(TextField::Id, id.as_ref().map(|id| id.value.as_str())).set(
            TextField::Layer,
            layer.as_ref().map(|l| l.get_ref().as_str()).or(is_failure.then_some(UNSORTED_LAYER)),
        );
        let origin = Origin { path: self.map.path().clone(), line: self.map.line(span.start) };
        let entry = text.build(kind, (frequency, severity), steps, exact(vars), origin);
        let id = id?;
        if let Some(review) = self.strict
            && self.errors == errors
        {
            self.review(review, kind, table, &span, &context);
        }
        (self.errors == errors).then(|| ParsedEntry {
            entry,
            refs: RefSpans {
                id: id.span,
                layer: layer.map(|l| l.span()),
                related: link_spans.remove("related").unwrap_or_default(),
                runbooks: link_spans.remove("runbooks").unwrap_or_default(),
            },
            replaces,
        })
    }

    /// Warns, at the entry, about each field a reviewed entry should have and
    /// this one lacks: what `check --strict` adds.
    fn review(&mut self, review: &Review, kind: Kind, table: &Table<'_>, span: &Range<usize>, context: &str) {
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

    /// Parses a step; `declare` answers whether a placeholder name is declared.
    fn step(
        &mut self,
        span: Range<usize>,
        table: &Table<'_>,
        context: &str,
        declare: &mut dyn FnMut(&str) -> Declaration,
    ) -> Option<Step> {
        let errors = self.errors;
        self.unknown_keys(table, schema::Table::Step, &format!("in {context}"));
        let instruction = self.required_string(table, "do", &span, context);
        let run = table.get("run").and_then(|value| self.string_value("run", value));
        if let Some(run) = &run {
            self.check_placeholders(run, context, declare);
            // Bidirectional controls and zero-width characters make a command
            // read otherwise than it runs (control characters are refused in
            // every string, below).
            if let Some(c) = run.get_ref().chars().find(|&c| crate::visible::is_deceptive(c)) {
                let message = format!(
                    "the command of {context} holds U+{:04X}, which makes it read otherwise than it runs",
                    u32::from(c)
                );
                self.error(run.span(), message);
            }
        }
        let lang = self.string(table, "lang").map_or(Cow::Borrowed(DEFAULT_LANG), Cow::Owned);
        let danger = if table.contains_key("danger") {
            self.word(table, "danger", Danger::ALL, Danger::as_str)
        } else {
            Some(Danger::Safe)
        };
        let interactive = self.flag(table, "interactive");
        let place = self.string(table, "where");
        if let (Some(Danger::Safe), Some(run)) = (danger, &run)
            && let Some(operation) = crate::danger::looks_destructive(run.get_ref())
        {
            self.warn(
                run.span(),
                format!("the command of {context} looks destructive ({operation}) but is marked safe: set `danger = \"destructive\"` (or \"caution\")"),
            );
        }
        let step = Step {
            instruction: instruction?,
            run: run.map(Spanned::into_inner),
            lang,
            danger: danger?,
            interactive: interactive?,
            place,
        };
        (self.errors == errors).then_some(step)
    }

    /// Warns when the target a destructive step asks to be typed has a
    /// default: the form comes filled with a plausible node or host, and the
    /// person types back what they were shown. `scopes` are the entry's vars,
    /// then the file's.
    fn warn_defaulted_targets(
        &mut self,
        steps: &[(Range<usize>, Step)],
        scopes: [Option<&DeclaredVars>; 2],
        context: &str,
    ) {
        let default = |name: &str| {
            scopes.iter().flatten().find_map(|vars| vars.get(name)).and_then(|(var, _)| var.as_ref()?.default.clone())
        };
        for (i, (span, step)) in steps.iter().enumerate() {
            let Some(run) = &step.run else { continue };
            let names = template::placeholder_names(run);
            // Each placeholder stands for itself, so the word to type names it.
            let Ok(command) = template::render(run, |name| names.iter().find(|n| **n == name).copied()) else {
                continue;
            };
            let values: Vec<(&str, &str)> = names.iter().map(|name| (*name, *name)).collect();
            let Some(confirmation) = crate::danger::confirmation(step.danger, &command, &values) else { continue };
            if let Some(value) = default(&confirmation.word) {
                let message = format!(
                    "step {} of {context} is destructive and its target `{{{{{}}}}}` defaults to `{value}`: accepting the default would act on it; remove the default and give an example in the description",
                    i + 1,
                    confirmation.word
                );
                self.warn(span.clone(), message);
            }
        }
    }

    fn check_placeholders(
        &mut self,
        run: &Spanned<String>,
        context: &str,
        declare: &mut dyn FnMut(&str) -> Declaration,
    ) {
        let template = run.get_ref();
        let pieces = match template::parse(template) {
            Ok(pieces) => pieces,
            Err(err) => {
                let at = self.offset_in_value(run, err.offset);
                self.error(at..at + 2, format!("in the `run` of {context}: {}", err.message));
                return;
            }
        };
        // Each name is reported once per command, at its first use: finding
        // a place in the file costs a scan of the command, and a command of
        // 40 000 placeholders took 34 s when each was placed.
        let mut reported: BTreeSet<(&str, Problem)> = BTreeSet::new();
        for piece in pieces {
            let Piece::Placeholder(p) = piece else { continue };
            let declared = declare(p.name);
            let undeclared =
                matches!(declared, Declaration::Missing(_)) && reported.insert((p.name, Problem::Undeclared));
            let quoted = p.inside_quote.is_some() && reported.insert((p.name, Problem::Quoted));
            // Inside quotes it has its own warning, and is never filled either.
            let uncertain =
                p.uncertain.filter(|_| p.inside_quote.is_none() && reported.insert((p.name, Problem::Uncertain)));
            if let Declaration::Broken = declared {
                // The entry is left out; the declaration's own error says why.
                self.errors += 1;
            }
            if !undeclared && !quoted && uncertain.is_none() {
                continue;
            }
            let at = self.offset_in_value(run, p.span.start);
            let span = at..at + p.span.len();
            match declared {
                Declaration::Valid | Declaration::Broken => {}
                Declaration::Missing(_) if !undeclared => {}
                Declaration::Missing(near) => {
                    let hint = near.map(|near| format!("; did you mean `{{{{{near}}}}}`?")).unwrap_or_default();
                    self.error(
                        span.clone(),
                        format!(
                            "placeholder `{{{{{}}}}}` in {context} is not declared: add a `[vars.{0}]` table \
                             (or write `{{{{{{{{` for a literal `{{{{`){hint}",
                            p.name
                        ),
                    );
                }
            }
            if let Some(reason) = uncertain {
                self.error(
                    span.clone(),
                    format!(
                        "placeholder `{{{{{0}}}}}` in {context} stands where pagerbook cannot tell how many shells \
                         parse its value ({reason}), so it would never be filled: rewrite the command so the \
                         value is a plain word of a command it can follow (see \"Where a value can stand\" in \
                         docs/catalog-format.md)",
                        p.name
                    ),
                );
            }
            if let Some(quote) = p.inside_quote.filter(|_| quoted) {
                let kind = if quote == '"' { "double" } else { "single" };
                self.warn(
                    span,
                    format!(
                        "placeholder `{{{{{0}}}}}` in {context} stands inside {kind} quotes, but its value is \
                         shell-quoted when rendered, so the quotes would be doubled: put it in a shell variable \
                         first (`{0}={{{{{0}}}}}; … \"${0}\"`) or move it outside the quotes",
                        p.name
                    ),
                );
            }
        }
    }

    /// Maps a byte offset in a decoded string to the file: exact for literal
    /// strings, and for basic strings found by searching the raw text for the
    /// same fragment, since escapes shift offsets.
    fn offset_in_value(&self, value: &Spanned<String>, offset: usize) -> usize {
        let span = value.span();
        let raw = &self.text[span.clone()];
        let decoded = value.get_ref();
        // Characters that TOML may escape end the fragment, so it reads the same raw and decoded.
        let fragment: String =
            decoded[offset..].chars().take_while(|c| !matches!(c, '"' | '\\' | '\n' | '\t')).take(16).collect();
        let nth = decoded[..offset].matches(fragment.as_str()).count();
        raw.match_indices(fragment.as_str()).nth(nth).map_or(span.start, |(i, _)| span.start + i)
    }

    fn warn_unused(&mut self, vars: &DeclaredVars, used: &BTreeSet<String>, context: &str) {
        for (name, (var, span)) in vars {
            // A broken declaration has its error already.
            if var.is_some() && !used.contains(name) {
                self.warn(
                    span.clone(),
                    format!("var `{name}` is declared {context} but no command uses `{{{{{name}}}}}`"),
                );
            }
        }
    }

    /// Parses a `vars` table: `[vars.NAME]` tables of description, default,
    /// choices, pattern and secret.
    fn vars(&mut self, value: &Value<'_>, owner: &str) -> Option<DeclaredVars> {
        let Some(table) = value.get_ref().as_table() else {
            self.wrong_type("vars", value, "a table of `[vars.NAME]` tables");
            return None;
        };
        let mut vars = BTreeMap::new();
        for (name, value) in table {
            let context = format!("var `{}` of {owner}", name.get_ref());
            if !template::is_valid_name(name.get_ref()) {
                self.error(
                    name.span(),
                    format!(
                        "invalid var name `{}`: use lowercase letters, digits and `_`, starting with a letter or `_`",
                        name.get_ref()
                    ),
                );
                continue;
            }
            let Some(table) = value.get_ref().as_table() else {
                self.wrong_type(name.get_ref(), value, "a table with a `description`");
                vars.insert(name.get_ref().to_string(), (None, name.span()));
                continue;
            };
            let errors = self.errors;
            self.unknown_keys(table, schema::Table::Var, &format!("in {context}"));
            let span = value.span();
            let description = self.required_string(table, "description", &span, &context);
            let default = table.get("default").and_then(|v| self.string_value("default", v));
            let choices = self.strings(table, "choices");
            let pattern = table.get("pattern").and_then(|v| self.string_value("pattern", v));
            let regex = pattern.as_ref().and_then(|p| match template::compile_pattern(p.get_ref()) {
                Ok(regex) => Some(regex),
                Err(message) => {
                    self.error(p.span(), format!("invalid `pattern` of {context}: {message}"));
                    None
                }
            });
            for value in default.iter().chain(&choices) {
                if regex.as_ref().is_some_and(|r| !r.is_match(value.get_ref())) {
                    self.error(
                        value.span(),
                        format!("`{}` does not match the `pattern` of {context}", value.get_ref()),
                    );
                }
            }
            if let Some(default) = &default
                && !choices.is_empty()
                && !choices.iter().any(|c| c.get_ref() == default.get_ref())
            {
                self.error(default.span(), format!("the `default` of {context} is not one of its `choices`"));
            }
            // A default or a choice every render would refuse (empty, a
            // newline, a leading `-` no pattern allows) is caught here, not
            // at 3am in the form.
            for (key, value) in default.iter().map(|d| ("default", d)).chain(choices.iter().map(|c| ("choices", c))) {
                let pattern = pattern.as_ref().map(|p| p.get_ref().as_str());
                match template::check_value(value.get_ref(), pattern) {
                    Ok(_) | Err(template::ValueError::Pattern(_)) => {}
                    Err(template::ValueError::Option) if key == "choices" => {}
                    Err(problem) => self.error(
                        value.span(),
                        format!("this `{key}` value of {context} would be refused when filled in: {problem}"),
                    ),
                }
            }
            let secret = self.flag(table, "secret");
            if secret == Some(true) {
                for (key, found) in [
                    ("default", default.as_ref().map(Spanned::span)),
                    ("choices", table.get("choices").map(Spanned::span)),
                ] {
                    if let Some(span) = found {
                        let message = format!(
                            "{context} is `secret`, so it cannot have `{key}`: the catalog file would hold the secret"
                        );
                        self.error(span, message);
                    }
                }
            }
            let var = description.filter(|_| self.errors == errors).map(|description| {
                Arc::new(Var {
                    name: name.get_ref().as_ref().into(),
                    description,
                    default: default.map(Spanned::into_inner),
                    choices: exact(choices.into_iter().map(Spanned::into_inner).collect()),
                    pattern: pattern.map(Spanned::into_inner),
                    secret: secret.unwrap_or_default(),
                })
            });
            vars.insert(name.get_ref().to_string(), (var, name.span()));
        }
        Some(vars)
    }

    /// How messages name a table: by its id as written, else by its line.
    fn context(&self, what: &str, table: &Table<'_>, span: &Range<usize>) -> String {
        match table.get("id").and_then(|id| id.get_ref().as_str()) {
            Some(id) => format!("{what} `{id}`"),
            None => format!("the {what} at line {}", self.map.line(span.start)),
        }
    }

    /// The `id` field: required, `[a-z0-9][a-z0-9-]*`.
    fn id(&mut self, table: &Table<'_>, span: &Range<usize>, what: &str) -> Option<Located<String>> {
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

    fn required<'t, 'i>(
        &mut self,
        table: &'t Table<'i>,
        key: &str,
        span: &Range<usize>,
        context: &str,
    ) -> Option<&'t Value<'i>> {
        let value = table.get(key);
        if value.is_none() && self.misspelled.contains(&key) {
            self.errors += 1;
        } else if value.is_none() {
            self.error(span.start..span.start, format!("{context} has no `{key}`, which is required"));
        }
        value
    }

    fn required_string(&mut self, table: &Table<'_>, key: &str, span: &Range<usize>, context: &str) -> Option<String> {
        let value = self.required(table, key, span, context)?;
        let text = self.string_value(key, value)?;
        if text.get_ref().trim().is_empty() {
            self.error(value.span(), format!("`{key}` of {context} is empty"));
            return None;
        }
        Some(text.into_inner())
    }

    fn string(&mut self, table: &Table<'_>, key: &str) -> Option<String> {
        table.get(key).and_then(|value| self.string_value(key, value)).map(Spanned::into_inner)
    }

    fn string_value(&mut self, key: &str, value: &Value<'_>) -> Option<Spanned<String>> {
        let text = value.get_ref().as_str().map(|text| Spanned::new(value.span(), text.to_owned()));
        let Some(text) = text else {
            self.wrong_type(key, value, "a string");
            return None;
        };
        // ESC, CR, BEL and the like reach a terminal as instructions (OSC 52
        // writes the clipboard): no text of a catalog may hold one.
        if let Some(c) = text.get_ref().chars().find(|c| c.is_control() && !matches!(c, '\n' | '\t')) {
            let message = format!(
                "`{key}` holds control character U+{:04X}, which a terminal would obey rather than show",
                u32::from(c)
            );
            self.error(value.span(), message);
        }
        Some(text)
    }

    fn strings(&mut self, table: &Table<'_>, key: &str) -> Vec<Spanned<String>> {
        let Some(value) = table.get(key) else { return Vec::new() };
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(key, value, "a list of strings");
            return Vec::new();
        };
        items.iter().filter_map(|item| self.string_value(key, item)).collect()
    }

    /// An optional boolean: `Some(false)` when absent, `None` when it is not
    /// a boolean (then reported).
    fn flag(&mut self, table: &Table<'_>, key: &str) -> Option<bool> {
        let Some(value) = table.get(key) else { return Some(false) };
        let flag = value.get_ref().as_bool();
        if flag.is_none() {
            self.wrong_type(key, value, "true or false");
        }
        flag
    }

    fn date(&mut self, table: &Table<'_>, key: &str) -> Option<String> {
        let value = table.get(key)?;
        let date = value.get_ref().as_datetime().filter(|d| d.date.is_some() && d.time.is_none());
        if date.is_none() {
            self.wrong_type(key, value, "a date like 2026-11-23 (without quotes)");
        }
        date.map(ToString::to_string)
    }

    /// An optional field holding one word of a fixed set (frequency,
    /// severity, danger): `None` when absent or invalid (then reported).
    fn word<T: Copy>(&mut self, table: &Table<'_>, key: &str, all: &[T], as_str: fn(T) -> &'static str) -> Option<T> {
        let value = table.get(key)?;
        let word = self.string_value(key, value)?;
        let found = all.iter().copied().find(|v| as_str(*v) == word.get_ref());
        if found.is_none() {
            let words: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
            self.error(
                word.span(),
                format!(
                    "invalid `{key}` `{}`: expected one of {}{}",
                    word.get_ref(),
                    words.join(", "),
                    did_you_mean(word.get_ref(), &words)
                ),
            );
        }
        found
    }

    fn wrong_type(&mut self, key: &str, value: &Value<'_>, expected: &str) {
        self.error(value.span(), format!("`{key}` must be {expected}, not {}", describe(value.get_ref())));
    }
}

/// A vector without spare capacity. Lists collected through `filter_map`
/// start at four slots, and a catalog of 100 000 entries keeps them all.
fn exact<T>(mut items: Vec<T>) -> Vec<T> {
    items.shrink_to_fit();
    items
}

/// The placeholder problems reported once per name and command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Problem {
    Undeclared,
    Quoted,
    Uncertain,
}

fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}
