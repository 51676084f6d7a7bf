//! The embedded catalog as parsed at build time. `build.rs` parses
//! `catalog/` and `runbooks/` with this crate's own parser (it includes the
//! parsing modules) and writes what each file defines in the compact form
//! below; start-up decodes it instead of parsing 350 KB of TOML and
//! compiling the destructive-command regexes, which took 6 of the 7.6 ms
//! before the first frame.
//!
//! The form is private to one build: writer and reader are compiled from
//! this file together, so it has no version. Anything unexpected makes
//! [`decode`] give up, and the loader parses the TOML instead.

use std::ops::Range;
use std::sync::Arc;

use super::entry::{EntryParts, ListField, SealedTexts};
use super::model::{Check, Danger, Frequency, Kind, Layer, Severity, Suggest, Var};
use super::parse::{FileContents, Located, ParsedEntry, Place, RefSpans};

/// What every embedded file defines, in file order.
#[allow(dead_code, reason = "build.rs writes the form; the binary only reads it")]
pub(crate) fn encode(files: &[FileContents]) -> Vec<u8> {
    let mut out = Vec::new();
    files.len().put(&mut out);
    for file in files {
        file.put(&mut out);
    }
    out
}

/// The files [`encode`] wrote; `paths` are their paths as diagnostics show
/// them, in the same order.
pub(crate) fn decode(bytes: &[u8], paths: &[Arc<str>]) -> Option<Vec<FileContents>> {
    let mut input = Input { bytes, path: Arc::from("") };
    if usize::take(&mut input)? != paths.len() {
        return None;
    }
    let files: Option<Vec<FileContents>> = paths
        .iter()
        .map(|path| {
            input.path = path.clone();
            FileContents::take(&mut input)
        })
        .collect();
    input.bytes.is_empty().then_some(files?)
}

/// What is being read, and the path of the file its entries come from.
pub(super) struct Input<'b> {
    bytes: &'b [u8],
    pub(super) path: Arc<str>,
}

impl<'b> Input<'b> {
    fn bytes(&mut self, len: usize) -> Option<&'b [u8]> {
        let (taken, rest) = self.bytes.split_at_checked(len)?;
        self.bytes = rest;
        Some(taken)
    }

    /// A text as [`put_str`] wrote it, borrowed from the form.
    pub(super) fn str(&mut self) -> Option<&'b str> {
        let len = usize::take(self)?;
        std::str::from_utf8(self.bytes(len)?).ok()
    }
}

/// A value written to, and read back from, the prebuilt form.
pub(super) trait Coded: Sized {
    fn put(&self, out: &mut Vec<u8>);
    fn take(input: &mut Input<'_>) -> Option<Self>;
}

impl Coded for u32 {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(u32::from_le_bytes(input.bytes(4)?.try_into().ok()?))
    }
}

impl Coded for usize {
    fn put(&self, out: &mut Vec<u8>) {
        u32::try_from(*self).unwrap_or(u32::MAX).put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        usize::try_from(u32::take(input)?).ok()
    }
}

impl Coded for i64 {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(i64::from_le_bytes(input.bytes(8)?.try_into().ok()?))
    }
}

impl Coded for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        match input.bytes(1)? {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        }
    }
}

/// A text as its length and bytes: how [`String`] and [`Box<str>`] are
/// written, and a file's shared text.
pub(super) fn put_str(text: &str, out: &mut Vec<u8>) {
    text.len().put(out);
    out.extend_from_slice(text.as_bytes());
}

impl Coded for String {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self, out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        input.str().map(str::to_owned)
    }
}

impl Coded for Box<str> {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self, out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        String::take(input).map(String::into_boxed_str)
    }
}

impl<T: Coded> Coded for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.is_some().put(out);
        if let Some(value) = self {
            value.put(out);
        }
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        if bool::take(input)? { T::take(input).map(Some) } else { Some(None) }
    }
}

/// A list as its length and items: how [`Vec`] is written.
pub(super) fn put_all<T: Coded>(items: &[T], out: &mut Vec<u8>) {
    items.len().put(out);
    for item in items {
        item.put(out);
    }
}

impl<T: Coded> Coded for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        put_all(self, out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        let len = usize::take(input)?;
        // Bounded by what is left, so a wrong length cannot reserve gigabytes.
        let mut items = Vec::with_capacity(len.min(input.bytes.len()));
        for _ in 0..len {
            items.push(T::take(input)?);
        }
        Some(items)
    }
}

impl<T: Coded> Coded for Arc<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (**self).put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        T::take(input).map(Arc::new)
    }
}

impl Coded for Place {
    fn put(&self, out: &mut Vec<u8>) {
        self.range().put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        <Range<usize> as Coded>::take(input).map(Place::from)
    }
}

