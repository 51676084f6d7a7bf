//! What each word means to the command it belongs to: which starts a
//! command, which are options and their arguments, and which go to another
//! shell (ssh's remote command, watch's command, `sh -c`'s string).

use super::{ARITHMETIC, VALUE};
use crate::wrappers::Wrapper;

/// What the current simple command is, as far as quoting cares.
#[derive(Clone, Copy)]
pub(super) enum CommandState {
    /// The next word is a command word (after a separator, a keyword, an
    /// assignment or a wrapper).
    Start,
    /// A wrapper that runs its arguments as a command (`sudo`, `env`,
    /// `timeout`…): its options, then the command.
    Wrapper { wrapper: &'static Wrapper, argument_next: bool, options_done: bool, positionals: u8 },
    /// `ssh`: options, the destination, options again, then the remote command.
    Ssh { argument_next: bool, destination_seen: bool, options_done: bool },
    /// `watch`: options, then a command joined for `sh -c` (or run as it is, with `-x`).
    Watch { argument_next: bool, options_done: bool, exec: bool },
    /// `sh`/`bash`: options; with `-c` the next word is a command string.
    Shell { argument_next: bool, options_done: bool, string: bool },
    /// Words that a child shell parses (ssh's remote command, watch's command).
    Forwarding,
    /// `kubectl`: after `--`, a command run as it is (exec, run, debug).
    Kubectl,
    /// Any other command; `runner` once an argument names a program that
    /// it may run with the rest (`docker exec c ssh h …`), which this cannot follow.
    Other { runner: bool },
    /// A command that never runs its arguments (`echo`, `grep`).
    Inert,
    /// A command whose arguments may become shell text in ways this does not follow.
    Uncertain(&'static str),
}

const WRAPPER_SHELL: &str = "the wrapper hands its arguments to a shell as text (`sudo -s`, `sudo -i`, `env -S`)";

/// Reserved words after which a command word comes.
const KEYWORDS: &[&str] = &["!", "{", "do", "then", "else", "elif", "if", "while", "until"];

/// Programs that run their arguments through a shell as one string, in
/// ways this does not follow.
const SHELL_STRING_RUNNERS: &[&str] =
    &["eval", "trap", "su", "runuser", "tmux", "screen", "parallel", "flock", "script"];

/// Programs that, named among another command's arguments, mean that
/// command may run them (`docker exec c ssh h …`, `chroot /x sh -c …`).
const RUNNERS: &[&str] =
    &["ssh", "watch", "sh", "bash", "dash", "zsh", "ksh", "ash", "eval", "sudo", "env", "su", "xargs"];

/// Commands that never run their arguments, so `echo ssh {{x}}` is plain.
const INERT: &[&str] = &[
    "echo",
    "printf",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "man",
    "which",
    "type",
    "test",
    "[",
    ":",
    "true",
    "false",
    "pgrep",
    "pkill",
    "systemctl",
    "journalctl",
    "apt",
    "apt-get",
    "dpkg",
    "rpm",
    "ps",
];

/// ssh's options that take an argument (`-p 22`, `-o Option=value`).
pub(crate) const SSH_OPTIONS_WITH_ARGUMENT: &str = "BbcDEeFIiJLlmOoPpQRSWw";

const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "ash"];

impl CommandState {
    pub(super) fn uncertain(self) -> Option<&'static str> {
        match self {
            CommandState::Uncertain(reason) => Some(reason),
            CommandState::Other { runner: true } => {
                Some("an earlier argument names a program (ssh, sh, watch…) that the command may run with the rest")
            }
            _ => None,
        }
    }

