//! The event loop: one channel fed by threads (terminal input, the search
//! worker, signals, the highlighter loading, the runs' output), drained
//! before each frame. Each event becomes an action (`action_for`, pure),
//! `update` applies it, and the runtime carries out the effects it asks for.

use std::collections::{HashMap, VecDeque};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use crossterm::event::{Event as TerminalEvent, MouseEventKind};

mod aside;
use aside::in_terminal;
pub use aside::run_check;

use super::action::IncidentChange;
use super::action::{Action, Effect, LookedUp, Searched};
use super::command::Output;
use super::feeds::{InputControl, Pending, SearchJob, spawn_input, spawn_search, spawn_signals};
use super::journaling;
use super::keymap::{Context, resolve};
use super::state::AppState;
use super::terminal::{self, Tui};
use super::update::update;
use super::view;
use crate::catalog::{Catalog, Diagnostic, Source};
use crate::clipboard::{self, Plan};
use crate::journal::incidents::Incidents;
use crate::journal::output::{OutputFile, Printed};
use crate::runner::{self, Outcome, Running};

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
    /// Run `id` has new output waiting in its `Pending`.
    RunOutput(u64),
    /// Run `id` ended (after all its output).
    RunExited { id: u64, outcome: Outcome },
    /// Something finished loading; draw again.
    Redraw,
    /// Where a command acts, looked up off the loop.
    LookedUp(LookedUp),
    /// A check came out.
    Checked(super::action::Checked),
    /// A field's values were listed.
    Listed(Box<(super::action::ListRequest, crate::suggest::Listed)>),
    /// A catalog file changed on disk.
    FilesChanged,
    /// The catalog as read again.
    Reloaded(Box<super::action::Reloaded>),
}

/// What the loop needs besides the state: where the clipboard is, where
/// the remembered values and the incidents go, and who is at the keyboard.
pub struct Setup {
    /// How to copy.
    pub clipboard: Plan,
    /// The remembered values' file, if there is a data directory.
    pub values_path: Option<PathBuf>,
    /// The incidents' journals, if there is a data directory.
    pub incidents: Option<Incidents>,
    /// Who the journal says did things.
    pub user: String,
    /// A drill is played: no command or check may start, whatever asks.
    pub rehearsal: bool,
    /// The drill's journal: the only one written to.
    pub drill_journal: Option<String>,
    /// Where the catalog is read from, again when its files change.
    pub sources: Vec<Source>,
    /// Problems outside the catalog (config.toml), listed with a reloaded
    /// catalog's.
    pub problems: Vec<Diagnostic>,
}

/// While a command has the terminal, Ctrl-C is its own: SIGINT reaches
/// pagerbook too (same process group) and must not end it.
pub(super) static HANDED_OVER: AtomicBool = AtomicBool::new(false);

/// Runs the loop until the user quits or a signal arrives. Commands still
/// running when it ends are killed.
pub fn run(terminal: &mut Tui, state: &mut AppState, catalog: Arc<Catalog>, setup: &Setup) -> std::io::Result<()> {
    let (events, inbox) = channel();
    let input = spawn_input(events.clone())?;
    spawn_signals(events.clone());
    terminal.draw(|frame| view::render(state, frame))?;
    // The index is built after the first frame, not beside it: on two
    // cores the build took the time the frame needed.
    let searches = spawn_search(catalog, events.clone());
    // Highlighting loads after the first frame, not in its way; so do the
    // kube context for the status line and the watchdog, which no step
    // can need before a frame is on screen.
    crate::runner::watchdog::start();
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
    let journaling =
        journaling::Journaling::new(setup.incidents.clone(), setup.user.clone()).bound_to(setup.drill_journal.clone());
    // Watched for as long as the loop runs.
    let _watcher = super::watch::watch(&setup.sources, events.clone());
    let mut runtime = Runtime {
        terminal,
        input,
        searches,
        events,
        setup,
        running: HashMap::new(),
        checking: 0,
        journaling,
        rereading: super::watch::Rereading::default(),
    };
    // The open incident, for the status line; and a query from the command
    // line, searched at once, as if typed.
    let mut first = vec![Effect::Incident(IncidentChange::Refresh)];
    if !state.search_text().is_empty() {
        first.extend(state.search_now());
    }
    if runtime.apply(state, Vec::new(), first)?.is_break() {
        return Ok(());
    }
    // A drill's poll comes on time even while keys keep coming.
    let mut polled = Instant::now();
    loop {
        // While something runs or is checked, wake up to show its elapsed
        // time; while an incident is open, when its clock turns the minute;
        // in a drill, to see what the game master released.
        let clock = state.incident_elapsed().map(|elapsed| Duration::from_secs(60 - elapsed.as_secs() % 60));
        let busy = !runtime.running.is_empty() || runtime.checking > 0;
        let poll = state.rehearsal.as_ref().filter(|r| !r.ended).map(|_| super::rehearsal::POLL);
        let tick = busy.then_some(TICK).into_iter().chain(clock).chain(poll).min();
        let batch = next_batch(&inbox, tick);
        state.now = Instant::now();
        state.wall = std::time::SystemTime::now();
        // The clock's turn: the incident may have been closed from another
        // terminal since, a drill's game master may have released something.
        let journaled = state.incident.is_some() || poll.is_some();
        let poll_due = poll.is_some_and(|every| polled.elapsed() >= every);
        if (batch.is_empty() && journaled || poll_due) && runtime.running.is_empty() && runtime.checking == 0 {
            polled = Instant::now();
            if runtime.apply(state, vec![Action::Tick], Vec::new())?.is_break() {
                return Ok(());
            }
        }
        for event in batch {
            if matches!(event, Event::Checked(_)) {
                runtime.checking = runtime.checking.saturating_sub(1);
            }
            match &event {
                Event::FilesChanged => runtime.rereading.start(runtime.setup, &runtime.events),
                Event::Reloaded(_) => runtime.rereading.done(runtime.setup, &runtime.events),
                _ => {}
            }
            let gathered = runtime.gather(&event);
            let Some(action) = action_for(state.context(), event, gathered) else { continue };
            if runtime.apply(state, vec![action], Vec::new())?.is_break() {
                return Ok(());
            }
        }
        runtime.terminal.draw(|frame| view::render(state, frame))?;
        state.drawn();
    }
}

