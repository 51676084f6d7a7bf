//! Runs one shell command for the navigator, knowing nothing of the terminal.
//!
//! A runbook command can be anything: a prompt, a progress bar, a runaway
//! loop, a daemon it forks. So the child gets no stdin (a prompt can never
//! hang it), its output is cleaned of every escape before it reaches the
//! screen, and it lives in its own process group so that interrupting or
//! killing it reaches its children too. Every live group is registered so the
//! panic hook and exit paths can kill what is left with [`kill_all`].

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, poll};
use rustix::io::Errno;
use rustix::process::{Pid, Signal, kill_process_group, test_kill_process_group};

mod lines;

use lines::LineSplitter;

/// How long each signal of [`Running::interrupt`] gets before the next one.
const GRACE: Duration = Duration::from_millis(300);

/// Groups that may still have members, for [`kill_all`].
static GROUPS: Mutex<Vec<Pid>> = Mutex::new(Vec::new());

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

    /// Asks the group to stop as Ctrl-C would, then insists: SIGINT now, and
    /// while the group still has members SIGTERM and SIGKILL, each after
    /// [`GRACE`], from a background thread so the caller never waits.
    pub fn interrupt(&self) {
        let pgid = self.pgid;
        if !signal_group(pgid, Signal::INT) {
            return;
        }
        let escalate = move || {
            for signal in [Signal::TERM, Signal::KILL] {
                if empties_within(pgid, GRACE) || !signal_group(pgid, signal) {
                    return;
                }
            }
        };
        if thread::Builder::new().name("runner-interrupt".into()).spawn(escalate).is_err() {
            // Nothing could wait out the grace, so stop the group the sure way.
            signal_group(pgid, Signal::KILL);
        }
    }

    /// Kills the whole group at once, for leaving the app.
    pub fn kill(&self) {
        signal_group(self.pgid, Signal::KILL);
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
    let mut groups = lock_groups();
    // Groups whose last member went after their shell was reaped are done.
    groups.retain(|group| test_kill_process_group(*group).is_ok());
    groups.push(pgid);
    watchdog::publish(&groups);
    drop(groups);
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
        // A grandchild that let go of the pipes may outlive the shell: keep
        // its group registered so `kill_all` still finds it.
        if test_kill_process_group(pgid).is_err() {
            let mut groups = lock_groups();
            groups.retain(|group| *group != pgid);
            watchdog::publish(&groups);
        }
        reaped.store(true, Ordering::Release);
        sink(RunEvent::Exited(outcome));
    })?;
    Ok(running)
}

/// SIGKILLs every group still registered, then what the steps left behind
/// and pagerbook adopted, for the panic hook and exit paths.
pub fn kill_all() {
    let mut groups = lock_groups();
    for pgid in groups.drain(..) {
        let _ = kill_process_group(pgid, Signal::KILL);
    }
    watchdog::publish(&groups);
    drop(groups);
    kill_adopted();
}

/// A process that outlives pagerbook to end its steps when pagerbook is
/// killed with SIGKILL, which no handler sees. It reads the list of live
/// step groups from a pipe pagerbook holds; when that pipe closes, however
/// pagerbook went, it kills the groups last listed. On a normal exit the
/// last list is empty. (The parent-death signal would do it in the kernel,
/// but setting it needs `unsafe` between fork and exec.)
pub mod watchdog {
    use std::io::Write;
    use std::process::{ChildStdin, Command, Stdio};
    use std::sync::{Mutex, PoisonError};

    use rustix::process::Pid;

    /// The watchdog's end of the list: one line, the live groups.
    static LIST: Mutex<Option<ChildStdin>> = Mutex::new(None);

    /// Reads lines until the pipe closes, keeping the last, then kills the
    /// groups it names (dash's `kill` takes no `--`: a negative pid right
    /// after the signal names the group).
    const SCRIPT: &str = "groups=; while IFS= read -r line; do groups=$line; done; \
        for group in $groups; do kill -KILL \"-$group\" 2>/dev/null; done";

    /// Starts the watchdog, once; without one (no `sh`), a SIGKILL of
    /// pagerbook leaves its steps running, as before.
    pub fn start() {
        let mut list = LIST.lock().unwrap_or_else(PoisonError::into_inner);
        if list.is_some() {
            return;
        }
        let mut command = Command::new("sh");
        command.arg("-c").arg(SCRIPT).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null());
        // Its own group: a signal to pagerbook's (a hang-up) must not end it
        // before it has done its work.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        if let Ok(mut child) = command.spawn() {
            *list = child.stdin.take();
        }
    }

    /// Tells the watchdog which groups are live now.
    pub(super) fn publish(groups: &[Pid]) {
        let mut list = LIST.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(pipe) = list.as_mut() {
            let line: Vec<String> = groups.iter().map(|pgid| pgid.as_raw_nonzero().to_string()).collect();
            if writeln!(pipe, "{}", line.join(" ")).is_err() {
                *list = None;
            }
        }
    }
}

