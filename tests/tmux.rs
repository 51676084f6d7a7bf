//! End to end: the real binary in a real terminal (tmux), driven by keys as a
//! person would, and the terminal checked sane after it quits. Every wait
//! polls the screen with a deadline rather than sleeping.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::cell::RefCell;
use std::process::Command;
use std::time::{Duration, Instant};

mod util;
use util::{Dir, fixture, pagerbook, poll, stdout};

/// A tmux server of our own, killed when the test ends.
struct Tmux {
    socket: String,
    /// The shell's HOME, removed with the server.
    home: tempfile::TempDir,
}

impl Tmux {
    /// Starts a shell in a `width`×`height` terminal, or `None` when tmux is
    /// not installed (`.ci/run` installs it, so CI always runs this).
    fn start(name: &str, width: u16, height: u16) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            // In CI a missing tmux is a broken set-up, not a reason to pass.
            assert!(std::env::var_os("CI").is_none(), "tmux is not installed, and CI must run the end-to-end tests");
            eprintln!("tmux is not installed: skipping the end-to-end test");
            return None;
        }
        let tmux = Tmux {
            socket: format!("pagerbook-test-{}-{name}", std::process::id()),
            home: tempfile::tempdir().unwrap(),
        };
        let shell = tmux.shell();
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
        tmux.wait_for_prompt("the shell prompt");
        Some(tmux)
    }

    /// Starts the navigator from the shell, waits for it, returns its pid.
    fn open_navigator(&self) -> String {
        self.open_navigator_on("", "Failure modes, edge inward")
    }

    /// Starts the navigator with `args`, waits for `first` on its screen,
    /// returns its pid.
    fn open_navigator_on(&self, args: &str, first: &str) -> String {
        self.type_text(&format!("{} {args}", env!("CARGO_BIN_EXE_pagerbook")));
        self.send(&["Enter"]);
        self.wait_for(first, "the navigator");
        let shell = self.output(&["display", "-p", "-t", &pane("t"), "#{pane_pid}"]).trim().to_owned();
        let pid = stdout_of("pgrep", &["-P", &shell]).trim().to_owned();
        assert!(!pid.is_empty(), "no pagerbook under the shell {shell}");
        pid
    }

    /// Opens the drill catalog's entry and runs its step 3 (`sleep 600`);
    /// returns pagerbook's pid and the step's process group.
    fn start_sleeping_step(&self) -> (String, String) {
        let navigator = self.open_navigator_on(&drill_catalog(), "Drills");
        self.press(&["Enter"]);
        self.wait_for("STEPS", "the drill entry");
        self.press(&["3", "C-r"]);
        self.wait_for("Run this command?", "the confirmation");
        self.press(&["Enter"]);
        self.wait_for("  sleeping", "the run's output");
        let group = run_group(&navigator);
        (navigator, group)
    }

    /// Quits with Ctrl-C (nothing running, so nothing asked) and waits for
    /// the shell's prompt.
    fn quit(&self) {
        self.send(&["C-c"]);
        self.wait_for_prompt("the prompt after quitting");
    }

    /// Waits for the shell's prompt on the last line: the line where the
    /// navigator was started holds `READY$` too, and shows again as soon as
    /// the navigator leaves the alternate screen, before it has exited.
    fn wait_for_prompt(&self, what: &str) -> String {
        self.wait_until(|s| s.trim_end().ends_with("READY$"), what)
    }

    /// The exit status of the last command the shell ran.
    fn last_exit_status(&self) -> String {
        self.type_text("echo \"status=$?\"");
        self.send(&["Enter"]);
        let screen = self.wait_until(|s| s.lines().any(|l| l.starts_with("status=")), "the exit status");
        let line = screen.lines().rev().find(|l| l.starts_with("status=")).unwrap_or_default();
        line.trim_start_matches("status=").trim().to_owned()
    }

    /// What a tmux command prints.
    fn output(&self, args: &[&str]) -> String {
        stdout_of("tmux", &[&["-L", &self.socket], args].concat())
    }

    fn command(&self, args: &[&str]) -> std::process::ExitStatus {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).status().unwrap()
    }

    fn send(&self, keys: &[&str]) {
        self.send_to("t", keys);
    }

    fn send_to(&self, target: &str, keys: &[&str]) {
        let target = pane(target);
        let mut args = vec!["send-keys", "-t", &target];
        args.extend_from_slice(keys);
        assert!(self.command(&args).success());
    }

    /// The shell each terminal runs: a clean environment, HOME the test's.
    fn shell(&self) -> String {
        format!(
            "env -i PATH=/usr/bin:/bin HOME={home} XDG_CONFIG_HOME={home} TERM=xterm-256color PS1='READY$ ' bash --norc --noprofile",
            home = self.home.path().display()
        )
    }

    /// A second terminal: a session `name` of the same server, in the same
    /// shell environment.
    fn second_terminal(&self, name: &str, width: u16, height: u16) {
        let shell = self.shell();
        let (width, height) = (width.to_string(), height.to_string());
        assert!(self.command(&["new-session", "-d", "-s", name, "-x", &width, "-y", &height, &shell]).success());
        self.wait_in(name, |s| s.trim_end().ends_with("READY$"), "the second shell's prompt");
    }

    /// Presses each key and waits for the screen to change before the next.
    /// Keys sent back to back arrive as one read: Esc followed by a letter
    /// is then Alt+letter, and the test would wait for nothing.
    fn press(&self, keys: &[&str]) {
        self.press_in("t", keys);
    }

    fn press_in(&self, target: &str, keys: &[&str]) {
        // Styles count: selecting a step may change only its colours.
        let styled = || self.output(&["capture-pane", "-p", "-e", "-t", &pane(target)]);
        for key in keys {
            let before = styled();
            self.send_to(target, &[key]);
            poll(
                Duration::from_secs(10),
                Duration::from_millis(20),
                || styled() != before,
                || format!("the screen did not change after {key}:\n{}", self.screen_of(target)),
            );
        }
    }

    fn type_text(&self, text: &str) {
        self.type_in("t", text);
    }

    fn type_in(&self, target: &str, text: &str) {
        assert!(self.command(&["send-keys", "-t", &pane(target), "-l", text]).success());
    }

    fn screen_of(&self, target: &str) -> String {
        self.output(&["capture-pane", "-p", "-t", &pane(target)])
    }

    /// Waits until the screen shows `text`, failing with the screen after 10 s.
    fn wait_for(&self, text: &str, what: &str) -> String {
        self.wait_until(|screen| screen.contains(text), &format!("{what} ({text:?})"))
    }

    /// Waits until `ready` holds for the screen, failing with it after 10 s.
    fn wait_until(&self, ready: impl Fn(&str) -> bool, what: &str) -> String {
        self.wait_in("t", ready, what)
    }

    /// Waits until `ready` holds for the screen of `target`, failing with it after 10 s.
    #[track_caller]
    fn wait_in(&self, target: &str, ready: impl Fn(&str) -> bool, what: &str) -> String {
        self.wait_within(target, Duration::from_secs(10), ready, what)
    }

    #[track_caller]
    fn wait_within(&self, target: &str, within: Duration, ready: impl Fn(&str) -> bool, what: &str) -> String {
        // The screen last checked: returned, or shown in the failure.
        let screen = RefCell::new(String::new());
        poll(
            within,
            Duration::from_millis(50),
            || {
                *screen.borrow_mut() = self.screen_of(target);
                ready(&screen.borrow())
            },
            || format!("waited for {what}; the screen shows:\n{}", screen.borrow()),
        );
        screen.into_inner()
    }
}

