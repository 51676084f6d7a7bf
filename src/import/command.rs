//! A runbook's code block as a step's command: `$ ` prompts stripped and
//! the lines after them kept as example output, `<namespace>` and
//! `$NAMESPACE` made declared placeholders (quotes around them opened, for
//! a shell quotes their values), `{{` escaped, and the danger of what it
//! does judged.

use std::collections::BTreeMap;

use crate::catalog::Danger;

/// A code block, converted.
#[derive(Debug, PartialEq, Eq)]
pub struct Command {
    /// The catalog's language: `bash` for a shell, else the block's own.
    pub lang: String,
    pub run: String,
    pub example_output: Option<String>,
    /// Its placeholders: name → description.
    pub vars: BTreeMap<String, String>,
    pub danger: Danger,
    pub interactive: bool,
    /// Variables it sets that later blocks may use (`export X=$(…)`).
    pub sets: Vec<String>,
    /// What could not be carried over as it was.
    pub problems: Vec<String>,
}

/// Variables a command reads from its environment, never placeholders.
const ENVIRONMENT: &[&str] = &["HOME", "PATH", "USER", "PWD", "SHELL", "TMPDIR", "KUBECONFIG", "EDITOR", "TERM"];

/// `{{name}}`.
fn placeholder(name: &str) -> String {
    format!("{{{{{name}}}}}")
}

/// The block's language as the catalog writes it; `None` for a shell.
fn own_lang(lang: &str) -> Option<String> {
    match lang.to_ascii_lowercase().as_str() {
        "" | "sh" | "bash" | "shell" | "console" | "shell-session" | "zsh" | "shellsession" => None,
        "yml" => Some("yaml".into()),
        "txt" | "plaintext" | "plain" => Some("text".into()),
        other => Some(other.to_owned()),
    }
}

/// Converts a block of language `lang`; `earlier` are the variables that
/// blocks before it set, with the command that set each.
#[must_use]
pub fn convert(lang: &str, code: &str, earlier: &BTreeMap<String, String>) -> Command {
    let code = code.replace("\r\n", "\n");
    let own = own_lang(lang);
    let mut command = Command {
        lang: own.clone().unwrap_or_else(|| "bash".into()),
        run: String::new(),
        example_output: None,
        vars: BTreeMap::new(),
        danger: Danger::Safe,
        interactive: false,
        sets: Vec::new(),
        problems: Vec::new(),
    };
    // In a console block, `# ` is root's prompt.
    let prompts: &[&str] = if lang.eq_ignore_ascii_case("console") { &["$ ", "# "] } else { &["$ "] };
    let (run, example) = if own.is_none() { split_prompts(&code, prompts) } else { (code.trim_end().to_owned(), None) };
    // A console block with no prompt is what something printed, unless it
    // starts with a command.
    let prompted = code.lines().any(|line| prompts.iter().any(|p| line.trim_start().starts_with(p)));
    let printed = lang.eq_ignore_ascii_case("console") && !prompted && !starts_with_a_command(&code);
    let (run, lang_is_shell) = match (own.is_none(), printed) {
        (true, true) => {
            command.lang = "text".into();
            (run, false)
        }
        (shell, _) => (run, shell),
    };
    command.example_output = example.filter(|e| !e.trim().is_empty());
    let mut run = run.replace("{{", "{{{{");
    if lang_is_shell {
        run = take_alert_assignments(&run, &mut command.vars);
    }
    let assigned = if lang_is_shell { assignments(&run) } else { Vec::new() };
    if lang_is_shell {
        command.sets = assigned
            .iter()
            .filter(|(_, set)| set.contains("$(") || set.contains('`'))
            .map(|(n, _)| n.clone())
            .collect();
    }
    run = angle_placeholders(&run, &mut command.vars);
    if lang_is_shell {
        let local: Vec<&str> = assigned.iter().map(|(name, _)| name.as_str()).collect();
        run = dollar_placeholders(&run, &local, earlier, &mut command.vars, &mut command.problems);
        run = open_quotes(&run);
        run = unplaceable(&run, &mut command.vars, &mut command.problems);
        command.interactive = interactive(&run);
    }
    // Copied only, it is still said what it would do.
    command.danger = danger(&run);
    command.run = run;
    command
}

/// Programs a runbook's command starts with, to tell a `console` block
/// without prompts that holds commands from one that holds output.
const PROGRAMS: &[&str] = &[
    "kubectl",
    "oc",
    "curl",
    "wget",
    "cat",
    "grep",
    "ls",
    "df",
    "du",
    "systemctl",
    "journalctl",
    "sudo",
    "ssh",
    "helm",
    "etcdctl",
    "promtool",
    "amtool",
    "dig",
    "nslookup",
    "ping",
    "ip",
    "ss",
    "docker",
    "crictl",
    "podman",
    "awk",
    "sed",
    "find",
    "echo",
    "export",
    "for",
    "while",
    "if",
    "watch",
    "openssl",
    "jq",
    "chroot",
    "mount",
    "lsblk",
    "top",
    "ps",
];

