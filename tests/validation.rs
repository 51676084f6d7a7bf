//! Every validation case of the catalog format, each asserting the exact path,
//! line and column of what is reported, and that the rest still loads.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use pagerbook::catalog::{Level, LoadOptions, Loaded, Review, Source, TextField, UNSORTED_LAYER, load, load_with};
use pagerbook::search::Results;

mod util;
use util::{Dir, embedded};

/// A valid layer and failure mode to put next to broken ones.
const GOOD: &str = r#"
[[layer]]
id = "edge"
title = "Edge"
order = 10

[[failure]]
id = "good-one"
title = "Good"
layer = "edge"
symptom = "s"
recovery = "r"
frequency = "rare"
severity = "low"
"#;

/// A failure mode's required fields after its id, for building broken files.
const REQUIRED: &str =
    "title = \"T\"\nlayer = \"edge\"\nsymptom = \"s\"\nrecovery = \"r\"\nfrequency = \"rare\"\nseverity = \"low\"\n";

/// (file name, line, column, level, message) of each diagnostic.
fn problems(loaded: &Loaded) -> Vec<(String, u32, u32, Level, String)> {
    loaded
        .diagnostics
        .iter()
        .map(|d| {
            let name = Path::new(&*d.path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, d.line, d.column, d.level, d.message.clone())
        })
        .collect()
}

fn ids(loaded: &Loaded) -> Vec<&str> {
    loaded.catalog.entries().iter().map(pagerbook::catalog::Entry::id).collect()
}

/// Asserts exactly one diagnostic, at `line:col`, whose message holds `needle`.
#[track_caller]
fn assert_one(loaded: &Loaded, file: &str, line: u32, col: u32, level: Level, needle: &str) {
    let found = problems(loaded);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (name, l, c, lv, message) = &found[0];
    assert_eq!((name.as_str(), *l, *c, *lv), (file, line, col, level), "{message}");
    assert!(message.contains(needle), "{message:?} lacks {needle:?}");
}

fn failure(id: &str, extra: &str) -> String {
    format!("[[failure]]\nid = \"{id}\"\n{REQUIRED}{extra}")
}

#[test]
fn toml_syntax_error_is_located_and_other_files_load() {
    let dir = Dir::new();
    dir.write("a.toml", GOOD);
    dir.write("b.toml", "[[failure]]\nid = \"x\"\ntitle = \"unterminated\n");
    let loaded = dir.load();
    assert_one(&loaded, "b.toml", 3, 22, Level::Error, "invalid TOML");
    assert_eq!(ids(&loaded), ["good-one"]);
}

#[test]
fn unknown_field_suggests_the_near_one() {
    let dir = Dir::new();
    dir.write("a.toml", format!("{GOOD}\n{}recovry = \"x\"\n", failure("typo", "")));
    let loaded = dir.load();
    assert_one(
        &loaded,
        "a.toml",
        24,
        1,
        Level::Error,
        "unknown field `recovry` in failure `typo`; did you mean `recovery`?",
    );
    assert_eq!(ids(&loaded), ["good-one"], "the entry with an error is left out, the rest loads");
}

#[test]
fn unknown_top_level_table_suggests_the_near_one() {
    let dir = Dir::new();
    dir.write("a.toml", format!("{GOOD}\n[[failures]]\nid = \"x\"\n"));
    assert_one(&dir.load(), "a.toml", 16, 3, Level::Error, "did you mean `failure`?");
}

#[test]
fn wrong_types_are_reported_with_what_was_expected() {
    let dir = Dir::new();
    dir.write("a.toml", format!("{GOOD}\n{}tags = \"dns\"\n", failure("typed", "")));
    assert_one(&dir.load(), "a.toml", 24, 8, Level::Error, "`tags` must be a list of strings, not a string");
}

#[test]
fn missing_required_field_points_at_the_table() {
    let dir = Dir::new();
    dir.write(
        "a.toml",
        format!("{GOOD}\n[[failure]]\nid = \"half\"\ntitle = \"T\"\n\n[[runbook]]\nid = \"proc\"\ntitle = \"P\"\n"),
    );
    let loaded = dir.load();
    assert_eq!(
        problems(&loaded),
        [
            ("a.toml".into(), 16, 1, Level::Error, "failure `half` has no `symptom`, which is required".into()),
            ("a.toml".into(), 20, 1, Level::Error, "runbook `proc` has no `summary`, which is required".into()),
        ]
    );
    assert_eq!(ids(&loaded), ["good-one"]);
}

#[test]
fn a_minimal_failure_loads_under_unsorted_after_every_layer() {
    let dir = Dir::new();
    // Read first, and beside a layer whose order and id both sort as late as Unsorted's.
    dir.write("a.toml", "[[failure]]\nid = \"minimal\"\ntitle = \"Minimal\"\nsymptom = \"s\"\n");
    dir.write("b.toml", GOOD.replace("order = 10", &format!("order = {}", i64::MAX)).replace("\"edge\"", "\"zone\""));
    let loaded = dir.load();
    assert!(loaded.diagnostics.is_empty(), "{:#?}", problems(&loaded));
    let minimal = loaded.catalog.get("minimal").unwrap();
    assert_eq!(minimal.layer(), Some(UNSORTED_LAYER));
    assert_eq!((minimal.frequency, minimal.severity, minimal.text(TextField::Recovery)), (None, None, None));
    let layers: Vec<_> = loaded.catalog.layers.iter().map(|l| (l.id.as_str(), l.title.as_str())).collect();
    assert_eq!(layers, [("zone", "Edge"), ("unsorted", "Unsorted")]);
    let catalog = &loaded.catalog;
    let browsed: Vec<_> = Results::browse(catalog).hits.iter().map(|hit| catalog.entries()[hit.entry].id()).collect();
    assert_eq!(browsed, ["good-one", "minimal"]);
}

#[test]
fn a_catalog_path_places_entries_in_the_embedded_layers_and_may_redeclare_them() {
    let dir = Dir::new();
    dir.write("a.toml", format!("{GOOD}\n{}", failure("ours", "").replace("\"edge\"", "\"external\"")));
    let loaded = dir.load();
    assert!(loaded.diagnostics.is_empty(), "{:#?}", problems(&loaded));
    let embedded = embedded().catalog.layer("external").unwrap().title.clone();
    let layers: Vec<_> = loaded.catalog.layers.iter().map(|l| (l.id.as_str(), l.title.as_str())).collect();
    assert_eq!(layers, [("edge", "Edge"), ("external", embedded.as_str())], "only the layers in use are listed");
}

#[test]
fn context_counts_for_links_and_duplicates_but_its_problems_are_not_reported() {
    let context = Dir::new();
    context.write("base.toml", GOOD);
    context.write("broken.toml", "[[failure]]\nid = \"x\"\n");
    let dir = Dir::new();
    dir.write("team.toml", failure("linker", "related = [\"good-one\"]\n") + &failure("good-one", ""));
    let options = LoadOptions { context: vec![Source::Path(context.path().to_path_buf())], strict: None };
    let loaded = load_with(&[Source::Path(dir.path().to_path_buf())], &options);
    assert_one(&loaded, "team.toml", 11, 6, Level::Error, "duplicate id `good-one`: it is already defined at");
    assert_eq!(loaded.catalog.get("linker").unwrap().related().collect::<Vec<_>>(), ["good-one"]);
    let reports: Vec<_> = loaded.sources.iter().map(|r| (r.files, r.entries)).collect();
    assert_eq!(reports, [(1, 1)], "the context's files are not counted");
}

