//! Lines of PDF-extracted text that belong to the page layout rather than to
//! the document: bare page numbers, the table of contents, and running
//! headers and footers repeated on many pages.

use std::collections::HashMap;

use crate::{blocks, heading, numbering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Keep,
    PageNumber,
    Toc,
    RunningHeader,
}

/// Classifies every line; `page_start[i]` tells that a page break (form
/// feed) came right before line `i`.
pub(crate) fn classify(lines: &[&str], page_start: &[bool]) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = lines
        .iter()
        .map(|line| {
            if is_page_number(line) {
                Kind::PageNumber
            } else if is_toc_entry(line) {
                Kind::Toc
            } else {
                Kind::Keep
            }
        })
        .collect();
    extend_toc(lines, &mut kinds);
    // A footer with its page number after a bar: where the text has page breaks, only
    // at a page's edge, so a table row such as "Plassar | 12" inside a page stays.
    let paged = page_start.contains(&true);
    for i in 0..lines.len() {
        if kinds[i] == Kind::Keep
            && is_page_footer(lines[i])
            && (!paged || at_page_edge(lines, page_start, &kinds, i))
        {
            kinds[i] = Kind::PageNumber;
        }
    }
    mark_running_headers(lines, page_start, &mut kinds);
    kinds
}

/// "12", "- 12 -", "Side 3", "Side 3 av 12", "Page 3 of 12", "3 / 12".
pub(crate) fn is_page_number(line: &str) -> bool {
    let line = line
        .trim()
        .trim_matches(['-', '–', '—'])
        .trim()
        .to_lowercase();
    let line = ["side", "sida", "page", "s."]
        .iter()
        .find_map(|prefix| line.strip_prefix(prefix))
        .unwrap_or(&line)
        .trim_start();
    let words: Vec<&str> = line.split_whitespace().collect();
    let small_number =
        |s: &str| (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    match words.as_slice() {
        [n] => {
            small_number(n)
                || n.split_once('/')
                    .is_some_and(|(a, b)| small_number(a) && small_number(b))
        }
        [n, of, total] => small_number(n) && ["av", "of", "/"].contains(of) && small_number(total),
        _ => false,
    }
}

/// A page footer that carries its page number after a separator, such as
/// "Alver kommune | 6" or "Planprogram | Side 6 av 20": dropped even when it shows
/// only once. A short name before the bar, no sentence.
pub(crate) fn is_page_footer(line: &str) -> bool {
    const MAX_WORDS: usize = 10;
    let Some((name, number)) = line.trim().rsplit_once('|') else {
        return false;
    };
    let name = name.trim();
    !name.is_empty()
        && is_page_number(number)
        && name.split_whitespace().count() <= MAX_WORDS
        && !name.ends_with(['.', ':', '!', '?'])
}

/// A table-of-contents entry: dot leaders followed by a page number, or a
/// numbered entry whose page number went to the next line.
fn is_toc_entry(line: &str) -> bool {
    let line = line.trim();
    let without_page = line
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end();
    let has_page = without_page.len() < line.len();
    let ends_with_leaders =
        without_page.ends_with(['.', '·', '_', '…']) && heading::has_leaders(without_page);
    ends_with_leaders && (has_page || numbering::split_leading(line).is_some())
}

const TOC_TITLES: &[&str] = &[
    "innhald",
    "innhold",
    "innhaldsliste",
    "innhaldsoversikt",
    "innholdsliste",
    "innholdsfortegnelse",
    "innholdsoversikt",
    "contents",
    "table of contents",
];

/// Pulls into the table of contents the title above it ("Innhald") and the
/// first line of entries that wrapped before their dot leaders.
fn extend_toc(lines: &[&str], kinds: &mut [Kind]) {
    for i in 0..lines.len() {
        if kinds[i] != Kind::Toc {
            continue;
        }
        let Some(above) = (0..i).rev().find(|&j| !lines[j].trim().is_empty()) else {
            continue;
        };
        if kinds[above] != Kind::Keep {
            continue;
        }
        let wrapped = numbering::split_leading(lines[i].trim()).is_none()
            && numbering::split_leading(lines[above].trim()).is_some();
        let title = TOC_TITLES.contains(
            &lines[above]
                .trim()
                .trim_end_matches(':')
                .to_lowercase()
                .as_str(),
        );
        if wrapped || title {
            kinds[above] = Kind::Toc;
        }
    }
}

/// A repeated line is a running header or footer when it sits at a page
/// edge (next to a page number or a page break) at least twice, or when it
/// recurs at least three times spread out like page furniture. Repetition
/// alone is not enough: rows of a table often repeat too.
fn mark_running_headers(lines: &[&str], page_start: &[bool], kinds: &mut [Kind]) {
    const MIN_SPREAD: usize = 10;
    let mut occurrences: HashMap<String, (bool, Vec<usize>)> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if kinds[i] != Kind::Keep || line.trim().is_empty() || blocks::bullet(line).is_some() {
            continue;
        }
        // Headings compare by their exact text: "2.1 Mål" and "3.1 Mål" are
        // different sections, while "Side 3" and "Side 4" are one footer.
        let is_heading = heading::candidate(line).is_some();
        let key = if is_heading {
            collapse(line)
        } else {
            key(line)
        };
        occurrences
            .entry(key)
            .or_insert((is_heading, Vec::new()))
            .1
            .push(i);
    }
    for (key, (is_heading, at)) in occurrences {
        if at.len() < 2 {
            continue;
        }
        let at_edges = at
            .iter()
            .filter(|&&i| at_page_edge(lines, page_start, kinds, i))
            .count();
        let spread = at.windows(2).all(|pair| pair[1] - pair[0] >= MIN_SPREAD);
        let words = key.split(' ').count();
        if at_edges >= 2 || (!is_heading && at.len() >= 3 && spread && words >= 2) {
            for i in at {
                kinds[i] = Kind::RunningHeader;
            }
        }
    }
}

