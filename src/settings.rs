//! The two small files pagerbook keeps for a person: `config.toml` in the
//! config directory (settings they choose) and `values.toml` in the data
//! directory (the last value typed for each placeholder of each entry, for
//! a shift, so the namespace typed once is there for the rest of the
//! incident). Neither is ever needed: a missing file means defaults, a
//! broken one is reported; what a broken `config.toml` cannot say fails
//! closed (read-only).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use toml::de::DeTable;

use crate::catalog::load::{check_text, file_kind, io_message};
use crate::diagnostic::{Diagnostic, Level, SourceMap, did_you_mean, file_diagnostic};
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

/// Where incident journals live.
#[must_use]
pub fn incidents_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.data_dir().join("incidents"))
}

/// Where walkthrough drills' journals live: beside the incidents', never
/// among them, so no drill is counted as a real incident.
#[must_use]
pub fn drills_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.data_dir().join("drills"))
}

/// Settings from `config.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Never run a command (copying still works): for drills on a shared
    /// screen and for reading. Also set when the file could not be trusted.
    pub read_only: bool,
    /// Why commands will not run because of a problem with the file rather
    /// than by choice (`read_only` is then set), in a few words for the
    /// status line: "config.toml: cannot read: permission denied".
    pub forced_read_only: Option<String>,
    /// `[keys]`: actions given other keys, checked by the navigator's
    /// keymap, which knows the actions.
    pub keys: Vec<Rebinding>,
}

/// One line of `[keys]`: an action's name and the keys it takes, each
/// with where it was written, for the keymap to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebinding {
    /// The action's name, as written (`run`, `edit_entry`).
    pub action: Written,
    /// Its keys (`ctrl-x`, `F5`); one or a list.
    pub keys: Vec<Written>,
}

/// A text of the config file, and a diagnostic placed on it, its message
/// left to whoever finds it wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub text: String,
    pub at: Diagnostic,
}

impl Written {
    /// What is wrong with it, at its place.
    #[must_use]
    pub fn problem(&self, message: String) -> Diagnostic {
        Diagnostic { message, ..self.at.clone() }
    }
}

/// The settings `config.toml` may hold.
const CONFIG_KEYS: &[&str] = &["read_only", "keys"];

/// A settings file is a few lines; anything larger is not one.
const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// Ends the message of every problem that turned running off.
const UNTIL_FIXED: &str = " (commands will not run until this is fixed)";

impl Config {
    /// Reads the config file. A missing file gives the defaults and no
    /// diagnostic. Otherwise every problem is returned, located as catalog
    /// problems are (`path:line:col: error: …`), and the valid settings are
    /// still applied. Where the file cannot say whether commands may run (it
    /// cannot be read, is not TOML, `read_only` is not a boolean or is
    /// misspelled) it fails closed: read-only, with the reason in
    /// [`Config::forced_read_only`].
    #[must_use]
    pub fn load(path: &Path) -> (Config, Vec<Diagnostic>) {
        let name: Arc<str> = path.display().to_string().into();
        let file_name = path.file_name().map_or_else(|| name.to_string(), |file| file.to_string_lossy().into_owned());
        let mut config = Config::default();
        let mut diagnostics = Vec::new();
        let bytes = match read_bounded(path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return (config, diagnostics),
            Err(problem) => {
                config.force_read_only(&file_name, &problem);
                diagnostics.push(file_diagnostic(&name, Level::Error, format!("{problem}{UNTIL_FIXED}")));
                return (config, diagnostics);
            }
        };
        let Some(text) = check_text(&name, &bytes, &mut diagnostics) else {
            config.force_read_only(&file_name, "not UTF-8");
            for diagnostic in &mut diagnostics {
                diagnostic.message.push_str(UNTIL_FIXED);
            }
            return (config, diagnostics);
        };
        let map = SourceMap::new(name, text);
        let table = match DeTable::parse(map.text()) {
            Ok(table) => table.into_inner(),
            Err(err) => {
                let message = format!("invalid TOML: {}", err.message().trim_end());
                let problem =
                    map.diagnostic(Level::Error, err.span().unwrap_or(0..0), format!("{message}{UNTIL_FIXED}"));
                config.force_read_only(&file_name, &format!("invalid TOML at line {}", problem.line));
                diagnostics.push(problem);
                return (config, diagnostics);
            }
        };
        config.apply(&table, &map, &file_name, &mut diagnostics);
        (config, diagnostics)
    }

