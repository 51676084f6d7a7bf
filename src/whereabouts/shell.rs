//! Reads a final shell command the way `sh` would split it, far enough to
//! tell its simple commands, their words after quote removal, and the
//! variables each word reads. Pure: no environment, no files.
//!
//! It never fails: unbalanced quotes or parentheses end at the end of the
//! text, as a shell would report an error after the part already read.
//! [`crate::template`]'s tracker only follows quotes around placeholders;
//! this one also follows expansions, redirections, here-documents and the
//! compound commands whose words are not command words.

/// Words that open or close a compound command: never a program to run.
pub(crate) const KEYWORDS: &[&str] = &[
    "!", "[[", "]]", "{", "}", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if",
    "in", "select", "then", "time", "until", "while",
];

/// Keywords after which the next word is again a command word.
const LEADING_KEYWORDS: &[&str] =
    &["!", "{", "}", "do", "done", "elif", "else", "esac", "fi", "if", "then", "time", "until", "while"];

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

    /// The simple command being read, started at `start` if there is none.
    fn command(&mut self, current: &mut Option<usize>, start: usize) -> usize {
        *current.get_or_insert_with(|| {
            self.script.commands.push(SimpleCommand { start, ..SimpleCommand::default() });
            self.script.commands.len() - 1
        })
    }

    /// Reads commands until `until`; a separator ends the simple command.
    fn list(&mut self, until: Until) {
        if self.nesting >= MAX_NESTING {
            self.pos = self.src.len();
            return;
        }
        self.nesting += 1;
        self.commands_until(until);
        self.nesting -= 1;
    }

    fn commands_until(&mut self, until: Until) {
        let mut current: Option<usize> = None;
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else { return };
            match c {
                // At a word's start (inside one, `#` is text).
                '#' => self.skip_comment(),
                '\n' => {
                    self.bump();
                    current = None;
                    self.heredoc_bodies();
                }
                ';' => {
                    self.bump();
                    current = None;
                    // `;;`, `;&` and `;;&` end a case branch.
                    if (self.eat(";") | self.eat("&")) && self.open_cases > 0 {
                        self.case_pattern();
                    }
                }
                '&' if self.peek_second() == Some('>') => self.redirect(&mut current),
                '&' | '|' => {
                    self.bump();
                    let _ = self.eat("&") || self.eat("|");
                    current = None;
                }
                ')' => {
                    self.bump();
                    if until == Until::Paren {
                        return;
                    }
                    current = None;
                }
                '`' if until == Until::Backquote => {
                    self.bump();
                    return;
                }
                '(' => {
                    self.bump();
                    self.open_paren(&mut current);
                }
                '<' | '>' => self.redirect(&mut current),
                _ => {
                    let digits = self.src[self.pos..].find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
                    if digits > 0 && matches!(self.src[self.pos + digits..].chars().next(), Some('<' | '>')) {
                        self.pos += digits;
                        self.redirect(&mut current);
                        continue;
                    }
                    let start = self.pos;
                    let word = self.word();
                    if self.pos == start {
                        // Not a word after all (a stray backquote): skip it.
                        self.bump();
                        continue;
                    }
                    self.add_word(word, start, &mut current);
                }
            }
        }
    }

    /// After an opening backquote, up to the closing one.
    fn backquoted(&mut self) {
        self.in_backquotes += 1;
        self.list(Until::Backquote);
        self.in_backquotes -= 1;
    }

    /// Adds a word to the simple command, treating keywords, `case` and
    /// `[[` as the shell does.
    fn add_word(&mut self, word: Word, start: usize, current: &mut Option<usize>) {
        let first = current.is_none_or(|index| self.script.commands[index].words.is_empty());
        if first && LEADING_KEYWORDS.iter().any(|keyword| word.is(keyword)) {
            if word.is("esac") {
                self.open_cases = self.open_cases.saturating_sub(1);
            }
            return;
        }
        if first && word.is("function") {
            self.skip_blanks();
            let name = self.word();
            self.script.functions.extend(name.literal());
            return;
        }
        let index = self.command(current, start);
        let words = &mut self.script.commands[index].words;
        words.push(word);
        if words.len() == 1 && words[0].is("[[") {
            self.conditional(index);
        } else if words.len() == 3 && words[0].is("case") && words[2].is("in") {
            *current = None;
            self.open_cases += 1;
            self.case_pattern();
        }
    }

    /// After `(`: a function definition `name()`, an arithmetic command
    /// `(( … ))` or a subshell.
    fn open_paren(&mut self, current: &mut Option<usize>) {
        let rest = self.src[self.pos..].trim_start_matches([' ', '\t']);
        if let Some(index) = *current
            && rest.starts_with(')')
            && self.script.commands[index].words.len() == 1
        {
            self.pos = self.src.len() - rest.len() + 1;
            // Emptied, not removed: other indices must stay valid.
            let words = std::mem::take(&mut self.script.commands[index].words);
            self.script.functions.extend(words[0].literal());
            *current = None;
            return;
        }
        *current = None;
        if self.eat("(") {
            let start = self.pos;
            let mut word = Word::default();
            self.arithmetic(&mut word);
            let index = self.command(current, start);
            self.script.commands[index].redirects.push(word);
            *current = None;
            return;
        }
        self.list(Until::Paren);
    }

    /// `[[ … ]]`: its `<`, `&&` and parentheses are operators of the test,
    /// not redirections or separators.
    fn conditional(&mut self, index: usize) {
        loop {
            while self.eat(" ") || self.eat("\t") || self.eat("\n") || self.eat("\\\n") {}
            if self.at_word("]]") {
                self.pos += 2;
                return;
            }
            if ["&&", "||", "(", ")", "<", ">", "!"].iter().any(|op| self.eat(op)) {
                continue;
            }
            if self.peek().is_none() {
                return;
            }
            let start = self.pos;
            let word = self.word();
            if self.pos == start {
                self.bump();
            }
            self.script.commands[index].words.push(word);
        }
    }

    /// A case pattern up to its `)`: words that are never run.
    fn case_pattern(&mut self) {
        loop {
            while self.eat(" ") || self.eat("\t") || self.eat("\n") || self.eat("\\\n") {}
            if self.peek() == Some('#') {
                self.skip_comment();
                continue;
            }
            if self.at_word("esac") || self.peek().is_none() || self.eat(")") {
                return;
            }
            if self.eat("|") || self.eat("(") {
                continue;
            }
            let start = self.pos;
            let _pattern = self.word();
            if self.pos == start {
                self.bump();
            }
        }
    }

    /// A redirection operator and its target; `<<` also queues a
    /// here-document body.
    fn redirect(&mut self, current: &mut Option<usize>) {
        let index = self.command(current, self.pos);
        let heredoc = if self.eat("<<<") {
            None
        } else if self.eat("<<-") {
            Some(true)
        } else if self.eat("<<") {
            Some(false)
        } else {
            for op in ["&>>", "&>", ">>", ">&", ">|", "<&", "<>", ">", "<"] {
                if self.eat(op) {
                    break;
                }
            }
            None
        };
        self.skip_blanks();
        let target = self.word();
        if let Some(strip_tabs) = heredoc {
            let delimiter = target.literal().unwrap_or_default();
            self.heredocs.push(Heredoc { delimiter, strip_tabs, expands: !target.quoted, command: index });
        } else {
            self.script.commands[index].redirects.push(target);
        }
    }

    /// After a newline: the bodies of the here-documents opened on the line.
    fn heredoc_bodies(&mut self) {
        for heredoc in std::mem::take(&mut self.heredocs) {
            let mut body = Word::default();
            while self.pos < self.src.len() {
                let rest = &self.src[self.pos..];
                let line_len = rest.find('\n').map_or(rest.len(), |at| at + 1);
                let line = rest[..line_len].trim_end_matches('\n');
                let line = if heredoc.strip_tabs { line.trim_start_matches('\t') } else { line };
                if line == heredoc.delimiter {
                    self.pos += line_len;
                    break;
                }
                if heredoc.expands {
                    let end = self.pos + line_len;
                    while self.pos < end {
                        self.quoted_char(&mut body, true);
                    }
                } else {
                    self.pos += line_len;
                }
            }
            self.script.commands[heredoc.command].redirects.push(body);
        }
    }

    /// One word, up to a blank or an operator.
    fn word(&mut self) -> Word {
        let start = self.pos;
        let mut word = Word::default();
        // Characters so far were an unquoted name: a `=` makes an assignment.
        let mut plain_name = String::new();
        let mut plain = true;
        let mut tilde_allowed = true;
        while let Some(c) = self.peek() {
            if ends_word(c) || (c == '`' && self.in_backquotes > 0) {
                break;
            }
            let at_tilde = std::mem::replace(&mut tilde_allowed, false);
            match c {
                '\\' => {
                    self.bump();
                    word.quoted = true;
                    plain = false;
                    match self.bump() {
                        Some('\n') | None => {}
                        Some(escaped) => word.push_char(escaped),
                    }
                }
                '\'' => {
                    self.bump();
                    word.quoted = true;
                    plain = false;
                    let rest = &self.src[self.pos..];
                    let end = rest.find('\'').unwrap_or(rest.len());
                    word.push_text(&rest[..end]);
                    self.pos = (self.pos + end + 1).min(self.src.len());
                }
                '"' => {
                    self.bump();
                    word.quoted = true;
                    plain = false;
                    self.double_quoted(&mut word);
                }
                '$' => {
                    plain = false;
                    self.bump();
                    self.dollar(&mut word);
                }
                '`' => {
                    plain = false;
                    self.bump();
                    self.backquoted();
                    word.parts.push(Part::Unknown);
                }
                '~' if at_tilde => {
                    self.bump();
                    plain = false;
                    let rest = &self.src[self.pos..];
                    if rest.starts_with(|c: char| c == '/' || c == ':' || ends_word(c)) || rest.is_empty() {
                        word.parts.push(Part::Tilde);
                    } else {
                        // `~user`: another user's home.
                        word.parts.push(Part::Unknown);
                        self.pos +=
                            rest.find(|c: char| !(c.is_alphanumeric() || "._-".contains(c))).unwrap_or(rest.len());
                    }
                }
                '=' if plain
                    && word.assigns.is_none()
                    && is_name(plain_name.strip_suffix('+').unwrap_or(&plain_name)) =>
                {
                    self.bump();
                    word.push_char('=');
                    let name = plain_name.strip_suffix('+').unwrap_or(&plain_name).to_owned();
                    word.assigns = Some((name, word.parts.len()));
                    // A tilde right after `=` or `:` of an assignment expands too.
                    tilde_allowed = true;
                }
                _ => {
                    self.bump();
                    if plain && word.assigns.is_none() {
                        plain_name.push(c);
                    }
                    word.push_char(c);
                    tilde_allowed = c == ':' && word.assigns.is_some();
                }
            }
        }
        self.src[start..self.pos].clone_into(&mut word.raw);
        word
    }

    /// Inside `"…"`, after the opening quote.
    fn double_quoted(&mut self, word: &mut Word) {
        while let Some(c) = self.peek() {
            if c == '"' {
                self.bump();
                return;
            }
            self.quoted_char(word, false);
        }
    }

    /// One character (or expansion) of double-quoted text or of a
    /// here-document body, where `\"` is no escape.
    fn quoted_char(&mut self, word: &mut Word, in_heredoc: bool) {
        let Some(c) = self.bump() else { return };
        match c {
            '\\' => match self.peek() {
                Some(escaped @ ('$' | '`' | '\\')) => {
                    self.bump();
                    word.push_char(escaped);
                }
                Some('"') if !in_heredoc => {
                    self.bump();
                    word.push_char('"');
                }
                Some('\n') => {
                    self.bump();
                }
                _ => word.push_char('\\'),
            },
            '$' => self.dollar(word),
            '`' => {
                self.backquoted();
                word.parts.push(Part::Unknown);
            }
            c => word.push_char(c),
        }
    }

    /// After a `$`: a variable, a parameter expansion, `$(…)`, `$((…))`,
    /// `$'…'` or a lone dollar sign.
    fn dollar(&mut self, word: &mut Word) {
        if self.nesting >= MAX_NESTING {
            self.pos = self.src.len();
            return;
        }
        self.nesting += 1;
        self.expansion(word);
        self.nesting -= 1;
    }

    fn expansion(&mut self, word: &mut Word) {
        match self.peek() {
            Some('(') if self.src[self.pos..].starts_with("((") => {
                self.pos += 2;
                self.arithmetic(word);
                word.parts.push(Part::Unknown);
            }
            Some('(') => {
                self.bump();
                self.list(Until::Paren);
                word.parts.push(Part::Unknown);
            }
            Some('{') => {
                self.bump();
                self.braced(word);
            }
            Some('\'') => {
                // `$'…'`: C-style escapes, no expansion.
                self.bump();
                word.quoted = true;
                let mut escaped = false;
                let mut text = String::new();
                while let Some(c) = self.bump() {
                    match (escaped, c) {
                        (false, '\'') => break,
                        (false, '\\') => escaped = true,
                        _ => {
                            escaped = false;
                            text.push(c);
                        }
                    }
                }
                word.push_text(&text);
            }
            Some('"') => {
                self.bump();
                word.quoted = true;
                self.double_quoted(word);
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.name();
                if name == "_" {
                    word.parts.push(Part::Unknown);
                } else {
                    word.read(&name, false);
                    word.parts.push(Part::Var(name));
                }
            }
            Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => {
                self.bump();
                word.parts.push(Part::Unknown);
            }
            _ => word.push_char('$'),
        }
    }

    fn name(&mut self) -> String {
        let rest = &self.src[self.pos..];
        let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        self.pos += len;
        rest[..len].to_owned()
    }

    /// After `${`, up to the matching `}`.
    fn braced(&mut self, word: &mut Word) {
        let length_of = self.eat("#") && self.peek().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let indirect = !length_of && self.eat("!");
        let name = self.name();
        let plain = !length_of && !indirect && self.peek() == Some('}');
        let handles_unset = ["-", ":-", "=", ":=", "+", ":+"].iter().any(|op| self.src[self.pos..].starts_with(op));
        let special = indirect && matches!(self.peek(), Some('*' | '@'));
        if is_name(&name) && name != "_" && !special {
            word.read(&name, handles_unset);
        }
        if plain && is_name(&name) && name != "_" {
            self.bump();
            word.parts.push(Part::Var(name));
            return;
        }
        word.parts.push(Part::Unknown);
        // The operator's word: quotes and expansions nest, up to the `}`.
        let mut inner = Word::default();
        while let Some(c) = self.peek() {
            match c {
                '}' => {
                    self.bump();
                    break;
                }
                '\\' => {
                    self.bump();
                    self.bump();
                }
                '\'' => {
                    self.bump();
                    let rest = &self.src[self.pos..];
                    self.pos += rest.find('\'').map_or(rest.len(), |at| at + 1);
                }
                '"' => {
                    self.bump();
                    self.double_quoted(&mut inner);
                }
                '$' => {
                    self.bump();
                    self.dollar(&mut inner);
                }
                '`' => {
                    self.bump();
                    self.backquoted();
                }
                _ => {
                    self.bump();
                }
            }
        }
        word.absorb(inner, handles_unset);
    }

    /// After `((`, up to the matching `))`: only `$` expansions are noted
    /// (a bare name in arithmetic is a variable too, but rarely unset on
    /// purpose).
    fn arithmetic(&mut self, word: &mut Word) {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                ')' if depth == 0 => {
                    self.pos += 1;
                    self.eat(")");
                    return;
                }
                ')' => depth -= 1,
                '(' => depth += 1,
                '$' => {
                    self.bump();
                    let mut inner = Word::default();
                    self.dollar(&mut inner);
                    word.absorb(inner, false);
                    continue;
                }
                _ => {}
            }
            self.bump();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each simple command as its words, expansions shown as `$NAME`, `~`, `?`.
    fn commands(command: &str) -> Vec<Vec<String>> {
        scan(command)
            .commands
            .iter()
            .map(|c| c.words.iter().map(show).collect::<Vec<_>>())
            .filter(|words| !words.is_empty())
            .collect()
    }

    fn show(word: &Word) -> String {
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
    fn reads(command: &str) -> Vec<String> {
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
    fn splits_simple_commands_at_every_separator() {
        assert_eq!(
            commands("a 1; b 2 && c | d || e & f\ng"),
            [vec!["a", "1"], vec!["b", "2"], vec!["c"], vec!["d"], vec!["e"], vec!["f"], vec!["g"]]
        );
        assert_eq!(commands("(a; b) |& c"), [vec!["a"], vec!["b"], vec!["c"]]);
    }

    #[test]
    fn removes_quotes_and_escapes() {
        assert_eq!(
            commands(r#"kubectl -n 'my ns' "get" po\ d 'it''s' $'a\'b'"#),
            [vec!["kubectl", "-n", "my ns", "get", "po d", "its", "a'b"]]
        );
        assert_eq!(commands("echo 'a;b' \"c|d\" e\\;f"), [vec!["echo", "a;b", "c|d", "e;f"]]);
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
    fn keywords_lead_to_the_command_words_after_them() {
        assert_eq!(
            commands("if kubectl get ns x; then echo y; else ! z; fi; while true; do w; done"),
            [vec!["kubectl", "get", "ns", "x"], vec!["echo", "y"], vec!["z"], vec!["true"], vec!["w"]]
        );
        assert_eq!(commands("{ a; }; time b"), [vec!["a"], vec!["b"]]);
    }

    #[test]
    fn case_patterns_and_tests_are_not_commands() {
        assert_eq!(
            commands("case $x in a|b) run1 ;; (c) run2 ;& *) run3;; esac; after"),
            [vec!["case", "$x", "in"], vec!["run1"], vec!["run2"], vec!["run3"], vec!["after"]]
        );
        assert_eq!(
            commands("[[ -n $x && ( -f y || z < w ) ]] && k"),
            [vec!["[[", "-n", "$x", "-f", "y", "z", "w"], vec!["k"]]
        );
        assert_eq!(commands("(( n > 2 )) && k $((n + $m))"), [vec!["k", "?"]]);
        assert_eq!(reads("(( n > $limit )); k $((n + $m))"), ["limit", "m"]);
    }

    #[test]
    fn functions_are_remembered_not_run() {
        let script = scan("drain() { kubectl drain \"$1\"; }; function cordon { :; }; drain n1");
        assert_eq!(script.functions, ["drain", "cordon"]);
        let words: Vec<Vec<String>> = script.commands.iter().map(|c| c.words.iter().map(show).collect()).collect();
        assert_eq!(words, [vec!["kubectl", "drain", "?"], vec![":"], vec!["drain", "n1"]]);
    }

    #[test]
    fn redirections_are_not_words() {
        assert_eq!(commands("2>/dev/null kubectl get x >out 2>&1 <in &>all"), [vec!["kubectl", "get", "x"]]);
        assert_eq!(reads("cat < $input > \"$out\" 2>>${log}"), ["input", "out", "log"]);
    }

    #[test]
    fn here_documents_expand_only_with_an_unquoted_delimiter() {
        let command =
            "kubectl apply -f - <<EOF\nname: $name\nx: $(date)\nEOF\ncat <<'END'\n$not_read\nEND\necho $after";
        assert_eq!(reads(command), ["name", "after"]);
        assert_eq!(
            commands(command),
            [vec!["kubectl", "apply", "-f", "-"], vec!["date"], vec!["cat"], vec!["echo", "$after"]]
        );
        assert_eq!(commands("cat <<-X\n\tnot a command\n\tX\nok"), [vec!["cat"], vec!["ok"]]);
    }

    #[test]
    fn reads_variables_outside_single_quotes_only() {
        assert_eq!(
            reads(r#"echo $A "${B}" '$C' \$D "\$E" "$F-x" ${G:-$H} ${I%.*} ${#J} ${K:+k} ${!L} $1 $? $@ $$ $_ ${10}"#),
            ["A", "B", "F", "G?", "H?", "I", "J", "K?", "L"]
        );
        assert_eq!(commands("echo $A${B}c"), [vec!["echo", "$A$Bc"]]);
    }

    #[test]
    fn assignments_have_an_unquoted_name() {
        let script = scan("A=1 B+=x \"C\"=2 D=\"$E\"/f K=~/x 1x=2");
        let words = &script.commands[0].words;
        let assigned: Vec<Option<&str>> = words.iter().map(|w| w.assignment().map(|(name, _)| name)).collect();
        assert_eq!(assigned, [Some("A"), Some("B"), None, Some("D"), Some("K"), None]);
        let values: Vec<Vec<Part>> = words.iter().filter_map(|w| Some(w.assignment()?.1.to_vec())).collect();
        assert_eq!(values[0], [Part::Text("1".into())]);
        assert_eq!(values[2], [Part::Var("E".into()), Part::Text("/f".into())]);
        assert_eq!(values[3], [Part::Tilde, Part::Text("/x".into())]);
        let home = |name: &str| (name == "HOME").then(|| "/home/u".to_owned());
        assert_eq!(expand_parts(&values[3], &home).as_deref(), Some("/home/u/x"));
    }

    #[test]
    fn tilde_expands_only_at_the_start_of_a_word() {
        assert_eq!(commands("ls ~ ~/a a~ '~' ~user"), [vec!["ls", "~", "~/a", "a~", "~", "?"]]);
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

    #[test]
    fn comments_are_skipped() {
        assert_eq!(commands("a # don't b\nc x#y"), [vec!["a"], vec!["c", "x#y"]]);
    }
}
