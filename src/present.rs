//! One presentation of an entry, and of the catalog's grouping, for every
//! renderer: `pagerbook show` writes it as plain text, the navigator lays it
//! out as its detail page, and markdown export will write it as markdown.
//! What an entry shows, and in which order, is decided here once, so a new
//! field appears everywhere from one change; the renderers only choose how
//! each part looks.

use std::sync::Arc;

use crate::catalog::{Catalog, Danger, Entry, Kind, Layer, ListField, Step, TextField, Var};

/// An entry as every renderer shows it, parts in reading order.
pub struct Presentation<'a> {
    /// The entry itself, for what a renderer adds (the navigator's run status).
    pub entry: &'a Entry,
    /// Its layer, when the catalog has it.
    pub layer: Option<&'a Layer>,
    /// The sections, in the order the engineer needs them.
    pub sections: Vec<Section<'a>>,
    /// Tags, review date and origin, after everything else.
    pub tags: Vec<&'a str>,
    /// When someone last checked it against the system.
    pub last_reviewed: Option<&'a str>,
}

/// A part of an entry under its own heading.
pub enum Section<'a> {
    /// Text: symptom, summary, impact, recovery, detection, prevention.
    Prose(&'static str, &'a str),
    /// What to do, in order.
    Steps(&'a [Step]),
    /// Lines as a tool prints them, shown as quotes: signals.
    Literal(&'static str, Vec<&'a str>),
    /// Short items: references.
    Items(&'static str, Vec<&'a str>),
    /// The placeholders the commands use.
    Placeholders(&'a [Arc<Var>]),
    /// Other entries, by their index in the catalog: related, runbooks.
    Links(&'static str, Vec<(usize, &'a Entry)>),
}

/// Lays out entry `index` of `catalog`. What the engineer needs first comes
/// first: the symptom (is this it?), its impact, the recovery (does it heal
/// by itself?), then the steps, so at 80×24 the first command is on the
/// first screen. What helps to confirm or prevent it comes after.
#[must_use]
pub fn present(catalog: &Catalog, index: usize) -> Presentation<'_> {
    let entry = &catalog.entries()[index];
    let prose = |fields: &[(&'static str, TextField)]| -> Vec<Section<'_>> {
        fields.iter().filter_map(|(heading, field)| Some(Section::Prose(heading, entry.text(*field)?))).collect()
    };
    let mut sections = prose(&[
        ("Symptom", TextField::Symptom),
        ("Summary", TextField::Summary),
        ("Impact", TextField::Impact),
        ("Recovery", TextField::Recovery),
    ]);
    if !entry.steps.is_empty() {
        sections.push(Section::Steps(&entry.steps));
    }
    if entry.signals().len() > 0 {
        sections.push(Section::Literal("Signals", entry.signals().collect()));
    }
    sections.extend(prose(&[("Detection", TextField::Detection), ("Prevention", TextField::Prevention)]));
    if !entry.vars.is_empty() {
        sections.push(Section::Placeholders(&entry.vars));
    }
    for (heading, field) in [("Related", ListField::Related), ("Runbooks", ListField::Runbooks)] {
        let links: Vec<(usize, &Entry)> =
            entry.list(field).filter_map(|id| catalog.position(id).map(|i| (i, &catalog.entries()[i]))).collect();
        if !links.is_empty() {
            sections.push(Section::Links(heading, links));
        }
    }
    if entry.list(ListField::Aliases).len() > 0 {
        sections.push(Section::Items("Also known as", entry.list(ListField::Aliases).collect()));
    }
    if entry.list(ListField::References).len() > 0 {
        sections.push(Section::Items("References", entry.list(ListField::References).collect()));
    }
    Presentation {
        entry,
        layer: entry.layer().and_then(|id| catalog.layer(id)),
        sections,
        tags: entry.tags().collect(),
        last_reviewed: entry.text(TextField::LastReviewed),
    }
}

/// What is said about a step beside its command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark<'a> {
    /// It changes or destroys something.
    Danger(Danger),
    /// It takes over the terminal.
    Interactive,
    /// Its syntax, when not the default shell.
    Lang(&'a str),
    /// Not a shell's: copied, never run.
    CopyOnly,
    /// Where it must be run from.
    Place(&'a str),
}

/// The marks of a step with a command, in the order they are shown.
#[must_use]
pub fn marks(step: &Step) -> Vec<Mark<'_>> {
    let mut marks = Vec::new();
    if step.danger != Danger::Safe {
        marks.push(Mark::Danger(step.danger));
    }
    if step.interactive {
        marks.push(Mark::Interactive);
    }
    if step.lang != crate::catalog::DEFAULT_LANG {
        marks.push(Mark::Lang(&step.lang));
    }
    if !step.runs_in_a_shell() {
        marks.push(Mark::CopyOnly);
    }
    if let Some(place) = step.place() {
        marks.push(Mark::Place(place));
    }
    marks
}

/// What goes above a step's example output.
pub const UPSTREAM_OUTPUT: &str = "what it looked like upstream:";

/// A placeholder as listed under an entry: `{{name}}  what it is (default: d)`.
#[must_use]
pub fn placeholder(var: &Var) -> String {
    let default = var.default.as_ref().map(|d| format!(" (default: {d})")).unwrap_or_default();
    format!("{{{{{}}}}}  {}{default}", var.name, var.description)
}

/// The heading an entry is listed under: its layer, edge inward, then the
/// runbooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group<'a> {
    /// A failure mode's layer: its id, and its title (the id again when the
    /// catalog does not have the layer).
    Layer { id: &'a str, title: &'a str },
    /// A failure mode in no layer (the loader puts those in Unsorted; kept
    /// so that any entry has a group).
    Other,
    /// Every runbook.
    Runbooks,
}

