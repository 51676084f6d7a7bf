//! Finding the catalog files under the paths given: each real directory
//! once, loops and excessive depth reported, the same file read once.

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
                let is_toml = child.extension().is_some_and(|ext| ext == "toml");
                let is_dir = fs::metadata(&child).is_ok_and(|m| m.is_dir())
                    || fs::symlink_metadata(&child).is_ok_and(|m| m.is_dir());
                let hidden = child.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.'));
                if !hidden && (is_toml || is_dir) {
                    self.visit(&child, false);
                }
            }
            self.ancestors.pop();
            return;
        }
        if !file_type.is_file() {
            let what = file_kind(file_type);
            return self.problem(path, format!("not a catalog file: it is {what}; give a TOML file or a directory"));
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
