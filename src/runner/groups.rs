//! The registry of live step groups and the signals sent to them. A group
//! is signalled only while registered, so a reused id is never hit; the
//! watchdog hears of every change.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, kill_process_group, test_kill_process_group};

use super::{orphans, watchdog};

/// How long each signal of [`interrupt`] gets before the next one.
const GRACE: Duration = Duration::from_millis(300);

/// Groups that may still have members, for [`kill_all`].
static GROUPS: Mutex<Vec<Pid>> = Mutex::new(Vec::new());

/// Registers the group of a step just started.
pub(super) fn register(pgid: Pid) {
    let mut groups = lock_groups();
    // Groups whose last member went after their shell was reaped are done.
    groups.retain(|group| test_kill_process_group(*group).is_ok());
    groups.push(pgid);
    watchdog::publish(&groups);
}

/// Forgets the group of a shell just reaped, unless it still has members:
/// a grandchild that let go of the pipes may outlive the shell, and its
/// group stays registered so `kill_all` still finds it.
pub(super) fn forget_if_empty(pgid: Pid) {
    if test_kill_process_group(pgid).is_err() {
        let mut groups = lock_groups();
        groups.retain(|group| *group != pgid);
        watchdog::publish(&groups);
    }
}

/// Asks the group to stop as Ctrl-C would, then insists: SIGINT now, and
/// while the group still has members SIGTERM and SIGKILL, each after
/// [`GRACE`], from a background thread so the caller never waits.
pub(super) fn interrupt(pgid: Pid) {
    if !signal_group(pgid, Signal::INT) {
        return;
    }
    let escalate = move || {
        for signal in [Signal::TERM, Signal::KILL] {
            if empties_within(pgid, GRACE) || !signal_group(pgid, signal) {
                return;
            }
        }
    };
    if thread::Builder::new().name("runner-interrupt".into()).spawn(escalate).is_err() {
        // Nothing could wait out the grace, so stop the group the sure way.
        signal_group(pgid, Signal::KILL);
    }
}

/// SIGKILLs every group still registered, then what the steps left behind
/// and pagerbook adopted, for the panic hook and exit paths.
pub fn kill_all() {
    let mut groups = lock_groups();
    for pgid in groups.drain(..) {
        let _ = kill_process_group(pgid, Signal::KILL);
    }
    watchdog::publish(&groups);
    drop(groups);
    orphans::kill_adopted();
}

/// Locks the registry even after a panic elsewhere: `kill_all` must still work.
fn lock_groups() -> MutexGuard<'static, Vec<Pid>> {
    GROUPS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Signals the group if it is still registered; false once it is gone, so a
/// reused id is never signalled. A group sent SIGKILL is forgotten.
pub(super) fn signal_group(pgid: Pid, signal: Signal) -> bool {
    let mut groups = lock_groups();
    if !groups.contains(&pgid) {
        return false;
    }
    // ESRCH only means the group emptied just now.
    let _ = kill_process_group(pgid, signal);
    if signal == Signal::KILL {
        groups.retain(|group| *group != pgid);
        watchdog::publish(&groups);
    }
    true
}

/// Waits up to `grace` for the group to have no members left; the unreaped
/// shell counts, so this also waits for the output to be read.
fn empties_within(pgid: Pid, grace: Duration) -> bool {
    let deadline = Instant::now() + grace;
    while test_kill_process_group(pgid).is_ok() {
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(5));
    }
    true
}
