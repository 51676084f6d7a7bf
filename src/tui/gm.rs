//! The game master's view of a walkthrough drill (`pagerbook drill gm`):
//! the scenario with its answer and notes, the clock, what the responder
//! did, and one key per reveal, inject and hint to release into the
//! drill's journal, where the responder's navigator reads it within a
//! second. Without a drill under way it starts on the wheel, to choose one.
//!
//! Its own small loop: it reads the journal four times a second, which the
//! navigator's channel of threads would only complicate.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use crossterm::event::{self, Event as TerminalEvent, KeyCode, KeyEventKind, KeyModifiers};

use super::theme::Theme;
use super::{Unavailable, terminal};
use crate::catalog::{Catalog, Drill};
use crate::drill::wheel::Slot;
use crate::drill::{self, Progress};
use crate::journal::incidents::{Incident, Incidents};
use crate::journal::record::{Event, Milestone, Release};

/// How the view starts.
pub enum Begin<'c> {
    /// On a drill under way (just started, or joined).
    Playing(Box<Incident>, &'c Drill),
    /// On the wheel, to choose a scenario.
    Picking(Vec<Slot<'c>>),
}

/// What the view shows.
#[allow(clippy::large_enum_variant, reason = "one value, for the view's whole life")]
pub enum Phase<'c> {
    Picking { slots: Vec<Slot<'c>>, selected: usize },
    Playing { journal: Box<Incident>, drill: &'c Drill, progress: Progress },
}

/// The view's state.
pub struct GameMaster<'c> {
    pub phase: Phase<'c>,
    /// First line of the scenario shown.
    pub scroll: usize,
    /// A message for the last line, until the next key.
    pub flash: Option<String>,
    /// `x` was pressed: end the drill?
    pub asking_end: bool,
    pub theme: Theme,
    /// The wall clock, as of this frame.
    pub wall: SystemTime,
    /// How far the page can scroll, as the last frame laid it out.
    pub last_scroll: std::cell::Cell<usize>,
}

/// What a key does in the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Release this reveal or inject (its number among its sort).
    Release(Release, u32),
    /// Release the next inject not released yet.
    Inject,
    /// Release the next rung of the hint ladder.
    Hint,
    Milestone(Milestone),
    /// Ask to end the drill for everyone.
    End,
    Answer(bool),
    /// Leave the view; the drill goes on.
    Leave,
    Scroll(i32),
    /// On the wheel: start the chosen scenario.
    Start,
    /// On the wheel: let chance choose, the scenarios first on it likelier.
    Spin,
}

/// The view's fixed keys, with what the hint line says of them: the one
/// table both the keys and the hints read. What is released by hand takes
/// [`RELEASE_KEYS`].
pub const BINDINGS: &[(char, Key, &str)] = &[
    ('i', Key::Inject, "inject"),
    ('h', Key::Hint, "hint"),
    ('d', Key::Milestone(Milestone::Diagnosed), "diagnosed"),
    ('m', Key::Milestone(Milestone::Mitigated), "mitigated"),
    ('r', Key::Milestone(Milestone::Resolved), "resolved"),
    ('x', Key::End, "end"),
    ('q', Key::Leave, "leave"),
];

/// The keys of what the game master releases by hand, in order.
pub const RELEASE_KEYS: &str = "123456789abcefgjklnopstuvwyz";

/// The key of the `index`th item released by hand (from 0).
#[must_use]
pub fn release_key(index: usize) -> Option<char> {
    RELEASE_KEYS.chars().nth(index)
}

