//! Shells a runbook opens elsewhere (`ssh HOST`, `sudo -i`, a debug shell,
//! a database client): which lines and blocks are meant for them, so they
//! are copied rather than run here, and when a page is back at the
//! workstation.

/// Whether it takes over the terminal: a debug shell on a node, `rsh`,
/// `exec -it`.
pub(super) fn interactive(run: &str) -> bool {
    run.lines().any(takes_the_terminal)
}

/// Whether a command line takes over the terminal: a session elsewhere,
/// an editor (`edit`), `exec -it`.
fn takes_the_terminal(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let tool = matches!(words.first(), Some(&"oc" | &"kubectl"));
    opens_a_session(line)
        || opens_a_client(line)
        || (tool && words.iter().any(|w| matches!(*w, "edit" | "-it" | "-ti")))
}

/// The lines of a command that do something: neither blank nor comments.
pub(super) fn command_lines(run: &str) -> impl Iterator<Item = &str> {
    run.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Whether a command line opens a shell elsewhere, which the lines after
/// it are typed into: a debug shell, `rsh`, `exec -it POD -- bash`, `ssh
/// HOST` or `gcloud compute ssh` with no command, `sudo -i`, `su -`, `aws
/// ssm start-session`, a database client with no query.
fn opens_a_session(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    // `KUBECONFIG=x kubectl …`: the program is after the assignments.
    let start =
        words.iter().position(|w| !w.split_once('=').is_some_and(|(name, _)| super::command::is_variable(name)));
    let words = &words[start.unwrap_or(words.len())..];
    let after_dashes = words.iter().position(|w| *w == "--").map(|at| &words[at + 1..]);
    // `-it`, `-ti`, `-i -t`, `--stdin --tty`.
    let tty = || {
        let shorts: String = words.iter().filter(|w| w.starts_with('-') && !w.starts_with("--")).copied().collect();
        words.contains(&"--tty") || (shorts.contains('t') && shorts.contains('i'))
    };
    match words {
        ["oc" | "kubectl", rest @ ..] => {
            if rest.contains(&"rsh") || (rest.contains(&"debug") && after_dashes.is_none_or(starts_a_shell)) {
                return true;
            }
            let exec = rest.iter().any(|w| matches!(*w, "exec" | "run" | "attach"));
            exec && tty() && after_dashes.is_none_or(starts_a_shell)
        }
        ["docker" | "podman" | "crictl" | "nerdctl", rest @ ..] => {
            let exec = rest.iter().any(|w| matches!(*w, "exec" | "run" | "attach"));
            // `docker exec -it api sh`: the command follows the container.
            exec && tty() && starts_a_shell(&rest[rest.len().saturating_sub(1)..])
        }
        ["ssh", rest @ ..] => {
            let command = ssh_command(rest);
            command.is_empty() || opens_a_session(&command.join(" "))
        }
        ["gcloud", "compute", "ssh", rest @ ..] => !rest.iter().any(|w| w.starts_with("--command")),
        ["aws", "ssm", "start-session", ..] => true,
        ["sudo", rest @ ..] => {
            // Its options (`-iu postgres`: a value after a cluster ending in
            // u), then the command it runs, if any.
            let (mut at, mut login) = (0, false);
            while let Some(option) = rest.get(at).filter(|w| w.starts_with('-')) {
                let short = !option.starts_with("--");
                login |= short && (option.contains('i') || option.contains('s'));
                at += if short && option.ends_with(['u', 'g', 'h', 'p', 'C', 'U']) { 2 } else { 1 };
            }
            let command = rest.get(at..).unwrap_or_default();
            match command.first() {
                None => login,
                Some(&"su") => !command.contains(&"-c"),
                Some(_) => opens_a_session(&command.join(" ")),
            }
        }
        ["su", rest @ ..] => !rest.contains(&"-c"),
        _ => false,
    }
}

/// Whether a command line starts a database client's prompt (`psql`,
/// `redis-cli -h cache`): the lines after it in its block are its queries.
/// The next block is not: a page goes on with what is typed here.
fn opens_a_client(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.first().is_some_and(|program| CLIENTS.contains(program)) && starts_a_shell(&words)
}

/// Database clients, which read their queries when given none.
const CLIENTS: &[&str] = &["psql", "mysql", "mongo", "mongosh", "redis-cli", "sqlite3", "cqlsh", "clickhouse-client"];

/// Whether a command (what follows `--`) is a shell or a client's prompt
/// rather than one command run and done.
fn starts_a_shell(command: &[&str]) -> bool {
    let program = command.first().map(|p| p.rsplit('/').next().unwrap_or(p));
    let one_shot = |flags: &[&str]| command.iter().any(|w| flags.iter().any(|f| w.starts_with(f)));
    // The words that are no option nor an option's value.
    let positional = || {
        let mut count = 0;
        let mut value_next = false;
        for word in &command[1..] {
            if std::mem::take(&mut value_next) {
                continue;
            }
            if word.starts_with('-') {
                value_next = word.len() == 2;
            } else {
                count += 1;
            }
        }
        count
    };
    match program {
        None => true,
        Some("sh" | "bash" | "ash" | "dash" | "zsh" | "chroot") => !one_shot(&["-c"]) || command.len() <= 2,
        Some("psql" | "mysql" | "mongo" | "mongosh" | "sqlite3" | "cqlsh") => {
            // `-Atc "SELECT 1"`: a query in a cluster of short options too.
            let clustered = command.iter().any(|w| {
                w.starts_with('-') && !w.starts_with("--") && (w.ends_with('c') || w.ends_with('e') || w.ends_with('f'))
            });
            !clustered && !one_shot(&["--command", "--eval", "--file"]) && !command.iter().any(|w| w.contains('<'))
        }
        // `redis-cli -h cache`: no command, its prompt.
        Some("redis-cli") => positional() == 0,
        Some(_) => command.len() == 1,
    }
}

/// The remote command of `ssh [OPTIONS] HOST [COMMAND…]` (options may
/// follow the host too).
fn ssh_command<'w>(args: &'w [&'w str]) -> &'w [&'w str] {
    // The options that take a value.
    const VALUED: &str = "BbcDEeFIiJLlmOoPpRSWw";
    let skip_options = |mut at: usize| {
        while let Some(arg) = args.get(at).filter(|a| a.starts_with('-')) {
            let takes_value = arg.len() == 2 && arg[1..].chars().all(|c| VALUED.contains(c));
            at += if takes_value { 2 } else { 1 };
        }
        at
    };
    let host = skip_options(0);
    args.get(skip_options(host + 1)..).unwrap_or_default()
}

/// Whether a line leaves the shell a session opened: `exit`, `logout`.
fn leaves_a_session(line: &str) -> bool {
    matches!(line.split_whitespace().next(), Some("exit" | "logout"))
}

/// Follows the shells a command opens elsewhere (`ssh HOST`, then `sudo
/// -i`) and leaves (`exit`): `open` is what the next blocks are typed into.
pub(super) fn track_sessions(run: &str, open: &mut Vec<String>) {
    for line in command_lines(run) {
        if leaves_a_session(line) {
            open.pop();
        } else if opens_a_session(line) {
            open.push(line.to_owned());
        }
    }
}

/// Whether lines follow one that opens a shell elsewhere (`oc debug node`,
/// `ssh HOST`): they are meant for that shell, and run here they would act
/// on this machine once it is left.
pub(super) fn meant_for_another_shell(run: &str) -> bool {
    let lines: Vec<&str> = command_lines(run).collect();
    let opens = |line: &&str| opens_a_session(line) || opens_a_client(line);
    lines.iter().position(opens).is_some_and(|at| at + 1 < lines.len())
}

/// Whether a step's introduction says it is run here again ("from your
/// laptop", "back on your workstation", "locally").
pub(super) fn says_it_is_back(intro: &str) -> bool {
    // Whole words: "when the job exited" says nothing of where it runs.
    let words: Vec<String> =
        intro.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let words = format!(" {} ", words.join(" "));
    [" laptop ", " workstation ", " locally ", " your machine ", " local machine ", " exit ", " log out "]
        .iter()
        .any(|phrase| words.contains(phrase))
}

/// Whether a command's first line is a workstation's tool (a cluster's or
/// a cloud's client, an infrastructure tool), not one of the node or pod a
/// shell was opened in.
pub(super) fn starts_at_the_workstation(run: &str) -> bool {
    const TOOLS: &[&str] =
        &["kubectl", "oc", "helm", "aws", "gcloud", "az", "terraform", "argocd", "flux", "kubectx", "kubens", "vault"];
    let first = command_lines(run).next().unwrap_or_default();
    first.split_whitespace().next().is_some_and(|program| TOOLS.contains(&program))
}

/// A command line as a person types it: `{{name}}` as `<name>`.
pub(super) fn as_typed(line: &str) -> String {
    line.replace("{{{{", "\u{0}").replace("{{", "<").replace("}}", ">").replace('\u{0}', "{{")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lines_after_a_session_opened_elsewhere_are_meant_for_it() {
        for (code, elsewhere) in [
            ("kubectl exec -it redis-0 -- redis-cli INFO memory\nkubectl get pods", false),
            ("kubectl exec -it redis-0 -- redis-cli\nINFO memory", true),
            ("kubectl exec -it db-0 -- psql -U app\nSELECT 1;", true),
            ("kubectl exec -it db-0 -- psql -U app -c 'SELECT 1'\nkubectl get pods", false),
            ("kubectl exec -it api-0 -- /bin/sh\nls /data", true),
            ("ssh -i key.pem admin@db-1\ndf -h", true),
            ("ssh admin@db-1 df -h\nkubectl get pods", false),
            ("gcloud compute ssh node-1 --zone z\nsudo journalctl -u kubelet", true),
            ("gcloud compute ssh node-1 --command 'uptime'\nkubectl get nodes", false),
            ("sudo -i\nsystemctl restart kubelet", true),
            ("kubectl exec -i -t p -- sh\nls", true),
            ("kubectl debug node/n -it --image=x -- chroot /host\nls", true),
            ("ssh db-1 -i key.pem\ndf -h", true),
            ("ssh -t bastion sudo -i\nls", true),
            ("su - postgres\npsql", true),
            ("sudo -iu postgres\npsql", true),
            ("sudo -u postgres psql -c 'SELECT 1'\nls", false),
            ("docker exec -it api sh\nls", true),
            ("aws ssm start-session --target i-0abc\nls", true),
            ("KUBECONFIG=x kubectl exec -it p -- bash\nls", true),
            ("kubectl exec -it r -- redis-cli -h cache\nINFO memory", true),
            ("kubectl exec -it r -- redis-cli -h cache INFO memory\nls", false),
        ] {
            assert_eq!(meant_for_another_shell(code), elsewhere, "{code}");
        }
    }
}