    /// The command after one more word of it.
    // Each command's arms stay together, in the order they are tried:
    // merging equal bodies across commands would tear those rules apart.
    #[allow(clippy::match_same_arms)]
    pub(super) fn advance(self, word: &str) -> CommandState {
        let has_value = word.contains(VALUE);
        let is_option = word.starts_with('-') && word.len() > 1;
        match self {
            CommandState::Wrapper { wrapper, argument_next: true, options_done, positionals } => {
                CommandState::Wrapper { wrapper, argument_next: false, options_done, positionals }
            }
            CommandState::Wrapper { wrapper, options_done: false, positionals, .. } if word == "--" => {
                CommandState::Wrapper { wrapper, argument_next: false, options_done: true, positionals }
            }
            CommandState::Wrapper { wrapper, options_done: false, positionals, .. } if is_option => {
                let (name, attached) = word.split_once('=').map_or((word, false), |(name, _)| (name, true));
                if let Some(long) = name.strip_prefix("--") {
                    let long = format!("--{long}");
                    if wrapper.long_shell.contains(&long.as_str()) || wrapper.long_command_line.contains(&long.as_str())
                    {
                        return CommandState::Uncertain(WRAPPER_SHELL);
                    }
                    let argument_next = !attached && wrapper.long_with_argument.contains(&long.as_str());
                    return CommandState::Wrapper { wrapper, argument_next, options_done: false, positionals };
                }
                let flags = &word[1..];
                // A command line given to a shell or split into words is parsed once more.
                let shell_at =
                    flags.find(|c| wrapper.short_shell.contains(c) || wrapper.short_command_line.contains(c));
                let argument_at = flags.find(|c| wrapper.short_with_argument.contains(c));
                if shell_at.is_some_and(|s| argument_at.is_none_or(|a| s < a)) {
                    return CommandState::Uncertain(WRAPPER_SHELL);
                }
                let argument_next = short_option_wants_argument(word, wrapper.short_with_argument);
                CommandState::Wrapper { wrapper, argument_next, options_done: false, positionals }
            }
            CommandState::Wrapper { wrapper, options_done, positionals, .. } if positionals > 0 => {
                CommandState::Wrapper { wrapper, argument_next: false, options_done, positionals: positionals - 1 }
            }
            CommandState::Wrapper { wrapper, .. } if wrapper.assignments && is_assignment(word) => self,
            CommandState::Start | CommandState::Wrapper { .. } => command_word(word, has_value),
            CommandState::Ssh { argument_next: true, destination_seen, options_done } => {
                CommandState::Ssh { argument_next: false, destination_seen, options_done }
            }
            CommandState::Ssh { destination_seen, options_done: false, .. } if word == "--" => {
                CommandState::Ssh { argument_next: false, destination_seen, options_done: true }
            }
            CommandState::Ssh { destination_seen, options_done: false, .. } if is_option => CommandState::Ssh {
                argument_next: ssh_option_wants_argument(word),
                destination_seen,
                options_done: false,
            },
            CommandState::Ssh { options_done, .. } => {
                CommandState::Ssh { argument_next: false, destination_seen: true, options_done }
            }
            CommandState::Watch { argument_next: true, options_done, exec } => {
                CommandState::Watch { argument_next: false, options_done, exec }
            }
            CommandState::Watch { options_done: false, exec, .. } if word == "--" => {
                CommandState::Watch { argument_next: false, options_done: true, exec }
            }
            CommandState::Watch { options_done: false, exec, .. } if is_option => {
                let exec = exec || word == "--exec" || (!word.starts_with("--") && word.contains('x'));
                let argument_next = matches!(word, "--interval" | "--equexit")
                    || (!word.starts_with("--") && short_option_wants_argument(word, "nq"));
                CommandState::Watch { argument_next, options_done: false, exec }
            }
            // `watch -x`: the command runs as it is, with no shell.
            CommandState::Watch { .. } => command_word(word, has_value),
            CommandState::Shell { argument_next: true, options_done, string } => {
                CommandState::Shell { argument_next: false, options_done, string }
            }
            CommandState::Shell { options_done: false, string, .. } if word == "--" => {
                CommandState::Shell { argument_next: false, options_done: true, string }
            }
            CommandState::Shell { options_done: false, string, .. } if is_option || word.starts_with('+') => {
                let argument_next = if word.starts_with("--") {
                    matches!(word, "--rcfile" | "--init-file")
                } else {
                    short_option_wants_argument(word, "oO")
                };
                let string = string || (!word.starts_with("--") && word.contains('c'));
                CommandState::Shell { argument_next, options_done: false, string }
            }
            // A script and its arguments: the arguments are not parsed again.
            CommandState::Shell { .. } => CommandState::Other { runner: false },
            CommandState::Kubectl if word == "--" => CommandState::Start,
            CommandState::Other { runner: false } if RUNNERS.contains(&basename(word)) => {
                CommandState::Other { runner: true }
            }
            other => other,
        }
    }
}

/// The command a command word starts.
fn command_word(word: &str, has_value: bool) -> CommandState {
    // `x=$(…)` and `x={{v}}` assign; the name before `=` holds no value.
    if KEYWORDS.contains(&word) || is_assignment(word) {
        return CommandState::Start;
    }
    if has_value {
        return CommandState::Uncertain("the command word holds a value, so the command it runs is not known");
    }
    let name = basename(word);
    if let Some(wrapper) = Wrapper::named(name) {
        return CommandState::Wrapper {
            wrapper,
            argument_next: false,
            options_done: false,
            positionals: wrapper.operands,
        };
    }
    match name {
        "ssh" => CommandState::Ssh { argument_next: false, destination_seen: false, options_done: false },
        "watch" => CommandState::Watch { argument_next: false, options_done: false, exec: false },
        "kubectl" => CommandState::Kubectl,
        "let" | "[[" => CommandState::Uncertain(ARITHMETIC),
        _ if SHELLS.contains(&name) => CommandState::Shell { argument_next: false, options_done: false, string: false },
        _ if SHELL_STRING_RUNNERS.contains(&name) => {
            CommandState::Uncertain("the command runs its arguments as shell text in a way this does not follow")
        }
        _ if INERT.contains(&name) => CommandState::Inert,
        _ => CommandState::Other { runner: false },
    }
}

/// `/usr/bin/ssh` is `ssh`.
fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// `NAME=value` before a command sets its environment.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Whether an ssh option word (`-p`, `-tt`, `-o`, `-p22`) leaves its
/// argument for the next word.
fn ssh_option_wants_argument(word: &str) -> bool {
    short_option_wants_argument(word, SSH_OPTIONS_WITH_ARGUMENT)
}

/// Whether a cluster of short options (`-p`, `-tt`, `-p22`, `-vu`) leaves
/// an argument for the next word: its first letter among `with_argument`
/// (which takes the rest of the word as its argument) is its last.
pub(crate) fn short_option_wants_argument(word: &str, with_argument: &str) -> bool {
    let flags = word.strip_prefix('-').unwrap_or(word);
    match flags.find(|c| with_argument.contains(c)) {
        Some(at) => at + 1 == flags.len(),
        None => false,
    }
}
