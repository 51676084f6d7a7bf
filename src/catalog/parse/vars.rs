//! `[vars.NAME]` declarations: description, default, choices, pattern,
//! secret, and the vars nobody uses.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::{Reader, TomlTable, Value, exact};
use crate::catalog::model::{Suggest, Var};
use crate::catalog::schema;
use crate::template::{self};

/// Declared vars with the spans of their names; `None` for a declaration
/// with errors, already reported.
pub(super) type DeclaredVars = BTreeMap<String, (Option<Arc<Var>>, Range<usize>)>;

impl Reader<'_, '_> {
    pub(super) fn warn_unused(&mut self, vars: &DeclaredVars, used: &BTreeSet<String>, context: &str) {
        for (name, (var, span)) in vars {
            // A broken declaration has its error already.
            if var.is_some() && !used.contains(name) {
                self.warn(
                    span.clone(),
                    format!("var `{name}` is declared {context} but no command uses `{{{{{name}}}}}`"),
                );
            }
        }
    }

    /// Parses a `vars` table: `[vars.NAME]` tables of description, default,
    /// choices, pattern and secret.
    pub(super) fn vars(&mut self, value: &Value<'_>, owner: &str) -> Option<DeclaredVars> {
        let Some(table) = value.get_ref().as_table() else {
            self.wrong_type("vars", value, "a table of `[vars.NAME]` tables");
            return None;
        };
        let mut vars = BTreeMap::new();
        for (name, value) in table {
            let context = format!("var `{}` of {owner}", name.get_ref());
            if !template::is_valid_name(name.get_ref()) {
                self.error(
                    name.span(),
                    format!(
                        "invalid var name `{}`: use lowercase letters, digits and `_`, starting with a letter or `_`",
                        name.get_ref()
                    ),
                );
                continue;
            }
            let Some(table) = value.get_ref().as_table() else {
                self.wrong_type(name.get_ref(), value, "a table with a `description`");
                vars.insert(name.get_ref().to_string(), (None, name.span()));
                continue;
            };
            let errors = self.errors;
            self.unknown_keys(table, schema::Table::Var, &|| format!("in {context}"));
            let span = value.span();
            let description = self.required_string(table, "description", &span, &context);
            let default = table.get("default").and_then(|v| self.string_value("default", v));
            let choices = self.strings(table, "choices");
            let pattern = table.get("pattern").and_then(|v| self.string_value("pattern", v));
            let regex = pattern.as_ref().and_then(|p| match template::compile_pattern(p.get_ref()) {
                Ok(regex) => Some(regex),
                Err(message) => {
                    self.error(p.span(), format!("invalid `pattern` of {context}: {message}"));
                    None
                }
            });
            for value in default.iter().chain(&choices) {
                if regex.as_ref().is_some_and(|r| !r.is_match(value.get_ref())) {
                    self.error(
                        value.span(),
                        format!("`{}` does not match the `pattern` of {context}", value.get_ref()),
                    );
                }
            }
            if let Some(default) = &default
                && !choices.is_empty()
                && !choices.iter().any(|c| c.get_ref() == default.get_ref())
            {
                self.error(default.span(), format!("the `default` of {context} is not one of its `choices`"));
            }
            // A default or a choice every render would refuse (empty, a
            // newline, a leading `-` no pattern allows) is caught here, not
            // at 3am in the form.
            for (key, value) in default.iter().map(|d| ("default", d)).chain(choices.iter().map(|c| ("choices", c))) {
                let pattern = pattern.as_ref().map(|p| *p.get_ref());
                match template::check_value(value.get_ref(), pattern) {
                    Ok(_) | Err(template::ValueError::Pattern(_)) => {}
                    Err(template::ValueError::Option) if key == "choices" => {}
                    Err(problem) => self.error(
                        value.span(),
                        format!("this `{key}` value of {context} would be refused when filled in: {problem}"),
                    ),
                }
            }
            let secret = self.flag(table, "secret");
            if secret == Some(true) {
                let in_the_file = "the catalog file would hold the secret";
                for (key, found, why) in [
                    ("default", default.as_ref().map(Spanned::span), in_the_file),
                    ("choices", table.get("choices").map(Spanned::span), in_the_file),
                    ("suggest", table.get("suggest").map(Spanned::span), "the secrets it lists would be on the screen"),
                ] {
                    if let Some(span) = found {
                        self.error(span, format!("{context} is `secret`, so it cannot have `{key}`: {why}"));
                    }
                }
            }
            let var = description.filter(|_| self.errors == errors);
            // A broken suggestion is reported and left out; the var stays.
            let suggest = self.suggest(table, name.get_ref(), &context);
            let var = var.map(|description| {
                Arc::new(Var {
                    name: name.get_ref().as_ref().into(),
                    description: description.to_owned(),
                    default: default.map(|default| default.get_ref().to_string()),
                    choices: exact(choices.iter().map(|choice| choice.get_ref().to_string()).collect()),
                    pattern: pattern.map(|pattern| pattern.get_ref().to_string()),
                    secret: secret.unwrap_or_default(),
                    suggest,
                })
            });
            vars.insert(name.get_ref().to_string(), (var, name.span()));
        }
        Some(vars)
    }

    /// A var's `suggest` command and how its lines are cut: `None` when
    /// absent or broken (then reported). It runs at a key in the form with
    /// no confirmation of its own, so it must read, never change.
    fn suggest(&mut self, table: &TomlTable<'_>, var: &str, context: &str) -> Option<Suggest> {
        let errors = self.errors;
        let run = table.get("suggest").and_then(|v| self.string_value("suggest", v));
        let column = table.get("suggest_column").and_then(|value| {
            let column = value
                .get_ref()
                .as_integer()
                .and_then(|i| usize::from_str_radix(i.as_str(), i.radix()).ok())
                .filter(|n| *n > 0);
            if column.is_none() {
                self.wrong_type("suggest_column", value, "a column number, counting from 1");
            }
            column
        });
        let strip = table.get("suggest_strip").and_then(|v| self.string_value("suggest_strip", v));
        let timeout = self.seconds(table, "suggest_timeout");
        let Some(run) = run else {
            for key in ["suggest_column", "suggest_strip", "suggest_timeout"] {
                if let Some(value) = table.get(key) {
                    self.error(value.span(), format!("`{key}` of {context} has no `suggest` to apply to"));
                }
            }
            return None;
        };
        if let Some(reason) = crate::danger::looks_destructive(run.get_ref()) {
            self.error(
                run.span(),
                format!("the `suggest` of {context} looks destructive ({reason}): it runs without a confirmation, so it may only read"),
            );
        }
        let problem = match template::parse(run.get_ref()) {
            Err(err) => Some(err.message),
            Ok(pieces) => pieces.iter().find_map(|piece| match piece {
                template::Piece::Placeholder(p) if p.name == var => {
                    Some(format!("it uses `{{{{{var}}}}}`, the value it lists"))
                }
                template::Piece::Placeholder(p) if p.inside_quote.is_some() => {
                    Some(format!("`{{{{{}}}}}` stands inside quotes, and its value is quoted for it", p.name))
                }
                _ => None,
            }),
        };
        if let Some(problem) = problem {
            self.error(run.span(), format!("invalid `suggest` of {context}: {problem}"));
        }
        (self.errors == errors).then(|| Suggest {
            run: run.get_ref().to_string(),
            column,
            strip: strip.map(|s| s.get_ref().to_string()),
            timeout: timeout.unwrap_or(Suggest::DEFAULT_TIMEOUT),
        })
    }
}