fn starts_with_a_command(code: &str) -> bool {
    let first = code.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or_default();
    first.split_whitespace().next().is_some_and(|word| PROGRAMS.contains(&word))
}

/// Commands (after `$ `, with their continuation lines) and the output
/// lines between them; a block with no prompt is all command.
fn split_prompts(code: &str, prompts: &[&str]) -> (String, Option<String>) {
    fn prompted<'l>(line: &'l str, prompts: &[&str]) -> Option<&'l str> {
        prompts.iter().find_map(|p| line.trim_start().strip_prefix(p))
    }
    if !code.lines().any(|line| prompted(line, prompts).is_some()) {
        return (code.trim_end().to_owned(), None);
    }
    let (mut commands, mut output) = (Vec::new(), Vec::new());
    let mut continued = false;
    for line in code.lines() {
        let trimmed = line.trim_start();
        if let Some(command) = prompted(line, prompts) {
            commands.push(command.to_owned());
            continued = command.trim_end().ends_with('\\');
        } else if continued {
            commands.push(line.to_owned());
            continued = line.trim_end().ends_with('\\');
        } else if !trimmed.is_empty() {
            output.push(line.to_owned());
        }
    }
    (commands.join("\n"), (!output.is_empty()).then(|| output.join("\n")))
}

/// The variables a shell command sets: `X=…`, `export X=…`, `for X in`,
/// `read X`, with what each is set to.
fn assignments(run: &str) -> Vec<(String, String)> {
    let mut set = Vec::new();
    for line in run.lines() {
        for part in line.split([';', '|', '&']) {
            let words: Vec<&str> = part.split_whitespace().collect();
            let words = match words.first() {
                Some(&"export" | &"local" | &"declare" | &"readonly") => &words[1..],
                _ => &words[..],
            };
            if let [first, ..] = words
                && let Some((name, value)) = first.split_once('=')
                && is_variable(name)
            {
                set.push((name.to_owned(), format!("{value} {}", words[1..].join(" ")).trim().to_owned()));
            }
            if let ["for" | "read", name, ..] = words
                && is_variable(name)
            {
                set.push(((*name).to_owned(), String::new()));
            }
        }
    }
    set
}

