//! The planner's workbench around the register: the figures of a plan's inputs for
//! its dashboard, and the bulk actions on a selection of the register — the same
//! summary, outcome and response for near-identical inputs, a theme, an assignee.
//! Each bulk action is one use case and one transaction: every selected input must
//! be the plan's (otherwise nothing is stored), and assessments already reviewed or
//! published are left alone and named in the answer.

use super::register::SectionRef;
use super::{AssessmentError, parse_choice};
use crate::Consultation;
use db::{AssessmentEdit, unchanged_edit};
use domain::assessment::{
    AssessmentState, MAX_ASSESSMENT_TEXT_CHARS, MAX_SUMMARY_CHARS, Outcome, RegisterEntry, Theme,
};
use domain::hearing::Hearing;
use domain::plan::Plan;
use domain::policy::Actor;
use domain::validate;
use domain::workbench::InputStatistics;
use domain::{HearingId, InputId, PersonId, PlanId, ThemeId};

/// The most inputs one bulk action takes (a register page holds at most 200).
pub const MAX_SELECTION: usize = 200;

/// A plan's figures with what their labels need.
#[derive(Debug, Clone)]
pub struct PlanStatistics {
    pub plan: Plan,
    pub hearings: Vec<Hearing>,
    /// The hearing the figures are limited to, if any.
    pub hearing: Option<HearingId>,
    pub sections: Vec<SectionRef>,
    pub themes: Vec<Theme>,
    pub statistics: InputStatistics,
}

/// The same summary, outcome and response for every selected input.
#[derive(Debug, Clone, Default)]
pub struct BulkAssessmentCommand {
    pub inputs: Vec<InputId>,
    pub summary: String,
    /// `followed`, `partly_followed`, `not_followed` or `noted`.
    pub outcome: String,
    pub response: String,
}

/// A selected input a bulk action left alone, and why: its assessment's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkippedInput {
    pub id: InputId,
    pub number: i32,
    pub state: AssessmentState,
}

/// What a bulk action did: the register numbers it changed and those it skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkResult {
    pub changed: Vec<i32>,
    pub skipped: Vec<SkippedInput>,
}

impl BulkResult {
    fn of(changed: Vec<RegisterEntry>, skipped: Vec<RegisterEntry>) -> BulkResult {
        BulkResult {
            changed: changed.iter().map(|e| e.number).collect(),
            skipped: skipped
                .iter()
                .map(|e| SkippedInput {
                    id: e.id,
                    number: e.number,
                    state: e.assessment.state,
                })
                .collect(),
        }
    }
}

impl Consultation {
    /// The figures of a plan's inputs (or one of its hearing's) for its planners.
    pub async fn plan_statistics(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        hearing: Option<HearingId>,
    ) -> Result<PlanStatistics, AssessmentError> {
        let plan = self.assessed_plan(actor, plan_id).await?;
        let hearings = self.db().hearings_of_plan(plan.id).await?;
        if let Some(h) = hearing
            && !hearings.iter().any(|x| x.id == h)
        {
            return Err(AssessmentError::HearingNotInPlan);
        }
        let all_sections = self.plan_sections(&hearings).await?;
        let sections: Vec<SectionRef> = all_sections
            .into_iter()
            .filter(|s| hearing.is_none_or(|h| s.hearing_id == h))
            .collect();
        let themes = self.db().themes_of_plan(plan.id).await?;
        let section_ids: Vec<_> = sections.iter().map(|s| s.section.id).collect();
        let theme_ids: Vec<_> = themes.iter().map(|t| t.id).collect();
        let statistics = self
            .db()
            .register_statistics(plan.id, hearing, &section_ids, &theme_ids)
            .await?;
        Ok(PlanStatistics {
            plan,
            hearings,
            hearing,
            sections,
            themes,
            statistics,
        })
    }