#[test]
fn declaring_an_embedded_layer_beside_the_embedded_catalog_is_a_duplicate() {
    let dir = Dir::new();
    dir.write("a.toml", GOOD);
    let options = LoadOptions { context: vec![Source::Embedded], strict: None };
    let loaded = load_with(&[Source::Path(dir.path().to_path_buf())], &options);
    assert_one(
        &loaded,
        "a.toml",
        3,
        6,
        Level::Error,
        "; this one is ignored (the embedded catalog's layers need no declaration)",
    );
    assert_eq!(loaded.catalog.get("good-one").and_then(|e| e.layer()), Some("edge"), "its entry still loads");
}

#[test]
fn a_file_both_checked_and_in_the_context_is_checked() {
    let dir = Dir::new();
    let file = dir.write("a.toml", "[[failure]]\nid = \"x\"\n");
    let options = LoadOptions { context: vec![Source::Path(dir.path().to_path_buf())], strict: None };
    let loaded = load_with(&[Source::Path(file)], &options);
    let found: Vec<_> = problems(&loaded).into_iter().map(|(file, line, col, _, _)| (file, line, col)).collect();
    assert_eq!(found, [("a.toml".into(), 1, 1), ("a.toml".into(), 1, 1)]);
    assert_eq!(loaded.sources[0].files, 1);
}

#[test]
fn strict_warns_at_each_entry_about_what_a_reviewed_entry_should_have() {
    let dir = Dir::new();
    let complete = "impact = \"i\"\nsignals = [\"x\"]\nlast_reviewed = 2025-12-01\n[[failure.steps]]\ndo = \"x\"\n";
    let text = format!(
        "[[failure]]\nid = \"draft\"\ntitle = \"D\"\nsymptom = \"s\"\n\n\
         [[runbook]]\nid = \"proc\"\ntitle = \"P\"\nsummary = \"s\"\n\n{GOOD}{complete}\n\
         [[failure]]\nid = \"stale\"\ntitle = \"S\"\nlayer = \"edge\"\nsymptom = \"s\"\nrecovery = \"r\"\n\
         frequency = \"rare\"\nseverity = \"low\"\n{}",
        complete.replace("2025-12-01", "2025-11-30")
    );
    dir.write("a.toml", text);
    // 2026-12-01: a year back is 2025-12-01, still fresh; the day before is not.
    let today = SystemTime::UNIX_EPOCH + Duration::from_hours(20_788 * 24);
    let strict = LoadOptions { context: Vec::new(), strict: Some(Review::as_of(today, 365)) };
    let loaded = load_with(&[Source::Path(dir.path().to_path_buf())], &strict);
    let found: Vec<_> =
        problems(&loaded).into_iter().map(|(_, line, col, level, message)| (line, col, level, message)).collect();
    let at = |line: u32, message: &str| (line, 1, Level::Warning, message.to_owned());
    assert_eq!(
        found,
        [
            at(1, "failure `draft` has no `layer`, so it is listed under Unsorted"),
            at(1, "failure `draft` has no `impact`: who and what is affected, and how badly"),
            at(1, "failure `draft` has no `signals`: the log lines and alerts people paste, which search matches"),
            at(1, "failure `draft` has no `recovery`: what heals by itself, and what we do"),
            at(1, "failure `draft` has no `frequency` (very-rare, rare, occasional or common), so it shows as unknown"),
            at(1, "failure `draft` has no `severity` (low, medium, high or critical), so it shows as unknown"),
            at(
                1,
                "failure `draft` has no `last_reviewed`: the date someone last checked it against the system (YYYY-MM-DD)"
            ),
            at(1, "failure `draft` has no steps: add a `[[failure.steps]]` table for each thing to do"),
            at(
                6,
                "runbook `proc` has no `last_reviewed`: the date someone last checked it against the system (YYYY-MM-DD)"
            ),
            at(6, "runbook `proc` has no steps: add a `[[runbook.steps]]` table for each thing to do"),
            (
                41,
                17,
                Level::Warning,
                "failure `stale` was last reviewed on 2025-11-30, more than 365 days ago: check it against the system and update `last_reviewed`".to_owned()
            ),
        ]
    );
    assert_eq!(ids(&loaded).len(), 4, "warnings leave every entry in");
    assert!(dir.load().diagnostics.is_empty(), "without strict, a minimal entry is fine");
}

#[test]
fn the_unsorted_layer_id_is_reserved() {
    let dir = Dir::new();
    dir.write("a.toml", format!("{GOOD}\n[[layer]]\nid = \"unsorted\"\ntitle = \"Mine\"\norder = 1\n"));
    let loaded = dir.load();
    assert_one(
        &loaded,
        "a.toml",
        17,
        6,
        Level::Error,
        "layer id `unsorted` is reserved for the failure modes that name no layer",
    );
    assert_eq!(loaded.catalog.layers.len(), 1);
}

#[test]
fn invalid_ids_are_rejected() {
    let dir = Dir::new();
    dir.write("a.toml", format!("{GOOD}\n{}", failure("Bad_Id", "")));
    assert_one(&dir.load(), "a.toml", 17, 6, Level::Error, "invalid id `Bad_Id`");
}

#[test]
fn duplicate_ids_name_both_places() {
    let dir = Dir::new();
    dir.write("a.toml", GOOD);
    dir.write("b.toml", failure("good-one", ""));
    let loaded = dir.load();
    let first = format!("{}:8:6", dir.path().join("a.toml").display());
    assert_one(
        &loaded,
        "b.toml",
        2,
        6,
        Level::Error,
        &format!("duplicate id `good-one`: it is already defined at {first}"),
    );
    assert_eq!(ids(&loaded), ["good-one"]);
    assert!(loaded.catalog.entries()[0].origin().path.ends_with("a.toml"));
}

#[test]
fn replaces_true_replaces_an_earlier_sources_entry_in_its_place() {
    let (base, team) = (Dir::new(), Dir::new());
    base.write("a.toml", format!("{GOOD}\n{}", failure("second", "")));
    let ours = failure("good-one", "replaces = true\n").replace("title = \"T\"", "title = \"Ours\"");
    team.write("t.toml", ours);
    let loaded = load(&[Source::Path(base.path().to_path_buf()), Source::Path(team.path().to_path_buf())]);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", problems(&loaded));
    assert_eq!(ids(&loaded), ["good-one", "second"]);
    let replaced = loaded.catalog.get("good-one").unwrap();
    assert_eq!((replaced.title(), replaced.origin().line), ("Ours", 1));
    assert!(replaced.origin().path.ends_with("t.toml"));
}

#[test]
fn a_duplicate_of_an_earlier_sources_entry_says_to_add_replaces() {
    let (base, team) = (Dir::new(), Dir::new());
    base.write("a.toml", GOOD);
    team.write("t.toml", failure("good-one", ""));
    let loaded = load(&[Source::Path(base.path().to_path_buf()), Source::Path(team.path().to_path_buf())]);
    let message = format!(
        "duplicate id `good-one`: it is already defined at {}:8:6; this one is ignored (to replace it, add `replaces = true`)",
        base.path().join("a.toml").display()
    );
    assert_eq!(problems(&loaded), [("t.toml".into(), 2, 6, Level::Error, message)]);
    assert_eq!(loaded.catalog.get("good-one").unwrap().title(), "Good");
}

