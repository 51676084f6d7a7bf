//! `pagerbook edit ID`: the entry's file opened at its line in the user's
//! editor, then checked, so a mistake is said before the navigator meets it.

use std::io::{self, Write};
use std::path::Path;
use std::process::Command;

use super::{EXIT_OK, EXIT_PROBLEM, load_noting_problems, unknown_id};
use crate::catalog::{self, EMBEDDED_PREFIX, Level, LoadOptions, Source};

pub(super) fn edit(sources: &[Source], id: &str, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let catalog = load_noting_problems(sources, err)?.catalog;
    let Some(entry) = catalog.get(id) else { return unknown_id(&catalog, id, err) };
    let origin = entry.origin();
    if let Some(inside) = origin.path.strip_prefix(EMBEDDED_PREFIX) {
        writeln!(
            err,
            "pagerbook: error: `{id}` is built into pagerbook ({inside}:{}), which cannot be edited here; \
             a team's own entries live in ~/.config/pagerbook/catalog/",
            origin.line
        )?;
        return Ok(EXIT_PROBLEM);
    }
    let path = Path::new(&*origin.path);
    let (program, args) = editor_command(&editor(), path, origin.line);
    let status = match Command::new(&program).args(&args).status() {
        Ok(status) => status,
        Err(e) => {
            writeln!(err, "pagerbook: error: cannot start the editor `{program}`: {e} (set VISUAL or EDITOR)")?;
            return Ok(EXIT_PROBLEM);
        }
    };
    if !status.success() {
        writeln!(err, "pagerbook: the editor `{program}` ended with {status}")?;
    }
    // The file as it is now, beside the catalogs it loads with.
    let options = LoadOptions { context: sources.to_vec(), strict: None };
    let loaded = catalog::load_with(&[Source::Path(path.to_owned())], &options);
    let errors = loaded.diagnostics.iter().filter(|d| d.level == Level::Error).count();
    for problem in &loaded.diagnostics {
        writeln!(out, "{problem}")?;
    }
    if loaded.diagnostics.is_empty() {
        writeln!(out, "{}: no problems", path.display())?;
    }
    Ok(if errors > 0 || !status.success() { EXIT_PROBLEM } else { EXIT_OK })
}

/// `$VISUAL`, else `$EDITOR`, else `vi`.
fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// The program and arguments that open `path` at `line` in `editor` (which
/// may carry arguments of its own, `code -w`): `+LINE FILE`, as vi, nano,
/// emacs and micro read it; `--goto FILE:LINE` for VS Code.
fn editor_command(editor: &str, path: &Path, line: u32) -> (String, Vec<String>) {
    let mut words = shlex::split(editor).filter(|w| !w.is_empty()).unwrap_or_else(|| vec![editor.to_owned()]);
    let program = words.remove(0);
    let name = Path::new(&program).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = path.display().to_string();
    match name.as_str() {
        "code" | "codium" | "code-insiders" => words.extend(["--goto".to_owned(), format!("{file}:{line}")]),
        "subl" | "zed" => words.push(format!("{file}:{line}")),
        _ => words.extend([format!("+{line}"), file]),
    }
    (program, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_editor_is_given_the_line_as_it_reads_it() {
        let path = Path::new("/c/team.toml");
        assert_eq!(editor_command("vim", path, 12), ("vim".into(), vec!["+12".into(), "/c/team.toml".into()]));
        assert_eq!(
            editor_command("code -w", path, 3),
            ("code".into(), vec!["-w".into(), "--goto".into(), "/c/team.toml:3".into()])
        );
        assert_eq!(editor_command("'/opt/my editor/bin/nano'", path, 1).0, "/opt/my editor/bin/nano");
    }
}
