//! Keys to actions, as data: one table of bindings, each with the label and
//! the help line that the status line and the help overlay are built from,
//! resolved by a pure function.
//!
//! The rule that keeps a tired person safe: wherever text can be typed (the
//! search line, and the detail, where a letter starts a new search), a
//! printable key is text. Acting on a step takes a key that is never text
//! (Enter, Ctrl-R, Ctrl-O), so a word typed in the wrong place can only
//! ever become a search.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

mod rebind;
use rebind::bindings;
pub use rebind::{configure, rebind_problems};

/// Where the keyboard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The search line and the results.
    Main,
    /// An entry's detail.
    Detail,
    /// An overlay to read (help, problems, a command to select).
    Overlay,
    /// The placeholder form: keys type into its fields.
    Form,
    /// The confirmation dialog: keys type the confirmation word.
    Confirm,
    /// A run's output.
    Output,
    /// A yes/no question (quitting while commands run).
    Ask,
    /// The incident panel: letters are its keys.
    Incident,
    /// One line to type (an incident's title, a note, a time).
    Prompt,
}

/// The keys a binding matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// One key with exactly these modifiers (Shift aside, for characters).
    Key(KeyCode, KeyModifiers),
    /// `1` to `9`: the action takes the digit.
    Digit,
    /// Any printable character without Ctrl or Alt.
    Text,
    /// Any key at all (a text field takes what is not bound before it).
    Any,
}

