//! How many shells parse each position of a command. Here, one shell's
//! lexer ([`ShellLevel`]: quotes, words, substitutions, redirections); in
//! [`tracker`], the walk down the shells nested in a command (`ssh HOST`
//! remote commands, `watch`, `sh -c`); in [`command`], what each word means
//! to its command; the table of `sudo`, `env`, `timeout`… is [`crate::wrappers`].

mod command;
mod tracker;

use command::CommandState;
pub(crate) use command::{SSH_OPTIONS_WITH_ARGUMENT, short_option_wants_argument};
pub(super) use tracker::ShellTracker;

/// One shell's parse: quotes, words, and what the current command is.
// Independent flags of one scanner, each cleared by its own character.
#[allow(clippy::struct_excessive_bools)]
struct ShellLevel {
    quote: Option<char>,
    escaped: bool,
    in_comment: bool,
    /// A word has begun (its first character or placeholder was seen).
    in_word: bool,
    /// The word so far, quotes and backslashes removed, [`VALUE`] for each
    /// value or substitution output in it.
    word: String,
    /// The word has quotes or backslashes, so `2>` in it is no fd number.
    word_quoted: bool,
    /// The current word goes to the shell of `child`.
    forward: bool,
    /// The next word is the target of a redirection, not an argument.
    redirect_next: bool,
    command: CommandState,
    /// `$(`, `(` and backticks open a new command; these are the commands
    /// they interrupted, restored at the closing `)` or backtick.
    frames: Vec<Frame>,
    /// Once set, every later placeholder is uncertain, for this reason.
    uncertain: Option<&'static str>,
    /// The shell that parses the forwarded words, and the text not yet fed.
    child: Option<Box<ShellLevel>>,
    pending: String,
}

/// A command interrupted by a substitution or subshell.
struct Frame {
    opening: Opening,
    command: CommandState,
    word: String,
    in_word: bool,
    forward: bool,
}

/// What opened a [`Frame`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Opening {
    /// `(`: a subshell, a command of its own.
    Subshell,
    /// `$(`, `<(` or `>(`: its output becomes part of the word.
    Substitution,
    /// A backtick, closed by the next.
    Backtick,
}

impl ShellLevel {
    fn new() -> Self {
        ShellLevel {
            quote: None,
            escaped: false,
            in_comment: false,
            in_word: false,
            word: String::new(),
            word_quoted: false,
            forward: false,
            redirect_next: false,
            command: CommandState::Start,
            frames: Vec::new(),
            uncertain: None,
            child: None,
            pending: String::new(),
        }
    }

    /// Feeds the forwarded text to the child shell.
    fn flush(&mut self) {
        if let Some(child) = self.child.as_deref_mut() {
            child.feed(&std::mem::take(&mut self.pending));
        }
        self.pending.clear();
    }

