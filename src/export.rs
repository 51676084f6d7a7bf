//! `pagerbook export`: entries as markdown pages, in the shape the public
//! runbook collections share (Meaning, Impact, Diagnosis, Mitigation), for
//! GitHub, Hugo (front matter with the title) and the printout for the day
//! nothing can be reached. Written from the one presentation of an entry
//! ([`crate::present`]), and read back by `import` as it was: placeholders
//! as `<name>`, a command's output after a `$ ` prompt, a step's changes
//! after its diagnosis in the order they came.

use std::fmt::Write as _;

use crate::catalog::{Catalog, Danger, Entry, Step};
use crate::present::{self, Presentation, Section};

/// Entry `index`'s page.
#[must_use]
pub fn page(catalog: &Catalog, index: usize) -> String {
    let shown = present::present(catalog, index);
    let entry = shown.entry;
    let mut out = String::new();
    // Hugo reserves `kind`: pagerbook's own keys stand under `params`.
    let _ = writeln!(
        out,
        "---\ntitle: {}\nparams:\n  pagerbook_id: {}\n  pagerbook_kind: {}\n---\n",
        yaml_string(entry.title()),
        yaml_string(entry.id()),
        entry.kind
    );
    let _ = writeln!(out, "# {}\n", entry.title());
    let mut facts = vec![format!("`{}`", entry.id()), entry.kind.noun().to_owned()];
    facts.extend(shown.layer.map(|layer| layer.title.clone()));
    if entry.kind == crate::catalog::Kind::Failure {
        let word = |w: Option<&str>| w.unwrap_or("unknown").to_owned();
        facts.push(format!("frequency {}", word(entry.frequency.map(crate::catalog::Frequency::as_str))));
        facts.push(format!("severity {}", word(entry.severity.map(crate::catalog::Severity::as_str))));
    }
    write_sections(&shown, &mut out);
    let _ = writeln!(out, "## About\n\n{}", facts.join(" · "));
    if let Some(date) = shown.last_reviewed {
        let _ = writeln!(out, "\nLast reviewed {date}.");
    }
    let _ = writeln!(out, "\nDefined at `{}`; exported by pagerbook.", entry.origin());
    out
}

fn write_sections(shown: &Presentation<'_>, out: &mut String) {
    let prose = |name: &str| {
        shown.sections.iter().find_map(|s| match s {
            Section::Prose(heading, text) if *heading == name => Some(*text),
            _ => None,
        })
    };
    let heading = |out: &mut String, title: &str, text: Option<&str>| {
        let _ = writeln!(out, "## {title}\n");
        if let Some(text) = text {
            let _ = writeln!(out, "{}\n", prose_lines(text.trim_end()));
        }
    };
    heading(out, "Meaning", prose("Symptom").or(prose("Summary")));
    if let Some(impact) = prose("Impact") {
        heading(out, "Impact", Some(impact));
    }
    // Diagnosis is what only looks, up to the first step that changes
    // something; from there on, Mitigation: the steps keep their order.
    let steps: &[Step] = shown
        .sections
        .iter()
        .find_map(|s| match s {
            Section::Steps(steps) => Some(*steps),
            _ => None,
        })
        .unwrap_or_default();
    let first_change = steps.iter().position(|step| step.danger != Danger::Safe).unwrap_or(steps.len());
    heading(out, "Diagnosis", prose("Detection"));
    write_steps(&steps[..first_change], 0, out);
    heading(out, "Mitigation", prose("Recovery"));
    write_steps(&steps[first_change..], first_change, out);
    for section in &shown.sections {
        match section {
            Section::Literal(title, lines) => {
                let _ = writeln!(out, "## {title}\n");
                for line in lines {
                    let _ = writeln!(out, "- {}", code_span(line));
                }
                out.push('\n');
            }
            Section::Prose(title @ "Prevention", text) => heading(out, title, Some(text)),
            Section::Placeholders(vars) => {
                out.push_str(
                    "## Placeholders\n\n| placeholder | what it is | default | choices | secret | pattern | listed by |\n",
                );
                out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
                // A `|` ends a table's cell even inside a code span.
                let code = |value: Option<&str>| value.map(|v| cell(&code_span(v))).unwrap_or_default();
                for var in *vars {
                    let (default, pattern) = (code(var.default.as_deref()), code(var.pattern.as_deref()));
                    let secret = if var.secret { "yes" } else { "" };
                    let choices: Vec<String> = var.choices.iter().map(|c| cell(&code_span(c))).collect();
                    let choices = choices.join(", ");
                    let what = cell(&var.description);
                    let listed = var.suggest.as_ref().map(|s| cell(&listed_by(s))).unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "| `<{}>` | {what} | {default} | {choices} | {secret} | {pattern} | {listed} |",
                        var.name
                    );
                }
                out.push('\n');
            }
            Section::Links(title, links) => {
                let _ = writeln!(out, "## {title}\n");
                for (_, linked) in links {
                    let _ = writeln!(out, "- [{}](./{}.md)", linked.title(), linked.id());
                }
                out.push('\n');
            }
            Section::Items(title, items) => {
                let _ = writeln!(out, "## {title}\n");
                for item in items {
                    // A URL as an autolink: it is one wherever it renders.
                    let item = if item.starts_with("https://") || item.starts_with("http://") {
                        format!("<{item}>")
                    } else {
                        (*item).to_owned()
                    };
                    let _ = writeln!(out, "- {item}");
                }
                out.push('\n');
            }
            _ => {}
        }
    }
}

