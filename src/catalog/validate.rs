//! Checks across files: unique ids, and layer, related and runbook references
//! that resolve. Turns the parsed files into one [`Catalog`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::diagnostic::{Diagnostic, Level, SourceMap, closest, did_you_mean};
use super::drill::link_drills;
use super::entry::ListField;
use super::load::EMBEDDED_PREFIX;
use super::model::{Catalog, Entry, Kind, Layer, UNSORTED_LAYER, to_u32};
use super::parse::{FileContents, ParsedEntry, RefSpans};
use std::rc::Rc;

/// Where a definition stands: the file's index and its span.
type Definition = (usize, Range<usize>);

/// A definition ignored for its id: its file and span, what it is, the first
/// definition, and how to fix it.
type Duplicate = (usize, Range<usize>, String, Definition, &'static str);

/// How many unknown links get a did-you-mean.
const HINTS_OFFERED: usize = 50;

/// Merges parsed files into a catalog, reporting what does not fit together.
///
/// `file_sources` gives the source of each file (an entry may replace one of
/// an earlier source only). `fallback_layers` stand in for the layers that no
/// file declares (the embedded catalog's, when its files are not among
/// them). `reopen` gives the text of a file again, to show the line of a
/// problem.
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
    let (mut entries, spans, by_id) = merge_entries(&mut files, file_sources, &mut duplicates);
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
    let mut keep = Vec::with_capacity(entries.len());
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
            diagnostics.push(reopen(*index).diagnostic(Level::Error, span.range(), message));
        }
        keep.push(known);
    }
    let kind_of = |entries: &[Entry], id: &str| by_id.find(entries, id).filter(|&i| keep[i]).map(|i| entries[i].kind);
    let links = [(ListField::Related, Kind::Failure), (ListField::Runbooks, Kind::Runbook)];
    let all_resolve = |entry: &Entry| {
        links.iter().all(|&(list, expected)| entry.list(list).all(|id| kind_of(&entries, id) == Some(expected)))
    };
    let broken = kept_positions_where(&entries, &keep, |entry| !all_resolve(entry));
    // A did-you-mean weighs every known id: offered for the first few
    // unknown links only, so thousands of them stay linear.
    let mut hints_left = HINTS_OFFERED;
    // Whether each link of the entry at hand resolves; reused, not
    // allocated per entry.
    let mut resolves = Vec::new();
    for (position, (index, refs)) in broken.into_iter().map(|position| (position, &spans[position])) {
        for (list, field, positions, expected) in [
            (ListField::Related, "related", &refs.related, Kind::Failure),
            (ListField::Runbooks, "runbooks", &refs.runbooks, Kind::Runbook),
        ] {
            let item_spans = &files[*index].link_spans[positions.start as usize..positions.end as usize];
            let entry = &entries[position];
            resolves.clear();
            for (i, id) in entry.list(list).enumerate() {
                let found = kind_of(&entries, id);
                resolves.push(found == Some(expected));
                if found == Some(expected) {
                    continue;
                }
                let message = if let Some(kind) = found {
                    format!("`{id}` in `{field}` is a {}, but `{field}` lists {}s", kind.noun(), expected.noun())
                } else {
                    let known = entries.iter().zip(&keep).filter(|(e, kept)| **kept && e.kind == expected);
                    hints_left = hints_left.saturating_sub(1);
                    let near = if hints_left > 0 { closest(id, known.map(|(e, _)| e.id())) } else { None };
                    let hint = near.map(|best| format!("; did you mean `{best}`?")).unwrap_or_default();
                    format!(
                        "`{field}` of `{}` names `{id}`, which is not a known {}{hint}",
                        entry.id(),
                        expected.noun()
                    )
                };
                diagnostics.push(reopen(*index).diagnostic(Level::Error, item_spans[i].range(), message));
            }
            entries[position].retain(list, |i, _| resolves[i]);
        }
    }
    // A layer that is not declared is listed only when an entry is in it.
    let used: HashSet<&str> =
        entries.iter().zip(&keep).filter(|(_, kept)| **kept).filter_map(|(e, _)| e.layer()).collect();
    layers.extend(fallback.into_iter().filter(|layer| used.contains(layer.id.as_str())));
    if used.contains(UNSORTED_LAYER) {
        layers.push(Layer::unsorted());
    }
    let mut catalog = Catalog::new(layers, entries, &keep, by_id.positions().collect());
    attach_drills(&mut catalog, &mut files, reopen, diagnostics);
    catalog
}

