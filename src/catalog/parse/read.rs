//! Reading TOML values with their spans: each getter reports a missing or
//! mistyped value at its place and gives `None`, so one file's every
//! problem is found in one pass.

use std::ops::Range;

use toml::Spanned;
use toml::de::DeValue;

use super::{Reader, TomlTable, Value};
use crate::catalog::diagnostic::did_you_mean;

/// The first control character of a text other than a newline or a tab.
/// Every string of a catalog is checked: most hold no byte a control
/// character is made of (below 0x20, 0x7F, or 0xC2 leading U+0080..U+009F),
/// which a scan of the bytes tells at once.
fn control_character(text: &str) -> Option<char> {
    if !text.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2) {
        return None;
    }
    text.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
}

fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl Reader<'_, '_> {
    pub(super) fn required<'t, 'i>(
        &mut self,
        table: &'t TomlTable<'i>,
        key: &str,
        span: &Range<usize>,
        context: &str,
    ) -> Option<&'t Value<'i>> {
        let value = table.get(key);
        if value.is_none() && self.misspelled.contains(&key) {
            self.errors += 1;
        } else if value.is_none() {
            self.error(span.start..span.start, format!("{context} has no `{key}`, which is required"));
        }
        value
    }

    pub(super) fn required_string<'t>(
        &mut self,
        table: &'t TomlTable<'_>,
        key: &str,
        span: &Range<usize>,
        context: &str,
    ) -> Option<&'t str> {
        let value = self.required(table, key, span, context)?;
        let text = self.string_value(key, value)?;
        if text.get_ref().trim().is_empty() {
            self.error(value.span(), format!("`{key}` of {context} is empty"));
            return None;
        }
        Some(text.into_inner())
    }

    pub(super) fn string<'t>(&mut self, table: &'t TomlTable<'_>, key: &str) -> Option<&'t str> {
        table.get(key).and_then(|value| self.string_value(key, value)).map(Spanned::into_inner)
    }

    /// A string, borrowed from the parsed file: most go on into an entry's
    /// text, and owning each on the way was ten allocations an entry.
    pub(super) fn string_value<'t>(&mut self, key: &str, value: &'t Value<'_>) -> Option<Spanned<&'t str>> {
        let text = value.get_ref().as_str().map(|text| Spanned::new(value.span(), text));
        let Some(text) = text else {
            self.wrong_type(key, value, "a string");
            return None;
        };
        // ESC, CR, BEL and the like reach a terminal as instructions (OSC 52
        // writes the clipboard): no text of a catalog may hold one.
        if let Some(c) = control_character(text.get_ref()) {
            let message = format!(
                "`{key}` holds control character U+{:04X}, which a terminal would obey rather than show",
                u32::from(c)
            );
            self.error(value.span(), message);
        }
        Some(text)
    }

    pub(super) fn strings<'t>(&mut self, table: &'t TomlTable<'_>, key: &str) -> Vec<Spanned<&'t str>> {
        let Some(value) = table.get(key) else { return Vec::new() };
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(key, value, "a list of strings");
            return Vec::new();
        };
        items.iter().filter_map(|item| self.string_value(key, item)).collect()
    }

    /// An optional boolean: `Some(false)` when absent, `None` when it is not
    /// a boolean (then reported).
    pub(super) fn flag(&mut self, table: &TomlTable<'_>, key: &str) -> Option<bool> {
        let Some(value) = table.get(key) else { return Some(false) };
        let flag = value.get_ref().as_bool();
        if flag.is_none() {
            self.wrong_type(key, value, "true or false");
        }
        flag
    }

    pub(super) fn date(&mut self, table: &TomlTable<'_>, key: &str) -> Option<String> {
        let value = table.get(key)?;
        let date = value.get_ref().as_datetime().filter(|d| d.date.is_some() && d.time.is_none());
        if date.is_none() {
            self.wrong_type(key, value, "a date like 2026-11-23 (without quotes)");
        }
        date.map(ToString::to_string)
    }

    /// An optional field holding one word of a fixed set (frequency,
    /// severity, danger): `None` when absent or invalid (then reported).
    pub(super) fn word<T: Copy>(
        &mut self,
        table: &TomlTable<'_>,
        key: &str,
        all: &[T],
        as_str: fn(T) -> &'static str,
    ) -> Option<T> {
        let value = table.get(key)?;
        let word = self.string_value(key, value)?;
        let found = all.iter().copied().find(|v| as_str(*v) == *word.get_ref());
        if found.is_none() {
            let words: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
            self.error(
                word.span(),
                format!(
                    "invalid `{key}` `{}`: expected one of {}{}",
                    word.get_ref(),
                    words.join(", "),
                    did_you_mean(word.get_ref(), &words)
                ),
            );
        }
        found
    }

    pub(super) fn wrong_type(&mut self, key: &str, value: &Value<'_>, expected: &str) {
        self.error(value.span(), format!("`{key}` must be {expected}, not {}", describe(value.get_ref())));
    }
}

#[cfg(test)]
mod tests {
    use super::control_character;

    #[test]
    fn control_characters_are_found_but_newlines_tabs_and_other_letters_pass() {
        for (text, found) in [
            ("plain", None),
            ("two\nlines\tand a tab", None),
            ("é, ü and a non-breaking\u{a0}space", None),
            ("escape \u{1b}[2J", Some('\u{1b}')),
            ("delete \u{7f}", Some('\u{7f}')),
            ("next line \u{85} here", Some('\u{85}')),
            ("after a newline\n\u{9f}", Some('\u{9f}')),
        ] {
            assert_eq!(control_character(text), found, "{text:?}");
        }
    }
}
