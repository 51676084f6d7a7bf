//! `search`: the query from the words or standard input, and the hits.

use std::io::{self, Read, Write};
use std::sync::Arc;

use serde::Serialize;

use super::{EXIT_OK, EXIT_PROBLEM, Environment, load_noting_problems};
use crate::catalog::{Kind, Source};
use crate::search::{Index, Query};

/// Most of standard input `search -` reads: pages of log, not a whole log
/// file, whose words belong to many failures and blur the ranking; and a
/// stream (`kubectl logs -f`) does not end. Not for speed: 1 MiB of log
/// searches in 0.2 s.
const STDIN_LIMIT: u64 = 64 * 1024;

/// The text `search` looks for: the words given, or with `-` standard input
/// with its lines joined (a log pasted from several lines is one query).
/// `None` after saying why on `err` when there is nothing to search for:
/// that would list the whole catalog as if it matched.
pub(super) fn search_input(
    words: &[String],
    env: &Environment,
    stdin: &mut dyn Read,
    err: &mut dyn Write,
) -> io::Result<Option<(String, Query)>> {
    let (input, origin) = if let [dash] = words
        && dash == "-"
    {
        if env.stdin_is_terminal {
            writeln!(err, "pagerbook: reading the query from standard input; end it with Ctrl-D")?;
        }
        let mut bytes = Vec::new();
        stdin
            .take(STDIN_LIMIT)
            .read_to_end(&mut bytes)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot read the query from standard input: {e}")))?;
        let text = String::from_utf8_lossy(&bytes).lines().collect::<Vec<_>>().join(" ");
        (text, "standard input")
    } else if words.len() > 1 && words.iter().any(|w| w == "-") {
        writeln!(err, "pagerbook: error: `-` reads the query from standard input, so it must be the only word")?;
        return Ok(None);
    } else {
        (words.join(" "), "the query")
    };
    let query = Query::parse(&input);
    match unsearchable(&input, &query) {
        None => Ok(Some((input, query))),
        Some(why) => {
            writeln!(err, "pagerbook: error: nothing to search for: {origin} {why}")?;
            Ok(None)
        }
    }
}

/// Why a query asks for nothing (no word, phrase or filter), if it does.
fn unsearchable(input: &str, query: &Query) -> Option<&'static str> {
    let filters = !query.layers.is_empty() || !query.tags.is_empty() || query.kind.is_some();
    if !query.is_empty() || filters {
        return None;
    }
    Some(if input.trim().is_empty() {
        "is empty"
    } else if query.excluded.is_empty() {
        "has no words, only punctuation"
    } else {
        "only excludes words (`!word`); add a word to search for"
    })
}

/// One hit of `search --json`.
#[derive(Serialize)]
struct SearchHit<'a> {
    id: &'a str,
    kind: Kind,
    layer: Option<&'a str>,
    title: &'a str,
    score: f32,
}

/// `search`: the hits for a query, `input` as it was given.
pub(super) fn search(
    sources: &[Source],
    input: &str,
    query: &Query,
    json: bool,
    limit: usize,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let loaded = load_noting_problems(sources, err)?;
    let index = Index::new(Arc::new(loaded.catalog));
    let results = index.search(query);
    let catalog = index.catalog();
    let hits: Vec<SearchHit<'_>> = results
        .hits
        .iter()
        .take(limit)
        .map(|hit| {
            let entry = &catalog.entries()[hit.entry];
            SearchHit { id: entry.id(), kind: entry.kind, layer: entry.layer(), title: entry.title(), score: hit.score }
        })
        .collect();
    if let Some(had) = results.best_lacks_words().filter(|_| !hits.is_empty()) {
        writeln!(err, "pagerbook: the best hit matches {had} of {} words", results.words)?;
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &hits)?;
        writeln!(out)?;
    } else {
        let id_width = hits.iter().map(|h| h.id.len()).max().unwrap_or(0);
        let layer_width = hits.iter().map(|h| h.layer.unwrap_or("-").len()).max().unwrap_or(0);
        for hit in &hits {
            let layer = hit.layer.unwrap_or("-");
            writeln!(
                out,
                "{:>6.1}  {:id_width$}  {:7}  {layer:layer_width$}  {}",
                hit.score,
                hit.id,
                hit.kind.as_str(),
                hit.title
            )?;
        }
    }
    if hits.is_empty() {
        // A pasted log may be long; the message names the start of it.
        let shown: String = input.chars().take(60).collect();
        let more = if shown.len() < input.len() { "…" } else { "" };
        writeln!(err, "pagerbook: nothing matches `{shown}{more}`")?;
        return Ok(EXIT_PROBLEM);
    }
    Ok(EXIT_OK)
}
