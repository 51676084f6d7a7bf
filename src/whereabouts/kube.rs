//! Which Kubernetes context and namespace a `kubectl` or `helm` invocation
//! will use, and where each came from, as kubectl decides it: a flag, else
//! the kubeconfig (`--kubeconfig`, else every file in `KUBECONFIG`, else
//! `~/.kube/config`), where the first file that sets `current-context`, and
//! the first that defines the context, win.
//!
//! Reading the flags is pure; [`Kubeconfigs`] reads the files, once each.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::shell::Word;
use super::{Fact, Kube, Seen};
use crate::files;

/// Kubeconfigs with many clusters and inline certificates reach a few
/// hundred kilobytes; past this it is not one.
const MAX_KUBECONFIG_BYTES: u64 = 4 << 20;

/// The namespace value of `-A`.
pub const ALL_NAMESPACES: &str = "all namespaces";

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

/// What one invocation saw of its environment.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub tool: Tool,
    pub flags: Flags,
    pub session: Session,
    pub kubeconfig_env: Seen,
    pub home: Seen,
    /// helm's `HELM_KUBECONTEXT` and `HELM_NAMESPACE`.
    pub helm_context: Seen,
    pub helm_namespace: Seen,
}

/// The kubeconfig files an invocation reads, and how it came to them.
struct Sources {
    paths: Vec<PathBuf>,
    /// How they were chosen; `None` for the default `~/.kube/config`.
    label: Option<String>,
}

impl Sources {
    /// The files, and how they were chosen.
    fn describe(&self, shown: &dyn Fn(&Path) -> String) -> String {
        let files = self.paths.iter().map(|path| shown(path)).collect::<Vec<_>>().join(", ");
        match &self.label {
            Some(label) => format!("{files} ({label})"),
            None => files,
        }
    }
}

/// One kubeconfig file, as far as context and namespace go.
#[derive(Debug, Default, Deserialize)]
struct Kubeconfig {
    #[serde(rename = "current-context", default)]
    current_context: Option<String>,
    #[serde(default)]
    contexts: Option<Vec<NamedContext>>,
}

#[derive(Debug, Deserialize)]
struct NamedContext {
    name: String,
    #[serde(default)]
    context: Option<ContextFields>,
}

#[derive(Debug, Deserialize)]
struct ContextFields {
    #[serde(default)]
    namespace: Option<String>,
}

/// Parses a kubeconfig's text; an empty file is an empty config, as for
/// kubectl.
fn parse(text: &str) -> Result<Kubeconfig, String> {
    if text.trim().is_empty() {
        return Ok(Kubeconfig::default());
    }
    serde_saphyr::from_str(text).map_err(|err| err.to_string().lines().next().unwrap_or_default().to_owned())
}

/// Kubeconfig files read so far: `Ok(None)` for one that does not exist.
#[derive(Default)]
pub(crate) struct Kubeconfigs {
    read: HashMap<PathBuf, Result<Option<Kubeconfig>, String>>,
}

