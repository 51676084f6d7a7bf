//! The real binary: exit codes, output formats, and where catalogs come from.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use clap::Parser;
use pagerbook::cli::Cli;

mod util;
use util::{Dir, clean_command, fixture, pagerbook, stdout};

const CATALOG: &str = r#"
[[layer]]
id = "team"
title = "Team"
order = 10

[vars.host]
description = "Host to look up"
default = "example.org"

[[failure]]
id = "dns-broken"
title = "DNS broken"
layer = "team"
symptom = "Names do not resolve."
signals = ["no such host"]
recovery = "Wait."
frequency = "rare"
severity = "high"

[[failure.steps]]
do = "Look the name up."
run = "dig +short {{host}}"

[[runbook]]
id = "flush-cache"
title = "Flush the cache"
summary = "Empties it."

[[runbook.steps]]
do = "Flush."
run = "echo flush"
danger = "destructive"
"#;

/// Runs pagerbook with a clean environment and `input` on standard input.
fn pagerbook_reading(home: &Path, args: &[&str], input: &str) -> Output {
    let mut child =
        clean_command(home, args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A directory holding `CATALOG` as team.toml, and that file's path.
fn with_catalog() -> (Dir, String) {
    let dir = Dir::new();
    let file = dir.write("team.toml", CATALOG).display().to_string();
    (dir, file)
}

#[test]
fn list_groups_by_layer_then_runbooks() {
    let (dir, file) = with_catalog();
    let out = pagerbook(dir.path(), &["--catalog", &file, "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Team (team)\n  dns-broken   DNS broken  [rare, high]\n\nRunbooks\n  flush-cache  Flush the cache\n\n1 failure mode and 1 runbook\n"
    );
}

#[test]
fn a_minimal_entry_lists_under_unsorted_with_unknown_ratings() {
    let (dir, file) = with_catalog();
    let draft = dir
        .write(
            "draft.toml",
            "[[failure]]\nid = \"first-draft\"\ntitle = \"First draft\"\nsymptom = \"Something is off.\"\n",
        )
        .display()
        .to_string();
    let out = pagerbook(dir.path(), &["--catalog", &draft, "--catalog", &file, "list"]);
    assert_eq!((out.status.code(), stderr(&out).as_str()), (Some(0), ""));
    assert_eq!(
        stdout(&out),
        "Team (team)\n  dns-broken   DNS broken  [rare, high]\n\n\
         Unsorted (unsorted)\n  first-draft  First draft  [unknown, unknown]\n\n\
         Runbooks\n  flush-cache  Flush the cache\n\n\
         2 failure modes and 1 runbook\n"
    );
    let shown = stdout(&pagerbook(dir.path(), &["--catalog", &draft, "show", "first-draft"]));
    assert!(
        shown.contains("failure mode · layer unsorted (Unsorted)\nfrequency unknown · severity unknown\n"),
        "{shown}"
    );
}

#[test]
fn list_json_is_stable() {
    let (dir, file) = with_catalog();
    let out = pagerbook(dir.path(), &["--catalog", &file, "list", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "layers": [{"id": "team", "title": "Team", "order": 10}],
            "entries": [
                {"id": "dns-broken", "kind": "failure", "layer": "team", "title": "DNS broken", "frequency": "rare", "severity": "high"},
                {"id": "flush-cache", "kind": "runbook", "layer": null, "title": "Flush the cache", "frequency": null, "severity": null}
            ]
        })
    );
}

#[test]
fn show_prints_an_entry_in_full() {
    let (dir, file) = with_catalog();
    let out = pagerbook(dir.path(), &["--catalog", &file, "show", "dns-broken"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for expected in [
        "dns-broken: DNS broken",
        "layer team (Team)",
        "frequency rare · severity high",
        "Symptom\n  Names do not resolve.",
        "Signals\n  - no such host",
        "Steps\n  1. Look the name up.\n     $ dig +short {{host}}",
        "{{host}}  Host to look up (default: example.org)",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    let runbook = stdout(&pagerbook(dir.path(), &["--catalog", &file, "show", "flush-cache"]));
    assert!(runbook.contains("1. Flush.\n     [danger: destructive]\n     $ echo flush"), "{runbook}");
}

#[test]
fn show_json_has_the_catalog_fields() {
    let (dir, file) = with_catalog();
    let out = pagerbook(dir.path(), &["--catalog", &file, "show", "dns-broken", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["kind"], "failure");
    assert_eq!(json["symptom"], "Names do not resolve.");
    assert_eq!(
        json["steps"][0],
        serde_json::json!({"do": "Look the name up.", "run": "dig +short {{host}}", "lang": "bash", "danger": "safe", "interactive": false})
    );
    assert_eq!(json["vars"]["host"]["default"], "example.org");
    assert_eq!(json["origin"]["line"], 11);
}

#[test]
fn unknown_id_exits_1_with_suggestions() {
    let (dir, file) = with_catalog();
    let out = pagerbook(dir.path(), &["--catalog", &file, "show", "dns-brokn"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert_eq!(
        stderr(&out),
        "pagerbook: error: no failure mode or runbook with id `dns-brokn`; did you mean dns-broken?\n"
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    let dir = Dir::new();
    let out = pagerbook(dir.path(), &["list", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Usage: pagerbook list"), "{}", stderr(&out));
    let out = pagerbook(dir.path(), &["check", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_has_examples_on_every_command() {
    let dir = Dir::new();
    for command in
        [&["--help"][..], &["list", "--help"], &["show", "--help"], &["check", "--help"], &["sources", "--help"]]
    {
        let out = pagerbook(dir.path(), command);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("Examples:"), "{command:?}");
    }
}

#[test]
fn check_reports_three_mistakes_and_exits_1() {
    let dir = Dir::new();
    let broken = CATALOG
        .replace("recovery = \"Wait.\"", "recovry = \"Wait.\"")
        .replace("\"rare\"", "\"sometimes\"")
        .replace("dig +short {{host}}", "dig +short {{hots}}");
    let file = dir.write("bad.toml", broken);
    let out = pagerbook(dir.path(), &["check", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let located: Vec<&str> = text.lines().filter(|l| l.contains(": error: ")).collect();
    assert!(text.contains(": warning: var `host` is declared in this file but no command uses"), "{text}");
    let path = file.display();
    assert_eq!(located.len(), 3, "{text}");
    assert!(located[0].starts_with(&format!("{path}:17:1: error: unknown field `recovry`")), "{text}");
    assert!(located[1].starts_with(&format!("{path}:18:13: error: invalid `frequency` `sometimes`")), "{text}");
    assert!(located[2].starts_with(&format!("{path}:23:19: error: placeholder `{{{{hots}}}}`")), "{text}");
    assert!(text.ends_with("checked 1 file: 1 entry loaded, 3 errors and 1 warning\n"), "{text}");
}

#[test]
fn check_json_lists_diagnostics() {
    let dir = Dir::new();
    let file = dir.write("bad.toml", "[[layer]]\nid = 3\n");
    let out = pagerbook(dir.path(), &["check", "--format", "json", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let diagnostics = json.as_array().unwrap();
    let id_error = diagnostics.iter().find(|d| d["message"] == "`id` must be a string, not an integer").unwrap();
    assert_eq!(
        (id_error["line"].as_u64(), id_error["column"].as_u64(), id_error["level"].as_str()),
        (Some(2), Some(6), Some("error"))
    );
    assert_eq!(id_error["path"], file.display().to_string());
    assert_eq!(diagnostics.len(), 3, "{json:#}");
}

#[test]
fn check_on_a_clean_catalog_exits_0() {
    let (dir, file) = with_catalog();
    let out = pagerbook(dir.path(), &["check", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "checked 1 file: 2 entries loaded, no problems\n");
}

/// A team's own directory: entries in built-in layers, one linking to an
/// embedded failure mode and runbook, no `[[layer]]` of its own.
fn team_dir(link: &str) -> Dir {
    let dir = Dir::new();
    let edge = "[[failure]]\nid = \"our-cdn-down\"\ntitle = \"Our CDN down\"\nlayer = \"edge\"\nsymptom = \"s\"\n";
    dir.write("team/edge.toml", format!("{edge}{link}"));
    let external =
        "[[failure]]\nid = \"our-smtp-down\"\ntitle = \"Our SMTP down\"\nlayer = \"external\"\nsymptom = \"s\"\n";
    dir.write("team/external.toml", external);
    dir
}

#[test]
fn check_path_knows_the_embedded_layers_and_ids() {
    let dir = team_dir("related = [\"cdn-pop-outage\"]\nrunbooks = [\"cdn-bypass\"]\n");
    let team = dir.path().join("team").display().to_string();
    let out = pagerbook(dir.path(), &["check", &team]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "checked 2 files: 2 entries loaded, no problems\n");
}

#[test]
fn check_path_accepts_a_replaced_embedded_entry_and_says_how_to_replace_one() {
    let dir = Dir::new();
    let ours = "[[failure]]\nid = \"coredns-down\"\ntitle = \"Our DNS\"\nsymptom = \"s\"\n";
    let path = dir.write("dns.toml", format!("{ours}replaces = true\n")).display().to_string();
    let out = pagerbook(dir.path(), &["check", &path]);
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), "checked 1 file: 1 entry loaded, no problems\n"));
    dir.write("dns.toml", ours);
    let out = pagerbook(dir.path(), &["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "{path}:2:6: error: duplicate id `coredns-down`: it is already defined at <embedded>/catalog/"
        )),
        "{text}"
    );
    assert!(first.ends_with("; this one is ignored (to replace it, add `replaces = true`)"), "{text}");
}

#[test]
fn check_strict_warns_at_each_entry_and_still_exits_0() {
    let dir = team_dir("");
    let team = dir.path().join("team").display().to_string();
    let out = pagerbook(dir.path(), &["check", "--strict", &team]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    let warnings: Vec<&str> = text.lines().filter(|line| line.contains(": warning: ")).collect();
    assert_eq!(warnings.len(), 14, "seven for each of the two entries:\n{text}");
    assert_eq!(
        warnings[1],
        format!(
            "{team}/edge.toml:1:1: warning: failure `our-cdn-down` has no `signals`: the log lines and alerts people paste, which search matches"
        )
    );
    assert!(text.ends_with("checked 2 files: 2 entries loaded, 0 errors and 14 warnings\n"), "{text}");
}

#[test]
fn check_with_catalog_knows_the_embedded_layers_but_not_their_entries() {
    let dir = team_dir("");
    let team = dir.path().join("team").display().to_string();
    let out = pagerbook(dir.path(), &["--catalog", &team, "check"]);
    assert_eq!(
        (out.status.code(), stdout(&out).as_str()),
        (Some(0), "checked 2 files: 2 entries loaded, no problems\n")
    );
    // `--catalog` replaces the embedded entries, so a link to one dangles there.
    let linked = team_dir("related = [\"cdn-pop-outage\"]\n");
    let team = linked.path().join("team").display().to_string();
    let out = pagerbook(linked.path(), &["--catalog", &team, "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with(&format!(
            "{team}/edge.toml:6:12: error: `related` of `our-cdn-down` names `cdn-pop-outage`, which is not a known failure mode"
        )),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_reports_the_config_file_and_counts_it_in_the_exit_code() {
    let dir = Dir::new();
    let config = dir.write(".config/pagerbook/config.toml", "readonly = true\n");
    let out = pagerbook(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let message = "unknown setting `readonly`; did you mean `read_only`? (commands will not run until this is fixed)";
    assert!(text.starts_with(&format!("{}:1:1: error: {message}\n", config.display())), "{text}");
    assert!(text.ends_with(" entries and 9 drills loaded, 1 error and 0 warnings\n"), "{text}");
    // Given paths are checked alone, without the settings.
    let (_catalog_dir, file) = with_catalog();
    let out = pagerbook(dir.path(), &["check", &file]);
    assert_eq!(
        (out.status.code(), stdout(&out).as_str()),
        (Some(0), "checked 1 file: 2 entries loaded, no problems\n")
    );
}

#[test]
fn default_sources_are_embedded_then_user_dir_then_env() {
    let (dir, file) = with_catalog();
    let mine = dir.write(
        ".config/pagerbook/catalog/mine.toml",
        "[[runbook]]\nid = \"mine\"\ntitle = \"Mine\"\nsummary = \"s\"\n",
    );
    let user = mine.parent().unwrap();
    let out = clean_command(dir.path(), &["sources"]).env("PAGERBOOK_CATALOG", &file).output().unwrap();
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("embedded catalog: "), "{text}");
    assert_eq!(lines[1], format!("user catalog directory {}: 1 file, 1 entry", user.display()));
    assert_eq!(lines[2], format!("PAGERBOOK_CATALOG {file}: 1 file, 2 entries"));
}

#[test]
fn catalog_flag_reads_only_what_it_names() {
    let (dir, file) = with_catalog();
    let out = pagerbook(dir.path(), &["--catalog", &file, "sources"]);
    assert_eq!(stdout(&out), format!("{file}: 1 file, 2 entries\n"));
}

#[test]
fn problems_in_the_catalog_are_noted_on_stderr_and_the_rest_lists() {
    let (dir, file) = with_catalog();
    let broken = dir.write("broken.toml", "[[failure]]\nid = \"x\"\n");
    let out = pagerbook(dir.path(), &["--catalog", &file, "--catalog", &broken.display().to_string(), "list"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("dns-broken"));
    assert_eq!(
        stderr(&out),
        "pagerbook: the catalog has 2 errors and 0 warnings (run `pagerbook check` for details)\n"
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // More than a pipe holds (64 KiB, 1 MiB if enlarged to fs.pipe-max-size):
    // however early or late the pipe closes, some write finds it closed
    // (EPIPE) rather than the whole list fitting in the pipe.
    let dir = Dir::new();
    let mut entries = String::new();
    for i in 0..10_000 {
        let title = format!("Generated failure mode {i}, its title long enough to fill a pipe soon");
        writeln!(entries, "[[failure]]\nid = \"generated-{i}\"\ntitle = \"{title}\"\nsymptom = \"s\"").unwrap();
    }
    let file = dir.write("many.toml", entries).display().to_string();
    let args = ["--catalog", file.as_str(), "list"];
    let listed = pagerbook(dir.path(), &args).stdout.len();
    assert!(listed > 1 << 20, "the list is {listed} bytes: a pipe may hold it all");
    let mut child = clean_command(dir.path(), &args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn a_pasted_dns_error_finds_coredns_first() {
    let dir = Dir::new();
    let out = pagerbook(
        dir.path(),
        &["search", "--json", "dial tcp: lookup db.prod.svc.cluster.local on 10.43.0.10:53: no such host"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let hits: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let first = &hits[0];
    assert_eq!(first["id"], "coredns-down");
    assert_eq!((first["kind"].as_str(), first["layer"].as_str()), (Some("failure"), Some("control-plane")));
    assert!(first["score"].as_f64().unwrap() > hits[1]["score"].as_f64().unwrap());
    assert!(first["title"].as_str().is_some_and(|t| !t.is_empty()));
}

#[test]
fn search_prints_hits_and_exits_1_on_none() {
    let (dir, file) = with_catalog();
    let out = pagerbook(dir.path(), &["--catalog", &file, "search", "flush"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("flush-cache") && text.contains("runbook") && text.contains("Flush the cache"), "{text}");
    let out = pagerbook(dir.path(), &["--catalog", &file, "search", "zzzzqqq"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "pagerbook: nothing matches `zzzzqqq`\n");
}

#[test]
fn search_limit_and_filters() {
    let dir = Dir::new();
    let out = pagerbook(dir.path(), &["search", "--json", "-n", "2", "kind:runbook", "rollback"]);
    let hits: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h["kind"] == "runbook"), "{hits:?}");
}

#[test]
fn typed_words_next_to_each_other_rank_first() {
    let dir = Dir::new();
    let out = pagerbook(dir.path(), &["search", "--json", "no", "such", "host"]);
    let hits: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(hits[0]["id"], "coredns-down", "{hits:#}");
}

#[test]
fn the_navigator_explains_itself_where_it_cannot_run() {
    let dir = Dir::new();
    let out = pagerbook(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "pagerbook: the navigator needs a terminal; use `pagerbook list`, `pagerbook show ID` or `pagerbook search QUERY` instead\n"
    );
    let dumb = clean_command(dir.path(), &[]).env("TERM", "dumb").output().unwrap();
    assert_eq!(dumb.status.code(), Some(1));
    assert!(stderr(&dumb).starts_with("pagerbook: TERM=dumb cannot show the navigator;"), "{}", stderr(&dumb));
}

#[test]
fn cmd_prints_the_final_command_with_quoted_values() {
    let (dir, file) = with_catalog();
    let out = pagerbook(dir.path(), &["--catalog", &file, "cmd", "dns-broken", "1"]);
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), "dig +short example.org\n"));
    let hostile = "x; rm -rf / $(reboot)";
    let out =
        pagerbook(dir.path(), &["--catalog", &file, "cmd", "dns-broken", "1", "--var", &format!("host={hostile}")]);
    assert_eq!(stdout(&out), "dig +short 'x; rm -rf / $(reboot)'\n");
    let echoed = Command::new("sh").arg("-c").arg(stdout(&out).replace("dig +short", "printf %s")).output().unwrap();
    assert_eq!(stdout(&echoed), hostile);
}

#[test]
fn cmd_refuses_bad_values_and_says_what_is_missing() {
    let (dir, file) = with_catalog();
    let run = |args: &[&str]| {
        let mut all = vec!["--catalog", file.as_str(), "cmd", "dns-broken", "1"];
        all.extend_from_slice(args);
        pagerbook(dir.path(), &all)
    };
    let out = run(&["--var", "host=a\u{1b}[2Jb"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "pagerbook: error: the value of {{host}}: control character U+001B is not allowed\n");
    // Regression (issue 11 #11): `-oProxyCommand=…` in an ssh host only
    // warned, and ssh ran the local command.
    let out = run(&["--var", "host=-oProxyCommand=touch PWNED"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the value of {{host}}: starts with `-`, which a command would take for an option"));
    assert!(stdout(&out).is_empty());
    let out = run(&["--var", "host="]);
    assert_eq!(stderr(&out), "pagerbook: error: the value of {{host}}: a value is required\n");
    let out = pagerbook(dir.path(), &["--catalog", &file, "cmd", "dns-broken", "2"]);
    assert_eq!(stderr(&out), "pagerbook: error: `dns-broken` has no command at step 2 (it has 1 step)\n");
    let without_default = CATALOG.replace("default = \"example.org\"\n", "");
    std::fs::write(&file, without_default).unwrap();
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "pagerbook: error: no value for {{host}} (Host to look up): pass --var host=VALUE\n");
}

#[test]
fn words_that_are_not_a_subcommand_were_an_unrecognized_subcommand() {
    let dir = Dir::new();
    for args in [&["coredns"][..], &["no", "such", "host"]] {
        let out = pagerbook(dir.path(), args);
        // Exit 1 from the navigator (no terminal here), not 2 from clap.
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("pagerbook: the navigator needs a terminal"), "{}", stderr(&out));
    }
    let cli = Cli::try_parse_from(["pagerbook", "no", "such", "host"]).unwrap();
    assert_eq!((cli.query.join(" "), cli.command.is_none()), ("no such host".to_owned(), true));
    let cli = Cli::try_parse_from(["pagerbook", "--catalog", "team", "list"]).unwrap();
    assert!(cli.query.is_empty() && matches!(cli.command, Some(pagerbook::cli::Command::List { .. })));
}

#[test]
fn a_query_close_to_a_subcommand_says_which_was_meant() {
    let dir = Dir::new();
    let out = pagerbook(dir.path(), &["shwo", "coredns-down"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert_eq!(
        text.lines().next(),
        Some("pagerbook: `shwo` is not a command, so it is searched for; did you mean `pagerbook show`?"),
        "{text}"
    );
    let out = pagerbook(dir.path(), &["coredns"]);
    assert!(!stderr(&out).contains("did you mean"), "{}", stderr(&out));
}

#[test]
fn a_misspelled_flag_beside_a_query_is_still_a_usage_error() {
    let dir = Dir::new();
    for args in [&["coredns", "--jsn"][..], &["--bogus"]] {
        let out = pagerbook(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("Usage: pagerbook [OPTIONS] [QUERY]...\n       pagerbook [OPTIONS] <COMMAND>"));
    }
    let help = stdout(&pagerbook(dir.path(), &["--help"]));
    assert!(help.contains("Open the navigator with these words typed as its query"), "{help}");
}

#[test]
fn search_dash_listed_the_whole_catalog_instead_of_reading_stdin() {
    let (dir, file) = with_catalog();
    let out = pagerbook_reading(dir.path(), &["--catalog", &file, "search", "-"], "no such host\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("dns-broken") && !text.contains("flush-cache"), "{text}");
    // Every line is read: the word that finds the runbook is on the second.
    let out = pagerbook_reading(dir.path(), &["--catalog", &file, "search", "-"], "qqqq\nflush\n");
    assert!(stdout(&out).contains("flush-cache"), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn search_with_nothing_to_search_for_listed_the_whole_catalog() {
    let (dir, file) = with_catalog();
    let cases = [
        ("!", "the query has no words, only punctuation"),
        (":", "the query has no words, only punctuation"),
        ("", "the query is empty"),
        ("!dns", "the query only excludes words (`!word`); add a word to search for"),
    ];
    for (query, why) in cases {
        let out = pagerbook(dir.path(), &["--catalog", &file, "search", query]);
        assert_eq!(out.status.code(), Some(2), "{query:?}");
        assert!(stdout(&out).is_empty(), "{query:?}: {}", stdout(&out));
        assert_eq!(stderr(&out), format!("pagerbook: error: nothing to search for: {why}\n"), "{query:?}");
    }
    let out = pagerbook_reading(dir.path(), &["--catalog", &file, "search", "-"], " \n\n");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "pagerbook: error: nothing to search for: standard input is empty\n");
    let out = pagerbook(dir.path(), &["--catalog", &file, "search", "-", "dns"]);
    assert_eq!(out.status.code(), Some(2));
    // A filter alone asks for something: that layer's entries.
    let out = pagerbook(dir.path(), &["--catalog", &file, "search", "layer:team"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("dns-broken") && !stdout(&out).contains("flush-cache"));
}

#[test]
fn an_exact_id_ranked_below_a_runbook_sharing_its_words() {
    let dir = Dir::new();
    for id in ["config-rollback", "cluster-total-loss", "redis-failover-failed"] {
        let out = pagerbook(dir.path(), &["search", "--json", id]);
        let hits: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(hits[0]["id"], id, "{hits:#}");
    }
}

#[test]
fn a_minimal_entry_in_the_user_catalog_directory_loads_shows_and_searches() {
    // Regression: a first entry needed seven fields and was dropped without
    // them; id, title and symptom are enough.
    let dir = Dir::new();
    let entry = "[[failure]]\nid = \"webhooks-stuck\"\ntitle = \"Payment webhooks pile up\"\nsymptom = \"Orders stay pending while the webhook queue grows.\"\n";
    dir.write(".config/pagerbook/catalog/team.toml", entry);
    let check = pagerbook(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}{}", stdout(&check), stderr(&check));
    let show = pagerbook(dir.path(), &["show", "webhooks-stuck"]);
    assert_eq!(show.status.code(), Some(0), "{}", stderr(&show));
    assert!(stdout(&show).contains("Orders stay pending while the webhook queue grows."), "{}", stdout(&show));
    assert!(stdout(&show).contains("layer unsorted (Unsorted)"), "{}", stdout(&show));
    let search = pagerbook(dir.path(), &["search", "webhook queue pending"]);
    assert_eq!(search.status.code(), Some(0));
    assert!(stdout(&search).lines().next().unwrap().contains("webhooks-stuck"), "{}", stdout(&search));
}

#[test]
fn a_teams_aliases_are_searched_and_shown_and_a_best_hit_lacking_words_says_so() {
    let dir = Dir::new();
    let entry = "[[failure]]\nid = \"webhooks-stuck\"\ntitle = \"Payment webhooks pile up\"\naliases = [\"PSP backlog\"]\nsymptom = \"Orders stay pending.\"\n";
    dir.write(".config/pagerbook/catalog/team.toml", entry);
    let show = pagerbook(dir.path(), &["show", "webhooks-stuck"]);
    assert!(stdout(&show).contains("Also known as") && stdout(&show).contains("PSP backlog"), "{}", stdout(&show));
    // "psp" is only in the alias; "yesterday" is in no entry at all.
    let search = pagerbook(dir.path(), &["search", "psp backlog since yesterday"]);
    assert_eq!(search.status.code(), Some(0));
    assert!(stdout(&search).lines().next().unwrap().contains("webhooks-stuck"), "{}", stdout(&search));
    assert_eq!(stderr(&search), "pagerbook: the best hit matches 2 of 3 words\n");
}

#[test]
fn cmd_never_takes_a_destructive_steps_target_from_its_default() {
    // As in the navigator: the value to be destroyed is one the person names.
    // A team's catalog may still give one a default (check warns about it).
    let dir = Dir::new();
    let catalog = std::fs::read_to_string(fixture("drill/drill.toml")).unwrap();
    let drill = dir
        .write("drill.toml", catalog.replace("e.g. scratch)\"", "e.g. scratch)\"\ndefault = \"scratch\""))
        .display()
        .to_string();
    let out = pagerbook(dir.path(), &["--catalog", &drill, "cmd", "drill-echo", "5"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("pass --var target=VALUE; a destructive step's target is never taken from its default"),
        "{}",
        stderr(&out)
    );
    let out = pagerbook(dir.path(), &["--catalog", &drill, "cmd", "drill-echo", "5", "--var", "target=scratch"]);
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), "rm -rf /tmp/pagerbook-drill-scratch\n"));
}

#[test]
fn catalog_text_and_file_names_never_reach_the_terminal_raw() {
    // Regression (issue 11 #2): `check` printed an ESC from a file as it was,
    // and a newline in a file name forged a diagnostic line of its own.
    let dir = Dir::new();
    let team = dir.path().join("team");
    let name = "evil\u{1b}[2J\nforged.toml:1:1: error: all is well.toml";
    // A raw ESC in a comment (TOML refuses it: the snippet shows the line),
    // and TOML's `\u001b` in a title (pagerbook refuses it).
    dir.write(&format!("team/{name}"), "# a comment \u{1b}[31m red\n");
    let entry =
        "[[failure]]\nid = \"osc\"\ntitle = \"Fine\\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\u0007\"\nsymptom = \"s\"\n";
    dir.write("team/b.toml", entry);
    let out = pagerbook(dir.path(), &["check", team.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let printed = [out.stdout.clone(), out.stderr.clone()].concat();
    assert!(!printed.contains(&0x1b) && !printed.contains(&0x07), "{}", String::from_utf8_lossy(&printed));
    let text = String::from_utf8_lossy(&printed).into_owned();
    assert!(text.contains("evil␛[2J␊forged.toml"), "the name as it is, on one line:\n{text}");
    assert!(!text.lines().any(|l| l.starts_with("forged.toml")), "a forged line:\n{text}");
    assert!(text.contains("`title` holds control character U+001B"), "{text}");
    assert!(text.contains("# a comment ␛[31m red"), "the snippet, shown:\n{text}");
}

#[test]
fn show_says_the_impact_and_where_a_step_must_run_from() {
    let dir = Dir::new();
    let drill = fixture("drill");
    let text = stdout(&pagerbook(dir.path(), &["--catalog", drill.to_str().unwrap(), "show", "drill-echo"]));
    let impact = text.find("Impact\n  Nobody: drills touch only /tmp and print.").expect(&text);
    assert!(impact < text.find("Recovery\n").unwrap(), "{text}");
    assert!(
        text.contains("List the pods of a namespace (to see where it would run).\n     [run from a shell with the drill cluster's kubeconfig]\n     $ kubectl get pods -n {{namespace}}"),
        "{text}"
    );
}

#[test]
fn an_incident_is_opened_listed_read_and_closed_one_at_a_time() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| pagerbook(home.path(), args);
    let none = run(&["incident", "stop"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("no incident is open: start one with `pagerbook incident start TITLE`"));
    let started = run(&["incident", "start", "Checkout", "5xx"]);
    assert_eq!(started.status.code(), Some(0), "{}", stderr(&started));
    let id = stdout(&started).lines().next().unwrap().split(' ').nth(1).unwrap().to_owned();
    assert!(id.ends_with("-checkout-5xx"), "{id}");
    let journal = home.path().join(".local/share/pagerbook/incidents").join(format!("{id}.jsonl"));
    assert!(stdout(&started).contains(&format!("Journal: {}", journal.display())));
    let twice = run(&["incident", "start", "Other"]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(stderr(&twice).contains(&format!("incident {id} is open: stop it first")), "{}", stderr(&twice));
    assert_eq!(stdout(&run(&["incident", "list"])), format!("{id}  open    Checkout 5xx\n"));
    // Notes and milestones from a shell, a milestone set afterwards.
    assert_eq!(run(&["incident", "note", "TODO:", "page", "sooner"]).status.code(), Some(0));
    assert_eq!(run(&["incident", "milestone", "mitigated", "--at", "1m ago"]).status.code(), Some(0));
    let bad = run(&["incident", "milestone", "mitigated", "--at", "soon"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("`soon` is not a time"), "{}", stderr(&bad));
    let usage = run(&["incident", "milestone", "fixed"]);
    assert_eq!(usage.status.code(), Some(2), "a milestone not among the five is a usage error");
    assert_eq!(run(&["incident", "stop"]).status.code(), Some(0));
    let shown = stdout(&run(&["incident", "show", &id]));
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines[0], format!("{id} (closed): Checkout 5xx"));
    assert!(lines[1].ends_with("  incident opened: Checkout 5xx"), "{shown}");
    assert!(lines[2].ends_with("  note: TODO: page sooner"), "{shown}");
    assert!(lines[3].contains("  mitigated at ") && lines[3].ends_with(" (noted afterwards)"), "{shown}");
    assert!(lines[4].ends_with("  incident closed"), "{shown}");
    let unknown = run(&["incident", "show", "nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("no incident nope"));
}
