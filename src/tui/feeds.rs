//! The threads that feed the loop's channel from outside: terminal input
//! (pausable, so another reader can have the terminal), signals, the
//! search worker, and a run's output (gathered between frames).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::action::Searched;
use super::command::Output;
use super::event::{Event, HANDED_OVER};
use crate::catalog::Catalog;
use crate::runner::RunEvent;
use crate::search::{Index, Query};

/// Lets the loop take the terminal back from the input thread: while
/// paused, the thread does not read, so another reader (the cursor query of
/// a redraw after Ctrl-Z, a program run in the terminal) gets the input.
#[derive(Default)]
pub struct InputControl {
    paused: AtomicBool,
    idle: AtomicBool,
}

impl InputControl {
    /// Stops reading; returns once the thread is out of its read.
    pub(super) fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(1);
        while !self.idle.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Reads again.
    pub(super) fn resume(&self) {
        self.idle.store(false, Ordering::SeqCst);
        self.paused.store(false, Ordering::SeqCst);
    }
}

/// How long a read waits before the thread looks at its pause flag again.
const READ_SLICE: Duration = Duration::from_millis(50);

pub(super) fn spawn_input(events: Sender<Event>) -> Arc<InputControl> {
    let control = Arc::new(InputControl::default());
    let shared = control.clone();
    std::thread::spawn(move || {
        loop {
            if shared.paused.load(Ordering::SeqCst) {
                shared.idle.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            let arrived = match wait_for_input(READ_SLICE) {
                Input::Nothing => continue,
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
    control
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

/// What the terminal has for the input thread.
enum Input {
    /// Nothing within the slice.
    Nothing,
    /// Bytes to read.
    Ready,
    /// It hung up (closed without a SIGHUP reaching us, or failing).
    Gone,
}

/// Waits up to `slice` on the terminal itself. crossterm reports a hung-up
/// tty as "no event" and spins on its end of file inside its own poll,
/// never returning (67 % CPU after the pane was killed with SIGHUP
/// blocked); the hang-up shows here, in the poll's own flags.
fn wait_for_input(slice: Duration) -> Input {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = std::io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let timeout = Timespec { tv_sec: 0, tv_nsec: i64::from(slice.subsec_nanos()) };
    match poll(&mut fds, Some(&timeout)) {
        // A signal interrupting the wait is nothing either.
        Ok(0) | Err(rustix::io::Errno::INTR) => Input::Nothing,
        Ok(_) if fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) => Input::Gone,
        Ok(_) => Input::Ready,
        Err(_) => Input::Gone,
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
