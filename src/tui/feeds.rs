//! The threads that feed the loop's channel from outside: terminal input
//! (pausable, so another reader can have the terminal), signals, the
//! search worker, and a run's output (gathered between frames).

use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::action::Searched;
use super::command::Output;
use super::event::{Event, HANDED_OVER};
use rustix::pipe::{PipeFlags, pipe_with};

use crate::catalog::Catalog;
use crate::runner::RunEvent;
use crate::search::{Index, Query};

/// Lets the loop take the terminal back from the input thread: while
/// paused, the thread does not read, so another reader (the cursor query of
/// a redraw after Ctrl-Z, a program run in the terminal) gets the input.
/// The thread blocks until the terminal has input or the loop wakes it
/// through a pipe: an idle navigator never wakes up.
pub struct InputControl {
    paused: AtomicBool,
    idle: AtomicBool,
    /// Read and write ends; a byte written wakes the thread.
    wake: (OwnedFd, OwnedFd),
}

impl InputControl {
    fn new() -> std::io::Result<InputControl> {
        // Close-on-exec: a command run from the navigator must not hold it.
        let wake = pipe_with(PipeFlags::CLOEXEC | PipeFlags::NONBLOCK)?;
        Ok(InputControl { paused: AtomicBool::new(false), idle: AtomicBool::new(false), wake })
    }

    /// Stops reading; returns once the thread is out of its read.
    pub(super) fn pause(&self) {
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
        // A full pipe already holds a wake-up.
        let _ = rustix::io::write(&self.wake.1, &[1]);
    }

    /// Empties the pipe of the wake-ups that brought the thread here.
    fn drain(&self) {
        let mut bytes = [0u8; 64];
        while matches!(rustix::io::read(&self.wake.0, &mut bytes), Ok(n) if n > 0) {}
    }
}

pub(super) fn spawn_input(events: Sender<Event>) -> std::io::Result<Arc<InputControl>> {
    let control = Arc::new(InputControl::new()?);
    let shared = control.clone();
    std::thread::spawn(move || {
        loop {
            if shared.paused.load(Ordering::SeqCst) {
                shared.idle.store(true, Ordering::SeqCst);
                wait_for(None, &shared.wake.0);
                shared.drain();
                continue;
            }
            let arrived = match wait_for(Some(&std::io::stdin()), &shared.wake.0) {
                Input::Woken => {
                    shared.drain();
                    continue;
                }
                Input::Gone => vec![Event::TerminalGone],
                Input::Ready => held_events(),
            };
            for event in arrived {
                let gone = matches!(event, Event::TerminalGone);
                if events.send(event).is_err() || gone {
                    return;
                }
            }
        }
    });
    Ok(control)
}

/// The events crossterm holds once the terminal is readable: it reads more
/// than one at a time, so all of them.
fn held_events() -> Vec<Event> {
    let mut held = Vec::new();
    loop {
        match crossterm::event::poll(Duration::ZERO) {
            Ok(true) => held.push(crossterm::event::read().map_or(Event::TerminalGone, Event::Terminal)),
            Ok(false) => return held,
            Err(_) => {
                held.push(Event::TerminalGone);
                return held;
            }
        }
    }
}

/// What woke the input thread.
enum Input {
    /// The loop, through the pipe.
    Woken,
    /// The terminal has bytes to read.
    Ready,
    /// It hung up (closed without a SIGHUP reaching us, or failing).
    Gone,
}

/// Blocks until the terminal (when given) has input or `wake` has a byte.
/// The terminal is polled here rather than through crossterm, which reports
/// a hung-up tty as "no event" and spins on its end of file inside its own
/// poll, never returning (67 % CPU after the pane was killed with SIGHUP
/// blocked); the hang-up shows here, in the poll's own flags.
fn wait_for(terminal: Option<&std::io::Stdin>, wake: &OwnedFd) -> Input {
    use rustix::event::{PollFd, PollFlags, poll};
    let mut fds: Vec<PollFd<'_>> = terminal.map(|stdin| PollFd::new(stdin, PollFlags::IN)).into_iter().collect();
    fds.push(PollFd::new(wake, PollFlags::IN));
    match poll(&mut fds, None) {
        // A signal interrupting the wait wakes nothing.
        Err(rustix::io::Errno::INTR) => Input::Woken,
        Err(_) => Input::Gone,
        Ok(_) => match terminal.map(|_| fds[0].revents()) {
            Some(flags) if flags.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) => Input::Gone,
            Some(flags) if flags.contains(PollFlags::IN) => Input::Ready,
            _ => Input::Woken,
        },
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

/// The search worker: answers the latest query only, dropping any that a
/// newer keystroke has overtaken, so typing never waits for a search.
/// It builds the index first; queries typed meanwhile wait in its inbox.
pub(super) fn spawn_search(catalog: Arc<Catalog>, events: Sender<Event>) -> Sender<(u64, String)> {
    let (queries, inbox) = channel::<(u64, String)>();
    std::thread::spawn(move || {
        let index = Index::new(catalog);
        while let Ok(mut job) = inbox.recv() {
            if let Some(newest) = inbox.try_iter().last() {
                job = newest;
            }
            let query = Query::parse(&job.1);
            let results = index.search(&query);
            if events.send(Event::Searched(Searched { generation: job.0, query, results })).is_err() {
                return;
            }
        }
    });
    queries
}

/// A run's output between two frames. A command can print far faster than
/// the screen can show (`yes`): lines gather here, capped, and the loop is
/// woken once per batch, so keys never queue behind output and memory stays
/// bounded.
#[derive(Default)]
pub(super) struct Pending {
    output: Mutex<Output>,
    woken: AtomicBool,
}

impl Pending {
    /// The sink for [`crate::runner::spawn`]: lines gather, the end is sent on.
    pub(super) fn sink(self: &Arc<Self>, id: u64, events: Sender<Event>) -> impl Fn(RunEvent) + Send + Sync + 'static {
        let pending = self.clone();
        move |event| match event {
            RunEvent::Line(stream, line) => {
                if let Ok(mut output) = pending.output.lock() {
                    output.push(stream, line);
                }
                if !pending.woken.swap(true, Ordering::SeqCst) {
                    let _ = events.send(Event::RunOutput(id));
                }
            }
            RunEvent::Exited(outcome) => {
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
