//! The plain-text importer: text extracted from a PDF to numbered sections.

use domain::plan::NewSection;

use crate::boilerplate::{self, Kind};
use crate::heading::{self, Candidate};
use crate::numbering::{self, Step};
use crate::{ImportWarning, Imported, blocks};

pub(crate) fn import(text: &str) -> Imported {
    let (lines, page_start) = split_lines(text);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let kinds = boilerplate::classify(&refs, &page_start);
    let headings = find_headings(&refs, &kinds);

    // Dropped lines and page breaks read as blank lines: a paragraph goes
    // on across them only when its sentence does.
    let body = |from: usize, to: usize| {
        blocks::to_markdown((from..to).flat_map(|i| {
            let kept = if kinds[i] == Kind::Keep { refs[i] } else { "" };
            let page_break = page_start[i].then_some("");
            page_break.into_iter().chain(std::iter::once(kept))
        }))
    };
    let first = headings.first().map_or(refs.len(), |h| h.line);
    let preamble = body(0, first);
    let mut sections = Vec::new();
    let mut warnings = Vec::new();
    if headings.is_empty() && !preamble.is_empty() {
        warnings.push(ImportWarning::new(
            "no_headings",
            "no headings found: imported as one section",
        ));
    }
    if !preamble.is_empty() {
        sections.push(NewSection {
            number: String::new(),
            title: String::new(),
            level: 1,
            body: preamble,
        });
    }
    for (k, heading) in headings.iter().enumerate() {
        let end = headings.get(k + 1).map_or(refs.len(), |next| next.line);
        warnings.extend(heading.warning.clone());
        sections.push(NewSection {
            level: heading.candidate.number.level(),
            number: heading.candidate.number.text.clone(),
            title: heading.candidate.title.clone(),
            body: body(heading.line + 1 + usize::from(heading.wrapped), end),
        });
    }
    Imported::new(sections, warnings)
}

/// Splits into lines, marking those that follow a form feed (a page break in
/// `pdftotext` output), and cleans characters that only disturb matching.
fn split_lines(text: &str) -> (Vec<String>, Vec<bool>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    let mut page_start = Vec::new();
    let mut after_form_feed = false;
    let mut rest = text;
    loop {
        let end = rest.find(['\n', '\r', '\x0c']).unwrap_or(rest.len());
        lines.push(clean(&rest[..end]));
        page_start.push(after_form_feed);
        let Some(separator) = rest[end..].chars().next() else {
            break;
        };
        after_form_feed = separator == '\x0c';
        rest = &rest[end + 1..];
        if separator == '\r' {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        }
    }
    (lines, page_start)
}

