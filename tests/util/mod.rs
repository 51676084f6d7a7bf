//! Helpers more than one test file uses: temporary directories of catalog
//! files and stubs, fixture paths, the binary in a clean environment, and
//! waiting with a deadline.

// Each test binary compiles its own copy of this module and uses a part.
#![allow(dead_code)]

pub mod app;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pagerbook::catalog::{Loaded, Source, load};

/// The fixtures, relative to the package root: the directory tests run in,
/// and the form the navigator's snapshots show.
pub const FIXTURES: &str = "tests/fixtures";

/// A fixture's absolute path, valid wherever the program reading it runs.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES).join(name)
}

/// The files of directories of the package (relative to its root), as
/// (`dir/name`, text), sorted.
pub fn files_in(dirs: &[&str]) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in dirs {
        for file in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = file.unwrap().path();
            files.push((
                format!("{dir}/{}", path.file_name().unwrap().to_string_lossy()),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    files.sort();
    files
}

/// The catalog built into the binary.
pub fn embedded() -> Loaded {
    load(&[Source::Embedded])
}

/// A temporary directory, deleted when the test ends.
pub struct Dir(tempfile::TempDir);

impl Dir {
    pub fn new() -> Self {
        Dir(tempfile::tempdir().unwrap())
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// Writes `name` (a path inside, its directories made), returns its path.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    /// Writes each (name, script) as an executable in `bin`, and returns a
    /// `PATH` that finds them before the real programs.
    pub fn stubs(&self, stubs: &[(&str, &str)]) -> String {
        use std::os::unix::fs::PermissionsExt;
        for (name, script) in stubs {
            let path = self.write(&format!("bin/{name}"), script);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        format!("{}:{}", self.path().join("bin").display(), std::env::var("PATH").unwrap_or_default())
    }

    /// The catalog of the files in it.
    pub fn load(&self) -> Loaded {
        load(&[Source::Path(self.path().to_path_buf())])
    }
}

/// A kubeconfig whose current context is `context`, namespace `web`.
pub fn kubeconfig(context: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: {context}\ncontexts:\n- name: {context}\n  context:\n    cluster: eu\n    user: me\n    namespace: web\n"
    )
}

/// pagerbook with a clean environment: `home` for HOME and its settings, no
/// user catalog, no `PAGERBOOK_CATALOG`.
pub fn clean_command(home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pagerbook"));
    command
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command
}

/// Runs pagerbook with a clean environment and nothing on standard input.
pub fn pagerbook(home: &Path, args: &[&str]) -> Output {
    clean_command(home, args).stdin(Stdio::null()).output().unwrap()
}

/// What a program printed on standard output, which must be UTF-8.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Checks `done` every `every` until it holds, failing with `failure()`
/// once `within` has passed (`done` first: what is done passes whatever
/// the bound). The bounds are for a loaded machine, not the usual time.
#[track_caller]
pub fn poll(within: Duration, every: Duration, mut done: impl FnMut() -> bool, failure: impl Fn() -> String) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < deadline, "{}", failure());
        std::thread::sleep(every);
    }
}