    /// Applies the settings of a parsed file, reporting the keys it does not know.
    fn apply(&mut self, table: &DeTable<'_>, map: &SourceMap<'_>, file: &str, diagnostics: &mut Vec<Diagnostic>) {
        for (key, value) in table {
            let key_name = key.get_ref().as_ref();
            if key_name == "read_only" {
                if let Some(read_only) = value.get_ref().as_bool() {
                    self.read_only |= read_only;
                } else {
                    let problem = format!("`read_only` must be true or false, not `{}`", &map.text()[value.span()]);
                    self.force_read_only(file, &problem);
                    diagnostics.push(map.diagnostic(Level::Error, value.span(), format!("{problem}{UNTIL_FIXED}")));
                }
                continue;
            }
            if key_name == "keys" {
                let misplaced;
                (self.keys, misplaced) = rebindings(value, map, diagnostics);
                // `read_only = true` after `[keys]` is in that table: it
                // meant running, and a misplaced line must not leave it on
                // (nor `readonly = true`: no key is a boolean).
                for setting in misplaced {
                    let message = format!("`{}` is inside [keys]: put it above the [keys] line", setting.text);
                    self.force_read_only(file, &message);
                    diagnostics.push(setting.problem(format!("{message}{UNTIL_FIXED}")));
                }
                continue;
            }
            // Any setting not understood fails closed: `readonly`, `READ_ONLY`,
            // `[general] read_only`, `dry_run` all meant something about
            // running, and a guess must not leave commands running.
            let message = format!("unknown setting `{key_name}`{}", did_you_mean(key_name, CONFIG_KEYS));
            self.force_read_only(file, &message);
            diagnostics.push(map.diagnostic(Level::Error, key.span(), format!("{message}{UNTIL_FIXED}")));
        }
    }

    /// Fails closed: commands will not run, and says why (the first reason
    /// stays, the later ones are in the diagnostics).
    fn force_read_only(&mut self, file: &str, problem: &str) {
        self.read_only = true;
        self.forced_read_only.get_or_insert_with(|| format!("{file}: {problem}"));
    }
}

/// The `[keys]` table: each action's key or list of keys, as written, and
/// the settings written after `[keys]` (a boolean is no key). A key that is
/// not a string is reported here; the names and keys are the keymap's to
/// judge.
fn rebindings(
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    map: &SourceMap<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Rebinding>, Vec<Written>) {
    let written = |text: &str, span: std::ops::Range<usize>| Written {
        text: text.to_owned(),
        at: map.diagnostic(Level::Error, span, String::new()),
    };
    let Some(table) = value.get_ref().as_table() else {
        diagnostics.push(map.diagnostic(
            Level::Error,
            value.span(),
            "`keys` must be a table: `[keys]`, then `run = \"ctrl-x\"`",
        ));
        return (Vec::new(), Vec::new());
    };
    let (mut rebindings, mut misplaced) = (Vec::new(), Vec::new());
    for (action, keys) in table {
        let listed = match keys.get_ref() {
            toml::de::DeValue::Array(items) => items.iter().collect(),
            toml::de::DeValue::Boolean(_) => {
                misplaced.push(written(action.get_ref(), action.span()));
                continue;
            }
            _ => vec![keys],
        };
        let mut rebinding = Rebinding { action: written(action.get_ref(), action.span()), keys: Vec::new() };
        for key in listed {
            match key.get_ref().as_str() {
                Some(text) => rebinding.keys.push(written(text, key.span())),
                None => diagnostics.push(map.diagnostic(
                    Level::Error,
                    key.span(),
                    format!("a key of `{}` must be a string such as \"ctrl-x\" or \"F5\"", action.get_ref()),
                )),
            }
        }
        rebindings.push(rebinding);
    }
    // Applied in the file's order, which the parsed table does not keep.
    rebindings.sort_by_key(|r| (r.action.at.line, r.action.at.column));
    (rebindings, misplaced)
}

