//! The workbench over the JSON API: a plan's statistics, and the bulk actions on a
//! selection of its register (the same assessment, a theme, an assignee).

use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::extract::State;
use consultation::assessment::{BulkAssessmentCommand, BulkResult, PlanStatistics};
use domain::{HearingId, InputId, PersonId, PlanId, ThemeId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// How many inputs have one value.
#[derive(Debug, Serialize, ToSchema)]
pub struct TallyDto {
    /// The value: a section or theme id, a day (YYYY-MM-DD), a submitter kind, an
    /// outcome (`none`: not decided) or a state.
    pub key: String,
    /// A label for people: the section's number and title, the theme's name.
    pub label: Option<String>,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatisticsDto {
    pub plan_id: Uuid,
    /// The hearing the figures are limited to, or null for the whole plan.
    pub hearing_id: Option<Uuid>,
    /// Inputs in the register (those shown in it).
    pub total: u64,
    /// Inputs on each section or whose assessment links it, in document order (an
    /// input may concern several sections).
    pub by_section: Vec<TallyDto>,
    /// Inputs received each day (Europe/Oslo); days without input left out.
    pub by_day: Vec<TallyDto>,
    /// `person`, an organisation kind (`council`, `user_organisation`, …), or
    /// `organisation` for a letter from an organisation of no recorded kind.
    pub by_submitter: Vec<TallyDto>,
    pub by_outcome: Vec<TallyDto>,
    pub by_state: Vec<TallyDto>,
    /// Inputs tagged with each theme (an input may have several).
    pub by_theme: Vec<TallyDto>,
    /// Inputs with no theme yet.
    pub without_theme: u64,
}

impl From<&PlanStatistics> for StatisticsDto {
    fn from(p: &PlanStatistics) -> Self {
        let s = &p.statistics;
        let tally = |key: String, label: Option<String>, count: u64| TallyDto { key, label, count };
        StatisticsDto {
            plan_id: p.plan.id.0,
            hearing_id: p.hearing.map(|h| h.0),
            total: s.total,
            by_section: s
                .by_section
                .iter()
                .map(|t| {
                    let label = p
                        .sections
                        .iter()
                        .find(|r| r.section.id == t.key)
                        .map(|r| format!("{} {}", r.section.number, r.section.title));
                    tally(t.key.to_string(), label, t.count)
                })
                .collect(),
            by_day: s
                .by_day
                .iter()
                .map(|t| tally(t.key.to_string(), None, t.count))
                .collect(),
            by_submitter: s
                .by_submitter
                .iter()
                .map(|t| tally(t.key.as_str().to_owned(), None, t.count))
                .collect(),
            by_outcome: s
                .by_outcome
                .iter()
                .map(|t| {
                    tally(
                        t.key.map_or("none", |o| o.as_str()).to_owned(),
                        None,
                        t.count,
                    )
                })
                .collect(),
            by_state: s
                .by_state
                .iter()
                .map(|t| tally(t.key.as_str().to_owned(), None, t.count))
                .collect(),
            by_theme: s
                .by_theme
                .iter()
                .map(|t| {
                    let label = p
                        .themes
                        .iter()
                        .find(|x| x.id == t.key)
                        .map(|x| x.name.clone());
                    tally(t.key.to_string(), label, t.count)
                })
                .collect(),
            without_theme: s.without_theme,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticsQuery {
    pub hearing: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/statistics", tag = "assessment",
    params(("id" = Uuid, Path, description = "plan id"),
        ("hearing" = Option<Uuid>, Query, description = "only this hearing's inputs")),
    responses((status = 200, body = StatisticsDto, description = "the figures of the plan's input register, counted by the database"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody, description = "`hearing_not_in_plan`")))]
pub async fn statistics(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<StatisticsQuery>,
) -> Result<ApiJson<StatisticsDto>, ApiError> {
    let found = state
        .consultation()
        .plan_statistics(&actor, PlanId(id), query.hearing.map(HearingId))
        .await?;
    Ok(ApiJson((&found).into()))
}

/// A selected input a bulk action left alone.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkippedDto {
    pub id: Uuid,
    pub number: i32,
    /// `reviewed` or `published`: a bulk action does not change those.
    pub state: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResultDto {
    /// The register numbers changed.
    pub changed: Vec<i32>,
    /// Selected inputs left as they were, with why.
    pub skipped: Vec<SkippedDto>,
}

impl From<BulkResult> for BulkResultDto {
    fn from(r: BulkResult) -> Self {
        BulkResultDto {
            changed: r.changed,
            skipped: r
                .skipped
                .iter()
                .map(|s| SkippedDto {
                    id: s.id.0,
                    number: s.number,
                    state: s.state.as_str().to_owned(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkAssessmentBody {
    /// Register row ids of the plan, 1 to 200.
    pub inputs: Vec<Uuid>,
    pub summary: String,
    /// `followed`, `partly_followed`, `not_followed` or `noted`.
    pub outcome: String,
    pub response: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkThemeBody {
    pub inputs: Vec<Uuid>,
    /// A theme of the plan.
    pub theme: Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkAssigneeBody {
    pub inputs: Vec<Uuid>,
    /// A planner of the plan, or null to assign nobody.
    pub assignee: Option<Uuid>,
}

fn ids(list: &[Uuid]) -> Vec<InputId> {
    list.iter().copied().map(InputId).collect()
}

const BULK_REFUSALS: &str = "`nothing_selected`, `selection_too_large`, `validation_failed` or `invalid_value`; nothing is stored";

#[utoipa::path(post, path = "/api/v1/plans/{id}/inputs/bulk/assessment", tag = "assessment",
    params(("id" = Uuid, Path, description = "plan id")), request_body = BulkAssessmentBody,
    responses((status = 200, body = BulkResultDto, description = "the same summary, outcome and response drafted for each selected input; reviewed and published ones are skipped and listed"),
        (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody, description = "the plan, or a selected input that is not the plan's: nothing is stored"),
        (status = 422, body = crate::error::ErrorBody, description = BULK_REFUSALS)))]
pub async fn bulk_assessment(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<BulkAssessmentBody>,
) -> Result<ApiJson<BulkResultDto>, ApiError> {
    let done = state
        .consultation()
        .bulk_assess(
            &actor,
            &who,
            PlanId(id),
            BulkAssessmentCommand {
                inputs: ids(&body.inputs),
                summary: body.summary,
                outcome: body.outcome,
                response: body.response,
            },
        )
        .await?;
    Ok(ApiJson(done.into()))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/inputs/bulk/theme", tag = "assessment",
    params(("id" = Uuid, Path, description = "plan id")), request_body = BulkThemeBody,
    responses((status = 200, body = BulkResultDto, description = "the theme added to each selected input's assessment; reviewed and published ones are skipped and listed"),
        (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody, description = "the plan, or a selected input that is not the plan's: nothing is stored"),
        (status = 422, body = crate::error::ErrorBody, description = "`unknown_theme`, `nothing_selected` or `selection_too_large`")))]
pub async fn bulk_theme(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<BulkThemeBody>,
) -> Result<ApiJson<BulkResultDto>, ApiError> {
    let done = state
        .consultation()
        .bulk_set_theme(
            &actor,
            &who,
            PlanId(id),
            &ids(&body.inputs),
            ThemeId(body.theme),
        )
        .await?;
    Ok(ApiJson(done.into()))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/inputs/bulk/assignee", tag = "assessment",
    params(("id" = Uuid, Path, description = "plan id")), request_body = BulkAssigneeBody,
    responses((status = 200, body = BulkResultDto, description = "each selected input assigned (whatever its assessment's state)"),
        (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody, description = "the plan, or a selected input that is not the plan's: nothing is stored"),
        (status = 422, body = crate::error::ErrorBody, description = "`unknown_assignee` (not a planner of the plan), `nothing_selected` or `selection_too_large`")))]
pub async fn bulk_assignee(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<BulkAssigneeBody>,
) -> Result<ApiJson<BulkResultDto>, ApiError> {
    let done = state
        .consultation()
        .bulk_assign(
            &actor,
            &who,
            PlanId(id),
            &ids(&body.inputs),
            body.assignee.map(PersonId),
        )
        .await?;
    Ok(ApiJson(done.into()))
}
