//! Fuzzing on stable Rust: the catalog loader and the template renderer fed
//! mutated inputs, a proptest strategy acting as the mutator. Nothing may
//! panic, and nothing printed may hold a control character a terminal would
//! obey. `cargo test` runs a bounded number of cases; a long run:
//!
//! ```sh
//! FUZZ_CASES=1000000 cargo test --release --test fuzz
//! ```

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;

use pagerbook::template;
use proptest::prelude::*;

mod util;
use util::{Dir, FIXTURES, files_in};

/// Cases per property: bounded in `cargo test`, as many as asked otherwise.
fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(48)
}

/// The embedded catalog's files: real inputs to mutate.
fn seeds() -> Vec<String> {
    let files = files_in(&["catalog", "runbooks", &format!("{FIXTURES}/drill")]);
    let mut texts: Vec<String> = files
        .into_iter()
        .filter(|(name, _)| Path::new(name).extension().is_some_and(|ext| ext == "toml"))
        .map(|(_, text)| text)
        .collect();
    texts.sort();
    texts
}

/// Fragments that mean something to TOML, to templates or to a terminal.
const FRAGMENTS: &[&str] = &[
    "[[failure]]\n",
    "[[runbook]]\n",
    "[[failure.steps]]\n",
    "[[layer]]\n",
    "[vars.x]\ndescription = \"d\"\n",
    "id = \"x\"\n",
    "layer = \"edge\"\n",
    "related = [\"coredns-down\"]\n",
    "run = \"ssh {{host}} -- cat {{x}}\"\n",
    "{{",
    "}}",
    "{{{{",
    "\"",
    "'''",
    "\"\"\"",
    "=",
    "\n",
    "\\u001b",
    "\u{1b}",
    "\u{202e}",
    "\u{feff}",
    "[",
    "]",
    ",",
    "#",
    "\\",
    "$(",
    "`",
    "order = 99999999999999999999\n",
    "pattern = '(a|b)*'\n",
];

/// One change to a text.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove a range.
    Delete(usize, usize),
    /// Insert a fragment.
    Insert(usize, usize),
    /// Repeat a range.
    Repeat(usize, usize),
    /// Replace a byte with any byte.
    Byte(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..64).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), 0..FRAGMENTS.len()).prop_map(|(at, i)| Mutation::Insert(at, i)),
        (any::<usize>(), 0usize..256).prop_map(|(at, len)| Mutation::Repeat(at, len)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Byte(at, byte)),
    ]
}

fn apply(text: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = text.to_vec();
    for mutation in mutations {
        let at = |i: usize| if bytes.is_empty() { 0 } else { i % (bytes.len() + 1) };
        match *mutation {
            Mutation::Delete(i, len) => {
                let start = at(i);
                let end = (start + len).min(bytes.len());
                bytes.drain(start..end);
            }
            Mutation::Insert(i, fragment) => {
                let start = at(i);
                bytes.splice(start..start, FRAGMENTS[fragment].bytes());
            }
            Mutation::Repeat(i, len) => {
                let start = at(i);
                let end = (start + len).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Mutation::Byte(i, byte) => {
                if !bytes.is_empty() {
                    let index = i % bytes.len();
                    bytes[index] = byte;
                }
            }
        }
    }
    bytes
}

/// Values that try every way out of their quotes.
fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("/etc/hosts;touch PWNED".to_owned()),
        Just("$(touch PWNED)".to_owned()),
        Just("`touch PWNED`".to_owned()),
        Just("'\"; touch PWNED; '".to_owned()),
        Just("-oProxyCommand=touch PWNED".to_owned()),
        "[^\\x00]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// A mutated catalog file loads without a panic, and every diagnostic
    /// prints without a raw control character.
    #[test]
    fn a_mutated_catalog_loads_and_reports_without_panic(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..12),
        value in hostile_value(),
    ) {
        let seeds = seeds();
        let text = apply(seed.get(&seeds).as_bytes(), &mutations);
        let dir = Dir::new();
        dir.write("fuzzed.toml", &text);
        let loaded = dir.load();
        for diagnostic in &loaded.diagnostics {
            let shown = diagnostic.to_string();
            prop_assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
        }
        // Whatever loaded renders, or says why not, with any value.
        for entry in loaded.catalog.entries() {
            for step in &entry.steps {
                let _ = template::render(step.run().unwrap_or_default(), |_| Some(value.as_str()));
            }
        }
    }

    /// Any template and any value: parsing and rendering return.
    #[test]
    fn any_template_renders_or_says_why(
        parts in prop::collection::vec(
            prop_oneof![
                Just("{{x}}"), Just("{{y}}"), Just("ssh h -- "), Just("watch "), Just("sh -c "),
                Just("\""), Just("'"), Just("$("), Just(")"), Just("`"), Just("; "), Just("| "),
                Just("eval "), Just("((1+"), Just("<<EOF\n"), Just("\\"), Just("{{{{"), Just("sudo -u u "),
                Just("echo "), Just(" "), Just("# "), Just("\n"),
            ],
            0..24,
        ),
        value in hostile_value(),
    ) {
        let template = parts.concat();
        let parsed = template::parse(&template);
        let rendered = template::render(&template, |_| Some(value.as_str()));
        // A template that does not parse never renders.
        prop_assert!(parsed.is_ok() || rendered.is_err(), "{template:?} rendered without parsing");
    }
}
