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
}

impl Declared {
    pub(super) fn of_row(row: &str) -> Option<Declared> {
        let cells: Vec<&str> = row.trim().trim_start_matches('|').split(" | ").map(str::trim).collect();
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
    }
}

#[cfg(test)]
mod tests {
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
