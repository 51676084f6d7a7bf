//! The incidents kept on this machine: a journal each, in one directory
//! (`$XDG_DATA_HOME/pagerbook/incidents/`). An incident is open from its
//! `opened` record until its `closed` one; one is open at a time.

use std::io;
use std::path::{Path, PathBuf};

use super::file::{self, Journal};
use super::record::{Event, Mode, Record};
use crate::files;

/// The largest journal read: far more than any incident writes.
const JOURNAL_LIMIT: u64 = 64 * 1024 * 1024;

/// What journals end with.
const EXTENSION: &str = "jsonl";

/// The file that names the open incident.
const OPEN: &str = ".open";

/// An incident as its journal tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Its name: the day and time it was opened, then its title's words.
    pub id: String,
    /// Its journal.
    pub path: PathBuf,
    /// What its journal holds.
    pub records: Vec<Record>,
    /// What reading the journal skipped.
    pub warnings: Vec<String>,
    /// The SHA-256 of the journal as read.
    pub sha256: String,
    /// Its length as read, in bytes.
    pub len: u64,
}

impl Incident {
    /// The title it was opened with.
    #[must_use]
    pub fn title(&self) -> &str {
        self.records
            .iter()
            .find_map(|record| match &record.event {
                Event::Opened { title, .. } => Some(title.as_str()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The scenario, when it is a walkthrough drill's journal.
    #[must_use]
    pub fn drill(&self) -> Option<&str> {
        self.records.iter().find_map(|record| match &record.event {
            Event::Opened { mode: Some(Mode::Drill), drill, .. } => Some(drill.as_deref().unwrap_or_default()),
            _ => None,
        })
    }

    /// Whether it is still open: its last word is not `closed`.
    #[must_use]
    pub fn is_open(&self) -> bool {
        !self.records.iter().any(|record| record.event == Event::Closed)
    }

    /// When it was opened (RFC 3339).
    #[must_use]
    pub fn opened_at(&self) -> &str {
        self.records.first().map_or("", |record| record.time.as_str())
    }
}

/// Why an incident command cannot be done.
#[derive(Debug, thiserror::Error)]
pub enum IncidentError {
    #[error("incident {0} is open: stop it first (`pagerbook incident stop`)")]
    AlreadyOpen(String),
    #[error("no incident is open: start one with `pagerbook incident start TITLE`")]
    NoneOpen,
    #[error("no incident {0}; `pagerbook incident list` lists them")]
    Unknown(String),
    #[error("{path}:{line}: {message}")]
    Unreadable { path: PathBuf, line: usize, message: String },
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// The incidents in a directory.
#[derive(Debug, Clone)]
pub struct Incidents {
    dir: PathBuf,
}

impl Incidents {
    #[must_use]
    pub fn new(dir: PathBuf) -> Self {
        Incidents { dir }
    }

    /// Every incident, oldest first (their ids begin with when they were
    /// opened), and the journals that could not be read.
    ///
    /// # Errors
    /// The directory exists but cannot be read.
    pub fn all(&self) -> io::Result<(Vec<Incident>, Vec<IncidentError>)> {
        let (mut incidents, mut unreadable) = (Vec::new(), Vec::new());
        for id in self.ids()? {
            match self.get(&id) {
                Ok(incident) => incidents.push(incident),
                Err(err) => unreadable.push(err),
            }
        }
        Ok((incidents, unreadable))
    }

    /// The open incident, if there is one: the one `.open` names, which
    /// `start` writes and `stop` removes (under the lock). Cheap enough to
    /// ask before every record, and right whatever else lies in the
    /// directory or whatever the clock did.
    ///
    /// # Errors
    /// The pointer or the journal it names cannot be read.
    pub fn open_one(&self) -> Result<Option<Incident>, IncidentError> {
        match self.open_id()? {
            Some(id) => self.read_open(&id),
            None => Ok(None),
        }
    }

    /// Incident `id`, if it is there and still open.
    fn read_open(&self, id: &str) -> Result<Option<Incident>, IncidentError> {
        match self.get(id) {
            Ok(incident) => Ok(Some(incident).filter(Incident::is_open)),
            Err(IncidentError::Unknown(_)) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// The journals' ids, sorted.
    fn ids(&self) -> io::Result<Vec<String>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(err),
        };
        let mut ids: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| entry.file_name().to_str()?.strip_suffix(&format!(".{EXTENSION}")).map(str::to_owned))
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// The incident `id`.
    ///
    /// # Errors
    /// There is none, or its journal cannot be read.
    pub fn get(&self, id: &str) -> Result<Incident, IncidentError> {
        // An id names a file in the directory, and nothing else.
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(IncidentError::Unknown(id.to_owned()));
        }
        let path = self.path_of(id);
        let (records, warnings, sha256, len) = match Incidents::read_journal(&path) {
            Err(IncidentError::Io(err)) if err.kind() == io::ErrorKind::NotFound => {
                return Err(IncidentError::Unknown(id.to_owned()));
            }
            read => read?,
        };
        Ok(Incident { id: id.to_owned(), path, records, warnings, sha256, len })
    }

    /// The records of the journal at `path` (this machine's or another
    /// responder's), what reading it skipped, and the hash of what was read.
    ///
    /// # Errors
    /// It cannot be read, or a line in its middle is not a record.
    pub fn read_journal(path: &Path) -> Result<(Vec<Record>, Vec<String>, String, u64), IncidentError> {
        let text = files::read_regular(path, JOURNAL_LIMIT)?;
        let len = text.len() as u64;
        let sha256 = super::output::hash(text.as_bytes());
        let unreadable = |line, message| IncidentError::Unreadable { path: path.to_owned(), line, message };
        let read = file::read(&text).map_err(|err| unreadable(err.line, err.message))?;
        let mut records = Vec::with_capacity(read.records.len());
        for (line, fields) in read.records {
            records.push(Record::from_fields(fields).map_err(|err| unreadable(line, err.to_string()))?);
        }
        Ok((records, read.warnings, sha256, len))
    }

    /// Opens an incident titled `title`, by `user`.
    ///
    /// # Errors
    /// One is open already, or its journal cannot be written.
    pub fn start(&self, title: &str, user: &str) -> Result<Incident, IncidentError> {
        self.open_journal(title, None, user)
    }

    /// Opens the journal of a walkthrough drill of scenario `drill`.
    ///
    /// # Errors
    /// A drill is open already, or its journal cannot be written.
    pub fn start_drill(&self, title: &str, drill: &str, user: &str) -> Result<Incident, IncidentError> {
        self.open_journal(title, Some(drill), user)
    }

    /// Opens a journal titled `title`: a drill's of scenario `drill`, else
    /// an incident's.
    fn open_journal(&self, title: &str, drill: Option<&str>, user: &str) -> Result<Incident, IncidentError> {
        // Two starts at once (two terminals) would both find none open.
        let _lock = self.lock()?;
        if let Some(id) = self.open_id()? {
            return Err(IncidentError::AlreadyOpen(id));
        }
        let slug = slug(title);
        let mode = drill.map(|_| Mode::Drill);
        let opened = Event::Opened { title: title.to_owned(), mode, drill: drill.map(str::to_owned) };
        let opened = Record::now(opened, user);
        let stem = format!("{}-{slug}", opened.time.get(..16).unwrap_or_default().replace([':', 'T'], "-"));
        // Created only where nothing is: two starts in the same minute, even
        // at once, get journals of their own.
        for n in 1..=100 {
            let id = if n == 1 { stem.clone() } else { format!("{stem}-{n}") };
            match Journal::create(&self.path_of(&id)) {
                Ok(mut journal) => {
                    let pointed = journal
                        .append(opened.to_fields())
                        .and_then(|_| files::write_private(&self.dir.join(OPEN), id.as_bytes()));
                    if let Err(err) = pointed {
                        // No incident half-opened: none the pointer names.
                        let _ = std::fs::remove_file(self.path_of(&id));
                        return Err(err.into());
                    }
                    return self.get(&id);
                }
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
                Err(err) => return Err(err.into()),
            }
        }
        Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("a hundred incidents named {stem}")).into())
    }

    /// Closes the open incident, by `user`.
    ///
    /// # Errors
    /// None is open, or its journal cannot be written.
    pub fn stop(&self, user: &str) -> Result<Incident, IncidentError> {
        let _lock = self.lock()?;
        let id = self.open_id()?.ok_or(IncidentError::NoneOpen)?;
        // Appended even to a journal gone bad: it is closed all the same.
        self.append(&id, Event::Closed, user)?;
        std::fs::remove_file(self.dir.join(OPEN))?;
        self.get(&id)
    }

    /// The open incident's id, as `.open` names it, whether or not its
    /// journal still reads well.
    pub fn open_id(&self) -> Result<Option<String>, IncidentError> {
        match files::read_regular(&self.dir.join(OPEN), 256) {
            Ok(id) if self.path_of(id.trim()).exists() => Ok(Some(id.trim().to_owned())),
            Ok(_) => Ok(None),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// Adds `event`, by `user`, to incident `id`'s journal; returns the
    /// record as written.
    ///
    /// # Errors
    /// The journal cannot be written.
    pub fn append(&self, id: &str, event: Event, user: &str) -> io::Result<Record> {
        let record = Record::now(event, user);
        Journal::open(&self.path_of(id))?.append(record.to_fields())?;
        Ok(record)
    }

    /// The open incident, and `event` by `user` appended to it. `known` is
    /// the incident as last read: when the pointer still names it and its
    /// journal has not grown since, it is not read again (this is asked
    /// before every record, on the navigator's loop).
    ///
    /// # Errors
    /// The pointer or the journal cannot be read, or the journal written.
    pub fn append_to_open(
        &self,
        known: Option<Incident>,
        event: Event,
        user: &str,
    ) -> Result<Option<Incident>, IncidentError> {
        // A drill's release is written once, whoever of the game master's
        // view and the responder's navigator releases it first.
        let _lock = matches!(event, Event::Released { .. }).then(|| self.lock()).transpose()?;
        let Some(mut open) = self.reread_open(known)? else { return Ok(None) };
        if let Event::Released { item, number, .. } = &event
            && open
                .records
                .iter()
                .any(|r| matches!(&r.event, Event::Released { item: i, number: n, .. } if i == item && n == number))
        {
            return Ok(Some(open));
        }
        let record = Record::now(event, user);
        let (before, after) = Journal::open(&open.path)?.append(record.to_fields())?;
        if before == open.len {
            open.records.push(record);
            open.len = after;
            return Ok(Some(open));
        }
        // Another writer (a second navigator) appended meanwhile.
        self.get(&open.id).map(Some)
    }

    /// The open incident, read again only when it is not `known` or its
    /// journal has grown since: cheap enough to ask several times a second
    /// (a drill's responder waits for what the game master releases).
    ///
    /// # Errors
    /// The pointer or the journal cannot be read.
    pub fn reread_open(&self, known: Option<Incident>) -> Result<Option<Incident>, IncidentError> {
        let Some(id) = self.open_id()? else { return Ok(None) };
        let unchanged =
            |known: &Incident| known.id == id && std::fs::metadata(&known.path).is_ok_and(|m| m.len() == known.len);
        match known.filter(unchanged) {
            Some(known) => Ok(Some(known)),
            None => self.read_open(&id),
        }
    }

    /// Holds the directory's lock (`.lock`, flock) until dropped: opening
    /// and closing an incident are one at a time across processes.
    fn lock(&self) -> io::Result<std::fs::File> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&self.dir)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false).mode(0o600);
        let file = files::open_no_follow(&mut options, &self.dir.join(".lock"))?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)?;
        Ok(file)
    }

