//! Where catalogs come from and how files are read: the embedded catalog, the
//! user's catalog directory, `PAGERBOOK_CATALOG`, or `--catalog` paths.
//!
//! Reading never stops at a bad file: every problem becomes a diagnostic and
//! the other files still load.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs;
use std::io;
use std::os::unix::fs::FileTypeExt;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use serde::Serialize;

use super::diagnostic::{Diagnostic, Level, SourceMap, file_diagnostic};
use super::model::{Catalog, Layer};
use super::parse::{FileContents, parse_file, parse_layers};
use super::review::Review;
use super::validate::link;
use super::walk::Walk;

/// The catalog files built into the binary: (path relative to the repository, text).
pub(super) const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// What the embedded files define, parsed at build time (see `prebuilt`);
/// empty when they had problems, which then show as they are parsed.
pub(super) const PREBUILT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/prebuilt.bin"));

/// Files larger than this are refused: a catalog of 100 000 entries is about
/// 50 MB, and anything beyond is more likely a mistake than a catalog.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Prefix of the paths of embedded files in diagnostics.
pub const EMBEDDED_PREFIX: &str = "<embedded>/";

/// One place catalogs are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The catalog built into the binary.
    Embedded,
    /// The user's catalog directory; it is fine for it not to exist.
    UserDir(PathBuf),
    /// A path from `PAGERBOOK_CATALOG`.
    Env(PathBuf),
    /// A path given with `--catalog` or to `check`.
    Path(PathBuf),
}

impl Source {
    /// The sources used without `--catalog`: embedded, the user's directory,
    /// then each path in `PAGERBOOK_CATALOG` (colon-separated).
    #[must_use]
    pub fn defaults(env_catalog: Option<OsString>) -> Vec<Source> {
        let mut sources = vec![Source::Embedded];
        if let Some(dir) = user_catalog_dir() {
            sources.push(Source::UserDir(dir));
        }
        if let Some(paths) = env_catalog {
            sources.extend(std::env::split_paths(&paths).filter(|p| !p.as_os_str().is_empty()).map(Source::Env));
        }
        sources
    }

    fn label(&self) -> String {
        match self {
            Source::Embedded => "embedded catalog".to_owned(),
            Source::UserDir(path) => format!("user catalog directory {}", path.display()),
            Source::Env(path) => format!("PAGERBOOK_CATALOG {}", path.display()),
            Source::Path(path) => path.display().to_string(),
        }
    }
}

/// The user's catalog directory: `catalog/` under pagerbook's config directory
/// (`~/.config/pagerbook/catalog` on Linux).
#[must_use]
pub fn user_catalog_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "pagerbook").map(|dirs| dirs.config_dir().join("catalog"))
}

/// What one source gave.
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    /// What the source is, for people.
    pub source: String,
    /// Files read.
    pub files: usize,
    /// Entries (failure modes and runbooks) they define that loaded.
    pub entries: usize,
    /// How many drills it gave.
    pub drills: usize,
    /// Whether the source exists (a missing user directory is not an error).
    pub present: bool,
}

/// The result of loading: the catalog and everything that was wrong.
#[derive(Debug, Default)]
pub struct Loaded {
    /// What loaded.
    pub catalog: Catalog,
    /// Every problem, in file order, then by line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// What each source gave.
    pub sources: Vec<SourceReport>,
}

impl Loaded {
    /// How many diagnostics are errors.
    #[must_use]
    pub fn error_count(&self) -> usize {
        crate::diagnostic::errors(&self.diagnostics)
    }
}

/// A catalog file found in a source, not yet read.
pub(super) struct SourceFile {
    pub(super) path: Arc<str>,
    pub(super) location: Location,
    pub(super) source: usize,
}

