//! What the user typed or pasted, parsed: words (any of which may match),
//! `"phrases"`, `!excluded` words and `field:value` filters (which every hit
//! must satisfy), or a pasted log line.

use super::english::is_english;
use super::text::{for_each_word, is_stopword, is_volatile, stem, tokens};
use crate::catalog::Kind;

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Normalised words; an entry scores for each it has.
    pub terms: Vec<Term>,
    /// Lowercased phrases that must appear as they are.
    pub phrases: Vec<String>,
    /// Words no hit may contain, lowercased as written (unstemmed, so that
    /// one still being typed is matched as the beginning of a word).
    pub excluded: Vec<String>,
    /// `layer:` filters (a hit's layer must start with one of them).
    pub layers: Vec<String>,
    /// `tag:` filters (a hit must have a tag starting with each).
    pub tags: Vec<String>,
    /// `kind:` filter.
    pub kind: Option<Kind>,
    /// Whether the input looked like a pasted log line; then `terms` holds its
    /// distinctive words, matched exactly, and the syntax above is not applied.
    pub pasted: bool,
    /// Whether the last word is still being typed (no space after it): it
    /// also matches the words it begins.
    pub open_end: bool,
    /// Whether it asks how to do something ("how do I…", "restart…"):
    /// runbooks rank higher.
    pub task: bool,
    /// The input, lowercased, when it is one word: the entry with exactly this
    /// id ranks first, however its words score elsewhere.
    pub id: Option<String>,
}

/// A word of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Normalised as the index's words are.
    pub word: String,
    /// Whether it is a common English word as typed: such a word is never
    /// taken for a misspelling of another.
    pub common: bool,
}

impl Term {
    fn new(written: &str) -> Term {
        Term { word: stem(written).into_owned(), common: is_english(written) }
    }
}

impl Query {
    /// Parses user input. A pasted log line is recognised first, so quotes and
    /// colons in it are not taken for query syntax.
    #[must_use]
    pub fn parse(input: &str) -> Query {
        let mut query = if looks_pasted(input) { Query::pasted(input) } else { Query::typed(input) };
        // More words than anyone types: prose pasted from somewhere, matched
        // exactly rather than each word guessed at.
        if query.terms.len() > MOST_TYPED_WORDS {
            query = Query::pasted(input);
        }
        let word = input.trim();
        if !word.is_empty() && !word.contains(char::is_whitespace) {
            query.id = Some(word.to_lowercase());
        }
        query
    }

    fn pasted(input: &str) -> Query {
        let mut terms = Vec::new();
        for_each_word(input, |word, _, _| {
            let word = stem(word);
            if !is_volatile(&word) && !is_stopword(&word) {
                terms.push(Term { word: word.into_owned(), common: false });
            }
        });
        dedup_in_order(&mut terms);
        Query { terms, pasted: true, ..Query::default() }
    }

