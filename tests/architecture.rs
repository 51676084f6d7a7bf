//! The module map of src/lib.rs, held: the pure modules know nothing of the
//! terminal or of processes, so they are tested without either and a
//! renderer or a front end can be added beside them.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};

/// Modules that are pure logic: data in, data out.
const PURE: &[&str] = &[
    "src/catalog",
    "src/search",
    "src/template",
    "src/present.rs",
    "src/danger.rs",
    "src/diagnostic.rs",
    "src/words.rs",
    "src/wrappers.rs",
    "src/wrap.rs",
    "src/visible.rs",
];

/// What a pure module may not name.
const IMPURE: &[&str] =
    &["ratatui", "crossterm", "std::process", "rustix::process", "crate::tui", "crate::runner", "crate::clipboard"];

fn rust_files(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap().flatten() {
            rust_files(&entry.path(), files);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        files.push(path.to_owned());
    }
}

#[test]
fn pure_modules_import_no_terminal_or_process_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for module in PURE {
        rust_files(&root.join(module), &mut files);
    }
    assert!(files.len() > 10, "the pure modules were not found: {files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Tests may run a shell to check what the code produces.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (i, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for name in IMPURE {
                if line.contains(name) {
                    found.push(format!("{}:{}: {name}", file.strip_prefix(root).unwrap().display(), i + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "pure modules reaching the terminal or processes:\n{}", found.join("\n"));
}

#[test]
fn the_catalog_and_the_danger_recogniser_do_not_depend_on_each_other_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let danger = std::fs::read_to_string(root.join("src/danger.rs")).unwrap();
    assert!(!danger.contains("crate::catalog"), "danger.rs uses the catalog, which uses danger.rs");
}

/// What the update and the view both need lives in `tui/layout`, so the
/// update can be read and tested without the drawing code.
#[test]
fn the_update_never_imports_the_view() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/tui/update"), &mut files);
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for view in ["super::view", "tui::view", "super::super::view"] {
            assert!(!text.contains(view), "{} names {view}", file.display());
        }
    }
}
