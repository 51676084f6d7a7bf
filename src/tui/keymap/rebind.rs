//! config.toml's `[keys]`: an action, by name, given other keys (as
//! television's `[keybindings]` does). The table is rewritten row by row,
//! so the hints and the help name the new keys; a line that would break
//! the table is reported at its place and left out.

use crossterm::event::{KeyCode, KeyModifiers};

use super::{BINDINGS, Binding, CTRL, Context, Keys, NONE, SHIFT};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::journal::record::Milestone;
use crate::settings::{Rebinding, Written};
use crate::tui::action::Action;

/// The actions a `[keys]` line may name.
const NAMED: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("back", Action::Back),
    ("suspend", Action::Suspend),
    ("open", Action::Open),
    ("choose", Action::Choose),
    ("run", Action::Run),
    ("show_output", Action::ShowOutput),
    ("recheck", Action::Recheck),
    ("history_back", Action::HistoryBack),
    ("focus_search", Action::FocusSearch),
    ("show_help", Action::ShowHelp),
    ("show_problems", Action::ShowProblems),
    ("edit_entry", Action::EditEntry),
    ("next_field", Action::NextField),
    ("prev_field", Action::PrevField),
    ("submit", Action::Submit),
    ("list_values", Action::ListValues),
    ("interrupt", Action::Interrupt),
    ("show_incident", Action::ShowIncident),
    ("start_incident", Action::StartIncident),
    ("add_note", Action::AddNote),
    ("close_incident", Action::CloseIncident),
    ("milestone_detected", Action::SetMilestone(Milestone::Detected)),
    ("milestone_acknowledged", Action::SetMilestone(Milestone::Acknowledged)),
    ("milestone_diagnosed", Action::SetMilestone(Milestone::Diagnosed)),
    ("milestone_mitigated", Action::SetMilestone(Milestone::Mitigated)),
    ("milestone_resolved", Action::SetMilestone(Milestone::Resolved)),
    ("down", Action::Move(1)),
    ("up", Action::Move(-1)),
    ("page_down", Action::Page(1)),
    ("page_up", Action::Page(-1)),
    ("home", Action::Home),
    ("end", Action::End),
];

/// Where what is typed is text: a printable key there must stay text.
const TEXT: &[Context] = &[Context::Main, Context::Detail, Context::Form, Context::Confirm, Context::Prompt];

/// The bindings in use: the table, with config.toml's `[keys]` applied
/// once at start.
static CONFIGURED: std::sync::OnceLock<Vec<Binding>> = std::sync::OnceLock::new();

pub(super) fn bindings() -> &'static [Binding] {
    CONFIGURED.get().map_or(BINDINGS, Vec::as_slice)
}

/// Applies config.toml's `[keys]` to the bindings for the rest of the
/// process; the problems are each line's, and a line with one is left out.
pub fn configure(rebindings: &[crate::settings::Rebinding]) -> Vec<crate::diagnostic::Diagnostic> {
    let (table, problems) = rebound(BINDINGS, rebindings);
    if table != BINDINGS {
        let _ = CONFIGURED.set(table);
    }
    problems
}

/// What is wrong with the lines of `[keys]`, as `check` says it.
#[must_use]
pub fn rebind_problems(rebindings: &[crate::settings::Rebinding]) -> Vec<crate::diagnostic::Diagnostic> {
    rebound(BINDINGS, rebindings).1
}

/// `table` with each rebinding applied in turn, and the problems of those
/// left out.
pub(super) fn rebound(table: &[Binding], rebindings: &[Rebinding]) -> (Vec<Binding>, Vec<Diagnostic>) {
    let mut bindings = table.to_vec();
    let mut problems = Vec::new();
    for rebinding in rebindings {
        match rebind(&bindings, rebinding) {
            Ok(rewritten) => bindings = rewritten,
            Err(problem) => problems.push(problem),
        }
    }
    (bindings, problems)
}

