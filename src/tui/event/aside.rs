//! What the loop does beside itself: the terminal handed to a program (an
//! interactive step, the editor), and a check or a listing run on a thread
//! of its own, whose answer comes back as an event.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::{Event, HANDED_OVER, Runtime};
use crate::runner::{self, Outcome, Shell};
use crate::suggest::Listed;
use crate::tui::action::{Action, CheckRequest, Checked, ListRequest};
use crate::tui::state::AppState;
use crate::tui::terminal::{self, Tui};

impl Runtime<'_> {
    /// Runs a check on a thread of its own.
    pub(super) fn check(&mut self, request: CheckRequest) -> Vec<Action> {
        self.checking += 1;
        let mut asked = request.clone();
        let started = self.on_a_thread("check", move || Event::Checked(run_check(request)));
        // The verdict awaited comes, as a failure: nothing waits on a check
        // that never started.
        started.err().map_or_else(Vec::new, |err| {
            self.checking -= 1;
            asked.command.clear();
            vec![Action::Checked(Box::new(Checked { request: asked, result: Err(err) }))]
        })
    }

    /// Lists a field's values on a thread of its own.
    pub(super) fn list(&self, request: ListRequest) -> Vec<Action> {
        let asked = request.clone();
        let started = self.on_a_thread("suggest", move || {
            let listed = match crate::suggest::list(&request.suggest, &request.command, &request.var) {
                Listed::Failed(why) => {
                    Listed::Failed(crate::journal::secret::redact(&why, &request.secrets).into_owned())
                }
                listed => listed,
            };
            Event::Listed(Box::new((request, listed)))
        });
        started.err().map_or_else(Vec::new, |err| vec![Action::Listed(Box::new((asked, Listed::Failed(err))))])
    }

    /// Runs `work` on a thread named `name`; its event reaches the loop.
    /// Why no thread could start, if none could.
    fn on_a_thread(&self, name: &str, work: impl FnOnce() -> Event + Send + 'static) -> Result<(), String> {
        let events = self.events.clone();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let _ = events.send(work());
            })
            .map(drop)
            .map_err(|err| err.to_string())
    }

    /// Hands the terminal to the editor on `path` at `line`, then reads the
    /// catalog again.
    pub(super) fn edit_file(&mut self, state: &mut AppState, path: &str, line: u32) -> std::io::Result<Vec<Action>> {
        let (edited, resized) =
            self.step_aside(|terminal| handed_over(terminal, || crate::tui::watch::edit(path, line)))?;
        // An editor that ended badly may still have saved (vim exits 1
        // after any error message); one that never started wrote nothing.
        match edited {
            Ok(ended) => {
                if let Some(why) = ended {
                    state.flash(&why);
                }
                self.rereading.start(self.setup, &self.events);
            }
            Err(why) => state.flash(&why),
        }
        Ok(vec![resized])
    }

    /// Lets `work` have the terminal (the input thread paused), then reads
    /// its size again, as the resize to apply: it may have changed meanwhile.
    pub(super) fn step_aside<T>(
        &mut self,
        work: impl FnOnce(&mut Tui) -> std::io::Result<T>,
    ) -> std::io::Result<(T, Action)> {
        self.input.pause();
        let done = work(self.terminal);
        self.input.resume();
        let done = done?;
        let size = self.terminal.size()?;
        Ok((done, Action::Resize { width: size.width, height: size.height }))
    }
}

/// `work` with the terminal handed over: while a program has it, Ctrl-C is
/// the program's (SIGINT reaches pagerbook too, in the same process group).
fn handed_over<T>(terminal: &mut Tui, work: impl FnOnce() -> T) -> std::io::Result<T> {
    HANDED_OVER.store(true, Ordering::SeqCst);
    let result = terminal::hand_over(terminal, work);
    HANDED_OVER.store(false, Ordering::SeqCst);
    result
}

/// Runs a check to its verdict, its output's secrets redacted (on a thread
/// of its own; the tests call it as the loop does).
pub fn run_check(mut request: CheckRequest) -> Checked {
    let mut attempt = |timeout| runner::run_until(&request.command, request.shell, timeout);
    let result = crate::verify::run(&request.check, &mut attempt, &std::thread::sleep).map_err(|err| err.to_string());
    let secrets = std::mem::take(&mut request.secrets);
    let result = result.map(|mut verified| {
        for line in &mut verified.tail {
            *line = crate::journal::secret::redact(line, &secrets).into_owned();
        }
        verified
    });
    request.command.clear();
    Checked { request, result }
}

/// Runs an interactive command in the real terminal: pagerbook steps aside,
/// the command runs, and Enter brings the navigator back as it was. Says
/// when the command ended.
pub(super) fn in_terminal(
    terminal: &mut Tui,
    command: &str,
    shown: &str,
    shell: Shell,
) -> std::io::Result<(std::io::Result<Outcome>, Instant)> {
    handed_over(terminal, || {
        let mut out = std::io::stdout();
        let _ = writeln!(out, "$ {shown}");
        let outcome = runner::run_in_terminal(command, shell);
        let ended_at = Instant::now();
        let said = match &outcome {
            Ok(outcome) => format!("[{outcome}]"),
            Err(err) => format!("[could not start: {err}]"),
        };
        let _ = write!(out, "\n{said} Press Enter to return to pagerbook ");
        let _ = out.flush();
        let _ = std::io::stdin().read_line(&mut String::new());
        (outcome, ended_at)
    })
}
