//! `pagerbook incident`: opening, closing, listing and reading incident
//! journals (see `journal`).

use std::io::{self, Write};

use std::path::PathBuf;

use super::args::{ExportFormat, IncidentCommand};
use super::{EXIT_OK, EXIT_PROBLEM};
use crate::catalog::Source;
use crate::journal::export;
use crate::journal::incidents::{Incident, IncidentError, Incidents};
use crate::journal::record::{Event, Milestone, Record, backfilled};
use crate::settings;

/// Runs an incident command; `sources` give the catalog entries' review
/// dates for an export.
pub(super) fn incident(
    command: IncidentCommand,
    sources: &[Source],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let Some(dir) = settings::incidents_dir() else { return super::no_data_directory(err) };
    match act(&Incidents::new(dir), command, sources, out, err) {
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
    sources: &[Source],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), IncidentError> {
    let user = &crate::journal::user();
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
        IncidentCommand::Note { text } => {
            let open = incidents.open_one()?.ok_or(IncidentError::NoneOpen)?;
            incidents.append(&open.id, Event::Note { text: text.join(" ") }, user)?;
            writeln!(out, "Noted in {}", open.id)?;
        }
        IncidentCommand::Milestone { milestone, at } => {
            let open = incidents.open_one()?.ok_or(IncidentError::NoneOpen)?;
            // One of the five: clap took only their words.
            let Some(milestone) = Milestone::ALL.into_iter().find(|m| m.word() == milestone) else { return Ok(()) };
            let at = backfilled(at.as_deref().unwrap_or_default(), time::OffsetDateTime::now_utc())
                .map_err(IncidentError::Invalid)?;
            incidents.append(&open.id, Event::Milestone { milestone, at }, user)?;
            writeln!(out, "{} in {}", milestone.word(), open.id)?;
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
        IncidentCommand::Export { id, format, with } => export(&incidents.get(&id)?, format, &with, sources, out, err)?,
    }
    Ok(())
}

/// The postmortem's first draft, or the records, of `incident` and the
/// other responders' journals `with`.
fn export(
    incident: &Incident,
    format: ExportFormat,
    with: &[PathBuf],
    sources: &[Source],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), IncidentError> {
    // Hashed as read: a record appended since would make the hash describe
    // other bytes.
    let own = (incident.path.clone(), incident.records.clone(), incident.warnings.clone(), incident.sha256.clone());
    let mut read = vec![own];
    for path in with {
        let (records, warnings, sha256, _) = Incidents::read_journal(path)?;
        read.push((path.clone(), records, warnings, sha256));
    }
    let mut journals = Vec::new();
    for (path, records, warnings, sha256) in &read {
        for warning in warnings {
            writeln!(err, "pagerbook: warning: {}: {warning}", path.display())?;
        }
        journals.push(export::Journal { path: path.display().to_string(), sha256: sha256.clone(), records });
    }
    let page = match format {
        ExportFormat::Json => export::json(&journals),
        ExportFormat::Md => {
            let catalog = crate::catalog::load(sources).catalog;
            let reviewed = |id: &str| {
                let entry = catalog.get(id)?;
                Some(entry.text(crate::catalog::TextField::LastReviewed)?.to_owned())
            };
            export::markdown(&incident.id, &journals, &reviewed)
        }
    };
    out.write_all(page.as_bytes())?;
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