/// The table with one action's keys replaced, or what is wrong.
fn rebind(table: &[Binding], rebinding: &Rebinding) -> Result<Vec<Binding>, Diagnostic> {
    let name = rebinding.action.text.as_str();
    let Some((_, action)) = NAMED.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = NAMED.iter().map(|(n, _)| *n).collect();
        let message = format!("unknown action `{name}` in [keys]{}", did_you_mean(name, &names));
        return Err(rebinding.action.problem(message));
    };
    if rebinding.keys.is_empty() {
        return Err(rebinding.action.problem(format!("`{name}` is given no key: the action could not be reached")));
    }
    let keys: Vec<(Keys, &'static str)> = rebinding.keys.iter().map(parse).collect::<Result<_, _>>()?;
    let mut rewritten: Vec<Binding> = Vec::new();
    let mut added = Vec::new();
    for binding in table {
        if binding.action != *action {
            rewritten.push(binding.clone());
            continue;
        }
        for (n, (keys, label)) in keys.iter().enumerate() {
            let help = if n == 0 { binding.help } else { "" };
            let row = Binding { keys: *keys, label, help, ..binding.clone() };
            // A second row of the same action, key and contexts says nothing new.
            let repeated = rewritten.iter().any(|b| {
                b.action == row.action && b.keys == row.keys && row.contexts.iter().all(|c| b.contexts.contains(c))
            });
            if !repeated {
                added.push(rewritten.len());
                rewritten.push(row);
            }
        }
    }
    for (at, written) in rebinding.keys.iter().enumerate() {
        let (keys, label) = keys[at];
        for &i in added.iter().filter(|&&i| rewritten[i].keys == keys) {
            let row = &rewritten[i];
            if let Some(context) = row.contexts.iter().find(|c| TEXT.contains(c)).filter(|_| keys.is_text()) {
                let message = format!(
                    "`{label}` is text where `{name}` acts ({context:?}): use a key with Ctrl or Alt, or an F-key"
                );
                return Err(written.problem(message));
            }
            if let Some(context) = row.contexts.iter().find(|c| TEXT.contains(c)).filter(|_| keys.edits_text()) {
                let message = format!("`{label}` edits the text where `{name}` acts ({context:?}): choose another key");
                return Err(written.problem(message));
            }
            if let Some((other, context)) = taken(&rewritten, i) {
                let message =
                    format!("`{label}` is already `{other}` ({context:?}); give that action another key first");
                return Err(written.problem(message));
            }
        }
    }
    Ok(rewritten)
}

/// Another action that row `i`'s key reaches in one of its contexts, by
/// name, and where.
fn taken(table: &[Binding], i: usize) -> Option<(String, Context)> {
    let row = &table[i];
    table
        .iter()
        .enumerate()
        .filter(|(j, other)| *j != i && other.action != row.action && other.keys == row.keys)
        .find_map(|(_, other)| {
            let context = row.contexts.iter().find(|c| other.contexts.contains(c))?;
            let name = NAMED.iter().find(|(_, a)| *a == other.action).map_or(other.label, |(n, _)| n);
            Some((name.to_owned(), *context))
        })
}

impl Keys {
    /// A printable key with neither Ctrl nor Alt: text wherever text is typed.
    fn is_text(self) -> bool {
        matches!(self, Keys::Key(KeyCode::Char(_), modifiers) if (modifiers - SHIFT).is_empty())
    }

    /// A key a text field edits with, which no binding takes from it:
    /// deleting, moving the cursor, Ctrl-U clearing, Ctrl-W a word.
    fn edits_text(self) -> bool {
        match self {
            Keys::Key(KeyCode::Backspace | KeyCode::Delete | KeyCode::Left | KeyCode::Right, _) => true,
            Keys::Key(KeyCode::Char('u' | 'w' | 'h'), modifiers) => modifiers == CTRL,
            _ => false,
        }
    }
}

/// A key as written (`ctrl-x`, `^X`, `alt-j`, `F5`, `shift-tab`, `pagedown`),
/// with the label the help shows for it.
fn parse(written: &Written) -> Result<(Keys, &'static str), Diagnostic> {
    let text = written.text.trim();
    let refuse = || {
        written.problem(format!(
            "`{text}` is not a key: write one such as \"ctrl-x\", \"alt-j\", \"F5\", \"enter\", \"shift-tab\" or \"pagedown\""
        ))
    };
    let (mut modifiers, mut rest) = (NONE, text);
    if let Some(after) = rest.strip_prefix('^').filter(|after| after.chars().count() == 1) {
        (modifiers, rest) = (CTRL, after);
    }
    loop {
        let lower = rest.to_ascii_lowercase();
        let Some((prefix, after)) = lower.split_once(['-', '+']).filter(|(_, after)| !after.is_empty()) else { break };
        modifiers |= match prefix {
            "ctrl" | "control" | "c" => CTRL,
            "alt" | "meta" | "m" => KeyModifiers::ALT,
            "shift" | "s" => SHIFT,
            _ => return Err(refuse()),
        };
        rest = &rest[rest.len() - after.len()..];
    }
    let code = match rest.to_ascii_lowercase().as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" if modifiers.contains(SHIFT) => KeyCode::BackTab,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        f if f.len() > 1 && f.starts_with('f') => match f[1..].parse::<u8>() {
            Ok(n @ 1..=24) => KeyCode::F(n),
            _ => return Err(refuse()),
        },
        _ => {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                // Ctrl with a letter arrives as the lowercase letter.
                (Some(c), None) if modifiers.contains(CTRL) => KeyCode::Char(c.to_ascii_lowercase()),
                (Some(c), None) => KeyCode::Char(c),
                _ => return Err(refuse()),
            }
        }
    };
    // Shift is part of a character, as the resolver reads it.
    if matches!(code, KeyCode::Char(_)) {
        modifiers -= SHIFT;
    }
    Ok((Keys::Key(code, modifiers), label(code, modifiers)))
}

