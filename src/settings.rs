//! The two small files pagerbook keeps for a person: `config.toml` in the
//! config directory (settings they choose) and `values.toml` in the data
//! directory (the last value typed for each placeholder of each entry, for
//! a shift, so the namespace typed once is there for the rest of the
//! incident). Neither is ever needed: a missing file means defaults, a
//! broken one is reported (`config.toml`) or ignored (`values.toml`).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::catalog::diagnostic::{SourceMap, file_diagnostic};
use crate::catalog::{Diagnostic, Level};
use crate::files;
use crate::template::{check_value, is_valid_name};

/// The user's directories, from the `directories` crate (XDG on Linux).
fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "pagerbook")
}

/// Where `config.toml` lives.
#[must_use]
pub fn config_path() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.config_dir().join("config.toml"))
}

/// Where the remembered values live.
#[must_use]
pub fn values_path() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.data_dir().join("values.toml"))
}

/// Settings from `config.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Never run a command (copying still works): for drills on a shared
    /// screen and for reading.
    #[serde(default)]
    pub read_only: bool,
}

impl Config {
    /// Reads the config file. A missing file gives the defaults; a broken
    /// one gives the defaults and where it is broken, as catalog problems
    /// are reported (`path:line:col: error: …`).
    #[must_use]
    pub fn load(path: &Path) -> (Config, Option<Diagnostic>) {
        let name: Arc<str> = path.display().to_string().into();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return (Config::default(), None),
            Err(err) => return (Config::default(), Some(file_diagnostic(&name, Level::Error, err.to_string()))),
        };
        match toml::from_str(&text) {
            Ok(config) => (config, None),
            Err(err) => {
                let span = err.span().unwrap_or(0..0);
                let problem = SourceMap::new(name, text.as_str()).diagnostic(Level::Error, span, err.message());
                (Config::default(), Some(problem))
            }
        }
    }
}

/// How long a remembered value is offered again: a shift. Past it the
/// value is stale (the incident it was typed for is over).
pub const KEPT_FOR: Duration = Duration::from_hours(12);

/// Largest `values.toml` read; a bigger one is not pagerbook's.
const MAX_VALUES_BYTES: u64 = 1 << 20;

/// A remembered value and when it was set (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    /// What was typed.
    pub value: String,
    /// When, in seconds since the Unix epoch.
    pub at: u64,
}

impl Kept {
    /// Set less than [`KEPT_FOR`] before `now`, and not after it (a clock
    /// set back makes a value invalid rather than eternal).
    fn is_fresh(&self, now: u64) -> bool {
        self.at <= now && now - self.at < KEPT_FOR.as_secs()
    }
}

/// The last value used for each placeholder, per entry: `namespace` in a
/// Redis runbook is not the `namespace` of a DNS failure mode. Each value
/// lasts [`KEPT_FOR`]. `values.toml` holds a table per value,
/// `[entries.coredns-down.namespace]` with `value = "kube-system"` and
/// `at = 1764582000`; the same written inline,
/// `[entries."coredns-down"] namespace = { value = "kube-system", at = 1764582000 }`,
/// reads the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Remembered {
    /// Entry id → var name → value.
    entries: BTreeMap<String, BTreeMap<String, Kept>>,
}

/// Seconds since the epoch; a clock before 1970 counts as the epoch.
fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |since| since.as_secs())
}

impl Remembered {
    /// Reads the file as of `now`. Anything missing, unreadable, not a
    /// regular file, over 1 MiB or in another format gives nothing; each
    /// value that expired, could not fill a placeholder, or is not
    /// `{ value = "…", at = seconds }` under a valid name is left out.
    #[must_use]
    pub fn load(path: &Path, now: SystemTime) -> Remembered {
        let now = unix_seconds(now);
        let text = files::read_regular(path, MAX_VALUES_BYTES).unwrap_or_default();
        let table: toml::Table = toml::from_str(&text).unwrap_or_default();
        let Some(toml::Value::Table(entries)) = table.get("entries") else { return Remembered::default() };
        let entries = entries.iter().filter_map(|(entry, vars)| {
            let vars: BTreeMap<String, Kept> = vars
                .as_table()?
                .iter()
                .filter(|(name, _)| is_valid_name(name))
                .filter_map(|(name, kept)| Some((name.clone(), kept_from(kept)?)))
                .filter(|(_, kept)| kept.is_fresh(now))
                .collect();
            (!vars.is_empty()).then(|| (entry.clone(), vars))
        });
        Remembered { entries: entries.collect() }
    }

    /// The value last used for `name` in `entry`, unless it is older than
    /// [`KEPT_FOR`] at `now`.
    #[must_use]
    pub fn get(&self, entry: &str, name: &str, now: SystemTime) -> Option<&Kept> {
        self.entries.get(entry)?.get(name).filter(|kept| kept.is_fresh(unix_seconds(now)))
    }

    /// Remembers `value` for `name` in `entry`, as set at `now`.
    pub fn set(&mut self, entry: &str, name: &str, value: String, now: SystemTime) {
        let kept = Kept { value, at: unix_seconds(now) };
        self.entries.entry(entry.to_owned()).or_default().insert(name.to_owned(), kept);
    }

    /// Writes the file, readable by its owner only (values name hosts and
    /// namespaces), so that a crash leaves the old file or the new one.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let text = toml::to_string(self).map_err(io::Error::other)?;
        files::write_private(path, text.as_bytes())
    }
}

