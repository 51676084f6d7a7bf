//! An imported page as a catalog entry's TOML: which section goes where,
//! the steps in order, the placeholders declared, the links and the notice
//! of conversion.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::declared::{Declared, looks_secret};
use super::{Markdown, command, component, page, session, upstream};
use crate::catalog::Danger;
use crate::toml_text::{string, strings, text};
use page::Page;

/// What sections are for: where their prose and their blocks go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Meaning,
    Impact,
    Diagnosis,
    Mitigation,
    /// Literal lines people see: signals.
    Signals,
    /// Other names: aliases.
    Aliases,
    /// Said by the links and the table of placeholders themselves: related
    /// entries, runbooks, references, placeholders.
    Said,
    /// Any other heading, or the text before the first: kept as prose.
    Other,
}

impl Part {
    /// The part a section's heading names, by its words as teams write
    /// them: "Symptoms", "User impact", "Investigation", "Step 3: Roll
    /// back", "Related pages".
    fn of(heading: &str) -> Part {
        let heading = heading.trim().to_ascii_lowercase();
        match heading.as_str() {
            "signals" => return Part::Signals,
            "also known as" | "aliases" => return Part::Aliases,
            "placeholders" | "about" => return Part::Said,
            _ => {}
        }
        let words: Vec<&str> = heading.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
        let has = |stems: &[&str]| words.iter().any(|word| stems.iter().any(|stem| word.starts_with(stem)));
        // "See also", not "Seeing 502s": a links section's prose is not kept.
        let see_also = words.contains(&"see") && words.contains(&"also");
        if has(&["related", "runbooks", "references", "links"]) || see_also {
            Part::Said
        } else if has(&[
            "mitigat",
            "resolution",
            "resolv",
            "remedia",
            "fix",
            "recover",
            "rollback",
            "workaround",
            "restor",
        ]) || (has(&["roll"]) && has(&["back"]))
            || has(&["verif", "validat"])
        {
            Part::Mitigation
        } else if has(&["diagnos", "investigat", "troubleshoot", "triage", "debug", "detect", "identif"]) {
            Part::Diagnosis
        } else if has(&["impact"]) {
            Part::Impact
        } else if has(&["meaning", "description", "summary", "overview", "symptom", "background", "context", "problem"])
        {
            Part::Meaning
        } else {
            Part::Other
        }
    }
}

/// An entry being written.
pub(super) struct Entry {
    pub(super) id: String,
    /// What the page is about, when it is an alert: its H1.
    alert: Option<String>,
    signals: Vec<String>,
    title: String,
    pub(super) aliases: Vec<String>,
    related: Vec<String>,
    runbooks: Vec<String>,
    /// What a page's table of placeholders says of them (a page `export` wrote).
    declared: Vec<Declared>,
    references: Vec<String>,
    pub(super) problems: Vec<(usize, String)>,
    /// The shells an earlier block opened elsewhere and did not leave,
    /// innermost last: the blocks after it are typed into them.
    session: Vec<String>,
}