/// How the help writes a key, as the table does (`^X`, `Alt-j`, `F5`).
fn label(code: KeyCode, modifiers: KeyModifiers) -> &'static str {
    let key = match code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) if modifiers == CTRL => format!("^{}", c.to_ascii_uppercase()),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::BackTab => "Shift-Tab".to_owned(),
        KeyCode::Backspace => "⌫".to_owned(),
        KeyCode::Up => "↑".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        other => format!("{other:?}"),
    };
    let mut label = String::new();
    if modifiers.contains(CTRL) && !key.starts_with('^') {
        label.push_str("Ctrl-");
    }
    if modifiers.contains(KeyModifiers::ALT) {
        label.push_str("Alt-");
    }
    if modifiers.contains(SHIFT) && code != KeyCode::BackTab {
        label.push_str("Shift-");
    }
    label.push_str(&key);
    // Made once at start for the rest of the process, as the table's are.
    Box::leak(label.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::super::{BINDINGS, resolve_in};
    use super::*;
    use crate::settings::Config;
    use crossterm::event::KeyEvent;

    /// The table with `keys` (the lines of a `[keys]` table) applied, and
    /// each problem as `line:col: message`.
    fn with(keys: &str) -> (Vec<Binding>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, format!("read_only = false\n[keys]\n{keys}")).unwrap();
        let (config, problems) = Config::load(&path);
        assert_eq!(problems, [], "the file itself reads");
        let (table, problems) = rebound(BINDINGS, &config.keys);
        (table, problems.iter().map(|d| format!("{}:{}: {}", d.line, d.column, d.message)).collect())
    }

    fn press(table: &[Binding], context: Context, code: KeyCode, modifiers: KeyModifiers) -> Option<Action> {
        resolve_in(table, context, KeyEvent::new(code, modifiers))
    }

    #[test]
    fn an_action_takes_the_keys_given_everywhere_it_acted_and_the_help_says_so() {
        let (table, problems) = with("run = \"ctrl-x\"\nedit_entry = [\"F5\", \"alt-e\"]\n");
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(press(&table, Context::Detail, KeyCode::Char('x'), CTRL), Some(Action::Run));
        assert_eq!(press(&table, Context::Detail, KeyCode::Char('r'), CTRL), None, "^R is free again");
        assert_eq!(press(&table, Context::Main, KeyCode::F(5), NONE), Some(Action::EditEntry));
        assert_eq!(press(&table, Context::Detail, KeyCode::Char('e'), KeyModifiers::ALT), Some(Action::EditEntry));
        assert_eq!(press(&table, Context::Detail, KeyCode::F(4), NONE), None);
        let run = table.iter().find(|b| b.action == Action::Run).unwrap();
        assert_eq!((run.label, run.help.is_empty()), ("^X", false));
        let second = table.iter().filter(|b| b.action == Action::EditEntry).map(|b| (b.label, b.help.is_empty()));
        assert_eq!(second.collect::<Vec<_>>(), [("F5", false), ("Alt-e", true)], "one help row, two keys");
    }

    #[test]
    fn each_wrong_line_is_placed_and_left_out_and_the_others_apply() {
        let (table, problems) = with(concat!(
            "rum = \"ctrl-x\"\n",
            "run = \"ctrl-t\"\n",
            "show_help = \"x\"\n",
            "quit = \"hyper-q\"\n",
            "back = []\n",
            "recheck = \"ctrl-g\"\n",
            "show_problems = \"ctrl-u\"\n",
        ));
        assert_eq!(
            problems,
            [
                "3:1: unknown action `rum` in [keys]; did you mean `run`?",
                "4:7: `^T` is already `show_incident` (Detail); give that action another key first",
                "5:13: `x` is text where `show_help` acts (Detail): use a key with Ctrl or Alt, or an F-key",
                "6:8: `hyper-q` is not a key: write one such as \"ctrl-x\", \"alt-j\", \"F5\", \"enter\", \"shift-tab\" or \"pagedown\"",
                "7:1: `back` is given no key: the action could not be reached",
                "9:17: `^U` edits the text where `show_problems` acts (Main): choose another key",
            ]
        );
        assert_eq!(press(&table, Context::Detail, KeyCode::Char('r'), CTRL), Some(Action::Run), "kept its key");
        assert_eq!(press(&table, Context::Detail, KeyCode::Char('g'), CTRL), Some(Action::Recheck));
        assert_eq!(press(&table, Context::Main, KeyCode::Esc, NONE), Some(Action::Back));
    }

    #[test]
    fn letters_may_move_where_they_are_not_text() {
        let (table, problems) = with("add_note = \"o\"\nquit = \"ctrl-q\"\n");
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(press(&table, Context::Incident, KeyCode::Char('o'), NONE), Some(Action::AddNote));
        assert_eq!(press(&table, Context::Incident, KeyCode::Char('n'), NONE), None);
        assert_eq!(press(&table, Context::Overlay, KeyCode::Char('q'), CTRL), Some(Action::Quit));
        assert_ne!(
            press(&table, Context::Detail, KeyCode::Char('c'), CTRL),
            Some(Action::Quit),
            "Ctrl-C left with quit's keys"
        );
        // Quitting acts where letters are text too: a letter is refused.
        let (_, problems) = with("quit = \"Q\"\n");
        assert_eq!(problems, ["3:8: `Q` is text where `quit` acts (Main): use a key with Ctrl or Alt, or an F-key"]);
    }
}
