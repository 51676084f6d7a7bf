//! A runbook's code block as a step's command: `$ ` prompts stripped and
//! the lines after them kept as example output, `<namespace>` and
//! `$NAMESPACE` made declared placeholders (quotes around them opened, for
//! a shell quotes their values), `{{` escaped, and the danger of what it
//! does judged.

use std::collections::BTreeMap;

use super::placeholders::{angle_placeholders, dollar_placeholders, open_quotes, take_alert_assignments, unplaceable};
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
    /// Where it is run from, when a page says.
    pub place: Option<String>,
    /// Variables it sets that later blocks may use (`export X=$(…)`).
    pub sets: Vec<String>,
    /// What could not be carried over as it was.
    pub problems: Vec<String>,
}

/// The block's language as the catalog writes it; `None` for a shell.
fn own_lang(lang: &str) -> Option<String> {
    // Beside the catalog's shells, what runbooks call a shell session.
    let session = ["console", "shell-session", "shellsession", "zsh"].iter().any(|s| lang.eq_ignore_ascii_case(s));
    if lang.is_empty() || session || crate::catalog::is_shell_lang(lang) {
        return None;
    }
    match lang.to_ascii_lowercase().as_str() {
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
        place: None,
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
    if lang_is_shell && meant_for_another_shell(&run) {
        "text".clone_into(&mut command.lang);
        command.interactive = false;
        command.problems.push(
            "its commands after a debug shell or rsh are meant to be typed in it: the step is copied, never run".into(),
        );
    }
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
            // `while read …`, `do x=…`: what follows the keyword.
            let keywords =
                ["while", "until", "do", "then", "else", "if", "!", "export", "local", "declare", "readonly"];
            let start = words.iter().position(|w| !keywords.contains(w)).unwrap_or(words.len());
            let words = &words[start..];
            if let [first, ..] = words
                && let Some((name, value)) = first.split_once('=')
                && is_variable(name)
            {
                set.push((name.to_owned(), format!("{value} {}", words[1..].join(" ")).trim().to_owned()));
            }
            match words {
                ["for", name, ..] if is_variable(name) => set.push(((*name).to_owned(), String::new())),
                ["read", names @ ..] => set.extend(
                    names
                        .iter()
                        .filter(|n| !n.starts_with('-') && is_variable(n))
                        .map(|n| ((*n).to_owned(), String::new())),
                ),
                _ => {}
            }
        }
    }
    set
}

pub(super) fn is_variable(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
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
    run.lines().any(takes_the_terminal)
}

/// Whether a command line takes over the terminal: a debug shell, `rsh`,
/// `exec -it`, an editor (`edit`).
fn takes_the_terminal(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let tool = matches!(words.first(), Some(&"oc" | &"kubectl"));
    let takes =
        words.contains(&"rsh") || words.contains(&"edit") || (words.contains(&"debug") && !line.contains(" -- "));
    tool && (takes || words.iter().any(|w| *w == "-it" || *w == "-ti"))
}

/// Whether lines follow one that opens a shell elsewhere (`oc debug node`,
/// `rsh`): they are meant for that shell, and run here they would act on
/// this machine once it is left.
fn meant_for_another_shell(run: &str) -> bool {
    let lines: Vec<&str> = run.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    lines.iter().position(|line| takes_the_terminal(line)).is_some_and(|at| at + 1 < lines.len())
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
        assert!(
            command.lang == "text" && command.danger == Danger::Destructive,
            "the lines after the debug shell are for it"
        );
    }

    #[test]
    fn what_the_block_sets_stays_a_variable_and_what_an_earlier_one_set_is_said() {
        let mut earlier = BTreeMap::new();
        earlier.insert("POD".to_owned(), "$(oc get pods -o name | head -1)".to_owned());
        let session = converted("shell", "oc debug node/<node>\nchroot /host\ncrictl rmi <image>");
        assert_eq!((session.lang.as_str(), session.interactive), ("text", false), "nothing of it runs here");
        let command = convert("bash", "for n in $NODES; do echo $n; done\noc logs $POD", &earlier);
        assert_eq!(command.run, "for n in {{nodes}}; do echo $n; done\noc logs {{pod}}");
        assert_eq!(command.problems.len(), 1);
        assert_eq!(converted("bash", "export POD=$(oc get pods -o name)").sets, ["POD"]);
    }

    #[test]
    fn a_go_template_keeps_its_braces_and_a_query_its_quotes() {
        let command = converted("bash", "oc get pods -o go-template='{{range .items}}{{.metadata.name}}{{end}}'");
        assert!(command.run.starts_with("oc get pods -o go-template='{{{{range .items}}{{{{"), "{}", command.run);
        assert_eq!(converted("promql", "up{<selector>}").run, "up{ {{selector}} }", "no triple brace");
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
