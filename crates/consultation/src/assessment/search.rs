//! Search in inputs with Norwegian stemming; the rule lives in `domain::search`, so
//! storage writes the same stems that the register's queries look for.

pub use domain::search::{MAX_QUERY_WORDS, query_tokens, search_tokens, stems};
