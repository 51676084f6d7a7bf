//! Keys to actions, as data: a table of bindings per context, resolved by a
//! pure function. On the main screen every key that is not bound edits the
//! search line, so typing always filters.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

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
}

/// One key binding.
struct Binding {
    contexts: &'static [Context],
    code: KeyCode,
    modifiers: KeyModifiers,
    action: Action,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

const fn bind(contexts: &'static [Context], code: KeyCode, modifiers: KeyModifiers, action: Action) -> Binding {
    Binding { contexts, code, modifiers, action }
}

use Context::{Confirm, Detail, Form, Main, Output, Overlay};

/// Every context.
const ANY: &[Context] = &[Main, Detail, Overlay, Form, Confirm, Output];
/// Contexts where keys move and scroll rather than type.
const NAVIGATE: &[Context] = &[Main, Detail, Overlay, Output];
/// Contexts with a text field.
const TYPING: &[Context] = &[Form, Confirm];
const MAIN: &[Context] = &[Main];
const DETAIL: &[Context] = &[Detail];
const OVERLAY: &[Context] = &[Overlay];
const FORM: &[Context] = &[Form];
const OUTPUT: &[Context] = &[Output];

/// The default bindings; the first that matches wins.
const BINDINGS: &[Binding] = &[
    // In the output pane Ctrl-C stops the command, as in a shell.
    bind(OUTPUT, KeyCode::Char('c'), CTRL, Action::Interrupt),
    bind(OUTPUT, KeyCode::Char('k'), NONE, Action::Interrupt),
    bind(OUTPUT, KeyCode::Char('q'), NONE, Action::Back),
    bind(ANY, KeyCode::Char('c'), CTRL, Action::Quit),
    bind(ANY, KeyCode::Char('z'), CTRL, Action::Suspend),
    bind(ANY, KeyCode::Esc, NONE, Action::Back),
    bind(NAVIGATE, KeyCode::F(1), NONE, Action::ShowHelp),
    bind(NAVIGATE, KeyCode::F(2), NONE, Action::ShowProblems),
    bind(ANY, KeyCode::Up, NONE, Action::Move(-1)),
    bind(ANY, KeyCode::Down, NONE, Action::Move(1)),
    bind(NAVIGATE, KeyCode::PageUp, NONE, Action::Page(-1)),
    bind(NAVIGATE, KeyCode::PageDown, NONE, Action::Page(1)),
    bind(NAVIGATE, KeyCode::Home, NONE, Action::Home),
    bind(NAVIGATE, KeyCode::End, NONE, Action::End),
    bind(TYPING, KeyCode::Enter, NONE, Action::Submit),
    bind(FORM, KeyCode::Tab, NONE, Action::NextField),
    bind(FORM, KeyCode::BackTab, SHIFT, Action::PrevField),
    bind(FORM, KeyCode::BackTab, NONE, Action::PrevField),
    bind(MAIN, KeyCode::Char('p'), CTRL, Action::Move(-1)),
    bind(MAIN, KeyCode::Char('n'), CTRL, Action::Move(1)),
    bind(MAIN, KeyCode::Enter, NONE, Action::Open),
    bind(DETAIL, KeyCode::Char('k'), NONE, Action::Move(-1)),
    bind(DETAIL, KeyCode::Char('j'), NONE, Action::Move(1)),
    bind(DETAIL, KeyCode::Char('p'), CTRL, Action::Move(-1)),
    bind(DETAIL, KeyCode::Char('n'), CTRL, Action::Move(1)),
    bind(DETAIL, KeyCode::Char(' '), NONE, Action::Page(1)),
    bind(DETAIL, KeyCode::Enter, NONE, Action::Follow),
    bind(DETAIL, KeyCode::Backspace, NONE, Action::HistoryBack),
    bind(DETAIL, KeyCode::Left, NONE, Action::HistoryBack),
    bind(DETAIL, KeyCode::Char('?'), NONE, Action::ShowHelp),
    bind(DETAIL, KeyCode::Char('/'), NONE, Action::FocusSearch),
    bind(DETAIL, KeyCode::Char('y'), NONE, Action::Copy),
    bind(DETAIL, KeyCode::Char('r'), NONE, Action::Run),
    bind(DETAIL, KeyCode::Char('o'), NONE, Action::ShowOutput),
    bind(OVERLAY, KeyCode::Char('?'), NONE, Action::Back),
    bind(OVERLAY, KeyCode::Char('q'), NONE, Action::Back),
    bind(OVERLAY, KeyCode::Enter, NONE, Action::Back),
    bind(OVERLAY, KeyCode::Char('k'), NONE, Action::Move(-1)),
    bind(OVERLAY, KeyCode::Char('j'), NONE, Action::Move(1)),
];

/// The action a key means in a context, if any. Key releases (reported by
/// some terminals) mean nothing.
#[must_use]
pub fn resolve(context: Context, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    // Shift is part of the character for printable keys (`?`, `A`).
    let modifiers = match key.code {
        KeyCode::Char(_) => key.modifiers - KeyModifiers::SHIFT,
        _ => key.modifiers,
    };
    let bound = BINDINGS
        .iter()
        .find(|b| b.contexts.contains(&context) && b.code == key.code && b.modifiers == modifiers)
        .map(|b| b.action.clone());
    if bound.is_some() {
        return bound;
    }
    match (context, key.code) {
        (Context::Main | Context::Form | Context::Confirm, _) => Some(Action::Edit(key.into())),
        (Context::Detail, KeyCode::Char(c)) if modifiers.is_empty() => Some(Action::Type(c)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn typing_on_the_main_screen_edits_the_search() {
        let typed = resolve(Context::Main, key(KeyCode::Char('j'), NONE));
        assert!(matches!(typed, Some(Action::Edit(_))), "{typed:?}");
        assert!(matches!(resolve(Context::Main, key(KeyCode::Char('?'), KeyModifiers::SHIFT)), Some(Action::Edit(_))));
        assert!(matches!(resolve(Context::Main, key(KeyCode::Backspace, NONE)), Some(Action::Edit(_))));
    }

    #[test]
    fn movement_keys_work_everywhere_they_should() {
        assert_eq!(resolve(Context::Main, key(KeyCode::Down, NONE)), Some(Action::Move(1)));
        assert_eq!(resolve(Context::Main, key(KeyCode::Char('p'), CTRL)), Some(Action::Move(-1)));
        assert_eq!(resolve(Context::Detail, key(KeyCode::Char('j'), NONE)), Some(Action::Move(1)));
        assert_eq!(resolve(Context::Detail, key(KeyCode::PageDown, NONE)), Some(Action::Page(1)));
    }

    #[test]
    fn enter_opens_then_follows_and_backspace_goes_back() {
        assert_eq!(resolve(Context::Main, key(KeyCode::Enter, NONE)), Some(Action::Open));
        assert_eq!(resolve(Context::Detail, key(KeyCode::Enter, NONE)), Some(Action::Follow));
        assert_eq!(resolve(Context::Detail, key(KeyCode::Backspace, NONE)), Some(Action::HistoryBack));
    }

    #[test]
    fn help_is_f1_everywhere_and_question_mark_outside_the_search_line() {
        assert_eq!(resolve(Context::Main, key(KeyCode::F(1), NONE)), Some(Action::ShowHelp));
        assert_eq!(resolve(Context::Detail, key(KeyCode::Char('?'), KeyModifiers::SHIFT)), Some(Action::ShowHelp));
        assert_eq!(resolve(Context::Overlay, key(KeyCode::Char('?'), NONE)), Some(Action::Back));
    }

    #[test]
    fn fields_take_letters_and_enter_submits() {
        for context in [Context::Form, Context::Confirm] {
            assert!(matches!(resolve(context, key(KeyCode::Char('q'), NONE)), Some(Action::Edit(_))));
            assert!(matches!(resolve(context, key(KeyCode::Home, NONE)), Some(Action::Edit(_))));
            assert_eq!(resolve(context, key(KeyCode::Enter, NONE)), Some(Action::Submit));
            assert_eq!(resolve(context, key(KeyCode::Esc, NONE)), Some(Action::Back));
        }
        assert_eq!(resolve(Context::Form, key(KeyCode::Tab, NONE)), Some(Action::NextField));
        assert_eq!(resolve(Context::Form, key(KeyCode::BackTab, SHIFT)), Some(Action::PrevField));
    }

    #[test]
    fn ctrl_c_in_the_output_pane_stops_the_command_not_the_program() {
        assert_eq!(resolve(Context::Output, key(KeyCode::Char('c'), CTRL)), Some(Action::Interrupt));
        assert_eq!(resolve(Context::Output, key(KeyCode::Char('k'), NONE)), Some(Action::Interrupt));
        assert_eq!(resolve(Context::Detail, key(KeyCode::Char('y'), NONE)), Some(Action::Copy));
        assert_eq!(resolve(Context::Detail, key(KeyCode::Char('r'), NONE)), Some(Action::Run));
    }

    #[test]
    fn other_letters_in_the_detail_start_a_search() {
        assert_eq!(resolve(Context::Detail, key(KeyCode::Char('x'), NONE)), Some(Action::Type('x')));
        assert_eq!(resolve(Context::Overlay, key(KeyCode::Char('x'), NONE)), None);
    }

    #[test]
    fn ctrl_c_quits_from_anywhere_and_releases_are_ignored() {
        for context in [Context::Main, Context::Detail, Context::Overlay, Context::Form, Context::Confirm] {
            assert_eq!(resolve(context, key(KeyCode::Char('c'), CTRL)), Some(Action::Quit));
        }
        let mut release = key(KeyCode::Char('a'), NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(resolve(Context::Main, release), None);
    }
}
