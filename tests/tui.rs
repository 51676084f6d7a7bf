//! The navigator rendered into ratatui's `TestBackend`: snapshots of each
//! screen (reviewed like code), and every size from nothing to large
//! rendering without a panic. They run over fixture catalogs
//! (tests/fixtures/navigator, drill, broken), never the embedded one, whose
//! prose changes with every review.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pagerbook::catalog::Source;
use pagerbook::highlight;
use pagerbook::journal::record::Event;
use pagerbook::search::Query;
use pagerbook::tui::action::{Action, Effect, Searched};
use pagerbook::tui::keymap::resolve;
use pagerbook::tui::layout;
use pagerbook::tui::state::{Detail, Focus, Overlay, Page, Question};
use pagerbook::tui::update::update;
use std::path::Path;
use std::time::{Duration, SystemTime};

use pagerbook::clipboard::{self, Copied};
use pagerbook::runner::{Outcome, Stream};
use pagerbook::tui::command::Output;
use ratatui::style::Color;
use ratatui::style::Modifier;

mod util;
use util::app::{App, navigator_catalog, started_run};
use util::{Dir, FIXTURES};

#[test]
fn empty_query_lists_layers_edge_inward() {
    let app = App::navigator(120, 30);
    insta::assert_snapshot!("empty_query", app.screen());
}

#[test]
fn a_query_ranks_and_previews_the_best_match() {
    let mut app = App::navigator(120, 30);
    app.type_text("no such host");
    insta::assert_snapshot!("query_results", app.screen());
}

#[test]
fn the_best_match_lacking_a_word_says_so_and_the_words_that_matched_are_highlighted() {
    let mut app = App::navigator(80, 24);
    // "yesterday" is in no entry; "disks" meets "disk" through its stem, and
    // is highlighted as the title writes it.
    app.type_text("disks full yesterday");
    insta::assert_snapshot!("best_lacks_a_word", app.screen());
    let terminal = app.render();
    let buffer = terminal.backend().buffer();
    let row = (0..buffer.area.height)
        .find(|&y| (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>().contains("Node disk"))
        .unwrap();
    let line: String = (0..buffer.area.width).map(|x| buffer[(x, row)].symbol()).collect();
    let at = |word: &str| u16::try_from(line[..line.find(word).unwrap()].chars().count()).unwrap();
    let underlined = |x: u16| buffer[(x, row)].modifier.contains(Modifier::UNDERLINED);
    assert!(underlined(at("disk")) && underlined(at("disk") + 3), "{line}");
    assert!(!underlined(at("Node")), "{line}");
}

#[test]
fn a_query_without_results_says_so() {
    let mut app = App::navigator(120, 20);
    app.type_text("zzqxv");
    insta::assert_snapshot!("no_results", app.screen());
}

#[test]
fn detail_shows_steps_with_highlighted_commands() {
    highlight::load_now();
    let mut app = App::navigator(120, 40);
    app.type_text("tls certificate expired");
    app.key(KeyCode::Enter);
    assert_eq!(app.state.focus, Focus::Detail);
    // Opening selects step 1, its command in view.
    assert_eq!(app.state.detail.as_ref().unwrap().page.item, Some(0), "step 1 is selected");
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
    let mut app = App::navigator(100, 34);
    app.key(KeyCode::F(1));
    insta::assert_snapshot!("help", app.screen());
    app.key(KeyCode::PageDown);
    insta::assert_snapshot!("help_page_2", app.screen());
}

#[test]
fn narrow_terminals_show_one_pane_at_a_time() {
    let mut app = App::navigator(80, 24);
    app.type_text("disk full");
    insta::assert_snapshot!("narrow_results", app.screen());
    app.key(KeyCode::Enter);
    insta::assert_snapshot!("narrow_detail", app.screen());
}

#[test]
fn a_tiny_terminal_shows_a_notice() {
    let app = App::navigator(20, 6);
    insta::assert_snapshot!("tiny", app.screen());
}

#[test]
fn catalog_problems_are_noted_and_listed() {
    let broken = Source::Path(Path::new(FIXTURES).join("broken"));
    let mut app = App::new(&[navigator_catalog(), broken], 100, 24);
    let screen = app.screen();
    let status = screen.lines().last().unwrap();
    assert!(status.contains("⚠ 5 problems · F2"), "{status}");
    app.key(KeyCode::F(2));
    insta::assert_snapshot!("problems", app.screen());
}

#[test]
fn running_a_step_goes_through_the_form_and_the_confirmation() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 0);
    assert!(app.ctrl('r').is_empty());
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
    app.apply(Action::RunOutput { id, output });
    app.state.now += Duration::from_millis(1500);
    app.apply(Action::RunExited {
        id,
        last_output: Output::default(),
        outcome: Outcome { code: Some(0), signal: None },
        printed: None,
    });
    insta::assert_snapshot!("output", app.screen());
    // Esc hides the pane; the step says how it went and `o` shows it again.
    app.key(KeyCode::Esc);
    assert!(app.text().contains("✓ exit 0 after 1.5s · ^O output"), "{}", app.text());
    app.ctrl('o');
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
    app.key(KeyCode::Enter);
    assert_eq!(app.field_value(), "team");
    app.key(KeyCode::Esc);
    app.select_step("drill-echo", 5);
    app.key(KeyCode::Enter);
    assert_eq!(app.field_value(), "red", "a remembered value that is not a choice gives way to the default");
}

