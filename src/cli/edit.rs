//! `pagerbook edit ID`: the entry's file opened at its line in the user's
//! editor, then checked, so a mistake is said before the navigator meets it.

use std::io::{self, Write};
use std::path::Path;
use std::process::Command;

use super::{EXIT_OK, EXIT_PROBLEM, load_noting_problems, unknown_id};
use crate::catalog::{self, EMBEDDED_PREFIX, LoadOptions, Source};
use crate::editor;

pub(super) fn edit(sources: &[Source], id: &str, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let catalog = load_noting_problems(sources, err)?.catalog;
    let Some(entry) = catalog.get(id) else { return unknown_id(&catalog, id, err) };
    let origin = entry.origin();
    if let Some(inside) = origin.path.strip_prefix(EMBEDDED_PREFIX) {
        writeln!(
            err,
            "pagerbook: error: `{id}` is built into pagerbook ({inside}:{}), which cannot be edited here; \
             a team's own entries live in ~/.config/pagerbook/catalog/",
            origin.line
        )?;
        return Ok(EXIT_PROBLEM);
    }
    let path = Path::new(&*origin.path);
    let (program, args) = editor::command(&editor::chosen(), path, origin.line);
    let status = match Command::new(&program).args(&args).status() {
        Ok(status) => status,
        Err(e) => {
            writeln!(err, "pagerbook: error: cannot start the editor `{program}`: {e} (set VISUAL or EDITOR)")?;
            return Ok(EXIT_PROBLEM);
        }
    };
    if !status.success() {
        writeln!(err, "pagerbook: the editor `{program}` ended with {status}")?;
    }
    // The file as it is now, beside the catalogs it loads with.
    let options = LoadOptions { context: sources.to_vec(), strict: None };
    let loaded = catalog::load_with(&[Source::Path(path.to_owned())], &options);
    let errors = loaded.error_count();
    for problem in &loaded.diagnostics {
        writeln!(out, "{problem}")?;
    }
    if loaded.diagnostics.is_empty() {
        writeln!(out, "{}: no problems", path.display())?;
    }
    Ok(if errors > 0 || !status.success() { EXIT_PROBLEM } else { EXIT_OK })
}
