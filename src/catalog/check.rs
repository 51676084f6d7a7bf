//! A step's checks (`verify`, `precheck`): a command that only looks, what
//! passes, how long to poll; and the durations the catalog writes them in.

use serde::Serialize;

/// A step's checks: boxed in the step, since most steps have none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checks {
    /// Run before the confirmation: may it run now?
    pub precheck: Option<Check>,
    /// Run after the step: did it work?
    pub verify: Option<Check>,
}

/// A command that only looks, and what its success looks like: how a step
/// tells that it worked (`verify`) or that it may be run (`precheck`). A
/// rollout restart exits 0 at once; success is the pods being Ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The command template, with the step's placeholders.
    pub run: String,
    /// The exit status that passes.
    pub expect_exit: u8,
    /// A regex its standard output must match somewhere, to pass.
    pub stdout_matches: Option<String>,
    /// Seconds between attempts, when it polls until it passes.
    pub every: Option<u32>,
    /// Seconds until it gives up (an attempt still running is killed).
    pub within: u32,
    /// What to say when it passes.
    pub pass: Option<String>,
    /// What to say when it does not.
    pub fail: Option<String>,
}

impl Check {
    /// The deadline when none is given: one attempt, or polling, this long.
    pub const DEFAULT_WITHIN: u32 = 30;
    /// The longest deadline allowed: a check is not a job.
    pub const MAX_WITHIN: u32 = 3600;
}

/// `5s`, `2m`, `1h`, `1m30s` in seconds.
#[must_use]
pub fn parse_seconds(text: &str) -> Option<u32> {
    let mut total: u32 = 0;
    let mut number = String::new();
    if text.is_empty() {
        return None;
    }
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return None,
        };
        let n: u32 = std::mem::take(&mut number).parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    number.is_empty().then_some(total)
}

/// Seconds as the catalog writes them: `90s`, `2m`, `1h`.
#[must_use]
pub fn seconds_text(seconds: u32) -> String {
    match seconds {
        s if s >= 3600 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// The JSON of a check: the keys of the catalog format.
impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("run", &self.run)?;
        map.serialize_entry("expect_exit", &self.expect_exit)?;
        if let Some(matches) = &self.stdout_matches {
            map.serialize_entry("stdout_matches", matches)?;
        }
        if let Some(every) = self.every {
            map.serialize_entry("every", &seconds_text(every))?;
        }
        map.serialize_entry("within", &seconds_text(self.within))?;
        for (key, text) in [("pass", &self.pass), ("fail", &self.fail)] {
            if let Some(text) = text {
                map.serialize_entry(key, text)?;
            }
        }
        map.end()
    }
}
