//! `pagerbook drill`: the scenarios on the wheel, a scenario's first draft,
//! playing a drill (the responder's navigator, the game master's view),
//! ending it, and its debrief. A drill's journal is an incident journal
//! in a directory of its own (`settings::drills_dir`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::args::{DrillCommand, ThemeChoice};
use super::{EXIT_OK, EXIT_PROBLEM, load_noting_problems};
use crate::catalog::{Catalog, Drill, Kind, Source, user_catalog_dir};
use crate::drill::{report, skeleton, wheel};
use crate::journal::incidents::{Incident, IncidentError, Incidents};
use crate::settings;
use crate::tui;

/// Runs a drill command.
pub(super) fn drill(
    command: DrillCommand,
    sources: &[Source],
    light: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let Some(dir) = settings::drills_dir() else { return super::no_data_directory(err) };
    let drills = Incidents::new(dir.clone());
    let loaded = load_noting_problems(sources, err)?;
    let done = match command {
        DrillCommand::Run { id, theme } => {
            responder(loaded, &drills, &dir, id.as_deref(), light || theme == ThemeChoice::Light)
        }
        DrillCommand::List => list(&loaded.catalog, &drills, out),
        DrillCommand::History => history(&drills, out, err),
        DrillCommand::New { id, out: path } => new(&loaded.catalog, &id, path.as_deref(), out),
        DrillCommand::Gm { id, theme } => {
            game_master(&loaded.catalog, &drills, id.as_deref(), light || theme == ThemeChoice::Light, out)
        }
        DrillCommand::Stop => stop(&drills, out),
        DrillCommand::Report { id } => find(&drills, id.as_deref()).and_then(|journal| {
            let drill = journal.drill().and_then(|id| loaded.catalog.drill(id));
            out.write_all(report::report(&journal, drill, &loaded.catalog).as_bytes()).map_err(Into::into)
        }),
    };
    finish(done, err)
}

/// The exit code of a drill command that came out as `done`.
fn finish(done: Done, err: &mut dyn Write) -> io::Result<u8> {
    match done {
        Ok(()) => Ok(EXIT_OK),
        Err(IncidentError::Io(e)) => Err(e),
        Err(problem) => {
            writeln!(err, "pagerbook: error: {}", crate::drill::said(&problem))?;
            Ok(EXIT_PROBLEM)
        }
    }
}

type Done = Result<(), IncidentError>;

fn list(catalog: &Catalog, drills: &Incidents, out: &mut dyn Write) -> Done {
    let (journals, _) = drills.all()?;
    let slots = wheel::spin(catalog, &wheel::history(&journals));
    if slots.is_empty() {
        writeln!(out, "No drills: `pagerbook drill new ID` writes one from a failure mode.")?;
    }
    let width = slots.iter().map(|slot| slot.drill.id.len()).max().unwrap_or(0);
    if !slots.is_empty() {
        writeln!(out, "{}", wheel::Slot::heading(width))?;
    }
    for slot in slots {
        writeln!(out, "{}", slot.describe(width))?;
    }
    Ok(())
}

/// The drills played, oldest first: what `incident list` leaves out.
fn history(drills: &Incidents, out: &mut dyn Write, err: &mut dyn Write) -> Done {
    let (journals, unreadable) = drills.all()?;
    for journal in &journals {
        let state = if journal.is_open() { "open" } else { "ended" };
        writeln!(out, "{}  {state:5}  {}  {}", journal.id, journal.drill().unwrap_or_default(), journal.title())?;
    }
    for problem in unreadable {
        writeln!(err, "pagerbook: warning: {problem}")?;
    }
    Ok(())
}