/// What the loop took for a run's event: its output since the last frame,
/// and at its end what it printed in all, when an incident kept it.
#[derive(Default)]
struct Gathered {
    output: Option<Output>,
    printed: Option<Printed>,
}

/// The action an event means with the keyboard in `context`. A run's
/// events bring what the loop `gathered` for them (no output for a run it
/// no longer holds).
fn action_for(context: Context, event: Event, gathered: Gathered) -> Option<Action> {
    match event {
        Event::TerminalGone => Some(Action::Terminate { signal: None }),
        Event::Signal(signal) => Some(Action::Terminate { signal: Some(signal) }),
        Event::Searched(searched) => Some(Action::Searched(Box::new(searched))),
        Event::RunOutput(id) => gathered.output.map(|output| Action::RunOutput { id, output }),
        Event::RunExited { id, outcome } => Some(Action::RunExited {
            id,
            last_output: gathered.output.unwrap_or_default(),
            outcome,
            printed: gathered.printed.map(Box::new),
        }),
        Event::Redraw => Some(Action::Redraw),
        Event::LookedUp(looked_up) => Some(Action::LookedUp(Box::new(looked_up))),
        Event::Checked(checked) => Some(Action::Checked(Box::new(checked))),
        Event::Listed(listed) => Some(Action::Listed(listed)),
        Event::Reloaded(loaded) => Some(Action::Reloaded(loaded)),
        Event::Terminal(TerminalEvent::Key(key)) => resolve(context, key),
        Event::Terminal(TerminalEvent::Paste(text)) => Some(Action::Paste(text)),
        Event::Terminal(TerminalEvent::Resize(width, height)) => Some(Action::Resize { width, height }),
        Event::Terminal(TerminalEvent::Mouse(mouse)) => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll { column: mouse.column, row: mouse.row, lines: 3 }),
            MouseEventKind::ScrollUp => Some(Action::Scroll { column: mouse.column, row: mouse.row, lines: -3 }),
            MouseEventKind::Down(_) => Some(Action::Click { column: mouse.column, row: mouse.row }),
            _ => None,
        },
        // A change of files is the loop's, which reads the catalog again.
        Event::Terminal(_) | Event::FilesChanged => None,
    }
}

/// The loop's side of the effects: the terminal, the threads, the
/// commands running.
struct Runtime<'a> {
    terminal: &'a mut Tui,
    input: Arc<InputControl>,
    searches: Sender<SearchJob>,
    events: Sender<Event>,
    setup: &'a Setup,
    /// Dropping a `Running` kills its process group: leaving the loop by
    /// any path leaves no command behind.
    running: HashMap<u64, Captured>,
    /// Checks running on their threads (their groups are registered, so
    /// leaving kills them too).
    checking: usize,
    /// The incident's journal.
    journaling: journaling::Journaling,
    /// The catalog's files changed: it is being read again.
    rereading: super::watch::Rereading,
}