impl<'c> GameMaster<'c> {
    /// The view at its top, on `phase`.
    #[must_use]
    pub fn new(phase: Phase<'c>, theme: Theme) -> GameMaster<'c> {
        GameMaster {
            phase,
            scroll: 0,
            flash: None,
            asking_end: false,
            theme,
            wall: SystemTime::now(),
            last_scroll: std::cell::Cell::new(0),
        }
    }

    /// What key `code` does now.
    #[must_use]
    pub fn key(&self, code: KeyCode, modifiers: KeyModifiers) -> Option<Key> {
        if self.asking_end {
            return Some(Key::Answer(matches!(code, KeyCode::Char('y' | 'Y'))));
        }
        match code {
            KeyCode::Char('c') if modifiers.contains(KeyModifiers::CONTROL) => Some(Key::Leave),
            KeyCode::Esc => Some(Key::Leave),
            KeyCode::Up => Some(Key::Scroll(-1)),
            KeyCode::Down => Some(Key::Scroll(1)),
            KeyCode::PageUp => Some(Key::Scroll(-10)),
            KeyCode::PageDown => Some(Key::Scroll(10)),
            KeyCode::Home => Some(Key::Scroll(i32::MIN)),
            KeyCode::End => Some(Key::Scroll(i32::MAX)),
            KeyCode::Enter if matches!(self.phase, Phase::Picking { .. }) => Some(Key::Start),
            KeyCode::Char(c) => {
                let fixed = BINDINGS.iter().find(|(key, ..)| *key == c).map(|(_, key, _)| *key);
                let Phase::Playing { drill, .. } = &self.phase else {
                    return match c {
                        's' => Some(Key::Spin),
                        _ => fixed.filter(|k| *k == Key::Leave),
                    };
                };
                fixed.or_else(|| {
                    let index = RELEASE_KEYS.chars().position(|key| key == c)?;
                    drill::by_hand(drill).nth(index).map(|(item, n, _)| Key::Release(item, n))
                })
            }
            _ => None,
        }
    }

    /// Applies a key; gives the record to append, if any.
    pub fn apply(&mut self, key: Key) -> Option<Event> {
        self.flash = None;
        match (&mut self.phase, key) {
            (_, Key::Scroll(n)) => {
                if let Phase::Picking { slots, selected } = &mut self.phase {
                    *selected = selected.saturating_add_signed(n as isize).min(slots.len().saturating_sub(1));
                } else {
                    self.scroll = self.scroll.saturating_add_signed(n as isize).min(self.last_scroll.get());
                }
                None
            }
            (Phase::Picking { slots, selected }, Key::Spin) => {
                *selected = crate::drill::wheel::spun(slots.len(), SystemTime::now());
                None
            }
            (_, Key::Answer(yes)) => {
                self.asking_end = false;
                yes.then_some(Event::Closed)
            }
            (Phase::Playing { .. }, Key::End) => {
                self.asking_end = true;
                None
            }
            (Phase::Playing { progress, .. }, Key::Milestone(milestone)) => {
                // The game master's word is the last: a diagnosis recorded
                // when the answer was opened may be set again.
                if progress.reached(milestone).is_some() {
                    self.flash = Some(format!("{} set again: the debrief counts this one", milestone.word()));
                }
                Some(Event::Milestone { milestone, at: None })
            }
            (Phase::Playing { drill, progress, .. }, Key::Release(..) | Key::Inject | Key::Hint) => {
                let (item, number) = match key {
                    Key::Release(item, n) => (item, Some(n)),
                    Key::Inject => (Release::Inject, progress.next_unreleased(Release::Inject, drill.injects.len())),
                    _ => (Release::Hint, progress.next_unreleased(Release::Hint, drill.hints.len())),
                };
                match number {
                    Some(n) if progress.is_released(item, n) => {
                        self.flash = Some(format!("that {} was already released", item.word()));
                        None
                    }
                    Some(n) => drill::release(drill, item, n),
                    None => {
                        self.flash = Some(format!("every {} is released", item.word()));
                        None
                    }
                }
            }
            _ => None,
        }
    }
}

/// Runs the view until the game master leaves; gives the drill journal's
/// id when the drill ended (here or elsewhere), for its debrief.
pub fn run(
    catalog: &Catalog,
    drills: &Incidents,
    begin: Begin<'_>,
    light: bool,
) -> Result<Option<String>, Unavailable> {
    super::terminal_at_hand()?;
    let phase = match begin {
        Begin::Playing(journal, drill) => Phase::Playing { progress: Progress::of(&journal.records), journal, drill },
        Begin::Picking(slots) => Phase::Picking { slots, selected: 0 },
    };
    let mut gm = GameMaster::new(phase, super::theme_for(light));
    let ended = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        let _ = signal_hook::flag::register(signal, ended.clone());
    }
    let mut terminal = terminal::init()?;
    let result = play(&mut terminal, &mut gm, catalog, drills, &ended);
    terminal::restore();
    Ok(result?)
}