    /// Where incident `id`'s journal is.
    #[must_use]
    pub fn path_of(&self, id: &str) -> PathBuf {
        self.dir.join(Path::new(id).with_extension(EXTENSION))
    }
}

/// A title's words for a file name: lowercase letters and digits joined by
/// `-`, at most 40 bytes.
fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut slug = String::new();
    for word in words {
        if slug.len() + word.len() + 1 > 40 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    if slug.is_empty() { "incident".to_owned() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incident_is_started_listed_and_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let incidents = Incidents::new(dir.path().join("incidents"));
        assert!(matches!(incidents.stop("alice"), Err(IncidentError::NoneOpen)));
        let started = incidents.start("Checkout 5xx!", "alice").unwrap();
        assert!(started.id.ends_with("-checkout-5xx"), "{}", started.id);
        assert_eq!((started.title(), started.is_open()), ("Checkout 5xx!", true));
        let again = incidents.start("Another", "bob");
        assert!(matches!(again, Err(IncidentError::AlreadyOpen(ref id)) if *id == started.id), "{again:?}");
        assert_eq!(incidents.open_one().unwrap().map(|i| i.id), Some(started.id.clone()));
        let stopped = incidents.stop("bob").unwrap();
        assert!(!stopped.is_open());
        assert_eq!(stopped.records.iter().map(|r| r.user.as_str()).collect::<Vec<_>>(), ["alice", "bob"]);
        assert_eq!(incidents.open_one().unwrap(), None);
        // The same title in the same minute gets a name of its own.
        let second = incidents.start("Checkout 5xx!", "alice").unwrap();
        assert_ne!(second.id, started.id);
        let (all, unreadable) = incidents.all().unwrap();
        assert_eq!((all.len(), unreadable.len()), (2, 0));
    }

    #[test]
    fn an_unknown_or_malformed_id_is_unknown_and_a_bad_journal_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let incidents = Incidents::new(dir.path().to_owned());
        for id in ["nope", "../etc/passwd", ""] {
            assert!(matches!(incidents.get(id), Err(IncidentError::Unknown(_))), "{id}");
        }
        std::fs::write(dir.path().join("bad.jsonl"), "{\"v\":1}\nnot json\n{\"v\":1}\n").unwrap();
        let err = incidents.get("bad").unwrap_err();
        assert!(err.to_string().ends_with("bad.jsonl:2: not JSON: expected ident at line 1 column 2"), "{err}");
        let (all, unreadable) = incidents.all().unwrap();
        assert_eq!((all.len(), unreadable.len()), (0, 1));
    }

    #[test]
    fn another_journal_copied_in_does_not_hide_the_open_incident() {
        let dir = tempfile::tempdir().unwrap();
        let incidents = Incidents::new(dir.path().to_owned());
        let open = incidents.start("Checkout 5xx", "alice").unwrap();
        // A second responder's journal, named as it came, sorting last.
        std::fs::copy(&open.path, dir.path().join("zz-bob-copy.jsonl")).unwrap();
        assert_eq!(incidents.open_one().unwrap().map(|i| i.id), Some(open.id.clone()));
        incidents.stop("alice").unwrap();
        assert_eq!(incidents.open_one().unwrap(), None);
        // A journal gone bad is said, not taken for none open.
        let again = incidents.start("Again", "alice").unwrap();
        std::fs::write(&again.path, "{\"v\":1}\nnot json\n{\"v\":1}\n").unwrap();
        assert!(matches!(incidents.open_one(), Err(IncidentError::Unreadable { .. })));
    }

    #[test]
    fn a_damaged_open_journal_still_closes_and_does_not_block_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let incidents = Incidents::new(dir.path().to_owned());
        let damaged = incidents.start("Damaged", "alice").unwrap();
        std::fs::write(&damaged.path, "{\"v\":1}\nnot json\n{\"v\":1}\n").unwrap();
        assert!(matches!(incidents.start("Next", "bob"), Err(IncidentError::AlreadyOpen(id)) if id == damaged.id));
        assert!(matches!(incidents.stop("alice"), Err(IncidentError::Unreadable { .. })), "closed, and said damaged");
        assert!(!dir.path().join(OPEN).exists());
        assert!(incidents.start("Next", "bob").is_ok());
    }

    #[test]
    fn starts_at_once_open_one_incident() {
        let dir = tempfile::tempdir().unwrap();
        let incidents = Incidents::new(dir.path().join("incidents"));
        let started: Vec<bool> = std::thread::scope(|scope| {
            let starts: Vec<_> = (0..4)
                .map(|n| {
                    let incidents = &incidents;
                    scope.spawn(move || incidents.start(&format!("Race {n}"), "alice").is_ok())
                })
                .collect();
            starts.into_iter().map(|start| start.join().unwrap()).collect()
        });
        assert_eq!(started.iter().filter(|ok| **ok).count(), 1, "{started:?}");
        assert_eq!(incidents.all().unwrap().0.len(), 1);
    }

    #[test]
    fn titles_make_short_file_names() {
        assert_eq!(slug("Checkout 5xx: pods can't resolve"), "checkout-5xx-pods-can-t-resolve");
        assert_eq!(slug("¡¿!"), "incident");
        assert!(slug(&"word ".repeat(30)).len() <= 40);
    }
}
