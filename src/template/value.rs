//! Checking a value before it fills a placeholder: no control or
//! bidirectional characters, the var's `pattern`, no leading `-` unless allowed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use thiserror::Error;

/// A compiled var pattern, or why it does not compile.
pub type CompiledPattern = Result<Arc<Regex>, String>;

/// A var's `pattern` compiled to match whole values. Catalogs repeat the
/// same few patterns (a Kubernetes name) hundreds of times, so each distinct
/// pattern is compiled once per process.
///
/// # Errors
/// The regex error, in one line.
pub fn compile_pattern(pattern: &str) -> CompiledPattern {
    static COMPILED: OnceLock<Mutex<HashMap<String, CompiledPattern>>> = OnceLock::new();
    let cache = COMPILED.get_or_init(Mutex::default);
    if let Some(known) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return known;
    }
    // A pattern is a line of a catalog, not a program: a huge alternation
    // compiled to hundreds of megabytes before this bound.
    let compiled = regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map(Arc::new)
        .map_err(|err| err.to_string().lines().last().unwrap_or_default().trim().to_owned());
    if let Ok(mut cache) = cache.lock() {
        cache.insert(pattern.to_owned(), compiled.clone());
    }
    compiled
}

/// The most memory a var's compiled `pattern` may take.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// Why a value cannot fill a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    /// Nothing was given.
    #[error("a value is required")]
    Empty,
    /// ESC, NUL, newline, BEL and the like: they could hide or change what
    /// the terminal shows of the command.
    #[error("control character U+{0:04X} is not allowed")]
    Control(u32),
    /// Right-to-left and similar overrides make text read in another order
    /// than it runs.
    #[error("bidirectional control U+{0:04X} is not allowed: the command would not read as it runs")]
    Bidi(u32),
    /// The value does not match the var's declared pattern.
    #[error("does not match the declared pattern {0}")]
    Pattern(String),
    /// The var declares `choices` and the value is not one of them.
    #[error("must be one of: {0}")]
    NotAChoice(String),
    /// It starts with `-`, so the program may take it for an option
    /// (`-oProxyCommand=…` runs a command in ssh), and no `pattern` or
    /// `choices` of the var allows that.
    #[error(
        "starts with `-`, which a command would take for an option; only a var whose pattern or choices allow it takes one"
    )]
    Option,
}

/// A value that is allowed but deserves a second look.
pub const LEADING_DASH_WARNING: &str = "starts with `-`: a command may take it for an option";

/// Checks a value for a placeholder whose var declares `pattern`. Returns a
/// warning for a value that is allowed but suspicious.
///
/// # Errors
/// An empty value, a control or bidirectional character, or a value that
/// does not match the pattern.
pub fn check_value(value: &str, pattern: Option<&str>) -> Result<Option<&'static str>, ValueError> {
    if value.is_empty() {
        return Err(ValueError::Empty);
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(ValueError::Control(u32::from(c)));
    }
    if let Some(c) = value
        .chars()
        .find(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'))
    {
        return Err(ValueError::Bidi(u32::from(c)));
    }
    if let Some(pattern) = pattern
        && compile_pattern(pattern).is_ok_and(|regex| !regex.is_match(value))
    {
        return Err(ValueError::Pattern(pattern.to_owned()));
    }
    if value.starts_with('-') {
        // Fail closed: an option where a value was meant can run anything.
        return if pattern.is_some() { Ok(Some(LEADING_DASH_WARNING)) } else { Err(ValueError::Option) };
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_before_they_reach_a_command() {
        assert_eq!(check_value("production", Some("[a-z]+")), Ok(None));
        assert_eq!(check_value("", None), Err(ValueError::Empty));
        assert_eq!(check_value("a\u{1b}[2Jb", None), Err(ValueError::Control(0x1b)));
        assert_eq!(check_value("a\nb", None), Err(ValueError::Control(0x0a)));
        assert_eq!(check_value("a\u{202E}b", None), Err(ValueError::Bidi(0x202e)));
        assert_eq!(check_value("Prod", Some("[a-z]+")), Err(ValueError::Pattern("[a-z]+".into())));
        assert_eq!(check_value("-oProxyCommand=touch x", None), Err(ValueError::Option));
        assert_eq!(check_value("-5", Some("^-?[0-9]+$")), Ok(Some(LEADING_DASH_WARNING)));
    }
}