/// Where a file's text is.
pub(super) enum Location {
    Embedded(&'static str),
    Disk(PathBuf),
}

impl SourceFile {
    /// The file's text, checked to be UTF-8 (a byte-order mark removed and reported).
    fn read(&self, diagnostics: &mut Vec<Diagnostic>) -> Option<Cow<'static, str>> {
        match &self.location {
            Location::Embedded(text) => check_text(&self.path, text.as_bytes(), diagnostics),
            // Bounded whatever the size says (`/proc/self/pagemap` says 0 and
            // grew memory at 170 MB/s), and never blocking on a FIFO swapped
            // in since the walk looked.
            Location::Disk(path) => match crate::files::read_regular_bytes(path, MAX_FILE_BYTES) {
                Ok(bytes) => check_text(&self.path, &bytes, diagnostics).map(|t| Cow::Owned(t.into_owned())),
                Err(err) => {
                    let message = match err.kind() {
                        io::ErrorKind::FileTooLarge => {
                            format!("file too large; the limit is {} MiB", MAX_FILE_BYTES >> 20)
                        }
                        // Ours, not the system's (which may say EINVAL too).
                        io::ErrorKind::InvalidInput if err.raw_os_error().is_none() => {
                            "not a regular file any more: it changed while loading".to_owned()
                        }
                        _ => io_message(&err),
                    };
                    diagnostics.push(file_diagnostic(&self.path, Level::Error, message));
                    None
                }
            },
        }
    }
}

/// How sources are read, besides the sources themselves.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Sources read before the others for what they define: their layers and
    /// entries count for links and duplicates, but their problems are not
    /// reported and [`Loaded::sources`] leaves them out. `check PATH` checks
    /// PATH against the embedded catalog this way.
    pub context: Vec<Source>,
    /// Also warn about what a reviewed entry should have (`check --strict`).
    pub strict: Option<Review>,
}

/// Loads every file of every source, collecting problems as it goes.
#[must_use]
pub fn load(sources: &[Source]) -> Loaded {
    load_with(sources, &LoadOptions::default())
}

/// Loads the context, then every file of every source, collecting the
/// sources' problems as it goes.
///
/// The embedded catalog's layers are always known: when neither `sources`
/// nor the context holds [`Source::Embedded`], a layer that no file declares
/// is taken from it, so a team's `--catalog` can place entries in `edge` or
/// `external` without declaring them.
#[must_use]
pub fn load_with(sources: &[Source], options: &LoadOptions) -> Loaded {
    let checked_from = options.context.len();
    let all: Vec<&Source> = options.context.iter().chain(sources).collect();
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    let mut reports = vec![None; all.len()];
    let mut seen = HashSet::new();
    // The checked sources are walked first, so a file both they and the
    // context reach is checked rather than taken as context.
    for index in (checked_from..all.len()).chain(0..checked_from) {
        let mut context_problems = Vec::new();
        let problems = if index < checked_from { &mut context_problems } else { &mut diagnostics };
        let before = files.len();
        let present = match all[index] {
            Source::Embedded => {
                files.extend(EMBEDDED.iter().map(|(path, text)| SourceFile {
                    path: format!("{EMBEDDED_PREFIX}{path}").into(),
                    location: Location::Embedded(text),
                    source: index,
                }));
                true
            }
            Source::UserDir(path) if !path.exists() => false,
            Source::UserDir(path) | Source::Env(path) | Source::Path(path) => {
                let mut walk = Walk {
                    extension: "toml",
                    files: &mut files,
                    seen: &mut seen,
                    diagnostics: problems,
                    source: index,
                    ancestors: Vec::new(),
                    walked: HashSet::new(),
                };
                walk.visit(path, true);
                true
            }
        };
        let report =
            SourceReport { source: all[index].label(), files: files.len() - before, entries: 0, drills: 0, present };
        reports[index] = Some(report);
    }
    // Stable: each source's files keep their walk order.
    files.sort_by_key(|file| file.source);
    let mut reports: Vec<SourceReport> = reports.into_iter().flatten().collect();

    let contents = parse_all(&files, options.strict.as_ref(), &mut diagnostics);
    let fallback_layers = if all.contains(&&Source::Embedded) { Vec::new() } else { embedded_layers() };
    // Texts are not kept: cross-file problems are rare, and reading a file
    // again to show one costs less than holding every file meanwhile. A
    // file read again is kept, though: with one read per diagnostic, a
    // file of 4 000 broken links was read 4 000 times.
    let reopened: RefCell<HashMap<usize, Rc<SourceMap<'static>>>> = RefCell::default();
    let reopen = |index: usize| {
        let mut reopened = reopened.borrow_mut();
        let map = reopened.entry(index).or_insert_with(|| {
            let text = files[index].read(&mut Vec::new()).unwrap_or_default();
            Rc::new(SourceMap::new(files[index].path.clone(), text))
        });
        map.clone()
    };
    let file_sources: Vec<usize> = files.iter().map(|file| file.source).collect();
    let catalog = link(contents, &file_sources, fallback_layers, &reopen, &mut diagnostics);

    let file_source: HashMap<&str, usize> = files.iter().map(|f| (&*f.path, f.source)).collect();
    for entry in catalog.entries() {
        if let Some(&source) = file_source.get(&*entry.origin().path) {
            reports[source].entries += 1;
        }
    }
    for drill in catalog.drills() {
        if let Some(&source) = file_source.get(&*drill.origin.path) {
            reports[source].drills += 1;
        }
    }
    diagnostics.retain(|d| file_source.get(&*d.path).is_none_or(|&source| source >= checked_from));
    let file_order: HashMap<&str, usize> = files.iter().enumerate().map(|(i, f)| (&*f.path, i)).collect();
    diagnostics.sort_by_key(|d| (file_order.get(&*d.path).copied().unwrap_or(usize::MAX), d.line, d.column));
    reports.drain(..checked_from);
    Loaded { catalog, diagnostics, sources: reports }
}

