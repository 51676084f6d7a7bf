//! A runbook's code block as a step's command: `$ ` prompts stripped and
//! the lines after them kept as example output, `<namespace>` and
//! `$NAMESPACE` made declared placeholders (quotes around them opened, for
//! a shell quotes their values), `{{` escaped, and the danger of what it
//! does judged.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::placeholders::{angle_placeholders, dollar_placeholders, open_quotes, take_alert_assignments, unplaceable};
use super::session;
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
    // In a console block, a bare `# ` is root's prompt.
    let console = lang.eq_ignore_ascii_case("console");
    let prompt: &Regex = if console { &CONSOLE_PROMPT } else { &PROMPT };
    let prompted = code.lines().any(|line| prompt.is_match(line));
    let (run, example) = match (&own, prompted) {
        (Some(_), _) => (code.trim_end().to_owned(), None),
        (None, true) => split_prompts(&code, prompt),
        (None, false) => split_table(&code),
    };
    // A console block with no prompt is what something printed, unless it
    // starts with a command; a block that names no language and does not
    // start like a command is a file's text (a Corefile, YAML, JSON).
    let printed =
        (console && !prompted && !starts_with_a_command(&code)) || (lang.is_empty() && !looks_like_a_command(&run));
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
        command.interactive = session::interactive(&run);
    }
    // Copied only, it is still said what it would do.
    command.danger = danger(&run);
    if lang_is_shell && session::meant_for_another_shell(&run) {
        "text".clone_into(&mut command.lang);
        command.interactive = false;
        command.problems.push(
            "its commands after one that opens a shell elsewhere (a debug shell, rsh, ssh, sudo -i) are meant to be typed there: the step is copied, never run".into(),
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

/// Whether a command's first word could name a program: `.:53 {`,
/// `apiVersion: v1` and `{` cannot.
fn looks_like_a_command(run: &str) -> bool {
    let first = session::command_lines(run).next().unwrap_or_default();
    let word = first.split_whitespace().next().unwrap_or_default();
    let program = word.chars().all(|c| c.is_ascii_alphanumeric() || "_./~+-$=[(!".contains(c));
    !word.is_empty() && program && !word.ends_with(':') && !word.starts_with(['.', '-']) || word.starts_with("./")
}

fn starts_with_a_command(code: &str) -> bool {
    let first = session::command_lines(code).next().unwrap_or_default();
    first.split_whitespace().next().is_some_and(|word| PROGRAMS.contains(&word))
}

/// A shell's prompt before a command: `$ `, `user@host:~$ `,
/// `[root@host ~]# `, `sh-4.4# `, `bash-5.1$ `.
static PROMPT: LazyLock<Regex> = LazyLock::new(|| prompt(""));
/// In a console block, root's bare `# ` too.
static CONSOLE_PROMPT: LazyLock<Regex> = LazyLock::new(|| prompt("|#"));

fn prompt(more: &str) -> Regex {
    let prompts = r"[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s?[$#]|\[[^\]\n]+\][$#]|(?:ba|z)?sh-\d+(?:\.\d+)*[$#]|\$";
    Regex::new(&format!(r"^\s*(?:{prompts}{more})(?:\s|$)")).unwrap_or_else(|_| unreachable!("a fixed pattern"))
}

/// A here-document's terminator: `cat <<EOF`, `<<-'END'` (a here-string,
/// `<<< word`, is none).
static HEREDOC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[^<])<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?"#)
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});

/// Commands (after their prompts, with their continuation lines, a
/// here-document's body and the shell's `> ` for an unfinished line) and
/// the output lines between them.
fn split_prompts(code: &str, prompt: &Regex) -> (String, Option<String>) {
    let (mut commands, mut output) = (Vec::new(), Vec::new());
    // What the last command still reads: its next line, or a
    // here-document up to its terminator.
    let mut continued = false;
    let mut heredoc: Option<String> = None;
    let mut last_was_command = false;
    for line in code.lines() {
        if let Some(end) = &heredoc {
            if line.trim() == end {
                heredoc = None;
            }
            commands.push(line.to_owned());
            continue;
        }
        let command = match prompt.find(line) {
            Some(found) => Some(&line[found.end()..]),
            None if continued => Some(line),
            // A comment is the command's, not what it printed.
            None if line.trim_start().starts_with('#') => Some(line),
            None if last_was_command => line.strip_prefix("> "),
            None => None,
        };
        last_was_command = command.is_some();
        match command {
            Some(command) => {
                commands.push(command.to_owned());
                continued = command.trim_end().ends_with('\\');
                heredoc = HEREDOC.captures(command).map(|c| c[1].to_owned());
            }
            None if !line.trim().is_empty() => output.push(line.to_owned()),
            None => {}
        }
    }
    (commands.join("\n"), (!output.is_empty()).then(|| output.join("\n")))
}

