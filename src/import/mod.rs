//! `pagerbook import`: markdown runbooks as catalog entries. A page's H1 is
//! the alert (its id, a signal, a tag), its directory the component; the
//! Meaning / Impact / Diagnosis / Mitigation sections become the symptom,
//! the impact, the detection and the recovery, and every code block a
//! step, in order. What cannot be carried over as it was is said, at its
//! place in the markdown. Nothing here touches a file: the command line
//! reads and writes them.
//!
//! - `page`: the markdown read (pulldown-cmark);
//! - `command`: a code block as a step's command; `placeholders`: the
//!   values in it.

pub mod command;
mod declared;
mod entry;
pub mod page;
mod placeholders;
mod session;

use std::collections::{BTreeMap, BTreeSet};

use entry::Entry;
use page::Page;

/// Where a collection of runbooks comes from, for the references and the
/// notice a converted file carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    PrometheusOperator,
    Openshift,
    /// Another: its path is said as it is.
    Other,
}

impl Collection {
    /// The collection a page seems to come from, by where the collections
    /// keep their pages: prometheus-operator's under `content/runbooks/`,
    /// openshift's under `alerts/` (with no front matter). Any other page
    /// is a team's own: its path is its reference, and no licence is said.
    #[must_use]
    pub fn guess(path: &str, text: &str) -> Collection {
        if path.contains("content/runbooks/") {
            Collection::PrometheusOperator
        } else if path.contains("alerts/") && !text.starts_with("---") {
            Collection::Openshift
        } else {
            Collection::Other
        }
    }

    pub(super) fn repository(self) -> Option<&'static str> {
        match self {
            Collection::PrometheusOperator => Some("https://github.com/prometheus-operator/runbooks"),
            Collection::Openshift => Some("https://github.com/openshift/runbooks"),
            Collection::Other => None,
        }
    }
}

/// A markdown file to import.
pub struct Markdown<'a> {
    /// Its path as diagnostics and references say it (relative to what was
    /// given to import).
    pub path: &'a str,
    pub text: &'a str,
    pub collection: Collection,
}

/// A problem, at its line and column in the markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A file converted: its entry's id and TOML, and what was not carried
/// over as it was.
#[derive(Debug)]
pub struct Converted {
    pub id: String,
    pub toml: String,
    pub warnings: Vec<Warning>,
}

/// A file that could not be mapped, and why.
#[derive(Debug)]
pub struct Skipped {
    pub warning: Warning,
}

