//! Starting a step's command: captured (`spawn`: in its own group, output
//! through the pipes to a sink) or in the terminal (`run_in_terminal`).

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use rustix::process::{Pid, Signal};

use super::orphans::STEP_MARK;
use super::pipes::Pipes;
use super::{Outcome, RunEvent, Shell, Stream, groups};

/// A running command. Dropping it kills whatever is left of its group.
#[derive(Debug)]
pub struct Running {
    pgid: Pid,
    reaped: Arc<AtomicBool>,
}

impl Running {
    /// True until the shell has been waited for, just before
    /// [`RunEvent::Exited`] is sent.
    pub fn is_running(&self) -> bool {
        !self.reaped.load(Ordering::Acquire)
    }

    /// Asks the group to stop as Ctrl-C would, then insists with SIGTERM
    /// and SIGKILL, without the caller waiting.
    pub fn interrupt(&self) {
        groups::interrupt(self.pgid);
    }

    /// Kills the whole group at once, for leaving the app.
    pub fn kill(&self) {
        groups::signal_group(self.pgid, Signal::KILL);
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts `command` in `shell`, in its own process group, with no stdin, in
/// pagerbook's working directory. Every output line, then the outcome, goes
/// to `sink` from one reader thread, in the order the child wrote them
/// unless its writes to stdout and stderr come closer together than that
/// thread can be scheduled (see `Pipes`).
pub fn spawn(command: &str, shell: Shell, mut sink: impl FnMut(RunEvent) + Send + 'static) -> io::Result<Running> {
    let mut builder = Command::new(shell.program());
    builder.arg("-c").arg(command).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    builder.process_group(0);
    // Marks what the step starts, so what it leaves behind is known for
    // ours when it is adopted (`adopt_orphans`).
    builder.env(STEP_MARK, rustix::process::getpid().as_raw_nonzero().to_string());
    let mut child = builder.spawn()?;
    let pgid = Pid::from_child(&child);
    groups::register(pgid);
    // From here on an early return drops `running`, which kills the group.
    let running = Running { pgid, reaped: Arc::new(AtomicBool::new(false)) };

    let pipes = Pipes::new([
        child.stdout.take().map(|pipe| (Stream::Stdout, pipe.into())),
        child.stderr.take().map(|pipe| (Stream::Stderr, pipe.into())),
    ]);
    let reaped = Arc::clone(&running.reaped);
    thread::Builder::new().name("runner-output".into()).spawn(move || {
        pipes.drain(&mut |stream, line| sink(RunEvent::Line(stream, line)));
        let outcome = child.wait().map_or(Outcome { code: None, signal: None }, Outcome::from);
        groups::forget_if_empty(pgid);
        reaped.store(true, Ordering::Release);
        sink(RunEvent::Exited(outcome));
    })?;
    Ok(running)
}

/// How a command run to its end (or its deadline) went, and the last
/// lines it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// How it ended; `None` when it was killed at the deadline.
    pub outcome: Option<Outcome>,
    /// Its last [`Finished::KEPT`] lines, in order.
    pub lines: Vec<(Stream, String)>,
}

impl Finished {
    /// Lines kept: enough to match a check's output and show its end.
    pub const KEPT: usize = 1000;
}

/// Runs `command` as [`spawn`] does, waiting for its end, or until
/// `timeout` has passed: then its group is killed.
///
/// # Errors
/// It could not be started.
pub fn run_until(command: &str, shell: Shell, timeout: std::time::Duration) -> io::Result<Finished> {
    let (events, inbox) = std::sync::mpsc::channel();
    let running = spawn(command, shell, move |event| {
        let _ = events.send(event);
    })?;
    let mut deadline = std::time::Instant::now() + timeout;
    let mut lines = std::collections::VecDeque::new();
    let mut killed = false;
    loop {
        match inbox.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            Ok(RunEvent::Line(stream, line)) => {
                if lines.len() == Finished::KEPT {
                    lines.pop_front();
                }
                lines.push_back((stream, line));
            }
            Ok(RunEvent::Exited(outcome)) => {
                return Ok(Finished { outcome: (!killed).then_some(outcome), lines: lines.into() });
            }
            // The deadline: the group is killed, and its end awaited a
            // little longer (what left the group may hold the pipes open).
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !killed => {
                running.kill();
                killed = true;
                deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            }
            Err(_) => return Ok(Finished { outcome: None, lines: lines.into() }),
        }
    }
}

