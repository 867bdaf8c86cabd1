//! Plans and their milestones (framdriftsplan).

mod reading;
pub use reading::VersionChoice;

use crate::Consultation;
use db::{DbError, NewPlan};
use domain::hearing::Hearing;
use domain::plan::{Document, Milestone, Plan, PlanContact};
use domain::policy::{Action, Actor, Resource, can};
use domain::validate::{self, FieldError};
use domain::{MilestoneId, PlanId};

/// A new plan as a planner describes it.
#[derive(Debug, Clone, Default)]
pub struct NewPlanCommand {
    /// Suggested from the title when empty.
    pub slug: String,
    pub title: String,
    pub sector: Option<String>,
    pub period_start: i32,
    pub period_end: i32,
    /// Receives a notice for every new input; replies to the plan's emails go here.
    pub contact_email: Option<String>,
    /// The contact person who signs the plan's emails.
    pub contact_name: Option<String>,
    pub contact_department: Option<String>,
    pub contact_phone: Option<String>,
    /// The municipality's case number (saksnummer), such as `20/5000`.
    pub case_number: Option<String>,
}

/// An optional line of text: blank is none.
fn optional_line(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    value
        .filter(|s| !s.trim().is_empty())
        .map(|s| validate::line(field, s, max))
        .transpose()
}

/// A plan with what the workbench shows on its page.
#[derive(Debug, Clone)]
pub struct PlanOverview {
    pub plan: Plan,
    pub documents: Vec<Document>,
    pub hearings: Vec<Hearing>,
    pub milestones: Vec<Milestone>,
}

