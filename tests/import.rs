//! `pagerbook import` over the public runbooks in
//! `tests/fixtures/runbooks-corpus` (prometheus-operator's and openshift's,
//! Apache-2.0, copied with their licences so the tests need nothing outside
//! the repository): what it writes
//! passes `check`, every code block becomes a step, one page of each
//! collection is compared with its golden file, and the imported entries
//! are found by their alert's name and by their Meaning.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use pagerbook::catalog::{Level, LoadOptions, Source, load_with};
use pagerbook::import::{self, Collection, Markdown};
use pulldown_cmark::{Event, Options, Parser, Tag};

mod util;
use util::{Dir, pagerbook, stdout};

/// The public runbooks; `IMPORT_CORPUS=DIR` runs the same tests over
/// another folder (the whole of both collections, fetched).
fn corpus() -> PathBuf {
    std::env::var_os("IMPORT_CORPUS").map_or_else(|| util::fixture("runbooks-corpus"), PathBuf::from)
}

/// Runbooks written in other teams' styles (front matter of both kinds or
/// none, prompts, here-documents, sessions on other hosts, a BOM, CRLF, a
/// stub, an unclosed fence) by a helper who saw neither the importer nor
/// the corpus; EXPECTATIONS.txt says what each holds.
fn team_runbooks() -> PathBuf {
    util::fixture("team-runbooks")
}

/// Every markdown page under `root`, as (path under it, text).
fn pages_under(root: &Path) -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "md") && path.file_name().is_some_and(|n| n != "SOURCES.md")
            {
                let relative = path.strip_prefix(root).unwrap().display().to_string();
                out.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

fn code_blocks(text: &str) -> usize {
    Parser::new_ext(text, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_TABLES)
        .filter(|event| matches!(event, Event::Start(Tag::CodeBlock(_))))
        .count()
}

/// The pages under `root` converted, written into `dir` as the command
/// line writes them.
fn import_corpus(root: &Path, dir: &Path) -> usize {
    let pages = pages_under(root);
    assert!(pages.len() >= 10, "the pages are there: {} under {}", pages.len(), root.display());
    let markdown: Vec<Markdown<'_>> =
        pages.iter().map(|(path, text)| Markdown { path, text, collection: Collection::guess(path, text) }).collect();
    let mut written = 0;
    for ((path, _), converted) in pages.iter().zip(import::convert(&markdown)) {
        if let Ok(converted) = converted {
            let target = dir.join(Path::new(path).with_extension("toml"));
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, converted.toml).unwrap();
            written += 1;
        }
    }
    written
}

#[test]
fn the_corpus_imports_into_files_check_passes_with_a_step_for_every_code_block() {
    imports_cleanly(&corpus(), 250);
}

#[test]
fn runbooks_in_other_teams_styles_import_as_cleanly() {
    imports_cleanly(&team_runbooks(), 100);
}

/// Everything under `root` imported: `check` finds no error, and each of
/// the (at least `least`) code blocks is a step.
fn imports_cleanly(root: &Path, least: usize) {
    let dir = Dir::new();
    let written = import_corpus(root, dir.path());
    let options = LoadOptions { context: vec![Source::Embedded], strict: None };
    let loaded = load_with(&[Source::Path(dir.path().to_owned())], &options);
    let errors: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.level == Level::Error).map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let imported: Vec<_> = loaded
        .catalog
        .entries()
        .iter()
        .filter(|e| e.origin().path.starts_with(&*dir.path().display().to_string()))
        .collect();
    assert_eq!(imported.len(), written);
    // Counted both ways: the blocks the CommonMark parser finds in the
    // sources, and the steps of what was written.
    let blocks: usize = pages_under(root).iter().map(|(_, text)| code_blocks(text)).sum();
    let steps: usize = imported.iter().map(|e| e.steps.len()).sum();
    eprintln!("{written} files written, {blocks} code blocks, {steps} steps");
    assert_eq!(steps, blocks, "a step for each code block");
    assert!(blocks >= least, "{blocks} blocks");
}