/// Runs `command` in `shell` on pagerbook's own stdin, stdout and stderr,
/// and waits for it to end. It stays in pagerbook's process group, so the
/// terminal's Ctrl-C reaches it as in a shell; the caller hands it the
/// terminal first.
pub fn run_in_terminal(command: &str, shell: Shell) -> io::Result<Outcome> {
    // Marked as a captured run is, so what it leaves in a session of its
    // own is killed with pagerbook's other leftovers.
    Command::new(shell.program())
        .arg("-c")
        .arg(command)
        .env(STEP_MARK, rustix::process::getpid().as_raw_nonzero().to_string())
        .status()
        .map(Outcome::from)
}

#[cfg(test)]
mod tests {
    use std::fs::read_to_string;
    use std::sync::mpsc::{self, Receiver};
    use std::time::{Duration, Instant};

    use rustix::io::Errno;
    use rustix::process::{Pid, test_kill_process_group};

    use super::{Running, run_in_terminal, spawn};
    use crate::runner::{Outcome, RunEvent, Shell, Stream};

    fn start(command: &str, shell: Shell) -> (Running, Receiver<RunEvent>) {
        let (sender, events) = mpsc::channel();
        let running = spawn(command, shell, move |event| sender.send(event).unwrap()).unwrap();
        (running, events)
    }

    /// Receives until Exited, failing after a deadline rather than hanging.
    fn finish(events: &Receiver<RunEvent>) -> (Vec<(Stream, String)>, Outcome) {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut lines = Vec::new();
        loop {
            match events.recv_timeout(deadline.saturating_duration_since(Instant::now())).unwrap() {
                RunEvent::Line(stream, line) => lines.push((stream, line)),
                RunEvent::Exited(outcome) => return (lines, outcome),
            }
        }
    }

    fn wait_for_line(events: &Receiver<RunEvent>, wanted: &str) {
        let event = events.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(event, RunEvent::Line(Stream::Stdout, wanted.to_string()));
    }

    fn run(command: &str, shell: Shell) -> (Vec<String>, Outcome) {
        let (_running, events) = start(command, shell);
        let (lines, outcome) = finish(&events);
        (lines.into_iter().map(|(_, line)| line).collect(), outcome)
    }

