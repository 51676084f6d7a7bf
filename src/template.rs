//! Command templates: `{{name}}` placeholders in a step's `run`, the `{{{{`
//! escape for a literal `{{`, and rendering with shell-quoted values.
//!
//! Rendering quotes every value with `shlex::try_quote`, so a value can never
//! add shell syntax. A placeholder written inside quotes in the template would
//! be quoted twice, which is why [`parse`] reports where each one stands. A
//! value that a second shell parses again (the remote command of `ssh`, the
//! command of `watch`) is quoted once more, one layer per shell.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use thiserror::Error;

/// The escape for a literal `{{` in a template.
pub const ESCAPED_BRACES: &str = "{{{{";

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text copied as it is (escapes already resolved).
    Text(String),
    /// A placeholder to fill with a quoted value.
    Placeholder(Placeholder<'a>),
}

/// A `{{name}}` in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder<'a> {
    /// The variable's name.
    pub name: &'a str,
    /// Byte range of the whole `{{name}}` in the template.
    pub span: Range<usize>,
    /// The shell quote (`'` or `"`) the placeholder stands inside, if any.
    pub inside_quote: Option<char>,
    /// The value is parsed by a second shell: it stands in the remote
    /// command of `ssh` or in the command `watch` hands to `sh -c`.
    pub reparsed: bool,
}

/// A template that cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct TemplateError {
    /// Byte offset in the template.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Why a command could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RenderError {
    /// The template itself is malformed.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A placeholder has no value.
    #[error("no value for {{{{{0}}}}}")]
    Missing(String),
    /// The placeholder stands inside quotes in the template: its quoted
    /// value would not be literal there, so it is not filled at all.
    #[error(
        "{{{{{0}}}}} stands inside quotes in the command, where a quoted value is not safe; the catalog must move it out"
    )]
    InsideQuotes(String),
    /// A value cannot be quoted for the shell (it holds a NUL byte).
    #[error("the value of {{{{{0}}}}} cannot be passed to a shell: it holds a NUL byte")]
    Unquotable(String),
}

/// A compiled var pattern, or why it does not compile.
pub type CompiledPattern = Result<Arc<Regex>, String>;

/// A var's `pattern` compiled to match whole values. Catalogs repeat the
/// same few patterns (a Kubernetes name) hundreds of times, so each distinct
/// pattern is compiled once per process.
///
/// # Errors
/// The regex error, in one line.
pub fn compile_pattern(pattern: &str) -> CompiledPattern {
    static COMPILED: OnceLock<Mutex<HashMap<String, CompiledPattern>>> = OnceLock::new();
    let cache = COMPILED.get_or_init(Mutex::default);
    if let Some(known) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return known;
    }
    // A pattern is a line of a catalog, not a program: a huge alternation
    // compiled to hundreds of megabytes before this bound.
    let compiled = regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map(Arc::new)
        .map_err(|err| err.to_string().lines().last().unwrap_or_default().trim().to_owned());
    if let Ok(mut cache) = cache.lock() {
        cache.insert(pattern.to_owned(), compiled.clone());
    }
    compiled
}

/// The most memory a var's compiled `pattern` may take.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// Why a value cannot fill a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    /// Nothing was given.
    #[error("a value is required")]
    Empty,
    /// ESC, NUL, newline, BEL and the like: they could hide or change what
    /// the terminal shows of the command.
    #[error("control character U+{0:04X} is not allowed")]
    Control(u32),
    /// Right-to-left and similar overrides make text read in another order
    /// than it runs.
    #[error("bidirectional control U+{0:04X} is not allowed: the command would not read as it runs")]
    Bidi(u32),
    /// The value does not match the var's declared pattern.
    #[error("does not match the declared pattern {0}")]
    Pattern(String),
    /// The var declares `choices` and the value is not one of them.
    #[error("must be one of: {0}")]
    NotAChoice(String),
    /// It starts with `-`, so the program may take it for an option
    /// (`-oProxyCommand=…` runs a command in ssh), and no `pattern` or
    /// `choices` of the var allows that.
    #[error(
        "starts with `-`, which a command would take for an option; only a var whose pattern or choices allow it takes one"
    )]
    Option,
}

