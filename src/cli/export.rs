//! `pagerbook export`: entries as markdown pages (see `export`), to
//! standard output or one file each under `--out`, with an index page.

use std::io::{self, Write};
use std::path::Path;

use super::{EXIT_OK, load_noting_problems, unknown_id};
use crate::catalog::Source;
use crate::export;
use crate::files;

pub(super) fn export(
    sources: &[Source],
    ids: &[String],
    out_dir: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let catalog = load_noting_problems(sources, err)?.catalog;
    let mut positions = Vec::new();
    for id in ids {
        match catalog.position(id) {
            Some(position) => positions.push(position),
            None => return unknown_id(&catalog, id, err),
        }
    }
    if ids.is_empty() {
        positions.extend(0..catalog.entries().len());
    }
    let Some(dir) = out_dir else {
        for (n, &position) in positions.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            out.write_all(export::page(&catalog, position).as_bytes())?;
        }
        return Ok(EXIT_OK);
    };
    for &position in &positions {
        let id = catalog.entries()[position].id();
        files::write_shared(&dir.join(format!("{id}.md")), export::page(&catalog, position).as_bytes())?;
    }
    // Hugo's name for a section's page, which `import` leaves out.
    let entries: Vec<_> = positions.iter().map(|&p| &catalog.entries()[p]).collect();
    files::write_shared(&dir.join("_index.md"), export::index(&catalog, &entries).as_bytes())?;
    writeln!(
        out,
        "exported {} and an index (_index.md) into {}",
        crate::wrap::plural(positions.len(), "page"),
        dir.display()
    )?;
    Ok(EXIT_OK)
}
