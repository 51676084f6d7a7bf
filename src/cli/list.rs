//! `list`: every entry, grouped by layer edge inward, or as JSON.

use std::io::{self, Write};

use serde::Serialize;

use super::text::or_unknown;
use super::{EXIT_OK, load_noting_problems};
use crate::catalog::{self, Kind, Source};
use crate::present::{self, Group};
use crate::wrap::plural;

/// One line of `list --json`.
#[derive(Serialize)]
struct ListedEntry<'a> {
    id: &'a str,
    kind: Kind,
    layer: Option<&'a str>,
    title: &'a str,
    frequency: Option<catalog::Frequency>,
    severity: Option<catalog::Severity>,
}

pub(super) fn list(sources: &[Source], json: bool, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let loaded = load_noting_problems(sources, err)?;
    let catalog = &loaded.catalog;
    if json {
        let entries: Vec<_> = catalog
            .entries()
            .iter()
            .map(|e| ListedEntry {
                id: e.id(),
                kind: e.kind,
                layer: e.layer(),
                title: e.title(),
                frequency: e.frequency,
                severity: e.severity,
            })
            .collect();
        let document = serde_json::json!({ "layers": catalog.layers, "entries": entries });
        serde_json::to_writer_pretty(&mut *out, &document)?;
        writeln!(out)?;
        return Ok(EXIT_OK);
    }
    let id_width = catalog.entries().iter().map(|e| e.id().len()).max().unwrap_or(0);
    for (group, entries) in present::grouped(catalog, catalog.entries()) {
        match group {
            Group::Layer { id, title } => writeln!(out, "{title} ({id})")?,
            _ => writeln!(out, "{}", group.title())?,
        }
        for entry in entries {
            let rating = match entry.kind {
                Kind::Failure => format!("  [{}, {}]", or_unknown(entry.frequency), or_unknown(entry.severity)),
                Kind::Runbook => String::new(),
            };
            writeln!(out, "  {:id_width$}  {}{rating}", entry.id(), entry.title())?;
        }
        writeln!(out)?;
    }
    let (failures, runbooks) = catalog.counts();
    writeln!(out, "{} and {}", plural(failures, "failure mode"), plural(runbooks, "runbook"))?;
    Ok(EXIT_OK)
}
