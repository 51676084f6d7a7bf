//! Reading the catalog again while the navigator runs: its files are
//! watched (notify: inotify, kqueue, macOS's file events), so a save in an editor, a
//! `git pull` or a script writing a file shows at once; F4 opens an entry
//! in the editor, handing it the terminal.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::action::{Reloaded, SharedCatalog};
use super::event::{Event, Setup};
use crate::catalog::{self, Source};

/// Whether the catalog is being read, and whether it changed again since
/// the read began.
#[derive(Default)]
pub(super) struct Rereading {
    busy: bool,
    again: bool,
}

impl Rereading {
    /// Reads the catalog again on a thread of its own (the answer is an
    /// [`Event::Reloaded`]); during a read, once more after it.
    pub(super) fn start(&mut self, setup: &Setup, events: &Sender<Event>) {
        // Nothing to read again (a drill's catalog stays as it began).
        if setup.sources.is_empty() {
            return;
        }
        if self.busy {
            self.again = true;
            return;
        }
        self.busy = true;
        let (sources, problems, events) = (setup.sources.clone(), setup.problems.clone(), events.clone());
        let spawned = std::thread::Builder::new().name("reload".into()).spawn(move || {
            let loaded = catalog::load(&sources);
            let diagnostics = problems.into_iter().chain(loaded.diagnostics).collect();
            let reloaded = Reloaded { catalog: SharedCatalog(Arc::new(loaded.catalog)), diagnostics };
            let _ = events.send(Event::Reloaded(Box::new(reloaded)));
        });
        self.busy = spawned.is_ok();
    }

    /// A read came back; reads again if the files changed meanwhile.
    pub(super) fn done(&mut self, setup: &Setup, events: &Sender<Event>) {
        self.busy = false;
        if std::mem::take(&mut self.again) {
            self.start(setup, events);
        }
    }
}

/// Runs the editor on `path` at `line`, in the terminal, to its end; what
/// to say when it ended badly.
///
/// # Errors
/// The editor could not start: what to say.
pub(super) fn edit(path: &str, line: u32) -> Result<Option<String>, String> {
    let (program, args) = crate::editor::command(&crate::editor::chosen(), Path::new(path), line);
    match std::process::Command::new(&program).args(&args).status() {
        Ok(status) if status.success() => Ok(None),
        Ok(status) => Ok(Some(super::strings::editor_failed(&program, &status.to_string()))),
        Err(err) => Err(super::strings::editor_failed(&program, &err.to_string())),
    }
}

/// How long a burst of changes is gathered into one reload: an editor's
/// save is a write, a rename and a chmod; `git pull` is many files.
const SETTLE: Duration = Duration::from_millis(100);

/// Watches the files of `sources` and sends [`Event::FilesChanged`] once
/// per burst of changes to their catalog files. The watcher stops when
/// dropped; `None` when nothing could be watched (the embedded catalog
/// only, or no watch is available).
pub(super) fn watch(sources: &[Source], events: Sender<Event>) -> Option<RecommendedWatcher> {
    let (changes, inbox) = channel::<()>();
    let files: Vec<PathBuf> = sources
        .iter()
        .filter_map(|source| match source {
            Source::Path(path) if path.is_file() => Some(path.clone()),
            _ => None,
        })
        .collect();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let relevant = !matches!(event.kind, EventKind::Access(_))
            && event.paths.iter().any(|path| is_catalog_file(path) || files.contains(path));
        if relevant {
            let _ = changes.send(());
        }
    })
    .ok()?;
    let mut watching = 0;
    for source in sources {
        let Source::Path(path) = source else { continue };
        // A file is watched through its directory: an editor that saves by
        // renaming a new file over it replaces what a watch on it follows.
        let (target, mode) = if path.is_dir() {
            (path.as_path(), RecursiveMode::Recursive)
        } else {
            (path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")), RecursiveMode::NonRecursive)
        };
        if watcher.watch(target, mode).is_ok() {
            watching += 1;
        }
    }
    if watching == 0 {
        return None;
    }
    std::thread::Builder::new()
        .name("watch".into())
        .spawn(move || {
            while inbox.recv().is_ok() {
                std::thread::sleep(SETTLE);
                while inbox.try_recv().is_ok() {}
                if events.send(Event::FilesChanged).is_err() {
                    return;
                }
            }
        })
        .ok()?;
    Some(watcher)
}

/// A file a catalog is read from: TOML (an editor's swap and backup files
/// are not).
fn is_catalog_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    !name.starts_with('.') && path.extension().is_some_and(|ext| ext == "toml")
}

#[cfg(test)]
mod tests {
    use super::is_catalog_file;
    use std::path::Path;

    #[test]
    fn catalog_files_are_told_from_an_editors_own() {
        for (path, catalog) in [
            ("c/team.toml", true),
            ("runbooks/db.md", false),
            ("c/.team.toml.swp", false),
            ("c/team.toml~", false),
            ("c/4913", false),
            ("c/.#team.toml", false),
        ] {
            assert_eq!(is_catalog_file(Path::new(path)), catalog, "{path}");
        }
    }
}