#[test]
fn each_value_says_where_it_came_from_and_remembered_ones_expire() {
    // Regression: a remembered value looked exactly like a default, and
    // came back in any entry, any day.
    let mut app = App::drill(100, 30);
    let now = SystemTime::now();
    app.state.wall = now;
    app.state.remembered.set("drill-echo", "greeting", "team".into(), now - Duration::from_mins(125));
    app.state.remembered.set("drill-echo", "namespace", "old".into(), now - Duration::from_hours(13));
    app.select_step("drill-echo", 0);
    app.key(KeyCode::Enter);
    assert_eq!(app.field_value(), "team");
    assert!(app.text().contains("← remembered from this entry, 2 h 5 min ago"), "{}", app.text());
    app.type_text("s");
    assert!(app.text().contains("← typed"), "{}", app.text());
    app.key(KeyCode::Esc);
    app.select_step("drill-echo", 6);
    app.ctrl('r');
    assert_eq!(app.field_value(), "shop", "thirteen hours is past a shift: the default again");
    assert!(app.text().contains("← the catalog's default"), "{}", app.text());
    app.key(KeyCode::Enter);
    assert!(app.text().contains("Values:    namespace = shop  (the catalog's default)"), "{}", app.text());
}

#[test]
fn a_secret_is_masked_on_screen_and_never_remembered() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 8);
    app.ctrl('r');
    assert_eq!(app.field_value(), "", "a secret has no default and is not remembered");
    app.type_text("hunter2-token");
    let form = app.text();
    assert!(!form.contains("hunter2"), "typed, yet shown:\n{form}");
    assert!(form.contains("secret: masked, never remembered or written to disk"), "{form}");
    assert!(form.contains("$ echo token-length $(printf %s •••••• | wc -c)"), "{form}");
    app.key(KeyCode::Enter);
    let confirm = app.text();
    assert!(!confirm.contains("hunter2") && confirm.contains("token = ••••••  (secret)"), "{confirm}");
    let (_, command) = started_run(&app.key(KeyCode::Enter)).unwrap();
    assert_eq!(command, "echo token-length $(printf %s hunter2-token | wc -c)", "what runs has the value");
    assert!(app.state.remembered.get("drill-echo", "token", SystemTime::now()).is_none());
    assert!(!app.text().contains("hunter2"), "the output pane shows it masked:\n{}", app.text());
    // The file written holds no trace of it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("values.toml");
    app.state.remembered.save(&path).unwrap();
    assert!(!std::fs::read_to_string(&path).unwrap().contains("hunter2"));
}

#[test]
fn copying_a_destructive_command_says_so() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 4);
    app.key(KeyCode::Enter);
    app.type_text("scratch");
    let effects = app.key(KeyCode::Enter);
    assert!(effects.contains(&Effect::Copy("rm -rf /tmp/pagerbook-drill-scratch".into())), "{effects:?}");
    let copied = Copied { by: vec![clipboard::Method::Tool("tmux", &["load-buffer", "-"])], failed: Vec::new() };
    app.apply(Action::Copied { text: "rm -rf /tmp/pagerbook-drill-scratch".into(), report: copied });
    let status = app.text().lines().last().unwrap().to_owned();
    assert!(status.contains("⚠ destructive (rm -rf)"), "{status}");
}

#[test]
fn refused_values_keep_the_form_open_and_say_why() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 4);
    app.ctrl('r');
    app.ctrl('u');
    app.type_text("Not/Ok");
    assert!(app.key(KeyCode::Enter).is_empty());
    assert!(matches!(app.overlay(), Some(Overlay::Form(_))));
    let screen = app.text();
    assert!(screen.contains("✗ does not match the declared pattern ^[a-z]+$"), "{screen}");
    assert!(
        screen.contains("{{target}}: does not match the declared pattern ^[a-z]+$"),
        "the status says why:\n{screen}"
    );
    app.ctrl('u');
    app.apply(Action::Paste("ok\u{1b}[2J".into()));
    assert!(app.text().contains("✗ control character U+001B is not allowed"), "{}", app.text());
    app.ctrl('u');
    assert!(app.text().contains("✗ a value is required"), "{}", app.text());
    app.key(KeyCode::Esc);
    app.select_step("drill-echo", 0);
    app.ctrl('r');
    app.ctrl('u');
    app.type_text("-rf");
    assert!(app.text().contains("✗ starts with `-`, which a command would take for an option"), "{}", app.text());
}

#[test]
fn destructive_commands_run_only_after_the_target_is_typed() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 4);
    app.ctrl('r');
    // Regression: the target came pre-filled from its default, so the word
    // to type was one nobody chose. It starts empty, the default only an
    // example.
    assert_eq!(app.field_value(), "");
    assert!(app.text().contains("the target of a destructive step: type it yourself"), "{}", app.text());
    assert!(app.text().contains("Danger: ⚠ DESTRUCTIVE (rm -rf)"), "the form shows the danger:\n{}", app.text());
    assert!(app.text().contains("$ rm -rf /tmp/pagerbook-drill-{{target}}"), "unfilled, as written:\n{}", app.text());
    app.key(KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(Overlay::Form(_))), "an empty target is refused");
    app.type_text("scratch");
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
    let status = app.text().lines().last().unwrap().to_owned();
    assert!(status.contains("READ-ONLY") && !status.contains("run"), "a badge, and no run offered: {status}");
    assert!(app.ctrl('r').is_empty());
    assert!(app.overlay().is_none());
    assert!(app.text().contains("read-only: running is off"), "{}", app.text());
    let effects = app.key(KeyCode::Enter);
    let command = "printf 'to stdout\\n'; printf 'to stderr\\n' >&2; exit 3";
    assert_eq!(effects[..2], [Effect::Copy(command.into()), Effect::SaveValues]);
    assert!(
        matches!(&effects[2..], [Effect::Journal(copied)] if **copied == Event::StepCopied {
            entry: "drill-echo".into(), step: 2, command: command.into()
        }),
        "the journal is told of the copy: {effects:?}"
    );
}

