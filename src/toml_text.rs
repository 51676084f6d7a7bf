//! TOML values written for people to read and edit: what `drill new` and
//! `import` write. A value is a basic string (escaped by the `toml` crate),
//! or a multi-line literal string when it has lines and nothing a literal
//! cannot hold.

/// A TOML basic string.
#[must_use]
pub fn string(value: &str) -> String {
    toml::Value::String(value.to_owned()).to_string()
}

/// A TOML string for text a person edits: multi-line literal when it can
/// be, which needs no escapes.
#[must_use]
pub fn text(value: &str) -> String {
    let literal = !value.contains("'''") && !value.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
    // The newline after the opening quotes is not part of the value; the
    // closing ones follow its last character (up to two quotes may end it).
    if literal && value.contains('\n') { format!("'''\n{value}'''") } else { string(value) }
}

/// A TOML array of basic strings.
#[must_use]
pub fn strings<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = values.into_iter().map(string).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back_as_it_was() {
        for value in ["plain", "two\nlines", "quote \" and '''", "tab\there\n", "bell \u{7}", "ends with '"] {
            let parsed: toml::Table = toml::from_str(&format!("v = {}", text(value))).unwrap();
            assert_eq!(parsed["v"].as_str(), Some(value), "{value:?} as {}", text(value));
        }
    }
}
