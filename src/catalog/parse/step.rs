//! A step's fields and its command's checks: placeholders declared and
//! standing where one shell parses them, no deceptive characters, no
//! destructive command marked safe, no defaulted destructive target.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;

use toml::Spanned;

use super::{DeclaredVars, Reader, TomlTable};
use crate::catalog::model::{Checks, DEFAULT_LANG, Danger, Step, is_shell_lang};
use crate::catalog::schema;
use crate::template::{self, Piece};

/// What a placeholder's name refers to.
pub(super) enum Declaration {
    /// A valid declaration.
    Valid,
    /// A declaration with errors: reported there, not again at each use.
    Broken,
    /// None; the declared name nearest to it, if one is close.
    Missing(Option<String>),
}

/// The placeholder problems reported once per name and command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Problem {
    Undeclared,
    Quoted,
    Uncertain,
}

impl Reader<'_, '_> {
    /// Parses a step; `declare` answers whether a placeholder name is declared.
    pub(super) fn step(
        &mut self,
        span: Range<usize>,
        table: &TomlTable<'_>,
        context: &str,
        declare: &mut dyn FnMut(&str) -> Declaration,
    ) -> Option<Step> {
        let errors = self.errors;
        self.unknown_keys(table, schema::Table::Step, &|| format!("in {context}"));
        let instruction = self.required_string(table, "do", &span, context);
        let run = table.get("run").and_then(|value| self.string_value("run", value));
        let lang = self.string(table, "lang").map_or(Cow::Borrowed(DEFAULT_LANG), |lang| Cow::Owned(lang.to_owned()));
        if let Some(run) = &run {
            self.check_placeholders(run, context, declare, is_shell_lang(&lang));
            // Bidirectional controls and zero-width characters make a command
            // read otherwise than it runs (control characters are refused in
            // every string, below).
            if let Some(c) = run.get_ref().chars().find(|&c| crate::visible::is_deceptive(c)) {
                let message = format!(
                    "the command of {context} holds U+{:04X}, which makes it read otherwise than it runs",
                    u32::from(c)
                );
                self.error(run.span(), message);
            }
        }
        let danger = if table.contains_key("danger") {
            self.word(table, "danger", Danger::ALL, Danger::as_str)
        } else {
            Some(Danger::Safe)
        };
        let interactive = self.flag(table, "interactive");
        let place = self.string(table, "where");
        let example = self.string(table, "example_output");
        let step_run = run.as_ref().map(|run| *run.get_ref());
        let checks = Checks {
            precheck: self.check(table, "precheck", step_run, context, declare),
            verify: self.check(table, "verify", step_run, context, declare),
        };
        if let (Some(Danger::Safe), Some(run)) = (danger, &run)
            && let Some(operation) = crate::danger::looks_destructive(run.get_ref())
        {
            self.warn(
                run.span(),
                format!("the command of {context} looks destructive ({operation}) but is marked safe: set `danger = \"destructive\"` (or \"caution\")"),
            );
        }
        let (Some(instruction), Some(danger), Some(interactive)) = (instruction, danger, interactive) else {
            return None;
        };
        let mut step = Step::new(instruction, run.as_ref().map(|run| *run.get_ref()), place, example);
        (step.lang, step.danger, step.interactive) = (lang, danger, interactive);
        step.checks = (checks != Checks::default()).then(|| Box::new(checks));
        (self.errors == errors).then_some(step)
    }

    /// Warns when the target a destructive step asks to be typed has a
    /// default: the form comes filled with a plausible node or host, and the
    /// person types back what they were shown. `scopes` are the entry's vars,
    /// then the file's.
    pub(super) fn warn_defaulted_targets(
        &mut self,
        steps: &[(Range<usize>, Step)],
        scopes: [Option<&DeclaredVars>; 2],
        context: &str,
    ) {
        let default = |name: &str| {
            scopes.iter().flatten().find_map(|vars| vars.get(name)).and_then(|(var, _)| var.as_ref()?.default.clone())
        };
        for (i, (span, step)) in steps.iter().enumerate() {
            let Some(run) = step.run() else { continue };
            let names = template::placeholder_names(run);
            // Each placeholder stands for itself, so the word to type is the
            // first target's name (else `yes`): without a default for it
            // there is nothing to warn about, whatever the command does.
            let word = names.iter().copied().find(|name| crate::danger::is_target_name(name)).unwrap_or("yes");
            let Some(value) = default(word) else { continue };
            let Ok(command) = template::render(run, |name| names.iter().find(|n| **n == name).copied()) else {
                continue;
            };
            if crate::danger::destructive_reason(step.danger, &command).is_some() {
                let message = format!(
                    "step {} of {context} is destructive and its target `{{{{{word}}}}}` defaults to `{value}`: accepting the default would act on it; remove the default and give an example in the description",
                    i + 1
                );
                self.warn(span.clone(), message);
            }
        }
    }