/// The layers the embedded catalog declares. Only the `[[layer]]` tables are
/// parsed, each up to the next table: parsing the whole catalog for them took
/// a millisecond of the start-up with `--catalog`.
fn embedded_layers() -> Vec<Layer> {
    EMBEDDED
        .iter()
        .flat_map(|(path, text)| {
            let path: Arc<str> = format!("{EMBEDDED_PREFIX}{path}").into();
            layer_tables(text).flat_map(move |table| parse_layers(&SourceMap::new(path.clone(), table)))
        })
        .collect()
}

/// The text of each `[[layer]]` table of a file, up to the next table header.
fn layer_tables(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("[[layer]]").filter(|(at, _)| *at == 0 || text[..*at].ends_with('\n')).map(|(at, header)| {
        let body = at + header.len();
        let end = text[body..].find("\n[").map_or(text.len(), |i| body + i + 1);
        &text[at..end]
    })
}

/// What a parsing thread gives back: the files it parsed, by index, and
/// their diagnostics.
type WorkerOutput = (Vec<(usize, FileContents)>, Vec<Diagnostic>);

/// Reads and parses every file, on as many threads as there are cores: each
/// file's text lives only while it is parsed. The embedded files come
/// prebuilt unless `strict` asks for what only a parse at run time tells.
fn parse_all(files: &[SourceFile], strict: Option<&Review>, diagnostics: &mut Vec<Diagnostic>) -> Vec<FileContents> {
    let mut contents: Vec<Option<FileContents>> = (0..files.len()).map(|_| None).collect();
    if strict.is_none() {
        prebuilt_embedded(files, &mut contents);
    }
    let unparsed: Vec<usize> = (0..files.len()).filter(|&i| contents[i].is_none()).collect();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(unparsed.len());
    let parse = |index: usize, diagnostics: &mut Vec<Diagnostic>| {
        let file = &files[index];
        let Some(text) = file.read(diagnostics) else { return FileContents::default() };
        let map = SourceMap::new(file.path.clone(), text);
        parse_file(&map, strict, diagnostics)
    };
    let work = |worker: usize| -> WorkerOutput {
        let mut diagnostics = Vec::new();
        let parsed = unparsed.iter().skip(worker).step_by(threads).map(|&i| (i, parse(i, &mut diagnostics))).collect();
        (parsed, diagnostics)
    };
    // This thread is one of the workers: fewer threads, and fewer malloc
    // arenas holding the entries. A worker that panics loses its files,
    // whichever thread it ran on.
    let results: Vec<WorkerOutput> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|worker| scope.spawn(move || work(worker))).collect();
        let mine = (threads > 0).then(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(0))).ok());
        mine.flatten().into_iter().chain(others.into_iter().filter_map(|worker| worker.join().ok())).collect()
    });
    for (parsed, found) in results {
        diagnostics.extend(found);
        for (index, file) in parsed {
            contents[index] = Some(file);
        }
    }
    contents.into_iter().map(Option::unwrap_or_default).collect()
}