/// The active pane of session `session`, by its exact name. tmux looks a
/// bare `t` up first as a window of the latest session, by name, prefix or
/// pattern (a window running `top` there takes it), and only then as a
/// session: one run in about 25, the responder's keys went to the game
/// master's terminal and its screen was read as the responder's.
fn pane(session: &str) -> String {
    format!("={session}:")
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
    // In the navigator's environment: no catalog but the embedded one.
    let home = Dir::new();
    let expected = stdout(&pagerbook(home.path(), &["search", "-n", "1000", "no such host"]));
    let count = format!("{} matches", expected.lines().count());
    let screen = tmux.wait_until(
        |screen| screen.starts_with("Search › no such host") && screen.contains(&count),
        &format!("the results of the whole query ({count})"),
    );
    let first = first_hit(&screen).unwrap();
    assert!(first.contains("CoreDNS down"), "first hit:\n{screen}");
    tmux.press(&["Enter"]);
    tmux.wait_for("STEPS", "the detail of the entry");
    tmux.wait_for("Enter copy · ^R run", "the detail's keys");
    tmux.press(&["Escape"]);
    tmux.wait_for("Esc clear", "the results again");
    tmux.press(&["Escape"]);
    tmux.wait_for("Failure modes, edge inward", "the cleared search");
    tmux.send(&["Escape"]);
    tmux.wait_for_prompt("the shell prompt after quitting");
    // Cooked mode is back: the shell echoes what is typed and stty says so.
    assert_cooked(&tmux);
}

/// Context switches of every thread of a process so far.
fn context_switches(pid: &str) -> u64 {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap() {
        let status = std::fs::read_to_string(task.unwrap().path().join("status")).unwrap_or_default();
        total += status
            .lines()
            .filter(|line| line.contains("ctxt_switches:"))
            .filter_map(|line| line.split_whitespace().last()?.parse::<u64>().ok())
            .sum::<u64>();
    }
    total
}

#[test]
fn an_idle_navigator_does_not_wake_up() {
    // Regression: the input thread woke every 50 ms to look at its pause
    // flag (20 wake-ups a second while nobody typed).
    let Some(tmux) = Tmux::start("idle", 80, 24) else { return };
    let pid = tmux.open_navigator();
    // What start-up leaves running (the index, syntect) settles first.
    std::thread::sleep(Duration::from_millis(500));
    let before = context_switches(&pid);
    std::thread::sleep(Duration::from_secs(2));
    let woken = context_switches(&pid) - before;
    assert!(woken <= 2, "{woken} context switches in 2 s of idling");
    // And it still answers at once.
    tmux.type_text("redis");
    tmux.wait_for("Search › redis", "the typed query");
}

