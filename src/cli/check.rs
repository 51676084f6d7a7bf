//! `check` and `sources`: the catalogs' problems, and what each source gave.

use std::io::{self, Write};
use std::path::Path;

use super::{EXIT_OK, EXIT_PROBLEM, Format, problem_count};
use crate::catalog::{self, Level, LoadOptions, Loaded, Source};
use crate::settings;
use crate::wrap::plural;

/// `check`: the catalogs' problems, after those of the config file when one is given.
pub(super) fn check(
    sources: &[Source],
    options: &LoadOptions,
    config: Option<&Path>,
    format: Format,
    verbose: bool,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let mut loaded = catalog::load_with(sources, options);
    if let Some(path) = config {
        let (config, mut problems) = settings::Config::load(path);
        problems.extend(crate::tui::keymap::rebind_problems(&config.keys));
        loaded.diagnostics.splice(0..0, problems);
    }
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &loaded.diagnostics)?;
            writeln!(out)?;
        }
        Format::Text => {
            if verbose {
                write_sources(&loaded, out)?;
                writeln!(out)?;
            }
            for diagnostic in &loaded.diagnostics {
                writeln!(out, "{diagnostic}")?;
            }
            // The context's files and entries are not what was checked.
            let files: usize = loaded.sources.iter().map(|s| s.files).sum();
            let entries: usize = loaded.sources.iter().map(|s| s.entries).sum();
            let drills: usize = loaded.sources.iter().map(|s| s.drills).sum();
            let drills = if drills > 0 { format!(" and {}", plural(drills, "drill")) } else { String::new() };
            writeln!(
                out,
                "checked {}: {}{drills} loaded, {}",
                plural(files, "file"),
                plural(entries, "entry"),
                if loaded.diagnostics.is_empty() { "no problems".to_owned() } else { problem_count(&loaded) }
            )?;
        }
    }
    let has_errors = loaded.diagnostics.iter().any(|d| d.level == Level::Error);
    Ok(if has_errors { EXIT_PROBLEM } else { EXIT_OK })
}

fn write_sources(loaded: &Loaded, out: &mut dyn Write) -> io::Result<()> {
    for report in &loaded.sources {
        if report.present {
            writeln!(out, "{}: {}, {}", report.source, plural(report.files, "file"), plural(report.entries, "entry"))?;
        } else {
            writeln!(out, "{}: not present", report.source)?;
        }
    }
    Ok(())
}

pub(super) fn sources_command(sources: &[Source], json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let loaded = catalog::load(sources);
    if json {
        serde_json::to_writer_pretty(&mut *out, &loaded.sources)?;
        writeln!(out)?;
    } else {
        write_sources(&loaded, out)?;
        if !loaded.diagnostics.is_empty() {
            writeln!(out, "problems: {} (run `pagerbook check`)", problem_count(&loaded))?;
        }
    }
    Ok(EXIT_OK)
}
