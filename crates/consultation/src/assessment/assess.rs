//! The assessment of one input: its content saved as a draft, reviewed by a second
//! planner, published; the plan's themes; the history of every change.

use super::register::SectionRef;
use super::trace::ChangePlace;
use super::{AssessmentError, parse_choice};
use crate::Consultation;
use db::{AssessmentEdit, ChangedBy, DbError};
use domain::assessment::{
    AssessmentChange, MAX_ASSESSMENT_TEXT_CHARS, MAX_SUMMARY_CHARS, MAX_THEME_CHARS, Outcome,
    RegisterEntry, RegisteredInput, Theme,
};
use domain::plan::Plan;
use domain::policy::Actor;
use domain::validate;
use domain::{InputId, PlanId, SectionId, ThemeId};

/// An assessment as the planner typed it, before any check.
#[derive(Debug, Clone, Default)]
pub struct AssessmentCommand {
    pub summary: String,
    /// `followed`, `partly_followed`, `not_followed`, `noted`, or empty for none yet.
    pub outcome: String,
    pub response: String,
    pub change: String,
    /// The section of a later document version where the change was made.
    pub change_section_id: Option<SectionId>,
    pub section_ids: Vec<SectionId>,
    pub theme_ids: Vec<ThemeId>,
}

/// What a theme operation asks for.
#[derive(Debug, Clone)]
pub enum ThemeCommand {
    Create {
        name: String,
    },
    Rename {
        theme: ThemeId,
        name: String,
    },
    /// Every assessment tagged `from` is tagged `into`, and `from` is gone.
    Merge {
        from: ThemeId,
        into: ThemeId,
    },
}

/// An input with its assessment and what the form needs around it.
#[derive(Debug, Clone)]
pub struct InputAssessment {
    pub plan: Plan,
    pub input: RegisteredInput,
    pub history: Vec<AssessmentChange>,
    pub themes: Vec<Theme>,
    pub sections: Vec<SectionRef>,
    /// Where a change can be linked to: sections of later document versions.
    pub change_places: Vec<ChangePlace>,
}

impl InputAssessment {
    /// The place the assessment links its change to, if any.
    pub fn change_place(&self) -> Option<&ChangePlace> {
        let id = self.input.entry.assessment.change_section_id?;
        self.change_places.iter().find(|p| p.section_id == id)
    }
}

/// A text that may be left empty in a draft.
fn optional_text(field: &'static str, value: &str, max: usize) -> Result<String, AssessmentError> {
    if value.trim().is_empty() {
        Ok(String::new())
    } else {
        Ok(validate::text(field, value, max)?)
    }
}

impl Consultation {
    /// A register row of a plan the actor plans; anything else is unknown.
    async fn planned_entry(
        &self,
        actor: &Actor,
        id: InputId,
    ) -> Result<(Plan, RegisterEntry), AssessmentError> {
        let entry = match self.db().register_entry(id).await {
            Ok(e) => e,
            Err(DbError::NotFound) => return Err(AssessmentError::InputNotFound),
            Err(e) => return Err(e.into()),
        };
        let plan = match self.assessed_plan(actor, entry.plan_id).await {
            Err(AssessmentError::PlanNotFound) => return Err(AssessmentError::InputNotFound),
            other => other?,
        };
        Ok((plan, entry))
    }

    pub(super) async fn changed_by(
        &self,
        actor: &Actor,
        who: &str,
    ) -> Result<ChangedBy, AssessmentError> {
        Ok(ChangedBy {
            person_id: actor.person,
            name: self.actor_name(actor, who).await?,
            at: self.now(),
        })
    }

    /// An input with its assessment, history, the plan's themes and sections.
    pub async fn input_assessment(
        &self,
        actor: &Actor,
        id: InputId,
    ) -> Result<InputAssessment, AssessmentError> {
        let (plan, entry) = self.planned_entry(actor, id).await?;
        let history = self.db().assessment_history(id).await?;
        let input = self.case_file_inputs(vec![entry]).await?.remove(0);
        let hearings = self.db().hearings_of_plan(plan.id).await?;
        let sections = self.plan_sections(&hearings).await?;
        let themes = self.db().themes_of_plan(plan.id).await?;
        let change_places = self.change_places(plan.id).await?;
        Ok(InputAssessment {
            plan,
            input,
            history,
            themes,
            sections,
            change_places,
        })
    }

