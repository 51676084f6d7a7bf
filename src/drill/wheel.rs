//! The wheel of misfortune: which scenario to drill next. Those never
//! drilled come first, then those drilled longest ago; among equals, the
//! failure that happens most often. The history is the drills' journals
//! themselves (each says its scenario and when it was opened), so it
//! cannot disagree with them.

use std::collections::BTreeMap;

use crate::catalog::{Catalog, Drill, Frequency};
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

/// Every scenario, the next to drill first.
#[must_use]
pub fn spin<'a>(catalog: &'a Catalog, history: &BTreeMap<String, String>) -> Vec<Slot<'a>> {
    let often = |drill: &Drill| {
        let frequency = catalog.get(&drill.failure).and_then(|entry| entry.frequency);
        // Common first; unknown last.
        std::cmp::Reverse(frequency.and_then(|f| Frequency::ALL.iter().position(|x| *x == f)))
    };
    let mut slots: Vec<Slot<'a>> =
        catalog.drills().iter().map(|drill| Slot { drill, last_drilled: history.get(&drill.id).cloned() }).collect();
    // Stable: file order among equals.
    slots.sort_by(|a, b| a.last_drilled.cmp(&b.last_drilled).then_with(|| often(a.drill).cmp(&often(b.drill))));
    slots
}
