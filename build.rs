//! Embeds `catalog/`, `runbooks/` and `drills/` in the binary, twice over:
//! - `embedded.rs`, a list of `(path, include_str!(…))` pairs: the texts,
//!   for diagnostics' snippets and `check --strict`;
//! - `prebuilt.bin`, what those files define as this crate's parser reads
//!   them, in `src/catalog/prebuilt.rs`'s form, so start-up decodes instead
//!   of parsing. The parser is this crate's own: the modules it needs are
//!   included below, so the build and the binary cannot disagree. When the
//!   files have problems, they are warnings here and `prebuilt.bin` is empty:
//!   the binary then parses the texts and shows the problems as it loads.

// Only the parser's part of each module is used here, and nothing is
// exported: lints about unused code and API names do not apply.
#![allow(dead_code, unused_imports, clippy::struct_field_names)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[path = "src/danger.rs"]
mod danger;
#[path = "src/diagnostic.rs"]
mod diagnostic;
#[path = "src/template/mod.rs"]
mod template;
#[path = "src/visible.rs"]
mod visible;
#[path = "src/words.rs"]
mod words;
#[path = "src/wrappers.rs"]
mod wrappers;

/// The part of `src/catalog` that reads one file (paths are relative to
/// `catalog/`, this module's directory for the compiler).
mod catalog {
    pub(crate) use crate::diagnostic;
    #[path = "../src/catalog/check.rs"]
    mod check;
    #[path = "../src/catalog/drill.rs"]
    mod drill;
    #[path = "../src/catalog/entry.rs"]
    mod entry;
    #[path = "../src/catalog/model.rs"]
    mod model;
    #[path = "../src/catalog/parse/mod.rs"]
    pub(crate) mod parse;
    #[path = "../src/catalog/prebuilt.rs"]
    pub(crate) mod prebuilt;
    #[path = "../src/catalog/review.rs"]
    mod review;
    #[path = "../src/catalog/schema.rs"]
    pub mod schema;
    #[path = "../src/catalog/step.rs"]
    mod step;
}

/// As `src/catalog/load.rs` names embedded files.
const EMBEDDED_PREFIX: &str = "<embedded>/";

fn main() -> io::Result<()> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(io::Error::other)?);
    let mut files = Vec::new();
    for dir in ["catalog", "runbooks", "drills"] {
        println!("cargo:rerun-if-changed={dir}");
        collect(&root, &root.join(dir), &mut files)?;
    }
    files.sort();
    // Each text is read once, here, and embedded from a copy: parsed and
    // included text are the same bytes even if a file is saved meanwhile.
    let mut list = String::from("&[\n");
    let mut texts = Vec::new();
    for (number, relative) in files.iter().enumerate() {
        let text = fs::read(root.join(relative)).map_err(|e| io::Error::new(e.kind(), format!("{relative}: {e}")))?;
        let copy = out_dir.join(format!("embedded-{number}.toml"));
        fs::write(&copy, &text)?;
        let _ = writeln!(list, "    ({relative:?}, include_str!({:?})),", copy.display().to_string());
        texts.push((relative, text));
    }
    list.push(']');
    fs::write(out_dir.join("embedded.rs"), list)?;
    fs::write(out_dir.join("prebuilt.bin"), prebuilt(&texts))
}

/// The files parsed, encoded; empty if any has a problem (the binary then
/// reads them as it reads any file, and says what is wrong).
fn prebuilt(texts: &[(&String, Vec<u8>)]) -> Vec<u8> {
    let mut diagnostics = Vec::new();
    let mut contents = Vec::new();
    for (relative, bytes) in texts {
        let path = format!("{EMBEDDED_PREFIX}{relative}");
        // What the loader refuses or warns about before parsing.
        let Some(text) = std::str::from_utf8(bytes).ok().filter(|text| !text.starts_with('\u{feff}')) else {
            println!("cargo:warning={path}: not UTF-8 without a byte-order mark");
            return Vec::new();
        };
        let map = diagnostic::SourceMap::new(Arc::from(path), text);
        contents.push(catalog::parse::parse_file(&map, None, &mut diagnostics));
    }
    for problem in &diagnostics {
        // One line each: cargo shows a warning's first line only.
        println!("cargo:warning={}", problem.to_string().lines().next().unwrap_or_default());
    }
    if diagnostics.is_empty() { catalog::prebuilt::encode(&contents) } else { Vec::new() }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) -> io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            let relative = path.strip_prefix(root).map_err(io::Error::other)?;
            files.push(relative.to_string_lossy().into_owned());
        }
    }
    Ok(())
}
