//! Runs one shell command for the navigator, knowing nothing of the terminal.
//!
//! A runbook command can be anything: a prompt, a progress bar, a runaway
//! loop, a daemon it forks. So the child gets no stdin (a prompt can never
//! hang it), its output is cleaned of every escape before it reaches the
//! screen, and it lives in its own process group so that interrupting or
//! killing it reaches its children too. Every live group is registered so the
//! panic hook and exit paths can kill what is left with [`kill_all`].
//!
//! Here the words of a run (shell, stream, event, outcome); `start` starts a
//! command (captured, or in the terminal), `pipes` reads its output, `lines`
//! cleans it, `groups` signals and kills the groups, `orphans` ends what a
//! step left outside its group, and `watchdog` what is left when pagerbook
//! is killed.

use std::fmt;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use rustix::process::Signal;

mod groups;
mod lines;
mod orphans;
mod pipes;
mod start;
pub mod watchdog;

pub use groups::kill_all;
pub use orphans::adopt_orphans;
pub use start::{Finished, Running, run_in_terminal, run_until, spawn};

/// The shell a command is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Sh,
}

impl Shell {
    /// Bash for a `bash` code block (any case), the portable `sh` otherwise.
    #[must_use]
    pub fn for_lang(lang: &str) -> Shell {
        if lang.eq_ignore_ascii_case("bash") { Shell::Bash } else { Shell::Sh }
    }

    /// The program to run with `-c`.
    #[must_use]
    pub fn program(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Sh => "sh",
        }
    }
}

/// Which of the child's outputs a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What the sink passed to [`spawn`] hears: lines in the order they were
/// read from the two pipes (see [`spawn`]), then the exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEvent {
    /// One cleaned line, without its newline.
    Line(Stream, String),
    /// The last event: all output is read and the shell has been waited for.
    Exited(Outcome),
}

/// How the shell ended: an exit code or the signal that stopped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub code: Option<i32>,
    pub signal: Option<i32>,
}

impl Outcome {
    /// True for exit code 0.
    #[must_use]
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

impl From<ExitStatus> for Outcome {
    fn from(status: ExitStatus) -> Self {
        Outcome { code: status.code(), signal: status.signal() }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = [(Signal::INT, "SIGINT"), (Signal::TERM, "SIGTERM"), (Signal::KILL, "SIGKILL")];
        match (self.code, self.signal) {
            (Some(code), _) => write!(f, "exit {code}"),
            (None, Some(signal)) => match named.iter().find(|(known, _)| known.as_raw() == signal) {
                Some((_, name)) => write!(f, "stopped by {name}"),
                None => write!(f, "stopped by signal {signal}"),
            },
            (None, None) => f.write_str("exit status unknown"),
        }
    }
}