#[test]
fn one_page_of_each_collection_gives_its_golden_file() {
    let collections = ["KubePodCrashLooping", "CoreDNSErrorsHigh", "NodeFilesystemFilesFillingUp"];
    // A team's pages: a BOM before front matter, setext headings, indented
    // blocks, root's prompt, SQL.
    let team = ["webhook-failures", "disk-full-db-node"];
    for (root, names) in [(corpus(), &collections[..]), (team_runbooks(), &team[..])] {
        let pages = pages_under(&root);
        let markdown: Vec<Markdown<'_>> = pages
            .iter()
            .map(|(path, text)| Markdown { path, text, collection: Collection::guess(path, text) })
            .collect();
        let converted = import::convert(&markdown);
        for name in names {
            let at = pages.iter().position(|(path, _)| path.ends_with(&format!("/{name}.md"))).unwrap();
            let toml = &converted[at].as_ref().unwrap().toml;
            let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/import/{name}.toml"));
            if std::env::var_os("UPDATE_GOLDEN").is_some() {
                std::fs::write(&golden, toml).unwrap();
            }
            assert_eq!(*toml, std::fs::read_to_string(&golden).unwrap(), "{name}: UPDATE_GOLDEN=1 writes it anew");
        }
    }
}

#[test]
fn import_writes_under_out_says_each_problem_at_its_place_and_search_finds_the_entries() {
    let home = Dir::new();
    let source = home.write(
        "team/storage/VolumeFillingUp.md",
        "# VolumeFillingUp\n\n## Meaning\n\nA persistent volume is almost full and writes will soon fail.\n\n\
         ## Diagnosis\n\n- See [the other one](./Missing.md).\n- Check usage:\n\n    ```shell\n    kubectl -n <namespace> exec $POD -- df -h\n    ```\n\n\
         ## Mitigation\n\n```shell\nkubectl -n <namespace> delete pod $POD\n",
    );
    let out_dir = home.path().join("catalog/imported");
    let team = source.parent().unwrap().parent().unwrap().display().to_string();
    let out = pagerbook(home.path(), &["import", &team, "--out", &out_dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).starts_with("imported 1 file into "), "{}", stdout(&out));
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(warnings.contains(&format!("{}:9:7: warning: a link to Missing.md", source.display())), "{warnings}");
    assert!(
        warnings.contains(&format!("{}:18:1: warning: a code block is not closed", source.display())),
        "{warnings}"
    );
    let written = out_dir.join("storage/VolumeFillingUp.toml");
    let toml = std::fs::read_to_string(&written).unwrap();
    // Its fence is never closed: copied, never run.
    assert!(
        toml.contains(
            "run = \"kubectl -n {{namespace}} delete pod {{pod}}\"\nlang = \"text\"\ndanger = \"destructive\""
        ),
        "{toml}"
    );
    let catalog = out_dir.display().to_string();
    assert_eq!(stdout(&pagerbook(home.path(), &["check", &catalog])), "checked 1 file: 1 entry loaded, no problems\n");
    for query in ["VolumeFillingUp", "persistent volume almost full writes fail"] {
        let found = stdout(&pagerbook(home.path(), &["--catalog", &catalog, "search", "-n", "1", query]));
        assert!(found.contains("volume-filling-up"), "{query}: {found}");
    }
}