fn new(catalog: &Catalog, id: &str, path: Option<&Path>, out: &mut dyn Write) -> Done {
    let Some(entry) = catalog.get(id).filter(|entry| entry.kind == Kind::Failure) else {
        let near = catalog.similar_ids(id);
        let hint = if near.is_empty() { String::new() } else { format!("; did you mean {}?", near.join(", ")) };
        return Err(IncidentError::Invalid(format!("no failure mode with id `{id}`{hint}")));
    };
    // A drill id of its own: the embedded scenarios may have this one.
    let drill_id = (1..=catalog.drills().len() + 1)
        .map(|n| if n == 1 { id.to_owned() } else { format!("{id}-{n}") })
        .find(|candidate| catalog.drill(candidate).is_none())
        .unwrap_or_else(|| id.to_owned());
    let text = skeleton::skeleton(catalog, entry, &drill_id);
    if path == Some(Path::new("-")) {
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    let path = match path {
        Some(path) => path.to_owned(),
        None => user_catalog_dir()
            .ok_or_else(|| IncidentError::Invalid("no config directory (set HOME); give --out PATH".into()))?
            .join("drills")
            .join(format!("{drill_id}.toml")),
    };
    write_new(&path, &text)?;
    writeln!(out, "Wrote {}: drill `{drill_id}` of `{id}`.", path.display())?;
    writeln!(out, "Edit it, then: pagerbook check {}", path.display())?;
    writeln!(out, "Play it: pagerbook drill gm {drill_id}  (and pagerbook drill run in another terminal)")?;
    Ok(())
}

/// Writes a new file whole or not at all, never over one already there
/// (nor through a link): a half-written draft would load as a broken
/// catalog file.
fn write_new(path: &Path, text: &str) -> Done {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut draft = tempfile::NamedTempFile::new_in(dir)?;
    draft.write_all(text.as_bytes())?;
    draft.as_file().sync_all()?;
    match draft.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
            Err(IncidentError::Invalid(format!("{} exists already; give --out PATH", path.display())))
        }
        Err(e) => Err(e.error.into()),
    }
}

/// The drill under way, if any, and its scenario; `wanted` must be it.
fn under_way<'c>(
    catalog: &'c Catalog,
    drills: &Incidents,
    wanted: Option<&str>,
) -> Result<Option<(Incident, &'c Drill)>, IncidentError> {
    let Some(open) = drills.open_one()? else { return Ok(None) };
    let scenario = open.drill().unwrap_or_default().to_owned();
    if let Some(wanted) = wanted.filter(|wanted| *wanted != scenario) {
        return Err(IncidentError::Invalid(format!(
            "a drill of `{scenario}` is under way, not of `{wanted}`: join it without an id, or end it with `pagerbook drill stop`"
        )));
    }
    match catalog.drill(&scenario) {
        Some(drill) => Ok(Some((open, drill))),
        None => Err(IncidentError::Invalid(format!(
            "the drill under way ({}) plays `{scenario}`, which these catalogs do not have",
            open.id
        ))),
    }
}

/// Scenario `id`, or why not.
fn scenario<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Drill, IncidentError> {
    catalog.drill(id).ok_or_else(|| {
        let near = crate::catalog::diagnostic::nearest(id, catalog.drills().iter().map(|d| d.id.as_str()), 3);
        let hint = if near.is_empty() { String::new() } else { format!("; did you mean {}?", near.join(", ")) };
        IncidentError::Invalid(format!("no drill `{id}` (`pagerbook drill list` lists them){hint}"))
    })
}

fn start(drills: &Incidents, drill: &Drill) -> Result<Incident, IncidentError> {
    drills.start_drill(&drill.title, &drill.id, &crate::journal::user())
}