impl<'a> Group<'a> {
    /// The group `entry` is listed under.
    #[must_use]
    pub fn of(catalog: &'a Catalog, entry: &'a Entry) -> Group<'a> {
        match (entry.kind, entry.layer()) {
            (Kind::Runbook, _) => Group::Runbooks,
            (Kind::Failure, Some(id)) => Group::Layer { id, title: catalog.layer(id).map_or(id, |l| l.title.as_str()) },
            (Kind::Failure, None) => Group::Other,
        }
    }

    /// Its heading.
    #[must_use]
    pub fn title(self) -> &'a str {
        match self {
            Group::Layer { title, .. } => title,
            Group::Other => "Other",
            Group::Runbooks => "Runbooks",
        }
    }
}

/// Entries under their group's heading, in catalog order (edge inward, then
/// runbooks): a new heading wherever the group changes.
pub fn grouped<'a>(
    catalog: &'a Catalog,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> Vec<(Group<'a>, Vec<&'a Entry>)> {
    let mut groups: Vec<(Group<'a>, Vec<&'a Entry>)> = Vec::new();
    for entry in entries {
        let group = Group::of(catalog, entry);
        match groups.last_mut() {
            Some((last, members)) if *last == group => members.push(entry),
            _ => groups.push((group, vec![entry])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Source, load};

    fn drill() -> Catalog {
        load(&[Source::Path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/drill").into())]).catalog
    }

    #[test]
    fn sections_come_in_the_order_an_engineer_needs_them() {
        let catalog = drill();
        let shown = present(&catalog, 0);
        let headings: Vec<&str> = shown
            .sections
            .iter()
            .map(|section| match section {
                Section::Prose(heading, _)
                | Section::Literal(heading, _)
                | Section::Items(heading, _)
                | Section::Links(heading, _) => heading,
                Section::Steps(_) => "Steps",
                Section::Placeholders(_) => "Placeholders",
            })
            .collect();
        assert_eq!(headings, ["Symptom", "Impact", "Recovery", "Steps", "Placeholders"]);
        assert_eq!(shown.layer.map(|l| l.id.as_str()), Some("drill"));
    }

    #[test]
    fn marks_say_danger_terminal_syntax_and_place() {
        let catalog = drill();
        let steps = &catalog.entries()[0].steps;
        assert_eq!(marks(&steps[0]), []);
        assert_eq!(marks(&steps[4]), [Mark::Danger(Danger::Destructive)]);
        assert_eq!(marks(&steps[6]), [Mark::Place("a shell with the drill cluster's kubeconfig")]);
        assert_eq!(marks(&steps[9]), [Mark::Interactive]);
    }

    #[test]
    fn groups_follow_the_catalog_order() {
        let catalog = load(&[Source::Embedded]).catalog;
        let groups = grouped(&catalog, catalog.entries());
        let titles: Vec<&str> = groups.iter().map(|(group, _)| group.title()).collect();
        assert_eq!(titles.first().map(|t| t.starts_with("Edge")), Some(true), "{titles:?}");
        assert_eq!(titles.last(), Some(&"Runbooks"));
        let layers: Vec<&str> = catalog.layers.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(titles[..titles.len() - 1], layers[..], "one group per layer, edge inward");
    }
}
