//! Text as the analyses compare it: normalised words, stems without stop words,
//! and sentences with their place in the input (in characters).

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::sync::OnceLock;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Characters that join the parts of a word when they stand between letters or
/// digits ("e-post", "Nord-Noreg", "o'Brien"): every hyphen, dash and apostrophe.
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2212}'
            | '\''
            | '\u{2018}'
            | '\u{2019}'
            | '\u{02BC}'
    )
}

/// The text as the grouping compares it: compatibility forms folded (NFKC: ligatures,
/// full-width letters, non-breaking spaces), lower case, typographic quotes, dashes and
/// all other punctuation dropped (a hyphen or apostrophe inside a word joins its
/// parts, so "e-post" and "e‑post" and "epost" meet), runs of white space as one space.
pub fn normalise(text: &str) -> String {
    let folded: std::borrow::Cow<'_, str> = match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => text.into(),
        _ => text.nfkc().collect::<String>().into(),
    };
    let mut out = String::with_capacity(folded.len());
    let mut chars = folded.chars().peekable();
    let mut last_alnum = false;
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
            last_alnum = true;
        } else if c == '\u{00AD}' {
            // A soft hyphen is never part of the text.
        } else if is_joiner(c) && last_alnum && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            // Joins the word's parts.
        } else {
            if last_alnum {
                out.push(' ');
            }
            last_alnum = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The Snowball Norwegian stemmer (used for nynorsk and bokmål alike, as the
/// register's search does in `domain::search`).
pub(crate) fn stemmer() -> Stemmer {
    Stemmer::create(Algorithm::Norwegian)
}

/// Norwegian stop words, nynorsk and bokmål, from `stop_words.txt`.
pub fn stop_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("stop_words.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect()
    })
}

/// A word of the text that carries meaning: its stem and the form it was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub stem: String,
    pub word: String,
}

/// The words of a text that carry meaning: stop words, numbers and words of one or
/// two letters left out, the rest stemmed.
pub(crate) fn terms(text: &str, stemmer: &Stemmer) -> Vec<Term> {
    let stop = stop_words();
    normalise(text)
        .split(' ')
        .filter(|w| w.chars().count() > 2 && !stop.contains(w))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(|w| Term {
            stem: stemmer.stem(w).into_owned(),
            word: w.to_owned(),
        })
        .collect()
}

/// A sentence of an input: its place in characters (start inclusive, end exclusive)
/// and its text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Abbreviations that end with a full stop without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "t.d", "td", "f.eks", "feks", "bl.a", "bla", "m.a", "ma", "nr", "jf", "jfr", "kap", "ca",
    "dvs", "mv", "m.v", "osv", "o.l", "ol", "pkt", "ref", "tlf", "evt", "ev", "inkl", "ekskl",
    "kl", "st", "gnr", "bnr", "mrk", "sk", "dr", "prof", "mill", "mrd", "kr", "pr", "vs", "iflg",
    "ifølge", "m.m", "mm", "o.a", "oa", "a.s", "as", "sml", "s", "pst",
];

/// The sentences of a text. A sentence ends at `.`, `!`, `?` or `…` followed by white
/// space and a capital letter, digit or opening quote (not after a known abbreviation
/// or a single letter), at a line break that ends a paragraph or a list item, and at
/// the end of the text. Sentences are trimmed; empty ones are left out.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let push = |out: &mut Vec<Sentence>, from: usize, to: usize| {
        let mut a = from;
        let mut b = to;
        while a < b && chars[a].is_whitespace() {
            a += 1;
        }
        while b > a && chars[b - 1].is_whitespace() {
            b -= 1;
        }
        // Bullets and dashes that open a list item are not part of the sentence.
        while a < b && matches!(chars[a], '-' | '*' | '•' | '–' | '—') {
            a += 1;
            while a < b && chars[a].is_whitespace() {
                a += 1;
            }
        }
        if chars[a..b].iter().any(|c| c.is_alphanumeric()) {
            out.push(Sentence {
                start: a,
                end: b,
                text: chars[a..b].iter().collect(),
            });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            // A blank line, or a line break before a list item, ends the sentence.
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_whitespace() && chars[j] != '\n' {
                j += 1;
            }
            let next = chars.get(j).copied();
            let previous_ends = chars[start..i]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace())
                .is_some_and(|c| matches!(c, '.' | '!' | '?' | ':' | '…'));
            if next == Some('\n')
                || next.is_some_and(|n| matches!(n, '-' | '*' | '•' | '–'))
                || previous_ends
            {
                push(&mut out, start, i);
                start = i + 1;
            }
            i += 1;
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '…') {
            // Closing quotes and brackets after the mark belong to the sentence.
            let mut end = i + 1;
            while end < chars.len() && matches!(chars[end], '.' | '!' | '?' | '…') {
                end += 1;
            }
            while end < chars.len() && matches!(chars[end], '"' | '”' | '»' | '’' | ')' | '\'')
            {
                end += 1;
            }
            let mut j = end;
            while j < chars.len() && chars[j].is_whitespace() && chars[j] != '\n' {
                j += 1;
            }
            let at_end = j >= chars.len();
            let followed_by_space = j > end;
            let next_starts = chars.get(j).is_some_and(|n| {
                n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '“' | '«' | '(')
            });
            let ends = at_end
                || chars.get(j) == Some(&'\n')
                || (followed_by_space
                    && next_starts
                    && !(c == '.' && is_abbreviation(&chars[start..i])));
            if ends {
                push(&mut out, start, end);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    push(&mut out, start, chars.len());
    out
}

/// Whether the text before a full stop ends with an abbreviation or a single letter.
fn is_abbreviation(before: &[char]) -> bool {
    let word: String = before
        .iter()
        .rev()
        .take_while(|c| c.is_alphanumeric() || **c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
        return true;
    }
    ABBREVIATIONS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_folds_case_quotes_dashes_and_space() {
        assert_eq!(
            normalise("  «Vi  SEIER» nei –\u{00A0}til “ny” e‑post-adresse!\n\n"),
            "vi seier nei til ny epostadresse"
        );
        assert_eq!(normalise("ﬁnt, ikkje?"), "fint ikkje");
        assert_eq!(normalise("Å  å"), normalise("A\u{030A} a\u{030A}"));
        assert_eq!(normalise(""), "");
    }

    #[test]
    fn sentences_keep_their_place_and_skip_abbreviations() {
        let text =
            "Eg bur i Storgata, t.d. nr. 4. Vegen er farleg! Kva no?\n\n- Punkt ein\n- Punkt to";
        let found = sentences(text);
        let texts: Vec<&str> = found.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Eg bur i Storgata, t.d. nr. 4.",
                "Vegen er farleg!",
                "Kva no?",
                "Punkt ein",
                "Punkt to"
            ]
        );
        let chars: Vec<char> = text.chars().collect();
        for s in &found {
            assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
        }
    }

    #[test]
    fn stop_words_of_both_written_forms_are_known() {
        for w in [
            "ikkje", "ikke", "eg", "jeg", "og", "frå", "fra", "berre", "bare",
        ] {
            assert!(stop_words().contains(w), "{w}");
        }
        assert!(!stop_words().contains("barnehage"));
    }
}