    /// Saves an assessment's content as a draft (a reviewed or published one becomes
    /// a draft again and needs a new review); every changed field is logged.
    pub async fn save_assessment(
        &self,
        actor: &Actor,
        who: &str,
        id: InputId,
        command: AssessmentCommand,
    ) -> Result<RegisterEntry, AssessmentError> {
        let (plan, _) = self.planned_entry(actor, id).await?;
        let outcome = match command.outcome.trim() {
            "" => None,
            value => Some(parse_choice(
                "outcome",
                value,
                Outcome::ALL,
                Outcome::as_str,
            )?),
        };
        let hearings = self.db().hearings_of_plan(plan.id).await?;
        let sections = self.plan_sections(&hearings).await?;
        let mut section_ids = command.section_ids;
        section_ids.dedup();
        if section_ids
            .iter()
            .any(|id| !sections.iter().any(|s| s.section.id == *id))
        {
            return Err(AssessmentError::SectionNotInPlan);
        }
        let change_section_id = match command.change_section_id {
            Some(id) => Some(self.checked_change_section(plan.id, id).await?),
            None => None,
        };
        let edit = AssessmentEdit {
            summary: optional_text("summary", &command.summary, MAX_SUMMARY_CHARS)?,
            outcome,
            response: optional_text("response", &command.response, MAX_ASSESSMENT_TEXT_CHARS)?,
            change: optional_text("change", &command.change, MAX_ASSESSMENT_TEXT_CHARS)?,
            change_section_id,
            section_ids,
            theme_ids: command.theme_ids,
        };
        let by = self.changed_by(actor, who).await?;
        Ok(self.db().save_assessment(id, edit, by).await?)
    }

    /// Marks a complete draft reviewed. The reviewer must be a signed-in planner
    /// who changed nothing in it since its last review (four eyes).
    pub async fn review_assessment(
        &self,
        actor: &Actor,
        who: &str,
        id: InputId,
    ) -> Result<RegisterEntry, AssessmentError> {
        self.planned_entry(actor, id).await?;
        let by = self.changed_by(actor, who).await?;
        Ok(self.db().review_assessment(id, by).await?)
    }

    /// Publishes a reviewed assessment.
    pub async fn publish_assessment(
        &self,
        actor: &Actor,
        who: &str,
        id: InputId,
    ) -> Result<RegisterEntry, AssessmentError> {
        let (plan, _) = self.planned_entry(actor, id).await?;
        let by = self.changed_by(actor, who).await?;
        let published = self.db().publish_assessment(id, by).await?;
        self.record(
            crate::audit::by(
                actor,
                domain::audit::AuditKind::AssessmentPublished,
                Some(plan.municipality_id),
            )
            .plan(Some(plan.id))
            .target(id)
            .detail(format!("input {}", published.number)),
        )
        .await;
        Ok(published)
    }

    /// Every change to an input's assessment, oldest first.
    pub async fn assessment_history(
        &self,
        actor: &Actor,
        id: InputId,
    ) -> Result<Vec<AssessmentChange>, AssessmentError> {
        self.planned_entry(actor, id).await?;
        Ok(self.db().assessment_history(id).await?)
    }

    /// The plan's themes, by name.
    pub async fn plan_themes(
        &self,
        actor: &Actor,
        plan_id: PlanId,
    ) -> Result<Vec<Theme>, AssessmentError> {
        let plan = self.assessed_plan(actor, plan_id).await?;
        Ok(self.db().themes_of_plan(plan.id).await?)
    }

    /// A theme of this plan; another plan's is unknown.
    async fn plan_theme(&self, plan: PlanId, id: ThemeId) -> Result<Theme, AssessmentError> {
        match self.db().theme(id).await {
            Ok(theme) if theme.plan_id == plan => Ok(theme),
            Ok(_) | Err(DbError::NotFound) => Err(AssessmentError::ThemeNotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Creates, renames or merges the plan's themes; the theme that results.
    pub async fn change_theme(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        command: ThemeCommand,
    ) -> Result<Theme, AssessmentError> {
        let plan = self.assessed_plan(actor, plan_id).await?;
        let conflict = |e: DbError| match e {
            DbError::Conflict(_) => AssessmentError::ThemeExists,
            other => AssessmentError::Db(other),
        };
        match command {
            ThemeCommand::Create { name } => {
                let name = validate::line("name", &name, MAX_THEME_CHARS)?;
                self.db()
                    .create_theme(plan.id, &name, self.now())
                    .await
                    .map_err(conflict)
            }
            ThemeCommand::Rename { theme, name } => {
                let theme = self.plan_theme(plan.id, theme).await?;
                let name = validate::line("name", &name, MAX_THEME_CHARS)?;
                self.db()
                    .rename_theme(theme.id, &name)
                    .await
                    .map_err(conflict)
            }
            ThemeCommand::Merge { from, into } => {
                let from = self.plan_theme(plan.id, from).await?;
                let into = self.plan_theme(plan.id, into).await?;
                if from.id == into.id {
                    return Ok(into);
                }
                Ok(self.db().merge_themes(from.id, into.id).await?)
            }
        }
    }
}
