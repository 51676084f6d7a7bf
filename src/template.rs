//! Command templates: `{{name}}` placeholders in a step's `run`, the `{{{{`
//! escape for a literal `{{`, and rendering with shell-quoted values.
//!
//! Rendering quotes every value with `shlex::try_quote`, so a value can never
//! add shell syntax. A placeholder written inside quotes in the template would
//! be quoted twice, which is why [`parse`] reports where each one stands.

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
    let compiled = Regex::new(&format!("^(?:{pattern})$"))
        .map(Arc::new)
        .map_err(|err| err.to_string().lines().last().unwrap_or_default().trim().to_owned());
    if let Ok(mut cache) = cache.lock() {
        cache.insert(pattern.to_owned(), compiled.clone());
    }
    compiled
}

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
    Ok(value.starts_with('-').then_some(LEADING_DASH_WARNING))
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
    let mut quotes = QuoteTracker::new();
    let mut rest = template;
    while let Some(at) = rest.find("{{") {
        let offset = template.len() - rest.len() + at;
        quotes.feed(&rest[..at]);
        text.push_str(&rest[..at]);
        let after = &rest[at..];
        if let Some(escaped) = after.strip_prefix(ESCAPED_BRACES) {
            text.push_str("{{");
            quotes.feed("{{");
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
            inside_quote: quotes.current(),
        }));
        rest = &after[end + 2..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
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
                let quoted = shlex::try_quote(value).map_err(|_| RenderError::Unquotable(p.name.to_owned()))?;
                out.push_str(&quoted);
            }
        }
    }
    Ok(out)
}

/// Follows POSIX shell quoting well enough to tell whether a position stands
/// inside single or double quotes. Comments are skipped so an apostrophe in a
/// `# don't` comment does not open a quote.
struct QuoteTracker {
    quote: Option<char>,
    escaped: bool,
    in_comment: bool,
    at_word_start: bool,
}

impl QuoteTracker {
    fn new() -> Self {
        QuoteTracker { quote: None, escaped: false, in_comment: false, at_word_start: true }
    }

    fn current(&self) -> Option<char> {
        self.quote
    }

    fn feed(&mut self, text: &str) {
        for c in text.chars() {
            let word_start = std::mem::replace(&mut self.at_word_start, false);
            if self.in_comment {
                self.in_comment = c != '\n';
                self.at_word_start = c == '\n';
                continue;
            }
            if self.escaped {
                self.escaped = false;
                continue;
            }
            match (self.quote, c) {
                (Some('\''), '\'') | (Some('"'), '"') => self.quote = None,
                (Some('"') | None, '\\') => self.escaped = true,
                (None, '\'' | '"') => self.quote = Some(c),
                (None, '#') if word_start => self.in_comment = true,
                (None, c) if c.is_whitespace() || ";|&()".contains(c) => self.at_word_start = true,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(template: &str) -> Vec<(&str, Option<char>)> {
        parse(template)
            .unwrap()
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Placeholder(p) => Some((p.name, p.inside_quote)),
                Piece::Text(_) => None,
            })
            .collect()
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
        assert_eq!(check_value("-rf", None), Ok(Some(LEADING_DASH_WARNING)));
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