fn collapse(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whitespace-collapsed text with digit runs folded, so "Side 3" and
/// "Side 4" or "Alver kommune 2020" on every page compare equal.
fn key(line: &str) -> String {
    let mut key = String::new();
    for word in line.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        let mut in_digits = false;
        for c in word.chars() {
            if c.is_ascii_digit() {
                if !in_digits {
                    key.push('#');
                }
                in_digits = true;
            } else {
                key.push(c);
                in_digits = false;
            }
        }
    }
    key
}

/// Next to a page number or a page break, looking past blank lines.
fn at_page_edge(lines: &[&str], page_start: &[bool], kinds: &[Kind], i: usize) -> bool {
    let blank = |j: usize| lines[j].trim().is_empty();
    let before = (0..i).rev().find(|&j| !blank(j));
    let after = (i + 1..lines.len()).find(|&j| !blank(j));
    let edge_before = page_start[before.map_or(0, |j| j + 1)..=i].contains(&true)
        || before.is_some_and(|j| kinds[j] == Kind::PageNumber);
    let edge_after = page_start[i + 1..after.map_or(lines.len(), |k| k + 1)].contains(&true)
        || after.is_some_and(|k| kinds[k] == Kind::PageNumber);
    edge_before || edge_after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_a_footer_with_its_page_number_after_a_bar() {
        assert!(is_page_footer("Alver kommune | 6"));
        assert!(is_page_footer(
            "  Planprogram helse og omsorg | Side 6 av 20"
        ));
        assert!(!is_page_footer("Alver kommune | Helse"));
        assert!(!is_page_footer("| 6"));
        assert!(!is_page_footer(
            "Dette er ein lang setning som sluttar med eit tal. | 6"
        ));
    }

    #[test]
    fn in_paged_text_a_bar_footer_goes_only_at_a_page_edge() {
        let lines = [
            "Tekst på sida.",
            "Plassar | 12",
            "Meir tekst.",
            "Alver kommune | 6",
            "Neste side.",
        ];
        let page_start = [false, false, false, false, true];
        let kinds = classify(&lines, &page_start);
        assert_eq!(kinds[1], Kind::Keep, "a table row inside a page stays");
        assert_eq!(
            kinds[3],
            Kind::PageNumber,
            "the footer before the page break goes"
        );
    }

    #[test]
    fn recognises_page_numbers() {
        for yes in [
            "1",
            " 12 ",
            "- 3 -",
            "Side 3",
            "side 3 av 12",
            "Page 2 of 9",
            "3/12",
            "3 / 12",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["2020", "1 Innleiing", "Side", "", "3 av"] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn recognises_toc_entries() {
        assert!(is_toc_entry(
            "2.1 Kva er ein kommunedelplan ............ 3 "
        ));
        assert!(is_toc_entry("Innleiing . . . . . . 12"));
        assert!(is_toc_entry("3.4 Ramme for medverknad......."));
        assert!(!is_toc_entry("Namn: ________"));
        assert!(!is_toc_entry("Vi ventar..."));
    }
}
