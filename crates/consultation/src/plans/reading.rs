//! Reading plans for the workbench: the municipality's plans with their documents,
//! hearings and milestones, and the document versions a hearing can be opened on.

use super::{PlanError, PlanOverview};
use crate::Consultation;
use domain::plan::{Document, DocumentVersion, Municipality, Plan};
use domain::policy::Actor;

/// The newest version of a document, which a new hearing can be opened on.
pub struct VersionChoice {
    pub plan: Plan,
    pub document: Document,
    pub version: DocumentVersion,
}

impl Consultation {
    /// The plans of the staff member's municipality.
    pub async fn municipality_plans(&self, actor: &Actor) -> Result<Vec<Plan>, PlanError> {
        let municipality = actor.staff_municipality().ok_or(PlanError::NotSignedIn)?;
        Ok(self.db().plans_of(municipality).await?)
    }

    /// The staff member's municipality with each of its plans.
    pub async fn planner_overview(
        &self,
        actor: &Actor,
    ) -> Result<(Municipality, Vec<PlanOverview>), PlanError> {
        let municipality = actor.staff_municipality().ok_or(PlanError::NotSignedIn)?;
        let db = self.db();
        let mut plans = Vec::new();
        for plan in db.plans_of(municipality).await? {
            plans.push(PlanOverview {
                documents: db.documents_of(plan.id).await?,
                hearings: db.hearings_of_plan(plan.id).await?,
                milestones: db.milestones_of(plan.id).await?,
                plan,
            });
        }
        Ok((db.municipality(municipality).await?, plans))
    }

    /// The newest version of every document of the municipality's plans.
    pub async fn version_choices(&self, actor: &Actor) -> Result<Vec<VersionChoice>, PlanError> {
        let db = self.db();
        let mut choices = Vec::new();
        for plan in self.municipality_plans(actor).await? {
            for document in db.documents_of(plan.id).await? {
                let version = db.latest_version(document.id).await?;
                choices.push(VersionChoice {
                    plan: plan.clone(),
                    document,
                    version,
                });
            }
        }
        Ok(choices)
    }
}
