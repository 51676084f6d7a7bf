//! Reading the simple commands out of the text: separators, keywords,
//! compound commands (`case`, `[[`, subshells, functions), redirections and
//! here-documents. The words themselves are read in [`super::words`].

use super::{Heredoc, MAX_NESTING, Scanner, SimpleCommand, Until, Word};

/// Words that open or close a compound command: never a program to run.
pub(crate) const KEYWORDS: &[&str] = &[
    "!", "[[", "]]", "{", "}", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if",
    "in", "select", "then", "time", "until", "while",
];

/// Keywords after which the next word is again a command word.
const LEADING_KEYWORDS: &[&str] =
    &["!", "{", "}", "do", "done", "elif", "else", "esac", "fi", "if", "then", "time", "until", "while"];

impl Scanner<'_> {
    /// The simple command being read, started at `start` if there is none.
    fn command(&mut self, current: &mut Option<usize>, start: usize) -> usize {
        *current.get_or_insert_with(|| {
            self.script.commands.push(SimpleCommand { start, ..SimpleCommand::default() });
            self.script.commands.len() - 1
        })
    }

    /// Reads commands until `until`; a separator ends the simple command.
    pub(super) fn list(&mut self, until: Until) {
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
    pub(super) fn backquoted(&mut self) {
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
}

#[cfg(test)]
mod tests {
    use crate::whereabouts::shell::scan;
    use crate::whereabouts::shell::tests::{commands, reads, show};

    #[test]
    fn splits_simple_commands_at_every_separator() {
        assert_eq!(
            commands("a 1; b 2 && c | d || e & f\ng"),
            [vec!["a", "1"], vec!["b", "2"], vec!["c"], vec!["d"], vec!["e"], vec!["f"], vec!["g"]]
        );
        assert_eq!(commands("(a; b) |& c"), [vec!["a"], vec!["b"], vec!["c"]]);
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
    fn comments_are_skipped() {
        assert_eq!(commands("a # don't b\nc x#y"), [vec!["a"], vec!["c", "x#y"]]);
    }
}
