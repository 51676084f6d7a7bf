//! Where a final command will act, for the confirmation dialog: so that
//! "drain a staging node" reads differently from "drain a production node".
//!
//! From the command's text and an environment lookup: the Kubernetes
//! context and namespace of each `kubectl` or `helm` in it (and where each
//! came from), the hosts it reaches over `ssh`, the programs it runs and
//! which of them are not on `PATH`, and the variables it reads that are not
//! set. Reading the command is pure (`shell`); the only I/O is reading
//! kubeconfig files and looking in `PATH` directories. Nothing here fails:
//! what cannot be told is unknown, with the reason.

mod kube;
mod shell;

use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

pub use kube::ALL_NAMESPACES;
use kube::Tool;
use shell::{Part, Word, expand_parts, is_name};

use crate::template::{SSH_OPTIONS_WITH_ARGUMENT, short_option_wants_argument};

/// One fact about where a command acts: its value, or `None` when it
/// cannot be told, and where it came from (or why it cannot be told).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// `prod-eu`, `shop`; `None` when only the run can tell.
    pub value: Option<String>,
    /// `--context`, `current-context of ~/.kube/config`, or why it is unknown.
    pub from: String,
}

impl Fact {
    fn unknown(why: impl Into<String>) -> Fact {
        Fact { value: None, from: why.into() }
    }
}

/// The cluster and namespace a `kubectl` or `helm` invocation acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kube {
    /// The kubeconfig context, which names the cluster and the user.
    pub context: Fact,
    /// [`ALL_NAMESPACES`] for `-A`.
    pub namespace: Fact,
}

/// Where a command will act, and what it needs that is not there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Whereabouts {
    /// One per distinct target of its `kubectl` and `helm` invocations.
    pub kube: Vec<Kube>,
    /// `ssh` destinations as written (`user@host` kept).
    pub ssh_hosts: Vec<String>,
    /// The programs it runs, wrappers (`sudo`, `env`…) included, in order.
    pub programs: Vec<String>,
    /// Those of [`Whereabouts::programs`] that are neither shell builtins
    /// nor functions it defines, and not found on `PATH`.
    pub missing_programs: Vec<String>,
    /// The variables it reads (`$X`, `${X}`, outside single quotes) that it
    /// does not set itself before.
    pub vars_read: Vec<String>,
    /// Those of [`Whereabouts::vars_read`] unset or empty in the environment.
    pub unset_vars: Vec<String>,
}

/// Where `command` will act, with `env` as its environment (normally
/// `std::env::var_os`).
pub fn whereabouts(command: &str, env: &dyn Fn(&str) -> Option<OsString>) -> Whereabouts {
    let env = |name: &str| env(name).map(|value| value.to_string_lossy().into_owned());
    let reading = read(command, &env);
    let home = env("HOME").filter(|home| !home.is_empty());
    let shown = |path: &Path| match home.as_deref().and_then(|home| path.strip_prefix(home).ok()) {
        Some(rest) => Path::new("~").join(rest).display().to_string(),
        None => path.display().to_string(),
    };
    let mut kubeconfigs = kube::Kubeconfigs::default();
    let mut kube = Vec::new();
    for request in &reading.kube {
        let target = kubeconfigs.resolve(request, &shown);
        if !kube.contains(&target) {
            kube.push(target);
        }
    }
    // With no PATH, sh searches a default one.
    let path = env("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
    let missing_programs = reading
        .programs
        .iter()
        .filter(|program| !is_builtin(program) && !reading.functions.contains(program) && !on_path(program, &path))
        .cloned()
        .collect();
    let unset_vars = reading
        .vars_read
        .iter()
        .filter(|name| !SHELL_SETS.contains(&name.as_str()) && env(name).is_none_or(|value| value.is_empty()))
        .cloned()
        .collect();
    Whereabouts {
        kube,
        ssh_hosts: reading.ssh_hosts,
        programs: reading.programs,
        missing_programs,
        vars_read: reading.vars_read,
        unset_vars,
    }
}

impl fmt::Display for Whereabouts {
    /// One line for a status line: `⎈ prod-eu/shop  ssh node-3  not found:
    /// jq  unset: $NODE`; empty when there is nothing to say.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unknown = |fact: &Fact| fact.value.clone().unwrap_or_else(|| "?".into());
        let mut items: Vec<String> =
            self.kube.iter().map(|kube| format!("⎈ {}/{}", unknown(&kube.context), unknown(&kube.namespace))).collect();
        items.extend(self.ssh_hosts.iter().map(|host| format!("ssh {host}")));
        if !self.missing_programs.is_empty() {
            items.push(format!("not found: {}", self.missing_programs.join(", ")));
        }
        if !self.unset_vars.is_empty() {
            let vars: Vec<String> = self.unset_vars.iter().map(|name| format!("${name}")).collect();
            items.push(format!("unset: {}", vars.join(", ")));
        }
        f.write_str(&items.join("  "))
    }
}

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

