//! A failure mode or runbook, stored compactly: the texts, spans, steps and
//! vars of a file's entries are each one list the entries share
//! ([`FileTexts`], then [`SealedTexts`]), and an entry is one allocation
//! holding where its pieces stand. Held as a dozen strings and lists each,
//! a million entries spent more on the allocator than on their text.

use std::marker::PhantomData;
use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::model::{Frequency, Kind, Origin, Severity, Step, Var, to_u32};
use super::prebuilt::{Coded, Input, put_all, put_str};
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
// An entry says which text fields it has in a u16.
const _: () = assert!(TEXT_FIELDS <= 16);

impl TextField {
    /// Every text field, in declaration order.
    pub(crate) const ALL: [TextField; TEXT_FIELDS] = [
        TextField::Id,
        TextField::Title,
        TextField::Layer,
        TextField::Symptom,
        TextField::Summary,
        TextField::Impact,
        TextField::Component,
        TextField::Recovery,
        TextField::Detection,
        TextField::Prevention,
        TextField::FrequencyNote,
        TextField::LastReviewed,
    ];
}

impl ListField {
    /// Every list field, in declaration order.
    pub(crate) const ALL: [ListField; LIST_FIELDS] = [
        ListField::Signals,
        ListField::Tags,
        ListField::Related,
        ListField::Runbooks,
        ListField::Aliases,
        ListField::References,
    ];
}

/// A piece of a shared text; `start == ABSENT` for a missing value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    start: u32,
    len: u32,
}

const ABSENT: u32 = u32::MAX;

impl Span {
    pub(super) const NONE: Span = Span { start: ABSENT, len: 0 };

    /// Appends `value` to `text`, giving its span there.
    pub(super) fn push(text: &mut String, value: &str) -> Span {
        let start = u32::try_from(text.len()).unwrap_or(ABSENT - 1);
        text.push_str(value);
        Span { start, len: u32::try_from(value.len()).unwrap_or(0) }
    }

    /// The piece of `text` this spans; `None` when absent (or, in a text it
    /// was not made for, out of place).
    pub(super) fn of(self, text: &str) -> Option<&str> {
        (self.start != ABSENT).then(|| text.get(self.start as usize..self.start as usize + self.len as usize))?
    }

    /// The same piece in a text that holds this one's from `base` on.
    fn moved(self, base: u32) -> Span {
        // Past 4 GiB of a file's texts a span saturates and reads as absent.
        if self.start == ABSENT { self } else { Span { start: self.start.saturating_add(base), len: self.len } }
    }
}

/// A failure mode or a runbook. Fields that only one kind has are absent or
/// empty for the other. One pointer: the catalog puts its entries in
/// edge-inward order by moving them, and a pointer moves cheaply.
#[derive(Clone)]
pub struct Entry(Box<EntryData>);

/// What an [`Entry`] holds; its public fields read through the entry.
///
/// Its texts, spans, steps and vars are pieces of its file's (see the
/// module's documentation).
#[derive(Clone)]
pub struct EntryData {
    /// Failure mode or runbook.
    pub kind: Kind,
    /// How often it happens.
    pub frequency: Option<Frequency>,
    /// How bad it is.
    pub severity: Option<Severity>,
    /// What to do, in order.
    pub steps: Shared<Step>,
    /// Declarations of the placeholders this entry's commands use (the
    /// entry's own, else the file's), sorted by name. A sorted list rather
    /// than a map: most entries have one or two.
    pub vars: Shared<Arc<Var>>,
    /// What the entry's file shares among its entries.
    texts: Arc<SealedTexts>,
    /// The line it was defined at, in its file.
    line: u32,
    /// A bit for each text field the entry has, by [`TextField`] number.
    present: u16,
    /// Its spans in the file's: the present fields in field order, then
    /// the items of every list.
    spans: (u32, u32),
    /// Where each list ends among the items.
    list_ends: [u32; LIST_FIELDS],
}

/// An entry's part of a list its file's entries share (its steps, its
/// vars); reads as a slice.
#[derive(Clone)]
pub struct Shared<T> {
    texts: Arc<SealedTexts>,
    start: u32,
    end: u32,
    of: PhantomData<T>,
}

impl<T> Shared<T> {
    fn of(texts: &Arc<SealedTexts>, (start, end): (u32, u32)) -> Self {
        Shared { texts: texts.clone(), start, end, of: PhantomData }
    }