/// A value that is allowed but deserves a second look.
pub const LEADING_DASH_WARNING: &str = "starts with `-`: a command may take it for an option";

/// Checks a value for a placeholder whose var declares `pattern`. Returns a
/// warning for a value that is allowed but suspicious.
///
/// # Errors
/// An empty value, a control or bidirectional character, or a value that
/// does not match the pattern.
pub fn check_value(value: &str, pattern: Option<&str>) -> Result<Option<&'static str>, ValueError> {
    if value.is_empty() {
        return Err(ValueError::Empty);
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(ValueError::Control(u32::from(c)));
    }
    if let Some(c) = value
        .chars()
        .find(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'))
    {
        return Err(ValueError::Bidi(u32::from(c)));
    }
    if let Some(pattern) = pattern
        && compile_pattern(pattern).is_ok_and(|regex| !regex.is_match(value))
    {
        return Err(ValueError::Pattern(pattern.to_owned()));
    }
    if value.starts_with('-') {
        // Fail closed: an option where a value was meant can run anything.
        return if pattern.is_some() { Ok(Some(LEADING_DASH_WARNING)) } else { Err(ValueError::Option) };
    }
    Ok(None)
}

/// Whether `name` is a valid placeholder name: `[a-z_][a-z0-9_]*`.
#[must_use]
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Splits a template into text and placeholders.
///
/// # Errors
/// A `{{` that neither starts a `{{name}}` nor is part of the `{{{{` escape.
pub fn parse(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut shell = ShellTracker::new();
    let mut rest = template;
    while let Some(at) = rest.find("{{") {
        let offset = template.len() - rest.len() + at;
        shell.feed(&rest[..at]);
        text.push_str(&rest[..at]);
        let after = &rest[at..];
        if let Some(escaped) = after.strip_prefix(ESCAPED_BRACES) {
            text.push_str("{{");
            shell.feed("{{");
            rest = escaped;
            continue;
        }
        let inner_end = after.find("}}").filter(|&end| !after[2..end].contains(['\n', '{']));
        let name = inner_end.map(|end| after[2..end].trim()).filter(|name| is_valid_name(name));
        let (Some(end), Some(name)) = (inner_end, name) else {
            return Err(TemplateError {
                offset,
                message: "`{{` does not start a placeholder like `{{name}}` (lowercase letters, digits, `_`); \
                          write `{{{{` for a literal `{{`"
                    .into(),
            });
        };
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        pieces.push(Piece::Placeholder(Placeholder {
            name,
            span: offset..offset + end + 2,
            inside_quote: shell.quote,
            reparsed: shell.reparsed(),
        }));
        shell.feed_value();
        rest = &after[end + 2..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// The placeholders of a template, each name once, in the order it uses
/// them; none for a malformed template.
#[must_use]
pub fn placeholder_names(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for piece in parse(template).unwrap_or_default() {
        if let Piece::Placeholder(p) = piece
            && !names.contains(&p.name)
        {
            names.push(p.name);
        }
    }
    names
}

/// Renders a template, shell-quoting each value given by `value_of`.
///
/// # Errors
/// A malformed template, a placeholder without a value, or a value that no
/// shell quoting can carry.
pub fn render<'v>(template: &str, value_of: impl Fn(&str) -> Option<&'v str>) -> Result<String, RenderError> {
    let mut out = String::with_capacity(template.len());
    for piece in parse(template)? {
        match piece {
            Piece::Text(text) => out.push_str(&text),
            Piece::Placeholder(p) => {
                if p.inside_quote.is_some() {
                    return Err(RenderError::InsideQuotes(p.name.to_owned()));
                }
                let value = value_of(p.name).ok_or_else(|| RenderError::Missing(p.name.to_owned()))?;
                let unquotable = |_| RenderError::Unquotable(p.name.to_owned());
                let quoted = shlex::try_quote(value).map_err(unquotable)?;
                if p.reparsed {
                    out.push_str(&shlex::try_quote(&quoted).map_err(unquotable)?);
                } else {
                    out.push_str(&quoted);
                }
            }
        }
    }
    Ok(out)
}

/// The template as a person reads it: escapes resolved (`{{{{` shows as the
/// `{{` that runs), placeholders left as `{{name}}`. A malformed template is
/// shown as written.
#[must_use]
pub fn display(template: &str) -> String {
    if !template.contains(ESCAPED_BRACES) {
        return template.to_owned();
    }
    match parse(template) {
        Ok(pieces) => pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.clone(),
                Piece::Placeholder(p) => format!("{{{{{}}}}}", p.name),
            })
            .collect(),
        Err(_) => template.to_owned(),
    }
}