fn is_builtin(program: &str) -> bool {
    BUILTINS.contains(&program) || shell::KEYWORDS.contains(&program)
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

/// A program that runs the command in its arguments, and how to find it.
struct Wrapper {
    name: &'static str,
    /// Short options whose argument is the next word (`sudo -u root`).
    short_with_argument: &'static str,
    long_with_argument: &'static [&'static str],
    /// Words before the command that are no option (`timeout 30s cmd`).
    operands: usize,
    /// `NAME=value` words before the command set its environment.
    takes_assignments: bool,
    /// Options after which nothing is run (`command -v kubectl`).
    lookup_only: &'static str,
    /// The command starts with another user's environment…
    resets_environment: bool,
    /// …unless one of these is given.
    keeps_environment: &'static [&'static str],
    /// Options that start the command with an empty environment.
    clears_environment: &'static [&'static str],
}

const WRAPPER: Wrapper = Wrapper {
    name: "",
    short_with_argument: "",
    long_with_argument: &[],
    operands: 0,
    takes_assignments: false,
    lookup_only: "",
    resets_environment: false,
    keeps_environment: &[],
    clears_environment: &[],
};

const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        name: "sudo",
        short_with_argument: "CDghpRrTtUu",
        long_with_argument: &[
            "--chdir",
            "--chroot",
            "--close-from",
            "--command-timeout",
            "--group",
            "--host",
            "--other-user",
            "--prompt",
            "--role",
            "--type",
            "--user",
        ],
        takes_assignments: true,
        lookup_only: "lv",
        resets_environment: true,
        keeps_environment: &["-E", "--preserve-env"],
        ..WRAPPER
    },
    Wrapper {
        name: "env",
        short_with_argument: "uCS",
        long_with_argument: &["--unset", "--chdir", "--split-string"],
        takes_assignments: true,
        clears_environment: &["-i", "-", "--ignore-environment"],
        ..WRAPPER
    },
    Wrapper {
        name: "timeout",
        short_with_argument: "sk",
        long_with_argument: &["--signal", "--kill-after"],
        operands: 1,
        ..WRAPPER
    },
    Wrapper { name: "nohup", ..WRAPPER },
    Wrapper { name: "exec", short_with_argument: "a", ..WRAPPER },
    Wrapper { name: "command", lookup_only: "vV", ..WRAPPER },
    Wrapper { name: "builtin", ..WRAPPER },
    Wrapper { name: "nice", short_with_argument: "n", long_with_argument: &["--adjustment"], ..WRAPPER },
    Wrapper { name: "ionice", short_with_argument: "cn", long_with_argument: &["--class", "--classdata"], ..WRAPPER },
    Wrapper { name: "setsid", ..WRAPPER },
    Wrapper {
        name: "stdbuf",
        short_with_argument: "ioe",
        long_with_argument: &["--input", "--output", "--error"],
        ..WRAPPER
    },
    Wrapper {
        name: "xargs",
        short_with_argument: "adEILnPs",
        long_with_argument: &["--arg-file", "--delimiter", "--max-args", "--max-chars", "--max-lines", "--max-procs"],
        ..WRAPPER
    },
];

/// The shells whose `-c` argument is a command of its own.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ksh", "zsh"];

/// How deep `sh -c '… sh -c …'` is followed.
const MAX_NESTING: usize = 3;

/// What an environment variable is for a program about to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seen {
    /// Set, and by what (`KUBECONFIG` or `KUBECONFIG=… in the command`).
    Set {
        value: String,
        from: String,
    },
    Unset,
    /// Known only when it runs, and why.
    Unknown(String),
}