fn is_variable(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `NODE_NAME='<value of instance label from alert>'` lines: the value is
/// the one the alert gives, so the variable is a placeholder; the line goes.
fn take_alert_assignments(run: &str, vars: &mut BTreeMap<String, String>) -> String {
    let mut kept = Vec::new();
    for line in run.lines() {
        let trimmed = line.trim();
        let assignment = trimmed.strip_prefix("export ").unwrap_or(trimmed).split_once('=');
        if let Some((name, value)) = assignment
            && is_variable(name)
            && let Some(inner) = value.trim_matches(['\'', '"']).strip_prefix('<').and_then(|v| v.strip_suffix('>'))
        {
            vars.insert(name.to_ascii_lowercase(), describe(inner));
            continue;
        }
        kept.push(line);
    }
    kept.join("\n").trim_matches('\n').to_owned()
}

/// `<namespace>`, `<pod name>`, `<value of instance label from alert>`.
fn angle_placeholders(run: &str, vars: &mut BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(run.len());
    let mut rest = run;
    while let Some(start) = rest.find('<') {
        let candidate = rest[start + 1..].find('>').map(|end| &rest[start + 1..start + 1 + end]);
        if let Some((inner, name)) = candidate.and_then(|inner| placeholder_name(inner).map(|name| (inner, name))) {
            out.push_str(&rest[..start]);
            out.push_str(&placeholder(&name));
            vars.entry(name).or_insert_with(|| describe(inner));
            rest = &rest[start + inner.len() + 2..];
        } else {
            out.push_str(&rest[..=start]);
            rest = &rest[start + 1..];
        }
    }
    out.push_str(rest);
    out
}

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
fn dollar_placeholders(
    run: &str,
    local: &[&str],
    earlier: &BTreeMap<String, String>,
    vars: &mut BTreeMap<String, String>,
    problems: &mut Vec<String>,
) -> String {
    let mut out = String::with_capacity(run.len());
    let mut chars = run.char_indices().peekable();
    let mut in_single = false;
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            in_single = !in_single;
        }
        if c != '$' || in_single {
            out.push(c);
            continue;
        }
        let rest = &run[i + 1..];
        let (name, len) = if let Some(braced) = rest.strip_prefix('{') {
            match braced.find('}') {
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
        out.push_str(&placeholder(&lower));
        for _ in 0..len {
            chars.next();
        }
    }
    out
}

/// Quotes around a placeholder opened, so its value is quoted alone:
/// `"{{ns}}"` → `{{ns}}`, `"node/{{node}}"` → `node/{{node}}` (nothing
/// there needs quotes), `"app = {{app}}"` → `"app = "{{app}}`.
fn open_quotes(run: &str) -> String {
    let mut out = String::with_capacity(run.len());
    let mut rest = run;
    while let Some(at) = rest.find(['"', '\'']) {
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
fn unplaceable(run: &str, vars: &mut BTreeMap<String, String>, problems: &mut Vec<String>) -> String {
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
        run = run.replace(&placeholder(&name), &format!("${variable}"));
        vars.remove(&name);
        problems.push(format!(
            "`{{{{{name}}}}}` cannot be filled where it stands ({why}): kept as `${variable}`, to set before running"
        ));
    }
    run
}

/// What running it risks: what deletes, drains, forces or debugs a node is
/// destructive; what patches, scales, cordons or edits is caution.
fn danger(run: &str) -> Danger {
    let words: Vec<&str> = run.split_whitespace().collect();
    let has = |word: &str| words.contains(&word);
    if crate::danger::looks_destructive(run).is_some()
        || ["delete", "drain", "--force", "reboot", "shutdown"].iter().any(|w| has(w))
        || run.contains("rm -rf")
        || run.contains("debug node")
    {
        Danger::Destructive
    } else if [
        "patch", "scale", "cordon", "uncordon", "edit", "apply", "replace", "annotate", "label", "restart", "rollout",
        "adm",
    ]
    .iter()
    .any(|w| has(w))
    {
        Danger::Caution
    } else {
        Danger::Safe
    }
}

/// Whether it takes over the terminal: a debug shell on a node, `rsh`,
/// `exec -it`.
fn interactive(run: &str) -> bool {
    let first = run.lines().find(|l| !l.trim_start().starts_with('#')).unwrap_or_default();
    let words: Vec<&str> = first.split_whitespace().collect();
    let tool = matches!(words.first(), Some(&"oc" | &"kubectl"));
    // `edit` opens an editor on the object.
    let takes_terminal =
        words.contains(&"rsh") || words.contains(&"edit") || (words.contains(&"debug") && !first.contains(" -- "));
    tool && (takes_terminal || words.iter().any(|w| *w == "-it" || *w == "-ti"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(lang: &str, code: &str) -> Command {
        convert(lang, code, &BTreeMap::new())
    }

    #[test]
    fn prompts_are_stripped_and_the_lines_after_them_are_the_example_output() {
        assert_eq!(converted("console", "$ etcdctl defrag\n").lang, "bash");
        let root = converted("console", "# systemctl reboot\n");
        assert_eq!((root.run.as_str(), root.danger), ("systemctl reboot", Danger::Destructive));
        assert_eq!(converted("console", "kubectl delete pod -l app=x\n").danger, Danger::Destructive);
        let command = converted("console", "$ kubectl get pods\nNAME   READY\napi    1/1\n");
        assert_eq!(command.run, "kubectl get pods");
        assert_eq!(command.example_output.as_deref(), Some("NAME   READY\napi    1/1"));
        assert_eq!(converted("console", "NAME READY\n").lang, "text", "output alone is text");
    }

    #[test]
    fn alert_values_angle_brackets_and_variables_become_declared_placeholders() {
        let command = converted(
            "shell",
            "$ NODE_NAME='<value of instance label from alert>'\n$ oc debug \"node/$NODE_NAME\"\n$ oc get pods -n <namespace> -l \"app=$APP\"\n",
        );
        assert_eq!(command.run, "oc debug node/{{node_name}}\noc get pods -n {{namespace}} -l app={{app}}");
        assert_eq!(open_quotes("echo \"app = {{app}}!\""), "echo \"app = \"{{app}}\"!\"");
        let names: Vec<&str> = command.vars.keys().map(String::as_str).collect();
        assert_eq!(names, ["app", "namespace", "node_name"]);
        assert_eq!(command.vars["node_name"], "Value of instance label from alert");
        assert!(command.interactive && command.danger == Danger::Destructive);
    }

    #[test]
    fn what_the_block_sets_stays_a_variable_and_what_an_earlier_one_set_is_said() {
        let mut earlier = BTreeMap::new();
        earlier.insert("POD".to_owned(), "$(oc get pods -o name | head -1)".to_owned());
        let command = convert("bash", "for n in $NODES; do echo $n; done\noc logs $POD", &earlier);
        assert_eq!(command.run, "for n in {{nodes}}; do echo $n; done\noc logs {{pod}}");
        assert_eq!(command.problems.len(), 1);
        assert_eq!(converted("bash", "export POD=$(oc get pods -o name)").sets, ["POD"]);
    }

    #[test]
    fn a_go_template_keeps_its_braces_and_a_query_its_quotes() {
        let command = converted("bash", "oc get pods -o go-template='{{range .items}}{{.metadata.name}}{{end}}'");
        assert!(command.run.starts_with("oc get pods -o go-template='{{{{range .items}}{{{{"), "{}", command.run);
        let query = converted("promql", "up{instance=\"<value of instance label from alert>\"} == 0");
        assert_eq!((query.lang.as_str(), query.run.as_str()), ("promql", "up{instance=\"{{instance}}\"} == 0"));
    }

    #[test]
    fn the_danger_of_a_command_is_judged_from_what_it_does() {
        assert_eq!(converted("sh", "oc get pods").danger, Danger::Safe);
        assert_eq!(converted("sh", "oc scale deploy/x --replicas=0").danger, Danger::Caution);
        assert_eq!(converted("sh", "oc delete pod x").danger, Danger::Destructive);
    }
}