/// Follows POSIX shell syntax well enough to tell, at each placeholder,
/// whether it stands inside single or double quotes and whether a second
/// shell will parse its value. Comments are skipped so an apostrophe in a
/// `# don't` comment does not open a quote.
// Independent flags of one scanner, each cleared by its own character.
#[allow(clippy::struct_excessive_bools)]
struct ShellTracker {
    quote: Option<char>,
    escaped: bool,
    in_comment: bool,
    at_word_start: bool,
    /// The word being read, and whether a placeholder is part of it.
    word: String,
    word_has_value: bool,
    command: Command,
}

/// What the current simple command is, as far as quoting cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Command {
    /// No command word yet (only `sudo` or `NAME=value` words, if any).
    Start,
    /// `ssh`: options, then the destination, then the remote command.
    Ssh { option_argument_next: bool, destination_seen: bool },
    /// `watch`: every later word goes to `sh -c`.
    Watch,
    /// Any other command.
    Other,
}

/// ssh's options that take an argument (`-p 22`, `-o Option=value`).
pub(crate) const SSH_OPTIONS_WITH_ARGUMENT: &str = "BbcDEeFIiJLlmOoPpQRSWw";

impl ShellTracker {
    fn new() -> Self {
        ShellTracker {
            quote: None,
            escaped: false,
            in_comment: false,
            at_word_start: true,
            word: String::new(),
            word_has_value: false,
            command: Command::Start,
        }
    }

    fn reparsed(&self) -> bool {
        matches!(self.command, Command::Ssh { destination_seen: true, .. } | Command::Watch)
    }

    /// A placeholder's value is part of the current word.
    fn feed_value(&mut self) {
        self.word_has_value = true;
        self.at_word_start = false;
    }

    fn feed(&mut self, text: &str) {
        for c in text.chars() {
            let word_start = std::mem::replace(&mut self.at_word_start, false);
            if self.in_comment {
                self.in_comment = c != '\n';
                self.at_word_start = c == '\n';
                if c == '\n' {
                    self.command = Command::Start;
                }
                continue;
            }
            if self.escaped {
                self.escaped = false;
                self.word.push(c);
                continue;
            }
            match (self.quote, c) {
                (Some('\''), '\'') | (Some('"'), '"') => self.quote = None,
                (Some('"') | None, '\\') => self.escaped = true,
                (None, '\'' | '"') => self.quote = Some(c),
                (None, '#') if word_start => {
                    self.in_comment = true;
                    continue;
                }
                (None, c) if c.is_whitespace() || ";|&()".contains(c) => {
                    self.end_word();
                    if c == '\n' || ";|&()".contains(c) {
                        self.command = Command::Start;
                    }
                    self.at_word_start = true;
                    continue;
                }
                _ => {}
            }
            self.word.push(c);
        }
    }

