//! `pagerbook incident`: opening, closing, listing and reading incident
//! journals (see `journal`).

use std::io::{self, Write};

use super::args::IncidentCommand;
use super::{EXIT_OK, EXIT_PROBLEM};
use crate::journal::incidents::{Incident, IncidentError, Incidents};
use crate::journal::record::Record;
use crate::settings;

/// Runs an incident command.
pub(super) fn incident(command: IncidentCommand, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let Some(dir) = settings::incidents_dir() else {
        writeln!(err, "pagerbook: error: no data directory (set HOME or XDG_DATA_HOME)")?;
        return Ok(EXIT_PROBLEM);
    };
    match act(&Incidents::new(dir), command, &crate::journal::user(), out, err) {
        Ok(()) => Ok(EXIT_OK),
        Err(IncidentError::Io(e)) => Err(e),
        Err(problem) => {
            writeln!(err, "pagerbook: error: {problem}")?;
            Ok(EXIT_PROBLEM)
        }
    }
}

fn act(
    incidents: &Incidents,
    command: IncidentCommand,
    user: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), IncidentError> {
    match command {
        IncidentCommand::Start { title } => {
            let incident = incidents.start(&title.join(" "), user)?;
            writeln!(out, "Incident {} opened: {}", incident.id, incident.title())?;
            writeln!(out, "Journal: {}", incident.path.display())?;
        }
        IncidentCommand::Stop => {
            let incident = incidents.stop(user)?;
            writeln!(out, "Incident {} closed: {}", incident.id, incident.title())?;
        }
        IncidentCommand::List => {
            let (all, unreadable) = incidents.all()?;
            for incident in &all {
                let state = if incident.is_open() { "open" } else { "closed" };
                writeln!(out, "{}  {state:6}  {}", incident.id, incident.title())?;
            }
            for problem in unreadable {
                writeln!(err, "pagerbook: warning: {problem}")?;
            }
        }
        IncidentCommand::Show { id } => show(&incidents.get(&id)?, out, err)?,
    }
    Ok(())
}

/// An incident's journal, a line a record: time (UTC), who, what.
fn show(incident: &Incident, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
    for warning in &incident.warnings {
        writeln!(err, "pagerbook: warning: {}: {warning}", incident.path.display())?;
    }
    let state = if incident.is_open() { "open" } else { "closed" };
    writeln!(out, "{} ({state}): {}", incident.id, incident.title())?;
    for Record { time, user, event, .. } in &incident.records {
        // To the second: `2026-12-01T03:12:05.123456789Z` as `2026-12-01 03:12:05Z`.
        let shown = time.get(..19).map_or_else(|| time.clone(), |second| format!("{}Z", second.replace('T', " ")));
        writeln!(out, "{shown}  {user}  {}", event.describe())?;
    }
    Ok(())
}
