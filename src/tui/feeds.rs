//! The threads that feed the loop's channel from outside: terminal input
//! (pausable, so another reader can have the terminal), signals, the
//! search worker, and a run's output (gathered between frames).

use crate::journal::output::{OutputFile, Printed};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::Event as CrosstermEvent;

use super::action::Searched;
use super::command::Output;
use super::event::{Event, HANDED_OVER};
use crate::catalog::Catalog;
use crate::runner::RunEvent;
use crate::search::{Index, Query};

/// Lets the loop take the terminal back from the input thread: while
/// paused, the thread does not read, so another reader (the cursor query of
/// a redraw after Ctrl-Z, a program run in the terminal) gets the input.
/// The thread blocks until the terminal has input or the loop wakes it
/// through a socket: an idle navigator never wakes up.
pub struct InputControl {
    paused: AtomicBool,
    idle: AtomicBool,
    /// Read and write ends; a byte written wakes the thread.
    wake: (UnixStream, UnixStream),
    /// Readable after SIGWINCH: crossterm sees a resize only when asked for
    /// events, and the thread asks only when woken.
    resized: UnixStream,
}

impl InputControl {
    fn new() -> std::io::Result<InputControl> {
        let wake = nonblocking_pair()?;
        let (resized, on_resize) = nonblocking_pair()?;
        signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, on_resize)?;
        Ok(InputControl { paused: AtomicBool::new(false), idle: AtomicBool::new(false), wake, resized })
    }

    /// Stops reading; returns once the thread is out of its read.
    pub(super) fn pause(&self) {
        // Cleared first: a stale `idle` left by a wake-up between resume's
        // two stores must not let this return while the thread still reads.
        self.idle.store(false, Ordering::SeqCst);
        self.paused.store(true, Ordering::SeqCst);
        self.wake_up();
        let deadline = Instant::now() + Duration::from_secs(1);
        while !self.idle.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Reads again.
    pub(super) fn resume(&self) {
        self.idle.store(false, Ordering::SeqCst);
        self.paused.store(false, Ordering::SeqCst);
        self.wake_up();
    }

    fn wake_up(&self) {
        // A full socket already holds a wake-up.
        let _ = (&self.wake.1).write(&[1]);
    }

    /// Empties the sockets of the wake-ups and resizes that brought the
    /// thread here.
    fn drain(&self) {
        let mut bytes = [0u8; 64];
        for mut socket in [&self.wake.0, &self.resized] {
            while matches!(socket.read(&mut bytes), Ok(n) if n > 0) {}
        }
    }
}

/// A connected pair of non-blocking sockets; Rust opens them close-on-exec,
/// so a command run from the navigator holds neither end.
fn nonblocking_pair() -> std::io::Result<(UnixStream, UnixStream)> {
    let (reader, writer) = UnixStream::pair()?;
    reader.set_nonblocking(true)?;
    writer.set_nonblocking(true)?;
    Ok((reader, writer))
}

pub(super) fn spawn_input(events: Sender<Event>) -> std::io::Result<Arc<InputControl>> {
    let control = Arc::new(InputControl::new()?);
    let shared = control.clone();
    std::thread::spawn(move || {
        loop {
            if shared.paused.load(Ordering::SeqCst) {
                shared.idle.store(true, Ordering::SeqCst);
                wait_for(&shared, false);
                shared.drain();
                // Events crossterm parsed before the pause are the
                // navigator's, and no byte may come to announce them.
                if !shared.paused.load(Ordering::SeqCst) && pass_on_held_events(&shared, &events) {
                    return;
                }
                continue;
            }
            let gone = match wait_for(&shared, true) {
                Input::Woken => {
                    shared.drain();
                    continue;
                }
                Input::Gone => {
                    let _ = events.send(Event::TerminalGone);
                    true
                }
                Input::Ready => pass_on_held_events(&shared, &events),
                Input::Resized => {
                    shared.drain();
                    // Said here, not left to crossterm, which may not look
                    // at its own signal pipe in the time it is given.
                    let resized = crossterm::terminal::size().map_or(Event::TerminalGone, |(width, height)| {
                        Event::Terminal(CrosstermEvent::Resize(width, height))
                    });
                    events.send(resized).is_err() || pass_on_held_events(&shared, &events)
                }
            };
            if gone {
                return;
            }
        }
    });
    Ok(control)
}

/// How long crossterm is given to find an event once the terminal was
/// readable. crossterm checks the events it already parsed only while time
/// is left: a thread preempted past a short deadline before crossterm
/// looked (1 ms, on a loaded machine) was told "no event" while the rest of
/// a burst sat parsed inside crossterm, and typed `id` showed only at the
/// next key. So the deadline is long enough that no preemption outlasts it;
/// it is spent only after the last key of a burst, and each event is passed
/// on as soon as it is read, so it is no latency. A pause waits for it.
const LOOK: Duration = Duration::from_millis(50);

