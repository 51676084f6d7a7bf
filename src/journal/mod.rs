//! The incident journal: what was done during an incident, kept as it
//! happened, for the postmortem's timeline (issue 16): its records
//! (`record`) and its file (`file`), appended so that a crash or a second
//! writer loses none.

pub mod file;
pub mod incidents;
pub mod record;
