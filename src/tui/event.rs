//! The event loop: one channel fed by threads (terminal input, the search
//! worker, signals, the highlighter loading), drained before each frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crossterm::event::{Event as TerminalEvent, MouseEventKind};

use super::action::{Action, Effect, Searched};
use super::keymap::{Context, resolve};
use super::state::{AppState, Focus};
use super::terminal::{self, Tui};
use super::update::update;
use super::view;
use crate::catalog::Catalog;
use crate::search::{Index, Query};

/// What reaches the loop.
pub enum Event {
    /// A key, mouse event, paste or resize.
    Terminal(TerminalEvent),
    /// The terminal went away (reading it failed).
    TerminalGone,
    /// SIGTERM, SIGHUP or SIGINT.
    Signal,
    /// The search worker answered.
    Searched(Searched),
    /// Something finished loading; draw again.
    Redraw,
}

/// Runs the loop until the user quits or a signal arrives. `probe`, when
/// set, is called once the first frame is on screen and ends the loop (for
/// measuring start-up).
pub fn run(
    terminal: &mut Tui,
    state: &mut AppState,
    catalog: Arc<Catalog>,
    probe: Option<&dyn Fn(Instant)>,
) -> std::io::Result<()> {
    let (events, inbox) = channel();
    let input = spawn_input(events.clone());
    spawn_signals(events.clone());
    let searches = spawn_search(catalog, events.clone());
    terminal.draw(|frame| view::render(state, frame))?;
    if let Some(probe) = probe {
        probe(Instant::now());
        return Ok(());
    }
    // Highlighting loads after the first frame, not in its way.
    let redraw = events.clone();
    crate::highlight::load_in_background(move || {
        let _ = redraw.send(Event::Redraw);
    });
    loop {
        for event in next_batch(&inbox) {
            let Some(action) = to_action(state, event) else { continue };
            for effect in update(state, action) {
                match effect {
                    Effect::Search { generation, text } => {
                        let _ = searches.send((generation, text));
                    }
                    Effect::Suspend => {
                        input.pause();
                        let suspended = terminal::suspend(terminal);
                        input.resume();
                        suspended?;
                        // The terminal may have been resized while stopped.
                        let size = terminal.size()?;
                        update(state, Action::Resize { width: size.width, height: size.height });
                    }
                    Effect::Quit => return Ok(()),
                }
            }
        }
        terminal.draw(|frame| view::render(state, frame))?;
    }
}

/// Blocks for one event, then takes every event already queued, so a burst
/// of keys (a paste, fast typing) is applied before the next frame.
fn next_batch(inbox: &Receiver<Event>) -> Vec<Event> {
    let Ok(first) = inbox.recv() else { return vec![Event::TerminalGone] };
    std::iter::once(first).chain(inbox.try_iter()).collect()
}

fn to_action(state: &AppState, event: Event) -> Option<Action> {
    match event {
        Event::TerminalGone | Event::Signal => Some(Action::Quit),
        Event::Searched(searched) => Some(Action::Searched(Box::new(searched))),
        Event::Redraw => Some(Action::Redraw),
        Event::Terminal(TerminalEvent::Key(key)) => {
            let context = if !state.overlays.is_empty() {
                Context::Overlay
            } else if state.focus == Focus::Detail {
                Context::Detail
            } else {
                Context::Main
            };
            resolve(context, key)
        }
        Event::Terminal(TerminalEvent::Paste(text)) => Some(Action::Paste(text)),
        Event::Terminal(TerminalEvent::Resize(width, height)) => Some(Action::Resize { width, height }),
        Event::Terminal(TerminalEvent::Mouse(mouse)) => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll { column: mouse.column, row: mouse.row, lines: 3 }),
            MouseEventKind::ScrollUp => Some(Action::Scroll { column: mouse.column, row: mouse.row, lines: -3 }),
            MouseEventKind::Down(_) => Some(Action::Click { column: mouse.column, row: mouse.row }),
            _ => None,
        },
        Event::Terminal(_) => None,
    }
}

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
    fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(1);
        while !self.idle.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Reads again.
    fn resume(&self) {
        self.idle.store(false, Ordering::SeqCst);
        self.paused.store(false, Ordering::SeqCst);
    }
}

/// How long a read waits before the thread looks at its pause flag again.
const READ_SLICE: Duration = Duration::from_millis(50);

fn spawn_input(events: Sender<Event>) -> Arc<InputControl> {
    let control = Arc::new(InputControl::default());
    let shared = control.clone();
    std::thread::spawn(move || {
        let mut early_returns = 0;
        loop {
            if shared.paused.load(Ordering::SeqCst) {
                shared.idle.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            let started = Instant::now();
            let event = match crossterm::event::poll(READ_SLICE) {
                // A poll that returns at once with nothing, again and again,
                // means the terminal is gone without a hang-up signal
                // (crossterm reports a closed tty as "no event"): stop
                // rather than spin.
                Ok(false) if started.elapsed() < READ_SLICE / 10 => {
                    early_returns += 1;
                    if early_returns < 20 {
                        continue;
                    }
                    Event::TerminalGone
                }
                Ok(false) => {
                    early_returns = 0;
                    continue;
                }
                Ok(true) => crossterm::event::read().map_or(Event::TerminalGone, Event::Terminal),
                Err(_) => Event::TerminalGone,
            };
            let gone = matches!(event, Event::TerminalGone);
            if events.send(event).is_err() || gone {
                return;
            }
        }
    });
    control
}

fn spawn_signals(events: Sender<Event>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else { return };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = events.send(Event::Signal);
        }
    });
}

/// The search worker: answers the latest query only, dropping any that a
/// newer keystroke has overtaken, so typing never waits for a search.
/// It builds the index first; queries typed meanwhile wait in its inbox.
fn spawn_search(catalog: Arc<Catalog>, events: Sender<Event>) -> Sender<(u64, String)> {
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
