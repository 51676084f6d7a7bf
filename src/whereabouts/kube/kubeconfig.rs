//! Which kubeconfig files an invocation reads, and reading one, as far as
//! context and namespace go.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Request;
use crate::files;
use crate::whereabouts::Seen;

/// Kubeconfigs with many clusters and inline certificates reach a few
/// hundred kilobytes; past this it is not one.
const MAX_KUBECONFIG_BYTES: u64 = 4 << 20;

/// The kubeconfig files an invocation reads, and how it came to them.
pub(super) struct Sources {
    pub(super) paths: Vec<PathBuf>,
    /// How they were chosen; `None` for the default `~/.kube/config`.
    pub(super) label: Option<String>,
}

impl Sources {
    /// The files, and how they were chosen.
    pub(super) fn describe(&self, shown: &dyn Fn(&Path) -> String) -> String {
        let files = self.paths.iter().map(|path| shown(path)).collect::<Vec<_>>().join(", ");
        match &self.label {
            Some(label) => format!("{files} ({label})"),
            None => files,
        }
    }
}

/// The files kubectl will read for `request`, or why that is unknown.
pub(super) fn sources(request: &Request) -> Result<Sources, String> {
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

/// One kubeconfig file, as far as context and namespace go.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Kubeconfig {
    #[serde(rename = "current-context", default)]
    pub(super) current_context: Option<String>,
    #[serde(default)]
    pub(super) contexts: Option<Vec<NamedContext>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct NamedContext {
    pub(super) name: String,
    #[serde(default)]
    pub(super) context: Option<ContextFields>,
}

#[derive(Debug, Deserialize)]
pub(super) struct ContextFields {
    #[serde(default)]
    pub(super) namespace: Option<String>,
}

/// Parses a kubeconfig's text; an empty file is an empty config, as for
/// kubectl.
fn parse(text: &str) -> Result<Kubeconfig, String> {
    if text.trim().is_empty() {
        return Ok(Kubeconfig::default());
    }
    serde_saphyr::from_str(text).map_err(|err| err.to_string().lines().next().unwrap_or_default().to_owned())
}

/// Reads one kubeconfig file: `Ok(None)` when it does not exist.
pub(super) fn read(path: &Path) -> Result<Option<Kubeconfig>, String> {
    match files::read_regular(path, MAX_KUBECONFIG_BYTES) {
        Ok(text) => parse(&text).map(Some),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
