//! Following sections from one version of a document to the next, and what changed.
//!
//! A section keeps its identity (its lineage) when its number or, failing that, its
//! title matches one in the previous version, so comments and assessments can be
//! followed across versions.

use crate::ids::SectionId;
use crate::plan::{NewSection, Section};
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// For each new section, the lineage of the previous section it continues, if any.
/// Matching goes from the surest to the loosest: number and title, then title alone
/// (a renumbered section), then number alone (a retitled section). A previous section
/// is continued at most once.
pub fn match_lineage(
    previous: &[(SectionId, &Section)],
    new: &[NewSection],
) -> Vec<Option<SectionId>> {
    let normalise = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let mut taken = vec![false; previous.len()];
    let mut result = vec![None; new.len()];
    type Rule<'a> = Box<dyn Fn(&NewSection, &Section) -> bool + 'a>;
    let rules: [Rule<'_>; 3] = [
        Box::new(|n, p| n.number == p.number && normalise(&n.title) == normalise(&p.title)),
        Box::new(|n, p| !n.title.trim().is_empty() && normalise(&n.title) == normalise(&p.title)),
        Box::new(|n, p| !n.number.is_empty() && n.number == p.number),
    ];
    for rule in &rules {
        for (i, n) in new.iter().enumerate() {
            if result[i].is_some() {
                continue;
            }
            if let Some(j) = (0..previous.len()).find(|&j| !taken[j] && rule(n, previous[j].1)) {
                taken[j] = true;
                result[i] = Some(previous[j].0);
            }
        }
    }
    result
}

