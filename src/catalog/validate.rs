//! Checks across files: unique ids, and layer, related and runbook references
//! that resolve. Turns the parsed files into one [`Catalog`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::diagnostic::{Diagnostic, Level, SourceMap, closest, did_you_mean};
use super::entry::ListField;
use super::model::{Catalog, Entry, Kind, Layer, UNSORTED_LAYER};
use super::parse::{FileContents, ParsedEntry};

/// Where a definition stands: the file's index and its span.
type Place = (usize, Range<usize>);

/// Merges parsed files into a catalog, reporting what does not fit together.
///
/// `fallback_layers` stand in for the layers that no file declares (the
/// embedded catalog's, when its files are not among them). `reopen` gives
/// the text of a file again, to show the line of a problem.
pub(crate) fn link(
    mut files: Vec<FileContents>,
    fallback_layers: Vec<Layer>,
    reopen: &dyn Fn(usize) -> SourceMap<'static>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Catalog {
    let mut catalog = Catalog::default();
    let mut layer_places: HashMap<String, Place> = HashMap::new();
    let mut entry_places: HashMap<String, (Place, Kind)> = HashMap::new();
    let place_text = |(file, span): &Place| {
        let d = reopen(*file).diagnostic(Level::Error, span.clone(), "");
        format!("{}:{}:{}", d.path, d.line, d.column)
    };
    let mut duplicates = Vec::new();
    for (index, contents) in files.iter().enumerate() {
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
    let total = files.iter().map(|contents| contents.entries.len()).sum();
    // Entries move once, into their final place; what the checks below need
    // of each (file and spans) is kept beside them.
    catalog.entries.reserve_exact(total);
    let mut spans = Vec::with_capacity(total);
    for (index, contents) in files.iter_mut().enumerate() {
        for ParsedEntry { entry, refs } in std::mem::take(&mut contents.entries) {
            if let Some((first, _)) = entry_places.get(entry.id()) {
                duplicates.push((index, refs.id.clone(), format!("duplicate id `{}`", entry.id()), first.clone()));
                continue;
            }
            entry_places.insert(entry.id().to_owned(), ((index, refs.id.clone()), entry.kind));
            catalog.entries.push(entry);
            spans.push((index, refs));
        }
    }
    for (index, span, message, first) in duplicates {
        let message = format!("{message}: it is already defined at {}; this one is ignored", place_text(&first));
        diagnostics.push(reopen(index).diagnostic(Level::Error, span, message));
    }

    let fallback: Vec<Layer> = fallback_layers.into_iter().filter(|l| !layer_places.contains_key(&l.id)).collect();
    let layer_ids: Vec<&str> = catalog.layers.iter().chain(&fallback).map(|l| l.id.as_str()).collect();
    // First the layers: an entry left out for an unknown layer must not stay
    // a valid target for other entries' links.
    let mut keep = Vec::with_capacity(total);
    for (entry, (index, refs)) in catalog.entries.iter().zip(&spans) {
        let known = entry.layer().is_none_or(|layer| layer == UNSORTED_LAYER || layer_ids.contains(&layer));
        if let (false, Some(layer), Some(span)) = (known, entry.layer(), &refs.layer) {
            let hint = did_you_mean(layer, &layer_ids);
            let message =
                format!("unknown layer `{layer}` in {} `{}`{hint}; the entry is ignored", entry.kind, entry.id());
            diagnostics.push(reopen(*index).diagnostic(Level::Error, span.clone(), message));
            entry_places.remove(entry.id());
        }
        keep.push(known);
    }
    for ((entry, (index, refs)), _) in catalog.entries.iter_mut().zip(&spans).zip(&keep).filter(|(_, kept)| **kept) {
        for (list, field, spans, expected) in [
            (ListField::Related, "related", &refs.related, Kind::Failure),
            (ListField::Runbooks, "runbooks", &refs.runbooks, Kind::Runbook),
        ] {
            let owner = entry.id().to_owned();
            entry.retain(list, |i, id| {
                let found = entry_places.get(id).map(|(_, kind)| *kind);
                if found == Some(expected) {
                    return true;
                }
                let message = if let Some(kind) = found {
                    format!("`{id}` in `{field}` is a {}, but `{field}` lists {}s", kind.noun(), expected.noun())
                } else {
                    let known = entry_places.iter().filter(|(_, (_, k))| *k == expected).map(|(id, _)| id.as_str());
                    let hint = closest(id, known).map(|best| format!("; did you mean `{best}`?")).unwrap_or_default();
                    format!("`{field}` of `{owner}` names `{id}`, which is not a known {}{hint}", expected.noun())
                };
                diagnostics.push(reopen(*index).diagnostic(Level::Error, spans[i].clone(), message));
                false
            });
        }
    }
    let mut keep = keep.into_iter();
    catalog.entries.retain(|_| keep.next().unwrap_or(true));
    // A layer that is not declared is listed only when an entry is in it.
    let used: HashSet<&str> = catalog.entries.iter().filter_map(Entry::layer).collect();
    catalog.layers.extend(fallback.into_iter().filter(|layer| used.contains(layer.id.as_str())));
    if used.contains(UNSORTED_LAYER) {
        catalog.layers.push(Layer::unsorted());
    }
    catalog.sort();
    catalog
}