/// One key binding.
#[derive(Debug, Clone, PartialEq)]
struct Binding {
    contexts: &'static [Context],
    keys: Keys,
    action: Action,
    /// How the key is written in hints and help (`Enter`, `^R`).
    label: &'static str,
    /// What it does, for the help overlay; empty for another key of the
    /// binding just before it, which shares its row.
    help: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

const fn key(code: KeyCode, modifiers: KeyModifiers) -> Keys {
    Keys::Key(code, modifiers)
}

const fn bind(
    contexts: &'static [Context],
    keys: Keys,
    action: Action,
    label: &'static str,
    help: &'static str,
) -> Binding {
    Binding { contexts, keys, action, label, help }
}

/// What a text field gets: the key itself, filled in by `resolve`.
const TEXT_INPUT: Action =
    Action::Edit(ratatui_textarea::Input { key: ratatui_textarea::Key::Null, ctrl: false, alt: false, shift: false });

use crate::journal::record::Milestone;
use Context::{Ask, Confirm, Detail, Form, Incident, Main, Output, Overlay, Prompt};

/// Contexts where Ctrl-C leaves the program (asking first when commands
/// run).
const LEAVE: &[Context] = &[Main, Detail, Overlay, Output, Incident];
/// Dialogs: Ctrl-C cancels them rather than quitting (a question takes
/// any key but `y` as no).
const DIALOGS: &[Context] = &[Form, Confirm, Prompt];
/// Where letters are not text, so `q` can quit.
const READING: &[Context] = &[Overlay, Output];
/// Everywhere but a question, which takes only its answer.
const NOT_ASK: &[Context] = &[Main, Detail, Overlay, Form, Confirm, Output, Incident, Prompt];
const SCROLLING: &[Context] = &[Main, Detail, Overlay, Output];
const ANY: &[Context] = &[Main, Detail, Overlay, Form, Confirm, Output, Ask, Incident, Prompt];
const BROWSING: &[Context] = &[Main, Detail];
const MAIN: &[Context] = &[Main];
const DETAIL: &[Context] = &[Detail];
const OVERLAY: &[Context] = &[Overlay];
const FORM: &[Context] = &[Form];
const FIELDS: &[Context] = &[Form, Confirm, Prompt];
const CONFIRM: &[Context] = &[Confirm];
const OUTPUT: &[Context] = &[Output];
const VERIFYING: &[Context] = &[Detail, Output];
const ASK: &[Context] = &[Ask];
const INCIDENT: &[Context] = &[Incident];
const PROMPT: &[Context] = &[Prompt];

/// The bindings; the first that matches wins.
#[rustfmt::skip]
const BINDINGS: &[Binding] = &[
    bind(ASK, key(KeyCode::Char('y'), NONE), Action::Answer(true), "y", "yes"),
    bind(ASK, Keys::Any, Action::Answer(false), "n", "no (any other key)"),
    bind(ANY, key(KeyCode::Esc, NONE), Action::Back, "Esc", "back one level: dialog, overlay, detail, query, then quit"),
    bind(ANY, key(KeyCode::Char('z'), CTRL), Action::Suspend, "Ctrl-Z", "suspend (fg resumes)"),
    bind(DIALOGS, key(KeyCode::Char('c'), CTRL), Action::Back, "Ctrl-C", "cancel the dialog"),
    bind(READING, key(KeyCode::Char('q'), NONE), Action::Quit, "q", "quit (asks first while a command runs)"),
    bind(LEAVE, key(KeyCode::Char('c'), CTRL), Action::Quit, "Ctrl-C", "quit (asks first while a command runs)"),
    // Detail: acting on a step takes keys that are never text.
    bind(DETAIL, key(KeyCode::Enter, NONE), Action::Choose, "Enter", "on a step: copy its command (placeholders first); on a link: follow it"),
    bind(DETAIL, key(KeyCode::Char('r'), CTRL), Action::Run, "^R", "run the selected step: placeholders, then the exact command to confirm"),
    bind(DETAIL, key(KeyCode::Char('o'), CTRL), Action::ShowOutput, "^O", "the output of the step's last run"),
    bind(VERIFYING, key(KeyCode::Char('e'), CTRL), Action::Recheck, "^E", "check again that the step worked (its verify)"),
    bind(DETAIL, Keys::Digit, Action::SelectStep(0), "1-9", "select step N"),
    bind(DETAIL, key(KeyCode::Backspace, NONE), Action::HistoryBack, "⌫", "back to the previous entry, then to the results"),
    bind(DETAIL, key(KeyCode::Left, NONE), Action::HistoryBack, "←", ""),
    bind(DETAIL, key(KeyCode::Char(' '), NONE), Action::Page(1), "Space", "a page down"),
    bind(DETAIL, key(KeyCode::Char('/'), NONE), Action::FocusSearch, "/", "back to the search line, query kept"),
    bind(DETAIL, key(KeyCode::Char('?'), NONE), Action::ShowHelp, "?", "this help"),
    bind(DETAIL, Keys::Text, Action::Type(' '), "a-z", "any other key that is text: a new search, starting with it"),
    bind(MAIN, key(KeyCode::Enter, NONE), Action::Open, "Enter", "open the selected entry, its first step selected"),
    bind(CONFIRM, key(KeyCode::Enter, NONE), Action::Submit, "Enter", "run it (a destructive command first needs its target typed)"),
    bind(FORM, key(KeyCode::Enter, NONE), Action::Submit, "Enter", "copy, or show the command to confirm"),
    bind(FORM, key(KeyCode::Tab, NONE), Action::NextField, "Tab", "next field"),
    bind(FORM, key(KeyCode::BackTab, SHIFT), Action::PrevField, "Shift-Tab", "previous field"),
    bind(FORM, key(KeyCode::BackTab, NONE), Action::PrevField, "Shift-Tab", ""),
    bind(FORM, key(KeyCode::Char('l'), CTRL), Action::ListValues, "^L", "list the field's values with its `suggest` command"),
    bind(OUTPUT, key(KeyCode::Char('k'), CTRL), Action::Interrupt, "^K", "stop the command: SIGINT, then SIGTERM, then SIGKILL to its process group"),
    bind(OVERLAY, key(KeyCode::Enter, NONE), Action::Back, "Enter", "close"),
    // The incident: a panel whose letters are keys (no step is in reach).
    bind(BROWSING, key(KeyCode::Char('t'), CTRL), Action::ShowIncident, "^T", "the incident panel: open an incident, notes, milestones, what was recorded"),
    bind(INCIDENT, key(KeyCode::Char('s'), NONE), Action::StartIncident, "s", "open an incident (asks its title): from then on what is done is recorded"),
    bind(INCIDENT, key(KeyCode::Char('n'), NONE), Action::AddNote, "n", "add a note; one that starts TODO: is an action item"),
    bind(INCIDENT, key(KeyCode::Char('d'), NONE), Action::SetMilestone(Milestone::Detected), "d", "milestone: detected, acknowledged, diagnosed, mitigated, resolved (asks when; Enter is now)"),
    bind(INCIDENT, key(KeyCode::Char('a'), NONE), Action::SetMilestone(Milestone::Acknowledged), "a", ""),
    bind(INCIDENT, key(KeyCode::Char('g'), NONE), Action::SetMilestone(Milestone::Diagnosed), "g", ""),
    bind(INCIDENT, key(KeyCode::Char('m'), NONE), Action::SetMilestone(Milestone::Mitigated), "m", ""),
    bind(INCIDENT, key(KeyCode::Char('r'), NONE), Action::SetMilestone(Milestone::Resolved), "r", ""),
    bind(INCIDENT, key(KeyCode::Char('x'), NONE), Action::CloseIncident, "x", "close the incident (asks first)"),
    bind(INCIDENT, key(KeyCode::Char('t'), CTRL), Action::Back, "^T", "close the panel"),
    bind(INCIDENT, key(KeyCode::Enter, NONE), Action::Back, "Enter", ""),
    bind(PROMPT, key(KeyCode::Enter, NONE), Action::Submit, "Enter", "record it"),
    // Moving and scrolling.
    bind(ANY, key(KeyCode::Down, NONE), Action::Move(1), "↓", "move; in the detail, the next step or link in view, else scroll; in a form, the next choice"),
    bind(ANY, key(KeyCode::Up, NONE), Action::Move(-1), "↑", ""),
    bind(SCROLLING, key(KeyCode::Char('n'), CTRL), Action::Move(1), "Ctrl-N", ""),
    bind(SCROLLING, key(KeyCode::Char('p'), CTRL), Action::Move(-1), "Ctrl-P", ""),
    bind(SCROLLING, key(KeyCode::PageDown, NONE), Action::Page(1), "PgDn", "a page down or up"),
    bind(SCROLLING, key(KeyCode::PageUp, NONE), Action::Page(-1), "PgUp", ""),
    bind(SCROLLING, key(KeyCode::End, NONE), Action::End, "End", "the last or the first; in the output, End follows new output"),
    bind(SCROLLING, key(KeyCode::Home, NONE), Action::Home, "Home", ""),
    bind(NOT_ASK, key(KeyCode::F(1), NONE), Action::ShowHelp, "F1", "keys and query syntax"),
    bind(NOT_ASK, key(KeyCode::F(2), NONE), Action::ShowProblems, "F2", "catalog and config problems"),
    // Not `e`: a letter in the detail starts a search. F4 edits, as in mc.
    bind(BROWSING, key(KeyCode::F(4), NONE), Action::EditEntry, "F4", "open the entry's file in $EDITOR at its line, then reload"),
    bind(MAIN, Keys::Any, TEXT_INPUT, "type", "edit the search (paste a log line as it is); Ctrl-U clears it"),
    bind(FIELDS, Keys::Any, TEXT_INPUT, "type", "type the value, or the word asked for; Ctrl-U clears it"),
];

/// The status line's hints per context: which actions, in what words. The
/// keys themselves come from the bindings.
const HINTS: &[(Context, &[(Action, &str)])] = &[
    (
        Main,
        &[
            (Action::Move(1), "move"),
            (Action::Open, "open"),
            (Action::ShowHelp, "help"),
            (Action::Back, "clear"),
            (Action::ShowIncident, "incident"),
        ],
    ),
    (
        Detail,
        &[
            (Action::Choose, "copy"),
            (Action::Run, "run"),
            (Action::SelectStep(0), "step"),
            (Action::HistoryBack, "back"),
            (Action::FocusSearch, "search"),
            (Action::ShowHelp, "help"),
        ],
    ),
    (Overlay, &[(Action::Move(1), "scroll"), (Action::Back, "close"), (Action::Quit, "quit")]),
    (Form, &[(Action::NextField, "next field"), (Action::Submit, "go on"), (Action::Back, "cancel")]),
    (Confirm, &[(Action::Submit, "run"), (Action::Back, "cancel")]),
    (
        Output,
        &[(Action::Move(1), "scroll"), (Action::End, "follow"), (Action::Interrupt, "stop"), (Action::Back, "close")],
    ),
    (Ask, &[(Action::Answer(true), "yes"), (Action::Answer(false), "no")]),
    (
        Incident,
        &[
            (Action::StartIncident, "start"),
            (Action::AddNote, "note"),
            (Action::SetMilestone(Milestone::Detected), "milestone"),
            (Action::CloseIncident, "close it"),
            (Action::Back, "back"),
        ],
    ),
    (Prompt, &[(Action::Submit, "record"), (Action::Back, "cancel")]),
];

impl Keys {
    /// Whether `code` with `modifiers` (Shift removed for characters) is one
    /// of these keys.
    fn matches(self, code: KeyCode, modifiers: KeyModifiers) -> bool {
        let text = matches!(code, KeyCode::Char(c) if !c.is_control()) && modifiers.is_empty();
        match self {
            Keys::Key(bound, bound_modifiers) => bound == code && bound_modifiers == modifiers,
            Keys::Digit => text && matches!(code, KeyCode::Char('1'..='9')),
            Keys::Text => text,
            Keys::Any => true,
        }
    }
}

impl Binding {
    /// This binding's action for the key pressed: the digit or character is
    /// filled in, and a text field gets the key itself.
    fn action_for(&self, key: KeyEvent) -> Action {
        match (&self.action, key.code) {
            (Action::SelectStep(_), KeyCode::Char(c)) => Action::SelectStep(c.to_digit(10).unwrap_or(1) as usize),
            (Action::Type(_), KeyCode::Char(c)) => Action::Type(c),
            (Action::Edit(_), _) => Action::Edit(key.into()),
            (action, _) => action.clone(),
        }
    }
}

/// The action a key means in a context, if any. Key releases (reported by
/// some terminals) mean nothing.
#[must_use]
pub fn resolve(context: Context, key: KeyEvent) -> Option<Action> {
    resolve_in(bindings(), context, key)
}

fn resolve_in(table: &[Binding], context: Context, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    // Shift is part of the character for printable keys (`?`, `A`).
    let modifiers = match key.code {
        KeyCode::Char(_) => key.modifiers - KeyModifiers::SHIFT,
        _ => key.modifiers,
    };
    table
        .iter()
        .find(|b| b.contexts.contains(&context) && b.keys.matches(key.code, modifiers))
        .map(|b| b.action_for(key))
}

/// What can be done now, for the keys offered: running is not offered when
/// it is off, nor stopping when nothing runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    /// Running commands is off.
    pub read_only: bool,
    /// The command shown is running.
    pub stoppable: bool,
    /// What the journal is.
    pub journal: Journal,
    /// `--print`: Enter hands the command to the shell's prompt.
    pub print: bool,
}

