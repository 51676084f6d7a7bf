//! The navigator rendered into ratatui's `TestBackend`: snapshots of each
//! screen (reviewed like code), and every size from nothing to large
//! rendering without a panic.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerbook::catalog::{Source, load};
use pagerbook::highlight::{self, Depth};
use pagerbook::search::{Index, Query};
use pagerbook::tui::action::{Action, Effect, Searched};
use pagerbook::tui::keymap::resolve;
use pagerbook::tui::state::{AppState, Detail, Focus, Overlay, Page};
use pagerbook::tui::theme::Theme;
use pagerbook::tui::update::update;
use pagerbook::tui::view;
use std::time::{Duration, SystemTime};

use pagerbook::clipboard::{self, Copied};
use pagerbook::runner::{Outcome, Output, Stream};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Color;

struct App {
    state: AppState,
    index: Index,
}

impl App {
    fn new(sources: &[Source], width: u16, height: u16) -> App {
        let loaded = load(sources);
        let index = Index::new(Arc::new(loaded.catalog));
        let results = index.search(&Query::default());
        let theme = Theme { light: false, depth: Some(Depth::TrueColor) };
        let state =
            AppState::new(index.catalog().clone(), loaded.diagnostics, results, theme, Rect::new(0, 0, width, height));
        App { state, index }
    }

    fn embedded(width: u16, height: u16) -> App {
        App::new(&[Source::Embedded], width, height)
    }

    /// Applies an action and carries out its searches at once, as the worker would.
    fn apply(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = update(&mut self.state, action);
        while let Some(i) = effects.iter().position(|e| matches!(e, Effect::Search { .. })) {
            let Effect::Search { generation, text } = effects.remove(i) else { unreachable!() };
            let query = Query::parse(&text);
            let results = self.index.search(&query);
            effects
                .extend(update(&mut self.state, Action::Searched(Box::new(Searched { generation, query, results }))));
        }
        effects
    }

    fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        self.key_with(code, KeyModifiers::NONE)
    }

    fn key_with(&mut self, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
        match resolve(self.state.context(), KeyEvent::new(code, modifiers)) {
            Some(action) => self.apply(action),
            None => Vec::new(),
        }
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn render(&self) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(self.state.size.width, self.state.size.height)).unwrap();
        terminal.draw(|frame| view::render(&self.state, frame)).unwrap();
        terminal
    }

    fn screen(&self) -> String {
        self.render().backend().to_string()
    }

    /// The screen as plain text, one line per row (`screen` quotes rows).
    fn text(&self) -> String {
        let terminal = self.render();
        let buffer = terminal.backend().buffer();
        let area = buffer.area;
        (0..area.height)
            .map(|y| (0..area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn drill(width: u16, height: u16) -> App {
        App::new(&[Source::Path("tests/fixtures/drill".into())], width, height)
    }

    /// Opens entry `id` with step `step` selected and in view, as ↓ would.
    fn select_step(&mut self, id: &str, step: usize) {
        let entry = self.state.catalog.position(id).unwrap();
        self.state.detail = Some(Detail { page: Page { entry, item: None, scroll: 0 }, history: Vec::new() });
        self.state.focus = Focus::Detail;
        let width = self.state.screen().detail.unwrap().width;
        let line = view::detail::document(&self.state, entry, width, None).items[step].line;
        self.state.detail.as_mut().unwrap().page = Page { entry, item: Some(step), scroll: line };
    }

    fn ctrl(&mut self, c: char) -> Vec<Effect> {
        self.key_with(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn overlay(&self) -> Option<&Overlay> {
        self.state.overlays.last()
    }

    /// The value in the focused field of the form.
    fn field_value(&self) -> String {
        let Some(Overlay::Form(form)) = self.overlay() else { panic!("no form: {:?}", self.overlay()) };
        form.fields[form.focused].value()
    }
}

/// The run a list of effects starts.
fn started_run(effects: &[Effect]) -> Option<(u64, String)> {
    effects.iter().find_map(|e| match e {
        Effect::Run { id, command, .. } => Some((*id, command.clone())),
        _ => None,
    })
}

#[test]
fn empty_query_lists_layers_edge_inward() {
    let app = App::embedded(120, 30);
    insta::assert_snapshot!("empty_query", app.screen());
}

#[test]
fn a_query_ranks_and_previews_the_best_match() {
    let mut app = App::embedded(120, 30);
    app.type_text("no such host");
    insta::assert_snapshot!("query_results", app.screen());
}

#[test]
fn a_query_without_results_says_so() {
    let mut app = App::embedded(120, 20);
    app.type_text("zzqxv");
    insta::assert_snapshot!("no_results", app.screen());
}

#[test]
fn detail_shows_steps_with_highlighted_commands() {
    highlight::load_now();
    let mut app = App::embedded(120, 40);
    app.type_text("tls certificate expired");
    app.key(KeyCode::Enter);
    assert_eq!(app.state.focus, Focus::Detail);
    // ↓ scrolls through the text until the steps come into view, then selects them.
    for _ in 0..14 {
        app.key(KeyCode::Down);
    }
    assert!(app.state.detail.as_ref().unwrap().page.item.is_some(), "a step is selected");
    let terminal = app.render();
    insta::assert_snapshot!("detail", terminal.backend());
    // The command after the `$ ` prompt is coloured by syntect.
    let buffer = terminal.backend().buffer();
    let prompt = (0..buffer.area.height)
        .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .find(|&(x, y)| buffer[(x, y)].symbol() == "$" && buffer[(x + 1, y)].symbol() == " ")
        .unwrap();
    let command_colour = buffer[(prompt.0 + 2, prompt.1)].fg;
    assert!(matches!(command_colour, Color::Rgb(..)), "{command_colour:?}");
}

#[test]
fn help_lists_keys_and_query_syntax() {
    let mut app = App::embedded(100, 34);
    app.key(KeyCode::F(1));
    insta::assert_snapshot!("help", app.screen());
}

#[test]
fn narrow_terminals_show_one_pane_at_a_time() {
    let mut app = App::embedded(80, 24);
    app.type_text("disk full");
    insta::assert_snapshot!("narrow_results", app.screen());
    app.key(KeyCode::Enter);
    insta::assert_snapshot!("narrow_detail", app.screen());
}

#[test]
fn a_tiny_terminal_shows_a_notice() {
    let app = App::embedded(20, 6);
    insta::assert_snapshot!("tiny", app.screen());
}

#[test]
fn catalog_problems_are_noted_and_listed() {
    let broken = Source::Path("tests/fixtures/broken".into());
    let mut app = App::new(&[Source::Embedded, broken], 100, 24);
    let screen = app.screen();
    let status = screen.lines().last().unwrap();
    assert!(status.contains("7 catalog problems · F2"), "{status}");
    app.key(KeyCode::F(2));
    insta::assert_snapshot!("problems", app.screen());
}

#[test]
fn running_a_step_goes_through_the_form_and_the_confirmation() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 0);
    assert!(app.key(KeyCode::Char('r')).is_empty());
    assert_eq!(app.field_value(), "world", "the declared default");
    insta::assert_snapshot!("form", app.screen());
    // A value full of shell syntax stays one literal argument.
    app.ctrl('u');
    app.type_text("it's $(id)");
    let quoted = pagerbook::template::render("echo hello {{v}}", |_| Some("it's $(id)")).unwrap();
    assert!(app.text().contains(&format!("$ {quoted}")), "the preview shows what runs:\n{}", app.text());
    assert!(app.key(KeyCode::Enter).is_empty());
    assert!(matches!(app.overlay(), Some(Overlay::Confirm(_))), "{:?}", app.overlay());
    insta::assert_snapshot!("confirm", app.screen());
    let effects = app.key(KeyCode::Enter);
    let (id, command) = started_run(&effects).unwrap();
    assert_eq!(command, quoted);
    assert!(effects.contains(&Effect::SaveValues));
    let remembered = app.state.remembered.get("drill-echo", "greeting", SystemTime::now());
    assert_eq!(remembered.map(|kept| kept.value.as_str()), Some("it's $(id)"));
    assert!(matches!(app.overlay(), Some(Overlay::Output { scroll: None, .. })));
    // Output arrives, then the end; the elapsed time is the clock's.
    let mut output = Output::default();
    output.push(Stream::Stdout, "hello it's $(id)".into());
    output.push(Stream::Stderr, "a warning".into());
    app.apply(Action::RunOutput(id, output));
    app.state.now += Duration::from_millis(1500);
    app.apply(Action::RunExited(id, Outcome { code: Some(0), signal: None }));
    insta::assert_snapshot!("output", app.screen());
    // Esc hides the pane; the step says how it went and `o` shows it again.
    app.key(KeyCode::Esc);
    assert!(app.text().contains("✓ exit 0 after 1.5s · o output"), "{}", app.text());
    app.key(KeyCode::Char('o'));
    assert!(matches!(app.overlay(), Some(Overlay::Output { .. })));
}

#[test]
fn the_last_value_used_is_offered_next_time() {
    let mut app = App::drill(100, 30);
    let now = SystemTime::now();
    app.state.remembered.set("drill-echo", "greeting", "team".into(), now);
    app.state.remembered.set("drill-echo", "colour", "pink".into(), now);
    // Another entry's value of the same name is not this one's.
    app.state.remembered.set("another-entry", "greeting", "elsewhere".into(), now);
    app.select_step("drill-echo", 0);
    app.key(KeyCode::Char('y'));
    assert_eq!(app.field_value(), "team");
    app.key(KeyCode::Esc);
    app.select_step("drill-echo", 5);
    app.key(KeyCode::Char('y'));
    assert_eq!(app.field_value(), "red", "a remembered value that is not a choice gives way to the default");
}

#[test]
fn refused_values_keep_the_form_open_and_say_why() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 4);
    app.key(KeyCode::Char('r'));
    app.ctrl('u');
    app.type_text("Not/Ok");
    assert!(app.key(KeyCode::Enter).is_empty());
    assert!(matches!(app.overlay(), Some(Overlay::Form(_))));
    let screen = app.text();
    assert!(screen.contains("✗ does not match the declared pattern ^[a-z]+$"), "{screen}");
    assert!(screen.contains("the value of {{target}} is refused"), "{screen}");
    app.ctrl('u');
    app.apply(Action::Paste("ok\u{1b}[2J".into()));
    assert!(app.text().contains("✗ control character U+001B is not allowed"), "{}", app.text());
    app.ctrl('u');
    assert!(app.text().contains("✗ a value is required"), "{}", app.text());
    app.key(KeyCode::Esc);
    app.select_step("drill-echo", 0);
    app.key(KeyCode::Char('r'));
    app.ctrl('u');
    app.type_text("-rf");
    assert!(app.text().contains("⚠ starts with `-`"), "{}", app.text());
}