/// A block with no prompt whose command is followed by what it printed:
/// from a table's header on (`NAME   READY   STATUS`), the output.
fn split_table(code: &str) -> (String, Option<String>) {
    let lines: Vec<&str> = code.trim_end().lines().collect();
    let header = lines.iter().position(|line| is_table_header(line)).filter(|at| *at > 0);
    match header {
        Some(at) if !lines[at - 1].trim().is_empty() && !lines[at - 1].trim_end().ends_with('\\') => {
            (lines[..at].join("\n"), Some(lines[at..].join("\n")))
        }
        _ => (code.trim_end().to_owned(), None),
    }
}

/// `NAME   READY   STATUS   RESTARTS`: two or more upper-case words, apart
/// by two spaces or a tab, as kubectl, oc, docker and ps print them.
fn is_table_header(line: &str) -> bool {
    let columns: Vec<&str> =
        line.trim().split("  ").flat_map(|c| c.split('\t')).filter(|c| !c.trim().is_empty()).collect();
    let upper = |column: &str| {
        column.trim().chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || " _-()%/".contains(c))
            && column.chars().filter(char::is_ascii_uppercase).count() >= 2
    };
    columns.len() >= 2 && columns.iter().all(|c| upper(c))
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
    // Databases' and caches' own words for losing data, in either case.
    let upper = run.to_ascii_uppercase();
    let data_loss = ["DROP TABLE", "DROP DATABASE", "TRUNCATE ", "FLUSHALL", "FLUSHDB", " UNLINK", " DEL "]
        .iter()
        .any(|w| upper.contains(w))
        || ["pg_drop_replication_slot", "pg_terminate_backend"].iter().any(|w| run.contains(w));
    if crate::danger::looks_destructive(run).is_some()
        || ["delete", "drain", "--force", "reboot", "shutdown"].iter().any(|w| has(w))
        || run.contains("rm -rf")
        || run.contains("debug node")
        || data_loss
    {
        Danger::Destructive
    } else if [
        "patch", "scale", "cordon", "uncordon", "edit", "apply", "replace", "annotate", "label", "restart", "rollout",
        "adm", "rollback", "upgrade", "sync",
    ]
    .iter()
    .any(|w| has(w))
        || words.iter().any(|w| w.starts_with("modify-") || w.starts_with("update-") || w.starts_with("put-"))
        || run.contains("sysctl -w")
    {
        Danger::Caution
    } else {
        Danger::Safe
    }
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
    fn prompts_of_every_shell_a_here_document_and_a_printed_table_are_told_apart() {
        for prompt in ["$ ", "user@bastion:~$ ", "[root@db-1 ~]# ", "sh-4.4# ", "bash-5.1$ "] {
            let command = converted("shell", &format!("{prompt}df -h /var\nFilesystem  Size\n/dev/sda1   20G\n"));
            assert_eq!(command.run, "df -h /var", "{prompt:?}");
            assert_eq!(command.example_output.as_deref(), Some("Filesystem  Size\n/dev/sda1   20G"), "{prompt:?}");
        }
        let heredoc =
            converted("console", "$ cat <<'EOF' > /tmp/x.yaml\nkind: Pod\nEOF\n$ wc -l /tmp/x.yaml\n2 /tmp/x.yaml\n");
        assert_eq!(heredoc.run, "cat <<'EOF' > /tmp/x.yaml\nkind: Pod\nEOF\nwc -l /tmp/x.yaml");
        assert_eq!(heredoc.example_output.as_deref(), Some("2 /tmp/x.yaml"));
        let commented = converted("bash", "# the pods first\n$ oc get pods\nNAME\n# then the logs\n$ oc logs x\n");
        assert_eq!(commented.run, "# the pods first\noc get pods\n# then the logs\noc logs x");
        let unfinished = converted("console", "$ echo 'a\n> b'\na\nb\n");
        assert_eq!((unfinished.run.as_str(), unfinished.example_output.as_deref()), ("echo 'a\nb'", Some("a\nb")));
        let table =
            converted("bash", "kubectl get pods -n shop\nNAME    READY   STATUS\napi-1   0/1     CrashLoopBackOff\n");
        assert_eq!(table.run, "kubectl get pods -n shop");
        assert_eq!(table.example_output.as_deref(), Some("NAME    READY   STATUS\napi-1   0/1     CrashLoopBackOff"));
        let kept = converted("bash", "echo \"NAME  READY\"\nexport X=1\n");
        assert_eq!((kept.run.as_str(), kept.example_output), ("echo \"NAME  READY\"\nexport X=1", None));
        assert_eq!(converted("bash", "$HOME/bin/tool --check\n").run, "$HOME/bin/tool --check", "no prompt");
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
    fn redirections_here_strings_comments_and_substitutions_are_read_as_a_shell_reads_them() {
        let heredoc = converted("bash", "cat <<EOF > /tmp/fix.sh\nrm -rf /var/cache/app\nEOF\nsort <in.txt >out");
        assert_eq!(
            heredoc.run, "cat <<EOF > /tmp/fix.sh\nrm -rf /var/cache/app\nEOF\nsort <in.txt >out",
            "no placeholder"
        );
        let comment = converted("bash", "# don't touch prod\nkubectl delete pods --all -n $NS");
        assert_eq!(comment.run, "# don't touch prod\nkubectl delete pods --all -n {{ns}}");
        let awk = converted("bash", "N=\"$(kubectl get no | awk '{print $NF}')\"\necho $N $NODE");
        assert!(awk.run.contains("'{print $NF}'") && awk.run.contains("{{node}}"), "{}", awk.run);
        let here_string = converted("console", "$ tr a-z A-Z <<< hello\nHELLO\n$ date\nMon\n");
        assert_eq!(
            (here_string.run.as_str(), here_string.example_output.as_deref()),
            ("tr a-z A-Z <<< hello\ndate", Some("HELLO\nMon"))
        );
    }

    #[test]
    fn an_apostrophe_inside_double_quotes_opens_no_quote_and_an_escaped_dollar_stays() {
        assert_eq!(converted("bash", "echo \"it's $NS now\"").run, "echo \"it's \"{{ns}}\" now\"");
        assert_eq!(converted("bash", "echo 'it is $NS' \\$HOME2 $NS").run, "echo 'it is $NS' \\$HOME2 {{ns}}");
    }

    #[test]
    fn a_block_naming_no_language_that_does_not_start_like_a_command_is_copied() {
        for text in [".:53 {\n    errors\n}", "apiVersion: v1\nkind: Pod", "{\"a\": 1}"] {
            assert_eq!(converted("", text).lang, "text", "{text}");
        }
        for command in ["kubectl get pods", "./fix.sh", "for n in a b; do echo $n; done", "[ -f x ] && ls"] {
            assert_eq!(converted("", command).lang, "bash", "{command}");
        }
    }

    #[test]
    fn the_danger_of_a_command_is_judged_from_what_it_does() {
        assert_eq!(converted("sh", "oc get pods").danger, Danger::Safe);
        assert_eq!(converted("sh", "oc scale deploy/x --replicas=0").danger, Danger::Caution);
        assert_eq!(converted("sh", "oc delete pod x").danger, Danger::Destructive);
        assert_eq!(converted("sql", "SELECT pg_drop_replication_slot('x');").danger, Danger::Destructive);
        assert_eq!(
            converted("sh", "redis-cli --scan --pattern 's:*' | xargs redis-cli UNLINK").danger,
            Danger::Destructive
        );
        assert_eq!(converted("sh", "helm rollback api 3").danger, Danger::Caution);
        assert_eq!(converted("sh", "aws ec2 modify-volume --volume-id v --size 2").danger, Danger::Caution);
    }
}