    /// Its part of `all`: bounded, so that a bad range reads as empty
    /// rather than panics.
    fn part<'a, U>(&self, all: &'a [U]) -> &'a [U] {
        all.get(self.start as usize..self.end as usize).unwrap_or_default()
    }
}

impl std::ops::Deref for Shared<Step> {
    type Target = [Step];
    fn deref(&self) -> &[Step] {
        self.part(&self.texts.steps)
    }
}

impl std::ops::Deref for Shared<Arc<Var>> {
    type Target = [Arc<Var>];
    fn deref(&self) -> &[Arc<Var>] {
        self.part(&self.texts.vars)
    }
}

impl<'a, T> IntoIterator for &'a Shared<T>
where
    Shared<T>: std::ops::Deref<Target = [T]>,
{
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T>
where
    Shared<T>: std::ops::Deref<Target = [T]>,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Serialize> Serialize for Shared<T>
where
    Shared<T>: std::ops::Deref<Target = [T]>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
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
        let bit = 1u16 << field as u16;
        if self.present & bit == 0 {
            return None;
        }
        self.spans().get((self.present & (bit - 1)).count_ones() as usize)?.of(&self.texts.text)
    }

    /// Where the entry was defined.
    #[must_use]
    pub fn origin(&self) -> Origin {
        Origin { path: self.texts.path.clone(), line: self.line }
    }

    /// The entry's spans: the present fields, then the items.
    fn spans(&self) -> &[Span] {
        self.texts.spans.get(self.spans.0 as usize..self.spans.1 as usize).unwrap_or_default()
    }

    /// The items of a list field.
    pub fn list(&self, field: ListField) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        let items = self.items_of(field);
        self.items().get(items).unwrap_or_default().iter().map(|span| span.of(&self.texts.text).unwrap_or_default())
    }

    /// Every list's items.
    fn items(&self) -> &[Span] {
        self.spans().get(self.present.count_ones() as usize..).unwrap_or_default()
    }

    /// Where a list's items stand among the items.
    fn items_of(&self, field: ListField) -> std::ops::Range<usize> {
        list_range(&self.list_ends, field)
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
    /// resolve); `keep` may be asked twice. An entry that loses some gets
    /// spans of its own; most lose none, and allocate nothing.
    pub(crate) fn retain(&mut self, field: ListField, keep: impl Fn(usize, &str) -> bool) {
        let first_item = self.present.count_ones() as usize;
        let range = self.items_of(field);
        let list = first_item + range.start..first_item + range.end;
        let text = &self.texts.text;
        let kept = |(i, span): &(usize, &Span)| keep(*i, span.of(text).unwrap_or_default());
        let all = self.spans();
        let items = all.get(list.clone()).unwrap_or_default();
        if items.iter().enumerate().all(|item| kept(&item)) {
            return;
        }
        let kept_items = items.iter().enumerate().filter(kept).map(|(_, span)| span);
        let spans: Box<[Span]> = all[..list.start].iter().chain(kept_items).chain(&all[list.end..]).copied().collect();
        let removed = end_of(all) - end_of(&spans);
        // Its own texts: the same text, its own spans (steps and vars keep
        // theirs in the file's).
        let own =
            SealedTexts { spans, steps: Box::new([]), vars: Box::new([]), ..SealedTexts::clone_text(&self.texts) };
        let data = &mut *self.0;
        data.spans = (0, end_of(&own.spans));
        data.texts = Arc::new(own);
        for later in &mut data.list_ends[field as usize..] {
            *later -= removed;
        }
    }
}

/// What the entries of one file share, filled as they are read: their
/// texts, spans, steps and vars, each in one list.
#[derive(Default)]
pub(crate) struct FileTexts {
    text: String,
    spans: Vec<Span>,
    steps: Vec<Step>,
    vars: Vec<Arc<Var>>,
}

/// An entry whose texts are in its file's [`FileTexts`]: what parsing a
/// file gives, made an [`Entry`] as the catalog takes it in, when the
/// parse's other results are being freed (made at once, each entry's one
/// allocation stood between those, and they left 200 MB of holes at a
/// million entries).
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntryParts {
    kind: Kind,
    frequency: Option<Frequency>,
    severity: Option<Severity>,
    line: u32,
    present: u16,
    spans: (u32, u32),
    list_ends: [u32; LIST_FIELDS],
    steps: (u32, u32),
    vars: (u32, u32),
}

