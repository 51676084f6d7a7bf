//! The incident journal in the navigator: the panel opens an incident and
//! takes notes and milestones, runs and copies are journaled with secrets
//! redacted, the detail marks how far a runbook got. The journal's writes
//! are made as the loop makes them (`tui::journaling`), into a temporary
//! directory.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;
use std::time::{Duration, SystemTime};

use crossterm::event::KeyCode;
use pagerbook::catalog::Source;
use pagerbook::journal::incidents::{Incident, Incidents};
use pagerbook::journal::output::Printed;
use pagerbook::journal::record::{Event, Milestone, Record, StepResult};
use pagerbook::runner::Outcome;
use pagerbook::tui::action::{Action, Effect};
use pagerbook::tui::command::Output;
use pagerbook::tui::journaling::Journaling;
use pagerbook::tui::state::Overlay;
use pagerbook::verify::Verdict;

mod util;
use util::app::{App, started_run};

/// The navigator with the journal's writes carried out as the loop does.
struct Desk {
    app: App,
    incidents: Incidents,
    journaling: Journaling,
    _dir: tempfile::TempDir,
}

impl Desk {
    fn new() -> Desk {
        Desk::on(App::drill(100, 30))
    }

    fn on(app: App) -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let incidents = Incidents::new(dir.path().join("incidents"));
        let journaling = Journaling::new(Some(incidents.clone()), "alice".into());
        Desk { app, incidents, journaling, _dir: dir }
    }

    /// Over the incident tests' catalog (tests/fixtures/incident/catalog).
    fn checks() -> Desk {
        let catalog = Source::Path(Path::new("tests/fixtures/incident/catalog").to_owned());
        Desk::on(App::new(&[catalog], 100, 30))
    }

    /// Carries out the journal's effects among `effects`, applying the
    /// answers; returns the rest.
    fn carry(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut rest = Vec::new();
        for effect in effects {
            let news = match effect {
                // Checks run here and now, as the loop's threads would.
                Effect::Check(request) => {
                    let checked = pagerbook::tui::event::run_check(*request);
                    let effects = self.app.apply(Action::Checked(Box::new(checked)));
                    rest.extend(self.carry(effects));
                    continue;
                }
                Effect::Journal(event) => self.journaling.record(*event),
                Effect::Incident(change) => self.journaling.change(change),
                other => {
                    rest.push(other);
                    continue;
                }
            };
            rest.extend(self.app.apply(Action::Incident(Box::new(news))));
        }
        rest
    }

    fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        let effects = self.app.key(code);
        self.carry(effects)
    }

    fn ctrl(&mut self, c: char) -> Vec<Effect> {
        let effects = self.app.ctrl(c);
        self.carry(effects)
    }

    fn type_line(&mut self, text: &str) -> Vec<Effect> {
        self.app.type_text(text);
        self.key(KeyCode::Enter)
    }

    fn events(&self) -> Vec<Event> {
        let open = self.incidents.all().unwrap().0;
        open.last().unwrap().records.iter().map(|r| r.event.clone()).collect()
    }
}

