//! `pagerbook incident`: opening, closing, listing and reading incident
//! journals (see `journal`).

use std::io::{self, Write};

use super::args::IncidentCommand;
use super::{EXIT_OK, EXIT_PROBLEM};
use crate::journal::incidents::{Incident, IncidentError, Incidents};
use crate::journal::record::{Event, Record};
use crate::settings;

/// Runs an incident command.
pub(super) fn incident(command: IncidentCommand, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let Some(dir) = settings::incidents_dir() else {
        writeln!(err, "pagerbook: error: no data directory (set HOME or XDG_DATA_HOME)")?;
        return Ok(EXIT_PROBLEM);
    };
    match act(&Incidents::new(dir), command, &user(), out, err) {
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
        writeln!(out, "{shown}  {user}  {}", describe(event))?;
    }
    Ok(())
}

/// A record's event in words.
fn describe(event: &Event) -> String {
    match event {
        Event::Opened { title } => format!("opened: {title}"),
        Event::Closed => "closed".to_owned(),
        Event::Milestone { milestone, at: Some(at) } => format!("{milestone:?} (at {at})").to_lowercase(),
        Event::Milestone { milestone, at: None } => format!("{milestone:?}").to_lowercase(),
        Event::Note { text } => format!("note: {text}"),
        Event::EntryOpened { entry, query: Some(query) } => format!("opened {entry}, found by \"{query}\""),
        Event::EntryOpened { entry, query: None } => format!("opened {entry}"),
        Event::StepCopied { entry, step, command } => format!("copied step {step} of {entry}: {command}"),
        Event::Repaired { line, message } => format!("repaired line {line}: {message}"),
    }
}

/// Who is at the keyboard: the login name, as the shell says it.
fn user() -> String {
    ["USER", "LOGNAME"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok().filter(|user| !user.is_empty()))
        .unwrap_or_else(|| format!("uid {}", rustix::process::getuid().as_raw()))
}
