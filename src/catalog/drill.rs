//! Walkthrough drills: a scenario a game master plays and a responder works
//! through (`[[drill]]` tables, in the same files as the catalog). A drill
//! names its answer and the steps it refers to; they are checked against
//! the catalog once every file is read, like `related` links.

use std::fmt;

use serde::Serialize;

use super::check::seconds_text;
use super::diagnostic::did_you_mean;
use super::model::{Catalog, Kind, Origin};
use super::parse::Place;
use super::prebuilt::{Coded, Input};

/// A scenario to drill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drill {
    /// Unique among drills; what `drill run ID` takes.
    pub id: String,
    /// The answer: the failure mode's id.
    pub failure: String,
    /// What the game master picks from; it must not give the answer away.
    pub title: String,
    /// The page as the responder receives it.
    pub briefing: String,
    pub difficulty: Option<Difficulty>,
    /// Seconds within which a good response diagnoses, and mitigates:
    /// shown in the debrief only.
    pub diagnose_within: Option<u32>,
    pub mitigate_within: Option<u32>,
    /// The steps a good response takes, in order.
    pub expected: Vec<StepRef>,
    /// For the game master only.
    pub notes: Option<String>,
    pub red_herrings: Vec<String>,
    /// What the responder sees when they look somewhere.
    pub reveals: Vec<Reveal>,
    /// Curveballs.
    pub injects: Vec<Inject>,
    /// A ladder, vaguest first.
    pub hints: Vec<String>,
    /// Where it is defined.
    pub origin: Origin,
}

crate::words::word_enum! {
    /// How hard a scenario is, for the wheel and the debrief.
    Difficulty {
        Easy = "easy",
        Medium = "medium",
        Hard = "hard",
    }
}

/// The most items a scenario's game master releases by hand (reveals on a
/// label, and injects) may number: the game master's view has a key for
/// each.
pub const MOST_RELEASED_BY_HAND: usize = 28;

/// A step of an entry: its id and its number, from 1, as written
/// (`coredns-down:2`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct StepRef {
    pub entry: String,
    pub step: usize,
}

impl StepRef {
    /// `ENTRY:N`, N from 1.
    #[must_use]
    pub fn parse(text: &str) -> Option<StepRef> {
        let (entry, number) = text.rsplit_once(':')?;
        let step = number.parse().ok().filter(|&n| n > 0)?;
        (!entry.is_empty() && !entry.contains(':')).then(|| StepRef { entry: entry.to_owned(), step })
    }
}

impl fmt::Display for StepRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.entry, self.step)
    }
}

/// Where the responder looks to see a reveal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "target")]
pub enum RevealOn {
    /// A place the responder asks about (`logs`, `grafana`): the game
    /// master releases it.
    Label(String),
    /// The canned output of a step, shown when the responder runs it.
    Step(StepRef),
    /// The canned result of a step's verify.
    Verify(StepRef),
}

impl RevealOn {
    /// `step:ENTRY:N`, `verify:ENTRY:N` or a free label; `Err` for a
    /// `step:` or `verify:` whose reference does not read.
    pub fn parse(text: &str) -> Result<RevealOn, &'static str> {
        let reference = |rest: &str| StepRef::parse(rest).ok_or("a step is written `ENTRY:N`, N from 1");
        if let Some(rest) = text.strip_prefix("step:") {
            reference(rest).map(RevealOn::Step)
        } else if let Some(rest) = text.strip_prefix("verify:") {
            reference(rest).map(RevealOn::Verify)
        } else {
            Ok(RevealOn::Label(text.to_owned()))
        }
    }

    /// The step it is the output of, if any.
    #[must_use]
    pub fn step(&self) -> Option<&StepRef> {
        match self {
            RevealOn::Step(step) | RevealOn::Verify(step) => Some(step),
            RevealOn::Label(_) => None,
        }
    }
}