#[test]
fn destructive_commands_run_only_after_the_target_is_typed() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 4);
    app.key(KeyCode::Char('r'));
    app.key(KeyCode::Enter);
    let Some(Overlay::Confirm(confirm)) = app.overlay() else { panic!("{:?}", app.overlay()) };
    assert_eq!(confirm.needs.as_ref().unwrap().word, "scratch");
    insta::assert_snapshot!("confirm_destructive", app.screen());
    assert!(started_run(&app.key(KeyCode::Enter)).is_none(), "Enter alone does not run it");
    assert!(app.text().contains("type scratch to confirm"), "{}", app.text());
    app.type_text("scratc");
    assert!(started_run(&app.key(KeyCode::Enter)).is_none(), "nor does part of the word");
    app.type_text("h");
    let (_, command) = started_run(&app.key(KeyCode::Enter)).unwrap();
    assert_eq!(command, "rm -rf /tmp/pagerbook-drill-scratch");
}

#[test]
fn read_only_refuses_to_run_but_still_copies() {
    let mut app = App::drill(100, 30);
    app.state.read_only = true;
    app.select_step("drill-echo", 1);
    assert!(app.key(KeyCode::Char('r')).is_empty());
    assert!(app.overlay().is_none());
    assert!(app.text().contains("read-only: running is off"), "{}", app.text());
    let effects = app.key(KeyCode::Char('y'));
    assert_eq!(
        effects,
        [Effect::Copy("printf 'to stdout\\n'; printf 'to stderr\\n' >&2; exit 3".into()), Effect::SaveValues]
    );
}