#[test]
fn choices_are_offered_with_the_arrows_and_tab_moves_between_fields() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 5);
    app.key(KeyCode::Enter);
    assert!(app.text().contains("choices: red · green · blue (↑↓)"), "{}", app.text());
    app.key(KeyCode::Down);
    assert_eq!(app.field_value(), "green");
    app.key(KeyCode::Up);
    app.key(KeyCode::Up);
    assert_eq!(app.field_value(), "blue", "wraps around");
    app.ctrl('u');
    app.type_text("pink");
    assert!(app.text().contains("✗ must be one of: red, green, blue"), "{}", app.text());
    // Tab with one field stays on it; Ctrl-C cancels the form, not the program.
    app.key(KeyCode::Tab);
    assert_eq!(app.field_value(), "pink");
    assert!(app.ctrl('c').is_empty());
    assert!(app.overlay().is_none(), "{:?}", app.overlay());
}

#[test]
fn in_the_output_pane_ctrl_k_stops_the_command_and_ctrl_c_asks_before_quitting() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 2);
    app.ctrl('r');
    let (id, _) = started_run(&app.key(KeyCode::Enter)).unwrap();
    // Regression: Ctrl-C by reflex quit and killed the command; `k` stopped
    // it while it moved up in the detail.
    assert!(app.ctrl('c').is_empty());
    assert!(matches!(app.overlay(), Some(Overlay::Ask(Question::Quit))), "{:?}", app.overlay());
    assert!(app.text().contains("1 command still running:"), "{}", app.text());
    assert!(app.key(KeyCode::Char('n')).is_empty(), "no: nothing is stopped");
    assert!(matches!(app.overlay(), Some(Overlay::Output { .. })));
    assert!(app.key(KeyCode::Char('k')).is_empty(), "a letter does not stop it");
    assert_eq!(app.ctrl('k'), [Effect::Interrupt(id)]);
    assert!(app.text().contains("■ stopping…"), "{}", app.text());
    app.apply(Action::RunExited {
        id,
        last_output: Output::default(),
        outcome: Outcome { code: None, signal: Some(2) },
        printed: None,
    });
    assert!(app.text().contains("✗ stopped by SIGINT"), "{}", app.text());
    assert!(app.ctrl('k').is_empty(), "nothing left to stop");
    // While a step runs, ^R on it shows its output rather than a second run.
    app.key(KeyCode::Esc);
    app.ctrl('r');
    let (second, _) = started_run(&app.key(KeyCode::Enter)).unwrap();
    app.key(KeyCode::Esc);
    assert!(app.ctrl('r').is_empty());
    assert!(matches!(app.overlay(), Some(Overlay::Output { .. })));
    assert_ne!(second, id);
}

#[test]
fn quitting_while_a_command_runs_asks_first_and_keeps_it_running_until_yes() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 2);
    app.ctrl('r');
    let (_, command) = started_run(&app.key(KeyCode::Enter)).unwrap();
    // Esc closes the pane, leaves the detail, then would quit.
    app.key(KeyCode::Esc);
    app.key(KeyCode::Esc);
    assert!(app.key(KeyCode::Esc).is_empty(), "not quit: asked");
    assert!(matches!(app.overlay(), Some(Overlay::Ask(Question::Quit))));
    let screen = app.text();
    assert!(screen.contains("Stop it and quit? y/N"), "{screen}");
    assert!(screen.contains(&command[..20]), "names the command:\n{screen}");
    assert!(screen.contains("▶ 1 running"), "the badge:\n{screen}");
    for no in [KeyCode::Enter, KeyCode::Esc, KeyCode::Char('q')] {
        assert!(app.key(no).is_empty(), "{no:?} is not yes");
        assert!(app.overlay().is_none());
        app.key(KeyCode::Esc);
    }
    assert_eq!(app.key(KeyCode::Char('y')), [Effect::Quit]);
    // Once it has ended, quitting asks nothing.
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 2);
    app.ctrl('r');
    let (id2, _) = started_run(&app.key(KeyCode::Enter)).unwrap();
    app.apply(Action::RunExited {
        id: id2,
        last_output: Output::default(),
        outcome: Outcome { code: Some(0), signal: None },
        printed: None,
    });
    assert_eq!(app.key(KeyCode::Char('q')), [Effect::Quit]);
}

#[test]
fn a_copy_nothing_confirmed_shows_the_command_alone() {
    let mut app = App::drill(80, 12);
    let copied = Copied { by: vec![clipboard::Method::Osc52], failed: Vec::new() };
    let effects = app.apply(Action::Copied { text: "echo hello world".into(), report: copied });
    assert_eq!(effects, [Effect::MouseCapture(false)]);
    let screen = app.text();
    assert!(screen.starts_with("echo hello world  "), "{screen}");
    assert_eq!(app.key(KeyCode::Esc), [Effect::MouseCapture(true)]);
    // Over SSH, OSC 52 is the way: the status line says so and that is all.
    app.state.over_ssh = true;
    let copied = Copied { by: vec![clipboard::Method::Osc52], failed: Vec::new() };
    assert!(app.apply(Action::Copied { text: "ls".into(), report: copied }).is_empty());
    assert!(app.text().contains("copied to the terminal (OSC 52)"), "{}", app.text());
}