    fn end_word(&mut self) {
        let word = std::mem::take(&mut self.word);
        if word.is_empty() && !std::mem::take(&mut self.word_has_value) {
            return;
        }
        self.word_has_value = false;
        self.command = match self.command {
            Command::Start if word == "sudo" || is_assignment(&word) => Command::Start,
            Command::Start => match word.rsplit('/').next() {
                Some("ssh") => Command::Ssh { option_argument_next: false, destination_seen: false },
                Some("watch") => Command::Watch,
                _ => Command::Other,
            },
            Command::Ssh { option_argument_next: true, .. } => {
                Command::Ssh { option_argument_next: false, destination_seen: false }
            }
            Command::Ssh { destination_seen: false, .. } if word == "--" => self.command,
            Command::Ssh { destination_seen: false, .. } if word.starts_with('-') => {
                Command::Ssh { option_argument_next: ssh_option_wants_argument(&word), destination_seen: false }
            }
            Command::Ssh { .. } => Command::Ssh { option_argument_next: false, destination_seen: true },
            other => other,
        };
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `fact` says of each placeholder of a template.
    fn placeholders<'a, T>(template: &'a str, fact: fn(Placeholder<'a>) -> T) -> Vec<T> {
        parse(template)
            .unwrap()
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Placeholder(p) => Some(fact(p)),
                Piece::Text(_) => None,
            })
            .collect()
    }

    fn names(template: &str) -> Vec<(&str, Option<char>)> {
        placeholders(template, |p| (p.name, p.inside_quote))
    }

    #[test]
    fn names_each_placeholder_once_in_order() {
        assert_eq!(placeholder_names("ssh {{user}}@{{host}} ls {{dir}}; ls {{ host }}"), ["user", "host", "dir"]);
        assert!(placeholder_names("bad {{").is_empty());
    }

    #[test]
    fn finds_placeholders_with_optional_spaces() {
        assert_eq!(names("kubectl -n {{namespace}} get pod {{ pod }}"), [("namespace", None), ("pod", None)]);
    }

    #[test]
    fn placeholder_spans_cover_the_braces() {
        let pieces = parse("ssh {{node}}").unwrap();
        let Piece::Placeholder(p) = &pieces[1] else { panic!("{pieces:?}") };
        assert_eq!(p.span, 4..12);
    }

    #[test]
    fn reports_placeholders_inside_quotes() {
        assert_eq!(
            names(r#"ssh {{a}} "sudo {{b}}" 'x {{c}}' "it\"s {{d}}" don\'t {{e}}"#),
            [("a", None), ("b", Some('"')), ("c", Some('\'')), ("d", Some('"')), ("e", None)]
        );
    }

    #[test]
    fn apostrophes_in_comments_do_not_open_quotes() {
        assert_eq!(names("# don't panic\nkubectl get node {{node}} # it's {{x}}"), [("node", None), ("x", None)]);
        assert_eq!(names("echo a#b'{{x}}'"), [("x", Some('\''))]);
    }

    #[test]
    fn escaped_braces_are_literal() {
        let template = "kubectl get pods -o go-template='{{{{range .items}}{{{{.metadata.name}} {{{{end}}' -n {{ns}}";
        assert_eq!(names(template), [("ns", None)]);
        let rendered = render(template, |_| Some("prod")).unwrap();
        assert_eq!(rendered, "kubectl get pods -o go-template='{{range .items}}{{.metadata.name}} {{end}}' -n prod");
    }

    #[test]
    fn stray_braces_are_errors_with_their_offset() {
        for (template, offset) in [("a {{.x}}", 2), ("a {{ b", 2), ("{{Upper}}", 0), ("x {{a\n}}", 2), ("{{{x}}}", 0)] {
            let err = parse(template).unwrap_err();
            assert_eq!(err.offset, offset, "{template}");
            assert!(err.message.contains("{{{{"), "{}", err.message);
        }
    }

    #[test]
    fn render_quotes_values() {
        let value = "$(rm -rf /); `x` 'q' \"d\" {a,b} * ! ~ # \\";
        let rendered = render("printf %s {{v}}", |_| Some(value)).unwrap();
        let output = std::process::Command::new("sh").arg("-c").arg(&rendered).output().unwrap();
        assert_eq!(String::from_utf8(output.stdout).unwrap(), value, "{rendered}");
        assert_eq!(render("echo {{v}}", |_| Some("plain-1.2")).unwrap(), "echo plain-1.2");
    }

    #[test]
    fn values_are_checked_before_they_reach_a_command() {
        assert_eq!(check_value("production", Some("[a-z]+")), Ok(None));
        assert_eq!(check_value("", None), Err(ValueError::Empty));
        assert_eq!(check_value("a\u{1b}[2Jb", None), Err(ValueError::Control(0x1b)));
        assert_eq!(check_value("a\nb", None), Err(ValueError::Control(0x0a)));
        assert_eq!(check_value("a\u{202E}b", None), Err(ValueError::Bidi(0x202e)));
        assert_eq!(check_value("Prod", Some("[a-z]+")), Err(ValueError::Pattern("[a-z]+".into())));
        assert_eq!(check_value("-oProxyCommand=touch x", None), Err(ValueError::Option));
        assert_eq!(check_value("-5", Some("^-?[0-9]+$")), Ok(Some(LEADING_DASH_WARNING)));
    }

    fn reparsed(template: &str) -> Vec<(&str, bool)> {
        placeholders(template, |p| (p.name, p.reparsed))
    }

    #[test]
    fn knows_which_values_a_second_shell_parses() {
        assert_eq!(
            reparsed("ssh {{user}}@{{host}} -- sudo systemctl restart {{service}} | grep {{word}}"),
            [("user", false), ("host", false), ("service", true), ("word", false)]
        );
        assert_eq!(
            reparsed("ssh -p {{port}} -o ConnectTimeout=5 -tt {{host}} cat {{file}}; echo {{x}}"),
            [("port", false), ("host", false), ("file", true), ("x", false)]
        );
        assert_eq!(reparsed("ssh -p22 -- {{host}} {{cmd}}"), [("host", false), ("cmd", true)]);
        assert_eq!(reparsed("watch -n 2 kubectl get pods -n {{ns}}"), [("ns", true)]);
        assert_eq!(reparsed("SSH_AUTH_SOCK=x sudo ssh h ls {{dir}} && ls {{dir}}"), [("dir", true), ("dir", false)]);
        assert_eq!(reparsed("kubectl exec {{pod}} -- ssh {{x}}"), [("pod", false), ("x", false)]);
        assert_eq!(reparsed("echo ssh {{x}} # ssh h {{y}}\nssh h {{z}}"), [("x", false), ("y", false), ("z", true)]);
    }

    /// ssh joins its remote words with spaces for the remote shell: a stub
    /// that does the same shows each value arriving intact.
    #[test]
    fn values_for_a_remote_shell_are_quoted_twice() {
        let stub = r#"ssh() { while [ "$1" != -- ]; do shift; done; shift; sh -c "$*"; }; "#;
        for value in ["plain", "a b", "$(id)", "it's", "x; touch /tmp/pwned", "*", "\"q\" `id` {a,b} !x ~"] {
            let rendered =
                render("ssh {{host}} -- printf %s {{v}}", |name| Some(if name == "v" { value } else { "h" })).unwrap();
            let output = std::process::Command::new("sh").arg("-c").arg(format!("{stub}{rendered}")).output().unwrap();
            assert_eq!(String::from_utf8(output.stdout).unwrap(), value, "{rendered}");
        }
    }

    #[test]
    fn display_shows_escapes_as_they_run() {
        assert_eq!(display("echo '{{{{.x}}' {{ ns }}"), "echo '{{.x}}' {{ns}}");
        assert_eq!(display("echo {{ns}}"), "echo {{ns}}");
        assert_eq!(display("bad {{"), "bad {{");
    }

    #[test]
    fn placeholders_inside_quotes_are_never_filled() {
        assert_eq!(
            render("ssh h \"sudo ls {{dir}}\"", |_| Some("$(id)")),
            Err(RenderError::InsideQuotes("dir".into()))
        );
    }

    #[test]
    fn render_reports_missing_and_unquotable_values() {
        assert_eq!(render("echo {{v}}", |_| None), Err(RenderError::Missing("v".into())));
        assert_eq!(render("echo {{v}}", |_| Some("a\0b")), Err(RenderError::Unquotable("v".into())));
    }
}
