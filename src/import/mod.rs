//! `pagerbook import`: markdown runbooks as catalog entries. A page's H1 is
//! the alert (its id, a signal, a tag), its directory the component; the
//! Meaning / Impact / Diagnosis / Mitigation sections become the symptom,
//! the impact, the detection and the recovery, and every code block a
//! step, in order. What cannot be carried over as it was is said, at its
//! place in the markdown. Nothing here touches a file: the command line
//! reads and writes them.
//!
//! - `page`: the markdown read (pulldown-cmark);
//! - `command`: a code block as a step's command.

pub mod command;
pub mod page;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::catalog::Danger;
use crate::toml_text::{string, strings, text};
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
    /// The collection a page seems to come from: Hugo's front matter and
    /// `content/runbooks/` are prometheus-operator's, `alerts/` openshift's.
    #[must_use]
    pub fn guess(path: &str, text: &str) -> Collection {
        if path.contains("content/runbooks/") || text.starts_with("---") {
            Collection::PrometheusOperator
        } else if path.contains("alerts/") {
            Collection::Openshift
        } else {
            Collection::Other
        }
    }

    fn repository(self) -> Option<&'static str> {
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
    let pages: Vec<Page> = files.iter().map(|file| page::read(file.text)).collect();
    let alerts: Vec<Option<String>> = files.iter().zip(&pages).map(|(file, page)| alert_of(file.path, page)).collect();
    let by_stem: BTreeMap<String, String> = files
        .iter()
        .zip(&alerts)
        .filter_map(|(file, alert)| Some((stem(file.path).to_owned(), id_of(alert.as_deref()?))))
        .collect();
    // A stub (a page that only links elsewhere) is an alias of its target.
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let stubs: Vec<Option<String>> = pages
        .iter()
        .zip(&alerts)
        .map(|(page, alert)| {
            let target = redirect_of(page).and_then(|stem| by_stem.get(&stem).cloned())?;
            aliases.entry(target.clone()).or_default().push(alert.clone()?);
            Some(target)
        })
        .collect();
    let mut ids = BTreeSet::new();
    files
        .iter()
        .zip(pages)
        .zip(alerts)
        .zip(stubs)
        .map(|(((file, page), alert), stub)| {
            let at = |offset| position(file.text, offset);
            let skipped = |offset, message: String| Err(Skipped { warning: warning(at(offset), message) });
            if let Some(target) = stub {
                return skipped(0, format!("a page that only points to `{target}`: its name is an alias there"));
            }
            let Some(alert) = alert else { return skipped(0, "no H1 heading nor title: nothing names it".into()) };
            let first = id_of(&alert);
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
    path.rsplit('/').nth(1).unwrap_or_default()
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

/// What sections are for: where their prose and their blocks go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Meaning,
    Impact,
    Diagnosis,
    Mitigation,
    /// Any other heading, or the text before the first: kept as prose.
    Other,
}

impl Part {
    fn of(heading: &str) -> Part {
        match heading.trim().to_ascii_lowercase().as_str() {
            "meaning" | "description" | "summary" | "overview" => Part::Meaning,
            "impact" => Part::Impact,
            "diagnosis" | "diagnose" | "investigation" | "troubleshooting" => Part::Diagnosis,
            "mitigation" | "resolution" | "remediation" | "fix" => Part::Mitigation,
            _ => Part::Other,
        }
    }
}

/// An entry being written.
struct Entry {
    id: String,
    alert: String,
    title: String,
    aliases: Vec<String>,
    related: Vec<String>,
    references: Vec<String>,
    problems: Vec<(usize, String)>,
}

impl Entry {
    fn new(file: &Markdown<'_>, page: &Page, alert: String, id: String, by_stem: &BTreeMap<String, String>) -> Entry {
        let title = page.title.clone().unwrap_or_else(|| alert.clone());
        let mut problems = page.problems.clone();
        let mut related = Vec::new();
        let mut references = vec![match file.collection.repository() {
            Some(repository) => format!("{repository}/blob/HEAD/{}", upstream(file.path)),
            None => file.path.to_owned(),
        }];
        for (stem, offset) in &page.links {
            match by_stem.get(stem) {
                Some(linked) if *linked != id && !related.contains(linked) => related.push(linked.clone()),
                Some(_) => {}
                None => {
                    problems.push((
                        *offset,
                        format!("a link to {stem}.md, which is not among the files imported: kept as a reference"),
                    ));
                    references.push(format!("{stem}.md"));
                }
            }
        }
        references.extend(page.urls.iter().cloned());
        references.dedup();
        let aliases = page.aliases.iter().map(|a| a.trim_matches('/').to_owned()).filter(|a| !a.is_empty()).collect();
        Entry { id, alert, title, aliases, related, references, problems }
    }

    /// The entry's TOML; `None` when there is nothing to say of its symptom.
    fn toml(&mut self, page: &Page, file: &Markdown<'_>) -> Option<String> {
        let mut texts: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut steps = Vec::new();
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        let mut set_earlier: BTreeMap<String, String> = BTreeMap::new();
        for section in &page.sections {
            let part = Part::of(&section.heading);
            let field = match part {
                Part::Meaning => "symptom",
                Part::Impact => "impact",
                Part::Diagnosis => "detection",
                Part::Mitigation | Part::Other => "recovery",
            };
            let mut prose = section.prose.clone();
            if part == Part::Other && !section.heading.is_empty() && !prose.is_empty() {
                prose.insert(0, format!("{}:", section.heading));
            }
            texts.entry(field).or_default().extend(prose);
            for block in &section.blocks {
                let converted = command::convert(&block.lang, &block.code, &set_earlier);
                self.problems.extend(converted.problems.iter().map(|p| (block.at, p.clone())));
                for name in &converted.sets {
                    set_earlier.insert(name.clone(), first_line(&block.code).to_owned());
                }
                for (name, description) in &converted.vars {
                    vars.entry(name.clone()).or_insert_with(|| description.clone());
                }
                steps.push((part, block, converted));
            }
        }
        // Imported prose keeps no control character (check refuses them).
        let joined = |field: &str| texts.get(field).map(|p| clean(&paragraphs(p))).filter(|t| !t.trim().is_empty());
        let symptom = joined("symptom").or_else(|| texts.get("recovery").and_then(|p| p.first()).map(|p| clean(p)))?;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Converted by `pagerbook import` from {}.\n# The original is under the Apache License 2.0; this file was changed from it.\n",
            self.references[0]
        );
        out.push_str("[[failure]]\n");
        let _ = writeln!(out, "id = {}", string(&self.id));
        let _ = writeln!(out, "title = {}", string(&clean(&self.title)));
        if !component(file.path).is_empty() {
            let _ = writeln!(out, "component = {}", string(component(file.path)));
        }
        let _ = writeln!(out, "symptom = {}", text(&symptom));
        for field in ["impact", "detection", "recovery"] {
            if let Some(value) = joined(field) {
                let _ = writeln!(out, "{field} = {}", text(&value));
            }
        }
        let _ = writeln!(out, "signals = {}", strings([self.alert.as_str()]));
        let _ = writeln!(out, "tags = {}", strings([self.alert.as_str()]));
        if !self.aliases.is_empty() {
            let _ = writeln!(out, "aliases = {}", strings(self.aliases.iter().map(String::as_str)));
        }
        if !self.related.is_empty() {
            let _ = writeln!(out, "related = {}", strings(self.related.iter().map(String::as_str)));
        }
        let _ = writeln!(out, "references = {}", strings(self.references.iter().map(String::as_str)));
        for (name, description) in &vars {
            let _ = writeln!(out, "\n[failure.vars.{name}]\ndescription = {}", string(&clean(description)));
        }
        for (part, block, step) in steps {
            out.push_str("\n[[failure.steps]]\n");
            let instruction = if block.intro.is_empty() { default_instruction(part) } else { clean(&block.intro) };
            let _ = writeln!(out, "do = {}", text(&instruction));
            let _ = writeln!(out, "run = {}", text(&clean_command(&step.run)));
            if step.lang != crate::catalog::DEFAULT_LANG {
                let _ = writeln!(out, "lang = {}", string(&step.lang));
            }
            if step.danger != Danger::Safe {
                let _ = writeln!(out, "danger = {}", string(step.danger.as_str()));
            }
            if step.interactive {
                out.push_str("interactive = true\n");
            }
            if let Some(example) = &step.example_output {
                let _ = writeln!(out, "example_output = {}", text(&clean(example)));
            }
        }
        Some(out)
    }
}

/// Paragraphs one blank line apart; the items of a list on lines of their own.
fn paragraphs(prose: &[String]) -> String {
    let mut out = String::new();
    for (i, paragraph) in prose.iter().enumerate() {
        if i > 0 {
            let list = paragraph.starts_with("- ") && prose[i - 1].starts_with("- ");
            out.push_str(if list { "\n" } else { "\n\n" });
        }
        out.push_str(paragraph);
    }
    out
}

fn default_instruction(part: Part) -> String {
    match part {
        Part::Diagnosis => "Look (from the runbook's Diagnosis).".into(),
        Part::Mitigation => "Act (from the runbook's Mitigation).".into(),
        _ => "Run this (from the runbook).".into(),
    }
}

fn first_line(code: &str) -> &str {
    code.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default()
}

/// Text without the control characters a catalog refuses (newlines and
/// tabs stay).
fn clean(text: &str) -> String {
    text.trim().chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}

/// A command without the characters a catalog refuses in a `run`.
fn clean_command(run: &str) -> String {
    clean(run).chars().filter(|c| !crate::visible::is_deceptive(*c)).collect()
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
}