/// The bytes of a file, if it exists: opened without waiting (a FIFO would
/// block until a writer came), refused unless it is a regular file of at
/// most [`MAX_CONFIG_BYTES`].
fn read_bounded(path: &Path) -> Result<Option<Vec<u8>>, String> {
    use rustix::fs::{Mode, OFlags};
    use std::io::Read;
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let file = match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => std::fs::File::from(fd),
        Err(rustix::io::Errno::NOENT) => return Ok(None),
        Err(errno) => return Err(io_message(&errno.into())),
    };
    let metadata = file.metadata().map_err(|err| io_message(&err))?;
    if !metadata.is_file() {
        return Err(format!("not a settings file: it is {}", file_kind(metadata.file_type())));
    }
    let mut bytes = Vec::new();
    // One byte more than the limit tells a file at the limit from a larger one.
    file.take(MAX_CONFIG_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(|err| io_message(&err))?;
    if bytes.len() > MAX_CONFIG_BYTES {
        return Err(format!("too large for a settings file (more than {} MiB)", MAX_CONFIG_BYTES >> 20));
    }
    Ok(Some(bytes))
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
    /// Reads the file as of `now`. A missing file, or one from an older
    /// pagerbook, gives nothing; each value that expired, could not fill a
    /// placeholder, or is not `{ value = "…", at = seconds }` under a valid
    /// name is left out. A file that cannot be read or parsed (not a
    /// regular file, over 1 MiB, not UTF-8, not TOML) is moved aside to
    /// `values.toml.corrupt-SECONDS`, never overwritten by the next save,
    /// and reported.
    #[must_use]
    pub fn load(path: &Path, now: SystemTime) -> (Remembered, Option<Diagnostic>) {
        let text = match files::read_regular(path, MAX_VALUES_BYTES) {
            Ok(text) => text,
            // Nothing there (a dangling link is something: it is kept aside).
            Err(err) if err.kind() == io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_err() => {
                return (Remembered::default(), None);
            }
            Err(err) => return (Remembered::default(), Some(keep_aside(path, now, &err.to_string()))),
        };
        let table = match toml::from_str::<toml::Table>(&text) {
            Ok(table) => table,
            Err(err) => return (Remembered::default(), Some(keep_aside(path, now, err.message()))),
        };
        let now = unix_seconds(now);
        let Some(toml::Value::Table(entries)) = table.get("entries") else { return (Remembered::default(), None) };
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
        (Remembered { entries: entries.collect() }, None)
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

/// Moves a values file that cannot be read out of the way of the next save,
/// and says so: it may hold what someone wants back.
fn keep_aside(path: &Path, now: SystemTime, why: &str) -> Diagnostic {
    let aside = path.with_extension(format!("toml.corrupt-{}", unix_seconds(now)));
    let name: Arc<str> = path.display().to_string().into();
    let message = match std::fs::rename(path, &aside) {
        Ok(()) => format!("remembered values could not be read ({why}); the file is kept as {}", aside.display()),
        Err(err) => format!("remembered values could not be read ({why}), nor moved aside ({err}): none are offered"),
    };
    file_diagnostic(&name, Level::Warning, message)
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

    /// Loads `path`: the config and each diagnostic as `line:col: level: message`.
    fn load_at(path: &Path) -> (Config, Vec<String>) {
        let (config, diagnostics) = Config::load(path);
        let shown =
            diagnostics.iter().map(|d| format!("{}:{}: {}: {}", d.line, d.column, d.level, d.message)).collect();
        (config, shown)
    }

    /// Writes `content` as config.toml in a new directory and loads it.
    fn load_text(content: impl AsRef<[u8]>) -> (Config, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, content).unwrap();
        load_at(&path)
    }

    fn forced(reason: &str) -> Config {
        Config { read_only: true, forced_read_only: Some(reason.to_owned()), keys: Vec::new() }
    }

    #[test]
    fn config_defaults_when_missing_and_reads_read_only() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_at(&dir.path().join("config.toml")), (Config::default(), Vec::new()));
        assert_eq!(
            load_text("read_only = true\n"),
            (Config { read_only: true, forced_read_only: None, keys: Vec::new() }, Vec::new())
        );
        assert_eq!(load_text("read_only = false\n"), (Config::default(), Vec::new()));
    }

    #[test]
    fn an_unknown_setting_fails_closed_and_the_valid_ones_still_apply() {
        let (config, problems) = load_text("colour = \"red\"\nread_only = false\n");
        assert_eq!(config, forced("config.toml: unknown setting `colour`"));
        assert_eq!(problems, ["1:1: error: unknown setting `colour` (commands will not run until this is fixed)"]);
        // Regression: each of these meant read-only, and left running on.
        for text in ["[general]\nread_only = true\n", "READ_ONLY = true\n", "dry_run = true\n", "ro = true\n"] {
            let (config, problems) = load_text(text);
            assert!(config.read_only && config.forced_read_only.is_some(), "{text:?}");
            assert_eq!(problems.len(), 1, "{text:?}: {problems:?}");
        }
    }

    #[test]
    fn keys_are_read_in_the_files_order_and_a_read_only_among_them_fails_closed() {
        let (config, problems) = load_text("[keys]\nrun = \"ctrl-x\"\nedit_entry = [\"F5\", 4]\nback = \"esc\"\n");
        assert!(!config.read_only);
        let actions: Vec<&str> = config.keys.iter().map(|r| r.action.text.as_str()).collect();
        assert_eq!(actions, ["run", "edit_entry", "back"]);
        assert_eq!(config.keys[1].keys.iter().map(|k| k.text.as_str()).collect::<Vec<_>>(), ["F5"]);
        assert_eq!(problems, ["3:21: error: a key of `edit_entry` must be a string such as \"ctrl-x\" or \"F5\""]);
        // Written after [keys], `read_only` is the table's: it meant running.
        let (config, problems) = load_text("[keys]\nrun = \"ctrl-x\"\nread_only = true\n");
        assert_eq!(
            config.forced_read_only.as_deref(),
            Some("config.toml: `read_only` is inside [keys]: put it above the [keys] line")
        );
        assert!(config.read_only);
        assert_eq!(config.keys.len(), 1, "and it is no action");
        assert_eq!(problems.len(), 1, "{problems:?}");
        let (config, _) = load_text("[keys]\nreadonly = true\n");
        assert!(config.read_only, "a boolean in [keys] is a setting misplaced, whatever its name");
    }

    #[test]
    fn a_misspelled_read_only_fails_closed() {
        // It used to flash once and leave commands running.
        let (config, problems) = load_text("# settings\nreadonly = true\n");
        assert_eq!(config, forced("config.toml: unknown setting `readonly`; did you mean `read_only`?"));
        let message =
            "unknown setting `readonly`; did you mean `read_only`? (commands will not run until this is fixed)";
        assert_eq!(problems, [format!("2:1: error: {message}")]);
    }

    #[test]
    fn a_read_only_that_is_not_a_boolean_fails_closed() {
        let (config, problems) = load_text("read_only = \"yes\"\n");
        assert_eq!(config, forced("config.toml: `read_only` must be true or false, not `\"yes\"`"));
        let message = "`read_only` must be true or false, not `\"yes\"` (commands will not run until this is fixed)";
        assert_eq!(problems, [format!("1:13: error: {message}")]);
    }

    #[test]
    fn a_toml_syntax_error_fails_closed() {
        let (config, problems) = load_text("read_only = false\n[broken\n");
        assert_eq!(config, forced("config.toml: invalid TOML at line 2"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("2:8: error: invalid TOML: "), "{problems:?}");
        assert!(problems[0].ends_with(" (commands will not run until this is fixed)"), "{problems:?}");
    }

    #[test]
    fn a_config_that_cannot_be_read_fails_closed() {
        let until = "(commands will not run until this is fixed)";
        let dir = tempfile::tempdir().unwrap();
        let directory = dir.path().join("config.toml");
        std::fs::create_dir(&directory).unwrap();
        let (config, problems) = load_at(&directory);
        assert_eq!(config, forced("config.toml: not a settings file: it is a directory"));
        assert_eq!(problems, [format!("1:1: error: not a settings file: it is a directory {until}")]);

        let fifo = dir.path().join("fifo.toml");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        // Were the FIFO opened to wait for a writer, this would block forever.
        assert_eq!(load_at(&fifo).0, forced("fifo.toml: not a settings file: it is a FIFO"));

        let (config, problems) = load_text(b"read_only = false\n# caf\xe9\n");
        assert_eq!(config, forced("config.toml: not UTF-8"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("2:6: error: not UTF-8: byte 0xE9"), "{problems:?}");
        assert!(problems[0].ends_with(until), "{problems:?}");

        let (config, _) = load_text(format!("# {}\n", "x".repeat(MAX_CONFIG_BYTES)));
        assert_eq!(config, forced("config.toml: too large for a settings file (more than 1 MiB)"));
    }

    #[test]
    fn an_unreadable_config_fails_closed() {
        let dir = tempfile::tempdir().unwrap();
        let locked = dir.path().join("config.toml");
        std::fs::write(&locked, "read_only = false\n").unwrap();
        std::process::Command::new("chmod").arg("000").arg(&locked).status().unwrap();
        // root reads through permissions; /proc/self/mem is a regular file
        // that fails to read for anyone.
        let unreadable = if std::fs::read(&locked).is_ok() { PathBuf::from("/proc/self/mem") } else { locked };
        let (config, problems) = load_at(&unreadable);
        assert!(config.read_only, "{config:?}");
        let file = unreadable.file_name().unwrap().to_string_lossy();
        let reason = config.forced_read_only.unwrap_or_default();
        assert!(reason.starts_with(&format!("{file}: cannot read")), "{reason}");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("1:1: error: cannot read"), "{problems:?}");
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
        assert_eq!(Remembered::load(&path, at(NOW)).0, Remembered::default());
        let mut remembered = Remembered::default();
        remembered.set("coredns-down", "namespace", "kube-system".into(), at(NOW));
        remembered.set("redis-oom", "namespace", "prod ns's".into(), at(NOW));
        remembered.save(&path).unwrap();
        let loaded = Remembered::load(&path, at(NOW + 60)).0;
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
        assert_eq!(Remembered::load(&path, at(NOW + shift)).0, Remembered::default());
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
        assert_eq!(Remembered::load(&path, at(NOW)).0, expected);
    }

    #[test]
    fn an_old_flat_file_or_a_broken_one_reads_as_empty() {
        for text in ["[values]\nnamespace = \"shop\"\n", "not toml [", "entries = 3", "[entries]\ne = 1"] {
            let (_dir, path) = values_file(text);
            assert_eq!(Remembered::load(&path, at(NOW)).0, Remembered::default(), "{text}");
        }
    }

    #[test]
    fn a_corrupt_values_file_is_kept_aside_and_reported_never_overwritten() {
        // Regression (issue 11 #4): a broken values.toml was silently
        // replaced by the next save.
        let (dir, path) = values_file("not toml [ but someone's notes");
        let (remembered, problem) = Remembered::load(&path, at(NOW));
        assert_eq!(remembered, Remembered::default());
        let aside = dir.path().join(format!("values.toml.corrupt-{NOW}"));
        assert_eq!(std::fs::read_to_string(&aside).unwrap(), "not toml [ but someone's notes");
        assert!(!path.exists());
        let message = problem.unwrap().to_string();
        assert!(message.contains("could not be read") && message.contains("values.toml.corrupt-"), "{message}");
        // A missing file is no problem; an old-format one is read as empty and
        // not reported.
        assert_eq!(Remembered::load(&path, at(NOW)).1, None);
        let (_dir, old) = values_file("[values]\nnamespace = \"shop\"\n");
        assert_eq!(Remembered::load(&old, at(NOW)).1, None);
    }

    #[test]
    fn a_file_over_a_mebibyte_or_a_fifo_reads_as_empty_at_once() {
        let line = format!("x = {{ value = \"{}\", at = {NOW} }}\n", "v".repeat(100));
        let (dir, path) = values_file(&format!("[entries.e]\n{}", line.repeat(11_000)));
        assert!(std::fs::metadata(&path).unwrap().len() > MAX_VALUES_BYTES);
        assert_eq!(Remembered::load(&path, at(NOW)).0, Remembered::default());
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR).unwrap();
        assert_eq!(Remembered::load(&fifo, at(NOW)).0, Remembered::default());
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
