//! Turning text into normalised words, the same way for the index and the
//! query, so that what the engineer types meets what the catalog says:
//! lowercase; `’` read as `'`; contractions spelt out (`can't`, `cannot` and
//! `unable` are one word, `doesn't` is `does not`); Snowball English stems
//! for alphabetic words longer than three letters (`resolving` and
//! `resolves` meet); words with digits kept as they are (`x509`, `k3s`, `502`).

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::LazyLock;

use hashbrown::HashMap;
use rust_stemmers::{Algorithm, Stemmer};

/// A word of a text and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalised (stemmed) word.
    pub word: String,
    /// Character index of its first character in the text.
    pub start: usize,
    /// Character index one past its last character.
    pub end: usize,
}

/// The stemmed words of a text.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for_each_stem(text, |word, start, end| tokens.push(Token { word: word.to_owned(), start, end }));
    tokens
}

/// Calls `visit(stem, start, end)` for each word of a text, as
/// [`for_each_word`] gives them, stemmed. Stems are memoised per thread,
/// without allocating for a word seen before: a keystroke's re-ranking stems
/// the same few hundred words of the best entries again and again.
pub fn for_each_stem(text: &str, mut visit: impl FnMut(&str, usize, usize)) {
    const MEMO_LIMIT: usize = 16 * 1024;
    thread_local! {
        static MEMO: RefCell<HashMap<Box<str>, Box<str>>> = RefCell::new(HashMap::new());
    }
    MEMO.with_borrow_mut(|memo| {
        for_each_word(text, |word, start, end| {
            if !stemmed(word) {
                return visit(word, start, end);
            }
            if let Some(stem) = memo.get(word) {
                return visit(stem, start, end);
            }
            if memo.len() >= MEMO_LIMIT {
                memo.clear();
            }
            let stem: Box<str> = stem(word).into();
            visit(&stem, start, end);
            memo.insert(word.into(), stem);
        });
    });
}

/// Calls `visit(word, start, end)` for each word of a text, lowercased and
/// with contractions spelt out but not stemmed, with the character positions
/// of the word as written (both words of `doesn't` cover all of it). One
/// buffer is reused: indexing a large catalog allocates only for new words.
pub fn for_each_word(text: &str, mut visit: impl FnMut(&str, usize, usize)) {
    let mut word = String::new();
    let mut chars = text.chars().enumerate().peekable();
    loop {
        while chars.next_if(|(_, c)| !c.is_alphanumeric()).is_some() {}
        let Some((start, first)) = chars.next() else { return };
        word.clear();
        push_lowercase(&mut word, first);
        let mut end = start + 1;
        loop {
            match chars.peek() {
                Some(&(i, c)) if c.is_alphanumeric() => {
                    push_lowercase(&mut word, c);
                    end = i + 1;
                    chars.next();
                }
                Some(&(_, '\'' | '’')) => {
                    chars.next();
                    if !chars.peek().is_some_and(|(_, c)| c.is_alphanumeric()) {
                        break;
                    }
                    word.push('\'');
                }
                _ => break,
            }
        }
        spell_out(&word, |word| visit(word, start, end));
    }
}

/// Contractions written without their apostrophe, as typed in a hurry.
const BARE_CONTRACTIONS: &[(&str, &str)] = &[
    ("arent", "are"),
    ("cant", "cannot"),
    ("couldnt", "could"),
    ("didnt", "did"),
    ("doesnt", "does"),
    ("dont", "do"),
    ("hadnt", "had"),
    ("hasnt", "has"),
    ("havent", "have"),
    ("isnt", "is"),
    ("shouldnt", "should"),
    ("wasnt", "was"),
    ("werent", "were"),
    ("wont", "will"),
    ("wouldnt", "would"),
];

/// Gives the word or words a written word stands for: `can't`, `cannot`,
/// `cant` and `unable` are `cannot`; `won't` is `will not`, any other
/// `Xn't` is `X not`; `'re`, `'ll`, `'ve`, `'d`, `'m` and `'s` are dropped;
/// other apostrophes are removed (`o'clock`).
fn spell_out(word: &str, mut emit: impl FnMut(&str)) {
    let (base, negated) = match word.rsplit_once('\'') {
        Some(("can" | "ca", "t")) => ("cannot", false),
        Some(("won", "t")) => ("will", true),
        Some(("n", "t")) => ("not", false),
        Some((base, "t")) if base.ends_with('n') => (&base[..base.len() - 1], true),
        Some((base, "re" | "ll" | "ve" | "d" | "m" | "s")) => (base, false),
        Some(_) => {
            emit(&word.replace('\'', ""));
            return;
        }
        None if word == "unable" => ("cannot", false),
        // Every bare contraction ends so; most words are spared the search.
        None if word.ends_with("nt") => match BARE_CONTRACTIONS.binary_search_by_key(&word, |(bare, _)| bare) {
            Ok(i) if BARE_CONTRACTIONS[i].1 == "cannot" => ("cannot", false),
            Ok(i) => (BARE_CONTRACTIONS[i].1, true),
            Err(_) => (word, false),
        },
        None => (word, false),
    };
    emit(base);
    if negated {
        emit("not");
    }
}