impl Entry {
    pub(super) fn new(
        file: &Markdown<'_>,
        page: &Page,
        alert: String,
        id: String,
        by_stem: &BTreeMap<String, (String, bool)>,
    ) -> Entry {
        let title = page.title.clone().unwrap_or_else(|| alert.clone());
        let mut problems = page.problems.clone();
        let (mut related, mut runbooks) = (Vec::new(), Vec::new());
        let mut references = vec![match file.collection.repository() {
            Some(repository) => format!("{repository}/blob/HEAD/{}", upstream(file.path)),
            None => file.path.to_owned(),
        }];
        for (stem, offset) in &page.links {
            match by_stem.get(stem) {
                Some((linked, true)) if !runbooks.contains(linked) => runbooks.push(linked.clone()),
                Some((linked, false)) if *linked != id && !related.contains(linked) => related.push(linked.clone()),
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
        // A page pagerbook wrote says its signals; another's H1 is an alert.
        let alert = page.id.is_none().then_some(alert);
        Entry {
            id,
            alert,
            signals: Vec::new(),
            title,
            aliases,
            related,
            runbooks,
            declared: Vec::new(),
            references,
            problems,
            session: Vec::new(),
        }
    }

    /// The steps of a section, in order; the placeholders they declare into
    /// `vars`, what their blocks set into `set_earlier`.
    fn steps_of(
        &mut self,
        page: &Page,
        section: &page::Section,
        part: Part,
        set_earlier: &mut BTreeMap<String, String>,
        vars: &mut BTreeMap<String, String>,
        steps: &mut Vec<(Part, String, Option<command::Command>)>,
    ) {
        // The shells an earlier block of the section left open: its next
        // blocks are meant for them, until one says it is back here.
        for flow in &section.flow {
            let block = match flow {
                page::Flow::Block(i) => &section.blocks[*i],
                // A page pagerbook wrote numbers every step, those
                // without a command too.
                page::Flow::Item(item) if page.id.is_some() && matches!(part, Part::Diagnosis | Part::Mitigation) => {
                    steps.push((part, exported_instruction(item).0, None));
                    continue;
                }
                page::Flow::Item(_) => continue,
            };
            let mut converted = command::convert(&block.lang, &block.code, set_earlier);
            if block.unclosed && crate::catalog::is_shell_lang(&converted.lang) {
                // Where the block ends is a guess: it is copied, never run.
                "text".clone_into(&mut converted.lang);
                converted.interactive = false;
            }
            self.problems.extend(converted.problems.iter().map(|p| (block.at, p.clone())));
            for name in &converted.sets {
                set_earlier.insert(name.clone(), first_line(&block.code).to_owned());
            }
            for (name, description) in &converted.vars {
                vars.entry(name.clone()).or_insert_with(|| description.clone());
            }
            let intro = if page.id.is_some() {
                // A page export wrote says the step's marks: they are
                // its own, not a guess from its command.
                let (intro, said) = exported_instruction(&block.intro);
                (converted.danger, converted.interactive, converted.place) = said;
                intro
            } else {
                // A block starting with a workstation's tool (kubectl, aws,
                // helm, terraform…) is typed here again: a node or a pod
                // seldom has them, and a page rarely says it went back.
                let back = session::says_it_is_back(&block.intro) || session::starts_at_the_workstation(&converted.run);
                if back {
                    self.session.clear();
                }
                // A query or a manifest is copied anyway: where it goes is
                // for its own block to say.
                if !self.session.is_empty() && crate::catalog::is_shell_lang(&converted.lang) {
                    // Run here, it would act on this machine: copied only.
                    let shells: Vec<String> =
                        self.session.iter().map(|line| format!("`{}`", session::as_typed(line))).collect();
                    let said = format!("the shell {} opens (an earlier step)", shells.join(" then "));
                    self.problems.push((block.at, format!("meant for {said}: copied, never run here")));
                    converted.place = Some(said);
                    "text".clone_into(&mut converted.lang);
                    converted.interactive = false;
                }
                block.intro.clone()
            };
            session::track_sessions(&converted.run, &mut self.session);
            steps.push((part, intro, Some(converted)));
        }
    }

    /// The entry's TOML; `None` when there is nothing to say of its symptom.
    pub(super) fn toml(&mut self, page: &Page, file: &Markdown<'_>) -> Option<String> {
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
                Part::Said if section.heading.eq_ignore_ascii_case("placeholders") => {
                    self.declared.extend(section.prose.iter().filter_map(|row| Declared::of_row(row)));
                    ""
                }
                Part::Signals | Part::Aliases | Part::Said => {
                    let items = section
                        .prose
                        .iter()
                        .filter_map(|p| p.strip_prefix("- "))
                        .map(|item| item.trim_matches('`').to_owned());
                    match part {
                        Part::Signals => self.signals.extend(items),
                        Part::Aliases => self.aliases.extend(items),
                        _ => {}
                    }
                    ""
                }
            };
            let mut prose = section.prose.clone();
            if part == Part::Other && !section.heading.is_empty() && !prose.is_empty() {
                prose.insert(0, format!("{}:", section.heading));
            }
            if !field.is_empty() {
                texts.entry(field).or_default().extend(prose);
            }
            self.steps_of(page, section, part, &mut set_earlier, &mut vars, &mut steps);
        }
        // Imported prose keeps no control character (check refuses them).
        let joined = |field: &str| texts.get(field).map(|p| clean(&paragraphs(p))).filter(|t| !t.trim().is_empty());
        let symptom = joined("symptom").or_else(|| texts.get("recovery").and_then(|p| p.first()).map(|p| clean(p)))?;
        let mut out = String::new();
        let _ = writeln!(out, "# Converted by `pagerbook import` from {}.", self.references[0]);
        if file.collection.repository().is_some() {
            // Apache-2.0, section 4: a changed file says so.
            let _ = writeln!(out, "# The original is under the Apache License 2.0; this file was changed from it.");
        }
        out.push('\n');
        // A runbook's page (`export` says so) holds a summary and steps only.
        let table = if page.runbook { "runbook" } else { "failure" };
        let _ = writeln!(out, "[[{table}]]");
        let _ = writeln!(out, "id = {}", string(&self.id));
        let _ = writeln!(out, "title = {}", string(&clean(&self.title)));
        if !component(file.path).is_empty() && !page.runbook {
            let _ = writeln!(out, "component = {}", string(component(file.path)));
        }
        let _ = writeln!(out, "{} = {}", if page.runbook { "summary" } else { "symptom" }, text(&symptom));
        for field in ["impact", "detection", "recovery"].into_iter().filter(|_| !page.runbook) {
            if let Some(value) = joined(field) {
                let _ = writeln!(out, "{field} = {}", text(&value));
            }
        }
        let signals: Vec<&str> = self.alert.iter().chain(&self.signals).map(String::as_str).collect();
        if !signals.is_empty() {
            let _ = writeln!(out, "signals = {}", strings(signals));
        }
        if let Some(alert) = &self.alert {
            let _ = writeln!(out, "tags = {}", strings([alert.as_str()]));
        }
        if !self.aliases.is_empty() {
            let _ = writeln!(out, "aliases = {}", strings(self.aliases.iter().map(String::as_str)));
        }
        for (field, ids) in [("related", &self.related), ("runbooks", &self.runbooks)] {
            if !ids.is_empty() && !page.runbook {
                let _ = writeln!(out, "{field} = {}", strings(ids.iter().map(String::as_str)));
            }
        }
        let _ = writeln!(out, "references = {}", strings(self.references.iter().map(String::as_str)));
        // A name taken from the text that no command kept (a Grafana link
        // in a text block) is declared by none.
        let used: BTreeSet<String> = steps
            .iter()
            .filter_map(|(_, _, step)| step.as_ref())
            .filter_map(|step| crate::template::parse(&step.run).ok())
            .flatten()
            .filter_map(|piece| match piece {
                crate::template::Piece::Placeholder(p) => Some(p.name.to_owned()),
                crate::template::Piece::Text(_) => None,
            })
            .collect();
        for (name, description) in vars.iter().filter(|(name, _)| used.contains(*name)) {
            let declared = self.declared.iter().find(|d| d.name == *name);
            let description = declared.map_or(description.as_str(), |d| d.description.as_str());
            let _ = writeln!(out, "\n[{table}.vars.{name}]\ndescription = {}", string(&clean(description)));
            match declared {
                Some(declared) => declared.write(&mut out),
                // Typed in, never written down: the journal and the
                // remembered values leave it out.
                None if looks_secret(name) => out.push_str("secret = true\n"),
                None => {}
            }
        }
        write_steps(&mut out, table, steps);
        Some(out)
    }
}

