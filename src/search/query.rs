//! What the user typed or pasted, parsed: words (all required), `"phrases"`,
//! `!excluded` words, `field:value` filters, or a pasted log line.

use super::text::{Token, is_stopword, is_volatile, tokens};
use crate::catalog::Kind;

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Normalised words that must all match (fuzzily).
    pub terms: Vec<String>,
    /// Lowercased phrases that must appear as they are.
    pub phrases: Vec<String>,
    /// Normalised words no hit may contain.
    pub excluded: Vec<String>,
    /// `layer:` filters (a hit's layer must start with one of them).
    pub layers: Vec<String>,
    /// `tag:` filters (a hit must have a tag starting with each).
    pub tags: Vec<String>,
    /// `kind:` filter.
    pub kind: Option<Kind>,
    /// Whether the input looked like a pasted log line; then `terms` holds its
    /// distinctive words and the syntax above is not applied.
    pub pasted: bool,
    /// The input, lowercased, when it is one word: the entry with exactly this
    /// id ranks first, however its words score elsewhere.
    pub id: Option<String>,
}

impl Query {
    /// Parses user input. A pasted log line is recognised first, so quotes and
    /// colons in it are not taken for query syntax.
    #[must_use]
    pub fn parse(input: &str) -> Query {
        let mut query = Query::parse_words(input);
        let word = input.trim();
        if !word.is_empty() && !word.contains(char::is_whitespace) {
            query.id = Some(word.to_lowercase());
        }
        query
    }

    fn parse_words(input: &str) -> Query {
        if looks_pasted(input) {
            let mut terms: Vec<String> = tokens(input)
                .into_iter()
                .filter(|t| !is_volatile(&t.word) && !is_stopword(&t.word))
                .map(|t| t.word)
                .collect();
            dedup_in_order(&mut terms);
            return Query { terms, pasted: true, ..Query::default() };
        }
        let mut query = Query::default();
        let mut rest = input;
        while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
            rest = &rest[start..];
            if let Some(after) = rest.strip_prefix('"') {
                let end = after.find('"').unwrap_or(after.len());
                let phrase = after[..end].trim().to_lowercase();
                if !phrase.is_empty() {
                    query.phrases.push(phrase);
                }
                rest = after.get(end + 1..).unwrap_or("");
                continue;
            }
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            query.add_word(&rest[..end]);
            rest = &rest[end..];
        }
        let words_given = !query.terms.is_empty();
        query.terms.retain(|t| !is_stopword(t));
        if words_given && query.terms.is_empty() {
            // A query of only stop words still searches for them.
            query.terms.extend(tokens(input).into_iter().map(|t| t.word));
        }
        dedup_in_order(&mut query.terms);
        query
    }

    fn add_word(&mut self, word: &str) {
        if let Some(excluded) = word.strip_prefix('!') {
            self.excluded.extend(tokens(excluded).into_iter().map(|t| t.word));
            return;
        }
        if let Some((field, value)) = word.split_once(':') {
            let value = value.to_lowercase();
            let applied = match field.to_lowercase().as_str() {
                "layer" if !value.is_empty() => {
                    self.layers.push(value);
                    true
                }
                "tag" if !value.is_empty() => {
                    self.tags.push(value);
                    true
                }
                "kind" => match value.as_str() {
                    "" => false,
                    v if "runbook".starts_with(v) => {
                        self.kind = Some(Kind::Runbook);
                        true
                    }
                    v if "failure".starts_with(v) => {
                        self.kind = Some(Kind::Failure);
                        true
                    }
                    _ => false,
                },
                _ => false,
            };
            if applied {
                return;
            }
        }
        self.terms.extend(tokens(word).into_iter().map(|t| t.word));
    }

    /// Whether the query has no words or phrases: entries come in catalog
    /// order (filtered, if it has filters).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.phrases.is_empty()
    }

    /// Whether the query asks for nothing at all, filters included: the
    /// whole catalog, edge inward.
    #[must_use]
    pub fn is_blank(&self) -> bool {
        self.is_empty()
            && self.excluded.is_empty()
            && self.layers.is_empty()
            && self.tags.is_empty()
            && self.kind.is_none()
    }
}

