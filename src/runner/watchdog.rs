//! A process that outlives pagerbook to end its steps when pagerbook is
//! killed with SIGKILL, which no handler sees. It reads the list of live
//! step groups from a pipe pagerbook holds; when that pipe closes, however
//! pagerbook went, it kills the groups last listed. On a normal exit the
//! last list is empty. (The parent-death signal would do it in the kernel,
//! but setting it needs `unsafe` between fork and exec.)

use std::io::Write;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::{Mutex, PoisonError};

use rustix::process::Pid;

/// The watchdog's end of the list: one line, the live groups.
static LIST: Mutex<Option<ChildStdin>> = Mutex::new(None);

/// Reads lines until the pipe closes, keeping the last, then kills the
/// groups it names (dash's `kill` takes no `--`: a negative pid right
/// after the signal names the group).
const SCRIPT: &str = "groups=; while IFS= read -r line; do groups=$line; done; \
    for group in $groups; do kill -KILL \"-$group\" 2>/dev/null; done";

/// Starts the watchdog, once; without one (no `sh`), a SIGKILL of
/// pagerbook leaves its steps running, as before.
pub fn start() {
    let mut list = LIST.lock().unwrap_or_else(PoisonError::into_inner);
    if list.is_some() {
        return;
    }
    let mut command = Command::new("sh");
    command.arg("-c").arg(SCRIPT).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null());
    // Its own group: a signal to pagerbook's (a hang-up) must not end it
    // before it has done its work.
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    if let Ok(mut child) = command.spawn() {
        *list = child.stdin.take();
    }
}

/// Tells the watchdog which groups are live now.
pub(super) fn publish(groups: &[Pid]) {
    let mut list = LIST.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(pipe) = list.as_mut() {
        let line: Vec<String> = groups.iter().map(|pgid| pgid.as_raw_nonzero().to_string()).collect();
        if writeln!(pipe, "{}", line.join(" ")).is_err() {
            *list = None;
        }
    }
}