/// CPU time (user and system, in clock ticks) a process has used.
fn cpu_ticks(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command's name, which is in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn after_a_resize_it_redraws_at_once_and_the_next_key_arrives_without_spinning() {
    // Regression: crossterm's edge-triggered reader dropped the terminal's
    // readiness when a resize came with it: the next key was held back
    // until another came, the input thread spinning meanwhile; and a resize
    // alone redrew only at the next key.
    let Some(tmux) = Tmux::start("resize", 80, 24) else { return };
    let pid = tmux.open_navigator();
    tmux.type_text("disk");
    tmux.wait_for("Search › disk", "the typed query");
    assert!(tmux.command(&["resize-window", "-t", &pane("t"), "-x", "100", "-y", "26"]).success());
    tmux.wait_until(
        |screen| screen.lines().nth(1).is_some_and(|l| l.chars().count() == 100),
        "the frame redrawn 100 wide",
    );
    tmux.type_text("z");
    tmux.wait_for("Search › diskz", "the key typed after the resize");
    let before = cpu_ticks(&pid);
    std::thread::sleep(Duration::from_secs(1));
    let used = cpu_ticks(&pid) - before;
    assert!(used <= 10, "{used} clock ticks of CPU in 1 s after the resize");
}

#[test]
fn sigterm_quits_through_the_normal_path_and_restores_the_terminal() {
    let Some(tmux) = Tmux::start("sigterm", 80, 24) else { return };
    let pid = tmux.open_navigator();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    tmux.wait_for_prompt("the shell prompt after SIGTERM");
    assert_eq!(tmux.last_exit_status(), "143", "128 + SIGTERM: a parent can tell killed from quit");
    assert_cooked(&tmux);
}

#[test]
fn sigquit_and_sigusr1_restore_the_terminal_and_take_a_running_step_along() {
    // Regression: both left the terminal raw, in the alternate screen, with
    // the mouse captured, and the running step's child orphaned.
    for (signal, status) in [("QUIT", "131"), ("USR1", "138")] {
        let Some(tmux) = Tmux::start(&format!("sig{signal}"), 100, 30) else { return };
        let (navigator, group) = tmux.start_sleeping_step();
        assert!(Command::new("kill").args([&format!("-{signal}"), &navigator]).status().unwrap().success());
        tmux.wait_for_prompt(&format!("the shell prompt after SIG{signal}"));
        let ended = tmux.last_exit_status();
        assert_eq!(ended, status, "SIG{signal}; the screen shows:\n{}", tmux.screen_of("t"));
        assert_group_ends(&group, &format!("SIG{signal} left behind"));
        assert_cooked(&tmux);
    }
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

/// Whether process `pid` still runs (a zombie waiting to be reaped does not).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
}

#[test]
fn the_process_exits_when_its_terminal_closes_with_sighup_blocked() {
    // Regression (issue 11 #7): with SIGHUP blocked, killing the pane left
    // pagerbook spinning at 50-77 % CPU for ever: crossterm took the hung-up
    // tty for "no event" and read its end of file in a loop.
    let Some(tmux) = Tmux::start("blocked-hup", 80, 24) else { return };
    let dir = Dir::new();
    let script = dir.write(
        "block-hup.py",
        "import signal, os, sys\nsignal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGHUP])\nos.execv(sys.argv[1], sys.argv[1:])\n",
    );
    tmux.type_text(&format!("python3 {} {}", script.display(), env!("CARGO_BIN_EXE_pagerbook")));
    tmux.send(&["Enter"]);
    tmux.wait_for("Failure modes, edge inward", "the navigator");
    let shell = tmux.output(&["display", "-p", "-t", &pane("t"), "#{pane_pid}"]).trim().to_owned();
    let pid = stdout_of("pgrep", &["-P", &shell]).trim().to_owned();
    let blocked = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    assert!(blocked.lines().any(|l| l.starts_with("SigBlk:") && l.ends_with('1')), "SIGHUP not blocked:\n{blocked}");
    assert!(tmux.command(&["kill-session", "-t", &pane("t")]).success());
    poll(
        Duration::from_secs(5),
        Duration::from_millis(50),
        || !alive(&pid),
        || format!("pagerbook {pid} still runs after its terminal closed"),
    );
}

#[test]
fn the_process_exits_when_its_terminal_goes_away() {
    let Some(tmux) = Tmux::start("hangup", 80, 24) else { return };
    let pid = tmux.open_navigator();
    // Like an ssh connection dropping: the terminal closes under the program.
    assert!(tmux.command(&["kill-session", "-t", &pane("t")]).success());
    poll(
        Duration::from_secs(5),
        Duration::from_millis(50),
        || !Command::new("kill").args(["-0", &pid]).stderr(std::process::Stdio::null()).status().unwrap().success(),
        || format!("pagerbook {pid} still runs after its terminal closed"),
    );
}