#[test]
fn the_panel_opens_an_incident_takes_notes_and_milestones_and_closes_it() {
    let mut desk = Desk::new();
    desk.ctrl('t');
    assert!(matches!(desk.app.overlay(), Some(Overlay::Incident)));
    assert!(desk.app.text().contains("No incident is open: nothing done here is recorded."), "{}", desk.app.text());
    // Letters in the panel are its keys; a note needs an incident.
    desk.key(KeyCode::Char('n'));
    assert!(matches!(desk.app.overlay(), Some(Overlay::Incident)));
    desk.key(KeyCode::Char('s'));
    desk.type_line("Checkout 5xx");
    let incident = desk.app.state.incident.clone().expect("opened");
    assert_eq!(incident.title(), "Checkout 5xx");
    let screen = desk.app.text();
    assert!(screen.contains("Checkout 5xx") && screen.contains("Milestones  detected –"), "{screen}");
    assert!(screen.lines().last().unwrap().contains("● 0 min Checkout 5xx"), "the clock is on the status line");
    desk.key(KeyCode::Char('n'));
    desk.type_line("TODO: alert on CoreDNS restarts");
    desk.key(KeyCode::Char('m'));
    // A time still to come is refused, with the prompt kept.
    desk.type_line("1h ago");
    desk.key(KeyCode::Char('d'));
    desk.app.type_text("25:99");
    desk.key(KeyCode::Enter);
    assert!(matches!(desk.app.overlay(), Some(Overlay::Prompt(_))), "a bad time keeps the prompt");
    assert!(desk.app.text().contains("is not a time"), "{}", desk.app.text());
    desk.key(KeyCode::Esc);
    let screen = desk.app.text();
    assert!(screen.contains("mitigated ") && !screen.contains("mitigated –"), "{screen}");
    assert!(screen.contains("alice  note: TODO: alert on CoreDNS restarts"), "{screen}");
    // Closing asks first; any key but y keeps it open.
    desk.key(KeyCode::Char('x'));
    desk.key(KeyCode::Char('n'));
    assert!(desk.app.state.incident.is_some());
    desk.key(KeyCode::Char('x'));
    desk.key(KeyCode::Char('y'));
    assert!(desk.app.state.incident.is_none());
    let status = desk.app.text().lines().last().unwrap().to_owned();
    assert!(status.contains(&format!("closed; its postmortem: pagerbook incident export {}", incident.id)), "{status}");
    let events = desk.events();
    assert!(matches!(events[0], Event::Opened { .. }), "{events:?}");
    assert!(matches!(events[1], Event::Note { .. }));
    assert!(matches!(events[2], Event::Milestone { milestone: Milestone::Mitigated, at: Some(_) }));
    assert_eq!(events[3], Event::Closed);
}

#[test]
fn runs_and_copies_are_journaled_with_secrets_redacted_and_the_detail_marks_them() {
    let mut desk = Desk::new();
    desk.carry(vec![Effect::Incident(pagerbook::tui::action::IncidentChange::Start("Drill".into()))]);
    // A run with a secret: the journal has its name, never its value.
    desk.app.select_step("drill-echo", 8);
    desk.ctrl('r');
    desk.app.type_text("hunter2-token");
    desk.key(KeyCode::Enter);
    let effects = desk.key(KeyCode::Enter);
    let (id, command) = started_run(&effects).unwrap();
    assert!(command.contains("hunter2-token"), "what runs has the value");
    let Some(Effect::Run { journal_as, .. }) = effects.iter().find(|e| matches!(e, Effect::Run { .. })) else {
        panic!("{effects:?}")
    };
    let journal_as = journal_as.clone();
    desk.app.state.now += Duration::from_millis(1200);
    let printed = Printed { lines: 1, tail: vec!["token-length 13".into()], sha256: "ab".repeat(32), output: None };
    let ended = desk.app.apply(Action::RunExited {
        id,
        last_output: Output::default(),
        outcome: Outcome { code: Some(0), signal: None },
        printed: Some(Box::new(printed)),
    });
    desk.carry(ended);
    let journal = std::fs::read_to_string(&desk.app.state.incident.as_ref().unwrap().path).unwrap();
    assert!(!journal.contains("hunter2"), "{journal}");
    assert!(journal.contains("<redacted:token>"), "{journal}");
    let events = desk.events();
    let Some(Event::StepRun(run)) = events.iter().find(|e| matches!(e, Event::StepRun(_))) else { panic!() };
    assert_eq!(run.command, "echo token-length $(printf %s <redacted:token> | wc -c)");
    assert_eq!((run.step, run.run.as_str(), run.shell.as_str()), (9, journal_as.as_str(), "bash"));
    assert_eq!(run.values[0].from, "secret");
    let Some(Event::StepResult(result)) = events.last() else { panic!("{events:?}") };
    assert_eq!((result.exit, result.duration_ms, result.run.as_str()), (Some(0), 1200, journal_as.as_str()));
    // A copy is journaled too.
    desk.key(KeyCode::Esc);
    desk.app.select_step("drill-echo", 0);
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::Enter);
    assert!(
        matches!(desk.events().last(), Some(Event::StepCopied { step: 1, command, .. }) if command == "echo hello world")
    );
    // A navigator started later shows what the journal says of each step.
    let incident = desk.app.state.incident.clone();
    desk.app.reset();
    desk.app.state.incident = incident;
    desk.app.select_step("drill-echo", 0);
    let screen = desk.app.text();
    assert!(screen.contains("⧉ copied at "), "{screen}");
    desk.app.select_step("drill-echo", 8);
    assert!(desk.app.text().contains("✓ exit 0 at "), "{}", desk.app.text());
}

