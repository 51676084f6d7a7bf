//! Finding the command inside `sudo`, `env`, `timeout`… (the table of them
//! is [`crate::wrappers`]), and the environment it starts with.

use super::{ChildEnv, CommandWalk, Inherits};
use crate::template::short_option_wants_argument;
use crate::whereabouts::shell::Word;
use crate::wrappers::Wrapper;

impl CommandWalk<'_> {
    /// The command inside `sudo`, `env`, `timeout`…
    pub(super) fn wrapped(&mut self, wrapper: &Wrapper, args: &[Word], mut child: ChildEnv, depth: usize) {
        if wrapper.resets_environment {
            child.inherits = Inherits::Unknown("sudo starts it with another user's environment");
        }
        // One set: in `-uS` the S is -u's value, not an option of its own.
        let with_argument = format!("{}{}", wrapper.short_with_argument, wrapper.short_command_line);
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
            // A command line given to an option (`env -S`) is not read here:
            // it is skipped as the option's argument.
            let takes_next = if text.starts_with("--") {
                wrapper.long_with_argument.contains(&text.as_str())
                    || wrapper.long_command_line.contains(&text.as_str())
            } else if option && text.len() > 1 {
                if text.contains(|c| wrapper.lookup_only.contains(c)) {
                    return;
                }
                short_option_wants_argument(&text, &with_argument)
            } else if wrapper.assignments
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