#[test]
fn replaces_does_not_replace_an_entry_of_the_same_source() {
    let dir = Dir::new();
    dir.write("a.toml", GOOD);
    dir.write("b.toml", failure("good-one", "replaces = true\n"));
    let loaded = dir.load();
    assert_one(
        &loaded,
        "b.toml",
        2,
        6,
        Level::Error,
        "this one is ignored (`replaces = true` replaces only an entry of an earlier source, not of the same one)",
    );
    assert_eq!(loaded.catalog.get("good-one").unwrap().title(), "Good");
}

#[test]
fn replacements_and_duplicates_together_leave_each_id_once_in_its_place() {
    let (base, team) = (Dir::new(), Dir::new());
    let titled = |id: &str, title: &str, extra: &str| {
        failure(id, extra).replace("title = \"T\"", &format!("title = \"{title}\""))
    };
    base.write("a.toml", [GOOD.to_owned(), titled("b", "base b", ""), titled("c", "base c", "")].join("\n"));
    // Replaced, then defined again in the same source; a plain duplicate; a new one.
    let ours = [
        titled("b", "team b", "replaces = true\n"),
        titled("b", "team b again", "replaces = true\n"),
        titled("c", "team c", ""),
        titled("d", "team d", ""),
    ];
    team.write("t.toml", ours.join("\n"));
    let loaded = load(&[Source::Path(base.path().to_path_buf()), Source::Path(team.path().to_path_buf())]);
    let found = problems(&loaded);
    assert_eq!(found.len(), 2, "{found:#?}");
    let team_b = format!("{}:2:6", team.path().join("t.toml").display());
    assert!(found[0].4.starts_with(&format!("duplicate id `b`: it is already defined at {team_b}")), "{}", found[0].4);
    assert!(found[1].4.starts_with("duplicate id `c`: it is already defined at "), "{}", found[1].4);
    assert_eq!(ids(&loaded), ["good-one", "b", "c", "d"]);
    for (id, title) in [("good-one", "Good"), ("b", "team b"), ("c", "base c"), ("d", "team d")] {
        assert_eq!(loaded.catalog.get(id).map(pagerbook::catalog::Entry::title), Some(title), "{id}");
    }
    assert_eq!(loaded.catalog.get("e").map(pagerbook::catalog::Entry::id), None);
}

#[test]
fn broken_links_of_later_entries_are_reported_at_their_own_items() {
    let dir = Dir::new();
    let first = failure("first", "related = [\"good-one\", \"gone-a\"]\n");
    // Left out for its error, after its links were read.
    let broken = failure("broken", "related = [\"gone-x\"]\nbogus = 5\n");
    let last =
        failure("last", "runbooks = [\"gone-b\"]\nrelated = [\"good-one\", \"gone-c\", \"first\", \"gone-d\"]\n");
    let text = format!("{GOOD}\n{first}\n{broken}\n{last}");
    dir.write("a.toml", &text);
    let loaded = dir.load();
    let at = |id: &str| {
        let offset = text.find(&format!("\"{id}\"")).unwrap_or_default();
        let line = text[..offset].matches('\n').count() + 1;
        let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1) + 1;
        (u32::try_from(line).unwrap_or_default(), u32::try_from(column).unwrap_or_default())
    };
    let named: Vec<((u32, u32), String)> = problems(&loaded)
        .into_iter()
        .filter_map(|(_, line, column, _, message)| {
            let id = message.split("names `").nth(1)?.split('`').next()?.to_owned();
            Some(((line, column), id))
        })
        .collect();
    let expected: Vec<((u32, u32), String)> =
        ["gone-a", "gone-b", "gone-c", "gone-d"].iter().map(|id| (at(id), (*id).to_owned())).collect();
    let mut named_sorted = named.clone();
    named_sorted.sort();
    assert_eq!(named_sorted, expected, "{:#?}", problems(&loaded));
    assert_eq!(loaded.catalog.get("last").map(|e| e.related().collect::<Vec<_>>()), Some(vec!["good-one", "first"]));
}

#[test]
fn a_replacement_can_itself_be_replaced_by_a_later_source() {
    let (a, b, c) = (Dir::new(), Dir::new(), Dir::new());
    a.write("a.toml", format!("{GOOD}\n{}", failure("after", "")));
    b.write("b.toml", failure("good-one", "replaces = true\n").replace("title = \"T\"", "title = \"B\""));
    c.write("c.toml", failure("good-one", "replaces = true\n").replace("title = \"T\"", "title = \"C\""));
    let sources: Vec<Source> = [&a, &b, &c].iter().map(|dir| Source::Path(dir.path().to_path_buf())).collect();
    let loaded = load(&sources);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", problems(&loaded));
    assert_eq!(ids(&loaded), ["good-one", "after"]);
    assert_eq!(loaded.catalog.get("good-one").map(pagerbook::catalog::Entry::title), Some("C"));
}

#[test]
fn duplicates_of_ids_sharing_their_first_bytes_are_told_apart() {
    let dir = Dir::new();
    let ids_in_order = ["abcdefgh-2", "abcdefgh-1", "abcdefgh-2", "abcdefgh", "abcdefgh-1"];
    let text: Vec<String> = ids_in_order.iter().map(|id| failure(id, "")).collect();
    dir.write("a.toml", format!("{GOOD}\n{}", text.join("\n")));
    let loaded = dir.load();
    let found = problems(&loaded);
    let lines: Vec<(u32, &str)> = found.iter().map(|p| (p.1, p.4.as_str())).collect();
    assert_eq!(lines.iter().map(|l| l.0).collect::<Vec<_>>(), [35, 53], "{lines:#?}");
    // Entries of 9 lines each after GOOD's; each duplicate names the first definition.
    let file = dir.path().join("a.toml").display().to_string();
    let first = |n: usize| format!("{file}:{}:6", 17 + 9 * n);
    assert!(
        lines[0].1.starts_with(&format!("duplicate id `abcdefgh-2`: it is already defined at {}", first(0))),
        "{lines:#?}"
    );
    assert!(
        lines[1].1.starts_with(&format!("duplicate id `abcdefgh-1`: it is already defined at {}", first(1))),
        "{lines:#?}"
    );
    assert_eq!(ids(&loaded), ["good-one", "abcdefgh-2", "abcdefgh-1", "abcdefgh"]);
}

