//! At home in the engineer's shell: completion and the man page, both from
//! the one definition of the command line (`clap_complete`, `clap_mangen`),
//! and the widget that puts a chosen command on the prompt. The shell asks
//! the binary itself for candidates (`PAGERBOOK_COMPLETE=bash pagerbook --
//! pagerbook show core`), so the ids offered are those of the catalogs in
//! use.

use std::io::{self, Write};

use clap::{CommandFactory, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::{CompleteEnv, Shells};

use super::EXIT_OK;
use super::args::{Cli, CompletionShell, WidgetShell};
use crate::catalog::{self, Catalog, Source};

/// The variable that asks the binary for completions.
pub const COMPLETE_VAR: &str = "PAGERBOOK_COMPLETE";

/// Answers the shell and exits when it asks for completions; returns at
/// once otherwise. Called before anything is written to standard output.
pub fn answer_the_shell() {
    CompleteEnv::with_factory(Cli::command).var(COMPLETE_VAR).complete();
}

/// The ids of the catalogs in use, each with its title.
pub(super) fn entry_ids() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let catalog = catalog_in_use();
        catalog
            .entries()
            .iter()
            .map(|e| CompletionCandidate::new(e.id()).help(Some(e.title().to_owned().into())))
            .collect()
    })
}

/// The drill scenarios of the catalogs in use, each with its title.
pub(super) fn drill_ids() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let catalog = catalog_in_use();
        catalog.drills().iter().map(|d| CompletionCandidate::new(&d.id).help(Some(d.title.clone().into()))).collect()
    })
}

/// The catalogs a command run without `--catalog` reads (a `--catalog` on
/// the line being completed is not seen here).
fn catalog_in_use() -> Catalog {
    catalog::load(&Source::defaults(std::env::var_os("PAGERBOOK_CATALOG"))).catalog
}

/// `pagerbook completions SHELL`: the script that registers completion,
/// calling this binary where it is now.
pub(super) fn completions(shell: CompletionShell, out: &mut dyn Write) -> io::Result<u8> {
    let name = shell.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default();
    let shells = Shells::builtins();
    let Some(completer) = shells.completer(&name) else {
        return Err(io::Error::other(format!("no completion for {name}")));
    };
    completer.write_registration(COMPLETE_VAR, "pagerbook", "pagerbook", &this_binary(), out)?;
    Ok(EXIT_OK)
}

/// This binary where it is now, which the scripts call.
fn this_binary() -> String {
    std::env::current_exe().map_or_else(|_| "pagerbook".to_owned(), |p| p.display().to_string())
}

/// `pagerbook widget SHELL`: a key (Ctrl-G, as navi's) that opens the
/// navigator on what is typed and puts the command chosen with Enter on the
/// prompt, placeholders filled and quoted, to edit or run as one likes.
pub(super) fn widget(shell: WidgetShell, out: &mut dyn Write) -> io::Result<u8> {
    let binary = shlex::try_quote(&this_binary()).map(std::borrow::Cow::into_owned).unwrap_or_default();
    let script = match shell {
        WidgetShell::Bash => BASH_WIDGET,
        WidgetShell::Zsh => ZSH_WIDGET,
        WidgetShell::Fish => FISH_WIDGET,
    };
    out.write_all(script.replace("PAGERBOOK", &binary).as_bytes())?;
    Ok(EXIT_OK)
}

