//! The rows of the results list, laid out once per result set.

use crate::catalog::Catalog;
use crate::present::Group;
use crate::search::Results;

/// The rows of the results list: the hits in order, with headings among
/// them. Held as the headings and the rows they stand on, so that laying
/// out a result set costs its headings, not its hits (a keystroke at a
/// million entries laid out a million rows).
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// Each heading and its row, in order.
    headings: Vec<(usize, String)>,
    hits: usize,
}

impl Rows {
    /// With an empty query: the entries under their layer's heading,
    /// runbooks last.
    pub(super) fn browsing(catalog: &Catalog, results: &Results) -> Rows {
        let mut headings = Vec::new();
        let mut group = None;
        for (i, hit) in results.hits.iter().enumerate() {
            let this = Group::of(catalog, &catalog.entries()[hit.entry]);
            if group != Some(this) {
                headings.push((i + headings.len(), this.title().to_owned()));
                group = Some(this);
            }
        }
        Rows { headings, hits: results.hits.len() }
    }

    /// With a query: the ranked hits, under a note when the best lacks some
    /// of the query's words.
    pub(super) fn ranked(results: &Results) -> Rows {
        let note = results.best_lacks_words().map(|had| (0, super::strings::best_has_words(had, results.words)));
        Rows { headings: note.into_iter().collect(), hits: results.hits.len() }
    }

    /// How many of the rows are hits.
    #[must_use]
    pub fn hits(&self) -> usize {
        self.hits
    }

    /// How many rows there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.hits + self.headings.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `row`, if there is one.
    #[must_use]
    pub fn get(&self, row: usize) -> Option<Row<'_>> {
        if row >= self.len() {
            return None;
        }
        let before = self.headings.partition_point(|(at, _)| *at < row);
        Some(match self.headings.get(before) {
            Some((at, text)) if *at == row => Row::Heading(text),
            _ => Row::Hit(row - before),
        })
    }

    /// The row hit `hit` is on.
    #[must_use]
    pub fn of_hit(&self, hit: usize) -> Option<usize> {
        (hit < self.hits).then(|| self.headings.iter().fold(hit, |row, (at, _)| if *at <= row { row + 1 } else { row }))
    }
}

/// One row of the results list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row<'a> {
    /// A layer heading or a note; not selectable.
    Heading(&'a str),
    /// A hit, by index into the results.
    Hit(usize),
}