#[test]
fn unknown_layer_related_and_runbook_references() {
    let dir = Dir::new();
    let extra = "related = [\"good-one\", \"goodone\"]\nrunbooks = [\"nope\"]\n";
    dir.write("a.toml", format!("{GOOD}\n{}", failure("refs", extra)));
    dir.write("b.toml", failure("lost", "").replace("layer = \"edge\"", "layer = \"egde\""));
    let loaded = dir.load();
    let found = problems(&loaded);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!((found[0].1, found[0].2), (24, 24));
    assert!(
        found[0].4.contains("names `goodone`, which is not a known failure mode; did you mean `good-one`?"),
        "{}",
        found[0].4
    );
    assert_eq!((found[1].1, found[1].2), (25, 13));
    assert!(found[1].4.contains("names `nope`, which is not a known runbook"), "{}", found[1].4);
    assert_eq!((found[2].0.as_str(), found[2].1, found[2].2), ("b.toml", 4, 9));
    let layers: Vec<String> = embedded().catalog.layers.into_iter().map(|l| l.id).collect();
    assert_eq!(
        found[2].4,
        format!(
            "unknown layer `egde` in failure `lost`, so the entry is ignored; the layers are {} \
             (or leave `layer` out, for Unsorted); did you mean `edge`?",
            layers.join(", ")
        )
    );
    // A broken link is dropped; the entry still loads. An unknown layer leaves the entry out.
    assert_eq!(ids(&loaded), ["good-one", "refs"]);
    assert_eq!(loaded.catalog.get("refs").unwrap().related().collect::<Vec<_>>(), ["good-one"]);
}

#[test]
fn a_link_to_an_entry_left_out_is_an_error_too() {
    let dir = Dir::new();
    dir.write("a.toml", format!("{GOOD}\n{}", failure("linker", "related = [\"lost\"]\n")));
    dir.write("b.toml", failure("lost", "").replace("layer = \"edge\"", "layer = \"nowhere\""));
    let loaded = dir.load();
    let found = problems(&loaded);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].4.contains("names `lost`, which is not a known failure mode"), "{}", found[0].4);
    assert!(loaded.catalog.get("linker").unwrap().related().next().is_none());
}

#[test]
fn undeclared_placeholder_is_an_error_at_its_place() {
    let dir = Dir::new();
    let extra = "[[failure.steps]]\ndo = \"look\"\nrun = \"kubectl -n {{namespace}} get pods\"\n";
    dir.write("a.toml", format!("{GOOD}\n{}", failure("ph", extra)));
    assert_one(
        &dir.load(),
        "a.toml",
        26,
        19,
        Level::Error,
        "placeholder `{{namespace}}` in step 1 of failure `ph` is not declared",
    );
}

#[test]
fn an_undeclared_placeholder_near_a_declared_one_suggests_it() {
    let dir = Dir::new();
    let vars = "[vars.namespace]\ndescription = \"Namespace\"\n";
    let extra = "[[failure.steps]]\ndo = \"look\"\nrun = \"kubectl -n {{namespce}} get pods\"\n";
    dir.write("a.toml", format!("{vars}{GOOD}\n{}", failure("ph", extra)));
    let found = problems(&dir.load());
    assert_eq!(found.len(), 2, "an unused-var warning, then: {found:#?}");
    assert_eq!((found[1].1, found[1].2), (28, 19), "{found:#?}");
    let tail = "is not declared: add a `[vars.namespce]` table (or write `{{{{` for a literal `{{`); did you mean `{{namespace}}`?";
    assert!(found[1].4.ends_with(tail), "{}", found[1].4);
}

#[test]
fn a_misspelled_field_of_a_var_is_not_reported_as_an_undeclared_placeholder() {
    let dir = Dir::new();
    let steps = "[[failure.steps]]\ndo = \"x\"\nrun = \"echo {{group}}\"\n";
    let entry_level = "[failure.vars.mine]\ndescription = \"Mine\"\ndefualt = \"a\"\n[[failure.steps]]\ndo = \"y\"\nrun = \"echo {{mine}}\"\n";
    let text = format!(
        "[vars.group]\ndescripton = \"Group\"\n{GOOD}\n{}\n{}",
        failure("uses", steps),
        failure("own", entry_level)
    );
    dir.write("a.toml", text);
    let loaded = dir.load();
    let found: Vec<_> = problems(&loaded).into_iter().map(|(_, line, col, _, message)| (line, col, message)).collect();
    assert_eq!(
        found,
        [
            (2, 1, "unknown field `descripton` in var `group` of the file; did you mean `description`?".to_owned()),
            (40, 1, "unknown field `defualt` in var `mine` of failure `own`; did you mean `default`?".to_owned()),
        ]
    );
    assert_eq!(ids(&loaded), ["good-one"], "entries using a broken declaration are left out");
}

#[test]
fn a_var_may_be_secret() {
    let dir = Dir::new();
    let vars = "[vars.token]\ndescription = \"API token\"\nsecret = true\n[vars.user]\ndescription = \"User\"\n";
    let steps = "[[failure.steps]]\ndo = \"x\"\nrun = \"login {{user}} {{token}}\"\n";
    dir.write("a.toml", format!("{vars}{GOOD}\n{}", failure("uses", steps)));
    let loaded = dir.load();
    assert!(loaded.diagnostics.is_empty(), "{:#?}", problems(&loaded));
    let entry = loaded.catalog.get("uses").unwrap();
    assert_eq!((entry.var("token").unwrap().secret, entry.var("user").unwrap().secret), (true, false));
    let json = serde_json::to_value(entry).unwrap();
    assert_eq!(
        (&json["vars"]["token"]["secret"], json["vars"]["user"].get("secret")),
        (&serde_json::json!(true), None)
    );
}

#[test]
fn a_secret_var_has_no_default_or_choices_and_secret_is_a_boolean() {
    let dir = Dir::new();
    let vars = "[vars.token]\ndescription = \"T\"\nsecret = true\ndefault = \"hunter2\"\nchoices = [\"hunter2\"]\nsuggest = \"vault list\"\n\
                [vars.key]\ndescription = \"K\"\nsecret = \"yes\"\n";
    let steps = "[[failure.steps]]\ndo = \"x\"\nrun = \"login {{token}} {{key}}\"\n";
    dir.write("a.toml", format!("{vars}{GOOD}\n{}", failure("uses", steps)));
    let loaded = dir.load();
    let found: Vec<_> = problems(&loaded).into_iter().map(|(_, line, col, _, message)| (line, col, message)).collect();
    let secret = "var `token` of the file is `secret`, so it cannot have";
    assert_eq!(
        found,
        [
            (4, 11, format!("{secret} `default`: the catalog file would hold the secret")),
            (5, 11, format!("{secret} `choices`: the catalog file would hold the secret")),
            (6, 11, format!("{secret} `suggest`: the secrets it lists would be on the screen")),
            (9, 10, "`secret` must be true or false, not a string".to_owned()),
        ]
    );
    assert_eq!(ids(&loaded), ["good-one"]);
}