/// Converts a batch: links between its pages become `related` ids (a link
/// out of the batch stays a reference), a redirect stub's alert becomes an
/// alias of the page it points to.
#[must_use]
pub fn convert(files: &[Markdown<'_>]) -> Vec<Result<Converted, Skipped>> {
    // A byte-order mark would hide the front matter and the H1, and
    // Windows line ends would stay in the commands. Lines keep their
    // numbers, so warnings still point into the file as it is.
    let texts: Vec<String> =
        files.iter().map(|file| file.text.trim_start_matches('\u{feff}').replace("\r\n", "\n")).collect();
    let files: Vec<Markdown<'_>> = files
        .iter()
        .zip(&texts)
        .map(|(file, text)| Markdown { path: file.path, text, collection: file.collection })
        .collect();
    let pages: Vec<Page> = files.iter().map(|file| page::read(file.text)).collect();
    let alerts: Vec<Option<String>> = files.iter().zip(&pages).map(|(file, page)| alert_of(file.path, page)).collect();
    // Each page's id, by its file's stem, and whether it is a runbook's.
    let mut by_stem: BTreeMap<String, (String, bool)> = files
        .iter()
        .zip(&alerts)
        .zip(&pages)
        .filter_map(|((file, alert), page)| {
            Some((stem(file.path).to_owned(), (id_for(page, alert.as_deref()?), page.runbook)))
        })
        .collect();
    // A stub (a page that only links elsewhere) is an alias of its target.
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let stubs: Vec<Option<(String, bool)>> = pages
        .iter()
        .zip(&alerts)
        .map(|(page, alert)| {
            let target = redirect_of(page).and_then(|stem| by_stem.get(&stem).cloned())?;
            aliases.entry(target.0.clone()).or_default().push(alert.clone()?);
            Some(target)
        })
        .collect();
    // A link to a stub leads where the stub points.
    for (file, stub) in files.iter().zip(&stubs) {
        if let Some(target) = stub {
            by_stem.insert(stem(file.path).to_owned(), target.clone());
        }
    }
    let mut ids = BTreeSet::new();
    files
        .iter()
        .zip(pages)
        .zip(alerts)
        .zip(stubs)
        .map(|(((file, page), alert), stub)| {
            let at = |offset| position(file.text, offset);
            let skipped = |offset, message: String| Err(Skipped { warning: warning(at(offset), message) });
            if let Some((target, _)) = stub {
                return skipped(0, format!("a page that only points to `{target}`: its name is an alias there"));
            }
            let Some(alert) = alert else { return skipped(0, "no H1 heading nor title: nothing names it".into()) };
            let first = id_for(&page, &alert);
            // Two pages with one H1 (a heading copied from another page):
            // the second takes its file's name, else its directory's.
            let candidates =
                [first.clone(), id_of(stem(file.path)), format!("{first}-{}", id_of(component(file.path)))];
            let numbered = (2..=files.len() + 1).map(|n| format!("{first}-{n}"));
            let Some(id) = candidates.into_iter().chain(numbered).find(|id| !ids.contains(id)) else {
                return skipped(0, "no id is left for it".into());
            };
            ids.insert(id.clone());
            let mut entry = Entry::new(file, &page, alert, id, &by_stem);
            if entry.id != first {
                entry.problems.push((0, format!("another page has the heading of this one: its id is `{}`", entry.id)));
            }
            entry.aliases.extend(aliases.get(&entry.id).into_iter().flatten().cloned());
            match entry.toml(&page, file) {
                Some(toml) => Ok(Converted {
                    id: entry.id,
                    toml,
                    warnings: entry
                        .problems
                        .into_iter()
                        .map(|(offset, message)| warning(at(offset), message))
                        .collect(),
                }),
                None => skipped(0, "no text to take for its symptom (no Meaning, no paragraph)".into()),
            }
        })
        .collect()
}

/// A page's id: the one it says (a page `export` wrote), else its alert's.
fn id_for(page: &Page, alert: &str) -> String {
    page.id.clone().unwrap_or_else(|| id_of(alert))
}

/// The alert a page is about: its H1 (the file's stem when it has none and
/// its title says nothing).
fn alert_of(path: &str, page: &Page) -> Option<String> {
    let heading = page.heading.as_ref().map(|(h, _)| h.trim().to_owned()).filter(|h| !h.is_empty());
    heading.or_else(|| page.title.clone()).or_else(|| Some(stem(path).to_owned()).filter(|s| !s.is_empty()))
}

/// The page a stub points to: one with no code, no section, and one link.
fn redirect_of(page: &Page) -> Option<String> {
    let blocks = page.sections.iter().map(|s| s.blocks.len()).sum::<usize>();
    let words = page.sections.iter().flat_map(|s| &s.prose).map(|p| p.split_whitespace().count()).sum::<usize>();
    (page.sections.len() == 1 && blocks == 0 && page.links.len() == 1 && words < 20).then(|| page.links[0].0.clone())
}

/// A page's path in its collection: from `content/runbooks/` or `alerts/`
/// on, where the collections keep their pages.
fn upstream(path: &str) -> &str {
    ["content/runbooks/", "alerts/"]
        .iter()
        .find_map(|root| path.find(root).map(|at| &path[at..]))
        .unwrap_or(path.trim_start_matches("./"))
}

fn stem(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".md").unwrap_or(file)
}

/// The directory a page is in: its component.
fn component(path: &str) -> &str {
    path.rsplit('/').nth(1).filter(|dir| !matches!(*dir, "." | "..")).unwrap_or_default()
}