/// A run whose output goes to the output pane, as the loop holds it.
struct Captured {
    child: Running,
    pending: Arc<Pending>,
}

impl Runtime<'_> {
    /// The output gathered for a run's event, which only the loop holds. A
    /// run that ended is forgotten, and dropping its `Running` kills what is
    /// left of its group.
    fn gather(&mut self, event: &Event) -> Gathered {
        match *event {
            Event::RunOutput(id) => {
                Gathered { output: self.running.get(&id).map(|run| run.pending.take()), printed: None }
            }
            Event::RunExited { id, .. } => match self.running.remove(&id) {
                Some(run) => Gathered { output: Some(run.pending.take()), printed: run.pending.printed() },
                None => Gathered::default(),
            },
            _ => Gathered::default(),
        }
    }

    /// Applies `actions` with `update` and carries out the effects they ask
    /// for, after `effects`, in order. What an effect answers (a copy's
    /// report, a run's end, the size after the terminal was away) is applied
    /// at once, and the effects it asks for wait behind the others. Breaks
    /// when the loop must end.
    fn apply(
        &mut self,
        state: &mut AppState,
        mut actions: Vec<Action>,
        effects: Vec<Effect>,
    ) -> std::io::Result<ControlFlow<()>> {
        let mut effects = VecDeque::from(effects);
        loop {
            for action in actions.drain(..) {
                effects.extend(update(state, action));
            }
            let Some(effect) = effects.pop_front() else { return Ok(ControlFlow::Continue(())) };
            let ControlFlow::Continue(answers) = self.carry_out(state, effect)? else {
                return Ok(ControlFlow::Break(()));
            };
            actions = answers;
        }
    }

    /// Carries out one effect; continues with the actions that answer it,
    /// or breaks to quit.
    fn carry_out(&mut self, state: &mut AppState, effect: Effect) -> std::io::Result<ControlFlow<(), Vec<Action>>> {
        let answers = match effect {
            Effect::Quit => return Ok(ControlFlow::Break(())),
            Effect::SearchCatalog(shared) => {
                let _ = self.searches.send(SearchJob::Catalog(shared.0));
                Vec::new()
            }
            Effect::Search { generation, text } => {
                let _ = self.searches.send(SearchJob::Query(generation, text));
                Vec::new()
            }
            Effect::Suspend => {
                let ((), resized) = self.step_aside(terminal::suspend)?;
                vec![resized]
            }
            Effect::Copy(text) => {
                let report = clipboard::copy(&text, &self.setup.clipboard, &mut std::io::stdout());
                vec![Action::Copied { text, report }]
            }
            // The interlock: in a drill, nothing runs (update never asks).
            Effect::Run { id, .. } if self.setup.rehearsal => {
                vec![Action::RunFailed { id, error: super::strings::DRILL_REHEARSED.to_owned() }]
            }
            Effect::Check(_) if self.setup.rehearsal => Vec::new(),
            Effect::List(request) if self.setup.rehearsal => {
                let refused = crate::suggest::Listed::Failed(super::strings::DRILL_REHEARSED.to_owned());
                vec![Action::Listed(Box::new((*request, refused)))]
            }
            Effect::Run { id, command, shell, interactive: false, journal_as, secrets, .. } => {
                let file = self.journaling.open_journal().map(|path| OutputFile::create(&path, &journal_as));
                let pending = Arc::new(Pending::new(secrets, file));
                match runner::spawn(&command, shell, pending.sink(id, self.events.clone())) {
                    Ok(child) => {
                        self.running.insert(id, Captured { child, pending });
                        Vec::new()
                    }
                    Err(err) => vec![Action::RunFailed { id, error: err.to_string() }],
                }
            }
            Effect::Run { id, command, shown, shell, interactive: true, .. } => {
                let ((ran, ended_at), resized) =
                    self.step_aside(|terminal| in_terminal(terminal, &command, &shown, shell))?;
                // Its duration ends with it, not when Enter brought the
                // navigator back.
                state.now = ended_at;
                let ended = match ran {
                    Ok(outcome) => Action::RunExited { id, last_output: Output::default(), outcome, printed: None },
                    Err(err) => Action::RunFailed { id, error: err.to_string() },
                };
                vec![resized, ended]
            }
            Effect::Interrupt(id) => {
                if let Some(run) = self.running.get(&id) {
                    run.child.interrupt();
                }
                Vec::new()
            }
            Effect::SaveValues => {
                if let Some(Err(err)) = self.setup.values_path.as_ref().map(|p| state.remembered.save(p)) {
                    state.flash(&super::strings::values_not_saved(&err));
                }
                Vec::new()
            }
            Effect::LookUp(command) => {
                let whereabouts = crate::whereabouts::whereabouts(&command, &|name| std::env::var_os(name));
                vec![Action::LookedUp(Box::new(LookedUp { command, whereabouts }))]
            }
            Effect::Check(request) => self.check(*request),
            Effect::List(request) => self.list(*request),
            Effect::EditFile { path, line } => self.edit_file(state, &path, line)?,
            Effect::Journal(event) => vec![Action::Incident(Box::new(self.journaling.record(*event)))],
            Effect::Incident(change) => vec![Action::Incident(Box::new(self.journaling.change(change)))],
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
        Ok(ControlFlow::Continue(answers))
    }
}