impl<T: Coded> Coded for Range<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.start.put(out);
        self.end.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(T::take(input)?..T::take(input)?)
    }
}

/// An enum as its position in a list of every value.
fn put_variant<T: PartialEq>(value: &T, all: &[T], out: &mut Vec<u8>) {
    // Every value is in `all`; one that were not would fail to decode.
    all.iter().position(|v| v == value).unwrap_or(all.len()).put(out);
}

fn take_variant<T: Copy>(all: &[T], input: &mut Input<'_>) -> Option<T> {
    all.get(usize::take(input)?).copied()
}

/// Implements [`Coded`] for enums with a list of every value.
macro_rules! coded_enum {
    ($($name:ty => $all:expr),+ $(,)?) => {$(
        impl Coded for $name {
            fn put(&self, out: &mut Vec<u8>) {
                put_variant(self, $all, out);
            }
            fn take(input: &mut Input<'_>) -> Option<Self> {
                take_variant($all, input)
            }
        }
    )+};
}

coded_enum! {
    Frequency => Frequency::ALL,
    Severity => Severity::ALL,
    Danger => Danger::ALL,
    super::drill::Difficulty => super::drill::Difficulty::ALL,
}

impl Coded for Kind {
    fn put(&self, out: &mut Vec<u8>) {
        // A match, so a new kind cannot be left out.
        let number: u32 = match self {
            Kind::Failure => 0,
            Kind::Runbook => 1,
        };
        number.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        match u32::take(input)? {
            0 => Some(Kind::Failure),
            1 => Some(Kind::Runbook),
            _ => None,
        }
    }
}

impl Coded for FileContents {
    fn put(&self, out: &mut Vec<u8>) {
        self.layers.put(out);
        self.texts.put(out);
        self.entries.len().put(out);
        for ParsedEntry { parts, refs, replaces } in &self.entries {
            parts.put(out);
            refs.put(out);
            replaces.put(out);
        }
        self.link_spans.put(out);
        self.drills.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        let layers = Coded::take(input)?;
        let texts = SealedTexts::take(input)?;
        let count = usize::take(input)?;
        let mut entries = Vec::with_capacity(count.min(input.bytes.len()));
        for _ in 0..count {
            let parts = EntryParts::take(input, &texts)?;
            entries.push(ParsedEntry { parts, refs: RefSpans::take(input)?, replaces: bool::take(input)? });
        }
        let link_spans = Coded::take(input)?;
        let drills = Coded::take(input)?;
        let file = FileContents { layers, entries, texts, link_spans, drills };
        // Linking reads one span per link: they must pair up.
        let pairs = |positions: &Range<u32>, links: usize| {
            positions.start <= positions.end
                && positions.end as usize <= file.link_spans.len()
                && positions.len() == links
        };
        let paired = file.entries.iter().all(|parsed| {
            pairs(&parsed.refs.related, parsed.parts.list_len(ListField::Related))
                && pairs(&parsed.refs.runbooks, parsed.parts.list_len(ListField::Runbooks))
        });
        paired.then_some(file)
    }
}

impl<T: Coded> Coded for Located<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.value.put(out);
        self.span.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(Located { value: T::take(input)?, span: Coded::take(input)? })
    }
}

impl Coded for Layer {
    fn put(&self, out: &mut Vec<u8>) {
        self.id.put(out);
        self.title.put(out);
        self.order.put(out);
        self.description.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(Layer {
            id: Coded::take(input)?,
            title: Coded::take(input)?,
            order: Coded::take(input)?,
            description: Coded::take(input)?,
        })
    }
}

impl Coded for RefSpans {
    fn put(&self, out: &mut Vec<u8>) {
        let RefSpans { id, layer, related, runbooks } = self;
        id.put(out);
        layer.put(out);
        related.put(out);
        runbooks.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(RefSpans {
            id: Coded::take(input)?,
            layer: Coded::take(input)?,
            related: Coded::take(input)?,
            runbooks: Coded::take(input)?,
        })
    }
}

impl Coded for Var {
    fn put(&self, out: &mut Vec<u8>) {
        self.name.put(out);
        self.description.put(out);
        self.default.put(out);
        self.choices.put(out);
        self.pattern.put(out);
        self.secret.put(out);
        self.suggest.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(Var {
            name: Coded::take(input)?,
            description: Coded::take(input)?,
            default: Coded::take(input)?,
            choices: Coded::take(input)?,
            pattern: Coded::take(input)?,
            secret: Coded::take(input)?,
            suggest: Coded::take(input)?,
        })
    }
}