/// Sends on the events crossterm holds once the terminal is readable or
/// resized, each as soon as it is read (crossterm reads more than one at a
/// time, so all of them), until none is left or the loop pauses the
/// thread. Whether the terminal or the loop is gone.
fn pass_on_held_events(control: &InputControl, events: &Sender<Event>) -> bool {
    while !control.paused.load(Ordering::SeqCst) {
        let event = match crossterm::event::poll(LOOK) {
            Ok(true) => crossterm::event::read().map_or(Event::TerminalGone, Event::Terminal),
            Ok(false) => return false,
            Err(_) => Event::TerminalGone,
        };
        let gone = matches!(event, Event::TerminalGone);
        if events.send(event).is_err() || gone {
            return true;
        }
    }
    false
}

/// What woke the input thread.
enum Input {
    /// The loop, through its socket.
    Woken,
    /// The terminal has bytes to read.
    Ready,
    /// The terminal was resized.
    Resized,
    /// It hung up (closed without a SIGHUP reaching us, or failing).
    Gone,
}

/// Blocks until the terminal (when watched) has input or was resized, or the
/// loop wakes the thread. The terminal is polled here rather than through
/// crossterm, which reports a hung-up tty as "no event" and spins on its end
/// of file inside its own poll, never returning (67 % CPU after the pane was
/// killed with SIGHUP blocked); the hang-up shows here, in the poll's own
/// flags. crossterm reads the tty level-triggered (its `use-dev-tty`
/// source): its default, edge-triggered one dropped the tty's readiness when
/// a resize came with it, so this poll said "readable" and crossterm "no
/// event", and the thread spun until the next key.
fn wait_for(control: &InputControl, terminal: bool) -> Input {
    use rustix::event::{PollFd, PollFlags, poll};
    let stdin = std::io::stdin();
    let mut fds = [
        PollFd::new(&control.wake.0, PollFlags::IN),
        PollFd::new(&control.resized, PollFlags::IN),
        PollFd::new(&stdin, PollFlags::IN),
    ];
    // While paused, the terminal is not watched at all.
    let watched = if terminal { 3 } else { 2 };
    match poll(&mut fds[..watched], None) {
        // A signal interrupting the wait wakes nothing.
        Err(rustix::io::Errno::INTR) => Input::Woken,
        Err(_) => Input::Gone,
        Ok(_) => {
            let tty = fds[2].revents();
            if terminal && tty.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                Input::Gone
            } else if fds[0].revents().contains(PollFlags::IN) {
                // The loop first: keys typed after it paused are not ours.
                Input::Woken
            } else if terminal && fds[1].revents().contains(PollFlags::IN) {
                Input::Resized
            } else if terminal && tty.contains(PollFlags::IN) {
                Input::Ready
            } else {
                Input::Woken
            }
        }
    }
}

/// Every signal whose default action ends the process and that a handler
/// may catch: each goes through the quit path, so the terminal is restored
/// and the children killed (SIGQUIT and SIGUSR1 used to leave the terminal
/// raw and a step's child orphaned).
const ENDING_SIGNALS: &[i32] = &[
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
    signal_hook::consts::SIGUSR1,
    signal_hook::consts::SIGUSR2,
    signal_hook::consts::SIGALRM,
    signal_hook::consts::SIGVTALRM,
    signal_hook::consts::SIGPROF,
    signal_hook::consts::SIGXCPU,
    signal_hook::consts::SIGXFSZ,
];

pub(super) fn spawn_signals(events: Sender<Event>) {
    use signal_hook::consts::SIGINT;
    let Ok(mut signals) = signal_hook::iterator::Signals::new(ENDING_SIGNALS) else { return };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            if signal == SIGINT && HANDED_OVER.load(Ordering::SeqCst) {
                continue;
            }
            let _ = events.send(Event::Signal(signal));
            return;
        }
    });
}

/// What the search worker is asked.
pub(super) enum SearchJob {
    /// Search this text; the answer carries the number.
    Query(u64, String),
    /// Search this catalog from now on (it was read again).
    Catalog(Arc<Catalog>),
}

