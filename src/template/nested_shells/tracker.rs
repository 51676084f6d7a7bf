//! The shell tracker: where a placeholder stands, walking down the shells
//! that parse it.

use super::{Opening, ShellLevel, VALUE};

/// Follows POSIX shell syntax well enough to tell, at each placeholder,
/// whether it stands inside quotes and how many shells will parse its value:
/// the local one, plus one for each level of `ssh HOST` remote command,
/// `watch` command or `sh -c` string it stands in. Each of those levels is a
/// [`ShellLevel`] of its own, fed the text its shell will see (the words of the
/// level above with their quotes removed, joined by spaces, as ssh and watch
/// join them). Where it cannot be sure, it says why instead of guessing: the
/// value is then never filled.
pub(in crate::template) struct ShellTracker {
    root: ShellLevel,
}

/// Where a placeholder stands.
pub(in crate::template) struct Placement {
    /// The quote of the local shell the placeholder stands in.
    pub(in crate::template) quote: Option<char>,
    /// How many shells parse the value.
    pub(in crate::template) shells: usize,
    /// Why the number of shells is not certain, if it is not.
    pub(in crate::template) uncertain: Option<&'static str>,
    /// Inside a backtick substitution at some level.
    pub(in crate::template) in_backticks: bool,
}

impl ShellTracker {
    pub(in crate::template) fn new() -> Self {
        ShellTracker { root: ShellLevel::new() }
    }

    pub(in crate::template) fn feed(&mut self, text: &str) {
        self.root.feed(text);
    }

    /// Places a placeholder at the current position; its value becomes part
    /// of the current word at every level.
    pub(in crate::template) fn place(&mut self) -> Placement {
        let quote = self.root.quote;
        let mut shells = 1;
        let mut uncertain = None;
        let mut in_backticks = false;
        let mut level = &mut self.root;
        loop {
            in_backticks |= level.frames.iter().any(|f| f.opening == Opening::Backtick);
            if !level.in_word {
                level.begin_word(None);
            }
            let reason = level.uncertain.or(level.command.uncertain()).or(if level.in_comment {
                Some("it is inside a `#` comment, where no shell ever reads its value")
            } else if level.escaped {
                Some("it follows a backslash, which would escape the first character of the quoted value")
            } else if shells > 1 && level.quote.is_some() {
                Some("it stands inside quotes that a remote shell parses")
            } else {
                None
            });
            uncertain = uncertain.or(reason);
            level.word.push(VALUE);
            if !level.forward {
                break;
            }
            level.flush();
            shells += 1;
            let Some(child) = level.child.as_deref_mut() else { break };
            level = child;
        }
        Placement { quote, shells, uncertain, in_backticks }
    }
}
