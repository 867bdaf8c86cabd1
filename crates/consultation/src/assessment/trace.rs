//! Traceability from input to changed text: an assessment may name the section of a
//! later document version where the change it led to was made, and the comparison
//! of two versions shows, beside each changed section, the inputs behind it.

use super::AssessmentError;
use crate::Consultation;
use crate::access::editable_plan;
use db::DbError;
use domain::assessment::{AssessmentState, Outcome};
use domain::plan::Document;
use domain::policy::Actor;
use domain::{DocumentId, InputId, PlanId, SectionId};
use std::collections::HashMap;
use std::ops::RangeInclusive;
use uuid::Uuid;

/// A section of a document version that has a version before it: a place where a
/// change to the plan can be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangePlace {
    pub section_id: SectionId,
    /// The section's identity across versions.
    pub lineage: Uuid,
    pub document_id: DocumentId,
    pub document_title: String,
    /// The version the change was made in; it is compared with the one before.
    pub version: i32,
    pub number: String,
    pub title: String,
}

/// An input whose assessment links its change to a section of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracedInput {
    pub input_id: InputId,
    pub number: i32,
    /// `None` when a private person's name is left out (for readers who are not
    /// the plan's planners).
    pub sender: Option<String>,
    pub organisation: bool,
    pub outcome: Option<Outcome>,
    pub state: AssessmentState,
}

/// The inputs behind the changes of a comparison, by section lineage, and whether
/// the reader plans the plan (and may open each assessment).
#[derive(Debug, Clone, Default)]
pub struct TracedChanges {
    pub by_lineage: HashMap<Uuid, Vec<TracedInput>>,
    pub planner: bool,
}

impl Consultation {
    /// Every place of the plan's documents a change can be linked to: the sections of
    /// each version after the first, document by document, newest version first.
    pub(super) async fn change_places(
        &self,
        plan: PlanId,
    ) -> Result<Vec<ChangePlace>, AssessmentError> {
        let mut out = Vec::new();
        for document in self.db().documents_of(plan).await? {
            let mut versions = self.db().versions_of(document.id).await?;
            versions.retain(|v| v.number > 1);
            versions.reverse();
            for version in versions {
                for section in self.db().sections_of(version.id).await? {
                    out.push(ChangePlace {
                        section_id: section.id,
                        lineage: section.lineage.0,
                        document_id: document.id,
                        document_title: document.title.clone(),
                        version: version.number,
                        number: section.number,
                        title: section.title,
                    });
                }
            }
        }
        Ok(out)
    }

    /// A section the planner links a change to: it must be in a later version (one
    /// that has a version before it) of a document of the plan.
    pub(super) async fn checked_change_section(
        &self,
        plan: PlanId,
        id: SectionId,
    ) -> Result<SectionId, AssessmentError> {
        let refused = || AssessmentError::ChangeSectionInvalid;
        let section = match self.db().section(id).await {
            Ok(s) => s,
            Err(DbError::NotFound) => return Err(refused()),
            Err(e) => return Err(e.into()),
        };
        let version = self.db().document_version(section.version_id).await?;
        let document = self.db().document(version.document_id).await?;
        if document.plan_id != plan || version.number < 2 {
            return Err(refused());
        }
        Ok(id)
    }

    /// The inputs whose changes were made in the versions `versions` of a document
    /// (the newer side of a comparison), by the lineage of the section changed. The
    /// plan's planners see every linked assessment with its sender; other readers
    /// only published ones, without the names of private persons.
    pub async fn traced_changes(
        &self,
        actor: &Actor,
        document: &Document,
        versions: RangeInclusive<i32>,
    ) -> Result<TracedChanges, DbError> {
        let planner = match editable_plan(self.db(), actor, document.plan_id).await {
            Ok(_) => true,
            Err(crate::access::PlanRefusal::Db(e)) => return Err(e),
            Err(_) => false,
        };
        let mut lineage_of = HashMap::new();
        for version in self.db().versions_of(document.id).await? {
            if versions.contains(&version.number) {
                for section in self.db().sections_of(version.id).await? {
                    lineage_of.insert(section.id, section.lineage.0);
                }
            }
        }
        let sections: Vec<SectionId> = lineage_of.keys().copied().collect();
        let entries = self.db().register_changes_in(&sections).await?;
        let mut by_lineage: HashMap<Uuid, Vec<TracedInput>> = HashMap::new();
        for input in self.case_file_inputs(entries).await? {
            let assessment = &input.entry.assessment;
            if !planner && assessment.state != AssessmentState::Published {
                continue;
            }
            let Some(lineage) = assessment
                .change_section_id
                .and_then(|s| lineage_of.get(&s).copied())
            else {
                continue;
            };
            let (name, organisation) = input.sender();
            by_lineage.entry(lineage).or_default().push(TracedInput {
                input_id: input.entry.id,
                number: input.entry.number,
                sender: (planner || organisation).then(|| name.to_owned()),
                organisation,
                outcome: assessment.outcome,
                state: assessment.state,
            });
        }
        Ok(TracedChanges {
            by_lineage,
            planner,
        })
    }
}