#[test]
fn every_size_renders_without_panic() {
    let mut states = vec![App::navigator(1, 1)];
    for (step, keys) in [(0, vec![]), (4, vec![KeyCode::Enter]), (2, vec![KeyCode::Enter])] {
        let mut acting = App::drill(100, 30);
        acting.select_step("drill-echo", step);
        acting.ctrl('r');
        for key in keys {
            acting.key(key);
        }
        states.push(acting);
    }
    let mut detail = App::navigator(1, 1);
    detail.type_text("redis");
    detail.key(KeyCode::Enter);
    states.push(detail);
    let mut help = App::navigator(1, 1);
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

/// Types `text` then Enter, Enter, as keys through the keymap, answering
/// only the last search (as the worker would when keys come fast), and
/// returns every effect.
fn type_then_enter_twice(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    let keys = text.chars().map(KeyCode::Char).chain([KeyCode::Enter, KeyCode::Enter]);
    for code in keys {
        if code == KeyCode::Enter
            && let Some(i) = effects.iter().rposition(|e| matches!(e, Effect::Search { .. }))
        {
            let Effect::Search { generation, text } = effects.remove(i) else { unreachable!() };
            effects.retain(|e| !matches!(e, Effect::Search { .. }));
            let query = Query::parse(&text);
            let results = app.index.search(&query);
            effects.extend(update(&mut app.state, Action::Searched(Box::new(Searched { generation, query, results }))));
        }
        if let Some(action) = resolve(app.state.context(), KeyEvent::new(code, KeyModifiers::NONE)) {
            effects.extend(update(&mut app.state, action));
        }
    }
    effects
}

#[test]
fn no_word_typed_in_the_detail_then_enter_enter_ever_runs_a_command() {
    // Regression: `redis` typed in the detail with a step selected opened
    // the run form (`r`) with `edis` in it; Enter, Enter ran the step.
    let app = App::navigator(80, 24);
    let mut words: Vec<String> = Vec::new();
    for entry in app.state.catalog.entries() {
        let mut texts: Vec<&str> = vec![entry.title(), entry.headline()];
        texts.extend(entry.signals());
        for step in &entry.steps {
            texts.push(step.instruction());
            texts.extend(step.run());
        }
        for text in texts {
            words.extend(
                text.split(|c: char| !(c.is_alphanumeric() || "-_.".contains(c)))
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned),
            );
        }
    }
    words.sort();
    words.dedup();
    assert!(words.len() > 500, "the vocabulary: {} words", words.len());
    // Each key a word can start with in the detail: every letter (`r`, `y`,
    // `o`, `k` and `j` once acted on a step), every digit (1-9 select a
    // step) and `-`.
    let starts: std::collections::BTreeSet<char> = words.iter().filter_map(|w| w.chars().next()).collect();
    let missing: String = ('a'..='z').chain('0'..='9').chain(['-']).filter(|c| !starts.contains(c)).collect();
    assert!(missing.is_empty(), "no word of the catalog starts with any of {missing:?}");
    let coredns = app.state.catalog.position("coredns-down").unwrap();
    let mut app = app;
    for word in &words {
        for selected in [None, Some(6)] {
            app.reset();
            app.state.detail =
                Some(Detail { page: Page { entry: coredns, item: None, scroll: 0 }, history: Vec::new() });
            app.state.focus = Focus::Detail;
            if let Some(step) = selected {
                app.select_step("coredns-down", step);
            }
            let effects = type_then_enter_twice(&mut app, word);
            assert!(
                started_run(&effects).is_none(),
                "typing {word:?} (step {selected:?}) then Enter, Enter ran: {effects:?}"
            );
            assert!(
                !matches!(app.overlay(), Some(Overlay::Confirm(_))),
                "typing {word:?} then Enter, Enter reached a confirmation"
            );
        }
    }
}

#[test]
fn a_word_typed_in_the_detail_is_a_search_for_that_whole_word() {
    // Regression: the first letter was swallowed (`redis` searched `edis`).
    let mut app = App::navigator(80, 24);
    app.select_step("coredns-down", 6);
    app.type_text("redis");
    assert_eq!(app.state.focus, Focus::Results);
    assert_eq!(app.state.search_text(), "redis");
    assert!(app.overlay().is_none());
}

#[test]
fn the_confirmation_says_which_cluster_namespace_and_host_a_step_acts_on() {
    // Regression: it said only "bash -c, in ~/work", nothing of the cluster:
    // a staging drain read exactly like a production one.
    let dir = Dir::new();
    let kubeconfig = dir.write("config", util::kubeconfig("prod-eu"));
    let mut app = App::drill(100, 30);
    let path = kubeconfig.clone().into_os_string();
    app.environment = Box::new(move |name| match name {
        "KUBECONFIG" => Some(path.clone()),
        "PATH" => Some("/nonexistent".into()),
        _ => None,
    });
    app.select_step("drill-echo", 6);
    app.ctrl('r');
    app.key(KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(Overlay::Confirm(_))), "{:?}", app.overlay());
    let screen = app.text();
    assert!(screen.contains("Context:   prod-eu"), "{screen}");
    assert!(screen.contains("(current-context of"), "{screen}");
    assert!(screen.contains("Namespace: shop  (-n)"), "{screen}");
    assert!(screen.contains("⚠ not found on PATH: kubectl"), "{screen}");
    assert!(screen.contains("⎈ prod-eu/web"), "the status line has the default context:\n{screen}");
    assert!(screen.contains("Run from:  a shell with the drill cluster's kubeconfig"), "{screen}");
    app.key(KeyCode::Esc);
    app.select_step("drill-echo", 7);
    app.ctrl('r');
    app.key(KeyCode::Enter);
    assert!(app.text().contains("Host:      node-1  (over ssh)"), "{}", app.text());
}

#[test]
fn no_line_of_the_detail_is_wider_than_the_pane_but_a_long_url() {
    // Regression: wrapped placeholder lines ran two columns past the pane
    // and were clipped (`…/api/0.` then `g)`).
    use unicode_width::UnicodeWidthStr;
    let app = App::navigator(120, 40);
    for width in [40u16, 57, 78] {
        for entry in 0..app.state.catalog.entries().len() {
            let doc = layout::document::document(&app.state, entry, width, None);
            for line in &doc.lines {
                let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                let url = text.split_whitespace().any(|w| w.contains("://") && w.width() > usize::from(width) - 4);
                assert!(text.width() <= usize::from(width) || url, "{width} columns: {text:?}");
            }
        }
    }
}