fn play<'c>(
    terminal: &mut terminal::Tui,
    gm: &mut GameMaster<'c>,
    catalog: &'c Catalog,
    drills: &Incidents,
    signalled: &AtomicBool,
) -> std::io::Result<Option<String>> {
    let user = crate::journal::user();
    while !signalled.load(Ordering::Relaxed) {
        gm.wall = SystemTime::now();
        join_if_begun(gm, catalog, drills);
        let mut records = Vec::new();
        if let Phase::Playing { journal, drill, progress } = &mut gm.phase {
            match drills.reread_open(Some((**journal).clone())) {
                Ok(Some(read)) if read.id == journal.id => **journal = read,
                // Ended from another terminal (and maybe another begun).
                Ok(_) => return Ok(Some(journal.id.clone())),
                Err(err) => gm.flash = Some(err.to_string()),
            }
            *progress = Progress::of(&journal.records);
            let due = progress.due_injects(drill, progress.elapsed(gm.wall).unwrap_or_default());
            records.extend(due.into_iter().filter_map(|n| drill::release(drill, Release::Inject, n)));
        }
        for record in records {
            append(gm, drills, record, &user);
        }
        terminal.draw(|frame| super::view::gm::render(gm, catalog, frame))?;
        if !event::poll(Duration::from_millis(250))? {
            continue;
        }
        let TerminalEvent::Key(key) = event::read()? else { continue };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        let Some(action) = gm.key(key.code, key.modifiers) else { continue };
        match action {
            Key::Leave => return Ok(None),
            Key::Start => start(gm, drills, &user),
            action => {
                if let Some(record) = gm.apply(action) {
                    let closing = record == Event::Closed;
                    let written = append(gm, drills, record, &user);
                    if let (true, true, Phase::Playing { journal, .. }) = (closing, written, &gm.phase) {
                        return Ok(Some(journal.id.clone()));
                    }
                }
            }
        }
    }
    Ok(None)
}

/// Appends `record` to the drill's journal (`Closed` ends the drill);
/// whether it was written, else the last line says why.
fn append(gm: &mut GameMaster<'_>, drills: &Incidents, record: Event, user: &str) -> bool {
    let Phase::Playing { journal, .. } = &mut gm.phase else { return false };
    let done = if record == Event::Closed {
        drills.stop(user).map(|_| ())
    } else {
        drills.append_to_open(Some((**journal).clone()), record, user).map(|read| {
            if let Some(read) = read {
                **journal = read;
            }
        })
    };
    match done {
        Ok(()) => true,
        Err(err) => {
            gm.flash = Some(crate::drill::said(&err));
            false
        }
    }
}

/// On the wheel, a drill begun elsewhere (the responder's `drill run`) is
/// joined.
fn join_if_begun<'c>(gm: &mut GameMaster<'c>, catalog: &'c Catalog, drills: &Incidents) {
    if !matches!(gm.phase, Phase::Picking { .. }) || !matches!(drills.open_id(), Ok(Some(_))) {
        return;
    }
    if let Ok(Some(journal)) = drills.open_one()
        && let Some(drill) = journal.drill().and_then(|id| catalog.drill(id))
    {
        gm.phase = Phase::Playing { progress: Progress::of(&journal.records), journal: Box::new(journal), drill };
    }
}

/// Enter on the wheel: the chosen scenario's drill starts.
fn start(gm: &mut GameMaster<'_>, drills: &Incidents, user: &str) {
    let Phase::Picking { slots, selected } = &gm.phase else { return };
    let Some(slot) = slots.get(*selected) else { return };
    let drill = slot.drill;
    match drills.start_drill(&drill.title, &drill.id, user) {
        Ok(journal) => {
            gm.phase = Phase::Playing { progress: Progress::of(&journal.records), journal: Box::new(journal), drill };
        }
        Err(err) => gm.flash = Some(crate::drill::said(&err)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn there_is_a_key_for_everything_check_allows_to_release_by_hand() {
        assert_eq!(super::RELEASE_KEYS.chars().count(), crate::catalog::MOST_RELEASED_BY_HAND);
        let fixed: Vec<char> = super::BINDINGS.iter().map(|(key, ..)| *key).collect();
        assert!(super::RELEASE_KEYS.chars().all(|key| !fixed.contains(&key)), "a key bound twice");
    }
}
