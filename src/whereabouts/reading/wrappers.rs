//! The programs that run the command in their arguments (`sudo`, `env`,
//! `timeout`…): which of their words are their own, and what environment
//! the command starts with.

use super::{ChildEnv, CommandWalk, Inherits};
use crate::template::short_option_wants_argument;
use crate::whereabouts::shell::Word;

/// A program that runs the command in its arguments, and how to find it
/// (`template` keeps a table of its own, for where placeholders land).
pub(super) struct CommandWrapper {
    pub(super) name: &'static str,
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

const WRAPPER: CommandWrapper = CommandWrapper {
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

pub(super) const WRAPPERS: &[CommandWrapper] = &[
    CommandWrapper {
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
    CommandWrapper {
        name: "env",
        short_with_argument: "uCS",
        long_with_argument: &["--unset", "--chdir", "--split-string"],
        takes_assignments: true,
        clears_environment: &["-i", "-", "--ignore-environment"],
        ..WRAPPER
    },
    CommandWrapper {
        name: "timeout",
        short_with_argument: "sk",
        long_with_argument: &["--signal", "--kill-after"],
        operands: 1,
        ..WRAPPER
    },
    CommandWrapper { name: "nohup", ..WRAPPER },
    CommandWrapper { name: "exec", short_with_argument: "a", ..WRAPPER },
    CommandWrapper { name: "command", lookup_only: "vV", ..WRAPPER },
    CommandWrapper { name: "builtin", ..WRAPPER },
    CommandWrapper { name: "nice", short_with_argument: "n", long_with_argument: &["--adjustment"], ..WRAPPER },
    CommandWrapper {
        name: "ionice",
        short_with_argument: "cn",
        long_with_argument: &["--class", "--classdata"],
        ..WRAPPER
    },
    CommandWrapper { name: "setsid", ..WRAPPER },
    CommandWrapper {
        name: "stdbuf",
        short_with_argument: "ioe",
        long_with_argument: &["--input", "--output", "--error"],
        ..WRAPPER
    },
    CommandWrapper {
        name: "xargs",
        short_with_argument: "adEILnPs",
        long_with_argument: &["--arg-file", "--delimiter", "--max-args", "--max-chars", "--max-lines", "--max-procs"],
        ..WRAPPER
    },
];

impl CommandWalk<'_> {
    /// The command inside `sudo`, `env`, `timeout`…
    pub(super) fn wrapped(&mut self, wrapper: &CommandWrapper, args: &[Word], mut child: ChildEnv, depth: usize) {
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
}