/// A file's [`FileTexts`], read: what its entries hold, with its path.
#[derive(Debug)]
pub(crate) struct SealedTexts {
    path: Arc<str>,
    text: Arc<str>,
    spans: Box<[Span]>,
    steps: Box<[Step]>,
    vars: Box<[Arc<Var>]>,
}

/// A list's length as a position in it (past 4 Gi items, saturated).
fn end_of<T>(items: &[T]) -> u32 {
    to_u32(items.len())
}

/// Where list `field` stands among an entry's items, by their list ends.
fn list_range(list_ends: &[u32; LIST_FIELDS], field: ListField) -> std::ops::Range<usize> {
    let index = field as usize;
    let start = if index == 0 { 0 } else { list_ends[index - 1] as usize };
    start..(list_ends[index] as usize).max(start)
}

impl FileTexts {
    /// The file at `path` is read: its entries can be made.
    pub(crate) fn seal(self, path: Arc<str>) -> Arc<SealedTexts> {
        let text: Arc<str> = self.text.into();
        let mut steps = self.steps;
        for step in &mut steps {
            step.text = text.clone();
        }
        let (spans, steps, vars) = (self.spans.into(), steps.into(), self.vars.into());
        Arc::new(SealedTexts { path, text, spans, steps, vars })
    }
}

impl Default for SealedTexts {
    fn default() -> Self {
        SealedTexts { path: "".into(), text: "".into(), spans: Box::new([]), steps: Box::new([]), vars: Box::new([]) }
    }
}

impl SealedTexts {
    /// The whole text its entries are pieces of.
    #[cfg(test)]
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The same path and text, and nothing else.
    fn clone_text(&self) -> Self {
        SealedTexts { path: self.path.clone(), text: self.text.clone(), ..SealedTexts::default() }
    }

    /// The entry these parts make with these texts.
    pub(crate) fn entry(self: &Arc<Self>, parts: &EntryParts) -> Entry {
        let EntryParts { kind, frequency, severity, line, present, spans, list_ends, steps, vars } = *parts;
        Entry(Box::new(EntryData {
            kind,
            frequency,
            severity,
            steps: Shared::of(self, steps),
            vars: Shared::of(self, vars),
            texts: self.clone(),
            line,
            present,
            spans,
            list_ends,
        }))
    }
}

/// Builds an entry's texts field by field.
pub(crate) struct EntryBuilder {
    text: String,
    fields: [Span; TEXT_FIELDS],
    items: [Vec<Span>; LIST_FIELDS],
}

impl EntryBuilder {
    pub(crate) fn new() -> Self {
        EntryBuilder { text: String::new(), fields: [Span::NONE; TEXT_FIELDS], items: Default::default() }
    }

    /// Sets a text field (a later call replaces an earlier one).
    pub(crate) fn set(&mut self, field: TextField, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.fields[field as usize] = Span::push(&mut self.text, value);
        }
        self
    }

    /// Appends items to a list field.
    pub(crate) fn extend<'a>(&mut self, field: ListField, values: impl IntoIterator<Item = &'a str>) -> &mut Self {
        for value in values {
            let span = Span::push(&mut self.text, value);
            self.items[field as usize].push(span);
        }
        self
    }

    /// The entry, its texts moved into its file's.
    pub(crate) fn build(
        self,
        texts: &mut FileTexts,
        kind: Kind,
        (frequency, severity): (Option<Frequency>, Option<Severity>),
        steps: Vec<Step>,
        vars: Vec<Arc<Var>>,
        line: u32,
    ) -> EntryParts {
        let base = end_of(texts.text.as_bytes());
        texts.text.push_str(&self.text);
        let first_span = end_of(&texts.spans);
        let mut present = 0u16;
        for (field, span) in self.fields.iter().enumerate().filter(|(_, span)| **span != Span::NONE) {
            present |= 1 << field;
            texts.spans.push(span.moved(base));
        }
        let mut list_ends = [0u32; LIST_FIELDS];
        let mut items = 0;
        for (end, list) in list_ends.iter_mut().zip(self.items) {
            items += list.len();
            texts.spans.extend(list.into_iter().map(|span| span.moved(base)));
            *end = u32::try_from(items).unwrap_or(u32::MAX);
        }
        let first_step = end_of(&texts.steps);
        for step in steps {
            let copied = step.copied_into(&mut texts.text);
            texts.steps.push(copied);
        }
        let first_var = end_of(&texts.vars);
        texts.vars.extend(vars);
        EntryParts {
            kind,
            frequency,
            severity,
            line,
            present,
            spans: (first_span, end_of(&texts.spans)),
            list_ends,
            steps: (first_step, end_of(&texts.steps)),
            vars: (first_var, end_of(&texts.vars)),
        }
    }

    /// A failure mode alone in its file, with nothing but its texts.
    #[cfg(test)]
    pub(crate) fn build_alone(self) -> Entry {
        let mut texts = FileTexts::default();
        let parts = self.build(&mut texts, Kind::Failure, (None, None), Vec::new(), Vec::new(), 1);
        texts.seal("p".into()).entry(&parts)
    }
}

