//! What the navigator says of live suggestions, of F4's editor and of
//! the catalog read again.

/// `^L` on a field whose var has no `suggest`.
#[must_use]
pub fn no_suggestion(name: &str) -> String {
    format!("{{{{{name}}}}} has no `suggest` command to list its values")
}

/// What a field's suggestions are at, and whether it is a warning: `shown`
/// is the var's `suggest` as it would run, secrets masked; `key` lists.
#[must_use]
pub fn listing(listing: &crate::tui::command::Listing, shown: &str, key: &str, stale: bool) -> (String, bool) {
    use crate::suggest::Listed;
    use crate::tui::command::Listing;
    match listing {
        Listing::NotAsked => (format!("{key} lists its values: $ {shown}"), false),
        Listing::Shown(_) => (format!("{key} again runs, to list its values: $ {shown}"), true),
        Listing::Running(_) => (format!("listing its values… $ {shown}"), false),
        Listing::Done(..) if stale => (format!("listed with other values than these: {key} lists again"), true),
        Listing::Done(_, Listed::Offered(offered)) if offered.values.is_empty() => {
            (format!("✗ no value listed{} ({key} again)", refused(offered.refused)), true)
        }
        Listing::Done(_, Listed::Offered(offered)) => {
            let values = offered.values.join(" · ");
            let cut = if offered.cut { ", only the last lines kept" } else { "" };
            let keys = crate::tui::keymap::up_down(crate::tui::keymap::Context::Form);
            (format!("listed: {values} ({keys}){}{cut}", refused(offered.refused)), false)
        }
        Listing::Done(_, Listed::TimedOut(seconds)) => {
            (format!("✗ listing its values was cut at its timeout, {seconds} s ({key} again)"), true)
        }
        Listing::Done(_, Listed::Failed(why)) => (format!("✗ listing its values failed: {why}"), true),
    }
}

/// `, 2 lines refused by the pattern`, or nothing.
fn refused(count: usize) -> String {
    match count {
        0 => String::new(),
        1 => ", 1 line refused as a value".to_owned(),
        n => format!(", {n} lines refused as values"),
    }
}

/// The editor F4 started did not start or failed.
#[must_use]
pub fn editor_failed(program: &str, why: &str) -> String {
    format!("the editor `{program}` failed: {why} (set VISUAL or EDITOR)")
}

/// F4 on an entry built into pagerbook.
pub const BUILT_IN: &str = "built in, not editable: team entries go in ~/.config/pagerbook/catalog/";

/// F4 from the shell's widget, whose standard output is the prompt's.
pub const NO_EDITOR_FOR_THE_PROMPT: &str = "no editor from the shell's widget: use `pagerbook edit ID`";

/// F4 with no entry selected.
pub const SELECT_AN_ENTRY: &str = "select an entry to edit first";

/// The catalog read again after its files changed.
#[must_use]
pub fn reloaded(entries: usize, problems: usize) -> String {
    let problems = match problems {
        0 => String::new(),
        n => format!(" · ⚠ {} (F2)", crate::wrap::plural(n, "problem")),
    };
    format!("catalog read again: {}{problems}", crate::wrap::plural(entries, "entry"))
}

/// A catalog read again while a command, check or listing is under way.
pub const RELOAD_WAITS: &str = "the catalog changed on disk: shown once what runs has ended";

/// F4 in a drill.
pub const NO_EDITOR_IN_A_DRILL: &str = "not during a drill: its catalog stays as the scenario began";

/// A catalog read again with a new error: the one shown stays.
pub const KEPT_AS_IT_WAS: &str = "a catalog file has a new error: the catalog stays as it was (F2)";

/// A form or confirmation closed because its step changed on disk.
pub const STEP_CHANGED: &str = "the step changed on disk: look at it again before going on";

/// A line of config.toml's `[keys]` was left out.
pub const KEYS_NOT_ALL_APPLIED: &str = "config.toml: a [keys] line was left out (F2)";

/// `^L` with running off, or in a drill.
pub const SUGGESTION_NOT_RUN: &str = "listing values runs a command, and running is off here";

/// A suggestion that would run with a value the form refuses.
#[must_use]
pub fn suggestion_refused(name: &str, problem: &crate::template::ValueError) -> String {
    format!("fix {{{{{name}}}}} first, listing the values uses it: {problem}")
}

/// A suggestion that uses a placeholder not filled in (`asked`: one of the
/// form's fields).
#[must_use]
pub fn suggestion_needs(err: &crate::template::RenderError, asked: bool) -> String {
    match err {
        crate::template::RenderError::Missing(name) if asked => {
            format!("fill {{{{{name}}}}} first: listing the values uses it")
        }
        crate::template::RenderError::Missing(name) => {
            format!("listing the values needs {{{{{name}}}}}, which this step does not ask for")
        }
        other => format!("the values cannot be listed: {other}"),
    }
}