/// How often the screen refreshes while a command runs.
const TICK: Duration = Duration::from_millis(200);

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

#[cfg(test)]
mod tests {
    use crossterm::event::{
        Event as TerminalEvent, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
    };

    use super::{Action, Event, Gathered, action_for};
    use crate::journal::output::Printed;
    use crate::runner::{Outcome, Stream};
    use crate::tui::command::Output;
    use crate::tui::keymap::{Context, resolve};

    fn mouse(kind: MouseEventKind) -> Event {
        Event::Terminal(TerminalEvent::Mouse(MouseEvent { kind, column: 4, row: 7, modifiers: KeyModifiers::NONE }))
    }

    #[test]
    fn keys_resolve_where_the_keyboard_is_and_the_rest_needs_no_context() {
        let key = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        for context in [Context::Main, Context::Form] {
            assert_eq!(
                action_for(context, Event::Terminal(TerminalEvent::Key(key)), Gathered::default()),
                resolve(context, key)
            );
        }
        let act = |event| action_for(Context::Main, event, Gathered::default());
        assert_eq!(act(Event::TerminalGone), Some(Action::Terminate { signal: None }));
        assert_eq!(act(Event::Signal(15)), Some(Action::Terminate { signal: Some(15) }));
        assert_eq!(act(Event::Terminal(TerminalEvent::Paste("x".into()))), Some(Action::Paste("x".into())));
        assert_eq!(act(Event::Terminal(TerminalEvent::Resize(80, 24))), Some(Action::Resize { width: 80, height: 24 }));
        assert_eq!(act(Event::Terminal(TerminalEvent::FocusGained)), None);
        assert_eq!(act(Event::Redraw), Some(Action::Redraw));
    }

    #[test]
    fn the_wheel_scrolls_three_lines_and_a_press_clicks_where_the_mouse_is() {
        let act = |event| action_for(Context::Main, event, Gathered::default());
        assert_eq!(act(mouse(MouseEventKind::ScrollDown)), Some(Action::Scroll { column: 4, row: 7, lines: 3 }));
        assert_eq!(act(mouse(MouseEventKind::ScrollUp)), Some(Action::Scroll { column: 4, row: 7, lines: -3 }));
        assert_eq!(act(mouse(MouseEventKind::Down(MouseButton::Left))), Some(Action::Click { column: 4, row: 7 }));
        assert_eq!(act(mouse(MouseEventKind::Moved)), None);
    }

    /// A run's output comes only with what the loop gathered for it; its
    /// end always comes, with the last lines or none.
    #[test]
    fn a_run_brings_the_output_gathered_for_it() {
        let mut output = Output::default();
        output.push(Stream::Stdout, "hello".into());
        let gathered = || Gathered { output: Some(output.clone()), printed: None };
        let act = |event, gathered| action_for(Context::Output, event, gathered);
        assert_eq!(act(Event::RunOutput(3), gathered()), Some(Action::RunOutput { id: 3, output: output.clone() }));
        assert_eq!(act(Event::RunOutput(3), Gathered::default()), None);
        let outcome = Outcome { code: Some(0), signal: None };
        let printed = Printed { lines: 1, tail: vec!["hello".into()], sha256: "ab".into(), output: None };
        assert_eq!(
            act(Event::RunExited { id: 3, outcome }, Gathered { printed: Some(printed.clone()), ..gathered() }),
            Some(Action::RunExited { id: 3, last_output: output.clone(), outcome, printed: Some(Box::new(printed)) })
        );
        assert_eq!(
            act(Event::RunExited { id: 3, outcome }, Gathered::default()),
            Some(Action::RunExited { id: 3, last_output: Output::default(), outcome, printed: None })
        );
    }
}
