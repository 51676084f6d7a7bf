//! The navigator's own work per key, as the loop does it: the key through
//! the binding table and `update`, then a frame drawn into ratatui's
//! `TestBackend` (everything but the terminal's own I/O). A search the key
//! starts is answered at once, as the worker would, and its frame counted
//! with the key's: what the engineer waits for. Over generated catalogs of
//! 10 000 and 100 000 failure modes with three `related` links each
//! (`NAVIGATOR_MILLION=1` adds 1 000 000), in a 120×40 terminal.
//!
//! `cargo bench --bench navigator`

mod synthetic;
mod timing;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerbook::catalog::{Source, load};
use pagerbook::highlight::Depth;
use pagerbook::search::{Index, Query};
use pagerbook::tui::action::{Action, Effect, Searched};
use pagerbook::tui::keymap::resolve;
use pagerbook::tui::state::AppState;
use pagerbook::tui::theme::Theme;
use pagerbook::tui::update::update;
use pagerbook::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

const TYPED: &str = "redis connection refused";
const ROUNDS: usize = 5;

struct Navigator {
    state: AppState,
    index: Index,
    terminal: Terminal<TestBackend>,
}

impl Navigator {
    fn new(index: Index) -> Navigator {
        let (width, height) = (120, 40);
        let results = index.search(&Query::default());
        let theme = Theme { light: false, depth: Some(Depth::TrueColor) };
        let state = AppState::new(index.catalog().clone(), Vec::new(), results, theme, Rect::new(0, 0, width, height));
        let terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
        let mut navigator = Navigator { state, index, terminal };
        navigator.draw();
        navigator
    }

    fn draw(&mut self) {
        self.terminal.draw(|frame| view::render(&self.state, frame)).expect("draw");
        self.state.drawn();
    }

    /// One key, its frame, and the frame of the search it starts, if any.
    fn press(&mut self, code: KeyCode, modifiers: KeyModifiers) -> Duration {
        let started = Instant::now();
        let Some(action) = resolve(self.state.context(), KeyEvent::new(code, modifiers)) else {
            return started.elapsed();
        };
        let mut effects = update(&mut self.state, action);
        self.draw();
        while let Some(i) = effects.iter().position(|e| matches!(e, Effect::Search { .. })) {
            let Effect::Search { generation, text } = effects.remove(i) else { unreachable!() };
            let query = Query::parse(&text);
            let results = self.index.search(&query);
            effects
                .extend(update(&mut self.state, Action::Searched(Box::new(Searched { generation, query, results }))));
            self.draw();
        }
        started.elapsed()
    }

    fn key(&mut self, code: KeyCode) -> Duration {
        self.press(code, KeyModifiers::NONE)
    }
}

fn main() {
    let mut sizes = vec![10_000, 100_000];
    if std::env::var_os("NAVIGATOR_MILLION").is_some() {
        sizes.push(1_000_000);
    }
    for size in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        synthetic::write_catalog(dir.path(), size, true).expect("write");
        let loaded = load(&[Source::Path(dir.path().to_path_buf())]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics.first());
        let mut navigator = Navigator::new(Index::new(Arc::new(loaded.catalog)));

        let mut typing = Vec::new();
        for _ in 0..ROUNDS {
            for c in TYPED.chars() {
                typing.push(navigator.key(KeyCode::Char(c)));
            }
            navigator.press(KeyCode::Char('u'), KeyModifiers::CONTROL);
        }
        timing::report(&format!("{size}: typing, with the search's frame"), typing);

        let list: Vec<Duration> = (0..200).map(|_| navigator.key(KeyCode::Down)).collect();
        timing::report(&format!("{size}: ↓ in the full list"), list);

        let mut opening = Vec::new();
        let mut detail = Vec::new();
        for _ in 0..ROUNDS * 4 {
            navigator.key(KeyCode::Down);
            opening.push(navigator.key(KeyCode::Enter));
            detail.extend((0..10).map(|_| navigator.key(KeyCode::Down)));
            navigator.key(KeyCode::Esc);
        }
        timing::report(&format!("{size}: opening an entry with links"), opening);
        timing::report(&format!("{size}: ↓ in the detail"), detail);
    }
}