#[test]
fn a_suggestion_is_read_with_its_cuts_and_one_that_could_change_anything_is_refused() {
    let dir = Dir::new();
    let vars = "[vars.node]\ndescription = \"N\"\nsuggest = \"kubectl get nodes -o name\"\n\
                suggest_strip = \"node/\"\nsuggest_column = 1\nsuggest_timeout = \"2s\"\n\
                [vars.pod]\ndescription = \"P\"\nsuggest = \"kubectl delete pods --all\"\n\
                [vars.ns]\ndescription = \"NS\"\nsuggest = \"list {{ns}}\"\nsuggest_column = 0\n\
                [vars.host]\ndescription = \"H\"\nsuggest_strip = \"x\"\n";
    let steps = "[[failure.steps]]\ndo = \"x\"\nrun = \"look {{node}} {{pod}} {{ns}} {{host}}\"\n";
    dir.write("a.toml", format!("{vars}{GOOD}\n{}", failure("uses", steps)));
    let loaded = dir.load();
    let found: Vec<_> = problems(&loaded).into_iter().map(|(_, line, col, _, message)| (line, col, message)).collect();
    assert_eq!(
        found,
        [
            (
                9,
                11,
                "the `suggest` of var `pod` of the file looks destructive (kubectl delete): it runs without a \
                 confirmation, so it may only read"
                    .to_owned()
            ),
            (12, 11, "invalid `suggest` of var `ns` of the file: it uses `{{ns}}`, the value it lists".to_owned()),
            (13, 18, "`suggest_column` must be a column number, counting from 1, not an integer".to_owned()),
            (16, 17, "`suggest_strip` of var `host` of the file has no `suggest` to apply to".to_owned()),
        ]
    );
    // The vars stay, without their broken suggestions: the entry loads.
    let entry = loaded.catalog.get("uses").unwrap();
    let suggest = entry.var("node").unwrap().suggest.clone().unwrap();
    assert_eq!(
        (suggest.run.as_str(), suggest.column, suggest.strip.as_deref(), suggest.timeout),
        ("kubectl get nodes -o name", Some(1), Some("node/"), 2)
    );
    assert!(["pod", "ns", "host"].iter().all(|name| entry.var(name).unwrap().suggest.is_none()));
}

#[test]
fn malformed_braces_ask_for_the_escape() {
    let dir = Dir::new();
    let extra = "[[failure.steps]]\ndo = \"look\"\nrun = '''kubectl get pods -o go-template={{.metadata.name}}'''\n";
    dir.write("a.toml", format!("{GOOD}\n{}", failure("gt", extra)));
    assert_one(&dir.load(), "a.toml", 26, 42, Level::Error, "write `{{{{` for a literal `{{`");
}

#[test]
fn placeholder_inside_quotes_is_a_warning_and_the_entry_loads() {
    let dir = Dir::new();
    let extra = "[[failure.steps]]\ndo = \"look\"\nrun = \"ssh {{node}} 'df -h {{path}}'\"\n[failure.vars.node]\ndescription = \"n\"\n[failure.vars.path]\ndescription = \"p\"\n";
    dir.write("a.toml", format!("{GOOD}\n{}", failure("q", extra)));
    let loaded = dir.load();
    assert_one(&loaded, "a.toml", 26, 28, Level::Warning, "stands inside single quotes");
    assert_eq!(ids(&loaded), ["good-one", "q"]);
}

/// Issue 11 #1: a placeholder whose number of shells cannot be told is an
/// error at its own position, and the entry is left out.
#[test]
fn remote_shell_injection_uncertain_placeholder_is_an_error_at_its_position() {
    let dir = Dir::new();
    let extra =
        "[[failure.steps]]\ndo = \"look\"\nrun = \"eval cat {{path}}\"\n[failure.vars.path]\ndescription = \"p\"\n";
    dir.write("a.toml", format!("{GOOD}\n{}", failure("u", extra)));
    let loaded = dir.load();
    assert_one(
        &loaded,
        "a.toml",
        26,
        17,
        Level::Error,
        "cannot tell how many shells parse its value (the command runs",
    );
    assert_eq!(ids(&loaded), ["good-one"]);
}

#[test]
fn file_level_vars_apply_to_their_file_only_and_entry_vars_win() {
    let dir = Dir::new();
    let step = "[[failure.steps]]\ndo = \"look\"\nrun = \"ssh {{node}}\"\n";
    dir.write("a.toml", format!("{GOOD}\n[vars.node]\ndescription = \"file node\"\ndefault = \"n1\"\n\n{}\n{}[failure.vars.node]\ndescription = \"own node\"\n", failure("uses-file", step), failure("uses-own", step)));
    dir.write("b.toml", failure("other-file", step));
    let loaded = dir.load();
    assert_one(&loaded, "b.toml", 11, 12, Level::Error, "`{{node}}` in step 1 of failure `other-file` is not declared");
    let catalog = &loaded.catalog;
    assert_eq!(catalog.get("uses-file").unwrap().var("node").unwrap().description, "file node");
    assert_eq!(catalog.get("uses-own").unwrap().var("node").unwrap().description, "own node");
}

#[test]
fn control_characters_in_a_command_are_errors() {
    let dir = Dir::new();
    dir.write(
        "a.toml",
        format!("{GOOD}\n{}", failure("hidden", "[[failure.steps]]\ndo = \"x\"\nrun = \"echo hi \\u001b[2K\\rls\"\n")),
    );
    assert_one(&dir.load(), "a.toml", 26, 7, Level::Error, "control character U+001B");
}

#[test]
fn catalog_text_reaching_the_terminal_raw_is_an_error_in_every_field() {
    // Regression (issue 11 #2): escapes in titles, symptoms and signals
    // passed `check`, and `list`/`show`/`search` printed them as bytes:
    // OSC 52 wrote the user's clipboard.
    let title = "Fine\\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\u0007";
    let cases = [
        ("title", format!("title = \"{title}\"\nsymptom = \"s\"\n")),
        ("symptom", "title = \"t\"\nsymptom = \"clears \\u001b[2J the screen\"\n".to_owned()),
        ("signals", "title = \"t\"\nsymptom = \"s\"\nsignals = [\"ok\", \"bell \\u0007\"]\n".to_owned()),
        ("recovery", "title = \"t\"\nsymptom = \"s\"\nrecovery = \"8-bit CSI \\u009b2J\"\n".to_owned()),
    ];
    for (key, fields) in cases {
        let dir = Dir::new();
        dir.write("a.toml", format!("[[failure]]\nid = \"raw\"\n{fields}"));
        let found: Vec<String> = dir.load().diagnostics.iter().map(ToString::to_string).collect();
        let expected = format!("`{key}` holds control character U+");
        assert!(found.iter().any(|d| d.contains(&expected)), "{key}: {found:?}");
        assert!(found.iter().all(|d| !d.contains('\u{1b}') && !d.contains('\u{7}')), "printed raw: {found:?}");
    }
}

#[test]
fn bidirectional_and_zero_width_characters_in_a_command_are_errors() {
    for hidden in ["\\u202e", "\\u200b", "\\u2066"] {
        let dir = Dir::new();
        let step = format!("[[failure.steps]]\ndo = \"x\"\nrun = \"echo safe {hidden}; ls\"\n");
        dir.write("a.toml", format!("{GOOD}\n{}", failure("hidden", &step)));
        assert_one(&dir.load(), "a.toml", 26, 7, Level::Error, "makes it read otherwise than it runs");
    }
}

#[test]
fn a_destructive_command_marked_safe_is_a_warning() {
    let dir = Dir::new();
    dir.write(
        "a.toml",
        format!(
            "{GOOD}\n{}",
            failure("wipe", "[[failure.steps]]\ndo = \"Clean.\"\nrun = \"sudo rm -rf /var/log/old\"\n")
        ),
    );
    assert_one(&dir.load(), "a.toml", 26, 7, Level::Warning, "looks destructive (rm -rf) but is marked safe");
}

