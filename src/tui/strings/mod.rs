//! What the navigator says: popup titles, dialog prompts and the messages
//! of the status line, in one place (gitui's `strings.rs` is the model).
//! Each key named comes from the binding table ([`key_for`]), so the screen
//! never names a key that does something else. Labels of the layout
//! (`Danger:`, section headings) stay with the layout that aligns them.

use super::action::Action;
use super::keymap::{Context, key_for};

mod reading_again;
pub use reading_again::*;

/// The placeholder form's title, for a copy or a run; `print` when the
/// copy goes to the shell's prompt (`--print`).
#[must_use]
pub fn form_title(run: bool, print: bool) -> String {
    let (enter, esc) = (key_for(Context::Form, &Action::Submit), key_for(Context::Form, &Action::Back));
    match (run, print) {
        (true, _) => format!(" Fill in, then {enter} shows the command to confirm · {esc} cancels "),
        (false, true) => format!(" Fill in, then {enter} puts it on the prompt · {esc} cancels "),
        (false, false) => format!(" Fill in, then {enter} copies · {esc} cancels "),
    }
}

/// The confirmation's title; `typed` when a word must be typed first.
#[must_use]
pub fn confirm_title(typed: bool) -> String {
    let (enter, esc) = (key_for(Context::Confirm, &Action::Submit), key_for(Context::Confirm, &Action::Back));
    if typed {
        format!(" Run this command? · type the word asked for, then {enter} · {esc} cancels ")
    } else {
        format!(" Run this command? · {enter} runs · {esc} cancels ")
    }
}

/// The confirmation's title while its step's precheck is to run first;
/// `typed` when a word must be typed too.
#[must_use]
pub fn confirm_title_precheck(typed: bool) -> String {
    let (enter, esc) = (key_for(Context::Confirm, &Action::Submit), key_for(Context::Confirm, &Action::Back));
    let word = if typed { "type the word asked for; " } else { "" };
    format!(" Run this command? · {word}{enter} runs its precheck first · {esc} cancels ")
}

/// The confirmation's last line when no word is asked for.
#[must_use]
pub fn confirm_footer() -> String {
    let (enter, esc) = (key_for(Context::Confirm, &Action::Submit), key_for(Context::Confirm, &Action::Back));
    format!("{enter} runs it · {esc} cancels")
}

/// The prompt above the field where the word is typed; its Enter runs the
/// step's precheck first when it has one not run yet.
#[must_use]
pub fn type_to_confirm(word: &str, precheck_first: bool) -> String {
    let enter = key_for(Context::Confirm, &Action::Submit);
    if precheck_first {
        format!("Type {word} to confirm, then {enter} (it runs the precheck; {enter} again runs the step):")
    } else {
        format!("Type {word} to confirm, then {enter}:")
    }
}

/// Said when a confirmation was answered before it was read.
#[must_use]
pub fn type_or_cancel(word: &str) -> String {
    format!("type {word} to confirm, or {} to cancel", key_for(Context::Confirm, &Action::Back))
}

/// Said when Enter came before the confirmation was on screen.
#[must_use]
pub fn look_first() -> String {
    format!("look at the command first: {} again runs it", key_for(Context::Confirm, &Action::Submit))
}

/// The output pane's title, while its command runs or after.
#[must_use]
pub fn output_title(running: bool) -> String {
    let esc = key_for(Context::Output, &Action::Back);
    if running {
        let stop = key_for(Context::Output, &Action::Interrupt);
        format!(" Output · {stop} stops it · ↑↓ scroll · {esc} hides it (it keeps running) ")
    } else {
        let reopen = key_for(Context::Detail, &Action::ShowOutput);
        format!(" Output · ↑↓ scroll · {esc} closes · {reopen} in the detail reopens ")
    }
}

/// A step's run status line: how to see its output.
#[must_use]
pub fn output_hint() -> String {
    format!(" · {} output", key_for(Context::Detail, &Action::ShowOutput))
}

/// Said when a run is asked for in read-only mode.
#[must_use]
pub fn read_only_run() -> String {
    format!("read-only: running is off; {} copies", key_for(Context::Detail, &Action::Choose))
}

/// Said when a step still running is asked to run again.
#[must_use]
pub fn still_running() -> String {
    format!("still running: {} in its output stops it", key_for(Context::Output, &Action::Interrupt))
}

