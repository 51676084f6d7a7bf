//! The event loop: one channel fed by threads (terminal input, the search
//! worker, signals, the highlighter loading), drained before each frame.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use crossterm::event::{Event as TerminalEvent, MouseEventKind};

use super::action::{Action, Effect, LookedUp, Searched};
use super::command::Output;
use super::feeds::{InputControl, spawn_input, spawn_search, spawn_signals};
use super::keymap::resolve;
use super::state::AppState;
use super::terminal::{self, Tui};
use super::update::update;
use super::view;
use crate::catalog::Catalog;
use crate::clipboard::{self, Plan};
use crate::runner::{self, Outcome, RunEvent, Running, Shell};

/// What reaches the loop.
pub enum Event {
    /// A key, mouse event, paste or resize.
    Terminal(TerminalEvent),
    /// The terminal went away (reading it failed).
    TerminalGone,
    /// A signal that ends the process by default (SIGTERM, SIGHUP, SIGINT,
    /// SIGQUIT, SIGUSR1…), by number.
    Signal(i32),
    /// The search worker answered.
    Searched(Searched),
    /// A run has new output waiting in its [`Pending`].
    RunOutput(u64),
    /// A run ended (after all its output).
    RunExited(u64, Outcome),
    /// Something finished loading; draw again.
    Redraw,
    /// Where a command acts, looked up off the loop.
    LookedUp(LookedUp),
}

/// What the loop needs besides the state: where the clipboard is and where
/// the remembered values go.
pub struct Context {
    /// How to copy.
    pub clipboard: Plan,
    /// The remembered values' file, if there is a data directory.
    pub values_path: Option<PathBuf>,
}

/// While a command has the terminal, Ctrl-C is its own: SIGINT reaches
/// pagerbook too (same process group) and must not end it.
pub(super) static HANDED_OVER: AtomicBool = AtomicBool::new(false);

/// Runs the loop until the user quits or a signal arrives. `probe`, when
/// set, is called once the first frame is on screen and ends the loop (for
/// measuring start-up). Commands still running when it ends are killed.
pub fn run(
    terminal: &mut Tui,
    state: &mut AppState,
    catalog: Arc<Catalog>,
    context: &Context,
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
    // Highlighting loads after the first frame, not in its way; so does
    // the kube context for the status line.
    let redraw = events.clone();
    crate::highlight::load_in_background(move || {
        let _ = redraw.send(Event::Redraw);
    });
    let looked_up = events.clone();
    std::thread::spawn(move || {
        let command = super::command::KUBECTL.to_owned();
        let whereabouts = crate::whereabouts::whereabouts(&command, &|name| std::env::var_os(name));
        let _ = looked_up.send(Event::LookedUp(LookedUp { command, whereabouts }));
    });
    let mut runtime = Runtime { terminal, input, searches, events, context, running: HashMap::new() };
    // A query from the command line is searched at once, as if typed.
    if !state.search_text().is_empty() {
        for effect in state.search_now() {
            runtime.carry_out(state, effect)?;
        }
    }
    loop {
        // While something runs, wake up to show its elapsed time.
        let tick = (!runtime.running.is_empty()).then_some(TICK);
        let batch = next_batch(&inbox, tick);
        state.now = Instant::now();
        state.wall = std::time::SystemTime::now();
        for event in batch {
            let Some(action) = runtime.action_for(state, event) else { continue };
            let mut effects: VecDeque<Effect> = update(state, action).into();
            while let Some(effect) = effects.pop_front() {
                match runtime.carry_out(state, effect)? {
                    Some(more) => effects.extend(more),
                    None => return Ok(()),
                }
            }
        }
        runtime.terminal.draw(|frame| view::render(state, frame))?;
        state.drawn();
    }
}