/// The search worker: answers the latest query only, dropping any that a
/// newer keystroke has overtaken, so typing never waits for a search.
/// It builds the index first; queries typed meanwhile wait in its inbox.
pub(super) fn spawn_search(catalog: Arc<Catalog>, events: Sender<Event>) -> Sender<SearchJob> {
    let (jobs, inbox) = channel::<SearchJob>();
    std::thread::spawn(move || {
        let mut index = Index::new(catalog);
        while let Ok(job) = inbox.recv() {
            // The newest query, over the newest catalog.
            let mut query = None;
            for job in std::iter::once(job).chain(inbox.try_iter()) {
                match job {
                    SearchJob::Query(generation, text) => query = Some((generation, text)),
                    SearchJob::Catalog(catalog) => index = Index::new(catalog),
                }
            }
            let Some((generation, text)) = query else { continue };
            let query = Query::parse(&text);
            let results = index.search(&query);
            if events.send(Event::Searched(Searched { generation, query, results })).is_err() {
                return;
            }
        }
    });
    jobs
}

/// A run's output between two frames. A command can print far faster than
/// the screen can show (`yes`): lines gather here, capped, and the loop is
/// woken once per batch, so keys never queue behind output and memory stays
/// bounded. Each line is redacted of the run's secrets first and, while an
/// incident keeps the run, written whole to its file, on the reader's
/// thread, before any cap.
#[derive(Default)]
pub(super) struct Pending {
    output: Mutex<Output>,
    woken: AtomicBool,
    secrets: Vec<(String, String)>,
    file: Mutex<Option<OutputFile>>,
    /// What the file holds, once the run has ended.
    printed: Mutex<Option<Printed>>,
}

impl Pending {
    /// For a run with these secrets, its whole output to `file` if given.
    pub(super) fn new(secrets: Vec<(String, String)>, file: Option<OutputFile>) -> Pending {
        Pending { secrets, file: Mutex::new(file), ..Pending::default() }
    }

    /// What the run printed in all, once it has ended, when a file kept it.
    pub(super) fn printed(&self) -> Option<Printed> {
        self.printed.lock().ok()?.take()
    }

    /// The sink for [`crate::runner::spawn`]: lines gather, the end is sent on.
    pub(super) fn sink(self: &Arc<Self>, id: u64, events: Sender<Event>) -> impl Fn(RunEvent) + Send + Sync + 'static {
        let pending = self.clone();
        move |event| match event {
            RunEvent::Line(stream, line) => {
                let line = crate::journal::secret::redact(&line, &pending.secrets).into_owned();
                if let Ok(mut file) = pending.file.lock()
                    && let Some(file) = file.as_mut()
                {
                    file.push(&line);
                }
                if let Ok(mut output) = pending.output.lock() {
                    output.push(stream, line);
                }
                if !pending.woken.swap(true, Ordering::SeqCst) {
                    let _ = events.send(Event::RunOutput(id));
                }
            }
            RunEvent::Exited(outcome) => {
                let file = pending.file.lock().ok().and_then(|mut file| file.take());
                if let (Some(file), Ok(mut printed)) = (file, pending.printed.lock()) {
                    *printed = Some(file.finish());
                }
                let _ = events.send(Event::RunExited { id, outcome });
            }
        }
    }

    /// What gathered since the last call.
    pub(super) fn take(&self) -> Output {
        self.woken.store(false, Ordering::SeqCst);
        self.output.lock().map(|mut output| std::mem::take(&mut *output)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Outcome, Stream};

    /// A burst far past the pane's cap, with two secrets, one inside the
    /// other: the file has every line, none holds either secret, and the
    /// pane keeps the latest lines, redacted too.
    #[test]
    fn a_burst_goes_whole_to_the_file_redacted_and_capped_to_the_pane() {
        let dir = tempfile::tempdir().unwrap();
        let file = OutputFile::create(&dir.path().join("i.jsonl"), "r1");
        let secrets = vec![("short".to_owned(), "hunter2".to_owned()), ("long".to_owned(), "hunter2-long".to_owned())];
        let pending = Arc::new(Pending::new(secrets, Some(file)));
        let (events, inbox) = std::sync::mpsc::channel();
        let sink = pending.sink(7, events);
        let lines = Output::CAP + 1000;
        for n in 0..lines {
            sink(RunEvent::Line(Stream::Stdout, format!("{n} pw=hunter2-long and hunter2")));
        }
        sink(RunEvent::Exited(Outcome { code: Some(0), signal: None }));
        let shown = pending.take();
        assert_eq!((shown.len(), shown.dropped()), (Output::CAP, 1000));
        assert!(shown.lines().all(|(_, line)| line.ends_with("pw=<redacted:long> and <redacted:short>")));
        let printed = pending.printed().unwrap();
        assert_eq!(printed.lines, lines as u64);
        let kept = std::fs::read_to_string(dir.path().join("i/r1.out")).unwrap();
        assert_eq!(kept.lines().count(), lines);
        assert!(!kept.contains("hunter2"), "a secret in the output file");
        assert!(inbox.try_iter().any(|event| matches!(event, Event::RunExited { id: 7, .. })));
    }
}
