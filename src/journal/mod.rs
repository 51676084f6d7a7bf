//! The incident journal: what was done during an incident, kept as it
//! happened, for the postmortem's timeline (issue 16): its records
//! (`record`) and its file (`file`), appended so that a crash or a second
//! writer loses none.

pub mod export;
pub mod file;
pub mod incidents;
pub mod output;
pub mod record;
pub mod secret;

/// Who is at the keyboard: the login name, as the shell says it.
#[must_use]
pub fn user() -> String {
    ["USER", "LOGNAME"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok().filter(|user| !user.is_empty()))
        .unwrap_or_else(|| format!("uid {}", rustix::process::getuid().as_raw()))
}
