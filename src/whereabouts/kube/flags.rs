//! Reading the flags of one `kubectl` or `helm` invocation that choose where
//! it acts, and what an earlier `kubectl config …` changed. Pure.

use crate::whereabouts::Fact;
use crate::whereabouts::shell::Word;

/// A program that talks to a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tool {
    Kubectl,
    Helm,
}

impl Tool {
    /// `kubectl` (and `oc`, `OpenShift`'s, which takes its flags) or `helm`.
    pub fn for_program(name: &str) -> Option<Tool> {
        match name {
            "kubectl" | "oc" => Some(Tool::Kubectl),
            "helm" => Some(Tool::Helm),
            _ => None,
        }
    }

    fn context_flag(self) -> &'static str {
        match self {
            Tool::Kubectl => "--context",
            Tool::Helm => "--kube-context",
        }
    }
}

/// A flag's value: `None` when only the run can tell (`--context $(…)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Flag {
    pub name: String,
    pub value: Option<String>,
    /// The value as written, for saying why it is unknown.
    pub raw: String,
}

/// A fact a flag gives.
pub(super) fn flag_fact(flag: &Flag) -> Fact {
    match &flag.value {
        Some(value) => Fact { value: Some(value.clone()), from: flag.name.clone() },
        None => Fact::unknown(format!("{} {}: known only when it runs", flag.name, flag.raw)),
    }
}

/// The flags of one invocation that choose where it acts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    pub context: Option<Flag>,
    pub namespace: Option<Flag>,
    pub kubeconfig: Option<Flag>,
    /// `-A` or `--all-namespaces`, as written.
    pub all_namespaces: Option<String>,
    /// Words that are no flag or flag value (`config use-context prod`).
    pub positional: Vec<Option<String>>,
    /// Flags that send it elsewhere than its context says (`--server X`,
    /// `--cluster X`, `--user X`, `--token`), as written (a token's value
    /// left out).
    pub overrides: Vec<String>,
}

/// Flags that point an invocation at another cluster or identity than its
/// context's.
const OVERRIDING_FLAGS: &[&str] = &["--server", "-s", "--cluster", "--user", "--token", "--as"];

/// kubectl's global flags that take a value, so their value is not taken
/// for a subcommand.
const KUBECTL_FLAGS_WITH_VALUE: &[&str] = &[
    "--as",
    "--as-group",
    "--cluster",
    "--kubeconfig",
    "--context",
    "--kube-context",
    "--namespace",
    "-n",
    "--server",
    "-s",
    "--token",
    "--user",
    "-o",
    "--output",
    "-l",
    "--selector",
    "-f",
    "--filename",
    "-c",
    "--container",
];

/// Reads the flags of `args`; the last of each wins, as with pflag. Stops
/// at `--`: what follows is a command for the pod.
pub(crate) fn flags(tool: Tool, args: &[Word], expand: &dyn Fn(&Word) -> Option<String>) -> Flags {
    let mut flags = Flags::default();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let Some(text) = word.literal() else {
            flags.positional.push(None);
            continue;
        };
        if text == "--" {
            break;
        }
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") || name == "-n" => (name.to_owned(), Some(value.to_owned())),
            _ if text.starts_with("-n") && text.len() > 2 && !text.starts_with("--") => {
                ("-n".to_owned(), Some(text[2..].to_owned()))
            }
            _ => (text.clone(), None),
        };
        let slot = match name.as_str() {
            "-A" | "--all-namespaces" => {
                flags.all_namespaces = Some(name);
                continue;
            }
            "-n" | "--namespace" => &mut flags.namespace,
            "--kubeconfig" => &mut flags.kubeconfig,
            flag if flag == tool.context_flag() => &mut flags.context,
            flag if KUBECTL_FLAGS_WITH_VALUE.contains(&flag) => {
                let value = match attached {
                    Some(value) => Some(value),
                    None => words.next().map(|word| word.literal().unwrap_or_else(|| "…".to_owned())),
                };
                if OVERRIDING_FLAGS.contains(&flag) {
                    let shown = if flag == "--token" { None } else { value };
                    flags.overrides.push(shown.map_or_else(|| flag.to_owned(), |value| format!("{flag} {value}")));
                }
                continue;
            }
            flag if flag.starts_with('-') => continue,
            _ => {
                flags.positional.push(Some(text));
                continue;
            }
        };
        let (value, raw) = match attached {
            Some(value) => (Some(value.clone()), value),
            None => match words.next() {
                Some(next) => (expand(next), next.raw.clone()),
                None => (None, String::new()),
            },
        };
        *slot = Some(Flag { name, value, raw });
    }
    flags
}

