//! At home in the shell: the completion scripts each shell accepts, and the
//! ids they offer, asked of the binary as a shell asks it.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;
use std::process::{Command, Output};

mod util;
use util::{Dir, pagerbook, stdout};

/// Whether `shell` is installed; bash must be (the other shells are
/// checked where they are).
fn installed(shell: &str) -> bool {
    let found = Command::new(shell).arg("-c").arg("exit 0").output().is_ok_and(|o| o.status.success());
    assert!(found || shell != "bash", "bash is not installed");
    found
}

/// Runs `script` in `shell` with HOME at `home` and nothing else of ours.
fn in_shell(shell: &str, home: &Path, script: &str) -> Output {
    Command::new(shell)
        .args(if shell == "fish" { vec!["--no-config", "-c", script] } else { vec!["-c", script] })
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap()
}

fn script_for(home: &Path, shell: &str) -> std::path::PathBuf {
    let out = pagerbook(home, &["completions", shell]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let script = stdout(&out);
    assert!(script.contains(env!("CARGO_BIN_EXE_pagerbook")), "it calls this binary:\n{script}");
    let path = home.join(format!("completion.{shell}"));
    std::fs::write(&path, script).unwrap();
    path
}

#[test]
fn each_shell_accepts_its_completion_script_and_widget() {
    let home = Dir::new();
    for (shell, check) in [("bash", "bash -n"), ("zsh", "zsh -n"), ("fish", "fish --no-execute")] {
        if !installed(shell) {
            eprintln!("{shell} is not installed: its script is not checked");
            continue;
        }
        let script = script_for(home.path(), shell);
        let out = in_shell("bash", home.path(), &format!("{check} {}", script.display()));
        assert!(out.status.success(), "{shell} refuses its script: {}", String::from_utf8_lossy(&out.stderr));
        // The Ctrl-G widget too.
        let widget = home.write(&format!("widget.{shell}"), stdout(&pagerbook(home.path(), &["widget", shell])));
        let out = in_shell("bash", home.path(), &format!("{check} {}", widget.display()));
        assert!(out.status.success(), "{shell} refuses its widget: {}", String::from_utf8_lossy(&out.stderr));
    }
    // The others are at least written.
    for shell in ["elvish", "powershell"] {
        assert!(!stdout(&pagerbook(home.path(), &["completions", shell])).is_empty(), "{shell}");
    }
}

#[test]
fn bash_completes_subcommands_and_the_catalogs_ids() {
    let home = Dir::new();
    let script = script_for(home.path(), "bash");
    // What bash's `complete -F` does on Tab: the words, the word under the
    // cursor, the function; then what it would offer.
    let complete = |words: &[&str]| {
        let current = words.len() - 1;
        let line = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={current}; COMP_TYPE=9; \
             _clap_complete_pagerbook pagerbook '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
            words[current],
            words[current - 1],
        );
        let out = in_shell("bash", home.path(), &line);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        stdout(&out).lines().map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(complete(&["pagerbook", "show", "core"]), ["coredns-down"]);
    assert!(complete(&["pagerbook", "cmd", "tls-"]).iter().any(|id| id == "tls-cert-expired"));
    assert!(complete(&["pagerbook", "drill", "run", "wild"]).iter().any(|id| id == "wildcard-cert-expired"));
    let subcommands = complete(&["pagerbook", "comp"]);
    assert_eq!(subcommands, ["completions"]);
    assert!(complete(&["pagerbook", "search", "--js"]).contains(&"--json".to_owned()));
    // An id of the user's own catalog is offered too.
    home.write(
        ".config/pagerbook/catalog/team.toml",
        "[[failure]]\nid = \"core-switch-flapping\"\ntitle = \"Core switch flapping\"\nsymptom = \"Links go up and down.\"\n",
    );
    assert_eq!(complete(&["pagerbook", "show", "core"]), ["coredns-down", "core-switch-flapping"], "in catalog order");
}

#[test]
fn fish_completes_the_catalogs_ids() {
    let home = Dir::new();
    if !installed("fish") {
        eprintln!("fish is not installed");
        return;
    }
    let script = script_for(home.path(), "fish");
    let out = in_shell("fish", home.path(), &format!("source {}; complete -C 'pagerbook show core'", script.display()));
    assert!(stdout(&out).lines().any(|l| l.starts_with("coredns-down")), "{}", stdout(&out));
}

#[test]
fn the_man_page_names_every_subcommand() {
    let home = Dir::new();
    let page = stdout(&pagerbook(home.path(), &["man"]));
    assert!(page.starts_with(".ie") && page.contains(".TH pagerbook 1"), "{page}");
    for sub in ["show", "search", "cmd", "check", "import", "export", "drill", "completions"] {
        assert!(page.contains(&format!("\\fBpagerbook {sub}\\fR")), "{sub} is not in the man page");
    }
    // One page: no reference to a page per subcommand, which would not exist.
    assert!(!page.contains("pagerbook\\-list(1)"), "{page}");
    // groff, where installed, reads it without a warning.
    if Command::new("groff").arg("-v").output().is_ok_and(|o| o.status.success()) {
        let mut groff = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut groff.stdin.take().unwrap(), page.as_bytes()).unwrap();
        let warnings = groff.wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&warnings.stderr), "", "groff's warnings");
    }
    for said in [".SH FILES", ".SH ENVIRONMENT", "PAGERBOOK_CATALOG", "config.toml", "EDITOR", "PAGER"] {
        assert!(page.contains(said), "{said} is not in the man page");
    }
}