/// `drill run`: the drill under way, else scenario `id` started, else the
/// wheel's pick; then the navigator on it.
fn responder(loaded: crate::catalog::Loaded, drills: &Incidents, dir: &Path, id: Option<&str>, light: bool) -> Done {
    // Asked before a drill is begun: none is left open for want of a terminal.
    tui::terminal_at_hand().map_err(unavailable)?;
    let catalog = &loaded.catalog;
    let (journal, drill, notice) = if let Some((journal, drill)) = under_way(catalog, drills, id)? {
        (journal, drill, None)
    } else {
        let drill = match id {
            Some(id) => scenario(catalog, id)?,
            None => next_on_wheel(catalog, drills)?,
        };
        // No game master began it: say how one joins.
        let notice = format!("drill {} begun; a game master joins with: pagerbook drill gm", drill.id);
        (start(drills, drill)?, drill, Some(notice))
    };
    let drilled = tui::Drilled { drill: Arc::new(drill.clone()), journal: journal.id };
    let options = tui::Options {
        light,
        read_only: false,
        values_path: None,
        notice,
        query: String::new(),
        problems: Vec::new(),
        incidents_dir: Some(PathBuf::from(dir)),
        drill: Some(drilled),
        print: false,
        // A drill's catalog stays as it began: the scenario points into it.
        sources: Vec::new(),
        keys: crate::settings::config_path()
            .map(|path| crate::settings::Config::load(&path).0.keys)
            .unwrap_or_default(),
    };
    tui::run(loaded, &options).map(|_| ()).map_err(unavailable)
}

/// Why a drill's view could not open.
fn unavailable(why: tui::Unavailable) -> IncidentError {
    match why {
        tui::Unavailable::NotATerminal(why) => IncidentError::Invalid(why.to_owned()),
        tui::Unavailable::Io(e) => e.into(),
    }
}

fn next_on_wheel<'c>(catalog: &'c Catalog, drills: &Incidents) -> Result<&'c Drill, IncidentError> {
    let (journals, _) = drills.all()?;
    let slots = wheel::spin(catalog, &wheel::history(&journals));
    slots.first().map(|slot| slot.drill).ok_or_else(|| IncidentError::Invalid("no drills in these catalogs".into()))
}

/// `drill gm`: the game master's view on the drill under way, else on
/// scenario `id` started, else on the wheel to choose from. The debrief is
/// printed when the drill ended there.
fn game_master(catalog: &Catalog, drills: &Incidents, id: Option<&str>, light: bool, out: &mut dyn Write) -> Done {
    tui::terminal_at_hand().map_err(unavailable)?;
    let begin = match (under_way(catalog, drills, id)?, id) {
        (Some((journal, drill)), _) => tui::gm::Begin::Playing(Box::new(journal), drill),
        (None, Some(id)) => {
            let drill = scenario(catalog, id)?;
            tui::gm::Begin::Playing(Box::new(start(drills, drill)?), drill)
        }
        (None, None) => {
            let (journals, _) = drills.all()?;
            tui::gm::Begin::Picking(wheel::spin(catalog, &wheel::history(&journals)))
        }
    };
    match tui::gm::run(catalog, drills, begin, light) {
        Ok(Some(ended)) => {
            let journal = drills.get(&ended)?;
            let drill = journal.drill().and_then(|id| catalog.drill(id));
            out.write_all(report::report(&journal, drill, catalog).as_bytes())?;
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(why) => Err(unavailable(why)),
    }
}

fn stop(drills: &Incidents, out: &mut dyn Write) -> Done {
    let ended = drills.stop(&crate::journal::user())?;
    writeln!(out, "Drill {} ended: {}", ended.id, ended.title())?;
    writeln!(out, "Its debrief: pagerbook drill report {}", ended.id)?;
    Ok(())
}

/// A drill journal by its id, or the latest of scenario `id`, or the latest.
fn find(drills: &Incidents, id: Option<&str>) -> Result<Incident, IncidentError> {
    if let Some(id) = id {
        match drills.get(id) {
            Err(IncidentError::Unknown(_)) => {}
            found => return found,
        }
    }
    let (journals, _) = drills.all()?;
    let latest = journals
        .into_iter()
        .filter(|j| id.is_none_or(|id| j.drill() == Some(id)))
        .max_by(|a, b| a.opened_at().cmp(b.opened_at()));
    latest.ok_or_else(|| match id {
        Some(id) => IncidentError::Invalid(format!("no drill journal `{id}`, nor a drill of scenario `{id}`")),
        None => IncidentError::Invalid("no drill has been played yet".into()),
    })
}
