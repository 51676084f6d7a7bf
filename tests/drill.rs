//! Walkthrough drills: scenarios checked against the catalog at their
//! places, `drill new`'s draft, the embedded scenarios, the responder's
//! navigator (where nothing runs), the game master's keys and screen, the
//! debrief. The journal's writes are made as the loop makes them, into a
//! temporary directory.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use crossterm::event::{KeyCode, KeyModifiers};
use pagerbook::catalog::{Level, Source, load};
use pagerbook::drill::{Progress, report::report, wheel};
use pagerbook::journal::incidents::Incidents;
use pagerbook::journal::record::{Event, Milestone, Release};
use pagerbook::tui::action::{Action, Effect};
use pagerbook::tui::gm::{GameMaster, Key, Phase};
use pagerbook::tui::journaling::Journaling;
use pagerbook::tui::state::Overlay;
use pagerbook::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod util;
use util::app::App;
use util::{Dir, pagerbook, stdout};

/// Relative, as the other snapshot tests load theirs: the detail panel
/// shows an entry's file, and a snapshot must not depend on where the
/// repository was checked out.
fn walkthrough() -> Source {
    Source::Path(Path::new(util::FIXTURES).join("walkthrough"))
}

#[test]
fn check_reports_an_unknown_failure_step_or_reveal_target_at_its_place() {
    let dir = Dir::new();
    let file = dir.write(
        "drills.toml",
        "[[drill]]\nid = \"a\"\nfailure = \"coredns-dwn\"\ntitle = \"t\"\nbriefing = \"b\"\n\n\
         [[drill]]\nid = \"b\"\nfailure = \"coredns-down\"\ntitle = \"t\"\nbriefing = \"b\"\n\
         expected = [\"coredns-down:1\", \"coredns-down:99\"]\n\n\
         [[drill.reveals]]\non = \"step:no-such-entry:1\"\ntext = \"x\"\n\n\
         [[drill.reveals]]\non = \"verify:coredns-down:1\"\ntext = \"x\"\n\n\
         [[drill.reveals]]\non = \"step:coredns-down\"\ntext = \"x\"\n",
    );
    let out = pagerbook(dir.path(), &["check", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let path = file.display();
    for expected in [
        format!(
            "{path}:3:11: error: `failure` of drill `a` names `coredns-dwn`, which is not a known failure mode; did you mean `coredns-down`?"
        ),
        format!(
            "{path}:23:6: error: `on` of reveal 3 of drill `b` is `step:coredns-down`: a step is written `ENTRY:N`, N from 1"
        ),
    ] {
        assert!(text.contains(&expected), "{expected}\n---\n{text}");
    }
    // The parse error leaves drill `b` out before its references are
    // checked: without it, each unknown reference is reported.
    let fixed = std::fs::read_to_string(&file).unwrap().replace("on = \"step:coredns-down\"", "on = \"logs\"");
    std::fs::write(&file, fixed).unwrap();
    let text = stdout(&pagerbook(dir.path(), &["check", &file.display().to_string()]));
    for expected in [
        format!("{path}:12:31: error: drill `b` names step `coredns-down:99`, but `coredns-down` has 7 steps"),
        format!("{path}:15:6: error: drill `b` names step `no-such-entry:1`, but there is no entry `no-such-entry`"),
        format!("{path}:19:6: error: drill `b` names step `coredns-down:1`, but that step has no `verify`"),
    ] {
        assert!(text.contains(&expected), "{expected}\n---\n{text}");
    }
    assert!(text.ends_with("0 entries loaded, 4 errors and 0 warnings\n"), "{text}");
}

#[test]
fn drill_new_writes_a_draft_that_check_passes_and_never_overwrites() {
    let home = Dir::new();
    let out = pagerbook(home.path(), &["drill", "new", "coredns-down"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let written = home.path().join(".config/pagerbook/catalog/drills/coredns-down.toml");
    assert!(stdout(&out).starts_with(&format!("Wrote {}", written.display())), "{}", stdout(&out));
    let checked = pagerbook(home.path(), &["check", &written.display().to_string()]);
    assert_eq!(stdout(&checked), "checked 1 file: 0 entries and 1 drill loaded, no problems\n");
    // It loads from the user catalog: the wheel lists it.
    assert!(stdout(&pagerbook(home.path(), &["drill", "list"])).contains("coredns-down "));
    let again = pagerbook(home.path(), &["drill", "new", "coredns-down", "--out", &written.display().to_string()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    // A second draft of the same entry takes an id of its own.
    let second = stdout(&pagerbook(home.path(), &["drill", "new", "coredns-down", "--out", "-"]));
    assert!(second.contains("id = \"coredns-down-2\""), "{second}");
}

#[test]
fn the_embedded_drills_pass_check_and_cover_every_layer() {
    let home = Dir::new();
    let out = pagerbook(home.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let loaded = util::embedded();
    assert!(loaded.diagnostics.iter().all(|d| d.level != Level::Error), "{:?}", loaded.diagnostics);
    let drills = loaded.catalog.drills();
    assert!(drills.len() >= 8, "{} drills", drills.len());
    let layers: BTreeSet<&str> =
        drills.iter().filter_map(|d| loaded.catalog.get(&d.failure)).filter_map(|e| e.layer()).collect();
    let all: BTreeSet<&str> =
        loaded.catalog.layers.iter().map(|l| l.id.as_str()).filter(|id| *id != "unsorted").collect();
    assert_eq!(layers, all, "a drill for each layer");
    for drill in drills {
        assert!(!drill.title.contains(&drill.failure), "{}: the title gives the answer away", drill.id);
        assert!(!drill.reveals.is_empty() && !drill.hints.is_empty() && !drill.expected.is_empty(), "{}", drill.id);
    }
}

/// The responder's navigator on the walkthrough drill, its journal's
/// writes made as the loop makes them.
struct Responder {
    app: App,
    journaling: Journaling,
    drills: Incidents,
    _dir: tempfile::TempDir,
}

impl Responder {
    fn new() -> Responder {
        let mut app = App::new(&[walkthrough()], 100, 30);
        let dir = tempfile::tempdir().unwrap();
        let drills = Incidents::new(dir.path().join("drills"));
        let drill = app.state.catalog.drill("quiet-resolver").unwrap().clone();
        drills.start_drill(&drill.title, &drill.id, "gm").unwrap();
        pagerbook::tui::rehearsal::begin(&mut app.state, Arc::new(drill));
        let journaling = Journaling::new(Some(drills.clone()), "responder".into());
        let mut responder = Responder { app, journaling, drills, _dir: dir };
        responder.carry_out(vec![Effect::Incident(pagerbook::tui::action::IncidentChange::Refresh)]);
        responder
    }

    /// Carries out the journal's effects; gives back the others.
    fn carry_out(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut others = Vec::new();
        for effect in effects {
            let news = match effect {
                Effect::Journal(event) => self.journaling.record(*event),
                Effect::Incident(change) => self.journaling.change(change),
                other => {
                    others.push(other);
                    continue;
                }
            };
            let more = self.app.apply(Action::Incident(Box::new(news)));
            others.extend(self.carry_out(more));
        }
        others
    }

    fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        let effects = self.app.key(code);
        self.carry_out(effects)
    }

    fn events(&self) -> Vec<Event> {
        self.drills.open_one().unwrap().unwrap().records.into_iter().map(|r| r.event).collect()
    }
}

#[test]
fn in_a_drill_a_confirmed_step_runs_nothing_and_shows_the_scenarios_output() {
    let mut responder = Responder::new();
    let text = responder.app.text();
    assert!(text.contains(" DRILL 00:0"), "{text}");
    assert!(text.contains("PAGE 03:12: checkout returns 500"), "the briefing first:\n{text}");
    responder.key(KeyCode::Esc);
    responder.app.type_text("no such host");
    let effects = responder.key(KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    // Opening the answer records the diagnosis, once.
    let events = responder.events();
    assert!(events.contains(&Event::Milestone { milestone: Milestone::Diagnosed, at: None }), "{events:?}");
    responder.key(KeyCode::Esc);
    responder.key(KeyCode::Enter);
    let diagnosed = |events: &[Event]| events.iter().filter(|e| matches!(e, Event::Milestone { .. })).count();
    assert_eq!(diagnosed(&responder.events()), 1);
    // Step 1 would leave a mark: through the form and the confirmation,
    // no run is asked of the loop, and the canned output shows.
    let effects = responder.app.ctrl('r');
    assert!(effects.is_empty(), "{effects:?}");
    responder.app.type_text("/tmp/never-made");
    let effects = responder.key(KeyCode::Enter);
    let text = responder.app.text();
    assert!(text.contains("Drill: nothing runs") && text.contains("nowhere: this is a drill"), "{text}");
    assert!(effects.iter().all(|e| !matches!(e, Effect::Run { .. } | Effect::Check(_))), "{effects:?}");
    let effects = responder.key(KeyCode::Enter);
    assert!(effects.iter().all(|e| !matches!(e, Effect::Run { .. } | Effect::Check(_))), "{effects:?}");
    assert!(matches!(responder.app.overlay(), Some(Overlay::Output { .. })));
    let text = responder.app.text();
    assert!(text.contains("canned: the mark would be left here") && text.contains("a drill: nothing ran"), "{text}");
    let would_run: Vec<String> = responder
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::WouldRun(run) => Some(run.command),
            _ => None,
        })
        .collect();
    assert_eq!(would_run, ["touch /tmp/never-made"]);
    assert!(!responder.events().iter().any(|e| matches!(e, Event::StepRun(_) | Event::StepResult(_))));
    // Step 2 has no canned output: nothing unusual.
    responder.key(KeyCode::Esc);
    responder.key(KeyCode::Char('2'));
    responder.app.ctrl('r');
    responder.key(KeyCode::Enter);
    assert!(responder.app.text().contains("(nothing unusual)"), "{}", responder.app.text());
}

#[test]
fn what_the_game_master_releases_reaches_the_responder_and_the_end_is_said() {
    let mut responder = Responder::new();
    let drill = responder.app.state.catalog.drill("quiet-resolver").unwrap().clone();
    let released = pagerbook::drill::release(&drill, Release::Reveal, 1).unwrap();
    responder.drills.append(&responder.drills.open_id().unwrap().unwrap(), released, "gm").unwrap();
    // The poll: the journal read again.
    let tick = responder.app.apply(Action::Tick);
    responder.carry_out(tick);
    let text = responder.app.text();
    assert!(text.lines().next().unwrap().contains("logs: SERVFAIL from 10.43.0.10"), "{text}");
    assert!(text.contains("SERVFAIL from 10.43.0.10 for db.shop.svc"), "in the panel too:\n{text}");
    responder.drills.stop("gm").unwrap();
    let tick = responder.app.apply(Action::Tick);
    responder.carry_out(tick);
    let text = responder.app.text();
    assert!(text.contains("DRILL OVER") && text.contains("debrief: pagerbook drill report "), "{text}");
    // The journal's name and the release's time are today's.
    let screen = responder.app.screen();
    let screen = regex::Regex::new(r"\d{4}-\d\d-\d\d-\d\d-\d\d-").unwrap().replace_all(&screen, "YYYY-MM-DD-hh-mm-");
    let screen = regex::Regex::new(r"\d\d:\d\d UTC").unwrap().replace_all(&screen, "HH:MM UTC");
    insta::assert_snapshot!("responder_after_the_drill", screen);
}

fn game_master(phase: Phase<'_>) -> GameMaster<'_> {
    let theme = Theme { light: false, depth: None };
    GameMaster::new(phase, theme)
}

#[test]
fn the_game_masters_keys_release_each_item_once_and_climb_the_hint_ladder() {
    let catalog = load(&[walkthrough()]).catalog;
    let dir = tempfile::tempdir().unwrap();
    let drills = Incidents::new(dir.path().to_owned());
    let drill = catalog.drill("quiet-resolver").unwrap();
    let journal = drills.start_drill(&drill.title, &drill.id, "gm").unwrap();
    let progress = Progress::of(&journal.records);
    let mut gm = game_master(Phase::Playing { journal: Box::new(journal), drill, progress });
    let key = |gm: &GameMaster<'_>, c: char| gm.key(KeyCode::Char(c), KeyModifiers::NONE).unwrap();
    // `1` and `2` are the two labelled reveals, `3` the inject; the step's
    // output is not released by hand.
    assert_eq!(key(&gm, '1'), Key::Release(Release::Reveal, 1));
    assert_eq!(key(&gm, '2'), Key::Release(Release::Reveal, 2));
    assert_eq!(key(&gm, '3'), Key::Release(Release::Inject, 1));
    assert_eq!(gm.key(KeyCode::Char('4'), KeyModifiers::NONE), None);
    let apply = |gm: &mut GameMaster<'_>, key: Key| {
        let record = gm.apply(key);
        if let (Some(record), Phase::Playing { journal, progress, .. }) = (record.clone(), &mut gm.phase) {
            **journal = drills.append_to_open(Some((**journal).clone()), record, "gm").unwrap().unwrap();
            *progress = Progress::of(&journal.records);
        }
        record
    };
    assert!(matches!(apply(&mut gm, Key::Release(Release::Reveal, 1)), Some(Event::Released { number: 1, .. })));
    assert_eq!(apply(&mut gm, Key::Release(Release::Reveal, 1)), None, "released once");
    assert_eq!(gm.flash.as_deref(), Some("that reveal was already released"));
    let hint = |event: Option<Event>| match event {
        Some(Event::Released { item: Release::Hint, text, .. }) => text,
        other => panic!("{other:?}"),
    };
    assert_eq!(hint(apply(&mut gm, Key::Hint)), "Where do names come from?");
    assert_eq!(hint(apply(&mut gm, Key::Hint)), "Look at the resolver.");
    assert_eq!(apply(&mut gm, Key::Hint), None);
    assert_eq!(gm.flash.as_deref(), Some("every hint is released"));
    assert!(matches!(apply(&mut gm, Key::Milestone(Milestone::Mitigated)), Some(Event::Milestone { .. })));
    // Set again, it is the game master's last word that counts.
    assert!(matches!(apply(&mut gm, Key::Milestone(Milestone::Mitigated)), Some(Event::Milestone { .. })));
    assert_eq!(gm.flash.as_deref(), Some("mitigated set again: the debrief counts this one"));
    // Ending asks first; anything but y keeps it going.
    assert_eq!(apply(&mut gm, Key::End), None);
    assert_eq!(key(&gm, 'n'), Key::Answer(false));
    assert_eq!(apply(&mut gm, Key::Answer(false)), None);
    assert_eq!(apply(&mut gm, Key::End), None);
    assert_eq!(apply(&mut gm, Key::Answer(true)), Some(Event::Closed));
    let mut terminal = Terminal::new(TestBackend::new(80, 30)).unwrap();
    gm.wall = SystemTime::UNIX_EPOCH; // the clock shows nothing for a time before the start
    terminal.draw(|frame| pagerbook::tui::view::gm::render(&gm, &catalog, frame)).unwrap();
    let screen = terminal.backend().to_string();
    let times = regex::Regex::new(r"\d\d:\d\d").unwrap();
    insta::assert_snapshot!("game_master", times.replace_all(&screen, "HH:MM"));
}

#[test]
fn the_wheel_puts_the_never_drilled_first_then_the_longest_ago_then_the_most_frequent() {
    let dir = Dir::new();
    dir.write(
        "more.toml",
        "[[drill]]\nid = \"disk\"\nfailure = \"disk-full\"\ntitle = \"Evictions\"\nbriefing = \"b\"\n",
    );
    let loaded = load(&[walkthrough(), Source::Path(dir.path().to_owned())]);
    let order = |history: std::collections::BTreeMap<String, String>| -> Vec<String> {
        wheel::spin(&loaded.catalog, &history).into_iter().map(|s| s.drill.id.clone()).collect()
    };
    // Neither drilled: the more frequent failure (common) first.
    assert_eq!(order(std::collections::BTreeMap::new()), vec!["quiet-resolver".to_owned(), "disk".to_owned()]);
    let drilled = |id: &str| [(id.to_owned(), "2026-11-01T10:00:00Z".to_owned())].into_iter().collect();
    assert_eq!(order(drilled("quiet-resolver")), vec!["disk".to_owned(), "quiet-resolver".to_owned()]);
}

#[test]
fn the_debrief_measures_against_the_targets_and_lists_what_was_missed() {
    let catalog = load(&[walkthrough()]).catalog;
    let drill = catalog.drill("quiet-resolver").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let drills = Incidents::new(dir.path().to_owned());
    let journal = drills.start_drill(&drill.title, &drill.id, "gm").unwrap();
    let id = journal.id.clone();
    drills.append(&id, pagerbook::drill::release(drill, Release::Hint, 1).unwrap(), "gm").unwrap();
    drills.append(&id, Event::EntryOpened { entry: "names-unresolved".into(), query: None }, "r").unwrap();
    drills.append(&id, Event::Milestone { milestone: Milestone::Diagnosed, at: None }, "r").unwrap();
    drills.stop("gm").unwrap();
    let page = report(&drills.get(&id).unwrap(), Some(drill), &catalog);
    let diagnose = page.lines().find(|l| l.starts_with("| Time to diagnose |")).unwrap();
    assert!(diagnose.ends_with(" s (met) | 10 min 00 s |"), "{diagnose}");
    assert!(page.contains("| Time to mitigate | not reached | 20 min 00 s |"), "{page}");
    assert!(page.contains("| Hints used | 1 of 2 | |"), "{page}");
    assert!(page.contains("- [ ] step 2 of `names-unresolved`: Look at the resolver's pods. (missed)"), "{page}");
    assert!(
        page.contains("- logs:\n\n```text\nSERVFAIL from 10.43.0.10 for db.shop.svc\n```"),
        "never asked for:\n{page}"
    );
    assert!(page.contains("| drill ended |"), "{page}");
    assert!(
        page.contains("- [ ] `names-unresolved` Service names do not resolve (`"),
        "a runbook change per entry used:\n{page}"
    );
    // Rendered as markdown, the headings are there.
    for heading in ["# Drill debrief", "## Measured", "## Timeline", "## Expected steps", "## Runbook changes to make"]
    {
        assert!(page.lines().any(|l| l.starts_with(heading)), "{heading}");
    }
}

#[test]
fn a_release_is_written_once_whoever_of_the_two_views_writes_it_first() {
    let catalog = load(&[walkthrough()]).catalog;
    let drill = catalog.drill("quiet-resolver").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let drills = Incidents::new(dir.path().to_owned());
    drills.start_drill(&drill.title, &drill.id, "gm").unwrap();
    // Both the game master's view and the responder's navigator release a
    // timed inject when its time comes; each from what it read last.
    let inject = pagerbook::drill::release(drill, Release::Inject, 1).unwrap();
    let gm_known = drills.open_one().unwrap();
    let responder_known = drills.open_one().unwrap();
    drills.append_to_open(gm_known, inject.clone(), "gm").unwrap();
    drills.append_to_open(responder_known, inject, "responder").unwrap();
    let journal = drills.open_one().unwrap().unwrap();
    let released = journal.records.iter().filter(|r| matches!(r.event, Event::Released { .. })).count();
    assert_eq!(released, 1);
}

#[test]
fn a_navigator_left_open_after_its_drill_writes_nothing_into_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let drills = Incidents::new(dir.path().to_owned());
    let first = drills.start_drill("First", "quiet-resolver", "gm").unwrap();
    let mut journaling = Journaling::new(Some(drills.clone()), "responder".into()).bound_to(Some(first.id.clone()));
    drills.stop("gm").unwrap();
    let next = drills.start_drill("Next", "quiet-resolver", "gm").unwrap();
    let news = journaling.record(Event::EntryOpened { entry: "names-unresolved".into(), query: None });
    assert!(news.incident.is_none() && news.problem.is_none());
    let refreshed = journaling.change(pagerbook::tui::action::IncidentChange::Refresh);
    assert!(refreshed.incident.is_none(), "the next drill is not this navigator's");
    assert_eq!(drills.get(&next.id).unwrap().records.len(), 1, "only its opening");
}
