//! A run's whole output, kept beside its incident's journal (the navigator
//! holds only the latest lines): written as it arrives, counted and hashed,
//! so the journal's result can name the file, its hash and its last lines.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::files;

use sha2::{Digest, Sha256};

/// Lines of output the journal keeps in the result itself.
pub const TAIL_LINES: usize = 10;

/// A run's output on its way to its file.
pub struct OutputFile {
    /// `None` once a write failed: the count, hash and tail go on.
    file: Option<BufWriter<File>>,
    /// The file's name, relative to the journal's directory.
    name: String,
    hasher: Sha256,
    lines: u64,
    tail: VecDeque<String>,
    /// When the buffer last went to the file: a crash loses at most the
    /// last [`FLUSH_EVERY`] of output.
    flushed: Instant,
}

/// How often buffered output goes to the file.
const FLUSH_EVERY: Duration = Duration::from_millis(200);

/// What a run printed, as its result records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub lines: u64,
    pub tail: Vec<String>,
    /// SHA-256 of the lines, each ended by a newline, as the file holds them.
    pub sha256: String,
    /// The file's name relative to the journal's directory, if it could be
    /// written whole.
    pub output: Option<String>,
}

impl OutputFile {
    /// Starts the output file of run `run` of the journal at `journal`:
    /// `ID/RUN.out` beside `ID.jsonl`, readable by its owner only, created
    /// new, never through a link. When it cannot be created, the lines are
    /// still counted and hashed.
    #[must_use]
    pub fn create(journal: &Path, run: &str) -> OutputFile {
        let stem = journal.file_stem().and_then(|s| s.to_str()).unwrap_or("incident");
        let name = format!("{stem}/{run}.out");
        let file = journal.parent().and_then(|dir| {
            let folder = files::private_dir(&dir.join(stem)).ok()?;
            files::create_in(&folder, &format!("{run}.out")).ok()
        });
        let file = file.map(BufWriter::new);
        OutputFile { file, name, hasher: Sha256::new(), lines: 0, tail: VecDeque::new(), flushed: Instant::now() }
    }

    /// One more line of output.
    pub fn push(&mut self, line: &str) {
        self.hasher.update(line.as_bytes());
        self.hasher.update(b"\n");
        self.lines += 1;
        if self.tail.len() == TAIL_LINES {
            self.tail.pop_front();
        }
        self.tail.push_back(line.to_owned());
        if let Some(file) = &mut self.file {
            let mut written = file.write_all(line.as_bytes()).and_then(|()| file.write_all(b"\n"));
            if written.is_ok() && self.flushed.elapsed() >= FLUSH_EVERY {
                written = file.flush();
                self.flushed = Instant::now();
            }
            if written.is_err() {
                self.file = None;
            }
        }
    }

    /// The run ended: the file is synced and what it printed summed up.
    #[must_use]
    pub fn finish(self) -> Printed {
        let synced = self.file.and_then(|file| file.into_inner().ok()).is_some_and(|file| file.sync_data().is_ok());
        let output = synced.then_some(self.name);
        let sha256 = hex(&self.hasher.finalize());
        Printed { lines: self.lines, tail: self.tail.into(), sha256, output }
    }
}

/// The SHA-256 of `bytes`, in hex.
#[must_use]
pub fn hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(2 * bytes.len()), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_whole_output_goes_to_a_private_file_and_its_hash_and_tail_to_the_result() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("2026-12-01-03-00-dns.jsonl");
        let mut file = OutputFile::create(&journal, "r1");
        for n in 0..25 {
            file.push(&format!("line {n}"));
        }
        let printed = file.finish();
        assert_eq!(printed.lines, 25);
        assert_eq!(printed.tail.first().map(String::as_str), Some("line 15"));
        assert_eq!(printed.tail.len(), TAIL_LINES);
        assert_eq!(printed.output.as_deref(), Some("2026-12-01-03-00-dns/r1.out"));
        let path = dir.path().join("2026-12-01-03-00-dns/r1.out");
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 25);
        assert_eq!(hash(&std::fs::read(&path).unwrap()), printed.sha256);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let folder = std::fs::metadata(dir.path().join("2026-12-01-03-00-dns")).unwrap();
        assert_eq!(folder.permissions().mode() & 0o777, 0o700);
    }

    #[test]
    fn a_folder_that_is_a_link_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("i")).unwrap();
        let mut file = OutputFile::create(&dir.path().join("i.jsonl"), "r1");
        file.push("hello");
        assert_eq!(file.finish().output, None);
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    }

    #[test]
    fn a_file_already_there_or_a_link_is_never_written_but_the_result_is_still_summed() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("i.jsonl");
        std::fs::create_dir(dir.path().join("i")).unwrap();
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "keep me").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("i/r1.out")).unwrap();
        let mut file = OutputFile::create(&journal, "r1");
        file.push("hello");
        let printed = file.finish();
        assert_eq!((printed.lines, printed.output), (1, None));
        assert_eq!(printed.sha256.len(), 64);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    }
}