/// The loop's side of the effects: the terminal, the threads, the
/// commands running.
struct Runtime<'a> {
    terminal: &'a mut Tui,
    input: Arc<InputControl>,
    searches: Sender<(u64, String)>,
    events: Sender<Event>,
    context: &'a Context,
    /// Dropping a `Running` kills its process group: leaving the loop by
    /// any path leaves no command behind.
    running: HashMap<u64, (Running, Arc<Pending>)>,
}

impl Runtime<'_> {
    /// The action an event means; a run's events bring the output gathered
    /// for it.
    fn action_for(&mut self, state: &mut AppState, event: Event) -> Option<Action> {
        match event {
            Event::RunOutput(id) => self.running.get(&id).map(|(_, pending)| Action::RunOutput(id, pending.take())),
            Event::RunExited(id, outcome) => {
                // Output gathered after the last wake-up comes first.
                if let Some((_, pending)) = self.running.remove(&id) {
                    update(state, Action::RunOutput(id, pending.take()));
                }
                Some(Action::RunExited(id, outcome))
            }
            event => to_action(state, event),
        }
    }

    /// Carries out one effect; returns the effects that follow from it, or
    /// `None` to quit.
    fn carry_out(&mut self, state: &mut AppState, effect: Effect) -> std::io::Result<Option<Vec<Effect>>> {
        let follow = match effect {
            Effect::Quit => return Ok(None),
            Effect::Search { generation, text } => {
                let _ = self.searches.send((generation, text));
                Vec::new()
            }
            Effect::Suspend => {
                self.step_aside(state, terminal::suspend)?;
                Vec::new()
            }
            Effect::Copy(text) => {
                let copied = clipboard::copy(&text, &self.context.clipboard, &mut std::io::stdout());
                update(state, Action::Copied(copied, text))
            }
            Effect::Run { id, command, shell, interactive: false, .. } => {
                let pending = Arc::new(Pending::default());
                match runner::spawn(&command, shell, pending.sink(id, self.events.clone())) {
                    Ok(child) => {
                        self.running.insert(id, (child, pending));
                        Vec::new()
                    }
                    Err(err) => update(state, Action::RunFailed(id, err.to_string())),
                }
            }
            Effect::Run { id, command, shown, shell, interactive: true } => {
                let ran = self.step_aside(state, |terminal| in_terminal(terminal, &command, &shown, shell))?;
                state.now = Instant::now();
                match ran {
                    Ok(outcome) => update(state, Action::RunExited(id, outcome)),
                    Err(err) => update(state, Action::RunFailed(id, err.to_string())),
                }
            }
            Effect::Interrupt(id) => {
                if let Some((child, _)) = self.running.get(&id) {
                    child.interrupt();
                }
                Vec::new()
            }
            Effect::SaveValues => {
                if let Some(Err(err)) = self.context.values_path.as_ref().map(|p| state.remembered.save(p)) {
                    state.flash(&format!("could not remember the values: {err}"));
                }
                Vec::new()
            }
            Effect::LookUp(command) => {
                let whereabouts = crate::whereabouts::whereabouts(&command, &|name| std::env::var_os(name));
                update(state, Action::LookedUp(Box::new(LookedUp { command, whereabouts })))
            }
            Effect::MouseCapture(on) => {
                use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
                let mut out = std::io::stdout();
                let _ = if on {
                    crossterm::execute!(out, EnableMouseCapture)
                } else {
                    crossterm::execute!(out, DisableMouseCapture)
                };
                Vec::new()
            }
        };
        Ok(Some(follow))
    }

    /// Lets `work` have the terminal (the input thread paused), then reads
    /// its size again: it may have changed meanwhile.
    fn step_aside<T>(
        &mut self,
        state: &mut AppState,
        work: impl FnOnce(&mut Tui) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        self.input.pause();
        let done = work(self.terminal);
        self.input.resume();
        let done = done?;
        let size = self.terminal.size()?;
        update(state, Action::Resize { width: size.width, height: size.height });
        Ok(done)
    }
}

