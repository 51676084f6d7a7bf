//! End to end: the real binary in a real terminal (tmux), driven by keys as a
//! person would, and the terminal checked sane after it quits. Every wait
//! polls the screen with a deadline rather than sleeping.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of our own, killed when the test ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts a shell in a `width`×`height` terminal, or `None` when tmux is
    /// not installed (`.ci/run` installs it, so CI always runs this).
    fn start(name: &str, width: u16, height: u16) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("tmux is not installed: skipping the end-to-end test");
            return None;
        }
        let tmux = Tmux { socket: format!("pagerbook-test-{}-{name}", std::process::id()) };
        let config = tempfile::tempdir().unwrap().keep();
        let shell = format!(
            "env -i PATH=/usr/bin:/bin HOME={home} XDG_CONFIG_HOME={home} TERM=xterm-256color PS1='READY$ ' bash --norc --noprofile",
            home = config.display()
        );
        let status = tmux.command(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            &shell,
        ]);
        assert!(status.success());
        tmux.wait_for("READY$", "the shell prompt");
        Some(tmux)
    }

    /// Starts the navigator from the shell, waits for it, returns its pid.
    fn open_navigator(&self) -> String {
        self.type_text(env!("CARGO_BIN_EXE_pagerbook"));
        self.send(&["Enter"]);
        self.wait_for("Failure modes, edge inward", "the navigator");
        let pane =
            Command::new("tmux").arg("-L").arg(&self.socket).args(["display", "-p", "-t", "t", "#{pane_pid}"]).output();
        let shell = String::from_utf8_lossy(&pane.unwrap().stdout).trim().to_owned();
        let child = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
        let pid = String::from_utf8_lossy(&child.stdout).trim().to_owned();
        assert!(!pid.is_empty(), "no pagerbook under the shell {shell}");
        pid
    }

    fn command(&self, args: &[&str]) -> std::process::ExitStatus {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).status().unwrap()
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.command(&args).success());
    }

    fn type_text(&self, text: &str) {
        assert!(self.command(&["send-keys", "-t", "t", "-l", text]).success());
    }

    fn screen(&self) -> String {
        let out =
            Command::new("tmux").arg("-L").arg(&self.socket).args(["capture-pane", "-p", "-t", "t"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text`, failing with the screen after 10 s.
    fn wait_for(&self, text: &str, what: &str) -> String {
        self.wait_until(|screen| screen.contains(text), &format!("{what} ({text:?})"))
    }

    /// Waits until `ready` holds for the screen, failing with it after 10 s.
    fn wait_until(&self, ready: impl Fn(&str) -> bool, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(Instant::now() < deadline, "waited for {what}; the screen shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-L").arg(&self.socket).arg("kill-server").status();
    }
}

#[test]
fn find_open_and_quit_leaves_a_sane_terminal() {
    let Some(tmux) = Tmux::start("find", 100, 30) else { return };
    tmux.open_navigator();
    tmux.type_text("no such host");
    // The first hit, once the results answer the whole query (those of
    // "no" and "no such" may show first).
    let first_hit = |screen: &str| {
        screen.lines().find(|l| ["CRIT", "HIGH", "MED ", "LOW "].iter().any(|s| l.contains(s))).map(str::to_owned)
    };
    let expected =
        Command::new(env!("CARGO_BIN_EXE_pagerbook")).args(["search", "-n", "1000", "no such host"]).output().unwrap();
    let count = format!("{} matches", String::from_utf8_lossy(&expected.stdout).lines().count());
    let screen = tmux.wait_until(
        |screen| screen.starts_with("Search › no such host") && screen.contains(&count),
        &format!("the results of the whole query ({count})"),
    );
    let first = first_hit(&screen).unwrap();
    assert!(first.contains("CoreDNS down"), "first hit:\n{screen}");
    tmux.send(&["Enter"]);
    tmux.wait_for("SIGNALS", "the detail of the entry");
    tmux.wait_for("↑↓ select", "the detail's keys");
    tmux.send(&["Escape"]);
    tmux.wait_for("Esc clear", "the results again");
    tmux.send(&["Escape"]);
    tmux.wait_for("Failure modes, edge inward", "the cleared search");
    tmux.send(&["Escape"]);
    tmux.wait_for("READY$", "the shell prompt after quitting");
    // Cooked mode is back: the shell echoes what is typed and stty says so.
    assert_cooked(&tmux);
}

#[test]
fn sigterm_quits_through_the_normal_path_and_restores_the_terminal() {
    let Some(tmux) = Tmux::start("sigterm", 80, 24) else { return };
    let pid = tmux.open_navigator();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    tmux.wait_for("READY$", "the shell prompt after SIGTERM");
    assert_cooked(&tmux);
}

/// Asserts the terminal is back in cooked mode with echo, as the shell needs.
fn assert_cooked(tmux: &Tmux) {
    tmux.send(&["C-l"]);
    tmux.type_text(
        "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | tr '\\n' ' '; echo 'E''ND'",
    );
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("END\n", "stty's answer");
    assert!(screen.contains("icanon echo END"), "terminal not restored:\n{screen}");
}

#[test]
fn the_process_exits_when_its_terminal_goes_away() {
    let Some(tmux) = Tmux::start("hangup", 80, 24) else { return };
    let pid = tmux.open_navigator();
    // Like an ssh connection dropping: the terminal closes under the program.
    assert!(tmux.command(&["kill-session", "-t", "t"]).success());
    let deadline = Instant::now() + Duration::from_secs(5);
    while Command::new("kill").args(["-0", &pid]).stderr(std::process::Stdio::null()).status().unwrap().success() {
        assert!(Instant::now() < deadline, "pagerbook {pid} still runs after its terminal closed");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_z_suspends_and_fg_resumes_where_it_was() {
    let Some(tmux) = Tmux::start("suspend", 90, 24) else { return };
    tmux.open_navigator();
    tmux.type_text("redis");
    tmux.wait_until(|s| s.starts_with("Search › redis") && s.contains(" matches "), "the results for redis");
    tmux.send(&["C-z"]);
    tmux.wait_for("Stopped", "the shell's job notice");
    tmux.wait_for("READY$", "the shell prompt");
    tmux.type_text("fg");
    tmux.send(&["Enter"]);
    // Redrawn at once, the query still there, without a key to wake it up.
    tmux.wait_until(|s| s.starts_with("Search › redis") && s.contains(" matches "), "the navigator back as it was");
    tmux.send(&["C-c"]);
    tmux.wait_until(|s| s.trim_end().ends_with("READY$"), "the prompt after quitting");
    assert_cooked(&tmux);
}
