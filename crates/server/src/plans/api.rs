use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::state::AppState;
use crate::web::rfc3339;
use axum::extract::State;
use consultation::plans::NewPlanCommand;
use domain::PlanId;
use domain::plan::Plan;
use domain::policy::Actor;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlan {
    /// Lower-case letters, digits and hyphens; unique within the municipality.
    /// Suggested from the title when empty or left out (numbered when taken).
    #[schema(example = "helse-sosial-omsorg")]
    #[serde(default)]
    pub slug: String,
    #[schema(example = "Kommunedelplan for helse, sosial og omsorg")]
    pub title: String,
    pub sector: Option<String>,
    #[schema(example = 2021)]
    pub period_start: i32,
    #[schema(example = 2033)]
    pub period_end: i32,
    /// Receives a notice for every new input; replies to the plan's emails go here.
    pub contact_email: Option<String>,
    /// The contact person who signs the plan's emails.
    #[serde(default)]
    #[schema(example = "Kari Nordmann")]
    pub contact_name: Option<String>,
    #[serde(default)]
    #[schema(example = "Plan og analyse")]
    pub contact_department: Option<String>,
    #[serde(default)]
    #[schema(example = "56 37 50 00")]
    pub contact_phone: Option<String>,
    /// The municipality's case number (saksnummer).
    #[serde(default)]
    #[schema(example = "20/5000")]
    pub case_number: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDto {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub slug: String,
    pub title: String,
    pub sector: Option<String>,
    pub period_start: i32,
    pub period_end: i32,
    pub status: String,
    pub contact_email: Option<String>,
    pub contact_name: Option<String>,
    pub contact_department: Option<String>,
    pub contact_phone: Option<String>,
    pub case_number: Option<String>,
    pub created_at: String,
}

impl From<Plan> for PlanDto {
    fn from(p: Plan) -> Self {
        PlanDto {
            id: p.id.0,
            municipality_id: p.municipality_id.0,
            slug: p.slug,
            title: p.title,
            sector: p.sector,
            period_start: p.period_start,
            period_end: p.period_end,
            status: p.status.as_str().to_owned(),
            contact_email: p.contact_email,
            contact_name: p.contact.name,
            contact_department: p.contact.department,
            contact_phone: p.contact.phone,
            case_number: p.case_number,
            created_at: rfc3339(p.created_at),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/plans", tag = "plans", request_body = CreatePlan,
    responses((status = 201, body = PlanDto), (status = 401, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_plan(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiJson(body): ApiJson<CreatePlan>,
) -> Result<(StatusCode, ApiJson<PlanDto>), ApiError> {
    let plan = create(&state, &actor, body).await?;
    Ok((StatusCode::CREATED, ApiJson(plan.into())))
}

/// Creates a plan; the API and the planner's pages both come here.
pub(crate) async fn create(
    state: &AppState,
    actor: &Actor,
    body: CreatePlan,
) -> Result<Plan, ApiError> {
    Ok(state
        .consultation()
        .create_plan(
            actor,
            NewPlanCommand {
                slug: body.slug,
                title: body.title,
                sector: body.sector,
                period_start: body.period_start,
                period_end: body.period_end,
                contact_email: body.contact_email,
                contact_name: body.contact_name,
                contact_department: body.contact_department,
                contact_phone: body.contact_phone,
                case_number: body.case_number,
            },
        )
        .await?)
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans",
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 200, body = PlanDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_plan(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<PlanDto>, ApiError> {
    let plan = state
        .consultation()
        .visible_plan(&actor, PlanId(id))
        .await?;
    Ok(ApiJson(plan.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneDto {
    pub id: Uuid,
    pub title: String,
    /// YYYY-MM-DD
    #[schema(example = "2026-09-01")]
    pub due_on: String,
    pub done: bool,
}

impl From<domain::plan::Milestone> for MilestoneDto {
    fn from(m: domain::plan::Milestone) -> Self {
        MilestoneDto {
            id: m.id.0,
            title: m.title,
            due_on: m.due_on.to_string(),
            done: m.done,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMilestone {
    #[schema(example = "Planforslag på høyring")]
    pub title: String,
    /// YYYY-MM-DD
    pub due_on: String,
    #[serde(default)]
    pub done: bool,
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/milestones", tag = "plans",
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 200, body = Vec<MilestoneDto>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_milestones(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<MilestoneDto>>, ApiError> {
    let milestones = state.consultation().milestones(&actor, PlanId(id)).await?;
    Ok(ApiJson(milestones.into_iter().map(Into::into).collect()))
}

/// Adds a milestone; the API and the planner's pages both come here.
pub(crate) async fn add_milestone(
    state: &AppState,
    actor: &Actor,
    plan_id: PlanId,
    body: AddMilestone,
) -> Result<domain::plan::Milestone, ApiError> {
    Ok(state
        .consultation()
        .add_milestone(actor, plan_id, &body.title, &body.due_on, body.done)
        .await?)
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/milestones", tag = "plans", request_body = AddMilestone,
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 201, body = MilestoneDto), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_milestone(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<AddMilestone>,
) -> Result<(StatusCode, ApiJson<MilestoneDto>), ApiError> {
    let milestone = add_milestone(&state, &actor, PlanId(id), body).await?;
    Ok((StatusCode::CREATED, ApiJson(milestone.into())))
}
