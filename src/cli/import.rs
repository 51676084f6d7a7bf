//! `pagerbook import`: markdown runbooks into catalog files (see `import`),
//! one TOML file per page under `--out`, the problems of each said at its
//! place in the markdown.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::args::ImportFormat;
use super::{EXIT_OK, EXIT_PROBLEM};
use crate::catalog::user_catalog_dir;
use crate::files;
use crate::import::{self, Collection, Markdown};
use crate::wrap::plural;

/// The largest markdown file read.
const PAGE_LIMIT: u64 = 4 * 1024 * 1024;

pub(super) fn import(
    paths: &[PathBuf],
    out_dir: Option<&Path>,
    format: ImportFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let Some(out_dir) = out_dir.map(Path::to_owned).or_else(|| user_catalog_dir().map(|d| d.join("imported"))) else {
        writeln!(err, "pagerbook: error: no config directory (set HOME); give --out DIR")?;
        return Ok(EXIT_PROBLEM);
    };
    let mut found = Vec::new();
    for path in paths {
        collect(path, path, &mut found, err)?;
    }
    let mut texts = Vec::new();
    for (file, relative) in &found {
        let shown = file.display().to_string();
        match files::read_regular(file, PAGE_LIMIT) {
            Ok(text) => texts.push((shown, relative.clone(), text)),
            Err(e) => writeln!(err, "{shown}: error: cannot read: {}", crate::catalog::load::io_message(&e))?,
        }
    }
    let pages: Vec<Markdown<'_>> = texts
        .iter()
        .map(|(path, _, text)| {
            let collection = match format {
                ImportFormat::Auto => Collection::guess(path, text),
                ImportFormat::PrometheusOperator => Collection::PrometheusOperator,
                ImportFormat::Openshift => Collection::Openshift,
            };
            Markdown { path, text, collection }
        })
        .collect();
    let (mut written, mut skipped, mut warned) = (0, 0, 0);
    for ((shown, relative, _), converted) in texts.iter().zip(import::convert(&pages)) {
        match converted {
            Ok(converted) => {
                for w in &converted.warnings {
                    writeln!(err, "{shown}:{}:{}: warning: {}", w.line, w.column, w.message)?;
                }
                warned += converted.warnings.len();
                let target = out_dir.join(relative.with_extension("toml"));
                files::write_shared(&target, converted.toml.as_bytes())?;
                written += 1;
            }
            Err(skip) => {
                let w = skip.warning;
                writeln!(err, "{shown}:{}:{}: warning: skipped: {}", w.line, w.column, w.message)?;
                skipped += 1;
            }
        }
    }
    writeln!(
        out,
        "imported {} into {}; skipped {}; {}",
        plural(written, "file"),
        out_dir.display(),
        skipped,
        plural(warned, "warning")
    )?;
    writeln!(out, "check them: pagerbook check {}", out_dir.display())?;
    Ok(if written == 0 && !found.is_empty() { EXIT_PROBLEM } else { EXIT_OK })
}

/// The markdown files under `path` (itself, when it is one), each with its
/// path under `root` (its name, for a file given alone): where its catalog
/// file goes under `--out`.
fn collect(root: &Path, path: &Path, found: &mut Vec<(PathBuf, PathBuf)>, err: &mut dyn Write) -> io::Result<()> {
    // A link is not followed: a link to a parent would loop.
    let linked = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if linked && path != root {
        return writeln!(err, "{}: warning: a symbolic link, not followed", path.display());
    }
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) => return writeln!(err, "{}: error: {}", path.display(), crate::catalog::load::io_message(&e)),
    };
    if metadata.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for entry in entries {
            collect(root, &entry, found, err)?;
        }
    } else if path.extension().is_some_and(|ext| ext == "md") {
        // Hugo's section pages list the others; they are no runbook.
        if path.file_name().is_some_and(|name| name == "_index.md") {
            return Ok(());
        }
        let base = if root.is_dir() { root } else { root.parent().unwrap_or(root) };
        let relative = path.strip_prefix(base).unwrap_or(path);
        // Never out of `--out`: a path with `..` keeps its name only.
        let safe = relative.components().all(|c| matches!(c, std::path::Component::Normal(_)));
        let relative = if safe { relative.to_owned() } else { PathBuf::from(path.file_name().unwrap_or_default()) };
        found.push((path.to_owned(), relative));
    }
    Ok(())
}