#[test]
fn keys_typed_ahead_never_confirm_a_command_that_was_not_on_screen() {
    // A burst (a paste of control keys, a stuck key, a script) reaches the
    // loop in one read: Ctrl-R and Enter would open and confirm the run
    // before any frame showed the command.
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 1);
    let key = |app: &mut App, code, modifiers| {
        let action = resolve(app.state.context(), KeyEvent::new(code, modifiers)).unwrap();
        update(&mut app.state, action)
    };
    key(&mut app, KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert!(started_run(&key(&mut app, KeyCode::Enter, KeyModifiers::NONE)).is_none(), "confirmed unseen");
    assert!(matches!(app.overlay(), Some(Overlay::Confirm(_))));
    app.state.drawn();
    assert!(started_run(&key(&mut app, KeyCode::Enter, KeyModifiers::NONE)).is_some(), "seen, then confirmed");
}

#[test]
fn a_destructive_step_fills_in_nothing_it_may_act_on_and_never_asks_to_type_a_secret() {
    let mut app = App::drill(100, 30);
    app.state.remembered.set("drill-echo", "greeting", "team".into(), SystemTime::now());
    app.select_step("drill-echo", 10);
    app.ctrl('r');
    let Some(Overlay::Form(form)) = app.overlay() else { panic!("{:?}", app.overlay()) };
    let filled: Vec<(&str, String)> = form.fields.iter().map(|f| (f.name.as_str(), f.value())).collect();
    // Regression: only the first target-like placeholder was left empty; the
    // rest came pre-filled, remembered or default.
    assert_eq!(filled, [("token", String::new()), ("target", String::new()), ("greeting", String::new())]);
    app.type_text("hunter2");
    app.key(KeyCode::Tab);
    app.type_text("scratch");
    app.key(KeyCode::Tab);
    app.type_text("team");
    app.key(KeyCode::Enter);
    let Some(Overlay::Confirm(confirm)) = app.overlay() else { panic!("{:?}", app.overlay()) };
    // Regression: the secret, first in the command, was the word to type.
    assert_eq!(confirm.needs.as_ref().unwrap().word, "scratch");
    assert!(!app.text().contains("hunter2"), "{}", app.text());
}

#[test]
fn a_default_accepted_is_not_remembered_as_a_choice() {
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 0);
    app.key(KeyCode::Enter);
    assert_eq!(app.field_value(), "world");
    app.key(KeyCode::Enter);
    assert!(app.state.remembered.get("drill-echo", "greeting", SystemTime::now()).is_none(), "the default was kept");
    app.key(KeyCode::Enter);
    app.ctrl('u');
    app.type_text("team");
    app.key(KeyCode::Enter);
    assert_eq!(app.state.remembered.get("drill-echo", "greeting", SystemTime::now()).unwrap().value, "team");
}

#[test]
fn a_long_form_keeps_the_focused_field_and_the_command_in_view_at_80x24() {
    // Regression: redis-manual-failover step 7 cut off its last field, the
    // danger and the command at 80×24, and Tab moved to a field not shown.
    // The fixture's redis-failover-failed step 7 has as many fields.
    for height in [24, 18] {
        long_form_at(height);
    }
}

fn long_form_at(height: u16) {
    let mut app = App::navigator(80, height);
    let catalog = app.state.catalog.clone();
    let (id, step, names) = catalog
        .entries()
        .iter()
        .flat_map(|e| e.steps.iter().enumerate().map(move |(i, s)| (e, i, s)))
        .map(|(e, i, s)| (e.id(), i, pagerbook::template::placeholder_names(s.run().unwrap_or_default())))
        .max_by_key(|(_, _, names)| names.len())
        .unwrap();
    assert!(names.len() >= 4, "{id} step {}: {names:?}", step + 1);
    app.select_step(id, step);
    app.ctrl('r');
    let mut focused = Vec::new();
    for _ in &names {
        let screen = app.text();
        let shown = names.iter().find(|name| screen.contains(&format!("› {name} ")));
        focused.extend(shown.copied());
        assert!(screen.contains("Will run:"), "the command is shown at 80×{height}:\n{screen}");
        app.key(KeyCode::Tab);
    }
    focused.sort_unstable();
    let mut all = names.clone();
    all.sort_unstable();
    assert_eq!(focused, all, "Tab went through every field, each shown while focused");
}

#[test]
fn a_huge_paste_into_a_field_is_refused_not_frozen_on() {
    // Regression (issue 11 #9): 100 KB pasted into a placeholder froze the
    // navigator at 100 % CPU for 80 s.
    let mut app = App::drill(100, 30);
    app.select_step("drill-echo", 0);
    app.ctrl('r');
    let before = app.field_value();
    app.apply(Action::Paste("x".repeat(100_000)));
    assert_eq!(app.field_value(), before, "nothing pasted");
    assert!(app.text().contains("not pasted: a value is at most 4096 characters"), "{}", app.text());
    app.apply(Action::Paste("y".repeat(4000)));
    assert_eq!(app.field_value().len(), before.len() + 4000, "a long value that fits is taken");
    app.render();
    app.key(KeyCode::Esc);
    app.key(KeyCode::Esc);
    app.apply(Action::Paste("z".repeat(100_000)));
    assert!(app.state.search_text().is_empty(), "nor a 100 KB search");
}

#[test]
fn the_detail_shows_the_impact_and_where_a_step_must_run_from() {
    let mut app = App::drill(100, 60);
    app.type_text("drill");
    app.key(KeyCode::Enter);
    let screen = app.text();
    let impact = screen.find("IMPACT").unwrap_or_else(|| panic!("no Impact section:\n{screen}"));
    let recovery = screen.find("RECOVERY").unwrap();
    assert!(impact < recovery, "the impact comes before the recovery:\n{screen}");
    assert!(screen.contains("Nobody: drills touch only /tmp and print."), "{screen}");
    app.select_step("drill-echo", 6);
    // Wrapped in the 53 columns of the pane, never cut.
    let screen = app.text();
    assert!(screen.contains("⌂ run from a shell with the drill cluster's"), "{screen}");
    assert!(screen.contains("    kubeconfig"), "{screen}");
}

