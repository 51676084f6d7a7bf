//! What a step leaves behind outside its group: a process started in the
//! background in a session of its own (`setsid cmd &`). Every step's
//! processes carry a mark; pagerbook adopts such orphans and kills the
//! marked ones on the way out.

use rustix::process::{Pid, Signal, kill_process_group};

/// The environment variable every step's processes carry: pagerbook's pid.
pub(super) const STEP_MARK: &str = "PAGERBOOK_STEP_OF";

/// Makes pagerbook the parent of what its steps leave behind: a process a
/// step starts in the background in a session of its own (`setsid cmd &`)
/// escapes its group, and is re-parented to pagerbook instead of init, so
/// [`kill_all`](super::kill_all) can still end it. Linux only; elsewhere it
/// fails quietly and such a process outlives pagerbook.
pub fn adopt_orphans() {
    let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
}

/// Kills the adopted processes that came from a step (they carry
/// [`STEP_MARK`]), round after round as their own children are adopted in
/// turn. Others adopted, such as a clipboard tool serving the selection,
/// are left alone.
pub(super) fn kill_adopted() {
    let me = rustix::process::getpid();
    let mark = format!("{STEP_MARK}={}", me.as_raw_nonzero());
    for _ in 0..20 {
        let adopted: Vec<(Pid, Pid)> = children_of(me).into_iter().filter(|(pid, _)| carries(*pid, &mark)).collect();
        if adopted.is_empty() {
            return;
        }
        for &(pid, pgid) in &adopted {
            let _ = kill_process_group(pgid, Signal::KILL);
            let _ = rustix::process::kill_process(pid, Signal::KILL);
        }
        for &(pid, _) in &adopted {
            let _ = rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::empty());
        }
    }
}

/// The children of `parent`, with their process groups, from `/proc`.
fn children_of(parent: Pid) -> Vec<(Pid, Pid)> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // `pid (comm) state ppid pgrp …`: the name may hold spaces.
            let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(1);
            let parent_pid: i32 = fields.next()?.parse().ok()?;
            let pgrp: i32 = fields.next()?.parse().ok()?;
            (parent_pid == parent.as_raw_nonzero().get()).then_some((Pid::from_raw(pid)?, Pid::from_raw(pgrp)?))
        })
        .collect()
}

/// Whether process `pid` has `entry` (`NAME=value`) in its environment.
fn carries(pid: Pid, entry: &str) -> bool {
    std::fs::read(format!("/proc/{}/environ", pid.as_raw_nonzero()))
        .is_ok_and(|environ| environ.split(|&b| b == 0).any(|item| item == entry.as_bytes()))
}
