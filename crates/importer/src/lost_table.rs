//! Tables and charts that lost their layout on the way to text.
//!
//! A progress chart (Gantt) or a table extracted from a PDF arrives as "word soup":
//! cell texts one after the other, many short lines without a sentence end, a row
//! of month names or figures among them. Nothing can rebuild the layout, so the
//! planner is told where it is and checks it against the original.
//!
//! The check reads the Markdown bodies that the importers produce, so it works on
//! every format and can be run again after the planner corrects the outline. Line
//! numbers count the lines of a section's body from 1.

use domain::plan::NewSection;

use crate::{ImportWarning, Place};

/// Fewest lines without a sentence end in a row that can be a lost table: the
/// Markdown body joins a chart's cells into few lines when the text had no gaps.
const MIN_LINES: usize = 3;
/// A shorter run is a lost table too when it has this many words: a whole chart
/// run together into one paragraph.
const MIN_WORDS: usize = 16;
/// Fewest month names on a line that make it the head of a calendar.
const MIN_MONTHS: usize = 3;
/// Fewest figures on a line that make it a row of numbers.
const MIN_FIGURES: usize = 3;
/// Fewest rows of figures that make a table: one is a telephone number or a date.
const MIN_FIGURE_ROWS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// Between the other kinds: blank lines and list items neither make nor break a run.
    Neutral,
    /// A line that ends a sentence, or a real Markdown table row: no soup here.
    Finished,
    /// A line without a sentence end.
    Unfinished,
    /// An unfinished line that names three months or more: a calendar's head.
    Calendar,
    /// An unfinished line that is mostly figures: a row of a table of numbers.
    Figures,
}

/// The `looks_like_lost_table` warnings for these sections, one per run of soup.
pub fn lost_tables(sections: &[NewSection]) -> Vec<ImportWarning> {
    let mut warnings = Vec::new();
    for (index, section) in sections.iter().enumerate() {
        for (first, last) in runs(&section.body) {
            let name = match (section.number.trim(), section.title.trim()) {
                ("", "") => "the text before the first heading".to_owned(),
                ("", title) => format!("«{title}»"),
                (number, title) => format!("{number} «{title}»"),
            };
            warnings.push(ImportWarning {
                code: "looks_like_lost_table",
                message: format!(
                    "lines {first}–{last} of {name} look like a table or chart that lost its layout: check them against the original"
                ),
                place: Some(Place {
                    section: index,
                    first_line: first,
                    last_line: last,
                }),
            });
        }
    }
    warnings
}

/// The first and last line (from 1) of every run of soup in a body.
fn runs(body: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut run: Option<Run> = None;
    for (i, text) in body.lines().enumerate() {
        let number = i + 1;
        match classify(text) {
            Line::Neutral => {}
            Line::Finished => found.extend(run.take().filter(Run::is_table).map(Run::span)),
            kind => {
                let run = run.get_or_insert(Run {
                    first: number,
                    last: number,
                    lines: 0,
                    words: 0,
                    calendar: false,
                    figure_rows: 0,
                });
                run.last = number;
                run.lines += 1;
                run.words += text.split_whitespace().count();
                run.calendar |= kind == Line::Calendar;
                run.figure_rows += usize::from(kind == Line::Figures);
            }
        }
    }
    found.extend(run.filter(Run::is_table).map(Run::span));
    found
}

struct Run {
    first: usize,
    last: usize,
    lines: usize,
    words: usize,
    calendar: bool,
    figure_rows: usize,
}

impl Run {
    /// Unfinished lines are not enough: titles and short paragraphs come in
    /// rows too (a letter's sign-off). A row of months or rows of figures among
    /// them tell a table.
    fn is_table(&self) -> bool {
        (self.lines >= MIN_LINES || self.words >= MIN_WORDS)
            && (self.calendar || self.figure_rows >= MIN_FIGURE_ROWS)
    }

    fn span(self) -> (usize, usize) {
        (self.first, self.last)
    }
}

fn classify(line: &str) -> Line {
    let line = line.trim();
    if line.is_empty() || is_list_item(line) {
        return Line::Neutral;
    }
    if line.starts_with('|') || line.ends_with(['.', '!', '?', ':', ';']) {
        return Line::Finished;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let months = words.iter().filter(|w| is_month(w)).count();
    let figures = words.iter().filter(|w| is_figure(w)).count();
    if months >= MIN_MONTHS {
        Line::Calendar
    } else if figures >= MIN_FIGURES && figures * 2 >= words.len() {
        Line::Figures
    } else {
        Line::Unfinished
    }
}

/// A Markdown list item: "- ", "* ", "+ " or "1. " after any indentation.
fn is_list_item(line: &str) -> bool {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// A number as tables show them: "2020", "1 200" (one part of it), "12,5", "45 %".
fn is_figure(word: &str) -> bool {
    let word = word.trim_end_matches(['%', ',']);
    !word.is_empty()
        && word.chars().any(|c| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '–' | '+'))
}

fn is_month(word: &str) -> bool {
    crate::heading::is_month(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_among_short_lines_is_a_run() {
        let body = "Framdrifta er slik.\n\nFramdrift\n\n2022 Jan Feb Mar Apr\n\nOppstart\n\nHøyring\n\n- Medverknad\n\nVedtak\n\nRapport";
        assert_eq!(runs(body), [(3, 15)]);
        let one_paragraph = "Framdrift 2022 Jan Feb Mar Apr Mai Jun Jul Aug Sep Okt Nov Des Oppstart Høyring Vedtak\n\nSlutt.";
        assert_eq!(runs(one_paragraph), [(1, 1)]);
    }

    #[test]
    fn prose_lists_and_titles_are_not() {
        let body = "Aktuelle tema\n\nTema kan vere:\n\n- Demografi\n- Helse\n- Kultur\n- Sosial berekraft\n- Samarbeid\n- Kompetanse\n\nDet skal vi sjå på.";
        assert!(runs(body).is_empty());
        let short = "Planforum\n\n2022 Jan Feb Mar\n\nSlutt.";
        assert!(runs(short).is_empty(), "too few lines");
        let no_signal = "Ein\n\nTo\n\nTre\n\nFire\n\nFem\n\nSeks\n\nSju";
        assert!(runs(no_signal).is_empty(), "no row of months or figures");
        let sign_off = "Spørsmål?\n\nEpost post@example.no\n\nTlf 00 00 00 00\n\nMed vennleg helsing\n\nAlver kommune\n\n[Namn]\n\nRådgjevar";
        assert!(
            runs(sign_off).is_empty(),
            "one row of figures is a telephone number"
        );
    }

    #[test]
    fn figures_are_numbers_as_tables_write_them() {
        assert!(is_figure("2020") && is_figure("12,5") && is_figure("45%") && is_figure("1.200"));
        assert!(!is_figure("KDP") && !is_figure("1.gangs") && !is_figure("-"));
        assert_eq!(classify("0–19 år 7 200 7 100 6 900"), Line::Figures);
        assert_eq!(classify("I 2020 budde det 1 200 her"), Line::Unfinished);
    }
}