/// Steps as a numbered list, each command fenced under its item.
fn write_steps(steps: &[Step], first: usize, out: &mut String) {
    for (i, step) in steps.iter().enumerate() {
        let marks: Vec<String> = present::marks(step)
            .into_iter()
            .filter_map(|mark| match mark {
                present::Mark::Danger(danger) => Some(format!("**{}**", danger.as_str())),
                present::Mark::Interactive => Some("interactive".to_owned()),
                present::Mark::Place(place) => Some(format!("run from {place}")),
                present::Mark::Lang(_) | present::Mark::CopyOnly => None,
            })
            .collect();
        let marks = if marks.is_empty() { String::new() } else { format!(" ({})", marks.join(", ")) };
        let _ = writeln!(out, "{}. {}{marks}\n", first + i + 1, one_line(step.instruction()));
        let Some(run) = step.run() else { continue };
        let command = as_written(run);
        let (lang, body) = match step.example_output() {
            // A console block: the command after its prompt, then what it printed.
            Some(example) if step.runs_in_a_shell() => ("console", format!("{}\n{example}", prompted(&command))),
            _ => (step.lang.as_ref(), command),
        };
        let fence = fence_for(&body);
        let _ = writeln!(out, "    {fence}{lang}");
        for line in body.lines() {
            let _ = writeln!(out, "    {line}");
        }
        let _ = writeln!(out, "    {fence}\n");
        // A copied step's output: no block of its own, which an import
        // would take for another step.
        if let Some(example) = step.example_output().filter(|_| !step.runs_in_a_shell()) {
            let escaped = example.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            // Indented as the item's text: HTML keeps any more as its own.
            let indent = " ".repeat(format!("{}. ", first + i + 1).len());
            let _ = writeln!(out, "{indent}<pre>What it printed upstream:");
            for line in escaped.lines() {
                let _ = writeln!(out, "{indent}{line}");
            }
            let _ = writeln!(out, "{indent}</pre>\n");
        }
    }
}

/// A command as a runbook writes it: `{{name}}` as `<name>`, escapes
/// resolved.
fn as_written(run: &str) -> String {
    let mut out = String::new();
    match crate::template::parse(run) {
        Ok(pieces) => {
            for piece in pieces {
                match piece {
                    crate::template::Piece::Text(text) => out.push_str(&text),
                    crate::template::Piece::Placeholder(p) => {
                        let _ = write!(out, "<{}>", p.name);
                    }
                }
            }
        }
        Err(_) => out.push_str(&crate::template::display(run)),
    }
    out
}

/// Each line of a command after a `$ ` prompt, continuation lines too.
fn prompted(command: &str) -> String {
    let mut out = Vec::new();
    let mut continued = false;
    for line in command.lines() {
        out.push(if continued { line.to_owned() } else { format!("$ {line}") });
        continued = line.trim_end().ends_with('\\');
    }
    out.join("\n")
}

/// A fence longer than any run of backticks in `text`.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

