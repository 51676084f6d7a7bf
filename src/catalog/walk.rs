//! Finding the files under the paths given (catalog files, or the markdown
//! pages `import` reads): each real directory once, loops and excessive
//! depth reported, hidden ones left out, the same file read once.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::diagnostic::{Diagnostic, Level, file_diagnostic};
use super::load::{Location, SourceFile, file_kind, io_message};

/// Walks files and directories, skipping files already read and stopping at
/// symbolic-link loops.
pub(super) struct Walk<'a> {
    /// What is looked for: `toml` files, or `md` pages.
    pub(super) extension: &'a str,
    pub(super) files: &'a mut Vec<SourceFile>,
    pub(super) seen: &'a mut HashSet<PathBuf>,
    pub(super) diagnostics: &'a mut Vec<Diagnostic>,
    pub(super) source: usize,
    /// Canonical paths of the directories being walked, to spot loops.
    pub(super) ancestors: Vec<PathBuf>,
    /// Canonical paths of the directories walked already: a directory
    /// reached again through links is not walked again (a 16-level lattice
    /// of links took 43 s).
    pub(super) walked: HashSet<PathBuf>,
}

/// How deep directories are walked: a catalog is a few levels, and an
/// 800-level tree took seconds of path resolution.
const MAX_DEPTH: usize = 32;

impl Walk<'_> {
    fn problem(&mut self, path: &Path, message: impl Into<String>) {
        let path: Arc<str> = path.display().to_string().into();
        self.diagnostics.push(file_diagnostic(&path, Level::Error, message));
    }

    /// Visits a path; `named` is true when the user named it rather than a
    /// directory walk finding it.
    pub(super) fn visit(&mut self, path: &Path, named: bool) {
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(err) if !named && fs::symlink_metadata(path).is_ok() && err.kind() == io::ErrorKind::NotFound => {
                return self.problem(path, "broken symbolic link");
            }
            Err(err) => return self.problem(path, io_message(&err)),
        };
        let file_type = metadata.file_type();
        let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if file_type.is_dir() {
            if let Some(ancestor) = self.ancestors.iter().find(|a| **a == canonical) {
                let message =
                    format!("symbolic link loop: this directory leads back to {}; not read again", ancestor.display());
                return self.problem(path, message);
            }
            if self.ancestors.len() >= MAX_DEPTH {
                return self.problem(path, format!("more than {MAX_DEPTH} directories deep: not read"));
            }
            if !self.walked.insert(canonical.clone()) {
                // Reached by a second route: its files are read once.
                return;
            }
            let mut children = match fs::read_dir(path)
                .and_then(|dir| dir.map(|e| e.map(|e| e.path())).collect::<io::Result<Vec<_>>>())
            {
                Ok(children) => children,
                Err(err) => return self.problem(path, io_message(&err)),
            };
            children.sort();
            self.ancestors.push(canonical);
            for child in children {
                let wanted = child.extension().is_some_and(|ext| ext == self.extension);
                let is_dir = fs::metadata(&child).is_ok_and(|m| m.is_dir())
                    || fs::symlink_metadata(&child).is_ok_and(|m| m.is_dir());
                let hidden = child.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.'));
                if !hidden && (wanted || is_dir) {
                    self.visit(&child, false);
                }
            }
            self.ancestors.pop();
            return;
        }
        if !file_type.is_file() {
            let what = file_kind(file_type);
            let message = if self.extension == "toml" {
                format!("not a catalog file: it is {what}; give a TOML file or a directory")
            } else {
                format!("not a .{} file: it is {what}; give one or a directory", self.extension)
            };
            return self.problem(path, message);
        }
        if !self.seen.insert(canonical) {
            // The same file reached by two routes (a link, or two paths) is read once.
            return;
        }
        self.files.push(SourceFile {
            path: path.display().to_string().into(),
            location: Location::Disk(path.to_path_buf()),
            source: self.source,
        });
    }
}

/// The files ending in `.extension` under `path` (itself, when it is a
/// file), in order, each found once; and what could not be read.
#[must_use]
pub fn files_under(path: &Path, extension: &str) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let (mut files, mut diagnostics) = (Vec::new(), Vec::new());
    Walk {
        extension,
        files: &mut files,
        seen: &mut HashSet::new(),
        diagnostics: &mut diagnostics,
        source: 0,
        ancestors: Vec::new(),
        walked: HashSet::new(),
    }
    .visit(path, true);
    let paths = files
        .into_iter()
        .filter_map(|file| match file.location {
            Location::Disk(path) => Some(path),
            Location::Embedded(_) => None,
        })
        .collect();
    (paths, diagnostics)
}
