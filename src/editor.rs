//! The person's editor, and how to open a file at a line in it: `pagerbook
//! edit ID` and F4 in the navigator both go through here.

use std::path::Path;

/// `$VISUAL`, else `$EDITOR`, else `vi`.
#[must_use]
pub fn chosen() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// The program and arguments that open `path` at `line` in `editor` (which
/// may carry arguments of its own, `code -w`): `+LINE FILE`, as vi, nano,
/// emacs and micro read it; `--goto FILE:LINE` for VS Code.
#[must_use]
pub fn command(editor: &str, path: &Path, line: u32) -> (String, Vec<String>) {
    let mut words = shlex::split(editor).filter(|w| !w.is_empty()).unwrap_or_else(|| vec![editor.to_owned()]);
    let program = words.remove(0);
    let name = Path::new(&program).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = path.display().to_string();
    match name.as_str() {
        "code" | "codium" | "code-insiders" => words.extend(["--goto".to_owned(), format!("{file}:{line}")]),
        "subl" | "zed" | "hx" | "helix" => words.push(format!("{file}:{line}")),
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
        assert_eq!(command("vim", path, 12), ("vim".into(), vec!["+12".into(), "/c/team.toml".into()]));
        assert_eq!(
            command("code -w", path, 3),
            ("code".into(), vec!["-w".into(), "--goto".into(), "/c/team.toml:3".into()])
        );
        assert_eq!(command("'/opt/my editor/bin/nano'", path, 1).0, "/opt/my editor/bin/nano");
    }
}
