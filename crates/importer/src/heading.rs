//! Recognises a line of plain text that may be a numbered heading, before the
//! outline decides whether its number fits the sequence.

use crate::numbering::{self, Number};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub number: Number,
    pub title: String,
}

/// Headings are short; a longer "title" is a numbered paragraph.
const MAX_TITLE_CHARS: usize = 200;
const MAX_TITLE_WORDS: usize = 25;

/// A line like "2.1 Kva er ein kommunedelplan". Dates, years and table rows
/// of numbers or months are rejected here; the sequence check comes later.
pub(crate) fn candidate(line: &str) -> Option<Candidate> {
    let (number, rest) = numbering::split_leading(line.trim())?;
    let title = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = title.split(' ').count();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS || words > MAX_TITLE_WORDS {
        return None;
    }
    if !starts_with_capital(&title) || title.ends_with([',', ';']) || has_leaders(&title) {
        return None;
    }
    if title.split(' ').filter(|word| is_month(word)).count() >= 2 {
        return None; // "1 Jan Feb Mar": a row of a progress table
    }
    Some(Candidate { number, title })
}

/// Titles start with a capital letter, possibly after an opening quote or
/// parenthesis; "5 kommunar deltek" and "1 2 3 4" are body text.
fn starts_with_capital(title: &str) -> bool {
    let first = title
        .trim_start_matches(['«', '"', '“', '„', '\'', '(', '['])
        .chars()
        .next();
    first.is_some_and(char::is_uppercase)
}

/// Dot leaders of a table-of-contents line: "Innleiing ........ 2".
pub(crate) fn has_leaders(line: &str) -> bool {
    let mut run = 0;
    for c in line.chars() {
        match c {
            '.' | '·' | '_' => run += 1,
            '…' => run += 3,
            ' ' if run > 0 => {}
            _ => run = 0,
        }
        if run >= 4 {
            return true;
        }
    }
    false
}

pub(crate) fn is_month(word: &str) -> bool {
    const MONTHS: &[&str] = &[
        "jan",
        "januar",
        "january",
        "feb",
        "febr",
        "februar",
        "february",
        "mar",
        "mars",
        "march",
        "apr",
        "april",
        "mai",
        "may",
        "jun",
        "juni",
        "june",
        "jul",
        "juli",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "okt",
        "oktober",
        "oct",
        "october",
        "nov",
        "november",
        "des",
        "desember",
        "dec",
        "december",
    ];
    let word = word.trim_end_matches('.').to_lowercase();
    MONTHS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_headings_and_rejects_look_alikes() {
        let c = candidate(" 2.  Slik jobbar   Alver ").unwrap();
        assert_eq!(
            (c.number.text.as_str(), c.title.as_str()),
            ("2", "Slik jobbar Alver")
        );
        assert!(candidate("3.1 «Leve heile livet»").is_some());
        for line in [
            "14.5.2020. Kommunedelplan for helse",
            "2018. Det året vart kommunane slått saman",
            "2021 Jan Feb Mar Apr Mai Jun",
            "1 Jan Feb Mar",
            "1 2 3 4 5 6 7 8 9 10 11 12",
            "5 kommunar deltek",
            "2.1 Kva er ein kommunedelplan ........ 3",
            "3 Vi skal, mellom anna,",
        ] {
            assert!(candidate(line).is_none(), "{line}");
        }
    }

    #[test]
    fn finds_dot_leaders() {
        assert!(has_leaders("Innleiing ........ 2"));
        assert!(has_leaders("Innleiing . . . . 2"));
        assert!(has_leaders("Innleiing …… 2"));
        assert!(!has_leaders("m.m. og s.k. dokument"));
    }
}
