//! Municipalities, plans, documents, versions and sections.

use crate::ids::*;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    pub id: MunicipalityId,
    pub slug: String,
    pub name: String,
    /// How the municipality's emails are sent.
    #[serde(default)]
    pub sender: Sender,
}

/// A municipality's sender identity for email, and its own public address when
/// several municipalities share an installation. Each part falls back to the
/// installation's setting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// The display name; the municipality's name when `None`.
    pub display_name: Option<String>,
    /// The From address; the installation's when `None`.
    pub from_address: Option<String>,
    /// Where replies go when a plan names no contact.
    pub reply_to: Option<String>,
    /// Links in emails start with this, such as `https://hoyring.alver.kommune.no`.
    pub base_url: Option<String>,
}

impl Sender {
    /// The settings as an administrator typed them; an empty part falls back to the
    /// installation's. The field names are those of the API and the form.
    pub fn typed(
        display_name: Option<&str>,
        from_address: Option<&str>,
        reply_to: Option<&str>,
        base_url: Option<&str>,
    ) -> Result<Sender, crate::validate::FieldError> {
        use crate::validate;
        Ok(Sender {
            display_name: validate::optional_line("display_name", display_name, 200)?,
            from_address: validate::optional_email("from_address", from_address)?,
            reply_to: validate::optional_email("reply_to", reply_to)?,
            base_url: base_url
                .filter(|v| !v.trim().is_empty())
                .map(|v| validate::web_address("base_url", v))
                .transpose()?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Preparation,
    Hearing,
    Adopted,
    Archived,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Preparation => "preparation",
            PlanStatus::Hearing => "hearing",
            PlanStatus::Adopted => "adopted",
            PlanStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            PlanStatus::Preparation,
            PlanStatus::Hearing,
            PlanStatus::Adopted,
            PlanStatus::Archived,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub municipality_id: MunicipalityId,
    pub slug: String,
    pub title: String,
    pub sector: Option<String>,
    pub period_start: i32,
    pub period_end: i32,
    pub status: PlanStatus,
    /// Where notices about new inputs go (the planner's or the planning office's address).
    pub contact_email: Option<String>,
    /// The contact person who signs the plan's letters.
    #[serde(default)]
    pub contact: PlanContact,
    /// The municipality's case number (saksnummer), such as `20/5000`.
    #[serde(default)]
    pub case_number: Option<String>,
    pub created_at: Timestamp,
}

/// Who answers questions about a plan, as letters sign it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanContact {
    pub name: Option<String>,
    /// Such as "Plan og analyse".
    pub department: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    PlanningProgramme,
    PlanProposal,
    Other,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::PlanningProgramme => "planning_programme",
            DocumentKind::PlanProposal => "plan_proposal",
            DocumentKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            DocumentKind::PlanningProgramme,
            DocumentKind::PlanProposal,
            DocumentKind::Other,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == s)
    }
}

/// The language a document's text is written in. Documents, plans and municipalities
/// carry no language of their own yet; the plans Samråd serves are written in
/// nynorsk, so pages in bokmål or English mark the text as nynorsk (WCAG 3.1.2).
pub const DOCUMENT_LANG: crate::Lang = crate::Lang::Nn;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocumentId,
    pub plan_id: PlanId,
    pub kind: DocumentKind,
    pub title: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentVersion {
    pub id: DocumentVersionId,
    pub document_id: DocumentId,
    pub number: i32,
    pub created_at: Timestamp,
}

/// A numbered part of a document version. The body is Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub id: SectionId,
    pub version_id: DocumentVersionId,
    pub number: String,
    pub title: String,
    pub level: i32,
    pub body: String,
    pub position: i32,
    /// The same section in every version of the document.
    pub lineage: SectionId,
}

/// A section as given by a planner or an importer, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSection {
    pub number: String,
    pub title: String,
    pub level: i32,
    pub body: String,
}

/// A step of the planning process with a date (framdriftsplan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: MilestoneId,
    pub plan_id: PlanId,
    pub title: String,
    pub due_on: jiff::civil::Date,
    pub done: bool,
}