/// What the command's text says, before any file is read.
#[derive(Debug, Default)]
struct Reading {
    kube: Vec<kube::Request>,
    ssh_hosts: Vec<String>,
    programs: Vec<String>,
    functions: Vec<String>,
    vars_read: Vec<String>,
}

/// Reads `command` (pure but for `env`, a lookup).
fn read(command: &str, env: &dyn Fn(&str) -> Option<String>) -> Reading {
    let mut walk = Walk { env, vars: HashMap::new(), session: kube::Session::default(), reading: Reading::default() };
    walk.script(command, 0);
    walk.reading
}

/// A variable the command sets: its value when the text tells it.
struct ShellVar {
    value: Option<String>,
    exported: bool,
}

/// The environment one program starts with, as far as the command says.
#[derive(Clone, Default)]
struct ChildEnv {
    /// `NAME=value` given to it (a value known only at run time is `None`).
    assigned: Vec<(String, Option<String>)>,
    inherits: Inherits,
}

#[derive(Clone, Default)]
enum Inherits {
    /// The shell's own environment and exports.
    #[default]
    Ours,
    /// Nothing (`env -i`).
    Nothing,
    /// Another's, and whose (`sudo`).
    Unknown(&'static str),
}

/// Goes through the simple commands in order, tracking what they set.
struct Walk<'e> {
    env: &'e dyn Fn(&str) -> Option<String>,
    vars: HashMap<String, ShellVar>,
    session: kube::Session,
    reading: Reading,
}