#[test]
fn unused_var_is_a_warning() {
    let dir = Dir::new();
    dir.write("a.toml", format!("{GOOD}\n[vars.ghost]\ndescription = \"never used\"\n"));
    assert_one(
        &dir.load(),
        "a.toml",
        16,
        7,
        Level::Warning,
        "var `ghost` is declared in this file but no command uses `{{ghost}}`",
    );
}

#[test]
fn var_pattern_and_choices_are_checked() {
    let dir = Dir::new();
    let text = format!(
        "{GOOD}\n[vars.ns]\ndescription = \"ns\"\ndefault = \"Prod\"\npattern = \"[a-z]+\"\n[vars.bad]\ndescription = \"b\"\npattern = \"(\"\n[vars.pick]\ndescription = \"p\"\ndefault = \"c\"\nchoices = [\"a\", \"b\"]\n"
    );
    dir.write("a.toml", text);
    let found = problems(&dir.load());
    let places: Vec<_> = found.iter().map(|p| (p.1, p.2, p.3)).collect();
    assert_eq!(places, [(18, 11, Level::Error), (22, 11, Level::Error), (25, 11, Level::Error)], "{found:#?}");
    assert!(found[0].4.contains("`Prod` does not match the `pattern` of var `ns`"));
    assert!(found[1].4.contains("invalid `pattern` of var `bad`"));
    assert!(found[2].4.contains("the `default` of var `pick` of the file is not one of its `choices`"));
}

#[test]
fn invalid_danger_and_frequency_values() {
    let dir = Dir::new();
    let text = format!(
        "{GOOD}\n{}[[failure.steps]]\ndo = \"x\"\ndanger = \"destructiv\"\n",
        failure("words", "").replace("\"rare\"", "\"often\"")
    );
    dir.write("a.toml", text);
    let found = problems(&dir.load());
    let places: Vec<_> = found.iter().map(|p| (p.1, p.2)).collect();
    assert_eq!(places, [(22, 13), (26, 10)], "{found:#?}");
    assert!(found[0].4.contains("invalid `frequency` `often`: expected one of very-rare, rare, occasional, common"));
    assert!(found[1].4.contains(
        "invalid `danger` `destructiv`: expected one of safe, caution, destructive; did you mean `destructive`?"
    ));
}

#[test]
fn three_mistakes_in_one_entry_are_all_reported() {
    let dir = Dir::new();
    let text =
        format!("{GOOD}\n{}", failure("many", "sympton = \"x\"\ntags = 3\n[[failure.steps]]\ndanger = \"safe\"\n"));
    dir.write("a.toml", text);
    let found = problems(&dir.load());
    let places: Vec<_> = found.iter().map(|p| (p.1, p.2)).collect();
    assert_eq!(places, [(24, 1), (25, 8), (26, 1)], "{found:#?}");
}

#[test]
fn empty_file_is_a_warning() {
    let dir = Dir::new();
    dir.write("a.toml", GOOD);
    dir.write("empty.toml", "");
    let loaded = dir.load();
    assert_one(&loaded, "empty.toml", 1, 1, Level::Warning, "empty file");
    assert_eq!(ids(&loaded), ["good-one"]);
}

#[test]
fn byte_order_mark_is_a_warning_and_the_file_still_loads() {
    // Regression (issue 11, low): the docs said a BOM skips the file, the
    // code reported an error and loaded its entries anyway. A BOM is
    // harmless: a warning.
    let dir = Dir::new();
    dir.write("a.toml", [b"\xEF\xBB\xBF".as_slice(), GOOD.as_bytes()].concat());
    let loaded = dir.load();
    assert_one(&loaded, "a.toml", 1, 1, Level::Warning, "byte-order mark");
    assert_eq!(ids(&loaded), ["good-one"]);
}

#[test]
fn non_utf8_is_located_and_never_converted() {
    let dir = Dir::new();
    dir.write("a.toml", GOOD);
    dir.write("latin1.toml", b"[[layer]]\nid = \"caf\xE9\"\n");
    let loaded = dir.load();
    assert_one(&loaded, "latin1.toml", 2, 10, Level::Error, "not UTF-8: byte 0xE9");
    assert_eq!(ids(&loaded), ["good-one"]);
}

#[test]
fn unreadable_file_is_reported() {
    let dir = Dir::new();
    dir.write("a.toml", GOOD);
    let locked = dir.write("locked.toml", GOOD.replace("good-one", "locked"));
    std::process::Command::new("chmod").arg("000").arg(&locked).status().unwrap();
    // root reads through permissions; /proc/self/mem is a regular file that
    // fails to read for anyone.
    let unreadable = if fs::read(&locked).is_ok() { PathBuf::from("/proc/self/mem") } else { locked.clone() };
    if unreadable != locked {
        fs::remove_file(&locked).unwrap();
    }
    let loaded = load(&[Source::Path(dir.path().to_path_buf()), Source::Path(unreadable.clone())]);
    let found = problems(&loaded);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].1, found[0].2), (1, 1));
    assert!(found[0].4.starts_with("cannot read"), "{}", found[0].4);
    assert_eq!(&*loaded.diagnostics[0].path, unreadable.display().to_string());
    assert_eq!(ids(&loaded), ["good-one"]);
}

#[test]
fn fifos_and_devices_are_refused_without_opening_them() {
    let dir = Dir::new();
    let fifo = dir.path().join("pipe.toml");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    // Were the FIFO opened, this would block forever.
    let loaded = load(&[Source::Path(fifo), Source::Path("/dev/null".into())]);
    let found = problems(&loaded);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].4.contains("it is a FIFO"));
    assert!(found[1].4.contains("it is a device"));
}

#[test]
fn symlink_loops_are_reported_once_and_files_read_once() {
    let dir = Dir::new();
    dir.write("sub/a.toml", GOOD);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    let loaded = dir.load();
    let found = problems(&loaded);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].0 == "loop" && found[0].4.contains("symbolic link loop"), "{found:#?}");
    assert_eq!(ids(&loaded), ["good-one"]);
}

#[test]
fn the_same_file_reached_twice_is_not_a_duplicate() {
    let dir = Dir::new();
    let file = dir.write("a.toml", GOOD);
    std::os::unix::fs::symlink(&file, dir.path().join("also.toml")).unwrap();
    let loaded = load(&[Source::Path(dir.path().to_path_buf()), Source::Path(file)]);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", problems(&loaded));
    assert_eq!(ids(&loaded), ["good-one"]);
    assert_eq!(loaded.sources.iter().map(|s| s.files).sum::<usize>(), 1);
}

#[test]
fn deeply_nested_toml_is_an_error_not_a_crash() {
    let dir = Dir::new();
    dir.write("a.toml", GOOD);
    dir.write("deep.toml", format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)));
    let loaded = dir.load();
    let found = problems(&loaded);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "deep.toml");
    assert!(found[0].4.contains("recursion"), "{}", found[0].4);
    assert_eq!(ids(&loaded), ["good-one"]);
}

#[test]
fn a_ten_thousand_character_line_is_shown_cut() {
    let dir = Dir::new();
    let long = "x".repeat(10_000);
    dir.write("a.toml", format!("{GOOD}\n{}signals = [\"{long}\", 3]\n", failure("long", "")));
    let loaded = dir.load();
    assert_one(&loaded, "a.toml", 24, 10_016, Level::Error, "`signals` must be a string, not an integer");
    let shown = loaded.diagnostics[0].to_string();
    assert!(shown.lines().all(|line| line.chars().count() < 200), "{shown}");
    assert!(shown.contains("…"));
}

