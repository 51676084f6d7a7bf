//! Start-up as a person sees it: from spawning the program to its first
//! complete frame in a 120×40 pseudo-terminal, the navigator on the embedded
//! catalog against `less` on a 228 KB file, runs interleaved so both see the
//! same machine load. "Complete" is the first moment the screen's text (as a
//! VT100 emulator, the vt100 crate, renders the output) is what it is once
//! the program has gone quiet for 300 ms; both start through `setsid
//! --ctty`, so the pseudo-terminal is theirs as a terminal emulator's would
//! be, with an environment of their own (no `LESSOPEN`, no
//! `PAGERBOOK_CATALOG`, no kubeconfig).
//!
//! `cargo bench --bench startup [-- RUNS]` (50 of each by default); with
//! `STARTUP_BASELINE=PATH` another build of pagerbook runs in the same turns.

mod timing;

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, poll};
use rustix::fs::{Mode, OFlags, open};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{Winsize, tcsetwinsize};

const ROWS: u16 = 40;
const COLUMNS: u16 = 120;
/// The program is done drawing when it has written nothing for this long.
const QUIET: Duration = Duration::from_millis(300);
/// A run that has not gone quiet by then is a failure.
const DEADLINE: Duration = Duration::from_secs(10);

fn main() -> io::Result<()> {
    let runs = std::env::args().skip(1).find_map(|arg| arg.parse::<usize>().ok()).unwrap_or(50).max(1);
    let scratch = tempfile::tempdir()?;
    let home = scratch.path().join("home");
    std::fs::create_dir(&home)?;
    let text = scratch.path().join("text.txt");
    write_text(&text, 228 * 1024)?;
    let pagerbook = [env!("CARGO_BIN_EXE_pagerbook")];
    let less = ["less", text.to_str().unwrap_or_default()];
    // Another build to compare with, run in the same turns.
    let baseline = std::env::var("STARTUP_BASELINE").ok();
    let (mut ours, mut theirs, mut before) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.push(first_complete_frame(&pagerbook, &home)?);
        theirs.push(first_complete_frame(&less, &home)?);
        if let Some(baseline) = &baseline {
            before.push(first_complete_frame(&[baseline.as_str()], &home)?);
        }
    }
    let ours = timing::report("pagerbook, embedded catalog", ours);
    let theirs = timing::report("less, 228 KB file", theirs);
    println!("pagerbook / less, medians: {:.2}×", ours.as_secs_f64() / theirs.as_secs_f64());
    if let Some(baseline) = &baseline {
        let before = timing::report(&format!("{baseline} (STARTUP_BASELINE)"), before);
        println!("baseline / less, medians: {:.2}×", before.as_secs_f64() / theirs.as_secs_f64());
    }
    Ok(())
}

/// Lines of prose, as a file `less` would be asked to show.
fn write_text(path: &Path, bytes: usize) -> io::Result<()> {
    let mut out = io::BufWriter::new(File::create(path)?);
    let mut written = 0;
    for line in 0.. {
        if written >= bytes {
            break;
        }
        let text = format!("{line:6} the pod could not resolve the service name and retried after backoff\n");
        written += text.len();
        out.write_all(text.as_bytes())?;
    }
    out.flush()
}

/// Spawns `argv` on a new pseudo-terminal and returns how long its screen
/// took to reach its final state.
fn first_complete_frame(argv: &[&str], home: &Path) -> io::Result<Duration> {
    let (master, terminal) = pseudo_terminal()?;
    let mut command = Command::new("setsid");
    command
        .arg("--ctty")
        .args(argv)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .env("TERM", "xterm-256color")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .stdin(Stdio::from(terminal.try_clone()?))
        .stdout(Stdio::from(terminal.try_clone()?))
        .stderr(Stdio::from(terminal));
    let started = Instant::now();
    let mut child = command.spawn()?;
    drop(command);
    let mut screen = vt100::Parser::new(ROWS, COLUMNS, 0);
    let mut states: Vec<(Duration, String)> = Vec::new();
    let mut master = File::from(master);
    let mut buffer = vec![0; 1 << 16];
    loop {
        let quiet_since = states.last().map_or(started, |(at, _)| started + *at);
        if states.last().is_some() && quiet_since.elapsed() >= QUIET {
            break;
        }
        if started.elapsed() >= DEADLINE {
            end(&mut child)?;
            return Err(io::Error::other(format!("{} never went quiet", argv[0])));
        }
        // Until the first output, wait as long as the deadline allows.
        let wait = if states.is_empty() {
            DEADLINE.saturating_sub(started.elapsed())
        } else {
            QUIET.saturating_sub(quiet_since.elapsed())
        };
        let wait = wait.max(Duration::from_millis(1));
        let mut fds = [PollFd::new(&master, PollFlags::IN)];
        let timeout = rustix::event::Timespec::try_from(wait).map_err(io::Error::other)?;
        if poll(&mut fds, Some(&timeout))? == 0 {
            continue;
        }
        match master.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => {
                screen.process(&buffer[..read]);
                states.push((started.elapsed(), screen.screen().contents()));
            }
        }
    }
    end(&mut child)?;
    let last = states.last().map(|(_, text)| text.clone()).ok_or_else(|| io::Error::other("no output"))?;
    Ok(states.into_iter().find(|(_, text)| *text == last).map_or(Duration::ZERO, |(at, _)| at))
}

/// Ends the program and its process group: SIGTERM, then SIGKILL if it is
/// still there a second later.
fn end(child: &mut std::process::Child) -> io::Result<()> {
    use rustix::process::{Pid, Signal, kill_process_group};
    let group = Pid::from_child(child);
    let _ = kill_process_group(group, Signal::TERM);
    let asked = Instant::now();
    while child.try_wait()?.is_none() {
        if asked.elapsed() >= Duration::from_secs(1) {
            let _ = kill_process_group(group, Signal::KILL);
            child.wait()?;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(())
}

/// A new pseudo-terminal of ROWS × COLUMNS: (the controlling side, the
/// program's side).
fn pseudo_terminal() -> io::Result<(OwnedFd, OwnedFd)> {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)?;
    grantpt(&master)?;
    unlockpt(&master)?;
    let name = ptsname(&master, Vec::new())?;
    let terminal = open(name.as_c_str(), OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC, Mode::empty())?;
    tcsetwinsize(&terminal, Winsize { ws_row: ROWS, ws_col: COLUMNS, ws_xpixel: 0, ws_ypixel: 0 })?;
    Ok((master, terminal))
}