    pub(super) fn check_placeholders(
        &mut self,
        run: &Spanned<&str>,
        context: &str,
        declare: &mut dyn FnMut(&str) -> Declaration,
        shell: bool,
    ) {
        let template = run.get_ref();
        let pieces = match template::parse(template) {
            Ok(pieces) => pieces,
            Err(err) => {
                let at = self.offset_in_value(run, err.offset);
                self.error(at..at + 2, format!("in the `run` of {context}: {}", err.message));
                return;
            }
        };
        // Each name is reported once per command, at its first use: finding
        // a place in the file costs a scan of the command, and a command of
        // 40 000 placeholders took 34 s when each was placed.
        let mut reported: BTreeSet<(&str, Problem)> = BTreeSet::new();
        for piece in pieces {
            let Piece::Placeholder(p) = piece else { continue };
            let declared = declare(p.name);
            let undeclared =
                matches!(declared, Declaration::Missing(_)) && reported.insert((p.name, Problem::Undeclared));
            // Quotes and nested shells matter only to a shell: a copied
            // query takes its values as they are.
            let quoted = shell && p.inside_quote.is_some() && reported.insert((p.name, Problem::Quoted));
            // Inside quotes it has its own warning, and is never filled either.
            let uncertain = p
                .uncertain
                .filter(|_| shell && p.inside_quote.is_none() && reported.insert((p.name, Problem::Uncertain)));
            if let Declaration::Broken = declared {
                // The entry is left out; the declaration's own error says why.
                self.errors += 1;
            }
            if !undeclared && !quoted && uncertain.is_none() {
                continue;
            }
            let at = self.offset_in_value(run, p.span.start);
            let span = at..at + p.span.len();
            match declared {
                Declaration::Valid | Declaration::Broken => {}
                Declaration::Missing(_) if !undeclared => {}
                Declaration::Missing(near) => {
                    let hint = near.map(|near| format!("; did you mean `{{{{{near}}}}}`?")).unwrap_or_default();
                    self.error(
                        span.clone(),
                        format!(
                            "placeholder `{{{{{}}}}}` in {context} is not declared: add a `[vars.{0}]` table \
                             (or write `{{{{{{{{` for a literal `{{{{`){hint}",
                            p.name
                        ),
                    );
                }
            }
            if let Some(reason) = uncertain {
                self.error(
                    span.clone(),
                    format!(
                        "placeholder `{{{{{0}}}}}` in {context} stands where pagerbook cannot tell how many shells \
                         parse its value ({reason}), so it would never be filled: rewrite the command so the \
                         value is a plain word of a command it can follow (see \"Where a value can stand\" in \
                         docs/catalog-format.md)",
                        p.name
                    ),
                );
            }
            if let Some(quote) = p.inside_quote.filter(|_| quoted) {
                let kind = if quote == '"' { "double" } else { "single" };
                self.warn(
                    span,
                    format!(
                        "placeholder `{{{{{0}}}}}` in {context} stands inside {kind} quotes, but its value is \
                         shell-quoted when rendered, so the quotes would be doubled: put it in a shell variable \
                         first (`{0}={{{{{0}}}}}; … \"${0}\"`) or move it outside the quotes",
                        p.name
                    ),
                );
            }
        }
    }

    /// Maps a byte offset in a decoded string to the file: exact for literal
    /// strings, and for basic strings found by searching the raw text for the
    /// same fragment, since escapes shift offsets.
    pub(super) fn offset_in_value(&self, value: &Spanned<&str>, offset: usize) -> usize {
        let span = value.span();
        let raw = &self.text[span.clone()];
        let decoded = value.get_ref();
        // Characters that TOML may escape end the fragment, so it reads the same raw and decoded.
        let fragment: String =
            decoded[offset..].chars().take_while(|c| !matches!(c, '"' | '\\' | '\n' | '\t')).take(16).collect();
        let nth = decoded[..offset].matches(fragment.as_str()).count();
        raw.match_indices(fragment.as_str()).nth(nth).map_or(span.start, |(i, _)| span.start + i)
    }
}
