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

/// One character as quotes are compared: lower case, and one form of each quotation
/// mark, apostrophe and dash, so a quote typed on a keyboard finds the typographic
/// text of the document ("Eldrerådet" finds "eldrerådet", `"helse"` finds «helse»).
fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{AB}' | '\u{BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        '\u{A0}' | '\u{202F}' => ' ',
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(one), None) => one,
                // A character whose lower case is longer stays as it is, so every
                // character folds to exactly one.
                _ => c,
            }
        }
    }
}

/// `text` folded character by character, with the byte offset in `text` of each
/// folded character (and of the end).
struct Folded {
    text: String,
    /// For each byte offset of a character in `text`: the byte offset in the original.
    original: std::collections::HashMap<usize, usize>,
}

impl Folded {
    fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut offsets = std::collections::HashMap::new();
        for (at, c) in original.char_indices() {
            offsets.insert(text.len(), at);
            text.push(fold(c));
        }
        offsets.insert(text.len(), original.len());
        Folded {
            text,
            original: offsets,
        }
    }

    /// The byte ranges in the original text where the folded `needle` occurs.
    fn matches(&self, needle: &str) -> Vec<(usize, usize)> {
        let needle: String = needle.chars().map(fold).collect();
        if needle.is_empty() {
            return Vec::new();
        }
        self.text
            .match_indices(&needle)
            .filter_map(|(start, found)| {
                Some((
                    *self.original.get(&start)?,
                    *self.original.get(&(start + found.len()))?,
                ))
            })
            .collect()
    }
}

/// Anchors `quote` in `body` at its first occurrence, ignoring differences of case,
/// white space and typographic quotation marks and dashes; the anchor keeps the
/// passage as the body writes it. `None` when it does not occur.
pub fn anchor(body: &str, quote: &str) -> Option<Anchor> {
    let body = normalise(body);
    let quote = normalise(quote);
    if quote.is_empty() {
        return None;
    }
    let (start, end) = *Folded::new(&body).matches(&quote).first()?;
    Some(Anchor {
        prefix: tail(&body[..start], CONTEXT_CHARS),
        suffix: body[end..].chars().take(CONTEXT_CHARS).collect(),
        quote: body[start..end].to_owned(),
    })
}

/// Finds an anchor in a (possibly edited) body: the occurrence of the quote whose
/// surroundings agree most with the stored context. Returns the byte range in the
/// normalised body, or `None` when the quote is gone.
pub fn locate(body: &str, anchor: &Anchor) -> Option<(usize, usize)> {
    let body = normalise(body);
    let score = |start: usize, end: usize| {
        let common_suffix = body[..start]
            .chars()
            .rev()
            .zip(anchor.prefix.chars().rev())
            .take_while(|(a, b)| fold(*a) == fold(*b))
            .count();
        let common_prefix = body[end..]
            .chars()
            .zip(anchor.suffix.chars())
            .take_while(|(a, b)| fold(*a) == fold(*b))
            .count();
        common_suffix + common_prefix
    };
    Folded::new(&body)
        .matches(&anchor.quote)
        .into_iter()
        .max_by_key(|&(start, end)| (score(start, end), std::cmp::Reverse(start)))
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

    #[test]
    fn a_typed_quote_finds_the_typographic_text_whatever_its_case() {
        let body = "«Leve heile livet» – reforma for eldre – gjeld «Eldrerådet» òg.";
        let a = anchor(body, "\"leve HEILE livet\" - reforma").expect("found");
        // The passage is kept as the document writes it.
        assert_eq!(a.quote, "«Leve heile livet» – reforma");
        let (start, end) = locate(body, &a).expect("located");
        assert_eq!(&normalise(body)[start..end], "«Leve heile livet» – reforma");
        assert!(anchor(body, "eldrerådet").is_some());
        assert!(anchor(body, "yngre").is_none());
        // A character whose lower case is longer still matches itself.
        let turkish = "Sjå İstanbul-avtalen.";
        let found = anchor(turkish, "İstanbul-avtalen").expect("found");
        assert_eq!(found.quote, "İstanbul-avtalen");
    }
}