/// Each section's parent: the nearest earlier section of a lower level number.
pub fn parents(sections: &[Section]) -> Vec<Option<SectionId>> {
    let mut open: Vec<(i32, SectionId)> = Vec::new();
    sections
        .iter()
        .map(|s| {
            while open.last().is_some_and(|(level, _)| *level >= s.level) {
                open.pop();
            }
            let parent = open.last().map(|(_, id)| *id);
            open.push((s.level, s.id));
            parent
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Same,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chunk {
    pub op: Op,
    pub text: String,
}

/// Word-level differences between two texts, with neighbouring words of one kind joined.
pub fn diff_words(old: &str, new: &str) -> Vec<Chunk> {
    let diff = TextDiff::from_words(old, new);
    let mut chunks: Vec<Chunk> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => Op::Same,
            ChangeTag::Insert => Op::Added,
            ChangeTag::Delete => Op::Removed,
        };
        match chunks.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => chunks.push(Chunk {
                op,
                text: change.value().to_owned(),
            }),
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DocumentVersionId;

    fn section(number: &str, title: &str) -> Section {
        Section {
            id: SectionId::new(),
            version_id: DocumentVersionId::new(),
            number: number.into(),
            title: title.into(),
            level: 1,
            body: String::new(),
            position: 0,
            lineage: SectionId::new(),
        }
    }

    fn new(number: &str, title: &str) -> NewSection {
        NewSection {
            number: number.into(),
            title: title.into(),
            level: 1,
            body: String::new(),
        }
    }

    #[test]
    fn renumbered_and_retitled_sections_keep_their_identity() {
        let old = [
            section("1", "Innleiing"),
            section("2", "Roller"),
            section("3", "Tema"),
        ];
        let lineage: Vec<SectionId> = old.iter().map(|s| s.id).collect();
        let previous: Vec<(SectionId, &Section)> =
            lineage.iter().copied().zip(old.iter()).collect();
        let next = [
            new("1", "Innleiing og bakgrunn"), // retitled: found by number
            new("2", "Medverknad"),            // new, though it took number 2
            new("3", "Roller"),                // renumbered: found by title
            new("4", "Tema"),                  // renumbered: found by title
            new("5", "Heilt nytt"),
        ];
        assert_eq!(
            match_lineage(&previous, &next),
            vec![
                Some(lineage[0]),
                None,
                Some(lineage[1]),
                Some(lineage[2]),
                None
            ]
        );
        let unchanged = [new("1", "Innleiing"), new("2", "Roller"), new("3", "Tema")];
        assert_eq!(
            match_lineage(&previous, &unchanged),
            lineage.iter().copied().map(Some).collect::<Vec<_>>()
        );
    }

    #[test]
    fn parents_follow_levels() {
        let mut s = vec![
            section("1", "A"),
            section("1.1", "B"),
            section("1.1.1", "C"),
            section("1.2", "D"),
            section("2", "E"),
        ];
        for (sec, level) in s.iter_mut().zip([1, 2, 3, 2, 1]) {
            sec.level = level;
        }
        let ids: Vec<SectionId> = s.iter().map(|x| x.id).collect();
        assert_eq!(
            parents(&s),
            vec![None, Some(ids[0]), Some(ids[1]), Some(ids[0]), None]
        );
    }

    #[test]
    fn a_previous_section_is_continued_once() {
        let old = [section("1", "Tema")];
        let previous = vec![(old[0].id, &old[0])];
        let matched = match_lineage(&previous, &[new("", "Tema"), new("", "Tema")]);
        assert_eq!(matched.iter().filter(|m| m.is_some()).count(), 1);
    }

    #[test]
    fn words_added_and_removed() {
        let chunks = diff_words(
            "Vi skal byggje fleire bustader.",
            "Vi skal byggje fleire omsorgsbustader i sentrum.",
        );
        assert!(
            chunks
                .iter()
                .any(|c| c.op == Op::Removed && c.text.contains("bustader."))
        );
        assert!(
            chunks
                .iter()
                .any(|c| c.op == Op::Added && c.text.contains("omsorgsbustader"))
        );
        let same: String = chunks
            .iter()
            .filter(|c| c.op != Op::Added)
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(
            same, "Vi skal byggje fleire bustader.",
            "old text = same + removed"
        );
        assert_eq!(
            diff_words("lik", "lik"),
            vec![Chunk {
                op: Op::Same,
                text: "lik".into()
            }]
        );
    }
}

/// One row of the planner's edit form: a section as it should be, and what to do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditRow {
    pub section: NewSection,
    /// Where it goes; rows are ordered by this (ties keep their order).
    pub position: i64,
    /// Join this section's text onto the one above it (its heading goes).
    pub merge_up: bool,
    pub delete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the first section has nothing above it to be merged into")]
    NothingToMergeInto,
    #[error("a document needs at least one section")]
    Empty,
}

/// Turns the edit form into the next version's sections: reorder, delete, merge.
/// Splitting is editing a section's text and adding a new one after it.
pub fn apply_edits(mut rows: Vec<EditRow>) -> Result<Vec<NewSection>, EditError> {
    rows.sort_by_key(|r| r.position);
    let mut out: Vec<NewSection> = Vec::with_capacity(rows.len());
    for row in rows.into_iter().filter(|r| !r.delete) {
        if row.merge_up {
            let above = out.last_mut().ok_or(EditError::NothingToMergeInto)?;
            let body = row.section.body.trim();
            if !body.is_empty() {
                if !above.body.trim().is_empty() {
                    above.body.push_str("\n\n");
                }
                above.body.push_str(body);
            }
        } else {
            out.push(row.section);
        }
    }
    if out.is_empty() {
        return Err(EditError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod edit_tests {
    use super::*;

    fn row(number: &str, title: &str, body: &str, position: i64) -> EditRow {
        EditRow {
            section: NewSection {
                number: number.into(),
                title: title.into(),
                level: 1,
                body: body.into(),
            },
            position,
            merge_up: false,
            delete: false,
        }
    }

    #[test]
    fn reorder_delete_and_merge() {
        let mut merged = row("3", "Gammal", "Tredje.", 3);
        merged.merge_up = true;
        let mut deleted = row("4", "Bort", "Vekk.", 4);
        deleted.delete = true;
        let result = apply_edits(vec![
            row("2", "To", "Andre.", 1),
            row("1", "Ein", "Første.", 2),
            merged,
            deleted,
        ])
        .expect("edits");
        let titles: Vec<&str> = result.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, vec!["To", "Ein"]);
        assert_eq!(result[1].body, "Første.\n\nTredje.");
    }

    #[test]
    fn merging_the_first_or_deleting_all_is_refused() {
        let mut first = row("1", "Ein", "x", 1);
        first.merge_up = true;
        assert_eq!(apply_edits(vec![first]), Err(EditError::NothingToMergeInto));
        let mut only = row("1", "Ein", "x", 1);
        only.delete = true;
        assert_eq!(apply_edits(vec![only]), Err(EditError::Empty));
    }
}