/// Control characters become spaces; a soft hyphen ends a line as a
/// hyphenation and vanishes elsewhere.
fn clean(line: &str) -> String {
    let line = line.trim_end();
    let mut out = String::with_capacity(line.len());
    for (i, c) in line.char_indices() {
        match c {
            '\u{ad}' if i + c.len_utf8() == line.len() => out.push('-'),
            '\u{ad}' | '\u{200b}' | '\u{feff}' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

struct Heading {
    line: usize,
    candidate: Candidate,
    warning: Option<ImportWarning>,
    /// The title went on over the next line, so the body starts after it.
    wrapped: bool,
}

/// Picks the numbered headings in document order. A candidate is accepted
/// only if its number fits after the previous heading, so dates, numbered
/// list items and table rows that look like headings stay body text.
fn find_headings(lines: &[&str], kinds: &[Kind]) -> Vec<Heading> {
    let mut headings: Vec<Heading> = Vec::new();
    let mut body_since_first = false;
    let mut previous: Option<&str> = None; // the last kept, non-blank line
    let mut previous_indent = 0; // its leading white space, in characters
    let mut previous_is_heading = false;
    let mut gap_before = true; // a blank or dropped line since `previous`
    let mut run_is_list = false; // a bullet since the last gap: `previous` may be its wrap
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        let indent = indentation(raw);
        if kinds[i] != Kind::Keep || line.is_empty() {
            gap_before = true;
            continue;
        }
        let last = headings
            .last_mut()
            .filter(|h| previous_is_heading && h.line + 1 == i);
        if let Some(heading) = last.filter(|h| wraps_title(&h.candidate.title, line)) {
            heading.candidate.title = format!("{} {}", heading.candidate.title, collapse(line));
            heading.wrapped = true;
            continue;
        }
        if gap_before {
            run_is_list = false;
        }
        if blocks::bullet(line).is_some() {
            run_is_list = true;
        }
        // A line set in further than the text before it is set apart, so it starts
        // something of its own even when that text stops inside a sentence.
        let set_apart = indent >= MIN_HEADING_INDENT && indent > previous_indent;
        let mid_sentence = !gap_before
            && !previous_is_heading
            && !run_is_list
            && !set_apart
            && previous.is_some_and(ends_mid_sentence);
        let accepted = match heading::candidate(line).filter(|_| !mid_sentence) {
            Some(candidate) => accept(&mut headings, body_since_first, i, candidate),
            None => false,
        };
        if !accepted && !headings.is_empty() {
            body_since_first = true;
        }
        previous = Some(line);
        previous_indent = indent;
        previous_is_heading = accepted;
        gap_before = false;
    }
    headings
}

fn accept(
    headings: &mut Vec<Heading>,
    body_since_first: bool,
    line: usize,
    candidate: Candidate,
) -> bool {
    let last = headings.last().map(|h| &h.candidate.number);
    let warning = match numbering::step(last.map(|n| n.parts.as_slice()), &candidate.number.parts) {
        Step::Expected => None,
        Step::Gap => Some(numbering::gap_warning(last, &candidate.number)),
        // Headings with nothing between them, then the first number again:
        // that was a table of contents without dot leaders. It stays in the
        // preamble and the outline starts over.
        Step::Unrelated
            if !body_since_first
                && headings
                    .first()
                    .is_some_and(|h| h.candidate.number == candidate.number) =>
        {
            headings.clear();
            None
        }
        Step::Unrelated => return false,
    };
    headings.push(Heading {
        line,
        candidate,
        warning,
        wrapped: false,
    });
    true
}

/// The second line of a heading whose title wrapped, as PDF text of large
/// headings often shows ("2.2 Handlingsdel … integrert i økonomiplan" then
/// "og budsjett"): short, in lower case, not a bullet, not a sentence.
fn wraps_title(title: &str, line: &str) -> bool {
    const MAX_WORDS: usize = 8;
    !title.ends_with(['.', ':', '!', '?'])
        && line.chars().next().is_some_and(char::is_lowercase)
        && line.split_whitespace().count() <= MAX_WORDS
        && !line.ends_with(['.', ':', ';', '!', '?'])
        && blocks::bullet(line).is_none()
}

/// How far in a line must be set, more than the text before it, to count as set
/// apart ("    1.0 Innledning" under a line of running text).
const MIN_HEADING_INDENT: usize = 2;

/// Leading white space in characters (a tab counts as four).
fn indentation(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line of running text that stops inside a sentence: the next line
/// continues it and so cannot be a heading ("som nemnt i kapittel\n3.2
/// Planprosess ..."). Short lines such as "Innhald" are titles, not prose.
fn ends_mid_sentence(line: &str) -> bool {
    const MIN_WORDS: usize = 4;
    line.split_whitespace().count() >= MIN_WORDS
        && (line.ends_with([',', '-']) || line.chars().next_back().is_some_and(char::is_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_all_line_ends_and_marks_page_breaks() {
        let (lines, page_start) = split_lines("a\r\nb\rc\x0cd\n");
        assert_eq!(lines, ["a", "b", "c", "d", ""]);
        assert_eq!(page_start, [false, false, false, true, false]);
    }
}
