//! Municipalities, plans, documents, versions and sections.

use crate::ids::*;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    pub id: MunicipalityId,
    pub slug: String,
    pub name: String,
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
    pub created_at: Timestamp,
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