#[test]
fn the_version_says_what_the_embedded_catalog_holds() {
    let home = Dir::new();
    let out = pagerbook(home.path(), &["--version"]);
    let version = stdout(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(version.starts_with(&format!("pagerbook {} (embedded catalog: ", env!("CARGO_PKG_VERSION"))), "{version}");
    let count = version.split("catalog: ").nth(1).and_then(|r| r.split(' ').next()).unwrap();
    let listed: serde_json::Value =
        serde_json::from_str(&stdout(&pagerbook(home.path(), &["list", "--json"]))).unwrap();
    assert_eq!(count.parse::<usize>().unwrap(), listed["entries"].as_array().unwrap().len(), "{version}");
    assert!(version.contains(" drills, newest review 20"), "{version}");
}

#[test]
fn edit_opens_the_entrys_file_at_its_line_then_checks_it() {
    let home = Dir::new();
    let catalog = home.write(
        "team/team.toml",
        "[[failure]]\nid = \"first\"\ntitle = \"First\"\nsymptom = \"s\"\n\n[[failure]]\nid = \"core-switch-flapping\"\ntitle = \"Core switch flapping\"\nsymptom = \"Links go up and down.\"\n",
    );
    // The editor: says what it was given, then breaks the file.
    let said = home.path().join("editor-args");
    let editor = home.write(
        "editor.sh",
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > {}\nprintf 'oops = 1\\n' >> \"$2\"\n", said.display()),
    );
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let team = home.path().join("team").display().to_string();
    let out = util::clean_command(home.path(), &["--catalog", &team, "edit", "core-switch-flapping"])
        .env("EDITOR", &editor)
        .output()
        .unwrap();
    assert_eq!(std::fs::read_to_string(&said).unwrap(), format!("+6\n{}\n", catalog.display()));
    assert_eq!(out.status.code(), Some(1), "the file it left is broken");
    assert!(
        stdout(&out).contains(&format!("{}:10:1: error: unknown field `oops`", catalog.display())),
        "{}",
        stdout(&out)
    );
    // The embedded catalog is not edited.
    let out = util::clean_command(home.path(), &["edit", "coredns-down"]).env("EDITOR", &editor).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is built into pagerbook"), "{out:?}");
}

#[test]
fn show_colours_when_asked_or_at_a_terminal_and_is_plain_into_a_pipe() {
    let home = Dir::new();
    let plain = stdout(&pagerbook(home.path(), &["show", "coredns-down"]));
    assert!(!plain.contains('\x1b') && plain.starts_with("coredns-down: CoreDNS down"), "{plain}");
    assert_eq!(stdout(&pagerbook(home.path(), &["show", "coredns-down", "--color", "never"])), plain);
    let coloured = stdout(&pagerbook(home.path(), &["show", "coredns-down", "--color", "always"]));
    assert!(coloured.starts_with("\x1b[1mcoredns-down: CoreDNS down"), "{coloured}");
    assert!(coloured.contains("\x1b[36m     $ kubectl get pods -n kube-system"), "{coloured}");
    // The same text under the colours.
    let stripped = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap().replace_all(&coloured, "").into_owned();
    assert_eq!(stripped, plain);
}