#[test]
fn ctrl_z_suspends_and_fg_resumes_where_it_was() {
    let Some(tmux) = Tmux::start("suspend", 90, 24) else { return };
    tmux.open_navigator();
    tmux.type_text("redis");
    tmux.wait_until(|s| s.starts_with("Search › redis") && s.contains(" matches "), "the results for redis");
    tmux.send(&["C-z"]);
    tmux.wait_for("Stopped", "the shell's job notice");
    tmux.wait_for_prompt("the shell prompt");
    tmux.type_text("fg");
    tmux.send(&["Enter"]);
    // Redrawn at once, the query still there, without a key to wake it up.
    tmux.wait_until(|s| s.starts_with("Search › redis") && s.contains(" matches "), "the navigator back as it was");
    tmux.quit();
    assert_cooked(&tmux);
}

#[test]
fn a_word_typed_in_the_detail_with_a_step_selected_searches_and_opens_no_form() {
    // Regression: `redis` typed here hit `r`, opened the run form with
    // `edis` in it, and Enter, Enter ran `kubectl rollout restart
    // deployment/apiedis`.
    let Some(tmux) = Tmux::start("word", 80, 24) else { return };
    tmux.open_navigator();
    tmux.type_text("coredns down");
    tmux.wait_until(|s| s.starts_with("Search › coredns down") && s.contains(" matches "), "the results");
    tmux.press(&["Enter"]);
    tmux.wait_for("STEPS", "the detail of coredns-down");
    tmux.press(&["7"]);
    tmux.wait_for("restart it.", "step 7 in view");
    tmux.type_text("redis");
    let screen = tmux.wait_until(|s| s.starts_with("Search › redis") && s.contains(" matches "), "a search for redis");
    assert!(!screen.contains("Fill in"), "a form opened:\n{screen}");
    tmux.quit();
}

/// What a command prints, as text.
#[test]
fn the_bash_widget_puts_the_chosen_command_on_the_prompt_and_runs_nothing() {
    let Some(tmux) = Tmux::start("widget", 80, 24) else { return };
    let widget = tmux.home.path().join("widget.bash");
    std::fs::write(&widget, stdout(&pagerbook(tmux.home.path(), &["widget", "bash"]))).unwrap();
    tmux.type_text(&format!("source {}", widget.display()));
    tmux.send(&["Enter"]);
    tmux.wait_for_prompt("the widget loaded");
    tmux.press(&["C-g"]);
    tmux.wait_for("→ PROMPT", "the navigator, for the prompt");
    tmux.type_text("disk full");
    tmux.wait_for("Node disk full: disk-pressure taint", "the answer among the results");
    tmux.press(&["Enter"]);
    tmux.wait_for("STEPS", "the entry");
    tmux.press(&["6", "Enter"]);
    tmux.wait_for("puts it on the prompt", "the placeholder form");
    tmux.type_text("node-2");
    tmux.press(&["Enter"]);
    let command = "kubectl describe node node-2 | grep -E 'DiskPressure|Taints'";
    let screen = tmux
        .wait_until(|s| s.lines().any(|l| l.trim_end() == format!("READY$ {command}")), "the command on the prompt");
    // On the prompt, not run: nothing printed under it, no new prompt.
    assert_eq!(screen.matches("READY$").count(), 2, "{screen}");
    assert!(!screen.contains("kubectl: command not found") && !screen.contains("No resources"), "{screen}");
}

fn stdout_of(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The drill catalog: harmless commands to run for real.
fn drill_catalog() -> String {
    format!("--catalog {}", fixture("drill").display())
}

#[test]
fn a_safe_step_runs_through_form_and_confirmation_and_copies_by_osc52() {
    let Some(tmux) = Tmux::start("run", 100, 30) else { return };
    // tmux takes OSC 52 from programs into its buffer, as a terminal would
    // into the clipboard.
    assert!(tmux.command(&["set", "-g", "set-clipboard", "on"]).success());
    tmux.open_navigator_on(&drill_catalog(), "Drills");
    tmux.press(&["Enter"]);
    tmux.wait_for("STEPS", "the drill entry");
    tmux.press(&["C-r"]);
    tmux.wait_for("Fill in", "the placeholder form");
    tmux.send(&["C-u"]);
    tmux.type_text("pager book; id");
    tmux.wait_for("$ echo hello 'pager book; id'", "the live preview, quoted");
    tmux.press(&["Enter"]);
    tmux.wait_for("Run this command?", "the confirmation");
    tmux.wait_for("Danger:    safe", "the danger level");
    tmux.press(&["Enter"]);
    let screen = tmux.wait_for("✓ exit 0", "the end of the run");
    assert!(screen.contains("  hello pager book; id"), "the output, literal:\n{screen}");
    tmux.press(&["Escape"]);
    tmux.wait_for("· ^O output", "the run's status under its step");
    // Copy the same step (Enter): the form offers the value just used.
    tmux.press(&["Enter"]);
    tmux.wait_for("pager book; id", "the remembered value");
    tmux.press(&["Enter"]);
    tmux.wait_for("select the command above with the mouse", "the command shown alone");
    assert_eq!(tmux.output(&["show-buffer"]), "echo hello 'pager book; id'");
    tmux.press(&["Escape"]);
    tmux.quit();
    assert_cooked(&tmux);
}

/// The process group of the command pagerbook runs: its one child (the
/// shell, or what the shell exec'd) leads a group of its own.
fn run_group(navigator: &str) -> String {
    // Its children are the step (marked in its environment) and the watchdog.
    let children = stdout_of("pgrep", &["-P", navigator]);
    let steps: Vec<&str> = children
        .lines()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|environ| environ.split(|&b| b == 0).any(|item| item.starts_with(b"PAGERBOOK_STEP_OF=")))
        })
        .collect();
    assert_eq!(steps.len(), 1, "expected one step under pagerbook {navigator}: {children:?}");
    let group = steps[0].to_owned();
    let own = stdout_of("ps", &["-o", "pgid=", "-p", &group]);
    assert_eq!(own.trim(), group, "the command leads its own process group");
    group
}