impl Coded for Suggest {
    fn put(&self, out: &mut Vec<u8>) {
        self.run.put(out);
        self.column.put(out);
        self.strip.put(out);
        self.timeout.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(Suggest {
            run: Coded::take(input)?,
            column: Coded::take(input)?,
            strip: Coded::take(input)?,
            timeout: Coded::take(input)?,
        })
    }
}

impl Coded for Check {
    fn put(&self, out: &mut Vec<u8>) {
        self.run.put(out);
        u32::from(self.expect_exit).put(out);
        self.stdout_matches.put(out);
        self.every.put(out);
        self.within.put(out);
        self.pass.put(out);
        self.fail.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(Check {
            run: Coded::take(input)?,
            expect_exit: u8::try_from(u32::take(input)?).ok()?,
            stdout_matches: Coded::take(input)?,
            every: Coded::take(input)?,
            within: Coded::take(input)?,
            pass: Coded::take(input)?,
            fail: Coded::take(input)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::diagnostic::SourceMap;
    use crate::catalog::load::{EMBEDDED, EMBEDDED_PREFIX, PREBUILT};
    use crate::catalog::parse::parse_file;
    use crate::catalog::validate::link;
    use std::rc::Rc;

    /// The embedded files' paths, and what parsing them now gives.
    fn parsed() -> (Vec<Arc<str>>, Vec<FileContents>) {
        let mut diagnostics = Vec::new();
        let (paths, contents) = EMBEDDED
            .iter()
            .map(|(path, text)| {
                let path: Arc<str> = format!("{EMBEDDED_PREFIX}{path}").into();
                let contents = parse_file(&SourceMap::new(path.clone(), *text), None, &mut diagnostics);
                (path, contents)
            })
            .unzip();
        assert_eq!(diagnostics, []);
        (paths, contents)
    }

    #[test]
    fn the_prebuilt_catalog_is_what_parsing_the_embedded_files_gives() {
        let (paths, parsed) = parsed();
        assert!(!PREBUILT.is_empty(), "build.rs found problems in the embedded catalog");
        let decoded = decode(PREBUILT, &paths).expect("the prebuilt catalog decodes");
        // Entries as they read: the two lay their texts out differently.
        let readable = |files: &[FileContents]| {
            let entries = |file: &FileContents| {
                let entry = |parsed: &ParsedEntry| {
                    format!("{:?}", (file.texts.entry(&parsed.parts), &parsed.refs, parsed.replaces))
                };
                file.entries.iter().map(entry).collect::<Vec<_>>()
            };
            let file = |file: &FileContents| format!("{:#?}", (&file.layers, entries(file), &file.link_spans));
            files.iter().map(file).collect::<Vec<_>>()
        };
        assert_eq!(readable(&decoded), readable(&parsed));
        assert!(parsed.iter().map(|file| file.entries.len()).sum::<usize>() > 50);
    }

    #[test]
    fn link_positions_that_do_not_pair_with_the_links_are_refused() {
        let (paths, mut files) = parsed();
        let entry = files
            .iter_mut()
            .flat_map(|file| &mut file.entries)
            .find(|parsed| parsed.parts.list_len(ListField::Runbooks) == 0);
        let entry = entry.expect("an entry without runbooks");
        // Empty, yet reversed: slicing it would panic.
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 1..0;
        entry.refs.runbooks = reversed;
        assert!(decode(&encode(&files), &paths).is_none());
    }

    #[test]
    fn a_cut_or_damaged_form_is_refused_or_read_without_panicking() {
        let (paths, parsed) = parsed();
        let bytes = encode(&parsed);
        assert!(decode(&bytes, &paths).is_some());
        // About 300 places each, none a round number.
        let step = bytes.len() / 300 + 7;
        for len in (0..bytes.len()).step_by(step) {
            assert!(decode(&bytes[..len], &paths).is_none(), "cut at {len}");
        }
        assert!(decode(&[&bytes[..], &[0]].concat(), &paths).is_none(), "a byte too many");
        assert!(decode(&bytes, &paths[1..]).is_none(), "a file too few");
        for at in (3..bytes.len()).step_by(step) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0xA5;
            // Whatever decodes must read and link without a panic.
            let Some(files) = decode(&damaged, &paths) else { continue };
            for file in &files {
                for parsed in &file.entries {
                    // Serialising reads every field.
                    assert!(serde_json::to_string(&file.texts.entry(&parsed.parts)).is_ok());
                }
            }
            let sources = vec![0; files.len()];
            let reopen = |i: usize| Rc::new(SourceMap::new(paths[i].clone(), EMBEDDED[i].1));
            let catalog = link(files, &sources, Vec::new(), &reopen, &mut Vec::new());
            assert!(serde_json::to_string(&catalog).is_ok());
        }
    }
}