fn code_span(text: &str) -> String {
    let ticks = "`".repeat(text.split(|c| c != '`').map(str::len).max().unwrap_or(0) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A catalog's prose as markdown says it: a line the catalog means as
/// text never turns into a heading, a rule, an HTML block or code.
fn prose_lines(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            // A tab indents as far as four spaces do.
            let line = line.replace('\t', "    ");
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            // `---`, `- - -`, and a setext underline (`=` or `-` alone).
            let marks = |allowed: &[char]| !trimmed.is_empty() && trimmed.chars().all(|c| allowed.contains(&c));
            let rule = (trimmed.len() >= 3 && marks(&['-', '=', '*', '_', ' '])) || marks(&['=']) || marks(&['-']);
            let item = trimmed.starts_with("- ") || trimmed.starts_with("* ");
            let kept = if indent >= 4 && !item { trimmed } else { line.as_str() };
            let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
            if trimmed.starts_with(['#', '<', '>']) || rule || fence {
                format!("{}\\{trimmed}", &kept[..kept.len() - trimmed.len()])
            } else {
                kept.to_owned()
            }
        })
        .collect();
    lines.join("\n")
}

/// A var's `suggest` as its table cell says it: the command as code, then
/// how its lines are cut (strip, then the prefix as code; `column 2`;
/// `within 10 s`), which `import` reads back.
fn listed_by(suggest: &crate::catalog::Suggest) -> String {
    let mut said = code_span(&suggest.run);
    if let Some(strip) = &suggest.strip {
        let _ = write!(said, " strip {}", code_span(strip));
    }
    if let Some(column) = suggest.column {
        let _ = write!(said, " column {column}");
    }
    if suggest.timeout != crate::catalog::Suggest::DEFAULT_TIMEOUT {
        let _ = write!(said, " within {} s", suggest.timeout);
    }
    said
}

fn cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "\\|")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A YAML double-quoted string.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// The index page: every entry exported, under its group, edge inward.
#[must_use]
pub fn index(catalog: &Catalog, entries: &[&Entry]) -> String {
    let mut out = String::from(
        "---\ntitle: \"Runbooks\"\n---\n\n# Runbooks\n\nFailure modes from the edge inward, then the runbooks.\n\n",
    );
    for (group, members) in present::grouped(catalog, entries.iter().copied()) {
        let _ = writeln!(out, "## {}\n", group.title());
        for entry in members {
            let _ = writeln!(out, "- [{}](./{}.md)", entry.title(), entry.id());
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Parser, Tag};

    use super::*;

    #[test]
    fn a_copied_steps_output_is_shown_in_no_block_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("t.toml"),
            "[[failure]]\nid = \"a\"\ntitle = \"A\"\nsymptom = \"s\"\n\n[[failure.steps]]\ndo = \"Look.\"\nrun = \"up == 0\"\nlang = \"promql\"\nexample_output = \"<empty> & 1\\n\\nnone\"\n",
        )
        .unwrap();
        let catalog = crate::catalog::load(&[crate::catalog::Source::Path(dir.path().to_owned())]).catalog;
        let page = page(&catalog, 0);
        let blocks = Parser::new(&page).filter(|e| matches!(e, Event::Start(Tag::CodeBlock(_)))).count();
        assert_eq!(blocks, 1, "{page}");
        let html: String = Parser::new(&page)
            .filter_map(|e| match e {
                Event::Html(html) => Some(html.into_string()),
                _ => None,
            })
            .collect();
        assert!(html.contains("&lt;empty&gt; &amp; 1\n\nnone\n</pre>"), "{html}");
    }

    #[test]
    fn prose_that_looks_like_markdown_stays_text() {
        let text = "Seen as:\n# not a heading\n---\n    not code\n\tnor this\n<div> not html\n```sh\nrm -rf /\n```\n- - -\nunderlined\n=\n- an item\n  - nested";
        let written = prose_lines(text);
        let mut words = String::new();
        for event in Parser::new(&written) {
            match event {
                Event::Start(Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::HtmlBlock) | Event::Rule => {
                    panic!("{event:?} in:\n{written}")
                }
                Event::Text(text) => words.push_str(&text),
                _ => {}
            }
        }
        for kept in [
            "# not a heading",
            "---",
            "not code",
            "nor this",
            "<div> not html",
            "- - -",
            "underlined",
            "an item",
            "nested",
        ] {
            assert!(words.contains(kept), "{kept:?} in {words:?}");
        }
    }
}
