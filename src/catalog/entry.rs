//! A failure mode or runbook, stored compactly: every text of an entry lives
//! in one buffer and fields are spans of it. A catalog of 100 000 entries
//! held as a dozen separate strings each spent more on allocator overhead
//! than on text; this keeps it to a few allocations per entry.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::model::{Frequency, Kind, Origin, Severity, Step, Var};
use super::prebuilt::{Coded, Input};
use super::schema::{self, Holds};

/// The single-valued text fields of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// Unique identifier across everything loaded.
    Id,
    /// One-line title.
    Title,
    /// Layer id: a failure mode that names none is in the Unsorted layer
    /// ([`super::model::UNSORTED_LAYER`]); optional for runbooks.
    Layer,
    /// Failure modes: what the on-call engineer sees first.
    Symptom,
    /// Runbooks: what the procedure achieves.
    Summary,
    /// Failure modes: who and what is affected, and how badly.
    Impact,
    /// The part of the system that fails.
    Component,
    /// What heals by itself and what we do.
    Recovery,
    /// How this failure is, or should be, noticed.
    Detection,
    /// Lessons that keep it from coming back.
    Prevention,
    /// The frequency in words.
    FrequencyNote,
    /// Date of the last review, as written (YYYY-MM-DD). Last: it counts
    /// the fields.
    LastReviewed,
}

/// The list fields of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListField {
    /// Literal error lines, alert names and log fragments a user might paste.
    Signals,
    /// Free-form labels.
    Tags,
    /// Ids of related failure modes.
    Related,
    /// Ids of runbooks that apply.
    Runbooks,
    /// Other names a team calls it by, searched like the title.
    Aliases,
    /// URLs or document names. Last: it counts the lists.
    References,
}

// Counted from the last variant, so a new field cannot be left out of the
// arrays below: keep `LastReviewed` and `References` last.
const TEXT_FIELDS: usize = TextField::LastReviewed as usize + 1;
const LIST_FIELDS: usize = ListField::References as usize + 1;

/// A piece of an entry's text buffer; `start == ABSENT` for a missing field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

const ABSENT: u32 = u32::MAX;
const NO_SPAN: Span = Span { start: ABSENT, len: 0 };

/// A failure mode or a runbook. Fields that only one kind has are absent or
/// empty for the other. One pointer: entries move from each file's list to
/// the catalog's, and at a million entries moving 232 bytes each was a
/// second of loading and a quarter of a gigabyte of copies.
#[derive(Debug, Clone)]
pub struct Entry(Box<EntryData>);

/// What an [`Entry`] holds; its public fields read through the entry.
#[derive(Debug, Clone)]
pub struct EntryData {
    /// Failure mode or runbook.
    pub kind: Kind,
    /// How often it happens.
    pub frequency: Option<Frequency>,
    /// How bad it is.
    pub severity: Option<Severity>,
    /// What to do, in order.
    pub steps: Vec<Step>,
    /// Declarations of the placeholders this entry's commands use (the
    /// entry's own, else the file's), sorted by name. A sorted list rather
    /// than a map: most entries have one or two.
    pub vars: Vec<Arc<Var>>,
    /// Where the entry was defined.
    pub origin: Origin,
    text: Box<str>,
    fields: [Span; TEXT_FIELDS],
    items: Box<[Span]>,
    /// Where each list ends in `items`.
    list_ends: [u32; LIST_FIELDS],
}

impl std::ops::Deref for Entry {
    type Target = EntryData;
    fn deref(&self) -> &EntryData {
        &self.0
    }
}

impl std::ops::DerefMut for Entry {
    fn deref_mut(&mut self) -> &mut EntryData {
        &mut self.0
    }
}

impl Entry {
    /// A text field, if the entry has it.
    #[must_use]
    pub fn text(&self, field: TextField) -> Option<&str> {
        self.slice(self.fields[field as usize])
    }