/// A read-only overlay's title (help, problems).
#[must_use]
pub fn overlay_title(what: &str) -> String {
    format!(" {what} · {} closes ", key_for(Context::Overlay, &Action::Back))
}

/// The detail pane's title while the results have the keyboard.
#[must_use]
pub fn detail_title() -> String {
    format!(" Detail ({}) ", key_for(Context::Main, &Action::Open))
}

/// Under a command no clipboard took.
#[must_use]
pub fn select_by_hand() -> String {
    format!(
        "No clipboard could be confirmed: select the command above with the mouse · {} returns",
        key_for(Context::Overlay, &Action::Back)
    )
}

/// The problems badge of the status line.
#[must_use]
pub fn problems_badge(problems: &str) -> String {
    format!("⚠ {problems} · {}", key_for(Context::Main, &Action::ShowProblems))
}

/// Said when a step is acted on and none is selected.
pub const SELECT_A_STEP: &str = "select a step first: its number, or ↑↓";

/// Said when a step without a command is copied or run.
pub const NO_COMMAND: &str = "this step has no command";

/// Said when the output of a step that never ran is asked for.
pub const NEVER_RAN: &str = "this step has not run in this session";

/// Said when the output pane is asked to stop a command that has ended.
pub const NOT_RUNNING: &str = "not running";

/// Said when a step number is typed that the entry does not have.
#[must_use]
pub fn no_such_step(n: usize) -> String {
    format!("there is no step {n}")
}

/// Above the hits when the best lacks some of the query's words.
#[must_use]
pub fn best_has_words(had: usize, of: usize) -> String {
    format!("best match has {had} of {of} words:")
}

/// Said when a paste is longer than the search line takes.
#[must_use]
pub fn search_paste_too_long(limit: usize) -> String {
    format!("not pasted: the search takes at most {limit} characters")
}

/// Said when a field would grow past its limit by typing.
#[must_use]
pub fn value_too_long(limit: usize) -> String {
    format!("a value is at most {limit} characters")
}

/// Said when a paste into a field is longer than it takes.
#[must_use]
pub fn value_paste_too_long(limit: usize) -> String {
    format!("not pasted: {}", value_too_long(limit))
}

/// Said when the remembered values could not be written.
#[must_use]
pub fn values_not_saved(error: &dyn std::fmt::Display) -> String {
    format!("could not remember the values: {error}")
}

/// The last line of a scrolled overlay when more follows.
#[must_use]
pub fn more_below() -> String {
    format!(
        "↓ more: {} or {}",
        key_for(Context::Overlay, &Action::Move(1)),
        key_for(Context::Overlay, &Action::Page(1))
    )
}

/// The confirmation's note when its command goes on below.
#[must_use]
pub fn more_below_in_dialog() -> String {
    format!("↓ more: {}", key_for(Context::Confirm, &Action::Move(1)))
}

/// The question asked before quitting while commands run.
#[must_use]
pub fn stop_and_quit(running: usize) -> String {
    let question = match running {
        0 => "Quit?",
        1 => "Stop it and quit?",
        _ => "Stop them and quit?",
    };
    format!("{question} {}/N", key_for(Context::Ask, &Action::Answer(true)))
}

/// Said when the remembered values could not be read.
#[must_use]
pub fn values_not_read() -> String {
    format!("remembered values could not be read ({})", key_for(Context::Main, &Action::ShowProblems))
}

/// Said once, the first time a command runs with no incident open.
#[must_use]
pub fn not_recorded() -> String {
    format!("not recorded: start an incident with {} (or `pagerbook incident start TITLE`)", start_incident_keys())
}

/// The keys that open an incident from the navigator: `^T s`.
fn start_incident_keys() -> String {
    let (panel, start) =
        (key_for(Context::Main, &Action::ShowIncident), key_for(Context::Incident, &Action::StartIncident));
    format!("{panel} {start}")
}

/// A key of the panel that needs an incident, with none open.
pub const NO_INCIDENT: &str = "no incident is open";

/// Starting one while one is open.
pub const INCIDENT_ALREADY_OPEN: &str = "an incident is open already: close it first";

/// Enter on an empty title or note.
#[must_use]
pub fn type_something() -> String {
    format!("type something first, or {} to cancel", key_for(Context::Prompt, &Action::Back))
}