fn push_lowercase(word: &mut String, c: char) {
    if c.is_ascii() {
        word.push(c.to_ascii_lowercase());
    } else {
        word.extend(c.to_lowercase());
    }
}

/// The Snowball English stem of an alphabetic word longer than three
/// letters; any other word as it is.
pub fn stem(word: &str) -> Cow<'_, str> {
    if stemmed(word) { Stemmer::create(Algorithm::English).stem(word) } else { Cow::Borrowed(word) }
}

/// Whether a word is stemmed: alphabetic, longer than three letters.
fn stemmed(word: &str) -> bool {
    word.len() > 3 && word.bytes().all(|b| b.is_ascii_lowercase())
}

// Function words only: `no`, `not`, `out`, `down`, `such` stay, since
// they carry meaning in errors ("no such host", "out of memory").
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "already",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "each",
    "every",
    "everyone",
    "everything",
    "everywhere",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "inside",
    "into",
    "is",
    "it",
    "its",
    "just",
    "me",
    "my",
    "now",
    "of",
    "on",
    "only",
    "or",
    "our",
    "seem",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "until",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "within",
    "would",
    "yet",
    "you",
    "your",
];

/// Words too common to count, compared stemmed as the words they meet are
/// (`does` is seen as `doe`).
pub fn is_stopword(word: &str) -> bool {
    static STEMMED: LazyLock<Vec<String>> = LazyLock::new(|| {
        let mut stemmed: Vec<String> = STOPWORDS.iter().map(|word| stem(word).into_owned()).collect();
        stemmed.sort_unstable();
        stemmed
    });
    STEMMED.binary_search_by(|stop| stop.as_str().cmp(word)).is_ok()
}

/// Tokens that change from one occurrence of an error to the next: numbers
/// (but 3-digit status and exit codes), and hashes or ids mixing letters and
/// digits (pod suffixes, container ids, UUID parts).
pub fn is_volatile(word: &str) -> bool {
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let len = word.chars().count();
    if digits == len {
        return len != 3;
    }
    let hex = word.chars().all(|c| c.is_ascii_hexdigit());
    (len >= 5 && digits >= 2) || (hex && len >= 8 && digits > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.word).collect()
    }

    #[test]
    fn stop_words_are_recognised_as_the_index_sees_them() {
        for word in ["does", "everything", "the", "was", "being"] {
            let stemmed = tokens(word).remove(0).word;
            assert!(is_stopword(&stemmed), "{word} as {stemmed}");
        }
        assert!(!is_stopword("host") && !is_stopword("no") && !is_stopword("not"));
    }

    #[test]
    fn splits_lowercases_and_stems() {
        assert_eq!(words("Pods can't resolve Service names"), ["pod", "cannot", "resolv", "servic", "name"]);
        assert_eq!(words("OOMKilled: x509 max_client_conn k3s"), ["oomkil", "x509", "max", "client", "conn", "k3s"]);
        assert_eq!(words("resolving resolves resolved"), ["resolv", "resolv", "resolv"]);
        assert_eq!(words("failure failures replication replicas"), ["failur", "failur", "replic", "replica"]);
    }

    #[test]
    fn contractions_are_spelt_out() {
        for same in ["can't connect", "cannot connect", "cant connect", "unable to connect", "Can’t connect"] {
            let mut meaningful = words(same);
            meaningful.retain(|w| !is_stopword(w));
            assert_eq!(meaningful, ["cannot", "connect"], "{same}");
        }
        assert_eq!(words("doesn't start"), ["doe", "not", "start"]);
        assert_eq!(words("won't drain"), ["will", "not", "drain"]);
        assert_eq!(
            words("they're gone, we'll see, I've, it'd, I'm, redis's"),
            ["they", "gone", "we", "see", "i", "it", "i", "redi"]
        );
        assert_eq!(words("o'clock"), ["oclock"]);
        assert_eq!(words("n't"), ["not"]);
        assert!(BARE_CONTRACTIONS.windows(2).all(|pair| pair[0].0 < pair[1].0), "sorted: it is bisected");
    }

    #[test]
    fn positions_are_character_indices_of_the_written_word() {
        let t = tokens("é: Names");
        assert_eq!((t[1].start, t[1].end), (3, 8));
        let t = tokens("it isn't");
        assert_eq!((t[1].start, t[1].end, t[2].start, t[2].end), (3, 8, 3, 8));
    }

    #[test]
    fn volatile_tokens() {
        for v in ["10", "5432", "7d9f8b6c5", "x2k4p", "3f2a9c1e", "2026"] {
            assert!(is_volatile(v), "{v}");
        }
        for kept in ["502", "137", "x509", "k3s", "redis", "ipv4", "deadbeef"] {
            assert!(!is_volatile(kept), "{kept}");
        }
    }
}