    /// The items of a list field.
    pub fn list(&self, field: ListField) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        let index = field as usize;
        let start = if index == 0 { 0 } else { self.list_ends[index - 1] as usize };
        self.items[start..self.list_ends[index] as usize].iter().map(|span| self.slice(*span).unwrap_or_default())
    }

    fn slice(&self, span: Span) -> Option<&str> {
        (span.start != ABSENT).then(|| &self.text[span.start as usize..(span.start + span.len) as usize])
    }

    /// Unique identifier.
    #[must_use]
    pub fn id(&self) -> &str {
        self.text(TextField::Id).unwrap_or_default()
    }

    /// One-line title.
    #[must_use]
    pub fn title(&self) -> &str {
        self.text(TextField::Title).unwrap_or_default()
    }

    /// Layer id.
    #[must_use]
    pub fn layer(&self) -> Option<&str> {
        self.text(TextField::Layer)
    }

    /// The line that tells what this entry is about: a failure's symptom or a
    /// runbook's summary.
    #[must_use]
    pub fn headline(&self) -> &str {
        self.text(TextField::Symptom).or(self.text(TextField::Summary)).unwrap_or_default()
    }

    /// Literal error lines people paste.
    pub fn signals(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.list(ListField::Signals)
    }

    /// Free-form labels.
    pub fn tags(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.list(ListField::Tags)
    }

    /// Ids of related failure modes.
    pub fn related(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.list(ListField::Related)
    }

    /// Ids of runbooks that apply.
    pub fn runbooks(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.list(ListField::Runbooks)
    }

    /// The declaration of a placeholder used by this entry's commands.
    #[must_use]
    pub fn var(&self, name: &str) -> Option<&Var> {
        self.vars.binary_search_by(|var| (*var.name).cmp(name)).ok().map(|i| &*self.vars[i])
    }

    /// Keeps only the items of a list for which `keep` says yes (links that
    /// resolve). In place: the items are reallocated only when some go.
    pub(crate) fn retain(&mut self, field: ListField, mut keep: impl FnMut(usize, &str) -> bool) {
        let index = field as usize;
        let start = if index == 0 { 0 } else { self.list_ends[index - 1] as usize };
        let end = self.list_ends[index] as usize;
        let mut kept = start;
        for position in start..end {
            let span = self.items[position];
            if keep(position - start, self.slice(span).unwrap_or_default()) {
                self.items[kept] = span;
                kept += 1;
            }
        }
        if kept == end {
            return;
        }
        let mut items = std::mem::take(&mut self.items).into_vec();
        items.drain(kept..end);
        self.items = items.into_boxed_slice();
        let removed = u32::try_from(end - kept).unwrap_or(u32::MAX);
        for later in &mut self.list_ends[index..] {
            *later -= removed;
        }
    }
}

/// Builds an entry's text buffer field by field.
pub(crate) struct EntryBuilder {
    text: String,
    fields: [Span; TEXT_FIELDS],
    items: [Vec<Span>; LIST_FIELDS],
}

impl EntryBuilder {
    pub(crate) fn new() -> Self {
        EntryBuilder { text: String::new(), fields: [NO_SPAN; TEXT_FIELDS], items: Default::default() }
    }

    fn push(&mut self, value: &str) -> Span {
        let start = u32::try_from(self.text.len()).unwrap_or(ABSENT - 1);
        self.text.push_str(value);
        Span { start, len: u32::try_from(value.len()).unwrap_or(0) }
    }

    /// Sets a text field (a later call replaces an earlier one).
    pub(crate) fn set(&mut self, field: TextField, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.fields[field as usize] = self.push(value);
        }
        self
    }

    /// Appends items to a list field.
    pub(crate) fn extend<'a>(&mut self, field: ListField, values: impl IntoIterator<Item = &'a str>) -> &mut Self {
        for value in values {
            let span = self.push(value);
            self.items[field as usize].push(span);
        }
        self
    }

    pub(crate) fn build(
        self,
        kind: Kind,
        (frequency, severity): (Option<Frequency>, Option<Severity>),
        steps: Vec<Step>,
        vars: Vec<Arc<Var>>,
        origin: Origin,
    ) -> Entry {
        let mut list_ends = [0u32; LIST_FIELDS];
        let mut items = Vec::with_capacity(self.items.iter().map(Vec::len).sum());
        for (end, list) in list_ends.iter_mut().zip(self.items) {
            items.extend(list);
            *end = u32::try_from(items.len()).unwrap_or(u32::MAX);
        }
        Entry(Box::new(EntryData {
            kind,
            frequency,
            severity,
            steps,
            vars,
            origin,
            text: self.text.into_boxed_str(),
            fields: self.fields,
            items: items.into_boxed_slice(),
            list_ends,
        }))
    }
}

/// The prebuilt form of an entry (see `prebuilt`): its buffer and spans as
/// they are, its origin's path the file's.
impl Coded for Entry {
    fn put(&self, out: &mut Vec<u8>) {
        self.kind.put(out);
        self.frequency.put(out);
        self.severity.put(out);
        self.steps.put(out);
        self.vars.put(out);
        self.origin.line.put(out);
        self.text.put(out);
        self.items.len().put(out);
        for span in self.fields.iter().chain(&self.items) {
            span.start.put(out);
            span.len.put(out);
        }
        for end in self.list_ends {
            end.put(out);
        }
    }

