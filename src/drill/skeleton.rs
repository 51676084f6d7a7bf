//! `drill new ID`: a scenario's first draft, written from a failure mode so
//! the game master starts from its facts: the briefing from its symptom,
//! reveals from its signals and its steps, the expected steps from its
//! steps, the answer from its id. It passes `check` as written.

use std::fmt::Write as _;

use crate::catalog::{Catalog, Danger, Entry};
use crate::toml_text::{string, text};

/// The scenario's TOML, under the drill id `id`.
#[must_use]
pub fn skeleton(catalog: &Catalog, entry: &Entry, id: &str) -> String {
    let mut out = String::new();
    let title = entry.title();
    let _ = writeln!(out, "# A walkthrough drill of `{}` ({title}), written by `pagerbook drill new`.", entry.id());
    out.push_str(
        "# Edit it before the drill: the briefing is the page as the responder gets it (never the cause);\n\
         # each reveal is what they see where they look (check the signals below name no cause);\n\
         # a `step:` reveal is what a step prints when they run it: write those out and uncomment them\n\
         # (a step without one shows \"(nothing unusual)\"). Then: pagerbook check THIS-FILE\n\n",
    );
    out.push_str("[[drill]]\n");
    let _ = writeln!(out, "id = {}", string(id));
    let _ = writeln!(out, "failure = {}", string(entry.id()));
    let _ = writeln!(out, "title = {}", string(&short(entry.headline())));
    let _ = writeln!(out, "briefing = {}", text(&format!("You are paged: {}", entry.headline())));
    out.push_str("difficulty = \"medium\"\ndiagnose_within = \"15m\"\nmitigate_within = \"30m\"\n");
    let steps: Vec<(usize, &crate::catalog::Step)> =
        entry.steps.iter().enumerate().map(|(i, step)| (i + 1, step)).filter(|(_, s)| s.run().is_some()).collect();
    let expected: Vec<String> = steps.iter().map(|(n, _)| string(&format!("{}:{n}", entry.id()))).collect();
    let _ = writeln!(out, "expected = [{}]", expected.join(", "));
    let recovery = entry.text(crate::catalog::TextField::Recovery).unwrap_or("(what a good response does)");
    let _ = writeln!(out, "notes = {}", text(&format!("What a good response looks like:\n{recovery}")));
    let related: Vec<String> =
        entry.related().filter_map(|id| catalog.get(id)).take(3).map(|e| string(e.title())).collect();
    let _ = writeln!(out, "red_herrings = [{}]", related.join(", "));
    let signals: Vec<&str> = entry.signals().collect();
    if !signals.is_empty() {
        let _ = writeln!(out, "\n[[drill.reveals]]\non = \"logs\"\ntext = {}", text(&signals.join("\n")));
    }
    for (n, step) in steps.iter().filter(|(_, step)| step.danger == Danger::Safe) {
        // What an imported runbook showed it printing upstream is a start.
        if let Some(example) = step.example_output() {
            let _ = writeln!(out, "\n[[drill.reveals]]\non = \"step:{}:{n}\"\ntext = {}", entry.id(), text(example));
            continue;
        }
        let command = step.run().unwrap_or_default().replace('\n', " ");
        let _ = writeln!(
            out,
            "\n# [[drill.reveals]]\n# on = \"step:{}:{n}\"  # {}\n# text = '''\n# what `{command}` prints in this scenario\n# '''",
            entry.id(),
            step.instruction().replace('\n', " ")
        );
    }
    out.push_str("\n[[drill.injects]]\nafter = \"10m\"\ntext = \"Someone asks in the incident channel when it will be fixed.\"\n");
    let layer = entry.layer().and_then(|id| catalog.layer(id)).map_or("the system", |layer| layer.title.as_str());
    let _ = writeln!(out, "\n[[drill.hints]]\ntext = {}", string(&format!("Look at {layer}.")));
    let _ = writeln!(out, "\n[[drill.hints]]\ntext = {}", string(&format!("Search for: {title}")));
    out
}

/// A title for the wheel that names what is seen, not its cause: the
/// symptom's first sentence, or its first clause when that is long.
fn short(text: &str) -> String {
    let sentence = text[..text.find(['.', '\n']).unwrap_or(text.len())].trim();
    let clause = sentence
        .find([',', ';', '('])
        .filter(|_| sentence.chars().count() > 70)
        .map_or(sentence, |end| &sentence[..end]);
    if clause.is_empty() { "A page came in".to_owned() } else { clause.trim().to_owned() }
}
