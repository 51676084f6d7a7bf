//! Placeholders made of what runbooks write for a value: `<namespace>`,
//! `$NAMESPACE`, `VAR='<value of … label from alert>'`; each declared, the
//! quotes around it opened (a shell quotes its value), and put back as a
//! shell variable where no value can be filled in.

use std::collections::BTreeMap;

use super::command::is_variable;

/// Variables a command reads from its environment, never placeholders.
const ENVIRONMENT: &[&str] = &[
    "HOME",
    "PATH",
    "USER",
    "PWD",
    "OLDPWD",
    "SHELL",
    "TMPDIR",
    "KUBECONFIG",
    "EDITOR",
    "TERM",
    "HOSTNAME",
    "LANG",
    "IFS",
    "RANDOM",
    "SECONDS",
    "LINENO",
    "UID",
    "EUID",
    "PPID",
];

/// `{{name}}`.
fn placeholder(name: &str) -> String {
    format!("{{{{{name}}}}}")
}

/// Appends `{{name}}`, a space between it and a brace beside it: `{{{`
/// would read as an escaped brace (`up{<selector>}`).
fn push_placeholder(out: &mut String, name: &str, next: Option<char>) {
    if out.ends_with('{') {
        out.push(' ');
    }
    out.push_str(&placeholder(name));
    if next == Some('}') {
        out.push(' ');
    }
}

/// `NODE_NAME='<value of instance label from alert>'` lines: the value is
/// the one the alert gives, so the variable is a placeholder; the line goes.
pub(super) fn take_alert_assignments(run: &str, vars: &mut BTreeMap<String, String>) -> String {
    let mut kept = Vec::new();
    for line in run.lines() {
        let trimmed = line.trim();
        let assignment = trimmed.strip_prefix("export ").unwrap_or(trimmed).split_once('=');
        if let Some((name, value)) = assignment
            && is_variable(name)
            && let Some(inner) = value.trim_matches(['\'', '"']).strip_prefix('<').and_then(|v| v.strip_suffix('>'))
            && !inner.contains(['<', '>', ';'])
        {
            vars.insert(name.to_ascii_lowercase(), describe(inner));
            continue;
        }
        kept.push(line);
    }
    kept.join("\n").trim_matches('\n').to_owned()
}

