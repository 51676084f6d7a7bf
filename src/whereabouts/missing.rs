//! What a command needs that is not there: programs that are neither
//! builtins nor on `PATH`, and variables that are unset or empty.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::shell::KEYWORDS;

/// Variables the shell sets itself, whatever the environment: never unset.
const SHELL_SETS: &[&str] = &[
    "BASH",
    "BASHPID",
    "BASH_SOURCE",
    "BASH_VERSION",
    "EPOCHREALTIME",
    "EPOCHSECONDS",
    "EUID",
    "FUNCNAME",
    "GROUPS",
    "HOSTNAME",
    "HOSTTYPE",
    "IFS",
    "LINENO",
    "MACHTYPE",
    "OLDPWD",
    "OPTARG",
    "OPTIND",
    "OSTYPE",
    "PIPESTATUS",
    "PPID",
    "PWD",
    "RANDOM",
    "REPLY",
    "SECONDS",
    "SHELLOPTS",
    "SRANDOM",
    "UID",
];

/// Bash's and sh's builtins: never missing.
const BUILTINS: &[&str] = &[
    ".",
    ":",
    "[",
    "alias",
    "bg",
    "bind",
    "break",
    "builtin",
    "caller",
    "cd",
    "command",
    "compgen",
    "complete",
    "compopt",
    "continue",
    "declare",
    "dirs",
    "disown",
    "echo",
    "enable",
    "eval",
    "exec",
    "exit",
    "export",
    "false",
    "fc",
    "fg",
    "getopts",
    "hash",
    "help",
    "history",
    "jobs",
    "kill",
    "let",
    "local",
    "logout",
    "mapfile",
    "popd",
    "printf",
    "pushd",
    "pwd",
    "read",
    "readarray",
    "readonly",
    "return",
    "set",
    "shift",
    "shopt",
    "source",
    "suspend",
    "test",
    "times",
    "trap",
    "true",
    "type",
    "typeset",
    "ulimit",
    "umask",
    "unalias",
    "unset",
    "wait",
];

/// Those of `programs` that are neither builtins nor `functions` the
/// command defines, and not found on `path`.
pub(super) fn programs(programs: &[String], functions: &[String], path: &str) -> Vec<String> {
    programs
        .iter()
        .filter(|program| !is_builtin(program) && !functions.contains(program) && !on_path(program, path))
        .cloned()
        .collect()
}

/// Those of `vars` that the shell does not set itself and that are unset or
/// empty in `env`.
pub(super) fn vars(vars: &[String], env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    vars.iter()
        .filter(|name| !SHELL_SETS.contains(&name.as_str()) && env(name).is_none_or(|value| value.is_empty()))
        .cloned()
        .collect()
}

fn is_builtin(program: &str) -> bool {
    BUILTINS.contains(&program) || KEYWORDS.contains(&program)
}

/// Whether the shell would find `program`: a path as given, else in a
/// directory of `path` (an empty entry is the working directory).
fn on_path(program: &str, path: &str) -> bool {
    let executable = |file: &Path| file.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
    if program.contains('/') {
        return executable(Path::new(program));
    }
    path.split(':').any(|dir| executable(&Path::new(if dir.is_empty() { "." } else { dir }).join(program)))
}
