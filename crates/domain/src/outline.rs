//! Corrections of an imported outline before it is saved: merge a part into the one
//! above, split a part at a line of its text, rename a part, change its level. The
//! result still goes through [`crate::plan::check_sections`], like every outline.
//!
//! Parts are named by their index in the outline (from 0) and lines by their number
//! in the part's Markdown text (from 1), as the import's warnings name them.

use crate::plan::NewSection;

/// One correction of an outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutlineEdit {
    /// The part's text goes to the end of the part above; its heading stays there as a
    /// line of text, since an importer mostly takes text for a heading by mistake.
    MergeUp {
        section: usize,
    },
    /// A new part after this one starts at `line` of its text. Without a title, the
    /// line itself becomes the title (an unnumbered heading the importer read as text).
    Split {
        section: usize,
        line: usize,
        number: String,
        title: String,
    },
    /// A new number and title; an empty number leaves the part unnumbered.
    Rename {
        section: usize,
        number: String,
        title: String,
    },
    SetLevel {
        section: usize,
        level: i32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutlineEditError {
    #[error("there is no part {0} in the outline")]
    UnknownSection(usize),
    #[error("the first part has nothing above it to be merged into")]
    NothingToMergeInto,
    #[error("part {section} has no text on line {line} to split at")]
    UnknownLine { section: usize, line: usize },
}

impl OutlineEditError {
    pub fn code(&self) -> &'static str {
        match self {
            OutlineEditError::UnknownSection(_) => "unknown_section",
            OutlineEditError::NothingToMergeInto => "nothing_to_merge_into",
            OutlineEditError::UnknownLine { .. } => "unknown_line",
        }
    }
}

/// Applies one correction; the caller checks the result with the section rule.
pub fn apply_outline_edit(
    mut sections: Vec<NewSection>,
    edit: OutlineEdit,
) -> Result<Vec<NewSection>, OutlineEditError> {
    let index = match &edit {
        OutlineEdit::MergeUp { section }
        | OutlineEdit::Split { section, .. }
        | OutlineEdit::Rename { section, .. }
        | OutlineEdit::SetLevel { section, .. } => *section,
    };
    if index >= sections.len() {
        return Err(OutlineEditError::UnknownSection(index));
    }
    match edit {
        OutlineEdit::MergeUp { .. } => {
            if index == 0 {
                return Err(OutlineEditError::NothingToMergeInto);
            }
            let merged = sections.remove(index);
            let heading = [merged.number.trim(), merged.title.trim()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let above = &mut sections[index - 1].body;
            for paragraph in [escape_line(&heading), merged.body.trim().to_owned()] {
                if paragraph.is_empty() {
                    continue;
                }
                if !above.trim().is_empty() {
                    above.truncate(above.trim_end().len());
                    above.push_str("\n\n");
                }
                above.push_str(&paragraph);
            }
        }
        OutlineEdit::Split {
            line,
            number,
            title,
            ..
        } => {
            let part = &sections[index];
            let lines: Vec<&str> = part.body.lines().collect();
            let at = line
                .checked_sub(1)
                .filter(|&at| lines.get(at).is_some_and(|l| !l.trim().is_empty()))
                .ok_or(OutlineEditError::UnknownLine {
                    section: index,
                    line,
                })?;
            let (title, rest_from) = if title.trim().is_empty() {
                (plain_line(lines[at]), at + 1)
            } else {
                (title.trim().to_owned(), at)
            };
            let new = NewSection {
                number: number.trim().to_owned(),
                title,
                level: part.level,
                body: lines[rest_from..].join("\n").trim().to_owned(),
            };
            let kept = lines[..at].join("\n").trim_end().to_owned();
            sections[index].body = kept;
            sections.insert(index + 1, new);
        }
        OutlineEdit::Rename { number, title, .. } => {
            sections[index].number = number.trim().to_owned();
            sections[index].title = title.trim().to_owned();
        }
        OutlineEdit::SetLevel { level, .. } => sections[index].level = level,
    }
    Ok(sections)
}

/// A heading as a line of Markdown text: what Markdown would read as markup is escaped.
fn escape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '<' | '[') {
            out.push('\\');
        }
        out.push(c);
    }
    if out.starts_with(['#', '>', '-', '+']) {
        out.insert(0, '\\');
    }
    // "3. Title" would start a numbered list.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

/// A line of Markdown text as a title: list marker, emphasis markers and escapes gone.
fn plain_line(line: &str) -> String {
    let line = line.trim();
    let line = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .unwrap_or(line);
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' => {}
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(number: &str, title: &str, level: i32, body: &str) -> NewSection {
        NewSection {
            number: number.into(),
            title: title.into(),
            level,
            body: body.into(),
        }
    }

    #[test]
    fn merging_keeps_the_heading_as_text() {
        let outline = vec![
            part("3.3", "Framdrift", 2, "Slik går det."),
            part("1", "gangs handsaming", 1, "Hausten 2021."),
        ];
        let merged = apply_outline_edit(outline, OutlineEdit::MergeUp { section: 1 }).unwrap();
        assert_eq!(
            merged,
            [part(
                "3.3",
                "Framdrift",
                2,
                "Slik går det.\n\n1 gangs handsaming\n\nHausten 2021."
            )]
        );
    }

    #[test]
    fn splitting_at_a_line_with_or_without_a_title() {
        let outline = vec![part(
            "4.2",
            "Utfordringar",
            2,
            "Første avsnitt.\n\nAktuelle tema for planen\n\nTema kan vere mange.",
        )];
        let split = apply_outline_edit(
            outline.clone(),
            OutlineEdit::Split {
                section: 0,
                line: 3,
                number: String::new(),
                title: String::new(),
            },
        )
        .unwrap();
        assert_eq!(
            split,
            [
                part("4.2", "Utfordringar", 2, "Første avsnitt."),
                part("", "Aktuelle tema for planen", 2, "Tema kan vere mange."),
            ]
        );
        let titled = apply_outline_edit(
            outline,
            OutlineEdit::Split {
                section: 0,
                line: 5,
                number: "4.3".into(),
                title: " Tema ".into(),
            },
        )
        .unwrap();
        assert_eq!(titled[1], part("4.3", "Tema", 2, "Tema kan vere mange."));
        assert_eq!(
            titled[0].body,
            "Første avsnitt.\n\nAktuelle tema for planen"
        );
    }

    #[test]
    fn edits_that_name_nothing_are_refused() {
        let outline = vec![part("1", "Ein", 1, "Tekst.\n\nMeir.")];
        let refused = |edit| apply_outline_edit(outline.clone(), edit).unwrap_err();
        assert_eq!(
            refused(OutlineEdit::MergeUp { section: 0 }),
            OutlineEditError::NothingToMergeInto
        );
        assert_eq!(
            refused(OutlineEdit::SetLevel {
                section: 1,
                level: 2
            }),
            OutlineEditError::UnknownSection(1)
        );
        for line in [0, 2, 4] {
            let edit = OutlineEdit::Split {
                section: 0,
                line,
                number: String::new(),
                title: "Ny".into(),
            };
            assert_eq!(
                refused(edit).code(),
                "unknown_line",
                "line {line} is blank or missing"
            );
        }
    }

    #[test]
    fn titles_from_lines_lose_their_markup() {
        assert_eq!(plain_line("- **Viktig** tema \\*"), "Viktig tema *");
        assert_eq!(escape_line("# 2. a*b"), "\\# 2. a\\*b");
        assert_eq!(escape_line("2. Tittel"), "2\\. Tittel");
    }
}