    /// Members of the group that have not exited. A killed shell's children
    /// become zombies of init until it reaps them, and this VM's init reaps
    /// only every couple of seconds, so zombies are not counted.
    fn live_members(pgid: Pid) -> usize {
        if test_kill_process_group(pgid) == Err(Errno::SRCH) {
            return 0;
        }
        let group = pgid.as_raw_pid().to_string();
        let stats = std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|entry| read_to_string(entry.ok()?.path().join("stat")).ok());
        stats
            .filter(|stat| {
                // "pid (comm) state ppid pgrp ...", where comm may hold anything.
                let fields: Vec<&str> =
                    stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
                fields.get(2) == Some(&group.as_str()) && fields[0] != "Z"
            })
            .count()
    }

    /// Polls until nothing of the group is alive; returns how long that took.
    fn time_until_group_dies(pgid: Pid, since: Instant) -> Duration {
        let deadline = since + Duration::from_millis(1500);
        while live_members(pgid) > 0 {
            assert!(Instant::now() < deadline, "group {pgid:?} is still alive");
            std::thread::sleep(Duration::from_millis(5));
        }
        since.elapsed()
    }

    #[test]
    fn streams_stdout_and_stderr_apart_then_the_exit_code() {
        let (running, events) = start("printf 'a\\nb' ; printf 'err\\n' >&2 ; exit 3", Shell::Sh);
        let (lines, outcome) = finish(&events);
        let of =
            |wanted| lines.iter().filter(|(stream, _)| *stream == wanted).map(|(_, l)| l.as_str()).collect::<Vec<_>>();
        assert_eq!(of(Stream::Stdout), ["a", "b"]);
        assert_eq!(of(Stream::Stderr), ["err"]);
        assert_eq!(outcome, Outcome { code: Some(3), signal: None });
        assert_eq!(outcome.to_string(), "exit 3");
        assert!(!outcome.success());
        assert!(!running.is_running());
    }

    /// The child writes each line only once the one before has reached the
    /// sink (it waits for a file the test creates on receiving it), so the
    /// writes are apart however loaded the machine is.
    #[test]
    fn lines_from_stdout_and_stderr_come_in_the_order_they_were_written() {
        let dir = tempfile::tempdir().unwrap();
        let seen = |n| format!("until [ -e '{}/{n}' ]; do sleep 0.01; done", dir.path().display());
        let command = format!("echo out1; {}; echo err1 >&2; {}; echo out2", seen(1), seen(2));
        let (_running, events) = start(&command, Shell::Sh);
        let mut lines = Vec::new();
        for n in 1..=3 {
            match events.recv_timeout(Duration::from_secs(5)).unwrap() {
                RunEvent::Line(stream, line) => lines.push((stream, line)),
                RunEvent::Exited(outcome) => panic!("exited ({outcome}) after {lines:?}"),
            }
            std::fs::write(dir.path().join(n.to_string()), "").unwrap();
        }
        let expected = [(Stream::Stdout, "out1"), (Stream::Stderr, "err1"), (Stream::Stdout, "out2")];
        assert_eq!(lines, expected.map(|(stream, line)| (stream, line.to_owned())));
        assert!(finish(&events).1.success());
    }

    #[test]
    fn stdin_is_closed_so_prompts_cannot_hang() {
        let started = Instant::now();
        let (lines, outcome) = run("read x; echo \"got:$x\"", Shell::Sh);
        assert_eq!(lines, ["got:"]);
        assert!(outcome.success());
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn cleans_real_output_line_by_line() {
        let command = r"printf '\033[31mred\033[0m\n' ; printf 'dos\r\n10%%\r100%%\n' ; printf '\377ok'";
        let (lines, _) = run(command, Shell::Sh);
        assert_eq!(lines, ["red", "dos", "100%", "\u{FFFD}ok"]);
        let (lines, _) = run("head -c 10000 /dev/zero | tr '\\0' x", Shell::Sh);
        assert_eq!(lines.iter().map(String::len).collect::<Vec<_>>(), [4096, 4096, 1808]);
    }

    #[test]
    fn interrupt_empties_runaway_groups_within_a_second() {
        for command in [
            "echo ready; sleep 600",
            "echo ready; yes > /dev/null",
            "trap '' INT; echo ready; sleep 600",
            "trap '' INT TERM; echo ready; sleep 600",
            "sleep 600 & echo ready; sleep 600",
        ] {
            let (running, events) = start(command, Shell::Sh);
            wait_for_line(&events, "ready");
            let interrupted = Instant::now();
            running.interrupt();
            let elapsed = time_until_group_dies(running.pgid, interrupted);
            assert!(elapsed < Duration::from_secs(1), "{command}: took {elapsed:?}");
            let (_, outcome) = finish(&events);
            assert!(outcome.signal.is_some(), "{command}: {outcome}");
        }
    }

    #[test]
    fn dropping_a_running_command_kills_its_group() {
        let (running, events) = start("sleep 600 & echo ready; sleep 600", Shell::Sh);
        wait_for_line(&events, "ready");
        let pgid = running.pgid;
        let dropped = Instant::now();
        drop(running);
        let elapsed = time_until_group_dies(pgid, dropped);
        assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
        assert_eq!(finish(&events).1.to_string(), "stopped by SIGKILL");
    }

    #[test]
    fn runs_bash_for_bash_blocks_and_sh_otherwise() {
        assert_eq!(
            [Shell::for_lang("BASH"), Shell::for_lang("sh"), Shell::for_lang("")],
            [Shell::Bash, Shell::Sh, Shell::Sh]
        );
        let (bash, _) = run("echo \"$0 ${BASH_VERSION:+has-version}\"", Shell::for_lang("bash"));
        assert_eq!(bash, ["bash has-version"]);
        let (sh, _) = run("echo \"$0\"", Shell::for_lang("sh"));
        assert_eq!(sh, ["sh"]);
    }

    /// In the terminal, the shell is waited for and its end is told as a
    /// captured run's is.
    #[test]
    fn a_command_in_the_terminal_is_waited_for_and_tells_how_it_ended() {
        let started = Instant::now();
        let outcome = run_in_terminal("sleep 0.2; exit 4", Shell::Sh).unwrap();
        assert!(started.elapsed() >= Duration::from_millis(200));
        assert_eq!(outcome, Outcome { code: Some(4), signal: None });
        assert_eq!(run_in_terminal("kill -TERM $$", Shell::Sh).unwrap().to_string(), "stopped by SIGTERM");
    }
}