/// The environment variable every step's processes carry: pagerbook's pid.
const STEP_MARK: &str = "PAGERBOOK_STEP_OF";

/// Makes pagerbook the parent of what its steps leave behind: a process a
/// step starts in the background in a session of its own (`setsid cmd &`)
/// escapes its group, and is re-parented to pagerbook instead of init, so
/// [`kill_all`] can still end it. Linux only; elsewhere it fails quietly
/// and such a process outlives pagerbook.
pub fn adopt_orphans() {
    let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
}

/// Kills the adopted processes that came from a step (they carry
/// [`STEP_MARK`]), round after round as their own children are adopted in
/// turn. Others adopted, such as a clipboard tool serving the selection,
/// are left alone.
fn kill_adopted() {
    let me = rustix::process::getpid();
    let mark = format!("{STEP_MARK}={}", me.as_raw_nonzero());
    for _ in 0..20 {
        let adopted: Vec<(Pid, Pid)> = children_of(me).into_iter().filter(|(pid, _)| carries(*pid, &mark)).collect();
        if adopted.is_empty() {
            return;
        }
        for &(pid, pgid) in &adopted {
            let _ = kill_process_group(pgid, Signal::KILL);
            let _ = rustix::process::kill_process(pid, Signal::KILL);
        }
        for &(pid, _) in &adopted {
            let _ = rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::empty());
        }
    }
}

/// The children of `parent`, with their process groups, from `/proc`.
fn children_of(parent: Pid) -> Vec<(Pid, Pid)> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // `pid (comm) state ppid pgrp …`: the name may hold spaces.
            let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(1);
            let parent_pid: i32 = fields.next()?.parse().ok()?;
            let pgrp: i32 = fields.next()?.parse().ok()?;
            (parent_pid == parent.as_raw_nonzero().get()).then_some((Pid::from_raw(pid)?, Pid::from_raw(pgrp)?))
        })
        .collect()
}

/// Whether process `pid` has `entry` (`NAME=value`) in its environment.
fn carries(pid: Pid, entry: &str) -> bool {
    std::fs::read(format!("/proc/{}/environ", pid.as_raw_nonzero()))
        .is_ok_and(|environ| environ.split(|&b| b == 0).any(|item| item == entry.as_bytes()))
}

/// Locks the registry even after a panic elsewhere: `kill_all` must still work.
fn lock_groups() -> MutexGuard<'static, Vec<Pid>> {
    GROUPS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Signals the group if it is still registered; false once it is gone, so a
/// reused id is never signalled. A group sent SIGKILL is forgotten.
fn signal_group(pgid: Pid, signal: Signal) -> bool {
    let mut groups = lock_groups();
    if !groups.contains(&pgid) {
        return false;
    }
    // ESRCH only means the group emptied just now.
    let _ = kill_process_group(pgid, signal);
    if signal == Signal::KILL {
        groups.retain(|group| *group != pgid);
        watchdog::publish(&groups);
    }
    true
}

/// Waits up to `grace` for the group to have no members left; the unreaped
/// shell counts, so this also waits for the output to be read.
fn empties_within(pgid: Pid, grace: Duration) -> bool {
    let deadline = Instant::now() + grace;
    while test_kill_process_group(pgid).is_ok() {
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(5));
    }
    true
}

/// The child's output pipes, read by one thread as each becomes readable.
///
/// One reader for both keeps the order the child wrote in whenever its
/// writes to the two pipes are further apart than this thread takes to be
/// woken and run (tens of microseconds on an idle machine, up to a
/// scheduler time slice on a busy one): a line read first is sent first.
/// Two pipes have no common order, so writes that both land before the
/// thread runs come out stdout first. Only a single pipe would keep that
/// order, and it would lose which stream each line came from.
struct Pipes {
    open: Vec<Pipe>,
}

/// One open pipe and the line it is in the middle of.
struct Pipe {
    stream: Stream,
    source: OwnedFd,
    lines: LineSplitter,
}

impl Pipes {
    /// Small reads, so a burst on one pipe cannot hold back a line that
    /// arrived meanwhile on the other.
    const READ_SIZE: usize = 4096;

    /// The pipes the child has (both, unless spawning failed to make one).
    fn new(pipes: impl IntoIterator<Item = Option<(Stream, OwnedFd)>>) -> Pipes {
        let open =
            pipes.into_iter().flatten().map(|(stream, source)| Pipe { stream, source, lines: LineSplitter::default() });
        Pipes { open: open.collect() }
    }

    /// Reads every pipe to EOF, sending each cleaned line to `emit`.
    fn drain(mut self, emit: &mut impl FnMut(Stream, String)) {
        while !self.open.is_empty() {
            self.read_ready(emit);
        }
    }