/// The prompt's title for what it asks.
#[must_use]
pub fn prompt_title(asks: super::state::Asks) -> String {
    use super::state::Asks;
    let (enter, esc) = (key_for(Context::Prompt, &Action::Submit), key_for(Context::Prompt, &Action::Back));
    let what = match asks {
        Asks::Title => "Open an incident: its title".to_owned(),
        Asks::Note => "A note for the journal".to_owned(),
        Asks::When(milestone) => format!("{}: when, in UTC?", capitalised(milestone.word())),
    };
    format!(" {what} · {enter} records · {esc} cancels ")
}

/// The panel's title.
#[must_use]
pub fn incident_title(open: bool) -> String {
    let esc = key_for(Context::Incident, &Action::Back);
    if open { format!(" Incident · {esc} back ") } else { format!(" No incident open · {esc} back ") }
}

/// A record the journal could not take.
#[must_use]
pub fn not_journaled(err: &dyn std::fmt::Display) -> String {
    format!("⚠ not recorded in the incident's journal: {err}")
}

/// No data directory, so nowhere to keep an incident.
pub const NO_DATA_DIR: &str = "no data directory for incidents: set HOME or XDG_DATA_HOME";

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// What the panel says when no incident is open.
#[must_use]
pub fn incident_explained() -> String {
    let start = key_for(Context::Incident, &Action::StartIncident);
    format!(
        "{start} opens one (it asks for a title). While it is open, pagerbook keeps a journal of the entries \
         opened, the steps copied and run (the exact command, where it ran, its exit status and output), \
         notes and milestones; secrets stay out. `pagerbook incident export ID` turns it into the \
         postmortem's timeline."
    )
}

/// The question before closing the incident.
#[must_use]
pub fn close_incident(title: &str) -> String {
    format!("Close the incident \"{title}\"? Its journal is kept; `incident export` makes the postmortem.")
}

/// Ctrl-E on a step without a verify.
pub const NO_VERIFY: &str = "this step has no verify: the catalog says of no way to check it";

/// Ctrl-E before the step ran.
pub const RUN_BEFORE_VERIFY: &str = "run the step first: its verify checks what the run did";

/// Ctrl-E while the step or its check still runs.
pub const STILL_CHECKING: &str = "still running: wait for it to end";

/// Where a run will be recorded, in the confirmation.
#[must_use]
pub fn recorded_in(title: &str) -> String {
    format!("recorded in the incident \"{title}\", with its output")
}

/// The confirmation's word on the journal with no incident open.
#[must_use]
pub fn no_incident_open() -> String {
    format!("not recorded: no incident is open ({} opens one)", start_incident_keys())
}

/// A precheck whose command these values cannot fill.
pub const PRECHECK_UNFILLED: &str = "its command cannot be filled in with these values, so it did not run";

/// Enter while the precheck runs.
pub const PRECHECK_RUNNING: &str = "the precheck is still running: wait for its verdict, or Esc";

/// The confirmation's last line when its precheck is to run first.
#[must_use]
pub fn precheck_footer() -> String {
    let (enter, esc) = (key_for(Context::Confirm, &Action::Submit), key_for(Context::Confirm, &Action::Back));
    format!("{enter} runs the precheck first, then {enter} again runs the step · {esc} cancels")
}

/// When a precheck not run yet runs.
#[must_use]
pub fn precheck_when() -> String {
    format!("it only looks; {} runs it first", key_for(Context::Confirm, &Action::Submit))
}

/// When a step's verify runs.
#[must_use]
pub fn verify_when(check: &crate::catalog::Check) -> String {
    let within = crate::catalog::seconds_text(check.within);
    match check.every {
        Some(every) => format!("after it exits 0, every {} for up to {within}", crate::catalog::seconds_text(every)),
        None => format!("after it exits 0, for up to {within}"),
    }
}

/// Said when a step that is not a shell's is to run.
#[must_use]
pub fn copy_only(lang: &str) -> String {
    format!("a {lang} step is copied, not run: {} copies it", key_for(Context::Detail, &Action::Choose))
}

/// Said when the incident is closed.
#[must_use]
pub fn incident_closed(id: &str) -> String {
    // The command first: at 80 columns the line ends soon after it.
    format!("closed; its postmortem: pagerbook incident export {id}")
}

/// Where an interactive run is recorded: its output stays in the terminal.
#[must_use]
pub fn recorded_in_terminal(title: &str) -> String {
    format!("recorded in the incident \"{title}\" (its output stays in the terminal)")
}