    /// The selected rows, each checked to be the plan's: an input of another plan
    /// or an unknown one refuses the whole selection.
    pub(super) async fn selection(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        inputs: &[InputId],
    ) -> Result<(Plan, Vec<InputId>), AssessmentError> {
        let plan = self.assessed_plan(actor, plan_id).await?;
        let mut ids = inputs.to_vec();
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            return Err(AssessmentError::NothingSelected);
        }
        if ids.len() > MAX_SELECTION {
            return Err(AssessmentError::SelectionTooLarge);
        }
        let found = self.db().register_entries(&ids).await?;
        let all_of_plan = ids
            .iter()
            .all(|id| found.iter().any(|e| e.id == *id && e.plan_id == plan.id));
        if !all_of_plan {
            return Err(AssessmentError::InputNotFound);
        }
        Ok((plan, ids))
    }

    /// Gives every selected input the same summary, outcome and response as a
    /// draft (its other fields stay); reviewed and published ones are skipped.
    pub async fn bulk_assess(
        &self,
        actor: &Actor,
        who: &str,
        plan_id: PlanId,
        command: BulkAssessmentCommand,
    ) -> Result<BulkResult, AssessmentError> {
        let (_, ids) = self.selection(actor, plan_id, &command.inputs).await?;
        let summary = validate::text("summary", &command.summary, MAX_SUMMARY_CHARS)?;
        let outcome = parse_choice("outcome", &command.outcome, Outcome::ALL, Outcome::as_str)?;
        let response = validate::text("response", &command.response, MAX_ASSESSMENT_TEXT_CHARS)?;
        let by = self.changed_by(actor, who).await?;
        let (changed, skipped) = self
            .db()
            .bulk_edit_assessments(&ids, by, &|entry| AssessmentEdit {
                summary: summary.clone(),
                outcome: Some(outcome),
                response: response.clone(),
                ..unchanged_edit(entry)
            })
            .await?;
        metrics::counter!("samrad_bulk_assessments_total").increment(changed.len() as u64);
        Ok(BulkResult::of(changed, skipped))
    }

    /// Tags every selected input with one of the plan's themes (keeping the themes
    /// it has); reviewed and published ones are skipped.
    pub async fn bulk_set_theme(
        &self,
        actor: &Actor,
        who: &str,
        plan_id: PlanId,
        inputs: &[InputId],
        theme: ThemeId,
    ) -> Result<BulkResult, AssessmentError> {
        let (plan, ids) = self.selection(actor, plan_id, inputs).await?;
        let theme = match self.db().theme(theme).await {
            Ok(t) if t.plan_id == plan.id => t,
            Ok(_) | Err(db::DbError::NotFound) => return Err(AssessmentError::UnknownTheme),
            Err(e) => return Err(e.into()),
        };
        let by = self.changed_by(actor, who).await?;
        let (changed, skipped) = self
            .db()
            .bulk_edit_assessments(&ids, by, &|entry| {
                let mut edit = unchanged_edit(entry);
                if !edit.theme_ids.contains(&theme.id) {
                    edit.theme_ids.push(theme.id);
                }
                edit
            })
            .await?;
        Ok(BulkResult::of(changed, skipped))
    }

    /// Assigns every selected input to one of the plan's planners (or to nobody).
    /// Assignment is not part of the assessment, so reviewed ones are assigned too;
    /// each input whose assignee changes gets a line in its history.
    pub async fn bulk_assign(
        &self,
        actor: &Actor,
        who: &str,
        plan_id: PlanId,
        inputs: &[InputId],
        assignee: Option<PersonId>,
    ) -> Result<BulkResult, AssessmentError> {
        let (plan, ids) = self.selection(actor, plan_id, inputs).await?;
        if let Some(person) = assignee {
            let planners = self.db().plan_planners(plan.id).await?;
            if !planners.iter().any(|p| p.id == person) {
                return Err(AssessmentError::UnknownAssignee);
            }
        }
        let by = self.changed_by(actor, who).await?;
        self.db().assign_inputs(&ids, assignee, by).await?;
        let entries = self.db().register_entries(&ids).await?;
        let mut changed: Vec<i32> = entries.iter().map(|e| e.number).collect();
        changed.sort();
        Ok(BulkResult {
            changed,
            skipped: Vec::new(),
        })
    }
}

/// What the register page shows around its rows: the planners inputs can be
/// assigned to, and the open hearings whose new inputs it adds live, each with the
/// last event sequence number of its room to resume from.
#[derive(Debug, Clone, Default)]
pub struct RegisterSurroundings {
    pub planners: Vec<domain::person::Person>,
    pub live_rooms: Vec<(HearingId, i64)>,
}

impl Consultation {
    /// The planners and the live rooms of a plan's register page.
    pub async fn register_surroundings(
        &self,
        actor: &Actor,
        plan_id: PlanId,
    ) -> Result<RegisterSurroundings, AssessmentError> {
        let plan = self.assessed_plan(actor, plan_id).await?;
        let planners = self.db().plan_planners(plan.id).await?;
        let mut live_rooms = Vec::new();
        for hearing in self.db().hearings_of_plan(plan.id).await? {
            if hearing.state == domain::hearing::HearingState::Open {
                let room = domain::room::Room::Hearing(hearing.id);
                live_rooms.push((hearing.id, self.db().last_seq(room).await?));
            }
        }
        Ok(RegisterSurroundings {
            planners,
            live_rooms,
        })
    }
}