    /// Waits until a pipe is readable (or closed), then reads once from each
    /// that is, stdout first. A pipe at EOF or failing is finished and closed.
    fn read_ready(&mut self, emit: &mut impl FnMut(Stream, String)) {
        let mut fds: Vec<PollFd<'_>> = self.open.iter().map(|pipe| PollFd::new(&pipe.source, PollFlags::IN)).collect();
        let ready: Vec<bool> = match poll(&mut fds, None) {
            Ok(_) => fds.iter().map(|fd| !fd.revents().is_empty()).collect(),
            Err(Errno::INTR) => return,
            Err(_) => {
                // Nothing can wait for the pipes (short of running out of
                // memory, this does not happen): closing them ends the
                // child's writes with SIGPIPE rather than blocking it forever.
                self.open.drain(..).for_each(|pipe| pipe.lines.finish(&mut |line| emit(pipe.stream, line)));
                return;
            }
        };
        let mut ready = ready.into_iter();
        let mut buffer = [0; Self::READ_SIZE];
        self.open.retain_mut(|pipe| !ready.next().unwrap_or(false) || pipe.read_once(&mut buffer, emit));
    }
}

impl Pipe {
    /// Reads what the pipe holds, up to a buffer; false once it is closed.
    fn read_once(&mut self, buffer: &mut [u8], emit: &mut impl FnMut(Stream, String)) -> bool {
        let stream = self.stream;
        let mut emit = |line| emit(stream, line);
        match rustix::io::read(&self.source, &mut *buffer) {
            Ok(0) => {}
            Ok(read) => {
                self.lines.feed(&buffer[..read], &mut emit);
                return true;
            }
            Err(Errno::INTR | Errno::AGAIN) => return true,
            Err(_) => {}
        }
        std::mem::take(&mut self.lines).finish(&mut emit);
        false
    }
}

/// The output of a run as the UI holds it: the latest [`Output::CAP`] lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    lines: VecDeque<(Stream, String)>,
    dropped: usize,
}

impl Output {
    /// Most lines held; older ones are dropped so memory stays bounded.
    pub const CAP: usize = 5000;

    /// Appends a line, dropping the oldest once more than [`Output::CAP`].
    pub fn push(&mut self, stream: Stream, line: String) {
        self.lines.push_back((stream, line));
        if self.lines.len() > Self::CAP {
            self.lines.pop_front();
            self.dropped += 1;
        }
    }

    /// Appends the lines of another buffer (output gathered between two
    /// frames), counting what it dropped.
    pub fn append(&mut self, more: Output) {
        self.dropped += more.dropped;
        for (stream, line) in more.lines {
            self.push(stream, line);
        }
    }

    /// The lines held, oldest first.
    pub fn lines(&self) -> std::collections::vec_deque::Iter<'_, (Stream, String)> {
        self.lines.iter()
    }

    /// How many lines are held.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when no line is held.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// How many lines were dropped from the front to respect the cap.
    pub fn dropped(&self) -> usize {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use std::fs::read_to_string;
    use std::io::Write;
    use std::sync::mpsc::{self, Receiver};
    use std::time::{Duration, Instant};

    use rustix::io::Errno;
    use rustix::process::{Pid, test_kill_process_group};

    use super::{Outcome, Output, Pipes, RunEvent, Running, Shell, Stream, spawn};

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

    /// The same on the reader alone, with pipes the test writes to.
    #[test]
    fn the_reader_sends_each_pipe_as_it_becomes_readable_and_finishes_both() {
        let (stdout, mut stdout_writer) = std::io::pipe().unwrap();
        let (stderr, mut stderr_writer) = std::io::pipe().unwrap();
        let mut pipes = Pipes::new([Some((Stream::Stdout, stdout.into())), Some((Stream::Stderr, stderr.into()))]);
        let mut lines = Vec::new();
        let mut emit = |stream, line: String| lines.push(format!("{stream:?} {line}"));
        stdout_writer.write_all(b"out1\nunfinished ").unwrap();
        pipes.read_ready(&mut emit);
        stderr_writer.write_all(b"err1\n").unwrap();
        pipes.read_ready(&mut emit);
        stdout_writer.write_all(b"out2").unwrap();
        drop((stdout_writer, stderr_writer));
        pipes.drain(&mut emit);
        assert_eq!(lines, ["Stdout out1", "Stderr err1", "Stdout unfinished out2"]);
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
    fn output_keeps_the_latest_lines_and_counts_the_dropped() {
        let mut output = Output::default();
        assert!(output.is_empty());
        for n in 0..Output::CAP + 7 {
            output.push(Stream::Stdout, n.to_string());
        }
        assert_eq!((output.len(), output.dropped()), (Output::CAP, 7));
        assert_eq!(output.lines().next(), Some(&(Stream::Stdout, "7".to_string())));
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
}
