//! Opening the navigator, what `pagerbook` does without a subcommand.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, EXIT_OK, EXIT_PROBLEM, ThemeChoice};
use crate::catalog::{self, Source};
use crate::settings;
use crate::tui;

/// Opens the navigator, with the query the command line gave typed; where it
/// cannot run, says why and what to use instead.
pub(super) fn navigator(sources: &[Source], cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (config, problems) = settings::config_path().map(|p| settings::Config::load(&p)).unwrap_or_default();
    let hint = misspelled_subcommand(&cli.query);
    // The status line has one line for them: why commands will not run, and
    // what the command line may have meant.
    // Short enough for 80 columns; F2 has the whole message.
    let forced = config.forced_read_only.as_ref().map(|_| "read-only: config.toml has a problem (F2)".to_owned());
    let notices: Vec<String> = hint.iter().cloned().chain(forced).collect();
    let options = tui::Options {
        light: cli.theme == ThemeChoice::Light,
        read_only: cli.read_only || config.read_only,
        values_path: settings::values_path(),
        incidents_dir: settings::incidents_dir(),
        drill: None,
        print: cli.print,
        notice: (!notices.is_empty()).then(|| notices.join(" · ")),
        // The search line is one line: a query with newlines is one query.
        query: cli.query.join(" ").replace(['\n', '\r', '\t'], " "),
        problems,
        sources: sources.to_vec(),
        keys: config.keys.clone(),
    };
    match tui::run(catalog::load(sources), &options) {
        // As a shell reports a process a signal ended: a parent can tell
        // killed from quit.
        Ok(tui::Ended { signal: Some(signal), .. }) => u8::try_from(128 + signal).unwrap_or(EXIT_PROBLEM),
        // The shell's widget puts it on the prompt; nothing chosen, nothing printed.
        Ok(tui::Ended { printed: Some(command), .. }) => match writeln!(out, "{command}") {
            Ok(()) => EXIT_OK,
            Err(_) => EXIT_PROBLEM,
        },
        Ok(tui::Ended { printed: None, .. }) if cli.print => EXIT_PROBLEM,
        Ok(_) => EXIT_OK,
        Err(tui::Unavailable::NotATerminal(why)) => {
            if let Some(hint) = hint {
                let _ = writeln!(err, "pagerbook: {hint}");
            }
            let _ = writeln!(
                err,
                "pagerbook: {why}; use `pagerbook list`, `pagerbook show ID` or `pagerbook search QUERY` instead"
            );
            EXIT_PROBLEM
        }
        Err(tui::Unavailable::Io(e)) => {
            let _ = writeln!(err, "pagerbook: error: the terminal failed: {e}");
            EXIT_PROBLEM
        }
    }
}

/// When the first word of the navigator's query is close to a subcommand's
/// name (`pagerbook shwo x`), says which was probably meant: the words are
/// still searched for, since they may be a symptom that happens to be close.
fn misspelled_subcommand(query: &[String]) -> Option<String> {
    let first = query.first()?;
    let command = Cli::command();
    let names = command.get_subcommands().map(clap::Command::get_name);
    let meant = catalog::diagnostic::closest(first, names)?;
    Some(format!("`{first}` is not a command, so it is searched for; did you mean `pagerbook {meant}`?"))
}