    fn feed(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            i += 1;
            let next = chars.get(i).copied();
            if self.in_comment {
                if c == '\n' {
                    self.in_comment = false;
                    self.separator();
                }
                continue;
            }
            if self.escaped {
                self.escaped = false;
                // A backslash-newline joins lines; it is no character.
                if c != '\n' {
                    self.literal(c);
                }
                continue;
            }
            match self.quote {
                Some('\'') => {
                    if c == '\'' {
                        self.quote = None;
                    } else {
                        self.literal(c);
                    }
                    continue;
                }
                Some(_) => {
                    match c {
                        '"' => self.quote = None,
                        '\\' if next.is_some_and(|n| "$`\"\\\n".contains(n)) => self.escaped = true,
                        '$' | '`' if self.forward && (c == '`' || next == Some('(')) => {
                            // Its output becomes text the remote shell parses.
                            self.uncertain = Some(SUBSTITUTION_FORWARDED);
                            self.literal(c);
                        }
                        _ => self.literal(c),
                    }
                    continue;
                }
                None => {}
            }
            match c {
                '\\' | '\'' | '"' => {
                    if !self.in_word {
                        self.begin_word(Some(c));
                    }
                    self.word_quoted = true;
                    if c == '\\' {
                        self.escaped = true;
                    } else {
                        self.quote = Some(c);
                    }
                }
                '#' if !self.in_word => self.in_comment = true,
                '$' | '<' | '>' if next == Some('(') => {
                    i += 1;
                    if c == '$' && chars.get(i) == Some(&'(') {
                        self.uncertain = Some(ARITHMETIC);
                    }
                    self.open(Opening::Substitution);
                }
                '`' => {
                    if self.frames.last().is_some_and(|f| f.opening == Opening::Backtick) {
                        self.close();
                    } else {
                        self.open(Opening::Backtick);
                    }
                }
                '(' if next == Some('(') => {
                    // `((…))` and `$((…))` evaluate their text as if in double
                    // quotes: a quoted value's `$(…)` would run.
                    self.uncertain = Some(ARITHMETIC);
                    self.open(Opening::Subshell);
                }
                '(' => self.open(Opening::Subshell),
                ')' => self.close(),
                '<' | '>' => {
                    // `2>`: the digits are the redirected descriptor, not a word.
                    if self.in_word
                        && !self.word_quoted
                        && !self.word.is_empty()
                        && self.word.chars().all(|d| d.is_ascii_digit())
                    {
                        // Nor are they forwarded: this shell takes them.
                        if self.forward {
                            self.pending.truncate(self.pending.len() - self.word.len());
                        }
                        self.in_word = false;
                        self.word.clear();
                    } else {
                        self.end_word();
                    }
                    i += self.redirection(c, &chars[i..]);
                }
                '&' if next == Some('>') => {
                    self.end_word();
                    i += 1 + self.redirection('>', &chars[i + 1..]);
                }
                '\n' | ';' | '|' | '&' => self.separator(),
                c if c.is_whitespace() => self.end_word(),
                c => self.literal(c),
            }
        }
    }

    /// Reads the rest of a redirection operator after `op`; returns how many
    /// characters it took.
    fn redirection(&mut self, op: char, rest: &[char]) -> usize {
        self.redirect_next = true;
        match (op, rest) {
            ('<', ['<', '<', ..]) => 2,
            ('<', ['<', ..]) => {
                self.uncertain = Some("it follows a here-document, whose body this does not follow");
                1
            }
            ('<', ['&' | '>', ..]) | ('>', ['>' | '&' | '|', ..]) => 1,
            _ => 0,
        }
    }

    /// A character that is part of the current word as this shell reads it.
    fn literal(&mut self, c: char) {
        if !self.in_word {
            self.begin_word(Some(c));
        }
        self.word.push(c);
        if self.forward {
            self.pending.push(c);
        }
    }

    /// A word begins with `first` (`None` for a placeholder): decides
    /// whether it goes to a child shell.
    fn begin_word(&mut self, first: Option<char>) {
        self.in_word = true;
        self.word.clear();
        self.word_quoted = false;
        self.forward = false;
        if self.redirect_next {
            return;
        }
        let option = first == Some('-');
        self.forward = match self.command {
            CommandState::Ssh { argument_next: false, destination_seen: true, options_done }
                if options_done || !option =>
            {
                self.command = CommandState::Forwarding;
                true
            }
            CommandState::Watch { argument_next: false, options_done, exec: false } if options_done || !option => {
                self.command = CommandState::Forwarding;
                true
            }
            CommandState::Shell { argument_next: false, options_done, string: true } if options_done || !option => {
                // The string is parsed by a shell of its own; what follows are its arguments.
                self.child = None;
                true
            }
            CommandState::Forwarding => true,
            _ => false,
        };
        if self.forward && self.child.is_none() {
            self.child = Some(Box::new(ShellLevel::new()));
        }
    }

    fn end_word(&mut self) {
        if !self.in_word {
            return;
        }
        self.in_word = false;
        let word = std::mem::take(&mut self.word);
        if self.forward {
            // ssh and watch join their words with one space.
            self.pending.push(' ');
        }
        if std::mem::take(&mut self.redirect_next) {
            return;
        }
        if let CommandState::Shell { string: true, .. } = self.command
            && self.forward
        {
            self.flush();
            self.child = None;
            self.forward = false;
            self.command = CommandState::Other { runner: false };
            return;
        }
        self.command = self.command.advance(&word);
    }

    /// A separator (`;`, `&&`, `|`, newline…): a new command begins.
    fn separator(&mut self) {
        self.end_word();
        self.flush();
        self.command = CommandState::Start;
        self.child = None;
        self.forward = false;
        self.redirect_next = false;
    }

    /// `$(`, `(` or a backtick: a new command begins, inside the current
    /// word for a substitution.
    fn open(&mut self, opening: Opening) {
        let substitution = opening != Opening::Subshell;
        if substitution && self.forward {
            self.uncertain = Some(SUBSTITUTION_FORWARDED);
        }
        if !substitution {
            self.end_word();
        } else if !self.in_word {
            self.begin_word(Some('$'));
        }
        self.flush();
        self.frames.push(Frame {
            opening,
            command: self.command,
            word: std::mem::take(&mut self.word),
            in_word: self.in_word,
            forward: self.forward,
        });
        self.in_word = false;
        self.forward = false;
        self.redirect_next = false;
        self.command = CommandState::Start;
    }

    /// The `)` or backtick that ends what [`ShellLevel::open`] began.
    fn close(&mut self) {
        self.end_word();
        let Some(frame) = self.frames.pop() else {
            // A `)` closing a `case` pattern: a command follows.
            self.command = CommandState::Start;
            return;
        };
        if frame.opening == Opening::Subshell {
            self.command = CommandState::Other { runner: false };
        } else {
            // The output is part of the word, and nothing this can read.
            self.command = frame.command;
            self.word = frame.word;
            self.in_word = frame.in_word;
            self.forward = frame.forward;
            self.word.push(VALUE);
        }
    }
}