    fn typed(input: &str) -> Query {
        let mut query = Query {
            open_end: input.ends_with(|c: char| !c.is_whitespace()),
            task: asks_how(input),
            ..Query::default()
        };
        // Every word typed outside phrases and syntax, and those of them
        // that count: not function words, not measures.
        let mut given = Vec::new();
        let mut counted = Vec::new();
        let mut rest = input;
        while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
            rest = &rest[start..];
            if let Some(after) = rest.strip_prefix('"') {
                let end = after.find('"').unwrap_or(after.len());
                let phrase = after[..end].trim().to_lowercase();
                if !phrase.is_empty() {
                    query.phrases.push(phrase);
                }
                // A closed phrase is a finished word.
                if end < after.len() && after[end + 1..].trim().is_empty() {
                    query.open_end = false;
                }
                rest = after.get(end + 1..).unwrap_or("");
                continue;
            }
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let (piece, after) = rest.split_at(end);
            rest = after;
            if query.apply_syntax(piece) {
                continue;
            }
            let next = after.split_whitespace().next();
            let words =
                |piece: &str, into: &mut Vec<Term>| for_each_word(piece, |word, _, _| into.push(Term::new(word)));
            // "every 15 minutes", "2 of 3 nodes": how much, not what; the
            // unit goes with its number.
            match measure(piece, next) {
                None => {
                    let from = given.len();
                    words(piece, &mut given);
                    counted.extend(given[from..].iter().filter(|t| !is_stopword(&t.word)).cloned());
                }
                Some(Measure::Alone) => words(piece, &mut given),
                Some(Measure::WithUnit) => {
                    words(piece, &mut given);
                    words(next.unwrap_or_default(), &mut given);
                    rest = after.trim_start().get(next.map_or(0, str::len)..).unwrap_or("");
                }
            }
        }
        // Only function words or measures ("42", "the"), and nothing else to
        // search by: search them anyway.
        let nothing_else =
            query.phrases.is_empty() && query.layers.is_empty() && query.tags.is_empty() && query.kind.is_none();
        query.terms = if counted.is_empty() && nothing_else { given } else { counted };
        dedup_in_order(&mut query.terms);
        query
    }

    /// Takes a piece of typed input that is query syntax (`!word`,
    /// `layer:`, `tag:`, `kind:`), saying whether it was.
    fn apply_syntax(&mut self, word: &str) -> bool {
        if let Some(excluded) =
            word.strip_prefix('!').filter(|rest| !rest.starts_with(|c: char| c.is_ascii_punctuation()))
        {
            for_each_word(excluded, |word, _, _| self.excluded.push(word.to_owned()));
            return true;
        }
        let Some((field, value)) = word.split_once(':') else { return false };
        let value = value.to_lowercase();
        match field.to_lowercase().as_str() {
            "layer" if !value.is_empty() => self.layers.push(value),
            "tag" if !value.is_empty() => self.tags.push(value),
            "kind" if !value.is_empty() && "runbook".starts_with(&value) => self.kind = Some(Kind::Runbook),
            "kind" if !value.is_empty() && "failure".starts_with(&value) => self.kind = Some(Kind::Failure),
            _ => return false,
        }
        true
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

fn dedup_in_order(terms: &mut Vec<Term>) {
    let mut seen = std::collections::HashSet::new();
    terms.retain(|t| seen.insert(t.word.clone()));
}

/// More distinct words than a person types into a search.
const MOST_TYPED_WORDS: usize = 64;

/// Verbs that begin a request to carry something out, as the imperative
/// starts a runbook's title: "restart the workers". Sorted (a test checks).
const TASK_VERBS: &[&str] = &[
    "bypass",
    "clean",
    "clear",
    "delete",
    "drain",
    "dump",
    "failover",
    "flush",
    "free",
    "invalidate",
    "migrate",
    "promote",
    "purge",
    "reboot",
    "rebuild",
    "recreate",
    "reinstall",
    "renew",
    "replace",
    "reset",
    "restart",
    "restore",
    "revert",
    "rollback",
    "rotate",
    "scale",
    "switch",
    "undo",
    "unseal",
    "upgrade",
];

/// Tasks said in two words, whose first alone says nothing ("fail to
/// connect" is a symptom).
const TASK_PHRASES: &[[&str; 2]] = &[["fail", "over"], ["roll", "back"]];

/// Whether typed words ask how to do something: "how do I…", "how to…",
/// "steps to…" anywhere, "…, how?" at the end, or a task verb first.
fn asks_how(input: &str) -> bool {
    let mut words = Vec::new();
    for_each_word(input, |word, _, _| words.push(word.to_owned()));
    let asks = words.windows(2).any(|pair| {
        matches!(
            [pair[0].as_str(), pair[1].as_str()],
            ["how", "do" | "can" | "should" | "to" | "would"] | ["steps", "to"]
        )
    });
    let ends_how = words.last().is_some_and(|w| w == "how") && input.trim_end().ends_with('?');
    let verb_first = words.first().is_some_and(|w| TASK_VERBS.binary_search(&w.as_str()).is_ok())
        || TASK_PHRASES.iter().any(|phrase| words.len() >= 2 && phrase == &[words[0].as_str(), words[1].as_str()]);
    asks || ends_how || verb_first
}

/// Whether input looks pasted from a log, an alert or a terminal rather than
/// typed. Machine output carries marks people do not type (brackets, `=`,
/// quotes, `key:`, dates, times and addresses, dotted names, paths,
/// `snake_case` and `camelCase`, log levels in capitals, ids and hashes) and
/// few function words; a sentence of on-call prose has function words and,
/// at most, a number with its unit ("every 15 minutes").
#[must_use]
pub fn looks_pasted(input: &str) -> bool {
    let pieces: Vec<&str> = input.split_whitespace().collect();
    if pieces.len() < 3 {
        return false;
    }
    // Exclusions and filters are query syntax, so the input was typed.
    let has_syntax = pieces.iter().any(|w| {
        w.strip_prefix('!').is_some_and(|rest| rest.starts_with(char::is_alphanumeric))
            || ["layer:", "tag:", "kind:"].iter().any(|f| w.to_lowercase().starts_with(f))
    });
    if has_syntax {
        return false;
    }
    let mixed_case = input.chars().any(char::is_lowercase);
    let marks_in = |pieces: &[&str]| -> usize {
        pieces.iter().enumerate().map(|(i, piece)| machine_marks(piece, pieces.get(i + 1).copied(), mixed_case)).sum()
    };
    // Quotes are a mark only around machine output: plain words in quotes
    // are a phrase typed as query syntax ("no such host").
    let unquoted = input.replace('"', " ");
    let quoted_output =
        input.split('"').skip(1).step_by(2).any(|quoted| marks_in(&quoted.split_whitespace().collect::<Vec<_>>()) > 0);
    let marks = marks_in(&unquoted.split_whitespace().collect::<Vec<_>>()) + usize::from(quoted_output);
    let words = tokens(input);
    #[allow(clippy::cast_precision_loss)] // word counts are small
    let function_share = words.iter().filter(|t| is_stopword(&t.word)).count() as f32 / words.len().max(1) as f32;
    // Each mark makes a higher share of function words needed to be prose;
    // a few typed words have none, so one mark is not enough there
    // ("CoreDNS pods crashing").
    #[allow(clippy::cast_precision_loss)]
    let prose_share = 0.2 + 0.1 * marks as f32;
    marks > 0 && function_share < prose_share && (marks >= 2 || pieces.len() >= 5)
}

/// Units a typed number is followed by: "every 15 minutes", "95 percent".
const UNITS: &[&str] = &[
    "%", "am", "b", "d", "day", "days", "gb", "gi", "gib", "h", "hour", "hours", "hr", "hrs", "k", "kb", "ki", "m",
    "mb", "mi", "mib", "min", "mins", "minute", "minutes", "month", "months", "ms", "percent", "pm", "req", "requests",
    "rps", "s", "sec", "second", "seconds", "secs", "tb", "times", "week", "weeks", "x", "year", "years",
];

/// Units that count things: after an HTTP status they name what failed
/// ("429 requests", "502s"), not how much.
const COUNTS: &[&str] = &["req", "requests", "s", "times", "x"];

/// A measure in typed input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// A small count ("2 of 3 nodes") or a number with its unit attached
    /// ("256MB", "95%", "3am").
    Alone,
    /// A number whose unit is the next piece ("15 minutes").
    WithUnit,
}

