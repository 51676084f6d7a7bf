//! An entry's plain-text rendering: a [`Presentation`] for a plain terminal.

use std::io::{self, Write};

use crate::catalog::{self, Kind, TextField};
use crate::present::{self, Mark, Presentation, Section};
use crate::template;
use crate::wrap::wrap;

/// Width plain-text output is wrapped to.
const TEXT_WIDTH: usize = 80;

/// An entry in full, for a plain terminal.
pub(super) fn write_entry(shown: &Presentation<'_>, out: &mut dyn Write) -> io::Result<()> {
    let entry = shown.entry;
    writeln!(out, "{}: {}", entry.id(), entry.title())?;
    let mut facts = vec![entry.kind.noun().to_owned()];
    if let Some(layer) = entry.layer() {
        let title = shown.layer.map(|l| format!(" ({})", l.title)).unwrap_or_default();
        facts.push(format!("layer {layer}{title}"));
    }
    if let Some(component) = entry.text(TextField::Component) {
        facts.push(format!("component {component}"));
    }
    writeln!(out, "{}", facts.join(" · "))?;
    if entry.kind == Kind::Failure {
        let note = entry.text(TextField::FrequencyNote).map(|n| format!(" ({n})")).unwrap_or_default();
        let (frequency, severity) = (or_unknown(entry.frequency), or_unknown(entry.severity));
        writeln!(out, "frequency {frequency}{note} · severity {severity}")?;
    }
    for section in &shown.sections {
        match section {
            Section::Prose(heading, text) => {
                writeln!(out, "\n{heading}")?;
                for line in wrap(text, TEXT_WIDTH - 2) {
                    writeln!(out, "  {line}")?;
                }
            }
            Section::Steps(steps) => {
                writeln!(out, "\nSteps")?;
                for (i, step) in steps.iter().enumerate() {
                    write_step(i, step, out)?;
                }
            }
            Section::Literal(heading, lines) => write_list(out, heading, lines.iter().map(|line| format!("- {line}")))?,
            Section::Items(heading, items) => write_list(out, heading, items.iter().map(|item| (*item).to_owned()))?,
            Section::Placeholders(vars) => {
                write_list(out, "Placeholders", vars.iter().map(|v| present::placeholder(v)))?;
            }
            Section::Links(heading, links) => {
                write_list(
                    out,
                    heading,
                    links.iter().map(|(_, linked)| format!("{}: {}", linked.id(), linked.title())),
                )?;
            }
        }
    }
    writeln!(out)?;
    if !shown.tags.is_empty() {
        writeln!(out, "tags: {}", shown.tags.join(", "))?;
    }
    if let Some(date) = shown.last_reviewed {
        writeln!(out, "last reviewed: {date}")?;
    }
    writeln!(out, "defined at {}", entry.origin())
}

/// Step `index` (0 is the first), numbered from 1, its marks and command
/// under the instruction.
fn write_step(index: usize, step: &catalog::Step, out: &mut dyn Write) -> io::Result<()> {
    let number = format!("{}. ", index + 1);
    let indent = " ".repeat(number.len() + 2);
    for (j, line) in wrap(step.instruction(), TEXT_WIDTH - indent.len()).iter().enumerate() {
        let lead = if j == 0 { format!("  {number}") } else { indent.clone() };
        writeln!(out, "{lead}{line}")?;
    }
    let Some(run) = step.run() else { return Ok(()) };
    let marks: Vec<String> = present::marks(step)
        .into_iter()
        .map(|mark| match mark {
            Mark::Danger(danger) => format!("danger: {danger}"),
            Mark::Interactive => "interactive".to_owned(),
            Mark::Lang(lang) => lang.to_owned(),
            Mark::CopyOnly => "copied, not run".to_owned(),
            Mark::Place(place) => format!("run from {place}"),
        })
        .collect();
    if !marks.is_empty() {
        writeln!(out, "{indent}[{}]", marks.join(", "))?;
    }
    for (j, line) in template::display(run).lines().enumerate() {
        let prompt = if j == 0 { "$ " } else { "  " };
        writeln!(out, "{indent}{prompt}{line}")?;
    }
    if let Some(example) = step.example_output() {
        writeln!(out, "{indent}{}", present::UPSTREAM_OUTPUT)?;
        for line in example.lines() {
            writeln!(out, "{indent}  {line}")?;
        }
    }
    Ok(())
}

fn write_list(out: &mut dyn Write, heading: &str, items: impl ExactSizeIterator<Item = String>) -> io::Result<()> {
    if items.len() == 0 {
        return Ok(());
    }
    writeln!(out, "\n{heading}")?;
    for item in items {
        writeln!(out, "  {item}")?;
    }
    Ok(())
}

/// A failure's frequency or severity as shown: "unknown" where it gives none.
pub(super) fn or_unknown(rating: Option<impl std::fmt::Display>) -> String {
    rating.map_or_else(|| "unknown".to_owned(), |rating| rating.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Source, load};

    /// The rendering stands apart from loading and dispatch: a presentation in,
    /// text out, as markdown export will be beside it.
    #[test]
    fn a_step_numbered_ten_or_more_aligns_its_wrapped_lines_marks_and_command() {
        let drill = load(&[Source::Path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/drill").into())]).catalog;
        let mut out = Vec::new();
        write_step(10, &drill.entries()[0].steps[10], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("  11. Remove a scratch directory"), "{text}");
        assert!(lines[1..].iter().all(|line| line.starts_with("      ") && !line.starts_with("       ")), "{text}");
        assert_eq!(lines[2], "      [danger: destructive]", "{text}");
        assert!(lines[3].starts_with("      $ printf %s {{token}}"), "{text}");
    }
}
