//! The two small files pagerbook keeps for a person: `config.toml` in the
//! config directory (settings they choose) and `values.toml` in the data
//! directory (the last value typed for each placeholder, so the namespace
//! typed once is there next time). Neither is ever needed: a missing file
//! means defaults, a broken one is reported and ignored.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::catalog::diagnostic::{SourceMap, file_diagnostic};
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