/// A value as the file holds it, if it is one that could fill a placeholder.
fn kept_from(value: &toml::Value) -> Option<Kept> {
    let table = value.as_table()?;
    let text = table.get("value")?.as_str()?;
    let at = u64::try_from(table.get("at")?.as_integer()?).ok()?;
    check_value(text, None).is_ok().then(|| Kept { value: text.to_owned(), at })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_defaults_when_missing_and_says_where_it_is_broken() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(Config::load(&path), (Config::default(), None));
        std::fs::write(&path, "read_only = true\n").unwrap();
        assert_eq!(Config::load(&path), (Config { read_only: true }, None));
        std::fs::write(&path, "# settings\nread_olny = true\n").unwrap();
        let (config, problem) = Config::load(&path);
        assert_eq!(config, Config::default());
        let problem = problem.unwrap().to_string();
        assert!(problem.starts_with(&format!("{}:2:1: error: unknown field `read_olny`", path.display())), "{problem}");
    }

    /// A moment for tests: 2025-12-01 09:40 UTC.
    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    const NOW: u64 = 1_764_582_000;

    fn values_file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("values.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn value<'a>(remembered: &'a Remembered, entry: &str, name: &str, now: u64) -> Option<&'a str> {
        remembered.get(entry, name, at(now)).map(|kept| kept.value.as_str())
    }

    /// The bug: one flat map for every entry, so `namespace = shop` from a
    /// Kubernetes entry came back in a Redis runbook.
    #[test]
    fn values_are_remembered_per_entry_and_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("values.toml");
        assert_eq!(Remembered::load(&path, at(NOW)), Remembered::default());
        let mut remembered = Remembered::default();
        remembered.set("coredns-down", "namespace", "kube-system".into(), at(NOW));
        remembered.set("redis-oom", "namespace", "prod ns's".into(), at(NOW));
        remembered.save(&path).unwrap();
        let loaded = Remembered::load(&path, at(NOW + 60));
        assert_eq!(loaded, remembered);
        assert_eq!(value(&loaded, "coredns-down", "namespace", NOW), Some("kube-system"));
        assert_eq!(value(&loaded, "redis-oom", "namespace", NOW), Some("prod ns's"));
        assert_eq!(value(&loaded, "other-entry", "namespace", NOW), None);
        assert_eq!(loaded.get("coredns-down", "namespace", at(NOW)).map(|kept| kept.at), Some(NOW));
    }

    #[test]
    fn values_expire_after_a_shift() {
        let mut remembered = Remembered::default();
        remembered.set("e", "node", "n1".into(), at(NOW));
        let shift = KEPT_FOR.as_secs();
        assert_eq!(value(&remembered, "e", "node", NOW + shift - 1), Some("n1"));
        assert_eq!(value(&remembered, "e", "node", NOW + shift), None);
        // Before it was set: the clock went back.
        assert_eq!(value(&remembered, "e", "node", NOW - 1), None);
        let (_dir, path) = values_file("");
        remembered.save(&path).unwrap();
        assert_eq!(Remembered::load(&path, at(NOW + shift)), Remembered::default());
    }

    #[test]
    fn the_documented_format_loads_and_bad_values_are_dropped() {
        let (_dir, path) = values_file(&format!(
            "[entries.\"coredns-down\"]\n\
             namespace = {{ value = \"kube-system\", at = {NOW} }}\n\
             escape = {{ value = \"x\\u001b[2J\", at = {NOW} }}\n\
             \"Bad-Name\" = {{ value = \"x\", at = {NOW} }}\n\
             empty = {{ value = \"\", at = {NOW} }}\n\
             no_time = {{ value = \"x\" }}\n\
             negative = {{ value = \"x\", at = -1 }}\n\
             number = {{ value = 3, at = {NOW} }}\n\
             plain = \"x\"\n\
             [entries.stale]\n\
             node = {{ value = \"n1\", at = {} }}\n",
            NOW - KEPT_FOR.as_secs()
        ));
        let mut expected = Remembered::default();
        expected.set("coredns-down", "namespace", "kube-system".into(), at(NOW));
        assert_eq!(Remembered::load(&path, at(NOW)), expected);
    }

    #[test]
    fn an_old_flat_file_or_a_broken_one_reads_as_empty() {
        for text in ["[values]\nnamespace = \"shop\"\n", "not toml [", "entries = 3", "[entries]\ne = 1"] {
            let (_dir, path) = values_file(text);
            assert_eq!(Remembered::load(&path, at(NOW)), Remembered::default(), "{text}");
        }
    }

    #[test]
    fn a_file_over_a_mebibyte_or_a_fifo_reads_as_empty_at_once() {
        let line = format!("x = {{ value = \"{}\", at = {NOW} }}\n", "v".repeat(100));
        let (dir, path) = values_file(&format!("[entries.e]\n{}", line.repeat(11_000)));
        assert!(std::fs::metadata(&path).unwrap().len() > MAX_VALUES_BYTES);
        assert_eq!(Remembered::load(&path, at(NOW)), Remembered::default());
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR).unwrap();
        assert_eq!(Remembered::load(&fifo, at(NOW)), Remembered::default());
    }

    #[test]
    fn the_file_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, path) = values_file("");
        let mut remembered = Remembered::default();
        remembered.set("e", "node", "n1".into(), at(NOW));
        remembered.save(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