/// The files' drills that hold against the catalog, into it.
fn attach_drills(
    catalog: &mut Catalog,
    files: &mut [FileContents],
    reopen: &dyn Fn(usize) -> Rc<SourceMap<'static>>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let drills = files.iter_mut().map(|file| std::mem::take(&mut file.drills)).collect();
    let (drills, problems) = link_drills(catalog, drills);
    for (index, found) in problems.into_iter().enumerate().filter(|(_, found)| !found.is_empty()) {
        let map = reopen(index);
        diagnostics
            .extend(found.into_iter().map(|(place, message)| map.diagnostic(Level::Error, place.range(), message)));
    }
    catalog.drills = drills;
}

/// The positions of the entries kept for which `test` holds, in order. On
/// every core for a large catalog: checking the links of a million entries
/// touches every one, and took 0.7 s on one.
fn kept_positions_where(entries: &[Entry], keep: &[bool], test: impl Fn(&Entry) -> bool + Sync) -> Vec<usize> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let threads = cores.min(entries.len() / 100_000).max(1);
    positions_where(entries, keep, &test, entries.len().div_ceil(threads))
}

/// [`kept_positions_where`], `share` entries a thread.
fn positions_where(
    entries: &[Entry],
    keep: &[bool],
    test: &(impl Fn(&Entry) -> bool + Sync),
    share: usize,
) -> Vec<usize> {
    let share = share.max(1);
    let of = move |start: usize| {
        let end = (start + share).min(entries.len());
        (start..end).filter(|&i| keep[i] && test(&entries[i])).collect::<Vec<usize>>()
    };
    std::thread::scope(|scope| {
        let others: Vec<_> =
            (share..entries.len()).step_by(share).map(|start| scope.spawn(move || of(start))).collect();
        let mut found = of(0);
        for other in others {
            // A panic in a thread goes on as it would have on this one.
            found.extend(other.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        found
    })
}

/// Positions of entries sorted by id, the first definition of an id first:
/// looking an id up is a bisection, and at a million entries a map from ids
/// cost 2.5 s and 110 MB to build. Each position carries its id's first
/// twelve bytes, so most comparisons need not follow the entry's pointers
/// (at a million entries, that made checking the links 2 s; with eight
/// bytes, ids like `syn-1234…` still tied a hundred at a time, and the
/// check took 1.3 s instead of 0.75 s). Twelve bytes and a position make
/// sixteen, as eight did.
struct ById(Vec<(Prefix, u32)>);

/// The first twelve bytes of an id, zero-padded, as numbers that order as
/// the bytes do; equal prefixes are told apart by the whole ids.
type Prefix = [u32; 3];

fn prefix(id: &str) -> Prefix {
    let mut bytes = [0u8; 12];
    let head = &id.as_bytes()[..id.len().min(12)];
    bytes[..head.len()].copy_from_slice(head);
    let word = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    [word(0), word(4), word(8)]
}

impl ById {
    fn new(entries: &[Entry]) -> Self {
        let mut order: Vec<(Prefix, u32)> =
            entries.iter().enumerate().map(|(i, e)| (prefix(e.id()), to_u32(i))).collect();
        order.sort_unstable_by(|a, b| {
            let id = |position: u32| entries[position as usize].id();
            a.0.cmp(&b.0).then_with(|| id(a.1).cmp(id(b.1))).then(a.1.cmp(&b.1))
        });
        ById(order)
    }

    fn positions(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().map(|&(_, position)| position)
    }

    /// The first entry defined with this id.
    fn find(&self, entries: &[Entry], id: &str) -> Option<usize> {
        let key = prefix(id);
        let first = self.0.partition_point(|&(p, i)| p < key || (p == key && entries[i as usize].id() < id));
        self.0.get(first).map(|&(_, i)| i as usize).filter(|&i| entries[i].id() == id)
    }
}

/// Moves the entries of every file into one list, in file order. An entry
/// whose id an earlier source has replaces that one in its place when it says
/// `replaces = true`; any other repeated id is a duplicate. Returns the
/// entries, each with its file and spans, and their order by id.
fn merge_entries(
    files: &mut [FileContents],
    file_sources: &[usize],
    duplicates: &mut Vec<Duplicate>,
) -> (Vec<Entry>, Vec<(usize, RefSpans)>, ById) {
    let total = files.iter().map(|contents| contents.entries.len()).sum();
    // Entries move once, into their final place; what the checks need of
    // each (file, spans, whether it replaces) is kept beside them.
    let mut entries: Vec<Entry> = Vec::with_capacity(total);
    let mut spans = Vec::with_capacity(total);
    let mut replacing = Vec::with_capacity(total);
    for (index, contents) in files.iter_mut().enumerate() {
        for ParsedEntry { parts, refs, replaces } in std::mem::take(&mut contents.entries) {
            entries.push(contents.texts.entry(&parts));
            spans.push((index, refs));
            replacing.push(replaces);
        }
    }
    let by_id = ById::new(&entries);
    let mut dropped = vec![false; entries.len()];
    let order = &by_id.0;
    let mut start = 0;
    while start < order.len() {
        // The first definition's slot keeps the id; `holder` is the
        // definition in it now.
        let slot = order[start].1 as usize;
        let mut end = start + 1;
        while end < order.len()
            && order[end].0 == order[start].0
            && entries[order[end].1 as usize].id() == entries[slot].id()
        {
            end += 1;
        }
        let mut holder: Definition = (spans[slot].0, spans[slot].1.id.range());
        for &(_, later) in &order[start + 1..end] {
            let later = later as usize;
            let index = spans[later].0;
            let earlier_source = file_sources[holder.0] < file_sources[index];
            dropped[later] = true;
            if replacing[later] && earlier_source {
                holder = (index, spans[later].1.id.range());
                entries.swap(slot, later);
                spans.swap(slot, later);
                continue;
            }
            let hint = match (replacing[later], earlier_source) {
                (_, true) => " (to replace it, add `replaces = true`)",
                (true, false) => {
                    " (`replaces = true` replaces only an entry of an earlier source, not of the same one)"
                }
                (false, false) => "",
            };
            let what = format!("duplicate id `{}`", entries[later].id());
            duplicates.push((index, spans[later].1.id.range(), what, holder.clone(), hint));
        }
        start = end;
    }
    if !dropped.contains(&true) {
        return (entries, spans, by_id);
    }
    // Positions after the dropped ones move down; the order by id stays.
    let mut moved_to = Vec::with_capacity(entries.len());
    let mut next = 0;
    for &gone in &dropped {
        moved_to.push(to_u32(next));
        next += usize::from(!gone);
    }
    let order =
        by_id.0.iter().filter(|(_, i)| !dropped[*i as usize]).map(|&(p, i)| (p, moved_to[i as usize])).collect();
    let mut gone = dropped.iter();
    entries.retain(|_| !gone.next().copied().unwrap_or(false));
    let mut gone = dropped.iter();
    spans.retain(|_| !gone.next().copied().unwrap_or(false));
    (entries, spans, ById(order))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::entry::{EntryBuilder, TextField};

    const IDS: [&str; 13] = [
        "syn-2",
        "abcdefgh-1",
        "b",
        "",
        "abcdefgi",
        "syn-10-x",
        "a",
        "abcdefgh",
        "syn-1-x",
        "ab",
        "abcdefgh",
        "abcdefghijkl-1",
        "abcdefghijkl",
    ];

    #[test]
    fn prefixes_order_as_the_ids_do() {
        for a in IDS {
            for b in IDS {
                if prefix(a) != prefix(b) {
                    assert_eq!(prefix(a) < prefix(b), a < b, "{a:?} {b:?}");
                }
            }
        }
    }

    fn entries(ids: &[&str]) -> Vec<Entry> {
        let entry = |id: &&str| {
            let mut builder = EntryBuilder::new();
            builder.set(TextField::Id, Some(id));
            builder.build_alone()
        };
        ids.iter().map(entry).collect()
    }

    #[test]
    fn positions_found_in_shares_come_in_order() {
        let entries = entries(&["a1", "b", "a2", "c", "a3", "a4", "d", "a5", "e", "a6"]);
        let keep: Vec<bool> = (0..entries.len()).map(|i| i != 4).collect();
        let starts_with_a = |entry: &Entry| entry.id().starts_with('a');
        for share in [1, 3, 4, 10, 50] {
            assert_eq!(positions_where(&entries, &keep, &starts_with_a, share), [0, 2, 5, 7, 9], "{share}");
        }
    }

    #[test]
    fn an_id_is_found_at_its_first_definition() {
        let entries = entries(&IDS);
        let by_id = ById::new(&entries);
        for (position, id) in IDS.iter().enumerate() {
            let first = IDS.iter().position(|other| other == id);
            assert_eq!(by_id.find(&entries, id), first, "{id:?}");
            assert!(first <= Some(position));
        }
        for missing in ["abcdefg", "abcdefgh-", "syn-1", "c", "syn-10-x-"] {
            assert_eq!(by_id.find(&entries, missing), None, "{missing:?}");
        }
        let sorted: Vec<&str> = by_id.positions().map(|i| entries[i as usize].id()).collect();
        assert!(sorted.is_sorted());
    }
}