/// Stands for a value in a word: no template holds a NUL.
const VALUE: char = '\0';

const SUBSTITUTION_FORWARDED: &str =
    "it follows a command substitution whose output a remote shell parses, which this cannot follow";
const ARITHMETIC: &str =
    "it follows arithmetic (`((…))`, `$((…))`, `let`, `[[ … -eq … ]]`), which would run a `$(…)` in the quoted value";

#[cfg(test)]
mod tests {
    use crate::template::tests::placeholders;
    use crate::template::{RenderError, render};

    fn shells(template: &str) -> Vec<(&str, usize)> {
        let found = placeholders(template, |p| (p.name, p.shells, p.uncertain));
        assert!(found.iter().all(|p| p.2.is_none()), "{template}: {found:?}");
        found.into_iter().map(|(name, shells, _)| (name, shells)).collect()
    }

    fn uncertain(template: &str) -> Vec<(&str, bool)> {
        placeholders(template, |p| (p.name, p.uncertain.is_some()))
    }

    #[test]
    fn knows_which_values_a_second_shell_parses() {
        assert_eq!(
            shells("ssh {{user}}@{{host}} -- sudo systemctl restart {{service}} | grep {{word}}"),
            [("user", 1), ("host", 1), ("service", 2), ("word", 1)]
        );
        assert_eq!(
            shells("ssh -p {{port}} -o ConnectTimeout=5 -tt {{host}} cat {{file}}; echo {{x}}"),
            [("port", 1), ("host", 1), ("file", 2), ("x", 1)]
        );
        assert_eq!(shells("ssh -p22 -- {{host}} {{cmd}}"), [("host", 1), ("cmd", 2)]);
        assert_eq!(shells("watch -n 2 kubectl get pods -n {{ns}}"), [("ns", 2)]);
        assert_eq!(shells("SSH_AUTH_SOCK=x sudo ssh h ls {{dir}} && ls {{dir}}"), [("dir", 2), ("dir", 1)]);
        assert_eq!(shells("kubectl exec {{pod}} -- ssh {{x}}"), [("pod", 1), ("x", 1)]);
        assert_eq!(shells("echo ssh {{x}} # ssh h\nssh h {{z}}"), [("x", 1), ("z", 2)]);
        // In a comment no shell reads it at all.
        assert_eq!(uncertain("echo hi # ssh h {{y}}"), [("y", true)]);
    }