    fn take(input: &mut Input<'_>) -> Option<Self> {
        let (kind, frequency, severity) = (Coded::take(input)?, Coded::take(input)?, Coded::take(input)?);
        let (steps, vars) = (Coded::take(input)?, Coded::take(input)?);
        let origin = Origin { path: input.path.clone(), line: Coded::take(input)? };
        let text: Box<str> = Coded::take(input)?;
        let item_count = usize::take(input)?;
        // Every span is checked to cut the text at characters: reading one
        // must never panic.
        let mut span = || {
            let span = Span { start: Coded::take(input)?, len: Coded::take(input)? };
            let (start, end) = (span.start as usize, span.start as usize + span.len as usize);
            (span == NO_SPAN || text.get(start..end).is_some()).then_some(span)
        };
        let mut fields = [NO_SPAN; TEXT_FIELDS];
        for field in &mut fields {
            *field = span()?;
        }
        let items = (0..item_count).map(|_| span()).collect::<Option<Box<[Span]>>>()?;
        let mut list_ends = [0; LIST_FIELDS];
        for end in &mut list_ends {
            *end = Coded::take(input)?;
        }
        let ordered = list_ends.is_sorted() && list_ends[LIST_FIELDS - 1] as usize == items.len();
        let data = EntryData { kind, frequency, severity, steps, vars, origin, text, fields, items, list_ends };
        ordered.then(|| Entry(Box::new(data)))
    }
}

/// The JSON of `show --json`: the fields of the catalog format, absent and
/// empty ones left out, vars as a map from name to declaration.
impl Serialize for Entry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", &self.kind)?;
        let text = |map: &mut S::SerializeMap, key: &str, field: TextField| match self.text(field) {
            Some(value) => map.serialize_entry(key, value),
            None => Ok(()),
        };
        let list = |map: &mut S::SerializeMap, key: &str, field: ListField| {
            let items: Vec<&str> = self.list(field).collect();
            if items.is_empty() { Ok(()) } else { map.serialize_entry(key, &items) }
        };
        text(&mut map, "id", TextField::Id)?;
        // The keys as the catalog format names them, in its order.
        for field in schema::fields(schema::Table::of(self.kind)) {
            match (field.holds, field.key) {
                (Holds::Text(into) | Holds::Date(into), key) => text(&mut map, key, into)?,
                (Holds::List(into), key) => list(&mut map, key, into)?,
                (Holds::Own, "layer") => text(&mut map, "layer", TextField::Layer)?,
                (Holds::Own, "frequency") if self.frequency.is_some() => {
                    map.serialize_entry("frequency", &self.frequency)?;
                }
                (Holds::Own, "severity") if self.severity.is_some() => {
                    map.serialize_entry("severity", &self.severity)?;
                }
                (Holds::Own, _) => {}
            }
        }
        map.serialize_entry("steps", &self.steps)?;
        if !self.vars.is_empty() {
            map.serialize_entry("vars", &VarsByName(&self.vars))?;
        }
        map.serialize_entry("origin", &self.origin)?;
        map.end()
    }
}

struct VarsByName<'a>(&'a [Arc<Var>]);

impl Serialize for VarsByName<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|var| (&*var.name, var)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        let mut builder = EntryBuilder::new();
        builder
            .set(TextField::Id, Some("x"))
            .set(TextField::Title, Some("Title"))
            .extend(ListField::Signals, ["a", "b"])
            .extend(ListField::Related, ["r1", "r2", "r3"])
            .extend(ListField::Runbooks, ["k"]);
        builder.build(Kind::Failure, (None, None), Vec::new(), Vec::new(), Origin { path: "p".into(), line: 1 })
    }

    #[test]
    fn fields_and_lists_read_back() {
        let e = entry();
        assert_eq!((e.id(), e.title(), e.layer()), ("x", "Title", None));
        assert_eq!(e.signals().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(e.related().collect::<Vec<_>>(), ["r1", "r2", "r3"]);
        assert_eq!(e.runbooks().collect::<Vec<_>>(), ["k"]);
        assert_eq!(e.tags().len(), 0);
    }

    #[test]
    fn retain_empties_the_first_and_the_last_list() {
        let mut e = entry();
        let mut builder = EntryBuilder::new();
        builder.extend(ListField::Signals, ["a", "b"]).extend(ListField::References, ["x", "y"]);
        let mut last = builder.build(Kind::Runbook, (None, None), Vec::new(), Vec::new(), e.origin.clone());
        e.retain(ListField::Signals, |_, _| false);
        assert_eq!(e.signals().len(), 0);
        assert_eq!(e.related().collect::<Vec<_>>(), ["r1", "r2", "r3"]);
        last.retain(ListField::References, |i, _| i == 1);
        assert_eq!(last.list(ListField::References).collect::<Vec<_>>(), ["y"]);
        last.retain(ListField::References, |_, _| false);
        assert_eq!(last.list(ListField::References).len(), 0);
        assert_eq!(last.signals().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn retain_drops_items_of_one_list_only() {
        let mut e = entry();
        e.retain(ListField::Related, |i, id| i != 1 && id != "r3");
        assert_eq!(e.related().collect::<Vec<_>>(), ["r1"]);
        assert_eq!(e.signals().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(e.runbooks().collect::<Vec<_>>(), ["k"]);
    }
}
