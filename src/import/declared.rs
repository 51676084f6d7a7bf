//! A placeholder as a page declares it: the table `export` writes
//! (`| <name> | what | default | choices | secret | pattern |`), and what a
//! name says of a secret.

use std::fmt::Write as _;

use crate::toml_text::{string, strings};

/// Whether a placeholder's name says it holds a secret: `admin_token`,
/// `db_password`, `api_key`, `client_secret`.
pub(super) fn looks_secret(name: &str) -> bool {
    let words: Vec<&str> = name.split('_').collect();
    // Within a word too: `pgpassword`, `apitoken`.
    let within = ["token", "password", "passwd", "passphrase", "secret", "apikey", "credential"];
    let whole = ["pass", "pw", "pwd", "pat"];
    let keys = ["api", "access", "private", "secret", "signing", "encryption"];
    words.iter().any(|w| whole.contains(w) || within.iter().any(|s| w.contains(s)))
        || words.windows(2).any(|pair| pair[1] == "key" && keys.contains(&pair[0]))
}

/// A placeholder as a page's table declares it: `| <name> | what | default
/// | secret | pattern |`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Declared {
    pub(super) name: String,
    pub(super) description: String,
    default: Option<String>,
    choices: Vec<String>,
    secret: bool,
    pattern: Option<String>,
    /// The `listed by` cell: the suggestion's command and its cuts, as
    /// TOML lines.
    suggest: Option<String>,
}

impl Declared {
    pub(super) fn of_row(row: &str) -> Option<Declared> {
        // `export` escapes a `|` in a cell; it is the command's again.
        let row = row.replace("\\|", "\u{1}");
        let cells: Vec<String> =
            row.trim().trim_start_matches('|').split(" | ").map(|cell| cell.trim().replace('\u{1}', "|")).collect();
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        let code =
            |i: usize| cells.get(i).map(|c| c.trim_end_matches('|').trim().trim_matches('`')).filter(|c| !c.is_empty());
        let name = code(0)?.strip_prefix('<')?.strip_suffix('>')?.to_owned();
        crate::template::is_valid_name(&name).then(|| Declared {
            name,
            description: cells.get(1).map_or(String::new(), |d| (*d).to_owned()),
            default: code(2).map(str::to_owned),
            choices: code(3).map_or_else(Vec::new, |c| c.split("`, `").map(str::to_owned).collect()),
            secret: code(4) == Some("yes"),
            pattern: code(5).map(str::to_owned),
            suggest: cells.get(6).map(|c| c.trim_end_matches('|').trim()).and_then(suggestion),
        })
    }

    /// The declaration's keys after its description; a secret has no default.
    pub(super) fn write(&self, out: &mut String) {
        if let Some(default) = self.default.as_ref().filter(|_| !self.secret) {
            let _ = writeln!(out, "default = {}", string(default));
        }
        if !self.choices.is_empty() && !self.secret {
            let _ = writeln!(out, "choices = {}", strings(self.choices.iter().map(String::as_str)));
        }
        if self.secret {
            out.push_str("secret = true\n");
        }
        if let Some(pattern) = &self.pattern {
            let _ = writeln!(out, "pattern = {}", string(pattern));
        }
        if let Some(suggest) = &self.suggest {
            out.push_str(suggest);
        }
    }
}

/// The `suggest` keys a `listed by` cell says: `` `CMD` strip `node/`
/// column 2 within 10 s ``.
fn suggestion(cell: &str) -> Option<String> {
    let (run, rest) = code_span(cell)?;
    let mut keys = format!("suggest = {}\n", string(run));
    if let Some((strip, _)) = rest.split_once("strip ").and_then(|(_, after)| code_span(after)) {
        let _ = writeln!(keys, "suggest_strip = {}", string(strip));
    }
    let number_after = |word: &str| rest.split_once(word)?.1.split_whitespace().next()?.parse::<u32>().ok();
    if let Some(column) = number_after("column ") {
        let _ = writeln!(keys, "suggest_column = {column}");
    }
    if let Some(seconds) = number_after("within ") {
        let _ = writeln!(keys, "suggest_timeout = \"{seconds}s\"");
    }
    Some(keys)
}

/// The text of the code span `text` starts with (any run of backticks, a
/// space of padding either side taken off), and what follows it.
fn code_span(text: &str) -> Option<(&str, &str)> {
    let ticks = text.len() - text.trim_start_matches('`').len();
    if ticks == 0 {
        return None;
    }
    let fence = &text[..ticks];
    let inner = &text[ticks..];
    let end = inner.find(fence)?;
    let span = &inner[..end];
    let span =
        if span.starts_with(' ') && span.ends_with(' ') && span.len() > 1 { &span[1..span.len() - 1] } else { span };
    Some((span, &inner[end + ticks..]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_listed_by_cell_gives_the_suggest_keys_back() {
        let cell = "`kubectl get pods -n {{namespace}} -o name` strip `pod/` column 2 within 10 s";
        assert_eq!(
            super::suggestion(cell).unwrap(),
            "suggest = \"kubectl get pods -n {{namespace}} -o name\"\nsuggest_strip = \"pod/\"\n\
             suggest_column = 2\nsuggest_timeout = \"10s\"\n"
        );
        assert_eq!(super::suggestion("`` a `b` c ``").unwrap(), "suggest = \"a `b` c\"\n");
        assert_eq!(super::suggestion("not code"), None);
    }

    #[test]
    fn a_name_that_says_secret_is_kept_secret() {
        for name in [
            "payments_admin_token",
            "db_password",
            "api_key",
            "client_secret",
            "aws_access_key",
            "pgpassword",
            "apitoken",
            "gpg_passphrase",
            "db_pass",
        ] {
            assert!(super::looks_secret(name), "{name}");
        }
        for name in ["namespace", "partition_key", "ssh_key_path", "cache_key"] {
            assert!(!super::looks_secret(name), "{name}");
        }
    }
}