/// `<namespace>`, `<pod name>`, `<value of instance label from alert>`.
pub(super) fn angle_placeholders(run: &str, vars: &mut BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(run.len());
    let mut rest = run;
    while let Some(start) = rest.find('<') {
        // Only plain characters may stand between the brackets: the scan
        // stops at the first other one, so a line of `<<<…` stays linear.
        let after = &rest.as_bytes()[start + 1..];
        let plain =
            after.iter().take(MOST_INNER).take_while(|b| b.is_ascii_alphanumeric() || b" -_.".contains(b)).count();
        // `cat <<EOF >x`, `sort <in.txt >out` are redirections: a
        // placeholder neither follows a `<` nor ends in a space.
        let follows_a_bracket = if start == 0 { out.ends_with('<') } else { rest[..start].ends_with('<') };
        let redirection = follows_a_bracket || after.get(plain.wrapping_sub(1)) == Some(&b' ');
        let candidate = (after.get(plain) == Some(&b'>') && !redirection).then(|| &rest[start + 1..start + 1 + plain]);
        if let Some((inner, name)) = candidate.and_then(|inner| placeholder_name(inner).map(|name| (inner, name))) {
            out.push_str(&rest[..start]);
            rest = &rest[start + inner.len() + 2..];
            push_placeholder(&mut out, &name, rest.chars().next());
            vars.entry(name).or_insert_with(|| describe(inner));
        } else {
            out.push_str(&rest[..=start]);
            rest = &rest[start + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// The longest text between `<` and `>` read as a placeholder.
const MOST_INNER: usize = 120;

/// The placeholder a `<…>` stands for, if it reads as one (a few words of
/// letters, not a redirection or an HTML tag).
fn placeholder_name(inner: &str) -> Option<String> {
    let words: Vec<&str> = inner
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    let plain = inner.chars().all(|c| c.is_ascii_alphanumeric() || " -_.".contains(c));
    if !plain || words.is_empty() || words.len() > 8 || !inner.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    // "value of instance label from alert" → `instance`.
    let name = match words.iter().position(|w| *w == "label") {
        Some(at) if at > 0 && words.first() == Some(&"value") => words[at - 1].to_owned(),
        _ => words.join("_"),
    };
    let name = name.to_ascii_lowercase();
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("_{name}") } else { name };
    crate::template::is_valid_name(&name).then_some(name)
}

/// What a placeholder is, from the words that stood for it.
fn describe(inner: &str) -> String {
    let inner = inner.trim();
    let mut words = inner.replace(['_', '-'], " ");
    if !words.chars().any(|c| c.is_ascii_lowercase()) {
        words = words.to_ascii_lowercase();
    }
    if let Some(first) = words.get(..1) {
        words = first.to_uppercase() + &words[1..];
    }
    words
}

/// `$NAMESPACE` and `${NAMESPACE}` that the block does not set itself:
/// placeholders. One an earlier block set cannot reach this one (each step
/// runs in a shell of its own): a placeholder too, said so.
pub(super) fn dollar_placeholders(
    run: &str,
    local: &[&str],
    earlier: &BTreeMap<String, String>,
    vars: &mut BTreeMap<String, String>,
    problems: &mut Vec<String>,
) -> String {
    let mut out = String::with_capacity(run.len());
    let mut chars = run.char_indices().peekable();
    // A shell's quoting: `'` quotes only outside `"…"` (an apostrophe in
    // "it's $NS" opens nothing), and `\` escapes outside `'…'`.
    // A `$(…)` inside "…" quotes afresh: each open one keeps whether it
    // stood in double quotes. A `#` starting a word outside quotes is a
    // comment to the line's end, where nothing is read.
    let (mut in_single, mut in_double, mut escaped, mut in_comment) = (false, false, false, false);
    let mut substitutions: Vec<bool> = Vec::new();
    let mut previous = ' ';
    while let Some((i, c)) = chars.next() {
        let quoting = !std::mem::take(&mut escaped) && !in_comment;
        let quoted = in_single || in_double;
        match c {
            '\n' => in_comment = false,
            '\\' if quoting && !in_single => escaped = true,
            '\'' if quoting && !in_double => in_single = !in_single,
            '"' if quoting && !in_single => in_double = !in_double,
            '#' if quoting && !quoted && previous.is_whitespace() => in_comment = true,
            '(' if quoting && !in_single && previous == '$' => substitutions.push(std::mem::take(&mut in_double)),
            ')' if quoting && !quoted => in_double = substitutions.pop().unwrap_or(false),
            _ => {}
        }
        previous = c;
        if c != '$' || in_single || !quoting {
            out.push(c);
            continue;
        }
        let rest = &run[i + 1..];
        let (name, len) = if let Some(braced) = rest.strip_prefix('{') {
            // A name is short: a `${` with no `}` soon after is none.
            match braced.char_indices().take(80).find(|(_, c)| *c == '}').map(|(at, _)| at) {
                Some(end) if is_variable(&braced[..end]) => (&braced[..end], end + 2),
                _ => ("", 0),
            }
        } else {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            (&rest[..end], end)
        };
        let stands_for_a_value = is_variable(name) && !local.contains(&name) && !ENVIRONMENT.contains(&name);
        if !stands_for_a_value {
            out.push(c);
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let description = match earlier.get(name) {
            Some(set_by) => {
                problems.push(format!(
                    "`${name}` was set by an earlier block, which this step cannot see: it is a placeholder"
                ));
                format!("What `{name}` was set to by an earlier step: {set_by}")
            }
            None => describe(name),
        };
        vars.entry(lower.clone()).or_insert(description);
        push_placeholder(&mut out, &lower, run[i + 1 + len..].chars().next());
        for _ in 0..len {
            chars.next();
        }
    }
    out
}

/// Quotes around a placeholder opened, so its value is quoted alone:
/// `"{{ns}}"` → `{{ns}}`, `"node/{{node}}"` → `node/{{node}}` (nothing
/// there needs quotes), `"app = {{app}}"` → `"app = "{{app}}`.
pub(super) fn open_quotes(run: &str) -> String {
    let mut out = String::with_capacity(run.len());
    let mut rest = run;
    while let Some(at) = rest.find(['"', '\'']) {
        // An apostrophe in a comment (`# don't`) opens no quote: the
        // comment is copied to its line's end as it is.
        let unquoted = &rest[..at];
        let comment = unquoted
            .char_indices()
            .find(|&(i, c)| c == '#' && unquoted[..i].chars().next_back().is_none_or(char::is_whitespace));
        if let Some((start, _)) = comment {
            let end = rest[start..].find('\n').map_or(rest.len(), |n| start + n);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        out.push_str(&rest[..at]);
        let quote = rest[at..].chars().next().unwrap_or('"');
        let inside = &rest[at + 1..];
        let end = closing_quote(inside, quote).unwrap_or(inside.len());
        let segment = &inside[..end];
        let rest_after = inside.get(end + 1..).unwrap_or_default();
        if !holds_placeholder(segment) {
            out.push(quote);
            out.push_str(segment);
            if end < inside.len() {
                out.push(quote);
            }
        } else if segment
            .replace("{{", "")
            .replace("}}", "")
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_.:=@,-".contains(c))
        {
            out.push_str(segment);
        } else {
            for (i, part) in segment.split("{{").enumerate() {
                match part.split_once("}}").filter(|_| i > 0) {
                    Some((name, text)) => {
                        out.push_str(&placeholder(name));
                        if !text.is_empty() {
                            out.push(quote);
                            out.push_str(text);
                            out.push(quote);
                        }
                    }
                    None if !part.is_empty() => {
                        out.push(quote);
                        out.push_str(part);
                        out.push(quote);
                    }
                    None => {}
                }
            }
        }
        rest = rest_after;
    }
    out.push_str(rest);
    out
}

/// Where the quote that opened before `inside` closes.
fn closing_quote(inside: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in inside.char_indices() {
        match c {
            '\\' if quote == '"' && !escaped => escaped = true,
            c if c == quote && !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// Whether a text holds a placeholder (not an escaped `{{{{`).
fn holds_placeholder(text: &str) -> bool {
    text.replace("{{{{", "").contains("{{")
}

/// Placeholders where no value can be filled in (in a `#` comment, after a
/// program that may run the rest in another shell): put back as shell
/// variables, to set before running, and said.
pub(super) fn unplaceable(run: &str, vars: &mut BTreeMap<String, String>, problems: &mut Vec<String>) -> String {
    let Ok(pieces) = crate::template::parse(run) else { return run.to_owned() };
    let mut stuck: Vec<(String, &'static str)> = Vec::new();
    for piece in pieces {
        if let crate::template::Piece::Placeholder(p) = piece
            && let Some(why) = p.uncertain.or(p.inside_quote.map(|_| "it stands inside quotes"))
            && !stuck.iter().any(|(name, _)| name == p.name)
        {
            stuck.push((p.name.to_owned(), why));
        }
    }
    let mut run = run.to_owned();
    for (name, why) in stuck {
        let variable = name.to_ascii_uppercase();
        // Stopped, not run with an empty value, when it is not set.
        run = run.replace(&placeholder(&name), &format!("${{{variable}:?set {variable} before running}}"));
        vars.remove(&name);
        problems.push(format!(
            "`{{{{{name}}}}}` cannot be filled where it stands ({why}): kept as `${variable}`, to set before running"
        ));
    }
    run
}
