//! `pagerbook drill`'s subcommands.

use std::path::PathBuf;

use clap::Subcommand;

use super::ThemeChoice;
use crate::cli::shell::{drill_ids, entry_ids};

pub(super) const DRILL_HELP: &str = "\
A drill is played in two terminals on one machine (or two panes of one tmux):
  game master:  pagerbook drill gm [ID]    starts it (no ID: the wheel picks), releases reveals
  responder:    pagerbook drill run        joins it: the navigator, where nothing runs
  afterwards:   pagerbook drill report     the debrief, in markdown

Examples:
  pagerbook drill list                     the scenarios, the next to drill first
  pagerbook drill new coredns-down         a scenario's first draft, from an entry
  pagerbook drill gm wildcard-cert-expired
  pagerbook drill report > debrief.md

Drill journals are kept apart from incidents': `incident list` never shows them.";

/// What `pagerbook drill` does.
#[derive(Debug, Subcommand)]
pub enum DrillCommand {
    /// List the scenarios, the next to drill first (never drilled, then
    /// drilled longest ago, then the most frequent failures).
    List,
    /// Write a scenario's first draft from a failure mode, for the game
    /// master to edit.
    New {
        /// The failure mode's id.
        #[arg(add = entry_ids())]
        id: String,
        /// Where to write it (`-` for standard output; default: the drills
        /// folder of the user catalog, where it loads from).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Play the responder: the navigator on the drill under way (or start
    /// one), where running a step shows the scenario's output and runs nothing.
    #[command(
        after_help = "Examples:\n  pagerbook drill run                      the drill under way, else the wheel's pick\n  pagerbook drill run pgbouncer-pool-shrank\n  pagerbook drill run --theme light"
    )]
    Run {
        /// The scenario (default: the drill under way, else the wheel's pick).
        #[arg(add = drill_ids())]
        id: Option<String>,
        /// Colours for a dark or a light terminal background.
        #[arg(long, value_enum, default_value_t = ThemeChoice::Dark)]
        theme: ThemeChoice,
    },
    /// Play the game master: the scenario, its answer and notes, and one key
    /// per reveal, inject and hint to release.
    #[command(
        after_help = "Examples:\n  pagerbook drill gm                       join the drill under way, or choose from the wheel\n  pagerbook drill gm pgbouncer-pool-shrank  begin this one"
    )]
    Gm {
        /// The scenario (default: the drill under way, else choose from the wheel).
        #[arg(add = drill_ids())]
        id: Option<String>,
        /// Colours for a dark or a light terminal background.
        #[arg(long, value_enum, default_value_t = ThemeChoice::Dark)]
        theme: ThemeChoice,
    },
    /// End the drill under way.
    Stop,
    /// List the drills played, oldest first (`incident list` leaves them out).
    History,
    /// Print a drill's debrief (markdown): times against targets, expected
    /// steps taken and missed, what was never looked at, runbook changes.
    Report {
        /// The drill journal's id, or a scenario's id for its latest drill
        /// (default: the latest drill).
        id: Option<String>,
    },
}
