//! Command templates: `{{name}}` placeholders in a step's `run`, the `{{{{`
//! escape for a literal `{{`, and rendering with shell-quoted values.
//!
//! Rendering quotes every value with `shlex::try_quote`, so a value can never
//! add shell syntax. A placeholder written inside quotes in the template would
//! be quoted twice, which is why [`parse`] reports where each one stands. A
//! value that a second shell parses again (the remote command of `ssh`, the
//! command of `watch`) is quoted once more, one layer per shell.
//!
//! The template itself lives here; `nested_shells` counts the shells that
//! parse each placeholder and `value` checks a value before it fills one.

mod nested_shells;
mod value;

use std::ops::Range;

use thiserror::Error;

use nested_shells::ShellTracker;
pub(crate) use nested_shells::{SSH_OPTIONS_WITH_ARGUMENT, short_option_wants_argument};
pub use value::{CompiledPattern, LEADING_DASH_WARNING, ValueError, check_value, compile_pattern};

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
    /// How many shells parse the value, so how many times it is quoted:
    /// 1 locally, one more for each `ssh HOST` remote command, `watch`
    /// command or `sh -c` string it stands in.
    pub shells: usize,
    /// Why the tracker cannot tell how many shells parse the value, if it
    /// cannot: such a placeholder is never filled (fail closed).
    pub uncertain: Option<&'static str>,
    /// It stands inside a backtick substitution, where quotes do not
    /// protect a `` ` `` or `\` of the value.
    pub in_backticks: bool,
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
    /// The tracker cannot tell how many shells parse the placeholder's
    /// value, so it cannot quote it right and does not fill it.
    #[error(
        "{{{{{0}}}}} stands where pagerbook cannot tell how many shells parse its value ({1}); the catalog must rewrite the command"
    )]
    Uncertain(String, &'static str),
    /// The placeholder stands inside backticks and its quoted value holds
    /// a `` ` `` or `\`, which quotes do not protect there.
    #[error(
        "{{{{{0}}}}} stands inside backticks, where a ` or \\ in its value would end or change the command; the catalog should use $(…)"
    )]
    Backticks(String),
    /// A value cannot be quoted for the shell (it holds a NUL byte).
    #[error("the value of {{{{{0}}}}} cannot be passed to a shell: it holds a NUL byte")]
    Unquotable(String),
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
        let placement = shell.place();
        pieces.push(Piece::Placeholder(Placeholder {
            name,
            span: offset..offset + end + 2,
            inside_quote: placement.quote,
            shells: placement.shells,
            uncertain: placement.uncertain,
            in_backticks: placement.in_backticks,
        }));
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
                if let Some(reason) = p.uncertain {
                    return Err(RenderError::Uncertain(p.name.to_owned(), reason));
                }
                let value = value_of(p.name).ok_or_else(|| RenderError::Missing(p.name.to_owned()))?;
                let unquotable = |_| RenderError::Unquotable(p.name.to_owned());
                // One layer of quotes for each shell that removes one.
                let mut quoted = value.to_owned();
                for _ in 0..p.shells {
                    quoted = shlex::try_quote(&quoted).map_err(unquotable)?.into_owned();
                }
                // The shell finds a backtick substitution's end before it
                // reads quotes, and takes `\` as an escape there.
                if p.in_backticks && quoted.contains(['`', '\\']) {
                    return Err(RenderError::Backticks(p.name.to_owned()));
                }
                out.push_str(&quoted);
            }
        }
    }
    Ok(out)
}

/// Renders a template that no shell reads (a `PromQL` query, a YAML
/// manifest: copied, never run): each value as it is, where it stands.
///
/// # Errors
/// A malformed template, or a placeholder without a value.
pub fn render_literal<'v>(template: &str, value_of: impl Fn(&str) -> Option<&'v str>) -> Result<String, RenderError> {
    let mut out = String::with_capacity(template.len());
    for piece in parse(template)? {
        match piece {
            Piece::Text(text) => out.push_str(&text),
            Piece::Placeholder(p) => {
                out.push_str(value_of(p.name).ok_or_else(|| RenderError::Missing(p.name.to_owned()))?);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `fact` says of each placeholder of a template.
    pub(super) fn placeholders<'a, T>(template: &'a str, fact: fn(Placeholder<'a>) -> T) -> Vec<T> {
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