#[test]
fn two_folders_with_one_file_name_both_land_and_hidden_or_looping_folders_are_left_out() {
    let home = Dir::new();
    let page = |h1: &str| format!("# {h1}\n\n## Meaning\n\nIt is broken.\n\n```sh\nuptime\n```\n");
    home.write("a/README.md", page("DiskFull"));
    home.write("b/README.md", page("CertExpired"));
    home.write("b/.git/notes.md", page("NotARunbook"));
    home.write("b/_index.md", page("Section"));
    std::os::unix::fs::symlink(home.path().join("b"), home.path().join("b/loop")).unwrap();
    let out_dir = home.path().join("out");
    let (a, b) = (home.path().join("a").display().to_string(), home.path().join("b").display().to_string());
    let out = pagerbook(home.path(), &["import", &a, &b, "--out", &out_dir.display().to_string()]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(stdout(&out).starts_with("imported 2 files into "), "{}{said}", stdout(&out));
    assert!(said.contains("symbolic link loop"), "{said}");
    let ids: Vec<String> = ["README.toml", "README-2.toml"]
        .iter()
        .map(|name| std::fs::read_to_string(out_dir.join(name)).unwrap())
        .map(|toml| toml.lines().find(|l| l.starts_with("id = ")).unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["id = \"disk-full\"", "id = \"cert-expired\""]);
    // One page imported again, alone: its earlier file is replaced, no second entry.
    let page = home.path().join("b/README.md").display().to_string();
    let out = pagerbook(home.path(), &["import", &page, "--out", &out_dir.display().to_string()]);
    assert!(stdout(&out).starts_with("imported 1 file into "), "{}", String::from_utf8_lossy(&out.stderr));
    let written: Vec<_> = std::fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(written.len(), 2, "{written:?}");
    let catalog = out_dir.display().to_string();
    assert!(stdout(&pagerbook(home.path(), &["check", &catalog])).ends_with("2 entries loaded, no problems\n"));
}

/// The embedded catalog's pages, as `export` writes them: (id, markdown).
fn exported() -> (pagerbook::catalog::Catalog, Vec<(String, String)>) {
    let catalog = util::embedded().catalog;
    let pages = (0..catalog.entries().len())
        .map(|i| (catalog.entries()[i].id().to_owned(), pagerbook::export::page(&catalog, i)))
        .collect();
    (catalog, pages)
}

#[test]
fn the_export_of_the_embedded_catalog_renders_with_its_headings_and_a_block_per_command() {
    let (catalog, pages) = exported();
    for ((id, page), entry) in pages.iter().zip(catalog.entries()) {
        let mut headings = Vec::new();
        let mut heading: Option<String> = None;
        let mut blocks = 0;
        for event in Parser::new_ext(page, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
                Event::Text(text) if heading.is_some() => heading.as_mut().unwrap().push_str(&text),
                Event::End(pulldown_cmark::TagEnd::Heading(_)) => headings.push(heading.take().unwrap()),
                Event::Start(Tag::CodeBlock(_)) => blocks += 1,
                _ => {}
            }
        }
        assert_eq!(headings[0], entry.title(), "{id}: the H1 is the title");
        for section in ["Meaning", "Diagnosis", "Mitigation", "About"] {
            assert!(headings.iter().any(|h| h == section), "{id}: no {section} in {headings:?}");
        }
        assert_eq!(blocks, entry.steps.iter().filter(|s| s.run().is_some()).count(), "{id}");
    }
}

#[test]
fn an_exported_entry_imported_again_has_its_id_steps_commands_and_placeholders() {
    let (catalog, pages) = exported();
    let markdown: Vec<Markdown<'_>> =
        pages.iter().map(|(id, text)| Markdown { path: id, text, collection: Collection::Other }).collect();
    let dir = Dir::new();
    for ((id, _), converted) in pages.iter().zip(import::convert(&markdown)) {
        let converted = converted.unwrap_or_else(|skipped| panic!("{id}: {skipped:?}"));
        assert_eq!(converted.id, *id);
        dir.write(&format!("{id}.toml"), converted.toml);
    }
    let again = load_with(&[Source::Path(dir.path().to_owned())], &LoadOptions::default());
    let errors: Vec<String> =
        again.diagnostics.iter().filter(|d| d.level == Level::Error).map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    for entry in catalog.entries() {
        let back = again.catalog.get(entry.id()).unwrap_or_else(|| panic!("{} is gone", entry.id()));
        assert_eq!(back.kind, entry.kind, "{}", entry.id());
        let commands = |e: &pagerbook::catalog::Entry| -> Vec<Option<String>> {
            // A command's trailing newline is not part of what it does.
            e.steps.iter().map(|s| s.run().map(|run| pagerbook::template::display(run).trim_end().to_owned())).collect()
        };
        assert_eq!(commands(back), commands(entry), "{}: the steps and their commands", entry.id());
        // What the confirmation says before a run comes back as it was.
        let marks = |e: &pagerbook::catalog::Entry| -> Vec<(pagerbook::catalog::Danger, bool, Option<String>)> {
            e.steps
                .iter()
                .filter(|s| s.run().is_some())
                .map(|s| (s.danger, s.interactive, s.place().map(str::to_owned)))
                .collect()
        };
        assert_eq!(marks(back), marks(entry), "{}: the steps' danger, terminal and place", entry.id());
        // Each placeholder whole: its description, default, pattern, and
        // whether it is a secret (never to be written down).
        let vars = |e: &pagerbook::catalog::Entry| -> Vec<pagerbook::catalog::Var> {
            e.vars.iter().map(|v| (**v).clone()).collect()
        };
        assert_eq!(vars(back), vars(entry), "{}: the placeholders", entry.id());
        assert_eq!(back.signals().collect::<Vec<_>>(), entry.signals().collect::<Vec<_>>(), "{}", entry.id());
        assert_eq!(back.related().collect::<Vec<_>>(), entry.related().collect::<Vec<_>>(), "{}", entry.id());
        assert_eq!(back.runbooks().collect::<Vec<_>>(), entry.runbooks().collect::<Vec<_>>(), "{}", entry.id());
    }
}