/// Waits up to 10 s (a bound for a loaded machine; it takes milliseconds)
/// for every live member of `group` to end; fails with `what` and those
/// still there.
fn assert_group_ends(group: &str, what: &str) {
    poll(
        Duration::from_secs(10),
        Duration::from_millis(20),
        || live_members(group).is_empty(),
        || format!("{what}: {:?}", live_members(group)),
    );
}

/// Members of a process group that are still alive (zombies waiting for
/// init to reap them are not).
fn live_members(group: &str) -> Vec<String> {
    stdout_of("ps", &["-e", "-o", "pid=,pgid=,stat=,args="])
        .lines()
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.get(1) == Some(&group) && !fields.get(2).unwrap_or(&"Z").starts_with('Z')
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_runaway_command_stops_within_a_second_and_leaves_nothing() {
    let Some(tmux) = Tmux::start("runaway", 100, 30) else { return };
    let navigator = tmux.open_navigator_on(&drill_catalog(), "Drills");
    tmux.press(&["Enter"]);
    tmux.wait_for("STEPS", "the drill entry");
    for (step, runs) in [("3", "echo sleeping; sleep 600"), ("4", "yes")] {
        tmux.press(&[step, "C-r"]);
        let command = format!("$ {runs}");
        tmux.wait_until(|s| s.contains("Run this command?") && s.contains(&command), "the confirmation");
        tmux.press(&["Enter"]);
        tmux.wait_for("▶ running", "the run");
        let group = run_group(&navigator);
        assert!(!live_members(&group).is_empty(), "`{runs}` is not running");
        let asked = Instant::now();
        tmux.send(&["C-k"]);
        // The signals take under a second (SIGINT, SIGTERM, SIGKILL, 300 ms
        // apart); the bound, counted from the key, leaves room for a loaded
        // machine.
        poll(
            Duration::from_secs(5).saturating_sub(asked.elapsed()),
            Duration::from_millis(10),
            || live_members(&group).is_empty(),
            || format!("`{runs}` still runs: {:?}", live_members(&group)),
        );
        tmux.wait_for("stopped by SIGINT", "the end of the run");
        tmux.press(&["Escape"]);
    }
    tmux.quit();
}

#[test]
fn escape_until_quitting_asks_while_a_command_runs_and_it_lives_until_the_answer() {
    let Some(tmux) = Tmux::start("ask", 80, 24) else { return };
    let (_, group) = tmux.start_sleeping_step();
    // Esc hides the pane, leaves the detail, then would quit: it asks.
    tmux.press(&["Escape", "Escape"]);
    tmux.wait_for("▶ 1 running", "the running badge on the results");
    tmux.press(&["Escape"]);
    let screen = tmux.wait_for("Stop it and quit? y/N", "the question");
    assert!(screen.contains("echo sleeping; sleep 600"), "names the command:\n{screen}");
    assert!(!live_members(&group).is_empty(), "the command died before the answer");
    // No: nothing stops. Ask again, and yes quits and takes it along.
    tmux.press(&["n"]);
    assert!(!live_members(&group).is_empty(), "no stopped the command");
    tmux.press(&["C-c"]);
    tmux.wait_for("Stop it and quit? y/N", "the question again");
    tmux.send(&["y"]);
    tmux.wait_for_prompt("the prompt after quitting");
    assert_group_ends(&group, "left behind");
    assert_cooked(&tmux);
}

#[test]
fn leaving_kills_a_command_still_running() {
    let Some(tmux) = Tmux::start("leave", 100, 30) else { return };
    let (navigator, group) = tmux.start_sleeping_step();
    assert!(!live_members(&group).is_empty(), "the command is not running");
    // Esc hides the pane (the command keeps running); SIGTERM then ends
    // pagerbook without asking, and it takes the command with it.
    tmux.press(&["Escape"]);
    assert!(Command::new("kill").args(["-TERM", &navigator]).status().unwrap().success());
    tmux.wait_for_prompt("the shell prompt");
    assert_group_ends(&group, "left behind");
}

#[test]
fn the_confirmation_of_a_kubectl_step_names_the_context_of_the_kubeconfig_in_use() {
    let Some(tmux) = Tmux::start("context", 100, 30) else { return };
    let dir = Dir::new();
    let kubeconfig = dir.write("config", util::kubeconfig("staging-eu"));
    tmux.type_text(&format!("export KUBECONFIG={}", kubeconfig.display()));
    tmux.send(&["Enter"]);
    tmux.open_navigator_on(&drill_catalog(), "Drills");
    tmux.wait_for("⎈ staging-eu/web", "the context on the status line");
    tmux.press(&["Enter"]);
    tmux.wait_for("STEPS", "the drill entry");
    tmux.press(&["7", "C-r"]);
    tmux.wait_for("Fill in", "the form");
    tmux.press(&["Enter"]);
    let screen = tmux.wait_for("Run this command?", "the confirmation");
    assert!(screen.contains("Context:   staging-eu  (current-context of"), "{screen}");
    assert!(screen.contains("Namespace: shop  (-n)"), "{screen}");
    tmux.press(&["Escape"]);
    tmux.quit();
}

#[test]
fn an_interactive_step_gets_the_terminal_and_enter_brings_the_navigator_back() {
    // Regression: stdin stayed locked by main, so "Press Enter to return"
    // waited forever and pagerbook ignored every key and signal.
    let Some(tmux) = Tmux::start("interactive", 100, 50) else { return };
    tmux.open_navigator_on(&drill_catalog(), "Drills");
    tmux.press(&["Enter"]);
    tmux.wait_for("STEPS", "the drill entry");
    tmux.press(&["9", "Down"]);
    tmux.wait_for("in-the-terminal", "step 10 in view and selected");
    tmux.press(&["C-r"]);
    tmux.wait_for("Step 10 of", "the form");
    tmux.type_text("hunter2-token");
    tmux.wait_for("••••", "the masked value");
    tmux.press(&["Enter"]);
    tmux.wait_for("in this terminal (pagerbook steps aside)", "the confirmation");
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("Press Enter to return to pagerbook", "the command in the terminal");
    assert!(screen.contains("in-the-terminal") && screen.contains("13"), "its output:\n{screen}");
    assert!(screen.contains("$ echo in-the-terminal; printf %s ••••••"), "the command, masked:\n{screen}");
    assert!(!screen.contains("hunter2"), "the secret on screen:\n{screen}");
    tmux.send(&["Enter"]);
    tmux.wait_for("✓ exit 0", "the navigator back, the run's status under its step");
    tmux.quit();
}

#[test]
fn a_process_a_step_detaches_does_not_outlive_pagerbook() {
    // Regression (issue 11 #8): `setsid sleep 300 &` in a step survived
    // quitting and SIGTERM.
    let Some(tmux) = Tmux::start("detached", 100, 30) else { return };
    let sleeping = || !stdout_of("pgrep", &["-f", "^sleep 3131$"]).trim().is_empty();
    assert!(!sleeping(), "a sleep 3131 from before");
    tmux.open_navigator_on(&drill_catalog(), "Drills");
    tmux.press(&["Enter"]);
    tmux.wait_for("STEPS", "the drill entry");
    tmux.press(&["End", "C-r"]);
    tmux.wait_until(|s| s.contains("Run this command?") && s.contains("setsid sleep 3131"), "the confirmation");
    tmux.press(&["Enter"]);
    tmux.wait_for("detached", "the run's output");
    tmux.wait_for("✓ exit 0", "the step's shell done");
    // It may still be starting when its step's shell is done. The deadlines
    // are for a loaded machine: they bound a failure, not the test's time.
    poll(Duration::from_secs(15), Duration::from_millis(20), sleeping, || "the detached process never ran".to_owned());
    tmux.press(&["Escape"]);
    tmux.quit();
    poll(
        Duration::from_secs(15),
        Duration::from_millis(20),
        || !sleeping(),
        || "sleep 3131 outlived pagerbook".to_owned(),
    );
}

#[test]
fn after_sigkill_of_pagerbook_no_process_of_a_running_step_remains() {
    // Regression (issue 11 #8): a SIGKILL, which no handler sees, left the
    // running step's process group behind.
    let Some(tmux) = Tmux::start("sigkill", 100, 30) else { return };
    let (navigator, group) = tmux.start_sleeping_step();
    assert!(!live_members(&group).is_empty(), "the command is not running");
    assert!(Command::new("kill").args(["-KILL", &navigator]).status().unwrap().success());
    assert_group_ends(&group, "left behind after SIGKILL");
}

/// Every file under `dir`, with its text (lossy), for grepping.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push((path.clone(), String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()));
        }
    }
    files
}