/// Whether a piece of typed input is a measure, and whether it takes the
/// next piece as its unit. An HTTP status counted is not one: "502s" and
/// "429 requests" name what failed ("500 ms" is a measure).
fn measure(piece: &str, next: Option<&str>) -> Option<Measure> {
    let word = piece.trim_matches(|c: char| !c.is_alphanumeric() && c != '%');
    let (number, unit) = word.split_at(word.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(word.len()));
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let status = number.len() == 3
        && number.bytes().all(|b| b.is_ascii_digit())
        && ('1'..='5').contains(&number.chars().next().unwrap_or('0'));
    let is_unit = |unit: &str| {
        let unit = unit.to_lowercase();
        UNITS.contains(&unit.as_str()) && !(status && COUNTS.contains(&unit.as_str()))
    };
    if !unit.is_empty() {
        return is_unit(unit).then_some(Measure::Alone);
    }
    if next.is_some_and(|next| is_unit(next.trim_end_matches(|c: char| c.is_ascii_punctuation() && c != '%'))) {
        return Some(Measure::WithUnit);
    }
    (number.len() <= 2).then_some(Measure::Alone)
}

/// Log levels as loggers print them, a mark of machine output where words
/// around them are in lower case; other capitals are acronyms people type
/// (SMTP, OIDC, NGINX).
const LOG_LEVELS: &[&str] = &[
    "CRIT", "CRITICAL", "DEBUG", "EMERG", "ERROR", "FATAL", "INFO", "NOTICE", "PANIC", "SEVERE", "TRACE", "WARN",
    "WARNING",
];

