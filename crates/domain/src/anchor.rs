//! Comments anchored to a quoted passage. The quote is stored with some text before
//! and after it, so the passage can be found again after the section is edited, or in
//! a new version, as long as the quoted words themselves are still there.

use serde::{Deserialize, Serialize};

/// How much context is kept on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;
pub const MAX_QUOTE_CHARS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
}

/// Collapses runs of white space, so a quote taken from the rendered page matches the
/// Markdown source whatever its line breaks.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn tail(text: &str, chars: usize) -> String {
    let count = text.chars().count();
    text.chars().skip(count.saturating_sub(chars)).collect()
}

/// Anchors `quote` in `body` at its first occurrence; `None` when it does not occur.
pub fn anchor(body: &str, quote: &str) -> Option<Anchor> {
    let body = normalise(body);
    let quote = normalise(quote);
    if quote.is_empty() {
        return None;
    }
    let start = body.find(&quote)?;
    let end = start + quote.len();
    Some(Anchor {
        prefix: tail(&body[..start], CONTEXT_CHARS),
        suffix: body[end..].chars().take(CONTEXT_CHARS).collect(),
        quote,
    })
}

/// Finds an anchor in a (possibly edited) body: the occurrence of the quote whose
/// surroundings agree most with the stored context. Returns the byte range in the
/// normalised body, or `None` when the quote is gone.
pub fn locate(body: &str, anchor: &Anchor) -> Option<(usize, usize)> {
    let body = normalise(body);
    let score = |start: usize| {
        let before = &body[..start];
        let after = &body[start + anchor.quote.len()..];
        let common_suffix = before
            .chars()
            .rev()
            .zip(anchor.prefix.chars().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let common_prefix = after
            .chars()
            .zip(anchor.suffix.chars())
            .take_while(|(a, b)| a == b)
            .count();
        common_suffix + common_prefix
    };
    body.match_indices(&anchor.quote)
        .map(|(start, _)| start)
        .max_by_key(|&start| (score(start), std::cmp::Reverse(start)))
        .map(|start| (start, start + anchor.quote.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_survive_line_breaks_and_edits_around_them() {
        let body = "Vi skal byggje fleire\nomsorgsbustader i sentrum.";
        let a = anchor(body, "fleire omsorgsbustader").expect("found");
        assert_eq!(a.prefix, "Vi skal byggje ");
        assert_eq!(a.suffix, " i sentrum.");
        let edited = "Innleiing. Vi skal byggje fleire omsorgsbustader i sentrum og på bygdene.";
        let (start, end) = locate(edited, &a).expect("still there");
        assert_eq!(&normalise(edited)[start..end], "fleire omsorgsbustader");
        assert!(locate("Heilt ny tekst.", &a).is_none());
        assert!(anchor(body, "ikkje her").is_none());
        assert!(anchor(body, "   ").is_none());
    }

    #[test]
    fn the_context_picks_the_right_occurrence() {
        let body = "Tiltak: meir personale. Mål: meir personale i heimetenesta.";
        let a = anchor(body, "meir personale").expect("found");
        let second = Anchor {
            quote: "meir personale".into(),
            prefix: "personale. Mål: ".into(),
            suffix: " i heimetenesta.".into(),
        };
        let (start, _) = locate(body, &second).expect("found");
        assert_eq!(
            start,
            normalise(body).rfind("meir personale").expect("twice")
        );
        let (start, _) = locate(body, &a).expect("found");
        assert_eq!(start, normalise(body).find("meir personale").expect("once"));
    }
}
