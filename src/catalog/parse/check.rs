//! A step's `verify` and `precheck` tables: a command that only looks, what
//! passes, how long to poll. Refused: a check that looks destructive or
//! needs a terminal, a placeholder the step's own command does not fill,
//! a regex that does not compile, a deadline it cannot keep.

use toml::Spanned;

use super::step::Declaration;
use super::{Reader, TomlTable};
use crate::catalog::check::{Check, parse_seconds};
use crate::catalog::schema;
use crate::template;

/// Programs that take over a terminal: a check has none (input closed).
const INTERACTIVE: &[&str] =
    &["less", "more", "vi", "vim", "nvim", "nano", "emacs", "top", "htop", "watch", "tmux", "screen"];

impl Reader<'_, '_> {
    /// The `key` table of a step (`verify`, `precheck`), if it has one;
    /// `step_run` is the step's command, whose placeholders it may use.
    pub(super) fn check(
        &mut self,
        step: &TomlTable<'_>,
        key: &str,
        step_run: Option<&str>,
        context: &str,
        declare: &mut dyn FnMut(&str) -> Declaration,
    ) -> Option<Check> {
        let value = step.get(key)?;
        let Some(table) = value.get_ref().as_table() else {
            self.wrong_type(key, value, &format!("a table: write it as `[failure.steps.{key}]` under its step"));
            return None;
        };
        let context = format!("the `{key}` of {context}");
        if step_run.is_none() {
            self.error(value.span(), format!("{context}: the step has no `run`, so there is nothing to check"));
            return None;
        }
        self.unknown_keys(table, schema::Table::Check, &|| format!("in {context}"));
        let errors = self.errors;
        let run = table.get("run").and_then(|value| self.string_value("run", value));
        let Some(run) = run else {
            self.error(value.span(), format!("{context} has no `run`, which is required"));
            return None;
        };
        self.check_command(&run, step_run, &context, declare);
        let expect_exit = match table.get("expect_exit") {
            None => Some(0),
            Some(value) => {
                let code = value.get_ref().as_integer().and_then(|i| u8::from_str_radix(i.as_str(), i.radix()).ok());
                if code.is_none() {
                    self.wrong_type("expect_exit", value, "an exit status from 0 to 255");
                }
                code
            }
        };
        let stdout_matches = self.string(table, "stdout_matches");
        if let (Some(pattern), Some(value)) = (stdout_matches, table.get("stdout_matches"))
            && let Err(err) = regex::Regex::new(pattern)
        {
            self.error(value.span(), format!("`stdout_matches` of {context} is not a regex: {err}"));
        }
        let every = self.seconds(table, "every");
        let within = self.seconds(table, "within");
        let within_value = within.unwrap_or(Check::DEFAULT_WITHIN);
        if let (Some(every), Some(value)) = (every, table.get("every"))
            && every >= within_value
        {
            self.error(value.span(), format!("`every` of {context} must be shorter than `within` ({within_value} s)"));
        }
        if within_value > Check::MAX_WITHIN
            && let Some(value) = table.get("within")
        {
            self.error(value.span(), format!("`within` of {context} is longer than an hour: a check is not a job"));
        }
        let (pass, fail) = (self.string(table, "pass"), self.string(table, "fail"));
        let expect_exit = expect_exit?;
        (self.errors == errors).then(|| Check {
            run: (*run.get_ref()).to_owned(),
            expect_exit,
            stdout_matches: stdout_matches.map(str::to_owned),
            every,
            within: within_value,
            pass: pass.map(str::to_owned),
            fail: fail.map(str::to_owned),
        })
    }

    /// The check's command: placeholders as in a step's (declared, quoted
    /// right) and filled by the step's own command, nothing destructive,
    /// nothing that needs a terminal.
    fn check_command(
        &mut self,
        run: &Spanned<&str>,
        step_run: Option<&str>,
        context: &str,
        declare: &mut dyn FnMut(&str) -> Declaration,
    ) {
        self.check_placeholders(run, context, declare, true);
        let filled = step_run.map(template::placeholder_names).unwrap_or_default();
        for name in template::placeholder_names(run.get_ref()) {
            if !filled.contains(&name) {
                let message = format!(
                    "placeholder `{{{{{name}}}}}` in {context} is not in the step's own command, so no value \
                     would be asked for it: a check uses the values the step ran with"
                );
                self.error(run.span(), message);
            }
        }
        if let Some(c) = run.get_ref().chars().find(|&c| crate::visible::is_deceptive(c)) {
            let message = format!("{context} holds U+{:04X}, which makes it read otherwise than it runs", u32::from(c));
            self.error(run.span(), message);
        }
        if let Some(operation) = crate::danger::looks_destructive(run.get_ref()) {
            self.error(run.span(), format!("{context} looks destructive ({operation}): a check must only look"));
        }
        if let Some(program) = needs_a_terminal(run.get_ref()) {
            self.error(
                run.span(),
                format!("{context} runs `{program}`, which needs a terminal: a check runs with its input closed"),
            );
        }
    }

    /// A duration (`5s`, `2m`, `1h`) in seconds: `None` when absent, or
    /// invalid (then reported, so the check is not made).
    pub(super) fn seconds(&mut self, table: &TomlTable<'_>, key: &str) -> Option<u32> {
        let value = table.get(key)?;
        let seconds = self.string_value(key, value).and_then(|text| parse_seconds(text.get_ref())).filter(|s| *s > 0);
        if seconds.is_none() {
            self.wrong_type(key, value, "a duration such as \"5s\", \"2m\" or \"1h\"");
        }
        seconds
    }
}

/// The first program of `command` that takes over a terminal, if any: the
/// first word of each part between `|`, `;`, `&&`, `||` (after `sudo`), and
/// `ssh` given no command.
fn needs_a_terminal(command: &str) -> Option<String> {
    for part in command.split(['|', ';', '&', '\n']) {
        let mut words = part.split_whitespace().skip_while(|w| *w == "sudo" || w.contains('='));
        let Some(program) = words.next() else { continue };
        let program = program.rsplit('/').next().unwrap_or(program);
        if INTERACTIVE.contains(&program) {
            return Some(program.to_owned());
        }
        // `ssh host` logs in; `ssh host -- cmd` runs a command.
        if program == "ssh" && words.filter(|w| !w.starts_with('-')).count() < 2 {
            return Some("ssh".to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::needs_a_terminal;

    #[test]
    fn programs_that_take_the_terminal_are_told_from_those_that_do_not() {
        assert_eq!(needs_a_terminal("kubectl get pods | less").as_deref(), Some("less"));
        assert_eq!(needs_a_terminal("sudo /usr/bin/top").as_deref(), Some("top"));
        assert_eq!(needs_a_terminal("ssh node-1").as_deref(), Some("ssh"));
        assert_eq!(needs_a_terminal("ssh -o BatchMode=yes node-1 -- uptime"), None);
        assert_eq!(needs_a_terminal("kubectl -n kube-system rollout status deploy/coredns"), None);
        assert_eq!(needs_a_terminal("dig +short db.shop.svc.cluster.local @10.43.0.10"), None);
    }
}