/// What `kubectl config use-context X` or `kubectl config set-context
/// --current --namespace=Y` earlier in the command changed for the
/// invocations after it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Session {
    pub context: Option<Fact>,
    pub namespace: Option<Fact>,
}

impl Session {
    /// Notes what a `kubectl config …` invocation changes.
    pub fn note(&mut self, flags: &Flags) {
        let positional: Vec<Option<&str>> = flags.positional.iter().map(Option::as_deref).collect();
        match positional.as_slice() {
            [Some("config"), Some("use-context" | "use"), context, ..] => {
                self.context = Some(Fact {
                    value: context.map(str::to_owned),
                    from: "`kubectl config use-context` earlier in the command".into(),
                });
                self.namespace = None;
            }
            // `set-context --current`: one naming a context changes that one.
            [Some("config"), Some("set-context")] if flags.namespace.is_some() => {
                self.namespace = flags.namespace.as_ref().map(|flag| Fact {
                    value: flag.value.clone(),
                    from: "`kubectl config set-context` earlier in the command".into(),
                });
            }
            _ => {}
        }
    }
}

/// True for `kubectl config …`, which edits the kubeconfig and acts on no
/// cluster.
pub(crate) fn edits_kubeconfig(flags: &Flags) -> bool {
    flags.positional.first().is_some_and(|word| word.as_deref() == Some("config"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whereabouts::shell::scan;

    fn flags_of(command: &str) -> Flags {
        let script = scan(command);
        let words = &script.commands[0].words;
        let tool = Tool::for_program(&words[0].literal().unwrap()).unwrap();
        flags(tool, &words[1..], &|word| word.literal())
    }

    fn value(flag: Option<Flag>) -> Option<String> {
        flag.and_then(|flag| flag.value)
    }

    #[test]
    fn reads_each_spelling_of_the_flags_and_the_last_wins() {
        let flags = flags_of("kubectl --context=a get pods -n shop --kubeconfig /k --context b");
        assert_eq!((value(flags.context), value(flags.namespace)), (Some("b".into()), Some("shop".into())));
        assert_eq!(value(flags.kubeconfig), Some("/k".into()));
        for spelling in ["-nshop", "-n=shop", "--namespace=shop", "--namespace shop", "-n shop"] {
            assert_eq!(
                value(flags_of(&format!("kubectl get po {spelling}")).namespace),
                Some("shop".into()),
                "{spelling}"
            );
        }
        assert_eq!(flags_of("kubectl get po -A").all_namespaces.as_deref(), Some("-A"));
    }

    #[test]
    fn helm_says_kube_context_and_a_pods_command_is_not_read() {
        let helm = flags_of("helm upgrade x ./chart --kube-context prod -n web --context nope");
        assert_eq!((value(helm.context), value(helm.namespace)), (Some("prod".into()), Some("web".into())));
        let exec = flags_of("kubectl exec -n a pod -- kubectl -n b get pods");
        assert_eq!(value(exec.namespace), Some("a".into()));
    }

    #[test]
    fn a_computed_value_is_unknown_and_says_why() {
        let flags = flags_of("kubectl --context $(pick) get pods");
        let fact = flag_fact(flags.context.as_ref().unwrap());
        assert_eq!(fact, Fact { value: None, from: "--context $(pick): known only when it runs".into() });
    }

    #[test]
    fn positional_words_skip_flag_values() {
        let flags = flags_of("kubectl -o yaml --context x config use-context prod");
        assert_eq!(flags.positional, [Some("config".into()), Some("use-context".into()), Some("prod".into())]);
        let mut session = Session::default();
        session.note(&flags);
        assert_eq!(session.context.as_ref().and_then(|fact| fact.value.as_deref()), Some("prod"));
        assert!(edits_kubeconfig(&flags));
        session.note(&flags_of("kubectl config set-context other --namespace=elsewhere"));
        assert_eq!(session.namespace, None);
        session.note(&flags_of("kubectl config set-context --current --namespace=web"));
        assert_eq!(session.namespace.and_then(|fact| fact.value).as_deref(), Some("web"));
    }
}