    /// Issue 11 #1: after a keyword, a wrapper or a redirection, or with its
    /// name quoted, `ssh` was not seen and its remote command quoted once.
    #[test]
    fn remote_shell_injection_after_keywords_wrappers_and_quoted_names() {
        for template in [
            "for h in node-1; do ssh $h -- cat {{x}}; done",
            "if true; then ssh h cat {{x}}; fi",
            "if false; then :; else ssh h cat {{x}}; fi",
            "while true; do ssh h cat {{x}}; done",
            "! ssh h cat {{x}}",
            "{ ssh h cat {{x}}; }",
            "time ssh h cat {{x}}",
            "timeout 5 ssh h cat {{x}}",
            "timeout -s KILL -k 2 5s ssh h cat {{x}}",
            "nohup ssh h cat {{x}}",
            "nice -n 5 ssh h cat {{x}}",
            "env -i A=b ssh h cat {{x}}",
            "env -u HOME ssh h cat {{x}}",
            "command ssh h cat {{x}}",
            "exec ssh h cat {{x}}",
            "sudo -E ssh h cat {{x}}",
            "sudo -u root -- ssh h cat {{x}}",
            "2>/dev/null ssh h cat {{x}}",
            "ssh h cat {{x}} 2>&1 | tail",
            "\\ssh h cat {{x}}",
            "\"ssh\" h cat {{x}}",
            "s'sh' h cat {{x}}",
            "/usr/bin/ssh h cat {{x}}",
            "echo $(ssh h cat {{x}})",
            "a=$(ssh h cat {{x}}) && echo \"$a\"",
            "(ssh h cat {{x}})",
            "ls | xargs -n 1 ssh h cat {{x}}",
            "ssh h -v -- cat {{x}}",
            "watch -x ssh h cat {{x}}",
        ] {
            assert_eq!(shells(template), [("x", 2)], "{template}");
        }
    }

    /// Issue 11 #1: a chain of three shells was quoted only twice.
    #[test]
    fn remote_shell_injection_through_chains_of_shells() {
        assert_eq!(shells("ssh h -- ssh h2 cat {{x}}"), [("x", 3)]);
        assert_eq!(shells("ssh h -- watch -n 2 cat {{x}}"), [("x", 3)]);
        assert_eq!(shells("watch -n 2 ssh h cat {{x}}"), [("x", 3)]);
        assert_eq!(shells("ssh h sudo -u app ssh -p 22 h2 -- sudo cat {{x}}"), [("x", 3)]);
        assert_eq!(shells("ssh h sh -c {{x}}"), [("x", 3)]);
        assert_eq!(shells("sh -c cat\\ {{x}} {{zero}} {{one}}"), [("x", 2), ("zero", 1), ("one", 1)]);
        assert_eq!(shells("ssh h cat {{x}} \\; ssh h2 cat {{y}}; cat {{z}}"), [("x", 2), ("y", 3), ("z", 1)]);
        assert_eq!(shells("ssh h -- cat {{x}} > {{out}}"), [("x", 2), ("out", 1)]);
        assert_eq!(shells("ssh h -- cat &> out {{x}}"), [("x", 2)]);
        assert_eq!(shells("watch -- command 2>/dev/null ssh h cat {{x}}"), [("x", 3)]);
    }

    /// Inside backticks quotes do not protect a backtick: such a value is refused.
    #[test]
    fn remote_shell_injection_backticks_in_a_value_inside_backticks() {
        assert_eq!(shells("echo `ssh h cat {{x}}`"), [("x", 2)]);
        assert_eq!(render("echo `ssh h cat {{x}}`", |_| Some("a b")).unwrap(), "echo `ssh h cat \"'a b'\"`");
        for value in ["a`touch x`", "a\\b"] {
            assert_eq!(render("echo `cat {{x}}`", |_| Some(value)), Err(RenderError::Backticks("x".into())));
        }
    }

    /// What the tracker cannot place is refused, with its reason.
    #[test]
    fn uncertain_positions_fail_closed() {
        for template in [
            "eval cat {{x}}",
            "sudo -s cat {{x}}",
            "sudo -i cat {{x}}",
            "env -S 'cat' {{x}}",
            "ssh h echo $(hostname) {{x}}",
            "ssh h echo `hostname` {{x}}",
            "cat <<EOF\n{{x}}\nEOF",
            "{{cmd}} h cat {{x}}",
            "docker exec c ssh h cat {{x}}",
            "su root -c cat {{x}}",
            "(( {{x}} + 1 ))",
            "echo $(( {{x}} + 1 ))",
            "let n={{x}}",
            "[[ 1 -eq {{x}} ]]",
            "ssh h cat \\\\{{x}}",
            "ssh h cat \\'{{x}}\\'",
        ] {
            assert_eq!(uncertain(template).last(), Some(&("x", true)), "{template}");
            let err = render(template, |_| Some("v")).unwrap_err();
            assert!(matches!(err, RenderError::Uncertain(ref name, _) if name == "x"), "{template}: {err:?}");
        }
        assert_eq!(shells("cat <<< {{x}}"), [("x", 1)]);
    }
}