/// Why a plan or milestone could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("this needs a planner's sign-in or API token (Authorization: Bearer <token>)")]
    NotSignedIn,
    #[error("you are not allowed to do this")]
    Forbidden,
    /// Unknown, or not the actor's to change: the two look the same.
    #[error("the plan does not exist")]
    PlanNotFound,
    #[error("the milestone does not exist")]
    MilestoneNotFound,
    /// `field` is `period_start` or `period_end`, whichever is wrong.
    #[error("the plan period must be years between 1900 and 2200, the end not before the start")]
    InvalidPeriod { field: &'static str },
    #[error("the municipality has a plan with this slug already")]
    SlugTaken,
    #[error("due_on must be a date written YYYY-MM-DD")]
    InvalidDate,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// How many numbered variants of a suggested slug are tried before giving up.
const MAX_SUGGESTED_SLUGS: u32 = 50;

impl Consultation {
    /// Creates a plan in the actor's municipality; whoever creates it plans it.
    pub async fn create_plan(
        &self,
        actor: &Actor,
        command: NewPlanCommand,
    ) -> Result<Plan, PlanError> {
        let municipality = actor.staff_municipality().ok_or(PlanError::NotSignedIn)?;
        if !can(
            actor,
            Action::Create,
            Resource::Municipality { id: municipality },
        ) {
            return Err(PlanError::Forbidden);
        }
        let title = validate::line("title", &command.title, 300)?;
        if !(1900..=2200).contains(&command.period_start) {
            return Err(PlanError::InvalidPeriod {
                field: "period_start",
            });
        }
        if command.period_end < command.period_start || command.period_end > 2200 {
            return Err(PlanError::InvalidPeriod {
                field: "period_end",
            });
        }
        // A slug the planner chose must be free; one suggested from the title gets a
        // number when another plan has it.
        let (slug, suggested) = if command.slug.trim().is_empty() {
            let slug = validate::slug_from_title(&title).ok_or(FieldError {
                field: "slug",
                problem: validate::Problem::Required,
            })?;
            (slug, true)
        } else {
            (validate::slug("slug", &command.slug)?, false)
        };
        let mut new = NewPlan {
            municipality_id: municipality,
            slug: slug.clone(),
            title,
            sector: command
                .sector
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| validate::line("sector", s, 200))
                .transpose()?,
            period_start: command.period_start,
            period_end: command.period_end,
            contact_email: command
                .contact_email
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| validate::email("contact_email", s))
                .transpose()?,
            contact: PlanContact {
                name: optional_line("contact_name", command.contact_name.as_deref(), 200)?,
                department: optional_line(
                    "contact_department",
                    command.contact_department.as_deref(),
                    200,
                )?,
                phone: optional_line("contact_phone", command.contact_phone.as_deref(), 40)?,
            },
            case_number: optional_line("case_number", command.case_number.as_deref(), 60)?,
        };
        let mut attempt = 1;
        let plan = loop {
            match self.db().create_plan(new.clone()).await {
                Ok(plan) => break plan,
                Err(DbError::Conflict(_)) if suggested && attempt < MAX_SUGGESTED_SLUGS => {
                    attempt += 1;
                    let suffix = format!("-{attempt}");
                    let stem = slug[..slug.len().min(64 - suffix.len())].trim_end_matches('-');
                    new.slug = format!("{stem}{suffix}");
                }
                Err(DbError::Conflict(_)) => return Err(PlanError::SlugTaken),
                Err(e) => return Err(e.into()),
            }
        };
        if let Some(person) = actor.person {
            self.db().add_plan_planner(plan.id, person).await?;
        }
        Ok(plan)
    }

    pub(crate) async fn planned_plan(&self, actor: &Actor, id: PlanId) -> Result<Plan, PlanError> {
        crate::access::editable_plan(self.db(), actor, id)
            .await
            .map_err(|refusal| match refusal {
                crate::access::PlanRefusal::NotSignedIn => PlanError::NotSignedIn,
                crate::access::PlanRefusal::NotFound => PlanError::PlanNotFound,
                crate::access::PlanRefusal::Db(e) => e.into(),
            })
    }

    /// A plan the actor may read; unknown and hidden ones look the same.
    pub async fn visible_plan(&self, actor: &Actor, id: PlanId) -> Result<Plan, PlanError> {
        let plan = match self.db().plan(id).await {
            Ok(plan) => plan,
            Err(DbError::NotFound) => return Err(PlanError::PlanNotFound),
            Err(e) => return Err(e.into()),
        };
        let resource = crate::access::readable_plan_resource(self.db(), &plan).await?;
        if can(actor, Action::Read, resource) {
            Ok(plan)
        } else {
            Err(PlanError::PlanNotFound)
        }
    }

    /// A plan of the actor's municipality with its documents, hearings and milestones,
    /// for its page in the workbench; other plans look unknown.
    pub async fn plan_overview(
        &self,
        actor: &Actor,
        id: PlanId,
    ) -> Result<PlanOverview, PlanError> {
        let plan = self.visible_plan(actor, id).await?;
        if actor.staff_municipality() != Some(plan.municipality_id) {
            return Err(PlanError::PlanNotFound);
        }
        let db = self.db();
        Ok(PlanOverview {
            documents: db.documents_of(plan.id).await?,
            hearings: db.hearings_of_plan(plan.id).await?,
            milestones: db.milestones_of(plan.id).await?,
            plan,
        })
    }

    /// The milestones (framdriftsplan) of a plan the actor may read.
    pub async fn milestones(&self, actor: &Actor, id: PlanId) -> Result<Vec<Milestone>, PlanError> {
        let plan = self.visible_plan(actor, id).await?;
        Ok(self.db().milestones_of(plan.id).await?)
    }

    /// Adds a step of the planning process with its date.
    pub async fn add_milestone(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        title: &str,
        due_on: &str,
        done: bool,
    ) -> Result<Milestone, PlanError> {
        let plan = self.planned_plan(actor, plan_id).await?;
        let title = validate::line("title", title, 300)?;
        let due_on = due_on
            .trim()
            .parse::<jiff::civil::Date>()
            .map_err(|_| PlanError::InvalidDate)?;
        Ok(self
            .db()
            .add_milestone(plan.id, &title, due_on, done)
            .await?)
    }

    /// Marks a milestone done or not done.
    pub async fn set_milestone_done(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        milestone: MilestoneId,
        done: bool,
    ) -> Result<(), PlanError> {
        let plan = self.planned_plan(actor, plan_id).await?;
        if self
            .db()
            .set_milestone_done(plan.id, milestone, done)
            .await?
        {
            Ok(())
        } else {
            Err(PlanError::MilestoneNotFound)
        }
    }
}
