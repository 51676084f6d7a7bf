//! Which Kubernetes context and namespace a `kubectl` or `helm` invocation
//! will use, and where each came from, as kubectl decides it: a flag, else
//! the kubeconfig (`--kubeconfig`, else every file in `KUBECONFIG`, else
//! `~/.kube/config`), where the first file that sets `current-context`, and
//! the first that defines the context, win.
//!
//! Reading the flags is pure (`flags`); [`Kubeconfigs`] reads the files
//! (`kubeconfig`), once each.

mod flags;
mod kubeconfig;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use flags::flag_fact;
pub(crate) use flags::{Flags, Session, Tool, edits_kubeconfig, flags};
use kubeconfig::{Kubeconfig, Sources, sources};

use super::{Fact, Kube, Seen};

/// The namespace value of `-A`.
pub const ALL_NAMESPACES: &str = "all namespaces";

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

/// Kubeconfig files read so far: `Ok(None)` for one that does not exist.
#[derive(Default)]
pub(crate) struct Kubeconfigs {
    read: HashMap<PathBuf, Result<Option<Kubeconfig>, String>>,
}

impl Kubeconfigs {
    fn get(&mut self, path: &Path) -> &Result<Option<Kubeconfig>, String> {
        self.read.entry(path.to_owned()).or_insert_with(|| kubeconfig::read(path))
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

    /// The first of a flag, an earlier `kubectl config use-context` and
    /// helm's variable, else the kubeconfig's `current-context`.
    fn context(
        &mut self,
        request: &Request,
        sources: Result<&Sources, &String>,
        shown: &dyn Fn(&Path) -> String,
    ) -> Fact {
        let given = request
            .flags
            .context
            .as_ref()
            .map(flag_fact)
            .or_else(|| request.session.context.clone())
            .or_else(|| helm_variable(request, &request.helm_context));
        given.unwrap_or_else(|| self.in_files(&Sought::CurrentContext, sources, shown))
    }

    /// The first of `-A`, a flag, helm's variable and an earlier `kubectl
    /// config set-context`, else what the kubeconfig says of `context`.
    fn namespace(
        &mut self,
        request: &Request,
        context: &Fact,
        sources: Result<&Sources, &String>,
        shown: &dyn Fn(&Path) -> String,
    ) -> Fact {
        let all = |flag: &String| Fact { value: Some(ALL_NAMESPACES.into()), from: flag.clone() };
        let given = request
            .flags
            .all_namespaces
            .as_ref()
            .map(all)
            .or_else(|| request.flags.namespace.as_ref().map(flag_fact))
            .or_else(|| helm_variable(request, &request.helm_namespace))
            .or_else(|| request.session.namespace.clone());
        given.unwrap_or_else(|| match &context.value {
            Some(name) => self.in_files(&Sought::NamespaceOf(name), sources, shown),
            None => Fact::unknown("the context is unknown"),
        })
    }

    /// What the first of the files to say anything says of `sought`; a file
    /// that cannot be read before it leaves it unknown, saying why.
    fn in_files(
        &mut self,
        sought: &Sought,
        sources: Result<&Sources, &String>,
        shown: &dyn Fn(&Path) -> String,
    ) -> Fact {
        let sources = match sources {
            Ok(sources) => sources,
            Err(why) => return Fact::unknown(why),
        };
        for path in &sources.paths {
            match self.get(path) {
                Err(why) => return Fact::unknown(format!("{}: {why}", shown(path))),
                Ok(Some(config)) => {
                    if let Some(fact) = sought.in_file(config, path, sources, shown) {
                        return fact;
                    }
                }
                Ok(None) => {}
            }
        }
        let files = sources.describe(shown);
        Fact::unknown(match sought {
            Sought::CurrentContext if sources.paths.iter().all(|path| matches!(self.get(path), Ok(None))) => {
                format!("{files}: no such file")
            }
            Sought::CurrentContext => format!("{files}: no current-context"),
            Sought::NamespaceOf(name) => format!("context {name} is not in {files}"),
        })
    }
}

/// What [`Kubeconfigs::in_files`] looks for: the context and the namespace
/// are found the same way, file by file.
enum Sought<'a> {
    CurrentContext,
    /// The namespace the named context sets.
    NamespaceOf(&'a str),
}

impl Sought<'_> {
    /// What `config`, read from `path` (one of `sources`), says of it.
    fn in_file(
        &self,
        config: &Kubeconfig,
        path: &Path,
        sources: &Sources,
        shown: &dyn Fn(&Path) -> String,
    ) -> Option<Fact> {
        match self {
            Sought::CurrentContext => {
                let context = config.current_context.as_ref().filter(|c| !c.is_empty())?;
                let file = Sources { paths: vec![path.to_owned()], label: sources.label.clone() };
                let from = format!("current-context of {}", file.describe(shown));
                Some(Fact { value: Some(context.clone()), from })
            }
            Sought::NamespaceOf(name) => {
                let defined = config.contexts.iter().flatten().find(|c| c.name == *name)?;
                let namespace = defined.context.as_ref().and_then(|c| c.namespace.clone()).filter(|n| !n.is_empty());
                let place = format!("context {name} in {}", shown(path));
                Some(match namespace {
                    Some(namespace) => Fact { value: Some(namespace), from: place },
                    None => Fact { value: Some("default".into()), from: format!("default: {place} sets none") },
                })
            }
        }
    }
}

/// helm's `HELM_KUBECONTEXT` or `HELM_NAMESPACE`, when set: kubectl reads
/// neither.
fn helm_variable(request: &Request, seen: &Seen) -> Option<Fact> {
    match seen {
        Seen::Set { value, from } if request.tool == Tool::Helm => {
            Some(Fact { value: Some(value.clone()), from: from.clone() })
        }
        _ => None,
    }
}
