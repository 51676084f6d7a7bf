//! Turning text into normalised words: lowercase, apostrophes dropped
//! (`can't` → `cant`), a light stemmer (`pods` → `pod`, `killed` → `kill`), so
//! the index and the query meet on the same forms.

/// A word of a text and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalised word.
    pub word: String,
    /// Character index of its first character in the text.
    pub start: usize,
    /// Character index one past its last character.
    pub end: usize,
}

/// The words of a text: runs of letters and digits, apostrophes inside a
/// word skipped.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for_each_word(text, |word, start, end| tokens.push(Token { word: word.to_owned(), start, end }));
    tokens
}

/// Calls `visit(word, start, end)` for each normalised word of a text, with
/// character positions, reusing one buffer: indexing a large catalog
/// allocates only for words it has not seen.
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
                }
                _ => break,
            }
        }
        stem_in_place(&mut word);
        visit(&word, start, end);
    }
}

fn push_lowercase(word: &mut String, c: char) {
    if c.is_ascii() {
        word.push(c.to_ascii_lowercase());
    } else {
        word.extend(c.to_lowercase());
    }
}

/// Strips the commonest English endings so `pods`/`pod` and
/// `killed`/`kill` meet. Deliberately light: a wrong stem on both sides
/// still matches, an aggressive one merges unrelated words.
fn stem_in_place(word: &mut String) {
    let len = word.len();
    let plural = len >= 4 && word.ends_with('s') && !["ss", "us", "is"].iter().any(|end| word.ends_with(end));
    let cut = if len >= 6 && word.ends_with("ing") {
        3
    } else if len >= 5 && word.ends_with("ed") && !word.ends_with("eed") {
        2
    } else {
        usize::from(plural)
    };
    if cut > 0 && word.is_char_boundary(len - cut) {
        word.truncate(len - cut);
    }
}

// Function words only: `no`, `not`, `out`, `down`, `such` stay, since
// they carry meaning in errors ("no such host", "out of memory").
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
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
    "both",
    "but",
    "by",
    "can",
    "could",
    "do",
    "doe",
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
    "should",
    "so",
    "some",
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
    "you",
    "your",
];

/// Words too common to require or to count.
pub fn is_stopword(word: &str) -> bool {
    // Compared stemmed, as the words they meet are: `does` is seen as `doe`.
    static STEMMED: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let mut stemmed: Vec<String> = STOPWORDS
            .iter()
            .map(|word| {
                let mut word = (*word).to_owned();
                stem_in_place(&mut word);
                word
            })
            .collect();
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
        // `does` and `everything` meet the index stemmed (`doe`, `everyth`).
        for word in ["does", "everything", "the", "was"] {
            let stemmed = tokens(word).remove(0).word;
            assert!(is_stopword(&stemmed), "{word} as {stemmed}");
        }
        assert!(!is_stopword("host") && !is_stopword("no"));
    }

    #[test]
    fn splits_lowercases_and_stems() {
        assert_eq!(words("Pods can't resolve Service names"), ["pod", "cant", "resolve", "service", "name"]);
        assert_eq!(words("OOMKilled: x509 max_client_conn"), ["oomkill", "x509", "max", "client", "conn"]);
        assert_eq!(words("redis status processes exceeded"), ["redis", "status", "processe", "exceed"]);
    }

    #[test]
    fn positions_are_character_indices() {
        let t = tokens("é: Names");
        assert_eq!((t[1].start, t[1].end), (3, 8));
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