/// `KubePodCrashLooping` → `kube-pod-crash-looping`, `KubeAPIDown` →
/// `kube-api-down`, `etcd NoLeader` → `etcd-no-leader`.
#[must_use]
pub fn id_of(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut id = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !id.ends_with('-') && !id.is_empty() {
                id.push('-');
            }
            continue;
        }
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_ascii_uppercase()
            && previous.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(char::is_ascii_lowercase))
            });
        if boundary && !id.ends_with('-') {
            id.push('-');
        }
        id.push(c.to_ascii_lowercase());
    }
    let id = id.trim_matches('-').to_owned();
    if id.is_empty() { "imported".to_owned() } else { id }
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn warning((line, column): (usize, usize), message: String) -> Warning {
    Warning { line, column, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_names_make_ids_as_people_read_them() {
        for (name, id) in [
            ("KubePodCrashLooping", "kube-pod-crash-looping"),
            ("KubeAPIDown", "kube-api-down"),
            ("etcdDatabaseQuotaLowSpace", "etcd-database-quota-low-space"),
            ("CoreDNSErrorsHigh", "core-dns-errors-high"),
            ("Node RAID Degraded", "node-raid-degraded"),
            ("", "imported"),
        ] {
            assert_eq!(id_of(name), id, "{name}");
        }
    }

    #[test]
    fn a_shell_opened_elsewhere_lasts_across_sections_until_it_is_left() {
        let text = "# NodeDown\n\n## Meaning\n\nDown.\n\n## Diagnosis\n\n```sh\nssh node-1\n```\n\n\
                    ## Mitigation\n\n```sh\njournalctl -u kubelet\n```\n\n```sh\nsudo systemctl restart kubelet\nexit\n```\n\n\
                    ```sh\nuptime\n```\n\n```sh\nssh node-1\n```\n\n```sh\nkubectl get nodes\n```\n";
        let file = Markdown { path: "p/NodeDown.md", text, collection: Collection::Other };
        let toml = convert(&[file]).pop().unwrap().unwrap().toml;
        let steps: Vec<&str> = toml.split("[[failure.steps]]").skip(1).collect();
        assert!(!steps[0].contains("lang = \"text\""), "ssh itself runs (it takes the terminal):\n{}", steps[0]);
        for inside in &steps[1..3] {
            assert!(
                inside.contains("lang = \"text\"") && inside.contains("where = \"the shell `ssh node-1` opens"),
                "{inside}"
            );
        }
        assert!(!steps[3].contains("where") && !steps[3].contains("lang"), "after exit, here again:\n{}", steps[3]);
        assert!(!steps[5].contains("where"), "kubectl is the workstation's:\n{}", steps[5]);
    }

    #[test]
    fn a_link_to_a_stub_leads_to_the_page_it_points_to() {
        let pages = [
            ("p/NodeDown.md", "# NodeDown\n\n## Meaning\n\nThe node is down.\n"),
            ("p/NodeGone.md", "# NodeGone\n\nMoved to [NodeDown](./NodeDown.md).\n"),
            ("p/Index.md", "# Index\n\nThe pages: [gone](./NodeGone.md) and [down](./NodeDown.md).\n"),
        ];
        let files: Vec<Markdown<'_>> =
            pages.iter().map(|(path, text)| Markdown { path, text, collection: Collection::Other }).collect();
        let converted = convert(&files);
        assert!(converted[1].is_err(), "the stub is an alias");
        let index = converted[2].as_ref().unwrap();
        assert!(index.toml.contains("related = [\"node-down\"]"), "{}", index.toml);
        assert!(converted[0].as_ref().unwrap().toml.contains("aliases = [\"NodeGone\"]"));
    }

    #[test]
    fn a_team_page_with_a_bom_and_windows_line_ends_converts_and_says_no_licence() {
        let text = "\u{feff}---\r\ntitle: Disk full\r\n---\r\n\r\n# DiskFull\r\n\r\n## Meaning\r\n\r\nThe disk is full.\r\n\r\n```sh\r\ndf -h\r\n```\r\n\r\n```sh\r\nunclosed\r\n";
        let file = Markdown { path: "db/DiskFull.md", text, collection: Collection::guess("db/DiskFull.md", text) };
        let converted = convert(&[file]).pop().unwrap().unwrap();
        assert_eq!(converted.id, "disk-full");
        assert!(!converted.toml.contains('\r'), "{}", converted.toml);
        assert!(converted.toml.contains("title = \"Disk full\"") && converted.toml.contains("run = \"df -h\""));
        assert!(converted.toml.starts_with("# Converted by `pagerbook import` from db/DiskFull.md.\n\n"));
        let unclosed = &converted.warnings[0];
        assert_eq!((unclosed.line, unclosed.column), (15, 1), "{:?}", converted.warnings);
    }
}
