//! An incident's journal on disk: JSON Lines, a record a line, each with
//! the format's version.
//!
//! A record is one `write_all` of the whole line, then `sync_data`, under
//! an advisory lock (`flock`), so two pagerbook processes can append to one
//! journal. A crash in the middle of a write leaves a last line without its
//! newline; the next append seals it first and says so in a `repaired`
//! record naming the line, or the new record would glue onto the fragment
//! and both be lost. A reader skips a bad last line with a warning, accepts
//! a bad line a `repaired` record names, and refuses any other bad line,
//! with its number.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, flock};
use serde_json::{Map, Value};

/// The version every record carries, as `"v"`.
pub const VERSION: u64 = 1;

/// The record that says a torn line was sealed.
pub const REPAIRED: &str = "repaired";

/// The fields that say when and by whom a record was written, which a
/// `repaired` record takes from the record appended after it.
const STAMPS: [&str; 3] = ["time", "monotonic_ms", "user"];

/// A journal open for appending.
#[derive(Debug)]
pub struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    /// Opens the journal at `path` for appending, creating it (and its
    /// directory) readable by its owner only. A link at `path` is refused,
    /// not followed, and so is anything but a regular file.
    ///
    /// # Errors
    /// The directory or the file cannot be created or opened.
    pub fn open(path: &Path) -> io::Result<Journal> {
        Journal::opening(path, false)
    }

    /// Creates a new journal at `path`, as [`Journal::open`] would, but
    /// only if there is none.
    ///
    /// # Errors
    /// As [`Journal::open`], and `AlreadyExists` when something is at `path`.
    pub fn create(path: &Path) -> io::Result<Journal> {
        Journal::opening(path, true)
    }

    fn opening(path: &Path, new: bool) -> io::Result<Journal> {
        let dir = path.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."));
        DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        let mut options = OpenOptions::new();
        options.read(true).append(true).create(!new).create_new(new).mode(0o600);
        let file = crate::files::open_no_follow(&mut options, path)?;
        Ok(Journal { file, path: path.to_owned() })
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a record: `fields` with the format's version. It is on disk
    /// when this returns. A torn last line (a crash while it was written)
    /// is sealed first, and a `repaired` record names it.
    ///
    /// # Errors
    /// The file cannot be locked or written (the disk is full).
    ///
    /// Returns the journal's length before and after: a reader that had
    /// read it whole at the length before knows it holds nothing else.
    pub fn append(&mut self, fields: Map<String, Value>) -> io::Result<(u64, u64)> {
        flock(&self.file, FlockOperation::LockExclusive)?;
        let written = self.file.metadata().map(|m| m.len()).and_then(|before| {
            self.seal_torn_line(&fields)?;
            self.write_record(fields)?;
            Ok((before, self.file.metadata()?.len()))
        });
        let unlocked = flock(&self.file, FlockOperation::Unlock);
        let lengths = written?;
        unlocked?;
        Ok(lengths)
    }

    /// With the lock held: a last line without its newline gets one, and a
    /// `repaired` record its number, with the when and who of `next`.
    fn seal_torn_line(&mut self, next: &Map<String, Value>) -> io::Result<()> {
        let len = self.file.metadata()?.len();
        let mut last = [0u8];
        if len == 0 || (self.file.read_exact_at(&mut last, len - 1).is_ok() && last[0] == b'\n') {
            return Ok(());
        }
        let lines = count_lines(&self.file, len)?;
        self.file.write_all(b"\n")?;
        let mut repaired: Map<String, Value> =
            STAMPS.iter().filter_map(|&key| Some((key.to_owned(), next.get(key)?.clone()))).collect();
        repaired.insert("kind".into(), REPAIRED.into());
        repaired.insert("line".into(), (lines + 1).into());
        repaired.insert("message".into(), "a record cut short by a crash was sealed here".into());
        self.write_record(repaired)
    }

    fn write_record(&mut self, mut fields: Map<String, Value>) -> io::Result<()> {
        fields.insert("v".into(), VERSION.into());
        let mut line = serde_json::to_vec(&Value::Object(fields)).map_err(io::Error::other)?;
        line.push(b'\n');
        // One write: appends from other processes land before or after it,
        // never inside.
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}

/// How many newlines the first `len` bytes of `file` hold.
fn count_lines(file: &File, len: u64) -> io::Result<u64> {
    let mut buffer = vec![0u8; 64 * 1024];
    let (mut at, mut lines) = (0, 0);
    while at < len {
        let read = file.read_at(&mut buffer, at)?;
        if read == 0 {
            break;
        }
        #[allow(clippy::naive_bytecount, reason = "once per repair: not worth a crate")]
        let newlines = buffer[..read].iter().filter(|&&b| b == b'\n').count();
        lines += newlines as u64;
        at += read as u64;
    }
    Ok(lines)
}

/// A journal as read.
#[derive(Debug, Default, PartialEq)]
pub struct Records {
    /// The records, in order, each with its line number.
    pub records: Vec<(usize, Map<String, Value>)>,
    /// What was skipped: a bad last line, or one a `repaired` record names.
    pub warnings: Vec<String>,
}

/// A journal that cannot be read.
#[derive(Debug, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ReadError {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

/// Reads a journal's text.
///
/// # Errors
/// A line that is not a record of this format, unless it is the last or a
/// `repaired` record names it; a record of a newer version.
pub fn read(text: &str) -> Result<Records, ReadError> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let parsed: Vec<Result<Map<String, Value>, String>> = lines.iter().map(|line| record(line)).collect();
    // The lines `repaired` records say were sealed.
    let sealed: Vec<u64> = parsed
        .iter()
        .filter_map(|record| record.as_ref().ok())
        .filter(|record| record.get("kind").and_then(Value::as_str) == Some(REPAIRED))
        .filter_map(|record| record.get("line").and_then(Value::as_u64))
        .collect();
    let mut read = Records::default();
    for (index, result) in parsed.into_iter().enumerate() {
        let line = index + 1;
        match result {
            Ok(record) => {
                let version = record.get("v").and_then(Value::as_u64).unwrap_or(0);
                if version > VERSION {
                    let message = format!("written by a newer pagerbook (format {version}; this one reads {VERSION})");
                    return Err(ReadError { line, message });
                }
                read.records.push((line, record));
            }
            Err(why) if line == lines.len() => read.warnings.push(format!("line {line} skipped: {why}")),
            Err(why) if sealed.contains(&(line as u64)) => {
                read.warnings.push(format!("line {line} skipped: {why}; it was cut short and sealed"));
            }
            Err(message) => return Err(ReadError { line, message }),
        }
    }
    Ok(read)
}