/// The most sections one document version may have.
pub const MAX_SECTIONS: usize = 2_000;
/// Section levels go from 1 (a chapter) to 6.
pub const SECTION_LEVELS: std::ops::RangeInclusive<i32> = 1..=6;
const MAX_NUMBER_CHARS: usize = 32;
const MAX_TITLE_CHARS: usize = 300;
const MAX_BODY_CHARS: usize = 200_000;

/// Why a document's sections cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SectionsError {
    #[error("a document needs between 1 and {MAX_SECTIONS} sections; this one has {0}")]
    Count(usize),
    #[error("section {position}: levels go from 1 to 6")]
    Level { position: usize },
    /// `position` counts from 1, in the order given.
    #[error("section {position}: {problem}")]
    Field {
        position: usize,
        problem: crate::validate::FieldError,
    },
}

impl SectionsError {
    pub fn code(&self) -> &'static str {
        match self {
            SectionsError::Count(_) => "invalid_sections",
            SectionsError::Level { .. } => "invalid_level",
            SectionsError::Field { .. } => "validation_failed",
        }
    }
}

/// The one rule for the sections of a document version, whether they come from the
/// API, the workbench editor, an import or the command line: 1 to [`MAX_SECTIONS`]
/// sections, each with a title (up to 300 characters), an optional number (up to
/// 32), a level from 1 to 6 and an optional text (up to 200,000 characters).
/// Returns the sections trimmed.
pub fn check_sections(sections: Vec<NewSection>) -> Result<Vec<NewSection>, SectionsError> {
    use crate::validate;
    if sections.is_empty() || sections.len() > MAX_SECTIONS {
        return Err(SectionsError::Count(sections.len()));
    }
    sections
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let position = i + 1;
            let field = |problem| SectionsError::Field { position, problem };
            if !SECTION_LEVELS.contains(&s.level) {
                return Err(SectionsError::Level { position });
            }
            Ok(NewSection {
                number: if s.number.trim().is_empty() {
                    String::new()
                } else {
                    validate::line("number", &s.number, MAX_NUMBER_CHARS).map_err(field)?
                },
                title: validate::line("title", &s.title, MAX_TITLE_CHARS).map_err(field)?,
                level: s.level,
                body: if s.body.trim().is_empty() {
                    String::new()
                } else {
                    validate::text("body", &s.body, MAX_BODY_CHARS).map_err(field)?
                },
            })
        })
        .collect()
}

impl Municipality {
    /// Where links in its emails start: its own address when it has one, else the
    /// installation's, without a trailing slash.
    pub fn links_from(&self, installation_url: &str) -> String {
        self.sender
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or(installation_url)
            .trim_end_matches('/')
            .to_owned()
    }
}

#[cfg(test)]
mod section_rule_tests {
    use super::*;

    fn section(number: &str, title: &str, level: i32) -> NewSection {
        NewSection {
            number: number.to_owned(),
            title: title.to_owned(),
            level,
            body: String::new(),
        }
    }

    #[test]
    fn every_section_needs_a_title_and_a_level_from_one_to_six() {
        assert_eq!(
            check_sections(vec![section("1", "Innleiing", 1), section("", " ", 1)]),
            Err(SectionsError::Field {
                position: 2,
                problem: crate::validate::FieldError {
                    field: "title",
                    problem: crate::validate::Problem::Required
                }
            })
        );
        assert_eq!(
            check_sections(vec![section("1", "A", 7)]),
            Err(SectionsError::Level { position: 1 })
        );
        let ok = check_sections(vec![section("", " Føreord ", 1), section("1.1", "B", 6)])
            .expect("valid");
        assert_eq!(ok[0].title, "Føreord");
        assert_eq!(ok[0].number, "");
    }

    #[test]
    fn a_document_has_one_to_two_thousand_sections() {
        assert_eq!(check_sections(Vec::new()), Err(SectionsError::Count(0)));
        let many = vec![section("1", "A", 1); MAX_SECTIONS + 1];
        assert_eq!(
            check_sections(many),
            Err(SectionsError::Count(MAX_SECTIONS + 1))
        );
        assert!(check_sections(vec![section("1", "A", 1); MAX_SECTIONS]).is_ok());
    }
}
