//! Where a final command will act, for the confirmation dialog: so that
//! "drain a staging node" reads differently from "drain a production node".
//!
//! From the command's text and an environment lookup: the Kubernetes
//! context and namespace of each `kubectl` or `helm` in it (and where each
//! came from), the hosts it reaches over `ssh`, the programs it runs and
//! which of them are not on `PATH`, and the variables it reads that are not
//! set. Reading the command is pure (`shell`); the only I/O is reading
//! kubeconfig files and looking in `PATH` directories. Nothing here fails:
//! what cannot be told is unknown, with the reason.
//!
//! `reading` walks the command (`shell` splits it), `kube` settles where each
//! `kubectl` and `helm` acts, `missing` looks in `PATH` and the environment.

mod kube;
mod missing;
mod reading;
mod shell;

use std::ffi::OsString;
use std::fmt;
use std::path::Path;

pub use kube::ALL_NAMESPACES;

/// One fact about where a command acts: its value, or `None` when it
/// cannot be told, and where it came from (or why it cannot be told).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// `prod-eu`, `shop`; `None` when only the run can tell.
    pub value: Option<String>,
    /// `--context`, `current-context of ~/.kube/config`, or why it is unknown.
    pub from: String,
}

impl Fact {
    fn unknown(why: impl Into<String>) -> Fact {
        Fact { value: None, from: why.into() }
    }
}

/// The cluster and namespace a `kubectl` or `helm` invocation acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kube {
    /// The kubeconfig context, which names the cluster and the user.
    pub context: Fact,
    /// [`ALL_NAMESPACES`] for `-A`.
    pub namespace: Fact,
}

/// What an environment variable is for a program about to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seen {
    /// Set, and by what (`KUBECONFIG` or `KUBECONFIG=… in the command`).
    Set {
        value: String,
        from: String,
    },
    Unset,
    /// Known only when it runs, and why.
    Unknown(String),
}

/// Where a command will act, and what it needs that is not there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Whereabouts {
    /// One per distinct target of its `kubectl` and `helm` invocations.
    pub kube: Vec<Kube>,
    /// `ssh` destinations as written (`user@host` kept).
    pub ssh_hosts: Vec<String>,
    /// The programs it runs, wrappers (`sudo`, `env`…) included, in order.
    pub programs: Vec<String>,
    /// Those of [`Whereabouts::programs`] that are neither shell builtins
    /// nor functions it defines, and not found on `PATH`.
    pub missing_programs: Vec<String>,
    /// The variables it reads (`$X`, `${X}`, outside single quotes) that it
    /// does not set itself before.
    pub vars_read: Vec<String>,
    /// Those of [`Whereabouts::vars_read`] unset or empty in the environment.
    pub unset_vars: Vec<String>,
}

