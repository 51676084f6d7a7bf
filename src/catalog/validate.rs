//! Checks across files: unique ids, and layer, related and runbook references
//! that resolve. Turns the parsed files into one [`Catalog`].

use std::collections::HashMap;
use std::ops::Range;

use super::diagnostic::{Diagnostic, Level, SourceMap};
use super::model::{Catalog, Kind};
use super::parse::{FileContents, closest, did_you_mean};

/// Where a definition stands: the file's index and its span.
type Place = (usize, Range<usize>);

/// Merges parsed files into a catalog, reporting what does not fit together.
pub(crate) fn link(files: Vec<(SourceMap<'_>, FileContents)>, diagnostics: &mut Vec<Diagnostic>) -> Catalog {
    let mut catalog = Catalog::default();
    let mut layer_places: HashMap<String, Place> = HashMap::new();
    let mut entry_places: HashMap<String, (Place, Kind)> = HashMap::new();
    let mut entries = Vec::new();
    let place_text = |files: &[(SourceMap<'_>, FileContents)], (file, span): &Place| {
        let d = files[*file].0.diagnostic(Level::Error, span.clone(), "");
        format!("{}:{}:{}", d.path, d.line, d.column)
    };
    let mut duplicates = Vec::new();
    for (index, (_, contents)) in files.iter().enumerate() {
        for layer in &contents.layers {
            if let Some(first) = layer_places.get(&layer.value.id) {
                duplicates.push((
                    index,
                    layer.span.clone(),
                    format!("duplicate layer id `{}`", layer.value.id),
                    first.clone(),
                ));
                continue;
            }
            layer_places.insert(layer.value.id.clone(), (index, layer.span.clone()));
            catalog.layers.push(layer.value.clone());
        }
    }
    let mut files = files;
    for (index, (_, contents)) in files.iter_mut().enumerate() {
        for parsed in std::mem::take(&mut contents.entries) {
            if let Some((first, _)) = entry_places.get(&parsed.entry.id) {
                duplicates.push((
                    index,
                    parsed.id_span.clone(),
                    format!("duplicate id `{}`", parsed.entry.id),
                    first.clone(),
                ));
                continue;
            }
            entry_places.insert(parsed.entry.id.clone(), ((index, parsed.id_span.clone()), parsed.entry.kind));
            entries.push((index, parsed));
        }
    }
    for (index, span, message, first) in duplicates {
        let message =
            format!("{message}: it is already defined at {}; this one is ignored", place_text(&files, &first));
        diagnostics.push(files[index].0.diagnostic(Level::Error, span, message));
    }

    let layer_ids: Vec<&str> = catalog.layers.iter().map(|l| l.id.as_str()).collect();
    let ids_of = |kind: Kind| -> Vec<&str> {
        let mut ids: Vec<&str> =
            entry_places.iter().filter(|(_, (_, k))| *k == kind).map(|(id, _)| id.as_str()).collect();
        ids.sort_unstable();
        ids
    };
    let (failure_ids, runbook_ids) = (ids_of(Kind::Failure), ids_of(Kind::Runbook));
    let mut linked = Vec::with_capacity(entries.len());
    for (index, mut parsed) in entries {
        let map = &files[index].0;
        let entry = &mut parsed.entry;
        if let (Some(layer), Some(span)) = (&entry.layer, &parsed.layer_span)
            && !layer_ids.contains(&layer.as_str())
        {
            let message =
                format!("unknown layer `{layer}` in {} `{}`{}", entry.kind, entry.id, did_you_mean(layer, &layer_ids));
            diagnostics.push(map.diagnostic(Level::Error, span.clone(), format!("{message}; the entry is ignored")));
            continue;
        }
        for (field, ids, spans, expected) in [
            ("related", &mut entry.related, &parsed.related_spans, (Kind::Failure, &failure_ids)),
            ("runbooks", &mut entry.runbooks, &parsed.runbook_spans, (Kind::Runbook, &runbook_ids)),
        ] {
            let mut keep = Vec::with_capacity(ids.len());
            for (id, span) in ids.drain(..).zip(spans) {
                let found = entry_places.get(&id).map(|(_, kind)| *kind);
                if found == Some(expected.0) {
                    keep.push(id);
                    continue;
                }
                let message = if let Some(kind) = found {
                    format!("`{id}` in `{field}` is a {}, but `{field}` lists {}s", kind.noun(), expected.0.noun())
                } else {
                    let hint = closest(&id, expected.1.iter().copied())
                        .map(|best| format!("; did you mean `{best}`?"))
                        .unwrap_or_default();
                    format!(
                        "`{field}` of `{}` names `{id}`, which is not a known {}{hint}",
                        entry.id,
                        expected.0.noun()
                    )
                };
                diagnostics.push(map.diagnostic(Level::Error, span.clone(), message));
            }
            *ids = keep;
        }
        linked.push(parsed.entry);
    }
    catalog.entries = linked;
    catalog.sort();
    catalog
}
