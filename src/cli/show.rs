//! `show` and `cmd`: one entry in full, and one step's command filled in.

use std::io::{self, Write};

use super::text::write_entry;
use super::{EXIT_OK, EXIT_PROBLEM, load_noting_problems, unknown_id};
use crate::catalog::Source;
use crate::danger;
use crate::present;
use crate::template;
use crate::wrap::plural;

pub(super) fn show(
    sources: &[Source],
    id: &str,
    json: bool,
    color: super::reading::ColorChoice,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let loaded = load_noting_problems(sources, err)?;
    let catalog = &loaded.catalog;
    let Some(entry) = catalog.get(id) else {
        return unknown_id(catalog, id, err);
    };
    if json {
        serde_json::to_writer_pretty(&mut *out, entry)?;
        writeln!(out)?;
    } else {
        let mut text = Vec::new();
        write_entry(&present::present(catalog, catalog.position(id).unwrap_or_default()), &mut text)?;
        super::reading::deliver(&text, color, out)?;
    }
    Ok(EXIT_OK)
}

/// `cmd`: one step's command, rendered with the given values or defaults.
pub(super) fn step_command(
    sources: &[Source],
    id: &str,
    number: usize,
    given: &[(String, String)],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let loaded = load_noting_problems(sources, err)?;
    let Some(entry) = loaded.catalog.get(id) else {
        return unknown_id(&loaded.catalog, id, err);
    };
    let step = number.checked_sub(1).and_then(|i| entry.steps.get(i));
    let Some((step, run)) = step.and_then(|s| Some((s, s.run()?))) else {
        let steps = plural(entry.steps.len(), "step");
        writeln!(err, "pagerbook: error: `{id}` has no command at step {number} (it has {steps})")?;
        return Ok(EXIT_PROBLEM);
    };
    if let Some((name, _)) = given.iter().find(|(name, _)| entry.var(name).is_none()) {
        writeln!(err, "pagerbook: error: `{id}` has no placeholder {{{{{name}}}}}")?;
        return Ok(EXIT_PROBLEM);
    }
    // As in the navigator's form: what a destructive step may act on is
    // never taken from a default; the person names it.
    let destructive = danger::destructive_reason(step.danger, run).is_some();
    let chosen_only = |name: &str| destructive && danger::is_target_name(name);
    let value_of = |name: &str| {
        given
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .or_else(|| if chosen_only(name) { None } else { entry.var(name)?.default.as_deref() })
    };
    for var in &entry.vars {
        let Some(value) = value_of(&var.name) else { continue };
        match var.check(value) {
            Ok(None) => {}
            Ok(Some(warning)) => writeln!(err, "pagerbook: warning: the value of {{{{{}}}}} {warning}", var.name)?,
            Err(problem) => {
                writeln!(err, "pagerbook: error: the value of {{{{{}}}}}: {problem}", var.name)?;
                return Ok(EXIT_PROBLEM);
            }
        }
    }
    match step.render(value_of) {
        Ok(command) => {
            if let Some(why) = danger::destructive_reason(step.danger, &command) {
                writeln!(err, "pagerbook: warning: this command is destructive ({why}): read it before you run it")?;
            }
            writeln!(out, "{command}")?;
            Ok(EXIT_OK)
        }
        Err(template::RenderError::Missing(name)) => {
            let about = entry.var(&name).map(|v| format!(" ({})", v.description)).unwrap_or_default();
            let why = if chosen_only(&name) && entry.var(&name).is_some_and(|v| v.default.is_some()) {
                "; a destructive step's target is never taken from its default"
            } else {
                ""
            };
            writeln!(err, "pagerbook: error: no value for {{{{{name}}}}}{about}: pass --var {name}=VALUE{why}")?;
            Ok(EXIT_PROBLEM)
        }
        Err(problem) => {
            writeln!(err, "pagerbook: error: {problem}")?;
            Ok(EXIT_PROBLEM)
        }
    }
}
