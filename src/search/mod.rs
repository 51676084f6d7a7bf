//! Search: from whatever the on-call engineer types or pastes to ranked
//! entries. Pure: no terminal.
//!
//! - [`text`]: words, normalised the same way for the index and the query.
//! - [`query`]: parsing of words, `"phrases"`, `!exclusions`, `field:filters`,
//!   and recognition of pasted log lines.
//! - [`index`]: the inverted index and ranking.
//! - [`score`]: word matching (exact, prefix, typo, fuzzy-matcher
//!   subsequence), field weights, highlighting.

pub mod index;
pub mod query;
pub mod score;
pub mod text;

pub use index::{Hit, Index, Results};
pub use query::Query;
pub use score::matched_ranges;
