//! The loop's side of the incident: a record appended to the open
//! incident's journal, an incident opened, closed or read again; each
//! answered with the incident as its journal then reads. Files, but no
//! terminal: the tests drive it as the loop does.

use super::action::{IncidentChange, IncidentNews};
use super::strings;
use crate::journal::incidents::{Incident, Incidents};
use crate::journal::record::Event;

/// Where incidents are kept, who writes, and the open incident as last
/// read (so a record does not read its whole journal again).
pub struct Journaling {
    incidents: Option<Incidents>,
    user: String,
    known: Option<Incident>,
    /// A drill's journal: this one only, never the next drill's.
    bound: Option<String>,
}

impl Journaling {
    /// Journals in `incidents` (none without a data directory), by `user`.
    #[must_use]
    pub fn new(incidents: Option<Incidents>, user: String) -> Journaling {
        Journaling { incidents, user, known: None, bound: None }
    }

    /// Journals only into the journal `id`, while it is the open one: a
    /// drill's navigator left open after its drill ended writes nothing
    /// into the next.
    #[must_use]
    pub fn bound_to(self, id: Option<String>) -> Journaling {
        Journaling { bound: id, ..self }
    }

    /// Whether the open journal is not the one this is bound to.
    fn elsewhere(&self, incidents: &Incidents) -> bool {
        self.bound.as_ref().is_some_and(|bound| incidents.open_id().ok().flatten().as_ref() != Some(bound))
    }

    /// Appends `event` to the open incident's journal, if one is open
    /// (asked of the disk each time: it may have been opened or closed from
    /// another terminal).
    pub fn record(&mut self, event: Event) -> IncidentNews {
        let unrecorded_run = matches!(event, Event::StepRun(_));
        let Some(incidents) = &self.incidents else {
            return IncidentNews { unrecorded_run, ..IncidentNews::default() };
        };
        if self.elsewhere(incidents) {
            self.known = None;
            return IncidentNews::default();
        }
        let news = match incidents.append_to_open(self.known.take(), event, &self.user) {
            Ok(Some(open)) => IncidentNews { incident: Some(open), ..IncidentNews::default() },
            Ok(None) => IncidentNews { unrecorded_run, ..IncidentNews::default() },
            Err(err) => IncidentNews {
                incident: incidents.open_one().ok().flatten(),
                problem: Some(strings::not_journaled(&err)),
                unrecorded_run: false,
            },
        };
        self.known.clone_from(&news.incident);
        news
    }

    /// Opens, closes or reads again the incident.
    pub fn change(&mut self, change: IncidentChange) -> IncidentNews {
        let Some(incidents) = &self.incidents else {
            let problem = (change != IncidentChange::Refresh).then(|| strings::NO_DATA_DIR.to_owned());
            return IncidentNews { problem, ..IncidentNews::default() };
        };
        let changed = match change {
            IncidentChange::Refresh if self.elsewhere(incidents) => Ok(None),
            IncidentChange::Refresh => incidents.reread_open(self.known.take()),
            IncidentChange::Start(title) => incidents.start(&title, &self.user).map(Some),
            IncidentChange::Stop => incidents.stop(&self.user).map(|_| None),
        };
        let news = match changed {
            Ok(incident) => IncidentNews { incident, ..IncidentNews::default() },
            Err(err) => IncidentNews {
                incident: incidents.open_one().ok().flatten(),
                problem: Some(err.to_string()),
                unrecorded_run: false,
            },
        };
        self.known.clone_from(&news.incident);
        news
    }

    /// Where the open incident's journal is, if one is open: the pointer
    /// says, without reading the journal.
    #[must_use]
    pub fn open_journal(&self) -> Option<std::path::PathBuf> {
        let incidents = self.incidents.as_ref()?;
        Some(incidents.path_of(&incidents.open_id().ok()??))
    }
}