impl Coded for Span {
    fn put(&self, out: &mut Vec<u8>) {
        self.start.put(out);
        self.len.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(Span { start: Coded::take(input)?, len: Coded::take(input)? })
    }
}

/// A range of a shared list, as two positions.
fn put_range((start, end): (u32, u32), out: &mut Vec<u8>) {
    start.put(out);
    end.put(out);
}

/// A range of a list of `len` items: refused unless within it.
fn take_range(input: &mut Input<'_>, len: usize) -> Option<(u32, u32)> {
    let (start, end): (u32, u32) = (Coded::take(input)?, Coded::take(input)?);
    (start <= end && end as usize <= len).then_some((start, end))
}

/// The prebuilt form of a file's texts (see `prebuilt`): as they are, the
/// text read once; a span that does not cut the text at characters makes
/// the form refused.
impl SealedTexts {
    pub(super) fn put(&self, out: &mut Vec<u8>) {
        put_str(&self.text, out);
        put_all(&self.spans, out);
        self.steps.len().put(out);
        for step in &self.steps {
            step.put_spans(out);
        }
        put_all(&self.vars, out);
    }

    pub(super) fn take(input: &mut Input<'_>) -> Option<Arc<Self>> {
        let text: Arc<str> = input.str()?.into();
        let fits = |span: &Span| *span == Span::NONE || span.of(&text).is_some();
        let spans: Vec<Span> = Coded::take(input)?;
        let steps: Option<Vec<Step>> = (0..usize::take(input)?)
            .map(|_| Step::take_spans(input, &text).filter(|step| step.spans().iter().all(fits)))
            .collect();
        let vars: Vec<Arc<Var>> = Coded::take(input)?;
        spans.iter().all(fits).then_some(())?;
        let (spans, steps, vars) = (spans.into(), steps?.into(), vars.into());
        Some(Arc::new(SealedTexts { path: input.path.clone(), text, spans, steps, vars }))
    }
}

impl EntryParts {
    /// The prebuilt form of an entry: its ranges in its file's texts.
    pub(super) fn put(&self, out: &mut Vec<u8>) {
        self.kind.put(out);
        self.frequency.put(out);
        self.severity.put(out);
        self.line.put(out);
        u32::from(self.present).put(out);
        put_range(self.spans, out);
        for end in self.list_ends {
            end.put(out);
        }
        put_range(self.steps, out);
        put_range(self.vars, out);
    }

    /// An entry of the prebuilt form, refused unless its ranges stand within
    /// `texts` and its lists within its spans.
    pub(super) fn take(input: &mut Input<'_>, texts: &SealedTexts) -> Option<Self> {
        let (kind, frequency, severity, line) =
            (Coded::take(input)?, Coded::take(input)?, Coded::take(input)?, Coded::take(input)?);
        let present = u16::try_from(u32::take(input)?).ok()?;
        let spans = take_range(input, texts.spans.len())?;
        let mut list_ends = [0; LIST_FIELDS];
        for end in &mut list_ends {
            *end = Coded::take(input)?;
        }
        let (steps, vars) = (take_range(input, texts.steps.len())?, take_range(input, texts.vars.len())?);
        let items = (spans.1 - spans.0).checked_sub(present.count_ones())?;
        (list_ends.is_sorted() && list_ends[LIST_FIELDS - 1] == items).then_some(())?;
        Some(EntryParts { kind, frequency, severity, line, present, spans, list_ends, steps, vars })
    }

    /// How many items a list has.
    pub(crate) fn list_len(&self, field: ListField) -> usize {
        list_range(&self.list_ends, field).len()
    }
}

