//! Search in inputs with Norwegian stemming: the Snowball Norwegian stemmer applied
//! to nynorsk and bokmål alike, so "barnehagar", "barnehagane" and "barnehagen" meet.
//! The register stores the stems of each input's text when the input is stored or
//! changed, one row per stem in an indexed table; a query's stems must each begin
//! one of them, which the database answers as a range of that index
//! (`stem >= token AND stem < prefix_end(token)`).

use rust_stemmers::{Algorithm, Stemmer};

/// At most this many words of a query are searched for.
pub const MAX_QUERY_WORDS: usize = 10;

/// The search index keeps a stem's first this many characters (a database index
/// entry has a size limit); a query's stems are cut alike, so a query word matches
/// what it matched before unless both words are longer than this.
pub const MAX_STEM_CHARS: usize = 60;

fn cut(stem: String) -> String {
    match stem.char_indices().nth(MAX_STEM_CHARS) {
        Some((at, _)) => stem[..at].to_owned(),
        None => stem,
    }
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The stems of a text's words, in order, with repeats.
pub fn stems(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::Norwegian);
    words(text)
        .map(|w| stemmer.stem(&w).into_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// What the register stores for a text: each stem once, between spaces.
pub fn search_tokens(text: &str) -> String {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = String::from(" ");
    for stem in stems(text) {
        if seen.insert(stem.clone()) {
            out.push_str(&stem);
            out.push(' ');
        }
    }
    out
}

/// What the search index stores for a text: each stem once, cut to
/// [`MAX_STEM_CHARS`], in order.
pub fn index_stems(text: &str) -> Vec<String> {
    let set: std::collections::BTreeSet<String> = stems(text).into_iter().map(cut).collect();
    set.into_iter().collect()
}

/// The stems a query searches for (letters and digits only, so no SQL wildcard),
/// cut like the stored ones.
pub fn query_tokens(query: &str) -> Vec<String> {
    let mut tokens: Vec<String> = stems(query).into_iter().map(cut).collect();
    tokens.dedup();
    tokens.truncate(MAX_QUERY_WORDS);
    tokens
}

/// The least string greater than every string that begins with `prefix`, in the
/// order of code points (which is the byte order of UTF-8, the order of SQLite's
/// `BINARY` and PostgreSQL's `"C"` collation): the strings beginning with `prefix`
/// are exactly those `>= prefix` and `< prefix_end(prefix)`. The last character
/// that can be raised is raised and what follows it dropped; `None` when none can
/// (every string from `prefix` on begins with it).
pub fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last as u32 + 1 {
            0xD800 => Some('\u{E000}'),
            n => char::from_u32(n),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(query: &str, text: &str) -> bool {
        let stored = search_tokens(text);
        query_tokens(query)
            .iter()
            .all(|t| stored.contains(&format!(" {t}")))
    }

    #[test]
    fn nynorsk_and_bokmal_forms_meet() {
        assert!(found("barnehagar", "Vi treng fleire barnehagar i bygda."));
        assert!(found("barnehagen", "Vi treng fleire barnehagar i bygda."));
        assert!(found("barnehager", "Barnehagane må liggje nær skulen."));
        assert!(found("Eldreråd", "eldrerådet ønskjer møte"));
        assert!(!found("skule", "Vi treng fleire barnehagar."));
    }

    #[test]
    fn the_index_range_holds_exactly_the_words_a_token_begins() {
        let end = prefix_end("barnehag").expect("an end");
        assert_eq!(end, "barnehah");
        for word in ["barnehag", "barnehage", "barnehagområde", "barnehagzzz"] {
            assert!(word >= "barnehag" && word < end.as_str(), "{word}");
        }
        for word in ["barnehaf", "barnehah", "barneha", "bas"] {
            assert!(!(word >= "barnehag" && word < end.as_str()), "{word}");
        }
        assert_eq!(prefix_end("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{10FFFF}"), None);
        assert_eq!(prefix_end("å").as_deref(), Some("æ"));
    }

    #[test]
    fn stored_and_searched_stems_are_cut_alike() {
        let long = "a".repeat(200);
        let stored = index_stems(&format!("{long} barnehagar barnehagar"));
        assert_eq!(stored.len(), 2, "{stored:?}");
        assert!(stored.iter().all(|s| s.chars().count() <= MAX_STEM_CHARS));
        let query = query_tokens(&long);
        assert!(stored.contains(&query[0]));
    }

    #[test]
    fn tokens_hold_no_wildcards() {
        for t in query_tokens("50% _x_ ' OR 1=1 --") {
            assert!(t.chars().all(char::is_alphanumeric), "{t}");
        }
    }
}