#[test]
fn an_incident_records_what_was_done_and_exports_it_in_order_with_no_secret_anywhere() {
    let Some(tmux) = Tmux::start("incident", 80, 24) else { return };
    let catalog = format!("--catalog {}", fixture("incident/catalog").display());
    tmux.open_navigator_on(&catalog, "Control plane");
    // Open an incident from the panel.
    tmux.press(&["C-t"]);
    tmux.wait_for("No incident is open", "the incident panel");
    tmux.press(&["s"]);
    tmux.wait_for("Open an incident: its title", "the title prompt");
    tmux.type_text("Checkout 5xx");
    tmux.press(&["Enter"]);
    tmux.wait_for("● 0 min Checkout 5xx", "the incident's clock on the status line");
    tmux.press(&["Escape"]);
    // Find the entry as a person would, and run its first step.
    tmux.type_text("coredns");
    tmux.wait_for("CoreDNS down (drill)", "the entry");
    tmux.press(&["Enter"]);
    tmux.wait_for("STEPS", "the entry's detail");
    tmux.press(&["C-r"]);
    tmux.wait_for("Run this command?", "the confirmation");
    tmux.press(&["Enter"]);
    tmux.wait_for("✓ exit 0", "the end of the run");
    tmux.press(&["Escape"]);
    // The second step prints the secret it is given: redacted everywhere.
    tmux.press(&["2", "C-r"]);
    tmux.wait_for("Fill in", "the form");
    tmux.type_text("hunter2-s3cret");
    tmux.press(&["Enter"]);
    tmux.wait_for("Run this command?", "the confirmation");
    tmux.press(&["Enter"]);
    let output = tmux.wait_for("✓ exit 0", "the end of the secret's run");
    assert!(output.contains("called with token <redacted:token>"), "{output}");
    tmux.press(&["Escape"]);
    // A note, a milestone (Enter is now), then the incident closed.
    tmux.press(&["C-t"]);
    tmux.wait_for("Latest records", "the panel");
    tmux.press(&["n"]);
    tmux.type_text("TODO: page the DNS owners sooner");
    tmux.press(&["Enter"]);
    tmux.wait_for("note: TODO: page the DNS owners sooner", "the note in the panel");
    tmux.press(&["m"]);
    tmux.wait_for("Mitigated: when, in UTC?", "the milestone's prompt");
    tmux.press(&["Enter"]);
    tmux.wait_until(|s| s.contains("mitigated ") && !s.contains("mitigated –"), "the milestone set");
    tmux.press(&["x"]);
    tmux.wait_for("Close the incident", "the question");
    tmux.press(&["y"]);
    tmux.wait_for("No incident is open", "the incident closed");
    tmux.press(&["Escape"]);
    tmux.quit();
    // The export lists those events in order, with the steps' statuses.
    let home = tmux.home.path();
    let list = stdout(&pagerbook(home, &["incident", "list"]));
    let id = list.split_whitespace().next().unwrap_or_else(|| panic!("no incident listed: {list}"));
    let page = stdout(&pagerbook(
        home,
        &["--catalog", &fixture("incident/catalog").display().to_string(), "incident", "export", id],
    ));
    let timeline: Vec<&str> = page.lines().filter(|line| line.starts_with("| ") && line.contains(':')).collect();
    let order = [
        "incident opened: Checkout 5xx",
        "opened coredns-down, found by \"coredns\"",
        "ran step 1 of coredns-down: exit 0",
        "ran step 2 of coredns-down: exit 0",
        "note: TODO: page the DNS owners sooner",
        "| mitigated |",
        "incident closed",
    ];
    let at: Vec<Option<usize>> =
        order.iter().map(|event| timeline.iter().position(|row| row.contains(event))).collect();
    assert!(at.iter().all(Option::is_some) && at.windows(2).all(|pair| pair[0] < pair[1]), "{at:?}\n{page}");
    assert!(page.contains("- [ ] page the DNS owners sooner"), "{page}");
    assert!(page.contains("`coredns-down` (reviewed 2026-11-30)"), "{page}");
    // The secret is nowhere on disk (journal, output files, values.toml if
    // written), nor in the export.
    let files = files_under(home);
    assert!(files.iter().any(|(path, _)| path.extension().is_some_and(|e| e == "out")), "output files kept");
    for (path, text) in &files {
        assert!(!text.contains("hunter2"), "the secret is in {}:\n{text}", path.display());
    }
    assert!(!page.contains("hunter2") && page.contains("<redacted:token>"), "{page}");
}