impl fmt::Display for RevealOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevealOn::Label(label) => f.write_str(label),
            RevealOn::Step(step) => write!(f, "step:{step}"),
            RevealOn::Verify(step) => write!(f, "verify:{step}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reveal {
    pub on: RevealOn,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inject {
    /// Released by itself this many seconds in; else by the game master.
    pub after: Option<u32>,
    /// What the responder gets.
    pub text: String,
    /// For the game master only: when to release it, how to play it.
    pub note: Option<String>,
}

impl Drill {
    /// The canned output of a step for this scenario, if it has one.
    #[must_use]
    pub fn canned(&self, on: &RevealOn) -> Option<&str> {
        self.reveals.iter().find(|reveal| &reveal.on == on).map(|reveal| reveal.text.as_str())
    }

    /// The targets as a person reads them: "diagnose within 10m".
    #[must_use]
    pub fn targets(&self) -> Vec<String> {
        let target = |what: &str, within: Option<u32>| within.map(|s| format!("{what} within {}", seconds_text(s)));
        [target("diagnose", self.diagnose_within), target("mitigate", self.mitigate_within)]
            .into_iter()
            .flatten()
            .collect()
    }
}

/// A drill as a file defines it, with the places its references stand.
#[derive(Debug)]
pub(crate) struct ParsedDrill {
    pub drill: Drill,
    pub id: Place,
    pub failure: Place,
    /// Each step reference (expected steps, then reveals) and its place.
    pub steps: Vec<(StepRef, bool, Place)>,
}

/// A problem found linking drills: where, and what.
pub(crate) type DrillProblem = (Place, String);

/// Checks each drill's answer and steps against the catalog, and ids
/// against earlier drills; gives the drills that hold and, for each file,
/// its problems. A drill with a problem is left out, as an entry is.
pub(crate) fn link_drills(catalog: &Catalog, files: Vec<Vec<ParsedDrill>>) -> (Vec<Drill>, Vec<Vec<DrillProblem>>) {
    let mut drills: Vec<Drill> = Vec::new();
    let mut problems = Vec::with_capacity(files.len());
    for parsed in files {
        let mut found = Vec::new();
        for ParsedDrill { drill, id, failure, steps } in parsed {
            let before = found.len();
            if let Some(first) = drills.iter().find(|d| d.id == drill.id) {
                found.push((
                    id,
                    format!("duplicate drill id `{}`: it is already defined at {}", drill.id, first.origin),
                ));
            }
            match catalog.get(&drill.failure).map(|entry| entry.kind) {
                Some(Kind::Failure) => {}
                Some(Kind::Runbook) => found.push((
                    failure,
                    format!("`failure` of drill `{}` names `{}`, which is a runbook", drill.id, drill.failure),
                )),
                None => found.push((failure, unknown(catalog, &drill.id, "failure", &drill.failure))),
            }
            for (step, is_verify, place) in steps {
                if let Some(problem) = step_problem(catalog, &step, is_verify) {
                    found.push((place, format!("drill `{}` names step `{step}`, {problem}", drill.id)));
                }
            }
            if found.len() == before {
                drills.push(drill);
            }
        }
        problems.push(found);
    }
    (drills, problems)
}

fn unknown(catalog: &Catalog, drill: &str, field: &str, id: &str) -> String {
    let failures: Vec<&str> =
        catalog.entries().iter().filter(|e| e.kind == Kind::Failure).map(super::entry::Entry::id).collect();
    let hint = did_you_mean(id, &failures);
    format!("`{field}` of drill `{drill}` names `{id}`, which is not a known failure mode{hint}")
}

/// Why a drill's reference to a step does not hold, if it does not.
fn step_problem(catalog: &Catalog, step: &StepRef, is_verify: bool) -> Option<String> {
    let Some(entry) = catalog.get(&step.entry) else {
        let hint = did_you_mean(&step.entry, &catalog.similar_ids(&step.entry));
        return Some(format!("but there is no entry `{}`{hint}", step.entry));
    };
    let Some(found) = step.step.checked_sub(1).and_then(|i| entry.steps.get(i)) else {
        return Some(format!("but `{}` has {} steps", step.entry, entry.steps.len()));
    };
    (is_verify && found.verify().is_none()).then(|| "but that step has no `verify`".to_owned())
}

// The prebuilt form (see prebuilt.rs): the embedded drills are read back,
// not parsed, at start-up.

impl Coded for StepRef {
    fn put(&self, out: &mut Vec<u8>) {
        self.entry.put(out);
        self.step.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        let (entry, step) = (Coded::take(input)?, Coded::take(input)?);
        (step > 0).then_some(StepRef { entry, step })
    }
}

impl Coded for Reveal {
    fn put(&self, out: &mut Vec<u8>) {
        self.on.to_string().put(out);
        self.text.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        let on = RevealOn::parse(input.str()?).ok()?;
        Some(Reveal { on, text: Coded::take(input)? })
    }
}

impl Coded for Inject {
    fn put(&self, out: &mut Vec<u8>) {
        self.after.put(out);
        self.text.put(out);
        self.note.put(out);
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        Some(Inject { after: Coded::take(input)?, text: Coded::take(input)?, note: Coded::take(input)? })
    }
}

impl Coded for ParsedDrill {
    fn put(&self, out: &mut Vec<u8>) {
        let d = &self.drill;
        d.id.put(out);
        d.failure.put(out);
        d.title.put(out);
        d.briefing.put(out);
        d.difficulty.put(out);
        d.diagnose_within.put(out);
        d.mitigate_within.put(out);
        d.expected.put(out);
        d.notes.put(out);
        d.red_herrings.put(out);
        d.reveals.put(out);
        d.injects.put(out);
        d.hints.put(out);
        d.origin.line.put(out);
        self.id.put(out);
        self.failure.put(out);
        self.steps.len().put(out);
        for (step, is_verify, place) in &self.steps {
            step.put(out);
            is_verify.put(out);
            place.put(out);
        }
    }
    fn take(input: &mut Input<'_>) -> Option<Self> {
        let drill = Drill {
            id: Coded::take(input)?,
            failure: Coded::take(input)?,
            title: Coded::take(input)?,
            briefing: Coded::take(input)?,
            difficulty: Coded::take(input)?,
            diagnose_within: Coded::take(input)?,
            mitigate_within: Coded::take(input)?,
            expected: Coded::take(input)?,
            notes: Coded::take(input)?,
            red_herrings: Coded::take(input)?,
            reveals: Coded::take(input)?,
            injects: Coded::take(input)?,
            hints: Coded::take(input)?,
            origin: Origin { path: input.path.clone(), line: Coded::take(input)? },
        };
        let (id, failure) = (Coded::take(input)?, Coded::take(input)?);
        let count = usize::take(input)?;
        let steps = (0..count)
            .map(|_| Some((Coded::take(input)?, Coded::take(input)?, Coded::take(input)?)))
            .collect::<Option<Vec<_>>>()?;
        Some(ParsedDrill { drill, id, failure, steps })
    }
}