/// Its fields and lists as they read, not the text it shares with its file
/// (which each entry would print whole).
impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fields = TextField::ALL.into_iter().filter_map(|field| Some((format!("{field:?}"), self.text(field)?)));
        let lists = ListField::ALL.into_iter().map(|field| (field, self.list(field).collect::<Vec<_>>()));
        f.debug_struct("Entry")
            .field("kind", &self.kind)
            .field("frequency", &self.frequency)
            .field("severity", &self.severity)
            .field("texts", &fields.collect::<Vec<_>>())
            .field("lists", &lists.collect::<Vec<_>>())
            .field("steps", &self.steps)
            .field("vars", &self.vars)
            .field("origin", &self.origin())
            .finish_non_exhaustive()
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
        map.serialize_entry("origin", &self.origin())?;
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

    /// Two entries of one file, sharing its texts.
    fn entries() -> (Entry, Entry) {
        let mut texts = FileTexts::default();
        let mut builder = EntryBuilder::new();
        builder
            .set(TextField::Id, Some("x"))
            .set(TextField::Title, Some("Title"))
            .extend(ListField::Signals, ["a", "b"])
            .extend(ListField::Related, ["r1", "r2", "r3"])
            .extend(ListField::Runbooks, ["k"]);
        let step = Step::new("Look.", Some("kubectl get pods"), Some("on the node"), Some("NAME READY"));
        let first = builder.build(&mut texts, Kind::Failure, (None, None), vec![step], Vec::new(), 1);
        let mut builder = EntryBuilder::new();
        builder.extend(ListField::Signals, ["a", "b"]).extend(ListField::References, ["x", "y"]);
        builder.set(TextField::LastReviewed, Some("2026-01-01"));
        let second = builder.build(&mut texts, Kind::Runbook, (None, None), Vec::new(), Vec::new(), 7);
        let texts = texts.seal("p".into());
        (texts.entry(&first), texts.entry(&second))
    }

    #[test]
    fn fields_lists_and_steps_read_back_from_the_shared_texts() {
        let (e, other) = entries();
        assert_eq!((e.id(), e.title(), e.layer()), ("x", "Title", None));
        assert_eq!(e.signals().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(e.related().collect::<Vec<_>>(), ["r1", "r2", "r3"]);
        assert_eq!(e.runbooks().collect::<Vec<_>>(), ["k"]);
        assert_eq!(e.tags().len(), 0);
        let step = &e.steps[0];
        assert_eq!(
            (step.instruction(), step.run(), step.place(), step.example_output()),
            ("Look.", Some("kubectl get pods"), Some("on the node"), Some("NAME READY"))
        );
        assert_eq!((other.id(), other.text(TextField::LastReviewed)), ("", Some("2026-01-01")));
        assert_eq!(other.list(ListField::References).collect::<Vec<_>>(), ["x", "y"]);
        assert!(other.steps.is_empty());
        assert!(Arc::ptr_eq(&e.texts, &other.texts));
        assert_eq!((e.origin().to_string(), other.origin().to_string()), ("p:1".into(), "p:7".into()));
    }

    #[test]
    fn retain_empties_the_first_and_the_last_list() {
        let (mut e, mut last) = entries();
        e.retain(ListField::Signals, |_, _| false);
        assert_eq!(e.signals().len(), 0);
        assert_eq!(e.related().collect::<Vec<_>>(), ["r1", "r2", "r3"]);
        last.retain(ListField::References, |i, _| i == 1);
        assert_eq!(last.list(ListField::References).collect::<Vec<_>>(), ["y"]);
        last.retain(ListField::References, |_, _| false);
        assert_eq!(last.list(ListField::References).len(), 0);
        assert_eq!(last.signals().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(last.text(TextField::LastReviewed), Some("2026-01-01"));
    }

    #[test]
    fn retain_drops_items_of_one_list_of_one_entry_only() {
        let (mut e, other) = entries();
        e.retain(ListField::Related, |i, id| i != 1 && id != "r3");
        assert_eq!(e.related().collect::<Vec<_>>(), ["r1"]);
        assert_eq!(e.signals().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(e.runbooks().collect::<Vec<_>>(), ["k"]);
        assert_eq!((e.id(), e.title()), ("x", "Title"));
        assert_eq!(other.signals().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(other.list(ListField::References).collect::<Vec<_>>(), ["x", "y"]);
    }
}