#[test]
fn a_drill_in_two_terminals_shows_what_the_game_master_releases_and_runs_nothing() {
    let Some(tmux) = Tmux::start("drill", 80, 24) else { return };
    tmux.second_terminal("gm", 80, 24);
    let catalog = format!("--catalog {}", fixture("walkthrough").display());
    let program = env!("CARGO_BIN_EXE_pagerbook");
    // The game master starts the drill; the responder joins it.
    tmux.type_in("gm", &format!("{program} {catalog} drill gm quiet-resolver"));
    tmux.send_to("gm", &["Enter"]);
    tmux.wait_in("gm", |s| s.contains("GAME MASTER") && s.contains("Answer"), "the game master's view");
    tmux.open_navigator_on(&format!("{catalog} drill run"), "PAGE 03:12: checkout returns 500");
    tmux.wait_for(" DRILL ", "the drill's line with its clock");
    // A reveal released shows on the responder's screen at once after it
    // is written (the game master's view marks it written).
    tmux.send_to("gm", &["1"]);
    tmux.wait_in("gm", |s| s.lines().any(|l| l.contains(" logs") && l.contains('✓')), "the reveal marked released");
    let released = Instant::now();
    // The responder reads the journal every 400 ms: about half a second
    // here. The bound is for a loaded machine (every end-to-end test at
    // once on two cores, each capture a tmux client of its own).
    tmux.wait_within("t", Duration::from_secs(2), |s| s.contains("SERVFAIL from 10.43.0.10"), "the reveal, at once");
    eprintln!("the reveal showed {} ms after it was written", released.elapsed().as_millis());
    // The responder searches and opens the answer: the diagnosis is recorded.
    tmux.press(&["Escape"]);
    tmux.type_text("no such host");
    tmux.wait_for("Service names do not resolve", "the answer among the results");
    tmux.press(&["Enter"]);
    tmux.wait_for("STEPS", "the answer's entry");
    tmux.wait_in("gm", |s| s.contains("Milestones: diagnosed "), "the diagnosis on the game master's view");
    // Running step 1 would create a file: nothing runs, the canned output shows.
    let mark = tmux.home.path().join("mark");
    tmux.press(&["C-r"]);
    tmux.wait_for("Fill in", "the placeholder form");
    tmux.type_text(&mark.display().to_string());
    tmux.press(&["Enter"]);
    tmux.wait_for("Drill: nothing runs", "the drill's confirmation");
    tmux.wait_for(&format!("touch {}", mark.display()), "the exact command");
    tmux.press(&["Enter"]);
    let screen = tmux.wait_for("canned: the mark would be left here", "the scenario's output");
    assert!(screen.contains("a drill: nothing ran"), "{screen}");
    assert!(!mark.exists(), "the step ran: {} exists", mark.display());
    // The game master ends the drill: both screens say so.
    tmux.send_to("gm", &["x"]);
    tmux.wait_in("gm", |s| s.contains("End the drill for everyone? y/N"), "the question");
    tmux.send_to("gm", &["y"]);
    tmux.wait_in("gm", |s| s.contains("READY$") && s.contains("Runbook changes to make"), "the debrief, printed");
    tmux.wait_for("DRILL OVER", "the end on the responder's screen");
    tmux.press(&["Escape", "Escape"]);
    tmux.quit();
    assert!(!mark.exists());
    let report = stdout(&pagerbook(
        tmux.home.path(),
        &["--catalog", &fixture("walkthrough").display().to_string(), "drill", "report"],
    ));
    assert!(report.contains("## Timeline") && report.contains("released reveal logs"), "{report}");
    assert!(report.contains("would run step 1 of names-unresolved: touch "), "{report}");
    let diagnose = report.lines().find(|l| l.starts_with("| Time to diagnose | ")).unwrap_or_default();
    assert!(diagnose.contains(" s (met) | 10 min 00 s |"), "the measured time to diagnose: {report}");
    assert!(report.contains("- [ ] step 2 of `names-unresolved`: Look at the resolver's pods. (missed)"), "{report}");
    assert!(report.contains("- [x] step 1 of `names-unresolved`"), "{report}");
    // A drill is not an incident.
    assert_eq!(stdout(&pagerbook(tmux.home.path(), &["incident", "list"])), "");
}