fn push_new(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

impl Walk<'_> {
    fn script(&mut self, text: &str, depth: usize) {
        let script = shell::scan(text);
        for name in script.functions {
            push_new(&mut self.reading.functions, name);
        }
        for command in &script.commands {
            self.simple(command, depth);
        }
    }

    /// A variable's value as the shell expands it.
    fn value(&self, name: &str) -> Option<String> {
        match self.vars.get(name) {
            Some(var) => var.value.clone(),
            None => (self.env)(name),
        }
    }

    fn expand(&self, word: &Word) -> Option<String> {
        word.expand(&|name| self.value(name))
    }

    fn expand_parts(&self, parts: &[Part]) -> Option<String> {
        expand_parts(parts, &|name| self.value(name))
    }

    /// What a program started with `child` sees of variable `name`.
    fn seen(&self, child: &ChildEnv, name: &str) -> Seen {
        let in_command = || format!("{name}=… in the command");
        if let Some((_, value)) = child.assigned.iter().rev().find(|(assigned, _)| assigned == name) {
            return match value {
                Some(value) => Seen::Set { value: value.clone(), from: in_command() },
                None => Seen::Unknown(format!("{name} is set by the command to a value known only when it runs")),
            };
        }
        match child.inherits {
            Inherits::Nothing => Seen::Unset,
            Inherits::Unknown(why) => Seen::Unknown(why.into()),
            Inherits::Ours => match self.vars.get(name) {
                // An assignment reaches the program once the name is exported.
                Some(var) if var.exported || (self.env)(name).is_some() => match &var.value {
                    Some(value) => Seen::Set { value: value.clone(), from: in_command() },
                    None => Seen::Unknown(format!("{name} is set by the command to a value known only when it runs")),
                },
                _ => match (self.env)(name) {
                    Some(value) => Seen::Set { value, from: name.to_owned() },
                    None => Seen::Unset,
                },
            },
        }
    }

    /// Notes the variables `word` reads that are not set before it.
    fn note_reads(&mut self, word: &Word, local: &[(String, Option<String>)]) {
        for reference in &word.refs {
            let set = self.vars.contains_key(&reference.name) || local.iter().any(|(name, _)| *name == reference.name);
            if !reference.handles_unset && !set {
                push_new(&mut self.reading.vars_read, reference.name.clone());
            }
        }
    }

    fn assign(&mut self, name: &str, value: Option<String>, exported: bool) {
        let exported = exported || self.vars.get(name).is_some_and(|var| var.exported);
        self.vars.insert(name.to_owned(), ShellVar { value, exported });
    }

    fn simple(&mut self, command: &shell::SimpleCommand, depth: usize) {
        let prefix = command.words.iter().take_while(|word| word.assigns.is_some()).count();
        let (assignments, words) = command.words.split_at(prefix);
        let mut child = ChildEnv::default();
        for word in assignments {
            let Some((name, value)) = word.assignment() else { continue };
            let value = self.expand_parts(value);
            if words.is_empty() {
                // No command: the shell's own variable, set left to right.
                self.note_reads(word, &[]);
                self.assign(name, value, false);
            } else {
                // Only the command's environment.
                self.note_reads(word, &child.assigned);
                child.assigned.push((name.to_owned(), value));
            }
        }
        for word in words.iter().chain(&command.redirects) {
            self.note_reads(word, &[]);
        }
        self.run(words, child, depth);
    }

    /// A command word and its arguments.
    fn run(&mut self, words: &[Word], child: ChildEnv, depth: usize) {
        let Some((first, args)) = words.split_first() else { return };
        let Some(program) = first.literal() else { return };
        if !first.quoted && shell::KEYWORDS.contains(&program.as_str()) {
            // `for NAME in …` sets NAME.
            if let Some(name) = args.first().and_then(Word::literal).filter(|name| is_name(name)) {
                self.assign(&name, None, false);
            }
            return;
        }
        let name = program.rsplit('/').next().unwrap_or_default().to_owned();
        push_new(&mut self.reading.programs, program);
        if let Some(wrapper) = WRAPPERS.iter().find(|wrapper| wrapper.name == name) {
            self.wrapped(wrapper, args, child, depth);
            return;
        }
        match name.as_str() {
            "export" | "readonly" | "declare" | "typeset" | "local" => self.declare(&name, args),
            "read" => self.read_names(args),
            "ssh" => self.ssh(args),
            "eval" => self.nested(args, depth),
            "watch" => {
                let command = skip_options(args, "nq", &["--interval", "--equexit"]);
                self.nested(command, depth);
            }
            shell if SHELLS.contains(&shell) => {
                let option_c = args.iter().position(|arg| {
                    arg.literal()
                        .is_some_and(|text| text.starts_with('-') && !text.starts_with("--") && text.contains('c'))
                });
                if let Some(at) = option_c {
                    self.nested(args.get(at + 1..at + 2).unwrap_or_default(), depth);
                }
            }
            _ => {
                if let Some(tool) = Tool::for_program(&name) {
                    self.kube(tool, args, &child);
                }
            }
        }
    }

    /// The command inside `sudo`, `env`, `timeout`…
    fn wrapped(&mut self, wrapper: &Wrapper, args: &[Word], mut child: ChildEnv, depth: usize) {
        if wrapper.resets_environment {
            child.inherits = Inherits::Unknown("sudo starts it with another user's environment");
        }
        let mut operands = wrapper.operands;
        let mut rest = args;
        while let Some((word, after)) = rest.split_first() {
            let Some(text) = word.literal() else { break };
            let option = text.starts_with('-');
            if text == "--" {
                rest = after;
                break;
            }
            if wrapper.keeps_environment.iter().any(|keep| text == *keep || text.starts_with(&format!("{keep}="))) {
                child.inherits = Inherits::Ours;
            }
            if wrapper.clears_environment.contains(&text.as_str()) {
                child.inherits = Inherits::Nothing;
            }
            let takes_next = if text.starts_with("--") {
                wrapper.long_with_argument.contains(&text.as_str())
            } else if option && text.len() > 1 {
                if text.contains(|c| wrapper.lookup_only.contains(c)) {
                    return;
                }
                short_option_wants_argument(&text, wrapper.short_with_argument)
            } else if wrapper.takes_assignments
                && let Some((name, value)) = word.assignment()
            {
                child.assigned.push((name.to_owned(), self.expand_parts(value)));
                false
            } else if operands > 0 && text != "-" {
                operands -= 1;
                false
            } else if text == "-" && !wrapper.clears_environment.is_empty() {
                false
            } else {
                break;
            };
            rest = if takes_next { after.get(1..).unwrap_or_default() } else { after };
        }
        self.run(rest, child, depth);
    }

    /// `export NAME=value`, `local NAME`, `declare -x NAME=value`…
    fn declare(&mut self, builtin: &str, args: &[Word]) {
        let exports = builtin == "export"
            || args.iter().any(|arg| arg.literal().is_some_and(|text| text.starts_with('-') && text.contains('x')));
        for arg in args {
            if let Some((name, value)) = arg.assignment() {
                let value = self.expand_parts(value);
                self.assign(name, value, exports);
            } else if let Some(name) = arg.literal().filter(|name| is_name(name)) {
                if builtin == "export" {
                    if let Some(var) = self.vars.get_mut(&name) {
                        var.exported = true;
                    }
                } else if !self.vars.contains_key(&name) {
                    self.assign(&name, Some(String::new()), exports);
                }
            }
        }
    }

    /// `read [-r] [-p prompt] NAME…` sets each NAME (`REPLY` without one).
    fn read_names(&mut self, args: &[Word]) {
        let names: Vec<String> =
            skip_options(args, "adinNptu", &[]).iter().filter_map(Word::literal).filter(|name| is_name(name)).collect();
        if names.is_empty() {
            self.assign("REPLY", None, false);
        }
        for name in names {
            self.assign(&name, None, false);
        }
    }

    /// The destination of `ssh [options] destination [command]`.
    fn ssh(&mut self, args: &[Word]) {
        let Some(destination) = skip_options(args, SSH_OPTIONS_WITH_ARGUMENT, &[]).first() else { return };
        let host = self.expand(destination).unwrap_or_else(|| destination.raw.clone());
        push_new(&mut self.reading.ssh_hosts, host);
    }

    /// Words that another shell reads as a command (`eval`, `watch`, `sh -c`).
    fn nested(&mut self, words: &[Word], depth: usize) {
        if depth >= MAX_NESTING || words.is_empty() {
            return;
        }
        let text: Vec<String> =
            words.iter().map(|word| self.expand(word).unwrap_or_else(|| word.raw.clone())).collect();
        self.script(&text.join(" "), depth + 1);
    }

    fn kube(&mut self, tool: Tool, args: &[Word], child: &ChildEnv) {
        let flags = kube::flags(tool, args, &|word| self.expand(word));
        if tool == Tool::Kubectl && kube::edits_kubeconfig(&flags) {
            self.session.note(&flags);
            return;
        }
        let request = kube::Request {
            tool,
            flags,
            session: self.session.clone(),
            kubeconfig_env: self.seen(child, "KUBECONFIG"),
            home: self.seen(child, "HOME"),
            helm_context: self.seen(child, "HELM_KUBECONTEXT"),
            helm_namespace: self.seen(child, "HELM_NAMESPACE"),
        };
        self.reading.kube.push(request);
    }
}

