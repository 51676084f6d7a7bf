//! Live suggestions for a placeholder (`suggest` on a `[vars.NAME]`): a
//! read-only command whose output lines become the values offered, such
//! as the real node list for `{{node}}`. The command is rendered like a
//! step's, so the other values it uses are quoted; each line is cut to a
//! column, stripped of a prefix and checked as a typed value would be, so a
//! line the var refuses is never offered and one offered stays literal.

use std::time::Duration;

use crate::catalog::{Suggest, Var};
use crate::runner::{self, Shell, Stream};
use crate::template::{self, RenderError};

impl Suggest {
    /// The command to run, the other placeholders filled in (quoted) from
    /// `value_of`: `Missing` names one not filled in yet.
    ///
    /// # Errors
    /// A placeholder has no value, or the command cannot be rendered.
    pub fn command<'v>(&self, value_of: impl Fn(&str) -> Option<&'v str>) -> Result<String, RenderError> {
        template::render(&self.run, |name| value_of(name).filter(|value| !value.is_empty()))
    }

    /// The values `output` offers for `var`: each line's column, stripped
    /// and trimmed, in order, once each; the lines `var` would refuse are
    /// counted, not offered.
    #[must_use]
    pub fn offered<'o>(&self, output: impl IntoIterator<Item = &'o str>, var: &Var) -> Offered {
        let mut offered = Offered::default();
        for line in output {
            let cell = match self.column {
                Some(column) => line.split_whitespace().nth(column.saturating_sub(1)).unwrap_or_default(),
                None => line.trim(),
            };
            let value = self.strip.as_deref().and_then(|prefix| cell.strip_prefix(prefix)).unwrap_or(cell).trim();
            if value.is_empty() || offered.values.iter().any(|v| v == value) {
                continue;
            }
            if var.check(value).is_ok() {
                offered.values.push(value.to_owned());
            } else {
                offered.refused += 1;
            }
        }
        offered
    }
}

/// What a suggestion's output offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offered {
    /// The values, in the order printed.
    pub values: Vec<String>,
    /// Lines left out because the var refuses them (its `pattern`, a
    /// leading `-`, a control character).
    pub refused: usize,
    /// It printed more lines than are kept: the first ones are not offered.
    pub cut: bool,
}

/// How listing the values went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    /// It ran to a successful end.
    Offered(Offered),
    /// It was cut at its timeout.
    TimedOut(u32),
    /// It could not start, or failed: why, with its last line of errors.
    Failed(String),
}

/// Runs `command` (rendered by [`Suggest::command`]) in its own process
/// group, as long as the timeout allows, and offers its standard output.
#[must_use]
pub fn list(suggest: &Suggest, command: &str, var: &Var) -> Listed {
    let finished = match runner::run_until(command, Shell::Sh, Duration::from_secs(suggest.timeout.into())) {
        Ok(finished) => finished,
        Err(err) => return Listed::Failed(format!("could not start: {err}")),
    };
    let Some(outcome) = finished.outcome else { return Listed::TimedOut(suggest.timeout) };
    if !outcome.success() {
        let said =
            finished.lines.iter().rev().find(|(stream, line)| *stream == Stream::Stderr && !line.trim().is_empty());
        return Listed::Failed(match said {
            Some((_, line)) => format!("{outcome}: {}", line.trim()),
            None => outcome.to_string(),
        });
    }
    let output = finished.lines.iter().filter(|(stream, _)| *stream == Stream::Stdout).map(|(_, line)| line.as_str());
    let mut offered = suggest.offered(output, var);
    offered.cut = finished.lines.len() == runner::Finished::KEPT;
    Listed::Offered(offered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(pattern: Option<&str>) -> Var {
        Var {
            name: "node".into(),
            description: "A node".to_owned(),
            default: None,
            choices: Vec::new(),
            pattern: pattern.map(str::to_owned),
            secret: false,
            suggest: None,
        }
    }

    fn suggest(run: &str) -> Suggest {
        Suggest { run: run.to_owned(), column: None, strip: None, timeout: 5 }
    }

    #[test]
    fn lines_the_pattern_refuses_are_counted_not_offered() {
        let offered = suggest("x").offered(["worker-1", "Worker_2!", "worker-3", ""], &var(Some("[a-z0-9-]+")));
        assert_eq!(offered, Offered { values: vec!["worker-1".into(), "worker-3".into()], refused: 1, cut: false });
    }

    #[test]
    fn a_column_and_a_prefix_are_cut_and_repeats_offered_once() {
        let mut by_column = suggest("x");
        by_column.column = Some(1);
        by_column.strip = Some("pod/".to_owned());
        let lines = ["pod/web-1   1/1   Running", "pod/web-2 0/1 CrashLoopBackOff", "pod/web-1 1/1 Running", "   "];
        assert_eq!(by_column.offered(lines, &var(None)).values, ["web-1", "web-2"]);
        // A column past the end of a line offers nothing for it.
        by_column.column = Some(9);
        assert_eq!(by_column.offered(lines, &var(None)), Offered::default());
    }

    #[test]
    fn a_line_no_value_may_be_is_refused_even_without_a_pattern() {
        let offered = suggest("x").offered(["--all", "ok", "bell\u{7}"], &var(None));
        assert_eq!(offered, Offered { values: vec!["ok".into()], refused: 2, cut: false });
    }

    #[test]
    fn the_command_quotes_the_values_it_uses_and_names_one_missing() {
        let pods = suggest("kubectl get pods -n {{namespace}} -o name");
        let filled = pods.command(|name| (name == "namespace").then_some("team a"));
        assert_eq!(filled.unwrap(), "kubectl get pods -n 'team a' -o name");
        assert_eq!(pods.command(|_| Some("")), Err(RenderError::Missing("namespace".to_owned())));
    }

    #[test]
    fn a_listing_offers_stdout_and_says_why_it_failed_or_stopped() {
        let both = suggest("");
        let listed = list(&both, "printf 'a\\nb\\n'; echo noise >&2", &var(None));
        assert_eq!(listed, Listed::Offered(Offered { values: vec!["a".into(), "b".into()], refused: 0, cut: false }));
        // More lines than are kept: it says the first ones are missing.
        match list(&both, "seq 1 5000", &var(None)) {
            Listed::Offered(offered) => {
                assert!(offered.cut);
                assert_eq!(offered.values.first().map(String::as_str), Some("4001"));
            }
            other => panic!("{other:?}"),
        }
        match list(&both, "echo 'no such context' >&2; exit 3", &var(None)) {
            Listed::Failed(why) => assert!(why.ends_with(": no such context"), "{why}"),
            other => panic!("{other:?}"),
        }
        let mut slow = suggest("");
        slow.timeout = 1;
        let started = std::time::Instant::now();
        assert_eq!(list(&slow, "sleep 30", &var(None)), Listed::TimedOut(1));
        assert!(started.elapsed() < Duration::from_secs(10), "cut at the timeout, not at the end");
    }
}
