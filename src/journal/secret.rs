//! Keeping secrets out of what is shown and kept: a secret's value stands
//! as `<redacted:NAME>`, visibly, wherever it would have been.

use std::borrow::Cow;

/// What stands for the value of secret `name`.
#[must_use]
pub fn marker(name: &str) -> String {
    format!("<redacted:{name}>")
}

/// `text` with every occurrence of each secret's value (name, value)
/// replaced by its marker: in one pass from the left, the longest value
/// that matches at each place first, so a secret inside a longer one
/// leaves none of the longer one behind, and no marker is searched again.
#[must_use]
pub fn redact<'t>(text: &'t str, secrets: &[(String, String)]) -> Cow<'t, str> {
    let mut secrets: Vec<&(String, String)> = secrets.iter().filter(|(_, value)| !value.is_empty()).collect();
    if !secrets.iter().any(|(_, value)| text.contains(value.as_str())) {
        return Cow::Borrowed(text);
    }
    secrets.sort_by_key(|(_, value)| std::cmp::Reverse(value.len()));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some((name, value)) = secrets.iter().find(|(_, value)| rest.starts_with(value.as_str())) {
            out.push_str(&marker(name));
            rest = &rest[value.len()..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_secret_inside_a_longer_one_leaves_nothing_of_either() {
        let both = secrets(&[("short", "hunter2"), ("long", "hunter2-long")]);
        assert_eq!(redact("pw=hunter2-long and hunter2", &both), "pw=<redacted:long> and <redacted:short>");
    }

    #[test]
    fn a_marker_is_never_searched_again() {
        let tricky = secrets(&[("a", "red"), ("b", "acted")]);
        assert_eq!(redact("red acted", &tricky), "<redacted:a> <redacted:b>");
        assert_eq!(redact("nothing here", &tricky), "nothing here");
        assert_eq!(redact("x", &secrets(&[("empty", "")])), "x");
    }

    #[test]
    fn text_of_any_script_is_kept_around_a_secret() {
        assert_eq!(redact("ключ=s3cret ✓", &secrets(&[("token", "s3cret")])), "ключ=<redacted:token> ✓");
    }
}