#[test]
fn a_confirmation_taller_than_its_dialog_scrolls_no_further_than_its_last_line() {
    // Regression: ↓ had no upper bound, so after pressing it past the end
    // the dialog took as many ↑ to move again.
    let mut app = App::drill(80, 12);
    app.select_step("drill-echo", 0);
    app.ctrl('r');
    app.key(KeyCode::Enter);
    let scroll = |app: &App| match app.overlay() {
        Some(Overlay::Confirm(confirm)) => confirm.scroll,
        other => panic!("{other:?}"),
    };
    for _ in 0..50 {
        app.key(KeyCode::Down);
    }
    let bottom = scroll(&app);
    assert!(bottom > 0, "the dialog is taller than 12 rows:\n{}", app.text());
    app.key(KeyCode::Down);
    assert_eq!(scroll(&app), bottom, "no further than the last line");
    app.key(KeyCode::Up);
    assert_eq!(scroll(&app), bottom - 1, "one ↑ moves again");
}

#[test]
fn a_step_that_is_not_a_shells_is_copied_never_run_and_an_example_output_shows_under_it() {
    let dir = Dir::new();
    dir.write(
        "prom.toml",
        "[[failure]]\nid = \"slow-queries\"\ntitle = \"Queries are slow\"\nsymptom = \"Dashboards time out.\"\n\n\
         [[failure.steps]]\ndo = \"Look at the slowest queries.\"\nrun = \"topk(5, rate(query_seconds_sum[5m]))\"\nlang = \"promql\"\n\n\
         [[failure.steps]]\ndo = \"List the pods.\"\nrun = \"kubectl get pods\"\nexample_output = \"NAME    READY\\napi-1   1/1\"\n",
    );
    let mut app = App::new(&[Source::Path(dir.path().to_owned())], 100, 30);
    app.select_step("slow-queries", 0);
    let effects = app.ctrl('r');
    assert!(started_run(&effects).is_none() && app.overlay().is_none(), "{effects:?}");
    assert_eq!(app.state.flash.as_deref(), Some("a promql step is copied, not run: Enter copies it"));
    let text = app.text();
    assert!(text.contains("⧉ copied, not run"), "{text}");
    assert!(text.contains("what it looked like upstream:") && text.contains("api-1   1/1"), "{text}");
    let shown = util::stdout(&util::pagerbook(
        dir.path(),
        &["--catalog", &dir.path().display().to_string(), "show", "slow-queries"],
    ));
    assert!(shown.contains("[promql, copied, not run]"), "{shown}");
    assert!(shown.contains("     what it looked like upstream:\n       NAME    READY\n       api-1   1/1"), "{shown}");
}

/// The suggestion a list of effects asks for, carried out as the loop
/// does (the command really runs), and its answer applied.
fn list_as_the_loop_does(app: &mut App, effects: &[Effect]) {
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::List(request) => Some((**request).clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no listing asked for: {effects:?}"));
    let listed = pagerbook::suggest::list(&request.suggest, &request.command, &request.var);
    app.apply(Action::Listed(Box::new((request, listed))));
}

fn suggest_app() -> App {
    App::new(&[Source::Path(Path::new(FIXTURES).join("suggest"))], 140, 30)
}

#[test]
fn a_suggestion_is_shown_then_run_and_offers_only_the_lines_the_pattern_allows() {
    let mut app = suggest_app();
    app.select_step("suggest-values", 0);
    app.key(KeyCode::Enter);
    assert!(app.text().contains("^L lists its values: $ printf"), "{}", app.text());
    // Not our catalog: the first ^L shows the command, running nothing.
    assert!(app.ctrl('l').is_empty());
    let text = app.text();
    assert!(text.contains("^L again runs, to list its values: $ printf"), "{text}");
    assert!(text.contains("'node/worker-1\\nnode/Bad_Node!\\nnode/worker-2\\n'"), "the whole command: {text}");
    let effects = app.ctrl('l');
    assert!(app.text().contains("listing its values…"), "{}", app.text());
    list_as_the_loop_does(&mut app, &effects);
    assert!(app.text().contains("listed: worker-1 · worker-2 (↑↓), 1 line refused as a value"), "{}", app.text());
    insta::assert_snapshot!("form_with_values_listed", app.screen());
    app.key(KeyCode::Down);
    assert_eq!(app.field_value(), "worker-1");
    app.key(KeyCode::Down);
    assert_eq!(app.field_value(), "worker-2");
    app.key(KeyCode::Down);
    assert_eq!(app.field_value(), "worker-1", "two values offered, wrapping around");
    // Shown once, it runs at the first ^L from now on.
    app.key(KeyCode::Esc);
    app.key(KeyCode::Enter);
    let effects = app.ctrl('l');
    list_as_the_loop_does(&mut app, &effects);
    assert!(app.text().contains("listed: worker-1 · worker-2"), "{}", app.text());
}

#[test]
fn a_hostile_line_chosen_stays_literal_in_the_final_command() {
    let mut app = suggest_app();
    app.select_step("suggest-values", 1);
    app.ctrl('r');
    app.ctrl('l');
    let effects = app.ctrl('l');
    // The answer comes while the help is open over the form: the form keeps it.
    app.key(KeyCode::F(1));
    list_as_the_loop_does(&mut app, &effects);
    app.key(KeyCode::Esc);
    assert!(app.text().contains("listed: plain · $(touch pwned) (↑↓)"), "{}", app.text());
    app.key(KeyCode::Up);
    assert_eq!(app.field_value(), "$(touch pwned)", "↑ from no choice is the last one");
    app.key(KeyCode::Enter);
    let Some(Overlay::Confirm(confirm)) = app.overlay() else { panic!("{:?}", app.overlay()) };
    assert_eq!(confirm.command, "echo '$(touch pwned)'");
    // Run as the loop would: it prints the line, and touches nothing.
    let dir = Dir::new();
    let out =
        std::process::Command::new("sh").arg("-c").arg(&confirm.command).current_dir(dir.path()).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "$(touch pwned)\n");
    assert!(!dir.path().join("pwned").exists());
}