/// What the navigator journals into, for the keys it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Journal {
    /// No incident is open.
    Nothing,
    /// An incident is open.
    Incident,
    /// A drill is played: `^T` shows its briefing.
    Drill,
}

/// Whether `action` is one to offer.
fn offered(action: &Action, offer: Offer) -> bool {
    match action {
        Action::Run => !offer.read_only,
        Action::Interrupt => offer.stoppable,
        Action::StartIncident => offer.journal == Journal::Nothing,
        Action::AddNote | Action::SetMilestone(_) | Action::CloseIncident => offer.journal == Journal::Incident,
        _ => true,
    }
}

/// The status line's key hints for a context: `Enter copy · ^R run · …`.
#[must_use]
pub fn hints(context: Context, offer: Offer) -> String {
    let Some((_, hints)) = HINTS.iter().find(|(c, _)| *c == context) else { return String::new() };
    hints
        .iter()
        .filter(|(action, _)| offered(action, offer))
        .map(|(action, words)| {
            let keys = match action {
                Action::Move(1) => up_down(context),
                // One hint for the five milestones' keys.
                Action::SetMilestone(_) => bindings()
                    .iter()
                    .filter(|b| b.contexts.contains(&context) && matches!(b.action, Action::SetMilestone(_)))
                    .map(|b| b.label)
                    .collect::<Vec<_>>()
                    .join("/"),
                _ => key_for(context, action).to_owned(),
            };
            // In a drill, ^T is the briefing and a confirmation runs nothing.
            let words = match (offer.journal, context, action) {
                (Journal::Drill, _, Action::ShowIncident) => "briefing",
                (Journal::Drill, Context::Confirm, Action::Submit) => "show its output",
                (_, Context::Detail, Action::Choose) if offer.print => "to the prompt",
                _ => words,
            };
            format!("{keys} {words}")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The keys that move up and down in `context`, as hints write them
/// (`↑↓`, or what `[keys]` gave them).
#[must_use]
pub fn up_down(context: Context) -> String {
    match (key_for(context, &Action::Move(-1)), key_for(context, &Action::Move(1))) {
        ("↑", "↓") => "↑↓".to_owned(),
        (up, down) => format!("{up}/{down}"),
    }
}

/// The key bound to `action` in `context`, as the help writes it (`Enter`,
/// `^R`): for hints, titles and messages that name a key.
#[must_use]
pub fn key_for(context: Context, action: &Action) -> &'static str {
    bindings().iter().find(|b| b.contexts.contains(&context) && b.action == *action).map_or("", |b| b.label)
}

/// One section of the help: a heading and its rows of keys and what they
/// do.
pub struct HelpSection {
    /// What the section covers.
    pub heading: &'static str,
    /// (keys, what they do); the keys of one thing share a row.
    pub rows: Vec<(String, &'static str)>,
}

/// The help for every context, built from the bindings: a binding that
/// applies in most contexts is listed once, under "Anywhere".
#[must_use]
pub fn help(read_only: bool, print: bool) -> Vec<HelpSection> {
    let sections = [
        ("Search line and results", Some(Main)),
        ("Detail", Some(Detail)),
        ("Placeholder form", Some(Form)),
        ("Confirmation", Some(Confirm)),
        ("Output pane", Some(Output)),
        ("Help and problems", Some(Overlay)),
        ("Quit? (asked while commands run)", Some(Ask)),
        ("Incident panel", Some(Incident)),
        ("Title, note or time", Some(Prompt)),
        ("Anywhere", None),
    ];
    let everywhere = |b: &Binding| b.contexts.len() >= SCROLLING.len();
    sections
        .into_iter()
        // Where nothing runs, nothing is confirmed.
        .filter(|(_, context)| !(read_only && *context == Some(Confirm)))
        .map(|(heading, context)| {
            let mut rows: Vec<(String, &'static str)> = Vec::new();
            let belongs = |b: &&Binding| match context {
                Some(context) => b.contexts.contains(&context) && !everywhere(b),
                None => everywhere(b),
            };
            let offer = Offer { read_only, stoppable: true, journal: Journal::Incident, print: false };
            // Starting and closing are both listed.
            let offered = |action: &Action| *action == Action::StartIncident || offered(action, offer);
            for binding in bindings().iter().filter(belongs).filter(|b| offered(&b.action)) {
                match rows.last_mut() {
                    Some((keys, help)) if binding.help.is_empty() || binding.help == *help => {
                        if !keys.split("  ").any(|k| k == binding.label) {
                            keys.push_str("  ");
                            keys.push_str(binding.label);
                        }
                    }
                    // `--print`: Enter hands the command to the prompt.
                    _ if print && binding.action == Action::Choose && context == Some(Detail) => {
                        rows.push((binding.label.to_owned(), PRINT_CHOOSE));
                    }
                    _ => rows.push((binding.label.to_owned(), binding.help)),
                }
            }
            HelpSection { heading, rows }
        })
        .collect()
}

/// What Enter on a step does with `--print`.
const PRINT_CHOOSE: &str =
    "on a step: put its command on the prompt (placeholders first) and leave; on a link: follow it";

/// The keys as a markdown table, for the README: the same rows as the help.
#[must_use]
pub fn markdown_table() -> String {
    use std::fmt::Write as _;
    let mut table = String::from("| keys | where | does |\n| --- | --- | --- |\n");
    for section in help(false, false) {
        for (keys, does) in section.rows {
            let keys = keys.split("  ").map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" ");
            let _ = writeln!(table, "| {keys} | {} | {does} |", section.heading);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's key table is the help's: a binding added, changed or
    /// removed shows there, or this fails with the table to paste.
    #[test]
    fn the_readme_lists_every_binding_as_the_help_does() {
        let readme = include_str!("../../../README.md");
        let start = readme.find("<!-- keys -->\n").map(|i| i + "<!-- keys -->\n".len());
        let end = readme.find("<!-- /keys -->");
        let (Some(start), Some(end)) = (start, end) else { panic!("README.md has no <!-- keys --> section") };
        let expected = markdown_table();
        assert!(readme[start..end] == expected, "README.md's key table is stale; it should read:\n{expected}");
    }

    /// A binding with no help text shares the row of the one before it; one
    /// that starts a row of the help without any is a key nobody is told of.
    #[test]
    fn every_row_of_the_help_says_what_its_keys_do() {
        for read_only in [false, true] {
            for section in help(read_only, false) {
                for (keys, does) in section.rows {
                    assert!(!does.is_empty() && !keys.is_empty(), "{}: `{keys}` has no help", section.heading);
                }
            }
        }
    }

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn typing_on_the_main_screen_edits_the_search() {
        let typed = resolve(Context::Main, press(KeyCode::Char('j'), NONE));
        assert!(matches!(typed, Some(Action::Edit(_))), "{typed:?}");
        assert!(matches!(resolve(Context::Main, press(KeyCode::Char('?'), SHIFT)), Some(Action::Edit(_))));
        assert!(matches!(resolve(Context::Main, press(KeyCode::Char('q'), NONE)), Some(Action::Edit(_))));
        assert!(matches!(resolve(Context::Main, press(KeyCode::Backspace, NONE)), Some(Action::Edit(_))));
    }

    #[test]
    fn every_letter_in_the_detail_is_text_so_a_word_never_acts_on_a_step() {
        // Regression: `redis` typed in the detail hit `r` (run) and put
        // `edis` in the form; `y`, `o`, `k`, `j` acted too.
        for c in ('a'..='z').chain('A'..='Z') {
            assert_eq!(resolve(Context::Detail, press(KeyCode::Char(c), NONE)), Some(Action::Type(c)), "{c}");
        }
        assert_eq!(resolve(Context::Detail, press(KeyCode::Char('-'), NONE)), Some(Action::Type('-')));
    }

    #[test]
    fn steps_are_acted_on_by_keys_that_are_never_text() {
        assert_eq!(resolve(Context::Detail, press(KeyCode::Enter, NONE)), Some(Action::Choose));
        assert_eq!(resolve(Context::Detail, press(KeyCode::Char('r'), CTRL)), Some(Action::Run));
        assert_eq!(resolve(Context::Detail, press(KeyCode::Char('o'), CTRL)), Some(Action::ShowOutput));
        assert_eq!(resolve(Context::Detail, press(KeyCode::Char('3'), NONE)), Some(Action::SelectStep(3)));
        assert_eq!(resolve(Context::Detail, press(KeyCode::Char('0'), NONE)), Some(Action::Type('0')));
    }

    #[test]
    fn movement_keys_work_everywhere_they_should() {
        assert_eq!(resolve(Context::Main, press(KeyCode::Down, NONE)), Some(Action::Move(1)));
        assert_eq!(resolve(Context::Main, press(KeyCode::Char('p'), CTRL)), Some(Action::Move(-1)));
        assert_eq!(resolve(Context::Detail, press(KeyCode::Down, NONE)), Some(Action::Move(1)));
        assert_eq!(resolve(Context::Detail, press(KeyCode::PageDown, NONE)), Some(Action::Page(1)));
        assert_eq!(resolve(Context::Output, press(KeyCode::End, NONE)), Some(Action::End));
    }

    #[test]
    fn help_is_f1_everywhere_and_question_mark_in_the_detail() {
        assert_eq!(resolve(Context::Main, press(KeyCode::F(1), NONE)), Some(Action::ShowHelp));
        assert_eq!(resolve(Context::Form, press(KeyCode::F(1), NONE)), Some(Action::ShowHelp));
        assert_eq!(resolve(Context::Detail, press(KeyCode::Char('?'), SHIFT)), Some(Action::ShowHelp));
    }

    #[test]
    fn fields_take_letters_and_enter_submits() {
        for context in [Context::Form, Context::Confirm] {
            assert!(matches!(resolve(context, press(KeyCode::Char('q'), NONE)), Some(Action::Edit(_))));
            assert!(matches!(resolve(context, press(KeyCode::Char('y'), NONE)), Some(Action::Edit(_))));
            assert!(matches!(resolve(context, press(KeyCode::Home, NONE)), Some(Action::Edit(_))));
            assert_eq!(resolve(context, press(KeyCode::Enter, NONE)), Some(Action::Submit));
            assert_eq!(resolve(context, press(KeyCode::Esc, NONE)), Some(Action::Back));
        }
        assert_eq!(resolve(Context::Form, press(KeyCode::Tab, NONE)), Some(Action::NextField));
        assert_eq!(resolve(Context::Form, press(KeyCode::BackTab, SHIFT)), Some(Action::PrevField));
    }

    #[test]
    fn ctrl_c_cancels_a_dialog_and_asks_to_quit_elsewhere() {
        // Regression: Ctrl-C inside a typed-confirmation dialog quit at once
        // and killed the running drain.
        for context in [Context::Form, Context::Confirm, Context::Ask] {
            assert_ne!(resolve(context, press(KeyCode::Char('c'), CTRL)), Some(Action::Quit), "{context:?}");
        }
        for context in [Context::Main, Context::Detail, Context::Overlay, Context::Output] {
            assert_eq!(resolve(context, press(KeyCode::Char('c'), CTRL)), Some(Action::Quit), "{context:?}");
        }
    }

    #[test]
    fn stopping_a_command_is_one_key_that_means_nothing_else() {
        // Regression: `k` stopped the command in the output pane and moved
        // up in the detail.
        assert_eq!(resolve(Context::Output, press(KeyCode::Char('k'), CTRL)), Some(Action::Interrupt));
        assert_eq!(resolve(Context::Output, press(KeyCode::Char('k'), NONE)), None);
        for context in [Context::Main, Context::Detail, Context::Overlay, Context::Form, Context::Confirm] {
            assert_ne!(resolve(context, press(KeyCode::Char('k'), CTRL)), Some(Action::Interrupt), "{context:?}");
        }
    }

    #[test]
    fn q_quits_where_letters_are_not_text() {
        assert_eq!(resolve(Context::Overlay, press(KeyCode::Char('q'), NONE)), Some(Action::Quit));
        assert_eq!(resolve(Context::Output, press(KeyCode::Char('q'), NONE)), Some(Action::Quit));
        assert_eq!(resolve(Context::Detail, press(KeyCode::Char('q'), NONE)), Some(Action::Type('q')));
    }

    #[test]
    fn a_question_takes_y_for_yes_and_anything_else_for_no() {
        assert_eq!(resolve(Context::Ask, press(KeyCode::Char('y'), NONE)), Some(Action::Answer(true)));
        for code in [KeyCode::Char('n'), KeyCode::Enter, KeyCode::Esc, KeyCode::Char('q')] {
            assert_eq!(resolve(Context::Ask, press(code, NONE)), Some(Action::Answer(false)), "{code:?}");
        }
    }

    #[test]
    fn releases_are_ignored() {
        let mut release = press(KeyCode::Char('a'), NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(resolve(Context::Main, release), None);
    }

    #[test]
    fn hints_come_from_the_bindings_and_drop_run_when_read_only() {
        let offer = Offer { read_only: false, stoppable: true, journal: Journal::Nothing, print: false };
        let detail = hints(Context::Detail, offer);
        assert_eq!(detail, "Enter copy · ^R run · 1-9 step · ⌫ back · / search · ? help");
        let read_only = hints(Context::Detail, Offer { read_only: true, ..offer });
        assert!(!read_only.contains("run"), "{read_only}");
        let print = hints(Context::Detail, Offer { read_only: true, print: true, ..offer });
        assert!(print.starts_with("Enter to the prompt · 1-9 step"), "{print}");
        assert!(hints(Context::Output, offer).contains("^K stop"));
        assert!(!hints(Context::Output, Offer { stoppable: false, ..offer }).contains("stop"));
        assert_eq!(key_for(Context::Output, &Action::Interrupt), "^K");
    }

    #[test]
    fn every_binding_is_described_in_the_help() {
        let sections = help(false, false);
        let described: Vec<&str> = sections.iter().flat_map(|s| s.rows.iter().map(|(_, h)| *h)).collect();
        for binding in BINDINGS.iter().filter(|b| !b.help.is_empty()) {
            assert!(described.contains(&binding.help), "{} is not in the help", binding.label);
        }
        assert!(described.iter().all(|h| !h.is_empty()), "a row without a description");
        assert!(!help(true, false).iter().any(|s| s.rows.iter().any(|(_, h)| h.starts_with("run the selected"))));
        let print = help(true, true);
        assert!(print.iter().all(|s| s.heading != "Confirmation"), "nothing is confirmed where nothing runs");
        assert!(print.iter().any(|s| s.rows.iter().any(|(_, h)| *h == PRINT_CHOOSE)));
    }
}