/// The navigator reads keys from the terminal and draws there; only the
/// chosen command comes back on standard output (exit 1: none chosen).
const BASH_WIDGET: &str = r#"# pagerbook: Ctrl-G opens the navigator on what is typed; Enter on a step
# puts its command here, to edit or run.
_pagerbook_widget() {
    local chosen
    if [[ -n "$READLINE_LINE" ]]; then
        chosen=$(PAGERBOOK --print -- "$READLINE_LINE" </dev/tty) || return
    else
        chosen=$(PAGERBOOK --print </dev/tty) || return
    fi
    READLINE_LINE=$chosen
    READLINE_POINT=${#READLINE_LINE}
}
bind -x '"\C-g": _pagerbook_widget'
"#;

const ZSH_WIDGET: &str = r#"# pagerbook: Ctrl-G opens the navigator on what is typed; Enter on a step
# puts its command here, to edit or run.
_pagerbook_widget() {
    local chosen
    if [[ -n "$BUFFER" ]]; then
        chosen=$(PAGERBOOK --print -- "$BUFFER" </dev/tty)
    else
        chosen=$(PAGERBOOK --print </dev/tty)
    fi
    if [[ $? -eq 0 ]]; then
        BUFFER=$chosen
        CURSOR=${#BUFFER}
    fi
    zle reset-prompt
}
zle -N _pagerbook_widget
bindkey '^G' _pagerbook_widget
"#;

const FISH_WIDGET: &str = r#"# pagerbook: Ctrl-G opens the navigator on what is typed; Enter on a step
# puts its command here, to edit or run.
function _pagerbook_widget
    set -l typed (commandline)
    if test -n "$typed"
        set chosen (PAGERBOOK --print -- "$typed" </dev/tty | string collect)
    else
        set chosen (PAGERBOOK --print </dev/tty | string collect)
    end
    and commandline -r -- $chosen
    commandline -f repaint
end
bind \cg _pagerbook_widget
"#;

/// `pagerbook man`: the manual page (roff), its subcommands listed, then
/// the files and the environment it reads.
pub(super) fn man(out: &mut dyn Write) -> io::Result<u8> {
    // The page's NAME line already says `pagerbook -`.
    let about = "find the failure mode behind what you see, and what to do about it";
    let command = Cli::command().about(about);
    let page = clap_mangen::Man::new(command.clone());
    page.render_title(out)?;
    page.render_name_section(out)?;
    page.render_synopsis_section(out)?;
    page.render_description_section(out)?;
    page.render_options_section(out)?;
    // clap_mangen names a page per subcommand (pagerbook-list(1)); there is
    // one page, so each is named as typed, and `help` has its options.
    writeln!(out, ".SH SUBCOMMANDS")?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        writeln!(out, ".TP\n\\fBpagerbook {}\\fR", sub.get_name())?;
        if let Some(about) = sub.get_about() {
            writeln!(out, "{}", roff_text(&about.to_string()))?;
        }
    }
    writeln!(out, ".PP\nEach subcommand's options: \\fBpagerbook help\\fR \\fISUBCOMMAND\\fR.")?;
    page.render_version_section(out)?;
    out.write_all(FILES_AND_ENVIRONMENT.as_bytes())?;
    Ok(EXIT_OK)
}

/// `text` as a roff text line: its backslashes escaped, and a line that
/// would start with a control character made text.
fn roff_text(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) { format!("\\&{escaped}") } else { escaped }
}

/// The manual's FILES and ENVIRONMENT sections (XDG locations shown with
/// their usual defaults).
const FILES_AND_ENVIRONMENT: &str = r".SH FILES
.TP
\fI~/.config/pagerbook/catalog/\fR
The user's catalog files (TOML), read after the embedded catalog; \fBimport\fR writes into \fIimported/\fR there.
.TP
\fI~/.config/pagerbook/config.toml\fR
Settings: read_only = true, and a [keys] table giving the navigator's actions other keys.
.TP
\fI~/.local/share/pagerbook/values.toml\fR
Placeholder values remembered per entry (never a secret's).
.TP
\fI~/.local/share/pagerbook/incidents/\fR, \fI~/.local/share/pagerbook/drills/\fR
Incident and drill journals (JSON Lines), owner-only.
.SH ENVIRONMENT
.TP
\fBPAGERBOOK_CATALOG\fR
Catalog paths (colon-separated) read after the user's, unless \fB--catalog\fR is given.
.TP
\fBVISUAL\fR, \fBEDITOR\fR
The editor \fBedit\fR and F4 in the navigator open (vi when neither is set).
.TP
\fBPAGER\fR
The pager \fBshow\fR uses at a terminal (less -R when unset).
.TP
\fBNO_COLOR\fR
No colour, in \fBshow\fR and in the navigator.
.TP
\fBXDG_CONFIG_HOME\fR, \fBXDG_DATA_HOME\fR
Where the files above are, when set.
";