/// A line as a record: a JSON object with a version, ended by a newline.
fn record(line: &str) -> Result<Map<String, Value>, String> {
    let Some(json) = line.strip_suffix('\n') else {
        return Err("it has no end (a crash while it was written)".into());
    };
    match serde_json::from_str(json) {
        Ok(Value::Object(record)) if record.get("v").is_some_and(Value::is_u64) => Ok(record),
        Ok(_) => Err("not a record: a JSON object with a version \"v\"".into()),
        Err(err) => Err(format!("not JSON: {err}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn note(text: &str) -> Map<String, Value> {
        let mut fields = Map::new();
        fields.insert("kind".into(), "note".into());
        fields.insert("text".into(), text.into());
        fields
    }

    fn texts(read: &Records) -> Vec<&str> {
        read.records.iter().map(|(_, r)| r.get("text").and_then(Value::as_str).unwrap_or("-")).collect()
    }

    #[test]
    fn records_read_back_in_order_from_an_owner_only_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("incidents").join("one.jsonl");
        let mut journal = Journal::open(&path).unwrap();
        journal.append(note("first")).unwrap();
        journal.append(note("second")).unwrap();
        let read = read(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(texts(&read), ["first", "second"]);
        assert!(read.records.iter().all(|(_, r)| r["v"] == VERSION));
        assert_eq!(read.warnings, Vec::<String>::new());
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o600, 0o700));
    }

    #[test]
    fn a_torn_last_line_is_sealed_named_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        Journal::open(&path).unwrap().append(note("before")).unwrap();
        // A crash in the middle of the second record.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"kind":"note","te"#).unwrap();
        let torn = read(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!((texts(&torn), torn.warnings.len()), (vec!["before"], 1));
        Journal::open(&path).unwrap().append(note("after")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let read = read(&text).unwrap();
        assert_eq!(texts(&read), ["before", "-", "after"]);
        assert_eq!(read.records[1].1["kind"], REPAIRED);
        assert_eq!(read.records[1].1["line"], 2);
        assert_eq!(
            read.warnings,
            ["line 2 skipped: not JSON: EOF while parsing a string at line 1 column 18; it was cut short and sealed"]
        );
    }

    #[test]
    fn a_bad_line_in_the_middle_is_refused_with_its_number() {
        let text = "{\"v\":1,\"text\":\"a\"}\nnot json\n{\"v\":1,\"text\":\"b\"}\n";
        assert_eq!(read(text).unwrap_err().line, 2);
        let unversioned = "{\"v\":1}\n{\"text\":\"no version\"}\n{\"v\":1}\n";
        assert_eq!(read(unversioned).unwrap_err().line, 2);
        let newer = "{\"v\":1}\n{\"v\":2}\n";
        let err = read(newer).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("newer"), "{}", err.message);
        // The same bad line last is skipped with a warning.
        let last = "{\"v\":1,\"text\":\"a\"}\nnot json\n";
        let read = read(last).unwrap();
        assert_eq!((texts(&read), read.warnings.len()), (vec!["a"], 1));
    }

    #[test]
    fn a_link_at_the_journal_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "untouched").unwrap();
        let path = dir.path().join("j.jsonl");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        assert!(Journal::open(&path).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR).unwrap();
        assert_eq!(Journal::open(&fifo).unwrap_err().kind(), io::ErrorKind::InvalidInput);
    }

    /// Two journals open on one file lock as two processes would (`flock`
    /// locks belong to the open file).
    #[test]
    fn two_writers_at_once_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let writers: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|who| {
                let mut journal = Journal::open(&path).unwrap();
                std::thread::spawn(move || {
                    for i in 0..200 {
                        journal.append(note(&format!("{who}{i} {}", "x".repeat(i * 37 % 5000)))).unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        let read = read(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(read.records.len(), 400);
        assert!(read.warnings.is_empty());
        for who in ["a", "b"] {
            let mine: Vec<usize> =
                texts(&read).iter().filter_map(|t| t.strip_prefix(who)?.split(' ').next()?.parse().ok()).collect();
            assert_eq!(mine, (0..200).collect::<Vec<_>>(), "{who}'s records, in its order");
        }
    }
}