/// Paragraphs one blank line apart; the items of a list on lines of their own.
fn paragraphs(prose: &[String]) -> String {
    let mut out = String::new();
    for (i, paragraph) in prose.iter().enumerate() {
        if i > 0 {
            // A list's items, nested ones indented, and a table's rows stay together.
            let item = |p: &str| {
                p.trim_start().starts_with("- ") || p.starts_with('|') || (p.starts_with("  ") && !p.trim().is_empty())
            };
            let list = item(paragraph) && item(&prose[i - 1]);
            out.push_str(if list { "\n" } else { "\n\n" });
        }
        out.push_str(paragraph);
    }
    out
}

/// The steps' TOML tables, in order.
fn write_steps(out: &mut String, table: &str, steps: Vec<(Part, String, Option<command::Command>)>) {
    for (part, intro, step) in steps {
        let _ = writeln!(out, "\n[[{table}.steps]]");
        let mut instruction = if intro.is_empty() { default_instruction(part) } else { clean(&intro) };
        // A block that only set the alert's values leaves no command: its
        // names are asked for where a step uses them.
        let step = step.filter(|step| {
            let empty = step.run.trim().is_empty();
            if empty && !step.vars.is_empty() {
                let names: Vec<String> = step.vars.keys().map(|name| format!("`{name}`")).collect();
                let _ = write!(instruction, " ({}: asked for where a step uses it)", names.join(", "));
            }
            !empty
        });
        let _ = writeln!(out, "do = {}", text(&instruction));
        let Some(step) = step else { continue };
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
        if let Some(place) = &step.place {
            let _ = writeln!(out, "where = {}", string(place));
        }
        if let Some(example) = &step.example_output {
            let _ = writeln!(out, "example_output = {}", text(&clean(example)));
        }
    }
}

/// A step's instruction as `export` wrote it, and the marks it wrote after
/// it (`(caution, interactive, run from the node)`): its danger, whether it
/// takes the terminal, where it is run from.
fn exported_instruction(item: &str) -> (String, (Danger, bool, Option<String>)) {
    let marks = ["caution", "destructive", "interactive", "run from "];
    let mut said = (Danger::Safe, false, None);
    // The first ` (` after which every word is a mark: a place may hold
    // parentheses of its own.
    let item = item.trim_end();
    let body = item.strip_suffix(')').unwrap_or_default();
    let found = body
        .match_indices(" (")
        .map(|(at, _)| (&body[..at], &body[at + 2..]))
        .find(|(_, marked)| marked.split(", ").all(|mark| marks.iter().any(|m| mark.starts_with(m))));
    match found {
        Some((instruction, marked)) => {
            for mark in marked.split(", ") {
                match mark {
                    "caution" => said.0 = Danger::Caution,
                    "destructive" => said.0 = Danger::Destructive,
                    "interactive" => said.1 = true,
                    place => said.2 = place.strip_prefix("run from ").map(str::to_owned),
                }
            }
            (instruction.to_owned(), said)
        }
        _ => (item.to_owned(), said),
    }
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
    use super::Part;

    #[test]
    fn a_heading_names_its_part_by_its_words() {
        for (heading, part) in [
            ("Symptoms", Part::Meaning),
            ("User impact", Part::Impact),
            ("Step 3: Roll back", Part::Mitigation),
            ("Investigation", Part::Diagnosis),
            ("See also", Part::Said),
            ("Related pages", Part::Said),
            ("Seeing 502s from the edge", Part::Other),
            ("Escalation", Part::Other),
        ] {
            assert_eq!(Part::of(heading), part, "{heading}");
        }
    }
}
