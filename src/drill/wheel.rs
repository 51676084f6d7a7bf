//! The wheel of misfortune: which scenario to drill next. Those never
//! drilled come first, then those drilled longest ago; among equals, the
//! failure that happens most often. The history is the drills' journals
//! themselves (each says its scenario and when it was opened), so it
//! cannot disagree with them.

use std::collections::BTreeMap;

use crate::catalog::{Catalog, Drill};
use crate::journal::incidents::Incident;

/// A scenario on the wheel, and when it was last drilled (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot<'a> {
    pub drill: &'a Drill,
    pub last_drilled: Option<String>,
}

/// When each scenario was last drilled, from the drills' journals.
#[must_use]
pub fn history(journals: &[Incident]) -> BTreeMap<String, String> {
    let mut last: BTreeMap<String, String> = BTreeMap::new();
    for journal in journals {
        if let Some(drill) = journal.drill() {
            let opened = journal.opened_at().to_owned();
            let slot = last.entry(drill.to_owned()).or_default();
            if opened > *slot {
                *slot = opened;
            }
        }
    }
    last
}

/// Where chance stops on a wheel of `len` scenarios at `now`: any of
/// them, the first likelier (weights `len`, `len - 1`, … 1).
#[must_use]
pub fn spun(len: usize, now: std::time::SystemTime) -> usize {
    let total = len * (len + 1) / 2;
    let nanos = now.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos() as usize);
    let mut ticket = nanos % total.max(1);
    for (i, weight) in (1..=len).rev().enumerate() {
        if ticket < weight {
            return i;
        }
        ticket -= weight;
    }
    0
}

impl Slot<'_> {
    /// One line of the wheel: id, difficulty, when last drilled, title
    /// (under [`HEADING`]).
    #[must_use]
    pub fn describe(&self, id_width: usize) -> String {
        let last = self.last_drilled.as_deref().and_then(|t| t.get(..10)).unwrap_or("never");
        let difficulty = self.drill.difficulty.map_or("", |d| d.as_str());
        format!("{:id_width$}  {difficulty:6}  {last:10}  {}", self.drill.id, self.drill.title)
    }

    /// The wheel's heading, for rows `describe` writes.
    #[must_use]
    pub fn heading(id_width: usize) -> String {
        format!("{:id_width$}  {:6}  {:10}  {}", "scenario", "level", "drilled", "the page")
    }
}

/// Every scenario, the next to drill first.
#[must_use]
pub fn spin<'a>(catalog: &'a Catalog, history: &BTreeMap<String, String>) -> Vec<Slot<'a>> {
    // Common first; unknown last.
    let often = |drill: &Drill| std::cmp::Reverse(catalog.get(&drill.failure).and_then(|entry| entry.frequency));
    let mut slots: Vec<Slot<'a>> =
        catalog.drills().iter().map(|drill| Slot { drill, last_drilled: history.get(&drill.id).cloned() }).collect();
    // Stable: file order among equals.
    slots.sort_by(|a, b| a.last_drilled.cmp(&b.last_drilled).then_with(|| often(a.drill).cmp(&often(b.drill))));
    slots
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn the_spin_lands_on_every_scenario_the_first_likelier() {
        let landed: Vec<usize> = (0..6).map(|n| super::spun(3, UNIX_EPOCH + Duration::from_nanos(n))).collect();
        assert_eq!(landed, [0, 0, 0, 1, 1, 2]);
        assert_eq!(super::spun(0, UNIX_EPOCH), 0);
    }
}