/// Where `command` will act, with `env` as its environment (normally
/// `std::env::var_os`).
pub fn whereabouts(command: &str, env: &dyn Fn(&str) -> Option<OsString>) -> Whereabouts {
    let env = |name: &str| env(name).map(|value| value.to_string_lossy().into_owned());
    let reading = reading::read(command, &env);
    let home = env("HOME").filter(|home| !home.is_empty());
    let shown = |path: &Path| match home.as_deref().and_then(|home| path.strip_prefix(home).ok()) {
        Some(rest) => Path::new("~").join(rest).display().to_string(),
        None => path.display().to_string(),
    };
    let mut kubeconfigs = kube::Kubeconfigs::default();
    let mut kube = Vec::new();
    for request in &reading.kube {
        let target = kubeconfigs.resolve(request, &shown);
        if !kube.contains(&target) {
            kube.push(target);
        }
    }
    // With no PATH, sh searches a default one.
    let path = env("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
    let missing_programs = missing::programs(&reading.programs, &reading.functions, &path);
    let unset_vars = missing::vars(&reading.vars_read, &env);
    Whereabouts {
        kube,
        ssh_hosts: reading.ssh_hosts,
        programs: reading.programs,
        missing_programs,
        vars_read: reading.vars_read,
        unset_vars,
    }
}

impl fmt::Display for Whereabouts {
    /// One line for a status line: `⎈ prod-eu/shop  ssh node-3  not found:
    /// jq  unset: $NODE`; empty when there is nothing to say.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unknown = |fact: &Fact| fact.value.clone().unwrap_or_else(|| "?".into());
        let mut items: Vec<String> =
            self.kube.iter().map(|kube| format!("⎈ {}/{}", unknown(&kube.context), unknown(&kube.namespace))).collect();
        items.extend(self.ssh_hosts.iter().map(|host| format!("ssh {host}")));
        if !self.missing_programs.is_empty() {
            items.push(format!("not found: {}", self.missing_programs.join(", ")));
        }
        if !self.unset_vars.is_empty() {
            let vars: Vec<String> = self.unset_vars.iter().map(|name| format!("${name}")).collect();
            items.push(format!("unset: {}", vars.join(", ")));
        }
        f.write_str(&items.join("  "))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::os::unix::fs::PermissionsExt;
    use std::path::PathBuf;

    use super::*;

    /// A temporary home with a kubeconfig, and an environment pointing at it.
    struct TempHome {
        dir: tempfile::TempDir,
        vars: HashMap<String, String>,
    }

    impl TempHome {
        fn new() -> TempHome {
            let dir = tempfile::tempdir().unwrap();
            let bin = dir.path().join("bin");
            std::fs::create_dir(&bin).unwrap();
            for program in ["kubectl", "helm", "ssh", "sudo", "env", "timeout", "grep", "sh"] {
                let file = bin.join(program);
                std::fs::write(&file, "").unwrap();
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
            let vars = [("HOME", dir.path().display().to_string()), ("PATH", bin.display().to_string())];
            TempHome { dir, vars: vars.into_iter().map(|(k, v)| (k.to_owned(), v)).collect() }
        }

        fn file(&self, name: &str, text: &str) -> PathBuf {
            let path = self.dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        }

        fn set(mut self, name: &str, value: &str) -> TempHome {
            self.vars.insert(name.to_owned(), value.to_owned());
            self
        }

        fn of(&self, command: &str) -> Whereabouts {
            whereabouts(command, &|name| self.vars.get(name).map(OsString::from))
        }

        /// `(context, namespace)` of each kube target.
        fn kube(&self, command: &str) -> Vec<(Option<String>, Option<String>)> {
            self.of(command).kube.into_iter().map(|k| (k.context.value, k.namespace.value)).collect()
        }
    }

    fn config(current: &str, contexts: &[(&str, Option<&str>)]) -> String {
        let contexts = contexts.iter().map(|(name, namespace)| {
            let namespace = namespace.map(|namespace| format!("    namespace: {namespace}\n")).unwrap_or_default();
            format!("- name: {name}\n  context:\n    cluster: c\n{namespace}")
        });
        format!("apiVersion: v1\nkind: Config\ncurrent-context: {current}\ncontexts:\n{}", contexts.collect::<String>())
    }

    fn some(context: &str, namespace: &str) -> (Option<String>, Option<String>) {
        (Some(context.to_owned()), Some(namespace.to_owned()))
    }

    #[test]
    fn kubeconfig_named_by_kubeconfig_gives_its_current_context_and_namespace() {
        let home = TempHome::new();
        let first = home.file("k/first", "apiVersion: v1\nkind: Config\n");
        let second = home.file("k/second", &config("prod-eu", &[("prod-eu", Some("shop")), ("stage", None)]));
        let home = home.set("KUBECONFIG", &format!("{}:{}", first.display(), second.display()));
        let found = home.of("kubectl drain node-3");
        assert_eq!(
            found.kube,
            [Kube {
                context: Fact {
                    value: Some("prod-eu".into()),
                    from: "current-context of ~/k/second (KUBECONFIG)".into()
                },
                namespace: Fact { value: Some("shop".into()), from: "context prod-eu in ~/k/second".into() },
            }]
        );
        assert_eq!(found.to_string(), "⎈ prod-eu/shop");
        assert_eq!(home.kube("kubectl --context stage get pods"), [some("stage", "default")]);
    }

    #[test]
    fn the_default_kubeconfig_is_in_the_home_directory() {
        let home = TempHome::new();
        home.file(".kube/config", &config("home", &[("home", Some("ns"))]));
        let found = home.of("helm list");
        assert_eq!(found.kube[0].context.from, "current-context of ~/.kube/config");
        assert_eq!(found.to_string(), "⎈ home/ns");
    }

    #[test]
    fn flags_and_the_commands_own_assignments_override_the_environment() {
        let home = TempHome::new();
        home.file(".kube/config", &config("home", &[("home", Some("ns"))]));
        let other = home.file("other", &config("other", &[("other", Some("o")), ("x", Some("xs"))]));
        let other = other.display();
        assert_eq!(home.kube("kubectl -n kube-system --context=x get pods"), [some("x", "kube-system")]);
        assert_eq!(home.kube(&format!("kubectl --kubeconfig {other} get pods")), [some("other", "o")]);
        assert_eq!(home.kube(&format!("KUBECONFIG={other} kubectl get pods")), [some("other", "o")]);
        assert_eq!(home.kube(&format!("export KUBECONFIG={other}; sudo -E kubectl get pods")), [some("other", "o")]);
        assert_eq!(home.kube(&format!("env KUBECONFIG={other} kubectl get pods -A")), [some("other", ALL_NAMESPACES)]);
        assert_eq!(home.kube("helm status x --kube-context x -n web"), [some("x", "web")]);
        assert_eq!(home.kube("kubectl config use-context x && kubectl get pods"), [(Some("x".into()), None)]);
    }

    #[test]
    fn every_invocation_in_a_pipeline_counts_once() {
        let home = TempHome::new();
        home.file(".kube/config", &config("home", &[("home", Some("ns"))]));
        let command = "kubectl -n a get secret s -o yaml | kubectl -n b apply -f - && kubectl -n a get pods";
        assert_eq!(home.kube(command), [some("home", "a"), some("home", "b")]);
        assert_eq!(home.of(command).to_string(), "⎈ home/a  ⎈ home/b");
    }

    #[test]
    fn a_missing_or_broken_kubeconfig_is_unknown_and_says_why() {
        let home = TempHome::new();
        let found = home.of("kubectl get pods");
        assert_eq!(found.kube[0].context, Fact::unknown("~/.kube/config: no such file"));
        assert_eq!(found.kube[0].namespace, Fact::unknown("the context is unknown"));
        assert_eq!(found.to_string(), "⎈ ?/?");
        home.file(".kube/config", "contexts: [\n  - name: x\n");
        let broken = home.of("kubectl get pods").kube.remove(0).context;
        assert_eq!(broken.value, None);
        assert!(broken.from.starts_with("~/.kube/config: "), "{}", broken.from);
        home.file(".kube/config", &config("gone", &[]));
        let kube = home.of("kubectl get pods").kube.remove(0);
        assert_eq!(kube.namespace, Fact::unknown("context gone is not in ~/.kube/config"));
        assert_eq!(home.of("sudo kubectl get pods").kube[0].context.value, None);
        assert_eq!(home.of("env -i kubectl get pods").kube[0].context.from, "neither KUBECONFIG nor HOME is set");
    }

    #[test]
    fn ssh_destinations_skip_options_and_their_arguments() {
        let home = TempHome::new().set("NODE", "node-7");
        let found = home.of("ssh -i ~/.ssh/key -o ConnectTimeout=5 -p 22 -J bastion -l admin node-3 sudo reboot");
        assert_eq!(found.ssh_hosts, ["node-3"]);
        // What runs on the host is not ours to check.
        assert_eq!(found.programs, ["ssh"]);
        assert!(home.of("ssh node-3 kubectl drain node-3").kube.is_empty());
        assert_eq!(
            home.of("ssh -tt ops@db-1 -- uptime; ssh \"$NODE\" x; ssh $(pick)").ssh_hosts,
            ["ops@db-1", "node-7", "$(pick)"]
        );
        assert_eq!(home.of("ssh node-3 uptime").to_string(), "ssh node-3");
    }

    #[test]
    fn programs_are_command_words_past_wrappers_and_builtins_are_never_missing() {
        let home = TempHome::new();
        let found = home.of("sudo -u root env A=1 timeout -s KILL 30 jq . x | grep y; for f in a; do echo $f; done; \
             [ -n x ] && cd / && FOO=1 ./nothing-here; command -v absent; f() { :; }; f; $TOOL x");
        assert_eq!(
            found.programs,
            ["sudo", "env", "timeout", "jq", "grep", "echo", "[", "cd", "./nothing-here", "command", ":", "f"]
        );
        assert_eq!(found.missing_programs, ["jq", "./nothing-here"]);
        assert_eq!(home.of("sh -c 'kubectl get pods; missing-tool'").missing_programs, ["missing-tool"]);
        assert_eq!(home.of("watch -n 2 kubectl get pods").programs, ["watch", "kubectl"]);
        // The wrapper table is template's too: GNU time wraps (bash's keyword
        // `time` takes no -f), `sudo -c` takes a class.
        assert_eq!(home.of("/usr/bin/time -f %e kubectl get pods").programs, ["/usr/bin/time", "kubectl"]);
        assert_eq!(home.of("sudo -c staff kubectl get pods").programs, ["sudo", "kubectl"]);
        assert_eq!(home.of("ionice -p 1 kubectl get pods").programs, ["ionice", "kubectl"]);
        assert_eq!(home.of("env -uS kubectl get pods").programs, ["env", "kubectl"], "S is -u's value");
        assert_eq!(home.of("env -S 'kubectl get pods' x").programs, ["env", "x"], "-S's command line is skipped");
    }

    #[test]
    fn variables_read_and_not_set_before_are_reported_when_unset_or_empty() {
        let home = TempHome::new().set("SET", "x").set("EMPTY", "");
        let found = home.of("X=1; export Y=2; for Z in a; do read -r W; local L; echo $X $Y $Z $W $L; done; \
             echo \"$SET $EMPTY $UNSET\" '$QUOTED' ${DEFAULTED:-d} $1 $? $@ $$; P=1 cmd $P");
        assert_eq!(found.vars_read, ["SET", "EMPTY", "UNSET", "P"]);
        assert_eq!(found.unset_vars, ["EMPTY", "UNSET", "P"]);
        assert_eq!(found.to_string(), "not found: cmd  unset: $EMPTY, $UNSET, $P");
    }

    #[test]
    fn a_server_or_cluster_flag_says_it_overrides_the_context() {
        // Regression: `kubectl -s https://other:6443` read as acting on the
        // current context's cluster.
        let home = TempHome::new();
        home.file(".kube/config", &config("prod-eu", &[("prod-eu", Some("shop"))]));
        let found = home.of("kubectl -s https://other:6443 --token=abc get pods");
        let context = &found.kube[0].context;
        assert_eq!(context.value.as_deref(), Some("prod-eu"));
        assert!(context.from.ends_with("; but -s https://other:6443, --token overrides it"), "{}", context.from);
        assert!(!context.from.contains("abc"), "the token's value is not shown");
        assert!(!home.of("kubectl get pods").kube[0].context.from.contains("overrides"));
    }

    #[test]
    fn the_shells_own_variables_are_never_unset() {
        // Regression: `dnstest-$RANDOM` was flagged as reading an unset variable.
        let home = TempHome::new();
        let found = home.of("echo dnstest-$RANDOM $SECONDS $BASHPID $UID $PPID $LINENO $HOSTNAME $NOPE");
        assert_eq!(found.unset_vars, ["NOPE"]);
    }
}