#[test]
fn a_run_with_no_incident_open_says_once_that_it_is_not_recorded() {
    let mut desk = Desk::new();
    for round in 0..2 {
        desk.app.select_step("drill-echo", 1);
        desk.ctrl('r');
        desk.key(KeyCode::Enter);
        let status = desk.app.text().lines().last().unwrap().to_owned();
        assert_eq!(status.contains("not recorded: start an incident with ^T s"), round == 0, "{status}");
        desk.key(KeyCode::Esc);
    }
    assert!(desk.incidents.all().unwrap().0.is_empty(), "no journal is made for it");
}

#[test]
fn the_panel_with_an_open_incident() {
    let mut app = App::drill(100, 30);
    let at = |time: &str, event| Record {
        time: time.into(),
        monotonic_ms: 0,
        boot: String::new(),
        user: "alice".into(),
        event,
    };
    let failed = StepResult {
        entry: "drill-echo".into(),
        step: 2,
        run: "p1-1".into(),
        exit: Some(3),
        signal: None,
        error: None,
        duration_ms: 40,
        lines: 2,
        tail: vec!["to stdout".into(), "to stderr".into()],
        sha256: String::new(),
        output: None,
    };
    app.state.incident = Some(Incident {
        id: "2026-12-01-03-00-checkout-5xx".into(),
        path: Path::new("/data/pagerbook/incidents/2026-12-01-03-00-checkout-5xx.jsonl").into(),
        records: vec![
            at("2026-12-01T03:00:05Z", Event::Opened { title: "Checkout 5xx".into(), mode: None, drill: None }),
            at("2026-12-01T03:02:00Z", Event::Milestone { milestone: Milestone::Acknowledged, at: None }),
            at("2026-12-01T03:03:10Z", Event::EntryOpened { entry: "drill-echo".into(), query: Some("drill".into()) }),
            at("2026-12-01T03:04:00Z", Event::StepResult(Box::new(failed))),
            at("2026-12-01T03:09:00Z", Event::Note { text: "rolled back".into() }),
        ],
        warnings: Vec::new(),
        sha256: String::new(),
        len: 0,
    });
    app.state.wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_094_005 + 65 * 60);
    app.select_step("drill-echo", 1);
    let detail = app.text();
    assert!(detail.contains("✗ exit 3 at 03:04 UTC · in the incident's journal"), "{detail}");
    app.ctrl('t');
    insta::assert_snapshot!("incident_panel", app.screen());
}