impl Kubeconfigs {
    fn get(&mut self, path: &Path) -> &Result<Option<Kubeconfig>, String> {
        self.read.entry(path.to_owned()).or_insert_with(|| match files::read_regular(path, MAX_KUBECONFIG_BYTES) {
            Ok(text) => parse(&text).map(Some),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err.to_string()),
        })
    }

    /// Where `request` will act.
    pub fn resolve(&mut self, request: &Request, shown: &dyn Fn(&Path) -> String) -> Kube {
        let sources = sources(request);
        let mut context = self.context(request, sources.as_ref(), shown);
        let namespace = self.namespace(request, &context, sources.as_ref(), shown);
        if !request.flags.overrides.is_empty() {
            // The context's name alone would read as the cluster it acts on.
            let overrides = request.flags.overrides.join(", ");
            context.from = format!("{}; but {overrides} overrides it", context.from);
        }
        Kube { context, namespace }
    }

    fn context(
        &mut self,
        request: &Request,
        sources: Result<&Sources, &String>,
        shown: &dyn Fn(&Path) -> String,
    ) -> Fact {
        if let Some(flag) = &request.flags.context {
            return flag_fact(flag);
        }
        if let Some(fact) = &request.session.context {
            return fact.clone();
        }
        if request.tool == Tool::Helm
            && let Seen::Set { value, from } = &request.helm_context
        {
            return Fact { value: Some(value.clone()), from: from.clone() };
        }
        let sources = match sources {
            Ok(sources) => sources,
            Err(why) => return Fact::unknown(why),
        };
        for path in &sources.paths {
            match self.get(path) {
                Err(why) => return Fact::unknown(format!("{}: {why}", shown(path))),
                Ok(Some(config)) => {
                    if let Some(context) = config.current_context.as_ref().filter(|c| !c.is_empty()) {
                        let file = Sources { paths: vec![path.clone()], label: sources.label.clone() };
                        let from = format!("current-context of {}", file.describe(shown));
                        return Fact { value: Some(context.clone()), from };
                    }
                }
                Ok(None) => {}
            }
        }
        let missing = sources.paths.iter().all(|path| matches!(self.get(path), Ok(None)));
        let files = sources.describe(shown);
        Fact::unknown(if missing { format!("{files}: no such file") } else { format!("{files}: no current-context") })
    }

    fn namespace(
        &mut self,
        request: &Request,
        context: &Fact,
        sources: Result<&Sources, &String>,
        shown: &dyn Fn(&Path) -> String,
    ) -> Fact {
        if let Some(flag) = &request.flags.all_namespaces {
            return Fact { value: Some(ALL_NAMESPACES.into()), from: flag.clone() };
        }
        if let Some(flag) = &request.flags.namespace {
            return flag_fact(flag);
        }
        if request.tool == Tool::Helm
            && let Seen::Set { value, from } = &request.helm_namespace
        {
            return Fact { value: Some(value.clone()), from: from.clone() };
        }
        if let Some(fact) = &request.session.namespace {
            return fact.clone();
        }
        let Some(name) = &context.value else {
            return Fact::unknown("the context is unknown");
        };
        let sources = match sources {
            Ok(sources) => sources,
            Err(why) => return Fact::unknown(why),
        };
        for path in &sources.paths {
            match self.get(path) {
                Err(why) => return Fact::unknown(format!("{}: {why}", shown(path))),
                Ok(Some(config)) => {
                    let defined = config.contexts.iter().flatten().find(|c| &c.name == name);
                    if let Some(defined) = defined {
                        let namespace =
                            defined.context.as_ref().and_then(|c| c.namespace.clone()).filter(|n| !n.is_empty());
                        let place = format!("context {name} in {}", shown(path));
                        return match namespace {
                            Some(namespace) => Fact { value: Some(namespace), from: place },
                            None => Fact { value: Some("default".into()), from: format!("default: {place} sets none") },
                        };
                    }
                }
                Ok(None) => {}
            }
        }
        Fact::unknown(format!("context {name} is not in {}", sources.describe(shown)))
    }
}

/// A fact a flag gives.
fn flag_fact(flag: &Flag) -> Fact {
    match &flag.value {
        Some(value) => Fact { value: Some(value.clone()), from: flag.name.clone() },
        None => Fact::unknown(format!("{} {}: known only when it runs", flag.name, flag.raw)),
    }
}

/// The files kubectl will read for `request`, or why that is unknown.
fn sources(request: &Request) -> Result<Sources, String> {
    if let Some(flag) = &request.flags.kubeconfig {
        let path = flag.value.clone().ok_or_else(|| format!("--kubeconfig {}: known only when it runs", flag.raw))?;
        return Ok(Sources { paths: vec![PathBuf::from(path)], label: Some("--kubeconfig".into()) });
    }
    match &request.kubeconfig_env {
        Seen::Set { value, from } if !value.is_empty() => {
            let paths: Vec<PathBuf> = value.split(':').filter(|p| !p.is_empty()).map(PathBuf::from).collect();
            return Ok(Sources { paths, label: Some(from.clone()) });
        }
        Seen::Unknown(why) => return Err(format!("KUBECONFIG: {why}")),
        Seen::Set { .. } | Seen::Unset => {}
    }
    match &request.home {
        Seen::Set { value, .. } => {
            Ok(Sources { paths: vec![Path::new(value).join(".kube").join("config")], label: None })
        }
        Seen::Unset => Err("neither KUBECONFIG nor HOME is set".into()),
        Seen::Unknown(why) => Err(format!("the home directory: {why}")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::shell::scan;
    use super::*;

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

    #[test]
    fn parses_real_kubeconfigs_and_empty_ones() {
        let config = parse(
            "apiVersion: v1\nclusters: null\ncontexts:\n- context:\n    cluster: c\n    namespace: shop\n  name: prod\n\
             - name: bare\n  context: {cluster: c}\ncurrent-context: prod\nkind: Config\nusers: []\n",
        )
        .unwrap();
        assert_eq!(config.current_context.as_deref(), Some("prod"));
        let contexts = config.contexts.unwrap();
        assert_eq!(contexts[0].context.as_ref().and_then(|c| c.namespace.as_deref()), Some("shop"));
        assert!(contexts[1].context.as_ref().is_some_and(|c| c.namespace.is_none()));
        assert!(parse("").unwrap().current_context.is_none());
        assert!(parse("contexts: [unclosed").is_err());
    }
}
