//! Search: from whatever the on-call engineer types or pastes to ranked
//! entries. Pure: no terminal.
//!
//! - [`text`]: words, normalised the same way for the index and the query.
//! - [`query`]: parsing of words, `"phrases"`, `!exclusions`, `field:filters`,
//!   and telling pasted log lines from typed words.
//! - [`index`]: the inverted index with BM25F weights, and ranking.
//! - [`score`]: misspellings (typos, fuzzy-matcher subsequences) and
//!   highlighting; prefixes are ranges of the index's sorted vocabulary.
//! - [`english`]: common English words, which are never taken for typos.

pub mod english;
pub mod index;
pub mod query;
pub mod score;
pub mod text;

pub use index::{Hit, Index, Results};
pub use query::{Query, Term};
pub use score::Matched;