#[test]
fn a_catalog_file_written_while_the_navigator_runs_shows_at_once_and_f4_edits_in_place() {
    let Some(tmux) = Tmux::start("reload", 80, 24) else { return };
    let catalog = Dir::new();
    let file = catalog.path().join("suggest.toml");
    std::fs::copy(fixture("suggest").join("suggest.toml"), &file).unwrap();
    // The editor F4 starts: it rewrites the title, as a person saving would.
    let editor = catalog.path().join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nsed -i 's/Written from outside/Saved in the editor/' \"$2\"\n").unwrap();
    let executable = <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755);
    std::fs::set_permissions(&editor, executable).unwrap();
    let args = format!("--catalog {}", catalog.path().display());
    tmux.type_text(&format!("export EDITOR={}", editor.display()));
    tmux.send(&["Enter"]);
    tmux.open_navigator_on(&args, "Suggest: pick a value");
    tmux.press(&["Enter"]);
    tmux.wait_for("SYMPTOM", "the entry's detail");
    let text = std::fs::read_to_string(&file).unwrap();
    let written = Instant::now();
    std::fs::write(&file, text.replace("Suggest: pick a value from a command's output", "Written from outside"))
        .unwrap();
    let screen = tmux.wait_for("┌ Written from outside", "the detail, on the entry as written");
    // Measured from the write; the deadline above is loose, this is the bar.
    let shown_after = written.elapsed();
    assert!(shown_after < Duration::from_secs(1), "shown {shown_after:?} after the write:\n{screen}");
    assert!(screen.contains("catalog read again: 1 entry"), "{screen}");
    tmux.press(&["F4"]);
    tmux.wait_for("┌ Saved in the editor", "the detail after the editor saved");
    tmux.quit();
}
