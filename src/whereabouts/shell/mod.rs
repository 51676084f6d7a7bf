//! Reads a final shell command the way `sh` would split it, far enough to
//! tell its simple commands, their words after quote removal, and the
//! variables each word reads. Pure: no environment, no files.
//!
//! It never fails: unbalanced quotes or parentheses end at the end of the
//! text, as a shell would report an error after the part already read.
//! [`crate::template`]'s tracker only follows quotes around placeholders;
//! this one also follows expansions, redirections, here-documents and the
//! compound commands whose words are not command words.

mod commands;
mod words;

pub(crate) use commands::KEYWORDS;

/// A command read from the text: its simple commands in the order they
/// start, and the shell functions it defines.
#[derive(Debug, Default)]
pub(crate) struct Script {
    pub commands: Vec<SimpleCommand>,
    pub functions: Vec<String>,
}

/// Words up to a separator (`;`, `|`, `&&`, a newline, a parenthesis), the
/// first of which (after any `NAME=value`) is the command word.
#[derive(Debug, Default)]
pub(crate) struct SimpleCommand {
    /// Byte offset of the first word, to keep source order when a `$(…)`
    /// inside a word ends before the command around it.
    pub start: usize,
    pub words: Vec<Word>,
    /// Redirection targets and here-document bodies: they read variables
    /// too, but are no arguments.
    pub redirects: Vec<Word>,
}

/// One word after quote removal, in pieces, with the variables it reads.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// The word as written, to show one known only at run time.
    pub raw: String,
    pub parts: Vec<Part>,
    pub refs: Vec<Reference>,
    /// Some quoting or escaping: a quoted `if` is a command, not a keyword.
    pub quoted: bool,
    /// `NAME=value` or `NAME+=value` with an unquoted name: the name, and
    /// where in `parts` the value starts.
    pub assigns: Option<(String, usize)>,
}

/// A piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// Literal text.
    Text(String),
    /// A plain `$NAME` or `${NAME}`.
    Var(String),
    /// An unquoted `~` at the start: `$HOME`.
    Tilde,
    /// Known only when the command runs: `$(…)`, `$1`, `${X:-y}`, `~user`…
    Unknown,
}

/// A variable a word reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub name: String,
    /// `${X:-default}` and its kin say what happens when it is unset.
    pub handles_unset: bool,
}

impl Word {
    /// The word's text when it holds no expansion.
    pub fn literal(&self) -> Option<String> {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The word as the shell would expand it, when `lookup` knows every
    /// variable in it; `None` for a word known only at run time.
    pub fn expand(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        expand_parts(&self.parts, lookup)
    }

    /// For `NAME=value`: the name and the value's pieces.
    pub fn assignment(&self) -> Option<(&str, &[Part])> {
        self.assigns.as_ref().map(|(name, from)| (name.as_str(), &self.parts[*from..]))
    }

    /// True for an unquoted word that is exactly `text`.
    pub fn is(&self, text: &str) -> bool {
        !self.quoted && matches!(self.parts.as_slice(), [Part::Text(t)] if t == text)
    }

    fn push_text(&mut self, text: &str) {
        // An assignment's value starts a part of its own.
        let value_starts_here = self.assigns.as_ref().is_some_and(|(_, from)| *from == self.parts.len());
        match self.parts.last_mut() {
            Some(Part::Text(last)) if !value_starts_here => last.push_str(text),
            _ if !text.is_empty() => self.parts.push(Part::Text(text.to_owned())),
            _ => {}
        }
    }

    fn push_char(&mut self, c: char) {
        self.push_text(c.encode_utf8(&mut [0; 4]));
    }

    fn read(&mut self, name: &str, handles_unset: bool) {
        self.refs.push(Reference { name: name.to_owned(), handles_unset });
    }

    /// Takes the references of a word read inside this one.
    fn absorb(&mut self, inner: Word, handles_unset: bool) {
        self.refs
            .extend(inner.refs.into_iter().map(|r| Reference { handles_unset: r.handles_unset || handles_unset, ..r }));
    }
}

/// Expands pieces with `lookup` (see [`Word::expand`]).
pub(crate) fn expand_parts(parts: &[Part], lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Var(name) => out.push_str(&lookup(name)?),
            Part::Tilde => out.push_str(&lookup("HOME")?),
            Part::Unknown => return None,
        }
    }
    Some(out)
}