#[test]
fn a_suggestion_that_hangs_is_cut_at_its_timeout_and_says_so() {
    let mut app = suggest_app();
    app.select_step("suggest-values", 2);
    app.key(KeyCode::Enter);
    app.ctrl('l');
    let effects = app.ctrl('l');
    let started = std::time::Instant::now();
    list_as_the_loop_does(&mut app, &effects);
    assert!(started.elapsed() < Duration::from_secs(10), "cut at 1 s, not after sleep's 30");
    assert!(app.text().contains("✗ listing its values was cut at its timeout, 1 s (^L again)"), "{}", app.text());
    assert_eq!(app.field_value(), "", "nothing chosen for the person");
}

#[test]
fn a_suggestion_uses_the_other_values_quoted_and_waits_for_them() {
    let mut app = suggest_app();
    app.select_step("suggest-values", 3);
    app.key(KeyCode::Enter);
    // The namespace is filled (its default); the pod's field has the keyboard.
    assert_eq!(app.field_value(), "");
    app.ctrl('l');
    assert!(app.text().contains("$ printf '%s 1/1 Running\\n' shop-web"), "{}", app.text());
    let effects = app.ctrl('l');
    list_as_the_loop_does(&mut app, &effects);
    assert!(app.text().contains("listed: shop-web · shop-db (↑↓)"), "the first column: {}", app.text());
    // With the namespace emptied, it cannot run and says what it needs.
    app.key(KeyCode::BackTab);
    app.ctrl('u');
    app.key(KeyCode::Tab);
    assert!(app.ctrl('l').is_empty());
    let status = app.screen().lines().last().unwrap().to_owned();
    assert!(status.contains("fill {{namespace}} first: listing the values uses it"), "{status}");
    // A value the form refuses never reaches the suggestion either.
    app.key(KeyCode::BackTab);
    app.type_text("-oProxyCommand=touch x");
    app.key(KeyCode::Tab);
    assert!(app.ctrl('l').is_empty(), "nothing runs");
    let status = app.screen().lines().last().unwrap().to_owned();
    assert!(status.contains("fix {{namespace}} first"), "{status}");
    // A value with a space is quoted in the suggestion as in a step.
    app.key(KeyCode::BackTab);
    app.ctrl('u');
    app.type_text("team a");
    app.key(KeyCode::Tab);
    app.ctrl('l');
    assert!(app.text().contains("'team a'-db"), "{}", app.text());
    // Listed for `team a`, the pods are not offered for another namespace.
    let effects = app.ctrl('l');
    list_as_the_loop_does(&mut app, &effects);
    app.key(KeyCode::BackTab);
    app.ctrl('u');
    app.type_text("dev");
    app.key(KeyCode::Tab);
    assert!(app.text().contains("listed with other values than these: ^L lists again"), "{}", app.text());
    app.key(KeyCode::Down);
    let Some(Overlay::Form(form)) = app.overlay() else { panic!("{:?}", app.overlay()) };
    assert_eq!(form.fields[1].value(), "", "no stale pod offered: ↓ moves to the next field");
}

/// The navigator over a copy of the fixture catalog `name` (its one file,
/// `name.toml`) in a directory of its own, to write to; with the file's text.
fn over_a_copy(name: &str, width: u16, height: u16) -> (Dir, String, App) {
    let dir = Dir::new();
    let text = std::fs::read_to_string(Path::new(FIXTURES).join(name).join(format!("{name}.toml"))).unwrap();
    dir.write(&format!("{name}.toml"), &text);
    let app = App::new(&[Source::Path(dir.path().to_owned())], width, height);
    (dir, text, app)
}

/// The catalog of `dir` read again, as the loop hands it to the update.
fn read_again(app: &mut App, dir: &Path) -> Vec<Effect> {
    let loaded = pagerbook::catalog::load(&[Source::Path(dir.to_owned())]);
    let catalog = std::sync::Arc::new(loaded.catalog);
    // The search worker is handed it before the update's query.
    app.index = pagerbook::search::Index::new(catalog.clone());
    let catalog = pagerbook::tui::action::SharedCatalog(catalog);
    app.apply(Action::Reloaded(Box::new(pagerbook::tui::action::Reloaded { catalog, diagnostics: loaded.diagnostics })))
}

#[test]
fn a_catalog_read_again_keeps_the_entry_in_view_and_closes_a_form_whose_command_changed() {
    let (dir, original, mut app) = over_a_copy("suggest", 100, 30);
    app.select_step("suggest-values", 1);
    app.key(KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(Overlay::Form(_))));
    // An entry ahead of it moves it down the list; its step 1 keeps its
    // command, its step 2 changes.
    let earlier = "[[failure]]\nid = \"aaa-first\"\ntitle = \"First now\"\nlayer = \"drill\"\nsymptom = \"s\"\n\
                   recovery = \"r\"\nfrequency = \"rare\"\nseverity = \"low\"\n\n";
    let changed = original
        .replace("[[failure]]\nid = \"suggest-values\"", &format!("{earlier}[[failure]]\nid = \"suggest-values\""));
    dir.write("suggest.toml", &changed);
    read_again(&mut app, dir.path());
    let Some(Overlay::Form(form)) = app.overlay() else { panic!("the form stays: {:?}", app.overlay()) };
    let entry = app.state.catalog.position("suggest-values").unwrap();
    assert_eq!((form.key.entry, form.key.step), (entry, 1), "the form follows its step");
    assert_eq!(app.state.shown_entry(), Some(entry), "the detail follows its entry");
    assert!(app.screen().contains("catalog read again: 2 entries"), "{}", app.screen());
    // Its command changed on disk: the form closes and says why.
    dir.write("suggest.toml", changed.replace("run = \"echo {{word}}\"", "run = \"echo changed {{word}}\""));
    read_again(&mut app, dir.path());
    assert!(app.overlay().is_none(), "{:?}", app.overlay());
    assert!(app.screen().contains("the step changed on disk"), "{}", app.screen());
    assert_eq!(app.state.shown_entry(), Some(entry));
    // A file saved half-way keeps the catalog as it was, and F2 says why.
    dir.write("suggest.toml", "[[failure]]\nid = \"broken");
    read_again(&mut app, dir.path());
    // Read again as it stands (the editor's save, then the watch's): still kept.
    read_again(&mut app, dir.path());
    assert_eq!(app.state.shown_entry(), Some(entry), "still on screen");
    assert!(app.screen().contains("a catalog file has a new error"), "{}", app.screen());
    assert!(app.state.diagnostics.iter().any(|d| d.message.contains("invalid TOML")), "{:?}", app.state.diagnostics);
    // The entry gone, the detail closes and the list shows what is left.
    dir.write("suggest.toml", changed.split("[[failure]]\nid = \"suggest-values\"").next().unwrap());
    read_again(&mut app, dir.path());
    assert_eq!(app.state.detail, None);
    assert!(app.screen().contains("First now"), "{}", app.screen());
}