/// A run's output between two frames. A command can print far faster than
/// the screen can show (`yes`): lines gather here, capped, and the loop is
/// woken once per batch, so keys never queue behind output and memory stays
/// bounded.
#[derive(Default)]
struct Pending {
    output: std::sync::Mutex<Output>,
    woken: AtomicBool,
}

impl Pending {
    /// The sink for [`runner::spawn`]: lines gather, the end is sent on.
    fn sink(self: &Arc<Self>, id: u64, events: Sender<Event>) -> impl Fn(RunEvent) + Send + Sync + 'static {
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
                let _ = events.send(Event::RunExited(id, outcome));
            }
        }
    }

    /// What gathered since the last call.
    fn take(&self) -> Output {
        self.woken.store(false, Ordering::SeqCst);
        self.output.lock().map(|mut output| std::mem::take(&mut *output)).unwrap_or_default()
    }
}

/// How often the screen refreshes while a command runs.
const TICK: Duration = Duration::from_millis(200);

/// Runs an interactive command in the real terminal: pagerbook steps aside,
/// the command runs, and Enter brings the navigator back as it was.
fn in_terminal(
    terminal: &mut Tui,
    command: &str,
    shown: &str,
    shell: Shell,
) -> std::io::Result<std::io::Result<Outcome>> {
    HANDED_OVER.store(true, Ordering::SeqCst);
    let result = terminal::hand_over(terminal, || {
        let mut out = std::io::stdout();
        let _ = writeln!(out, "$ {shown}");
        let outcome = runner::run_in_terminal(command, shell);
        let said = match &outcome {
            Ok(outcome) => format!("[{outcome}]"),
            Err(err) => format!("[could not start: {err}]"),
        };
        let _ = write!(out, "\n{said} Press Enter to return to pagerbook ");
        let _ = out.flush();
        let _ = std::io::stdin().read_line(&mut String::new());
        outcome
    });
    HANDED_OVER.store(false, Ordering::SeqCst);
    result
}

/// Blocks for one event (or at most `tick`), then takes every event
/// already queued, so a burst of keys (a paste, fast typing) is applied
/// before the next frame.
fn next_batch(inbox: &Receiver<Event>, tick: Option<Duration>) -> Vec<Event> {
    let first = match tick {
        Some(tick) => match inbox.recv_timeout(tick) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => return Vec::new(),
            Err(RecvTimeoutError::Disconnected) => return vec![Event::TerminalGone],
        },
        None => match inbox.recv() {
            Ok(event) => event,
            Err(_) => return vec![Event::TerminalGone],
        },
    };
    std::iter::once(first).chain(inbox.try_iter()).collect()
}

fn to_action(state: &AppState, event: Event) -> Option<Action> {
    match event {
        Event::TerminalGone => Some(Action::Terminate(None)),
        Event::Signal(signal) => Some(Action::Terminate(Some(signal))),
        Event::Searched(searched) => Some(Action::Searched(Box::new(searched))),
        Event::Redraw => Some(Action::Redraw),
        Event::LookedUp(looked_up) => Some(Action::LookedUp(Box::new(looked_up))),
        Event::Terminal(TerminalEvent::Key(key)) => resolve(state.context(), key),
        Event::Terminal(TerminalEvent::Paste(text)) => Some(Action::Paste(text)),
        Event::Terminal(TerminalEvent::Resize(width, height)) => Some(Action::Resize { width, height }),
        Event::Terminal(TerminalEvent::Mouse(mouse)) => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll { column: mouse.column, row: mouse.row, lines: 3 }),
            MouseEventKind::ScrollUp => Some(Action::Scroll { column: mouse.column, row: mouse.row, lines: -3 }),
            MouseEventKind::Down(_) => Some(Action::Click { column: mouse.column, row: mouse.row }),
            _ => None,
        },
        // Runs are taken care of by the loop, which holds their buffers.
        Event::Terminal(_) | Event::RunOutput(_) | Event::RunExited(..) => None,
    }
}