/// The golden postmortem: a journal and a second responder's, exported.
/// `UPDATE_GOLDEN=1 cargo test --test incident` writes it anew, to review
/// as code.
#[test]
fn the_export_is_the_postmortem_timeline_with_both_responders_in_time_order() {
    let home = tempfile::tempdir().unwrap();
    let incidents = home.path().join(".local/share/pagerbook/incidents");
    std::fs::create_dir_all(&incidents).unwrap();
    let id = "2026-12-01-03-00-checkout-5xx";
    let fixture = Path::new("tests/fixtures/incident");
    std::fs::copy(fixture.join(format!("{id}.jsonl")), incidents.join(format!("{id}.jsonl"))).unwrap();
    let bob = fixture.join("bob.jsonl");
    let args = ["--catalog", "tests/fixtures/navigator", "incident", "export", id, "--with", bob.to_str().unwrap()];
    let exported = util::pagerbook(home.path(), &args);
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    let page = util::stdout(&exported).replace(home.path().to_str().unwrap(), "$HOME");
    let golden = fixture.join("postmortem.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &page).unwrap();
    }
    assert_eq!(page, std::fs::read_to_string(&golden).unwrap(), "the export differs from {}", golden.display());
    // The timeline interleaves the two journals by time.
    let timeline: Vec<&str> = page.lines().filter(|l| l.starts_with("| 0")).collect();
    let times: Vec<&str> = timeline.iter().map(|row| &row[2..10]).collect();
    assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "{times:?}");
    assert!(timeline.iter().any(|row| row.contains("| bob |")) && timeline.iter().any(|row| row.contains("| alice |")));
    // JSON: every record of both, as an array.
    let args = ["incident", "export", id, "--format", "json", "--with", bob.to_str().unwrap()];
    let json: serde_json::Value = serde_json::from_slice(&util::pagerbook(home.path(), &args).stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 13 + 4);
}

/// Runs step `step` (from 0) of `checks-drill` and lets it exit 0.
fn run_and_end(desk: &mut Desk, step: usize) -> String {
    if matches!(desk.app.overlay(), Some(Overlay::Output { .. })) {
        desk.key(KeyCode::Esc);
    }
    desk.app.select_step("checks-drill", step);
    desk.ctrl('r');
    let (id, _) = started_run(&desk.key(KeyCode::Enter)).unwrap();
    let ended = desk.app.apply(Action::RunExited {
        id,
        last_output: Output::default(),
        outcome: Outcome { code: Some(0), signal: None },
        printed: None,
    });
    desk.carry(ended);
    desk.app.text()
}

#[test]
fn a_verify_that_passes_one_that_fails_and_one_that_times_out_are_each_shown_and_journaled() {
    let mut desk = Desk::checks();
    desk.carry(vec![Effect::Incident(pagerbook::tui::action::IncidentChange::Start("Drill".into()))]);
    let passed = run_and_end(&mut desk, 0);
    assert!(passed.contains("✓ verify passed: Running again: go on."), "{passed}");
    let failed = run_and_end(&mut desk, 1);
    assert!(failed.contains("✗ verify failed: Still not ready: read the logs (step 1)."), "{failed}");
    let timed_out = run_and_end(&mut desk, 2);
    assert!(timed_out.contains("⚠ verify timed out: still running after 2s, killed"), "{timed_out}");
    let checked: Vec<(u32, Verdict, u32)> = desk
        .events()
        .into_iter()
        .filter_map(|event| match event {
            Event::StepChecked(c) => Some((c.step, c.verdict, c.attempts)),
            _ => None,
        })
        .collect();
    assert_eq!(
        checked.iter().map(|c| (c.0, c.1)).collect::<Vec<_>>(),
        [(1, Verdict::Passed), (2, Verdict::Failed), (3, Verdict::TimedOut)]
    );
    assert!((1..=2).contains(&checked[1].2) && checked[2].2 == 1, "retried within 2 s; killed once: {checked:?}");
    // The detail shows each step's verify once the pane is closed, and a
    // second look at the failed one runs it again (Ctrl-E).
    desk.key(KeyCode::Esc);
    desk.app.select_step("checks-drill", 1);
    assert!(desk.app.text().contains("✗ verify failed"), "{}", desk.app.text());
    let again = desk.app.ctrl('e');
    assert!(matches!(&again[..], [Effect::Check(request)] if request.command == "echo not ready; false"), "{again:?}");
    assert!(desk.app.text().contains("verify: checking… (0 s / 2s)"), "{}", desk.app.text());
}