#[test]
fn searching_while_the_catalog_is_read_again_keeps_the_selected_entry() {
    let dir = Dir::new();
    let original = std::fs::read_to_string(Path::new(FIXTURES).join("suggest/suggest.toml")).unwrap();
    let second = original
        .replace("id = \"suggest-values\"", "id = \"pick-values\"")
        .replace("title = \"Suggest:", "title = \"Pick:");
    // The second entry, without the file's vars and layer.
    let (_, entry) = second.split_once("[[failure]]").unwrap();
    let both = format!("{original}\n[[failure]]{entry}");
    dir.write("suggest.toml", &both);
    let mut app = App::new(&[Source::Path(dir.path().to_owned())], 100, 30);
    app.type_text("value");
    let chosen = app.state.results().hits[1].entry;
    app.key(KeyCode::Down);
    let id = app.state.catalog.entries()[chosen].id().to_owned();
    dir.write("suggest.toml", both.replace("A placeholder whose", "One placeholder whose"));
    read_again(&mut app, dir.path());
    let selected = app.state.results().hits[app.state.selected].entry;
    assert_eq!(app.state.catalog.entries()[selected].id(), id, "the selection stays on its entry");
    assert!(app.state.search_text() == "value", "the query stays");
}

#[test]
fn our_own_catalog_lists_a_node_at_the_first_key_and_strips_its_prefix() {
    let mut app = App::new(&[Source::Embedded], 100, 30);
    // Whichever step of a node failure asks for the node alone, as the
    // catalog is reworded.
    let catalog = app.state.catalog.clone();
    let (id, step) = catalog
        .entries()
        .iter()
        .find_map(|e| {
            let alone = |s: &pagerbook::catalog::Step| {
                s.run().is_some_and(|r| r.contains("{{node}}") && r.matches("{{").count() == 1)
            };
            Some((e.id(), e.steps.iter().position(alone)?))
        })
        .unwrap();
    app.select_step(id, step);
    app.key(KeyCode::Enter);
    // The embedded catalog is ours: nothing to show first.
    let effects = app.ctrl('l');
    let Some(Effect::List(request)) = effects.first() else { panic!("{effects:?}") };
    assert_eq!(request.command, "kubectl get nodes -o name");
    let listed =
        pagerbook::suggest::Listed::Offered(request.suggest.offered(["node/node-1", "node/node-2"], &request.var));
    app.apply(Action::Listed(Box::new(((**request).clone(), listed))));
    app.key(KeyCode::Down);
    assert_eq!(app.field_value(), "node-1");
}

#[test]
fn a_catalog_read_again_while_a_step_runs_waits_for_its_end() {
    let (dir, original, mut app) = over_a_copy("drill", 100, 30);
    app.select_step("drill-echo", 1);
    app.ctrl('r');
    let (id, _) = started_run(&app.key(KeyCode::Enter)).unwrap();
    // A step inserted before it: the running one's position now holds another.
    let inserted = original.replacen(
        "[[failure.steps]]",
        "[[failure.steps]]\ndo = \"New first.\"\nrun = \"true\"\n\n[[failure.steps]]",
        1,
    );
    dir.write("drill.toml", &inserted);
    assert!(read_again(&mut app, dir.path()).is_empty(), "nothing searched yet");
    assert!(app.screen().contains("shown once what runs has ended"), "{}", app.screen());
    let before = app.state.catalog.clone();
    let effects = app.apply(Action::RunExited {
        id,
        last_output: Output::default(),
        outcome: Outcome { code: Some(0), signal: None },
        printed: None,
    });
    assert!(!std::sync::Arc::ptr_eq(&before, &app.state.catalog), "read again once it ended");
    assert!(effects.iter().any(|e| matches!(e, Effect::SearchCatalog(_))), "{effects:?}");
    assert!(app.state.runs.is_empty(), "the run was of a step that moved: no other step shows it");
}

#[test]
fn a_reload_that_waited_for_a_listing_is_shown_once_its_form_is_closed() {
    let (dir, original, mut app) = over_a_copy("suggest", 140, 30);
    app.select_step("suggest-values", 2);
    app.key(KeyCode::Enter);
    app.ctrl('l');
    assert!(matches!(app.ctrl('l').first(), Some(Effect::List(_))), "listing");
    dir.write("suggest.toml", original.replace("Suggest: pick", "Renamed: pick"));
    read_again(&mut app, dir.path());
    assert!(app.state.pending_reload.is_some(), "waits for the listing");
    // Closed before its answer came: nothing is left under way.
    let effects = app.key(KeyCode::Esc);
    assert!(effects.iter().any(|e| matches!(e, Effect::SearchCatalog(_))), "{effects:?}");
    assert!(app.screen().contains("Renamed: pick"), "{}", app.screen());
}