#[test]
fn choices_are_offered_with_the_arrows_and_tab_moves_between_fields() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 5);
    app.key(KeyCode::Char('y'));
    assert!(app.text().contains("choices: red · green · blue (↑↓)"), "{}", app.text());
    app.key(KeyCode::Down);
    assert_eq!(app.field_value(), "green");
    app.key(KeyCode::Up);
    app.key(KeyCode::Up);
    assert_eq!(app.field_value(), "blue", "wraps around");
    app.ctrl('u');
    app.type_text("pink");
    assert!(app.text().contains("✗ must be one of: red, green, blue"), "{}", app.text());
    // Tab with one field stays on it; Ctrl-C still quits from a form.
    app.key(KeyCode::Tab);
    assert_eq!(app.field_value(), "pink");
    assert_eq!(app.ctrl('c'), [Effect::Quit]);
}

#[test]
fn in_the_output_pane_ctrl_c_and_k_stop_the_command() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 2);
    app.key(KeyCode::Char('r'));
    let (id, _) = started_run(&app.key(KeyCode::Enter)).unwrap();
    assert_eq!(app.ctrl('c'), [Effect::Interrupt(id)]);
    assert!(app.text().contains("■ stopping…"), "{}", app.text());
    assert_eq!(app.key(KeyCode::Char('k')), [Effect::Interrupt(id)]);
    app.apply(Action::RunExited(id, Outcome { code: None, signal: Some(2) }));
    assert!(app.text().contains("✗ stopped by SIGINT"), "{}", app.text());
    assert!(app.key(KeyCode::Char('k')).is_empty(), "nothing left to stop");
    // While a step runs, `r` on it shows its output rather than a second run.
    app.key(KeyCode::Esc);
    app.key(KeyCode::Char('r'));
    let (second, _) = started_run(&app.key(KeyCode::Enter)).unwrap();
    app.key(KeyCode::Esc);
    assert!(app.key(KeyCode::Char('r')).is_empty());
    assert!(matches!(app.overlay(), Some(Overlay::Output { .. })));
    assert_ne!(second, id);
}

#[test]
fn a_copy_nothing_confirmed_shows_the_command_alone() {
    let mut app = App::drill(80, 12);
    let copied = Copied { by: vec![clipboard::Method::Osc52], failed: Vec::new() };
    let effects = app.apply(Action::Copied(copied, "echo hello world".into()));
    assert_eq!(effects, [Effect::MouseCapture(false)]);
    let screen = app.text();
    assert!(screen.starts_with("echo hello world  "), "{screen}");
    assert_eq!(app.key(KeyCode::Esc), [Effect::MouseCapture(true)]);
    // Over SSH, OSC 52 is the way: the status line says so and that is all.
    app.state.over_ssh = true;
    let copied = Copied { by: vec![clipboard::Method::Osc52], failed: Vec::new() };
    assert!(app.apply(Action::Copied(copied, "ls".into())).is_empty());
    assert!(app.text().contains("copied to the terminal (OSC 52)"), "{}", app.text());
}

#[test]
fn every_size_renders_without_panic() {
    let mut states = vec![App::embedded(1, 1)];
    for (step, keys) in [(0, vec![]), (4, vec![KeyCode::Enter]), (2, vec![KeyCode::Enter])] {
        let mut acting = App::drill(100, 30);
        acting.select_step("drill-echo", step);
        acting.key(KeyCode::Char('r'));
        for key in keys {
            acting.key(key);
        }
        states.push(acting);
    }
    let mut detail = App::embedded(1, 1);
    detail.type_text("redis");
    detail.key(KeyCode::Enter);
    states.push(detail);
    let mut help = App::embedded(1, 1);
    help.key(KeyCode::F(1));
    states.push(help);
    for app in &mut states {
        for width in (0..=200).step_by(11) {
            for height in (0..=60).step_by(4) {
                app.apply(Action::Resize { width, height });
                app.render();
                app.key(KeyCode::Down);
                app.key(KeyCode::PageDown);
                app.render();
            }
        }
    }
}