#[test]
fn a_ten_megabyte_file_loads() {
    let dir = Dir::new();
    let mut text = String::from(GOOD);
    for i in 0..20_000 {
        writeln!(text, "\n{}signals = [\"{}\"]", failure(&format!("f-{i}"), ""), "word ".repeat(80)).unwrap();
    }
    assert!(text.len() > 10_000_000);
    dir.write("big.toml", &text);
    let loaded = dir.load();
    assert!(loaded.diagnostics.is_empty());
    assert_eq!(loaded.catalog.entries().len(), 20_001);
}

#[test]
fn missing_paths_are_errors_but_a_missing_user_directory_is_not() {
    let loaded = load(&[Source::Path("/nonexistent/x.toml".into()), Source::UserDir("/nonexistent/dir".into())]);
    let found = problems(&loaded);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].4.contains("no such file or directory"));
    assert!(!loaded.sources[1].present);
}

#[test]
fn entries_come_in_edge_inward_order_whatever_the_file_order() {
    let dir = Dir::new();
    dir.write(
        "a.toml",
        format!(
            "[[layer]]\nid = \"data\"\ntitle = \"Data\"\norder = 60\n\n{}",
            failure("inner", "").replace("\"edge\"", "\"data\"")
        ),
    );
    dir.write("b.toml", "[[runbook]]\nid = \"proc\"\ntitle = \"P\"\nsummary = \"s\"\n");
    dir.write("c.toml", GOOD);
    let loaded = dir.load();
    assert!(loaded.diagnostics.is_empty(), "{:#?}", problems(&loaded));
    assert_eq!(ids(&loaded), ["good-one", "inner", "proc"]);
    let layers: Vec<_> = loaded.catalog.layers.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(layers, ["edge", "data"]);
}

#[test]
fn a_default_that_every_render_would_refuse_is_an_error() {
    // Regression (issue 11, low): an empty default, one with a newline, or
    // one starting with `-` passed `check`, and every render refused it.
    for (default, problem) in [
        ("\"\"", "a value is required"),
        ("\"a\\nb\"", "control character U+000A"),
        ("\"-oProxyCommand=x\"", "starts with `-`"),
    ] {
        let dir = Dir::new();
        let step = "[[failure.steps]]\ndo = \"x\"\nrun = \"ssh {{host}} uptime\"\n";
        let vars = format!("[failure.vars.host]\ndescription = \"h\"\ndefault = {default}\n");
        dir.write("a.toml", failure("bad-default", &format!("{step}\n{vars}")));
        let found: Vec<String> = dir.load().diagnostics.iter().map(ToString::to_string).collect();
        assert!(
            found.iter().any(|d| d.contains("would be refused when filled in") && d.contains(problem)),
            "{default}: {found:?}"
        );
    }
}

#[test]
fn an_order_too_large_says_so() {
    // Regression: it said "must be an integer, not an integer".
    let dir = Dir::new();
    dir.write("a.toml", "[[layer]]\nid = \"big\"\ntitle = \"Big\"\norder = 99999999999999999999\n");
    assert_one(&dir.load(), "a.toml", 4, 9, Level::Error, "`order` is too large: it must fit in 64 bits");
}

#[test]
fn a_huge_pattern_is_refused_rather_than_compiled_into_hundreds_of_megabytes() {
    let dir = Dir::new();
    let alternation: Vec<String> = (0..60_000).map(|i| format!("v{i}x")).collect();
    let vars = format!("[failure.vars.host]\ndescription = \"h\"\npattern = '{}'\n", alternation.join("|"));
    let step = "[[failure.steps]]\ndo = \"x\"\nrun = \"echo {{host}}\"\n";
    dir.write("a.toml", failure("huge-pattern", &format!("{step}\n{vars}")));
    let found: Vec<String> = dir.load().diagnostics.iter().map(ToString::to_string).collect();
    assert!(found.iter().any(|d| d.contains("invalid `pattern`") && d.contains("size limit")), "{found:?}");
}

/// Loads `dir` and fails if it takes more than a generous ceiling: each case
/// below took from 8 s to over 30 s before, quadratic or worse in its input.
fn load_within_ceiling(dir: &Dir, case: &str) -> Loaded {
    let started = std::time::Instant::now();
    let loaded = dir.load();
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(10), "{case}: {took:?}");
    loaded
}

#[test]
fn many_problems_in_one_file_load_in_linear_time() {
    // Regression (issue 11 #5): every diagnostic read its file again and
    // weighed every id for a did-you-mean.
    let dir = Dir::new();
    let mut text = String::new();
    for i in 0..4000 {
        let _ =
            write!(text, "[[failure]]\nid = \"e{i}\"\ntitle = \"t\"\nsymptom = \"s\"\nrelated = [\"nope-{i}\"]\n\n");
    }
    dir.write("related.toml", &text);
    let loaded = load_within_ceiling(&dir, "4 000 unknown related");
    assert_eq!(loaded.diagnostics.len(), 4000);
    let dir = Dir::new();
    let mut layers = String::new();
    for i in 0..10_000 {
        let _ =
            write!(layers, "[[failure]]\nid = \"l{i}\"\ntitle = \"t\"\nlayer = \"nolayer{i}\"\nsymptom = \"s\"\n\n");
    }
    dir.write("a.toml", &layers);
    dir.write("b.toml", &layers);
    let loaded = load_within_ceiling(&dir, "10 000 unknown layers, and the file again beside it");
    assert_eq!(loaded.diagnostics.len(), 20_000, "10 000 duplicates and 10 000 unknown layers");
}

#[test]
fn a_command_of_forty_thousand_placeholders_loads_in_linear_time() {
    let dir = Dir::new();
    let many = vec!["{{v}}"; 40_000].join(" ");
    let step = format!("[[failure.steps]]\ndo = \"x\"\nrun = \"echo {many} {{{{w}}}}\"\n");
    let vars = "[failure.vars.v]\ndescription = \"d\"\ndefault = \"a\"\n";
    dir.write("a.toml", failure("many", &format!("{step}\n{vars}")));
    let loaded = load_within_ceiling(&dir, "40 000 placeholders");
    // The undeclared one is reported once, at its place.
    let undeclared: Vec<_> = loaded.diagnostics.iter().filter(|d| d.message.contains("`{{w}}`")).collect();
    assert_eq!(undeclared.len(), 1, "{:?}", loaded.diagnostics);
}