#[test]
fn a_precheck_runs_on_the_first_enter_its_command_on_screen_and_the_step_on_the_next() {
    let mut desk = Desk::checks();
    desk.app.select_step("checks-drill", 3);
    let effects = desk.app.ctrl('r');
    assert!(!effects.iter().any(|e| matches!(e, Effect::Check(_))), "nothing runs before Enter: {effects:?}");
    let confirm = desk.app.text();
    assert!(confirm.contains("Precheck:  $ echo quorum ok  (it only looks; Enter runs it first)"), "{confirm}");
    assert!(confirm.contains("Enter runs the precheck first, then Enter again runs the step"), "{confirm}");
    let first = desk.app.key(KeyCode::Enter);
    assert!(matches!(&first[..], [Effect::Check(request)] if request.command == "echo quorum ok"), "{first:?}");
    assert!(desk.app.text().contains("checking… (0 s / 30s)"), "{}", desk.app.text());
    // Enter while it runs runs nothing.
    assert!(desk.app.key(KeyCode::Enter).is_empty());
    assert!(desk.app.text().contains("the precheck is still running"), "{}", desk.app.text());
    desk.carry(first);
    assert!(desk.app.text().contains("✓ passed: Quorum is healthy: safe to restart."), "{}", desk.app.text());
    let run = desk.app.key(KeyCode::Enter);
    assert_eq!(started_run(&run).map(|(_, command)| command).as_deref(), Some("echo restarted"), "{run:?}");
}

#[test]
fn a_precheck_verdict_for_a_dialog_since_closed_is_not_shown_in_the_next_one() {
    let mut desk = Desk::checks();
    desk.app.select_step("checks-drill", 3);
    desk.app.ctrl('r');
    let stale = desk.app.key(KeyCode::Enter);
    desk.app.key(KeyCode::Esc);
    desk.app.ctrl('r');
    desk.carry(stale);
    let confirm = desk.app.text();
    assert!(confirm.contains("(it only looks; Enter runs it first)") && !confirm.contains("✓ passed"), "{confirm}");
}

#[test]
fn in_a_short_dialog_the_precheck_scrolls_into_view_when_it_runs_and_when_its_verdict_lands() {
    let mut desk = Desk::on(App::new(&[Source::Path(Path::new("tests/fixtures/incident/catalog").to_owned())], 80, 9));
    desk.app.select_step("checks-drill", 3);
    desk.app.ctrl('r');
    assert!(!desk.app.text().contains("Precheck:"), "below the fold at first:\n{}", desk.app.text());
    let started = desk.app.key(KeyCode::Enter);
    let screen = desk.app.text();
    assert!(screen.contains("Precheck:  $ echo quorum ok") && screen.contains("checking…"), "{screen}");
    desk.carry(started);
    assert!(desk.app.text().contains("✓ passed: Quorum is healthy"), "{}", desk.app.text());
}

#[test]
fn a_record_from_another_navigator_is_read_back_before_the_next_one_is_added() {
    let mut desk = Desk::new();
    desk.carry(vec![Effect::Incident(pagerbook::tui::action::IncidentChange::Start("Shared".into()))]);
    desk.carry(vec![Effect::Journal(Box::new(Event::Note { text: "from alice".into() }))]);
    // Another navigator (bob's) appends to the same journal.
    let mut bob = Journaling::new(Some(desk.incidents.clone()), "bob".into());
    let _ = bob.record(Event::Note { text: "from bob".into() });
    desk.carry(vec![Effect::Journal(Box::new(Event::Note { text: "alice again".into() }))]);
    let notes: Vec<String> = desk
        .app
        .state
        .incident
        .as_ref()
        .unwrap()
        .records
        .iter()
        .filter_map(|r| match &r.event {
            Event::Note { text } => Some(format!("{}: {text}", r.user)),
            _ => None,
        })
        .collect();
    assert_eq!(notes, ["alice: from alice", "bob: from bob", "alice: alice again"]);
    assert_eq!(desk.app.state.incident.as_ref().unwrap().records, desk.incidents.open_one().unwrap().unwrap().records);
}
