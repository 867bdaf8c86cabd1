//! Search in inputs with Norwegian stemming: the Snowball Norwegian stemmer applied
//! to nynorsk and bokmål alike, so "barnehagar", "barnehagane" and "barnehagen" meet.
//! The register stores the stems of each input's text (" stem stem ") when the input
//! is stored or changed; a query's stems must each begin one of them.

use rust_stemmers::{Algorithm, Stemmer};

/// At most this many words of a query are searched for.
pub const MAX_QUERY_WORDS: usize = 10;

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

/// The stems a query searches for (letters and digits only, so no SQL wildcard).
pub fn query_tokens(query: &str) -> Vec<String> {
    let mut tokens = stems(query);
    tokens.dedup();
    tokens.truncate(MAX_QUERY_WORDS);
    tokens
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
    fn tokens_hold_no_wildcards() {
        for t in query_tokens("50% _x_ ' OR 1=1 --") {
            assert!(t.chars().all(char::is_alphanumeric), "{t}");
        }
    }
}