#[test]
fn deep_trees_and_lattices_of_links_are_walked_once_and_not_too_deep() {
    let dir = Dir::new();
    let deep: PathBuf = std::iter::repeat_n("d", 800).collect();
    fs::create_dir_all(dir.path().join(&deep)).unwrap();
    dir.write(&deep.join("a.toml").to_string_lossy(), "[[failure]]\nid = \"deep\"\ntitle = \"t\"\nsymptom = \"s\"\n");
    let loaded = load_within_ceiling(&dir, "800 levels");
    assert!(loaded.diagnostics.iter().any(|d| d.message == "more than 32 directories deep: not read"));
    // A 16-level lattice: each level has two links to the next, 65 536
    // routes to the one file at the bottom.
    let dir = Dir::new();
    for level in 0..=16 {
        fs::create_dir_all(dir.path().join(format!("l{level}"))).unwrap();
    }
    for level in 0..16 {
        for name in ["a", "b"] {
            std::os::unix::fs::symlink(
                dir.path().join(format!("l{}", level + 1)),
                dir.path().join(format!("l{level}/{name}")),
            )
            .unwrap();
        }
    }
    dir.write("l16/a.toml", "[[failure]]\nid = \"bottom\"\ntitle = \"t\"\nsymptom = \"s\"\n");
    let loaded = load_within_ceiling(&dir, "a lattice of links");
    assert_eq!(ids(&loaded), ["bottom"]);
}

#[test]
fn a_placeholder_inside_a_comment_is_an_error() {
    // Regression (issue 11, low): `echo hi # {{x}}` passed check silently,
    // its value never reaching any command.
    let dir = Dir::new();
    let step = "[[failure.steps]]\ndo = \"x\"\nrun = \"echo hi # {{host}}\"\n";
    let vars = "[failure.vars.host]\ndescription = \"h\"\ndefault = \"a\"\n";
    dir.write("a.toml", failure("commented", &format!("{step}\n{vars}")));
    let found: Vec<String> = dir.load().diagnostics.iter().map(ToString::to_string).collect();
    assert!(found.iter().any(|d| d.contains("inside a `#` comment")), "{found:?}");
}

#[test]
fn a_destructive_steps_target_with_a_default_is_warned_about() {
    let dir = Dir::new();
    let steps = r#"
[failure.vars.node]
description = "the node to drain"
default = "node-1"

[failure.vars.namespace]
description = "where"
default = "default"

[[failure.steps]]
do = "Look first: reading is harmless, so the default is fine."
run = "kubectl get node {{node}}"

[[failure.steps]]
do = "Drain it."
run = "kubectl -n {{namespace}} drain {{node}}"
danger = "caution"
"#;
    dir.write("a.toml", format!("{GOOD}{steps}"));
    let loaded = dir.load();
    assert_one(
        &loaded,
        "a.toml",
        30,
        7,
        Level::Warning,
        "step 2 of failure `good-one` is destructive and its target `{{node}}` defaults to `node-1`",
    );
    assert_eq!(ids(&loaded), ["good-one"], "a warning leaves the entry in");
}

#[test]
fn impact_and_where_are_read_and_shown_in_json() {
    let dir = Dir::new();
    let extra = "impact = \"every checkout fails\"\n[[failure.steps]]\ndo = \"x\"\nrun = \"make plan\"\nwhere = \"the infrastructure repository\"\n";
    dir.write("a.toml", format!("{GOOD}{extra}"));
    let loaded = dir.load();
    assert!(loaded.diagnostics.is_empty(), "{:?}", problems(&loaded));
    let entry = &loaded.catalog.entries()[0];
    assert_eq!(entry.text(TextField::Impact), Some("every checkout fails"));
    assert_eq!(entry.steps[0].place(), Some("the infrastructure repository"));
    let json = serde_json::to_value(entry).unwrap();
    assert_eq!(json["impact"], "every checkout fails");
    assert_eq!(json["steps"][0]["where"], "the infrastructure repository");
}

/// A step with `verify` and `precheck` tables, `checks` written under it.
fn step_with_checks(checks: &str) -> String {
    format!(
        "{GOOD}\n[vars.ns]\ndescription = \"n\"\n\n[[failure]]\nid = \"checked\"\n{REQUIRED}\n[[failure.steps]]\ndo = \"Restart.\"\nrun = \"kubectl -n {{{{ns}}}} rollout restart deploy/web\"\ndanger = \"caution\"\n{checks}"
    )
}

#[test]
fn a_verify_and_a_precheck_are_read_with_their_durations_and_shown_in_the_json() {
    let dir = Dir::new();
    dir.write(
        "c.toml",
        step_with_checks(
            "[failure.steps.verify]\nrun = \"kubectl -n {{ns}} rollout status deploy/web --timeout=5s\"\nstdout_matches = \"successfully rolled out\"\nevery = \"5s\"\nwithin = \"2m\"\npass = \"Running again.\"\nfail = \"Still not ready.\"\n\n[failure.steps.precheck]\nrun = \"kubectl -n {{ns}} get deploy/web\"\n",
        ),
    );
    let loaded = dir.load();
    assert!(loaded.diagnostics.is_empty(), "{:#?}", problems(&loaded));
    let entry = loaded.catalog.get("checked").unwrap();
    let verify = entry.steps[0].verify().unwrap();
    assert_eq!((verify.every, verify.within, verify.expect_exit), (Some(5), 120, 0));
    assert_eq!(verify.pass.as_deref(), Some("Running again."));
    let precheck = entry.steps[0].precheck().unwrap();
    assert_eq!((precheck.every, precheck.within), (None, 30));
    let json = serde_json::to_value(&entry.steps[0]).unwrap();
    assert_eq!(json["verify"]["within"], "2m");
    assert_eq!(json["verify"]["every"], "5s");
    assert_eq!(json["precheck"]["run"], "kubectl -n {{ns}} get deploy/web");
}

#[test]
fn a_check_that_acts_needs_a_terminal_or_cannot_keep_its_deadline_is_refused_where_it_is() {
    let cases = [
        (
            "run = \"kubectl -n {{ns}} delete pod web-0\"",
            33,
            7,
            "looks destructive (kubectl delete): a check must only look",
        ),
        ("run = \"kubectl -n {{ns}} get pods | less\"", 33, 7, "runs `less`, which needs a terminal"),
        (
            "run = \"kubectl -n {{ns}} get pods {{pod}}\"",
            33,
            7,
            "placeholder `{{pod}}` in the `verify` of step 1 of failure `checked`",
        ),
        (
            "run = \"true\"\nstdout_matches = \"(\"",
            34,
            18,
            "`stdout_matches` of the `verify` of step 1 of failure `checked` is not a regex",
        ),
        (
            "run = \"true\"\nevery = \"2m\"\nwithin = \"1m\"",
            34,
            9,
            "`every` of the `verify` of step 1 of failure `checked` must be shorter than `within` (60 s)",
        ),
        ("run = \"true\"\nwithin = \"soon\"", 34, 10, "`within` must be a duration such as \"5s\""),
        ("run = \"true\"\nexpect_exit = 300", 34, 15, "`expect_exit` must be an exit status from 0 to 255"),
        (
            "run = \"true\"\ntimeout = \"5s\"",
            34,
            1,
            "unknown field `timeout` in the `verify` of step 1 of failure `checked`",
        ),
    ];
    for (table, line, column, message) in cases {
        let dir = Dir::new();
        dir.write("c.toml", step_with_checks(&format!("[failure.steps.verify]\n{table}\n")));
        let loaded = dir.load();
        let found = problems(&loaded);
        assert!(
            found.iter().any(|(_, l, c, _, m)| (*l, *c) == (line, column) && m.contains(message)),
            "{table}: expected {line}:{column} {message}, found {found:#?}"
        );
        // The rest of the file still loads; the step with a bad check does not.
        assert!(ids(&loaded).contains(&"good-one"), "{table}");
    }
}
