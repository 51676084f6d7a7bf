//! The navigator driven as the loop would, over a fixture catalog: keys
//! resolved and applied, searches and look-ups answered at once, screens
//! rendered into a `TestBackend`.

use std::ffi::OsString;
use std::path::Path;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerbook::catalog::{Source, load};
use pagerbook::highlight::Depth;
use pagerbook::search::{Index, Query};
use pagerbook::tui::action::{Action, Effect, LookedUp, Searched};
use pagerbook::tui::keymap::resolve;
use pagerbook::tui::layout;
use pagerbook::tui::state::{AppState, Detail, Focus, Overlay, Page};
use pagerbook::tui::theme::Theme;
use pagerbook::tui::update::update;
use pagerbook::tui::view;
use pagerbook::whereabouts::whereabouts;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use super::FIXTURES;

pub struct App {
    pub state: AppState,
    pub index: Index,
    /// The environment look-ups see.
    pub environment: Environment,
}

/// An environment lookup, as `std::env::var_os`.
pub type Environment = Box<dyn Fn(&str) -> Option<OsString>>;

impl App {
    pub fn new(sources: &[Source], width: u16, height: u16) -> App {
        let loaded = load(sources);
        let index = Index::new(Arc::new(loaded.catalog));
        let results = index.search(&Query::default());
        let theme = Theme { light: false, depth: Some(Depth::TrueColor) };
        let state =
            AppState::new(index.catalog().clone(), loaded.diagnostics, results, theme, Rect::new(0, 0, width, height));
        let environment = Box::new(|name: &str| (name == "PATH").then(|| OsString::from("/usr/bin:/bin")));
        App { state, index, environment }
    }

    /// A fresh state over the same catalog and index (building the index is
    /// the slow part).
    pub fn reset(&mut self) {
        let state = &self.state;
        let results = self.index.search(&Query::default());
        self.state = AppState::new(state.catalog.clone(), Vec::new(), results, state.theme, state.size);
    }

    /// The navigator's fixture catalog (tests/fixtures/navigator): the
    /// embedded one is reworded as it is reviewed, and a test of the
    /// navigator must not break when it is. The path is relative, as the
    /// detail shows it.
    pub fn navigator(width: u16, height: u16) -> App {
        App::new(&[navigator_catalog()], width, height)
    }

    /// Applies an action and carries out its searches at once, as the worker would.
    /// Applies an action and carries out its searches and look-ups at once,
    /// as the worker and the loop would (look-ups in a fixed environment, so
    /// the screen does not depend on the machine).
    pub fn apply(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = update(&mut self.state, action);
        while let Some(i) = effects.iter().position(|e| matches!(e, Effect::Search { .. } | Effect::LookUp(_))) {
            let answer = match effects.remove(i) {
                Effect::Search { generation, text } => {
                    let query = Query::parse(&text);
                    let results = self.index.search(&query);
                    Action::Searched(Box::new(Searched { generation, query, results }))
                }
                Effect::LookUp(command) => {
                    let whereabouts = whereabouts(&command, &self.environment);
                    Action::LookedUp(Box::new(LookedUp { command, whereabouts }))
                }
                _ => unreachable!(),
            };
            effects.extend(update(&mut self.state, answer));
        }
        // The loop draws a frame after each batch of keys.
        self.state.drawn();
        effects
    }

    pub fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        self.key_with(code, KeyModifiers::NONE)
    }

    pub fn key_with(&mut self, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
        match resolve(self.state.context(), KeyEvent::new(code, modifiers)) {
            Some(action) => self.apply(action),
            None => Vec::new(),
        }
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn render(&self) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(self.state.size.width, self.state.size.height)).unwrap();
        terminal.draw(|frame| view::render(&self.state, frame)).unwrap();
        terminal
    }

    pub fn screen(&self) -> String {
        self.render().backend().to_string()
    }

    /// The screen as plain text, one line per row (`screen` quotes rows).
    pub fn text(&self) -> String {
        let terminal = self.render();
        let buffer = terminal.backend().buffer();
        let area = buffer.area;
        (0..area.height)
            .map(|y| (0..area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn drill(width: u16, height: u16) -> App {
        App::new(&[Source::Path(Path::new(FIXTURES).join("drill"))], width, height)
    }

    /// Opens entry `id` with step `step` selected and in view, as ↓ would.
    pub fn select_step(&mut self, id: &str, step: usize) {
        let entry = self.state.catalog.position(id).unwrap();
        self.state.detail = Some(Detail { page: Page { entry, item: None, scroll: 0 }, history: Vec::new() });
        self.state.focus = Focus::Detail;
        let width = self.state.screen().detail.unwrap().width;
        let line = layout::document::document(&self.state, entry, width, None).items[step].line;
        self.state.detail.as_mut().unwrap().page = Page { entry, item: Some(step), scroll: line };
    }

    pub fn ctrl(&mut self, c: char) -> Vec<Effect> {
        self.key_with(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    pub fn overlay(&self) -> Option<&Overlay> {
        self.state.overlays.last()
    }

    /// The value in the focused field of the form.
    pub fn field_value(&self) -> String {
        let Some(Overlay::Form(form)) = self.overlay() else { panic!("no form: {:?}", self.overlay()) };
        form.fields[form.focused].value()
    }
}

/// The fixture catalog the navigator's tests run over.
pub fn navigator_catalog() -> Source {
    Source::Path(Path::new(FIXTURES).join("navigator"))
}

/// The run a list of effects starts.
pub fn started_run(effects: &[Effect]) -> Option<(u64, String)> {
    effects.iter().find_map(|e| match e {
        Effect::Run { id, command, .. } => Some((*id, command.clone())),
        _ => None,
    })
}