fn dedup_in_order(words: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| seen.insert(w.clone()));
}

/// Whether input looks pasted from a log, an alert or a terminal rather than
/// typed: four words or more, and long or holding tokens people do not type
/// (timestamps, IPs, hex ids, UUIDs, pod-name hashes, paths, long numbers).
#[must_use]
pub fn looks_pasted(input: &str) -> bool {
    let words: Vec<Token> = tokens(input);
    if words.len() < 4 {
        return false;
    }
    // Exclusions and filters are typed; quotes are not evidence either way,
    // since log lines quote names too.
    let has_syntax = input.split_whitespace().any(|w| {
        (w.starts_with('!') && w.len() > 1)
            || ["layer:", "tag:", "kind:"].iter().any(|f| w.to_lowercase().starts_with(f))
    });
    let volatile = words.iter().any(|t| is_volatile(&t.word));
    let has_path = input.split_whitespace().any(|w| w.matches('/').count() >= 2);
    !has_syntax && (volatile || has_path || input.chars().count() >= 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_exclusions_and_filters() {
        let q = Query::parse(r#"redis "out of memory" !sentinel layer:data tag:cache kind:fail pods"#);
        assert_eq!(q.terms, ["redis", "pod"]);
        assert_eq!(q.phrases, ["out of memory"]);
        assert_eq!(q.excluded, ["sentinel"]);
        assert_eq!(q.layers, ["data"]);
        assert_eq!(q.tags, ["cache"]);
        assert_eq!(q.kind, Some(Kind::Failure));
        assert!(!q.pasted);
    }

    #[test]
    fn stop_words_are_not_required_unless_alone() {
        assert_eq!(
            Query::parse("pods can't resolve the service names").terms,
            ["pod", "cant", "resolve", "service", "name"]
        );
        assert_eq!(Query::parse("the").terms, ["the"]);
    }

    #[test]
    fn a_single_word_may_be_an_id() {
        assert_eq!(Query::parse(" CoreDNS-down ").id.as_deref(), Some("coredns-down"));
        assert_eq!(Query::parse("coredns down").id, None);
        assert_eq!(Query::parse("").id, None);
    }

    #[test]
    fn unknown_fields_are_plain_words() {
        assert_eq!(Query::parse("error: host:port").terms, ["error", "host", "port"]);
    }

    #[test]
    fn an_unterminated_quote_takes_the_rest() {
        assert_eq!(Query::parse("\"no such ho").phrases, ["no such ho"]);
    }

    #[test]
    fn pasted_log_lines_are_recognised_and_lose_volatile_tokens() {
        let q = Query::parse("dial tcp: lookup db.prod.svc.cluster.local on 10.43.0.10:53: no such host");
        assert!(q.pasted);
        assert_eq!(q.terms, ["dial", "tcp", "lookup", "db", "prod", "svc", "cluster", "local", "no", "such", "host"]);
        let q = Query::parse(
            r#"2026-03-11T04:12:09Z Warning FailedAttachVolume pod/redis-0 Multi-Attach error for volume "pvc-7f3a9c2e-11aa" Volume is already exclusively attached"#,
        );
        assert!(q.pasted);
        assert!(q.phrases.is_empty());
        assert!(q.terms.contains(&"multi".to_owned()) && !q.terms.iter().any(|t| t.contains("7f3a")));
    }

    #[test]
    fn typed_words_are_not_taken_for_pastes() {
        for typed in [
            "pgbouncr",
            "pods can't resolve names",
            "redis out of memory",
            "x509 certificate expired",
            "502 bad gateway",
        ] {
            assert!(!looks_pasted(typed), "{typed}");
        }
    }
}
