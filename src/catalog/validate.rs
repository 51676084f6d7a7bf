//! Checks across files: unique ids, and layer, related and runbook references
//! that resolve. Turns the parsed files into one [`Catalog`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::diagnostic::{Diagnostic, Level, SourceMap, closest, did_you_mean};
use super::entry::ListField;
use super::load::EMBEDDED_PREFIX;
use super::model::{Catalog, Entry, Kind, Layer, UNSORTED_LAYER};
use super::parse::{FileContents, ParsedEntry, RefSpans};
use std::rc::Rc;

/// Where a definition stands: the file's index and its span.
type Definition = (usize, Range<usize>);

/// Where each entry id is defined, what it is, and its index in the entries.
type EntryPlaces = HashMap<String, (Definition, Kind, usize)>;

/// A definition ignored for its id: its file and span, what it is, the first
/// definition, and how to fix it.
type Duplicate = (usize, Range<usize>, String, Definition, &'static str);

/// Merges parsed files into a catalog, reporting what does not fit together.
///
/// `file_sources` gives the source of each file (an entry may replace one of
/// an earlier source only). `fallback_layers` stand in for the layers that no
/// file declares (the embedded catalog's, when its files are not among
/// them). `reopen` gives the text of a file again, to show the line of a
/// problem.
/// How many unknown links get a did-you-mean.
const HINTS_OFFERED: usize = 50;

pub(crate) fn link(
    mut files: Vec<FileContents>,
    file_sources: &[usize],
    fallback_layers: Vec<Layer>,
    reopen: &dyn Fn(usize) -> Rc<SourceMap<'static>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Catalog {
    let mut layers = Vec::new();
    let mut layer_places: HashMap<String, Definition> = HashMap::new();
    let place_text = |(file, span): &Definition| {
        let d = reopen(*file).diagnostic(Level::Error, span.clone(), "");
        format!("{}:{}:{}", d.path, d.line, d.column)
    };
    let mut duplicates: Vec<Duplicate> = Vec::new();
    for (index, contents) in files.iter().enumerate() {
        for layer in &contents.layers {
            if let Some(first) = layer_places.get(&layer.value.id) {
                let hint = if reopen(first.0).path().starts_with(EMBEDDED_PREFIX) {
                    " (the embedded catalog's layers need no declaration)"
                } else {
                    ""
                };
                let what = format!("duplicate layer id `{}`", layer.value.id);
                duplicates.push((index, layer.span.clone(), what, first.clone(), hint));
                continue;
            }
            layer_places.insert(layer.value.id.clone(), (index, layer.span.clone()));
            layers.push(layer.value.clone());
        }
    }
    let (mut entries, spans, mut entry_places) = merge_entries(&mut files, file_sources, &mut duplicates);
    let total = entries.len();
    for (index, span, what, first, hint) in duplicates {
        let message = format!("{what}: it is already defined at {}; this one is ignored{hint}", place_text(&first));
        diagnostics.push(reopen(index).diagnostic(Level::Error, span, message));
    }

    let fallback: Vec<Layer> = fallback_layers.into_iter().filter(|l| !layer_places.contains_key(&l.id)).collect();
    let mut known_layers: Vec<&Layer> = layers.iter().chain(&fallback).collect();
    known_layers.sort_by_key(|layer| layer.order);
    let layer_ids: Vec<&str> = known_layers.iter().map(|layer| layer.id.as_str()).collect();
    // First the layers: an entry left out for an unknown layer must not stay
    // a valid target for other entries' links.
    let mut keep = Vec::with_capacity(total);
    for (entry, (index, refs)) in entries.iter().zip(&spans) {
        let known = entry.layer().is_none_or(|layer| layer == UNSORTED_LAYER || layer_ids.contains(&layer));
        if let (false, Some(layer), Some(span)) = (known, entry.layer(), &refs.layer) {
            let message = format!(
                "unknown layer `{layer}` in {} `{}`, so the entry is ignored; the layers are {} \
                 (or leave `layer` out, for Unsorted){}",
                entry.kind,
                entry.id(),
                layer_ids.join(", "),
                did_you_mean(layer, &layer_ids)
            );
            diagnostics.push(reopen(*index).diagnostic(Level::Error, span.clone(), message));
            entry_places.remove(entry.id());
        }
        keep.push(known);
    }
    // A did-you-mean weighs every known id: offered for the first few
    // unknown links only, so thousands of them stay linear.
    let mut hints_left = HINTS_OFFERED;
    for ((entry, (index, refs)), _) in entries.iter_mut().zip(&spans).zip(&keep).filter(|(_, kept)| **kept) {
        for (list, field, spans, expected) in [
            (ListField::Related, "related", &refs.related, Kind::Failure),
            (ListField::Runbooks, "runbooks", &refs.runbooks, Kind::Runbook),
        ] {
            let owner = entry.id().to_owned();
            entry.retain(list, |i, id| {
                let found = entry_places.get(id).map(|(_, kind, _)| *kind);
                if found == Some(expected) {
                    return true;
                }
                let message = if let Some(kind) = found {
                    format!("`{id}` in `{field}` is a {}, but `{field}` lists {}s", kind.noun(), expected.noun())
                } else {
                    let known = entry_places.iter().filter(|(_, (_, k, _))| *k == expected).map(|(id, _)| id.as_str());
                    hints_left = hints_left.saturating_sub(1);
                    let near = if hints_left > 0 { closest(id, known) } else { None };
                    let hint = near.map(|best| format!("; did you mean `{best}`?")).unwrap_or_default();
                    format!("`{field}` of `{owner}` names `{id}`, which is not a known {}{hint}", expected.noun())
                };
                diagnostics.push(reopen(*index).diagnostic(Level::Error, spans[i].clone(), message));
                false
            });
        }
    }
    let mut keep = keep.into_iter();
    entries.retain(|_| keep.next().unwrap_or(true));
    // A layer that is not declared is listed only when an entry is in it.
    let used: HashSet<&str> = entries.iter().filter_map(Entry::layer).collect();
    layers.extend(fallback.into_iter().filter(|layer| used.contains(layer.id.as_str())));
    if used.contains(UNSORTED_LAYER) {
        layers.push(Layer::unsorted());
    }
    Catalog::new(layers, entries)
}

/// Moves the entries of every file into one list, in file order. An entry
/// whose id an earlier source has replaces that one in its place when it says
/// `replaces = true`; any other repeated id is a duplicate. Returns the
/// entries, each with its file and spans, and where each id is defined.
fn merge_entries(
    files: &mut [FileContents],
    file_sources: &[usize],
    duplicates: &mut Vec<Duplicate>,
) -> (Vec<Entry>, Vec<(usize, RefSpans)>, EntryPlaces) {
    let total = files.iter().map(|contents| contents.entries.len()).sum();
    // Entries move once, into their final place; what the checks need of
    // each (file and spans) is kept beside them.
    let mut entries: Vec<Entry> = Vec::with_capacity(total);
    let mut spans = Vec::with_capacity(total);
    let mut places = EntryPlaces::new();
    for (index, contents) in files.iter_mut().enumerate() {
        for ParsedEntry { entry, refs, replaces } in std::mem::take(&mut contents.entries) {
            let place = (index, refs.id.clone());
            let Some((first, _, slot)) = places.get(entry.id()) else {
                places.insert(entry.id().to_owned(), (place, entry.kind, entries.len()));
                entries.push(entry);
                spans.push((index, refs));
                continue;
            };
            let (first, slot) = (first.clone(), *slot);
            let earlier_source = file_sources[first.0] < file_sources[index];
            if replaces && earlier_source {
                places.insert(entry.id().to_owned(), (place, entry.kind, slot));
                entries[slot] = entry;
                spans[slot] = (index, refs);
                continue;
            }
            let hint = match (replaces, earlier_source) {
                (_, true) => " (to replace it, add `replaces = true`)",
                (true, false) => {
                    " (`replaces = true` replaces only an entry of an earlier source, not of the same one)"
                }
                (false, false) => "",
            };
            duplicates.push((index, refs.id, format!("duplicate id `{}`", entry.id()), first, hint));
        }
    }
    (entries, spans, places)
}
