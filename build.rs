//! Embeds `catalog/` and `runbooks/` in the binary: writes a list of
//! `(path, include_str!(…))` pairs that `src/catalog/load.rs` includes.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn main() -> io::Result<()> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?);
    let mut files = Vec::new();
    for dir in ["catalog", "runbooks"] {
        println!("cargo:rerun-if-changed={dir}");
        collect(&root, &root.join(dir), &mut files)?;
    }
    files.sort();
    let mut out = String::from("&[\n");
    for relative in &files {
        let absolute = root.join(relative);
        let _ = writeln!(out, "    ({relative:?}, include_str!({:?})),", absolute.display().to_string());
    }
    out.push(']');
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(io::Error::other)?);
    fs::write(out_dir.join("embedded.rs"), out)
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
