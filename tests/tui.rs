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
use pagerbook::tui::keymap::{Context, resolve};
use pagerbook::tui::state::{AppState, Focus};
use pagerbook::tui::theme::Theme;
use pagerbook::tui::update::update;
use pagerbook::tui::view;
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
        let context = if !self.state.overlays.is_empty() {
            Context::Overlay
        } else if self.state.focus == Focus::Detail {
            Context::Detail
        } else {
            Context::Main
        };
        match resolve(context, KeyEvent::new(code, KeyModifiers::NONE)) {
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
fn every_size_renders_without_panic() {
    let mut states = vec![App::embedded(1, 1)];
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
