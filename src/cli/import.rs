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
        collect(path, &mut found, err)?;
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
    let mut targets = std::collections::HashSet::new();
    let earlier = imported_before(&out_dir);
    for ((shown, relative, _), converted) in texts.iter().zip(import::convert(&pages)) {
        match converted {
            Ok(converted) => {
                for w in &converted.warnings {
                    writeln!(err, "{shown}:{}:{}: warning: {}", w.line, w.column, w.message)?;
                }
                warned += converted.warnings.len();
                // Imported before, from wherever: the same file is replaced,
                // so a page imported again never makes a second entry.
                let target = match earlier.get(&converted.id) {
                    Some(path) if !targets.contains(path) => {
                        targets.insert(path.clone());
                        path.clone()
                    }
                    _ => free_target(&out_dir.join(relative.with_extension("toml")), &mut targets),
                };
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

/// The files an earlier import wrote under `out_dir`, by the id of their
/// entry (the `id = "…"` line it writes first).
fn imported_before(out_dir: &Path) -> std::collections::HashMap<String, PathBuf> {
    if !out_dir.is_dir() {
        return std::collections::HashMap::new();
    }
    let (files, _) = crate::catalog::files_under(out_dir, "toml");
    files
        .into_iter()
        .filter_map(|path| {
            let text = files::read_regular(&path, PAGE_LIMIT).ok()?;
            let id = text.lines().find_map(|line| line.strip_prefix("id = \""))?.strip_suffix('"')?.to_owned();
            text.starts_with("# Converted by `pagerbook import`").then_some((id, path))
        })
        .collect()
}

/// `wanted`, unless a page of this run took it already (two folders given,
/// each with a `README.md`): then `NAME-2.toml`, `NAME-3.toml`, ….
fn free_target(wanted: &Path, taken: &mut std::collections::HashSet<PathBuf>) -> PathBuf {
    let stem = wanted.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    let target = std::iter::once(wanted.to_owned())
        .chain((2..=taken.len() + 2).map(|n| wanted.with_file_name(format!("{stem}-{n}.toml"))))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| wanted.to_owned());
    taken.insert(target.clone());
    target
}

/// The markdown pages under `path` (itself, when it is one), found as the
/// catalog's files are (links followed once, loops and hidden directories
/// left out), each with its path under `path` (its name, for a page given
/// alone): where its catalog file goes under `--out`.
fn collect(path: &Path, found: &mut Vec<(PathBuf, PathBuf)>, err: &mut dyn Write) -> io::Result<()> {
    let (pages, problems) = crate::catalog::files_under(path, "md");
    for problem in problems {
        writeln!(err, "{problem}")?;
    }
    let base = if path.is_dir() { path } else { path.parent().unwrap_or(path) };
    // Hugo's section pages list the others; they are no runbook.
    for page in pages.into_iter().filter(|page| page.file_name().is_none_or(|name| name != "_index.md")) {
        let relative = page.strip_prefix(base).unwrap_or(&page);
        // Never out of `--out`: a path with `..` keeps its name only.
        let safe = relative.components().all(|c| matches!(c, std::path::Component::Normal(_)));
        let relative = if safe { relative.to_owned() } else { PathBuf::from(page.file_name().unwrap_or_default()) };
        found.push((page, relative));
    }
    Ok(())
}