/// Fills in the embedded files from [`PREBUILT`], when they are all there,
/// in order, and it decodes.
fn prebuilt_embedded(files: &[SourceFile], contents: &mut [Option<FileContents>]) {
    let embedded: Vec<usize> =
        (0..files.len()).filter(|&i| matches!(files[i].location, Location::Embedded(_))).collect();
    let in_order = embedded.len() == EMBEDDED.len()
        && embedded
            .iter()
            .zip(EMBEDDED)
            .all(|(&i, (path, _))| files[i].path.strip_prefix(EMBEDDED_PREFIX) == Some(path));
    if !in_order || PREBUILT.is_empty() {
        return;
    }
    let paths: Vec<Arc<str>> = embedded.iter().map(|&i| files[i].path.clone()).collect();
    if let Some(decoded) = super::prebuilt::decode(PREBUILT, &paths) {
        for (index, file) in embedded.into_iter().zip(decoded) {
            contents[index] = Some(file);
        }
    }
}

/// What a file that is not a regular one is, for messages: "it is {kind}".
pub(crate) fn file_kind(file_type: fs::FileType) -> &'static str {
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Checks that a file is UTF-8 without a byte-order mark. A file that is not
/// UTF-8 is refused whole: converting it would silently change a command.
pub(crate) fn check_text<'t>(
    path: &Arc<str>,
    bytes: &'t [u8],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Cow<'t, str>> {
    let (bytes, had_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            // A BOM is harmless (the file is read without it): a warning,
            // so its entries load and nothing counts as broken.
            if had_bom {
                diagnostics.push(file_diagnostic(
                    path,
                    Level::Warning,
                    "the file starts with a byte-order mark: it was read without it (save it as UTF-8 without BOM)",
                ));
            }
            Some(Cow::Borrowed(text))
        }
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The bytes before the error are UTF-8 by definition of the error.
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
            let byte = bytes[err.valid_up_to()];
            diagnostics.push(Diagnostic {
                path: path.clone(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
                level: Level::Error,
                message: format!(
                    "not UTF-8: byte 0x{byte:02X} at offset {} is invalid; the file was not loaded",
                    err.valid_up_to()
                ),
                snippet: None,
            });
            None
        }
    }
}

/// What went wrong reading a file, for people.
pub(crate) fn io_message(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "cannot read: permission denied".to_owned(),
        _ if err.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            "symbolic link loop (too many levels of symbolic links)".to_owned()
        }
        _ => format!("cannot read: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Entry;

    #[test]
    fn the_embedded_files_come_prebuilt_and_load_as_parsing_them_does() {
        let files: Vec<SourceFile> = EMBEDDED
            .iter()
            .map(|(path, text)| SourceFile {
                path: format!("{EMBEDDED_PREFIX}{path}").into(),
                location: Location::Embedded(text),
                source: 0,
            })
            .collect();
        let mut contents: Vec<Option<FileContents>> = (0..files.len()).map(|_| None).collect();
        prebuilt_embedded(&files, &mut contents);
        assert!(contents.iter().all(Option::is_some), "the prebuilt form was not used");
        // `strict` parses at run time: the same catalog, with more warnings.
        let prebuilt = load(&[Source::Embedded]);
        let strict =
            LoadOptions { strict: Some(Review::as_of(std::time::SystemTime::UNIX_EPOCH, 1)), ..Default::default() };
        let parsed = load_with(&[Source::Embedded], &strict);
        let json = |loaded: &Loaded| serde_json::to_string(&loaded.catalog.entries()).unwrap_or_default();
        assert_eq!(json(&prebuilt), json(&parsed));
        assert_eq!(prebuilt.diagnostics, []);
        for entry in prebuilt.catalog.entries() {
            assert_eq!(prebuilt.catalog.get(entry.id()).map(Entry::id), Some(entry.id()));
        }
    }

    #[test]
    fn the_embedded_layers_read_alone_are_those_of_the_whole_catalog() {
        let fields = |layer: Layer| (layer.order, layer.id, layer.title, layer.description);
        let whole: Vec<_> = load(&[Source::Embedded]).catalog.layers.into_iter().map(fields).collect();
        let mut alone: Vec<_> = embedded_layers().into_iter().map(fields).collect();
        alone.sort();
        assert!(!alone.is_empty());
        assert_eq!(alone, whole);
    }
}