/// How many kinds of machine mark one whitespace-separated piece of the
/// input carries: `FATAL:` has two (a log level and a `key:`), as does
/// `kafka.common.NotLeaderException` (dotted and camelCase).
fn machine_marks(piece: &str, next: Option<&str>, mixed_case: bool) -> usize {
    // "1.5s", "2.5k": typed measures, not dotted names.
    if measure(piece, next).is_some() {
        return 0;
    }
    let chars: Vec<char> = piece.chars().collect();
    let between = |mark: char| {
        (1..chars.len().saturating_sub(1))
            .any(|i| chars[i] == mark && chars[i - 1].is_alphanumeric() && chars[i + 1].is_alphanumeric())
    };
    let letters = chars.iter().filter(|c| c.is_alphabetic()).count();
    let quoted = piece.contains(['[', ']', '{', '}', '(', ')', '<', '>', '=', '`']) || piece.starts_with('\'');
    let keyed = between(':') || (chars.len() > 1 && piece.ends_with(':') && chars[chars.len() - 2].is_alphanumeric());
    let snake = between('_');
    let path = piece.matches('/').count() >= 2;
    let dotted = between('.') && letters > 0;
    let numeric =
        piece.chars().any(|c| c.is_ascii_digit()) && piece.chars().all(|c| c.is_ascii_digit() || ".:-/,%".contains(c));
    // Dates, times, addresses: digits held together by separators.
    let stamp = numeric && piece.chars().filter(|c| ".:-/".contains(*c)).count() >= 2;
    let camel = chars.windows(2).any(|pair| pair[0].is_lowercase() && pair[1].is_uppercase());
    let word = piece.trim_matches(|c: char| !c.is_alphanumeric());
    let level = mixed_case && LOG_LEVELS.contains(&word);
    // An id, a hash or a long number; not a number people type ("port 5432").
    let typed_number = word.len() <= 4 && word.chars().all(|c| c.is_ascii_digit());
    let volatile = !word.is_empty() && is_volatile(&word.to_lowercase()) && !typed_number;
    [quoted, keyed, snake, path, dotted, stamp, camel, level, volatile].into_iter().filter(|&mark| mark).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(query: &Query) -> Vec<&str> {
        query.terms.iter().map(|t| t.word.as_str()).collect()
    }

    #[test]
    fn words_phrases_exclusions_and_filters() {
        let q = Query::parse(r#"redis "out of memory" !sentinel layer:data tag:cache kind:fail pods"#);
        assert_eq!(words(&q), ["redi", "pod"]);
        assert_eq!(q.phrases, ["out of memory"]);
        assert_eq!(q.excluded, ["sentinel"]);
        assert_eq!(q.layers, ["data"]);
        assert_eq!(q.tags, ["cache"]);
        assert_eq!(q.kind, Some(Kind::Failure));
        assert!(!q.pasted && q.open_end);
    }

    #[test]
    fn stop_words_do_not_count_unless_alone() {
        assert_eq!(
            words(&Query::parse("pods can't resolve the service names")),
            ["pod", "cannot", "resolv", "servic", "name"]
        );
        assert_eq!(words(&Query::parse("the")), ["the"]);
    }

    #[test]
    fn english_words_are_marked_so_they_are_not_taken_for_typos() {
        let q = Query::parse("sitting pgbouncr");
        assert_eq!(q.terms.iter().map(|t| t.common).collect::<Vec<_>>(), [true, false]);
    }

    #[test]
    fn the_last_word_is_open_until_a_space_follows_it() {
        assert!(Query::parse("redis conn").open_end);
        assert!(!Query::parse("redis conn ").open_end);
        assert!(!Query::parse("\"no such host\"").open_end);
    }

    #[test]
    fn a_single_word_may_be_an_id() {
        assert_eq!(Query::parse(" CoreDNS-down ").id.as_deref(), Some("coredns-down"));
        assert_eq!(Query::parse("coredns down").id, None);
        assert_eq!(Query::parse("").id, None);
    }

    #[test]
    fn measures_are_not_searched_for() {
        let q = Query::parse("disk at 95% for 20 minutes on 2 of 3 nodes, 256 MB free, port 5432, since 3am");
        assert_eq!(words(&q), ["disk", "node", "free", "port", "5432"]);
        assert_eq!(words(&Query::parse("502 after upgrade to 1.28")), ["502", "upgrad", "1", "28"]);
        // HTTP statuses name what failed.
        assert_eq!(words(&Query::parse("500s and 502s")), ["500s", "502s"]);
        assert_eq!(words(&Query::parse("too many 429 requests")), ["mani", "429", "request"]);
        let measured = Query::parse("latency 1.5s, 2.5k rps, 100k keys, restarted 5 times in 500 ms");
        assert_eq!(words(&measured), ["latenc", "rps", "key", "restart"]);
        // Only measures or function words: searched as they are.
        assert_eq!(words(&Query::parse("42")), ["42"]);
        assert_eq!(words(&Query::parse("2 of 3")), ["2", "of", "3"]);
        assert_eq!(words(&Query::parse("the !redis")), ["the"]);
        // With a phrase or a filter to search by, they are dropped.
        assert!(Query::parse("kind:runbook 2").terms.is_empty());
        assert!(Query::parse(r#""no such host" for 2 hours"#).terms.is_empty());
    }

    #[test]
    fn unknown_fields_are_plain_words() {
        assert_eq!(words(&Query::parse("error: host:port")), ["error", "host", "port"]);
    }

    #[test]
    fn an_unterminated_quote_takes_the_rest() {
        assert_eq!(Query::parse("\"no such ho").phrases, ["no such ho"]);
    }

    #[test]
    fn word_lists_searched_by_bisection_are_sorted() {
        assert!(TASK_VERBS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn more_words_than_anyone_types_are_a_paste() {
        let prose: Vec<String> =
            (0..100u8).map(|i| format!("w{}{}", char::from(b'a' + i / 26), char::from(b'a' + i % 26))).collect();
        assert!(!looks_pasted(&prose.join(" ")));
        assert!(Query::parse(&prose.join(" ")).pasted);
        assert!(!Query::parse(&prose[..60].join(" ")).pasted);
    }

    #[test]
    fn tasks_are_recognised() {
        for task in [
            "reboot the node",
            "rebuild the cluster",
            "roll back the deploy",
            "how do I roll back the deploy",
            "how to renew the cert",
            "steps to drain a node",
            "Restart the workers",
            "fail over redis",
        ] {
            assert!(Query::parse(task).task, "{task}");
        }
        for symptom in [
            "workers restarting",
            "how long will the failover last",
            "redis failover failed",
            "fail to connect to postgres",
        ] {
            assert!(!Query::parse(symptom).task, "{symptom}");
        }
    }

    #[test]
    fn pasted_log_lines_are_recognised_and_lose_volatile_tokens() {
        let q = Query::parse("dial tcp: lookup db.prod.svc.cluster.local on 10.43.0.10:53: no such host");
        assert!(q.pasted);
        assert_eq!(words(&q), ["dial", "tcp", "lookup", "db", "prod", "svc", "cluster", "local", "no", "such", "host"]);
        let q = Query::parse(
            r#"2026-03-11T04:12:09Z Warning FailedAttachVolume pod/redis-0 Multi-Attach error for volume "pvc-7f3a9c2e-11aa" Volume is already exclusively attached"#,
        );
        assert!(q.pasted);
        assert!(q.phrases.is_empty());
        assert!(words(&q).contains(&"multi") && !words(&q).iter().any(|t| t.contains("7f3a")));
    }

    #[test]
    fn machine_output_is_pasted() {
        for pasted in [
            "dial tcp: lookup db on 10.43.0.10:53: no such host",
            "FATAL: sorry, too many clients already",
            "Error 526 Ray ID: 8a1b2c3d4e5f6071 • 2026-03-11 04:12:09 UTC Invalid SSL certificate",
            "0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }",
            "Back-off restarting failed container api in pod api-7d9f8b6c5-x2k4p_production",
            "kafka.common.NotLeaderForPartitionException on topic orders",
            "no pg_hba.conf entry for host 10.0.3.7, user app, database app",
            "WARN  [ReplicaManager broker=2] Shrinking ISR from 1,2,3 to 2",
            "curl: (60) SSL certificate problem: certificate has expired",
            r#"level=error msg="failed to push metrics" err="context deadline exceeded""#,
            r#""reason" : "[parent] Data too large, data for [<http_request>] would be [31023424512/28.8gb]""#,
            "panic: assertion failed: left != right at src/main.rs:10",
        ] {
            assert!(looks_pasted(pasted), "{pasted}");
        }
    }

    #[test]
    fn typed_sentences_are_typed_even_with_numbers() {
        for typed in [
            "pgbouncr",
            "pods can't resolve names",
            "redis out of memory",
            "x509 certificate expired",
            "502 bad gateway",
            "pods keep restarting every 15 minutes since the deploy at 3am",
            "disk on node 2 is at 95 percent and pods are getting evicted",
            "2 of 3 nodes went down and the API is not answering",
            "the database takes about 500 ms to answer since the upgrade to 1.28",
            "how do I roll back the deploy from 20 minutes ago?",
            "DNS lookups from the pods fail after the CoreDNS restart",
            "users in Australia say the site has been down for 20 min",
            "postgres on port 5432 refuses connections from the app",
            "SMTP mails stuck",
            "OIDC login brokn",
            "HTTP 502 from NGINX ingress",
            "CoreDNS pods crashing",
            r#"pods "no such host""#,
            r#"redis "out of memory" pods"#,
            r#""no such host" when i try to reach db.svc"#,
            "\"no such host\" from the api pods",
        ] {
            assert!(!looks_pasted(typed), "{typed}");
        }
    }
}