/// The words after leading options (`-x`, `-p 22`, `--opt value`, up to
/// `--`).
fn skip_options<'w>(args: &'w [Word], short_with_argument: &str, long_with_argument: &[&str]) -> &'w [Word] {
    let mut rest = args;
    while let Some((word, after)) = rest.split_first() {
        let Some(text) = word.literal().filter(|text| text.starts_with('-') && text.len() > 1) else { break };
        if text == "--" {
            return after;
        }
        let takes_next = if text.starts_with("--") {
            long_with_argument.contains(&text.as_str())
        } else {
            short_option_wants_argument(&text, short_with_argument)
        };
        rest = if takes_next { after.get(1..).unwrap_or_default() } else { after };
    }
    rest
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::PathBuf;

    use super::*;

    /// A temporary home with a kubeconfig, and an environment pointing at it.
    struct Place {
        dir: tempfile::TempDir,
        vars: HashMap<String, String>,
    }

    impl Place {
        fn new() -> Place {
            let dir = tempfile::tempdir().unwrap();
            let bin = dir.path().join("bin");
            std::fs::create_dir(&bin).unwrap();
            for program in ["kubectl", "helm", "ssh", "sudo", "env", "timeout", "grep", "sh"] {
                let file = bin.join(program);
                std::fs::write(&file, "").unwrap();
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
            let vars = [("HOME", dir.path().display().to_string()), ("PATH", bin.display().to_string())];
            Place { dir, vars: vars.into_iter().map(|(k, v)| (k.to_owned(), v)).collect() }
        }

        fn file(&self, name: &str, text: &str) -> PathBuf {
            let path = self.dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        }

        fn set(mut self, name: &str, value: &str) -> Place {
            self.vars.insert(name.to_owned(), value.to_owned());
            self
        }

        fn of(&self, command: &str) -> Whereabouts {
            whereabouts(command, &|name| self.vars.get(name).map(OsString::from))
        }

        /// `(context, namespace)` of each kube target.
        fn kube(&self, command: &str) -> Vec<(Option<String>, Option<String>)> {
            self.of(command).kube.into_iter().map(|k| (k.context.value, k.namespace.value)).collect()
        }
    }

    fn config(current: &str, contexts: &[(&str, Option<&str>)]) -> String {
        let contexts = contexts.iter().map(|(name, namespace)| {
            let namespace = namespace.map(|namespace| format!("    namespace: {namespace}\n")).unwrap_or_default();
            format!("- name: {name}\n  context:\n    cluster: c\n{namespace}")
        });
        format!("apiVersion: v1\nkind: Config\ncurrent-context: {current}\ncontexts:\n{}", contexts.collect::<String>())
    }

    fn some(context: &str, namespace: &str) -> (Option<String>, Option<String>) {
        (Some(context.to_owned()), Some(namespace.to_owned()))
    }

    #[test]
    fn kubeconfig_named_by_kubeconfig_gives_its_current_context_and_namespace() {
        let place = Place::new();
        let first = place.file("k/first", "apiVersion: v1\nkind: Config\n");
        let second = place.file("k/second", &config("prod-eu", &[("prod-eu", Some("shop")), ("stage", None)]));
        let place = place.set("KUBECONFIG", &format!("{}:{}", first.display(), second.display()));
        let found = place.of("kubectl drain node-3");
        assert_eq!(
            found.kube,
            [Kube {
                context: Fact {
                    value: Some("prod-eu".into()),
                    from: "current-context of ~/k/second (KUBECONFIG)".into()
                },
                namespace: Fact { value: Some("shop".into()), from: "context prod-eu in ~/k/second".into() },
            }]
        );
        assert_eq!(found.to_string(), "⎈ prod-eu/shop");
        assert_eq!(place.kube("kubectl --context stage get pods"), [some("stage", "default")]);
    }

    #[test]
    fn the_default_kubeconfig_is_in_the_home_directory() {
        let place = Place::new();
        place.file(".kube/config", &config("home", &[("home", Some("ns"))]));
        let found = place.of("helm list");
        assert_eq!(found.kube[0].context.from, "current-context of ~/.kube/config");
        assert_eq!(found.to_string(), "⎈ home/ns");
    }

    #[test]
    fn flags_and_the_commands_own_assignments_override_the_environment() {
        let place = Place::new();
        place.file(".kube/config", &config("home", &[("home", Some("ns"))]));
        let other = place.file("other", &config("other", &[("other", Some("o")), ("x", Some("xs"))]));
        let other = other.display();
        assert_eq!(place.kube("kubectl -n kube-system --context=x get pods"), [some("x", "kube-system")]);
        assert_eq!(place.kube(&format!("kubectl --kubeconfig {other} get pods")), [some("other", "o")]);
        assert_eq!(place.kube(&format!("KUBECONFIG={other} kubectl get pods")), [some("other", "o")]);
        assert_eq!(place.kube(&format!("export KUBECONFIG={other}; sudo -E kubectl get pods")), [some("other", "o")]);
        assert_eq!(place.kube(&format!("env KUBECONFIG={other} kubectl get pods -A")), [some("other", ALL_NAMESPACES)]);
        assert_eq!(place.kube("helm status x --kube-context x -n web"), [some("x", "web")]);
        assert_eq!(place.kube("kubectl config use-context x && kubectl get pods"), [(Some("x".into()), None)]);
    }

    #[test]
    fn every_invocation_in_a_pipeline_counts_once() {
        let place = Place::new();
        place.file(".kube/config", &config("home", &[("home", Some("ns"))]));
        let command = "kubectl -n a get secret s -o yaml | kubectl -n b apply -f - && kubectl -n a get pods";
        assert_eq!(place.kube(command), [some("home", "a"), some("home", "b")]);
        assert_eq!(place.of(command).to_string(), "⎈ home/a  ⎈ home/b");
    }

    #[test]
    fn a_missing_or_broken_kubeconfig_is_unknown_and_says_why() {
        let place = Place::new();
        let found = place.of("kubectl get pods");
        assert_eq!(found.kube[0].context, Fact::unknown("~/.kube/config: no such file"));
        assert_eq!(found.kube[0].namespace, Fact::unknown("the context is unknown"));
        assert_eq!(found.to_string(), "⎈ ?/?");
        place.file(".kube/config", "contexts: [\n  - name: x\n");
        let broken = place.of("kubectl get pods").kube.remove(0).context;
        assert_eq!(broken.value, None);
        assert!(broken.from.starts_with("~/.kube/config: "), "{}", broken.from);
        place.file(".kube/config", &config("gone", &[]));
        let kube = place.of("kubectl get pods").kube.remove(0);
        assert_eq!(kube.namespace, Fact::unknown("context gone is not in ~/.kube/config"));
        assert_eq!(place.of("sudo kubectl get pods").kube[0].context.value, None);
        assert_eq!(place.of("env -i kubectl get pods").kube[0].context.from, "neither KUBECONFIG nor HOME is set");
    }

    #[test]
    fn ssh_destinations_skip_options_and_their_arguments() {
        let place = Place::new().set("NODE", "node-7");
        let found = place.of("ssh -i ~/.ssh/key -o ConnectTimeout=5 -p 22 -J bastion -l admin node-3 sudo reboot");
        assert_eq!(found.ssh_hosts, ["node-3"]);
        // What runs on the host is not ours to check.
        assert_eq!(found.programs, ["ssh"]);
        assert!(place.of("ssh node-3 kubectl drain node-3").kube.is_empty());
        assert_eq!(
            place.of("ssh -tt ops@db-1 -- uptime; ssh \"$NODE\" x; ssh $(pick)").ssh_hosts,
            ["ops@db-1", "node-7", "$(pick)"]
        );
        assert_eq!(place.of("ssh node-3 uptime").to_string(), "ssh node-3");
    }

    #[test]
    fn programs_are_command_words_past_wrappers_and_builtins_are_never_missing() {
        let place = Place::new();
        let found = place.of("sudo -u root env A=1 timeout -s KILL 30 jq . x | grep y; for f in a; do echo $f; done; \
             [ -n x ] && cd / && FOO=1 ./nothing-here; command -v absent; f() { :; }; f; $TOOL x");
        assert_eq!(
            found.programs,
            ["sudo", "env", "timeout", "jq", "grep", "echo", "[", "cd", "./nothing-here", "command", ":", "f"]
        );
        assert_eq!(found.missing_programs, ["jq", "./nothing-here"]);
        assert_eq!(place.of("sh -c 'kubectl get pods; missing-tool'").missing_programs, ["missing-tool"]);
        assert_eq!(place.of("watch -n 2 kubectl get pods").programs, ["watch", "kubectl"]);
    }

    #[test]
    fn variables_read_and_not_set_before_are_reported_when_unset_or_empty() {
        let place = Place::new().set("SET", "x").set("EMPTY", "");
        let found = place.of("X=1; export Y=2; for Z in a; do read -r W; local L; echo $X $Y $Z $W $L; done; \
             echo \"$SET $EMPTY $UNSET\" '$QUOTED' ${DEFAULTED:-d} $1 $? $@ $$; P=1 cmd $P");
        assert_eq!(found.vars_read, ["SET", "EMPTY", "UNSET", "P"]);
        assert_eq!(found.unset_vars, ["EMPTY", "UNSET", "P"]);
        assert_eq!(found.to_string(), "not found: cmd  unset: $EMPTY, $UNSET, $P");
    }

    #[test]
    fn a_server_or_cluster_flag_says_it_overrides_the_context() {
        // Regression: `kubectl -s https://other:6443` read as acting on the
        // current context's cluster.
        let place = Place::new();
        place.file(".kube/config", &config("prod-eu", &[("prod-eu", Some("shop"))]));
        let found = place.of("kubectl -s https://other:6443 --token=abc get pods");
        let context = &found.kube[0].context;
        assert_eq!(context.value.as_deref(), Some("prod-eu"));
        assert!(context.from.ends_with("; but -s https://other:6443, --token overrides it"), "{}", context.from);
        assert!(!context.from.contains("abc"), "the token's value is not shown");
        assert!(!place.of("kubectl get pods").kube[0].context.from.contains("overrides"));
    }

    #[test]
    fn the_shells_own_variables_are_never_unset() {
        // Regression: `dnstest-$RANDOM` was flagged as reading an unset variable.
        let place = Place::new();
        let found = place.of("echo dnstest-$RANDOM $SECONDS $BASHPID $UID $PPID $LINENO $HOSTNAME $NOPE");
        assert_eq!(found.unset_vars, ["NOPE"]);
    }
}
