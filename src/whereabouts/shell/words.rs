//! Reading one word: quotes, escapes, `~`, assignments and the expansions
//! (`$X`, `${…}`, `$(…)`, `$((…))`, backquotes) whose variables it reads.

use super::{MAX_NESTING, Part, Scanner, Until, Word, ends_word, is_name};

impl Scanner<'_> {
    /// One word, up to a blank or an operator.
    pub(super) fn word(&mut self) -> Word {
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
    pub(super) fn quoted_char(&mut self, word: &mut Word, in_heredoc: bool) {
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
    pub(super) fn arithmetic(&mut self, word: &mut Word) {
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
    use crate::whereabouts::shell::tests::{commands, reads};
    use crate::whereabouts::shell::{Part, expand_parts, scan};

    #[test]
    fn removes_quotes_and_escapes() {
        assert_eq!(
            commands(r#"kubectl -n 'my ns' "get" po\ d 'it''s' $'a\'b'"#),
            [vec!["kubectl", "-n", "my ns", "get", "po d", "its", "a'b"]]
        );
        assert_eq!(commands("echo 'a;b' \"c|d\" e\\;f"), [vec!["echo", "a;b", "c|d", "e;f"]]);
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
}