/// Whether `name` can be a shell variable's name.
pub(crate) fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads `command` into its simple commands.
pub(crate) fn scan(command: &str) -> Script {
    let mut scanner = Scanner {
        src: command,
        pos: 0,
        script: Script::default(),
        heredocs: Vec::new(),
        open_cases: 0,
        in_backquotes: 0,
        nesting: 0,
    };
    scanner.list(Until::End);
    scanner.script.commands.retain(|c| !c.words.is_empty() || !c.redirects.is_empty());
    scanner.script.commands.sort_by_key(|c| c.start);
    scanner.script
}

/// What ends the list of commands being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Until {
    End,
    /// The `)` of `$(…)` or of a subshell.
    Paren,
    /// The closing backquote of `` `…` ``.
    Backquote,
}

/// A `<<WORD` whose body starts after the end of its line.
struct Heredoc {
    delimiter: String,
    strip_tabs: bool,
    /// An unquoted delimiter: the body expands `$X` and `$(…)`.
    expands: bool,
    command: usize,
}

struct Scanner<'a> {
    src: &'a str,
    pos: usize,
    script: Script,
    heredocs: Vec<Heredoc>,
    /// `case … in` not yet closed by `esac`: `;;` leads to a pattern.
    open_cases: usize,
    /// Inside `` `…` ``, where a backquote ends the word and the list.
    in_backquotes: usize,
    /// Nested `$(`, `(` and `${`: past [`MAX_NESTING`] the rest is skipped
    /// rather than the stack overflowed.
    nesting: usize,
}

/// Deeper than any command a person writes.
const MAX_NESTING: usize = 100;

/// Characters that end an unquoted word.
fn ends_word(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>')
}

impl Scanner<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.src[self.pos..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, text: &str) -> bool {
        let found = self.src[self.pos..].starts_with(text);
        if found {
            self.pos += text.len();
        }
        found
    }

    /// Spaces, tabs and backslash-newline continuations.
    fn skip_blanks(&mut self) {
        while self.eat(" ") || self.eat("\t") || self.eat("\\\n") {}
    }

    fn skip_comment(&mut self) {
        let rest = &self.src[self.pos..];
        self.pos += rest.find('\n').unwrap_or(rest.len());
    }

    /// The next word is exactly `word` (followed by a blank, separator or end).
    fn at_word(&self, word: &str) -> bool {
        self.src[self.pos..].strip_prefix(word).is_some_and(|rest| rest.chars().next().is_none_or(ends_word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each simple command as its words, expansions shown as `$NAME`, `~`, `?`.
    pub(super) fn commands(command: &str) -> Vec<Vec<String>> {
        scan(command)
            .commands
            .iter()
            .map(|c| c.words.iter().map(show).collect::<Vec<_>>())
            .filter(|words| !words.is_empty())
            .collect()
    }

    pub(super) fn show(word: &Word) -> String {
        word.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.clone(),
                Part::Var(name) => format!("${name}"),
                Part::Tilde => "~".into(),
                Part::Unknown => "?".into(),
            })
            .collect()
    }

    /// The variables read, in order, `?` marking those with a default.
    pub(super) fn reads(command: &str) -> Vec<String> {
        let script = scan(command);
        script
            .commands
            .iter()
            .flat_map(|c| c.words.iter().chain(&c.redirects))
            .flat_map(|w| &w.refs)
            .map(|r| if r.handles_unset { format!("{}?", r.name) } else { r.name.clone() })
            .collect()
    }

    #[test]
    fn command_substitutions_are_commands_of_their_own_in_source_order() {
        assert_eq!(
            commands("echo $(kubectl get pods) \"`hostname -f`\" x"),
            [vec!["echo", "?", "?", "x"], vec!["kubectl", "get", "pods"], vec!["hostname", "-f"]]
        );
        assert_eq!(commands("a \"$(b \"$(c)\")\""), [vec!["a", "?"], vec!["b", "?"], vec!["c"]]);
    }

    #[test]
    fn broken_syntax_ends_at_the_end_of_the_text() {
        for broken in ["echo 'open", "echo \"open $x", "echo $(open", "echo ${open", "a <<EOF\nno end", "`x", "((", ")"]
        {
            let _ = scan(broken);
        }
        assert_eq!(commands("echo \"open $x"), [vec!["echo", "open $x"]]);
    }

    #[test]
    fn deep_nesting_stops_instead_of_overflowing_the_stack() {
        for deep in ["$(".repeat(100_000), "(".repeat(100_000), "${a:-".repeat(100_000), "`$(".repeat(50_000)] {
            let _ = scan(&deep);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_scans_without_panicking(text in "[a-z$(){}'\"`\\;|&<>=~#!\\[\\] \n\t-]{0,80}") {
            let script = scan(&text);
            for command in &script.commands {
                for word in &command.words {
                    let _ = (word.literal(), word.expand(&|_| Some("v".into())), word.assignment());
                }
            }
        }
    }
}
