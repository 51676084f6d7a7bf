//! The loop's side of the incident: a record appended to the open
//! incident's journal, an incident opened, closed or read again; each
//! answered with the incident as its journal then reads. Files, but no
//! terminal: the tests call these as the loop does.

use super::action::{IncidentChange, IncidentNews};
use super::strings;
use crate::journal::incidents::Incidents;
use crate::journal::record::Event;

/// Appends `event`, by `user`, to the open incident's journal, if one is
/// open (asked of the disk each time: it may have been opened or closed
/// from another terminal).
#[must_use]
pub fn record(incidents: Option<&Incidents>, user: &str, event: Event) -> IncidentNews {
    let unrecorded_run = matches!(event, Event::StepRun(_));
    let none = IncidentNews { incident: None, problem: None, unrecorded_run };
    let Some(incidents) = incidents else { return none };
    match incidents.open_one() {
        Ok(Some(mut open)) => match incidents.append(&open.id, event, user) {
            Ok(record) => {
                open.records.push(record);
                IncidentNews { incident: Some(open), ..IncidentNews::default() }
            }
            Err(err) => IncidentNews { problem: Some(strings::not_journaled(&err)), incident: Some(open), ..none },
        },
        Ok(None) => none,
        Err(err) => IncidentNews { problem: Some(strings::not_journaled(&err)), ..none },
    }
}

/// Opens, closes or reads again the incident, by `user`.
#[must_use]
pub fn change(incidents: Option<&Incidents>, user: &str, change: IncidentChange) -> IncidentNews {
    let Some(incidents) = incidents else {
        let problem = (change != IncidentChange::Refresh).then(|| strings::NO_DATA_DIR.to_owned());
        return IncidentNews { problem, ..IncidentNews::default() };
    };
    let changed = match change {
        IncidentChange::Refresh => incidents.open_one(),
        IncidentChange::Start(title) => incidents.start(&title, user).map(Some),
        IncidentChange::Stop => incidents.stop(user).map(|_| None),
    };
    match changed {
        Ok(incident) => IncidentNews { incident, ..IncidentNews::default() },
        Err(err) => IncidentNews {
            incident: incidents.open_one().ok().flatten(),
            problem: Some(err.to_string()),
            unrecorded_run: false,
        },
    }
}
