//! The outbox as a municipality's administrators see it: emails queued, sent and
//! given up, with their errors, and a given-up one queued again.

use crate::Consultation;
use crate::plans::PlanError;
use domain::plan::Plan;
use domain::policy::Actor;
use domain::{OutboxJobId, PlanId};

pub use db::{ClaimedJob as OutboxEmail, OutboxDepth, OutboxStatus};

/// How many emails of each status the page lists.
const LISTED: u64 = 200;
/// How many of a plan's newest emails its page lists.
const LISTED_FOR_PLAN: u64 = 500;

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("only the municipality's administrators may see the outbox")]
    Forbidden,
    #[error("no given-up email has that id")]
    NotFound,
    #[error(transparent)]
    Db(#[from] db::DbError),
}

/// A municipality's emails by status, newest first.
pub struct OutboxOverview {
    pub queued: Vec<OutboxEmail>,
    pub sent: Vec<OutboxEmail>,
    pub dead: Vec<OutboxEmail>,
}

/// What went out for a plan, newest first, whatever became of each.
pub struct PlanEmails {
    pub plan: Plan,
    pub emails: Vec<OutboxEmail>,
}

/// The municipality the actor administers.
fn administered(actor: &Actor) -> Result<domain::MunicipalityId, OutboxError> {
    crate::access::administered_municipality(actor).ok_or(OutboxError::Forbidden)
}

impl Consultation {
    /// The emails of the municipality the actor administers.
    pub async fn outbox_overview(&self, actor: &Actor) -> Result<OutboxOverview, OutboxError> {
        let municipality = administered(actor)?;
        let db = self.db();
        Ok(OutboxOverview {
            queued: db
                .emails_of(municipality, OutboxStatus::Pending, LISTED)
                .await?,
            sent: db
                .emails_of(municipality, OutboxStatus::Sent, LISTED)
                .await?,
            dead: db
                .emails_of(municipality, OutboxStatus::Failed, LISTED)
                .await?,
        })
    }

    /// Queues a given-up email of the actor's municipality again; logged.
    pub async fn retry_email(
        &self,
        actor: &Actor,
        who: &str,
        id: OutboxJobId,
    ) -> Result<(), OutboxError> {
        let municipality = administered(actor)?;
        if !self.db().retry_dead_email(municipality, id).await? {
            return Err(OutboxError::NotFound);
        }
        tracing::info!(job = %id, actor = %who, "given-up email queued again");
        self.after_commit(&[], true);
        Ok(())
    }

    /// The emails queued for a plan (invitations, hearing opened and closed,
    /// reminders, notices, …) with what became of each, for the plan's planners.
    pub async fn plan_emails(&self, actor: &Actor, plan: PlanId) -> Result<PlanEmails, PlanError> {
        let plan = self.planned_plan(actor, plan).await?;
        let emails = self.db().emails_of_plan(plan.id, LISTED_FOR_PLAN).await?;
        Ok(PlanEmails { plan, emails })
    }

    /// How many emails wait and how many were given up, installation-wide, for
    /// `/metrics`.
    pub async fn outbox_depth(&self) -> Result<OutboxDepth, db::DbError> {
        self.db().outbox_depth().await
    }
}
