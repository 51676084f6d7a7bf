//! A step's check (`verify` after it runs, `precheck` before) run to a
//! verdict: attempts of its command, each given what is left of the
//! deadline, repeated `every` while they fail, until one passes. Knows
//! nothing of the terminal: the attempts are handed in.

use std::io;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::catalog::Check;
use crate::runner::{Finished, Stream};

/// Lines of a check's output kept with its verdict.
pub const TAIL_LINES: usize = 5;

/// Which of a step's checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Before the confirmation: may it run now?
    Precheck,
    /// After it ran: did it work?
    Verify,
}

impl CheckKind {
    /// `precheck`, `verify`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            CheckKind::Precheck => "precheck",
            CheckKind::Verify => "verify",
        }
    }

    /// The step's check of this kind.
    #[must_use]
    pub fn of(self, step: &crate::catalog::Step) -> Option<&Check> {
        match self {
            CheckKind::Precheck => step.precheck(),
            CheckKind::Verify => step.verify(),
        }
    }
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// An attempt exited as expected, its output matching.
    Passed,
    /// The attempts ended, none passing, and no time is left for another.
    Failed,
    /// An attempt was still running at the deadline, and was killed.
    TimedOut,
}

impl Verdict {
    /// `✓`, `✗`, `⚠`.
    #[must_use]
    pub fn mark(self) -> char {
        match self {
            Verdict::Passed => '✓',
            Verdict::Failed => '✗',
            Verdict::TimedOut => '⚠',
        }
    }

    /// `passed`, `failed`, `timed out`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed => "failed",
            Verdict::TimedOut => "timed out",
        }
    }
}

/// A check's verdict, and what led to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub verdict: Verdict,
    /// Attempts made.
    pub attempts: u32,
    pub elapsed: Duration,
    /// The last attempt's exit status.
    pub exit: Option<i32>,
    /// The last lines of the last attempt's output.
    pub tail: Vec<String>,
}

/// Whether an attempt passes: it exited with the expected status, and its
/// standard output matches, when a pattern is given.
#[must_use]
pub fn passes(check: &Check, finished: &Finished) -> bool {
    let exited = finished.outcome.is_some_and(|outcome| outcome.code == Some(i32::from(check.expect_exit)));
    let matched = check.stdout_matches.as_deref().is_none_or(|pattern| {
        regex::Regex::new(pattern).is_ok_and(|regex| {
            finished.lines.iter().any(|(stream, line)| *stream == Stream::Stdout && regex.is_match(line))
        })
    });
    exited && matched
}

/// Runs `check` to its verdict: `attempt` runs its command given a
/// timeout, `sleep` waits between attempts.
///
/// # Errors
/// An attempt could not be started.
pub fn run(
    check: &Check,
    attempt: &mut dyn FnMut(Duration) -> io::Result<Finished>,
    sleep: &dyn Fn(Duration),
) -> io::Result<Verified> {
    let start = Instant::now();
    let within = Duration::from_secs(u64::from(check.within));
    let mut attempts = 0;
    loop {
        let finished = attempt(within.saturating_sub(start.elapsed()))?;
        attempts += 1;
        let verdict = if passes(check, &finished) {
            Some(Verdict::Passed)
        } else if finished.outcome.is_none() {
            Some(Verdict::TimedOut)
        } else {
            match check.every.map(|every| Duration::from_secs(u64::from(every))) {
                Some(every) if start.elapsed() + every < within => {
                    sleep(every);
                    None
                }
                _ => Some(Verdict::Failed),
            }
        };
        if let Some(verdict) = verdict {
            let skip = finished.lines.len().saturating_sub(TAIL_LINES);
            return Ok(Verified {
                verdict,
                attempts,
                elapsed: start.elapsed(),
                exit: finished.outcome.and_then(|outcome| outcome.code),
                tail: finished.lines.into_iter().skip(skip).map(|(_, line)| line).collect(),
            });
        }
    }
}

/// What to say of a verdict: the check's own words, else plain ones.
#[must_use]
pub fn message(check: &Check, verified: &Verified) -> String {
    let said = match verified.verdict {
        Verdict::Passed => check.pass.as_deref(),
        Verdict::Failed | Verdict::TimedOut => check.fail.as_deref(),
    };
    let plain = match verified.verdict {
        Verdict::Passed => "passed".to_owned(),
        Verdict::Failed => match verified.exit {
            Some(code) if code != i32::from(check.expect_exit) => format!("exit {code}, not {}", check.expect_exit),
            _ => "its output did not match".to_owned(),
        },
        Verdict::TimedOut => format!("still running after {}, killed", crate::catalog::seconds_text(check.within)),
    };
    match (verified.verdict, said) {
        (Verdict::TimedOut, Some(said)) => format!("timed out: {said}"),
        (_, Some(said)) => said.to_owned(),
        (_, None) => plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Shell, run_until};

    fn check(run: &str, every: Option<u32>, within: u32) -> Check {
        Check {
            run: run.to_owned(),
            expect_exit: 0,
            stdout_matches: None,
            every,
            within,
            pass: Some("ready".into()),
            fail: Some("not ready".into()),
        }
    }

    fn verify(check: &Check) -> Verified {
        run(check, &mut |timeout| run_until(&check.run, Shell::Sh, timeout), &std::thread::sleep).unwrap()
    }

    #[test]
    fn a_check_that_passes_passes_at_the_first_attempt() {
        let check = check("true", Some(1), 5);
        let verified = verify(&check);
        assert_eq!((verified.verdict, verified.attempts), (Verdict::Passed, 1));
        assert_eq!(message(&check, &verified), "ready");
    }

    #[test]
    fn a_check_that_fails_is_retried_until_no_time_is_left() {
        let check = check("echo not yet; false", Some(1), 3);
        let verified = verify(&check);
        assert_eq!((verified.verdict, verified.exit), (Verdict::Failed, Some(1)));
        assert!((2..=3).contains(&verified.attempts), "retried every second for 3 s: {}", verified.attempts);
        assert_eq!(verified.tail, ["not yet"]);
        assert_eq!(message(&check, &verified), "not ready");
        let once = Check { every: None, fail: None, ..check };
        let verified = verify(&once);
        assert_eq!((verified.verdict, verified.attempts), (Verdict::Failed, 1));
        assert_eq!(message(&once, &verified), "exit 1, not 0");
    }

    #[test]
    fn an_attempt_still_running_at_the_deadline_is_killed_and_times_out() {
        let check = check("sleep 30", Some(1), 1);
        let started = Instant::now();
        let verified = verify(&check);
        assert_eq!(verified.verdict, Verdict::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(10), "killed at the deadline: {:?}", started.elapsed());
        assert_eq!(message(&check, &verified), "timed out: not ready");
    }

    #[test]
    fn the_output_must_match_when_a_pattern_is_given() {
        let mut check = check("echo deployment successfully rolled out", None, 5);
        check.stdout_matches = Some("successfully rolled out$".into());
        assert_eq!(verify(&check).verdict, Verdict::Passed);
        check.stdout_matches = Some("^waiting".into());
        let verified = verify(&check);
        assert_eq!(verified.verdict, Verdict::Failed);
        check.fail = None;
        assert_eq!(message(&check, &verified), "its output did not match");
    }
}
