//! The two small files pagerbook keeps for a person: `config.toml` in the
//! config directory (settings they choose) and `values.toml` in the data
//! directory (the last value typed for each placeholder, so the namespace
//! typed once is there next time). Neither is ever needed: a missing file
//! means defaults, a broken one is reported; what a broken config.toml
//! cannot say fails closed (read-only).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use toml::de::DeTable;

use crate::catalog::diagnostic::{SourceMap, closest, did_you_mean, file_diagnostic};
use crate::catalog::load::{check_text, file_kind, io_message};
use crate::catalog::{Diagnostic, Level};
use crate::template::check_value;

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Never run a command (copying still works): for drills on a shared
    /// screen and for reading. Also set when the file could not be trusted.
    pub read_only: bool,
    /// Why commands will not run because of a problem with the file rather
    /// than by choice (`read_only` is then set), in a few words for the
    /// status line: "config.toml: cannot read: permission denied".
    pub forced_read_only: Option<String>,
}

/// The settings `config.toml` may hold.
const CONFIG_KEYS: &[&str] = &["read_only"];

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
            let mut message = format!("unknown setting `{key_name}`{}", did_you_mean(key_name, CONFIG_KEYS));
            // `readonly = true` meant read-only: a typo must not leave commands running.
            if closest(key_name, CONFIG_KEYS.iter().copied()) == Some("read_only") {
                self.force_read_only(file, &message);
                message.push_str(UNTIL_FIXED);
            }
            diagnostics.push(map.diagnostic(Level::Error, key.span(), message));
        }
    }

    /// Fails closed: commands will not run, and says why (the first reason
    /// stays, the later ones are in the diagnostics).
    fn force_read_only(&mut self, file: &str, problem: &str) {
        self.read_only = true;
        self.forced_read_only.get_or_insert_with(|| format!("{file}: {problem}"));
    }
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

/// The last value used for each placeholder name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// Name → value.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

impl Remembered {
    /// Reads the file; anything missing or unreadable, or any value that
    /// could not fill a placeholder, is left out.
    #[must_use]
    pub fn load(path: &Path) -> Remembered {
        let mut remembered: Remembered =
            std::fs::read_to_string(path).ok().and_then(|text| toml::from_str(&text).ok()).unwrap_or_default();
        remembered.values.retain(|_, value| check_value(value, None).is_ok());
        remembered
    }

    /// Writes the file (readable by its owner only: values name hosts and
    /// namespaces), through a temporary file so a crash never leaves half.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = toml::to_string(self).map_err(io::Error::other)?;
        let temporary = path.with_extension("toml.tmp");
        {
            use std::io::Write;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&temporary)?;
            file.write_all(text.as_bytes())?;
        }
        std::fs::rename(&temporary, path)
    }
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
        Config { read_only: true, forced_read_only: Some(reason.to_owned()) }
    }

    #[test]
    fn config_defaults_when_missing_and_reads_read_only() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_at(&dir.path().join("config.toml")), (Config::default(), Vec::new()));
        assert_eq!(load_text("read_only = true\n"), (Config { read_only: true, forced_read_only: None }, Vec::new()));
        assert_eq!(load_text("read_only = false\n"), (Config::default(), Vec::new()));
    }

    #[test]
    fn an_unknown_setting_is_an_error_and_the_valid_ones_still_apply() {
        let (config, problems) = load_text("colour = \"red\"\nread_only = true\n");
        assert_eq!(config, Config { read_only: true, forced_read_only: None });
        assert_eq!(problems, ["1:1: error: unknown setting `colour`"]);
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

    #[test]
    fn values_survive_a_round_trip_and_bad_ones_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("values.toml");
        assert_eq!(Remembered::load(&path), Remembered::default());
        let mut remembered = Remembered::default();
        remembered.values.insert("namespace".into(), "prod ns's".into());
        remembered.values.insert("node".into(), "n1".into());
        remembered.save(&path).unwrap();
        assert_eq!(Remembered::load(&path), remembered);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, "[values]\nok = \"a\"\nbad = \"x\\u001b[2J\"\n").unwrap();
        assert_eq!(Remembered::load(&path).values.into_iter().collect::<Vec<_>>(), [("ok".into(), "a".into())]);
        std::fs::write(&path, "not toml [").unwrap();
        assert_eq!(Remembered::load(&path), Remembered::default());
    }
}
