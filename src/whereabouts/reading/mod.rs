//! What a command's text says, before any file is read: its simple
//! commands walked in order, tracking the variables they set and export, to
//! tell the programs it runs, the variables it reads, its `kubectl` and
//! `helm` invocations with the environment each sees, and its `ssh` hosts.
//! Pure but for an environment lookup.

mod wrappers;

use std::collections::HashMap;

use super::Seen;
use super::kube::{self, Tool};
use super::shell::{self, Part, Word, expand_parts, is_name};
use crate::template::{SSH_OPTIONS_WITH_ARGUMENT, short_option_wants_argument};

/// The shells whose `-c` argument is a command of its own.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ksh", "zsh"];

/// How deep `sh -c '… sh -c …'` is followed.
const MAX_NESTING: usize = 3;

/// What the command's text says, before any file is read.
#[derive(Debug, Default)]
pub(super) struct Reading {
    pub(super) kube: Vec<kube::Request>,
    pub(super) ssh_hosts: Vec<String>,
    pub(super) programs: Vec<String>,
    pub(super) functions: Vec<String>,
    pub(super) vars_read: Vec<String>,
}

/// Reads `command` (pure but for `env`, a lookup).
pub(super) fn read(command: &str, env: &dyn Fn(&str) -> Option<String>) -> Reading {
    let mut walk =
        CommandWalk { env, vars: HashMap::new(), session: kube::Session::default(), reading: Reading::default() };
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
struct CommandWalk<'e> {
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

impl CommandWalk<'_> {
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
        if let Some(wrapper) = crate::wrappers::Wrapper::named(&name) {
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