/// The first line of a drill's output pane: what follows is the scenario's.
pub const DRILL_SHOWS: &str = "what the scenario shows for this step:";

/// Where a confirmed step runs in a drill.
pub const DRILL_RUNS_NOWHERE: &str = "nowhere: this is a drill; the scenario shows what it would print";

/// The drill panel before anything is released.
pub const DRILL_NOTHING_REVEALED: &str = "Nothing revealed yet. Say where you would look (logs, a dashboard, a command): the game master shows what you would see there.";

/// A drill's run in the output pane.
pub const DRILL_REHEARSED: &str = "◇ a drill: nothing ran";

/// A drill's confirmation's last line.
#[must_use]
pub fn rehearse_footer() -> String {
    let (enter, esc) = (key_for(Context::Confirm, &Action::Submit), key_for(Context::Confirm, &Action::Back));
    format!("{enter} shows what it would print · {esc} cancels")
}

/// Where a step confirmed after its drill ended is recorded: nowhere.
pub const DRILL_OVER_UNRECORDED: &str = "not recorded: the drill is over";

/// Where a drill's confirmed step is recorded.
pub const DRILL_RECORDED: &str = "recorded in the drill's journal as \"would run\"";

/// The confirmation's title in a drill.
#[must_use]
pub fn rehearse_title() -> String {
    let (enter, esc) = (key_for(Context::Confirm, &Action::Submit), key_for(Context::Confirm, &Action::Back));
    format!(" Drill: nothing runs · {enter} shows what the scenario prints · {esc} cancels ")
}

/// Before the canned verdict of a step's verify.
pub const DRILL_VERIFY: &str = "drill: what its verify shows:";

/// Ctrl-E in a drill.
pub const DRILL_VERIFY_FLASH: &str = "drill: no check runs; the scenario says: ";

/// The drill panel's title.
#[must_use]
pub fn drill_title() -> String {
    let (close, panel) = (key_for(Context::Overlay, &Action::Back), key_for(Context::Main, &Action::ShowIncident));
    format!(" Drill · the briefing, and what was revealed · {close} or {panel} closes ")
}

/// The drill's line, on top: how to see the briefing again.
#[must_use]
pub fn drill_banner_key() -> String {
    format!("{} briefing", key_for(Context::Main, &Action::ShowIncident))
}

/// Said when the game master ends the drill.
#[must_use]
pub fn drill_over(journal: &str) -> String {
    format!("the drill is over; its debrief: {}", debrief_command(journal))
}

/// The command that prints a drill's debrief.
#[must_use]
pub fn debrief_command(journal: &str) -> String {
    format!("pagerbook drill report {journal}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_named_is_a_bound_key() {
        let all = [
            form_title(false, false),
            form_title(false, true),
            form_title(true, false),
            confirm_title(false),
            confirm_title(true),
            confirm_footer(),
            type_to_confirm("x", false),
            type_to_confirm("x", true),
            type_or_cancel("x"),
            look_first(),
            output_title(false),
            output_title(true),
            output_hint(),
            read_only_run(),
            still_running(),
            overlay_title("Help"),
            detail_title(),
            select_by_hand(),
            problems_badge("1 problem"),
            more_below(),
            more_below_in_dialog(),
            stop_and_quit(2),
            values_not_read(),
            confirm_title_precheck(false),
            confirm_title_precheck(true),
            precheck_footer(),
            precheck_when(),
            not_recorded(),
            no_incident_open(),
            type_something(),
            incident_explained(),
            incident_title(true),
            incident_title(false),
            prompt_title(super::super::state::Asks::Note),
            drill_title(),
            copy_only("promql"),
            rehearse_title(),
            rehearse_footer(),
            drill_banner_key(),
            drill_over("x"),
        ];
        for text in &all {
            // An unbound action gives an empty key: a double space or an
            // empty pair of parentheses shows it.
            assert!(!text.contains("  ") && !text.contains("()") && !text.contains("· ·"), "{text:?}");
        }
        assert_eq!(confirm_title(false), " Run this command? · Enter runs · Esc cancels ");
        assert_eq!(more_below(), "↓ more: ↓ or PgDn");
        assert_eq!(stop_and_quit(1), "Stop it and quit? y/N");
        assert_eq!(output_title(true), " Output · ^K stops it · ↑↓ scroll · Esc hides it (it keeps running) ");
    }
}
