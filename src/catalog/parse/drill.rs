//! `[[drill]]` tables: a scenario for a walkthrough drill. What they refer
//! to (the answer, the steps) is checked once every file is read.

use std::ops::Range;

use toml::Spanned;

use super::{Reader, TomlTable};
use crate::catalog::drill::{Difficulty, Drill, Inject, MOST_RELEASED_BY_HAND, ParsedDrill, Reveal, RevealOn, StepRef};
use crate::catalog::model::Origin;
use crate::catalog::schema;

impl Reader<'_, '_> {
    pub(super) fn drill(&mut self, span: Range<usize>, table: &TomlTable<'_>) -> Option<ParsedDrill> {
        let errors = self.errors;
        let context = self.context("drill", table, &span);
        self.unknown_keys(table, schema::Table::Drill, &|| format!("in {context}"));
        let id = self.id(table, &span, &context);
        let title = self.required_string(table, "title", &span, &context);
        let briefing = self.required_string(table, "briefing", &span, &context);
        let failure = self.required(table, "failure", &span, &context).and_then(|v| self.string_value("failure", v));
        let difficulty = self.word(table, "difficulty", Difficulty::ALL, Difficulty::as_str);
        let diagnose_within = self.seconds(table, "diagnose_within");
        let mitigate_within = self.seconds(table, "mitigate_within");
        let mut steps = Vec::new();
        let mut expected = Vec::new();
        for item in self.strings(table, "expected") {
            match StepRef::parse(item.get_ref()) {
                Some(step) => {
                    steps.push((step.clone(), false, item.span().into()));
                    expected.push(step);
                }
                None => self.error(
                    item.span(),
                    format!(
                        "`expected` of {context} holds `{}`: a step is written `ENTRY:N`, N from 1",
                        item.get_ref()
                    ),
                ),
            }
        }
        let notes = self.string(table, "notes").map(str::to_owned);
        let red_herrings = self.owned_strings(table, "red_herrings");
        let mut reveals = Vec::new();
        for (i, (reveal_span, reveal)) in self.array_of_tables(table, "reveals").into_iter().enumerate() {
            let context = format!("reveal {} of {context}", i + 1);
            self.unknown_keys(reveal, schema::Table::Reveal, &|| format!("in {context}"));
            let on = self.required(reveal, "on", &reveal_span, &context).and_then(|v| self.string_value("on", v));
            let text = self.required_string(reveal, "text", &reveal_span, &context);
            let Some(on) = on else { continue };
            match RevealOn::parse(on.get_ref()) {
                Ok(target) => {
                    if let Some(step) = target.step() {
                        steps.push((step.clone(), matches!(target, RevealOn::Verify(_)), on.span().into()));
                    }
                    if let Some(text) = text {
                        reveals.push(Reveal { on: target, text: text.to_owned() });
                    }
                }
                Err(why) => self.error(on.span(), format!("`on` of {context} is `{}`: {why}", on.get_ref())),
            }
        }
        let mut injects = Vec::new();
        for (i, (inject_span, inject)) in self.array_of_tables(table, "injects").into_iter().enumerate() {
            let context = format!("inject {} of {context}", i + 1);
            self.unknown_keys(inject, schema::Table::Inject, &|| format!("in {context}"));
            let after = self.seconds(inject, "after");
            let note = self.string(inject, "note").map(str::to_owned);
            if let Some(text) = self.required_string(inject, "text", &inject_span, &context) {
                injects.push(Inject { after, text: text.to_owned(), note });
            }
        }
        let by_hand = reveals.iter().filter(|r| matches!(r.on, RevealOn::Label(_))).count() + injects.len();
        if by_hand > MOST_RELEASED_BY_HAND {
            let message = format!(
                "{context} has {by_hand} reveals on a label and injects; the game master's view has keys for the first {MOST_RELEASED_BY_HAND}"
            );
            self.warn(span.start..span.start, message);
        }
        let mut hints = Vec::new();
        for (i, (hint_span, hint)) in self.array_of_tables(table, "hints").into_iter().enumerate() {
            let context = format!("hint {} of {context}", i + 1);
            self.unknown_keys(hint, schema::Table::Hint, &|| format!("in {context}"));
            hints.extend(self.required_string(hint, "text", &hint_span, &context).map(str::to_owned));
        }
        let (Some(id), Some(title), Some(briefing), Some(failure)) = (id, title, briefing, failure) else {
            return None;
        };
        if self.errors != errors {
            return None;
        }
        let drill = Drill {
            id: id.value.to_owned(),
            failure: failure.get_ref().to_string(),
            title: title.to_owned(),
            briefing: briefing.to_owned(),
            difficulty,
            diagnose_within,
            mitigate_within,
            expected,
            notes,
            red_herrings,
            reveals,
            injects,
            hints,
            origin: Origin { path: self.map.path().clone(), line: self.map.line(span.start) },
        };
        Some(ParsedDrill { drill, id: id.span.into(), failure: failure.span().into(), steps })
    }

    fn owned_strings(&mut self, table: &TomlTable<'_>, key: &str) -> Vec<String> {
        self.strings(table, key).into_iter().map(Spanned::into_inner).map(str::to_owned).collect()
    }
}
