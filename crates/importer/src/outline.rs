//! Sections from formats with explicit headings (Markdown, DOCX): the
//! heading structure is given, only the numbers must be worked out.

use domain::plan::NewSection;

use crate::numbering::{self, Number, Step};
use crate::{ImportWarning, Imported};

/// A heading as the format marks it, with the body that follows it.
pub(crate) struct Part {
    /// Heading level in the source: 1 for `#` or Heading 1.
    pub depth: usize,
    /// A number that the format computed (DOCX list numbering), if any.
    pub number: Option<String>,
    pub title: String,
    /// Markdown.
    pub body: String,
}

/// Numbers the parts: a number written in the title ("3.1 Roller") or given
/// by the format is kept; when no heading has one, sections are numbered
/// "1", "1.1", … by heading level.
pub(crate) fn assemble(preamble: String, parts: Vec<Part>) -> Imported {
    let mut sections = Vec::new();
    let mut warnings = Vec::new();
    if parts.is_empty() && !preamble.trim().is_empty() {
        warnings.push(ImportWarning::new(
            "no_headings",
            "no headings found: imported as one section",
        ));
    }
    if !preamble.trim().is_empty() {
        sections.push(NewSection {
            number: String::new(),
            title: String::new(),
            level: 1,
            body: preamble,
        });
    }

    let numbered: Vec<(Option<Number>, String)> = parts.iter().map(explicit_number).collect();
    let any_numbered = numbered.iter().any(|(number, _)| number.is_some());
    let top = parts.iter().map(|p| p.depth).min().unwrap_or(1);
    let mut counters: Vec<u32> = Vec::new();
    let mut previous: Option<Number> = None;
    for (part, (number, title)) in parts.into_iter().zip(numbered) {
        let relative = part.depth.saturating_sub(top) + 1;
        let (number, level) = match number {
            Some(number) => {
                if numbering::step(previous.as_ref().map(|n| n.parts.as_slice()), &number.parts)
                    != Step::Expected
                {
                    warnings.push(numbering::gap_warning(previous.as_ref(), &number));
                }
                let level = number.level();
                let text = number.text.clone();
                previous = Some(number);
                (text, level)
            }
            None if any_numbered => (String::new(), level_of(relative)),
            None => {
                // A level may not be skipped: "#" then "###" numbers "1", "1.1".
                let depth = relative.min(counters.len() + 1);
                counters.truncate(depth);
                if counters.len() == depth {
                    counters[depth - 1] += 1;
                } else {
                    counters.push(1);
                }
                let text = counters
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(".");
                (text, level_of(depth))
            }
        };
        sections.push(NewSection {
            number,
            title,
            level,
            body: part.body,
        });
    }
    Imported::new(sections, warnings)
}

/// The number given by the format, else one written at the start of the title.
fn explicit_number(part: &Part) -> (Option<Number>, String) {
    let title = part.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(number) = part.number.as_deref().and_then(numbering::parse) {
        return (Some(number), title);
    }
    match numbering::split_leading(&title) {
        Some((number, rest)) => (Some(number), rest.to_string()),
        None => (None, title),
    }
}

fn level_of(depth: usize) -> i32 {
    i32::try_from(depth).unwrap_or(i32::MAX)
}
